"""Filing deadlines as the rules count them, each with its source.

The rules are data (``resources/deadline_rules.json``): a policy change is a new file
version, not a code change, and every rule carries its citation (document, section, the day
the text was read). How a deadline is counted:

* Days are calendar days; the anchor day is day 0 (ICPM 3.1(c)(1)-(2); 8 CFR 1001.1(h)).
* A deadline whose last day falls on a Saturday, Sunday or legal holiday is the next business
  day. That holds for deadlines counted *back* from a hearing too: ICPM 3.1(c)(2) construes
  such a deadline "to fall on the next business day", not the one before.
* A day the court is closed (an emergency closure, a lapse in funding, an unplanned ECAS
  outage for an electronic filer) counts as such a day too, and an announcement's own date
  governs where EOIR gave one: :mod:`common.court_closures`.
* The appeal to the Board runs 30 days from the day an oral decision is stated, or from the
  mailing or electronic notification of a written one (8 CFR 1003.38(b)); it is filed with
  the Board, so the Board's calendar moves it. No appeal lies from an in-absentia order
  (INA 240(b)(5)(C); Matter of Guzman-Arguera, 22 I&N Dec. 722 (BIA 1999)): its remedy is a
  motion to reopen, within 180 days for exceptional circumstances.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from common.citations import Citation, parse_citation
from common.court_closures import CourtCalendar, board_calendar, court_calendar
from common.court_time import table_date
from common.enums import HearingType
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
    IN_ABSENTIA_ORDER = "in_absentia_order"
    BOND_DECISION = "bond_decision"  # an immigration judge's custody redetermination
    BOND_APPEAL_FILED = "bond_appeal_filed"  # DHS's notice of appeal from one, to the Board
    BOARD_DECISION = "board_decision"  # the Board's decision (motions before the Board)
    BOARD_MOTION_RECEIVED = "board_motion_received"  # a motion the Board received


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
FINAL_ORDER_NOTE = (
    "Counted from the day the order was entered. If appeal was reserved and none was "
    "filed, the order became final only when the time to appeal ran out (8 CFR 1003.39)."
)


class NoAppeal(ValueError):
    """No appeal lies from this decision; ``str(error)`` says what the remedy is."""


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    id: str
    version: str
    title: str
    anchor: AnchorKind
    days: int
    direction: Direction
    when_detained: WhenDetained
    must_be_received: bool
    citation: Citation
    note: str | None
    # Counted in business days (days the filing's place is open) instead of calendar days.
    business_days: bool = False
    # False: the day the count reaches stands even when closed (a stay that lapses, not a
    # filing that is due).
    rolls: bool = True

    @property
    def reference(self) -> str:
        """The citation as one line: ``"8 CFR 1003.23(b)(1); ..."``."""
        return str(self.citation)


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """One version of the rule file; ``rules`` is read-only and keyed by rule id."""

    version: str
    source: str
    read_on: date
    roll_before: Roll
    roll_after: Roll
    counting_citations: tuple[Citation, ...]
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
    unadjusted: date  # the count before moving off a weekend, holiday or closed day
    caveat: str | None = None
    citation: str = ""
    moved: tuple[str, ...] = ()  # why the due date is later than the count, day by day
    note: str | None = None  # the rule's own note (exceptions, what "due" means)

    @property
    def moved_note(self) -> str | None:
        """``"Moved from Sun 8 Mar 2026: Sun 8 Mar 2026 is a Sunday."``, or None."""
        if not self.moved:
            return None
        return f"Moved from {table_date(self.unadjusted)}: " + "; ".join(self.moved) + "."


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
    try:
        read_on = date.fromisoformat(require(data, "read_on", str, where=where))
    except ValueError:
        raise DataFileError(f"{where}: 'read_on' must be a date (YYYY-MM-DD)") from None
    return DeadlineRules(
        version=require(data, "version", str, where=where),
        source=require(data, "source", str, where=where),
        read_on=read_on,
        roll_before=parse_enum(Roll, require(counting, "before", str, where=where), where),
        roll_after=parse_enum(Roll, require(counting, "after", str, where=where), where),
        counting_citations=tuple(
            parse_citation(c, f"{where}, counting")
            for c in require(counting, "citations", list, where=where)
        ),
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
    unit = raw.get("unit", "calendar_days")
    if unit not in ("calendar_days", "business_days"):
        raise DataFileError(f"{where}: 'unit' must be calendar_days or business_days")
    rolls = raw.get("rolls", True)
    if not isinstance(rolls, bool):
        raise DataFileError(f"{where}: 'rolls' must be true or false")
    return DeadlineRule(
        id=rule_id,
        version=require(raw, "version", str, where=where),
        title=require(raw, "title", str, where=where),
        anchor=parse_enum(AnchorKind, require(raw, "anchor", str, where=where), where),
        days=days,
        direction=parse_enum(Direction, require(raw, "direction", str, where=where), where),
        when_detained=parse_enum(
            WhenDetained, require(raw, "when_detained", str, where=where), where
        ),
        must_be_received=raw.get("must_be") == "received",
        citation=parse_citation(require(raw, "citation", dict, where=where), where),
        note=note if isinstance(note, str) else None,
        business_days=unit == "business_days",
        rolls=rolls,
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
    calendar: CourtCalendar | None = None,
    title: str | None = None,
) -> Deadline:
    """Return the due date of ``rule_id`` counted from ``anchor`` (day 0).

    ``calendar`` is the calendar of the place the filing goes to (default: no court's own
    closures, only weekends, legal holidays and closures of every court). A last day that is
    not a day to file there moves as the rule file's ``counting`` block says; ``moved``
    tells why. For a detained case whose rule leaves the deadline to the judge the default is
    still computed and ``caveat`` says so. ``title`` replaces the rule's title (e.g. to name
    the motion a response answers).
    """
    rules = rules or default_rules()
    calendar = calendar or court_calendar(None, detained=detained)
    rule = rules.rule(rule_id)
    if rule.business_days:
        return _business_day_deadline(rule, anchor, calendar, title)
    if rule.direction is Direction.BEFORE:
        unadjusted, roll = anchor - timedelta(days=rule.days), rules.roll_before
    else:
        unadjusted, roll = anchor + timedelta(days=rule.days), rules.roll_after
    moved: tuple[str, ...] = ()
    if not rule.rolls:
        due = unadjusted
    elif roll is Roll.NEXT_BUSINESS_DAY:
        rolled = calendar.roll(unadjusted)
        due, moved = rolled.due, rolled.reasons
    else:
        # Kept so a rule file can still say so; the shipped rules never do (ICPM 3.1(c)(2)).
        due, moved = unadjusted, ()
        while not calendar.is_open(due):
            moved += (f"{table_date(due)} is {calendar.why_closed(due)}",)
            due -= timedelta(days=1)
    judge_sets = detained and rule.when_detained is WhenDetained.SET_BY_JUDGE
    return Deadline(
        rule_id=rule.id,
        title=title or rule.title,
        due=due,
        anchor=anchor,
        direction=rule.direction,
        unadjusted=unadjusted,
        caveat=DETAINED_CAVEAT if judge_sets else None,
        citation=rule.reference,
        moved=moved,
        note=rule.note,
    )


def _business_day_deadline(
    rule: DeadlineRule, anchor: date, calendar: CourtCalendar, title: str | None
) -> Deadline:
    """``rule.days`` days the place is open, counted from the day after (or before)
    ``anchor``: "within one business day of the order" is the next day the court is open."""
    step = timedelta(days=1 if rule.direction is Direction.AFTER else -1)
    due, left = anchor, rule.days
    while left:
        due += step
        if calendar.is_open(due):
            left -= 1
    return Deadline(
        rule_id=rule.id,
        title=title or rule.title,
        due=due,
        anchor=anchor,
        direction=rule.direction,
        unadjusted=due,
        citation=rule.reference,
        note=rule.note,
    )


def appeal_deadline(
    decision_date: date,
    *,
    oral: bool,
    served_on: date | None = None,
    calendar: CourtCalendar | None = None,
    in_absentia: bool = False,
    rules: DeadlineRules | None = None,
) -> Deadline:
    """The last day for the Board to receive a Notice of Appeal (EOIR-26) from an
    immigration judge's decision (8 CFR 1003.38(b); BIA Practice Manual 4.5(a)).

    An ``oral`` decision's 30 days run from ``decision_date`` (a summary mailed later does
    not restart them: Matter of Iskandarani, 29 I&N Dec. 26 (BIA 2025)); a written one's from
    ``served_on``, the day it was mailed or notified electronically. ``calendar`` is the
    Board's (default: :func:`~common.court_closures.board_calendar`). Raises
    :class:`NoAppeal` for an in-absentia order, and ValueError for a written decision
    without its service date.
    """
    if in_absentia:
        raise NoAppeal(
            "No appeal lies from an order entered in absentia (INA 240(b)(5)(C); Matter of "
            "Guzman-Arguera, 22 I&N Dec. 722 (BIA 1999)): the respondent may move the "
            "immigration judge to reopen, within 180 days for exceptional circumstances or at "
            "any time for lack of notice (8 CFR 1003.23(b)(4)(ii))."
        )
    if oral:
        anchor = decision_date
    else:
        if served_on is None:
            raise ValueError(
                "a written decision's appeal time runs from the day it was mailed or notified "
                "electronically (8 CFR 1003.38(b)): give served_on"
            )
        if served_on < decision_date:
            raise ValueError("a written decision can't be served before it was made")
        anchor = served_on
    return compute_deadline(
        "bia_appeal", anchor, rules=rules, calendar=calendar or board_calendar()
    )


def post_order_deadlines(
    final_order_on: date,
    *,
    in_absentia: bool = False,
    calendar: CourtCalendar | None = None,
    rules: DeadlineRules | None = None,
) -> list[Deadline]:
    """The motions against a final order of the immigration judge and their last days.

    A regular order: reconsider within 30 days and reopen within 90 (8 CFR 1003.23(b)(1)),
    counted from the day the order was entered (see :data:`FINAL_ORDER_NOTE`). An order
    entered in absentia: a motion to reopen and rescind within 180 days (INA 240(b)(5)(C)(i);
    8 CFR 1003.23(b)(4)(ii)), or at any time for lack of notice; the 90-day rule does not
    govern its rescission. Each rule is taken from the file by its anchor kind, so a rule
    added there shows up here.
    """
    rules = rules or default_rules()
    kind = AnchorKind.IN_ABSENTIA_ORDER if in_absentia else AnchorKind.FINAL_ORDER
    found = []
    for rule in rules.rules.values():
        if rule.anchor is not kind:
            continue
        deadline = compute_deadline(rule.id, final_order_on, rules=rules, calendar=calendar)
        if not in_absentia:
            note = f"{deadline.note} {FINAL_ORDER_NOTE}" if deadline.note else FINAL_ORDER_NOTE
            deadline = _with_note(deadline, note)
        found.append(deadline)
    return sorted(found, key=lambda d: (d.due, d.rule_id))


def _with_note(deadline: Deadline, note: str) -> Deadline:
    return Deadline(
        deadline.rule_id,
        deadline.title,
        deadline.due,
        deadline.anchor,
        deadline.direction,
        deadline.unadjusted,
        deadline.caveat,
        deadline.citation,
        deadline.moved,
        note,
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """What the deadlines after an immigration judge's decision depend on.

    ``oral``: stated at the hearing (the appeal runs from that day) or written (it runs from
    ``served_on``, the mailing or electronic notification). ``in_absentia``: entered after
    the respondent failed to appear; not appealable. ``final``: no appeal is pending, so
    the motions to reopen and reconsider run (an appealed case has none until the Board
    decides, and the motions then go to the Board)."""

    decided_on: date
    oral: bool = True
    served_on: date | None = None
    in_absentia: bool = False
    final: bool = True
    # False once every party waived appeal (8 CFR 1003.39): no appeal deadline runs.
    appealable: bool = True


@dataclass(frozen=True, slots=True)
class Motion:
    """A motion the court received, which the other party may answer."""

    received_on: date
    title: str  # "Motion to continue"


def deadlines_for_case(
    hearings: Iterable[tuple[HearingType, date]],
    decision: Decision | date | None,
    *,
    today: date,
    motions: Iterable[Motion] = (),
    detained: bool = False,
    rules: DeadlineRules | None = None,
    calendar: CourtCalendar | None = None,
    board: CourtCalendar | None = None,
) -> list[Deadline]:
    """The deadlines of a case that are due ``today`` (the court's date) or later, soonest
    first.

    ``hearings`` are the scheduled hearings (bond hearings carry no filing deadline);
    ``decision`` the immigration judge's decision, if any (a bare date is an oral decision);
    ``motions`` those received, each answered within 10 days. ``calendar`` is the court's,
    ``board`` the Board's (defaults: :func:`~common.court_closures.court_calendar` of no
    particular court, :func:`~common.court_closures.board_calendar`). Every rule whose anchor
    kind matches contributes, so a rule added to the data file shows up without a code
    change. Pass ``today=date.min`` for every deadline, past ones included.
    """
    rules = rules or default_rules()
    calendar = calendar or court_calendar(None, detained=detained)
    if isinstance(decision, date):
        decision = Decision(decided_on=decision)
    found: list[Deadline] = []
    anchors: list[tuple[AnchorKind, date]] = [
        (_HEARING_ANCHORS[kind], day) for kind, day in hearings if kind in _HEARING_ANCHORS
    ]
    for kind, day in anchors:
        found += [
            compute_deadline(rule.id, day, rules=rules, detained=detained, calendar=calendar)
            for rule in rules.rules.values()
            if rule.anchor is kind
        ]
    for motion in motions:
        found += [
            compute_deadline(
                rule.id,
                motion.received_on,
                rules=rules,
                detained=detained,
                calendar=calendar,
                title=f"Response to the {motion.title[:1].lower()}{motion.title[1:]} received "
                f"{table_date(motion.received_on)}",
            )
            for rule in rules.rules.values()
            if rule.anchor is AnchorKind.FILING_RECEIVED
        ]
    if decision is not None:
        found += _after_decision(decision, rules, calendar, board)
    return sorted((d for d in found if d.due >= today), key=lambda d: (d.due, d.rule_id))


def _after_decision(
    decision: Decision,
    rules: DeadlineRules,
    calendar: CourtCalendar,
    board: CourtCalendar | None,
) -> list[Deadline]:
    found: list[Deadline] = []
    if (
        decision.appealable
        and not decision.in_absentia
        and (decision.oral or decision.served_on is not None)
    ):
        found.append(
            appeal_deadline(
                decision.decided_on,
                oral=decision.oral,
                served_on=decision.served_on,
                calendar=board or board_calendar(),
                rules=rules,
            )
        )
    if decision.final:
        found += post_order_deadlines(
            decision.decided_on,
            in_absentia=decision.in_absentia,
            calendar=calendar,
            rules=rules,
        )
    return found


# --- reading a decision from the case's orders ---------------------------------------------

# The convention the order templates follow (resources/order_templates): an order entered in
# absentia is the template ``in_absentia_order`` or carries ``fields["in_absentia"]`` true; a
# decision is written when ``fields["decision_form"]`` is ``"written"`` (otherwise it is the
# summary of an oral decision, as the removal decision template says).
IN_ABSENTIA_TEMPLATES = frozenset({"in_absentia_order"})
_TRUE = (True, "true", "yes", "1")


def is_in_absentia_order(template: str, fields: Mapping[str, object]) -> bool:
    """Whether an order of ``template`` with ``fields`` was entered in absentia."""
    return template in IN_ABSENTIA_TEMPLATES or fields.get("in_absentia") in _TRUE


def is_written_decision(fields: Mapping[str, object]) -> bool:
    return fields.get("decision_form") == "written"


_SIGNED = ("signed", "issued")


def _iso_day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def written_decision_service(
    case: Mapping[str, object],
    orders: Iterable[Mapping[str, object]],
    served_on: Mapping[str, date],
    decided_on: date,
) -> date | None:
    """The day a written decision of ``decided_on`` was first served, read from the
    service of its order: the case's signed or issued orders whose ``decision_date`` is that
    day, and the first day ``served_on`` (document id to the court-local day it was first
    served) shows for one of their documents, not before the decision. None: not served
    yet. A decision record's own ``served_on`` comes first; this is for one saved before
    service was known, when the server served the decision's order (8 CFR 1003.38(b): the
    time to appeal a written decision runs from its mailing or electronic notification)."""
    days = []
    for o in orders:
        own = o.get("fields")
        document = str(o.get("document_id") or "")
        if (
            o.get("case_id") == case.get("id")
            and o.get("status") in _SIGNED
            and not o.get("deleted")
            and isinstance(own, Mapping)
            and _iso_day(own.get("decision_date")) == decided_on
            and document in served_on
            and served_on[document] >= decided_on
        ):
            days.append(served_on[document])
    return min(days) if days else None


def case_decision(
    case: Mapping[str, object],
    orders: Iterable[Mapping[str, object]],
    served_on: Mapping[str, date] | None = None,
    records: Iterable[Mapping[str, object]] = (),
) -> Decision | None:
    """The immigration judge's decision of a case, from its records as wire dicts, or None
    when the case is not decided (an appealed case has no deadline against the judge's
    order: the appeal is filed, and later motions go to the Board).

    The decision date is the case's ``decided_on`` (else the signed decision order's
    ``decision_date``); the latest signed order with a ``decision_date`` says whether it was
    given orally or in writing and whether it was entered in absentia. ``served_on`` maps a
    document id to the court-local day it was first served: a written decision's appeal runs
    from the service of its document.

    ``records`` are decision records (``common.wire.DecisionRecord`` as wire dicts): the
    case's latest is the source when there is one (its date, oral or written, service date,
    in absentia, appeal waived by every party); the orders are read only for a case decided
    without one (before decision records, or imported).
    """
    if case.get("status") != "decided":
        return None
    recorded = [
        d
        for d in records
        if d.get("case_id") == case.get("id") and not d.get("deleted") and d.get("decided_on")
    ]
    if recorded:
        latest = max(recorded, key=lambda d: (str(d["decided_on"]), str(d.get("recorded_at"))))
        day = _iso_day(latest["decided_on"])
        if day is not None:
            waived = latest.get("appeal_waived_by")
            return Decision(
                decided_on=day,
                oral=latest.get("form", "oral") != "written",
                served_on=_iso_day(latest.get("served_on"))
                or (
                    written_decision_service(case, orders, served_on or {}, day)
                    if latest.get("form") == "written"
                    else None
                ),
                in_absentia=latest.get("completion") == "in_absentia",
                appealable=not (isinstance(waived, list) and {"respondent", "dhs"} <= set(waived)),
            )
    decisions: list[tuple[str, Mapping[str, object], Mapping[str, object]]] = []
    for o in orders:
        own = o.get("fields")
        if (
            o.get("case_id") == case.get("id")
            and o.get("status") in _SIGNED
            and not o.get("deleted")
            and isinstance(own, Mapping)
            and "decision_date" in own
        ):
            decisions.append((str(o.get("signed_at") or ""), o, own))
    decisions.sort(key=lambda found: found[0])
    order = decisions[-1][1] if decisions else None
    fields = decisions[-1][2] if decisions else {}
    decided_on = _iso_day(case.get("decided_on")) or _iso_day(fields.get("decision_date"))
    if decided_on is None:
        return None
    written = is_written_decision(fields)
    document = str(order.get("document_id") or "") if order else ""
    return Decision(
        decided_on=decided_on,
        oral=not written,
        served_on=(served_on or {}).get(document) if written else None,
        in_absentia=order is not None and is_in_absentia_order(str(order.get("template")), fields),
    )


def case_motions(documents: Iterable[Mapping[str, object]]) -> list[Motion]:
    """The motions a party filed in a case (rejected ones aside), each with the day the
    court received it (its ``filed_on``), from document records as wire dicts."""
    found = []
    for d in documents:
        received = _iso_day(d.get("filed_on"))
        if (
            d.get("doc_type") == "motion"
            and d.get("status") != "rejected"
            and d.get("filer_party") != "court"
            and not d.get("deleted")
            and received is not None
        ):
            found.append(Motion(received, str(d.get("title") or "Motion")))
    return found
