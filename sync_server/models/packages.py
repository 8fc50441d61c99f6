"""The work queue behind eROP packages: one job per ``rop_request``.

The request itself is a synced record (``rop_request``), which the requester's clients
receive with its status and progress. The job row is the server's own bookkeeping: which
worker holds the build, until when (its lease), how often it was tried.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db import Base
from sync_server.models.types import UTCDateTime, utcnow


class RopJob(Base):
    """A package build: ``queued`` -> ``running`` (leased to a worker) -> ``done``/``failed``.

    A running job whose ``lease_until`` has passed belongs to a worker that stopped
    heartbeating; any worker may take it over.
    """

    __tablename__ = "rop_job"
    request_id: Mapped[str] = mapped_column(ForeignKey("rop_request.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The package the worker built; downloads serve this, never a hash from elsewhere.
    result_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_rop_job_state_created", "state", "created_at"),)
