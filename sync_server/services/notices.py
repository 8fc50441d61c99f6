"""Issuing notices of hearing when a scheduling change reaches the server.

The clerk sets, resets, adjourns or cancels a hearing in the client (offline too); the push
that brings the change calls :meth:`HearingNotices.issue_for` in the mutation's savepoint,
right after the hearing is written. When the change is one the parties must be told of
(``common.hearing_notices.notice_kind``), it renders the notice, stores the PDF as a blob
and writes the ``document`` (accepted, filed by the court) and one ``service_record`` per
party served, with an audit entry. All of it commits with the hearing change or not at all.

Exactly once: the ids of what a notice makes derive from the hearing's id, the version the
change gave it and the kind of notice, so a second write could only name the same records,
and a replayed push (same mutation id) is answered from the stored result without applying
anything. One notice per hearing change: a clerk who moves thirty hearings in one push
serves thirty notices, each rendered once (a few tens of milliseconds each).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.court_time import format_date, local_date, utc_now
from common.enums import DocumentStatus, DocumentType, HearingStatus, Party
from common.forms_eoir import ServiceMethod
from common.hearing_notices import (
    HearingNotice,
    NoticeCourt,
    NoticeKind,
    Setting,
    mailed_copy_with_code,
    notice_kind,
    notice_template,
    page_count,
    render_notice,
    service_proceeding,
)
from common.wire import Document, Hearing, WireRecord
from sync_server.models import (
    AdjournmentCodeRow,
    Blob,
    CaseRow,
    CourtroomRow,
    CourtRow,
    HearingRow,
    UserRow,
)
from sync_server.models.respondents import CaseAccessCode
from sync_server.services import access_codes, audit
from sync_server.services.blob_store import BlobStore
from sync_server.services.records import SessionLookups, row_to_record, write_record
from sync_server.services.service import certificate_for, record_service

# Where the respondent's mailed copy sends them to enrol (sync_server/portal).
ENROL_PAGE = "/portal/respondent/enrol"
_NOTICE_NAMESPACE = uuid.UUID("0b7d3f64-91c2-4c8e-a4a5-6f2e9d1b7c30")


def notice_id(hearing_id: str, version: int, kind: NoticeKind, *parts: str) -> str:
    """Ids of what one notice makes, from the hearing, the version its change was written
    at and the kind of notice: issuing the same change twice can only name the same
    records, and two changes of one hearing never share a notice."""
    key = "/".join((hearing_id, str(version), kind.value, *parts))
    return str(uuid.uuid5(_NOTICE_NAMESPACE, key))


class HearingNotices:
    """Issues notices of hearing inside a push's write transaction."""

    def __init__(self, store: BlobStore, staging: Path) -> None:
        self.store = store
        self.staging = staging
        self._codes: dict[str, str] = {}  # case id -> the code issued in this push

    def issue_for(
        self,
        session: Session,
        old: WireRecord | None,
        new: WireRecord,
        version: int,
        lookups: SessionLookups,
        actor_id: str,
    ) -> str | None:
        """Issue the notice ``new`` calls for, if any (``version``: the one just written).
        Returns why it could not be issued (the caller refuses the change, so a hearing
        never moves without its notice), or None."""
        if not isinstance(new, Hearing):
            return None
        kind = notice_kind(old if isinstance(old, Hearing) else None, new)
        if kind is None:
            return None
        try:
            previous = old if isinstance(old, Hearing) else None
            self.issue(session, kind, previous, new, version, lookups, actor_id)
        except (LookupError, ValueError, RuntimeError, OSError) as err:
            return f"the notice of hearing could not be issued: {err}"
        return None

    def issue(
        self,
        session: Session,
        kind: NoticeKind,
        old: Hearing | None,
        new: Hearing,
        version: int,
        lookups: SessionLookups,
        actor_id: str,
        now: datetime | None = None,
    ) -> Document:
        """Render, store and record the notice of ``kind`` for the change ``old`` ->
        ``new``; returns its document (already written)."""
        issued_at = now or utc_now()
        notice = self.notice(session, kind, old, new, version, issued_at)
        try:
            pdf = render_notice(notice)
        except (RuntimeError, ValueError):
            raise
        except Exception as err:  # MuPDF's own errors derive from Exception alone
            raise RuntimeError(f"its PDF could not be made ({type(err).__name__})") from err
        sha256 = hashlib.sha256(pdf).hexdigest()
        self._store(session, sha256, pdf)
        _, document_title = notice_template().titles[kind]
        hearing_day = local_date(notice.setting.starts_at, notice.court.timezone)
        document = Document(
            id=notice_id(new.id, version, kind, "document"),
            case_id=new.case_id,
            doc_type=DocumentType.HEARING_NOTICE,
            title=f"{document_title} (hearing of {format_date(hearing_day)})"[:200],
            filer_id=actor_id,
            filer_party=Party.COURT,
            filed_on=local_date(issued_at, notice.court.timezone),
            pages=page_count(pdf),
            sha256=sha256,
            size=len(pdf),
            status=DocumentStatus.ACCEPTED,
        )
        write_record(session, document, lookups=lookups)
        record_service(
            session,
            notice.service,
            case_id=new.case_id,
            document_id=document.id,
            served_at=issued_at,
            record_id=lambda party: notice_id(
                new.id, version, kind, "service", party.party.value, party.recipient_id or ""
            ),
            lookups=lookups,
            hearing_at=notice.setting.starts_at,
        )
        audit.append(
            session,
            actor_id=actor_id,
            action="notice.issue",
            entity="document",
            record_id=document.id,
            detail={
                "kind": kind.value,
                "hearing_id": new.id,
                "hearing_version": version,
                "title": document.title,
                "sha256": sha256,
                "served": [
                    {"party": p.party.value, "method": p.method.value, "sent": not p.unreachable}
                    for p in notice.service.parties
                ],
            },
        )
        self._respondent_copy(session, notice, document, pdf, actor_id)
        return document

    def _respondent_copy(
        self,
        session: Session,
        notice: HearingNotice,
        document: Document,
        record_copy: bytes,
        actor_id: str,
    ) -> None:
        """The copy mailed to a respondent without counsel of record carries a new case
        access code (services/access_codes.py); the record's copy, which DHS and counsel
        read, never does. The mailed copy is kept as the court's copy of what it mailed
        (a blob, no document of the record); the database keeps the code's hash only."""
        mailed = any(
            p.party is Party.RESPONDENT and p.method is ServiceMethod.MAIL and not p.unreachable
            for p in notice.service.parties
        )
        if not mailed:
            return
        # One code a case a push: every notice of the push mailed to the respondent
        # carries the same, live code (a push may move ten hearings of one case).
        code = self._codes.get(document.case_id)
        if code is None:
            code = access_codes.issue(
                session, document.case_id, actor_id, notice_document_id=document.id
            )
            self._codes[document.case_id] = code
        else:
            row = session.get(CaseAccessCode, document.case_id)
            assert row is not None
            row.notice_document_id = document.id
        copy = replace(notice, access_code=code, portal_address=ENROL_PAGE)
        try:
            pdf = mailed_copy_with_code(record_copy, copy)
        except (RuntimeError, ValueError):
            raise
        except Exception as err:  # MuPDF's own errors derive from Exception alone
            raise RuntimeError(f"its mailed copy could not be made ({type(err).__name__})") from err
        sha256 = hashlib.sha256(pdf).hexdigest()
        self._store(session, sha256, pdf)
        row = session.get(CaseAccessCode, document.case_id)
        assert row is not None
        row.mailed_copy_sha256 = sha256

    def notice(
        self,
        session: Session,
        kind: NoticeKind,
        old: Hearing | None,
        new: Hearing,
        version: int,
        issued_at: datetime,
    ) -> HearingNotice:
        """What the notice says, from the server's records."""
        case = session.get(CaseRow, new.case_id)
        if case is None:
            raise LookupError(f"no case {new.case_id}")
        court_row = session.get(CourtRow, case.court_id)
        if court_row is None:
            raise LookupError(f"the case's court {case.court_id} is not on the server")
        court = NoticeCourt(
            name=court_row.name,
            street=court_row.address,
            city=court_row.city,
            state=court_row.state,
            timezone=court_row.timezone,
        )
        fallback_judge = case.judge_id
        # Adjourned and cancelled hearings are described as they were set.
        about = old if kind in (NoticeKind.ADJOURNED, NoticeKind.CANCELLED) and old else new
        next_setting = None
        if kind in (NoticeKind.ADJOURNED, NoticeKind.CANCELLED):
            next_setting = self._next_setting(session, new, issued_at, fallback_judge)
        service = certificate_for(
            session,
            new.case_id,
            proceeding=service_proceeding(case.case_type, new.hearing_type.value),
            served_at=issued_at,
        )
        return HearingNotice(
            notice_id=notice_id(new.id, version, kind),
            kind=kind,
            case_type=case.case_type,
            a_number=case.a_number,
            respondent_name=f"{case.respondent_first_name} {case.respondent_last_name}",
            court=court,
            setting=self._setting(session, about, fallback_judge),
            issued_at=issued_at,
            service=service,
            previous=self._setting(session, old, fallback_judge)
            if kind is NoticeKind.RESCHEDULED and old is not None
            else None,
            next=next_setting,
            adjournment_reason=self._reason(session, new.adjournment_code)
            if kind is NoticeKind.ADJOURNED
            else None,
        )

    def _setting(self, session: Session, hearing: Hearing, fallback_judge: str | None) -> Setting:
        room = session.get(CourtroomRow, hearing.courtroom_id) if hearing.courtroom_id else None
        judge_id = hearing.judge_id or fallback_judge
        judge = session.get(UserRow, judge_id) if judge_id else None
        return Setting(
            starts_at=hearing.starts_at,
            hearing_type=hearing.hearing_type.value,
            medium=hearing.medium.value,
            courtroom=room.name if room is not None else None,
            judge=judge.display_name if judge is not None else None,
            interpreter_language=hearing.interpreter_language,
        )

    def _next_setting(
        self, session: Session, hearing: Hearing, now: datetime, fallback_judge: str | None
    ) -> Setting | None:
        """The case's next hearing still set, after ``now`` (None: none is set yet)."""
        row = session.scalars(
            select(HearingRow)
            .where(
                HearingRow.case_id == hearing.case_id,
                HearingRow.id != hearing.id,
                HearingRow.status == HearingStatus.SCHEDULED.value,
                HearingRow.deleted.is_(False),
                HearingRow.starts_at > now,
            )
            .order_by(HearingRow.starts_at, HearingRow.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        following = row_to_record("hearing", row)
        assert isinstance(following, Hearing)
        return self._setting(session, following, fallback_judge)

    def _reason(self, session: Session, code: str | None) -> str | None:
        """The adjournment's reason in words (the internal code itself is not printed)."""
        if not code:
            return None
        return session.scalar(
            select(AdjournmentCodeRow.description).where(AdjournmentCodeRow.code == code)
        )

    def _store(self, session: Session, sha256: str, pdf: bytes) -> None:
        if not self.store.exists(sha256):
            self.staging.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.staging, suffix=".notice")
            with os.fdopen(fd, "wb") as handle:
                handle.write(pdf)
                handle.flush()
                os.fsync(handle.fileno())
            self.store.publish(sha256, Path(name))
        if session.get(Blob, sha256) is None:
            session.add(Blob(sha256=sha256, size=len(pdf), uploaded_by=None))
            session.flush()
