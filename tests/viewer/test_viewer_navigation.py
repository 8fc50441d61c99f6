"""The viewer window driven as a reader drives it: thumbnails, bookmarks, find, tabs, split."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.viewer.document_pane import EMPTY_HINT, DocumentPane
from desktop.viewer.outline import NO_BOOKMARKS, PAGE_ROLE
from desktop.viewer.search import SEARCH_CHUNK, search_pages
from desktop.viewer.viewer_window import ViewerWindow
from tests.viewer.conftest import DocumentSpy
from tests.viewer.viewer_pdfs import numbered_pdf

KEY = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
ASYLUM_PAGES = {2: 1, 5: 1, 9: 2, 27: 1}  # page (0-based) -> times "asylum" is on it
CAPITALISED = 1  # one of them is written "Asylum"


def record_pdf(pages: int = 30, *, bookmarks: bool = True) -> bytes:
    """Pages reading "Page n"; "asylum" as in ``ASYLUM_PAGES``; three chapters of bookmarks."""
    doc = pymupdf.open()
    written = 0
    for number in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 100), f"Page {number + 1}", fontsize=28)
        for line in range(ASYLUM_PAGES.get(number, 0)):
            word = "Asylum" if written < CAPITALISED else "asylum"
            page.insert_text((72, 300 + 200 * line), f"The {word} claim", fontsize=14)
            written += 1
    if bookmarks:
        to = {"kind": pymupdf.LINK_GOTO, "page": 11, "to": pymupdf.Point(0, 500)}
        doc.set_toc(
            [
                [1, "Notice to appear", 1],
                [1, "Application", 6],
                [2, "Declaration", 12, to],
                [1, "Evidence", 20],
            ]
        )
    return bytes(doc.tobytes())


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[ViewerWindow]:
    win = ViewerWindow(cache_bytes=64 * 1024 * 1024)
    qtbot.addWidget(win)
    win.resize(1100, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()


def _open(window: ViewerWindow, qtbot: QtBot, data: bytes, title: str) -> DocumentPane:
    pane = window.open_bytes(data, title)
    qtbot.waitUntil(lambda: 0 in pane.view.sharp_pages, timeout=10_000)
    return pane


def _key(
    window: ViewerWindow, qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE
) -> None:
    """A key press where the keyboard focus is, as a reader types it."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifiers)


def _searched(pane: DocumentPane, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not pane.search.running, timeout=20_000)


# --- thumbnails --------------------------------------------------------------------


def test_thumbnails_render_lazily_and_a_click_goes_to_the_page(
    window: ViewerWindow, qtbot: QtBot
) -> None:
    pane = _open(window, qtbot, numbered_pdf(40), "record.pdf")
    panel, model = window.thumbnails, pane.thumbnails
    assert window.thumbnails_dock.isVisible()
    qtbot.waitUntil(lambda: model.has_image(0) and model.has_image(2), timeout=10_000)
    assert not model.has_image(39), "a thumbnail far off screen was rendered"
    image = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert image.width() > 0 and image.height() > image.width()  # a letter page, upright
    index = model.index(3)
    qtbot.mouseClick(
        panel.viewport(), Qt.MouseButton.LeftButton, pos=panel.visualRect(index).center()
    )
    assert pane.view.current_page() == 3
    assert window.page_box.text() == "4"
    # The page the reader turns to is the one highlighted, scrolled into the panel.
    pane.view.go_to_page(35)
    assert panel.currentIndex().row() == 35
    qtbot.waitUntil(lambda: model.has_image(35), timeout=10_000)
    panel.setFocus()
    qtbot.keyClick(panel, KEY.Key_Down)  # the arrow keys in the panel turn the pages too
    assert pane.view.current_page() == 36


# --- outline -----------------------------------------------------------------------


def test_bookmarks_jump_to_their_page_and_place(window: ViewerWindow, qtbot: QtBot) -> None:
    pane = _open(window, qtbot, record_pdf(), "record.pdf")
    window.outline_dock.raise_()
    panel, model = window.outline, pane.outline
    qtbot.waitUntil(lambda: model.status == "", timeout=10_000)
    assert panel.currentWidget() is panel.tree
    titles = [model.item(row).text() for row in range(model.rowCount())]
    assert titles == ["Notice to appear", "Application", "Evidence"]
    evidence = model.index(2, 0)
    qtbot.mouseClick(
        panel.tree.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.tree.visualRect(evidence).center(),
    )
    assert pane.view.current_page() == 19
    declaration = model.index(0, 0, model.index(1, 0))
    assert declaration.data() == "Declaration" and declaration.data(PAGE_ROLE) == 11
    qtbot.mouseClick(
        panel.tree.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.tree.visualRect(declaration).center(),
    )
    transform = pane.view.page_transform(11)
    assert transform is not None
    target = transform.map(QPointF(0, 500))
    assert abs(target.y() - 8) <= 2, "the bookmark's place is not at the top of the view"


def test_a_document_without_bookmarks_says_so(window: ViewerWindow, qtbot: QtBot) -> None:
    _open(window, qtbot, record_pdf(bookmarks=False), "plain.pdf")
    window.outline_dock.raise_()
    qtbot.waitUntil(lambda: window.outline.message.text() == NO_BOOKMARKS, timeout=10_000)
    assert window.outline.currentWidget() is window.outline.message


# --- search ------------------------------------------------------------------------


def test_find_counts_every_hit_and_steps_through_them(window: ViewerWindow, qtbot: QtBot) -> None:
    pane = _open(window, qtbot, record_pdf(), "record.pdf")
    bar = window.find_bar
    _key(window, qtbot, KEY.Key_F, CTRL)
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "asylum")
    qtbot.keyClick(bar.edit, KEY.Key_Return)
    _searched(pane, qtbot)
    total = sum(ASYLUM_PAGES.values())
    assert pane.search.count() == total
    assert sorted(pane.search.hits) == sorted(ASYLUM_PAGES)
    assert bar.count_label.text() == f"1 of {total}"
    assert pane.search.current == (2, 0)
    seen = [pane.search.current]
    for _ in range(total):  # Enter, then F3: next, wrapping after the last
        if len(seen) % 2:
            qtbot.keyClick(bar.edit, KEY.Key_Return)
        else:
            _key(window, qtbot, KEY.Key_F3)
        seen.append(pane.search.current)
    assert seen == [(2, 0), (5, 0), (9, 0), (9, 1), (27, 0), (2, 0)]
    assert bar.count_label.text() == f"1 of {total}"
    qtbot.keyClick(bar.edit, KEY.Key_Return, SHIFT)  # previous wraps to the last
    assert pane.search.current == (27, 0)
    assert bar.count_label.text() == f"{total} of {total}"
    _key(window, qtbot, KEY.Key_F3, SHIFT)
    assert pane.search.current == (9, 1)
    # The current hit is on screen, and its page is the page in the page box.
    page, rect = pane.search.current_rect() or (0, (0.0, 0.0, 0.0, 0.0))
    transform = pane.view.page_transform(page)
    assert transform is not None
    shown = transform.mapRect(QRectF(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1]))
    assert pane.view.viewport().rect().contains(shown.toRect())
    assert window.page_box.text() == str(page + 1)


def test_hits_are_highlighted_and_match_case_counts_fewer(
    window: ViewerWindow, qtbot: QtBot
) -> None:
    pane = _open(window, qtbot, record_pdf(), "record.pdf")
    window.open_find_bar()
    window.find_bar.edit.setText("asylum")
    window.find_bar.search_now()
    _searched(pane, qtbot)
    view = pane.view
    qtbot.waitUntil(lambda: 2 in view.sharp_pages, timeout=10_000)
    shot = view.viewport().grab().toImage()
    transform = view.page_transform(2)
    assert transform is not None
    x0, y0, x1, y1 = pane.search.hits[2][0]
    box = transform.mapRect(QRectF(x0, y0, x1 - x0, y1 - y0)).toRect()
    colours = [
        shot.pixelColor(x, y)
        for x in range(box.left() + 1, box.right(), 2)
        for y in range(box.top() + 1, box.bottom(), 2)
    ]
    assert any(_orange(c) for c in colours), "the current hit is not painted"
    assert not any(_orange(c) or _yellow(c) for c in _around(shot, box)), "paint leaked"
    # The next hit (page 5) is painted in the plain hit colour.
    view.go_to_page(5)
    qtbot.waitUntil(lambda: 5 in view.sharp_pages, timeout=10_000)
    shot = view.viewport().grab().toImage()
    transform = view.page_transform(5)
    assert transform is not None
    x0, y0, x1, y1 = pane.search.hits[5][0]
    box = transform.mapRect(QRectF(x0, y0, x1 - x0, y1 - y0)).toRect()
    assert any(
        _yellow(shot.pixelColor(x, y))
        for x in range(box.left() + 1, box.right(), 2)
        for y in range(box.top() + 1, box.bottom(), 2)
    )
    window.find_bar.match_case.setChecked(True)  # searches again at once
    _searched(pane, qtbot)
    assert pane.search.count() == sum(ASYLUM_PAGES.values()) - CAPITALISED
    assert 2 not in pane.search.hits  # page 3 has "Asylum"
    qtbot.keyClick(window.find_bar.edit, KEY.Key_Escape)
    assert not window.find_bar.isVisible() and pane.search.count() == 0
    assert view.hasFocus()


def _orange(colour: QColor) -> bool:
    return colour.red() > 230 and 110 < colour.green() < 170 and colour.blue() < 40


def _yellow(colour: QColor) -> bool:
    return colour.red() > 230 and colour.green() > 200 and colour.blue() < 100


def _around(shot, box):  # type: ignore[no-untyped-def]
    """Pixels just outside ``box``."""
    for x in range(box.left(), box.right(), 3):
        yield shot.pixelColor(x, max(0, box.top() - 6))
        yield shot.pixelColor(x, min(shot.height() - 1, box.bottom() + 6))


def test_a_new_search_replaces_the_one_running(window: ViewerWindow, qtbot: QtBot) -> None:
    pages = 40 * SEARCH_CHUNK  # long enough to be still running on a loaded machine
    pane = _open(window, qtbot, record_pdf(pages), "long.pdf")
    session = pane.search
    session.start("Page")  # a hit on every page: it takes several chunks
    qtbot.waitUntil(lambda: session.searched_pages >= SEARCH_CHUNK, timeout=10_000)
    assert session.running and session.searched_pages < pages
    old_generation = session.generation
    session.start("claim")
    assert session.generation > old_generation
    _searched(pane, qtbot)
    assert session.count() == sum(ASYLUM_PAGES.values())
    assert sorted(session.hits) == sorted(ASYLUM_PAGES)
    assert session.searched_pages == pages
    session.start("no such words")
    _searched(pane, qtbot)
    assert session.count() == 0 and session.status_text() == "No matches"


def test_search_thumbnails_and_bookmarks_touch_the_document_on_its_thread_only(
    window: ViewerWindow, qtbot: QtBot, document_spy: DocumentSpy
) -> None:
    pane = _open(window, qtbot, record_pdf(), "record.pdf")
    qtbot.waitUntil(lambda: pane.thumbnails.has_image(1), timeout=10_000)
    qtbot.waitUntil(lambda: pane.outline.status == "", timeout=10_000)
    pane.search.start("asylum", match_case=True)
    _searched(pane, qtbot)
    assert pane.search.count() == sum(ASYLUM_PAGES.values()) - CAPITALISED
    assert len(document_spy.threads) == 1
    assert threading.get_ident() not in document_spy.threads
    for rects in pane.search.hits.values():  # plain values came back, no PyMuPDF objects
        assert all(type(value) is float for rect in rects for value in rect)


# --- tabs and split view -----------------------------------------------------------


def test_tabs_switch_with_ctrl_tab_and_close_with_ctrl_w(
    window: ViewerWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    first_path = tmp_path / "application.pdf"
    first_path.write_bytes(record_pdf())
    first = window.open_path(first_path)
    qtbot.waitUntil(lambda: first.view.page_count() == 30, timeout=10_000)
    second = _open(window, qtbot, numbered_pdf(12), "evidence.pdf")
    tabs = window.groups[0]
    assert tabs.count() == 2 and window.current_pane() is second
    assert tabs.tabText(0) == "application.pdf" and tabs.tabText(1) == "evidence.pdf"
    assert "evidence.pdf" in window.windowTitle() and window.page_total.text().strip() == "/ 12"
    _key(window, qtbot, KEY.Key_Tab, CTRL)
    assert window.current_pane() is first
    assert window.page_total.text().strip() == "/ 30"
    _key(window, qtbot, KEY.Key_Tab, CTRL | SHIFT)
    assert window.current_pane() is second
    # Opening a document that is already open shows its tab.
    assert window.open_path(first_path) is first and tabs.count() == 2
    assert window.current_pane() is first
    worker = first.view._worker
    assert worker is not None and worker._thread.isRunning()
    _key(window, qtbot, KEY.Key_W, CTRL)
    assert tabs.count() == 1 and window.current_pane() is second
    assert not worker._thread.isRunning()  # the closed document's render thread ended
    _key(window, qtbot, KEY.Key_W, CTRL)
    assert tabs.count() == 1 and window.current_pane() is not None
    assert window.current_pane().is_empty()  # type: ignore[union-attr]
    assert window.windowTitle() == "ECAS viewer"


def test_split_view_reads_two_documents_each_at_its_own_page(
    window: ViewerWindow, qtbot: QtBot
) -> None:
    application = _open(window, qtbot, record_pdf(), "application.pdf")
    _key(window, qtbot, KEY.Key_Backslash, CTRL)
    assert window.is_split() and len(window.groups) == 2
    right = window.groups[1]
    assert window.current_pane() is right.current_pane()
    assert window.current_pane().is_empty()  # type: ignore[union-attr]
    evidence = _open(window, qtbot, numbered_pdf(40), "evidence.pdf")
    assert right.current_pane() is evidence and right.count() == 1
    assert window.groups[0].current_pane() is application
    evidence.view.go_to_page(30)
    assert window.page_box.text() == "31"
    _key(window, qtbot, KEY.Key_F6)
    assert window.current_pane() is application
    application.view.go_to_page(7)
    assert window.page_box.text() == "8" and window.page_total.text().strip() == "/ 30"
    assert evidence.view.current_page() == 30  # each side keeps its own page
    evidence.view.setFocus()  # clicking into a side makes it the active one
    assert window.current_pane() is evidence and window.page_box.text() == "31"
    # A tab moves to the other side (Ctrl+Shift+M), keeping its page.
    extra = _open(window, qtbot, numbered_pdf(5), "hearing notice.pdf")
    assert right.panes() == [evidence, extra]
    _key(window, qtbot, KEY.Key_M, CTRL | SHIFT)
    assert window.groups[0].panes() == [application, extra] and right.panes() == [evidence]
    assert window.current_pane() is extra
    # Folding the split keeps every document, as tabs on one side.
    window.split_action.trigger()
    assert not window.is_split()
    assert window.groups[0].panes() == [application, extra, evidence]
    assert application.view.current_page() == 7 and evidence.view.current_page() == 30


def test_an_empty_pane_says_how_to_open_a_document(window: ViewerWindow) -> None:
    pane = window.current_pane()
    assert pane is not None and pane.is_empty()
    assert pane._hint.text() == EMPTY_HINT and pane._stack.currentWidget() is pane._hint
    assert window.statusBar().currentMessage() == "No document open"


def test_a_file_that_cannot_be_opened_says_why_in_its_tab(
    window: ViewerWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a PDF")
    good = _open(window, qtbot, numbered_pdf(3), "good.pdf")
    with qtbot.waitSignal(window.statusBar().messageChanged, timeout=10_000):
        pane = window.open_path(broken)
    qtbot.waitUntil(lambda: pane.view.message() is not None, timeout=10_000)
    assert "damaged" in window.statusBar().currentMessage()
    assert window.groups[0].tabText(1) == "broken.pdf" and window.page_total.text() == " / 0 "
    pane.search.start("Page")  # nothing to search: no error, no hits
    assert pane.search.count() == 0 and not pane.search.running
    assert pane.outline.status == "No document open."
    window.show_pane(good)  # the good document is untouched
    assert window.page_total.text().strip() == "/ 3" and good.view.message() is None


def test_hits_on_a_page_with_its_own_rotation_are_where_the_text_is_shown() -> None:
    """PyMuPDF finds text in the page's unrotated space; a page with /Rotate 90 shows it
    elsewhere, and the highlight must follow what is shown (``page.rect`` space)."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), "Findme here", fontsize=20)
    page.set_rotation(90)
    shown = pymupdf.open(stream=doc.tobytes(), filetype="pdf")
    _first, _last, found = search_pages(shown, 0, 1, "findme", False, lambda: True)
    [(number, [(x0, y0, x1, y1)])] = found
    assert number == 0
    pix = shown[0].get_pixmap(dpi=72)  # the page as shown: 792 wide, 612 high
    samples = pix.samples  # a copy on every access: take it once
    ink = [
        (x, y)
        for y in range(pix.height)
        for x in range(pix.width)
        if samples[y * pix.stride + x * pix.n] < 100
    ]
    word = [(x, y) for x, y in ink if y < 138]  # "Findme" (" here" runs further down)
    assert word and all(x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1 for x, y in word)


def test_a_tab_s_menu_moves_it_to_the_other_side_and_closes_it(
    window: ViewerWindow, qtbot: QtBot
) -> None:
    first = _open(window, qtbot, numbered_pdf(4), "first.pdf")
    second = _open(window, qtbot, numbered_pdf(6), "second.pdf")
    left = window.groups[0]
    move, _separator, close = left.tab_menu(first).actions()
    assert move.text() == "Move to the other side" and close.text() == "Close tab"
    move.trigger()
    assert window.is_split()
    assert left.panes() == [second] and window.groups[1].panes() == [first]
    assert window.current_pane() is first
    window.groups[1].tab_menu(first).actions()[-1].trigger()
    assert window.groups[1].current_pane().is_empty()  # type: ignore[union-attr]
    assert first.view._worker is None  # its render thread was shut down
