"""Run work off the GUI thread and get the answer back on it.

``run_task(op, on_done, on_error)`` runs ``op()`` on a pool thread; ``on_done(result)`` or
``on_error(exception)`` is then called on the GUI thread. Contract: **never touch widgets
in ``op``** — only in the callbacks. Keep a reference to nothing: the pool owns the task.
A callback that is a method of a widget closed meanwhile is not called (the answer is
simply dropped), so views may close while their data loads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

T = TypeVar("T")

_live: set[_Relay] = set()  # relays waiting for their answer (keeps them alive)


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable, Generic[T]):
    def __init__(self, op: Callable[[], T], relay: _Relay) -> None:
        super().__init__()
        self._op = op
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._op()
        except Exception as err:
            self._relay.failed.emit(err)
        else:
            self._relay.finished.emit(result)


def _alive(callback: Callable[..., Any]) -> bool:
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def run_task(
    op: Callable[[], T],
    on_done: Callable[[T], Any],
    on_error: Callable[[Exception], Any] | None = None,
    pool: QThreadPool | None = None,
) -> None:
    relay = _Relay()  # lives on the GUI thread, so its signals arrive there
    _live.add(relay)

    def done(result: Any) -> None:
        _live.discard(relay)
        if _alive(on_done):
            on_done(result)

    def failed(err: Any) -> None:
        _live.discard(relay)
        if on_error is None:
            raise err
        if _alive(on_error):
            on_error(err)

    relay.finished.connect(done)
    relay.failed.connect(failed)
    (pool or QThreadPool.globalInstance()).start(_Task(op, relay))
