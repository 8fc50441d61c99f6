"""Asks for the password once the server is back after working offline (or after it ended
the session), to sign in on the same local copy and send what waited. "Not now" keeps
working offline; the status bar then offers "Sign in to sync"."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ApiError
from desktop.services.session import SignedIn, sign_in_again
from desktop.tasks import run_task
from desktop.ui.fit import grow_to_fit
from desktop.ui.sign_in_dialog import two_factor_field
from desktop.words import count, plural


class SignInAgainDialog(QDialog):
    """Accepted once signed in online (the session's client now holds the tokens)."""

    def __init__(
        self, session: SignedIn, pending: int, reason: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to send your changes")
        self.session = session
        waiting = (
            f"{count(pending, 'change')} made on this computer "
            f"{plural('is', pending)} waiting to be sent."
            if pending
            else "Sign in to receive the latest changes."
        )
        self.explanation = QLabel(f"{reason} {waiting}")
        self.explanation.setWordWrap(True)
        self.username = QLineEdit(session.username)
        self.username.setReadOnly(True)  # the local copy belongs to this account
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = two_factor_field()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828")
        form = QFormLayout()
        form.addRow("Username:", self.username)
        form.addRow("&Password:", self.password)
        form.addRow("Two-factor &code:", self.code)
        self.buttons = QDialogButtonBox()
        self.sign_in_button: QPushButton = self.buttons.addButton(
            "Sign in", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.not_now_button: QPushButton = self.buttons.addButton(
            "Not now", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def say(self, text: str) -> None:
        """Show ``text`` under the fields; the dialog grows to show all of it."""
        self.error.setText(text)
        grow_to_fit(self)

    def submit(self) -> None:
        password = self.password.text()
        if not password:
            self.say("Enter your password.")
            return
        self.say("Signing in…")
        self.buttons.setEnabled(False)
        session = self.session
        otp = self.code.text().strip() or None
        self.code.clear()  # a code is good once
        run_task(lambda: sign_in_again(session, password, otp), self._signed_in, self._failed)

    def _signed_in(self, _: None) -> None:
        self.password.clear()
        self.accept()

    def _failed(self, err: Exception) -> None:
        self.buttons.setEnabled(True)
        self.password.selectAll()
        self.password.setFocus()
        self.say(str(err) if isinstance(err, ApiError) else f"Sign-in failed unexpectedly: {err}")
