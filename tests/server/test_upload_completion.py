"""Uploads always finish or say so, against a real ``ecas-server run`` process.

An upload whose bytes all arrived but were never published (the server was killed between
the last byte and publishing) is finished by the next attempt; unfinished uploads expire
and are capped per user. The state a killed server leaves is written directly, exactly as
the server leaves it: every byte stored in the database, the row's offset at the size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from sync_server.db import make_engine, make_session_factory
from sync_server.models import AuditEntry, Blob, BlobUpload
from sync_server.models.types import utcnow
from sync_server.models.uploads import UploadChunk
from tests.conftest import LiveServer
from tests.pdf_factory import valid_pdf
from tests.server.test_faults import (
    TIMEOUT,
    _assert_blob_is,
    _login,
    _patch,
    _sha256,
    _staged_size,
    _start_upload,
)

pytestmark = pytest.mark.slow

UPLOADS = "/api/v1/blobs/uploads"


@contextmanager
def _database(server: LiveServer) -> Iterator[Session]:
    engine = make_engine(server.env["ECAS_DATABASE_URL"])
    try:
        with make_session_factory(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def _blob_path(server: LiveServer, sha256: str) -> Path:
    return Path(server.env["ECAS_DATA_DIR"]) / "blobs" / sha256[:2] / sha256[2:4] / sha256


def _start(server: LiveServer, headers: dict[str, str], data: bytes) -> requests.Response:
    return requests.post(
        f"{server.url}{UPLOADS}",
        headers=headers,
        json={"sha256": _sha256(data), "size": len(data)},
        timeout=TIMEOUT,
    )


def _leave_all_bytes_unpublished(server: LiveServer, upload_id: str, data: bytes) -> None:
    """What a server killed between the last byte and publishing leaves: the whole body
    stored and the row's offset at the size."""
    with _database(server) as session:
        session.add(UploadChunk(upload_id=upload_id, start=0, size=len(data), data=data))
        session.execute(
            update(BlobUpload).where(BlobUpload.id == upload_id).values(offset=len(data))
        )


def _upload_rows(server: LiveServer, upload_id: str) -> int:
    with _database(server) as session:
        return int(
            session.scalar(
                select(func.count()).select_from(BlobUpload).where(BlobUpload.id == upload_id)
            )
            or 0
        )


def _uploads_audited(server: LiveServer, sha256: str) -> int:
    with _database(server) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "blob.upload", AuditEntry.record_id == sha256)
            )
            or 0
        )


def _make_idle(server: LiveServer, upload_id: str, hours: float) -> None:
    """Age an upload as if no byte reached it for ``hours``: its start and its bytes."""
    then = utcnow() - timedelta(hours=hours)
    with _database(server) as session:
        session.execute(
            update(BlobUpload).where(BlobUpload.id == upload_id).values(created_at=then)
        )
        session.execute(
            update(UploadChunk).where(UploadChunk.upload_id == upload_id).values(stored_at=then)
        )


# --- all bytes in, never published ----------------------------------------------------------


def test_a_document_whose_bytes_all_arrived_before_a_crash_is_there_after_the_next_start(
    live_server: LiveServer,
) -> None:
    headers = _login(live_server, "clerk1")
    data = valid_pdf(pages=3)
    upload_id = _start_upload(live_server, headers, data)
    live_server.kill()
    _leave_all_bytes_unpublished(live_server, upload_id, data)
    live_server.start()

    again = _start(live_server, headers, data)
    assert again.status_code == 200, again.text
    assert again.json()["exists"] is True
    _assert_blob_is(live_server, headers, data)
    assert _upload_rows(live_server, upload_id) == 0
    assert _staged_size(live_server, upload_id) == 0
    assert _uploads_audited(live_server, _sha256(data)) == 1
    # Asking once more is a plain "already there", not a second upload.
    assert _start(live_server, headers, data).json()["exists"] is True
    assert _uploads_audited(live_server, _sha256(data)) == 1


def test_a_document_published_but_not_recorded_before_a_crash_is_recorded_on_the_next_start(
    live_server: LiveServer,
) -> None:
    """Killed after the rename into the store, before the database commit."""
    headers = _login(live_server, "clerk1")
    data = valid_pdf(pages=2)
    sha256 = _sha256(data)
    upload_id = _start_upload(live_server, headers, data)
    live_server.kill()
    _leave_all_bytes_unpublished(live_server, upload_id, data)
    _blob_path(live_server, sha256).parent.mkdir(parents=True, exist_ok=True)
    _blob_path(live_server, sha256).write_bytes(data)
    live_server.start()

    again = _start(live_server, headers, data)
    assert again.status_code == 200 and again.json()["exists"] is True, again.text
    with _database(live_server) as session:
        blob = session.get(Blob, sha256)
        assert blob is not None and blob.size == len(data)
    _assert_blob_is(live_server, headers, data)
    assert _staged_size(live_server, upload_id) == 0


def test_bytes_that_arrived_but_dont_match_are_refused_on_the_next_start_not_published(
    live_server: LiveServer,
) -> None:
    headers = _login(live_server, "clerk1")
    data = valid_pdf(pages=3)
    upload_id = _start_upload(live_server, headers, data)
    live_server.kill()
    _leave_all_bytes_unpublished(live_server, upload_id, data[:-1] + b"X")  # one byte off
    live_server.start()

    again = _start(live_server, headers, data)
    assert again.status_code == 422, again.text
    assert again.headers["Content-Type"].startswith("application/problem+json")
    assert "SHA-256" in again.json()["detail"]
    assert _upload_rows(live_server, upload_id) == 0
    assert not _blob_path(live_server, _sha256(data)).exists()
    # The client sends the bytes again from the start, and this time they are kept.
    fresh = _start_upload(live_server, headers, data)
    assert _patch(live_server, headers, fresh, 0, data).json()["complete"] is True
    _assert_blob_is(live_server, headers, data)


def test_an_upload_the_server_could_not_store_says_so_and_finishes_on_the_next_try(
    live_server: LiveServer,
) -> None:
    headers = _login(live_server, "clerk1")
    data = valid_pdf(pages=4)
    pages = 4
    while _blob_path(live_server, _sha256(data)).parent.exists():
        # A demo document's blob already holds this folder (its hash starts the same):
        # a folder in use can't be blocked, so take another PDF.
        pages += 1
        data = valid_pdf(pages=pages)
    sha256 = _sha256(data)
    # A file where the blob's folder must go makes publishing fail as a full disk does.
    obstacle = _blob_path(live_server, sha256).parent
    assert not obstacle.exists()
    obstacle.parent.mkdir(parents=True, exist_ok=True)
    obstacle.write_bytes(b"")
    upload_id = _start_upload(live_server, headers, data)

    refused = _patch(live_server, headers, upload_id, 0, data)
    assert refused.status_code == 503, refused.text
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert "start the upload again later" in refused.json()["detail"]
    assert _staged_size(live_server, upload_id) == len(data)  # nothing received is lost

    obstacle.unlink()
    again = _start(live_server, headers, data)
    assert again.status_code == 200 and again.json()["exists"] is True, again.text
    _assert_blob_is(live_server, headers, data)


# --- expiry -----------------------------------------------------------------------------------


def test_an_upload_left_idle_for_a_day_is_removed_when_anyone_starts_one(
    live_server: LiveServer,
) -> None:
    clerk = _login(live_server, "clerk1")
    data = valid_pdf(pages=2)
    idle = _start_upload(live_server, clerk, data)
    assert _patch(live_server, clerk, idle, 0, data[:400]).status_code == 200
    _make_idle(live_server, idle, hours=25)
    # Started 25 hours ago too, but bytes arrived a minute ago: still in use, kept.
    busy_data = valid_pdf(pages=5)
    busy = _start_upload(live_server, clerk, busy_data)
    _make_idle(live_server, busy, hours=25)
    assert _patch(live_server, clerk, busy, 0, busy_data[:400]).status_code == 200

    other = _login(live_server, "clerk2")
    assert _start(live_server, other, valid_pdf(pages=6)).status_code == 201

    assert _upload_rows(live_server, idle) == 0
    assert _staged_size(live_server, idle) == 0
    resumed = _patch(live_server, clerk, idle, 400, data[400:])
    assert resumed.status_code == 404
    assert "Start it again" in resumed.json()["detail"]
    assert _upload_rows(live_server, busy) == 1
    assert _patch(live_server, clerk, busy, 400, busy_data[400:]).json()["complete"] is True


def test_purge_uploads_command_removes_expired_uploads_and_leftover_files(
    live_server: LiveServer,
) -> None:
    clerk = _login(live_server, "clerk1")
    data = valid_pdf(pages=2)
    expired = _start_upload(live_server, clerk, data)
    recent = _start_upload(live_server, clerk, valid_pdf(pages=3))
    _make_idle(live_server, expired, hours=30)  # after the last start, which would purge it
    staging = Path(live_server.env["ECAS_DATA_DIR"]) / "staging"
    two_hours_ago = time.time() - 2 * 3600
    # A verified copy a crash left, and a staging file from before uploads were kept in
    # the database.
    leftovers = [staging / f"{uuid.uuid4()}.verified", staging / f"{uuid.uuid4()}.part"]
    fresh_leftover = staging / f"{uuid.uuid4()}.verified"  # may be being published now
    foreign = staging / "tmpx8k2.order"  # another writer's temporary file
    for path in [*leftovers, fresh_leftover, foreign]:
        path.write_bytes(b"%PDF-")
    for path in [*leftovers, foreign]:
        os.utime(path, (two_hours_ago, two_hours_ago))

    done = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", "purge-uploads"],
        env=live_server.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Removed 1 unfinished upload that received no bytes for 24 ")
    assert "and 2 leftover staging files" in done.stdout
    assert _upload_rows(live_server, expired) == 0
    assert _staged_size(live_server, expired) == 0
    assert not any(path.exists() for path in leftovers)
    assert fresh_leftover.exists() and foreign.exists()
    assert _upload_rows(live_server, recent) == 1


# --- caps ---------------------------------------------------------------------------------


def _restart_with(server: LiveServer, **settings: str) -> None:
    server.kill()
    server.env.update(settings)
    server.start()


def test_too_many_unfinished_uploads_are_refused_until_one_finishes(
    live_server: LiveServer,
) -> None:
    _restart_with(live_server, ECAS_MAX_OPEN_UPLOADS="2")
    clerk = _login(live_server, "clerk1")
    files = [valid_pdf(pages=n) for n in (2, 3, 4)]
    first = _start_upload(live_server, clerk, files[0])
    _start_upload(live_server, clerk, files[1])

    refused = _start(live_server, clerk, files[2])
    assert refused.status_code == 429, refused.text
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    detail = refused.json()["detail"]
    assert "You have 2 unfinished uploads" in detail
    assert "wait for them to expire" in detail and "24 hours" in detail
    # Until the first expires (it just started): about a day.
    assert 23 * 3600 < int(refused.headers["Retry-After"]) <= 24 * 3600
    # The ones already started can still be resumed, and another user is not affected.
    assert _start(live_server, clerk, files[0]).json()["upload_id"] == first
    assert _start(live_server, _login(live_server, "clerk2"), files[2]).status_code == 201

    assert _patch(live_server, clerk, first, 0, files[0]).json()["complete"] is True
    assert _start(live_server, clerk, files[2]).status_code == 201


def test_unfinished_uploads_holding_too_many_bytes_are_refused(live_server: LiveServer) -> None:
    small, large = valid_pdf(pages=2), valid_pdf(pages=8)
    _restart_with(live_server, ECAS_MAX_OPEN_UPLOAD_BYTES=str(len(small) + len(large) - 1))
    clerk = _login(live_server, "clerk1")
    _start_upload(live_server, clerk, small)

    refused = _start(live_server, clerk, large)
    assert refused.status_code == 413, refused.text
    detail = refused.json()["detail"]
    assert "You have 1 unfinished uploads holding" in detail
    assert "wait for them to expire" in detail


def test_an_upload_whose_staged_bytes_were_lost_is_sent_again_from_the_start(
    live_server: LiveServer,
) -> None:
    """An upload whose counted bytes are not all stored (one staged on a node's disk before
    uploads were kept in the database) is not hashed with a hole in it: the client is told
    to send its bytes again from the start."""
    clerk = _login(live_server, "clerk1")
    data = valid_pdf(pages=3)
    upload_id = _start_upload(live_server, clerk, data)
    assert _patch(live_server, clerk, upload_id, 0, data[:500]).json()["offset"] == 500
    live_server.kill()
    with _database(live_server) as session:
        session.execute(delete(UploadChunk).where(UploadChunk.upload_id == upload_id))
    live_server.start()

    behind = _patch(live_server, clerk, upload_id, 500, data[500:])
    assert behind.status_code == 409, behind.text
    assert behind.json()["offset"] == 0
    assert _patch(live_server, clerk, upload_id, 0, data).json()["complete"] is True
    _assert_blob_is(live_server, clerk, data)
