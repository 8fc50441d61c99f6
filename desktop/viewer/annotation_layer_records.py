"""The records and undo section of the annotation layer (``AnnotationLayer``).

Records live in an ``AnnotationIndex`` (by id and by page). Every change is a
``QUndoCommand`` (``_Change``); applying one updates the index at once and saves the
record on one writer thread, in order (the store is SQLite; the GUI never waits for it).
Only the author's own annotations can be edited.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QUndoCommand, QUndoStack

from common.annotations import KIND_LABELS
from common.wire import Annotation
from desktop.annotation_store import AnnotationIndex, AnnotationStore
from desktop.tasks import run_task
from desktop.viewer.page_view import PageView

_writers: list[QThreadPool] = []


def default_writer() -> QThreadPool:
    """One thread for every layer's saves, so they reach the store in the order they
    happen; it lives as long as the application (a layer may close with saves queued)."""
    if not _writers:
        pool = QThreadPool()
        pool.setMaxThreadCount(1)
        _writers.append(pool)
    return _writers[0]


class LayerState:
    """What the layer's sections share (set up by ``AnnotationLayer.__init__``), and the
    calls one section makes into another."""

    view: PageView
    store: AnnotationStore
    author_id: str
    author_names: dict[str, str]
    index: AnnotationIndex
    undo_stack: QUndoStack
    writer: QThreadPool
    selected_id: str | None
    is_loaded: bool
    _drag: str | None
    _pending_saves: int
    _aliases: dict[str, str]
    # The layer's signals (``AnnotationLayer``'s class attributes).
    changed: Any
    selected: Any
    loaded: Any
    failed: Any
    saved: Any

    def select(self, record_id: str | None) -> None:  # the tools section
        raise NotImplementedError

    def _forget(self, page: int | None) -> None:  # the painting section
        raise NotImplementedError


class _Change(QUndoCommand):
    """Replace ``before`` with ``after`` (either may be None: an add or a delete).

    Undoing a delete brings the annotation back under a fresh id, since the server never
    revives a deleted record; the layer remembers old id -> new id, so the commands below
    it on the stack still find the annotation they changed."""

    def __init__(
        self, layer: LayerRecords, before: Annotation | None, after: Annotation | None
    ) -> None:
        shown = after or before
        assert shown is not None
        verb = "Add" if before is None else "Delete" if after is None else "Edit"
        super().__init__(f"{verb} {KIND_LABELS.get(shown.kind, shown.kind).lower()}")
        self.layer = layer
        self.before = before
        self.after = after

    def redo(self) -> None:
        self._show(self.before, self.after)

    def undo(self) -> None:
        if self.after is None:  # a delete undone
            assert self.before is not None
            self.layer._revive(self.before.id)
        self._show(self.after, self.before)

    def _show(self, old: Annotation | None, new: Annotation | None) -> None:
        layer = self.layer
        if new is None:
            assert old is not None
            layer._remove(layer.resolve(old.id))
        else:
            layer._put(new.model_copy(update={"id": layer.resolve(new.id)}))


class LayerRecords(LayerState):
    """Load, keep, change and undo the document's annotations."""

    def load(self) -> None:
        """Read this document's annotations off the GUI thread, then show them."""
        run_task(self.store.load, self.set_records, self._on_error, pool=self.writer)

    def reload(self) -> None:
        """Read the records again after a sync brought others' changes; the undo history
        stays (it only holds this author's own changes, which the store already has: its
        writes are queued on the same thread, before this read)."""
        run_task(self.store.load, self._merge, self._on_error, pool=self.writer)

    def _merge(self, records: list[Annotation]) -> None:
        if self._drag is not None:  # mid-stroke: try again once the pointer is released
            self.reload()
            return
        self.index.replace_all(records)
        self._forget(None)
        if self.selected_id is not None and self.selected_id not in self.index.by_id:
            self.select(None)
        self.changed.emit()
        self.view.viewport().update()

    def set_records(self, records: list[Annotation]) -> None:
        self.index.replace_all(records)
        self._forget(None)
        self.is_loaded = True
        self.undo_stack.clear()
        self._aliases.clear()
        self.changed.emit()
        self.loaded.emit(len(records))
        self.view.viewport().update()

    def records(self) -> list[Annotation]:
        return list(self.index.by_id.values())

    def get(self, record_id: str) -> Annotation | None:
        return self.index.by_id.get(record_id)

    def can_edit(self, record: Annotation) -> bool:
        return record.author_id == self.author_id

    def author_name(self, author_id: str) -> str:
        if author_id == self.author_id:
            return self.author_names.get(author_id, "Me")
        return self.author_names.get(author_id, author_id[:8])

    def idle(self) -> bool:
        """Whether every change has been written to the store."""
        return self._pending_saves == 0

    def add(self, record: Annotation) -> None:
        self.undo_stack.push(_Change(self, None, record))

    def add_many(self, records: list[Annotation], text: str) -> None:
        """Add ``records`` as one undo step (an import)."""
        if not records:
            return
        self.undo_stack.beginMacro(text)
        for record in records:
            self.add(record)
        self.undo_stack.endMacro()

    def edit(self, before: Annotation, after: Annotation) -> None:
        if before != after and self.can_edit(before):
            self.undo_stack.push(_Change(self, before, after))

    def delete(self, record_id: str) -> None:
        record = self.index.by_id.get(record_id)
        if record is not None and self.can_edit(record):
            self.undo_stack.push(_Change(self, record, None))

    def resolve(self, record_id: str) -> str:
        """The id an annotation has now (a deleted one brought back gets a new id)."""
        while record_id in self._aliases:
            record_id = self._aliases[record_id]
        return record_id

    def _revive(self, record_id: str) -> None:
        self._aliases[self.resolve(record_id)] = str(uuid.uuid4())

    def _put(self, record: Annotation) -> None:
        old = self.index.by_id.get(record.id)
        if old is not None:
            self._forget(old.page)
        self._forget(record.page)
        self.index.put(record)
        self._save(lambda: self.store.put(record))
        self._refresh(record.id)

    def _remove(self, record_id: str) -> None:
        old = self.index.remove(record_id)
        if old is not None:
            self._forget(old.page)
        if self.selected_id == record_id:
            self.select(None)
        self._save(lambda: self.store.remove(record_id))
        self._refresh(None)

    def _save(self, op: Callable[[], None]) -> None:
        self._pending_saves += 1
        run_task(op, self._on_saved, self._on_error, pool=self.writer)

    def _on_saved(self, _result: object) -> None:
        self._pending_saves -= 1
        self.saved.emit()

    def _on_error(self, err: Exception) -> None:
        self._pending_saves = max(0, self._pending_saves - 1)
        self.failed.emit(f"The annotation could not be saved on this computer: {err}")

    def _refresh(self, record_id: str | None) -> None:
        self.changed.emit()
        if record_id is not None and record_id == self.selected_id:
            self.selected.emit(record_id)
        self.view.viewport().update()
