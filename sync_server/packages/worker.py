"""The package worker: claims jobs, builds packages, reports on the ``rop_request`` record.

Run as ``ecas-server package-worker``; any number may run, on any machines sharing the
database and the blob store. Status and progress go through
:func:`sync_server.services.records.write_record`, so the requester's clients receive them
by sync like any other change. Docket order: ``filed_on``, then the document's ``version``
(when it was recorded), then its id, so two documents filed the same day keep the order
in which they joined the record and ties can never reorder between builds.

Every document is parsed once in the PDF box (:mod:`common.pdf_box`, the limits uploads
are checked under) before the worker opens it for stamping: the box's check loads every
object of the file, which is what copying its pages does, so a document that would blow
the worker's memory or loop its page tree fails the job with its name instead.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.anumber import format_a_number
from common.enums import DocumentStatus, RopRequestStatus
from common.pdf_box import PdfBox
from common.pdf_preflight import PreflightCode
from common.wire import Document, RopRequest
from sync_server.db import write_transaction
from sync_server.models import Blob, CaseRow, DocumentRow, RopRequestRow, UserRow
from sync_server.packages.builder import (
    PackageDocument,
    PackageResult,
    PackageSourceError,
    build_package,
)
from sync_server.packages.queue import DONE, FAILED, QUEUED, Claim, JobQueue, LeaseLost
from sync_server.policy import FLAG_RULES, flags_of, package_withholds, record_flags
from sync_server.services import audit, confidentiality, mail_events
from sync_server.services.auth import principal_of
from sync_server.services.blob_store import CHUNK, BlobStore
from sync_server.services.records import SessionLookups, row_to_record, write_record

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0  # at most this often a progress write, which also renews the lease
_AUDIT_ACTIONS = {DONE: "rop.built", FAILED: "rop.failed", QUEUED: "rop.retry"}
INTERNAL_ERROR = "The package could not be built because of a server error; ask for it again."
# What the box may say of a document that makes opening it in the worker unsafe. (Scripts
# or attachments are the intake's business; a document in the record was accepted.)
_UNSAFE_TO_OPEN = frozenset(
    {PreflightCode.TOO_COMPLEX, PreflightCode.INFLATION, PreflightCode.PAGE_TREE}
)
_NO_PAGE_LIMIT = 10**6


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class _Heartbeat:
    """Turns the builder's per-document progress into throttled record writes."""

    def __init__(self, worker: PackageWorker, claim: Claim) -> None:
        self.worker, self.claim = worker, claim
        self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= HEARTBEAT_SECONDS and done < total:
            self.last = now
            # Building is most of the work; hashing and storing the result the rest.
            self.worker.report(self.claim, progress=min(0.95, 0.95 * done / max(total, 1)))


class PackageWorker:
    def __init__(
        self,
        factory: sessionmaker[Session],
        store: BlobStore,
        staging: Path,
        *,
        queue: JobQueue | None = None,
        worker_id: str | None = None,
        pdf_box: PdfBox | None = None,
    ) -> None:
        self.factory = factory
        self.pdf_box = pdf_box or PdfBox()
        self.store = store
        self.staging = staging
        self.queue = queue or JobQueue(factory)
        self.worker_id = worker_id or default_worker_id()
        staging.mkdir(parents=True, exist_ok=True)

    # -- the loop -------------------------------------------------------------------------

    def run_once(self) -> bool:
        """Adopt requests made by sync, claim one job and run it; False when idle."""
        self.queue.adopt()
        claim = self.queue.claim(self.worker_id)
        if claim is None:
            return False
        self.process(claim)
        return True

    def run(self, poll_seconds: float, stop: threading.Event | None = None) -> None:
        """Work until ``stop`` is set, sleeping ``poll_seconds`` whenever the queue is empty."""
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the database went away: wait, then try again
                log.exception("package worker: polling failed; retrying")
                busy = False
            if not busy:
                stop.wait(poll_seconds)

    # -- one job --------------------------------------------------------------------------

    def process(self, claim: Claim) -> None:
        if claim.attempt > self.queue.max_attempts:
            message = (
                f"The package build was interrupted {claim.attempt - 1} times; "
                "ask for it again or contact the court."
            )
            self._finish(claim, FAILED, error=message)
            return
        log.info("building the package of request %s (attempt %d)", claim.request_id, claim.attempt)
        try:
            self.report(claim, progress=0.0, status=RopRequestStatus.RUNNING)
            documents, a_number, caption = self._plan(claim.request_id)
            self._build(claim, documents, a_number, caption)
        except LeaseLost:
            log.warning("package worker %s lost request %s", self.worker_id, claim.request_id)
        except PackageSourceError as err:
            self._finish(claim, FAILED, error=str(err)[:200])
        except Exception:
            log.exception("package build failed for request %s", claim.request_id)
            if claim.attempt < self.queue.max_attempts:
                self._finish(claim, QUEUED, error=INTERNAL_ERROR)
            else:
                self._finish(claim, FAILED, error=INTERNAL_ERROR)

    def _plan(self, request_id: str) -> tuple[list[PackageDocument], str, str]:
        with self.factory() as session:
            request = session.get(RopRequestRow, request_id)
            case = session.get(CaseRow, request.case_id) if request is not None else None
            if request is None or case is None:
                raise PackageSourceError("The case of this request no longer exists.")
            rows = session.scalars(
                select(DocumentRow)
                .where(
                    DocumentRow.case_id == case.id,
                    DocumentRow.status == DocumentStatus.ACCEPTED.value,
                    DocumentRow.deleted.is_(False),
                )
                .order_by(DocumentRow.filed_on, DocumentRow.version, DocumentRow.id)
            )
            documents = _confidential_view(session, request, case, list(rows))
            name = f"{case.respondent_last_name.upper()}, {case.respondent_first_name}"
            caption = f"{name} — {format_a_number(case.a_number)} — {len(documents)} documents"
            return documents, case.a_number, caption

    def _read_blob(self, sha256: str) -> bytes:
        if not self.store.exists(sha256):
            raise FileNotFoundError(sha256)
        data = b"".join(self.store.read_range(sha256, 0, self.store.size(sha256)))
        inspection = self.pdf_box.inspect(data, _NO_PAGE_LIMIT)
        if _UNSAFE_TO_OPEN & set(inspection.codes):
            raise PackageSourceError(
                f"A document of the record (SHA-256 {sha256[:12]}…) is too complex to open "
                "safely; ask the court to replace it with a plain copy (Print to PDF)."
            )
        return data

    def _build(
        self, claim: Claim, documents: list[PackageDocument], a_number: str, caption: str
    ) -> None:
        fd, name = tempfile.mkstemp(dir=self.staging, suffix=".rop.pdf")
        os.close(fd)
        path = Path(name)
        try:
            result = build_package(
                documents,
                a_number=a_number,
                caption=caption,
                read_blob=self._read_blob,
                out_path=path,
                progress=_Heartbeat(self, claim),
            )
            self.report(claim, progress=0.97)
            sha256, size = _digest(path)
            if not self.store.exists(sha256):
                self.store.publish(sha256, path)
            self._finish(claim, DONE, result=result, sha256=sha256, size=size)
        finally:
            path.unlink(missing_ok=True)

    # -- writing the record ---------------------------------------------------------------

    def _update_record(
        self, session: Session, request_id: str, changes: dict[str, object]
    ) -> RopRequest:
        row = session.get(RopRequestRow, request_id)
        assert row is not None
        old = row_to_record("rop_request", row)
        new = RopRequest.model_validate({**old.model_dump(), **changes})
        if new != old:
            write_record(session, new)
        return new

    def report(
        self, claim: Claim, *, progress: float, status: RopRequestStatus | None = None
    ) -> None:
        """Write progress (and a status) on the request and renew the lease; raises
        :class:`LeaseLost` when the job is no longer this worker's."""
        with write_transaction(self.factory) as session:
            self.queue.renew(session, claim)
            changes: dict[str, object] = {"progress": round(progress, 3)}
            if status is not None:
                changes.update(status=status, error=None)
            self._update_record(session, claim.request_id, changes)

    def _finish(
        self,
        claim: Claim,
        state: str,
        *,
        error: str | None = None,
        result: PackageResult | None = None,
        sha256: str | None = None,
        size: int = 0,
    ) -> None:
        with write_transaction(self.factory) as session:
            self.queue.settle(session, claim, state, error=error, result_sha256=sha256)
            if state == DONE:
                assert result is not None and sha256 is not None
                if session.get(Blob, sha256) is None:
                    session.add(Blob(sha256=sha256, size=size, uploaded_by=None))
                changes: dict[str, object] = {
                    "status": RopRequestStatus.DONE,
                    "progress": 1.0,
                    "result_sha256": sha256,
                    "result_pages": result.pages,
                    "error": None,
                }
                shown = [e.document for e in result.entries if not e.document.withheld]
                detail: dict[str, object] = {
                    "sha256": sha256,
                    "pages": result.pages,
                    "documents": [d.document_id for d in shown],
                }
                withheld = [e.document for e in result.entries if e.document.withheld]
                if withheld:  # how many pages the requester's package left out, and why
                    detail["withheld"] = [
                        {"document_id": d.document_id, "pages": d.pages, "flags": list(d.flags)}
                        for d in withheld
                    ]
            elif state == QUEUED:  # to be retried: the requester sees it waiting again
                changes = {"status": RopRequestStatus.QUEUED, "progress": 0.0, "error": error}
                detail = {"retry": True, "attempt": claim.attempt}
            else:
                changes = {"status": RopRequestStatus.FAILED, "error": error}
                detail = {"error": error}
            record = self._update_record(session, claim.request_id, changes)
            if state == DONE:  # the requester is mailed (outbox row in this transaction)
                mail_events.package_ready(session, record)
                assert result is not None
                _audit_confidential_reads(session, record, result)
            audit.append(
                session,
                actor_id=None,
                action=_AUDIT_ACTIONS[state],
                entity="rop_request",
                record_id=claim.request_id,
                detail={"case_id": record.case_id, "worker": self.worker_id, **detail},
            )
        log.info("request %s: %s%s", claim.request_id, state, f" ({error})" if error else "")


def _digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _confidential_view(
    session: Session, request: RopRequestRow, case: CaseRow, rows: list[DocumentRow]
) -> list[PackageDocument]:
    """The case's accepted documents as the requester's package holds them: a document
    the policy withholds from them (sealed, for anyone but the court, the Board and DHS:
    resources/confidentiality.json) keeps its place in the index with the number of its
    pages, and nothing else of it."""
    lookups = SessionLookups(session)
    requester = session.get(UserRow, request.requester_id)
    principal = principal_of(requester) if requester is not None else None
    out = []
    for d in rows:
        document = row_to_record("document", d)
        assert isinstance(document, Document)
        flags = record_flags(document, lookups)
        withheld = ""
        if flags:
            # a requester who is gone gets nothing confidential (the package is theirs)
            flag = (
                package_withholds(principal, flags, case.id, lookups) if principal else min(flags)
            )
            if flag is not None:
                line = FLAG_RULES[flag].package_withheld_line or "{pages} pages withheld"
                withheld = line.format(pages=d.pages)
        out.append(
            PackageDocument(
                d.id,
                d.title,
                d.doc_type,
                d.filed_on,
                d.pages,
                d.sha256,
                withheld,
                tuple(sorted(f.value for f in flags)),
            )
        )
    return out


def _audit_confidential_reads(session: Session, record: RopRequest, result: PackageResult) -> None:
    """A package holding confidential documents is a read of each by its requester."""
    for entry in result.entries:
        doc = entry.document
        if doc.flags and not doc.withheld:
            audit.append(
                session,
                actor_id=record.requester_id,
                action=confidentiality.READ,
                entity="document",
                record_id=doc.document_id,
                detail={
                    **confidentiality.describe(flags_of(doc.flags)),
                    "via": "rop_package",
                    "request_id": record.id,
                },
            )
