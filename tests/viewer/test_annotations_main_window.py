"""A case document opened from the main window: annotations are records of that document
in the signed-in user's local store, queued in the outbox (offline) for the next sync."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.annotation_store import SyncedAnnotations
from desktop.doc_cache import DocumentCache
from desktop.ui.main_window import MainWindow
from desktop.viewer.annotation_window import WindowAnnotations
from tests.desktop.conftest import (  # noqa: F401 - fixtures
    desktop_server,
    filled_store,
    make_context,
    settings,
)
from tests.viewer.annotation_helpers import drag

pytestmark = pytest.mark.slow


def test_annotating_a_case_document_queues_records_for_sync(
    qtbot: QtBot,
    make_context: Callable,  # type: ignore[type-arg]  # noqa: F811
    desktop_server: Flask,  # noqa: F811
    tmp_path: Path,
) -> None:
    ctx = make_context("clerk1")
    ctx.cache = DocumentCache(ctx.store, tmp_path / "documents", 100 * 1024 * 1024)
    blobs = desktop_server.extensions["ecas"].blobs.store
    doc = ctx.store.all("document")[0]
    ctx.cache.open(
        doc["sha256"], lambda sha, start: blobs.read_range(sha, start, doc["size"] - start)
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_document(doc["id"])
    qtbot.waitUntil(lambda: bool(window.viewers), timeout=10_000)
    viewer = window.viewers[0]
    pane = viewer.current_pane()
    qtbot.waitUntil(lambda: 0 in pane.view.sharp_pages, timeout=10_000)
    (annotations,) = viewer.findChildren(WindowAnnotations)
    layer = annotations.current_layer()
    assert layer is not None and isinstance(layer.store, SyncedAnnotations)
    assert layer.store.document_id == doc["id"] and layer.store.sha256 == doc["sha256"]
    qtbot.waitUntil(lambda: layer.is_loaded, timeout=5000)
    before = ctx.store.pending_count()
    layer.view.setFocus()
    qtbot.keyClick(layer.view, Qt.Key.Key_R)
    drag(qtbot, layer.view, 0, (100, 100), (200, 160))
    qtbot.waitUntil(layer.idle, timeout=5000)
    (made,) = layer.records()
    assert made.author_id == ctx.user_id
    assert ctx.store.pending_count() == before + 1
    assert ctx.store.get("annotation", made.id) == made.model_dump(mode="json")
    assert ctx.sync.status.pending == before + 1  # the status bar counts it
