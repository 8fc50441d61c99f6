"""Tables of the web portal (eRegistry accounts, two-factor secrets, browser sessions,
sign-in throttling). None of them is synced: they hold credentials and contact details
that only the server needs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db import Base
from sync_server.models.types import UTCDateTime, utcnow


class PortalAccount(Base):
    """An external user's registration: who they are, how to reach them, where it stands.

    ``status`` is one of :class:`sync_server.services.accounts.AccountStatus`.
    """

    __tablename__ = "portal_account"
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str] = mapped_column(String(40))
    contact: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    bar_admissions: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    organization: Mapped[str | None] = mapped_column(String(200))
    # The court where the person shows identification in person.
    identity_court_id: Mapped[str] = mapped_column(ForeignKey("court.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(36))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(String(500))
    # The language the holder reads ("en", "es"; None: never chosen, English): their mail is
    # written in it (services/mail_events.py), chosen on the profile page.
    language: Mapped[str | None] = mapped_column(String(8))


class PortalSecondFactor(Base):
    """A user's TOTP secret, sealed (``totp.SecretBox``); ``confirmed_at`` is None until a
    first code proved the app holds it. ``last_step`` is the newest time step accepted, so
    a code works once."""

    __tablename__ = "portal_second_factor"
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(255))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_step: Mapped[int] = mapped_column(BigInteger, default=0)


class PortalRecoveryCode(Base):
    __tablename__ = "portal_recovery_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PortalEmailToken(Base):
    """A link sent by mail (address verification); stored as its SHA-256 only."""

    __tablename__ = "portal_email_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PortalSession(Base):
    """A browser session; the cookie carries a random token, the table its SHA-256.

    ``second_factor_done`` is False between the password and the TOTP code."""

    __tablename__ = "portal_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    ended: Mapped[bool] = mapped_column(Boolean, default=False)


class PortalThrottle(Base):
    """One failed sign-in step, by key (``account:<id>`` or ``ip:<address>``); counted over
    a window, so the limit holds across server processes."""

    __tablename__ = "portal_throttle"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ApiSecondFactorExemption(Base):
    """An external account allowed to take API tokens with its password alone.

    Only ``ecas-server seed-demo`` writes these (reason ``demo account``), so the demo
    attorneys and DHS users keep signing in from scripts and the desktop app; registration
    and ``create-user`` never do. Every sign-in that relies on one says so in the audit
    trail and the server log."""

    __tablename__ = "api_second_factor_exemption"
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PortalKeptForm(Base):
    """A portal form that arrived after its session had ended, kept so it can be sent once
    its user has signed in again (``services/kept_forms.py``).

    The browser holds only a signed, short-lived reference to ``id``; the fields stay here
    (never a password: those are dropped before keeping). ``taken_at`` is set when the
    form is handed back, so a reference works once."""

    __tablename__ = "portal_kept_form"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    path: Mapped[str] = mapped_column(String(300))
    fields: Mapped[list[list[str]]] = mapped_column(JSON)
    kept_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PortalPasswordReset(Base):
    """A password-reset link sent by mail (``services/password_reset.py``): stored as its
    SHA-256 only, good once, until ``expires_at``."""

    __tablename__ = "portal_password_reset"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
