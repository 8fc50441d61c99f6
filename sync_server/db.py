"""Engine, sessions and the write lock that orders every change.

Every transaction that changes data starts with :func:`begin_write`, which locks the one
``server_state`` row. Versions and audit entries are handed out under that lock, so they
are assigned in commit order: a reader paging by version can never pass a lower version
that is still uncommitted (docs/PROTOCOL.md, "Pulling").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL and ``synchronous=FULL``."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def begin_write(session: Session) -> None:
    """Take the server-wide write lock; must be the transaction's first statement.

    On SQLite the UPDATE turns the deferred transaction into the single writer before it
    has read anything (so it can't fail with a stale snapshot); on PostgreSQL it takes a
    row lock that later writers queue behind until this transaction ends.
    """
    session.execute(text("UPDATE server_state SET version = version WHERE id = 1"))


_VERSION_BLOCK = "ecas.version_block"


def reserve_versions(session: Session, count: int) -> None:
    """Take ``count`` versions in one statement for the transaction's later
    :func:`next_version` calls (requires the write lock; call it outside any savepoint, so
    a savepoint rolled back can't hand the block out twice). Versions left unused are gaps
    are given back by :func:`release_versions`."""
    if count <= 0:
        return
    top = session.execute(
        text("UPDATE server_state SET version = version + :n WHERE id = 1 RETURNING version"),
        {"n": count},
    ).scalar_one()
    session.info[_VERSION_BLOCK] = [int(top) - count + 1, int(top)]


def release_versions(session: Session) -> None:
    """Give back the unused tail of the transaction's reserved block (the write lock is
    still held, so no one took a version after it); versions taken in a savepoint that
    was rolled back stay gaps, which readers paging by version never wait for."""
    block = session.info.pop(_VERSION_BLOCK, None)
    if block is not None and block[0] <= block[1]:
        session.execute(
            text("UPDATE server_state SET version = :v WHERE id = 1"), {"v": block[0] - 1}
        )


def version_mark(session: Session) -> int | None:
    """Where the reserved block stands: a savepoint's start, for :func:`rewind_versions`."""
    block = session.info.get(_VERSION_BLOCK)
    return None if block is None else int(block[0])


def rewind_versions(session: Session, mark: int | None) -> None:
    """Hand out again the block's versions taken since ``mark`` (their savepoint was rolled
    back, as is any counter UPDATE made in it), so a refused change leaves no gap."""
    block = session.info.get(_VERSION_BLOCK)
    if block is not None and mark is not None:
        block[0] = mark


def next_version(session: Session) -> int:
    """The next value of the one increasing version sequence (requires the write lock):
    from the block :func:`reserve_versions` took, else one UPDATE of the counter."""
    block = session.info.get(_VERSION_BLOCK)
    if block is not None and block[0] <= block[1]:
        block[0] += 1
        return int(block[0] - 1)
    value = session.execute(
        text("UPDATE server_state SET version = version + 1 WHERE id = 1 RETURNING version")
    ).scalar_one()
    return int(value)


@contextmanager
def write_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction holds the write lock; commits on success."""
    with factory() as session, session.begin():
        begin_write(session)
        yield session
