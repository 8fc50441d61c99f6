"""The annotation list beside the pages, and annotations in the viewer window: filter by
type, author and page; jump; follow the document in front; export and import from the
window; the local store of ``ecas-desktop open``."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.enums import Visibility
from common.wire import Annotation
from desktop.annotation_store import geometry, new_annotation
from desktop.viewer.annotation_export import ExportReport
from desktop.viewer.annotation_window import WindowAnnotations, install_annotations, local_store_for
from desktop.viewer.viewer_window import ViewerWindow
from tests.viewer.annotation_helpers import LINE_Y, drag, text_pdf, wait_saved, wait_words

ME = "0b6e1f1e-0000-4000-8000-000000000001"
JUDGE = "0b6e1f1e-0000-4000-8000-000000000002"
KEY = Qt.Key


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> tuple[ViewerWindow, WindowAnnotations, Path]:
    win = ViewerWindow(cache_bytes=64 * 1024 * 1024)
    win.resize(1100, 900)
    qtbot.addWidget(win)
    support = install_annotations(
        win,
        local_store_for(tmp_path / "data"),
        ME,
        author_names={ME: "Clerk Garcia", JUDGE: "Judge Chu"},
    )
    win.show()
    qtbot.waitExposed(win)
    pdf = tmp_path / "rop.pdf"
    pdf.write_bytes(text_pdf(5))
    win.open_path(pdf)
    qtbot.waitUntil(lambda: support.current_layer() is not None, timeout=5000)
    layer = support.current_layer()
    assert layer is not None
    qtbot.waitUntil(lambda: layer.is_loaded and 0 in layer.view.sharp_pages, timeout=10_000)
    return win, support, pdf


def _records(sha: str, document_id: str) -> list[Annotation]:
    found = []
    for page in range(5):
        for number, (kind, author) in enumerate(
            (("highlight", ME), ("rect", ME), ("note", JUDGE), ("ink", JUDGE))
        ):
            y = 200 + 60 * number
            found.append(
                new_annotation(
                    kind=kind,
                    page=page,
                    geom=geometry((100, y, 200, y + 40), paths=[[(100, y), (200, y + 40)]]),
                    document_id=document_id,
                    sha256=sha,
                    author_id=author,
                    comment=f"{kind} on page {page + 1}",
                    visibility=Visibility.SHARED,
                )
            )
    return found


def test_pane_lists_filters_and_jumps(window: tuple, qtbot: QtBot) -> None:  # type: ignore[type-arg]
    _win, support, _pdf = window
    layer = support.current_layer()
    layer.set_records(_records(layer.store.sha256, layer.store.document_id))
    pane = support.pane
    assert pane.model.rowCount() == 20
    assert pane.count_label.text() == "20 annotations"
    first = pane.model.index(0, 0)
    assert pane.model.index(0, 1).data() == 1  # sorted by page
    assert first.data() == "Highlight"
    pane.kind_box.setCurrentIndex(pane.kind_box.findData("note"))
    assert pane.model.rowCount() == 5
    pane.kind_box.setCurrentIndex(0)
    pane.author_box.setCurrentIndex(pane.author_box.findText("Judge Chu"))
    assert pane.model.rowCount() == 10
    assert {pane.model.index(r, 2).data() for r in range(10)} == {"Judge Chu"}
    qtbot.keyClicks(pane.page_box, "4")
    assert pane.model.rowCount() == 2
    assert pane.count_label.text() == "2 of 20 annotations shown"
    pane.table.setFocus()
    pane.table.setCurrentIndex(pane.model.index(1, 0))
    qtbot.keyClick(pane.table, KEY.Key_Return)
    chosen = layer.get(layer.selected_id)
    assert chosen is not None and chosen.kind == "ink" and chosen.page == 3
    assert layer.view.current_page() == 3
    qtbot.waitUntil(lambda: 3 in layer.view.sharp_pages, timeout=10_000)


def test_drawing_adds_a_row_and_undo_removes_it(window: tuple, qtbot: QtBot) -> None:  # type: ignore[type-arg]
    _win, support, _pdf = window
    layer = support.current_layer()
    layer.view.setFocus()
    wait_words(qtbot, layer, 0)
    qtbot.keyClick(layer.view, KEY.Key_H)
    drag(qtbot, layer.view, 0, (74, LINE_Y[0] - 4), (200, LINE_Y[0] - 4))
    pane = support.pane
    assert pane.model.rowCount() == 1
    assert pane.model.index(0, 2).data() == "Clerk Garcia"
    assert pane.model.index(0, 3).data().startswith("The respondent")
    assert pane.table.currentIndex().row() in (-1, 0)
    qtbot.keyClick(layer.view, KEY.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pane.model.rowCount() == 0
    wait_saved(qtbot, layer)


def test_annotations_stay_with_the_file_after_reopening(
    window: tuple,
    qtbot: QtBot,
    tmp_path: Path,  # type: ignore[type-arg]
) -> None:
    win, support, pdf = window
    layer = support.current_layer()
    qtbot.keyClick(layer.view, KEY.Key_R)
    drag(qtbot, layer.view, 0, (300, 300), (400, 360))
    wait_saved(qtbot, layer)
    (made,) = layer.records()
    win.close_pane()
    copy = tmp_path / "renamed copy.pdf"
    copy.write_bytes(pdf.read_bytes())  # the same bytes under another name
    pane = win.open_path(copy)
    qtbot.waitUntil(lambda: support.current_layer() is not None, timeout=5000)
    again = support.current_layer()
    assert (again is not None and again is not layer) or pane is not None
    qtbot.waitUntil(lambda: [r.id for r in again.records()] == [made.id], timeout=5000)
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert (tmp_path / "data" / "local-annotations" / f"{sha}.sqlite3").is_file()


def test_export_and_import_from_the_window(window: tuple, qtbot: QtBot, tmp_path: Path) -> None:  # type: ignore[type-arg]
    win, support, _pdf = window
    layer = support.current_layer()
    layer.set_records(_records(layer.store.sha256, layer.store.document_id)[:8])
    out = tmp_path / "exported.pdf"
    reports: list[ExportReport] = []
    support.export(out, reports.append)
    qtbot.waitUntil(lambda: bool(reports), timeout=20_000)
    assert reports[0].annotations == 8 and out.is_file()
    assert "8 annotations" in win.statusBar().currentMessage()
    layer.set_records([])
    counts: list[int] = []
    support.import_from(out, counts.append)
    qtbot.waitUntil(lambda: bool(counts), timeout=20_000)
    assert counts == [8] and len(layer.records()) == 8
    assert {r.author_id for r in layer.records()} == {ME}  # imported as mine, private
    layer.undo_stack.undo()  # one step takes the import back
    assert layer.records() == []
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    original = QMessageBox.warning
    QMessageBox.warning = lambda *args, **kw: shown.append(args[2])  # type: ignore[assignment]
    try:
        support.import_from(bad)
        qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    finally:
        QMessageBox.warning = original  # type: ignore[assignment]
    assert "Nothing was imported" in shown[0]
    assert layer.records() == []


def test_tool_keys_do_not_fire_while_typing_in_the_find_bar(window: tuple, qtbot: QtBot) -> None:  # type: ignore[type-arg]
    win, support, _pdf = window
    layer = support.current_layer()
    win.open_find_bar()
    qtbot.waitUntil(lambda: win.find_bar.isVisible(), timeout=5000)
    edit = win.find_bar.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "shrine")
    assert edit.text() == "shrine"
    assert layer.tool == "select"
