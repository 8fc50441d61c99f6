"""Crashes and cut connections against a real ``ecas-server run`` process, on each database.

The server is killed with SIGKILL (no clean-up, as in a power loss) in the middle of a push
and of an upload, and sockets are cut mid-body; what the client then sees must let it
finish its work without losing or doubling anything (docs/PROTOCOL.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
import requests
from sqlalchemy import func, select

from common.enums import HearingStatus, HearingType, Medium
from common.wire import Hearing
from sync_server.db import make_engine, make_session_factory
from sync_server.demo.plan import demo_id
from sync_server.models import AppliedMutation, AuditEntry
from sync_server.models.records import HearingRow
from sync_server.models.uploads import UploadChunk
from tests.conftest import DEMO_PASSWORD, LiveServer, mutation
from tests.pdf_factory import large_pdf, valid_pdf

pytestmark = pytest.mark.slow

TIMEOUT = 30  # seconds, for every request and join
SFR_CASES = [demo_id("case", index) for index in (0, 1, 2, 5)]  # of the 6 seeded cases
BATCH = 300  # hearings in the push that is cut: 0.5-1 s of work, depending on the database


# --- helpers ----------------------------------------------------------------------------


def _login(server: LiveServer, username: str) -> dict[str, str]:
    response = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORD},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _wait_until(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.002)


def _database_url(server: LiveServer) -> str:
    return server.env["ECAS_DATABASE_URL"]


_PG_WRITERS = """
SELECT EXISTS (SELECT 1 FROM pg_locks
WHERE locktype = 'advisory' AND granted AND objsubid = 2
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid::bigint IN (
    (hashtext('ecas.write:' || current_schema())::bigint + 4294967296) % 4294967296,
    (hashtext('ecas.court:' || current_schema())::bigint + 4294967296) % 4294967296))
"""


@contextlib.contextmanager
def _write_lock_probe(url: str) -> Iterator[Callable[[], bool]]:
    """A function telling whether some transaction holds the server's write lock now
    (see ``sync_server.db.begin_write``), without waiting."""
    if url.startswith("sqlite"):
        sqlite_conn = sqlite3.connect(
            url.removeprefix("sqlite:///"), timeout=0, isolation_level=None
        )

        def sqlite_held() -> bool:
            try:
                sqlite_conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # "database is locked": a writer is active
                return True
            sqlite_conn.execute("ROLLBACK")
            return False

        try:
            yield sqlite_held
        finally:
            sqlite_conn.close()
        return
    pg_conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))

    def pg_held() -> bool:
        # the server-wide or a court's advisory lock (pushes of hearings take their
        # courts'), or the ``server_state`` row a writer locks as it commits
        try:
            row = pg_conn.execute(_PG_WRITERS).fetchone()
            if row is not None and row[0]:
                return True
            pg_conn.execute("SELECT 1 FROM server_state WHERE id = 1 FOR UPDATE NOWAIT")
        except psycopg.errors.LockNotAvailable:
            return True
        finally:
            pg_conn.rollback()
        return False

    try:
        yield pg_held
    finally:
        pg_conn.close()


def _hearing(index: int) -> dict[str, Any]:
    """A new SFR master hearing, in the exact JSON form the server stores."""
    record = Hearing(
        id=demo_id("fault-hearing", time.time_ns(), index),
        case_id=SFR_CASES[index % 4],
        courtroom_id=demo_id("courtroom", "SFR", 1 + index % 4),
        hearing_type=HearingType.MASTER,
        medium=Medium.IN_PERSON,
        starts_at=datetime(2027, 1, 4, 16, tzinfo=UTC) + timedelta(minutes=30 * index),
        # Recorded as held, so no notice of hearing is issued: each mutation takes exactly
        # one version (notices issued once after a kill: tests/notices).
        status=HearingStatus.COMPLETED,
    )
    return record.model_dump(mode="json")


class _PushInFlight(threading.Thread):
    """POSTs one push and keeps what came back: a response or the connection error."""

    def __init__(self, server: LiveServer, headers: dict[str, str], body: dict[str, Any]):
        super().__init__(daemon=True)
        self.args_ = (f"{server.url}/api/v1/sync/push", headers, body)
        self.response: requests.Response | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        url, headers, body = self.args_
        try:
            self.response = requests.post(url, headers=headers, json=body, timeout=TIMEOUT)
        except requests.ConnectionError as err:
            self.error = err


def _count_written(url: str, mutation_ids: list[str], record_ids: list[str]) -> tuple[int, int]:
    """How many of the mutations the database holds as applied, and of the hearings."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            applied = session.scalar(
                select(func.count())
                .select_from(AppliedMutation)
                .where(AppliedMutation.mutation_id.in_(mutation_ids))
            )
            hearings = session.scalar(
                select(func.count()).select_from(HearingRow).where(HearingRow.id.in_(record_ids))
            )
    finally:
        engine.dispose()
    return int(applied or 0), int(hearings or 0)


def _audit_counts(url: str, record_ids: list[str]) -> Counter[str]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            rows = session.scalars(
                select(AuditEntry.record_id).where(AuditEntry.record_id.in_(record_ids))
            )
            return Counter(str(r) for r in rows)
    finally:
        engine.dispose()


def _push(server: LiveServer, headers: dict[str, str], body: dict[str, Any]) -> list[Any]:
    response = requests.post(
        f"{server.url}/api/v1/sync/push", headers=headers, json=body, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


def _top_version(server: LiveServer) -> int:
    response = requests.get(f"{server.url}/healthz", timeout=TIMEOUT)
    assert response.ok, response.text
    return int(response.json()["version"])


def _pull_all(server: LiveServer, headers: dict[str, str]) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    since = ""
    while True:
        response = requests.get(
            f"{server.url}/api/v1/sync/changes",
            params={"since": since, "limit": 2000},
            headers=headers,
            timeout=TIMEOUT,
        )
        assert response.status_code == 200, response.text
        page = response.json()
        changes += page["changes"]
        since = page["cursor"]
        if not page["has_more"]:
            return changes


def _assert_database_sound(server: LiveServer) -> None:
    assert requests.get(f"{server.url}/healthz", timeout=TIMEOUT).ok
    url = _database_url(server)
    if url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    verify = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", "verify-audit"],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verify.returncode == 0, verify.stderr
    assert "Audit chain intact" in verify.stdout


# --- 1. SIGKILL in the middle of a push ---------------------------------------------------


def _push_and_kill(
    server: LiveServer, headers: dict[str, str], body: dict[str, Any]
) -> _PushInFlight:
    """Send ``body`` and SIGKILL the server as soon as the push holds the write lock
    (nothing else writes meanwhile), i.e. while its transaction is open."""
    pusher = _PushInFlight(server, headers, body)
    with _write_lock_probe(_database_url(server)) as lock_held:
        pusher.start()
        _wait_until(lambda: lock_held() or not pusher.is_alive(), "the push takes the lock")
        assert pusher.is_alive(), "the push ended before it took the write lock"
        server.kill()
    pusher.join(TIMEOUT)
    assert not pusher.is_alive()
    return pusher


def test_push_cut_by_sigkill_applies_each_mutation_once_on_replay(live_server: LiveServer) -> None:
    headers = _login(live_server, "clerk1")
    url = _database_url(live_server)
    top_before = _top_version(live_server)
    mutations = [mutation("hearing", _hearing(i)) for i in range(BATCH)]
    body = {"client_id": "fault-test", "mutations": mutations}
    mutation_ids = [m["mutation_id"] for m in mutations]
    record_ids = [m["id"] for m in mutations]

    pusher = _push_and_kill(live_server, headers, body)
    # The kill came while the push's transaction was open: the client got no answer, and
    # nothing of the push reached the database (one transaction: all or nothing).
    assert pusher.response is None and isinstance(pusher.error, requests.ConnectionError)
    assert _count_written(url, mutation_ids, record_ids) == (0, 0)

    live_server.start()
    first = _push(live_server, headers, body)
    assert [r["mutation_id"] for r in first] == mutation_ids
    assert {r["status"] for r in first} == {"applied"}, first[0]
    # The killed transaction's versions died with it; the replay took each one once.
    versions = [r["version"] for r in first]
    if url.startswith("sqlite"):
        assert versions == list(range(top_before + 1, top_before + BATCH + 1))
        assert _top_version(live_server) == top_before + BATCH
    else:  # PostgreSQL's sequence keeps no taken version back: gaps, never a repeat
        assert versions == sorted(set(versions)) and versions[0] > top_before
        assert _top_version(live_server) >= versions[-1]
    assert _push(live_server, headers, body) == first  # stored results, nothing re-applied

    assert _count_written(url, mutation_ids, record_ids) == (BATCH, BATCH)
    feed = [c for c in _pull_all(live_server, headers) if c["id"] in set(record_ids)]
    assert Counter(c["id"] for c in feed) == Counter(record_ids)  # each exactly once
    by_id = {c["id"]: c for c in feed}
    for m, result in zip(mutations, first, strict=True):
        change = by_id[m["id"]]
        assert (change["entity"], change["version"], change["deleted"]) == (
            "hearing",
            result["version"],
            False,
        )
        assert change["data"] == m["data"]
    assert _audit_counts(url, record_ids) == Counter(record_ids)
    _assert_database_sound(live_server)


# --- 2. uploads cut mid-body ------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _start_upload(server: LiveServer, headers: dict[str, str], data: bytes) -> str:
    response = requests.post(
        f"{server.url}/api/v1/blobs/uploads",
        headers=headers,
        json={"sha256": _sha256(data), "size": len(data)},
        timeout=TIMEOUT,
    )
    assert response.status_code == 201, response.text
    assert response.json()["offset"] == 0
    return str(response.json()["upload_id"])


def _patch(
    server: LiveServer, headers: dict[str, str], upload_id: str, offset: int, chunk: bytes
) -> requests.Response:
    return requests.patch(
        f"{server.url}/api/v1/blobs/uploads/{upload_id}",
        data=chunk,
        headers={
            **headers,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
        timeout=TIMEOUT,
    )


def _upload_offset(server: LiveServer, headers: dict[str, str], upload_id: str) -> int:
    response = requests.head(
        f"{server.url}/api/v1/blobs/uploads/{upload_id}", headers=headers, timeout=TIMEOUT
    )
    assert response.status_code == 204, response.status_code
    return int(response.headers["Upload-Offset"])


def _open_patch(
    server: LiveServer,
    headers: dict[str, str],
    upload_id: str,
    offset: int,
    announced: int,
    body: bytes,
) -> socket.socket:
    """A raw PATCH announcing ``announced`` body bytes of which only ``body`` is sent."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
    head = (
        f"PATCH /api/v1/blobs/uploads/{upload_id} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        f"Authorization: {headers['Authorization']}\r\n"
        "Content-Type: application/offset+octet-stream\r\n"
        f"Upload-Offset: {offset}\r\nContent-Length: {announced}\r\n\r\n"
    )
    sock.sendall(head.encode() + body)
    return sock


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST, as a dropped connection does, not an orderly FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()


def _staged_size(server: LiveServer, upload_id: str) -> int:
    """The bytes of an unfinished upload the server keeps (in its database)."""
    engine = make_engine(server.env["ECAS_DATABASE_URL"])
    try:
        with make_session_factory(engine)() as session:
            stored = session.scalar(
                select(func.coalesce(func.sum(UploadChunk.size), 0)).where(
                    UploadChunk.upload_id == upload_id
                )
            )
    finally:
        engine.dispose()
    return int(stored or 0)


def _assert_blob_is(server: LiveServer, headers: dict[str, str], data: bytes) -> None:
    response = requests.get(
        f"{server.url}/api/v1/blobs/{_sha256(data)}", headers=headers, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text
    assert _sha256(response.content) == _sha256(data)


def test_upload_cut_mid_body_resumes_from_the_offset_the_server_gives(
    live_server: LiveServer,
) -> None:
    headers = _login(live_server, "clerk1")
    data = large_pdf(1_500_000)
    half = len(data) // 2
    upload_id = _start_upload(live_server, headers, data)

    sock = _open_patch(live_server, headers, upload_id, 0, len(data), data[:half])
    # Once the server is writing the half to disk, drop the connection hard.
    _wait_until(lambda: _staged_size(live_server, upload_id) > 0, "bytes are staged")
    _reset(sock)
    _wait_until(
        lambda: _upload_offset(live_server, headers, upload_id) > 0, "the server records the offset"
    )
    offset = _upload_offset(live_server, headers, upload_id)
    assert 0 < offset <= half

    response = _patch(live_server, headers, upload_id, offset, data[offset:])
    assert response.status_code == 200, response.text
    assert response.json() == {"upload_id": upload_id, "offset": len(data), "complete": True}
    _assert_blob_is(live_server, headers, data)
    assert _staged_size(live_server, upload_id) == 0


def test_upload_resumes_after_sigkill_mid_body(live_server: LiveServer) -> None:
    headers = _login(live_server, "clerk1")
    data = large_pdf(1_200_000)
    third = len(data) // 3
    upload_id = _start_upload(live_server, headers, data)
    response = _patch(live_server, headers, upload_id, 0, data[:third])
    assert response.status_code == 200, response.text
    assert response.json()["offset"] == third

    sent = 600_000
    sock = _open_patch(
        live_server, headers, upload_id, third, len(data) - third, data[third : third + sent]
    )
    try:
        # The server is writing the second PATCH's bytes when it dies.
        _wait_until(
            lambda: _staged_size(live_server, upload_id) > third, "the second PATCH is being staged"
        )
        live_server.kill()
    finally:
        sock.close()
    live_server.start()

    offset = _upload_offset(live_server, headers, upload_id)
    assert third <= offset <= third + sent
    response = _patch(live_server, headers, upload_id, offset, data[offset:])
    assert response.status_code == 200, response.text
    assert response.json()["complete"] is True
    _assert_blob_is(live_server, headers, data)
    _assert_database_sound(live_server)


# --- 3. a body that doesn't match its announced hash --------------------------------------


def test_wrong_hash_is_refused_and_nothing_is_kept(live_server: LiveServer) -> None:
    headers = _login(live_server, "clerk1")
    data = valid_pdf(pages=3)
    announced = _sha256(data + b"%")
    response = requests.post(
        f"{live_server.url}/api/v1/blobs/uploads",
        headers=headers,
        json={"sha256": announced, "size": len(data)},
        timeout=TIMEOUT,
    )
    assert response.status_code == 201, response.text
    upload_id = response.json()["upload_id"]

    response = _patch(live_server, headers, upload_id, 0, data)
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    for sha in (announced, _sha256(data)):
        got = requests.get(
            f"{live_server.url}/api/v1/blobs/{sha}", headers=headers, timeout=TIMEOUT
        )
        assert got.status_code == 404, got.text
    gone = requests.head(
        f"{live_server.url}/api/v1/blobs/uploads/{upload_id}", headers=headers, timeout=TIMEOUT
    )
    assert gone.status_code == 404
    assert _staged_size(live_server, upload_id) == 0


def test_a_stalled_request_cannot_alter_a_published_blob(live_server: LiveServer) -> None:
    """A client gives up on a stalled PATCH and retries; when the stalled body finally
    arrives (with other bytes), the published document stays exactly as verified."""
    headers = _login(live_server, "clerk1")
    data = large_pdf(1_500_000)
    upload_id = _start_upload(live_server, headers, data)
    sent = 600_000
    sock = _open_patch(live_server, headers, upload_id, 0, len(data), data[:sent])
    _wait_until(lambda: _staged_size(live_server, upload_id) > 0, "the stalled bytes to land")
    retry = _patch(live_server, headers, upload_id, 0, data)
    if retry.status_code == 409:  # told where the stalled request got to: resume there
        offset = retry.json()["offset"]
        retry = _patch(live_server, headers, upload_id, offset, data[offset:])
    assert retry.status_code == 200 and retry.json()["complete"] is True
    sock.sendall(b"\0" * (len(data) - sent))  # the stalled request wakes up
    sock.settimeout(30)
    answer = sock.recv(65536)
    sock.close()
    assert b" 404 " in answer.split(b"\r\n")[0]  # its upload is finished and gone
    _assert_blob_is(live_server, headers, data)


def test_existence_of_a_blob_is_not_revealed_to_who_cannot_read_it(live_server: LiveServer) -> None:
    clerk = _login(live_server, "clerk1")
    data = valid_pdf(pages=3)
    upload_id = _start_upload(live_server, clerk, data)
    assert _patch(live_server, clerk, upload_id, 0, data).json()["complete"] is True
    other = _login(live_server, "clerk3")  # another court: may not read this upload
    body = {"sha256": _sha256(data), "size": len(data)}
    start = requests.post(
        f"{live_server.url}/api/v1/blobs/uploads", json=body, headers=other, timeout=30
    )
    assert start.status_code == 201 and not start.json()["exists"]
    # Proving possession by sending the bytes makes them readable to that user too.
    assert _patch(live_server, other, start.json()["upload_id"], 0, data).json()["complete"]
    _assert_blob_is(live_server, other, data)
