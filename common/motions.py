"""Motions before the immigration court: the catalogue of motion types, rulings and the
exceptions to the limits on reopening (``resources/motion_types.json``, each with its
source), the response a motion awaits, the time and number limits of motions to reopen and
reconsider, and the checks on a motion record that server and desktop both make.

* A motion is received on a court-local day (``filed_on``); the other party answers within
  the rule ``response_to_filing`` of ``resources/deadline_rules.json`` (10 days: ICPM
  3.1(b), 5.12), computed here, never stored.
* A motion to reopen is due within 90 days of the final order, one to reconsider within
  30, and a party files one of each (8 CFR 1003.23(b)(1)); a motion to reopen an order
  entered in absentia within 180 days for exceptional circumstances, or at any time for
  lack of notice or custody (8 CFR 1003.23(b)(4)(ii)). The limits are shown to the judge
  with the exceptions the judge may apply; a grant past a limit names its exception.
* A ruling is a stamp (granted, granted as unopposed, denied, untimely, moot) issued as a
  signed motion order (``resources/order_templates/motion_order.json``); a motion that is
  no longer pending (withdrawn, or ruled on) is not ruled on again.
* A motion is before the Board of Immigration Appeals (``Motion.before_board``) when its
  case has a docketed appeal, or the Board decided the case last and did not remand it
  (:func:`before_board`). The Board's types are those whose ``forums`` include "board"
  (reopen, reconsider, a stay of removal, emergency or not, remand, extension of a
  briefing deadline, other); a Board member rules with the same stamps, by the Board's
  motion order (``board_motion_order.json``). Before the Board a motion to reconsider is
  due within 30 days and a motion to reopen within 90 of the Board's decision, one each
  (8 CFR 1003.2(b)(2), (c)(2)).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from common.court_closures import CourtCalendar
from common.court_time import table_date
from common.deadlines import Deadline, Decision, compute_deadline, default_rules
from common.enums import (
    AppealStatus,
    BoardDecisionStatus,
    BoardOutcome,
    MotionRuling,
    MotionStatus,
    MotionType,
    Movant,
    OtherPartyPosition,
)
from common.resources import DataFileError, read_data_file, require, resource_path
from common.wire import Appeal, BoardDecision, Motion

CATALOGUE_FILE = "motion_types.json"
RESPONSE_RULE = "response_to_filing"
BOARD_RESPONSE_RULE = "board_response_to_motion"  # before the Board (assumption: 13 days)
LIMITED = frozenset({MotionType.REOPEN, MotionType.RECONSIDER})
COURT, BOARD = "court", "board"  # the forums a type is filed in (the catalogue's "forums")
MOTION_ORDER = "motion_order"  # the immigration judge's order on a motion
BOARD_MOTION_ORDER = "board_motion_order"  # the Board's (resources/order_templates)
_COURT_LIMITS = "8 CFR 1003.23(b)(1)"
_BOARD_LIMITS = "8 CFR 1003.2(b)(2), (c)(2)"


@dataclass(frozen=True, slots=True)
class Cited:
    """One entry of the catalogue: its wire value, how people read it, its sources."""

    value: str
    label: str
    sources: tuple[str, ...]
    extra: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Catalogue:
    types: Mapping[str, Cited]
    rulings: Mapping[str, Cited]
    exceptions: Mapping[str, Cited]

    def type_label(self, value: str) -> str:
        entry = self.types.get(value)
        return entry.label if entry else value

    def ruling_label(self, value: str) -> str:
        entry = self.rulings.get(value)
        return entry.label if entry else value

    def ruling_status(self, ruling: MotionRuling) -> MotionStatus:
        """The motion's status once ``ruling`` is stamped on it."""
        return MotionStatus(str(self.rulings[ruling.value].extra["status"]))

    def forums(self, value: str) -> tuple[str, ...]:
        """Where a motion of this type is filed: "court", "board" or both."""
        entry = self.types.get(value)
        return tuple(str(f) for f in entry.extra.get("forums", ())) if entry else ()

    def types_for(self, board: bool) -> list[Cited]:
        """The types a party files before the Board (``board``) or the court, in order."""
        forum = BOARD if board else COURT
        return [t for t in self.types.values() if forum in self.forums(t.value)]


def _cited(raw: object, where: str) -> Cited:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: every entry must be a JSON object")
    value = require(raw, "value", str, where=where)
    sources = []
    for s in require(raw, "source", list, where=f"{where}, {value}"):
        if not isinstance(s, dict) or not s.get("document") or not s.get("read_on"):
            raise DataFileError(f"{where}, {value}: each source needs document and read_on")
        sources.append(f"{s['document']} {s.get('section', '')}".strip())
    label = require(raw, "label", str, where=f"{where}, {value}")
    return Cited(value, label, tuple(sources), raw)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and check a catalogue file (default: the shipped one); a wrong file raises
    :class:`~common.resources.DataFileError` naming what is wrong."""
    path = path or resource_path(CATALOGUE_FILE)
    data = read_data_file(path)
    where = str(path)
    types = {
        c.value: c for c in (_cited(r, where) for r in require(data, "types", list, where=where))
    }
    rulings = {
        c.value: c for c in (_cited(r, where) for r in require(data, "rulings", list, where=where))
    }
    exceptions = {
        c.value: c
        for c in (_cited(r, where) for r in require(data, "exceptions", list, where=where))
    }
    if set(types) != {t.value for t in MotionType}:
        raise DataFileError(f"{where}: the types must be exactly the MotionType values")
    if set(rulings) != {r.value for r in MotionRuling}:
        raise DataFileError(f"{where}: the rulings must be exactly the MotionRuling values")
    for r in rulings.values():
        MotionStatus(str(r.extra.get("status")))
    for t in types.values():
        forums = t.extra.get("forums")
        if not isinstance(forums, list) or not forums or set(forums) - {COURT, BOARD}:
            raise DataFileError(f"{where}, {t.value}: forums must list 'court' and/or 'board'")
    return Catalogue(types, rulings, exceptions)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogue (read once)."""
    return load_catalogue()


# --- the response and the age ---------------------------------------------------------------


def response_due(
    motion: Motion, *, calendar: CourtCalendar | None = None, detained: bool = False
) -> Deadline:
    """The last day for the other party's response, counted from the day the court
    received the motion (rule ``response_to_filing``), or the Board (its own rule, on the
    Board's calendar when ``calendar`` is the Board's)."""
    label = catalogue().type_label(motion.motion_type.value)
    return compute_deadline(
        BOARD_RESPONSE_RULE if motion.before_board else RESPONSE_RULE,
        motion.filed_on,
        calendar=calendar,
        detained=detained,
        title=f"Response to the {label[:1].lower()}{label[1:]} received "
        f"{table_date(motion.filed_on)}",
    )


def age_in_days(motion: Motion, today: date) -> int:
    """Days since the court received the motion (0 on the day), on the court's ``today``."""
    return max(0, (today - motion.filed_on).days)


# --- time and number limits ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MotionLimit:
    """The limits on a motion to reopen or reconsider, as the ruling dialog shows them."""

    motion_type: MotionType
    deadline: Deadline | None  # None: no final order is known, or no time limit applies
    timely: bool
    earlier: int  # earlier motions of the same type after the same final order
    exceptions: tuple[Cited, ...]  # those the judge may apply to this motion
    lines: tuple[str, ...]  # what the dialog says, with the rule's citation

    @property
    def barred(self) -> bool:
        """Past the time limit or beyond the one motion allowed."""
        return not self.timely or self.earlier > 0


def motion_limits(
    motion: Motion,
    decision: Decision | None,
    others: Iterable[Motion] = (),
    *,
    calendar: CourtCalendar | None = None,
) -> MotionLimit | None:
    """The time and number limits of ``motion`` (None for motions without them), counted
    from the final order of ``decision`` (8 CFR 1003.23(b)(1), (b)(4)(ii)); ``others`` are
    the case's other motions (withdrawn ones do not count against the one allowed). Before
    the Board, ``decision`` is the Board's (:func:`board_decision_of`) and the limits are
    the Board's (8 CFR 1003.2(b)(2), (c)(2)); motions before the other forum do not count."""
    if motion.motion_type not in LIMITED:
        return None
    cat = catalogue()
    board = motion.before_board
    cite = _BOARD_LIMITS if board else _COURT_LIMITS
    in_absentia = bool(decision and decision.in_absentia) and not board
    offered = tuple(
        e
        for e in cat.exceptions.values()
        if motion.motion_type.value in e.extra.get("applies_to", ())
        and (in_absentia or not e.extra.get("in_absentia_only"))
    )
    label = cat.type_label(motion.motion_type.value)
    if decision is None:
        return MotionLimit(
            motion.motion_type,
            None,
            True,
            0,
            offered,
            (
                f"{label}: no final order of this case is recorded, so the limits of "
                f"{cite} do not run yet.",
            ),
        )
    extra = cat.types[motion.motion_type.value].extra
    rule_id = str(extra["board_limit_rule" if board else "limit_rule"])
    if in_absentia and motion.motion_type is MotionType.REOPEN:
        rule_id = str(extra["in_absentia_rule"])
    rules = default_rules()
    rule = rules.rule(rule_id)
    deadline = compute_deadline(rule_id, decision.decided_on, rules=rules, calendar=calendar)
    timely = motion.filed_on <= deadline.due
    earlier = sum(
        1
        for o in others
        if o.id != motion.id
        and o.motion_type is motion.motion_type
        and o.status is not MotionStatus.WITHDRAWN
        and o.before_board is board
        and o.filed_on >= decision.decided_on
        and (o.filed_on, o.id) < (motion.filed_on, motion.id)
    )
    lines = [
        f"{rule.title}: due {table_date(deadline.due)}, {rule.days} days from the order of "
        f"{table_date(decision.decided_on)} ({deadline.citation}).",
        f"Received {table_date(motion.filed_on)}: "
        + ("within the time limit." if timely else "PAST the time limit."),
        f"One such motion is allowed ({cite}): "
        + ("this is the first." if not earlier else f"{earlier} was filed before this one."),
    ]
    if in_absentia and motion.motion_type is MotionType.REOPEN:
        lines.append(
            "Entered in absentia: 180 days for exceptional circumstances; at any time for "
            "lack of notice or custody (8 CFR 1003.23(b)(4)(ii))."
        )
    if offered:
        who = "the Board" if board else "the judge"
        lines.append(f"Exceptions {who} may apply: " + "; ".join(e.label for e in offered) + ".")
    return MotionLimit(motion.motion_type, deadline, timely, earlier, offered, tuple(lines))


# --- the checks on a motion record -----------------------------------------------------------

_FIXED = (
    "case_id",
    "motion_type",
    "movant",
    "filed_on",
    "filer_id",
    "filing_id",
    "before_board",
    "emergency",
)
_RULING_FIELDS = ("ruling", "ruling_reason", "ruled_on", "ruled_by", "order_id", "limit_exception")


def ruling_refusal(motion: Motion) -> str | None:
    """Why ``motion`` can't be ruled on now (None: it can)."""
    if motion.status is MotionStatus.WITHDRAWN:
        return "the motion was withdrawn by the movant, so there is nothing to rule on"
    if motion.status is not MotionStatus.PENDING:
        return f"the motion was already ruled on ({motion.status.value}); a new order changes it"
    return None


def check_motion(
    old: Motion | None, new: Motion, *, limits: MotionLimit | None = None
) -> str | None:
    """Why ``new`` is not a valid next state of ``old`` (None: a new motion), or None.

    Who may make the change is the access policy's question; this is whether it makes
    sense: a new motion is pending and unruled; the motion's facts never change; only a
    pending motion is withdrawn or ruled on; a ruling sets the status its stamp gives, its
    date, judge and order; "granted as unopposed" only on the respondent's motion that DHS
    has not opposed; a grant past a limit of 8 CFR 1003.23(b) names the exception applied.
    """
    if new.motion_type is MotionType.OTHER and not (new.description or "").strip():
        return "say what the motion asks"
    forums = catalogue().forums(new.motion_type.value)
    if (BOARD if new.before_board else COURT) not in forums:
        label = catalogue().type_label(new.motion_type.value)
        where = "the immigration court" if new.before_board else "the Board"
        return f"a {label[:1].lower()}{label[1:]} is filed before {where}"
    if new.emergency and new.motion_type is not MotionType.STAY_OF_REMOVAL:
        return "only a motion for a stay of removal is an emergency request"
    if old is None:
        # Withdrawn already: the clerk entered a paper motion and its withdrawal before
        # this computer synced (the outbox sends one new record holding both).
        if new.status not in (MotionStatus.PENDING, MotionStatus.WITHDRAWN):
            return "a new motion is pending until the judge rules"
        if any(getattr(new, f) is not None for f in _RULING_FIELDS):
            return "a new motion carries no ruling"
        return None
    for name in _FIXED:
        if getattr(old, name) != getattr(new, name):
            return f"a motion's {name.replace('_', ' ')} can't be changed; file a new motion"
    if old.status is not MotionStatus.PENDING:
        if old.model_dump(exclude={"version"}) == new.model_dump(exclude={"version"}):
            return None
        return ruling_refusal(old)
    if new.status is MotionStatus.PENDING:
        if any(getattr(new, f) is not None for f in _RULING_FIELDS):
            return "a ruling sets the motion's status"
        return None
    if new.status is MotionStatus.WITHDRAWN:
        if any(getattr(new, f) is not None for f in _RULING_FIELDS):
            return "a withdrawn motion carries no ruling"
        return None
    return _ruling_problem(new, limits)


def _ruling_problem(new: Motion, limits: MotionLimit | None) -> str | None:
    if new.ruling is None:
        return "a ruling names its stamp (granted, denied, untimely, moot)"
    expected = catalogue().ruling_status(new.ruling)
    if new.status is not expected:
        return f"a motion stamped {new.ruling.value} is {expected.value}, not {new.status.value}"
    if new.ruled_on is None or new.ruled_by is None or new.order_id is None:
        who = "its Board member" if new.before_board else "its judge"
        return f"a ruling needs its date, {who} and the signed order that issues it"
    if new.ruled_on < new.filed_on:
        return "a motion can't be ruled on before the court received it"
    if new.ruling is MotionRuling.GRANTED_UNOPPOSED:
        if new.movant is not Movant.RESPONDENT:
            return "only the respondent's motion is granted as unopposed by DHS"
        if new.other_party_position is OtherPartyPosition.OPPOSES:
            return "DHS opposes this motion: it can't be granted as unopposed"
    exception = new.limit_exception
    if exception is not None:
        if new.motion_type not in LIMITED:
            return "only a motion to reopen or reconsider takes an exception to the limits"
        entry = catalogue().exceptions.get(exception)
        if entry is None or new.motion_type.value not in entry.extra.get("applies_to", ()):
            return f"{exception!r} is not an exception to the limits of this motion"
        if limits is not None and entry not in limits.exceptions:
            return f"{entry.label!r} applies only to an order entered in absentia"
    granted = new.status is MotionStatus.GRANTED
    if granted and limits is not None and limits.barred and exception is None:
        why = "past its time limit" if not limits.timely else "beyond the one motion allowed"
        cite = _BOARD_LIMITS if new.before_board else _COURT_LIMITS
        return f"the motion is {why} ({cite}): name the exception that applies, or deny it"
    return None


def order_fields(
    motion: Motion,
    ruling: MotionRuling,
    reason: str = "",
    *,
    limit_exception: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The motion order's fields for stamping ``ruling`` on ``motion`` (``extra``: the
    adjournment code and next hearing of a granted continuance, a new court)."""
    fields: dict[str, Any] = {
        "motion": motion.motion_type.value,
        "movant": motion.movant.value,
        "ruling": ruling.value,
    }
    if motion.motion_type is MotionType.OTHER:
        fields["other_motion"] = (motion.description or "").strip()
    if reason.strip():
        fields["reason"] = reason.strip()
    if limit_exception:
        fields["limit_exception"] = limit_exception
    for key, value in (extra or {}).items():
        if value not in (None, ""):
            fields[key] = value
    return fields


def motions_of(records: Iterable[Mapping[str, Any]], case_id: str) -> list[Motion]:
    """The case's motions from wire dicts (deleted ones aside)."""
    return [
        Motion.model_validate(r)
        for r in records
        if r.get("case_id") == case_id and not r.get("deleted")
    ]


# --- before the Board -------------------------------------------------------------------------


def order_template_for(motion: Motion) -> str:
    """The template of the order that rules on ``motion``: the Board's or the court's."""
    return BOARD_MOTION_ORDER if motion.before_board else MOTION_ORDER


def _issued(decisions: Iterable[BoardDecision]) -> list[BoardDecision]:
    return sorted(
        (
            d
            for d in decisions
            if d.status is BoardDecisionStatus.ISSUED and d.issued_on is not None
        ),
        key=lambda d: (d.issued_on or date.min, d.id),
    )


def before_board(appeals: Iterable[Appeal], board_decisions: Iterable[BoardDecision] = ()) -> bool:
    """Whether a motion filed now in the case is before the Board: an appeal is docketed
    and not yet decided, or the Board decided the case last and did not remand it (a
    remand returns the case, and its motions, to the immigration judge)."""
    # An appeal the Board decided stays docketed for this question (AppealStatus.DECIDED).
    docketed = [a for a in appeals if a.status in (AppealStatus.DOCKETED, AppealStatus.DECIDED)]
    if not docketed:
        return False
    issued = _issued(board_decisions)
    if not issued:
        return True
    latest = issued[-1]
    remanded_on = latest.issued_on
    if latest.outcome is BoardOutcome.REMANDED and remanded_on is not None:
        # A new appeal docketed after the remand puts the case before the Board again.
        return any(a.docketed_on is not None and a.docketed_on > remanded_on for a in docketed)
    return True


def board_decision_of(board_decisions: Iterable[BoardDecision]) -> Decision | None:
    """The Board's latest issued decision as the anchor of the limits on motions to reopen
    and reconsider before it (8 CFR 1003.2(b)(2), (c)(2)); None while it has decided none."""
    issued = _issued(board_decisions)
    if not issued or issued[-1].issued_on is None:
        return None
    return Decision(decided_on=issued[-1].issued_on)


def board_member_refusal(
    motion: Motion, member_id: str, board_decisions: Iterable[BoardDecision]
) -> str | None:
    """Why ``member_id`` may not rule on ``motion`` before the Board (None: they may):
    while the appeal is assigned and undecided (a ``board_decision`` not yet issued), the
    assigned member or panel rules on its motions; otherwise any Board member does
    (assumption: the Practice Manual's assignment of motions was not read)."""
    open_assignments = [d for d in board_decisions if d.status is not BoardDecisionStatus.ISSUED]
    if not open_assignments:
        return None
    if any(member_id in d.member_ids for d in open_assignments):
        return None
    return "only the Board member or panel assigned to the appeal rules on its motions"
