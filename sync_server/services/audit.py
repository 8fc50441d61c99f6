"""The append-only audit log, each entry chained to the one before by SHA-256.

Entries are appended under the server's write lock (see :func:`sync_server.db.begin_write`),
so the chain has one order. ``verify_chain`` recomputes every link and names the first
that does not hold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sync_server.models import AuditEntry, ServerState
from sync_server.models.types import utcnow

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
    """Append one entry. The caller's transaction must hold the write lock."""
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


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_seq: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def _check(entries: Iterable[AuditEntry]) -> tuple[int, int | None, str | None]:
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
        prev, expected_seq = e.hash, expected_seq + 1
    return count, None, prev


def verify_chain(session: Session) -> ChainReport:
    """Recompute the whole chain, oldest first, streaming in batches."""
    rows = session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    )
    count, broken, info = _check(rows)
    if broken is not None:
        return ChainReport(count, broken, info)
    state = session.get(ServerState, 1)
    if state is not None and (state.audit_seq != count or state.audit_head != info):
        return ChainReport(
            count,
            count + 1 if state.audit_seq > count else state.audit_seq,
            "the newest entries were removed (the head no longer matches)",
        )
    return ChainReport(count, None, None)
