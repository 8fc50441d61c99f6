"""Pleadings and decisions: the rules both the server (``change_rules``) and the desktop
(before saving) apply, and the date a decision becomes final.

The vocabularies are data with their sources: the forms of relief
(``resources/relief_forms.json``) and the completion types
(``resources/completion_types.json``). A decision is checked against the case's pleadings
(relief granted must have been sought), its status (a decided case is decided again only
once reopened or remanded: ``common.lifecycle.status_after_decision``) and itself (a
removal order names a country; an in-absentia order is not entered with the respondent
present; no party both reserves and waives appeal).

When a decision becomes final is derived, never typed (:func:`finality`): 8 CFR 1241.1 for
an order of removal, 8 CFR 1003.39 for the rest; see the sources in the data file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from common.court_closures import CourtCalendar
from common.court_time import table_date
from common.deadlines import NoAppeal, appeal_deadline
from common.enums import CaseStatus, CompletionType, DecisionForm, Party, Plea
from common.lifecycle import TransitionError, status_after_decision
from common.resources import DataFileError, resource_path
from common.wire import DecisionRecord, Pleading

RELIEF_FILE = "relief_forms.json"
COMPLETION_FILE = "completion_types.json"
APPEAL_PARTIES = (Party.RESPONDENT, Party.DHS)
PLEA_WORDS = {Plea.ADMITTED: "Admitted", Plea.DENIED: "Denied", Plea.NOT_PLEADED: "Not pleaded"}
PARTY_WORDS = {Party.RESPONDENT: "the respondent", Party.DHS: "DHS"}


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entry comes from; ``read_on`` is None when the primary text was not read,
    and ``assumption`` then says what was assumed."""

    document: str
    section: str
    read_on: date | None = None
    assumption: str | None = None

    def __str__(self) -> str:
        if ";" in self.document:
            return self.section
        short = {"Immigration and Nationality Act": "INA"}.get(self.document, self.document)
        return f"{short} {self.section}"


@dataclass(frozen=True, slots=True)
class ReliefForm:
    code: str
    label: str
    kind: str  # "status", "protection" or "departure"
    application: str
    source: Source


@dataclass(frozen=True, slots=True)
class CompletionRule:
    completion: CompletionType
    label: str
    orders_removal: bool
    relief: frozenset[str]  # the kinds of relief it may grant
    requires: str | None  # a kind of relief it must grant
    final_decision: bool
    appealable: bool
    source: Source


def _source(raw: object, where: str) -> Source:
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: 'source' must be an object")
    read = raw.get("read_on")
    assumption = raw.get("assumption")
    if read is None and not isinstance(assumption, str):
        raise DataFileError(f"{where}: a source not read says what it assumes ('assumption')")
    try:
        return Source(
            document=str(raw["document"]),
            section=str(raw["section"]),
            read_on=date.fromisoformat(str(read)) if read is not None else None,
            assumption=assumption if isinstance(assumption, str) else None,
        )
    except (KeyError, ValueError) as err:
        raise DataFileError(f"{where}: source needs document, section, a read_on date") from err


def _read(name: str) -> dict[str, Any]:
    path = resource_path(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataFileError(f"{path}: {err}") from err
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: must hold an object")
    return data


@lru_cache(maxsize=1)
def relief_forms() -> dict[str, ReliefForm]:
    """The forms of relief by code, in the file's order."""
    found: dict[str, ReliefForm] = {}
    for i, raw in enumerate(_read(RELIEF_FILE).get("forms") or ()):
        where = f"{RELIEF_FILE}, forms[{i}]"
        kind = str(raw.get("kind"))
        if kind not in ("status", "protection", "departure"):
            raise DataFileError(f"{where}: unknown kind {kind!r}")
        form = ReliefForm(
            str(raw["code"]),
            str(raw["label"]),
            kind,
            str(raw.get("application") or ""),
            _source(raw.get("source"), where),
        )
        found[form.code] = form
    return found


@lru_cache(maxsize=1)
def completion_rules() -> dict[CompletionType, CompletionRule]:
    """Each completion type's rule; every member of :class:`CompletionType` has one."""
    found: dict[CompletionType, CompletionRule] = {}
    for i, raw in enumerate(_read(COMPLETION_FILE).get("types") or ()):
        where = f"{COMPLETION_FILE}, types[{i}]"
        try:
            completion = CompletionType(str(raw["code"]))
        except ValueError:
            raise DataFileError(f"{where}: unknown completion {raw.get('code')!r}") from None
        found[completion] = CompletionRule(
            completion,
            str(raw["label"]),
            bool(raw["orders_removal"]),
            frozenset(str(k) for k in raw.get("relief") or ()),
            str(raw["requires"]) if raw.get("requires") else None,
            bool(raw["final_decision"]),
            bool(raw["appealable"]),
            _source(raw.get("source"), where),
        )
    missing = set(CompletionType) - set(found)
    if missing:
        raise DataFileError(f"{COMPLETION_FILE}: no rule for {sorted(missing)}")
    return found


def finality_sources() -> list[Source]:
    return [
        _source(raw, f"{COMPLETION_FILE}, finality_sources[{i}]")
        for i, raw in enumerate(_read(COMPLETION_FILE).get("finality_sources") or ())
    ]


# --- checks ----------------------------------------------------------------------------------


def check_pleading(pleading: Pleading) -> str | None:
    """Why ``pleading`` is not a valid record (None: it is)."""
    numbers = [a.number for a in pleading.allegations]
    if len(set(numbers)) != len(numbers):
        return "each factual allegation is numbered once"
    charges = [c.charge.strip().casefold() for c in pleading.charges]
    if len(set(charges)) != len(charges):
        return "each charge is pleaded to once"
    if pleading.designation_declined and pleading.designated_country:
        return "the respondent either designates a country of removal or declines to, not both"
    unknown = [code for code in pleading.relief_sought if code not in relief_forms()]
    if unknown:
        return f"unknown form of relief: {', '.join(unknown)}"
    if len(set(pleading.relief_sought)) != len(pleading.relief_sought):
        return "each form of relief is sought once"
    return None


def latest_pleading(pleadings: Iterable[Pleading], case_id: str) -> Pleading | None:
    """The case's latest pleading (by the day pleaded, then the time recorded)."""
    own = [p for p in pleadings if p.case_id == case_id]
    return max(own, key=lambda p: (p.pleaded_on, p.recorded_at)) if own else None


def _labels(codes: Iterable[str]) -> str:
    forms = relief_forms()
    return ", ".join(forms[c].label if c in forms else c for c in codes)


def check_decision(
    decision: DecisionRecord,
    *,
    case_status: CaseStatus,
    pleadings: Sequence[Pleading] = (),
) -> str | None:
    """Why ``decision`` can't be recorded for a case in ``case_status`` with
    ``pleadings`` (None: it can). The same words on the server and in the dialog."""
    rule = completion_rules()[decision.completion]
    try:
        status_after_decision(case_status, decision.completion)
    except TransitionError as err:
        return str(err)
    both = set(decision.appeal_reserved_by) & set(decision.appeal_waived_by)
    if both:
        who = " and ".join(PARTY_WORDS.get(p, p.value) for p in APPEAL_PARTIES if p in both)
        return f"{who} either reserves or waives appeal, not both"
    strangers = {*decision.appeal_reserved_by, *decision.appeal_waived_by} - set(APPEAL_PARTIES)
    if strangers:
        return "appeal is reserved or waived by the respondent or DHS only"
    if not rule.appealable and decision.appeal_reserved_by:
        if decision.completion is CompletionType.IN_ABSENTIA:
            return (
                "no appeal lies from an order entered in absentia (INA 240(b)(5)(C)): the "
                "remedy is a motion to reopen; appeal can't be reserved"
            )
        return f"appeal is not reserved from {rule.label.lower()}: it does not end the case"
    if decision.completion is CompletionType.IN_ABSENTIA and decision.respondent_present:
        return "an order in absentia is entered only when the respondent did not appear"
    if decision.form is DecisionForm.ORAL and decision.served_on is not None:
        return "an oral decision is stated in the parties' presence; it has no service date"
    if decision.served_on is not None and decision.served_on < decision.decided_on:
        return "a written decision can't be served before it was made"
    forms = relief_forms()
    unknown = [c for c in decision.relief_granted if c not in forms]
    if unknown:
        return f"unknown form of relief: {', '.join(unknown)}"
    if len(set(decision.relief_granted)) != len(decision.relief_granted):
        return "each form of relief is granted once"
    outside = [c for c in decision.relief_granted if forms[c].kind not in rule.relief]
    if outside:
        return f"{rule.label.lower()} does not grant {_labels(outside)}"
    if rule.requires and not any(forms[c].kind == rule.requires for c in decision.relief_granted):
        wanted = [f.label for f in forms.values() if f.kind == rule.requires]
        return f"{rule.label.lower()} names the relief granted: one of {', '.join(wanted)}"
    if decision.relief_granted:
        pleading = latest_pleading(pleadings, decision.case_id)
        sought = set(pleading.relief_sought) if pleading else set()
        never = [c for c in decision.relief_granted if c not in sought]
        if never:
            where = "the pleadings" if pleading else "no pleading recorded"
            return f"relief granted that was never sought ({where}): {_labels(never)}"
    if rule.orders_removal and not (decision.removal_country or "").strip():
        pleading = latest_pleading(pleadings, decision.case_id)
        if pleading is not None and pleading.designation_declined:
            return (
                "removal is ordered to a country: the respondent declined to designate one, "
                "so the judge names it (INA 241(b)(2)(C)-(E))"
            )
        return "removal is ordered to a country: name the country of removal (INA 241(b)(2))"
    if not rule.orders_removal and decision.removal_country:
        return f"{rule.label.lower()} orders no removal: leave the country of removal empty"
    return None


def check_service_recorded(old: DecisionRecord, new: DecisionRecord) -> str | None:
    """Why ``new`` is not ``old`` with the service of a written decision recorded (None: it
    is). A decision is never edited, save this once: the clerk (or the judge) records the day
    a written decision was served when it was not known as it was saved; the time to appeal
    runs from it (8 CFR 1003.38(b))."""
    if old.form is not DecisionForm.WRITTEN:
        return "a decision is not edited; reopen the case to decide it again"
    if old.served_on is not None:
        return "the written decision's service is already recorded; a decision is not edited"
    if new.served_on is None:
        return "record the day the written decision was served"
    same = old.model_dump(exclude={"served_on"}) == new.model_dump(exclude={"served_on"})
    if not same:
        return (
            "only the service date of a written decision is recorded after it; "
            "a decision is not edited"
        )
    if new.served_on < new.decided_on:
        return "a written decision can't be served before it was made"
    return None


def effective_status(case_status: CaseStatus, unsent: Iterable[DecisionRecord]) -> CaseStatus:
    """The case's status once decisions not yet applied by the server are (the desktop's
    local copy before the next sync), in the order they were decided."""
    status = case_status
    for d in sorted(unsent, key=lambda d: (d.decided_on, d.recorded_at)):
        try:
            status = status_after_decision(status, d.completion)
        except TransitionError:
            continue
    return status


# --- finality --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finality:
    """When a decision becomes (or became) final; ``final_on`` None when it can't be said
    yet or does not apply, and ``reason`` says why. ``appeal_due`` is the last day for the
    Board to receive an appeal, when one may still be filed."""

    final_on: date | None
    reason: str
    citation: str
    appeal_due: date | None = None


def all_waived(decision: DecisionRecord) -> bool:
    return all(p in decision.appeal_waived_by for p in APPEAL_PARTIES)


def finality(
    decision: DecisionRecord,
    *,
    case_status: CaseStatus,
    board: CourtCalendar | None = None,
    board_final_on: date | None = None,
) -> Finality:
    """The day ``decision`` becomes final, from the rules:

    * entered in absentia: the day it was entered (8 CFR 1241.1(e));
    * an order of removal (voluntary departure's alternate order included) whose appeal the
      respondent waived: that day (8 CFR 1241.1(b); Matter of Shih); any other decision once
      every party waived (8 CFR 1003.39);
    * otherwise, unless appealed, when the time to appeal runs out: the end of the last day
      the Board receives an appeal (8 CFR 1241.1(c), 1003.38(b)); a written decision not yet
      served has no such day yet;
    * appealed: the Board's decision decides (8 CFR 1241.1(a); issue 15): once the Board
      dismissed the appeal or affirmed (``board_final_on``, the Board's day it issued:
      ``common.board_decisions.board_final_on``), final that day;
    * an administrative closure or a change of venue is not a final decision.
    """
    rule = completion_rules()[decision.completion]
    if not rule.final_decision:
        return Finality(
            None,
            f"{rule.label} does not end the proceedings; no final decision",
            str(rule.source),
        )
    if decision.completion is CompletionType.IN_ABSENTIA:
        return Finality(
            decision.decided_on, "entered in absentia: final upon entry", "8 CFR 1241.1(e)"
        )
    if rule.orders_removal and Party.RESPONDENT in decision.appeal_waived_by:
        return Finality(
            decision.decided_on,
            "the respondent waived appeal: final that day",
            "8 CFR 1241.1(b); Matter of Shih, 20 I&N Dec. 697 (BIA 1993)",
        )
    if all_waived(decision):
        return Finality(
            decision.decided_on,
            "both parties waived appeal: final that day",
            "8 CFR 1003.39; Matter of Shih, 20 I&N Dec. 697 (BIA 1993)",
        )
    if board_final_on is not None and board_final_on >= decision.decided_on:
        return Finality(
            board_final_on,
            "the Board dismissed the appeal or affirmed: final on its decision of "
            f"{table_date(board_final_on)}",
            "8 CFR 1241.1(a); 8 CFR 1003.1(d)(7), (e)(4)",
        )
    if case_status is CaseStatus.APPEALED:
        return Finality(
            None, "appealed: final when the Board decides (issue 15)", "8 CFR 1241.1(a)"
        )
    try:
        due = appeal_deadline(
            decision.decided_on,
            oral=decision.form is DecisionForm.ORAL,
            served_on=decision.served_on,
            calendar=board,
        )
    except NoAppeal as err:  # pragma: no cover - in absentia is handled above
        return Finality(decision.decided_on, str(err), "8 CFR 1241.1(e)")
    except ValueError:
        return Finality(
            None,
            "a written decision: the time to appeal runs from its service, not yet recorded",
            "8 CFR 1003.38(b)",
        )
    return Finality(
        due.due,
        f"final when the time to appeal runs out, at the end of {table_date(due.due)}, "
        "unless an appeal is filed",
        f"8 CFR 1241.1(c); 8 CFR 1003.39; {due.citation}",
        appeal_due=due.due,
    )


def latest_decision(decisions: Iterable[DecisionRecord], case_id: str) -> DecisionRecord | None:
    own = [d for d in decisions if d.case_id == case_id]
    return max(own, key=lambda d: (d.decided_on, d.recorded_at)) if own else None


# --- an order's fields from the decision ---------------------------------------------------

# The removal decision template's disposition for each completion it can print
# (resources/order_templates/removal_decision.json).
_DISPOSITIONS = {
    CompletionType.REMOVAL_ORDERED: "removal_ordered",
    CompletionType.VOLUNTARY_DEPARTURE: "voluntary_departure",
    CompletionType.RELIEF_GRANTED: "relief_granted",
    CompletionType.TERMINATED: "terminated",
    CompletionType.DISMISSED: "terminated",
}


def order_fields(
    decision: DecisionRecord, pleading: Pleading | None
) -> tuple[tuple[str, str], ...]:
    """The values an order drafted after ``decision`` starts with (``common.orders``
    ``CaseFacts.decision_fields``): its date and form, the disposition, the country, each
    party's appeal, and each application sought or granted as granted or denied. The judge
    still reviews every field before signing."""
    out: dict[str, str] = {
        "decision_date": decision.decided_on.isoformat(),
        "decision_form": decision.form.value,
    }
    disposition = _DISPOSITIONS.get(decision.completion)
    if disposition is not None:
        out["disposition"] = disposition
        if disposition != "terminated":
            out["removability"] = "sustained"
    if decision.removal_country:
        out["removal_country"] = decision.removal_country
    for party, key in ((Party.RESPONDENT, "appeal_respondent"), (Party.DHS, "appeal_dhs")):
        if party in decision.appeal_reserved_by:
            out[key] = "reserved"
        elif party in decision.appeal_waived_by:
            out[key] = "waived"
    sought = list(pleading.relief_sought) if pleading is not None else []
    for code in dict.fromkeys([*sought, *decision.relief_granted]):
        out[code] = "granted" if code in decision.relief_granted else "denied"
    return tuple(out.items())
