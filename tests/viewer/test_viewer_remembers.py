"""The viewer remembers (issue 18 item 5), driven as a reader drives it: the window's size,
the split, each document's last page and zoom per user; the title names the case and the
document; the annotation toolbar and list fit the default window; notes edit in place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QPlainTextEdit,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from common.enums import Visibility
from desktop.annotation_store import geometry, new_annotation
from desktop.viewer.annotation_window import WindowAnnotations, install_annotations, local_store_for
from desktop.viewer.viewer_memory import ViewerMemory
from desktop.viewer.viewer_window import DEFAULT_SIZE, ViewerWindow
from tests.viewer.annotation_helpers import text_pdf
from tests.viewer.viewer_pdfs import numbered_pdf

KEY = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ME = "0b6e1f1e-0000-4000-8000-000000000001"
JUDGE = "0b6e1f1e-0000-4000-8000-000000000002"
DOCUMENT = "5d1c0000-0000-4000-8000-0000000000aa"

Opener = Callable[..., ViewerWindow]


@pytest.fixture
def ini(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "user.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(qtbot: QtBot, ini: QSettings) -> Iterator[Opener]:
    made: list[ViewerWindow] = []

    def make(user: str = ME) -> ViewerWindow:
        win = ViewerWindow(cache_bytes=64 * 1024 * 1024, memory=ViewerMemory(ini, user))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.close_pane()


def _open(qtbot: QtBot, win: ViewerWindow, pdf: Path, **kwargs: str) -> None:
    pane = win.open_path(pdf, **kwargs)
    qtbot.waitUntil(lambda: bool(pane.view.sharp_pages), timeout=15_000)
    qtbot.wait(20)  # the remembered place is applied once the view has started


def _key(win: ViewerWindow, qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    """A key press where the keyboard focus is, as a reader types it."""
    win.activateWindow()
    win.view.setFocus()
    qtbot.keyClick(QApplication.focusWidget() or win, key, modifiers)


def test_a_document_opened_again_opens_at_its_last_page_and_zoom(
    open_window: Opener, qtbot: QtBot, tmp_path: Path
) -> None:
    pdf = tmp_path / "i589.pdf"
    pdf.write_bytes(numbered_pdf(40))
    win = open_window()
    _open(qtbot, win, pdf, title="I-589", document_id=DOCUMENT, a_number="123456789")
    win.view.setFocus()
    qtbot.keyClick(win.view, KEY.Key_Plus, CTRL)  # zoom in from the keyboard
    qtbot.keyClick(win.view, KEY.Key_Plus, CTRL)
    zoom = win.view.zoom()
    win.page_box.setFocus()
    win.page_box.selectAll()
    qtbot.keyClicks(win.page_box, "27")
    qtbot.keyClick(win.page_box, KEY.Key_Return)
    assert win.view.current_page() == 26
    # Smaller than the default (restoreGeometry keeps a window on its screen, and the
    # offscreen test screen is 800 x 600).
    win.resize(720, 540)
    win.close()  # the window writes what it remembers as it closes

    again = open_window()
    assert (again.width(), again.height()) == (720, 540)
    _open(qtbot, again, pdf, title="I-589", document_id=DOCUMENT, a_number="123456789")
    qtbot.waitUntil(lambda: again.view.current_page() == 26, timeout=5000)
    assert again.view.zoom() == pytest.approx(zoom)
    assert again.view.zoom_mode() == "custom"
    assert again.page_box.text() == "27"
    assert again.zoom_box.currentText() == f"{round(zoom * 100)} %"

    # Per user: a colleague on the same computer opens it at its first page.
    colleague = open_window(user=JUDGE)
    assert (colleague.width(), colleague.height()) == DEFAULT_SIZE
    _open(qtbot, colleague, pdf, title="I-589", document_id=DOCUMENT)
    qtbot.wait(50)
    assert colleague.view.current_page() == 0 and colleague.view.zoom_mode() == "fit_width"


def test_a_file_from_disk_is_remembered_by_its_contents(
    open_window: Opener, qtbot: QtBot, tmp_path: Path
) -> None:
    pdf = tmp_path / "evidence.pdf"
    pdf.write_bytes(numbered_pdf(12))
    win = open_window()
    _open(qtbot, win, pdf)
    win.view.setFocus()
    qtbot.keyClick(win.view, KEY.Key_9, CTRL)  # fit page
    qtbot.keyClick(win.view, KEY.Key_End, CTRL)  # last page
    assert win.view.current_page() == 11
    win.close_pane()  # closing the tab is enough
    copy = tmp_path / "renamed.pdf"
    copy.write_bytes(pdf.read_bytes())
    _open(qtbot, win, copy)
    qtbot.waitUntil(lambda: win.view.current_page() == 11, timeout=5000)
    assert win.view.zoom_mode() == "fit_page"


def test_the_split_position_is_kept(open_window: Opener, qtbot: QtBot, tmp_path: Path) -> None:
    pdf = tmp_path / "application.pdf"
    pdf.write_bytes(numbered_pdf(3))
    win = open_window()
    _open(qtbot, win, pdf)
    _key(win, qtbot, KEY.Key_Backslash, CTRL)
    assert win.is_split()
    total = sum(win.splitter.sizes())
    win.splitter.moveSplitter(total // 4, 1)
    win.splitter.splitterMoved.emit(total // 4, 1)  # as a drag of the handle does
    share = win.splitter.sizes()[0] / total
    assert share < 0.4
    win.close()
    again = open_window()
    _open(qtbot, again, pdf)
    _key(again, qtbot, KEY.Key_Backslash, CTRL)
    assert again.is_split()
    sizes = again.splitter.sizes()
    assert sizes[0] / sum(sizes) == pytest.approx(share, abs=0.02)


def test_the_title_names_the_case_the_document_and_its_pages(
    open_window: Opener, qtbot: QtBot, tmp_path: Path
) -> None:
    pdf = tmp_path / "application.pdf"
    pdf.write_bytes(numbered_pdf(42))
    win = open_window()
    assert win.windowTitle() == "ECAS viewer"
    _open(qtbot, win, pdf, title="I-589", document_id=DOCUMENT, a_number="123456789")
    assert win.windowTitle() == "A123-456-789 \u2014 I-589, 42 pages \u2014 ECAS"
    one = tmp_path / "one.pdf"
    one.write_bytes(numbered_pdf(1))
    _open(qtbot, win, one)  # from disk: no case, one page
    assert win.windowTitle() == "one.pdf, 1 page \u2014 ECAS"


# --- the annotation toolbar and list at the default size ------------------------------


@pytest.fixture
def annotated(
    open_window: Opener, qtbot: QtBot, tmp_path: Path
) -> tuple[ViewerWindow, WindowAnnotations]:
    win = open_window()
    assert (win.width(), win.height()) == DEFAULT_SIZE
    support = install_annotations(
        win,
        local_store_for(tmp_path / "data"),
        ME,
        author_names={ME: "Clerk Garcia", JUDGE: "Judge Chu"},
        panel=True,  # the widest toolbar: a Board member's, with "Shared with the panel"
    )
    pdf = tmp_path / "rop.pdf"
    pdf.write_bytes(text_pdf(3))
    win.open_path(pdf)
    qtbot.waitUntil(lambda: support.current_layer() is not None, timeout=5000)
    layer = support.current_layer()
    assert layer is not None
    qtbot.waitUntil(lambda: layer.is_loaded, timeout=10_000)
    long = "The respondent's testimony about the 2019 entry differs from the I-213. " * 4
    records = [
        new_annotation(
            kind=kind,
            page=0,
            geom=geometry((100, 200 + 60 * n, 200, 240 + 60 * n)),
            document_id=layer.store.document_id,
            sha256=layer.store.sha256,
            author_id=author,
            text=long if kind == "highlight" else "",
            comment=long,
            visibility=Visibility.SHARED,
        )
        for n, (kind, author) in enumerate((("highlight", ME), ("note", ME), ("rect", JUDGE)))
    ]
    layer.set_records(records)
    return win, support


def test_every_annotation_tool_is_in_view_at_the_default_size(
    annotated: tuple[ViewerWindow, WindowAnnotations],
) -> None:
    win, support = annotated
    bar = next(b for b in win.findChildren(QToolBar) if b.objectName() == "annotation-tools")
    shown = [a for a in bar.actions() if not a.isSeparator()]
    assert len(shown) == 15  # ten tools, colour, shared, panel, undo, redo
    for action in shown:
        button = bar.widgetForAction(action)
        assert button is not None and button.isVisible(), action.text()
        assert bar.rect().contains(button.geometry()), action.text()
    extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is None or not extension.isVisible()  # nothing folded away
    # The menu keeps the whole words; the toolbar's button the short ones.
    redact = support.tools.tool_actions["redact"]
    assert redact.text() == "Redact (exported copies only)" and redact.iconText() == "Redact"


def test_the_list_shows_comments_and_sharing_without_scrolling_sideways(
    annotated: tuple[ViewerWindow, WindowAnnotations], qtbot: QtBot
) -> None:
    _win, support = annotated
    table = support.pane.table
    qtbot.waitUntil(lambda: support.pane.model.rowCount() == 3, timeout=5000)
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    right = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in range(6))
    assert right <= table.viewport().width()  # the Shared column is in view
    assert header.sectionSize(4) >= 60  # the comment has room to be read...
    assert table.wordWrap()  # ...over several lines
    assert table.rowHeight(0) >= 3 * table.fontMetrics().lineSpacing()


def test_the_type_and_sharing_words_are_never_cut(
    annotated: tuple[ViewerWindow, WindowAnnotations], qtbot: QtBot
) -> None:
    _win, support = annotated
    table = support.pane.table
    model = support.pane.model
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    icon = table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    for row in range(model.rowCount()):
        kind = str(model.index(row, 0).data())
        shared = str(model.index(row, 5).data())
        assert header.sectionSize(0) >= metrics.horizontalAdvance(kind) + icon, kind
        assert header.sectionSize(5) >= metrics.horizontalAdvance(shared), shared
    # as wide as the view itself wants for what it shows (its delegate's size hints)
    assert header.sectionSize(0) >= table.sizeHintForColumn(0), table.sizeHintForColumn(0)
    assert header.sectionSize(5) >= table.sizeHintForColumn(5), table.sizeHintForColumn(5)
    # every kind's word and "Private" fit, not only the ones on screen
    assert header.sectionSize(0) >= metrics.horizontalAdvance("Strike-out") + icon
    assert header.sectionSize(5) >= metrics.horizontalAdvance("Private")


def _editor(table: QWidget) -> QPlainTextEdit:
    """The note editor open over the list (one at a time)."""
    (editor,) = [e for e in table.findChildren(QPlainTextEdit) if e.isVisible()]
    assert editor.objectName() == "note-editor" and editor.hasFocus()
    return editor


def test_a_note_is_edited_in_place_and_ctrl_enter_keeps_it(
    annotated: tuple[ViewerWindow, WindowAnnotations], qtbot: QtBot
) -> None:
    _win, support = annotated
    pane, layer = support.pane, support.current_layer()
    assert layer is not None
    table = pane.table
    row = next(r for r in range(3) if pane.model.rows[r].kind == "note")
    note_id = pane.model.rows[row].id
    table.setFocus()
    table.setCurrentIndex(pane.model.index(row, 0))
    qtbot.keyClick(table, KEY.Key_F2)  # not the window's "Edit comment…" dialog
    editor = _editor(table)
    qtbot.keyClicks(editor, "Check the I-213 date")
    qtbot.keyClick(editor, KEY.Key_Return)  # a new line, not the end of the edit
    layer.reload()  # a sync brings others' changes while the note is typed...
    qtbot.waitUntil(lambda: pane.model.holding and pane.model._stale, timeout=5000)
    assert editor.isVisible()  # ...and the list is not rebuilt under the editor
    qtbot.keyClicks(editor, "Next hearing")
    qtbot.keyClick(editor, KEY.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=2000)
    record = layer.get(note_id)
    assert record is not None and record.comment == "Check the I-213 date\nNext hearing"
    assert not pane.model.holding and not pane.model._stale  # caught up once closed
    assert pane.model.rows[table.currentIndex().row()].id == note_id  # still chosen
    layer.undo_stack.undo()  # one undo step
    record = layer.get(note_id)
    assert record is not None and record.comment.startswith("The respondent's")

    # Escape drops what was typed.
    row = pane.model.row_of(note_id)
    table.setFocus()
    table.setCurrentIndex(pane.model.index(row, 0))
    qtbot.keyClick(table, KEY.Key_F2)
    editor = _editor(table)
    qtbot.keyClicks(editor, "dropped")
    qtbot.keyClick(editor, KEY.Key_Escape)
    record = layer.get(note_id)
    assert record is not None and record.comment.startswith("The respondent's")


def test_a_double_click_edits_my_note_and_jumps_to_anothers(
    annotated: tuple[ViewerWindow, WindowAnnotations], qtbot: QtBot
) -> None:
    _win, support = annotated
    pane, layer = support.pane, support.current_layer()
    assert layer is not None
    table = pane.table
    mine = next(r for r in range(3) if pane.model.rows[r].kind == "highlight")
    cell = table.visualRect(pane.model.index(mine, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    editor = _editor(table)
    assert editor.toPlainText().startswith("The respondent's")  # the comment, whole
    qtbot.keyClick(editor, KEY.Key_A, CTRL)
    qtbot.keyClicks(editor, "Quoted in the decision")
    qtbot.keyClick(editor, KEY.Key_Enter, CTRL)  # the keypad's Enter too
    mine_id = pane.model.rows[pane.model.row_of(layer.selected_id or "")].id
    record = layer.get(mine_id)
    assert record is not None and record.kind == "highlight"
    assert record.comment == "Quoted in the decision"

    theirs = next(r for r in range(3) if pane.model.rows[r].author_id == JUDGE)
    theirs_id = pane.model.rows[theirs].id
    cell = table.visualRect(pane.model.index(theirs, 4)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert not any(e.isVisible() for e in table.findChildren(QPlainTextEdit))
    assert layer.selected_id == theirs_id  # read-only: the double-click jumps to it
    qtbot.keyClick(table, KEY.Key_F2)
    assert not any(e.isVisible() for e in table.findChildren(QPlainTextEdit))
