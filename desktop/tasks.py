"""Run work off the GUI thread and get the answer back on it.

``run_task(op, on_done, on_error, parent=widget)`` runs ``op()`` on a pool thread;
``on_done(result)`` or ``on_error(exception)`` is then called on the GUI thread. Contract:
**never touch widgets in ``op``** — only in the callbacks. Keep a reference to nothing: the
pool owns the task.

A task belongs to its ``parent``: once that widget is gone (closed and deleted), the answer is
dropped and neither callback runs, whatever the callbacks are (lambdas and closures included),
so a view needs no ``shiboken6.isValid`` guard of its own. Without a parent, a callback that is
a bound method of a deleted QObject is still skipped.

This module lives outside ``desktop/ui`` because services and the viewer use it too; it holds
no widget and no store.
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


def _alive(callback: Callable[..., Any], parent: QObject | None) -> bool:
    if parent is not None and not shiboken6.isValid(parent):
        return False
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def run_task(
    op: Callable[[], T],
    on_done: Callable[[T], Any],
    on_error: Callable[[Exception], Any] | None = None,
    pool: QThreadPool | None = None,
    *,
    parent: QObject | None = None,
) -> None:
    """Run ``op`` on ``pool`` (the global pool by default); answer on the GUI thread unless
    ``parent`` has been deleted by then."""
    relay = _Relay()  # lives on the GUI thread, so its signals arrive there
    _live.add(relay)

    def done(result: Any) -> None:
        _live.discard(relay)
        if _alive(on_done, parent):
            on_done(result)

    def failed(err: Any) -> None:
        _live.discard(relay)
        if parent is not None and not shiboken6.isValid(parent):
            return  # the widget that asked is gone: nobody to tell
        if on_error is None:
            raise err
        if _alive(on_error, parent):
            on_error(err)

    relay.finished.connect(done)
    relay.failed.connect(failed)
    (pool or QThreadPool.globalInstance()).start(_Task(op, relay))
