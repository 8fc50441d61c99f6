"""The judge's pending motions and the stamp that rules on one, from the local copy (no
Qt), so the queue reads and the ruling saves offline; the server issues and serves the
order once when the push reaches it.

A ruling is the motion order (``resources/order_templates/motion_order.json``) signed by
the judge of the case and the motion stamped with it, saved together through the outbox
(one push group: the order is issued with the stamp or not at all), as the bench
continuance is (:mod:`desktop.orders`). What the server refuses, the desktop refuses
first, in the same words: ``common.motions.check_motion``.

A motion before the Board (``Motion.before_board``) is ruled on the same way by a Board
member: the Board's order on a motion (``board_motion_order``) drafted and signed in the
member's own name, dated on the Board's today, its limits counted from the Board's
decision (``common.motions.board_decision_of``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from common.adjournment import lookup_code
from common.anumber import format_a_number, parse_a_number
from common.appeals import BOARD_TIMEZONE
from common.counsel import check_representation_change, withdrawing_counsel
from common.counsel import withdraw as end_appearance
from common.court_closures import board_calendar, court_calendar
from common.court_time import court_today, local_date, utc_now
from common.deadlines import case_decision
from common.enums import (
    Custody,
    DocumentStatus,
    HearingStatus,
    MotionRuling,
    MotionStatus,
    MotionType,
    Movant,
    OrderStatus,
    OtherPartyPosition,
)
from common.motions import (
    MotionLimit,
    board_decision_of,
    board_member_refusal,
    catalogue,
    check_motion,
    motion_limits,
    order_fields,
    order_template_for,
    response_due,
    ruling_refusal,
)
from common.orders import Problem, SigningRefused, check_record
from common.wire import BoardDecision, Hearing, Motion, Order, Representation, WireRecord
from desktop.local_store import LocalStore
from desktop.orders import case_zone, sign_order, start_draft

MOVANTS = {"respondent": "Respondent", "dhs": "DHS", "joint": "Joint"}
POSITIONS = {
    OtherPartyPosition.OPPOSES.value: "Opposes",
    OtherPartyPosition.DOES_NOT_OPPOSE.value: "Does not oppose",
    OtherPartyPosition.UNKNOWN.value: "Unknown",
}


def _record(model: type[WireRecord], data: dict[str, Any]) -> Any:
    return model.model_validate({k: v for k, v in data.items() if k in model.model_fields})


def load_motion(store: LocalStore, motion_id: str) -> Motion:
    data = store.get("motion", motion_id)
    if data is None:
        raise LookupError("The motion is no longer on this computer.")
    motion: Motion = _record(Motion, data)
    return motion


@dataclass(frozen=True)
class QueueRow:
    """One pending motion as the queue shows it."""

    motion_id: str
    case_id: str
    respondent: str  # "DIAZ, Ana"
    a_number: str  # "A123-456-789"
    motion: str  # "Motion to continue"
    movant: str
    filed_on: date
    response_due: date
    position: str
    age_days: int
    document_id: str | None
    limited: bool  # a motion to reopen or reconsider: the ruling shows its limits


def _docketed(store: LocalStore, motion: Motion) -> bool:
    """Before the judge: entered by the clerk, or its filing accepted by the clerk."""
    if motion.document_id is None:
        return motion.filing_id is None
    document = store.get("document", motion.document_id)
    return document is not None and document.get("status") == DocumentStatus.ACCEPTED.value


def pending_motions(
    store: LocalStore, user_id: str, role: str, now: datetime | None = None
) -> list[QueueRow]:
    """The pending motions before the signed-in user, oldest first: a judge's own cases'
    (a clerk sees the court's). Each with its response due (counted on the court's
    calendar), the other party's position and its age in days on the court's today."""
    now = now or utc_now()
    cat = catalogue()
    rows = []
    for data in store.all("motion"):
        if data.get("deleted") or data.get("status") != MotionStatus.PENDING.value:
            continue
        motion: Motion = _record(Motion, data)
        if motion.before_board:
            continue  # the Board's (desktop.board_motions), never the court's queue
        case = store.get("case", motion.case_id)
        if case is None or (role == "judge" and case.get("judge_id") != user_id):
            continue
        if not _docketed(store, motion):
            continue
        court = store.get("court", str(case["court_id"])) or {}
        detained = case.get("custody") == Custody.DETAINED.value
        due = response_due(
            motion,
            calendar=court_calendar(court.get("code"), detained=detained),
            detained=detained,
        )
        label = cat.type_label(motion.motion_type.value)
        if motion.description:
            label = f"{label}: {motion.description}"
        rows.append(
            QueueRow(
                motion_id=motion.id,
                case_id=motion.case_id,
                respondent=f"{str(case['respondent_last_name']).upper()}, "
                f"{case['respondent_first_name']}",
                a_number=format_a_number(str(case["a_number"])),
                motion=label,
                movant=MOVANTS[motion.movant.value],
                filed_on=motion.filed_on,
                response_due=due.due,
                position=POSITIONS[motion.other_party_position.value],
                age_days=max(0, (court_today(court.get("timezone"), now) - motion.filed_on).days),
                document_id=motion.document_id,
                limited=motion.motion_type.value in ("reopen", "reconsider"),
            )
        )
    return sorted(rows, key=lambda r: (r.filed_on, r.motion_id))


def limits_of(store: LocalStore, motion: Motion) -> MotionLimit | None:
    """The time and number limits of a motion to reopen or reconsider, counted from the
    case's final order as this computer holds it (None for other motions)."""
    case = store.get("case", motion.case_id) or {}
    orders = [o for o in store.all("order") if o.get("case_id") == motion.case_id]
    others = [
        _record(Motion, m)
        for m in store.all("motion")
        if m.get("case_id") == motion.case_id and not m.get("deleted")
    ]
    if motion.before_board:
        decisions = _board_decisions(store, motion.case_id)
        return motion_limits(
            motion, board_decision_of(decisions), others, calendar=board_calendar()
        )
    court = store.get("court", str(case.get("court_id"))) or {}
    decision = case_decision(case, orders) if case else None
    return motion_limits(motion, decision, others, calendar=court_calendar(court.get("code")))


def _board_decisions(store: LocalStore, case_id: str) -> list[BoardDecision]:
    return [
        _record(BoardDecision, d)
        for d in store.all("board_decision")
        if d.get("case_id") == case_id and not d.get("deleted")
    ]


@dataclass(frozen=True)
class Stamp:
    """What the judge chose in the ruling dialog."""

    ruling: MotionRuling
    reason: str = ""
    limit_exception: str | None = None
    extra: dict[str, Any] | None = None  # a granted continuance's code and date, a new court


@dataclass(frozen=True)
class MotionRulingResult:
    order: Order
    motion: Motion
    # A granted motion to withdraw as counsel: the movant counsel's appearance, ended.
    ended: Representation | None = None
    # A granted continuance: the hearing it continues, adjourned with the order's code.
    adjourned: Hearing | None = None


def adjourned_hearing(store: LocalStore, stamped: Motion, code: str | None) -> Hearing | None:
    """What granting a motion to continue does to the docket: the case's next scheduled
    hearing (on or after the day of the grant, at the court's date) adjourned with the
    order's adjournment code, when the judge who grants presides over it. The motion
    record names no hearing, so "the hearing it names" is taken to be that next hearing
    (assumption); the next hearing itself is the clerk's to calendar, as after a bench
    continuance. None: not a granted continuance, no code given, or no such hearing."""
    if (
        stamped.motion_type is not MotionType.CONTINUANCE
        or stamped.status is not MotionStatus.GRANTED
        or not code
        or stamped.ruled_on is None
    ):
        return None
    entry = lookup_code(code)  # an unknown code raises KeyError naming it
    case = store.get("case", stamped.case_id) or {}
    zone = case_zone(store, stamped.case_id)
    upcoming = sorted(
        (
            h
            for h in (
                _record(Hearing, data)
                for data in store.all("hearing")
                if data.get("case_id") == stamped.case_id and not data.get("deleted")
            )
            if h.status is HearingStatus.SCHEDULED
            and local_date(h.starts_at, zone) >= stamped.ruled_on
        ),
        key=lambda h: (h.starts_at, h.id),
    )
    if not upcoming:
        return None
    hearing: Hearing = upcoming[0]
    if (hearing.judge_id or case.get("judge_id")) != stamped.ruled_by:
        return None  # another judge's hearing: the clerk adjourns it with the order's code
    adjourned: Hearing = hearing.model_copy(
        update={"status": HearingStatus.ADJOURNED, "adjournment_code": entry.code}
    )
    return adjourned


def ended_appearance(store: LocalStore, stamped: Motion) -> Representation | None:
    """What granting ``stamped`` does to counsel of record: a granted motion to withdraw
    as counsel ends the movant counsel's appearance as withdrawn, on the grant's day, with
    the judge's leave and the motion named (8 CFR 1003.17(b)); None for any other ruling.
    Raises ``ValueError`` when the appearance to end can't be named or may not end."""
    if (
        stamped.motion_type is not MotionType.WITHDRAW_AS_COUNSEL
        or stamped.status is not MotionStatus.GRANTED
    ):
        return None
    assert stamped.ruled_by is not None and stamped.ruled_on is not None
    appearances = [
        _record(Representation, r)
        for r in store.all("representation")
        if r.get("case_id") == stamped.case_id and not r.get("deleted")
    ]
    current = withdrawing_counsel(stamped, appearances)
    if current is None:
        raise ValueError(
            "No appearance of the movant counsel is on record in this case to end; "
            "deny the motion or rule it moot."
        )
    ended = end_appearance(
        current, judge_id=stamped.ruled_by, on=stamped.ruled_on, motion_id=stamped.id
    )
    reason = check_representation_change(current, ended, motion=stamped)
    if reason:
        raise ValueError(reason[:1].upper() + reason[1:] + ".")
    return ended


def ruling_draft(
    store: LocalStore, motion_id: str, user_id: str, stamp: Stamp, now: datetime | None = None
) -> tuple[Order, Motion]:
    """The unsigned motion order and the motion stamped with it, on the court's date at
    ``now``. Raises ``ValueError`` with the reason when the motion can't be ruled on
    (withdrawn, already ruled, a stamp that does not fit, a limit without its exception)."""
    now = now or utc_now()
    motion = load_motion(store, motion_id)
    refused = ruling_refusal(motion)
    if refused:
        raise ValueError(refused[:1].upper() + refused[1:] + ".")
    zone = BOARD_TIMEZONE if motion.before_board else case_zone(store, motion.case_id)
    today = court_today(zone, now)
    draft = start_draft(store, motion.case_id, order_template_for(motion), user_id, today)
    if motion.before_board:  # the Board member drafts in their own name
        draft = draft.model_copy(update={"judge_id": user_id})
        assigned = board_member_refusal(motion, user_id, _board_decisions(store, motion.case_id))
        if assigned:
            raise ValueError(assigned[:1].upper() + assigned[1:] + ".")
    fields = order_fields(
        motion,
        stamp.ruling,
        stamp.reason,
        limit_exception=stamp.limit_exception,
        extra=stamp.extra,
    )
    draft = draft.model_copy(update={"fields": {**draft.fields, **fields}})
    stamped = motion.model_copy(
        update={
            "status": catalogue().ruling_status(stamp.ruling),
            "ruling": stamp.ruling,
            "ruling_reason": stamp.reason.strip()[:200] or None,
            "limit_exception": stamp.limit_exception,
            "ruled_on": today,
            "ruled_by": user_id,
            "order_id": draft.id,
        }
    )
    reason = check_motion(motion, stamped, limits=limits_of(store, motion))
    if reason:
        raise ValueError(reason[:1].upper() + reason[1:] + ".")
    ended_appearance(store, stamped)  # refuses here, before the summary, what can't end
    return draft, stamped


def rule_on_motion(
    store: LocalStore,
    motion_id: str,
    user_id: str,
    role: str,
    stamp: Stamp,
    now: datetime | None = None,
) -> MotionRulingResult:
    """:func:`ruling_draft` signed by the judge at ``now``: raises ``SigningRefused`` or
    ``ValueError`` with what to fix. Nothing is saved here; the caller saves both records
    together (``LocalStore.save_together``)."""
    now = now or utc_now()
    draft, stamped = ruling_draft(store, motion_id, user_id, stamp, now)
    if stamped.before_board:
        signed = _board_signed(draft, user_id, role, now)
    else:
        signed = sign_order(store, draft, user_id, role, now)
    code = (stamp.extra or {}).get("adjournment_code")
    return MotionRulingResult(
        signed,
        stamped,
        ended_appearance(store, stamped),
        adjourned_hearing(store, stamped, str(code) if code else None),
    )


def _board_signed(draft: Order, user_id: str, role: str, now: datetime) -> Order:
    """The Board's order on a motion signed by the Board member who drafted it (the
    server checks again that the member may rule: ``policy._board_motion_order``)."""
    if role != "board_member" or draft.judge_id != user_id:
        raise SigningRefused(
            [Problem("", "only a Board member signs the Board's order on a motion")]
        )
    problems = check_record(draft)
    if problems:
        raise SigningRefused(problems)
    signed: Order = draft.model_copy(
        update={"status": OrderStatus.SIGNED, "signed_at": now, "signed_by": user_id}
    )
    return signed


def save_ruling(store: LocalStore, result: MotionRulingResult) -> None:
    """The signed order, the stamp and what the grant ends (an appearance, a hearing
    adjourned), in one outbox group: the server applies all of them or none."""
    also = [r for r in (result.ended, result.adjourned) if r is not None]
    store.save_together([result.order, result.motion, *also])


def withdraw(store: LocalStore, motion_id: str) -> Motion:
    """The motion as withdrawn by its movant (the clerk records it); ``ValueError`` when it
    is no longer pending."""
    motion = load_motion(store, motion_id)
    refused = ruling_refusal(motion)
    if refused:
        raise ValueError(refused[:1].upper() + refused[1:] + ".")
    return _checked(motion, motion.model_copy(update={"status": MotionStatus.WITHDRAWN}))


def _checked(old: Motion | None, new: Motion) -> Motion:
    reason = check_motion(old, new)
    if reason:
        raise ValueError(reason[:1].upper() + reason[1:] + ".")
    return new


def case_by_a_number(store: LocalStore, text: str) -> str:
    """The id of the case on this computer with the A-number ``text`` (any usual way of
    writing it); ``ValueError`` naming what is wrong."""
    digits = parse_a_number(text)  # raises ValueError on a malformed A-number
    found = [
        c
        for c in store.all("case")
        if not c.get("deleted")
        and str(c.get("a_number")) == digits
        and c.get("case_type") != "bond"
    ]
    if not found:
        raise ValueError(f"No case with A-number {format_a_number(digits)} is on this computer.")
    return str(found[0]["id"])


def paper_motion(
    store: LocalStore,
    case_id: str,
    clerk_id: str,
    motion_type: MotionType,
    movant: Movant,
    filed_on: date,
    *,
    description: str = "",
    position: OtherPartyPosition = OtherPartyPosition.UNKNOWN,
    now: datetime | None = None,
) -> Motion:
    """A motion received on paper as the clerk enters it (pending, no filing), checked as
    the server checks it; ``ValueError`` with the reason (a received day after the court's
    today, an "other" motion that does not say what it asks)."""
    if store.get("case", case_id) is None:
        raise ValueError("The case is no longer on this computer.")
    today = court_today(case_zone(store, case_id), now or utc_now())
    if filed_on > today:
        raise ValueError("The court can't have received the motion after today.")
    motion = Motion(
        id=str(uuid.uuid4()),
        case_id=case_id,
        motion_type=motion_type,
        movant=movant,
        description=description.strip() or None,
        filed_on=filed_on,
        filer_id=clerk_id,
        other_party_position=position,
    )
    return _checked(None, motion)


def record_position(store: LocalStore, motion_id: str, position: OtherPartyPosition) -> Motion:
    """The motion with the other party's position as the clerk records it; ``ValueError``
    when the motion is no longer pending."""
    motion = load_motion(store, motion_id)
    refused = ruling_refusal(motion)
    if refused:
        raise ValueError(refused[:1].upper() + refused[1:] + ".")
    return _checked(motion, motion.model_copy(update={"other_party_position": position}))
