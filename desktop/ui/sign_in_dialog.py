"""The sign-in dialog: server address, username, password and, for accounts that use an
authenticator app (court administrators), its code; online or offline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ApiError
from desktop.services.session import SignedIn, sign_in
from desktop.settings import CA_BUNDLE, LAST_USERNAME, SERVER_URL, Settings
from desktop.tasks import run_task
from desktop.ui.fit import fit_whole_text, grow_to_fit


class SignInDialog(QDialog):
    """Accepted once a sign-in succeeded; ``result_session`` then holds it."""

    # "The server is busy; retrying in N s", from the sign-in's worker thread.
    busy = Signal(str)

    def __init__(
        self,
        settings: Settings,
        *,
        base_dir: Path | None = None,
        message: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to ECAS")
        self.settings = settings
        self.base_dir = base_dir
        self.result_session: SignedIn | None = None
        self.server = QLineEdit(str(settings.value(SERVER_URL)))
        self.server.setReadOnly(settings.is_locked(SERVER_URL))
        if self.server.isReadOnly():
            self.server.setToolTip("Set by your IT department")
        fit_whole_text(self.server)  # the whole address, never cut off
        self.username = QLineEdit(str(settings.value(LAST_USERNAME)))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = two_factor_field()
        # Shown only when the password changed on the server and this computer's copy is
        # still locked with the previous one (no keyring to open it): asked once.
        self.previous = QLineEdit()
        self.previous.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(message)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828")
        self.busy.connect(self.say)
        form = QFormLayout()
        form.addRow("&Server:", self.server)
        form.addRow("&Username:", self.username)
        form.addRow("&Password:", self.password)
        form.addRow("Two-factor &code:", self.code)
        form.addRow("P&revious password:", self.previous)
        form.setRowVisible(self.previous, False)
        self.form = form
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if self.username.text() else self.username).setFocus()

    def say(self, text: str) -> None:
        """Show ``text`` under the fields; the dialog grows to show all of it."""
        self.error.setText(text)
        grow_to_fit(self)

    def submit(self) -> None:
        server, username = self.server.text().strip(), self.username.text().strip()
        password = self.password.text()
        otp = self.code.text().strip() or None
        previous = self.previous.text() or None
        if not server or not username or not password:
            self.say("Enter the server address, your username and your password.")
            return
        self.say("Signing in…")
        self.buttons.setEnabled(False)
        verify: bool | str = str(self.settings.value(CA_BUNDLE)) or True
        run_task(
            lambda: sign_in(
                server,
                username,
                password,
                base_dir=self.base_dir,
                verify=verify,
                otp=otp,
                on_busy=self.busy.emit,
                previous_password=previous,
            ),
            self._signed_in,
            self._failed,
        )

    def _signed_in(self, session: SignedIn) -> None:
        self.settings.set(SERVER_URL, self.server.text().strip())
        self.settings.set(LAST_USERNAME, self.username.text().strip())
        self.result_session = session
        self.password.clear()
        self.code.clear()
        self.previous.clear()
        self.accept()

    def _failed(self, err: Exception) -> None:
        self.buttons.setEnabled(True)
        self.code.clear()  # a code is good once; the next try needs the newest
        if isinstance(err, ApiError) and err.kind == "previous_password":
            self.form.setRowVisible(self.previous, True)
            self.previous.setFocus()
        elif isinstance(err, ApiError) and "two-factor code is required" in str(err):
            self.code.setFocus()
        else:
            self.password.selectAll()
            self.password.setFocus()
        self.say(str(err) if isinstance(err, ApiError) else f"Sign-in failed unexpectedly: {err}")


def two_factor_field() -> QLineEdit:
    """The code from an authenticator app (or a recovery code); left empty by accounts
    that don't use one (judges, clerks)."""
    field = QLineEdit()
    field.setPlaceholderText("Only if your account uses an authenticator app")
    field.setAccessibleName("Two-factor code")
    field.setMaxLength(40)
    return field
