"""Appeals to the Board on the server: the decision an appeal is taken from, the intake's
findings (late, appeal waived) as the server finds them, and what docketing does.

The filer's client (the portal, or a pushing client using ``common.appeals``) sets
``late`` and ``appeal_waived``; ``services/filing_rules.appeal_refusal`` refuses an appeal
whose findings are not the server's, so a client can't make a late appeal look timely.
Docketing (:func:`apply_appeal`, in the push's savepoint like a custody change) makes the
case appealed (``common.lifecycle``): the immigration court's record is then the Board's
to read through the policy (``policy.board_cases``), shared, not copied. The transcript
marked ready issues the briefing schedule (:func:`apply_briefing`, in the same savepoint):
the server writes it, on the Board's day the change reached it, so a clerk who marked the
transcript ready offline does not date the schedule, and no client ever sends one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.appeals import BOARD_TIMEZONE, Findings, findings, issue_briefing
from common.court_time import court_today, local_date
from common.deadlines import Decision, case_decision
from common.enums import (
    AppealStatus,
    CaseStatus,
    CourtKind,
    DocumentType,
    FilingKind,
    TranscriptStatus,
)
from common.lifecycle import CaseEvent, TransitionError, check_status_change
from common.wire import Appeal, Case, Filing, WireRecord
from sync_server.models import AppealRow, CaseRow, CourtRow, OrderRow, ServiceRecordRow
from sync_server.policy import BOARD_APPEAL_STATUSES
from sync_server.services.records import SessionLookups, row_to_record, write_consequence


@dataclass(frozen=True)
class DecisionFacts:
    """The immigration judge's decision as the record shows it."""

    decision: Decision | None
    order_id: str | None
    order_fields: Mapping[str, object]


def board_court(session: Session) -> CourtRow | None:
    """The Board's own court record (kind "board"), if the server has one."""
    return session.scalar(
        select(CourtRow).where(CourtRow.kind == CourtKind.BOARD.value, CourtRow.deleted.is_(False))
    )


# What is filed before the Board, with its clerk, in a case before it: a brief, or a motion
# the Board rules on (BIA PM 4.7, 5.2). Any other filing goes to the immigration court.
BOARD_FILING_TYPES = frozenset({DocumentType.BRIEF.value, DocumentType.MOTION.value})


def board_filing_refusal(session: Session, filing: Filing) -> str | None:
    """Why ``filing``, which names a court other than its case's, is refused (None: it is
    a filing before the Board, at the Board's court record, reviewed by its clerk)."""
    board = board_court(session)
    if board is None or filing.court_id != board.id:
        return "the filing names another court than its case's"
    if filing.kind is not FilingKind.DOCUMENT or (
        filing.form.get("doc_type") not in BOARD_FILING_TYPES
    ):
        return "only a brief or a motion is filed before the Board"
    before = session.scalar(
        select(AppealRow.id).where(
            AppealRow.case_id == filing.case_id,
            AppealRow.status.in_(BOARD_APPEAL_STATUSES),
            AppealRow.deleted.is_(False),
        )
    )
    return None if before is not None else "the case is not before the Board"


def decision_facts(session: Session, case_id: str) -> DecisionFacts:
    """The decision of the case, from its ``decided_on`` and its signed orders; a written
    decision's appeal runs from its first service (the court's local day)."""
    case_row = session.get(CaseRow, case_id)
    if case_row is None:
        return DecisionFacts(None, None, {})
    case = row_to_record("case", case_row).model_dump(mode="json")
    orders = [
        row_to_record("order", row).model_dump(mode="json")
        for row in session.scalars(
            select(OrderRow).where(OrderRow.case_id == case_id, OrderRow.deleted.is_(False))
        )
    ]
    court = session.get(CourtRow, case_row.court_id)
    served: dict[str, date] = {}
    for doc_id, served_at in session.execute(
        select(ServiceRecordRow.document_id, ServiceRecordRow.served_at).where(
            ServiceRecordRow.case_id == case_id, ServiceRecordRow.deleted.is_(False)
        )
    ):
        day = local_date(served_at, court.timezone if court is not None else None)
        if doc_id not in served or day < served[doc_id]:
            served[doc_id] = day
    decision = case_decision(case, orders, served)
    signed = [
        o
        for o in orders
        if o.get("status") in ("signed", "issued") and "decision_date" in (o.get("fields") or {})
    ]
    signed.sort(key=lambda o: str(o.get("signed_at") or ""))
    last = signed[-1] if signed else None
    return DecisionFacts(
        decision,
        str(last["id"]) if last else None,
        dict(last.get("fields") or {}) if last else {},
    )


def appeal_findings(session: Session, appeal: Appeal, received_at: datetime) -> Findings:
    """The flags the server finds for ``appeal`` received at ``received_at``."""
    facts = decision_facts(session, appeal.case_id)
    return findings(
        facts.decision,
        received_at,
        appeal.appellant,
        facts.order_fields,
        detained=appeal.detained,
    )


def apply_appeal(
    session: Session,
    old: WireRecord | None,
    new: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> None:
    """When ``new`` is an appeal the Board's clerk just docketed, the case becomes appealed
    (in the caller's transaction, audited); when its transcript was just marked ready, the
    briefing schedule issues (:func:`apply_briefing`). Nothing for other records."""
    if not isinstance(new, Appeal) or not isinstance(old, Appeal):
        return
    apply_briefing(session, old, new, lookups, actor_id=actor_id)
    if old.status is AppealStatus.DOCKETED or new.status is not AppealStatus.DOCKETED:
        return
    case_row = session.get(CaseRow, new.case_id)
    case = row_to_record("case", case_row) if case_row is not None else None
    if not isinstance(case, Case) or case.status is CaseStatus.APPEALED:
        return
    moved = case.model_copy(update={"status": CaseStatus.APPEALED})
    write_consequence(
        session,
        moved,
        lookups,
        actor_id=actor_id,
        changed=["status"],
        event=CaseEvent.APPEAL.value,
        appeal_id=new.id,
    )


def docketing_refusal(session: Session, old: Appeal, new: Appeal) -> str | None:
    """Docketing needs a case whose status may become appealed (``common.lifecycle``)."""
    if old.status is AppealStatus.DOCKETED or new.status is not AppealStatus.DOCKETED:
        return None
    case_row = session.get(CaseRow, new.case_id)
    if case_row is None:
        return "the appeal names no case"
    if case_row.status == CaseStatus.APPEALED.value:
        return None  # the other party's appeal already put it before the Board
    try:
        check_status_change(CaseStatus(case_row.status), CaseStatus.APPEALED)
    except TransitionError as err:
        return str(err)
    return None


def apply_briefing(
    session: Session,
    old: WireRecord | None,
    new: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> None:
    """When ``new`` is an appeal whose transcript was just marked ready, the briefing
    schedule issues on the Board's today (``common.appeals.issue_briefing``; in the
    caller's transaction, audited as the Board's act). Nothing otherwise."""
    if not isinstance(new, Appeal) or not isinstance(old, Appeal):
        return
    ready = TranscriptStatus.READY
    if old.transcript_status is ready or new.transcript_status is not ready:
        return
    if new.status is not AppealStatus.DOCKETED or new.briefing_issued_on is not None:
        return
    issued = issue_briefing(new, court_today(BOARD_TIMEZONE))
    write_consequence(
        session,
        issued,
        lookups,
        actor_id=actor_id,
        changed=["appellant_brief_due", "appellee_brief_due", "briefing_issued_on"],
        event="briefing.issued",
    )
