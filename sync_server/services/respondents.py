"""Respondents' own portal accounts: enrolment with the case access code.

A respondent enrols with three things that must all match one case: the case access code
mailed on their latest notice of hearing (``services/access_codes.py``), the case's
A-number and their date of birth as the case records it. Every mismatch gets the same
answer after the same work (one scrypt check, against a dummy hash when no case has the
A-number), is counted like a failed sign-in (per address and per A-number, in
``portal_throttle``) and audited (``respondent.enrol_failed``, with the reason the person
is not told). A match makes an approved portal account with the respondent role, linked
to the case (``respondent_case``), and spends the code: signing in then takes the password
and the same TOTP second factor as every external user (set up on first sign-in).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.anumber import ANumberError, parse_a_number
from common.enums import Role
from common.forms_eoir import FieldErrors
from common.wire import UserProfile
from sync_server.db import write_transaction
from sync_server.models import CaseRow, PortalAccount, UserRow
from sync_server.models.respondents import CaseAccessCode, RespondentCase
from sync_server.services import access_codes, audit, passwords
from sync_server.services.accounts import AccountStatus
from sync_server.services.auth import hash_password
from sync_server.services.records import write_record
from sync_server.services.totp import Throttle

NO_MATCH = (
    "The access code, A-number and date of birth do not match a case together. Check them "
    "against the latest notice of hearing the court mailed you; if the code is lost, ask "
    "the court's clerk for a new one."
)
THROTTLED = "Too many attempts. Wait 15 minutes, then try again."
# A hash of no code, checked when no case has the A-number, so every answer takes as long.
_DUMMY = access_codes.hash_code("AAAA-AAAA-AAAA")


class EnrolmentRefused(Exception):
    def __init__(self, message: str, status: int = 400, errors: FieldErrors | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}


@dataclass(frozen=True)
class Enrolment:
    access_code: str
    a_number: str  # nine digits
    date_of_birth: date
    email: str
    username: str
    password: str
    language: str = "en"  # the enrolment page's: the language of their mail until changed


def validate_enrolment(data: Mapping[str, Any]) -> tuple[Enrolment | None, FieldErrors]:
    """The form's fields by themselves (not whether they match a case)."""
    errors: FieldErrors = {}
    code = access_codes.normalise(str(data.get("access_code", "")))
    if len(code) != access_codes.LENGTH:
        errors["access_code"] = "Type the 12 letters and digits of the code, as printed."
    try:
        a_number = parse_a_number(str(data.get("a_number", "")))
    except ANumberError:
        a_number = ""
        errors["a_number"] = "Type the A-number as printed on the notice (9 digits)."
    try:
        born = date.fromisoformat(str(data.get("date_of_birth", "")))
    except ValueError:
        born = date.min
        errors["date_of_birth"] = "Give the date of birth as year-month-day (1990-04-27)."
    email = str(data.get("email", "")).strip().lower()
    if "@" not in email or len(email) > 254 or " " in email:
        errors["email"] = "Give an email address you read."
    username = str(data.get("username", "")).strip()
    if not 3 <= len(username) <= 60 or not username.replace(".", "").replace("_", "").isalnum():
        errors["username"] = "3 to 60 letters, digits, dots or underscores."
    password = str(data.get("password", ""))
    if password != str(data.get("password_again", "")):
        errors["password_again"] = "The two passwords differ."  # noqa: S105 (a message)
    problem = passwords.problem(password, Role.RESPONDENT, (username, email))
    if problem:
        errors["password"] = problem
    if errors:
        return None, errors
    return Enrolment(code, a_number, born, email, username, password), {}


@dataclass
class RespondentAccounts:
    factory: sessionmaker[Session]
    throttle: Throttle

    def enrol(self, enrolment: Enrolment, ip: str) -> str:
        """Make the respondent's account; returns its user id. :class:`EnrolmentRefused`
        with the one mismatch message (400), the throttle's (429), or field errors for a
        username or address already taken (only once the identity matched)."""
        password_hash = hash_password(enrolment.password)  # outside the write lock
        with self.factory() as session:
            case, code_ok = self._case(session, enrolment)
        counted = f"anumber-{enrolment.a_number}"
        with write_transaction(self.factory) as session:
            if self.throttle.throttled(session, counted, ip):
                audit.append(
                    session, actor_id=None, action="respondent.enrol_throttled", detail={"ip": ip}
                )
                failure = EnrolmentRefused(THROTTLED, 429)
            else:
                reason = self._mismatch(case, code_ok, enrolment)
                if reason is None and case is not None:
                    clash = self._clash(session, enrolment)
                    if clash:
                        raise EnrolmentRefused("Choose another.", 400, clash)
                    return self._create(session, case, enrolment, password_hash, ip)
                self.throttle.fail(session, counted, ip)
                audit.append(
                    session,
                    actor_id=None,
                    action="respondent.enrol_failed",
                    entity="case" if case is not None else None,
                    record_id=case.id if case is not None else None,
                    detail={"ip": ip, "reason": reason},
                )
                failure = EnrolmentRefused(NO_MATCH, 400)
        raise failure

    @staticmethod
    def _case(session: Session, enrolment: Enrolment) -> tuple[CaseRow | None, bool]:
        """The case with the A-number whose live code is the one typed (a respondent may
        have several cases; the code names the one mailed), and whether the code matched.
        Without such a case, one check against a dummy hash, so the answer takes as long."""
        rows = session.execute(
            select(CaseRow, CaseAccessCode.code_hash)
            .join(CaseAccessCode, CaseAccessCode.case_id == CaseRow.id)
            .where(CaseRow.a_number == enrolment.a_number, CaseRow.deleted.is_(False))
            .order_by(CaseAccessCode.issued_at.desc())
        ).all()
        for row, code_hash in rows:
            if access_codes.matches(enrolment.access_code, code_hash):
                return row, True
        if not rows:
            access_codes.matches(enrolment.access_code, _DUMMY)
            return None, False
        return rows[0][0], False

    @staticmethod
    def _mismatch(case: CaseRow | None, code_ok: bool, enrolment: Enrolment) -> str | None:
        if case is None:
            return "no_case_with_code"
        if not code_ok:
            return "code"
        if case.date_of_birth is None or case.date_of_birth != enrolment.date_of_birth:
            return "date_of_birth"
        return None

    @staticmethod
    def _clash(session: Session, enrolment: Enrolment) -> FieldErrors:
        errors: FieldErrors = {}
        by_email = select(PortalAccount.user_id).where(PortalAccount.email == enrolment.email)
        if session.scalar(by_email):
            errors["email"] = "An account has this address already; sign in with it."
        taken = session.scalar(select(UserRow.id).where(UserRow.username.ilike(enrolment.username)))
        if taken:
            errors["username"] = "This username is taken."
        return errors

    @staticmethod
    def _create(
        session: Session, case: CaseRow, enrolment: Enrolment, password_hash: str, ip: str
    ) -> str:
        profile = UserProfile(
            id=str(uuid.uuid4()),
            username=enrolment.username,
            display_name=f"{case.respondent_first_name} {case.respondent_last_name}",
            role=Role.RESPONDENT,
            court_id=case.court_id,
            active=True,
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
        session.add(
            PortalAccount(
                user_id=profile.id,
                email=enrolment.email,
                status=AccountStatus.APPROVED.value,
                category="respondent",
                language=enrolment.language,
                contact={},
                bar_admissions=[],
                organization=None,
                identity_court_id=case.court_id,
            )
        )
        session.add(RespondentCase(user_id=profile.id, case_id=case.id))
        # The code is spent: another enrolment needs a new one from the clerk.
        code = session.get(CaseAccessCode, case.id)
        if code is not None:
            session.delete(code)
        audit.append(
            session,
            actor_id=profile.id,
            action="respondent.enrol",
            entity="case",
            record_id=case.id,
            detail={"ip": ip, "user_id": profile.id},
        )
        return profile.id

    def case_ids(self, user_id: str) -> list[str]:
        with self.factory() as session:
            return list(
                session.scalars(
                    select(RespondentCase.case_id).where(RespondentCase.user_id == user_id)
                )
            )
