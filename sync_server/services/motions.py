"""The server's checks on a motion record (asked by ``change_rules.check_change`` for push
and portal alike), over ``common.motions``.

A party's new motion comes with its own pending filing in the same case and names that
filing's lead document, of the kind "motion", received on the court's date. A ruling names
the signed motion order that issues it (pushed before it, in the same group, by the
desktop), for the same motion type and stamp; the limits on motions to reopen and
reconsider are counted from the case's final order as ``common.deadlines.case_decision``
reads it from the case's signed orders.

A motion is before the Board (``before_board``) exactly when ``common.motions.before_board``
says so of the case's appeals and the Board's issued decisions when it is filed; its
limits run from the Board's decision and its ruling names the Board's signed order
(``board_motion_order``) by the Board member who rules.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.appeals import BOARD_TIMEZONE
from common.court_closures import court_calendar
from common.court_time import court_today
from common.deadlines import Decision, case_decision
from common.enums import DocumentType, FilingStatus, OrderStatus, Role
from common.motions import (
    before_board,
    board_decision_of,
    board_member_refusal,
    check_motion,
    motion_limits,
    order_template_for,
)
from common.wire import Appeal, BoardDecision, Motion, Order, WireRecord
from sync_server.models import (
    ENTITY_TABLES,
    AppealRow,
    CaseRow,
    CourtRow,
    DocumentRow,
    FilingRow,
    MotionRow,
    OrderRow,
    UserRow,
)
from sync_server.models.types import utcnow
from sync_server.services.records import row_to_record


def motion_refusal(
    session: Session, actor_id: str, old: WireRecord | None, new: Motion
) -> str | None:
    """Why the pushed ``new`` motion can't be written (None: it can)."""
    if old is not None and not isinstance(old, Motion):
        return "not a motion"
    refused = _party_filing_refusal(session, actor_id, old, new)
    if refused:
        return refused
    case = session.get(CaseRow, new.case_id)
    if case is None:
        return None  # missing_parents has said so
    board_decisions = _board_decisions(session, new.case_id)
    if old is None:
        at_board = before_board(_appeals(session, new.case_id), board_decisions)
        if new.before_board and not at_board:
            return "the case is not before the Board: the motion goes to the immigration court"
        if at_board and not new.before_board:
            return "the case is before the Board of Immigration Appeals: the motion goes to it"
    others = [
        m
        for row in session.scalars(
            select(MotionRow).where(MotionRow.case_id == new.case_id, MotionRow.deleted.is_(False))
        )
        if isinstance(m := row_to_record("motion", row), Motion)
    ]
    court = session.get(CourtRow, case.court_id)
    orders = [
        row_to_record("order", row).model_dump(mode="json")
        for row in session.scalars(
            select(OrderRow).where(OrderRow.case_id == new.case_id, OrderRow.deleted.is_(False))
        )
    ]
    case_record = row_to_record("case", case).model_dump(mode="json")
    decision: Decision | None = (
        board_decision_of(board_decisions)
        if new.before_board
        else case_decision(case_record, orders)
    )
    limits = motion_limits(
        new,
        decision,
        others,
        calendar=court_calendar(court.code if court is not None else None),
    )
    reason = check_motion(old, new, limits=limits)
    ruling = old is not None and old.ruled_by is None and new.ruled_by is not None
    if reason is None and ruling and new.before_board and new.ruled_by is not None:
        reason = board_member_refusal(new, new.ruled_by, board_decisions)
    if reason or new.order_id is None or (old is not None and old.order_id == new.order_id):
        return reason
    return _order_refusal(session, new)


def case_before_board(session: Session, case_id: str) -> bool:
    """Whether a motion filed now in the case goes to the Board (``common.motions``)."""
    return before_board(_appeals(session, case_id), _board_decisions(session, case_id))


def _appeals(session: Session, case_id: str) -> list[Appeal]:
    rows = session.scalars(
        select(AppealRow).where(AppealRow.case_id == case_id, AppealRow.deleted.is_(False))
    )
    return [a for row in rows if isinstance(a := row_to_record("appeal", row), Appeal)]


def _board_decisions(session: Session, case_id: str) -> list[BoardDecision]:
    """The case's Board decision records, once the server keeps them (entity
    ``board_decision``); none before."""
    table = ENTITY_TABLES.get("board_decision")
    if table is None:
        return []
    rows = session.scalars(
        select(table).where(
            table.case_id == case_id,  # type: ignore[attr-defined]
            table.deleted.is_(False),
        )
    )
    return [
        d for row in rows if isinstance(d := row_to_record("board_decision", row), BoardDecision)
    ]


def _party_filing_refusal(
    session: Session, actor_id: str, old: WireRecord | None, new: Motion
) -> str | None:
    """A party's new motion: filed with its own pending filing, naming that filing's lead
    document (a motion), on the court's date."""
    user = session.get(UserRow, actor_id)
    if old is not None or user is None or not Role(user.role).is_external:
        return None
    if new.filing_id is None or new.document_id is None:
        return "a party files a motion with its document, as a filing"
    filing = session.get(FilingRow, new.filing_id)
    if (
        filing is None
        or filing.filer_id != actor_id
        or filing.case_id != new.case_id
        or filing.status != FilingStatus.PENDING.value
    ):
        return "a motion joins only your own pending filing in its case"
    document = session.get(DocumentRow, new.document_id)
    if (
        document is None
        or document.id != filing.lead_document_id
        or document.doc_type != DocumentType.MOTION.value
    ):
        return "a motion names its filing's lead document, of the kind 'motion'"
    if new.before_board:  # received by the Board, on its day (Falls Church, Virginia)
        if new.filed_on != court_today(BOARD_TIMEZONE, utcnow()):
            return "a motion before the Board is received on the Board's date today"
        return None
    court = session.get(CourtRow, filing.court_id)
    today = court_today(court.timezone if court is not None else None, utcnow())
    if new.filed_on != today:
        return "a motion is received on the court's date today"
    return None


def _order_refusal(session: Session, new: Motion) -> str | None:
    """The order a ruling names: a signed motion order of the case, on this motion's type
    with this stamp."""
    row = session.get(OrderRow, new.order_id)
    record = row_to_record("order", row) if row is not None else None
    if not isinstance(record, Order) or record.case_id != new.case_id:
        return "the ruling names no order of this case"
    if record.status is OrderStatus.DRAFT or record.template != order_template_for(new):
        who = "the Board's" if new.before_board else "a"
        return f"a ruling is issued by {who} signed order on the motion"
    fields = record.fields
    if fields.get("motion") != new.motion_type.value or fields.get("ruling") != (
        new.ruling.value if new.ruling else None
    ):
        return "the order rules on another motion or with another stamp than the motion records"
    if record.signed_by != new.ruled_by:
        if new.before_board:
            return "the ruling Board member must be the member who signed the order"
        return "the ruling judge must be the judge who signed the order"
    return None
