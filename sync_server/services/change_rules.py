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

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.bonds import check_bond
from common.court_closures import court_calendar
from common.court_time import utc_stamp
from common.custody import check_custody_change
from common.deadlines import is_in_absentia_order
from common.enums import CaseStatus, CaseType, Custody, Role
from common.forms_eoir import nta_case_type_refusal
from common.lifecycle import TransitionError, check_status_change, grants_change_of_venue
from common.orders import check_order_change
from common.wire import (
    Annotation,
    Bond,
    Case,
    CustodyChange,
    Document,
    Filing,
    Hearing,
    Order,
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
    DocumentRow,
    HearingRow,
    OrderRow,
    PortalAccount,
    UserRow,
)
from sync_server.models.types import utcnow
from sync_server.services import filing_rules
from sync_server.services.records import row_to_record

# Reference fields of each entity and the entity they name; must exist on the server.
PARENTS: dict[str, dict[str, str]] = {
    "courtroom": {"court_id": "court"},
    "user_profile": {"court_id": "court"},
    "case": {"court_id": "court", "judge_id": "user_profile", "removal_case_id": "case"},
    "representation": {"case_id": "case", "practitioner_id": "user_profile"},
    "hearing": {"case_id": "case", "courtroom_id": "courtroom", "judge_id": "user_profile"},
    "document": {"case_id": "case", "filer_id": "user_profile"},
    "annotation": {"document_id": "document", "author_id": "user_profile"},
    "order": {"case_id": "case", "judge_id": "user_profile", "corrects_order_id": "order"},
    "filing": {"case_id": "case", "court_id": "court", "filer_id": "user_profile"},
    "service_record": {"case_id": "case", "document_id": "document"},
    "rop_request": {"case_id": "case", "requester_id": "user_profile"},
    "address": {"case_id": "case", "source_filing_id": "filing", "source_document_id": "document"},
    "custody_change": {"case_id": "case", "source_document_id": "document"},
    "bond": {
        "case_id": "case",
        "requester_id": "user_profile",
        "prior_bond_id": "bond",
        "hearing_id": "hearing",
        "judge_id": "user_profile",
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
}
# Dates of legal acts: refused when later than today's date anywhere in the United States.
ACT_DATES: dict[str, dict[str, str]] = {
    "document": {"filed_on": "filing date"},
    "custody_change": {"effective_on": "date of the custody change"},
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
            return _check_case(session, actor_id, old, new) or _judge_at_court(
                session, new.judge_id, new.court_id
            )
        case Hearing():
            return _check_hearing(session, new)
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
                return "the filing names another court than its case's"
        case Order():
            court = _case_court(session, new.case_id)
            return _judge_at_court(session, new.judge_id, court) or check_order_change(
                new, _corrected(session, new.corrects_order_id)
            )
        case CustodyChange():
            return _check_custody_change(session, new)
        case Annotation():
            doc = session.get(DocumentRow, new.document_id)
            if doc is not None and doc.sha256 != new.document_sha256:
                return "the annotation was made on other bytes than the document's"
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
        return None
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


def _decided_in_absentia(session: Session, case_id: str) -> bool:
    """Whether the case's latest signed decision (an order with a decision date) was
    entered in absentia: no appeal lies from it."""
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
