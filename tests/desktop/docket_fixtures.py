"""The docket as the keyboard tests open it: a signed-in user's docket view, shown, active
and loaded; and the modifier keys they press."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.context import DesktopContext
from desktop.ui.docket_view import DocketView

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def open_docket(qtbot: QtBot, ctx: DesktopContext) -> DocketView:
    """``ctx``'s docket in a window of its own, active, once its first rows are loaded."""
    view = DocketView(ctx)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    view.activateWindow()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: len(view.data.rows) > 0, timeout=5000)
    return view
