"""Access tokens checked without a database round trip, for a bounded time.

An access token's signature and age are checked on every request (an HMAC, no database).
What the database adds -- the account still active, its session (refresh-token family) not
revoked, the principal's role and courts -- is kept here per token and read again after a
bound.

The bound, stated:

- On the node that makes the change, at once: every change this process makes to an
  account or a refresh token (an ORM flush touching ``UserRow``/``RefreshToken``, or a bulk
  UPDATE/DELETE of either) drops the checks of those accounts and sessions (a bulk
  statement: all of them) when it is flushed and again when it commits.
- On PostgreSQL, on every node, within the time PostgreSQL takes to deliver a notification
  (milliseconds): a trigger (migration 0036) notifies the channel ``ecas_auth`` of every
  update or delete of those rows, by anyone, naming the accounts and sessions; each process
  listens on its own connection (:class:`ChangeListener`) and drops their checks. While the
  listener is connected and answered its last heartbeat, a check is kept for
  ``notified_seconds`` (``ECAS_AUTH_NOTIFIED_RECHECK_SECONDS``, default 300 s), a backstop
  for changes no trigger sees (a TRUNCATE, triggers switched off). While it is not (not yet
  connected, the connection lost, a heartbeat late), a check is kept ``recheck_seconds``
  (``ECAS_AUTH_RECHECK_SECONDS``, default 5 s) as before, and every check is dropped when it
  connects again (a notification may have been missed).
- SQLite (one process): within ``recheck_seconds`` for a change made outside this process.

An answer read from the database is only kept if no change was heard while it was being
read (a generation counter). ``recheck_seconds = 0`` turns the cache off (every request
reads the database).
"""

from __future__ import annotations

import logging
import math
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from sync_server.models import RefreshToken, UserRow
from sync_server.policy import Principal

_AUTH_TABLES = (UserRow, RefreshToken)
_DIRTY = "ecas_auth_tables_changed"
CHANNEL = "ecas_auth"
EVERYTHING = "*"

log = logging.getLogger(__name__)

_lock = threading.Lock()
_generation = 0
_caches: weakref.WeakSet[AccessCache] = weakref.WeakSet()


def generation() -> int:
    return _generation


def forget(keys: Iterable[str]) -> None:
    """Drop the checks of the accounts (``u:<id>``) and sessions (``f:<family>``) named, or
    of everything (``*``), in every cache of this process."""
    global _generation
    wanted = frozenset(keys)
    with _lock:
        _generation += 1
        caches = list(_caches)
    for cache in caches:
        cache.drop(wanted)


@dataclass(frozen=True)
class _Entry:
    principal: Principal
    family: str
    checked_at: float  # time.monotonic()
    expires_at: float  # time.time(): when the token itself expires


class AccessCache:
    """Token -> the principal its database check found, kept ``recheck_seconds`` at most
    (``notified_seconds`` while ``listener`` hears every change) and ``capacity`` tokens at
    most (the least recently checked go first)."""

    def __init__(
        self,
        recheck_seconds: float,
        capacity: int = 20_000,
        *,
        notified_seconds: float = 0.0,
        listener: ChangeListener | None = None,
    ) -> None:
        self.recheck_seconds = recheck_seconds
        self.notified_seconds = max(notified_seconds, recheck_seconds)
        self.capacity = capacity
        self.listener = listener
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        with _lock:
            _caches.add(self)

    def bound(self) -> float:
        """How long a check is kept now."""
        if self.listener is not None and self.listener.live():
            return self.notified_seconds
        return self.recheck_seconds

    def get(self, token: str) -> Principal | None:
        if self.recheck_seconds <= 0:
            return None
        bound = self.bound()
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                return None
            if time.monotonic() - entry.checked_at >= bound or time.time() > entry.expires_at:
                del self._entries[token]
                return None
            return entry.principal

    def put(
        self,
        token: str,
        principal: Principal,
        family: str,
        read_in_generation: int,
        expires_at: float = math.inf,
    ) -> None:
        """Keep what a database check read, unless an account or session change was heard
        in this process since the check began (``read_in_generation``), until the token
        itself expires (``expires_at``, ``time.time()``) at the latest."""
        if self.recheck_seconds <= 0:
            return
        with self._lock:
            if read_in_generation != _generation:
                return
            self._entries[token] = _Entry(principal, family, time.monotonic(), expires_at)
            self._entries.move_to_end(token)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def drop(self, keys: frozenset[str]) -> None:
        with self._lock:
            if EVERYTHING in keys:
                self._entries.clear()
                return
            stale = [
                token
                for token, entry in self._entries.items()
                if f"u:{entry.principal.id}" in keys or f"f:{entry.family}" in keys
            ]
            for token in stale:
                del self._entries[token]

    def __len__(self) -> int:
        return len(self._entries)


class ChangeListener:
    """A thread listening on ``ecas_auth`` on a connection of its own (PostgreSQL), passing
    what each notification names to :func:`forget`. ``connect`` makes a new psycopg
    connection. Live while connected and its last heartbeat (every ``heartbeat`` seconds,
    a ``SELECT 1``) answered within twice that."""

    def __init__(self, connect: Callable[[], Any], heartbeat: float = 5.0) -> None:
        self._connect = connect
        self.heartbeat = heartbeat
        self._answered_at: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def live(self) -> bool:
        answered = self._answered_at
        return answered is not None and time.monotonic() - answered < 2 * self.heartbeat

    def start(self) -> None:
        """Start listening (once; a process forked after this starts its own)."""
        if self._stop.is_set() or (self._thread is not None and self._thread.is_alive()):
            return
        with self._start_lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self._run, name="ecas-auth-listener", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        pause = 1.0
        while not self._stop.is_set():
            heard_at = time.monotonic()
            try:
                self._listen()
            except Exception:  # lost: checks fall back to the short bound meanwhile
                if not self._stop.is_set():
                    log.warning("auth change listener: connection lost; retrying", exc_info=True)
            self._answered_at = None
            # Retry at once after a long connection, then back off up to a minute.
            pause = 1.0 if time.monotonic() - heard_at > 60 else min(pause * 2, 60.0)
            self._stop.wait(pause)

    def _listen(self) -> None:
        conn = self._connect()
        try:
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANNEL}")
            # Changes made before LISTEN were not heard: forget every check kept so far,
            # and (the generation moves) any being read now.
            forget({EVERYTHING})
            self._answered_at = time.monotonic()
            while not self._stop.is_set():
                for note in conn.notifies(timeout=self.heartbeat):
                    forget(note.payload.split())
                conn.execute("SELECT 1")
                self._answered_at = time.monotonic()
        finally:
            self._answered_at = None
            conn.close()


# -- every change to an account or a refresh token in this process ------------------------


def _keys_of(objects: Any) -> set[str]:
    keys = set()
    for obj in objects:
        if isinstance(obj, UserRow):
            keys.add(f"u:{obj.id}")
        elif isinstance(obj, RefreshToken):
            keys.add(f"f:{obj.family_id}")
    return keys


def _changed(session: Session, keys: set[str]) -> None:
    session.info.setdefault(_DIRTY, set()).update(keys)
    forget(keys)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    keys = _keys_of(session.new) | _keys_of(session.dirty) | _keys_of(session.deleted)
    if keys:
        _changed(session, keys)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, _AUTH_TABLES):
        _changed(state.session, {EVERYTHING})  # which rows: not known before it runs


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    keys = session.info.pop(_DIRTY, None)
    if keys:
        forget(keys)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_DIRTY, None)
