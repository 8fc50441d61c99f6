"""The production server layout, for real: gunicorn with installer/server/gunicorn.conf.py
against a fresh PostgreSQL database migrated by ``ecas-server init-db`` (what the systemd
unit runs before every start), and a desktop client syncing through it both ways."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import requests

from common.wire import Hearing
from desktop.api_client import ApiClient
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine
from tests.conftest import DEMO_PASSWORD, PG_ADMIN_URL, REPO, free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SERVER_DIR = REPO / "installer" / "server"
BIN = Path(sys.executable).parent


@contextlib.contextmanager
def _fresh_postgres() -> Iterator[str]:
    name = f"ecas_deploy_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ecas_server(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "ecas-server"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def gunicorn_server(tmp_path: Path) -> Iterator[str]:
    with _fresh_postgres() as url:
        port = free_port()
        env = {
            **os.environ,
            "ECAS_DATA_DIR": str(tmp_path / "data"),
            "ECAS_DATABASE_URL": url,
            "ECAS_BLOB_URL": str(tmp_path / "data" / "blobs"),
            "ECAS_SECRET_KEY": "deploy-" + uuid.uuid4().hex,
            "ECAS_GUNICORN_BIND": f"127.0.0.1:{port}",
            "ECAS_GUNICORN_WORKERS": "2",
            # Required in production: the address people use (here, gunicorn's own).
            "ECAS_PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
            "PYTHONPATH": str(REPO),
        }
        # The unit's ExecStartPre; a second run is the no-op an upgrade with no new
        # migration sees.
        assert "newest schema" in _ecas_server(env, "init-db")
        assert "newest schema" in _ecas_server(env, "init-db")
        _ecas_server(env, "seed-demo", "--cases", "17", "--password", DEMO_PASSWORD)
        log = (tmp_path / "gunicorn.log").open("wb")
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                str(SERVER_DIR / "gunicorn.conf.py"),
                "sync_server.app:create_app()",
            ],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                # Workers import the app after the fork: the first answer can take seconds.
                with contextlib.suppress(requests.ConnectionError, requests.Timeout):
                    if requests.get(f"{base}/healthz", timeout=5).ok:
                        break
                assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer within 90 s"
                time.sleep(0.2)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=40)
            log.close()
        text = (tmp_path / "gunicorn.log").read_text()
        assert "Booting worker" in text
        assert DEMO_PASSWORD not in text and "Bearer" not in text  # no secrets in the log


def _engine(base: str, tmp_path: Path, username: str) -> SyncEngine:
    client = ApiClient(base)
    client.login(username, DEMO_PASSWORD)
    return SyncEngine(client, LocalStore(tmp_path / f"{username}.sqlite3"), page_size=200)


def test_a_client_syncs_both_ways_through_gunicorn_on_postgresql(
    gunicorn_server: str, tmp_path: Path
) -> None:
    clerk1 = _engine(gunicorn_server, tmp_path, "clerk1")
    pulled = clerk1.sync_once()
    assert pulled.pulled > 0 and clerk1.store.all("case")

    hearing = Hearing.model_validate(clerk1.store.all("hearing")[0])
    moved = hearing.model_copy(update={"starts_at": hearing.starts_at + timedelta(days=7)})
    clerk1.store.save(moved)
    pushed = clerk1.sync_once()
    assert pushed.pushed == 1 and clerk1.store.pending_count() == 0

    # Another clerk of the same court, on another workstation, gets the change.
    clerk2 = _engine(gunicorn_server, tmp_path, "clerk2")
    clerk2.sync_once()
    seen = Hearing.model_validate(clerk2.store.get("hearing", hearing.id))
    assert seen.starts_at == moved.starts_at


def test_gunicorn_answers_bad_input_with_a_clear_error(gunicorn_server: str) -> None:
    wrong = requests.post(
        f"{gunicorn_server}/api/v1/auth/login",
        json={"username": "clerk1", "password": "not-the-password"},
        timeout=10,
    )
    assert wrong.status_code == 401
    broken = requests.post(
        f"{gunicorn_server}/api/v1/auth/login",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert broken.status_code == 400
    anonymous = requests.get(f"{gunicorn_server}/api/v1/sync/changes", timeout=10)
    assert anonymous.status_code == 401
