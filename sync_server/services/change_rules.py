"""Domain checks on a pushed change, after the access policy has allowed it.

These say whether the change makes sense for the court (a legal status transition, a
document whose bytes the server holds, parents that exist, a signature or filing time
that is not in the future), not who may make it.

Times a client sends are evidence, not truth: the server keeps its own time of every
change it receives (the audit entry's ``at``, which the case history shows), and refuses
the time of a legal act (a signature, a filing) set ahead of its clock, which only a
wrong clock on the sending computer can produce.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.appeals import SIDES, check_appeal_change
from common.board_decisions import DECISION_TEMPLATE as BOARD_DECISION_TEMPLATE
from common.bonds import BOND_ORDER, bond_for_order, check_bond, order_problems
from common.counsel import check_representation_change
from common.court_closures import court_calendar
from common.court_time import utc_stamp
from common.custody import check_custody_change
from common.deadlines import is_in_absentia_order
from common.decisions import check_decision, check_pleading, check_service_recorded
from common.enums import CaseStatus, CaseType, Custody, HearingType, OrderStatus, Role
from common.family import check_family_link
from common.forms_eoir import nta_case_type_refusal
from common.lifecycle import TransitionError, check_status_change, grants_change_of_venue
from common.motions import BOARD_MOTION_ORDER
from common.orders import check_order_change, template_for
from common.wire import (
    Annotation,
    Appeal,
    BoardDecision,
    BoardVote,
    Bond,
    Case,
    CustodyChange,
    DecisionRecord,
    Document,
    Filing,
    Hearing,
    Motion,
    Order,
    Pleading,
    Representation,
    WireRecord,
)
from sync_server.models import (
    ENTITY_TABLES,
    AdjournmentCodeRow,
    Blob,
    BlobHolder,
    BondRow,
    CaseRow,
    CourtroomRow,
    CourtRow,
    CustodyChangeRow,
    DecisionRow,
    DocumentRow,
    HearingRow,
    MotionRow,
    OrderRow,
    PleadingRow,
    PortalAccount,
    RepresentationRow,
    Synced,
    UserRow,
)
from sync_server.models.types import utcnow
from sync_server.services import filing_rules
from sync_server.services.appeals import board_filing_refusal, docketing_refusal
from sync_server.services.board_decisions import (
    board_decision_refusal,
    board_order_refusal,
    board_vote_refusal,
)
from sync_server.services.motions import motion_refusal
from sync_server.services.records import row_to_record

# Reference fields of each entity and the entity they name; must exist on the server.
PARENTS: dict[str, dict[str, str]] = {
    "courtroom": {"court_id": "court"},
    "user_profile": {"court_id": "court"},
    "case": {
        "court_id": "court",
        "judge_id": "user_profile",
        "removal_case_id": "case",
        "lead_case_id": "case",
    },
    "representation": {
        "case_id": "case",
        "practitioner_id": "user_profile",
        "leave_by": "user_profile",
        "successor_id": "representation",
    },
    "hearing": {"case_id": "case", "courtroom_id": "courtroom", "judge_id": "user_profile"},
    "document": {"case_id": "case", "filer_id": "user_profile"},
    "annotation": {"document_id": "document", "author_id": "user_profile"},
    "order": {"case_id": "case", "judge_id": "user_profile", "corrects_order_id": "order"},
    "filing": {"case_id": "case", "court_id": "court", "filer_id": "user_profile"},
    "service_record": {"case_id": "case", "document_id": "document"},
    "rop_request": {"case_id": "case", "requester_id": "user_profile"},
    "address": {"case_id": "case", "source_filing_id": "filing", "source_document_id": "document"},
    "bond": {
        "case_id": "case",
        "requester_id": "user_profile",
        "prior_bond_id": "bond",
        "hearing_id": "hearing",
        "judge_id": "user_profile",
    },
    "custody_change": {"case_id": "case", "source_document_id": "document"},
    "appeal": {
        "case_id": "case",
        "filer_id": "user_profile",
        "decision_order_id": "order",
        "fee_waiver_document_id": "document",
        "eoir27_filing_id": "filing",
        "lead_document_id": "document",
        "reviewed_by": "user_profile",
        "transcript_document_id": "document",
        "appellant_brief_document_id": "document",
        "appellee_brief_document_id": "document",
    },
    "pleading": {"case_id": "case", "hearing_id": "hearing", "judge_id": "user_profile"},
    "decision": {"case_id": "case", "hearing_id": "hearing", "judge_id": "user_profile"},
    "motion": {
        "case_id": "case",
        "filer_id": "user_profile",
        "filing_id": "filing",
        "document_id": "document",
        "ruled_by": "user_profile",
        "order_id": "order",
    },
    "board_decision": {
        "appeal_id": "appeal",
        "case_id": "case",
        "author_id": "user_profile",
        "assigned_by": "user_profile",
        "order_id": "order",
    },
    "board_vote": {
        "board_decision_id": "board_decision",
        "case_id": "case",
        "member_id": "user_profile",
        "order_id": "order",
    },
}

_NEW_CASE_STATUSES = {CaseStatus.OPENED, CaseStatus.PENDING}

# Times of legal acts that a client's clock sets, by entity and field, with what a person
# calls them: refused when ahead of the server's clock by more than the tolerance.
ACT_TIMES: dict[str, dict[str, str]] = {
    "order": {"signed_at": "signature time"},
    "filing": {"submitted_at": "filing time", "reviewed_at": "review time"},
    "service_record": {"served_at": "service time"},
    "custody_change": {"recorded_at": "recording time"},
    "appeal": {"received_at": "time of receipt", "reviewed_at": "review time"},
    "pleading": {"recorded_at": "recording time"},
    "decision": {"recorded_at": "recording time"},
    "board_vote": {"signed_at": "signature time"},
}
# Dates of legal acts: refused when later than today's date anywhere in the United States.
ACT_DATES: dict[str, dict[str, str]] = {
    "document": {"filed_on": "filing date"},
    "custody_change": {"effective_on": "date of the custody change"},
    "motion": {"filed_on": "date the motion was received", "ruled_on": "date of the ruling"},
    "pleading": {"pleaded_on": "date of the pleading"},
    "decision": {"decided_on": "date of the decision", "served_on": "date of service"},
    "board_decision": {"assigned_on": "date of the assignment"},
    "appeal": {
        "docketed_on": "docketing date",
        "appellant_extension_decided_on": "date of the decision on the extension request",
        "appellee_extension_decided_on": "date of the decision on the extension request",
    },
}

# ``Session.info`` key of the allowed clock difference (``ECAS_CLOCK_TOLERANCE_MINUTES``):
# the app's session factory sets it, since push and portal hand these checks a session only.
CLOCK_TOLERANCE = "ecas.clock_tolerance"
DEFAULT_CLOCK_TOLERANCE = timedelta(minutes=5)
# The latest calendar date in any US time zone (Guam and the Northern Mariana Islands are
# UTC+10) is never more than one day after the UTC date.
_US_DATE_MARGIN = timedelta(days=1)


def missing_parents(session: Session, record: WireRecord) -> list[str]:
    """Reference fields of ``record`` that name no live record on the server."""
    missing = []
    for field, entity in PARENTS.get(record.entity, {}).items():
        value = getattr(record, field)
        if value is None:
            continue
        row = session.get(ENTITY_TABLES[entity], value)
        if row is None or row.deleted:
            missing.append(f"{field} names no {entity} on the server")
    return missing


def check_change(
    session: Session, actor_id: str, old: WireRecord | None, new: WireRecord
) -> str | None:
    """Why ``new`` is not a valid next state of ``old`` (None: a new record) when pushed by
    the user ``actor_id``, or None."""
    problems = missing_parents(session, new)
    if problems:
        return "; ".join(problems)
    reason = check_act_times(old, new, now=utcnow(), tolerance=clock_tolerance(session))
    if reason:
        return reason
    if isinstance(new, Document | Filing) or (isinstance(new, Case) and old is None):
        account = session.get(PortalAccount, actor_id)
        if account is not None and account.status == "suspended":
            return "your account is suspended, so you can't file; contact the court"
    match new:
        case Case():
            return (
                _check_case(session, actor_id, old, new)
                or _judge_at_court(session, new.judge_id, new.court_id)
                or _check_family(session, old, new)
            )
        case Representation():
            return _check_representation(session, old, new)
        case Hearing():
            return _check_hearing(session, new) or _bond_hearing_refusal(session, old, new)
        case Bond():
            return _check_bond(session, old, new)
        case Document():
            refused = filing_rules.document_refusal(session, actor_id, old, new)
            if refused:
                return refused.reason
            return _check_document_bytes(session, actor_id, old, new)
        case Filing():
            # A party's filing meets the portal's rules whichever door it came through.
            refused_filing = filing_rules.filing_refusal(session, actor_id, old, new)
            if refused_filing:
                return refused_filing.reason
            court = _case_court(session, new.case_id)
            if court is not None and court != new.court_id:
                return board_filing_refusal(session, new)
        case Order():
            court = _case_court(session, new.case_id)
            return (
                _signer_of(session, new, court)
                or check_order_change(new, _corrected(session, new.corrects_order_id))
                or _bond_order_refusal(session, old, new)
                or board_order_refusal(session, new)
            )
        case CustodyChange():
            return _check_custody_change(session, new)
        case Appeal():
            return _check_appeal(session, actor_id, old, new)
        case BoardDecision():
            return board_decision_refusal(
                session, old if isinstance(old, BoardDecision) else None, new
            )
        case BoardVote():
            return board_vote_refusal(session, new)
        case Motion():
            return motion_refusal(session, actor_id, old, new)
        case Pleading():
            return _hearing_of_case(session, new.hearing_id, new.case_id) or check_pleading(new)
        case DecisionRecord() if isinstance(old, DecisionRecord):
            return check_service_recorded(old, new)  # the one change after it is saved
        case DecisionRecord():
            return _hearing_of_case(session, new.hearing_id, new.case_id) or _check_decision(
                session, new
            )
        case Annotation():
            doc = session.get(DocumentRow, new.document_id)
            if doc is not None and doc.sha256 != new.document_sha256:
                return "the annotation was made on other bytes than the document's"
    return None


def _check_appeal(
    session: Session, actor_id: str, old: WireRecord | None, new: Appeal
) -> str | None:
    """The appeal's course (``common.appeals``), the filing rules of a new one (a party's
    filing through the one path: ``filing_rules.appeal_refusal``), a receipt time that is
    the server's (received, not mailed: 8 CFR 1003.38(c)), and docketing a case the
    lifecycle lets become appealed; a ready transcript names a transcript of the case."""
    reason = check_appeal_change(old if isinstance(old, Appeal) else None, new)
    if reason:
        return reason
    if old is None:
        if abs(new.received_at - utcnow()) > clock_tolerance(session):
            return (
                "an appeal is received when it reaches the Board: its time of receipt is the "
                "server's clock; check this computer's date and time"
            )
        refused = filing_rules.appeal_refusal(session, actor_id, old, new)
        return refused.reason if refused else None
    assert isinstance(old, Appeal)
    if new.transcript_document_id and new.transcript_document_id != old.transcript_document_id:
        doc = session.get(DocumentRow, new.transcript_document_id)
        if doc is None or doc.case_id != new.case_id or doc.doc_type != "transcript":
            return "the transcript must be a transcript document in the case's record"
    return _briefing_refusal(session, actor_id, old, new) or docketing_refusal(session, old, new)


def _briefing_refusal(session: Session, actor_id: str, old: Appeal, new: Appeal) -> str | None:
    """A party's extension request or brief is received when it reaches the Board: its
    time is the server's clock (BIA PM 3.1(a)), and a brief is the filer's own brief
    document in the case's record."""
    for side in SIDES:
        for field in (f"{side}_extension_requested_at", f"{side}_brief_received_at"):
            at = getattr(new, field)
            moved = at is not None and at != getattr(old, field)
            if moved and abs(at - utcnow()) > clock_tolerance(session):
                return (
                    "a filing in the appeal is received when it reaches the Board: its "
                    "time is the server's clock; check this computer's date and time"
                )
        doc_id = getattr(new, f"{side}_brief_document_id")
        if doc_id and doc_id != getattr(old, f"{side}_brief_document_id"):
            doc = session.get(DocumentRow, doc_id)
            if doc is None or doc.case_id != new.case_id or doc.doc_type != "brief":
                return "the brief must be a brief document in the case's record"
            if doc.filer_id != actor_id:
                return "a party files its own brief"
    return None


def clock_tolerance(session: Session) -> timedelta:
    """How far ahead of the server's clock a client's act time may be (clock drift)."""
    tolerance = session.info.get(CLOCK_TOLERANCE, DEFAULT_CLOCK_TOLERANCE)
    assert isinstance(tolerance, timedelta)
    return tolerance


def check_act_times(
    old: WireRecord | None, new: WireRecord, *, now: datetime, tolerance: timedelta
) -> str | None:
    """Why a signature or filing time ``new`` sets (or changes) can't be true, or None.

    Only values the change brings are judged: a record keeps the times it was accepted
    with whatever the clock says later."""
    for field, label in ACT_TIMES.get(new.entity, {}).items():
        value = getattr(new, field)
        if not isinstance(value, datetime) or getattr(old, field, None) == value:
            continue
        if value > now + tolerance:
            return (
                f"the {label} {_utc(value)} is ahead of the server's clock; "
                "check this computer's date and time"
            )
    for field, label in ACT_DATES.get(new.entity, {}).items():
        day = getattr(new, field)
        if not isinstance(day, date) or getattr(old, field, None) == day:
            continue
        if day > now.date() + _US_DATE_MARGIN:
            return (
                f"the {label} {day.isoformat()} is later than today's date anywhere in the "
                "United States; check this computer's date and time"
            )
    return None


def _utc(moment: datetime) -> str:
    # In UTC on purpose: the message compares two machines' clocks, not a court's day.
    return utc_stamp(moment)


def _corrected(session: Session, order_id: str | None) -> Order | None:
    row = session.get(OrderRow, order_id) if order_id else None
    record = row_to_record("order", row) if row is not None else None
    return record if isinstance(record, Order) else None


def _case_court(session: Session, case_id: str | None) -> str | None:
    row = session.get(CaseRow, case_id) if case_id else None
    return row.court_id if row is not None else None


def _judge_at_court(session: Session, judge_id: str | None, court_id: str | None) -> str | None:
    if judge_id is None:
        return None
    judge = session.get(UserRow, judge_id)
    if judge is None or judge.role != Role.JUDGE.value or judge.court_id != court_id:
        return "the judge must be an immigration judge of the case's court"
    return None


def _signer_of(session: Session, order: Order, court_id: str | None) -> str | None:
    """The order's signer: the Board's order on a motion is a Board member's
    (``common.motions.BOARD_MOTION_ORDER``); any other an immigration judge's of the court."""
    if order.template not in (BOARD_MOTION_ORDER, BOARD_DECISION_TEMPLATE):
        return _judge_at_court(session, order.judge_id, court_id)
    member = session.get(UserRow, order.judge_id)
    if member is None or member.role != Role.BOARD_MEMBER.value:
        return "the Board's order is signed by a Board member"
    return None


def _check_hearing(session: Session, new: Hearing) -> str | None:
    court = _case_court(session, new.case_id)
    reason = _judge_at_court(session, new.judge_id, court)
    if reason:
        return reason
    if new.courtroom_id is not None:
        room = session.get(CourtroomRow, new.courtroom_id)
        if room is None or room.court_id != court:
            return "the courtroom is not one of the case's court"
    if new.adjournment_code is not None:
        known = session.scalar(
            select(AdjournmentCodeRow.id).where(
                AdjournmentCodeRow.code == new.adjournment_code,
                AdjournmentCodeRow.active.is_(True),
                AdjournmentCodeRow.deleted.is_(False),
            )
        )
        if known is None:
            return f"{new.adjournment_code!r} is not a current adjournment code"
    return None


def _check_document_bytes(
    session: Session, actor_id: str, old: WireRecord | None, new: Document
) -> str | None:
    """A document may name only bytes its filer uploaded (or the bytes it already had):
    knowing a hash must not be a way to read a file."""
    if isinstance(old, Document) and old.sha256 == new.sha256:
        return None
    blob = session.get(Blob, new.sha256)
    holds = blob is not None and (
        blob.uploaded_by == actor_id or session.get(BlobHolder, (new.sha256, actor_id)) is not None
    )
    if not holds:
        return f"missing_blobs: upload the document's bytes ({new.sha256}) first"
    return None


def _check_case(session: Session, actor_id: str, old: WireRecord | None, new: Case) -> str | None:
    if old is None:
        if new.status not in _NEW_CASE_STATUSES:
            return "a new case starts as opened (by a notice to appear) or pending"
        actor = session.get(UserRow, actor_id)
        if actor is not None and actor.role == Role.DHS.value:
            # DHS opens a case only by filing a notice to appear (policy), and that opens
            # removal proceedings only, and not while the A-number's case is open.
            refused = filing_rules.dhs_case_refusal(session, actor_id, new.a_number)
            return nta_case_type_refusal(new.case_type) or (refused.reason if refused else None)
        # The clerk opens a bond case linked to its removal case (scheduling a bond hearing).
        return _removal_link_refusal(session, old, new)
    link = _removal_link_refusal(session, old, new)
    if link:
        return link
    assert isinstance(old, Case)
    if old.a_number != new.a_number:
        return "a case's A-number can't be changed"
    if old.custody != new.custody:
        return (
            "custody follows the custody history: record the detention, transfer or release "
            "as a custody change"
        )
    try:
        check_status_change(
            old.status, new.status, in_absentia=_decided_in_absentia(session, new.id)
        )
    except TransitionError as err:
        return str(err)
    if old.court_id != new.court_id:
        return _venue_change_refusal(session, new)
    return None


def _check_family(session: Session, old: WireRecord | None, new: Case) -> str | None:
    """A rider names a lead at its own court that is not itself a rider, and a case that
    leads riders becomes no one's rider (``common.family``). A lead's change of venue
    waits until its riders are moved or unlinked."""
    if isinstance(old, Case) and old.court_id != new.court_id:
        riders = session.scalar(
            select(CaseRow.id).where(CaseRow.lead_case_id == new.id, CaseRow.deleted.is_(False))
        )
        if riders is not None:
            return "this case leads a family: move or unlink its riders first"
    unchanged = isinstance(old, Case) and (old.lead_case_id, old.court_id) == (
        new.lead_case_id,
        new.court_id,
    )
    if new.lead_case_id is None or unchanged:
        return None
    lead = session.get(CaseRow, new.lead_case_id)
    has_riders = (
        session.scalar(
            select(CaseRow.id).where(CaseRow.lead_case_id == new.id, CaseRow.deleted.is_(False))
        )
        is not None
    )
    return check_family_link(
        new.id,
        new.court_id,
        {"court_id": lead.court_id, "lead_case_id": lead.lead_case_id} if lead else None,
        lead_case_id=new.lead_case_id,
        has_riders=has_riders,
    )


def _check_representation(
    session: Session, old: WireRecord | None, new: Representation
) -> str | None:
    """An appearance changes as ``common.counsel`` allows, and the leave is a judge's of
    the case's court."""
    assert old is None or isinstance(old, Representation)
    successor = None
    if new.successor_id is not None:
        row = session.get(RepresentationRow, new.successor_id)
        record = row_to_record("representation", row) if row is not None else None
        successor = record if isinstance(record, Representation) else None
    motion = None
    if new.motion_id is not None:
        motion_row = session.get(MotionRow, new.motion_id)
        named = row_to_record("motion", motion_row) if motion_row is not None else None
        motion = named if isinstance(named, Motion) else None
    reason = check_representation_change(old, new, successor=successor, motion=motion)
    if reason or new.leave_by is None or (old is not None and old.leave_by == new.leave_by):
        return reason
    return _judge_at_court(session, new.leave_by, _case_court(session, new.case_id))


def _check_custody_change(session: Session, new: CustodyChange) -> str | None:
    """The change must follow the case's history (``common.custody``)."""
    case = session.get(CaseRow, new.case_id)
    if case is None:
        return None  # missing_parents has said so
    rows = session.scalars(
        select(CustodyChangeRow).where(
            CustodyChangeRow.case_id == new.case_id, CustodyChangeRow.deleted.is_(False)
        )
    )
    earlier = [row_to_record("custody_change", row) for row in rows]
    return check_custody_change(
        Custody(case.custody), [c for c in earlier if isinstance(c, CustodyChange)], new
    )


def _removal_link_refusal(session: Session, old: WireRecord | None, new: Case) -> str | None:
    """A bond case names the removal case it belongs to: the same respondent's (A-number),
    and a proceeding other than bond (8 CFR 1003.19(d))."""
    if new.removal_case_id is None or new.removal_case_id == getattr(old, "removal_case_id", None):
        return None
    if new.case_type is not CaseType.BOND:
        return "only a bond case is linked to the removal case it belongs to"
    target = session.get(CaseRow, new.removal_case_id)
    if target is None:
        return None  # missing_parents has said so
    if target.id == new.id or target.case_type == CaseType.BOND.value:
        return "a bond case is linked to the respondent's removal case, not to a bond case"
    if target.a_number != new.a_number:
        return "the removal case is another respondent's (its A-number differs)"
    return None


def _bond_case_pointer(session: Session, case_id: str) -> str:
    """Where a bond hearing or order of the removal case ``case_id`` belongs."""
    linked = session.scalar(
        select(CaseRow.id).where(
            CaseRow.removal_case_id == case_id,
            CaseRow.case_type == CaseType.BOND.value,
            CaseRow.deleted.is_(False),
        )
    )
    if linked is not None:
        return "its linked bond case"
    return "a bond case linked to this one (scheduling a bond hearing on the desktop opens it)"


def _bond_hearing_refusal(session: Session, old: WireRecord | None, new: Hearing) -> str | None:
    """A new bond hearing is held in the bond case (8 CFR 1003.19(d)): custody-only counsel
    reads and is served there. One already in a removal case stays as it is."""
    if new.hearing_type is not HearingType.BOND:
        return None
    if isinstance(old, Hearing) and old.hearing_type is HearingType.BOND:
        return None
    case = session.get(CaseRow, new.case_id)
    if case is None or case.case_type == CaseType.BOND.value:
        return None
    return (
        "a bond hearing is part of the bond proceedings, separate from the removal "
        "proceedings (8 CFR 1003.19(d)): schedule it in " + _bond_case_pointer(session, case.id)
    )


def _bond_order_refusal(session: Session, old: WireRecord | None, new: Order) -> str | None:
    """A new bond order is issued in the bond case; one signed there states the case's
    latest bond record, whose decision the same group wrote (``common.bonds``)."""
    if new.template != BOND_ORDER:
        return None
    case = session.get(CaseRow, new.case_id)
    if case is None:
        return None
    if case.case_type != CaseType.BOND.value:
        if old is not None or new.corrects_order_id is not None:
            return None  # an order drafted here before bond cases, or its correction
        return (
            "a custody order is issued in the bond proceedings, separate from the removal "
            "proceedings (8 CFR 1003.19(d)): draft it in " + _bond_case_pointer(session, case.id)
        )
    was_signed = isinstance(old, Order) and old.status is not OrderStatus.DRAFT
    if new.status is not OrderStatus.SIGNED or was_signed or new.signed_by is None:
        return None
    rows = session.scalars(
        select(BondRow).where(BondRow.case_id == new.case_id, BondRow.deleted.is_(False))
    )
    bonds = {b.id: b for r in rows if isinstance(b := row_to_record("bond", r), Bond)}
    correction = new.corrects_order_id is not None
    latest = bond_for_order(bonds.values(), new.fields, correction=correction)
    prior = bonds.get(latest.prior_bond_id or "") if latest is not None else None
    try:
        known = {f.key for f in template_for(new.template, new.template_version).fields}
    except KeyError:
        return None  # check_order_change has said so
    problems = order_problems(
        latest, new.fields, new.signed_by, prior=prior, decided=True, known=known
    )
    if not problems:
        return None
    return "the custody order and the bond record disagree — " + "; ".join(
        message for _, message in problems
    )


def _check_bond(session: Session, old: WireRecord | None, new: Bond) -> str | None:
    """A custody redetermination is recorded in a bond case, apart from the removal
    proceedings (8 CFR 1003.19(d)); the rest is ``common.bonds.check_bond``."""
    case = session.get(CaseRow, new.case_id)
    if case is None:
        return None  # missing_parents has said so
    if case.case_type != CaseType.BOND.value:
        return (
            "a custody redetermination is recorded in the respondent's bond case, separate "
            "from the removal proceedings (8 CFR 1003.19(d)); open or choose the bond case"
        )
    if new.hearing_id is not None:
        hearing = session.get(HearingRow, new.hearing_id)
        if hearing is not None and hearing.case_id != new.case_id:
            return "the bond hearing named is not one of this bond case's hearings"
    reason = _judge_at_court(session, new.judge_id, case.court_id)
    if reason:
        return reason
    others = [
        record
        for row in session.scalars(
            select(BondRow).where(
                BondRow.case_id == new.case_id, BondRow.id != new.id, BondRow.deleted.is_(False)
            )
        )
        if isinstance(record := row_to_record("bond", row), Bond)
    ]
    prior_row = session.get(BondRow, new.prior_bond_id) if new.prior_bond_id else None
    prior = row_to_record("bond", prior_row) if prior_row is not None else None
    court = session.get(CourtRow, case.court_id)
    calendar = court_calendar(
        court.code if court is not None else None,
        detained=case.custody == Custody.DETAINED.value,
    )
    return check_bond(
        old if isinstance(old, Bond) else None,
        new,
        prior=prior if isinstance(prior, Bond) else None,
        others=others,
        calendar=calendar,
    )


def _hearing_of_case(session: Session, hearing_id: str | None, case_id: str) -> str | None:
    if hearing_id is None:
        return None
    hearing = session.get(HearingRow, hearing_id)
    if hearing is not None and hearing.case_id != case_id:
        return "the hearing named is another case's"
    return None


def _case_records(
    session: Session, table: type[PleadingRow] | type[DecisionRow], case_id: str
) -> list[WireRecord]:
    rows: Iterable[Synced] = session.scalars(
        select(table).where(table.case_id == case_id, table.deleted.is_(False))
    )
    return [row_to_record(str(table.__tablename__), r) for r in rows]


def _check_decision(session: Session, new: DecisionRecord) -> str | None:
    """Against the case's status (a second decision only once reopened or remanded) and its
    pleadings (``common.decisions.check_decision``, as the desktop checks before saving)."""
    case = session.get(CaseRow, new.case_id)
    if case is None:
        return None  # missing_parents has said so
    pleadings = [
        p for p in _case_records(session, PleadingRow, new.case_id) if isinstance(p, Pleading)
    ]
    return check_decision(new, case_status=CaseStatus(case.status), pleadings=pleadings)


def _decided_in_absentia(session: Session, case_id: str) -> bool:
    """Whether the case's latest decision was entered in absentia: no appeal lies from it.
    The decision record says so; a case decided before decision records, by its latest
    signed decision order (an order with a decision date)."""
    recorded = [
        d for d in _case_records(session, DecisionRow, case_id) if isinstance(d, DecisionRecord)
    ]
    if recorded:
        latest = max(recorded, key=lambda d: (d.decided_on, d.recorded_at))
        return latest.completion == "in_absentia"
    rows = session.scalars(
        select(OrderRow)
        .where(
            OrderRow.case_id == case_id,
            OrderRow.status.in_(["signed", "issued"]),
            OrderRow.deleted.is_(False),
        )
        .order_by(OrderRow.signed_at.desc())
    )
    for row in rows:
        if "decision_date" in (row.fields or {}):
            return is_in_absentia_order(row.template, row.fields)
    return False


def _venue_change_refusal(session: Session, new: Case) -> str | None:
    """A case moves to another court only on a signed order granting a party's motion to
    change venue to that court (8 CFR 1003.20(b))."""
    court = session.get(CourtRow, new.court_id)
    if court is None:
        return None  # missing_parents has said so
    orders = session.scalars(
        select(OrderRow).where(
            OrderRow.case_id == new.id,
            OrderRow.status.in_(["signed", "issued"]),
            OrderRow.deleted.is_(False),
        )
    )
    if any(
        grants_change_of_venue(row.fields or {}, court_code=court.code, court_name=court.name)
        for row in orders
    ):
        return None
    return (
        f"the case can't move to the {court.name}: venue changes only when the immigration "
        "judge grants a party's motion to change venue (8 CFR 1003.20(b)); the judge's signed "
        "order granting it, naming that court, must reach the server first"
    )
