"""The motions pending before the Board of Immigration Appeals, from the local copy (no
Qt): emergency stay requests first (BIA Practice Manual chapter 6, assumption: not read),
then the oldest. A motion before the Board (``Motion.before_board``) is listed whether or
not a clerk has reviewed its filing yet, save one whose document was rejected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from common.anumber import format_a_number
from common.appeals import BOARD_TIMEZONE
from common.court_closures import board_calendar
from common.court_time import court_today, utc_now
from common.enums import DocumentStatus, MotionStatus
from common.motions import LIMITED, catalogue, response_due
from common.wire import Motion
from desktop.local_store import LocalStore
from desktop.motions import MOVANTS, POSITIONS, QueueRow


@dataclass(frozen=True)
class BoardMotionRow:
    """One pending motion before the Board, as the Board's list shows it."""

    motion_id: str
    case_id: str
    emergency: bool
    respondent: str  # "DIAZ, Ana"
    a_number: str
    motion: str
    movant: str
    filed_on: date
    position: str
    age_days: int  # on the Board's today
    response_due: date  # counted on the Board's calendar
    document_id: str | None
    limited: bool  # a motion to reopen or reconsider: the ruling shows the Board's limits

    def queue_row(self) -> QueueRow:
        """The row as the motions ruling dialog takes it (the same stamp and order)."""
        return QueueRow(
            motion_id=self.motion_id,
            case_id=self.case_id,
            respondent=self.respondent,
            a_number=self.a_number,
            motion=self.motion,
            movant=self.movant,
            filed_on=self.filed_on,
            response_due=self.response_due,
            position=self.position,
            age_days=self.age_days,
            document_id=self.document_id,
            limited=self.limited,
        )


def sort_key(row: BoardMotionRow) -> tuple[bool, date, str]:
    """Emergency stays first, then the oldest, then by id (a stable order)."""
    return (not row.emergency, row.filed_on, row.motion_id)


def pending_board_motions(store: LocalStore, now: datetime | None = None) -> list[BoardMotionRow]:
    """The pending motions before the Board on this computer, emergencies first."""
    today = court_today(BOARD_TIMEZONE, now or utc_now())
    cat = catalogue()
    rows = []
    for data in store.all("motion"):
        if data.get("deleted") or data.get("status") != MotionStatus.PENDING.value:
            continue
        motion = Motion.model_validate({k: v for k, v in data.items() if k in Motion.model_fields})
        if not motion.before_board:
            continue
        if motion.document_id is not None:
            document = store.get("document", motion.document_id) or {}
            if document.get("status") == DocumentStatus.REJECTED.value:
                continue
        case = store.get("case", motion.case_id)
        if case is None:
            continue
        label = cat.type_label(motion.motion_type.value)
        if motion.description:
            label = f"{label}: {motion.description}"
        rows.append(
            BoardMotionRow(
                motion_id=motion.id,
                case_id=motion.case_id,
                emergency=motion.emergency,
                respondent=f"{str(case['respondent_last_name']).upper()}, "
                f"{case['respondent_first_name']}",
                a_number=format_a_number(str(case["a_number"])),
                motion=label,
                movant=MOVANTS[motion.movant.value],
                filed_on=motion.filed_on,
                position=POSITIONS[motion.other_party_position.value],
                age_days=max(0, (today - motion.filed_on).days),
                response_due=response_due(motion, calendar=board_calendar()).due,
                document_id=motion.document_id,
                limited=motion.motion_type in LIMITED,
            )
        )
    return sorted(rows, key=sort_key)
