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
import os
import threading
import time
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


def default_slots() -> int:
    """About one verification per core (what the CPU can really run at once)."""
    return max(1, os.cpu_count() or 1)


@dataclass
class PasswordCheckPool:
    """A bounded pool of password verifications, shared by the API's and the portal's
    sign-ins of one process. Thread-safe."""

    slots: int = 0  # 0: one a core
    queue: int = 0  # 0: four times the slots
    wait_seconds: float = 5.0

    def __post_init__(self) -> None:
        if self.slots <= 0:
            self.slots = default_slots()
        if self.queue <= 0:
            self.queue = 4 * self.slots
        self._free = threading.Semaphore(self.slots)
        self._lock = threading.Lock()
        self._inside = 0  # running and waiting
        self._seconds_each = 0.2  # a running estimate of one check's time
        self.refused = 0

    @property
    def inside(self) -> int:
        with self._lock:
            return self._inside

    def retry_after(self) -> int:
        """Seconds until the checks in the pool now would all be done (at least 1)."""
        with self._lock:
            return self._retry_after_locked()

    def _retry_after_locked(self) -> int:
        rounds = (self._inside + self.slots) / self.slots
        return max(1, math.ceil(rounds * self._seconds_each))

    def run(self, check: Callable[[], T]) -> T:
        """Run ``check`` in a free slot, waiting in the queue if there is room; raises
        :class:`ServerBusy` when the queue is full or the wait passed ``wait_seconds``."""
        with self._lock:
            if self._inside >= self.slots + self.queue:
                self.refused += 1
                raise ServerBusy(self._retry_after_locked())
            self._inside += 1
        try:
            if not self._free.acquire(timeout=self.wait_seconds):
                with self._lock:
                    self.refused += 1
                    raise ServerBusy(self._retry_after_locked())
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
