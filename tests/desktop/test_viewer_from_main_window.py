"""A case document opened from the main window (issue 18 item 5): the viewer's title names
the case's A-number, the document and its pages, and the document opens again where this
user left it, in a new viewer window, as the window's size is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.anumber import format_a_number
from desktop.doc_cache import DocumentCache
from desktop.ui.main_window import MainWindow

KEY = Qt.Key


def test_a_case_document_is_titled_and_reopens_where_it_was_left(
    qtbot: QtBot,
    make_context: Callable[[str], Any],
    desktop_server: Any,
    tmp_path: Path,
) -> None:
    ctx = make_context("clerk1")
    ctx.cache = DocumentCache(ctx.store, tmp_path / "documents", 100 * 1024 * 1024)
    blobs = desktop_server.extensions["ecas"].blobs.store
    doc = max(ctx.store.all("document"), key=lambda d: int(d["pages"]))
    ctx.cache.open(
        doc["sha256"], lambda sha, start: blobs.read_range(sha, start, doc["size"] - start)
    )
    case = ctx.store.get("case", doc["case_id"])
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()

    window.open_document(doc["id"])
    qtbot.waitUntil(
        lambda: bool(window.viewers) and window.viewers[0].view.page_count() > 0, timeout=10_000
    )
    viewer = window.viewers[0]
    pages = viewer.view.page_count()
    assert pages >= 2, "the seeded documents have more than one page"
    noun = "page" if pages == 1 else "pages"
    expected = (
        f"{format_a_number(case['a_number'])} \u2014 {doc['title']}, {pages} {noun} \u2014 ECAS"
    )
    assert viewer.windowTitle() == expected

    viewer.resize(760, 560)  # within the offscreen screen (800 x 600): kept as it is
    size = (viewer.width(), viewer.height())
    middle = pages // 2
    viewer.page_box.setFocus()
    viewer.page_box.selectAll()
    qtbot.keyClicks(viewer.page_box, str(middle + 1))
    qtbot.keyClick(viewer.page_box, KEY.Key_Return)
    assert viewer.view.current_page() == middle
    viewer.close()  # WA_DeleteOnClose: the window goes, what it remembers stays
    qtbot.waitUntil(lambda: not window.viewers, timeout=5000)

    window.open_document(doc["id"])
    qtbot.waitUntil(lambda: bool(window.viewers), timeout=10_000)
    again = window.viewers[0]
    assert again is not viewer
    qtbot.waitUntil(lambda: again.view.current_page() == middle, timeout=10_000)
    assert again.page_box.text() == str(middle + 1)
    assert (again.width(), again.height()) == size
