"""Engine, sessions and the write locks that order every change.

Every transaction that changes data starts with :func:`begin_write`. On SQLite that makes
it the one writer. On PostgreSQL a writer takes a transaction-level advisory lock: most
take the server-wide lock exclusively (they run alone, as before); a push whose every
change stays inside some courts takes it shared plus an exclusive lock on each of those
courts, so pushes from different courts run side by side (docs/PROTOCOL.md, "Writes").

Versions: on SQLite the ``server_state`` counter, handed out under the one writer. On
PostgreSQL the ``feed_version_seq`` sequence (no lock); a transaction announces itself
before it takes its first version (a shared advisory lock keyed by the sequence's top at
that moment, which is below every version it will take), and just before it commits it
raises ``server_state.version``, the top readers page up to, no higher than the lowest
such key of any other open writer. So every version at or below the committed top is
committed or will never be: a reader paging by version never passes an uncommitted lower
one. A writer that ends without publishing (killed, rolled back) holds no reader back: a
reader finding the sequence past the published top computes the same rule itself
(:data:`READER_TOP`) and publishes it (:func:`raise_committed_top`). The audit chain is
appended in that same short section at the commit (the ``server_state`` row lock), so it
keeps one order.
"""

from __future__ import annotations

import select
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, exc, text
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, sessionmaker

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


def connection_dropped(dbapi_conn: Any) -> bool:
    """Whether an idle pooled PostgreSQL connection was dropped, without a round trip.

    An idle connection is sent nothing by the server until it sends a query, so a socket
    with something to read (the FATAL notice of ``pg_terminate_backend``, of
    ``idle_session_timeout`` or of a shutdown, then the close) or none at all has lost its
    backend. Silence is not proof of life (a network that drops the link without a word);
    :func:`make_engine`'s ``pool_recycle`` bounds how long such a connection can be kept."""
    if getattr(dbapi_conn, "closed", False) or getattr(dbapi_conn, "broken", False):
        return True
    try:
        fd = dbapi_conn.fileno()
    except Exception:  # a connection that can't say is treated as gone
        return True
    if fd < 0:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fd], [], [], 0)
    return bool(readable)


# The longest a PostgreSQL connection is kept (seconds since it was opened).
POOL_RECYCLE_SECONDS = 1800


def make_engine(url: str, *, pre_ping: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets WAL and ``synchronous=FULL``.

    On PostgreSQL a connection taken from the pool is checked with :func:`connection_dropped`
    (no round trip) instead of SQLAlchemy's pre-ping (a ``SELECT 1`` at every checkout, the
    pull's one extra round trip); a dropped one is discarded and the checkout tried again
    with a new connection before anything was sent on it. ``pre_ping=True`` restores the
    ping (benchmarks compare the two)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    engine = create_engine(
        url,
        pool_pre_ping=pre_ping,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_size=10,
        max_overflow=20,
    )
    if not pre_ping:

        @event.listens_for(engine, "checkout")
        def _on_checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
            if connection_dropped(dbapi_conn):
                # The pool discards it and checks out again with a new connection.
                raise exc.DisconnectionError("the pooled connection was dropped")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class WriteLockUpgrade(Exception):
    """A writer holding only its courts' locks needs the server-wide one: roll back and
    start again with :func:`begin_write` without courts (nothing was written yet)."""


def is_postgres(bind: Any) -> bool:
    """Whether ``bind`` (an engine, a connection or a session) talks to PostgreSQL."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    return bool(bind is not None and bind.dialect.name == "postgresql")


# Advisory-lock namespaces (the first key), one per schema, so test schemas and servers
# sharing a database don't wait for each other.
_WRITE_NS = "hashtext('ecas.write:' || current_schema())"
_COURT_NS = "hashtext('ecas.court:' || current_schema())"
_VERSION_NS = "hashtext('ecas.version:' || current_schema())"
_MODE = "ecas.write_mode"  # "exclusive" or "courts"
_ANNOUNCED = "ecas.versions_announced"
_SEQUENCE = "feed_version_seq"
_MAX_KEY = 2**31 - 1  # the advisory key holding a version is an int4


def begin_write(session: Session, courts: Sequence[str] | None = None) -> None:
    """Take the write lock; must be the transaction's first statement.

    On SQLite the UPDATE turns the deferred transaction into the single writer before it
    has read anything (so it can't fail with a stale snapshot). On PostgreSQL, without
    ``courts`` the server-wide advisory lock exclusively (the writer runs alone); with
    ``courts`` that lock shared and each court's exclusively, in one order (so pushes of
    different courts overlap and those of one court queue). The caller of the courts form
    must check, once it holds them, that its changes still touch no other court."""
    if not is_postgres(session):
        session.execute(text("UPDATE server_state SET version = version WHERE id = 1"))
        return
    if courts is None:
        session.execute(text(f"SELECT pg_advisory_xact_lock({_WRITE_NS}, 0)"))
        session.info[_MODE] = "exclusive"
        return
    session.execute(text(f"SELECT pg_advisory_xact_lock_shared({_WRITE_NS}, 0)"))
    for court in sorted(set(courts)):
        session.execute(
            text(f"SELECT pg_advisory_xact_lock({_COURT_NS}, hashtext(:court))"),
            {"court": court},
        )
    session.info[_MODE] = "courts"


_ANNOUNCE = f"""
SELECT pg_advisory_xact_lock_shared({_VERSION_NS}, s.top::int) AS locked, s.top,
       (SELECT version FROM server_state WHERE id = 1) AS published
FROM (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS top
      FROM {_SEQUENCE}) AS s
"""  # noqa: S608 (constants)


def _postgres_versions(session: Session, count: int) -> list[int]:
    """``count`` new versions from the sequence, announcing the transaction first."""
    if not session.info.get(_ANNOUNCED):
        row = session.execute(text(_ANNOUNCE)).one()
        if int(row.top) >= _MAX_KEY:
            raise RuntimeError("the version sequence passed 2**31: widen the advisory keys")
        if int(row.top) < int(row.published):
            # Versions were written past the sequence (a bulk load, a restore): catch it up,
            # which only a writer running alone may do.
            if session.info.get(_MODE) != "exclusive":
                raise WriteLockUpgrade
            session.execute(text(f"SELECT setval('{_SEQUENCE}', :v)"), {"v": int(row.published)})
        session.info[_ANNOUNCED] = True
    values = session.scalars(text(_TAKE), {"n": count})
    return sorted(int(v) for v in values)


_TAKE = f"SELECT nextval('{_SEQUENCE}') FROM generate_series(1, :n)"  # noqa: S608 (constants)


# The committed top readers page up to: at most the sequence's top, and below the lowest
# key any other open writer announced. The open writers are read after the sequence (the
# subquery depends on s.top), so a writer not yet announced then takes versions above it.
# A writer whose lock is gone has committed or never will (PostgreSQL makes a commit
# visible before it releases the transaction's locks), so the rule needs no writer's help.
_SEQUENCE_TOP = f"""(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS top
      FROM {_SEQUENCE}) AS s"""  # noqa: S608 (constants)
_SAFE_TOP = f"""LEAST(s.top, COALESCE((
        SELECT min(l.objid::bigint) FROM pg_locks AS l
        WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND s.top IS NOT NULL
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid::bigint = ({_VERSION_NS}::bigint + 4294967296) % 4294967296
          AND l.pid <> pg_backend_pid()
    ), s.top))"""  # noqa: S608 (constants)
_PUBLISH = f"""
UPDATE server_state SET version = GREATEST(version, (
    SELECT {_SAFE_TOP}
    FROM {_SEQUENCE_TOP}
))
WHERE id = 1
"""  # noqa: S608 (constants)

# A reader's committed top (PostgreSQL), from ``server_state AS st`` and ``SEQUENCE_TOP``
# in one statement: the published top, or, when the sequence is past it, the same rule as
# _PUBLISH computed by the reader itself. A writer that held the top down and ended
# without publishing (its worker killed mid-push, so its connection and locks went; a
# rollback outside write_transaction; an announce followed by WriteLockUpgrade) would
# otherwise keep everything committed above its key from every reader until the next
# write anywhere, hours at night. Computing it in the pull (issue 16's option a, rather
# than a publisher running every few seconds) makes a commit visible to the next pull,
# with no process to keep alive and no write while nothing is stalled; the CASE reads
# pg_locks only when the sequence is past the published top (a writer between its first
# version and its commit, or a stall), so a no-op sync reads one more row, the sequence's.
SEQUENCE_TOP = _SEQUENCE_TOP
READER_TOP = f"""CASE WHEN s.top > st.version
    THEN GREATEST(st.version, {_SAFE_TOP}) ELSE st.version END"""

# Raise the published top to what a reader computed, never waiting: a writer holding the
# row (as it commits, and so publishes at least as high) is skipped; GREATEST keeps a top
# raised meanwhile. A lost raise only leaves the top lower, which readers compute again,
# so the pull's commit need not wait for the disk.
_RAISE = """
WITH free AS (SELECT id FROM server_state WHERE id = 1 FOR UPDATE SKIP LOCKED)
UPDATE server_state SET version = GREATEST(server_state.version, :top)
FROM free WHERE server_state.id = free.id AND server_state.version < :top
"""


def raise_committed_top(session: Session, top: int) -> None:
    """Publish ``top``, a committed top a reader computed with :data:`READER_TOP` above the
    published one (PostgreSQL), so later reads need not compute it again; skipped, not
    awaited, while a writer holds the row. Call it at the end of the reader's transaction:
    the row stays locked until that commits."""
    session.execute(text("SELECT set_config('synchronous_commit', 'off', true)"))
    session.execute(text(_RAISE), {"top": top})


@event.listens_for(Session, "before_commit")
def _publish_versions(session: Session) -> None:
    """Raise the committed top in the transaction that took versions (PostgreSQL), as it
    commits (the hook also runs as each savepoint is released: not then)."""
    if session.info.get(_ANNOUNCED) and not session.in_nested_transaction():
        session.flush()
        session.execute(text(_PUBLISH))


@event.listens_for(Session, "after_transaction_end")
def _forget_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        for key in (_MODE, _ANNOUNCED, _VERSION_BLOCK):
            session.info.pop(key, None)


def lock_audit_head(session: Session) -> None:
    """Lock the ``server_state`` row (the audit chain's head, the committed top) until the
    transaction ends: a writer holding only its courts' locks does so before it appends to
    the chain (PostgreSQL; the other writers hold the server-wide lock already)."""
    session.execute(text("SELECT 1 FROM server_state WHERE id = 1 FOR UPDATE"))


_VERSION_BLOCK = "ecas.version_block"


def reserve_versions(session: Session, count: int) -> None:
    """Take ``count`` versions in one statement for the transaction's later
    :func:`next_version` calls (requires the write lock; call it outside any savepoint, so
    a savepoint rolled back can't hand the block out twice). Versions left unused are given
    back by :func:`release_versions` on SQLite; on PostgreSQL they stay gaps."""
    if count <= 0:
        return
    if is_postgres(session):
        values = _postgres_versions(session, count)
    else:
        top = session.execute(
            text("UPDATE server_state SET version = version + :n WHERE id = 1 RETURNING version"),
            {"n": count},
        ).scalar_one()
        values = list(range(int(top) - count + 1, int(top) + 1))
    session.info[_VERSION_BLOCK] = [0, values]


def release_versions(session: Session) -> None:
    """Give back the unused tail of the transaction's reserved block (SQLite: the write
    lock is still held, so no one took a version after it); versions taken in a savepoint
    that was rolled back stay gaps, which readers paging by version never wait for. On
    PostgreSQL the sequence can't take versions back: they stay gaps too."""
    block = session.info.pop(_VERSION_BLOCK, None)
    if block is None or is_postgres(session):
        return
    index, values = block
    if index < len(values):
        session.execute(
            text("UPDATE server_state SET version = :v WHERE id = 1"), {"v": values[index] - 1}
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
    from the block :func:`reserve_versions` took, else one more from the counter."""
    block = session.info.get(_VERSION_BLOCK)
    if block is not None and block[0] < len(block[1]):
        block[0] += 1
        return int(block[1][block[0] - 1])
    if is_postgres(session):
        return _postgres_versions(session, 1)[0]
    value = session.execute(
        text("UPDATE server_state SET version = version + 1 WHERE id = 1 RETURNING version")
    ).scalar_one()
    return int(value)


@contextmanager
def write_transaction(
    factory: sessionmaker[Session], courts: Sequence[str] | None = None
) -> Iterator[Session]:
    """A session whose transaction holds the write lock (see :func:`begin_write` for
    ``courts``); commits on success."""
    announced = False
    try:
        with factory() as session, session.begin():
            begin_write(session, courts)
            try:
                yield session
            finally:
                announced = bool(session.info.get(_ANNOUNCED))
    except BaseException:
        if announced:  # rolled back: don't leave later writers' versions unpublished
            _publish_after_rollback(factory)
        raise


@contextmanager
def audit_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A write transaction that only appends to the audit chain (it takes no versions):
    on PostgreSQL it shares the server-wide lock, as the court writers do, and locks only
    the chain's head, so it neither waits for a long writer of some court's records nor,
    waiting, holds up every writer that queues behind it (an exclusive request blocks the
    shared ones after it). On SQLite it is the one writer, as every write is."""
    with write_transaction(factory, courts=()) as session:
        if is_postgres(session):
            lock_audit_head(session)
        yield session


@contextmanager
def row_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A write transaction for rows that carry no version and no audit entry (the mail
    outbox's claims and results): on PostgreSQL its row locks are all it needs, so it takes
    no write lock at all and never queues behind, or holds up, the record writers; on
    SQLite it is the one writer, as every write is. Commits on success."""
    with factory() as session, session.begin():
        if not is_postgres(session):
            begin_write(session)
        yield session


def _publish_after_rollback(factory: sessionmaker[Session]) -> None:
    """Raise the committed top for the writers that committed while a transaction that
    has now rolled back held it down (PostgreSQL); they are all committed, so this needs
    no version of its own. Without it the next pull would compute that top itself
    (:data:`READER_TOP`); this spares readers the pg_locks read."""
    try:
        with factory() as session, session.begin():
            session.execute(text(_PUBLISH))
    except Exception:  # noqa: S110 (the next commit publishes them; the first error counts)
        pass
