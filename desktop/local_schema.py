"""The local store's tables and the rows it hands out (see ``local_store.py`` for the
rules they follow)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, Text

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
    Column("revision", Integer, nullable=False, default=0),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", String(40), nullable=False),
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
    revision: int

    def as_mutation(self) -> dict[str, Any]:
        return {
            "mutation_id": self.mutation_id,
            "entity": self.entity,
            "id": self.record_id,
            "op": self.op,
            "base_version": self.base_version,
            "data": self.data,
        }


@dataclass(frozen=True)
class SyncIssue:
    id: int
    kind: str
    entity: str
    record_id: str
    local_data: dict[str, Any] | None
    server_change: dict[str, Any] | None
    error: str | None
