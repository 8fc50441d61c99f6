"""eRegistry: external users register, verify their email, are approved by a court
administrator after an in-person identity check, and receive an EOIR ID.

Knows nothing of HTTP. Every change is audited; mail goes out after the commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from common.enums import Role
from common.forms_eoir import BarAdmission, Email, FieldErrors, Phone, State, Zip, field_errors
from common.wire import UserProfile
from sync_server.db import write_transaction
from sync_server.models import CourtRow, PortalAccount, PortalEmailToken, UserRow
from sync_server.models.types import utcnow
from sync_server.policy import Principal
from sync_server.services import audit, mail_events, passwords
from sync_server.services.auth import hash_password
from sync_server.services.mailer import Mailer, compose
from sync_server.services.records import row_to_record, write_record

EMAIL_TOKEN_HOURS = 48
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_Opt = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
_Username = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9._-]{3,40}$")
]


class AccountStatus(StrEnum):
    EMAIL_UNVERIFIED = "email_unverified"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class AccountKind(StrEnum):
    """What a person registers as; each maps to a role."""

    ATTORNEY = "attorney"
    ACCREDITED_REP = "accredited_rep"
    DHS = "dhs"

    @property
    def role(self) -> Role:
        return {
            AccountKind.ATTORNEY: Role.ATTORNEY,
            AccountKind.ACCREDITED_REP: Role.ACCREDITED_REP,
            AccountKind.DHS: Role.DHS,
        }[self]


class AccountError(Exception):
    """A refused account step; the message is safe to show."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Registration(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    kind: AccountKind
    username: _Username
    # Its rules (length after normalising, common passwords, ...) are passwords.problem's.
    password: Annotated[str, Field(min_length=1, max_length=4 * passwords.MAX_LENGTH)]
    first_name: _Text
    last_name: _Text
    email: Email
    phone: Phone
    firm: _Opt = ""
    street: _Text
    city: _Text
    state: State
    zip: Zip
    bar_admissions: list[BarAdmission] = Field(default_factory=list, max_length=20)
    organization: _Opt = ""
    identity_court_id: _Text

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def validate_registration(data: Mapping[str, Any]) -> tuple[Registration | None, FieldErrors]:
    values: dict[str, Any] = {k: v for k, v in data.items() if v != ""}
    rows = []
    for index in range(20):
        court = str(data.get(f"bar_jurisdiction_{index}", "")).strip()
        number = str(data.get(f"bar_number_{index}", "")).strip()
        if court or number:
            rows.append({"jurisdiction": court, "bar_number": number})
    values["bar_admissions"] = rows
    errors: FieldErrors = {}
    if data.get("password") != data.get("password_again"):
        errors["password_again"] = "The two passwords differ."  # noqa: S105 (a message)
    weak = _password_problem(data)
    if weak is not None:
        errors["password"] = weak
    try:
        reg = Registration.model_validate(values)
    except ValidationError as err:
        found = field_errors(err)
        if "username" in found:
            found["username"] = "Use 3 to 40 letters, digits, dots, hyphens or underscores."
        found.pop("password", None)  # said by _password_problem, with what to do
        for name in [n for n in found if n.startswith("bar_admissions.")]:
            found.setdefault("bar_admissions", "Each admission needs a court and a number.")
            del found[name]
        return None, {**found, **errors}
    if reg.kind is AccountKind.ATTORNEY and not reg.bar_admissions:
        errors["bar_admissions"] = "Give each court of admission and your bar number there."
    if reg.kind is AccountKind.ACCREDITED_REP and not reg.organization:
        errors["organization"] = "Name the recognized organization you are accredited with."
    return (None, errors) if errors else (reg, {})


def _password_problem(data: Mapping[str, Any]) -> str | None:
    """What is wrong with the chosen password, judged against the rest of the form."""
    try:
        role = AccountKind(str(data.get("kind", ""))).role
    except ValueError:
        role = Role.ATTORNEY
    personal = [str(data.get(name, "")) for name in ("username", "email", "first_name")]
    personal.append(str(data.get("last_name", "")))
    return passwords.problem(str(data.get("password", "")), role, personal)


@dataclass(frozen=True)
class PendingRegistration:
    user_id: str
    username: str
    display_name: str
    kind: str
    email: str
    status: str
    contact: dict[str, Any]
    bar_admissions: list[dict[str, str]]
    organization: str | None
    created_at: str
    eoir_id: str | None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_eoir_id(session: Session) -> str:
    """Two letters and six digits, unique among accounts."""
    while True:
        letters = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2))
        candidate = f"{letters}{secrets.randbelow(10**6):06d}"
        if session.scalar(select(UserRow.id).where(UserRow.eoir_id == candidate)) is None:
            return candidate


@dataclass
class AccountService:
    factory: sessionmaker[Session]
    mailer: Mailer

    # -- registration ------------------------------------------------------------------------

    def register(self, reg: Registration, base_url: str, ip: str) -> FieldErrors:
        """Create the (inactive) account and mail the verification link. Returns errors by
        field only for what the public may know (a court not on the list).

        The page after a registration reads "check your email" whatever happened, so it does
        not tell a visitor which usernames and addresses have accounts. What happened goes
        by mail to the address given, where only its owner reads it: the verification link;
        or, when the address already has an account, "someone tried to register with your
        address" (the account is untouched); or, when only the username is taken, a note
        to register again with another username. The password is hashed in every case, so
        the answer takes as long either way."""
        token = secrets.token_urlsafe(32)
        password_hash = hash_password(reg.password)  # outside the write lock, every time
        with write_transaction(self.factory) as session:
            if session.get(CourtRow, reg.identity_court_id) is None:
                return {"identity_court_id": "Choose a court from the list."}
            email_taken, username_taken = self._clashes(session, reg)
            if email_taken or username_taken:
                audit.append(
                    session,
                    actor_id=None,
                    action="portal.register_refused",
                    detail={
                        "kind": reg.kind.value,
                        "ip": ip,
                        "reason": "email_taken" if email_taken else "username_taken",
                    },
                )
            else:
                self._create(session, reg, password_hash, token, ip)
        # Sent at once (resources/mail/, 'direct' kinds), in English: the registration page
        # is English and the person has chosen no language yet.
        link = f"{base_url.rstrip('/')}/portal/verify/{token}"
        context: dict[str, Any]
        if email_taken:
            kind, context = "registration_address_taken", {}
        elif username_taken:
            kind = "registration_username_taken"
            context = {"name": reg.display_name, "username": reg.username}
        else:
            kind = "registration_verify"
            context = {"name": reg.display_name, "hours": EMAIL_TOKEN_HOURS}
        subject, body = mail_events.render(kind, context, link)
        self.mailer.send(compose(self.mailer, reg.email, subject, body))
        return {}

    @staticmethod
    def _create(
        session: Session, reg: Registration, password_hash: str, token: str, ip: str
    ) -> None:
        profile = UserProfile(
            id=str(uuid.uuid4()),
            username=reg.username,
            display_name=reg.display_name,
            role=reg.kind.role,
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
        session.add(
            PortalAccount(
                user_id=profile.id,
                email=reg.email.lower(),
                status=AccountStatus.EMAIL_UNVERIFIED.value,
                category=reg.kind.value,
                contact={
                    "phone": reg.phone,
                    "firm": reg.firm,
                    "street": reg.street,
                    "city": reg.city,
                    "state": reg.state.upper(),
                    "zip": reg.zip,
                },
                bar_admissions=[b.model_dump() for b in reg.bar_admissions],
                organization=reg.organization or None,
                identity_court_id=reg.identity_court_id,
            )
        )
        session.add(
            PortalEmailToken(
                token_hash=_token_hash(token),
                user_id=profile.id,
                expires_at=utcnow() + timedelta(hours=EMAIL_TOKEN_HOURS),
            )
        )
        audit.append(
            session,
            actor_id=profile.id,
            action="portal.register",
            entity="user_profile",
            record_id=profile.id,
            detail={"kind": reg.kind.value, "ip": ip},
        )

    @staticmethod
    def _clashes(session: Session, reg: Registration) -> tuple[bool, bool]:
        """Whether the email address, and the username, belong to an account already."""
        taken = session.scalar(
            select(UserRow.id).where(func.lower(UserRow.username) == reg.username)
        )
        used = session.scalar(
            select(PortalAccount.user_id).where(PortalAccount.email == reg.email.lower())
        )
        return used is not None, taken is not None

    def verify_email(self, token: str) -> bool:
        with write_transaction(self.factory) as session:
            row = session.get(PortalEmailToken, _token_hash(token))
            if row is None or row.used_at is not None or row.expires_at <= utcnow():
                audit.append(session, actor_id=None, action="portal.verify_failed")
                return False
            row.used_at = utcnow()
            account = session.get(PortalAccount, row.user_id)
            assert account is not None
            if account.status == AccountStatus.EMAIL_UNVERIFIED.value:
                account.status = AccountStatus.AWAITING_APPROVAL.value
            account.email_verified_at = utcnow()
            audit.append(
                session,
                actor_id=row.user_id,
                action="portal.email_verified",
                entity="user_profile",
                record_id=row.user_id,
            )
            return True

    # -- review by a court administrator ------------------------------------------------------

    def registrations(
        self, admin: Principal, include_decided: bool = False
    ) -> list[PendingRegistration]:
        """Registrations to be checked at ``admin``'s court, oldest first."""
        self._require_admin(admin)
        with self.factory() as session:
            query = (
                select(PortalAccount, UserRow)
                .join(UserRow, UserRow.id == PortalAccount.user_id)
                .where(PortalAccount.identity_court_id == admin.court_id)
                .order_by(PortalAccount.created_at)
            )
            if not include_decided:
                query = query.where(
                    PortalAccount.status.in_(
                        [
                            AccountStatus.AWAITING_APPROVAL.value,
                            AccountStatus.EMAIL_UNVERIFIED.value,
                        ]
                    )
                )
            return [
                PendingRegistration(
                    user_id=user.id,
                    username=user.username,
                    display_name=user.display_name,
                    kind=account.category,
                    email=account.email,
                    status=account.status,
                    contact=dict(account.contact),
                    bar_admissions=list(account.bar_admissions),
                    organization=account.organization,
                    created_at=account.created_at.isoformat(),
                    eoir_id=user.eoir_id,
                )
                for account, user in session.execute(query)
            ]

    @staticmethod
    def _require_admin(admin: Principal) -> None:
        if admin.role is not Role.COURT_ADMIN or admin.court_id is None:
            raise AccountError("Only a court administrator reviews registrations.", 403)

    def _reviewable(self, session: Session, admin: Principal, user_id: str) -> PortalAccount:
        self._require_admin(admin)
        account = session.get(PortalAccount, user_id)
        # Another court's registration is answered as missing, like an unknown id.
        if account is None or account.identity_court_id != admin.court_id:
            raise AccountError("No such registration.", 404)
        return account

    def approve(self, admin: Principal, user_id: str, identity_checked: bool) -> str | None:
        """Approve after the in-person identity check; returns the EOIR ID issued to a
        practitioner (None for DHS, whose account is tied to the court instead)."""
        if not identity_checked:
            raise AccountError("Confirm that you checked the person's identity in person.")
        with write_transaction(self.factory) as session:
            account = self._reviewable(session, admin, user_id)
            if account.status != AccountStatus.AWAITING_APPROVAL.value:
                raise AccountError(
                    "Only a registration with a verified email can be approved "
                    f"(this one is {account.status.replace('_', ' ')}).",
                    409,
                )
            user = session.get(UserRow, user_id)
            assert user is not None
            profile = row_to_record("user_profile", user)
            assert isinstance(profile, UserProfile)
            extra: dict[str, Any] = {}
            changes: dict[str, Any] = {"active": True}
            if profile.role is Role.DHS:
                extra["assigned_court_ids"] = [account.identity_court_id]
                changes["court_id"] = None
            else:
                changes["eoir_id"] = profile.eoir_id or _new_eoir_id(session)
            write_record(session, profile.model_copy(update=changes), extra_columns=extra)
            account.status = AccountStatus.APPROVED.value
            account.reviewed_by, account.reviewed_at = admin.id, utcnow()
            audit.append(
                session,
                actor_id=admin.id,
                action="portal.registration_approved",
                entity="user_profile",
                record_id=user_id,
                detail={"eoir_id": changes.get("eoir_id"), "identity_checked": True},
            )
            issued = changes.get("eoir_id")
            # Mailed through the outbox, written with the approval (services/mail_events).
            mail_events.account_decided(session, user_id, "account_approved", eoir_id=issued)
        return issued

    def reject(self, admin: Principal, user_id: str, reason: str) -> None:
        self._decide(admin, user_id, AccountStatus.REJECTED, reason, "portal.registration_rejected")

    def suspend(self, admin: Principal, user_id: str, reason: str) -> None:
        self._decide(admin, user_id, AccountStatus.SUSPENDED, reason, "portal.account_suspended")

    def reinstate(self, admin: Principal, user_id: str) -> None:
        self._decide(admin, user_id, AccountStatus.APPROVED, "", "portal.account_reinstated")

    def _decide(
        self, admin: Principal, user_id: str, status: AccountStatus, reason: str, action: str
    ) -> None:
        reason = " ".join(reason.split())[:500]
        if status is not AccountStatus.APPROVED and not reason:
            raise AccountError("Give the reason; the person is told it.")
        with write_transaction(self.factory) as session:
            account = self._reviewable(session, admin, user_id)
            allowed_from = {
                AccountStatus.REJECTED: {
                    AccountStatus.AWAITING_APPROVAL,
                    AccountStatus.EMAIL_UNVERIFIED,
                },
                AccountStatus.SUSPENDED: {AccountStatus.APPROVED},
                AccountStatus.APPROVED: {AccountStatus.SUSPENDED},
            }[status]
            if AccountStatus(account.status) not in allowed_from:
                raise AccountError(
                    f"This account is {account.status.replace('_', ' ')}; "
                    "that step does not apply.",
                    409,
                )
            account.status = status.value
            account.reviewed_by, account.reviewed_at = admin.id, utcnow()
            account.review_note = reason or None
            audit.append(
                session,
                actor_id=admin.id,
                action=action,
                entity="user_profile",
                record_id=user_id,
                detail={"reason": reason} if reason else {},
            )
            email = account.email
            language = mail_events.language_of(session, user_id)
            if status is AccountStatus.SUSPENDED:  # the outbox, in this transaction
                mail_events.account_decided(session, user_id, "account_suspended", reason=reason)
        if status is AccountStatus.REJECTED:  # sent at once: no account to sign in to
            subject, body = mail_events.render("account_rejected", {"reason": reason}, "", language)
            self.mailer.send(compose(self.mailer, email, subject, body))

    # -- lookups -----------------------------------------------------------------------------

    @staticmethod
    def find_user(session: Session, login: str) -> UserRow | None:
        """The account named by a username or an email address."""
        login = login.strip().lower()
        if not login or len(login) > 254:
            return None
        by_email = select(PortalAccount.user_id).where(PortalAccount.email == login)
        return session.scalar(
            select(UserRow).where(
                or_(func.lower(UserRow.username) == login, UserRow.id.in_(by_email))
            )
        )

    @staticmethod
    def status_of(session: Session, user_id: str) -> AccountStatus | None:
        """The registration status; None for accounts made by an administrator (court
        staff, demo users), which need no registration."""
        account = session.get(PortalAccount, user_id)
        return AccountStatus(account.status) if account is not None else None


def normalise_login(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()
