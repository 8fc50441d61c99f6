"""The outbox: local edits waiting for the server, and what their answers do to the copy.

Rules (the sync protocol, ``docs/PROTOCOL.md``):

* **A mutation id names exactly one payload.** An entry that has been sent, or may have
  been (any attempt, answered or not), is never changed. A later edit of the same record
  becomes a new entry queued behind it; only an entry never sent takes later edits in
  (coalescing), so the server sees one change where it could not have seen the first.
* **One entry per record in flight.** A push carries at most one entry of each record; the
  next one waits for the answer, which gives it its base version.
* **Deletes are mutations.** A record the server may have (any entry of it was tried, or
  the server confirmed a version) is deleted by a queued tombstone; only a record never sent
  vanishes locally with its entries.
* **Groups land together.** Entries written by one action share a ``group_id``; a push
  carries all of them or none, and the server applies them all or none.
* **Nothing is dropped silently.** A conflict or refusal becomes a sync issue holding the
  user's latest version; entries queued behind it (and their groups) are held back as
  issues too, since they were built on an edit the server did not take.

These are functions of an open connection, so the caller decides the transaction.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Row, delete, insert, select, update

from common.protocol import MutationResult, MutationStatus
from desktop.local_schema import OutboxEntry, issue_table, outbox_table, record_table

HELD_BACK = (
    "not sent: it was made together with, or after, a change of {entity} that the server "
    "did not accept; see that issue first"
)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _loads(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


def _entries_of(conn: Connection, entity: str, record_id: str) -> list[Row[Any]]:
    return list(
        conn.execute(
            select(outbox_table)
            .where(outbox_table.c.entity == entity, outbox_table.c.record_id == record_id)
            .order_by(outbox_table.c.seq)
        )
    )


def _entry(row: Row[Any]) -> OutboxEntry:
    return OutboxEntry(
        row.seq,
        row.mutation_id,
        row.entity,
        row.record_id,
        row.op,
        row.base_version,
        _loads(row.data),
        row.group_id,
        row.attempts,
    )


# --- queueing edits -------------------------------------------------------------------------


def queue(
    conn: Connection,
    entity: str,
    record_id: str,
    op: str,
    data: dict[str, Any] | None,
    group: str | None = None,
) -> str | None:
    """Write the record as the user now sees it and queue the change; returns the mutation id
    that carries it, or None when a record the server never saw was simply removed."""
    where = (record_table.c.entity == entity) & (record_table.c.id == record_id)
    current = conn.execute(select(record_table).where(where)).first()
    entries = _entries_of(conn, entity, record_id)
    if op == "delete" and _never_reached_server(current, entries):
        conn.execute(delete(record_table).where(where))
        conn.execute(
            delete(outbox_table).where(
                outbox_table.c.entity == entity, outbox_table.c.record_id == record_id
            )
        )
        return None
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
        conn.execute(update(record_table).where(where).values(**values))
    last = entries[-1] if entries else None
    payload = None if data is None else _dumps(data)
    if last is not None and last.attempts == 0 and group in (None, last.group_id):
        conn.execute(
            update(outbox_table).where(outbox_table.c.seq == last.seq).values(op=op, data=payload)
        )
        return str(last.mutation_id)
    # The base is the version this copy last had confirmed; an entry queued behind another
    # gets the version the server assigns to that one when its answer comes.
    # (A version is negative while a scope reset has yet to confirm the record: its
    # magnitude is still the server's version this copy holds.)
    base = abs(int(current.version)) if current is not None and current.version else None
    mutation_id = str(uuid.uuid4())
    conn.execute(
        insert(outbox_table).values(
            mutation_id=mutation_id,
            entity=entity,
            record_id=record_id,
            op=op,
            base_version=base,
            data=payload,
            revision=0,
            attempts=0,
            created_at=_now(),
            group_id=group,
        )
    )
    return mutation_id


def _never_reached_server(current: Row[Any] | None, entries: list[Row[Any]]) -> bool:
    """True for a record made here whose every change is still unsent."""
    confirmed = current is not None and bool(current.version)
    return not confirmed and all(e.attempts == 0 for e in entries)


# --- choosing what to send ---------------------------------------------------------------------


def sendable(conn: Connection, limit: int) -> list[OutboxEntry]:
    """The next push, in outbox order: at most one entry per record (the next waits for its
    answer) and every group whole. Stops at the first entry that has to wait, so changes
    reach the server in the order they were made."""
    rows = list(conn.execute(select(outbox_table).order_by(outbox_table.c.seq).limit(limit * 2)))
    batch: list[Row[Any]] = []
    taken: set[int] = set()
    records: set[tuple[str, str]] = set()
    for row in rows:
        if row.seq in taken:
            continue
        unit = [row] if row.group_id is None else _group_rows(conn, row.group_id)
        keys = [(r.entity, r.record_id) for r in unit]
        if batch and (
            records & set(keys)
            or len(batch) + len(unit) > limit
            or any(_waits_behind(conn, r) for r in unit if r.seq != row.seq)
        ):
            break
        batch += unit
        taken.update(r.seq for r in unit)
        records.update(keys)
    return [_entry(r) for r in batch]


def _group_rows(conn: Connection, group_id: str) -> list[Row[Any]]:
    return list(
        conn.execute(
            select(outbox_table)
            .where(outbox_table.c.group_id == group_id)
            .order_by(outbox_table.c.seq)
        )
    )


def _waits_behind(conn: Connection, row: Row[Any]) -> bool:
    """Whether an earlier entry of the same record is still in the outbox."""
    earlier = conn.scalar(
        select(outbox_table.c.seq)
        .where(
            outbox_table.c.entity == row.entity,
            outbox_table.c.record_id == row.record_id,
            outbox_table.c.seq < row.seq,
        )
        .limit(1)
    )
    return earlier is not None


def mark_sending(conn: Connection, entries: list[OutboxEntry]) -> None:
    """Count an attempt before the request leaves: from here on the entry may be on the
    server, so it is never changed again."""
    conn.execute(
        update(outbox_table)
        .where(outbox_table.c.seq.in_([e.seq for e in entries]))
        .values(attempts=outbox_table.c.attempts + 1)
    )


# --- answers ----------------------------------------------------------------------------------


def acknowledge_one(conn: Connection, entry: OutboxEntry, result: MutationResult) -> None:
    """Apply the server's answer to one entry (in the caller's transaction)."""
    if conn.scalar(select(outbox_table.c.seq).where(outbox_table.c.seq == entry.seq)) is None:
        return  # already answered, or held back with its group
    where = (record_table.c.entity == entry.entity) & (record_table.c.id == entry.record_id)
    if result.status is MutationStatus.APPLIED:
        conn.execute(delete(outbox_table).where(outbox_table.c.seq == entry.seq))
        sent = None if entry.data is None else _dumps(entry.data)
        values: dict[str, Any] = {"version": result.version, "server_data": sent}
        following = _entries_of(conn, entry.entity, entry.record_id)
        if following:  # the next edit of this record now stands on the version just made
            conn.execute(
                update(outbox_table)
                .where(outbox_table.c.seq == following[0].seq)
                .values(base_version=result.version)
            )
        else:  # nothing newer here: the copy shows exactly what the server now holds
            values["deleted"] = entry.op == "delete"
            if sent is not None:
                values["data"] = sent
        conn.execute(update(record_table).where(where).values(**values))
        return
    _keep_as_issue(conn, entry, result.status.value, result.error, result)


def _keep_as_issue(
    conn: Connection,
    entry: OutboxEntry,
    kind: str,
    error: str | None,
    result: MutationResult | None,
) -> None:
    """Keep the user's latest version of the record as a sync issue, show the server's
    again, and hold back what was queued behind this entry (with their groups)."""
    mine = [e for e in _entries_of(conn, entry.entity, entry.record_id) if e.seq >= entry.seq]
    if not mine or mine[0].seq != entry.seq:
        return  # held back already, through another group
    where = (record_table.c.entity == entry.entity) & (record_table.c.id == entry.record_id)
    local = conn.execute(select(record_table.c.data, record_table.c.deleted).where(where)).first()
    conn.execute(
        insert(issue_table).values(
            kind=kind,
            entity=entry.entity,
            record_id=entry.record_id,
            local_data=None if local is None else local.data,
            op="delete" if local is not None and local.deleted else "upsert",
            server_change=_dumps(result.current.model_dump(mode="json"))
            if result is not None and result.current is not None
            else None,
            error=error,
            created_at=_now(),
        )
    )
    conn.execute(delete(outbox_table).where(outbox_table.c.seq.in_([e.seq for e in mine])))
    _restore_server_state(conn, entry, result)
    for group in dict.fromkeys(e.group_id for e in mine[1:] if e.group_id is not None):
        for row in _group_rows(conn, group):
            _keep_as_issue(
                conn, _entry(row), "rejected", HELD_BACK.format(entity=entry.entity), None
            )


def _restore_server_state(
    conn: Connection, entry: OutboxEntry, result: MutationResult | None
) -> None:
    """Show the server's record again (or, while an earlier change of it is still on its
    way, that change); the user's version waits in the issue."""
    where = (record_table.c.entity == entry.entity) & (record_table.c.id == entry.record_id)
    if result is not None and result.current is not None:
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
    earlier = _entries_of(conn, entry.entity, entry.record_id)
    if earlier:
        last = earlier[-1]
        values: dict[str, Any] = {"deleted": last.op == "delete"}
        if last.data is not None:
            values["data"] = last.data
        conn.execute(update(record_table).where(where).values(**values))
        return
    server = conn.scalar(select(record_table.c.server_data).where(where))
    if server is None:
        conn.execute(delete(record_table).where(where))  # never existed on the server
    else:
        conn.execute(update(record_table).where(where).values(data=server, deleted=False))


def unsent(conn: Connection, mutation_ids: list[str]) -> bool:
    """Whether every one of these entries is still in the outbox and was never tried (so
    the server cannot have any of them)."""
    rows = list(
        conn.execute(
            select(outbox_table.c.attempts).where(outbox_table.c.mutation_id.in_(mutation_ids))
        )
    )
    return (
        bool(mutation_ids) and len(rows) == len(mutation_ids) and not any(r.attempts for r in rows)
    )


def withdraw(conn: Connection, mutation_ids: list[str]) -> bool:
    """Take back an action ("Undo") before the server can have seen it: its entries leave
    the outbox and each record shows again what it showed before (an earlier unsent change
    of it, else the server's copy; a record made by the action goes). All or nothing: when
    any entry was tried or answered, nothing changes and False comes back."""
    if not unsent(conn, mutation_ids):
        return False
    rows = list(
        conn.execute(
            select(outbox_table)
            .where(outbox_table.c.mutation_id.in_(mutation_ids))
            .order_by(outbox_table.c.seq.desc())
        )
    )
    for row in rows:
        conn.execute(delete(outbox_table).where(outbox_table.c.seq == row.seq))
        _restore_server_state(conn, _entry(row), None)
    return True


def requeue(
    conn: Connection, entity: str, record_id: str, op: str, data: Any, base: int | None
) -> str | None:
    """Queue the user's version again on top of the server's ``base`` ("Keep mine")."""
    mutation = queue(conn, entity, record_id, op, data if op == "upsert" else None)
    if mutation is not None and len(_entries_of(conn, entity, record_id)) == 1:
        conn.execute(
            update(outbox_table)
            .where(outbox_table.c.mutation_id == mutation)
            .values(base_version=base)
        )
    return mutation
