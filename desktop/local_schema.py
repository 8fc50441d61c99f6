"""The local store's tables and the rows it hands out (see ``local_store.py`` for the
rules they follow)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Integer, MetaData, String, Table, Text

metadata = MetaData()

record_table = Table(
    "record",
    metadata,
    Column("entity", String(40), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("version", Integer, nullable=False, default=0),  # the server's; 0 = never synced
    Column("deleted", Boolean, nullable=False, default=False),
    Column("data", Text, nullable=False),
    Column("server_data", Text),
)

outbox_table = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("mutation_id", String(36), nullable=False, unique=True),
    Column("entity", String(40), nullable=False),
    Column("record_id", String(36), nullable=False, index=True),
    Column("op", String(10), nullable=False),
    Column("base_version", Integer),
    Column("data", Text),
    Column("revision", Integer, nullable=False, default=0),  # unused since entries are immutable
    # Sends tried, counted *before* each request: an entry with attempts > 0 may be on the
    # server already, so it is never changed again (a later edit queues behind it).
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", String(40), nullable=False),
    Column("group_id", String(36), index=True),  # entries of one action, applied together
)

state_table = Table(
    "sync_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

issue_table = Table(
    "sync_issue",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(10), nullable=False),  # "conflict" | "rejected"
    Column("entity", String(40), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("local_data", Text),
    Column("server_change", Text),
    Column("error", Text),
    Column("created_at", String(40), nullable=False),
    Column("op", String(10)),  # what "Keep mine" sends again: "upsert" or "delete"
)


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    mutation_id: str
    entity: str
    record_id: str
    op: str
    base_version: int | None
    data: dict[str, Any] | None
    group_id: str | None = None
    attempts: int = 0

    def as_mutation(self) -> dict[str, Any]:
        mutation: dict[str, Any] = {
            "mutation_id": self.mutation_id,
            "entity": self.entity,
            "id": self.record_id,
            "op": self.op,
            "base_version": self.base_version,
            "data": self.data,
        }
        if self.group_id is not None:
            mutation["group"] = self.group_id
        return mutation


@dataclass(frozen=True)
class SyncIssue:
    id: int
    kind: str
    entity: str
    record_id: str
    local_data: dict[str, Any] | None
    server_change: dict[str, Any] | None
    error: str | None
    op: str = "upsert"


def add_missing_columns(conn: Connection) -> None:
    """Bring a store made by an older client up to these tables: add the columns it lacks
    (all nullable or defaulted, so existing rows stay valid)."""
    for table in metadata.sorted_tables:
        have = {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table.name}")')}
        for column in table.columns:
            if column.name in have:
                continue
            kind = column.type.compile(dialect=conn.dialect)
            default = column.default.arg if column.default is not None else None  # type: ignore[attr-defined]
            tail = f" NOT NULL DEFAULT {default!r}" if default is not None else ""
            conn.exec_driver_sql(
                f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}{tail}'
            )
