"""eFiling through the portal: appearances (EOIR-28/27), documents, changes of address and
DHS notices to appear. Each becomes a ``filing`` (with its documents) that waits for clerk
review, written through the same policy and domain checks as a pushed change, and audited.
"""

from __future__ import annotations

import io
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from common.enums import (
    CaseStatus,
    DocumentStatus,
    DocumentType,
    FilingKind,
    FilingStatus,
    MotionType,
    Movant,
    OtherPartyPosition,
    Party,
    Role,
)
from common.forms_eoir import (
    AppearanceForm,
    ChangeOfAddressForm,
    CheckedNta,
    FieldErrors,
    NoticeToAppearForm,
    nta_case_type_refusal,
)
from common.wire import Case, Document, Filing, Motion, WireRecord
from sync_server.db import write_transaction
from sync_server.models import MotionRow
from sync_server.policy import Principal, check_write
from sync_server.services import audit, confidentiality, filing_rules
from sync_server.services.addresses import nta_address
from sync_server.services.appeals import board_court
from sync_server.services.blobs import BlobService, UploadError
from sync_server.services.bond_links import link_bond_cases
from sync_server.services.change_rules import check_change
from sync_server.services.portal_cases import CasePortal
from sync_server.services.records import SessionLookups, row_to_record, write_record

MAX_ATTACHMENTS = 20


class FilingRefused(Exception):
    """The filing was not made; ``errors`` name fields, ``message`` says what to do."""

    def __init__(self, message: str, errors: FieldErrors | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it."""

    field: str  # the form field it came in, for error messages
    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedPdf:
    upload: Upload
    sha256: str
    pages: int


def _now() -> datetime:
    return datetime.now(UTC)


def _pending_filing(
    principal: Principal,
    case_id: str,
    court_id: str,
    kind: FilingKind,
    form: dict[str, Any],
    *,
    filing_id: str | None = None,
    lead_document_id: str | None = None,
    attachment_ids: list[str] | None = None,
) -> Filing:
    """A filing by ``principal`` in the case, waiting for the clerk's review from now."""
    return Filing(
        id=filing_id or str(uuid.uuid4()),
        case_id=case_id,
        court_id=court_id,
        filer_id=principal.id,
        kind=kind,
        status=FilingStatus.PENDING,
        submitted_at=_now(),
        lead_document_id=lead_document_id,
        attachment_ids=attachment_ids or [],
        form=form,
    )


@dataclass
class FilingDesk:
    factory: sessionmaker[Session]
    blobs: BlobService
    cases: CasePortal

    # -- shared ------------------------------------------------------------------------------

    def _write(self, session: Session, principal: Principal, record: WireRecord) -> None:
        """Write one new record as a push would: policy, domain checks, audit."""
        lookups = SessionLookups(session)
        reason = check_write(principal, record.entity, None, record, lookups)
        if not reason:  # the filing rules by field, before check_change says them in a line
            refused = filing_rules.record_refusal(session, principal.id, None, record)
            if refused:
                raise FilingRefused(refused.message, refused.errors)
        reason = reason or check_change(session, principal.id, None, record)
        if reason:
            raise FilingRefused(f"The court can't accept this filing: {reason}.")
        version = write_record(session, record, lookups=lookups)
        audit.append(
            session,
            actor_id=principal.id,
            action="record.create",
            entity=record.entity,
            record_id=record.id,
            detail={"version": version, "via": "portal", "data": record.model_dump(mode="json")},
        )
        # A notice to appear links the respondent's bond cases to the removal case it opens.
        link_bond_cases(session, None, record, lookups, actor_id=principal.id)
        # An I-589 marks itself and its case as asylum information (8 CFR 1208.6).
        confidentiality.after_write(session, None, record, lookups, actor_id=principal.id)

    def check_pdfs(self, uploads: list[Upload]) -> tuple[list[CheckedPdf], FieldErrors]:
        """Pre-flight every file; all reasons for every file, by field."""
        checked, errors = [], {}
        for up in uploads:
            if len(up.data) > self.blobs.max_bytes:
                size = math.ceil(len(up.data) * 10 / 1_048_576) / 10
                parts = math.ceil(len(up.data) / self.blobs.max_bytes)
                errors[up.field] = (
                    f"{up.filename} is {size:.1f} MB; the limit is "
                    f"{self.blobs.max_bytes / 1_048_576:.0f} MB a file. Split it into at least "
                    f"{parts} numbered parts (Part 1 of {parts}, …) and attach each part."
                )
                continue
            try:  # parsed in the PDF box (services/blobs.py, common/pdf_box.py)
                report = self.blobs.preflight(up.data)
            except UploadError as err:
                raise FilingRefused(str(err), {up.field: str(err)}) from err
            if report.problems:
                errors[up.field] = f"{up.filename}: " + " ".join(p.message for p in report.problems)
                continue
            checked.append(CheckedPdf(up, report.sha256, report.page_count or 0))
        return checked, errors

    def _store(self, principal: Principal, pdf: CheckedPdf) -> None:
        """Put the bytes in the eROP store through the blob service (verified, audited)."""
        try:
            state = self.blobs.start(principal, pdf.sha256, len(pdf.upload.data))
            if not state.exists:
                assert state.upload_id is not None
                self.blobs.append(
                    principal, state.upload_id, state.offset, io.BytesIO(pdf.upload.data)
                )
        except UploadError as err:
            raise FilingRefused(str(err), {pdf.upload.field: str(err)}) from err

    # -- appearances -------------------------------------------------------------------------

    def file_appearance(self, principal: Principal, form: AppearanceForm) -> str:
        """File an EOIR-28 or EOIR-27; returns the filing id. The case is found by A-number
        and the respondent's last name; a mismatch is reported on the A-number field
        without saying whether the A-number exists."""
        with write_transaction(self.factory) as session:
            # The rules a pushed EOIR-28/27 meets too (services/filing_rules), asked first
            # here to show their reasons by field; _write asks again as a push would.
            refused = filing_rules.appearance_refusal(session, principal.id, form)
            if refused:
                raise FilingRefused(refused.message, refused.errors)
            case = filing_rules.matching_case(session, form)
            assert case is not None  # appearance_refusal found it
            filing = _pending_filing(
                principal, case.id, case.court_id, form.kind, form.as_filing_form()
            )
            self._write(session, principal, filing)
            return filing.id

    # -- documents ---------------------------------------------------------------------------

    def file_documents(
        self,
        principal: Principal,
        case_id: str,
        doc_type: DocumentType,
        title: str,
        lead: Upload,
        attachments: list[Upload],
        today: date,
        form_extra: dict[str, Any] | None = None,
    ) -> str:
        """File a lead document with attachments in a case the user appears in (or, for a
        respondent, their own case); every file is pre-flighted first and nothing is filed
        unless all pass. ``form_extra`` is kept on the filing beside its title and type
        (a respondent's filing: what kind it is and on whom it is served)."""
        case = self.cases.check_case(principal, case_id)
        title = " ".join(title.split())[:200]
        if not title:
            raise FilingRefused("Give the document a title.", {"title": "This field is required."})
        if len(attachments) > MAX_ATTACHMENTS:
            raise FilingRefused(f"Attach at most {MAX_ATTACHMENTS} files to one filing.")
        checked, errors = self.check_pdfs([lead, *attachments])
        if errors:
            raise FilingRefused("Some files can't be filed; see the reasons below.", errors)
        for pdf in checked:
            self._store(principal, pdf)
        return self._record_documents(
            principal, case, doc_type, title, checked, today, form_extra=form_extra
        )

    def _record_documents(
        self,
        principal: Principal,
        case: Case,
        doc_type: DocumentType,
        title: str,
        checked: list[CheckedPdf],
        today: date,
        kind: FilingKind = FilingKind.DOCUMENT,
        opens_case: bool = False,
        nta: NoticeToAppearForm | None = None,
        form_extra: dict[str, Any] | None = None,
    ) -> str:
        party = {Role.DHS: Party.DHS, Role.RESPONDENT: Party.RESPONDENT}.get(
            principal.role, Party.PRACTITIONER
        )
        filing_id = str(uuid.uuid4())
        docs = [
            Document(
                id=str(uuid.uuid4()),
                case_id=case.id,
                doc_type=doc_type if i == 0 else DocumentType.EVIDENCE,
                title=title if i == 0 else f"{title} — attachment {i}: {pdf.upload.filename}"[:200],
                filer_id=principal.id,
                filer_party=party,
                filed_on=today,
                pages=pdf.pages,
                sha256=pdf.sha256,
                size=len(pdf.upload.data),
                status=DocumentStatus.PENDING,
                filing_id=filing_id,
            )
            for i, pdf in enumerate(checked)
        ]
        filing = _pending_filing(
            principal,
            case.id,
            case.court_id,
            kind,
            {**(form_extra or {}), "title": title, "doc_type": doc_type.value},
            filing_id=filing_id,
            lead_document_id=docs[0].id,
            attachment_ids=[d.id for d in docs[1:]],
        )
        with write_transaction(self.factory) as session:
            if opens_case:  # the case, its NTA filing and document commit together
                self._write(session, principal, case)
            self._write(session, principal, filing)
            for doc in docs:
                self._write(session, principal, doc)
            if nta is not None:  # its address is the first of the history, kept with it
                address = nta_address(
                    case, nta, filing_id=filing_id, document_id=docs[0].id, recorded_at=_now()
                )
                if address is not None:
                    self._write(session, principal, address)
        return filing_id

    # -- motions -----------------------------------------------------------------------------

    def file_motion(
        self,
        principal: Principal,
        case_id: str,
        motion_type: MotionType,
        movant: Movant,
        position: OtherPartyPosition,
        description: str,
        lead: Upload,
        today: date,
        *,
        before_board: bool = False,
        emergency: bool = False,
        received_on: date | None = None,
    ) -> str:
        """File a motion with its PDF: a filing of the motion document that waits for the
        clerk's review, and the ``motion`` record the judge rules on once it is accepted,
        written in one transaction through the same checks as a push; returns the motion's
        id. ``before_board``: the case is before the Board, which rules on the motion
        (``services.motions.case_before_board``); ``emergency``: an emergency stay;
        ``received_on``: the motion's day received when not ``today`` (the Board's)."""
        case = self.cases.check_case(principal, case_id)
        checked, errors = self.check_pdfs([lead])
        if errors:
            raise FilingRefused("The motion can't be filed; see the reason.", errors)
        self._store(principal, checked[0])
        pdf = checked[0]
        label = motion_type.value.replace("_", " ")
        title = f"Motion ({label})" if motion_type is not MotionType.OTHER else "Motion"
        if description.strip():
            title = f"{title}: {' '.join(description.split())}"[:200]
        party = Party.DHS if principal.role is Role.DHS else Party.PRACTITIONER
        filing_id, document_id = str(uuid.uuid4()), str(uuid.uuid4())
        document = Document(
            id=document_id,
            case_id=case.id,
            doc_type=DocumentType.MOTION,
            title=title,
            filer_id=principal.id,
            filer_party=party,
            filed_on=today,
            pages=pdf.pages,
            sha256=pdf.sha256,
            size=len(pdf.upload.data),
            status=DocumentStatus.PENDING,
            filing_id=filing_id,
        )
        filing = _pending_filing(
            principal,
            case.id,
            case.court_id,
            FilingKind.DOCUMENT,
            {
                "title": title,
                "doc_type": DocumentType.MOTION.value,
                "motion_type": motion_type.value,
            },
            filing_id=filing_id,
            lead_document_id=document_id,
        )
        motion = Motion(
            id=str(uuid.uuid4()),
            case_id=case.id,
            motion_type=motion_type,
            movant=movant,
            description=" ".join(description.split())[:200] or None,
            filed_on=received_on or today,
            filer_id=principal.id,
            filing_id=filing_id,
            document_id=document_id,
            other_party_position=position,
            before_board=before_board,
            emergency=emergency,
        )
        with write_transaction(self.factory) as session:
            board = board_court(session) if before_board else None
            if board is not None:  # filed with the Board, whose clerk reviews it
                filing = filing.model_copy(update={"court_id": board.id})
            self._write(session, principal, filing)
            self._write(session, principal, document)
            self._write(session, principal, motion)
        return motion.id

    def record_position(
        self,
        principal: Principal,
        case_id: str,
        motion_id: str,
        position: OtherPartyPosition,
    ) -> None:
        """The party's position on the other side's pending motion (DHS on the
        respondent's, counsel on DHS's), written through the same checks as a push."""
        self.cases.check_case(principal, case_id)
        with write_transaction(self.factory) as session:
            row = session.get(MotionRow, motion_id)
            old = row_to_record("motion", row) if row is not None else None
            if not isinstance(old, Motion) or old.case_id != case_id or row is None:
                raise FilingRefused("There is no such motion in this case.")
            new = old.model_copy(update={"other_party_position": position})
            lookups = SessionLookups(session)
            reason = check_write(principal, "motion", old, new, lookups) or check_change(
                session, principal.id, old, new
            )
            if reason:
                raise FilingRefused(f"Your position can't be recorded: {reason}.")
            version = write_record(session, new, lookups=lookups)
            audit.append(
                session,
                actor_id=principal.id,
                action="record.update",
                entity="motion",
                record_id=new.id,
                detail={"version": version, "other_party_position": position.value},
            )

    # -- change of address -------------------------------------------------------------------

    def change_of_address(
        self, principal: Principal, case_id: str, form: ChangeOfAddressForm
    ) -> str:
        case = self.cases.check_case(principal, case_id)
        filing = _pending_filing(
            principal,
            case.id,
            case.court_id,
            FilingKind.CHANGE_OF_ADDRESS,
            form.model_dump(mode="json"),
        )
        with write_transaction(self.factory) as session:
            self._write(session, principal, filing)
        return filing.id

    # -- notices to appear (DHS) -------------------------------------------------------------

    def file_notice_to_appear(
        self, principal: Principal, nta: CheckedNta, pdf_upload: Upload, today: date
    ) -> str:
        """Open a case from a notice to appear, with the NTA's PDF as its first document;
        returns the case id. Refused when an open case with the A-number exists at one of
        DHS's courts, other than a bond case: custody proceedings are separate and apart
        from removal proceedings (8 CFR 1003.19(d)), and a notice to appear may follow a
        bond hearing. A notice to appear opens removal proceedings only."""
        form = nta.form
        wrong_type = nta_case_type_refusal(form.case_type)
        if wrong_type:
            sentence = wrong_type[0].upper() + wrong_type[1:] + "."
            raise FilingRefused(sentence, {"case_type": sentence})
        if principal.role is not Role.DHS or form.court_id not in principal.assigned_court_ids:
            raise FilingRefused(
                "Choose one of your assigned courts.",
                {"court_id": "Choose one of your assigned courts."},
            )
        checked, errors = self.check_pdfs([pdf_upload])
        if errors:
            raise FilingRefused("The notice to appear can't be filed; see the reason.", errors)
        with self.factory() as session:
            refused = filing_rules.open_case_refusal(
                session, nta.a_number, principal.assigned_court_ids
            )
        if refused:
            raise FilingRefused(refused.message, refused.errors)
        self._store(principal, checked[0])
        case = Case(
            id=str(uuid.uuid4()),
            a_number=nta.a_number,
            court_id=form.court_id,
            case_type=form.case_type,
            status=CaseStatus.OPENED,
            custody=form.custody,
            respondent_first_name=form.respondent_first_name,
            respondent_last_name=form.respondent_last_name,
            nationality=form.nationality,
            language=form.language,
            date_of_birth=form.date_of_birth,
            charges=nta.charges,
            nta_served_on=form.served_on,
            opened_on=today,
        )
        self._record_documents(
            principal,
            case,
            DocumentType.NOTICE_TO_APPEAR,
            f"Notice to Appear — {form.respondent_last_name.upper()}, {form.respondent_first_name}",
            checked,
            today,
            kind=FilingKind.NOTICE_TO_APPEAR,
            opens_case=True,
            nta=form,
        )
        return case.id
