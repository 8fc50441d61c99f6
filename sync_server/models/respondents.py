"""Tables of respondents' own access to the portal (not synced: they hold a credential
and who enrolled where, which only the server needs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db import Base
from sync_server.models.types import UTCDateTime, utcnow


class CaseAccessCode(Base):
    """The case access code printed on the notice mailed to an unrepresented respondent:
    only its salted scrypt hash is kept. One live code a case; a newer notice, or the
    clerk's rotation, replaces it."""

    __tablename__ = "case_access_code"

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[str | None] = mapped_column(String(36))
    # The notice whose mailed copy carries the code, and that copy's blob (the court's
    # copy of what it mailed; the record's copy has no code).
    notice_document_id: Mapped[str | None] = mapped_column(String(36))
    mailed_copy_sha256: Mapped[str | None] = mapped_column(String(64))


class RespondentCase(Base):
    """A respondent's portal account and a case it enrolled in (code + A-number + date of
    birth)."""

    __tablename__ = "respondent_case"

    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), primary_key=True, index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
