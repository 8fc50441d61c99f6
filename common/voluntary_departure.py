"""Voluntary departure granted by an immigration judge: the departure deadline counted from
the period granted, and what an overstay does, from ``resources/voluntary_departure.json``
(each rule with its source; what was not read is marked as an assumption there).

The alternate order of removal that comes with the grant becomes final upon overstay of
the departure period (8 CFR 1241.1(f)): the day after the last day to depart, unless a
timely appeal was filed, when the Board's order decides. The removal decision order
carries the stage and the day to depart by; :func:`departure_terms` reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from common.court_time import table_date
from common.resources import DataFileError, read_data_file, require, resource_path

FILE = "voluntary_departure.json"


@dataclass(frozen=True)
class Rule:
    text: str
    cited: str  # "8 CFR 1241.1(f)"
    assumption: str | None = None  # set when the source was not read


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    max_days: int
    cited: str


@dataclass(frozen=True)
class VdRules:
    stages: dict[str, Stage]
    counting: Rule
    overstay: Rule
    consequences: tuple[Rule, ...]


def _cited(raw: object, where: str) -> tuple[str, str | None]:
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: 'source' must be an object")
    document = require(raw, "document", str, where=where)
    section = require(raw, "section", str, where=where)
    if not raw.get("read_on") and not raw.get("assumption"):
        raise DataFileError(f"{where}: a source not read must say its assumption")
    short = {"Immigration and Nationality Act": "INA"}.get(document, document)
    assumption = raw.get("assumption")
    return f"{short} {section}", str(assumption) if assumption else None


def _rule(raw: object, key: str, where: str) -> Rule:
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: '{key}' must be an object")
    cited, assumption = _cited(raw.get("source"), f"{where}: {key}")
    return Rule(require(raw, key, str, where=where), cited, assumption)


@cache
def vd_rules() -> VdRules:
    path = resource_path(FILE)
    data: dict[str, Any] = read_data_file(path)
    where = str(path)
    stages = {}
    for raw in require(data, "stages", list, where=where):
        code = require(raw, "code", str, where=where)
        cited, _ = _cited(raw.get("source"), f"{where}: stage {code}")
        stages[code] = Stage(
            code,
            require(raw, "label", str, where=where),
            require(raw, "max_days", int, where=where),
            cited,
        )
    return VdRules(
        stages,
        _rule(data.get("counting"), "rule", f"{where}: counting"),
        _rule(data.get("overstay"), "rule", f"{where}: overstay"),
        tuple(
            _rule(raw, "text", f"{where}: consequence")
            for raw in require(data, "consequences", list, where=where)
        ),
    )


def departure_deadline(decided_on: date, days_granted: int) -> date:
    """The last day to depart: ``days_granted`` calendar days after the decision's day
    (``counting`` in the data file)."""
    if days_granted < 1:
        raise ValueError("a period of voluntary departure is at least one day")
    return decided_on + timedelta(days=days_granted)


def overstay_final_on(depart_by: date) -> date:
    """The day the alternate order of removal becomes final if the respondent is still
    here: the first day after the last day to depart (8 CFR 1241.1(f))."""
    return depart_by + timedelta(days=1)


@dataclass(frozen=True)
class DepartureTerms:
    """The grant as the case file explains it."""

    decided_on: date
    depart_by: date
    days: int  # the period granted, counted from the decision
    stage: Stage | None
    final_on_overstay: date | None  # None: an appeal was filed, the Board decides
    too_long: bool  # more days than the stage allows (an order made before the check)

    def line(self) -> str:
        rules = vd_rules()
        stage = f" {self.stage.label}" if self.stage else ""
        head = f"Depart by {table_date(self.depart_by)} ({self.days} days granted{stage})"
        if self.too_long and self.stage is not None:
            head += f" — more than the {self.stage.max_days} days {self.stage.cited} allows"
        if self.final_on_overstay is None:
            return (
                f"{head}; appealed: the Board's order decides when the alternate order of "
                f"removal becomes final ({rules.overstay.cited})"
            )
        penalties = "; ".join(c.text for c in rules.consequences)
        return (
            f"{head}. If the respondent has not departed, the alternate order of removal "
            f"becomes final on {table_date(self.final_on_overstay)} ({rules.overstay.cited}), "
            f"with {penalties}."
        )


def departure_terms(
    decided_on: date, order_fields: Mapping[str, Any], *, appealed: bool = False
) -> DepartureTerms | None:
    """The voluntary departure a decision order of ``decided_on`` grants, or None when it
    grants none (or says no day to depart by)."""
    if order_fields.get("voluntary_departure") != "granted":
        return None
    try:
        depart_by = date.fromisoformat(str(order_fields.get("vd_depart_by")))
    except ValueError:
        return None
    days = (depart_by - decided_on).days
    if days < 1:
        return None
    stage = vd_rules().stages.get(str(order_fields.get("vd_stage")))
    return DepartureTerms(
        decided_on,
        departure_deadline(decided_on, days),
        days,
        stage,
        None if appealed else overstay_final_on(depart_by),
        stage is not None and days > stage.max_days,
    )
