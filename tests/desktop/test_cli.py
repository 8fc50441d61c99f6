"""``ecas-desktop`` from a terminal, as IT staff would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.local_store import LocalStore, is_plain_sqlite
from desktop.paths import store_path
from desktop.store_crypto import StoreKeys, subkey
from tests.conftest import DEMO_PASSWORD, REPO, LiveServer

pytestmark = pytest.mark.slow


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "ECAS_PASSWORD"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**base, "PYTHONPATH": str(REPO), **(env or {})},
    )


def test_self_test_passes_offscreen() -> None:
    result = _run("--self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "sample PDF renders" in result.stdout


def test_headless_sync_prints_what_it_did(live_server: LiveServer, tmp_path: Path) -> None:
    args = (
        "sync",
        "--server",
        live_server.url,
        "--username",
        "clerk1",
        "--data-dir",
        str(tmp_path),
    )
    result = _run(*args, env={"ECAS_PASSWORD": DEMO_PASSWORD})
    assert result.returncode == 0, result.stderr
    assert "pulled" in result.stdout and "pushed 0 changes" in result.stdout
    path = store_path(live_server.url, "clerk1", tmp_path)
    assert not is_plain_sqlite(path)  # the headless sync keeps the copy encrypted too
    data_key = StoreKeys(path, live_server.url, "clerk1").unlock_with_password(DEMO_PASSWORD)
    assert data_key is not None
    store = LocalStore(path, subkey(data_key, "store"))
    cases = store.all("case")
    assert cases
    raw = path.read_bytes()
    for case in cases[:20]:  # no respondent's name or A-number in clear on the disk
        assert case["a_number"].encode() not in raw
        assert case["respondent_last_name"].encode() not in raw


def test_headless_sync_says_what_is_wrong(live_server: LiveServer, tmp_path: Path) -> None:
    wrong = _run(
        "sync",
        "--server",
        live_server.url,
        "--username",
        "clerk1",
        "--data-dir",
        str(tmp_path),
        env={"ECAS_PASSWORD": "not-the-password"},
    )
    assert wrong.returncode == 1
    assert "username or password is wrong" in wrong.stderr
    no_password = _run("sync", "--server", live_server.url, "--username", "clerk1")
    assert no_password.returncode == 2
    assert "ECAS_PASSWORD" in no_password.stderr
    down = _run(
        "sync",
        "--server",
        "http://127.0.0.1:9",
        "--username",
        "clerk1",
        "--data-dir",
        str(tmp_path),
        env={"ECAS_PASSWORD": DEMO_PASSWORD},
    )
    assert down.returncode == 1 and "can't be reached" in down.stderr
