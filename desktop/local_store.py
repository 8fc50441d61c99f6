"""The desktop's local copy of one server for one user: records, outbox, cursor, conflicts.

Rules (DESIGN.md, "Client side"):

* every local edit writes the record and its outbox entry in one SQLite transaction;
* each pulled page is applied together with its cursor in one transaction;
* a record with a pending outbox entry is not overwritten by a pull until the push that
  carries it is acknowledged;
* nothing is dropped silently: a conflict or a refusal is kept until a person decides.

Each record keeps ``data`` (what this user sees, with local edits) and ``server_data``
(the last state the server confirmed), so a refused edit can be rolled back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
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

from common.protocol import Change, MutationResult, MutationStatus
from common.wire import WireRecord
from desktop.local_schema import (
    OutboxEntry,
    SyncIssue,
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
        """Write ``record`` locally and queue it for the server, in one transaction.

        A record that already waits in the outbox is coalesced into that entry, so the
        server sees one change against the version this client last saw.
        """
        data = record.model_dump(mode="json")
        return self._queue(record.entity, record.id, "upsert", data)

    def delete(self, entity: str, record_id: str) -> str:
        return self._queue(entity, record_id, "delete", None)

    def _queue(self, entity: str, record_id: str, op: str, data: dict[str, Any] | None) -> str:
        with self.transaction() as conn:
            current = conn.execute(
                select(record_table).where(
                    record_table.c.entity == entity, record_table.c.id == record_id
                )
            ).first()
            if current is None:
                conn.execute(
                    insert(record_table).values(
                        entity=entity,
                        id=record_id,
                        version=0,
                        deleted=op == "delete",
                        data=_dumps(data or {}),
                    )
                )
            else:
                values: dict[str, Any] = {"deleted": op == "delete"}
                if data is not None:
                    values["data"] = _dumps(data)
                conn.execute(
                    update(record_table)
                    .where(record_table.c.entity == entity, record_table.c.id == record_id)
                    .values(**values)
                )
            base = int(current.version) if current is not None and current.version else None
            return self._queue_outbox(conn, entity, record_id, op, base, data)

    def _queue_outbox(
        self,
        conn: Connection,
        entity: str,
        record_id: str,
        op: str,
        base: int | None,
        data: dict[str, Any] | None,
    ) -> str:
        pending = conn.execute(
            select(outbox_table).where(
                outbox_table.c.entity == entity, outbox_table.c.record_id == record_id
            )
        ).first()
        if pending is not None:
            conn.execute(
                update(outbox_table)
                .where(outbox_table.c.seq == pending.seq)
                .values(
                    op=op,
                    data=None if data is None else _dumps(data),
                    revision=pending.revision + 1,
                )
            )
            return str(pending.mutation_id)
        mutation_id = str(uuid.uuid4())
        conn.execute(
            insert(outbox_table).values(
                mutation_id=mutation_id,
                entity=entity,
                record_id=record_id,
                op=op,
                base_version=base,
                data=None if data is None else _dumps(data),
                revision=0,
                attempts=0,
                created_at=_now(),
            )
        )
        return mutation_id

    # -- outbox -----------------------------------------------------------------------------

    def pending(self, limit: int = 200) -> list[OutboxEntry]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox_table).order_by(outbox_table.c.seq).limit(limit)
            ).all()
        return [
            OutboxEntry(
                r.seq,
                r.mutation_id,
                r.entity,
                r.record_id,
                r.op,
                r.base_version,
                _loads(r.data),
                r.revision,
            )
            for r in rows
        ]

    def pending_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(outbox_table)) or 0)

    def note_attempt(self, entries: Iterable[OutboxEntry], error: str) -> None:
        with self.transaction() as conn:
            for entry in entries:
                conn.execute(
                    update(outbox_table)
                    .where(outbox_table.c.seq == entry.seq)
                    .values(attempts=outbox_table.c.attempts + 1, last_error=error)
                )

    def acknowledge(self, entries: list[OutboxEntry], results: list[MutationResult]) -> None:
        """Record the server's answers to a push, in one transaction."""
        by_id = {r.mutation_id: r for r in results}
        with self.transaction() as conn:
            for entry in entries:
                result = by_id.get(entry.mutation_id)
                if result is not None:
                    self._acknowledge_one(conn, entry, result)

    def _acknowledge_one(
        self, conn: Connection, entry: OutboxEntry, result: MutationResult
    ) -> None:
        still = conn.execute(
            select(outbox_table.c.revision).where(outbox_table.c.seq == entry.seq)
        ).scalar()
        edited_meanwhile = still is not None and still != entry.revision
        where = (record_table.c.entity == entry.entity) & (record_table.c.id == entry.record_id)
        if result.status is MutationStatus.APPLIED:
            server_data = _dumps(entry.data) if entry.data is not None else None
            conn.execute(
                update(record_table)
                .where(where)
                .values(version=result.version, server_data=server_data)
            )
            if edited_meanwhile:
                # The user changed the record while it travelled: send the newer edit as a
                # fresh mutation on top of the version the server just assigned.
                conn.execute(
                    update(outbox_table)
                    .where(outbox_table.c.seq == entry.seq)
                    .values(mutation_id=str(uuid.uuid4()), base_version=result.version)
                )
                return
        else:
            local = conn.execute(select(record_table.c.data).where(where)).scalar()
            conn.execute(
                insert(issue_table).values(
                    kind=result.status.value,
                    entity=entry.entity,
                    record_id=entry.record_id,
                    local_data=local,
                    server_change=_dumps(result.current.model_dump(mode="json"))
                    if result.current
                    else None,
                    error=result.error,
                    created_at=_now(),
                )
            )
            self._restore_server_state(conn, entry, result)
        conn.execute(delete(outbox_table).where(outbox_table.c.seq == entry.seq))

    def _restore_server_state(
        self, conn: Connection, entry: OutboxEntry, result: MutationResult
    ) -> None:
        """After a conflict or refusal, show the server's record again; the user's version
        is kept in the issue until they choose."""
        where = (record_table.c.entity == entry.entity) & (record_table.c.id == entry.record_id)
        if result.current is not None:
            conn.execute(
                update(record_table)
                .where(where)
                .values(
                    version=result.current.version,
                    deleted=result.current.deleted,
                    data=_dumps(result.current.data),
                    server_data=_dumps(result.current.data),
                )
            )
            return
        server = conn.execute(select(record_table.c.server_data).where(where)).scalar()
        if server is None:
            conn.execute(delete(record_table).where(where))  # never existed on the server
        else:
            conn.execute(update(record_table).where(where).values(data=server, deleted=False))

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
            )
            for r in rows
        ]

    def resolve_keep_mine(self, issue_id: int) -> str | None:
        """Send the user's version again, on top of the server's current one."""
        with self.transaction() as conn:
            issue = conn.execute(select(issue_table).where(issue_table.c.id == issue_id)).first()
            if issue is None or issue.local_data is None:
                return None
            server = _loads(issue.server_change) or {}
            base = int(server.get("version") or 0) or None
            local = _loads(issue.local_data)
            conn.execute(
                update(record_table)
                .where(record_table.c.entity == issue.entity, record_table.c.id == issue.record_id)
                .values(data=issue.local_data, deleted=False)
            )
            mutation = self._queue_outbox(
                conn, issue.entity, issue.record_id, "upsert", base, local
            )
            conn.execute(
                update(outbox_table)
                .where(outbox_table.c.mutation_id == mutation)
                .values(base_version=base)
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
