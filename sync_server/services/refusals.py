"""Refused requests into the audit chain, without letting a flood of them serialise the
server or fill the table.

A refusal is queued in memory (no database work in the request) and written in batches:
one audit-only write transaction (sharing the write lock, locking the chain's head; see
``db.audit_transaction``) per batch, by a background thread of the process every
``flush_seconds`` or as soon as ``BATCH`` are waiting, and at exit.

Who did it decides how it is kept:

- a signed-in user's refusal is written in full, each one (user, client address, action,
  target, reason);
- an anonymous refusal is written in full for the first refusal of a client address in a
  minute; further ones from that address in the same minute are counted and written as one
  ``access.refused_coalesced`` entry when the minute ends (with the count and the reasons);
  at most ``anonymous_addresses`` addresses a minute get entries of their own, refusals from
  any others in that minute share one counted entry. So unauthenticated garbage costs the
  table at most about ``2 * anonymous_addresses + 1`` rows a minute per process, whatever
  its rate;
- past ``max_queued`` waiting entries (the database is down, say), further ones are counted
  and the count is written as ``audit.refusals_dropped``.

A batch that can't be written goes back to the queue (within ``max_queued``) for the next
try; after ``MAX_FAILURES`` in a row the thread rests until the next refusal. What is
still queued when the process is killed (not stopped) is lost: at most ``flush_seconds`` of
refusals, and the current minute's anonymous counts.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from sync_server.db import audit_transaction
from sync_server.models.types import utcnow
from sync_server.services import audit

log = logging.getLogger(__name__)

BATCH = 200
IDLE_ROUNDS = 120  # the thread ends after this many empty rounds; the next refusal restarts it
MAX_FAILURES = 10  # failed writes in a row before the thread rests (about 4 minutes)
OVERFLOW = "*"  # the shared tally of addresses beyond the per-minute limit


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(text: str, limit: int) -> str:
    return _CONTROL.sub("?", text[:limit])


def _first_line(err: BaseException) -> str:
    """An error's message on one line (a driver's error carries the SQL and a link)."""
    lines = str(err).strip().splitlines()
    return lines[0][:300] if lines else ""


@dataclass
class _Tally:
    more: int = 0
    reasons: Counter[str] = field(default_factory=Counter)


class RefusalLog:
    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        anonymous_addresses: int = 100,
        max_queued: int = 10_000,
        flush_seconds: float = 0.5,
    ) -> None:
        self.factory = factory
        self.anonymous_addresses = anonymous_addresses
        self.max_queued = max_queued
        self.flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: list[audit.NewEntry] = []
        self._dropped = 0
        self._minute: datetime | None = None
        self._tallies: dict[str, _Tally] = {}
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._failures = 0
        self.clock: Callable[[], datetime] = utcnow  # decides the minute a refusal counts in

    # -- recording (cheap: memory only) -------------------------------------------------------

    def record(
        self,
        *,
        actor_id: str | None,
        client: str,
        action: str,
        target: str | None,
        reason: str,
        audit_action: str = "access.refused",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Queue one refusal: ``action`` is what was attempted, ``target`` the id it named,
        ``reason`` a short code saying why it was refused."""
        now = self.clock()
        # What a request named is the sender's text: control characters (a NUL, which
        # PostgreSQL can't store, would fail the whole batch) become "?".
        client, action, reason = _clean(client, 60), _clean(action, 40), _clean(reason, 80)
        body = {
            "client": client,
            "reason": reason,
            "refused_at": now.isoformat(),
            **{k: _clean(v, 200) if isinstance(v, str) else v for k, v in (detail or {}).items()},
        }
        entry = audit.NewEntry(
            actor_id, audit_action, action, _clean(target, 64) if target else None, body
        )
        with self._lock:
            self._roll_minute(now)
            if actor_id is None and not self._first_this_minute(client, action, reason):
                return
            self._enqueue(entry)
            if len(self._queue) >= BATCH:
                self._wake.notify()
        self._ensure_thread()

    def _first_this_minute(self, client: str, action: str, reason: str) -> bool:
        """Count an anonymous refusal; True when it gets an entry of its own."""
        tally = self._tallies.get(client)
        if tally is None and len(self._tallies) < self.anonymous_addresses:
            self._tallies[client] = _Tally()
            return True
        tally = tally or self._tallies.setdefault(OVERFLOW, _Tally())
        tally.more += 1
        if len(tally.reasons) < 20 or f"{action}:{reason}" in tally.reasons:
            tally.reasons[f"{action}:{reason}"] += 1
        return False

    def _roll_minute(self, now: datetime, *, final: bool = False) -> None:
        minute = now.replace(second=0, microsecond=0)
        if self._minute == minute and not final:
            return
        if self._minute is not None:
            for client, tally in self._tallies.items():
                if tally.more:
                    self._enqueue(
                        audit.NewEntry(
                            None,
                            "access.refused_coalesced",
                            "anonymous",
                            None,
                            {
                                "client": client,
                                "minute": self._minute.isoformat(),
                                "more_refusals": tally.more,
                                "reasons": dict(tally.reasons),
                            },
                        )
                    )
        self._minute, self._tallies = minute, {}

    def _enqueue(self, entry: audit.NewEntry) -> None:
        if len(self._queue) < self.max_queued:
            self._queue.append(entry)
        else:
            self._dropped += 1

    # -- writing ---------------------------------------------------------------------------------

    def flush(self, *, final: bool = False, at_exit: bool = False) -> int:
        """Write what is queued in one transaction; returns how many entries. ``final``
        also closes the current minute's anonymous tallies (at exit). When this returns,
        every refusal recorded before the call is in the chain (or was put back after a
        database error, which is logged). ``at_exit``: the process is ending, so a batch
        that can't be written is lost, said in one logged line (no traceback: the database
        may simply be gone, a test's dropped, a server's stopped first)."""
        with self._flush_lock:
            with self._lock:
                self._roll_minute(self.clock(), final=final)
                batch, self._queue = self._queue, []
                dropped, self._dropped = self._dropped, 0
            if dropped:
                batch.append(
                    audit.NewEntry(None, "audit.refusals_dropped", None, None, {"count": dropped})
                )
            if not batch:
                return 0
            try:
                with audit_transaction(self.factory) as session:
                    audit.append_many(session, batch)
            except Exception as err:
                if at_exit:
                    log.error(
                        "at exit: %d refusal audit entries could not be written and are lost "
                        "(%s: %s)",
                        len(batch),
                        type(err).__name__,
                        _first_line(err),
                    )
                    return 0
                log.exception("could not write %d refusal audit entries; will retry", len(batch))
                with self._lock:
                    room = max(0, self.max_queued - len(self._queue))
                    self._queue[:0] = batch[:room]
                    self._dropped += len(batch) - room
                    self._failures += 1
                return 0
            with self._lock:
                self._failures = 0
            return len(batch)

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def _ensure_thread(self) -> None:
        pid = os.getpid()
        with self._lock:
            if self._pid == pid and self._thread is not None and self._thread.is_alive():
                return
            first_in_process = self._pid != pid
            self._pid = pid
            self._thread = threading.Thread(target=self._run, name="audit-refusals", daemon=True)
            self._thread.start()
        if first_in_process:
            atexit.register(self.flush, final=True, at_exit=True)

    def _run(self) -> None:
        idle = 0
        while True:
            with self._lock:
                # After failed writes (the database is away) wait longer, up to a minute.
                self._wake.wait(self.flush_seconds * 2 ** min(self._failures, 7))
            idle = 0 if self.flush() else idle + 1
            with self._lock:
                if self._failures >= MAX_FAILURES:
                    # Rest; the queue is kept and the next refusal starts a new thread.
                    log.error("refusal audit entries wait: %d unwritten", len(self._queue))
                    self._thread, self._failures = None, 0
                    return
                if idle < IDLE_ROUNDS:
                    continue
                # End only with nothing owed; record() then starts a new one.
                if not self._queue and not any(t.more for t in self._tallies.values()):
                    self._thread = None
                    return
            idle = 0
