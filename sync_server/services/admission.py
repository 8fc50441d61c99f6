"""Admission control for password checks: at most a few argon2 verifications at once.

One argon2 verification costs about 200 ms of CPU. When hundreds of people sign in at the
same moment (a morning rush after a restart) every request would otherwise start its own
verification, all of them share the cores, and each one takes seconds: clients time out and
try again, which makes it worse. Here a process runs at most ``slots`` verifications at
once and lets ``queue`` more wait their turn for up to ``wait_seconds``; anyone beyond that
is answered at once with :class:`ServerBusy` (HTTP 503 with ``Retry-After``), which the
desktop client honours. Clients that hold a refresh token resume without a password and
never come here.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

BUSY = (
    "The server is busy signing other people in. Nothing is wrong with your details: "
    "try again in {seconds} s."
)


class ServerBusy(Exception):
    """Too many password checks are running or waiting; ``retry_after`` in seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(BUSY.format(seconds=retry_after))
        self.retry_after = retry_after


# How long a refused sign-in counts as someone who will come back (see retry_after).
RECENT_SECONDS = 10.0


@dataclass
class PasswordCheckPool:
    """A bounded pool of password verifications, shared by the API's and the portal's
    sign-ins of one process. Thread-safe."""

    # One check at a time per process: gunicorn runs 2 x cores + 1 processes, so a machine
    # runs about two checks a core at once, and a process's other threads stay free to
    # answer syncs (and to refuse sign-ins quickly) instead of all hashing.
    slots: int = 1
    queue: int = 1
    wait_seconds: float = 2.0

    def __post_init__(self) -> None:
        self.slots = max(1, self.slots)
        self.queue = max(0, self.queue)
        self._free = threading.Semaphore(self.slots)
        self._lock = threading.Lock()
        self._inside = 0  # running and waiting
        self._seconds_each = 0.2  # a running estimate of one check's time
        self._refusals: deque[float] = deque()  # when recent sign-ins were refused
        self.refused = 0

    @property
    def inside(self) -> int:
        with self._lock:
            return self._inside

    def retry_after(self) -> int:
        """Seconds until the checks in the pool now, and those of the people refused in the
        last ``RECENT_SECONDS`` (who will come back), would all be done: 1 to 30. Spread
        out further by the clients' own jitter."""
        with self._lock:
            return self._retry_after_locked()

    def _retry_after_locked(self) -> int:
        now = time.monotonic()
        while self._refusals and self._refusals[0] < now - RECENT_SECONDS:
            self._refusals.popleft()
        waiting = self._inside + len(self._refusals) + 1
        return min(30, max(1, math.ceil(waiting * self._seconds_each / self.slots)))

    def _refuse_locked(self) -> ServerBusy:
        self.refused += 1
        busy = ServerBusy(self._retry_after_locked())
        self._refusals.append(time.monotonic())
        return busy

    def run(self, check: Callable[[], T]) -> T:
        """Run ``check`` in a free slot, waiting in the queue if there is room; raises
        :class:`ServerBusy` when the queue is full or the wait passed ``wait_seconds``."""
        with self._lock:
            if self._inside >= self.slots + self.queue:
                raise self._refuse_locked()
            self._inside += 1
        try:
            if not self._free.acquire(timeout=self.wait_seconds):
                with self._lock:
                    raise self._refuse_locked()
            try:
                started = time.monotonic()
                result = check()
                took = time.monotonic() - started
                with self._lock:
                    self._seconds_each = 0.8 * self._seconds_each + 0.2 * took
                return result
            finally:
                self._free.release()
        finally:
            with self._lock:
                self._inside -= 1
