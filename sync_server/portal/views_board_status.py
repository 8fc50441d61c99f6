"""The course of each appeal on the portal's case page (issue 15 item 7): filed (waiting
for the Board's clerk), rejected with the catalogue's reason, docketed, the transcript's
state, and decided, with the Board's decision linked once it is issued (its eROP
document). Dates are the Board's (Falls Church, Virginia)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from common.appeals import rejection_reasons
from common.enums import AppealStatus, BoardDecisionStatus, OrderStatus, TranscriptStatus
from common.wire import Appeal, BoardDecision
from sync_server.models import ENTITY_TABLES, AppealRow, OrderRow
from sync_server.portal import bp
from sync_server.portal.services import portal
from sync_server.services.records import row_to_record

# How a party reads the Board's outcome (resources/order_templates/board_decision.json has
# each outcome's wording and source).
OUTCOMES = {
    "dismissed": "Appeal dismissed",
    "sustained": "Appeal sustained",
    "remanded": "Remanded to the immigration judge",
    "summary_affirmance": "Affirmed without opinion (summary affirmance)",
}
TRANSCRIPT = {
    TranscriptStatus.NOT_ORDERED: "Not ordered",
    TranscriptStatus.ORDERED: "Ordered",
    TranscriptStatus.READY: "Ready",
}


@dataclass(frozen=True)
class AppealCourse:
    """One appeal's course as the case page shows it."""

    appeal: Appeal
    stage: str  # "Filed", "Rejected", "Docketed", "Assigned", "Decided"
    detail: str  # the rejection's reason, the docketing day, the outcome
    transcript: str
    decided_on: date | None  # the Board's date the decision issued
    decision_document_id: str | None  # the issued decision in the record


def _course(
    appeal: Appeal, decision: BoardDecision | None, document_id: str | None
) -> AppealCourse:
    transcript = TRANSCRIPT.get(appeal.transcript_status, appeal.transcript_status.value)
    if appeal.status is AppealStatus.FILED:
        return AppealCourse(appeal, "Filed", "Waiting for the Board's clerk", "—", None, None)
    if appeal.status is AppealStatus.REJECTED:
        reason = rejection_reasons().get(appeal.rejection_code or "")
        text = reason.label if reason else (appeal.rejection_code or "")
        if appeal.rejection_note:
            text = f"{text} ({appeal.rejection_note})"
        return AppealCourse(appeal, "Rejected", text, "—", None, None)
    if decision is not None and decision.status is BoardDecisionStatus.ISSUED:
        outcome = OUTCOMES.get(decision.outcome.value if decision.outcome else "", "Decided")
        return AppealCourse(appeal, "Decided", outcome, transcript, decision.issued_on, document_id)
    if decision is not None:
        who = "a panel of three" if decision.panel else "a Board member"
        return AppealCourse(appeal, "Assigned", f"Assigned to {who}", transcript, None, None)
    docketed = appeal.docketed_on.isoformat() if appeal.docketed_on else ""
    return AppealCourse(appeal, "Docketed", docketed, transcript, None, None)


@bp.app_template_global("appeal_courses")
def appeal_courses(case_id: str) -> list[AppealCourse]:
    """For the case page (``case.html`` includes ``board_status.html``), whose view has
    checked the reader's access to the case."""
    table = ENTITY_TABLES.get("board_decision")
    courses = []
    with portal().cases.factory() as session:
        rows = session.scalars(
            select(AppealRow)
            .where(AppealRow.case_id == case_id, AppealRow.deleted.is_(False))
            .order_by(AppealRow.received_at, AppealRow.id)
        )
        for row in rows:
            appeal = row_to_record("appeal", row)
            assert isinstance(appeal, Appeal)
            decision: BoardDecision | None = None
            if table is not None:
                found = session.scalars(
                    select(table).where(
                        table.appeal_id == appeal.id,  # type: ignore[attr-defined]
                        table.deleted.is_(False),
                    )
                ).first()
                if found is None and appeal.status is AppealStatus.DECIDED:
                    # The other party's appeal, decided with the case's issued decision.
                    found = session.scalars(
                        select(table)
                        .where(
                            table.case_id == case_id,  # type: ignore[attr-defined]
                            table.status == BoardDecisionStatus.ISSUED.value,  # type: ignore[attr-defined]
                            table.deleted.is_(False),
                        )
                        .order_by(table.issued_on.desc())  # type: ignore[attr-defined]
                    ).first()
                record = row_to_record("board_decision", found) if found is not None else None
                decision = record if isinstance(record, BoardDecision) else None
            document_id = None
            if decision is not None and decision.order_id is not None:
                order = session.get(OrderRow, decision.order_id)
                if order is not None and order.status == OrderStatus.ISSUED.value:
                    document_id = order.document_id
            courses.append(_course(appeal, decision, document_id))
    return courses
