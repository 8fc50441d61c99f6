"""installer/server/ecas-backup for real: back up a seeded server, lose it, restore it into
an empty place, and check that every record and document came back (and the audit chain
still verifies). Damaged backups and restores over live data are refused with a reason."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import PG_ADMIN_URL, REPO

pytestmark = pytest.mark.slow

SCRIPT = REPO / "installer" / "server" / "ecas-backup"
BIN = Path(sys.executable).parent


def _env(data: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "ECAS_ENV_FILE": str(data / "no-such-env-file"),
        "ECAS_DATA_DIR": str(data),
        "ECAS_BLOB_URL": str(data / "blobs"),
        "ECAS_SECRET_KEY": "backup-test-" + uuid.uuid4().hex,
        "ECAS_PYTHON": sys.executable,
        "PYTHONPATH": str(REPO),
    }
    env.pop("ECAS_DATABASE_URL", None)
    if database_url:
        env["ECAS_DATABASE_URL"] = database_url
    return env


def _run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _seed(env: dict[str, str]) -> None:
    _run(env, str(BIN / "ecas-server"), "init-db")
    _run(env, str(BIN / "ecas-server"), "seed-demo", "--cases", "4", "--password", "x" * 16)


def _blobs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _sqlite_counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _only_backup(root: Path) -> Path:
    (backup,) = [p for p in root.iterdir() if p.name.startswith("ecas-")]
    return backup


def test_sqlite_and_folder_store_round_trip(tmp_path: Path) -> None:
    live = tmp_path / "live"
    env = _env(live)
    _seed(env)
    before_rows = _sqlite_counts(live / "ecas.sqlite3")
    before_blobs = _blobs(live / "blobs")
    assert before_rows["case"] >= 4 and before_blobs  # the numbered cases and the hand-made ones

    out = _run(env, "bash", str(SCRIPT), "backup", str(tmp_path / "backups"))
    backup = _only_backup(tmp_path / "backups")
    assert f"{len(before_blobs)} documents" in out.stdout
    assert "x" * 16 not in out.stdout + out.stderr
    _run(env, "bash", str(SCRIPT), "verify", str(backup))

    # The server is lost; restore into a new, empty place.
    restored = tmp_path / "restored"
    target = _env(restored)
    _run(target, "bash", str(SCRIPT), "restore", str(backup))
    assert _sqlite_counts(restored / "ecas.sqlite3") == before_rows
    assert _blobs(restored / "blobs") == before_blobs
    _run(target, str(BIN / "ecas-server"), "init-db")  # what an upgrade would do next
    audit = _run(target, str(BIN / "ecas-server"), "verify-audit")
    assert "Audit chain intact" in audit.stdout

    # Restoring again over the now non-empty database needs --force.
    again = _run(target, "bash", str(SCRIPT), "restore", str(backup), ok=False)
    assert again.returncode != 0 and "not empty" in again.stderr and "--force" in again.stderr
    _run(target, "bash", str(SCRIPT), "restore", "--force", str(backup))


def test_a_second_backup_shares_unchanged_documents_and_old_ones_are_pruned(
    tmp_path: Path,
) -> None:
    live = tmp_path / "live"
    env = {**_env(live), "ECAS_BACKUP_KEEP": "2"}
    _seed(env)
    root = tmp_path / "backups"
    for day in (1, 2, 3):
        _run(env, "bash", str(SCRIPT), "backup", str(root))
        # Backups are named by the second: give each an older, distinct stamp so the next
        # one (named by today) is the newest, as it would be a day later.
        fresh = next(p for p in root.iterdir() if not p.name.startswith("ecas-200001"))
        fresh.rename(root / f"ecas-2000010{day}T000000Z")
    kept = sorted(root.iterdir())
    assert [p.name for p in kept] == ["ecas-20000102T000000Z", "ecas-20000103T000000Z"]
    first = next(p for p in (kept[0] / "blobs").rglob("*") if p.is_file())
    twin = kept[1] / "blobs" / first.relative_to(kept[0] / "blobs")
    assert first.stat().st_ino == twin.stat().st_ino  # hard link: stored once


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path: Path) -> None:
    live = tmp_path / "live"
    env = _env(live)
    _seed(env)
    _run(env, "bash", str(SCRIPT), "backup", str(tmp_path / "backups"))
    backup = _only_backup(tmp_path / "backups")
    document = next(p for p in (backup / "blobs").rglob("*") if p.is_file())
    document.chmod(0o644)
    document.write_bytes(document.read_bytes() + b"tampered")

    restored = tmp_path / "restored"
    result = _run(_env(restored), "bash", str(SCRIPT), "restore", str(backup), ok=False)
    assert result.returncode != 0
    assert "1 damaged" in result.stderr
    assert not (restored / "ecas.sqlite3").exists() and not (restored / "blobs").exists()

    missing = _run(_env(restored), "bash", str(SCRIPT), "restore", str(tmp_path), ok=False)
    assert "not an ECAS backup" in missing.stderr


@contextlib.contextmanager
def _postgres_database() -> Iterator[str]:
    name = f"ecas_backup_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.postgres
def test_postgresql_round_trip(tmp_path: Path) -> None:
    with _postgres_database() as source, _postgres_database() as target_url:
        env = _env(tmp_path / "live", source)
        _seed(env)
        before = _pg_counts(source)
        _run(env, "bash", str(SCRIPT), "backup", str(tmp_path / "backups"))
        backup = _only_backup(tmp_path / "backups")
        assert (backup / "database.pgdump").stat().st_size > 0

        target = _env(tmp_path / "restored", target_url)
        _run(target, "bash", str(SCRIPT), "restore", str(backup))
        assert _pg_counts(target_url) == before
        audit = _run(target, str(BIN / "ecas-server"), "verify-audit")
        assert "Audit chain intact" in audit.stdout
