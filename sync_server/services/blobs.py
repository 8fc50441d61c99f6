"""Resumable, content-addressed uploads and audited, policy-checked reads of blobs."""

from __future__ import annotations

import hashlib
import math
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.pdf_preflight import PreflightProblem, preflight_pdf
from sync_server.db import write_transaction
from sync_server.models import Blob, BlobHolder, BlobUpload, DocumentRow
from sync_server.policy import Principal, can_see, placement_of
from sync_server.services import audit
from sync_server.services.blob_store import CHUNK, BlobStore
from sync_server.services.records import SessionLookups, row_to_record


class UploadError(Exception):
    """An upload step refused; ``status`` is the HTTP status, ``problems`` the reasons."""

    def __init__(
        self,
        message: str,
        status: int,
        *,
        offset: int | None = None,
        problems: tuple[PreflightProblem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.offset = offset
        self.problems = problems


@dataclass(frozen=True)
class UploadState:
    upload_id: str | None
    offset: int
    exists: bool = False
    complete: bool = False


class BlobService:
    def __init__(
        self,
        factory: sessionmaker[Session],
        store: BlobStore,
        staging: Path,
        max_bytes: int,
        max_pages: int,
    ) -> None:
        self.factory = factory
        self.store = store
        self.staging = staging
        self.max_bytes = max_bytes
        self.max_pages = max_pages
        staging.mkdir(parents=True, exist_ok=True)

    def _staged(self, upload_id: str) -> Path:
        return self.staging / f"{uuid.UUID(upload_id)}.part"

    def start(self, principal: Principal, sha256: str, size: int) -> UploadState:
        """Begin (or find again) ``principal``'s upload of ``sha256``."""
        if size > self.max_bytes:
            # Rounded up, so a file just over the limit never reads as being at it.
            shown = math.ceil(size * 10 / 1_048_576) / 10
            raise UploadError(
                f"The file is {shown:.1f} MB; the limit is "
                f"{self.max_bytes / 1_048_576:.0f} MB. Split it into at least "
                f"{math.ceil(size / self.max_bytes)} numbered parts and file each part.",
                413,
            )
        with write_transaction(self.factory) as session:
            blob = session.get(Blob, sha256)
            # "Already there" only for someone who may read it; anyone else sends the bytes,
            # so the answer can't be used to learn which files the court holds.
            if blob is not None and self._may_read(session, principal, blob):
                return UploadState(None, size, exists=True)
            upload = session.scalar(
                select(BlobUpload).where(
                    BlobUpload.sha256 == sha256,
                    BlobUpload.user_id == principal.id,
                    BlobUpload.size == size,
                )
            )
            if upload is None:
                upload = BlobUpload(
                    id=str(uuid.uuid4()), sha256=sha256, size=size, offset=0, user_id=principal.id
                )
                session.add(upload)
                self._staged(upload.id).touch()
            return UploadState(upload.id, upload.offset)

    def status(self, principal: Principal, upload_id: str) -> UploadState:
        with self.factory() as session:
            upload = self._own_upload(session, principal, upload_id)
            return UploadState(upload.id, upload.offset)

    def _own_upload(self, session: Session, principal: Principal, upload_id: str) -> BlobUpload:
        upload = session.get(BlobUpload, upload_id)
        if upload is None or upload.user_id != principal.id:
            raise UploadError("No such upload. Start it again with POST /blobs/uploads.", 404)
        return upload

    def append(
        self, principal: Principal, upload_id: str, offset: int, stream: BinaryIO
    ) -> UploadState:
        """Write the bytes of ``stream`` at ``offset``. Bytes that arrived before a dropped
        connection are kept, so the client resumes from the offset it is told."""
        with self.factory() as session:
            upload = self._own_upload(session, principal, upload_id)
            if offset != upload.offset:
                raise UploadError(
                    f"The upload is at byte {upload.offset}; resume from there.",
                    409,
                    offset=upload.offset,
                )
            size, sha256 = upload.size, upload.sha256
        staged = self._staged(upload_id)

        def checkpoint(written: int) -> None:
            self._save_offset(principal, upload_id, offset + written)

        written, failure = _copy_limited(stream, staged, offset, size - offset, checkpoint)
        new_offset = offset + written
        self._save_offset(principal, upload_id, new_offset)
        if failure is not None:
            raise UploadError(failure, 400, offset=new_offset)
        if new_offset < size:
            return UploadState(upload_id, new_offset)
        self._finish(principal, upload_id, sha256, staged)
        return UploadState(upload_id, new_offset, complete=True)

    def _save_offset(self, principal: Principal, upload_id: str, offset: int) -> None:
        with write_transaction(self.factory) as session:
            upload = self._own_upload(session, principal, upload_id)
            upload.offset = offset

    def _finish(self, principal: Principal, upload_id: str, sha256: str, staged: Path) -> None:
        # Verify and publish a private copy, never the staged file itself: a stalled
        # request for the same upload may still hold the staged file open and write to it.
        verified = self.staging / f"{uuid.uuid4()}.verified"
        digest, size = _copy_with_digest(staged, verified)
        try:
            self._publish_verified(principal, upload_id, sha256, staged, verified, digest, size)
        finally:
            verified.unlink(missing_ok=True)

    def _publish_verified(
        self,
        principal: Principal,
        upload_id: str,
        sha256: str,
        staged: Path,
        verified: Path,
        digest: str,
        size: int,
    ) -> None:
        problems: tuple[PreflightProblem, ...] = ()
        if digest != sha256:
            message = "The bytes received don't match the SHA-256 announced; nothing was kept."
        else:
            report = preflight_pdf(verified, max_bytes=self.max_bytes, max_pages=self.max_pages)
            problems = report.problems
            message = "The file can't be accepted: " + " ".join(p.message for p in problems)
        if digest != sha256 or problems:
            self._discard(upload_id, staged)
            raise UploadError(message, 422, problems=problems)
        if not self.store.exists(sha256):
            self.store.publish(sha256, verified)
        staged.unlink(missing_ok=True)
        with write_transaction(self.factory) as session:
            upload = session.get(BlobUpload, upload_id)
            if upload is not None:
                session.delete(upload)
            if session.get(Blob, sha256) is None:
                session.add(Blob(sha256=sha256, size=size, uploaded_by=principal.id))
            if session.get(BlobHolder, (sha256, principal.id)) is None:
                session.add(BlobHolder(sha256=sha256, user_id=principal.id))
            audit.append(
                session,
                actor_id=principal.id,
                action="blob.upload",
                entity="blob",
                record_id=sha256,
            )

    def _discard(self, upload_id: str, staged: Path) -> None:
        staged.unlink(missing_ok=True)
        with write_transaction(self.factory) as session:
            upload = session.get(BlobUpload, upload_id)
            if upload is not None:
                session.delete(upload)

    # -- reads ------------------------------------------------------------------------------

    def authorise_read(self, principal: Principal, sha256: str) -> int:
        """Check ``principal`` may read ``sha256``, audit the read, return its size.

        Readable: a blob of a document the principal can see, or one they uploaded.
        Anything else is answered as not found, so ids can't be probed.
        """
        with write_transaction(self.factory) as session:
            blob = session.get(Blob, sha256)
            if blob is None or not self._may_read(session, principal, blob):
                raise UploadError("No such document.", 404)
            audit.append(
                session,
                actor_id=principal.id,
                action="document.read",
                entity="blob",
                record_id=sha256,
            )
            return blob.size

    @staticmethod
    def _may_read(session: Session, principal: Principal, blob: Blob) -> bool:
        if blob.uploaded_by == principal.id:
            return True
        if session.get(BlobHolder, (blob.sha256, principal.id)) is not None:
            return True
        lookups = SessionLookups(session)
        docs = session.scalars(
            select(DocumentRow).where(
                DocumentRow.sha256 == blob.sha256, DocumentRow.deleted.is_(False)
            )
        )
        return any(
            can_see(principal, placement_of(row_to_record("document", d), lookups), lookups)
            for d in docs
        )

    def read(self, sha256: str, start: int, length: int) -> Iterator[bytes]:
        return self.store.read_range(sha256, start, length)


CHECKPOINT_BYTES = 4 * 1024 * 1024


def _copy_limited(
    stream: BinaryIO, target: Path, offset: int, limit: int, checkpoint: Callable[[int], None]
) -> tuple[int, str | None]:
    """Append at most ``limit`` bytes of ``stream`` to ``target`` at ``offset``; returns
    bytes written and why it stopped early (a dropped connection, too many bytes).

    Every few MB the bytes so far are fsynced and ``checkpoint(written)`` records them, so
    a server crash mid-request loses at most the last few MB, not the whole request."""
    written, failure, synced = 0, None, 0
    with target.open("r+b") as out:
        out.seek(offset)
        out.truncate()
        try:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                if written + len(chunk) > limit:
                    failure = "More bytes were sent than the upload's announced size."
                    break
                out.write(chunk)
                written += len(chunk)
                if written - synced >= CHECKPOINT_BYTES:
                    out.flush()
                    os.fsync(out.fileno())
                    checkpoint(written)
                    synced = written
        except OSError:  # the client went away mid-body (ConnectionError); keep what arrived
            failure = "The connection dropped during the upload; resume from the offset."
        out.flush()
        os.fsync(out.fileno())
    return written, failure


def _copy_with_digest(source: Path, target: Path) -> tuple[str, int]:
    """Copy ``source`` to ``target`` (fsynced) and return the copy's SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as src, target.open("wb") as out:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size
