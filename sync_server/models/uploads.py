"""The bytes of resumable uploads in progress, kept in the database (not on one server's
disk), so any server node can take the next part of an upload or finish it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db import Base
from sync_server.models.types import UTCDateTime, utcnow


class UploadChunk(Base):
    """One stored run of an upload's bytes, starting at ``start`` (256 KB each).

    A chunk is written in the same transaction that moves its upload's ``offset`` past it,
    so the offset always equals the bytes stored: a dropped connection or a crashed node
    loses none that were counted."""

    __tablename__ = "upload_chunk"
    upload_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("blob_upload.id", ondelete="CASCADE"), primary_key=True
    )
    start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
