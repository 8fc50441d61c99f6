"""Migrations build the schema the models describe, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from sync_server.migrate import alembic_config
from tests.conftest import make_database


def test_migrated_schema_matches_the_models(backend: str, tmp_path: Path) -> None:
    with make_database(backend, tmp_path) as url:
        command.check(alembic_config(url))  # raises if the models drifted from migrations


def test_downgrade_and_upgrade_again(backend: str, tmp_path: Path) -> None:
    with make_database(backend, tmp_path) as url:
        config = alembic_config(url)
        command.downgrade(config, "base")
        engine = create_engine(url)
        assert "case" not in inspect(engine).get_table_names()
        engine.dispose()
        command.upgrade(config, "head")
        engine = create_engine(url)
        with engine.connect() as conn:
            state = conn.execute(text("SELECT version, audit_seq FROM server_state")).all()
        engine.dispose()
        assert state == [(0, 0)]
