"""The desktop's sync when things go wrong: a killed process, an expired session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select

from common.wire import Hearing
from desktop.api_client import ApiClient, ApiError
from desktop.local_store import LocalStore
from desktop.paths import store_path
from desktop.store_crypto import StoreKeys, subkey
from desktop.sync_engine import SyncEngine
from sync_server.models import AuditEntry
from tests.conftest import DEMO_PASSWORD, REPO, LiveServer, court_id

pytestmark = pytest.mark.slow


def _sync_command(server: LiveServer, folder: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "ECAS_PASSWORD": DEMO_PASSWORD}
    args = [
        "sync",
        "--server",
        server.url,
        "--username",
        "clerk1",
        "--data-dir",
        str(folder),
        "--page-size",
        "3",
    ]
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _updates_per_hearing(server: LiveServer) -> Counter[str]:
    """How many times each hearing was changed, from the server's audit log."""
    engine = create_engine(server.env["ECAS_DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditEntry.record_id).where(
                AuditEntry.entity == "hearing", AuditEntry.action == "record.update"
            )
        ).scalars()
        counts = Counter(rows)
    engine.dispose()
    return counts


def _copy(server: LiveServer, path: Path) -> LocalStore:
    """The clerk's copy as ``ecas-desktop sync`` keeps it: encrypted, opened with the key
    the password unwraps."""
    data_key = StoreKeys(path, server.url, "clerk1").unlock_with_password(DEMO_PASSWORD)
    assert data_key is not None, "the headless sync keeps an encrypted copy"
    return LocalStore(path, subkey(data_key, "store"))


def test_a_client_killed_mid_sync_loses_nothing_and_applies_nothing_twice(
    live_server: LiveServer, tmp_path: Path
) -> None:
    # A first sync gives the clerk a local copy; then ten offline edits wait in the outbox.
    first = _sync_command(live_server, tmp_path)
    assert first.wait(timeout=120) == 0
    path = store_path(live_server.url, "clerk1", tmp_path)
    store = _copy(live_server, path)
    hearings = [Hearing.model_validate(h) for h in store.all("hearing")][:10]
    for hearing in hearings:
        store.save(hearing.model_copy(update={"starts_at": hearing.starts_at + timedelta(days=3)}))
    assert store.pending_count() == 10
    cursor_before = store.get_state("cursor")
    store.engine.dispose()

    # Force a full re-pull in small pages so the kill lands while pages are applied.
    killer_store = _copy(live_server, path)
    with killer_store.transaction() as conn:
        killer_store.set_state(conn, "cursor", "")
    process = _sync_command(live_server, tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if killer_store.pending_count() < 10 or killer_store.get_state("cursor"):
            break
        time.sleep(0.01)
    process.kill()
    assert process.wait() == -9  # it was killed mid-sync, not finished
    killer_store.engine.dispose()

    # Restarted: one more sync finishes the job.
    again = _sync_command(live_server, tmp_path)
    assert again.wait(timeout=120) == 0
    store = _copy(live_server, path)
    assert store.pending_count() == 0 and not store.issues()
    assert store.get_state("cursor") and store.get_state("cursor") != cursor_before
    for hearing in hearings:
        local = store.get("hearing", hearing.id)
        assert local is not None
        moved = hearing.starts_at + timedelta(days=3)
        assert datetime.fromisoformat(local["starts_at"]) == moved
    changed = _updates_per_hearing(live_server)
    assert all(changed[h.id] == 1 for h in hearings)  # each edit applied exactly once
    assert {c["court_id"] for c in store.all("case")} == {court_id("SFR")}


def test_an_expired_session_is_refreshed_and_a_dead_one_keeps_the_work(
    live_server: LiveServer, tmp_path: Path
) -> None:
    client = ApiClient(live_server.url)
    client.login("clerk1", DEMO_PASSWORD)
    store = LocalStore(tmp_path / "clerk1.sqlite3")
    engine = SyncEngine(client, store)
    engine.sync_once()
    assert client.session is not None
    client.session.access_token = "expired-or-forged"  # the server answers 401
    hearing = Hearing.model_validate(store.all("hearing")[0])
    store.save(hearing.model_copy(update={"duration_minutes": 75}))
    report = engine.sync_once()  # refreshes the session, then pushes
    assert report.pushed == 1

    # Now the whole session is gone (signed out elsewhere): the work stays queued.
    requests.post(
        f"{live_server.url}/api/v1/auth/logout",
        timeout=10,
        headers={"Authorization": f"Bearer {client.session.access_token}"},
        json={"refresh_token": client.session.refresh_token},
    )
    store.save(hearing.model_copy(update={"duration_minutes": 90}))
    with pytest.raises(ApiError) as ended:
        engine.sync_once()
    assert ended.value.kind == "auth" and "Sign in again" in str(ended.value)
    assert store.pending_count() == 1
