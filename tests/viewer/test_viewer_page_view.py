"""The page view as a reader uses it: open, turn pages, zoom, rotate, bad files."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.viewer.document_check import ENCRYPTED, HASH_MISMATCH
from desktop.viewer.page_view import PageView
from desktop.viewer.viewer_window import ViewerWindow
from tests.pdf_factory import encrypted_pdf
from tests.viewer.viewer_pdfs import PAGES, numbered_pdf, truncated_pdf

KEY = Qt.Key


def _sharp(view: PageView, qtbot: QtBot, page: int) -> None:
    qtbot.waitUntil(lambda: page in view.sharp_pages, timeout=10_000)


def test_opening_shows_page_one_sharp_at_fit_width(open_view: PageView, qtbot: QtBot) -> None:
    assert open_view.page_count() == PAGES
    assert open_view.current_page() == 0
    assert 0 in open_view.sharp_pages
    rect = open_view.page_rect(0)
    assert rect is not None and rect.width() == open_view.viewport().width() - 16
    image = open_view.cache.get(open_view._key(0))
    assert image is not None
    dpr = open_view.viewport().devicePixelRatioF()
    assert image.devicePixelRatio() == dpr  # rendered for the screen's pixels
    assert abs(image.width() - rect.width() * dpr) <= 1


def test_keys_move_through_pages(open_view: PageView, qtbot: QtBot) -> None:
    view = open_view
    with qtbot.waitSignal(view.page_changed, check_params_cb=lambda p: p == PAGES - 1):
        qtbot.keyClick(view, KEY.Key_End)
    _sharp(view, qtbot, PAGES - 1)
    with qtbot.waitSignal(view.page_changed, check_params_cb=lambda p: p == 0):
        qtbot.keyClick(view, KEY.Key_Home)
    with qtbot.waitSignal(view.page_changed, check_params_cb=lambda p: p == 1):
        for _ in range(3):
            qtbot.keyClick(view, KEY.Key_PageDown)
    top = view.verticalScrollBar().value()
    qtbot.keyClick(view, KEY.Key_Down)
    assert view.verticalScrollBar().value() > top
    qtbot.keyClick(view, KEY.Key_PageUp)
    assert view.verticalScrollBar().value() < top


def test_go_to_page_puts_that_page_on_top(open_view: PageView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(open_view.page_changed, check_params_cb=lambda p: p == 24):
        open_view.go_to_page(24)
    rect = open_view.page_rect(24)
    assert rect is not None
    assert open_view.verticalScrollBar().value() == rect.top() - 8
    _sharp(open_view, qtbot, 24)


def test_the_next_pages_are_prefetched(open_view: PageView, qtbot: QtBot) -> None:
    open_view.go_to_page(10)
    _sharp(open_view, qtbot, 10)
    qtbot.waitUntil(lambda: open_view._key(12) in open_view.cache, timeout=10_000)
    qtbot.waitUntil(lambda: open_view._key(9) in open_view.cache, timeout=10_000)


def test_zoom_steps_fit_and_ctrl_wheel(open_view: PageView, qtbot: QtBot) -> None:
    view = open_view
    fitted = view.zoom()
    with qtbot.waitSignal(view.zoom_changed):
        qtbot.keyClick(view, KEY.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() > fitted and view.zoom_mode() == "custom"
    qtbot.keyClick(view, KEY.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, KEY.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() < fitted
    qtbot.keyClick(view, KEY.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == fitted and view.zoom_mode() == "fit_width"
    view.fit_page()
    rect = view.page_rect(0)
    assert rect is not None and rect.height() <= view.viewport().height() - 16
    before = view.zoom()
    _wheel(view, 120, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() > before
    _sharp(view, qtbot, 0)  # re-rendered at the new zoom


def _wheel(view: PageView, delta: int, modifiers: Qt.KeyboardModifier) -> None:
    event = QWheelEvent(
        QPointF(100, 100),
        QPointF(view.viewport().mapToGlobal(QPoint(100, 100))),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_rotation_turns_the_view_not_the_file(open_view: PageView, qtbot: QtBot) -> None:
    view = open_view
    view.set_zoom(0.5)
    upright = view.page_rect(0)
    qtbot.keyClick(view, KEY.Key_R, Qt.KeyboardModifier.ControlModifier)
    turned = view.page_rect(0)
    assert upright is not None and turned is not None
    assert (turned.width(), turned.height()) == (upright.height(), upright.width())
    _sharp(view, qtbot, 0)
    image = view.cache.get(view._key(0))
    assert image is not None and image.width() > image.height()
    qtbot.keyClick(
        view, KEY.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert view.rotation() == 0


def test_single_page_mode_turns_whole_pages(open_view: PageView, qtbot: QtBot) -> None:
    view = open_view
    view.set_continuous(False)
    view.fit_page()
    assert view._layout.pages == (0,)
    with qtbot.waitSignal(view.page_changed, check_params_cb=lambda p: p == 1):
        qtbot.keyClick(view, KEY.Key_PageDown)
    assert view._layout.pages == (1,)
    _sharp(view, qtbot, 1)
    with qtbot.waitSignal(view.page_changed, check_params_cb=lambda p: p == 0):
        qtbot.keyClick(view, KEY.Key_Left)


def test_cache_stays_under_its_cap_paging_through_everything(view: PageView, qtbot: QtBot) -> None:
    small = PageView(cache_bytes=8 * 1024 * 1024)  # about four pages at this size
    small.resize(600, 800)
    qtbot.addWidget(small)
    small.show()
    with qtbot.waitSignal(small.first_page_painted, timeout=10_000):
        small.open_bytes(numbered_pdf())
    for page in range(PAGES):
        small.go_to_page(page)
        _sharp(small, qtbot, page)
        assert small.cache.bytes_used <= small.cache.max_bytes
    assert small.cache.peak_bytes <= small.cache.max_bytes
    small.close_document()


def test_a_matching_hash_opens_and_a_mismatch_is_refused(
    view: PageView, qtbot: QtBot, pdf50: bytes
) -> None:
    with qtbot.waitSignal(view.failed) as failed:
        view.open_bytes(pdf50, expected_sha256="0" * 64)
    assert failed.args == [HASH_MISMATCH]
    assert view.page_count() == 0 and view.message() == HASH_MISMATCH
    with qtbot.waitSignal(view.first_page_painted, timeout=10_000):
        view.open_bytes(pdf50, expected_sha256=hashlib.sha256(pdf50).hexdigest())
    assert view.message() is None and view.page_count() == PAGES


def test_bad_files_get_a_clear_message(view: PageView, qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = {
        b"%PDF-1.7\nthis is not really a PDF": "damaged or is not a PDF",
        truncated_pdf(): "incomplete",
        encrypted_pdf(): ENCRYPTED,
        b"": "damaged or is not a PDF",
    }
    for data, words in cases.items():
        with qtbot.waitSignal(view.failed, timeout=10_000) as failed:
            view.open_bytes(data)
        assert words in failed.args[0]
        view.grab()  # paints the message without raising
    missing = tmp_path / "gone.pdf"
    with qtbot.waitSignal(view.failed, timeout=10_000) as failed:
        view.open_path(missing)
    assert "can't be opened" in failed.args[0] or "damaged" in failed.args[0]


def test_window_shows_page_numbers_and_zoom(qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "record.pdf"
    path.write_bytes(numbered_pdf(12))
    window = ViewerWindow()
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    with qtbot.waitSignal(window.view.first_page_painted, timeout=10_000):
        window.open_path(path)
    assert window.page_total.text().strip() == "/ 12"
    assert window.page_box.text() == "1"
    window.page_box.setText("7")
    qtbot.keyClick(window.page_box, KEY.Key_Return)
    assert window.view.current_page() == 6
    window.zoom_box.setCurrentText("200 %")
    window.zoom_box.activated.emit(window.zoom_box.currentIndex())
    assert window.view.zoom() == 2.0
    window.view.zoom_out()
    assert window.zoom_box.currentText() == "175 %"
    window.continuous_action.trigger()
    assert not window.view.is_continuous()
    window.close()


def test_a_page_not_yet_rendered_is_painted_from_the_nearest_size(
    open_view: PageView,
) -> None:
    view = open_view
    view.set_zoom(view.zoom() * 1.5)
    shot = view.grab().toImage()  # painted before the worker can answer: no events ran
    assert view.sharp_pages == ()
    rect = view.page_rect(0)
    assert rect is not None
    dark = sum(
        1
        for x in range(rect.left(), min(rect.right(), shot.width()), 3)
        for y in range(rect.top(), min(rect.bottom(), shot.height()), 3)
        if shot.pixelColor(x, y).lightness() < 60
    )
    assert dark > 0, "the scaled page 1 (black text) was not painted"


def test_page_coordinates_round_trip_at_every_rotation(qtbot: QtBot, open_view: PageView) -> None:
    """``page_transform`` and ``page_at`` agree, zoomed, scrolled and rotated, and an
    overlay paints in page coordinates."""
    view = open_view
    painted: list[int] = []
    view.add_overlay(lambda painter, page, transform: painted.append(page))
    view.set_zoom(1.5)
    for rotation in (0, 90, 180, 270):
        assert view.rotation() == rotation
        view.go_to_page(3)
        transform = view.page_transform(3)
        assert transform is not None
        hit = view.page_at(transform.map(QPointF(100.0, 200.0)))
        assert hit is not None
        page, point = hit
        assert page == 3
        assert abs(point.x() - 100.0) < 0.01 and abs(point.y() - 200.0) < 0.01
        view.rotate(90)
    qtbot.waitUntil(lambda: 3 in painted, timeout=5000)
