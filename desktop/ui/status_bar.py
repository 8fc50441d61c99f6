"""The always-visible status: online or offline, signed in or not, changes waiting, last
sync, progress."""

from __future__ import annotations

from datetime import UTC, tzinfo

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

from common.court_time import table_time
from desktop.services.sync_controller import SyncStatus
from desktop.words import count


class SyncStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone: tzinfo = UTC  # the user's court's, once read (set_zone)
        self._status = SyncStatus()
        self.connection = QLabel()
        self.connection.setObjectName("connection")
        self.pending = QLabel()
        self.pending.setObjectName("pending")
        self.last_sync = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.sync_button = QPushButton("Sync now")
        self.sync_button.setToolTip("Send and receive changes now (F5)")
        # Shown while the server answers but this computer has no session with it.
        self.sign_in_button = QPushButton("Sign in to sync")
        self.sign_in_button.setToolTip("Sign in with your password to send the waiting changes")
        self.sign_in_button.hide()
        for widget in (self.connection, self.pending, self.last_sync):
            self.addPermanentWidget(widget)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.sync_button)
        self.addPermanentWidget(self.sign_in_button)
        self.show_status(SyncStatus())

    def set_zone(self, zone: tzinfo) -> None:
        """Show the last sync on the court's clock (``zone``)."""
        self.zone = zone
        self._show_last_sync()

    def show_status(self, status: SyncStatus) -> None:
        self._status = status
        if status.syncing:
            text, color = "● Syncing…", "#1565c0"
        elif status.online is None:
            text, color = "● Not synced yet", "#757575"
        elif status.online and not status.signed_in:
            text, color = "● Server reachable — not signed in", "#e65100"
        elif status.online:
            text, color = "● Online", "#2e7d32"
        else:
            text, color = "● Offline — working on this computer's copy", "#c62828"
        self.connection.setText(text)
        self.connection.setStyleSheet(f"color: {color}; font-weight: bold")
        self.connection.setToolTip(status.message)
        self.pending.setText(_waiting(status))
        can_sign_in = bool(status.online) and not status.signed_in
        self.sign_in_button.setVisible(can_sign_in)
        self.sync_button.setVisible(not can_sign_in)
        self._show_last_sync()
        if not status.syncing:
            self.progress.hide()
        if status.message and not status.syncing:
            self.showMessage(status.message, 8000)

    def _show_last_sync(self) -> None:
        last = self._status.last_sync
        self.last_sync.setText("Last sync: " + (table_time(last, self.zone) if last else "never"))

    def show_progress(self, phase: str, done: int, total: int) -> None:
        self.progress.show()
        self.progress.setRange(0, total)  # total 0: a busy indicator
        self.progress.setValue(done)
        self.progress.setFormat(
            f"{'Sending' if phase == 'push' else 'Receiving'} %v" + (" of %m" if total else "")
        )


def _waiting(status: SyncStatus) -> str:
    """What waits to be sent, and — without a session — what it waits for."""
    issues = f", {status.issues} to resolve" if status.issues else ""
    if not status.pending:
        return f"No changes waiting{issues}" if status.issues else "All changes sent"
    waiting = f"{count(status.pending, 'change')} waiting"
    if status.signed_in:
        return waiting + issues
    if status.online:
        return f"{waiting} — sign in to send them{issues}"
    return f"{waiting} — sent once the server is back and you sign in{issues}"
