"""Resumable, content-addressed uploads and audited, policy-checked reads of blobs.

An unfinished upload's bytes are kept in the database (``upload_chunk``, 256 KB a row,
each written with the offset that counts it), not on the disk of the node that received
them: behind a load balancer any node takes the next part of an upload or finishes it. Only
the finishing request writes a local file: the verified copy it checks and publishes."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from common.pdf_box import BoxUnavailable, PdfBox
from common.pdf_preflight import PreflightProblem, PreflightReport, preflight_pdf
from sync_server.db import audit_transaction, begin_write, write_transaction
from sync_server.models import Blob, BlobHolder, BlobUpload, DocumentRow
from sync_server.models.types import utcnow
from sync_server.models.uploads import UploadChunk
from sync_server.policy import Principal, can_see, placement_of
from sync_server.services import audit, confidentiality
from sync_server.services.blob_store import CHUNK, BlobStore
from sync_server.services.confidentiality import judge_blob_documents
from sync_server.services.records import SessionLookups, row_to_record

log = logging.getLogger(__name__)

# Expired uploads removed per upload start at most, so starting one stays cheap; the
# ``ecas-server purge-uploads`` command removes them all.
PURGE_BATCH = 200
# Why a blob is downloaded, as its audit entry records it: a person opens the document, or a
# client fetches it in the background ahead of a hearing (not a reading).
READ_PURPOSES = ("read", "prefetch")
# A file left in the staging folder by a crash (a verified copy, or a ``.part`` file from
# before uploads were staged in the database) is removed once it is this old: long enough
# that no request can still be using it.
ORPHAN_GRACE = timedelta(hours=1)
# The bytes of one ``upload_chunk`` row (the last of a request may be shorter): what a
# node that dies mid-request can lose of what it received, at most.
STAGE_BYTES = 256 * 1024

DISK_FAILED = (
    "The server couldn't store the bytes just now (its database may be full). What it had "
    "already kept is safe: resume from the offset later."
)
PUBLISH_FAILED = (
    "Every byte arrived, but the server couldn't store the document just now (its disk "
    "may be full). The bytes are kept: start the upload again later (POST /blobs/uploads) "
    "and it will be finished without sending them again."
)
LOST_BYTES = "The server lost the bytes of this upload; send them again from the start."
CHECK_UNAVAILABLE = (
    "The server couldn't check the file just now (too many files are being checked). "
    "Nothing was lost: try again in a minute."
)


class UploadError(Exception):
    """An upload step refused; ``status`` is the HTTP status, ``problems`` the reasons."""

    def __init__(
        self,
        message: str,
        status: int,
        *,
        offset: int | None = None,
        problems: tuple[PreflightProblem, ...] = (),
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.offset = offset
        self.problems = problems
        self.retry_after = retry_after


@dataclass(frozen=True)
class UploadState:
    upload_id: str | None
    offset: int
    exists: bool = False
    complete: bool = False


@dataclass(frozen=True)
class UploadLimits:
    """How long an unfinished upload is kept, and how many one user may have at once
    (their staged bytes take room in the database until they finish or expire)."""

    expiry: timedelta = timedelta(hours=24)
    max_open: int = 20
    max_open_bytes: int = 512 * 1024 * 1024


@dataclass(frozen=True)
class PurgeReport:
    uploads: int
    files: int


class BlobService:
    def __init__(
        self,
        factory: sessionmaker[Session],
        store: BlobStore,
        staging: Path,
        max_bytes: int,
        max_pages: int,
        limits: UploadLimits | None = None,
        *,
        pdf_box: PdfBox,
    ) -> None:
        self.factory = factory
        self.pdf_box = pdf_box
        self.store = store
        self.staging = staging
        self.max_bytes = max_bytes
        self.max_pages = max_pages
        self.limits = limits or UploadLimits()
        self._next_orphan_sweep = datetime.min.replace(tzinfo=UTC)
        staging.mkdir(parents=True, exist_ok=True)

    def preflight(self, data: bytes | Path) -> PreflightReport:
        """The intake pre-flight of an uploaded file, its parse in the PDF box; raises
        :class:`UploadError` (503) when the box can't run a check just now."""
        try:
            return preflight_pdf(
                data, max_bytes=self.max_bytes, max_pages=self.max_pages, inspect=self.pdf_box
            )
        except BoxUnavailable as err:
            log.error("PDF check not run: %s", err)
            raise UploadError(CHECK_UNAVAILABLE, 503, retry_after=30) from err

    def start(self, principal: Principal, sha256: str, size: int) -> UploadState:
        """Begin (or find again) ``principal``'s upload of ``sha256``.

        An upload whose bytes all arrived earlier but were never published (the server
        stopped, or ran out of disk, between the last byte and publishing) is verified and
        published here, and answered as existing."""
        if size > self.max_bytes:
            # Rounded up, so a file just over the limit never reads as being at it.
            shown = math.ceil(size * 10 / 1_048_576) / 10
            raise UploadError(
                f"The file is {shown:.1f} MB; the limit is "
                f"{self.max_bytes / 1_048_576:.0f} MB. Split it into at least "
                f"{math.ceil(size / self.max_bytes)} numbered parts and file each part.",
                413,
            )
        now = utcnow()
        self.purge_expired(now=now, limit=PURGE_BATCH)
        if now >= self._next_orphan_sweep:
            self._next_orphan_sweep = now + ORPHAN_GRACE
            self.purge_orphans(now=now)
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
                self._check_caps(session, principal, size, now)
                upload = BlobUpload(
                    id=str(uuid.uuid4()), sha256=sha256, size=size, offset=0, user_id=principal.id
                )
                session.add(upload)
                return UploadState(upload.id, 0)
            upload.offset = _stored_bytes(session, upload.id)
            upload_id, offset = upload.id, upload.offset
        if offset < size:
            return UploadState(upload_id, offset)
        self._finish(principal, upload_id, sha256)
        return UploadState(None, size, exists=True)

    def _check_caps(self, session: Session, principal: Principal, size: int, now: datetime) -> None:
        """Refuse a new upload while the user's unfinished ones are at the limits."""
        open_uploads = list(
            session.scalars(select(BlobUpload).where(BlobUpload.user_id == principal.id))
        )
        count, held = len(open_uploads), sum(u.size for u in open_uploads)
        limits = self.limits
        if count < limits.max_open and held + size <= limits.max_open_bytes:
            return
        soonest = min(self._last_activity(u) for u in open_uploads) + limits.expiry
        retry_after = max(1, math.ceil((soonest - now).total_seconds()))
        wait = (
            "Finish them, or wait for them to expire: an upload that receives no bytes "
            f"for {_hours(limits.expiry)} is removed."
        )
        if count >= limits.max_open:
            raise UploadError(
                f"You have {count} unfinished uploads, the most allowed at once. {wait}",
                429,
                retry_after=retry_after,
            )
        raise UploadError(
            f"You have {count} unfinished uploads holding {_mb(held)}; with this file "
            f"({_mb(size)}) they would pass the {_mb(limits.max_open_bytes)} allowed at "
            f"once. {wait}",
            413,
            retry_after=retry_after,
        )

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
        connection are kept, so the client resumes from the offset it is told. When the
        last byte is in (in this request or an earlier one that was never published, in
        which case the client sends an empty body at the end offset), the upload is
        verified and published."""
        with self.factory() as session:
            upload = self._own_upload(session, principal, upload_id)
            if offset != upload.offset:
                raise UploadError(
                    f"The upload is at byte {upload.offset}; resume from there.",
                    409,
                    offset=upload.offset,
                )
            intact = _stored_bytes(session, upload_id) == upload.offset
            size, sha256 = upload.size, upload.sha256
        if not intact:
            # Fewer bytes are stored than the row counts (an upload from before they were
            # kept in the database): the client sends them again rather than have a hole
            # hashed.
            kept = self._reconcile_offset(principal, upload_id)
            raise UploadError(f"The upload is at byte {kept}; resume from there.", 409, offset=kept)
        position, failure, status = offset, None, 400
        buffer = bytearray()
        try:
            while True:
                try:
                    chunk = stream.read(CHUNK)
                except OSError:  # the client went away mid-body (ConnectionError)
                    failure = "The connection dropped during the upload; resume from the offset."
                    break
                if not chunk:
                    break
                if position + len(buffer) + len(chunk) > size:
                    failure = "More bytes were sent than the upload's announced size."
                    break
                buffer += chunk
                if len(buffer) >= STAGE_BYTES:
                    position = self._store_chunk(principal, upload_id, position, bytes(buffer))
                    buffer.clear()
            if buffer:  # what arrived before the end (or before the connection dropped)
                position = self._store_chunk(principal, upload_id, position, bytes(buffer))
        except OperationalError as err:
            log.warning("upload %s: bytes not stored: %s", upload_id, err)
            failure, status = DISK_FAILED, 503
        if failure is not None:
            raise UploadError(failure, status, offset=position)
        if position < size:
            return UploadState(upload_id, position)
        self._finish(principal, upload_id, sha256)
        return UploadState(upload_id, position, complete=True)

    def _store_chunk(self, principal: Principal, upload_id: str, start: int, data: bytes) -> int:
        """Keep ``data`` as the upload's bytes from ``start`` and move its offset past them,
        in one transaction; returns the new offset. Another request for the same upload
        that moved the offset first wins: this one is told where to resume."""
        with _upload_transaction(self.factory, upload_id) as session:
            upload = self._own_upload(session, principal, upload_id)
            if upload.offset != start:
                raise UploadError(
                    f"The upload is at byte {upload.offset}; resume from there.",
                    409,
                    offset=upload.offset,
                )
            session.add(UploadChunk(upload_id=upload_id, start=start, size=len(data), data=data))
            upload.offset = start + len(data)
            return upload.offset

    def _reconcile_offset(self, principal: Principal, upload_id: str) -> int:
        """Set the upload's offset to the bytes really stored for it; returns it."""
        with _upload_transaction(self.factory, upload_id) as session:
            upload = self._own_upload(session, principal, upload_id)
            upload.offset = _stored_bytes(session, upload_id)
            return upload.offset

    def _finish(self, principal: Principal, upload_id: str, sha256: str) -> None:
        """Copy the stored bytes to a private file while hashing them, check and publish it
        (any node can: the bytes are in the database)."""
        verified = self.staging / f"{uuid.uuid4()}.verified"
        try:
            copied = self._copy_stored(upload_id, verified)
            if copied is None:
                self._bytes_gone(principal, upload_id, sha256)
                return
            digest, size = copied
            self._publish_verified(principal, upload_id, sha256, verified, digest, size)
        except OSError as err:
            # The upload row and its stored bytes stay: the next start or PATCH publishes.
            log.warning("upload %s not published: %s", upload_id, err.strerror or err)
            raise UploadError(PUBLISH_FAILED, 503) from err
        finally:
            verified.unlink(missing_ok=True)

    def _copy_stored(self, upload_id: str, target: Path) -> tuple[str, int] | None:
        """Write the upload's chunks in order to ``target`` (fsynced); their SHA-256 and
        size, or None when they don't run without a gap from byte 0 to the upload's size
        (bytes lost, or the upload finished by a twin request meanwhile)."""
        digest, size = hashlib.sha256(), 0
        with self.factory() as session:
            upload = session.get(BlobUpload, upload_id)
            if upload is None:
                return None
            starts = list(
                session.execute(
                    select(UploadChunk.start, UploadChunk.size)
                    .where(UploadChunk.upload_id == upload_id)
                    .order_by(UploadChunk.start)
                )
            )
            with target.open("wb") as out:
                for start, length in starts:
                    if start != size:
                        return None
                    data = session.scalar(
                        select(UploadChunk.data).where(
                            UploadChunk.upload_id == upload_id, UploadChunk.start == start
                        )
                    )
                    if data is None or len(data) != length:
                        return None
                    digest.update(data)
                    out.write(data)
                    size += length
                out.flush()
                os.fsync(out.fileno())
            if size != upload.size:
                return None
        return digest.hexdigest(), size

    def _bytes_gone(self, principal: Principal, upload_id: str, sha256: str) -> None:
        """The stored bytes were not all there while finishing: another request for the
        same upload published it (then all is well), or they must be sent again."""
        with write_transaction(self.factory) as session:
            blob = session.get(Blob, sha256)
            if blob is not None and self._may_read(session, principal, blob):
                return
            upload = self._own_upload(session, principal, upload_id)
            session.execute(delete(UploadChunk).where(UploadChunk.upload_id == upload_id))
            upload.offset = 0
        raise UploadError(LOST_BYTES, 409, offset=0)

    def _publish_verified(
        self,
        principal: Principal,
        upload_id: str,
        sha256: str,
        verified: Path,
        digest: str,
        size: int,
    ) -> None:
        problems: tuple[PreflightProblem, ...] = ()
        if digest != sha256:
            message = "The bytes received don't match the SHA-256 announced; nothing was kept."
        else:
            report = self.preflight(verified)
            problems = report.problems
            message = "The file can't be accepted: " + " ".join(p.message for p in problems)
        if digest != sha256 or problems:
            self._discard(upload_id)
            raise UploadError(message, 422, problems=problems)
        if not self.store.exists(sha256):
            self.store.publish(sha256, verified)
        # The row and its bytes go in the transaction that records the blob: a crash at any
        # point leaves either a finished blob or an upload with its bytes that the next
        # attempt finishes.
        with write_transaction(self.factory) as session:
            upload = session.get(BlobUpload, upload_id)
            if upload is not None:
                session.execute(delete(UploadChunk).where(UploadChunk.upload_id == upload_id))
                session.delete(upload)
            new_blob = session.get(Blob, sha256) is None
            if new_blob:
                session.add(Blob(sha256=sha256, size=size, uploaded_by=principal.id))
            new_holder = session.get(BlobHolder, (sha256, principal.id)) is None
            if new_holder:
                session.add(BlobHolder(sha256=sha256, user_id=principal.id))
            if upload is not None or new_blob or new_holder:  # not when a twin request did it
                audit.append(
                    session,
                    actor_id=principal.id,
                    action="blob.upload",
                    entity="blob",
                    record_id=sha256,
                )

    def _discard(self, upload_id: str) -> None:
        with write_transaction(self.factory) as session:
            session.execute(delete(UploadChunk).where(UploadChunk.upload_id == upload_id))
            upload = session.get(BlobUpload, upload_id)
            if upload is not None:
                session.delete(upload)

    # -- expiry -----------------------------------------------------------------------------

    def _last_activity(self, upload: BlobUpload) -> datetime:
        """When the upload last received bytes (or was started)."""
        with self.factory() as session:
            last = session.scalar(
                select(func.max(UploadChunk.stored_at)).where(UploadChunk.upload_id == upload.id)
            )
        return upload.created_at if last is None else max(upload.created_at, last)

    def purge_expired(self, *, now: datetime | None = None, limit: int | None = None) -> int:
        """Remove uploads that received no bytes for the expiry time, with their stored
        bytes (at most ``limit`` of them); returns how many."""
        cutoff = (now or utcnow()) - self.limits.expiry
        old = select(BlobUpload).where(BlobUpload.created_at < cutoff)
        with self.factory() as session:
            if session.scalar(old.with_only_columns(BlobUpload.id).limit(1)) is None:
                return 0  # the usual answer, without taking the write lock
        with write_transaction(self.factory) as session:
            query = old.order_by(BlobUpload.created_at)
            candidates = list(session.scalars(query if limit is None else query.limit(limit)))
            expired = [u for u in candidates if self._last_activity(u) < cutoff]
            gone = [u.id for u in expired]
            if gone:
                session.execute(delete(UploadChunk).where(UploadChunk.upload_id.in_(gone)))
            for upload in expired:
                session.delete(upload)
        if gone:
            log.info("removed %d expired uploads", len(gone))
        return len(gone)

    def purge_orphans(self, *, now: datetime | None = None) -> int:
        """Remove staging files no upload needs (a verified copy left by a crash, or a
        ``.part`` file from before uploads were staged in the database) once older than
        ``ORPHAN_GRACE``, and stored bytes whose upload row is gone."""
        cutoff = ((now or utcnow()) - ORPHAN_GRACE).timestamp()
        removed = 0
        for path in self.staging.iterdir():
            if path.suffix not in (".part", ".verified") or not _is_uuid(path.stem):
                continue  # other writers' temporary files (orders, packages, the demo seed)
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
                    removed += 1
            except FileNotFoundError:
                continue
        with self.factory() as session:
            stray = session.scalar(
                select(UploadChunk.upload_id)
                .where(~UploadChunk.upload_id.in_(select(BlobUpload.id)))
                .limit(1)
            )
        if stray is not None:  # only where the database does not cascade deletes
            with write_transaction(self.factory) as session:
                session.execute(
                    delete(UploadChunk).where(~UploadChunk.upload_id.in_(select(BlobUpload.id)))
                )
        if removed:
            log.info("removed %d leftover staging files", removed)
        return removed

    def purge(self, *, now: datetime | None = None) -> PurgeReport:
        """Every expired upload and leftover staging file (``ecas-server purge-uploads``)."""
        now = now or utcnow()
        return PurgeReport(self.purge_expired(now=now), self.purge_orphans(now=now))

    # -- reads ------------------------------------------------------------------------------

    def authorise_read(self, principal: Principal, sha256: str, *, purpose: str = "read") -> int:
        """Check ``principal`` may read ``sha256``, audit the read, return its size.

        ``purpose`` (one of :data:`READ_PURPOSES`) goes into the audit entry's detail: a
        client's background download ahead of a hearing (``prefetch``) is told from a
        person opening the document (``read``), and a case's history lists only readings.

        Readable: a blob of a document the principal can see, or one they uploaded.
        Anything else is answered as not found, so ids can't be probed. The check reads
        without the write lock, so refused reads (probes) don't queue behind writers or
        hold them up; only an allowed read writes, its audit entry, in an
        :func:`audit_transaction` (the chain's head locked, the server-wide lock only shared:
        a read waits for no court's writer, nor holds one up); a refusal is audited in a
        batch (services/refusals.py).
        """
        with self.factory() as session:
            blob = session.get(Blob, sha256)
            # bytes of a confidential document: only its readers, whatever other key
            flagged, seen = (
                (None, False) if blob is None else judge_blob_documents(session, principal, sha256)
            )
            refused = flagged is not None and flagged.refusal is not None
            if (
                blob is None
                or refused
                or not (seen or self._may_read_kept(session, principal, blob))
            ):
                if flagged is not None:  # a refused read of a flagged record, by name
                    with audit_transaction(self.factory) as session:
                        confidentiality.audit_refusal(
                            session,
                            principal,
                            "document",
                            flagged.document_id,
                            flagged.flags,
                            flagged.refusal or "not a reader of this case",
                            sha256=sha256,
                        )
                raise UploadError("No such document.", 404)
            size = blob.size
        with audit_transaction(self.factory) as session:
            if flagged is not None:
                confidentiality.audit_read(
                    session, principal, "document", flagged.document_id, flagged.flags
                )
            audit.append(
                session,
                actor_id=principal.id,
                action="document.read",
                entity="blob",
                record_id=sha256,
                detail={"purpose": purpose},
            )
        return size

    @staticmethod
    def _may_read_kept(session: Session, principal: Principal, blob: Blob) -> bool:
        """Whether ``principal`` holds a key to ``blob`` other than a document they can see:
        they uploaded it, or hold it (a package made for them)."""
        if blob.uploaded_by == principal.id:
            return True
        return session.get(BlobHolder, (blob.sha256, principal.id)) is not None

    @staticmethod
    def _may_read(session: Session, principal: Principal, blob: Blob) -> bool:
        if BlobService._may_read_kept(session, principal, blob):
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


def _stored_bytes(session: Session, upload_id: str) -> int:
    """How many bytes of the upload are stored, from byte 0 (what its offset must be)."""
    stored = session.scalar(
        select(func.coalesce(func.sum(UploadChunk.size), 0)).where(
            UploadChunk.upload_id == upload_id
        )
    )
    return int(stored or 0)


@contextlib.contextmanager
def _upload_transaction(factory: sessionmaker[Session], upload_id: str) -> Iterator[Session]:
    """A transaction that alone may move one upload's offset: on PostgreSQL a lock on the
    upload's row (uploads don't wait on the server's write lock, nor it on them); on
    SQLite, which has one writer anyway, the write lock."""
    with factory() as session, session.begin():
        if session.get_bind().dialect.name == "sqlite":
            begin_write(session)
        else:
            session.execute(
                select(BlobUpload.id).where(BlobUpload.id == upload_id).with_for_update()
            )
        yield session


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    shown = f"{hours:.0f}" if hours == int(hours) else f"{hours:.1f}"
    return f"{shown} hour" + ("" if shown == "1" else "s")


def _mb(size: int) -> str:
    return f"{math.ceil(size * 10 / 1_048_576) / 10:.1f} MB"
