"""Filing deadlines from the versioned rules in ``resources/deadline_rules.json``.

The rules (EOIR Policy Manual, Appendix C) are data: a policy change is a new file version,
not a code change. Days are calendar days, the anchor day is day 0, and a due date that
lands on a weekend or federal holiday moves to a business day -- back for deadlines counted
back from a hearing, forward for deadlines counted forward (the file's ``counting`` block).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from common.enums import HearingType
from common.holidays import business_day_on_or_after, business_day_on_or_before
from common.resources import (
    DataFileError,
    parse_enum,
    read_data_file,
    require,
    resource_path,
)

RULES_FILE = "deadline_rules.json"


class Direction(StrEnum):
    BEFORE = "before"
    AFTER = "after"


class Roll(StrEnum):
    """Where a due date that is not a business day moves to."""

    PREVIOUS_BUSINESS_DAY = "previous_business_day"
    NEXT_BUSINESS_DAY = "next_business_day"


class AnchorKind(StrEnum):
    """The event a deadline is counted from."""

    MASTER_HEARING = "master_hearing"
    INDIVIDUAL_HEARING = "individual_hearing"
    FILING_RECEIVED = "filing_received"
    MOVED = "moved"
    DECISION = "decision"
    FINAL_ORDER = "final_order"


class WhenDetained(StrEnum):
    DEFAULT = "default"  # the same rule applies to detained cases
    SET_BY_JUDGE = "set_by_judge"  # the immigration judge sets the deadline


_HEARING_ANCHORS = {
    HearingType.MASTER: AnchorKind.MASTER_HEARING,
    HearingType.INDIVIDUAL: AnchorKind.INDIVIDUAL_HEARING,
}

DETAINED_CAVEAT = (
    "Detained case: the immigration judge sets this deadline; the date shown is the "
    "non-detained default."
)


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    id: str
    title: str
    anchor: AnchorKind
    days: int
    direction: Direction
    when_detained: WhenDetained
    must_be_received: bool
    reference: str
    note: str | None


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """One version of the rule file; ``rules`` is read-only and keyed by rule id."""

    version: str
    source: str
    roll_before: Roll
    roll_after: Roll
    rules: Mapping[str, DeadlineRule]

    def rule(self, rule_id: str) -> DeadlineRule:
        """Return the rule ``rule_id``; an unknown id raises KeyError naming the known ones."""
        try:
            return self.rules[rule_id]
        except KeyError:
            known = ", ".join(sorted(self.rules))
            raise KeyError(f"no deadline rule {rule_id!r}; known rules: {known}") from None


@dataclass(frozen=True, slots=True)
class Deadline:
    rule_id: str
    title: str
    due: date
    anchor: date
    direction: Direction
    unadjusted: date  # the count before moving off a weekend or holiday
    caveat: str | None = None


def load_rules(path: Path | None = None) -> DeadlineRules:
    """Read and validate a deadline rule file (default: the shipped one).

    Raises :class:`~common.resources.DataFileError` naming the file and the field at fault.
    """
    path = path or resource_path(RULES_FILE)
    data = read_data_file(path)
    where = str(path)
    counting = require(data, "counting", dict, where=where)
    rules = [_parse_rule(raw, where) for raw in require(data, "rules", list, where=where)]
    by_id = {rule.id: rule for rule in rules}
    if len(by_id) != len(rules):
        raise DataFileError(f"{where}: rule ids must be unique")
    return DeadlineRules(
        version=require(data, "version", str, where=where),
        source=require(data, "source", str, where=where),
        roll_before=parse_enum(Roll, require(counting, "before", str, where=where), where),
        roll_after=parse_enum(Roll, require(counting, "after", str, where=where), where),
        rules=MappingProxyType(by_id),
    )


def _parse_rule(raw: object, where: str) -> DeadlineRule:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: every rule must be a JSON object")
    rule_id = require(raw, "id", str, where=where)
    where = f"{where}, rule {rule_id!r}"
    days = require(raw, "days", int, where=where)
    if days < 0:
        raise DataFileError(f"{where}: 'days' must not be negative")
    note = raw.get("note")
    return DeadlineRule(
        id=rule_id,
        title=require(raw, "title", str, where=where),
        anchor=parse_enum(AnchorKind, require(raw, "anchor", str, where=where), where),
        days=days,
        direction=parse_enum(Direction, require(raw, "direction", str, where=where), where),
        when_detained=parse_enum(
            WhenDetained, require(raw, "when_detained", str, where=where), where
        ),
        must_be_received=raw.get("must_be") == "received",
        reference=require(raw, "reference", str, where=where),
        note=note if isinstance(note, str) else None,
    )


@lru_cache(maxsize=4)
def _rules_at(path: Path) -> DeadlineRules:
    return load_rules(path)


def default_rules() -> DeadlineRules:
    """The shipped rules, read once per resolved file path."""
    return _rules_at(resource_path(RULES_FILE))


def compute_deadline(
    rule_id: str,
    anchor: date,
    *,
    rules: DeadlineRules | None = None,
    detained: bool = False,
) -> Deadline:
    """Return the due date of ``rule_id`` counted from ``anchor`` (day 0).

    A due date on a weekend or federal holiday moves as the rule file's ``counting`` block
    says. For a detained case whose rule leaves the deadline to the judge, the default is
    still computed and ``caveat`` says so.
    """
    rules = rules or default_rules()
    rule = rules.rule(rule_id)
    if rule.direction is Direction.BEFORE:
        unadjusted, roll = anchor - timedelta(days=rule.days), rules.roll_before
    else:
        unadjusted, roll = anchor + timedelta(days=rule.days), rules.roll_after
    due = (
        business_day_on_or_before(unadjusted)
        if roll is Roll.PREVIOUS_BUSINESS_DAY
        else business_day_on_or_after(unadjusted)
    )
    judge_sets = detained and rule.when_detained is WhenDetained.SET_BY_JUDGE
    return Deadline(
        rule_id=rule.id,
        title=rule.title,
        due=due,
        anchor=anchor,
        direction=rule.direction,
        unadjusted=unadjusted,
        caveat=DETAINED_CAVEAT if judge_sets else None,
    )


def deadlines_for_case(
    hearings: Iterable[tuple[HearingType, date]],
    decided_on: date | None,
    *,
    today: date | None = None,
    final_order_on: date | None = None,
    detained: bool = False,
    rules: DeadlineRules | None = None,
) -> list[Deadline]:
    """Return the deadlines of a case that are due today or later, soonest first.

    ``hearings`` are the scheduled hearings (bond hearings carry no filing deadline);
    ``decided_on`` anchors the appeal deadline, ``final_order_on`` the motions to reopen
    and reconsider. Every rule whose anchor kind matches contributes, so a rule added to
    the data file shows up without a code change.
    """
    rules = rules or default_rules()
    today = today or date.today()
    anchors: list[tuple[AnchorKind, date]] = [
        (_HEARING_ANCHORS[kind], day) for kind, day in hearings if kind in _HEARING_ANCHORS
    ]
    if decided_on is not None:
        anchors.append((AnchorKind.DECISION, decided_on))
    if final_order_on is not None:
        anchors.append((AnchorKind.FINAL_ORDER, final_order_on))
    found = [
        compute_deadline(rule.id, day, rules=rules, detained=detained)
        for kind, day in anchors
        for rule in rules.rules.values()
        if rule.anchor is kind
    ]
    return sorted((d for d in found if d.due >= today), key=lambda d: (d.due, d.rule_id))
