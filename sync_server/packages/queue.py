"""The job table workers claim eROP package builds from.

Claiming is safe with many workers on many machines: on PostgreSQL a worker locks the
oldest claimable row with ``SELECT ... FOR UPDATE SKIP LOCKED`` (others skip it and take
the next); on SQLite, which has one writer at a time, the claim runs under the server's
write lock. A claim is a lease: the worker renews it while it builds (its heartbeat), and
a job whose lease ran out is claimable again, so a crashed worker's job is taken over.
Every claim counts an attempt; a job interrupted too often fails instead of looping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from sync_server.db import begin_write
from sync_server.models import RopJob
from sync_server.models.types import utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True)
class Claim:
    """A job held by ``worker_id``; ``attempt`` counts claims of the job, this one included."""

    request_id: str
    worker_id: str
    attempt: int


class LeaseLost(Exception):
    """The worker's lease ran out and another worker took the job over."""


_ADOPT = text(
    "INSERT INTO rop_job (request_id, state, attempts, created_at)"
    " SELECT r.id, 'queued', 0, r.requested_at FROM rop_request r"
    " LEFT JOIN rop_job j ON j.request_id = r.id"
    " WHERE r.status = 'queued' AND r.deleted = :no AND j.request_id IS NULL"
    " ON CONFLICT DO NOTHING"
)


class JobQueue:
    """Claims, renews and settles jobs. Methods that take a ``session`` run in the caller's
    transaction; the others open their own."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        lease_seconds: float = 60.0,
        max_attempts: int = 3,
    ) -> None:
        self.factory = factory
        self.lease = timedelta(seconds=lease_seconds)
        self.max_attempts = max_attempts

    @staticmethod
    def enqueue(session: Session, request_id: str) -> None:
        session.add(RopJob(request_id=request_id, state=QUEUED, attempts=0, created_at=utcnow()))

    def adopt(self) -> int:
        """Give a job to every queued request that has none (requests pushed by sync)."""
        with self.factory() as session, session.begin():
            if self._is_sqlite(session):
                begin_write(session)
            result = session.execute(_ADOPT, {"no": False})
            return int(getattr(result, "rowcount", 0) or 0)

    @staticmethod
    def _is_sqlite(session: Session) -> bool:
        return session.get_bind().dialect.name == "sqlite"

    def claim(self, worker_id: str) -> Claim | None:
        """Take the oldest queued job (or one whose lease ran out), or None."""
        now = utcnow()
        claimable = or_(
            RopJob.state == QUEUED,
            and_(RopJob.state == RUNNING, RopJob.lease_until < now),
        )
        with self.factory() as session, session.begin():
            if self._is_sqlite(session):
                begin_write(session)
            job = session.scalar(
                select(RopJob)
                .where(claimable)
                .order_by(RopJob.created_at, RopJob.request_id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if job is None:
                return None
            job.state, job.worker_id = RUNNING, worker_id
            job.attempts += 1
            job.lease_until = now + self.lease
            return Claim(job.request_id, worker_id, job.attempts)

    def held(self, session: Session, claim: Claim) -> RopJob:
        """The claimed job, locked for this transaction; raises :class:`LeaseLost` when the
        claim no longer holds (another worker took the job over, or it was settled)."""
        job = session.scalar(
            select(RopJob).where(RopJob.request_id == claim.request_id).with_for_update()
        )
        if (
            job is None
            or job.state != RUNNING
            or job.worker_id != claim.worker_id
            or job.attempts != claim.attempt
        ):
            raise LeaseLost(f"the job of request {claim.request_id} is no longer ours")
        return job

    def renew(self, session: Session, claim: Claim) -> None:
        """The heartbeat: extend the lease (the caller's transaction)."""
        self.held(session, claim).lease_until = utcnow() + self.lease

    def settle(
        self,
        session: Session,
        claim: Claim,
        state: str,
        *,
        error: str | None = None,
        result_sha256: str | None = None,
    ) -> None:
        """Finish the job as ``done``/``failed``, or put it back as ``queued`` for a retry."""
        job = self.held(session, claim)
        job.state, job.last_error, job.result_sha256 = state, error, result_sha256
        job.lease_until = None
        if state == QUEUED:
            job.worker_id = None
        else:
            job.finished_at = utcnow()

    @staticmethod
    def result_of(session: Session, request_id: str) -> str | None:
        """The SHA-256 of the package a worker built for the request, or None."""
        job = session.get(RopJob, request_id)
        return job.result_sha256 if job is not None and job.state == DONE else None
