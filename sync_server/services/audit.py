"""The append-only audit log, each entry chained to the one before by SHA-256.

Entries are appended under the server's write lock (see :func:`sync_server.db.begin_write`),
so the chain has one order. ``verify_chain`` recomputes every link and names the first
that does not hold, then checks the chain against the signed anchors kept outside the
database (``audit_anchors``), which catch a chain recomputed or cut short together with
its head.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from sync_server.models import AuditEntry, ServerState
from sync_server.models.types import utcnow

if TYPE_CHECKING:
    from sync_server.services.audit_anchors import Anchor

GENESIS = "0" * 64


def entry_hash(
    seq: int,
    at: datetime,
    actor_id: str | None,
    action: str,
    entity: str | None,
    record_id: str | None,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    """The hash of one entry; ``detail`` must be plain JSON (it is stored as JSON)."""
    body = orjson.dumps(
        [seq, at.isoformat(), actor_id, action, entity, record_id, detail, prev_hash],
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(body).hexdigest()


def append(
    session: Session,
    *,
    actor_id: str | None,
    action: str,
    entity: str | None = None,
    record_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. The caller's transaction must hold the write lock.

    Inside :func:`hold_entries` the entry waits in the session, in order, for
    :func:`write_held` (its ``seq`` and hashes are set then)."""
    held = session.info.get(_HELD)
    if held is not None:
        waiting = AuditEntry(
            at=utcnow(),
            actor_id=actor_id,
            action=action,
            entity=entity,
            record_id=record_id,
            detail=detail or {},
        )
        held.append(waiting)
        return waiting
    state = session.execute(
        text("SELECT audit_seq, audit_head FROM server_state WHERE id = 1")
    ).one_or_none()
    assert state is not None, "server_state is missing: run `ecas-server init-db`"
    seq, prev = int(state.audit_seq) + 1, str(state.audit_head)
    at = utcnow()
    payload = detail or {}
    digest = entry_hash(seq, at, actor_id, action, entity, record_id, payload, prev)
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor_id=actor_id,
        action=action,
        entity=entity,
        record_id=record_id,
        detail=payload,
        prev_hash=prev,
        hash=digest,
    )
    session.add(entry)
    session.execute(
        text("UPDATE server_state SET audit_seq = :seq, audit_head = :head WHERE id = 1"),
        {"seq": seq, "head": digest},
    )
    return entry


_HELD = "ecas.audit_held"


def hold_entries(session: Session) -> None:
    """From now on :func:`append` keeps entries in the session instead of writing each
    (a push writes all of its entries with :func:`write_held` in one statement)."""
    session.info.setdefault(_HELD, [])


def held_mark(session: Session) -> int:
    """How many entries are held: a savepoint's start, for :func:`drop_held_since`."""
    return len(session.info.get(_HELD, ()))


def drop_held_since(session: Session, mark: int) -> None:
    """Forget the entries held after ``mark`` (their savepoint was rolled back)."""
    held = session.info.get(_HELD)
    if held is not None:
        del held[mark:]


def write_held(session: Session) -> int:
    """Chain and insert the held entries in order, with one read and one update of the
    head and one multi-row insert, and stop holding. The caller must hold the write lock."""
    held: list[AuditEntry] = session.info.pop(_HELD, [])
    if not held:
        return 0
    state = session.execute(
        text("SELECT audit_seq, audit_head FROM server_state WHERE id = 1")
    ).one_or_none()
    assert state is not None, "server_state is missing: run `ecas-server init-db`"
    seq, prev = int(state.audit_seq), str(state.audit_head)
    rows: list[dict[str, Any]] = []
    for e in held:
        seq += 1
        e.seq, e.prev_hash = seq, prev
        e.hash = entry_hash(seq, e.at, e.actor_id, e.action, e.entity, e.record_id, e.detail, prev)
        rows.append(
            {
                "seq": seq,
                "at": e.at,
                "actor_id": e.actor_id,
                "action": e.action,
                "entity": e.entity,
                "record_id": e.record_id,
                "detail": e.detail,
                "prev_hash": prev,
                "hash": e.hash,
            }
        )
        prev = e.hash
    session.execute(insert(AuditEntry), rows)
    session.execute(
        text("UPDATE server_state SET audit_seq = :seq, audit_head = :head WHERE id = 1"),
        {"seq": seq, "head": prev},
    )
    return len(rows)


@dataclass(frozen=True)
class NewEntry:
    actor_id: str | None
    action: str
    entity: str | None = None
    record_id: str | None = None
    detail: dict[str, Any] | None = None


def append_many(session: Session, entries: Sequence[NewEntry]) -> int:
    """Append ``entries`` in order with one read and one update of the head and one
    multi-row insert (a batch of refusals holds the write lock for milliseconds, not a
    round trip per entry). The caller's transaction must hold the write lock."""
    if not entries:
        return 0
    if _HELD in session.info:  # entries held by a push keep their order with these
        for e in entries:
            append(
                session,
                actor_id=e.actor_id,
                action=e.action,
                entity=e.entity,
                record_id=e.record_id,
                detail=e.detail,
            )
        return len(entries)
    state = session.execute(
        text("SELECT audit_seq, audit_head FROM server_state WHERE id = 1")
    ).one_or_none()
    assert state is not None, "server_state is missing: run `ecas-server init-db`"
    seq, prev = int(state.audit_seq), str(state.audit_head)
    at = utcnow()
    rows: list[dict[str, Any]] = []
    for e in entries:
        seq += 1
        payload = e.detail or {}
        digest = entry_hash(seq, at, e.actor_id, e.action, e.entity, e.record_id, payload, prev)
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor_id": e.actor_id,
                "action": e.action,
                "entity": e.entity,
                "record_id": e.record_id,
                "detail": payload,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    session.execute(insert(AuditEntry), rows)
    session.execute(
        text("UPDATE server_state SET audit_seq = :seq, audit_head = :head WHERE id = 1"),
        {"seq": seq, "head": prev},
    )
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_seq: int | None
    reason: str | None
    anchors: int = 0  # anchors checked
    newest_anchor_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def _check(
    entries: Iterable[AuditEntry], anchored: set[int], seen: dict[int, str]
) -> tuple[int, int | None, str | None]:
    prev, expected_seq, count = GENESIS, 1, 0
    for e in entries:
        count += 1
        if e.seq != expected_seq:
            return count, expected_seq, f"entry {expected_seq} is missing"
        if e.prev_hash != prev:
            return count, e.seq, "its link to the previous entry does not match"
        digest = entry_hash(
            e.seq, e.at, e.actor_id, e.action, e.entity, e.record_id, e.detail, e.prev_hash
        )
        if digest != e.hash:
            return count, e.seq, "its content does not match its hash (altered)"
        if e.seq in anchored:
            seen[e.seq] = e.hash
        prev, expected_seq = e.hash, expected_seq + 1
    return count, None, prev


def verify_chain(session: Session, anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Recompute the whole chain, oldest first, streaming in batches, then hold it against
    every anchor (signed checkpoints kept outside the database, already checked by
    :func:`sync_server.services.audit_anchors.read_anchors`)."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        # The entries and the head from one snapshot: a batch committed between the two
        # reads (a live server's refusals, a push) would otherwise look like removed entries.
        # (SQLite's read transaction is one snapshot already.)
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    anchored = {a.seq for a in anchors}
    newest = max(anchored) if anchored else None
    seen: dict[int, str] = {}
    rows = session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    )
    count, broken, info = _check(rows, anchored, seen)
    if broken is not None:
        return ChainReport(count, broken, info, len(anchors), newest)
    state = session.get(ServerState, 1)
    if state is not None and (state.audit_seq != count or state.audit_head != info):
        return ChainReport(
            count,
            count + 1 if state.audit_seq > count else state.audit_seq,
            "the newest entries were removed (the head no longer matches)",
            len(anchors),
            newest,
        )
    for anchor in sorted(anchors, key=lambda a: (a.seq, a.at)):
        when = anchor.at.isoformat(timespec="seconds")
        if anchor.seq > count:
            reason = (
                f"the chain ends at entry {count}, but the anchor of {when} UTC records entry "
                f"{anchor.seq}: the newest entries were removed (truncated)"
            )
            return ChainReport(count, count + 1, reason, len(anchors), newest)
        if seen.get(anchor.seq) != anchor.hash:
            reason = (
                f"it differs from the anchor of {when} UTC: the history up to it was "
                "rewritten (entries changed, removed or recomputed)"
            )
            return ChainReport(count, anchor.seq, reason, len(anchors), newest)
    return ChainReport(count, None, None, len(anchors), newest)
