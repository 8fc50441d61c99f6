"""The Qt binding itself: a guard against a PySide6 release that corrupts Python.

PySide6 6.12.0 drops a reference to ``True`` and ``None`` on every signal emit; on Python
3.11 the interpreter aborts ("bool_dealloc") after a few hundred emits. The project pins
PySide6 below 6.12 for that reason; this test fails on any release with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    number = Signal(int)
    progress = Signal(str, int, int)


def test_emitting_signals_keeps_pythons_reference_counts(qapp: object) -> None:
    emitter = _Emitter()
    seen: list[int] = []
    emitter.number.connect(seen.append)
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for value in range(200):  # well under the ~570 that would abort 3.11 on a bad release
        emitter.number.emit(value)
        emitter.progress.emit("pull", value, 200)
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert len(seen) == 200
    assert all(abs(a - b) < 50 for a, b in zip(after, before, strict=True)), (before, after)
