"""Alembic environment: migrates the database named by the server's configuration."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import sync_server.models  # noqa: F401  (registers the tables on Base.metadata)
from sync_server.config import load_config
from sync_server.db import Base, make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or load_config().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `ecas-server init-db`")
run_migrations_online()
