"""Running the Alembic migrations from code (``ecas-server init-db``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Bring the database to the newest schema and make sure the state row exists."""
    command.upgrade(alembic_config(database_url), "head")


def ensure_state_row(factory: sessionmaker[Session]) -> None:
    with factory() as session, session.begin():
        exists = session.execute(text("SELECT 1 FROM server_state WHERE id = 1")).first()
        if exists is None:
            session.execute(
                text(
                    "INSERT INTO server_state (id, version, audit_seq, audit_head)"
                    " VALUES (1, 0, 0, :head)"
                ),
                {"head": "0" * 64},
            )
