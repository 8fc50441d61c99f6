"""What every view is handed: the signed-in session, settings, sync, and the one writer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool

from common.wire import WireRecord
from desktop.doc_cache import DocumentCache
from desktop.local_store import LocalStore
from desktop.services.session import SignedIn
from desktop.services.sync_controller import SyncController
from desktop.settings import Settings
from desktop.tasks import run_task


def _single_writer() -> QThreadPool:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)  # SQLite writes go through one worker, in order
    return pool


@dataclass
class DesktopContext:
    settings: Settings
    session: SignedIn
    sync: SyncController
    writer: QThreadPool = field(default_factory=_single_writer)
    cache: DocumentCache | None = None

    def is_cached(self, sha256: str) -> bool:
        """Whether a document's bytes are on this computer (readable offline)."""
        return self.cache is not None and self.cache.is_cached(sha256)

    @property
    def store(self) -> LocalStore:
        return self.session.store

    @property
    def user_id(self) -> str:
        return str(self.session.user["id"])

    @property
    def role(self) -> str:
        return self.session.role

    def save(
        self,
        records: Sequence[WireRecord],
        on_done: Callable[[], Any] = lambda: None,
        on_error: Callable[[Exception], Any] | None = None,
        *,
        parent: QObject | None = None,
    ) -> None:
        """Write ``records`` locally on the writer thread, in one transaction and (when there
        are several) as one group the server applies all or nothing; then sync soon and call
        ``on_done`` on the GUI thread — unless ``parent`` (the asking widget) is gone by then:
        the write and the sync still happen, the callbacks don't."""

        self.write(
            lambda store: store.save_together(records),
            lambda _: on_done(),
            on_error,
            parent=parent,
        )

    def write(
        self,
        op: Callable[[LocalStore], Any],
        on_done: Callable[[Any], Any],
        on_error: Callable[[Exception], Any] | None = None,
        *,
        parent: QObject | None = None,
        sync: bool = True,
    ) -> None:
        """Run ``op`` (a change of the local store) on the writer thread; then, when ``sync``,
        sync soon — even when ``parent`` is gone by then — and call back only while
        ``parent`` lives, so a view needs no guard of its own."""

        def done(result: Any) -> None:
            if sync:
                self.sync.sync_soon()
            if parent is None or shiboken6.isValid(parent):
                on_done(result)

        def failed(err: Exception) -> None:
            if on_error is None:
                raise err
            if parent is None or shiboken6.isValid(parent):
                on_error(err)

        run_task(lambda: op(self.store), done, failed, pool=self.writer)

    def read(
        self,
        op: Callable[[LocalStore], Any],
        on_done: Callable[[Any], Any],
        on_error: Callable[[Exception], Any] | None = None,
        *,
        parent: QObject | None = None,
    ) -> None:
        """Run a read of the local store on a pool thread; the answer is dropped when
        ``parent`` is gone by then (see :func:`desktop.tasks.run_task`)."""
        run_task(lambda: op(self.store), on_done, on_error, parent=parent)
