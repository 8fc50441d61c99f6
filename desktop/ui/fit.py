"""Dialogs that fit their words: grow a window when a message appears, and size a line
edit to show the whole of its text.

A word-wrapped label needs a height for the window's width, and a window already shown does
not recompute it by itself: the label is cut, or the fields above it are squeezed. So after a
message changes, :func:`grow_to_fit` asks the layout what it needs at the current width and
grows the window (never shrinks it: a person may have made it bigger).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLayout, QLineEdit, QStyle, QStyleOptionFrame, QWidget


def grow_to_fit(window: QWidget) -> None:
    """Grow ``window`` so every widget of its layout gets at least its size hint's height
    (word-wrapped labels: their height for the window's width)."""
    layout = window.layout()
    if layout is None:
        return
    layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    layout.invalidate()
    layout.activate()
    width = max(window.width(), layout.totalMinimumSize().width())
    needed = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    if needed > window.height() or width > window.width():
        window.resize(width, max(needed, window.height()))


def fit_whole_text(edit: QLineEdit, *, share_of_screen: float = 0.8) -> None:
    """Make ``edit`` at least wide enough to show its whole text (a long server address is
    not cut off), up to ``share_of_screen`` of the screen's width; kept as the text
    changes."""

    def fit() -> None:
        metrics = edit.fontMetrics()
        margins = edit.textMargins()
        text_width = metrics.horizontalAdvance(edit.text()) + margins.left() + margins.right()
        option = QStyleOptionFrame()
        edit.initStyleOption(option)
        # The frame and the inner margins the style adds around the text, plus the cursor.
        size = edit.style().sizeFromContents(
            QStyle.ContentsType.CT_LineEdit,
            option,
            QSize(text_width + 2 * metrics.horizontalAdvance(" "), metrics.height()),
            edit,
        )
        screen = edit.screen() or QGuiApplication.primaryScreen()
        limit = int(screen.availableGeometry().width() * share_of_screen) if screen else 1600
        edit.setMinimumWidth(min(max(size.width(), edit.minimumSizeHint().width()), limit))
        window = edit.window()
        if window.isVisible():
            grow_to_fit(window)

    edit.textChanged.connect(fit)
    fit()
