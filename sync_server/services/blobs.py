"""Resumable, content-addressed uploads and audited, policy-checked reads of blobs."""

from __future__ import annotations

import hashlib
import logging
import math
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.pdf_box import BoxUnavailable, PdfBox
from common.pdf_preflight import PreflightProblem, PreflightReport, preflight_pdf
from sync_server.db import write_transaction
from sync_server.models import Blob, BlobHolder, BlobUpload, DocumentRow
from sync_server.models.types import utcnow
from sync_server.policy import Principal, can_see, placement_of
from sync_server.services import audit
from sync_server.services.blob_store import CHUNK, BlobStore
from sync_server.services.records import SessionLookups, row_to_record

log = logging.getLogger(__name__)

# Expired uploads removed per upload start at most, so starting one stays cheap; the
# ``ecas-server purge-uploads`` command removes them all.
PURGE_BATCH = 200
# A staging file that no upload row names (left by a crash between two steps) is removed
# once it is this old: long enough that no request can still be using it.
ORPHAN_GRACE = timedelta(hours=1)

DISK_FAILED = (
    "The server couldn't store the bytes just now (its disk may be full). What it had "
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
    (their staged bytes take the server's disk until they finish or expire)."""

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

    def _staged(self, upload_id: str) -> Path:
        return self.staging / f"{uuid.UUID(upload_id)}.part"

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
                self._staged(upload.id).touch()
                return UploadState(upload.id, 0)
            upload.offset = _bytes_kept(self._staged(upload.id), upload.offset)
            upload_id, offset = upload.id, upload.offset
        if offset < size:
            return UploadState(upload_id, offset)
        self._finish(principal, upload_id, sha256, self._staged(upload_id))
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
            size, sha256 = upload.size, upload.sha256
        staged = self._staged(upload_id)
        if _bytes_kept(staged, offset) < offset:
            # The staging file lost bytes the row counts (the staging folder was cleared):
            # the client must send them again rather than have a hole hashed.
            kept = self._reconcile_offset(principal, upload_id)
            raise UploadError(f"The upload is at byte {kept}; resume from there.", 409, offset=kept)

        def checkpoint(written: int) -> None:
            self._save_offset(principal, upload_id, offset + written)

        copied = _copy_limited(stream, staged, offset, size - offset, checkpoint)
        new_offset = offset + copied.written
        self._save_offset(principal, upload_id, new_offset)
        if copied.failure is not None:
            raise UploadError(copied.failure, copied.status, offset=new_offset)
        if new_offset < size:
            return UploadState(upload_id, new_offset)
        self._finish(principal, upload_id, sha256, staged)
        return UploadState(upload_id, new_offset, complete=True)

    def _save_offset(self, principal: Principal, upload_id: str, offset: int) -> None:
        with write_transaction(self.factory) as session:
            upload = self._own_upload(session, principal, upload_id)
            upload.offset = offset

    def _reconcile_offset(self, principal: Principal, upload_id: str) -> int:
        """Set the upload's offset to what its staging file really holds; returns it."""
        with write_transaction(self.factory) as session:
            upload = self._own_upload(session, principal, upload_id)
            upload.offset = _bytes_kept(self._staged(upload_id), upload.offset)
            return upload.offset

    def _finish(self, principal: Principal, upload_id: str, sha256: str, staged: Path) -> None:
        # Verify and publish a private copy, never the staged file itself: a stalled
        # request for the same upload may still hold the staged file open and write to it.
        verified = self.staging / f"{uuid.uuid4()}.verified"
        try:
            digest, size = _copy_with_digest(staged, verified)
            self._publish_verified(principal, upload_id, sha256, staged, verified, digest, size)
        except FileNotFoundError:
            self._staged_file_gone(principal, upload_id, sha256)
        except OSError as err:
            # The upload row and its staged bytes stay: the next start or PATCH publishes.
            log.warning("upload %s not published: %s", upload_id, err.strerror or err)
            raise UploadError(PUBLISH_FAILED, 503) from err
        finally:
            verified.unlink(missing_ok=True)

    def _staged_file_gone(self, principal: Principal, upload_id: str, sha256: str) -> None:
        """The staged file vanished while finishing: another request for the same upload
        published it (then all is well), or the bytes were lost and must be sent again."""
        with write_transaction(self.factory) as session:
            blob = session.get(Blob, sha256)
            if blob is not None and self._may_read(session, principal, blob):
                return
            upload = self._own_upload(session, principal, upload_id)
            upload.offset = 0
            self._staged(upload_id).touch()
        raise UploadError(LOST_BYTES, 409, offset=0)

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
            report = self.preflight(verified)
            problems = report.problems
            message = "The file can't be accepted: " + " ".join(p.message for p in problems)
        if digest != sha256 or problems:
            self._discard(upload_id, staged)
            raise UploadError(message, 422, problems=problems)
        if not self.store.exists(sha256):
            self.store.publish(sha256, verified)
        # The row goes in the transaction that records the blob, and the staged file only
        # after it committed: a crash at any point leaves either a finished blob or an
        # upload with its bytes that the next attempt finishes.
        with write_transaction(self.factory) as session:
            upload = session.get(BlobUpload, upload_id)
            if upload is not None:
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
        staged.unlink(missing_ok=True)

    def _discard(self, upload_id: str, staged: Path) -> None:
        # Row first: a crash in between leaves a staging file no row names, which the
        # orphan sweep removes, never a row whose bytes are gone.
        with write_transaction(self.factory) as session:
            upload = session.get(BlobUpload, upload_id)
            if upload is not None:
                session.delete(upload)
        staged.unlink(missing_ok=True)

    # -- expiry -----------------------------------------------------------------------------

    def _last_activity(self, upload: BlobUpload) -> datetime:
        """When the upload last received bytes (or was started or resumed)."""
        try:
            mtime = self._staged(upload.id).stat().st_mtime
        except FileNotFoundError:
            return upload.created_at
        return max(upload.created_at, datetime.fromtimestamp(mtime, UTC))

    def purge_expired(self, *, now: datetime | None = None, limit: int | None = None) -> int:
        """Remove uploads that received no bytes for the expiry time, with their staged
        bytes (at most ``limit`` of them); returns how many."""
        cutoff = (now or utcnow()) - self.limits.expiry
        old = select(BlobUpload).where(BlobUpload.created_at < cutoff)
        with self.factory() as session:
            if session.scalar(old.with_only_columns(BlobUpload.id).limit(1)) is None:
                return 0  # the usual answer, without taking the write lock
        with write_transaction(self.factory) as session:
            query = old.order_by(BlobUpload.created_at)
            candidates = session.scalars(query if limit is None else query.limit(limit))
            expired = [u for u in candidates if self._last_activity(u) < cutoff]
            for upload in expired:
                session.delete(upload)
            gone = [u.id for u in expired]
        for upload_id in gone:
            self._staged(upload_id).unlink(missing_ok=True)
        if gone:
            log.info("removed %d expired uploads", len(gone))
        return len(gone)

    def purge_orphans(self, *, now: datetime | None = None) -> int:
        """Remove staging files no upload needs: a ``.part`` whose upload row is gone and
        a ``.verified`` copy, each left by a crash and older than ``ORPHAN_GRACE``."""
        cutoff = ((now or utcnow()) - ORPHAN_GRACE).timestamp()
        stale: dict[str, Path] = {}
        for path in self.staging.iterdir():
            if path.suffix not in (".part", ".verified") or not _is_uuid(path.stem):
                continue  # other writers' temporary files (orders, packages, the demo seed)
            try:
                if path.stat().st_mtime < cutoff:
                    stale[f"{path.stem}{path.suffix}"] = path
            except FileNotFoundError:
                continue
        part_ids = [p.stem for p in stale.values() if p.suffix == ".part"]
        with self.factory() as session:
            live = set(session.scalars(select(BlobUpload.id).where(BlobUpload.id.in_(part_ids))))
        removed = 0
        for path in stale.values():
            if path.suffix == ".part" and path.stem in live:
                continue  # still an upload: expiry decides when it goes
            path.unlink(missing_ok=True)
            removed += 1
        if removed:
            log.info("removed %d leftover staging files", removed)
        return removed

    def purge(self, *, now: datetime | None = None) -> PurgeReport:
        """Every expired upload and leftover staging file (``ecas-server purge-uploads``)."""
        now = now or utcnow()
        return PurgeReport(self.purge_expired(now=now), self.purge_orphans(now=now))

    # -- reads ------------------------------------------------------------------------------

    def authorise_read(self, principal: Principal, sha256: str) -> int:
        """Check ``principal`` may read ``sha256``, audit the read, return its size.

        Readable: a blob of a document the principal can see, or one they uploaded.
        Anything else is answered as not found, so ids can't be probed. The check reads
        without the write lock, so refused reads (probes) don't queue behind writers or
        hold them up; only an allowed read takes it, for its audit entry (a refusal is
        audited in a batch: services/refusals.py).
        """
        with self.factory() as session:
            blob = session.get(Blob, sha256)
            if blob is None or not self._may_read(session, principal, blob):
                raise UploadError("No such document.", 404)
            size = blob.size
        with write_transaction(self.factory) as session:
            audit.append(
                session,
                actor_id=principal.id,
                action="document.read",
                entity="blob",
                record_id=sha256,
            )
        return size

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


@dataclass(frozen=True)
class _Copied:
    written: int
    failure: str | None = None
    status: int = 400


def _copy_limited(
    stream: BinaryIO, target: Path, offset: int, limit: int, checkpoint: Callable[[int], None]
) -> _Copied:
    """Append at most ``limit`` bytes of ``stream`` to ``target`` at ``offset``; returns
    bytes written and why it stopped early (a dropped connection, too many bytes, the
    disk).

    Every few MB the bytes so far are fsynced and ``checkpoint(written)`` records them, so
    a server crash mid-request loses at most the last few MB, not the whole request."""
    written, synced, failure = 0, 0, None
    try:
        with target.open("r+b") as out:
            out.seek(offset)
            out.truncate()
            while True:
                try:
                    chunk = stream.read(CHUNK)
                except OSError:  # the client went away mid-body (ConnectionError)
                    failure = "The connection dropped during the upload; resume from the offset."
                    break
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
            out.flush()
            os.fsync(out.fileno())
    except OSError as err:
        # Writing failed (a full or failing disk): only bytes already fsynced count, and
        # the next PATCH truncates whatever came after them.
        log.warning("staging write failed: %s", err.strerror or err)
        return _Copied(synced, DISK_FAILED, 503)
    return _Copied(written, failure)


def _bytes_kept(staged: Path, recorded: int) -> int:
    """How many of the ``recorded`` bytes the staging file really holds (a missing file
    is made again, empty). Touching it counts as activity, for expiry."""
    try:
        on_disk = staged.stat().st_size
        os.utime(staged)
    except FileNotFoundError:
        staged.touch()
        on_disk = 0
    return min(recorded, on_disk)


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
