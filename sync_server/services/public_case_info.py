"""What anyone may ask of the court without signing in: the next hearing by A-number, and
a change of address (Form EOIR-33) for the clerk to review.

**The next hearing** answers as EOIR's automated case information does (ICPM Chapter
1.6(c), its hotline and website): the court, the date and time in the court's own time and
the kind of hearing, nothing else (no name, no judge, no courtroom, no status, no other
hearing), for the earliest hearing still set. Bond proceedings are left out, as the
automated case information has none (ICPM 1.6(c)(1)). An A-number with no hearing set and
one the court does not have get the same answer. Each lookup is counted per address
(``portal_throttle``, :data:`LOOKUPS_PER_WINDOW` a window) and audited with a digest of the
A-number.

**The change of address** takes the A-number and the respondent's last name (accents and
case ignored, ``common.folding``) and files a pending EOIR-33 in the respondent's latest
open case, filed by the portal's public filer (an inactive account that can't sign in, so
that every filing has a filer). The clerk reviews it in the desktop's filing queue like
any other; accepted, it becomes the address of record (``services/addresses.py``) and the
next notice is mailed there. Its form is checked as the signed-in form is.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from common.anumber import format_a_number
from common.enums import CaseStatus, CaseType, FilingKind, FilingStatus, HearingStatus, Role
from common.folding import same_name
from common.forms_eoir import ChangeOfAddressForm
from common.wire import Filing, UserProfile
from sync_server.db import write_transaction
from sync_server.models import CaseRow, CourtRow, HearingRow, PortalThrottle, UserRow
from sync_server.models.types import utcnow
from sync_server.policy import Principal, anonymous_filing_refusal, may_rotate_access_code
from sync_server.services import access_codes, audit
from sync_server.services.auth import hash_password
from sync_server.services.change_rules import check_change
from sync_server.services.records import SessionLookups, write_record

LOOKUPS_PER_WINDOW = 30
FILINGS_PER_WINDOW = 5
WINDOW_MINUTES = 15
PUBLIC_FILER_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "ecas:portal:public-filer"))
PUBLIC_FILER_NAME = "Filed without signing in (portal)"
_CLOSED = (CaseStatus.CLOSED.value,)


class Throttled(Exception):
    """Too many requests from this address in the window."""


class NoSuchCase(Exception):
    """No open case with this A-number and last name."""


@dataclass(frozen=True)
class NextHearing:
    court: str
    starts_at: datetime  # UTC; shown in the court's zone
    zone: str
    hearing_type: str  # master / individual


def _digest(a_number: str) -> str:
    return hashlib.sha256(a_number.encode()).hexdigest()[:16]


def _count(session: Session, key: str) -> int:
    since = utcnow() - timedelta(minutes=WINDOW_MINUTES)
    return int(
        session.scalar(
            select(func.count()).where(PortalThrottle.key == key, PortalThrottle.at > since)
        )
        or 0
    )


@dataclass
class PublicCaseInfo:
    factory: sessionmaker[Session]

    def next_hearing(
        self, a_number: str, ip: str, now: datetime | None = None
    ) -> NextHearing | None:
        """The earliest hearing still set after ``now`` in a non-bond case with the
        A-number (None: none, or no such case). :class:`Throttled` past the limit."""
        now = now or datetime.now(UTC)
        key = f"lookup:{ip}"
        with write_transaction(self.factory) as session:
            if _count(session, key) >= LOOKUPS_PER_WINDOW:
                audit.append(session, actor_id=None, action="lookup.throttled", detail={"ip": ip})
                raise Throttled
            session.add(PortalThrottle(key=key))
            row = session.execute(
                select(HearingRow, CourtRow)
                .join(CaseRow, CaseRow.id == HearingRow.case_id)
                .join(CourtRow, CourtRow.id == CaseRow.court_id)
                .where(
                    CaseRow.a_number == a_number,
                    CaseRow.deleted.is_(False),
                    CaseRow.case_type != CaseType.BOND.value,
                    HearingRow.deleted.is_(False),
                    HearingRow.status == HearingStatus.SCHEDULED.value,
                    HearingRow.hearing_type != "bond",
                    HearingRow.starts_at > now,
                )
                .order_by(HearingRow.starts_at, HearingRow.id)
                .limit(1)
            ).first()
            audit.append(
                session,
                actor_id=None,
                action="lookup.hearing",
                detail={"ip": ip, "a_number_sha256": _digest(a_number), "found": row is not None},
            )
        if row is None:
            return None
        hearing, court = row
        return NextHearing(court.name, hearing.starts_at, court.timezone, hearing.hearing_type)

    def change_of_address(
        self, a_number: str, last_name: str, form: ChangeOfAddressForm, ip: str
    ) -> str:
        """File a pending EOIR-33 in the respondent's latest open case; returns the filing
        id. :class:`NoSuchCase` when the A-number and last name name none (the same answer
        whichever is wrong), :class:`Throttled` past the limit."""
        filer_hash = hash_password(secrets.token_urlsafe(32))  # an account no one signs in to
        key = f"public-eoir33:{ip}"
        with write_transaction(self.factory) as session:
            if _count(session, key) >= FILINGS_PER_WINDOW:
                audit.append(
                    session, actor_id=None, action="public_filing.throttled", detail={"ip": ip}
                )
                raise Throttled
            session.add(PortalThrottle(key=key))
            case = self._case(session, a_number, last_name)
            if case is None:
                audit.append(
                    session,
                    actor_id=None,
                    action="public_filing.no_case",
                    detail={"ip": ip, "a_number_sha256": _digest(a_number)},
                )
                raise NoSuchCase
            self._public_filer(session, filer_hash)
            filing = Filing(
                id=str(uuid.uuid4()),
                case_id=case.id,
                court_id=case.court_id,
                filer_id=PUBLIC_FILER_ID,
                kind=FilingKind.CHANGE_OF_ADDRESS,
                status=FilingStatus.PENDING,
                submitted_at=datetime.now(UTC),
                form={**form.model_dump(mode="json"), "filed_without_sign_in": True},
            )
            reason = anonymous_filing_refusal(filing.kind) or check_change(
                session, PUBLIC_FILER_ID, None, filing
            )
            if reason:
                raise NoSuchCase(reason)
            lookups = SessionLookups(session)
            version = write_record(session, filing, lookups=lookups)
            audit.append(
                session,
                actor_id=None,
                action="record.create",
                entity="filing",
                record_id=filing.id,
                detail={
                    "version": version,
                    "via": "portal, without signing in",
                    "ip": ip,
                    "data": filing.model_dump(mode="json"),
                },
            )
            return filing.id

    def rotate_code(self, clerk: Principal, a_number: str) -> tuple[str, str] | None:
        """The clerk replaces the access code of the latest open case with the A-number at
        their court: (the A-number as shown, the new code), or None when none is there."""
        with write_transaction(self.factory) as session:
            case = session.scalars(
                select(CaseRow)
                .where(
                    CaseRow.a_number == a_number,
                    CaseRow.court_id == clerk.court_id,
                    CaseRow.deleted.is_(False),
                    CaseRow.status.not_in(_CLOSED),
                )
                .order_by(CaseRow.opened_on.desc(), CaseRow.id)
                .limit(1)
            ).first()
            if case is None or not may_rotate_access_code(clerk, case.court_id):
                return None
            code = access_codes.rotate(session, case.id, clerk.id)
            return format_a_number(case.a_number), code

    def rotate_code_for_case(self, clerk: Principal, case_id: str) -> tuple[str, str] | None:
        """The same for the case the clerk has open (the desktop's case file): (the
        A-number as shown, the new code), or None when the case is not an open case of the
        clerk's court."""
        with write_transaction(self.factory) as session:
            case = session.get(CaseRow, case_id)
            if (
                case is None
                or case.deleted
                or case.status in _CLOSED
                or not may_rotate_access_code(clerk, case.court_id)
            ):
                return None
            code = access_codes.rotate(session, case.id, clerk.id)
            return format_a_number(case.a_number), code

    @staticmethod
    def _case(session: Session, a_number: str, last_name: str) -> CaseRow | None:
        rows = session.scalars(
            select(CaseRow)
            .where(
                CaseRow.a_number == a_number,
                CaseRow.deleted.is_(False),
                CaseRow.status.not_in(_CLOSED),
            )
            .order_by(CaseRow.opened_on.desc(), CaseRow.id)
        ).all()
        for row in rows:
            if same_name(row.respondent_last_name, last_name):
                return row
        return None

    @staticmethod
    def _public_filer(session: Session, password_hash: str) -> None:
        if session.get(UserRow, PUBLIC_FILER_ID) is not None:
            return
        profile = UserProfile(
            id=PUBLIC_FILER_ID,
            username="portal-public-filer",
            display_name=PUBLIC_FILER_NAME,
            role=Role.RESPONDENT,
            court_id=None,
            active=False,
        )
        write_record(
            session,
            profile,
            extra_columns={
                "password_hash": password_hash,
                "failed_logins": 0,
                "assigned_court_ids": [],
            },
        )
