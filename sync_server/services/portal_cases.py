"""eInfo: what an external user sees of their cases, read through the access policy.

A case the user may not see is answered exactly as a case that does not exist
(:class:`NotFound`), so ids can't be probed. Every document read is audited.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from common.anumber import ANumberError, format_a_number, normalise_search_term, parse_a_number
from common.confidentiality import flags_line
from common.court_closures import court_calendar
from common.court_time import local_date
from common.deadlines import Deadline, case_decision, case_motions, deadlines_for_case
from common.enums import (
    Confidentiality,
    Custody,
    HearingStatus,
    HearingType,
    RepresentationStatus,
    Role,
)
from common.folding import fold
from common.service import address_lines, address_of_record
from common.service import history as address_history
from common.wire import Address, Case, Document, Filing, Hearing, Representation
from sync_server.db import write_transaction
from sync_server.models import (
    AddressRow,
    CaseRow,
    CourtroomRow,
    CourtRow,
    DecisionRow,
    DocumentRow,
    FilingRow,
    HearingRow,
    OrderRow,
    RepresentationRow,
    ServiceRecordRow,
    UserRow,
)
from sync_server.policy import (
    Principal,
    can_see,
    court_appearances,
    flagged_read_refusal,
    flags_of,
    placement_of,
    record_flags,
)
from sync_server.services import audit, confidentiality
from sync_server.services.blobs import BlobService
from sync_server.services.records import SessionLookups, row_to_record

CASE_LIST_LIMIT = 200
# The next-hearing filter: a scheduled hearing within so many days, or none scheduled.
NEXT_HEARING_DAYS = {"7": "Within 7 days", "30": "Within 30 days"}


def _escaped(word: str) -> str:
    """``word`` for a LIKE pattern: its own % and _ match themselves."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class CaseListQuery:
    """What the case list is asked for: a search, filters and a page (1-based)."""

    search: str = ""
    court_id: str = ""
    status: str = ""
    next_hearing: str = ""  # "", "7", "30" (days from ``today``) or "none"
    page: int = 1
    today: date | None = None  # the court's today, for the next-hearing filter


class NotFound(Exception):
    """No such record in the caller's scope (whether it exists or not)."""


@dataclass(frozen=True)
class CaseSummary:
    id: str
    a_number: str
    respondent: str
    court: str
    status: str
    next_hearing: datetime | None
    court_zone: str = "UTC"  # the court's IANA zone: the page shows the hearing in it


@dataclass(frozen=True)
class CasePage:
    """One page of the case list, with the count of every case that matches."""

    rows: list[CaseSummary]
    total: int
    first: int  # the 1-based position of the page's first row
    page: int
    courts: list[tuple[str, str]]  # (id, name) the court filter offers

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.last < self.total


@dataclass(frozen=True)
class HearingLine:
    hearing: Hearing
    starts_local: datetime
    courtroom: str
    judge: str


@dataclass(frozen=True)
class DocumentLine:
    document: Document
    rejection_reason: str | None


@dataclass(frozen=True)
class CounselLine:
    """One appearance in the case's counsel history as the parties read it: who, from
    when, until when and how it ended (withdrawn with the judge's leave, or substituted by
    the named successor). A pending or rejected notice of appearance is no part of it."""

    name: str
    scope: str  # "all proceedings", "custody and bond only", …
    accepted_on: date | None
    ended_on: date | None
    status: RepresentationStatus
    leave_by: str | None  # the judge whose leave ended it
    successor: str | None  # who took over, for a substitution

    @property
    def ending(self) -> str:
        if self.status is RepresentationStatus.ACCEPTED:
            return "Counsel of record"
        leave = f" with the leave of {self.leave_by}" if self.leave_by else ""
        if self.status is RepresentationStatus.SUBSTITUTED:
            by = f" by {self.successor}" if self.successor else ""
            return f"Substituted{by}{leave}"
        return f"Withdrew{leave}"


def counsel_history(appearances: list[Representation], names: dict[str, str]) -> list[CounselLine]:
    """The appearances that were accepted (current or ended), oldest first, with the names
    ``names`` gives for practitioners and judges."""
    by_id = {a.id: a for a in appearances}
    shown = [
        a
        for a in appearances
        if a.status
        in (
            RepresentationStatus.ACCEPTED,
            RepresentationStatus.WITHDRAWN,
            RepresentationStatus.SUBSTITUTED,
        )
    ]
    shown.sort(key=lambda a: (a.accepted_on or date.min, a.ended_on or date.max, a.id))
    lines = []
    for a in shown:
        successor = by_id.get(a.successor_id or "")
        lines.append(
            CounselLine(
                names.get(a.practitioner_id, "Former counsel"),
                a.scope.value.replace("_", " "),
                a.accepted_on,
                a.ended_on,
                a.status,
                names.get(a.leave_by or "") if a.leave_by else None,
                names.get(successor.practitioner_id) if successor else None,
            )
        )
    return lines


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    court_name: str
    court_zone: str
    judge: str
    hearings: list[HearingLine]
    documents: list[DocumentLine]
    filings: list[Filing]
    deadlines: list[Deadline]
    appearance: Representation | None
    # The address of record and the whole history, latest first (common.service).
    address: Address | None = None
    addresses: list[Address] = field(default_factory=list)
    # Who appeared for the respondent, from when to when, and how each appearance ended.
    counsel: list[CounselLine] = field(default_factory=list)
    a_number_shown: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "a_number_shown", format_a_number(self.case.a_number))

    @staticmethod
    def address_lines(address: Address) -> tuple[str, ...]:
        """An entry as its envelope would read (for the template)."""
        return address_lines(address)

    @staticmethod
    def confidential(flags: list[Confidentiality]) -> str:
        """A record's confidentiality flags with their laws, for its readers (template)."""
        return flags_line(flags)


def _respondent(row: CaseRow) -> str:
    return f"{row.respondent_last_name.upper()}, {row.respondent_first_name}"


@dataclass
class CasePortal:
    factory: sessionmaker[Session]
    blobs: BlobService

    def my_cases(self, principal: Principal, search: str = "") -> list[CaseSummary]:
        """The first page of the user's cases (see :meth:`case_list`)."""
        return self.case_list(principal, CaseListQuery(search=search)).rows

    def case_list(self, principal: Principal, wanted: CaseListQuery) -> CasePage:
        """A page of the user's cases: a practitioner's accepted appearances, or DHS's
        cases at its assigned courts; newest first, ``CASE_LIST_LIMIT`` a page (offset
        paging: the count is taken anyway, and a page number survives a reload), with the
        count of all that match. Searched by A-number digits or by name words, each found
        in the folded "last first" name (case and accents ignored: common.folding);
        filtered by court, status and next hearing (``wanted.next_hearing``: "7" or "30"
        days from ``wanted.today``, or "none" scheduled)."""
        with self.factory() as session:
            if principal.role is Role.DHS:
                court_ids = list(principal.assigned_court_ids)
                scope = CaseRow.court_id.in_(court_ids)
            elif principal.role.is_practitioner:
                scope = CaseRow.id.in_(court_appearances(principal.id))
            else:
                return CasePage([], 0, 1, wanted.page, [])
            courts = [
                (court_id, name)
                for court_id, name in session.execute(
                    select(CourtRow.id, CourtRow.name)
                    .where(
                        CourtRow.id.in_(court_ids)
                        if principal.role is Role.DHS
                        else CourtRow.id.in_(select(CaseRow.court_id).where(scope))
                    )
                    .order_by(CourtRow.name)
                )
            ]
            conditions = [CaseRow.deleted.is_(False), scope, *self._conditions(wanted)]
            # the columns shown, not whole case rows (charges and all) for 200 cases
            shown = (
                CaseRow.id,
                CaseRow.a_number,
                CaseRow.respondent_last_name,
                CaseRow.respondent_first_name,
                CaseRow.status,
                CourtRow.name,
                CourtRow.timezone,
            )

            def page_of(number: int) -> list[Any]:
                return list(
                    session.execute(
                        select(*shown)
                        .join(CourtRow, CourtRow.id == CaseRow.court_id)
                        .where(*conditions)
                        .order_by(CaseRow.opened_on.desc(), CaseRow.id)
                        .offset((number - 1) * CASE_LIST_LIMIT)
                        .limit(CASE_LIST_LIMIT)
                    ).all()
                )

            page = max(1, wanted.page)
            rows: list[Any] = []
            total = -1
            if wanted.search.strip():
                # A search finds its matches through the trigram indexes (for DHS, the
                # court's and the name's together: migration 0037) and sorts them all
                # anyway: the count rides along (a window over the same matches) instead
                # of finding them a second time. The matches are fenced off (MATERIALIZED)
                # so that PostgreSQL looks them up by index rather than walking the
                # court's cases newest first and filtering every one (at 4,000,000 cases:
                # 0.9 s -> 24 ms for "gar" in a court of 244,706).
                found = (
                    select(
                        CaseRow.id,
                        CaseRow.a_number,
                        CaseRow.respondent_last_name,
                        CaseRow.respondent_first_name,
                        CaseRow.status,
                        CaseRow.court_id,
                        CaseRow.opened_on,
                    )
                    .where(*conditions)
                    .cte("found")
                    .prefix_with("MATERIALIZED", dialect="postgresql")
                )
                rows = list(
                    session.execute(
                        select(
                            found.c.id,
                            found.c.a_number,
                            found.c.respondent_last_name,
                            found.c.respondent_first_name,
                            found.c.status,
                            CourtRow.name,
                            CourtRow.timezone,
                            func.count().over().label("total"),
                        )
                        .join(CourtRow, CourtRow.id == found.c.court_id)
                        .order_by(found.c.opened_on.desc(), found.c.id)
                        .offset((page - 1) * CASE_LIST_LIMIT)
                        .limit(CASE_LIST_LIMIT)
                    ).all()
                )
                if rows:
                    total = int(rows[0].total)
            if total < 0:
                # the plain list reads a page from (court_id, opened_on) and counts apart
                counted = session.scalar(
                    select(func.count()).select_from(CaseRow).where(*conditions)
                )
                total = counted or 0
                page = min(page, max(1, -(-total // CASE_LIST_LIMIT)))
                rows = page_of(page) if total else []
            offset = (page - 1) * CASE_LIST_LIMIT
            ids = [row.id for row in rows]
            hearings = session.execute(
                select(HearingRow.case_id, HearingRow.starts_at).where(
                    HearingRow.case_id.in_(ids),
                    HearingRow.status == HearingStatus.SCHEDULED.value,
                    HearingRow.deleted.is_(False),
                )
            ).all()
        upcoming: dict[str, datetime] = {}
        for case_id, starts in hearings:
            if case_id not in upcoming or starts < upcoming[case_id]:
                upcoming[case_id] = starts
        summaries = [
            CaseSummary(
                row.id,
                format_a_number(row.a_number),
                f"{row.respondent_last_name.upper()}, {row.respondent_first_name}",
                row.name,
                row.status,
                upcoming.get(row.id),
                row.timezone,
            )
            for row in rows
        ]
        return CasePage(summaries, total, offset + 1, page, courts)

    @staticmethod
    def _conditions(wanted: CaseListQuery) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        term = wanted.search.strip()
        if term:
            digits = normalise_search_term(term)
            words = [w for w in fold(term).replace(",", " ").split() if w]
            by_name = and_(
                *(
                    CaseRow.respondent_name_folded.like(f"%{_escaped(w)}%", escape="\\")
                    for w in words
                )
            )
            if digits:
                conditions.append(or_(by_name, CaseRow.a_number.like(f"%{digits}%")))
            else:
                conditions.append(by_name)
        if wanted.court_id:
            conditions.append(CaseRow.court_id == wanted.court_id)
        if wanted.status:
            conditions.append(CaseRow.status == wanted.status)
        scheduled = select(HearingRow.id).where(
            HearingRow.case_id == CaseRow.id,
            HearingRow.status == HearingStatus.SCHEDULED.value,
            HearingRow.deleted.is_(False),
        )
        if wanted.next_hearing == "none":
            conditions.append(~scheduled.exists())
        elif wanted.next_hearing in NEXT_HEARING_DAYS and wanted.today is not None:
            # Whole days on the court's calendar are close enough here: from the start of
            # today (UTC) to the end of the last day, a few hours' slack either side.
            start = datetime.combine(wanted.today, time.min, tzinfo=UTC)
            end = start + timedelta(days=int(wanted.next_hearing) + 1)
            conditions.append(
                scheduled.where(HearingRow.starts_at >= start, HearingRow.starts_at < end).exists()
            )
        return conditions

    def _visible_case(self, session: Session, principal: Principal, case_id: str) -> Case:
        row = session.get(CaseRow, case_id) if _is_uuid(case_id) else None
        if row is None or row.deleted:
            raise NotFound
        case = row_to_record("case", row)
        assert isinstance(case, Case)
        lookups = SessionLookups(session)
        reader = principal.role.is_external or principal.role is Role.RESPONDENT
        refusal = None
        if not reader or not can_see(principal, placement_of(case, lookups), lookups):
            refusal = "not a reader of this case"
        flags = record_flags(case, lookups)
        refusal = refusal or flagged_read_refusal(principal, flags, case.id, lookups)
        if refusal:
            if flags:  # a refused read of a confidential case is audited by name
                with write_transaction(self.factory) as audit_session:
                    confidentiality.audit_refusal(
                        audit_session, principal, "case", case.id, flags, refusal, via="portal"
                    )
            raise NotFound
        return case

    def check_case(self, principal: Principal, case_id: str) -> Case:
        with self.factory() as session:
            return self._visible_case(session, principal, case_id)

    def case_detail(self, principal: Principal, case_id: str, today: date) -> CaseDetail:
        with self.factory() as session:
            case = self._visible_case(session, principal, case_id)
        flags = flags_of(case.confidentiality)
        if flags:  # the case page of a confidential case is a read of it, audited by name
            with write_transaction(self.factory) as audit_session:
                confidentiality.audit_read(
                    audit_session, principal, "case", case.id, flags, via="portal"
                )
        with self.factory() as session:
            lookups = SessionLookups(session)
            court = session.get(CourtRow, case.court_id)
            assert court is not None
            zone = ZoneInfo(court.timezone)
            names = _names(session, case)
            hearings = [
                row_to_record("hearing", h)
                for h in session.scalars(
                    select(HearingRow)
                    .where(HearingRow.case_id == case.id, HearingRow.deleted.is_(False))
                    .order_by(HearingRow.starts_at)
                )
            ]
            rooms = {
                r.id: r.name
                for r in session.scalars(
                    select(CourtroomRow).where(CourtroomRow.court_id == case.court_id)
                )
            }
            lines = [
                HearingLine(
                    h,
                    h.starts_at.astimezone(zone),
                    rooms.get(h.courtroom_id or "", "—"),
                    names.get(h.judge_id or "", "—"),
                )
                for h in hearings
                if isinstance(h, Hearing)
            ]
            filings = [
                f
                for f in (
                    row_to_record("filing", r)
                    for r in session.scalars(
                        select(FilingRow)
                        .where(FilingRow.case_id == case.id, FilingRow.deleted.is_(False))
                        .order_by(FilingRow.submitted_at.desc())
                    )
                )
                if isinstance(f, Filing) and can_see(principal, placement_of(f, lookups), lookups)
            ]
            reasons = {f.id: f.rejection_reason for f in filings}
            documents = [
                DocumentLine(d, reasons.get(d.filing_id or ""))
                for d in (
                    row_to_record("document", r)
                    for r in session.scalars(
                        select(DocumentRow)
                        .where(DocumentRow.case_id == case.id, DocumentRow.deleted.is_(False))
                        .order_by(DocumentRow.filed_on, DocumentRow.title)
                    )
                )
                if isinstance(d, Document) and can_see(principal, placement_of(d, lookups), lookups)
            ]
            appearance_row = session.scalar(
                select(RepresentationRow).where(
                    RepresentationRow.case_id == case.id,
                    RepresentationRow.practitioner_id == principal.id,
                    RepresentationRow.deleted.is_(False),
                )
            )
            appearance = row_to_record("representation", appearance_row) if appearance_row else None
            # The counsel history: the page is the parties of record's alone (the case is
            # read through the policy above: counsel whose appearance covers it, DHS at its
            # court), so they read every appearance that was accepted, ended ones too,
            # though the ended records themselves stay the court's in the sync feed.
            appearances = [
                a
                for a in (
                    row_to_record("representation", r)
                    for r in session.scalars(
                        select(RepresentationRow).where(
                            RepresentationRow.case_id == case.id,
                            RepresentationRow.deleted.is_(False),
                        )
                    )
                )
                if isinstance(a, Representation)
            ]
            people = {a.practitioner_id for a in appearances} | {
                a.leave_by for a in appearances if a.leave_by
            }
            rows = session.execute(
                select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(people))
            )
            names.update({user: name for user, name in rows})
            # The decision's deadlines read its signed order (oral or written, in absentia)
            # and, for a written one, the day its document was first served.
            orders = [
                row_to_record("order", r).model_dump(mode="json")
                for r in session.scalars(
                    select(OrderRow).where(OrderRow.case_id == case.id, OrderRow.deleted.is_(False))
                )
            ]
            # The judge's decision record is the source where there is one.
            decisions = [
                row_to_record("decision", r).model_dump(mode="json")
                for r in session.scalars(
                    select(DecisionRow).where(
                        DecisionRow.case_id == case.id, DecisionRow.deleted.is_(False)
                    )
                )
            ]
            served: dict[str, date] = {}
            for service in session.scalars(
                select(ServiceRecordRow).where(
                    ServiceRecordRow.case_id == case.id, ServiceRecordRow.deleted.is_(False)
                )
            ):
                day = local_date(service.served_at, zone)
                served[service.document_id] = min(day, served.get(service.document_id, day))
            addresses = [
                a
                for a in (
                    row_to_record("address", r)
                    for r in session.scalars(
                        select(AddressRow).where(
                            AddressRow.case_id == case.id, AddressRow.deleted.is_(False)
                        )
                    )
                )
                if isinstance(a, Address)
            ]
        scheduled = [
            (line.hearing.hearing_type, line.starts_local.date())
            for line in lines
            if line.hearing.status is HearingStatus.SCHEDULED
            and line.hearing.hearing_type is not HearingType.BOND
        ]
        detained = case.custody is Custody.DETAINED
        deadlines = deadlines_for_case(
            scheduled,
            case_decision(case.model_dump(mode="json"), orders, served, decisions),
            today=today,
            motions=case_motions(line.document.model_dump(mode="json") for line in documents),
            detained=detained,
            # Counsel and DHS file electronically (8 CFR 1003.31(a)): ECAS outages count.
            calendar=court_calendar(court.code, detained=detained),
        )
        return CaseDetail(
            case,
            court.name,
            court.timezone,
            names.get(case.judge_id or "", "Not yet assigned"),
            lines,
            documents,
            filings,
            deadlines,
            appearance if isinstance(appearance, Representation) else None,
            address_of_record(addresses, custody=case.custody, on=today),
            address_history(addresses),
            counsel_history(appearances, names),
        )

    def my_filings(self, principal: Principal) -> list[tuple[Filing, str]]:
        """The user's own filings, newest first, with the case's respondent (or "—")."""
        with self.factory() as session:
            rows = session.execute(
                select(FilingRow, CaseRow)
                .outerjoin(CaseRow, CaseRow.id == FilingRow.case_id)
                .where(FilingRow.filer_id == principal.id, FilingRow.deleted.is_(False))
                .order_by(FilingRow.submitted_at.desc())
                .limit(100)
            ).all()
            lookups = SessionLookups(session)
            out = []
            for filing_row, case_row in rows:
                filing = row_to_record("filing", filing_row)
                assert isinstance(filing, Filing)
                case = row_to_record("case", case_row) if case_row is not None else None
                if case is not None and can_see(principal, placement_of(case, lookups), lookups):
                    label = f"{format_a_number(case_row.a_number)} {_respondent(case_row)}"
                else:  # a pending appearance shows what its filer typed, nothing of the case
                    label = _as_typed(filing)
                out.append((filing, label))
            return out

    def open_document(
        self, principal: Principal, case_id: str, document_id: str
    ) -> tuple[Iterator[bytes], int, str]:
        """The bytes of a document of a case the user can see (audited as a read)."""
        with self.factory() as session:
            self._visible_case(session, principal, case_id)
            row = session.get(DocumentRow, document_id) if _is_uuid(document_id) else None
            if row is None or row.deleted or row.case_id != case_id:
                raise NotFound
            lookups = SessionLookups(session)
            document = row_to_record("document", row)
            assert isinstance(document, Document)
            flags = record_flags(document, lookups)
            refusal = None
            if not can_see(principal, placement_of(document, lookups), lookups):
                refusal = "not a reader of this document"
            refusal = refusal or flagged_read_refusal(principal, flags, case_id, lookups)
        if flags:  # every read of a confidential document and every refusal, by name
            with write_transaction(self.factory) as session:
                if refusal:
                    confidentiality.audit_refusal(
                        session, principal, "document", document.id, flags, refusal, via="portal"
                    )
                else:
                    confidentiality.audit_read(
                        session, principal, "document", document.id, flags, via="portal"
                    )
        if refusal:
            raise NotFound
        with write_transaction(self.factory) as session:
            audit.append(
                session,
                actor_id=principal.id,
                action="document.read",
                entity="document",
                record_id=document.id,
                detail={"sha256": document.sha256, "via": "portal"},
            )
        # Any title: the download's header is made safe in one place (http_edges).
        filename = f"{document.title}.pdf"
        return self.blobs.read(document.sha256, 0, document.size), document.size, filename


def _as_typed(filing: Filing) -> str:
    """A filing's case as its filer named it on the form (an A-number and a name), for a
    case they are not (yet) of record in: "—" when the form names none."""
    form = filing.form
    typed = str(form.get("a_number") or "").strip()[:20]
    with contextlib.suppress(ANumberError):
        typed = format_a_number(parse_a_number(typed)) if typed else ""
    last = str(form.get("respondent_last_name") or "").strip()[:100]
    first = str(form.get("respondent_first_name") or "").strip()[:100]
    name = f"{last.upper()}, {first}" if last and first else last.upper()
    return " ".join(part for part in (typed, name) if part) or "—"


def _names(session: Session, case: Case) -> dict[str, str]:
    ids = {
        i
        for i in session.scalars(select(HearingRow.judge_id).where(HearingRow.case_id == case.id))
        if i
    }
    if case.judge_id:
        ids.add(case.judge_id)
    rows = session.execute(select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(ids)))
    return {i: name for i, name in rows}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
