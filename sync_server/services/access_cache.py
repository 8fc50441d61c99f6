"""Access tokens checked without a database round trip, for a bounded time.

An access token's signature and age are checked on every request (an HMAC, no database).
What the database adds -- the account still active, its session (refresh-token family) not
revoked, the principal's role and courts -- is kept here per token for at most
``recheck_seconds`` (``ECAS_AUTH_RECHECK_SECONDS``, default 5 s), then read again.

The bound, stated: a session ended or an account disabled on one server node stops that
token working on the same node at once, and on every other node within ``recheck_seconds``.
"At once" holds because every change this process makes to an account or a refresh token
(an ORM flush touching ``UserRow``/``RefreshToken``, or a bulk UPDATE/DELETE of either)
clears the whole cache when it is flushed and again when it commits, and an answer read
from the database is only kept if no such change happened while it was being read (a
generation counter). Changes made by another process are only seen at the next recheck.
``recheck_seconds = 0`` turns the cache off (every request reads the database, as before).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from sync_server.models import RefreshToken, UserRow
from sync_server.policy import Principal

_AUTH_TABLES = (UserRow, RefreshToken)
_DIRTY = "ecas_auth_tables_changed"

_lock = threading.Lock()
_generation = 0


def generation() -> int:
    return _generation


def _bump() -> None:
    global _generation
    with _lock:
        _generation += 1


@dataclass(frozen=True)
class _Entry:
    principal: Principal
    checked_at: float  # time.monotonic()
    generation: int


class AccessCache:
    """Token -> the principal its database check found, kept ``recheck_seconds`` at most
    and ``capacity`` tokens at most (the least recently checked go first)."""

    def __init__(self, recheck_seconds: float, capacity: int = 20_000) -> None:
        self.recheck_seconds = recheck_seconds
        self.capacity = capacity
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Principal | None:
        if self.recheck_seconds <= 0:
            return None
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                return None
            if entry.generation != _generation or (
                time.monotonic() - entry.checked_at >= self.recheck_seconds
            ):
                del self._entries[token]
                return None
            return entry.principal

    def put(self, token: str, principal: Principal, read_in_generation: int) -> None:
        """Keep what a database check read, unless an account or session changed in this
        process since the check began (``read_in_generation``)."""
        if self.recheck_seconds <= 0:
            return
        with self._lock:
            if read_in_generation != _generation:
                return
            self._entries[token] = _Entry(principal, time.monotonic(), read_in_generation)
            self._entries.move_to_end(token)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


# -- every change to an account or a refresh token in this process invalidates -------------


def _touches_auth(objects: Any) -> bool:
    return any(isinstance(obj, _AUTH_TABLES) for obj in objects)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    if _touches_auth(session.new) or _touches_auth(session.dirty) or _touches_auth(session.deleted):
        session.info[_DIRTY] = True
        _bump()


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, _AUTH_TABLES):
        state.session.info[_DIRTY] = True
        _bump()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_DIRTY, False):
        _bump()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_DIRTY, None)
