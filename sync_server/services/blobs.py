"""Resumable, content-addressed uploads and audited, policy-checked reads of blobs."""

from __future__ import annotations

import hashlib
import math
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.pdf_preflight import PreflightProblem, preflight_pdf
from sync_server.db import write_transaction
from sync_server.models import Blob, BlobUpload, DocumentRow
from sync_server.policy import Principal, can_see, placement_of
from sync_server.services import audit
from sync_server.services.blob_store import CHUNK, BlobStore
from sync_server.services.records import SessionLookups, row_to_record


class UploadError(Exception):
    """An upload step refused; ``status`` is the HTTP status, ``problems`` the reasons."""

    def __init__(self, message: str, status: int, *, offset: int | None = None,
                 problems: tuple[PreflightProblem, ...] = ()) -> None:
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
    def __init__(self, factory: sessionmaker[Session], store: BlobStore, staging: Path,
                 max_bytes: int, max_pages: int) -> None:
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
                f"{math.ceil(size / self.max_bytes)} numbered parts and file each part.", 413)
        with write_transaction(self.factory) as session:
            if session.get(Blob, sha256) is not None:
                return UploadState(None, size, exists=True)
            upload = session.scalar(select(BlobUpload).where(
                BlobUpload.sha256 == sha256, BlobUpload.user_id == principal.id,
                BlobUpload.size == size))
            if upload is None:
                upload = BlobUpload(id=str(uuid.uuid4()), sha256=sha256, size=size, offset=0,
                                    user_id=principal.id)
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

    def append(self, principal: Principal, upload_id: str, offset: int,
               stream: BinaryIO) -> UploadState:
        """Write the bytes of ``stream`` at ``offset``. Bytes that arrived before a dropped
        connection are kept, so the client resumes from the offset it is told."""
        with self.factory() as session:
            upload = self._own_upload(session, principal, upload_id)
            if offset != upload.offset:
                raise UploadError(f"The upload is at byte {upload.offset}; resume from there.",
                                  409, offset=upload.offset)
            size, sha256 = upload.size, upload.sha256
        staged = self._staged(upload_id)
        written, failure = _copy_limited(stream, staged, offset, size - offset)
        new_offset = offset + written
        with write_transaction(self.factory) as session:
            upload = self._own_upload(session, principal, upload_id)
            upload.offset = new_offset
        if failure is not None:
            raise UploadError(failure, 400, offset=new_offset)
        if new_offset < size:
            return UploadState(upload_id, new_offset)
        self._finish(principal, upload_id, sha256, staged)
        return UploadState(upload_id, new_offset, complete=True)

    def _finish(self, principal: Principal, upload_id: str, sha256: str, staged: Path) -> None:
        digest, size = _file_sha256(staged), staged.stat().st_size
        problems: tuple[PreflightProblem, ...] = ()
        if digest != sha256:
            message = "The bytes received don't match the SHA-256 announced; nothing was kept."
        else:
            report = preflight_pdf(staged, max_bytes=self.max_bytes, max_pages=self.max_pages)
            problems = report.problems
            message = "The file can't be accepted: " + " ".join(p.message for p in problems)
        if digest != sha256 or problems:
            self._discard(upload_id, staged)
            raise UploadError(message, 422, problems=problems)
        if not self.store.exists(sha256):
            self.store.publish(sha256, staged)
        staged.unlink(missing_ok=True)
        with write_transaction(self.factory) as session:
            upload = session.get(BlobUpload, upload_id)
            if upload is not None:
                session.delete(upload)
            if session.get(Blob, sha256) is None:
                session.add(Blob(sha256=sha256, size=size, uploaded_by=principal.id))
            audit.append(session, actor_id=principal.id, action="blob.upload",
                         entity="blob", record_id=sha256)

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
            audit.append(session, actor_id=principal.id, action="document.read",
                         entity="blob", record_id=sha256)
            return blob.size

    @staticmethod
    def _may_read(session: Session, principal: Principal, blob: Blob) -> bool:
        if blob.uploaded_by == principal.id:
            return True
        lookups = SessionLookups(session)
        docs = session.scalars(select(DocumentRow).where(DocumentRow.sha256 == blob.sha256,
                                                         DocumentRow.deleted.is_(False)))
        return any(can_see(principal, placement_of(row_to_record("document", d), lookups),
                           lookups) for d in docs)

    def read(self, sha256: str, start: int, length: int) -> Iterator[bytes]:
        return self.store.read_range(sha256, start, length)


def _copy_limited(stream: BinaryIO, target: Path, offset: int,
                  limit: int) -> tuple[int, str | None]:
    """Append at most ``limit`` bytes of ``stream`` to ``target`` at ``offset``; returns
    bytes written and why it stopped early (a dropped connection, too many bytes)."""
    written, failure = 0, None
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
        except OSError:  # the client went away mid-body (ConnectionError); keep what arrived
            failure = "The connection dropped during the upload; resume from the offset."
        out.flush()
        os.fsync(out.fileno())
    return written, failure


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
