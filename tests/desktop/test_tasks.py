"""desktop.tasks.run_task: the answer comes back on the GUI thread, to a parent that is still
there; a task whose parent widget was deleted meanwhile calls neither callback."""

from __future__ import annotations

import threading
from typing import Any

import shiboken6
from PySide6.QtCore import QThread, QThreadPool
from PySide6.QtWidgets import QLabel, QWidget

from desktop.tasks import run_task


def _gated(gate: threading.Event, value: Any) -> Any:
    def op() -> Any:
        assert gate.wait(10), "the test never opened the gate"
        if isinstance(value, Exception):
            raise value
        return value

    return op


def test_the_answer_reaches_a_live_parent_on_the_gui_thread(qtbot: Any) -> None:
    widget = QLabel()
    qtbot.addWidget(widget)
    gate = threading.Event()
    seen: list[tuple[str, bool]] = []

    def done(text: str) -> None:
        seen.append((text, QThread.currentThread() is widget.thread()))
        widget.setText(text)

    run_task(_gated(gate, "loaded"), done, parent=widget)
    gate.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [("loaded", True)]
    assert widget.text() == "loaded"


def test_a_deleted_parent_gets_no_answer_not_even_through_a_lambda(qtbot: Any) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)  # the tasks answer in the order they were started
    widget = QWidget()
    label = QLabel(widget)  # what a callback would touch: it dies with the widget
    gate = threading.Event()
    calls: list[str] = []

    run_task(
        _gated(gate, "loaded"),
        lambda text: (calls.append("done"), label.setText(text)),
        lambda err: calls.append("error"),
        pool=pool,
        parent=widget,
    )
    run_task(
        _gated(gate, ValueError("store unreadable")),
        lambda _: calls.append("done"),
        lambda err: (calls.append("error"), label.setText(str(err))),
        pool=pool,
        parent=widget,
    )
    shiboken6.delete(widget)  # the view closed while its data was loading
    assert not shiboken6.isValid(label)

    # A third task without a parent, answered after the two: once it has answered, the two
    # answers before it have been delivered (or dropped) too.
    after: list[str] = []
    run_task(_gated(gate, "last"), after.append, pool=pool)
    gate.set()
    qtbot.waitUntil(lambda: after == ["last"], timeout=5000)
    pool.waitForDone(5000)
    qtbot.wait(50)
    assert calls == []


def test_without_a_parent_an_error_with_no_handler_is_raised_on_the_gui_thread(
    qtbot: Any,
) -> None:
    gate = threading.Event()
    with qtbot.captureExceptions() as exceptions:
        run_task(_gated(gate, RuntimeError("disk full")), lambda _: None)
        gate.set()
        qtbot.waitUntil(lambda: bool(exceptions), timeout=5000)
    caught = [exc for _, exc, _ in exceptions]
    assert [str(exc) for exc in caught] == ["disk full"]
