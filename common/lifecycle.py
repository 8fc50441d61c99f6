"""The life of a case, as a state machine over :class:`~common.enums.CaseStatus`.

Every change of status is a named event; :data:`TRANSITIONS` is the one table saying which
statuses an event may start from and where it leads. The server checks a pushed case
record with :func:`check_status_change`; clients offer only :func:`allowed_events`.

Choices worth knowing:

* ``change_venue`` leads to ``pending``: the case keeps living at the new court, so the
  case record gets the new ``court_id`` and stays (or becomes) pending; the venue change is
  recorded as the event. ``venue_changed`` is kept only for records that carry it as a
  status (e.g. imported ones); ``calendar`` takes such a case back to pending.
* A motion to *recalendar* (not reopen) brings back an administratively closed case, and
  while an appeal is pending the Board *remands* rather than reopens; the error message
  for a wrong choice names the right event.
* ``appeal_decided`` leads to ``decided`` (the Board's decision is the decision on
  record; ``close`` follows once it is final) or, when the Board's decision ends the case,
  to ``closed``. Pass ``outcome`` to choose; ``decided`` is the default.
* A decision entered in absentia is not appealed: the Board has no jurisdiction over a
  direct appeal of an in-absentia order, which is rescinded only on a motion to reopen
  before the immigration judge (INA 240(b)(5)(C); 8 CFR 1003.23(b)(4)(ii); Matter of
  Guzman-Arguera, 22 I&N Dec. 722 (BIA 1999); ICPM 5.9(d)). Pass ``in_absentia=True`` and
  ``appeal`` is refused, saying so; ``reopen`` stays.
* ``change_venue`` rests on an order granting a party's motion: "the Immigration Judge, for
  good cause, may change venue only upon motion by one of the parties" (8 CFR 1003.20(b)).
  :func:`grants_change_of_venue` says whether a signed order's fields do that for a court;
  the server refuses a case's change of court without one (``change_rules``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from common.enums import CaseStatus, CompletionType

_S = CaseStatus


class CaseEvent(StrEnum):
    OPEN = "open"  # a notice to appear is filed with the court
    CALENDAR = "calendar"
    DECIDE = "decide"
    APPEAL = "appeal"
    APPEAL_DECIDED = "appeal_decided"
    REMAND = "remand"  # the Board sends the case back to the immigration judge
    REOPEN = "reopen"
    ADMINISTRATIVELY_CLOSE = "administratively_close"
    RECALENDAR = "recalendar"
    CHANGE_VENUE = "change_venue"
    CLOSE = "close"


class TransitionError(ValueError):
    """The event or status change is not allowed; ``str(error)`` says why and what is."""


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[CaseStatus]
    targets: tuple[CaseStatus, ...]  # the first is the default outcome
    refusal: str  # completes "a case that is <status> cannot ..."


INITIAL_STATUS = CaseStatus.OPENED

TRANSITIONS: dict[CaseEvent, Transition] = {
    # A case is opened once, when it is created; no existing status leads to "opened".
    CaseEvent.OPEN: Transition(frozenset(), (_S.OPENED,), "be opened again"),
    CaseEvent.CALENDAR: Transition(
        frozenset({_S.OPENED, _S.REOPENED, _S.VENUE_CHANGED}), (_S.PENDING,), "be calendared"
    ),
    CaseEvent.DECIDE: Transition(frozenset({_S.PENDING, _S.REOPENED}), (_S.DECIDED,), "be decided"),
    CaseEvent.APPEAL: Transition(frozenset({_S.DECIDED}), (_S.APPEALED,), "be appealed"),
    CaseEvent.APPEAL_DECIDED: Transition(
        frozenset({_S.APPEALED}), (_S.DECIDED, _S.CLOSED), "receive an appeal decision"
    ),
    CaseEvent.REMAND: Transition(frozenset({_S.APPEALED}), (_S.PENDING,), "be remanded"),
    CaseEvent.REOPEN: Transition(frozenset({_S.DECIDED, _S.CLOSED}), (_S.REOPENED,), "be reopened"),
    CaseEvent.ADMINISTRATIVELY_CLOSE: Transition(
        frozenset({_S.PENDING, _S.REOPENED}), (_S.ADMIN_CLOSED,), "be administratively closed"
    ),
    CaseEvent.RECALENDAR: Transition(
        frozenset({_S.ADMIN_CLOSED}), (_S.PENDING,), "be recalendared"
    ),
    CaseEvent.CHANGE_VENUE: Transition(
        frozenset({_S.OPENED, _S.PENDING, _S.REOPENED}), (_S.PENDING,), "change venue"
    ),
    CaseEvent.CLOSE: Transition(frozenset({_S.DECIDED, _S.APPEALED}), (_S.CLOSED,), "be closed"),
}


def _spoken(status: CaseStatus) -> str:
    return status.value.replace("_", " ")


NO_APPEAL_IN_ABSENTIA = (
    "no appeal lies from a decision entered in absentia (INA 240(b)(5)(C); Matter of "
    "Guzman-Arguera, 22 I&N Dec. 722 (BIA 1999)): the respondent may file a motion to reopen "
    "with the immigration judge (8 CFR 1003.23(b)(4)(ii))"
)


def allowed_events(status: CaseStatus, *, in_absentia: bool = False) -> tuple[CaseEvent, ...]:
    """Return the events a case in ``status`` may take, in the table's order; a case
    decided ``in_absentia`` may not be appealed."""
    return tuple(
        event
        for event, rule in TRANSITIONS.items()
        if status in rule.sources and not (in_absentia and event is CaseEvent.APPEAL)
    )


def _allowed_text(status: CaseStatus, *, in_absentia: bool = False) -> str:
    events = allowed_events(status, in_absentia=in_absentia)
    return ", ".join(events) if events else "none"


def apply_event(
    status: CaseStatus,
    event: CaseEvent,
    *,
    outcome: CaseStatus | None = None,
    in_absentia: bool = False,
) -> CaseStatus:
    """Return the status a case in ``status`` has after ``event``.

    ``outcome`` picks the result of an event with more than one (``appeal_decided``); for
    the others it may be omitted or must equal the only result. ``in_absentia``: the case's
    decision was entered in absentia, so it is not appealed. Raises
    :class:`TransitionError` naming the events that are allowed instead.
    """
    if in_absentia and event is CaseEvent.APPEAL and status in TRANSITIONS[event].sources:
        raise TransitionError(
            f"{NO_APPEAL_IN_ABSENTIA}; allowed events: {_allowed_text(status, in_absentia=True)}"
        )
    rule = TRANSITIONS[event]
    if status not in rule.sources:
        raise TransitionError(
            f"a case that is {_spoken(status)} cannot {rule.refusal}; "
            f"allowed events: {_allowed_text(status)}"
        )
    if outcome is None:
        return rule.targets[0]
    if outcome not in rule.targets:
        choices = " or ".join(target.value for target in rule.targets)
        raise TransitionError(f"the event {event.value} leads to {choices}, not {outcome.value}")
    return outcome


def events_between(old: CaseStatus, new: CaseStatus) -> tuple[CaseEvent, ...]:
    """Return the events that take a case from ``old`` to ``new`` in one step."""
    return tuple(
        event for event, rule in TRANSITIONS.items() if old in rule.sources and new in rule.targets
    )


def check_status_change(
    old: CaseStatus | None, new: CaseStatus, *, in_absentia: bool = False
) -> None:
    """Raise :class:`TransitionError` unless one event leads from ``old`` to ``new``.

    ``old == new`` is always fine (the record changed in other ways). ``old is None``
    means a new case record, which must start as ``opened``. ``in_absentia``: the case's
    decision was entered in absentia, and no appeal lies from it.
    """
    if old is None:
        if new is not INITIAL_STATUS:
            raise TransitionError(
                f"a new case starts as {INITIAL_STATUS.value} (by a notice to appear), "
                f"not {new.value}"
            )
        return
    if old is new:
        return
    events = events_between(old, new)
    if in_absentia and events == (CaseEvent.APPEAL,):
        apply_event(old, CaseEvent.APPEAL, in_absentia=True)  # raises, saying why
    if events:
        return
    raise TransitionError(
        f"a case cannot go from {_spoken(old)} to {_spoken(new)} in one step; "
        f"allowed events: {_allowed_text(old, in_absentia=in_absentia)}"
    )


# The event each completion of a decision record (common.wire.DecisionRecord) is: most
# decide the case; an administrative closure takes it off the calendar (8 CFR 1003.18(c));
# a change of venue keeps it pending at the new court (8 CFR 1003.20(b)).
DECISION_EVENTS: dict[CompletionType, CaseEvent] = {
    **{completion: CaseEvent.DECIDE for completion in CompletionType},
    CompletionType.ADMINISTRATIVELY_CLOSED: CaseEvent.ADMINISTRATIVELY_CLOSE,
    CompletionType.CHANGE_OF_VENUE: CaseEvent.CHANGE_VENUE,
}

SECOND_DECISION = (
    "the case is already {status}: a new decision needs the case reopened (8 CFR 1003.23) "
    "or remanded by the Board first"
)


def status_after_decision(status: CaseStatus, completion: CompletionType) -> CaseStatus:
    """The status a case in ``status`` has once a decision of ``completion`` is recorded.

    Raises :class:`TransitionError` when the case can't take that decision now: a decided,
    appealed or closed case is decided again only once reopened or remanded."""
    event = DECISION_EVENTS[completion]
    if status not in TRANSITIONS[event].sources and status in (
        _S.DECIDED,
        _S.APPEALED,
        _S.CLOSED,
    ):
        raise TransitionError(SECOND_DECISION.format(status=_spoken(status)))
    return apply_event(status, event)


# The fields of an order on a motion (resources/order_templates/motion_order.json) that
# grant a change of venue, and the parties who may move for one (8 CFR 1003.20(b)).
VENUE_MOTION = "change_of_venue"
PARTIES = frozenset({"respondent", "dhs", "joint"})
GRANTED = frozenset({"granted", "granted_unopposed"})


def grants_change_of_venue(
    fields: Mapping[str, object], *, court_code: str, court_name: str
) -> bool:
    """Whether an order on a motion with ``fields`` grants a party's motion to change venue
    to the court ``court_code`` / ``court_name``: the motion is one to change venue, the
    movant a party (not the court on its own motion), the ruling "granted", and the new
    court it names is this one (by its code or its name)."""
    named = _words(str(fields.get("new_court") or ""))
    return (
        fields.get("motion") == VENUE_MOTION
        and fields.get("movant") in PARTIES
        and fields.get("ruling") in GRANTED
        and bool(named)
        and (court_code.upper() in named or _phrase(court_name) in _phrase(" ".join(named)))
    )


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Z0-9]+", text.upper())


def _phrase(text: str) -> str:
    # "New York - Broadway Immigration Court" and "New York Broadway immigration court"
    # name the same court.
    return " ".join(_words(text))
