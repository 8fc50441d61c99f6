"""Tables the server keeps for itself: the write lock and version sequence, the change
feed, push results, refresh tokens, the audit chain and blob bookkeeping."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db import Base
from sync_server.models.types import UTCDateTime, utcnow


class ServerState(Base):
    """One row (id 1): the version sequence, the audit chain's head and the lock row."""

    __tablename__ = "server_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="0" * 64)


# The feed rows everyone signed in reads (policy.feed_filter's global rows).
_GLOBAL_ROWS = "court_id IS NULL AND case_id IS NULL AND audience = 'public'"


class SyncRecord(Base):
    """The change feed: each record's latest wire form and where it belongs.

    A pull is one range scan over ``version`` filtered by placement, returning payloads
    that were encoded when the record was written.
    """

    __tablename__ = "sync_record"
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, unique=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    court_id: Mapped[str | None] = mapped_column(String(36))
    case_id: Mapped[str | None] = mapped_column(String(36))
    owner_id: Mapped[str | None] = mapped_column(String(36))
    # "public": everyone whose scope covers court/case; "court": court-internal;
    # "owner": the owner alone.
    audience: Mapped[str] = mapped_column(String(10))
    payload: Mapped[str] = mapped_column(Text)
    # The row's case is before the Board (policy.board_cases): the Board's staff read
    # these rows by ``ix_sync_record_board_version`` in version order. Set when the row
    # is written and, for every row of the case, when one of its appeals is
    # (records.write_record); not sent to clients.
    at_board: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    __table_args__ = (
        Index("ix_sync_record_court_version", "court_id", "version"),
        # A pull reads one branch per key of the caller's scope in version order
        # (services/feed_pages.py): the public rows of a court (DHS) or of no court.
        Index("ix_sync_record_court_audience_version", "court_id", "audience", "version"),
        # The rows of no court (reference data, accounts): IS NULL is no equality to the
        # planner, so these partial indexes give them in version order without a sort.
        Index(
            "ix_sync_record_courtless_version",
            "version",
            postgresql_where=text("court_id IS NULL"),
            sqlite_where=text("court_id IS NULL"),
        ),
        Index(
            "ix_sync_record_global_version",
            "version",
            postgresql_where=text(_GLOBAL_ROWS),
            sqlite_where=text(_GLOBAL_ROWS),
        ),
        Index("ix_sync_record_case_version", "case_id", "version"),
        Index("ix_sync_record_owner_version", "owner_id", "version"),
        # The rows of the cases before the Board, in version order (the Board's pull).
        Index(
            "ix_sync_record_board_version",
            "version",
            postgresql_where=text("at_board"),
            sqlite_where=text("at_board = 1"),  # as SQLAlchemy writes the test there
        ),
    )


class SyncDeparture(Base):
    """A record leaving the readers of its old placement (made private, moved to another
    court): they receive it as a tombstone, while its new readers receive the record."""

    __tablename__ = "sync_departure"
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    court_id: Mapped[str | None] = mapped_column(String(36))
    case_id: Mapped[str | None] = mapped_column(String(36))
    owner_id: Mapped[str | None] = mapped_column(String(36))
    audience: Mapped[str] = mapped_column(String(10))


class AppliedMutation(Base):
    """The stored result of a pushed mutation, written in the transaction of its effect."""

    __tablename__ = "applied_mutation"
    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36))
    client_id: Mapped[str] = mapped_column(String(100))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # SHA-256 of the mutation's content: a replay with other content is refused, never
    # answered with this result (NULL on rows from before the digest was kept).
    digest: Mapped[str | None] = mapped_column(String(64))


class RefreshToken(Base):
    """A refresh token, stored as its SHA-256; a family shares one login."""

    __tablename__ = "refresh_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """One link of the append-only, hash-chained audit log."""

    __tablename__ = "audit_entry"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[str | None] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Blob(Base):
    """A stored, verified document body, named by its SHA-256."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    uploaded_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BlobHolder(Base):
    """Someone who proved they have a blob's bytes (by uploading them) and so may read it."""

    __tablename__ = "blob_holder"
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BlobUpload(Base):
    """A resumable upload in progress; its bytes sit in the store's staging area."""

    __tablename__ = "blob_upload"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    user_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
