"""Runs the sync engine on its own thread, on a timer and on demand, and tells the window
where things stand: online or offline, changes waiting, last sync, progress.

When the server can't be reached, attempts back off (5 s, 10 s, 20 s … up to the sync
interval) so a returning server is noticed quickly without hammering a dead one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from desktop.api_client import ApiError
from desktop.doc_cache import CacheError
from desktop.sync_engine import SyncEngine, SyncReport


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None = None  # None: not tried yet
    syncing: bool = False
    pending: int = 0
    issues: int = 0
    last_sync: datetime | None = None
    message: str = ""


class _Worker(QObject):
    progress = Signal(str, int, int)
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # ApiError

    def __init__(self, engine: SyncEngine) -> None:
        super().__init__()
        self._engine = engine

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


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    progress = Signal(str, int, int)
    synced = Signal(object)  # SyncReport
    auth_required = Signal(str)
    _start = Signal()

    MIN_RETRY_MS = 5_000

    def __init__(
        self,
        engine: SyncEngine,
        interval_seconds: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.interval_ms = interval_seconds * 1000
        self.status = SyncStatus(
            pending=engine.store.pending_count(), issues=len(engine.store.issues())
        )
        self._failures = 0
        self._thread = QThread()
        self._thread.setObjectName("sync")
        self._worker = _Worker(engine)
        self._worker.moveToThread(self._thread)
        self._start.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._thread.start()

    def _set(self, **changes: object) -> None:
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        self.status_changed.emit(self.status)

    @Slot()
    def sync_now(self) -> None:
        if self.status.syncing:
            return
        self._timer.stop()
        self._set(syncing=True, message="Syncing…")
        self._start.emit()

    def sync_soon(self, delay_ms: int = 1500) -> None:
        """After a local edit: sync shortly, so changes leave quickly but in batches."""
        self.refresh_counts()
        if not self.status.syncing:
            self._timer.start(delay_ms)

    def refresh_counts(self) -> None:
        self._set(pending=self.engine.store.pending_count(), issues=len(self.engine.store.issues()))

    def _on_finished(self, report: SyncReport) -> None:
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
        self._failures += 1
        pending = self.engine.store.pending_count()
        self._set(
            online=False if err.kind == "offline" else self.status.online,
            syncing=False,
            pending=pending,
            message=str(err),
        )
        if err.kind == "auth":
            self.auth_required.emit(str(err))
            return
        delay = min(self.interval_ms, self.MIN_RETRY_MS * 2 ** (self._failures - 1))
        self._timer.start(delay)

    def stop(self) -> None:
        self._timer.stop()
        self._thread.quit()
        self._thread.wait(10_000)
