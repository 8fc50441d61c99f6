"""A portal user's own profile: contact details, email address (re-verified), which mail
to receive, the language of their mail, and the terms of use.

The mailing address and phone are the registration's ``contact``; a new email address is
kept aside (``contact["pending_email"]``) and a link is mailed to it through the outbox
(services/mail_events.py); the address changes when the link is opened. Mail choices are
``portal_mail_preference`` rows; service (served documents, hearing notices) can't be
turned off. The terms of use are versioned text in ``resources/terms_of_use/``; a user
accepts the current version once. Every change is audited.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from common.forms_eoir import Email, FieldErrors, Phone, State, Zip, field_errors
from common.resources import resource_path
from sync_server.db import write_transaction
from sync_server.models import (
    PortalAccount,
    PortalEmailToken,
    PortalMailPreference,
    PortalTermsAcceptance,
    UserRow,
)
from sync_server.models.types import utcnow
from sync_server.services import audit, mail_events

EMAIL_CHANGE_HOURS = 24
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ContactForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    street: _Text
    city: _Text
    state: State
    zip: Zip
    phone: Phone


class _EmailForm(BaseModel):
    email: Email


@dataclass(frozen=True)
class Terms:
    version: str
    text: str


@cache
def current_terms() -> Terms:
    data = json.loads(resource_path("terms_of_use/versions.json").read_text(encoding="utf-8"))
    version = data["current"]
    text = resource_path("terms_of_use/" + data["versions"][version]).read_text(encoding="utf-8")
    return Terms(version, text)


@dataclass(frozen=True)
class ProfileView:
    email: str
    pending_email: str | None
    contact: dict[str, str]
    wanted: dict[str, bool]  # kind -> receive it (the choosable kinds)
    language: str = "en"  # the language of their mail (mail_events.language_of)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Profiles:
    factory: sessionmaker[Session]
    terms_required: bool = True
    _accepted: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def load(self, user_id: str) -> ProfileView:
        with self.factory() as session:
            account = session.get(PortalAccount, user_id)
            if account is None:
                raise LookupError("portal account")
            off = {
                p.kind
                for p in session.scalars(
                    select(PortalMailPreference).where(
                        PortalMailPreference.user_id == user_id,
                        PortalMailPreference.wanted.is_(False),
                    )
                )
            }
            contact = {k: str(v) for k, v in (account.contact or {}).items() if v is not None}
            return ProfileView(
                email=account.email,
                pending_email=contact.pop("pending_email", None),
                contact=contact,
                wanted={k.name: k.name not in off for k in mail_events.choosable()},
                language=mail_events.language_of(session, user_id),
            )

    def save_contact(self, user_id: str, form: Mapping[str, str], ip: str) -> FieldErrors:
        try:
            checked = ContactForm.model_validate(dict(form))
        except ValidationError as err:
            return field_errors(err)
        with write_transaction(self.factory) as session:
            account = session.get(PortalAccount, user_id)
            if account is None:
                raise LookupError("portal account")
            before = dict(account.contact or {})
            values = checked.model_dump()
            values["state"] = values["state"].upper()
            after = before | values
            changed = sorted(k for k in values if before.get(k) != after[k])
            if changed:
                account.contact = after
                audit.append(
                    session,
                    actor_id=user_id,
                    action="portal.profile_updated",
                    entity="user_profile",
                    record_id=user_id,
                    detail={"changed": changed, "ip": ip},
                )
        return {}

    def save_preferences(self, user_id: str, wanted: Collection[str], ip: str) -> None:
        with write_transaction(self.factory) as session:
            changes: dict[str, bool] = {}
            for kind in mail_events.choosable():
                want = kind.name in wanted
                row = session.get(PortalMailPreference, (user_id, kind.name))
                was = True if row is None else row.wanted
                if was == want:
                    continue
                if row is None:
                    session.add(PortalMailPreference(user_id=user_id, kind=kind.name, wanted=want))
                else:
                    row.wanted = want
                changes[kind.name] = want
            if changes:
                audit.append(
                    session,
                    actor_id=user_id,
                    action="portal.mail_preferences",
                    entity="user_profile",
                    record_id=user_id,
                    detail={"wanted": changes, "ip": ip},
                )

    def save_language(self, user_id: str, language: str, ip: str) -> bool:
        """Keep the language the user reads (their mail is written in it); False when
        ``language`` is not one mail is written in."""
        if language not in mail_events.languages():
            return False
        with write_transaction(self.factory) as session:
            account = session.get(PortalAccount, user_id)
            if account is None:
                raise LookupError("portal account")
            before = account.language
            if before != language:
                account.language = language
                audit.append(
                    session,
                    actor_id=user_id,
                    action="portal.language_chosen",
                    entity="user_profile",
                    record_id=user_id,
                    detail={"language": language, "before": before, "ip": ip},
                )
        return True

    def request_email_change(self, user_id: str, new_email: str, ip: str) -> str | None:
        """Mail a confirmation link to ``new_email``; the problem with the address, or None.
        The address of another account is refused with the same words as a bad one would
        not be: it says the address can't be used, not whose it is."""
        try:
            email = _EmailForm.model_validate({"email": new_email}).email.lower()
        except ValidationError:
            return "Enter an email address like name@example.com."
        token = secrets.token_urlsafe(32)
        with write_transaction(self.factory) as session:
            account = session.get(PortalAccount, user_id)
            user = session.get(UserRow, user_id)
            if account is None or user is None:
                raise LookupError("portal account")
            if email == account.email:
                return "That is already your address."
            taken = session.scalar(
                select(func.count())
                .select_from(PortalAccount)
                .where(PortalAccount.email == email, PortalAccount.user_id != user_id)
            )
            if taken:
                return "That address can't be used for this account."
            account.contact = dict(account.contact or {}) | {"pending_email": email}
            session.add(
                PortalEmailToken(
                    token_hash=_hash(token),
                    user_id=user_id,
                    expires_at=utcnow() + timedelta(hours=EMAIL_CHANGE_HOURS),
                )
            )
            mail_events.enqueue(
                session,
                "email_change",
                to_address=email,
                key=f"email:{_hash(token)[:32]}",
                path=f"/portal/profile/email/{token}",
                context={"name": user.display_name, "hours": EMAIL_CHANGE_HOURS},
                user_id=user_id,
            )
            audit.append(
                session,
                actor_id=user_id,
                action="portal.email_change_requested",
                entity="user_profile",
                record_id=user_id,
                detail={"ip": ip},
            )
        return None

    def confirm_email_change(self, user_id: str, token: str, ip: str) -> bool:
        """Open the mailed link (signed in as the same user): the address changes."""
        if not token or len(token) > 200:
            return False
        with write_transaction(self.factory) as session:
            row = session.get(PortalEmailToken, _hash(token))
            account = session.get(PortalAccount, user_id)
            if (
                row is None
                or account is None
                or row.user_id != user_id
                or row.used_at is not None
                or row.expires_at <= utcnow()
            ):
                return False
            contact = dict(account.contact or {})
            new = contact.pop("pending_email", None)
            taken = new is not None and session.scalar(
                select(func.count())
                .select_from(PortalAccount)
                .where(PortalAccount.email == new, PortalAccount.user_id != user_id)
            )
            if new is None or taken:
                return False
            row.used_at = utcnow()
            account.contact = contact
            account.email = new
            account.email_verified_at = utcnow()
            audit.append(
                session,
                actor_id=user_id,
                action="portal.email_changed",
                entity="user_profile",
                record_id=user_id,
                detail={"ip": ip},
            )
            return True

    # -- terms of use -------------------------------------------------------------------------

    def terms_accepted(self, user_id: str) -> bool:
        version = current_terms().version
        if not self.terms_required or (user_id, version) in self._accepted:
            return True
        with self.factory() as session:
            found = session.get(PortalTermsAcceptance, (user_id, version)) is not None
        if found:
            self._accepted.add((user_id, version))
        return found

    def accept_terms(self, user_id: str, version: str, ip: str) -> bool:
        """Record the acceptance of ``version`` (it must be the current one)."""
        if version != current_terms().version:
            return False
        with write_transaction(self.factory) as session:
            if session.get(PortalTermsAcceptance, (user_id, version)) is None:
                session.add(
                    PortalTermsAcceptance(user_id=user_id, version=version, accepted_at=utcnow())
                )
                audit.append(
                    session,
                    actor_id=user_id,
                    action="portal.terms_accepted",
                    entity="user_profile",
                    record_id=user_id,
                    detail={"version": version, "ip": ip},
                )
        self._accepted.add((user_id, version))
        return True


def detail_of(view: ProfileView) -> dict[str, Any]:
    """The profile's fields as the form shows them."""
    return {"email": view.email, **view.contact}
