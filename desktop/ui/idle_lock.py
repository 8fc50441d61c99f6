"""Locks the window after a spell without keyboard or mouse input; the password unlocks.

The password is checked against this computer's verifier (``desktop.offline_auth``), so
unlocking works offline too. While locked, the window's content is hidden. The check is an
argon2 hash (about a quarter of a second): it runs on a pool thread through
:func:`desktop.tasks.run_task` while the dialog says "Checking…", so the window keeps painting.
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.tasks import run_task

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


# Why the window is locked, said first in the lock dialog: the idle timer's reason only when
# the idle timer locked it.
LOCKED_IDLE = "Locked after a period without use."
LOCKED_BY_YOU = "You locked ECAS."


class LockDialog(QDialog):
    """Asks for the password until it is right; Sign out leaves instead. ``reason`` says
    why the window is locked (:data:`LOCKED_IDLE` or :data:`LOCKED_BY_YOU`)."""

    def __init__(
        self,
        username: str,
        check: Callable[[str], bool],
        parent: QWidget | None = None,
        reason: str = LOCKED_BY_YOU,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("ECAS is locked")
        self._check = check
        self.checking = False
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"Password for {username}")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828")
        buttons = QDialogButtonBox()
        self.unlock_button: QPushButton = buttons.addButton(
            "Unlock", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_out_button: QPushButton = buttons.addButton(
            "Sign out", QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.reason = QLabel(f"{reason} Enter your password to continue; your work is safe.")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        """Check the password off the GUI thread; Unlock (and Enter) wait meanwhile."""
        if self.checking:
            return
        self.checking = True
        self.unlock_button.setEnabled(False)
        self.password.setEnabled(False)
        self.error.setStyleSheet("")
        self.error.setText("Checking…")
        check, password = self._check, self.password.text()
        run_task(lambda: check(password), self._checked, self._check_failed, parent=self)

    def _checked(self, right: bool) -> None:
        self._done_checking()
        if right:
            self.password.clear()
            self.accept()
            return
        self._say("That is not the password. Try again.")

    def _check_failed(self, err: Exception) -> None:
        self._done_checking()
        self._say(f"The password could not be checked: {err}")

    def _done_checking(self) -> None:
        self.checking = False
        self.unlock_button.setEnabled(True)
        self.password.setEnabled(True)
        self.password.setFocus()

    def _say(self, text: str) -> None:
        self.error.setStyleSheet("color: #c62828")
        self.error.setText(text)
        self.password.selectAll()
