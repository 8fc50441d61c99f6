"""Requesting, following and downloading eROP packages (what the API and portal call).

A request is a synced ``rop_request`` record plus a job for the workers
(``ecas-server package-worker``); the worker writes the record's status and progress, so
the requester's clients see them by sync, and the portal by :meth:`RopPackages.status`.

Sessions: :meth:`RopPackages.request` and :meth:`RopPackages.open_result` write (a record,
audit entries). Given a session with no transaction open they run their own write
transaction and commit it; given one inside a transaction they take the write lock in it
and leave the commit to the caller (``sync_server.db.write_transaction`` does both).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from sqlalchemy.orm import Session

from common.court_time import iso_date, local_date
from common.enums import RopRequestStatus
from common.wire import RopRequest
from sync_server.db import begin_write
from sync_server.models import CaseRow, CourtRow, RopRequestRow
from sync_server.models.types import utcnow
from sync_server.packages.queue import JobQueue
from sync_server.policy import Principal, check_write, may_fetch_rop_package
from sync_server.services import audit
from sync_server.services.blob_store import BlobStore
from sync_server.services.records import SessionLookups, row_to_record, write_record

NOT_FOUND = "No such case or record request."


class RopPackageError(Exception):
    """A request refused; ``status`` is the HTTP status to answer with (404: not found or
    not yours, which are answered alike so ids can't be probed; 409: not ready)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class _ChunkReader(io.RawIOBase):
    """A raw, read-only stream over a blob's chunks."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._left:
            self._left = next(self._chunks, b"")
        count = min(len(buffer), len(self._left))
        buffer[:count] = self._left[:count]
        self._left = self._left[count:]
        return count

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
        super().close()


@contextmanager
def _writing(session: Session) -> Iterator[Session]:
    if session.in_transaction():
        begin_write(session)
        yield session
        return
    with session.begin():
        begin_write(session)
        yield session


class RopPackages:
    def __init__(self, store: BlobStore, queue: JobQueue) -> None:
        self.store = store
        self.queue = queue

    def request(self, session: Session, principal: Principal, case_id: str) -> str:
        """Queue a package of ``case_id`` for ``principal``; returns the rop_request id.

        Only a party of record may ask (see :func:`sync_server.policy.is_party_of_record`);
        anyone else, and an unknown case, gets :class:`RopPackageError` 404.
        """
        with _writing(session):
            lookups = SessionLookups(session)
            case = session.get(CaseRow, case_id)
            if case is None or case.deleted:
                raise RopPackageError(NOT_FOUND, 404)
            record = RopRequest(
                id=str(uuid.uuid4()),
                case_id=case_id,
                requester_id=principal.id,
                requested_at=utcnow(),
            )
            if check_write(principal, "rop_request", None, record, lookups) is not None:
                raise RopPackageError(NOT_FOUND, 404)
            version = write_record(session, record, lookups=lookups)
            self.queue.enqueue(session, record.id)
            audit.append(
                session,
                actor_id=principal.id,
                action="rop.request",
                entity="rop_request",
                record_id=record.id,
                detail={"case_id": case_id, "version": version},
            )
            return record.id

    def _own_request(self, session: Session, principal: Principal, request_id: str) -> RopRequest:
        row = session.get(RopRequestRow, request_id)
        if row is None or row.deleted:
            raise RopPackageError(NOT_FOUND, 404)
        record = row_to_record("rop_request", row)
        assert isinstance(record, RopRequest)
        if not may_fetch_rop_package(principal, record, SessionLookups(session)):
            raise RopPackageError(NOT_FOUND, 404)
        return record

    def status(self, session: Session, principal: Principal, request_id: str) -> dict[str, Any]:
        """``{"status", "progress", "pages", "sha256", "error"}`` of the requester's own
        request (404 for anyone else). ``progress`` runs from 0.0 to 1.0."""
        record = self._own_request(session, principal, request_id)
        return {
            "status": record.status.value,
            "progress": record.progress,
            "pages": record.result_pages,
            "sha256": record.result_sha256,
            "error": record.error,
        }

    def open_result(
        self, session: Session, principal: Principal, request_id: str
    ) -> tuple[IO[bytes], str]:
        """The finished package as a stream and a file name; the download is audited.

        404 as for :meth:`status`; 409 while the package is not built (or failed).
        """
        with _writing(session):
            record = self._own_request(session, principal, request_id)
            sha256 = self.queue.result_of(session, request_id)
            if record.status is not RopRequestStatus.DONE or sha256 is None:
                raise RopPackageError(_not_ready(record), 409)
            case = session.get(CaseRow, record.case_id)
            a_number = case.a_number if case is not None else "case"
            court = session.get(CourtRow, case.court_id) if case is not None else None
            # The day it was asked for at the court, as the requester knows it.
            requested_on = local_date(record.requested_at, court)
            audit.append(
                session,
                actor_id=principal.id,
                action="rop.download",
                entity="rop_request",
                record_id=request_id,
                detail={"case_id": record.case_id, "sha256": sha256},
            )
        size = self.store.size(sha256)
        stream = io.BufferedReader(_ChunkReader(iter(self.store.read_range(sha256, 0, size))))
        name = f"eROP-A{a_number}-{iso_date(requested_on)}.pdf"
        return stream, name


def _not_ready(record: RopRequest) -> str:
    if record.status is RopRequestStatus.FAILED:
        return f"The package could not be built: {record.error or 'unknown error'}"
    return f"The package is not ready yet ({record.status.value}, {record.progress:.0%} done)."
