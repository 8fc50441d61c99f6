"""Annotations in a viewer window: one layer per open document, one toolbar, one pane.

``install_annotations(window, stores, author_id)`` hooks into the window's contract
(``pane_added``, ``current_pane_changed``, ``current_pane()``): every document opened gets
an ``AnnotationLayer`` over its page view with the store ``stores(pane)`` returns; the
toolbar, the "Annotate" menu and the "Annotations" dock act on the document in front.
Export and import run on a background task with a PyMuPDF document of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMessageBox

from desktop.annotation_store import (
    AnnotationStore,
    SyncedAnnotations,
    local_annotations,
)
from desktop.local_store import LocalStore
from desktop.tasks import run_task
from desktop.viewer.annotation_export import (
    ExportReport,
    export_annotated_copy,
    import_annotations,
)
from desktop.viewer.annotation_layer import AnnotationLayer
from desktop.viewer.annotation_pane import AnnotationPane
from desktop.viewer.annotation_tools import AnnotationTools
from desktop.words import count

DOCK_WIDTH = 360  # the annotation list's first width: every column in view, none scrolled
# pane -> the store its document's annotations live in (None: no annotations there)
StoreFor = Callable[[Any], AnnotationStore | None]


def local_store_for(base: Path | None = None) -> StoreFor:
    """Stores for PDFs opened from disk with no server: one local file per SHA-256."""

    def store_for(pane: Any) -> AnnotationStore | None:
        return local_annotations(pane.sha256, base) if pane.sha256 else None

    return store_for


def synced_store_for(store: LocalStore, author_id: str, local_base: Path | None = None) -> StoreFor:
    """Stores for a signed-in user: a case document's annotations go through the local
    store's outbox; a file opened from disk (no document id) keeps them locally, and they
    move onto the case document once the same file is opened as one."""
    local = local_store_for(local_base)

    def store_for(pane: Any) -> AnnotationStore | None:
        if pane.document_id:
            mine = local_annotations(pane.sha256, local_base)
            return SyncedAnnotations(
                store, pane.document_id, pane.sha256, adopt=mine, author_id=author_id
            )
        return local(pane)

    return store_for


def user_names(store: LocalStore) -> dict[str, str]:
    """Display names of the users this copy knows (for the pane's Author column)."""
    return {
        str(user["id"]): str(user.get("display_name") or user.get("username") or "")
        for user in store.all("user_profile")
    }


class WindowAnnotations(QObject):
    def __init__(
        self,
        window: QMainWindow,
        stores: StoreFor,
        author_id: str,
        *,
        author_names: dict[str, str] | None = None,
        writer: QThreadPool | None = None,
        on_saved: Callable[[], Any] | None = None,
        synced: Any = None,
        panel: bool = False,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.stores = stores
        self.author_id = author_id
        self.author_names = dict(author_names or {})
        self.writer = writer
        self.on_saved = on_saved
        self.layers: dict[int, AnnotationLayer] = {}  # id(pane) -> its layer
        self.tools = AnnotationTools(window, panel=panel)  # panel: a Board member's choice
        window.addToolBarBreak()  # the tools on a row of their own, all in view
        window.addToolBar(self.tools.toolbar(window))
        self.pane = AnnotationPane(window)
        self.dock = QDockWidget("Annotations", window)
        self.dock.setObjectName("annotations")
        self.dock.setWidget(self.pane)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        menu = window.menuBar().addMenu("&Annotate")
        for action in self.tools.tool_actions.values():
            menu.addAction(action)
        menu.addSeparator()
        for action in self.tools.edit_actions():
            menu.addAction(action)
        menu.addSeparator()
        toggle = self.dock.toggleViewAction()
        toggle.setText("Annotation &list")
        menu.addAction(toggle)
        self.export_action = menu.addAction("&Export annotated copy…")
        self.export_action.triggered.connect(self.choose_export)
        self.import_action = menu.addAction("&Import annotations from a PDF…")
        self.import_action.triggered.connect(self.choose_import)
        if synced is not None:  # a signal carrying a SyncReport: reload what was pulled
            synced.connect(self._on_synced)
        window.pane_added.connect(self.attach)  # type: ignore[attr-defined]
        window.current_pane_changed.connect(self._on_current)  # type: ignore[attr-defined]

    # --- layers ------------------------------------------------------------------------

    def attach(self, pane: Any) -> AnnotationLayer | None:
        """Give ``pane``'s document its layer (replacing one left from an earlier document)."""
        old = self.layers.pop(id(pane), None)
        if old is not None:
            old.detach()
        store = self.stores(pane)
        if store is None:
            self._on_current(self.current_pane())
            return None
        layer = AnnotationLayer(
            pane.view,
            store,
            self.author_id,
            author_names=self.author_names,
            writer=self.writer,
        )
        layer.panel_choice = self.tools.panel_action is not None
        layer.failed.connect(self._status)
        if self.on_saved is not None:
            layer.saved.connect(self.on_saved)
        self.layers[id(pane)] = layer
        key = id(pane)
        pane.destroyed.connect(lambda _obj=None: self.layers.pop(key, None))
        layer.load()
        self._on_current(self.current_pane())
        return layer

    def _on_synced(self, report: Any) -> None:
        if getattr(report, "pulled", 0):
            for layer in self.layers.values():
                if layer.store.synced:
                    layer.reload()

    def current_pane(self) -> Any:
        return self.window.current_pane()  # type: ignore[attr-defined]

    def current_layer(self) -> AnnotationLayer | None:
        pane = self.current_pane()
        return None if pane is None else self.layers.get(id(pane))

    def _on_current(self, pane: Any) -> None:
        layer = None if pane is None else self.layers.get(id(pane))
        self.tools.set_layer(layer)
        self.pane.set_layer(layer)

    def _status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10_000)

    # --- export and import -------------------------------------------------------------

    def choose_export(self) -> None:
        pane, layer = self.current_pane(), self.current_layer()
        if pane is None or layer is None:
            self._status("Open a document first.")
            return
        suggested = Path(pane.title or "document").stem + " (annotated).pdf"
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export annotated copy", suggested, "PDF files (*.pdf)"
        )
        if path:
            self.export(Path(path))

    def export(self, out: Path, on_done: Callable[[ExportReport], Any] | None = None) -> None:
        """Write the document in front with its annotations (redactions applied) to ``out``.
        The document in the viewer and its file are never changed."""
        pane, layer = self.current_pane(), self.current_layer()
        if pane is None or layer is None:
            return
        records = layer.records()
        names = {**self.author_names, self.author_id: layer.author_name(self.author_id)}
        self._status(f"Exporting {count(len(records), 'annotation')} to {out.name}…")

        def work() -> ExportReport:
            return export_annotated_copy(pane.document_bytes(), records, out, author_names=names)

        def done(report: ExportReport) -> None:
            message = (
                f"Saved {report.path.name}: {count(report.annotations, 'annotation')}, "
                f"{count(report.redactions, 'redaction')} applied."
            )
            if report.skipped:
                message += f" {len(report.skipped)} could not be drawn."
            self._status(message)
            if on_done is not None:
                on_done(report)

        run_task(work, done, self._export_failed)

    def _export_failed(self, err: Exception) -> None:
        QMessageBox.warning(
            self.window,
            "Export failed",
            f"The annotated copy could not be written: {err}\n"
            "Choose another folder (one you can write to) and try again.",
        )

    def choose_import(self) -> None:
        if self.current_layer() is None:
            self._status("Open a document first.")
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import annotations from a PDF", "", "PDF files (*.pdf)"
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path, on_done: Callable[[int], Any] | None = None) -> None:
        """Add the annotations ``path`` carries (the same document, annotated elsewhere) as
        this user's private records; one undo step takes them all back."""
        layer = self.current_layer()
        if layer is None:
            return
        store = layer.store
        known = set(layer.index.by_id)
        pages = layer.view.page_count()

        def work() -> list[Any]:
            return import_annotations(
                path,
                document_id=store.document_id,
                sha256=store.sha256,
                author_id=self.author_id,
                known_ids=known,
            )

        def done(records: list[Any]) -> None:
            fitting = [r for r in records if r.page < pages]
            layer.add_many(fitting, f"Import {count(len(fitting), 'annotation')}")
            extra = len(records) - len(fitting)
            note = f" ({extra} on pages this document does not have were left out)" if extra else ""
            self._status(f"Imported {count(len(fitting), 'annotation')} from {path.name}{note}.")
            if on_done is not None:
                on_done(len(fitting))

        def failed(err: Exception) -> None:
            QMessageBox.warning(
                self.window,
                "Import failed",
                f"{path.name} could not be read as a PDF: {err}\nNothing was imported.",
            )

        run_task(work, done, failed)


def install_annotations(
    window: QMainWindow,
    stores: StoreFor,
    author_id: str,
    **options: Any,
) -> WindowAnnotations:
    """Annotations for every document ``window`` opens (see the module docstring)."""
    support = WindowAnnotations(window, stores, author_id, **options)
    for pane in window.panes():  # type: ignore[attr-defined]
        if not pane.is_empty():
            support.attach(pane)
    return support
