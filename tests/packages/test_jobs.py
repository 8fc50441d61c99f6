"""The job table and the worker, on SQLite and PostgreSQL: claims, leases, retries, errors."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from common.enums import Role
from sync_server.models import AuditEntry, RopJob, RopRequestRow, SyncRecord
from sync_server.models.types import utcnow
from sync_server.packages.queue import DONE, FAILED, RUNNING, JobQueue, LeaseLost
from sync_server.packages.worker import PackageWorker
from sync_server.policy import Principal
from tests.conftest import user_id
from tests.packages.conftest import drain, make_case, read_back, text_pdf


def _attorney() -> Principal:
    return Principal(user_id("attorney1"), "attorney1", Role.ATTORNEY, None, "Attorney")


def _request(app: Flask, case_id: str, principal: Principal | None = None) -> str:
    services = app.extensions["ecas"]
    with services.factory() as session:
        return str(services.packages.request(session, principal or _attorney(), case_id))


def _worker(app: Flask, name: str, **queue_options: Any) -> PackageWorker:
    services = app.extensions["ecas"]
    queue = JobQueue(services.factory, **queue_options)
    return PackageWorker(
        services.factory,
        services.blobs.store,
        services.config.data_dir / "packages",
        queue=queue,
        worker_id=name,
    )


def _record(app: Flask, request_id: str) -> RopRequestRow:
    with app.extensions["ecas"].factory() as session:
        row = session.get(RopRequestRow, request_id)
        assert row is not None
        return row


def _job(app: Flask, request_id: str) -> RopJob:
    with app.extensions["ecas"].factory() as session:
        job = session.get(RopJob, request_id)
        assert job is not None
        return job


def test_a_request_is_built_and_its_record_reports_progress(seeded_app: Flask) -> None:
    drain(seeded_app)
    case = make_case(seeded_app, [("NTA", text_pdf(2, "N")), ("Brief", text_pdf(3, "B"))])
    request_id = _request(seeded_app, case.id)
    assert _record(seeded_app, request_id).status == "queued"
    versions: list[int] = []
    worker = _worker(seeded_app, "w1")
    reported = worker.report

    def spy(claim: Any, **kw: Any) -> None:
        reported(claim, **kw)
        with seeded_app.extensions["ecas"].factory() as session:
            feed = session.get(SyncRecord, ("rop_request", request_id))
            assert feed is not None
            versions.append(feed.version)

    worker.report = spy  # type: ignore[method-assign]
    assert worker.run_once()
    row = _record(seeded_app, request_id)
    assert (row.status, row.progress, row.result_pages, row.error) == ("done", 1.0, 6, None)
    assert versions and versions == sorted(versions)  # each report is a new synced version
    services = seeded_app.extensions["ecas"]
    assert row.result_sha256 is not None
    data = b"".join(services.blobs.store.read_range(row.result_sha256, 0, 10**9))
    back = read_back(data)
    assert back.pages == 1 + 2 + 3
    assert [t for t, _ in back.outline[1:]] == [
        "1. NTA (February 2, 2026)",
        "2. Brief (February 3, 2026)",
    ]
    with services.factory() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.record_id == request_id)
        ).all()
    assert actions == ["rop.request", "rop.built"]


def test_documents_filed_the_same_day_keep_the_order_they_were_recorded(
    seeded_app: Flask,
) -> None:
    drain(seeded_app)
    docs = [(f"Exhibit {n}", text_pdf(1, f"X{n}")) for n in range(4)]
    case = make_case(seeded_app, docs, same_day=True)
    request_id = _request(seeded_app, case.id)
    drain(seeded_app)
    sha = _record(seeded_app, request_id).result_sha256
    assert sha is not None
    store = seeded_app.extensions["ecas"].blobs.store
    back = read_back(b"".join(store.read_range(sha, 0, 10**9)))
    titles = [t.split(". ", 1)[1].rsplit(" (", 1)[0] for t, _ in back.outline[1:]]
    assert titles == [d.title for d in case.accepted]


def test_two_workers_never_build_the_same_job(seeded_app: Flask) -> None:
    drain(seeded_app)
    case = make_case(seeded_app, [("Only", text_pdf(1, "O"))])
    requests = {_request(seeded_app, case.id) for _ in range(6)}
    queue = JobQueue(seeded_app.extensions["ecas"].factory)
    claimed: list[str] = []
    barrier = threading.Barrier(4)

    def claim_all(name: str) -> None:
        barrier.wait()
        while (claim := queue.claim(name)) is not None:
            claimed.append(claim.request_id)

    threads = [threading.Thread(target=claim_all, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(requests)  # every job claimed exactly once
    with seeded_app.extensions["ecas"].factory() as session:
        session.execute(
            update(RopJob)
            .where(RopJob.request_id.in_(requests))
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()
    drain(seeded_app)  # leases ran out: a fresh worker finishes them all
    assert {_record(seeded_app, r).status for r in requests} == {"done"}


@pytest.mark.postgres
def test_a_claim_skips_a_job_another_worker_is_locking(seeded_app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite claims under the write lock")
    drain(seeded_app)
    case = make_case(seeded_app, [("Only", text_pdf(1, "O"))])
    first, second = _request(seeded_app, case.id), _request(seeded_app, case.id)
    factory = seeded_app.extensions["ecas"].factory
    queue = JobQueue(factory)
    with factory() as other, other.begin():  # another worker, mid-claim of the first job
        other.execute(select(RopJob).where(RopJob.request_id == first).with_for_update())
        claim = queue.claim("w2")
        assert claim is not None and claim.request_id == second
    claim = queue.claim("w3")  # released: the next worker gets it
    assert claim is not None and claim.request_id == first
    assert queue.claim("w4") is None  # both are held now
    with factory() as session:
        session.execute(
            update(RopJob)
            .where(RopJob.request_id.in_([first, second]))
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()
    assert drain(seeded_app) == 2


def test_a_crashed_workers_job_is_taken_over_when_its_lease_runs_out(seeded_app: Flask) -> None:
    drain(seeded_app)
    case = make_case(seeded_app, [("Exhibit", text_pdf(2, "E"))])
    request_id = _request(seeded_app, case.id)
    crashed = _worker(seeded_app, "crashed")
    claim = crashed.queue.claim("crashed")
    assert claim is not None and claim.request_id == request_id
    crashed.report(claim, progress=0.1)  # it started, then its machine died
    assert _job(seeded_app, request_id).state == RUNNING
    assert _worker(seeded_app, "healthy").run_once() is False  # the lease still holds

    with seeded_app.extensions["ecas"].factory() as session:
        session.execute(
            update(RopJob)
            .where(RopJob.request_id == request_id)
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()
    assert _worker(seeded_app, "healthy").run_once() is True
    job = _job(seeded_app, request_id)
    assert (job.state, job.worker_id, job.attempts) == (DONE, "healthy", 2)
    assert _record(seeded_app, request_id).status == "done"
    # The old worker, were it only slow, finds out and stops without touching the result.
    with pytest.raises(LeaseLost):
        crashed.report(claim, progress=0.5)
    crashed.process(claim)
    assert _record(seeded_app, request_id).status == "done"


def test_a_job_interrupted_too_often_fails_with_a_message(seeded_app: Flask) -> None:
    drain(seeded_app)
    case = make_case(seeded_app, [("Exhibit", text_pdf(1, "E"))])
    request_id = _request(seeded_app, case.id)
    factory = seeded_app.extensions["ecas"].factory
    queue = JobQueue(factory, max_attempts=2)
    for attempt in (1, 2):
        claim = queue.claim(f"doomed{attempt}")
        assert claim is not None and claim.attempt == attempt
        with factory() as session:
            session.execute(
                update(RopJob)
                .where(RopJob.request_id == request_id)
                .values(lease_until=utcnow() - timedelta(seconds=1))
            )
            session.commit()
    assert _worker(seeded_app, "last", max_attempts=2).run_once()
    row = _record(seeded_app, request_id)
    assert row.status == "failed"
    assert row.error is not None and "interrupted 2 times" in row.error
    assert _job(seeded_app, request_id).state == FAILED


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_missing_or_damaged_document_fails_the_request_clearly(
    seeded_app: Flask, damage: str
) -> None:
    drain(seeded_app)
    good, bad = text_pdf(1, f"Good {damage}"), text_pdf(2, f"Bad {damage}")
    case = make_case(seeded_app, [("Good exhibit", good), ("Bad exhibit", bad)])
    store = seeded_app.extensions["ecas"].blobs.store
    path = store.path(case.accepted[1].sha256)
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(bad[:-30] + b"\0" * 30)
    try:
        request_id = _request(seeded_app, case.id)
        assert _worker(seeded_app, "w").run_once()
    finally:  # the seeded app is shared: put the document back for the other tests
        path.write_bytes(bad)
    row = _record(seeded_app, request_id)
    assert row.status == "failed"
    assert row.error is not None and "Bad exhibit" in row.error
    assert ("missing" if damage == "missing" else "damaged") in row.error
    assert _job(seeded_app, request_id).attempts == 1  # not retried: it can't get better
    assert drain(seeded_app) == 0


def test_a_request_pushed_by_sync_is_adopted_by_the_workers(seeded_app: Flask) -> None:
    from tests.conftest import Api, mutation

    drain(seeded_app)
    case = make_case(seeded_app, [("Exhibit", text_pdf(1, "S"))], court="SFR", attorney=None)
    api = Api(seeded_app.test_client())
    token = api.login("clerk1")
    record = {
        "case_id": case.id,
        "requester_id": user_id("clerk1"),
        "requested_at": "2026-11-27T10:00:00Z",
    }
    [result] = api.push(token, mutation("rop_request", record))
    assert result["status"] == "applied", result
    [forged] = api.push(token, mutation("rop_request", {**record, "status": "done"}))
    assert forged["status"] == "rejected"
    assert drain(seeded_app) == 1
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.scalars(select(RopRequestRow).where(RopRequestRow.case_id == case.id)).one()
    assert (row.status, row.result_pages) == ("done", 2)  # court staff are parties too


@pytest.mark.slow
def test_worker_processes_share_the_queue(seeded_app: Flask, backend: str) -> None:
    """Two `ecas-server package-worker --once` processes drain one queue between them,
    each package built exactly once."""
    drain(seeded_app)
    docs = [(f"Exhibit {n}", text_pdf(3, f"P{n}")) for n in range(3)]
    case = make_case(seeded_app, docs)
    requests = [_request(seeded_app, case.id) for _ in range(6)]
    config = seeded_app.extensions["ecas"].config
    env = {
        **os.environ,
        "ECAS_DATA_DIR": str(config.data_dir),
        "ECAS_DATABASE_URL": config.database_url,
        "ECAS_BLOB_URL": config.blob_url,
        "ECAS_SECRET_KEY": config.secret_key,
    }
    command = [sys.executable, "-m", "sync_server.cli", "package-worker", "--once"]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(2)
    ]
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output.decode()
    with seeded_app.extensions["ecas"].factory() as session:
        built = session.scalars(
            select(AuditEntry.record_id).where(
                AuditEntry.action == "rop.built", AuditEntry.record_id.in_(requests)
            )
        ).all()
    assert sorted(built) == sorted(requests)  # every request built, none twice
    assert {_record(seeded_app, r).result_pages for r in requests} == {10}
