"""The desktop's local copy of one server for one user: records, outbox, cursor, conflicts.

Rules (DESIGN.md, "Client side"):

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


class LocalStore:
    """A SQLite file of one server and one user; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
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
                    select(record_table.c.version).where(
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

    def apply_page(self, changes: list[Change], cursor: str, *, reset: bool = False) -> int:
        """Apply one pulled page and its cursor together; returns records written."""
        with self.transaction() as conn:
            if reset:
                # The scope changed: forget server records, keep anything still unsent.
                queued = select(outbox_table.c.record_id)
                conn.execute(delete(record_table).where(record_table.c.id.not_in(queued)))
            held = {
                (r.entity, r.record_id)
                for r in conn.execute(select(outbox_table.c.entity, outbox_table.c.record_id))
            }
            latest: dict[tuple[str, str], Change] = {}
            for change in changes:  # in version order: a later change of a record wins
                if (change.entity, change.id) not in held:  # local edits wait for their push
                    latest[(change.entity, change.id)] = change
            written = self._upsert_server(conn, list(latest.values()))
            self.set_state(conn, "cursor", cursor)
            self.set_state(conn, "last_sync_at", _now())
        return written

    @staticmethod
    def _upsert_server(conn: Connection, changes: list[Change]) -> int:
        """Write the server's records in bulk: new ones inserted, newer ones updated, the
        rest (this copy already holds that version or a newer one) left alone."""
        known: dict[tuple[str, str], int] = {}
        ids = [c.id for c in changes]
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(record_table.c.entity, record_table.c.id, record_table.c.version).where(
                    record_table.c.id.in_(ids[start : start + 500])
                )
            )
            known.update({(r.entity, r.id): r.version for r in rows})
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
            held_version = known.get((change.entity, change.id))
            if held_version is None:
                inserts.append(row)
            elif held_version < change.version:
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


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

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

    return engine
