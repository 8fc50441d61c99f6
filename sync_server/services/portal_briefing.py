"""Briefing before the Board in the portal (BIA PM 4.7): a party of record reads the
appeal's schedule, asks once for an extension of its own deadline, and files its brief.

Each act is written as a push would write it (``policy.check_write``, then
``change_rules.check_change``, ``write_record``, an audit entry), received at the server's
clock, so a party meets one set of rules through either door. The brief is a PDF checked
in the PDF box (``FilingDesk.check_pdfs``) and filed as a ``filing`` with its ``brief``
document, like any filing, in the same transaction as the appeal's change that records it
(late when received after the due day ended in Board time; received, not mailed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.appeals import (
    BOARD_TIMEZONE,
    SIDES,
    Side,
    due_of,
    file_brief,
    received_on,
    request_extension,
    schedule_citation,
    side_label,
    side_of,
)
from common.court_time import court_instant, format_datetime
from common.enums import (
    AppealStatus,
    BriefExtension,
    DocumentStatus,
    DocumentType,
    FilingKind,
    FilingStatus,
    Party,
    Role,
)
from common.wire import Appeal, Document, Filing
from sync_server.db import write_transaction
from sync_server.models import AppealRow
from sync_server.policy import Principal, check_write
from sync_server.services import audit
from sync_server.services.appeals import board_court
from sync_server.services.change_rules import check_change
from sync_server.services.portal_filings import FilingDesk, FilingRefused, Upload
from sync_server.services.records import SessionLookups, row_to_record, write_record


class BriefingRefused(Exception):
    """The act was not recorded; the message says why and what to do."""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SideLine:
    """One party's deadline as the portal and the case file show it."""

    side: Side
    label: str  # "Respondent (appellant)"
    due: date | None
    received_by: str  # "January 4, 2027 at 11:59 PM EST" (Board time)
    days_left: int | None  # from the Board's today; negative once the day has passed
    extension: BriefExtension
    brief_received_at: datetime | None
    brief_late: bool
    own: bool  # the reader's own side


@dataclass(frozen=True)
class Schedule:
    appeal: Appeal
    citation: str
    sides: tuple[SideLine, ...]


def schedule_lines(appeal: Appeal, reader: Party | None, now: datetime) -> Schedule | None:
    """The appeal's briefing schedule for a reader on ``reader``'s side (None: not issued)."""
    if appeal.briefing_issued_on is None:
        return None
    today = received_on(now)
    own = side_of(appeal, reader) if reader is not None else None
    lines = []
    for side in SIDES:
        due = due_of(appeal, side)
        last = court_instant(due, time(23, 59), BOARD_TIMEZONE) if due else None
        lines.append(
            SideLine(
                side,
                side_label(appeal, side),
                due,
                format_datetime(last, BOARD_TIMEZONE) if last else "",
                (due - today).days if due else None,
                getattr(appeal, f"{side}_extension"),
                getattr(appeal, f"{side}_brief_received_at"),
                bool(getattr(appeal, f"{side}_brief_late")),
                side == own,
            )
        )
    return Schedule(appeal, schedule_citation(appeal), tuple(lines))


def reader_party(principal: Principal) -> Party | None:
    """The party a portal user acts for: DHS, or counsel for the respondent."""
    if principal.role is Role.DHS:
        return Party.DHS
    if principal.role.is_external:
        return Party.RESPONDENT
    return None


@dataclass
class BriefingDesk:
    factory: sessionmaker[Session]
    filings: FilingDesk

    def schedules(self, principal: Principal, case_id: str) -> list[Schedule]:
        """The issued schedules of the case's docketed appeals, as ``principal`` reads them."""
        party = reader_party(principal)
        now = _now()
        with self.factory() as session:
            rows = session.scalars(
                select(AppealRow)
                .where(
                    AppealRow.case_id == case_id,
                    AppealRow.status == AppealStatus.DOCKETED.value,
                    AppealRow.deleted.is_(False),
                )
                .order_by(AppealRow.received_at)
            )
            out = []
            for row in rows:
                appeal = row_to_record("appeal", row)
                assert isinstance(appeal, Appeal)
                found = schedule_lines(appeal, party, now)
                if found is not None:
                    out.append(found)
            return out

    def _appeal(self, session: Session, case_id: str, appeal_id: str) -> Appeal:
        row = session.get(AppealRow, appeal_id)
        if row is None or row.deleted or row.case_id != case_id:
            raise BriefingRefused("No such appeal in this case.")
        appeal = row_to_record("appeal", row)
        assert isinstance(appeal, Appeal)
        return appeal

    def _side(self, principal: Principal, appeal: Appeal) -> Side:
        party = reader_party(principal)
        if party is None:
            raise BriefingRefused("Only a party files in an appeal.")
        return side_of(appeal, party)

    def _update(self, session: Session, principal: Principal, old: Appeal, new: Appeal) -> int:
        """Write the appeal's change as a push would: policy, domain checks, audit."""
        lookups = SessionLookups(session)
        reason = check_write(principal, "appeal", old, new, lookups)
        reason = reason or check_change(session, principal.id, old, new)
        if reason:
            raise BriefingRefused(f"The Board can't accept this: {reason}.")
        version = write_record(session, new, lookups=lookups)
        before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
        audit.append(
            session,
            actor_id=principal.id,
            action="record.update",
            entity="appeal",
            record_id=new.id,
            detail={
                "version": version,
                "via": "portal",
                "changed": sorted(k for k in after if before.get(k) != after[k]),
                "data": after,
            },
        )
        return version

    def request_extension(self, principal: Principal, case_id: str, appeal_id: str) -> Side:
        """The party's one request to extend its own briefing deadline (BIA PM 4.7(c))."""
        self.filings.cases.check_case(principal, case_id)
        with write_transaction(self.factory) as session:
            old = self._appeal(session, case_id, appeal_id)
            side = self._side(principal, old)
            self._update(session, principal, old, request_extension(old, side, _now()))
            return side

    def file_brief(
        self, principal: Principal, case_id: str, appeal_id: str, lead: Upload
    ) -> tuple[Side, bool]:
        """The party's brief (a PDF, checked in the box) received now: a filing with its
        brief document and the appeal's record of it, in one transaction. Returns the side
        and whether it was late."""
        case = self.filings.cases.check_case(principal, case_id)
        with self.factory() as session:
            side = self._side(principal, self._appeal(session, case_id, appeal_id))
        checked, errors = self.filings.check_pdfs([lead])
        if errors:
            raise FilingRefused("The brief can't be filed; see the reason.", errors)
        pdf = checked[0]
        self.filings._store(principal, pdf)
        received_at = _now()
        party = Party.DHS if principal.role is Role.DHS else Party.PRACTITIONER
        filing_id, document_id = str(uuid.uuid4()), str(uuid.uuid4())
        with write_transaction(self.factory) as session:
            old = self._appeal(session, case_id, appeal_id)
            title = f"Brief of the {side_label(old, side)} before the Board"
            board = board_court(session)  # filed with the Board; its clerk reviews it
            filing = Filing(
                id=filing_id,
                case_id=case.id,
                court_id=board.id if board is not None else case.court_id,
                filer_id=principal.id,
                kind=FilingKind.DOCUMENT,
                status=FilingStatus.PENDING,
                submitted_at=received_at,
                lead_document_id=document_id,
                form={"title": title, "doc_type": DocumentType.BRIEF.value},
            )
            document = Document(
                id=document_id,
                case_id=case.id,
                doc_type=DocumentType.BRIEF,
                title=title,
                filer_id=principal.id,
                filer_party=party,
                filed_on=received_on(received_at),  # the Board's day it was received
                pages=pdf.pages,
                sha256=pdf.sha256,
                size=len(pdf.upload.data),
                status=DocumentStatus.PENDING,
                filing_id=filing_id,
            )
            self.filings._write(session, principal, filing)
            self.filings._write(session, principal, document)
            new = file_brief(old, side, document_id, received_at)
            self._update(session, principal, old, new)
            return side, bool(getattr(new, f"{side}_brief_late"))
