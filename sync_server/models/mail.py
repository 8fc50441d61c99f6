"""Tables of the mail that tells people what happened (services/mail_events.py).

``mail_outbox`` holds each message an event produced, written in the same transaction as
the change it tells of: a change rolled back leaves no row, a committed one always has
its row, and a sender drains the rows after the commit (retrying with backoff). The
preferences and the terms of use accepted are the portal user's own choices. None of
these tables is synced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db import Base
from sync_server.models.types import UTCDateTime, utcnow


class MailOutbox(Base):
    """One message to one address. ``context`` fills the kind's template
    (resources/mail/) when it is sent; ``path`` is the link, completed with the server's
    configured public base URL at that time."""

    __tablename__ = "mail_outbox"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user_profile.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    # What the message is about (e.g. "filing:<id>"), so one event mails a person once.
    subject_key: Mapped[str] = mapped_column(String(120))
    path: Mapped[str] = mapped_column(String(300))
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # A sender's lease while it sends; a sender that died leaves it to expire.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # The language the message is written in (its recipient's when the event happened).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")


class PortalMailPreference(Base):
    """A kind of mail a portal user chose not to (or again to) receive. No row: wanted.
    Service (served documents, hearing notices) is sent whatever the row says."""

    __tablename__ = "portal_mail_preference"
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    wanted: Mapped[bool] = mapped_column(Boolean, default=True)


class PortalTermsAcceptance(Base):
    """A portal user accepted version ``version`` of the terms of use
    (resources/terms_of_use/)."""

    __tablename__ = "portal_terms_acceptance"
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), primary_key=True)
    version: Mapped[str] = mapped_column(String(20), primary_key=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
