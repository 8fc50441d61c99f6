"""Runs the sync engine on its own thread, on a timer and on demand, and tells the window
where things stand: online or offline, signed in or not, changes waiting, last sync,
progress.

When the server can't be reached, attempts back off (5 s, 10 s, 20 s … up to the sync
interval) so a returning server is noticed quickly without hammering a dead one.

Without a server session — after an offline start, or when the server refused to refresh
the session — the controller probes instead of syncing (``GET /healthz``, same backoff).
Once the server answers it signs in again silently if it can (``reauthenticate``: the
keyring's refresh token) and syncs; otherwise it emits ``sign_in_needed`` once, and the
window asks for the password. Until then the local copy keeps every change, and the status
says they are waiting for a sign-in. A refused or cancelled request is not repeated every few
seconds: the window keeps a "Sign in to sync" action instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from desktop.api_client import ApiClient, ApiError
from desktop.doc_cache import CacheError
from desktop.sync_engine import SyncEngine, SyncReport

_log = logging.getLogger(__name__)

# What a probe found.
PROBE_OFFLINE = "offline"
PROBE_SIGNED_IN = "signed_in"
PROBE_SIGN_IN_NEEDED = "sign_in_needed"

SERVER_BACK = "The server is back. Sign in to send your changes."


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None = None  # None: not tried yet
    syncing: bool = False
    pending: int = 0
    issues: int = 0
    last_sync: datetime | None = None
    message: str = ""
    # False: no server session (offline start, or the session was ended): changes wait
    # on this computer until the person signs in online.
    signed_in: bool = True


def has_server_session(client: ApiClient) -> bool:
    return client.session is not None and bool(client.session.access_token)


class _Worker(QObject):
    progress = Signal(str, int, int)
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # ApiError
    probed = Signal(str)  # PROBE_*

    def __init__(self, engine: SyncEngine, reauthenticate: Callable[[], bool]) -> None:
        super().__init__()
        self._engine = engine
        self._reauthenticate = reauthenticate

    @Slot()
    def run(self) -> None:
        try:
            report = self._engine.sync_once(self.progress.emit)
        except ApiError as err:
            self.failed.emit(err)
        except CacheError as err:
            self.failed.emit(ApiError(str(err), kind="cache"))
        except Exception as err:  # a bug must not kill the sync thread
            self.failed.emit(ApiError(f"Sync stopped by an unexpected error: {err}", kind="server"))
        else:
            self.finished.emit(report)

    @Slot()
    def probe(self) -> None:
        """Is the server back, and can this client sign in again without the password?"""
        try:
            if not self._engine.client.healthz():
                self.probed.emit(PROBE_OFFLINE)
            elif self._reauthenticate():
                self.probed.emit(PROBE_SIGNED_IN)
            else:
                self.probed.emit(PROBE_SIGN_IN_NEEDED)
        except ApiError as err:
            # Gone again between the two requests, or a refusal the password dialog will
            # show in its own words.
            offline = err.kind in ("offline", "server")
            self.probed.emit(PROBE_OFFLINE if offline else PROBE_SIGN_IN_NEEDED)
        except Exception:  # a keyring backend's failure: the password still works
            _log.exception("signing in again with the kept session failed")
            self.probed.emit(PROBE_SIGN_IN_NEEDED)


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    progress = Signal(str, int, int)
    synced = Signal(object)  # SyncReport
    sign_in_needed = Signal(str)  # once per spell without a session: why
    _start = Signal()
    _probe = Signal()

    MIN_RETRY_MS = 5_000

    def __init__(
        self,
        engine: SyncEngine,
        interval_seconds: int,
        parent: QObject | None = None,
        *,
        reauthenticate: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.interval_ms = interval_seconds * 1000
        self.status = SyncStatus(
            pending=engine.store.pending_count(),
            issues=len(engine.store.issues()),
            signed_in=has_server_session(engine.client),
        )
        self._failures = 0
        self._busy = False  # a sync or a probe is running on the thread
        self._asked = False  # sign_in_needed was emitted in this spell
        self._thread = QThread()
        self._thread.setObjectName("sync")
        self._worker = _Worker(engine, reauthenticate)
        self._worker.moveToThread(self._thread)
        self._start.connect(self._worker.run)
        self._probe.connect(self._worker.probe)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.probed.connect(self._on_probed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._thread.start()

    def _set(self, **changes: object) -> None:
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        self.status_changed.emit(self.status)

    def _backoff_ms(self) -> int:
        return int(min(self.interval_ms, self.MIN_RETRY_MS * 2 ** max(0, self._failures - 1)))

    @Slot()
    def sync_now(self) -> None:
        """Sync now; without a session, check whether the server is back instead."""
        if self._busy:
            return
        self._timer.stop()
        self._busy = True
        if self.status.signed_in:
            self._set(syncing=True, message="Syncing…")
            self._start.emit()
        else:
            self._probe.emit()

    def sync_soon(self, delay_ms: int = 1500) -> None:
        """After a local edit: sync shortly, so changes leave quickly but in batches.
        Without a session the probe's own schedule stands (an edit doesn't bring the server
        back)."""
        self.refresh_counts()
        if self.status.signed_in and not self._busy:
            self._timer.start(delay_ms)

    def refresh_counts(self) -> None:
        self._set(pending=self.engine.store.pending_count(), issues=len(self.engine.store.issues()))

    def signed_in_again(self) -> None:
        """The person signed in online (on this controller's client): send what waited."""
        self._asked = False
        self._failures = 0
        self._set(signed_in=True, online=True, message="Signed in. Sending your changes…")
        self._busy = False  # a probe still running finishes first (one thread, in order)
        self.sync_now()

    def sign_in_declined(self) -> None:
        """The person chose "Not now": keep watching the connection at the sync interval,
        without asking again (the window offers "Sign in to sync")."""
        if not self._busy and not self.status.signed_in:
            self._timer.start(self.interval_ms)

    def _on_finished(self, report: SyncReport) -> None:
        self._busy = False
        self._failures = 0
        self._set(
            online=True,
            syncing=False,
            last_sync=datetime.now(UTC),
            pending=self.engine.store.pending_count(),
            issues=len(self.engine.store.issues()),
            message=report.summary(),
        )
        self.synced.emit(report)
        self._timer.start(self.interval_ms)

    def _on_failed(self, err: ApiError) -> None:
        self._busy = False
        self._failures += 1
        pending = self.engine.store.pending_count()
        if err.kind == "auth":
            # The session is over (its refresh was refused). Nothing is lost: the changes
            # stay queued, and the probe signs in again (silently, or asking once).
            self._asked = False
            self._failures = 0
            self._set(
                signed_in=False,
                syncing=False,
                pending=pending,
                message=f"{err} Your changes are kept on this computer.",
            )
            self._timer.start(0)
            return
        self._set(
            online=False if err.kind == "offline" else self.status.online,
            syncing=False,
            pending=pending,
            message=str(err),
        )
        self._timer.start(self._backoff_ms())

    def _on_probed(self, result: str) -> None:
        if self.status.signed_in:
            return  # the person signed in while this probe ran; that sync owns the thread
        self._busy = False
        if result == PROBE_SIGNED_IN:
            self._asked = False
            self._failures = 0
            self._set(signed_in=True, online=True, message="Signed in again. Sending changes…")
            self.sync_now()
            return
        pending = self.engine.store.pending_count()
        if result == PROBE_OFFLINE:
            self._failures += 1
            self._set(
                online=False,
                pending=pending,
                message="The server can't be reached. Your changes are kept on this computer.",
            )
            self._timer.start(self._backoff_ms())
            return
        self._failures = 0
        self._set(online=True, pending=pending, message=SERVER_BACK)
        if not self._asked:
            self._asked = True
            # The window asks now; it calls signed_in_again() or sign_in_declined().
            self.sign_in_needed.emit(SERVER_BACK)
        else:
            self._timer.start(self.interval_ms)

    def stop(self) -> None:
        self._timer.stop()
        self._thread.quit()
        self._thread.wait(10_000)
