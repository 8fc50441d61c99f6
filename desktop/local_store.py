"""The desktop's local copy of one server for one user: records, outbox, cursor, conflicts.

Rules (what a client keeps itself: docs/PROTOCOL.md, "Pulling" and "Pushing"):

* every local edit writes the record and its outbox entry in one SQLite transaction (the
  outbox's own rules are in ``desktop/outbox.py``);
* each pulled page is applied together with its cursor in one transaction;
* a record with a pending outbox entry is not overwritten by a pull until the push that
  carries it is acknowledged;
* nothing is dropped silently: a conflict or a refusal is kept until a person decides.

Each record keeps ``data`` (what this user sees, with local edits) and ``server_data``
(the last state the server confirmed), so a refused edit can be rolled back.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.pool import QueuePool

from common.protocol import Change, MutationResult
from common.wire import WireRecord
from desktop import outbox
from desktop.local_schema import (
    OutboxEntry,
    SyncIssue,
    add_missing_columns,
    issue_table,
    metadata,
    outbox_table,
    record_table,
    state_table,
)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _loads(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


RESET_SWEEP = "reset_sweep"  # state key: a reset's unconfirmed records await the last page


class LocalStore:
    """A SQLite file of one server and one user; safe to share between threads.

    With ``key`` (a 32-byte key, see ``desktop/store_crypto.py``) the file is a SQLCipher
    database: every page is encrypted and authenticated. A plain file found at ``path`` is
    converted on opening (``encrypt_plain_store``). A wrong key raises
    :class:`StoreLocked`."""

    def __init__(self, path: Path, key: bytes | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.encrypted = key is not None
        if key is not None:
            if is_plain_sqlite(path):
                encrypt_plain_store(path, key)
            self.engine = _sqlcipher_engine(path, key)
            _check_key(self.engine)
        else:
            self.engine = _sqlite_engine(path)
        metadata.create_all(self.engine)
        with self.transaction() as conn:
            add_missing_columns(conn)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction; it takes SQLite's write lock at once (BEGIN IMMEDIATE), so
        two threads' read-then-write transactions queue instead of failing."""
        with self.engine.connect() as conn:
            conn.execution_options(ecas_write=True)
            with conn.begin():
                yield conn

    # -- state ------------------------------------------------------------------------------

    def get_state(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as conn:
            value = conn.scalar(select(state_table.c.value).where(state_table.c.key == key))
        return default if value is None else str(value)

    def set_state(self, conn: Connection, key: str, value: str) -> None:
        done = conn.execute(
            update(state_table).where(state_table.c.key == key).values(value=value)
        ).rowcount
        if not done:
            conn.execute(insert(state_table).values(key=key, value=value))

    @property
    def client_id(self) -> str:
        existing = self.get_state("client_id")
        if existing:
            return existing
        with self.transaction() as conn:
            new = str(uuid.uuid4())
            self.set_state(conn, "client_id", new)
        return new

    # -- reads ------------------------------------------------------------------------------

    def get(self, entity: str, record_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(record_table.c.data, record_table.c.deleted).where(
                    record_table.c.entity == entity, record_table.c.id == record_id
                )
            ).first()
        return None if row is None or row.deleted else _loads(row.data)

    def version_of(self, entity: str, record_id: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.scalar(
                    select(func.abs(record_table.c.version)).where(
                        record_table.c.entity == entity, record_table.c.id == record_id
                    )
                )
                or 0
            )

    def all(self, entity: str) -> list[dict[str, Any]]:
        """Every live record of ``entity`` (local edits included)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(record_table.c.data).where(
                    record_table.c.entity == entity, record_table.c.deleted.is_(False)
                )
            ).scalars()
            return [orjson.loads(r) for r in rows]

    def count(self, entity: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.scalar(
                    select(func.count())
                    .select_from(record_table)
                    .where(record_table.c.entity == entity, record_table.c.deleted.is_(False))
                )
                or 0
            )

    # -- local edits ------------------------------------------------------------------------

    def save(self, record: WireRecord) -> str:
        """Write ``record`` locally and queue it for the server, in one transaction (see
        ``desktop/outbox.py`` for when an edit joins a queued entry and when it follows it)."""
        with self.transaction() as conn:
            mutation = outbox.queue(
                conn, record.entity, record.id, "upsert", record.model_dump(mode="json")
            )
        assert mutation is not None
        return mutation

    def save_together(self, records: Sequence[WireRecord]) -> list[str]:
        """Write the records of one action (a bench ruling, a reviewed filing) in one local
        transaction, queued as one group the server applies all or nothing."""
        group = str(uuid.uuid4()) if len(records) > 1 else None
        with self.transaction() as conn:
            ids = [
                outbox.queue(conn, r.entity, r.id, "upsert", r.model_dump(mode="json"), group)
                for r in records
            ]
        return [i for i in ids if i is not None]

    def delete(self, entity: str, record_id: str) -> str | None:
        """Delete a record: a tombstone is queued for the server, unless the server can't
        have it (made here and never sent), in which case it simply goes."""
        with self.transaction() as conn:
            return outbox.queue(conn, entity, record_id, "delete", None)

    # -- outbox -----------------------------------------------------------------------------

    def pending(self, limit: int = 200) -> list[OutboxEntry]:
        """The next push: see ``outbox.sendable``."""
        with self.engine.connect() as conn:
            return outbox.sendable(conn, limit)

    def pending_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(outbox_table)) or 0)

    def mark_sending(self, entries: list[OutboxEntry]) -> None:
        """Before a push leaves: these entries may be on the server from now on."""
        with self.transaction() as conn:
            outbox.mark_sending(conn, entries)

    def note_attempt(self, entries: Iterable[OutboxEntry], error: str) -> None:
        """Keep why a push failed on its entries (shown with the pending changes)."""
        with self.transaction() as conn:
            conn.execute(
                update(outbox_table)
                .where(outbox_table.c.seq.in_([e.seq for e in entries]))
                .values(last_error=error)
            )

    def acknowledge(self, entries: list[OutboxEntry], results: list[MutationResult]) -> None:
        """Record the server's answers to a push, in one transaction."""
        by_id = {r.mutation_id: r for r in results}
        with self.transaction() as conn:
            for entry in entries:
                result = by_id.get(entry.mutation_id)
                if result is not None:
                    outbox.acknowledge_one(conn, entry, result)

    # -- pulls ------------------------------------------------------------------------------

    def apply_page(
        self, changes: list[Change], cursor: str, *, reset: bool = False, last: bool = True
    ) -> int:
        """Apply one pulled page and its cursor together; returns records written.

        A ``reset`` (the user's scope changed) starts a mark and sweep rather than wiping
        the copy at once: every record not waiting in the outbox is marked unconfirmed (its
        version negated), the pages that follow confirm what is still in scope, and the
        page marked ``last`` (``has_more`` false) removes what was not confirmed. Until
        then the records stay readable, and one edited meanwhile keeps the version it was
        edited from as its base -- so work done during a long reset pull is neither a
        spurious conflict nor lost. A pull interrupted mid-reset finishes the sweep on the
        last page of a later pull (the state survives in ``reset_sweep``)."""
        with self.transaction() as conn:
            queued = select(outbox_table.c.record_id)
            if reset:
                conn.execute(
                    update(record_table)
                    .where(record_table.c.version > 0, record_table.c.id.not_in(queued))
                    .values(version=-record_table.c.version)
                )
                self.set_state(conn, RESET_SWEEP, "1")
            held = {
                (r.entity, r.record_id)
                for r in conn.execute(select(outbox_table.c.entity, outbox_table.c.record_id))
            }
            latest: dict[tuple[str, str], Change] = {}
            for change in changes:  # in version order: a later change of a record wins
                if (change.entity, change.id) not in held:  # local edits wait for their push
                    latest[(change.entity, change.id)] = change
            written = self._upsert_server(conn, list(latest.values()))
            sweeping = conn.scalar(
                select(state_table.c.value).where(state_table.c.key == RESET_SWEEP)
            )
            if last and sweeping:
                conn.execute(
                    delete(record_table).where(
                        record_table.c.version < 0, record_table.c.id.not_in(queued)
                    )
                )
                self.set_state(conn, RESET_SWEEP, "")
            self.set_state(conn, "cursor", cursor)
            self.set_state(conn, "last_sync_at", _now())
        return written

    @staticmethod
    def _upsert_server(conn: Connection, changes: list[Change]) -> int:
        """Write the server's records in bulk: new ones inserted, newer ones updated, the
        rest (this copy already holds that version or a newer one) left alone -- except a
        record that left the user's scope or came back into it unchanged, which a scope
        change's catch-up sends at the version held, deleted or live
        (sync_server/services/scope_delta.py)."""
        known: dict[tuple[str, str], tuple[int, bool]] = {}
        ids = [c.id for c in changes]
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(
                    record_table.c.entity,
                    record_table.c.id,
                    record_table.c.version,
                    record_table.c.deleted,
                ).where(record_table.c.id.in_(ids[start : start + 500]))
            )
            known.update({(r.entity, r.id): (r.version, bool(r.deleted)) for r in rows})
        inserts, updates = [], []
        for change in changes:
            payload = _dumps(change.data)
            row = {
                "entity": change.entity,
                "id": change.id,
                "version": change.version,
                "deleted": change.deleted,
                "data": payload,
                "server_data": payload,
            }
            held = known.get((change.entity, change.id))
            if held is None:
                inserts.append(row)
            elif held[0] < change.version or (
                held[0] == change.version and held[1] != change.deleted
            ):
                updates.append({**row, "b_entity": change.entity, "b_id": change.id})
        if inserts:
            conn.execute(insert(record_table), inserts)
        if updates:
            conn.execute(
                update(record_table)
                .where(
                    record_table.c.entity == bindparam("b_entity"),
                    record_table.c.id == bindparam("b_id"),
                )
                .values(
                    version=bindparam("version"),
                    deleted=bindparam("deleted"),
                    data=bindparam("data"),
                    server_data=bindparam("server_data"),
                ),
                updates,
            )
        return len(inserts) + len(updates)

    # -- issues -----------------------------------------------------------------------------

    def issues(self) -> list[SyncIssue]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(issue_table).order_by(issue_table.c.id)).all()
        return [
            SyncIssue(
                r.id,
                r.kind,
                r.entity,
                r.record_id,
                _loads(r.local_data),
                _loads(r.server_change),
                r.error,
                r.op or "upsert",
            )
            for r in rows
        ]

    def resolve_keep_mine(self, issue_id: int) -> str | None:
        """Send the user's version again, on top of the server's current one: the edit, or
        the delete when what they did was delete it."""
        with self.transaction() as conn:
            issue = conn.execute(select(issue_table).where(issue_table.c.id == issue_id)).first()
            if issue is None or (issue.local_data is None and issue.op != "delete"):
                return None
            server = _loads(issue.server_change) or {}
            base = int(server.get("version") or 0) or None
            mutation = outbox.requeue(
                conn,
                issue.entity,
                issue.record_id,
                issue.op or "upsert",
                _loads(issue.local_data),
                base,
            )
            conn.execute(delete(issue_table).where(issue_table.c.id == issue_id))
            return mutation

    def resolve_take_theirs(self, issue_id: int) -> None:
        """Drop the user's version; the server's record (already shown) stays."""
        with self.transaction() as conn:
            conn.execute(delete(issue_table).where(issue_table.c.id == issue_id))


class StoreLocked(Exception):
    """The key does not open this store (or the file is not a database)."""


SQLITE_HEADER = b"SQLite format 3\x00"


def is_plain_sqlite(path: Path) -> bool:
    """True for an existing unencrypted SQLite file (SQLCipher files start with random
    bytes, plain ones with SQLite's header)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _key_pragma(key: bytes) -> str:
    # A raw 256-bit key (x'...'): SQLCipher uses it as is, no PBKDF2 at each connection;
    # the key was already derived (argon2id, then HKDF) in desktop/store_crypto.py.
    if len(key) != 32:
        raise ValueError("a store key is 32 bytes")
    return f"\"x'{key.hex()}'\""


# SQLCipher's page settings (the same for every connection and for the export): 16 KiB
# pages with HMAC-SHA256 cost about the plain store's time on the client benchmarks, where
# the defaults (4 KiB, HMAC-SHA512) cost 2-3x (docs/PERFORMANCE.md, "Encrypted local store").
CIPHER_SETTINGS = (("cipher_page_size", "16384"), ("cipher_hmac_algorithm", "HMAC_SHA256"))


def _cipher_pragmas(schema: str = "") -> list[str]:
    prefix = f"{schema}." if schema else ""
    return [f"PRAGMA {prefix}{name} = {value}" for name, value in CIPHER_SETTINGS]


def encrypt_plain_store(path: Path, key: bytes) -> None:
    """Convert the plain store at ``path`` into a SQLCipher one in place: its WAL is
    checkpointed, ``sqlcipher_export`` copies everything into a new encrypted file beside
    it, which then replaces the plain file atomically (a crash leaves one or the other)."""
    from sqlcipher3 import dbapi2 as sqlcipher

    target = path.with_name(path.name + ".encrypting")
    target.unlink(missing_ok=True)
    conn = sqlcipher.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {_key_pragma(key)}", (str(target),))
        for pragma in _cipher_pragmas("encrypted"):
            conn.execute(pragma)
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(target, path)
    for suffix in ("-wal", "-shm"):  # the plain file's journal files, emptied above
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _sqlcipher_engine(path: Path, key: bytes) -> Engine:
    from sqlcipher3 import dbapi2 as sqlcipher

    pragma = _key_pragma(key)

    def connect() -> Any:
        conn = sqlcipher.connect(str(path), check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported, not logged
        conn.execute(f"PRAGMA key = {pragma}")  # before anything reads the file
        for setting in _cipher_pragmas():
            conn.execute(setting)
        return conn

    # A pool of file connections, as SQLAlchemy gives a sqlite:/// file URL (the bare
    # "sqlite://" would otherwise mean one shared in-memory connection per thread).
    engine = create_engine("sqlite://", module=sqlcipher, creator=connect, poolclass=QueuePool)
    _configure(engine)
    return engine


def _check_key(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except Exception as err:  # sqlcipher3's DatabaseError, "file is not a database"
        engine.dispose()
        raise StoreLocked("The key does not open this computer's copy.") from err


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    _configure(engine)
    return engine


def _configure(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged edit survives power loss
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("ecas_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
