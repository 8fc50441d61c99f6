"""Locks the window after a spell without keyboard or mouse input; the password unlocks.

The password is checked against this computer's verifier (``desktop.offline_auth``), so
unlocking works offline too. While locked, the window's content is hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Emits ``idle`` when no input reached the application for ``minutes``."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(minutes * 60_000)
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # restart the countdown
        return False


class LockDialog(QDialog):
    """Asks for the password until it is right; Sign out leaves instead."""

    def __init__(
        self, username: str, check: Callable[[str], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("ECAS is locked")
        self._check = check
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"Password for {username}")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828")
        buttons = QDialogButtonBox()
        buttons.addButton("Unlock", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Sign out", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Locked after a period without use. Enter your password "
                "to continue; your work is safe."
            )
        )
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        if self._check(self.password.text()):
            self.password.clear()
            self.accept()
            return
        self.error.setText("That is not the password. Try again.")
        self.password.selectAll()
