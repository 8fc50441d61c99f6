"""Annotating with the mouse and keyboard on a shown page view, against a local-file store:
each kind made by pointer, edited, moved, deleted, undone and redone."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from common.enums import Visibility
from desktop.annotation_store import LocalFileAnnotations, rect_of
from desktop.viewer.annotation_layer import AnnotationLayer
from desktop.viewer.annotation_tools import AnnotationTools
from desktop.viewer.page_view import PageView
from tests.viewer.annotation_helpers import (
    LINE_Y,
    answers,
    click,
    drag,
    some_id,
    text_pdf,
    viewport_point,
    wait_saved,
    wait_words,
)
from tests.viewer.conftest import DocumentSpy

KEY = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ME = "0b6e1f1e-0000-4000-8000-000000000001"


class Harness:
    def __init__(
        self,
        window: QMainWindow,
        view: PageView,
        layer: AnnotationLayer,
        tools: AnnotationTools,
        store: LocalFileAnnotations,
    ) -> None:
        self.window, self.view, self.layer, self.tools, self.store = (
            window,
            view,
            layer,
            tools,
            store,
        )


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Iterator[Harness]:
    data = text_pdf()
    window = QMainWindow()
    view = PageView(window, cache_bytes=64 * 1024 * 1024)
    window.setCentralWidget(view)
    window.resize(700, 900)
    qtbot.addWidget(window)
    store = LocalFileAnnotations(tmp_path / "local", hashlib.sha256(data).hexdigest())
    layer = AnnotationLayer(view, store, ME, source=data)
    tools = AnnotationTools(window)
    tools.set_layer(layer)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(view.first_page_painted, timeout=10_000):
        view.open_bytes(data)
    with qtbot.waitSignal(layer.loaded, timeout=5000):
        layer.load()
    view.setFocus()
    yield Harness(window, view, layer, tools, store)
    view.close_document()


def _stored(h: Harness) -> dict[str, object]:
    wait = h.layer
    assert wait.idle()
    return {r.id: r for r in h.store.load()}


def test_highlight_drag_across_text_makes_a_text_anchored_record(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    wait_words(qtbot, h.layer, 0)
    qtbot.keyClick(h.view, KEY.Key_H)
    assert h.layer.tool == "highlight"
    drag(qtbot, h.view, 0, (74, LINE_Y[0] - 4), (200, LINE_Y[1] - 4))
    records = h.layer.records()
    assert len(records) == 1
    mark = records[0]
    assert mark.kind == "highlight" and mark.page == 0
    assert mark.text.startswith("The respondent entered")
    assert "Alien registration" in mark.text
    assert len(mark.geometry["quads"]) == 2  # one box per line
    assert mark.geometry["origin"] == "top-left"
    wait_saved(qtbot, h.layer)
    assert set(_stored(h)) == {mark.id}


def test_select_text_and_copy(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    wait_words(qtbot, h.layer, 0)
    drag(qtbot, h.view, 0, (74, LINE_Y[2] - 4), (200, LINE_Y[2] - 4))
    assert h.layer.selection is not None
    assert h.layer.records() == []  # selecting text makes nothing
    qtbot.keyClick(h.view, KEY.Key_C, CTRL)
    assert QApplication.clipboard().text() == "The court finds the testimony"


def test_each_shape_kind_by_pointer(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    wait_words(qtbot, h.layer, 0)
    for key in (KEY.Key_U, KEY.Key_S):
        qtbot.keyClick(h.view, key)
        drag(qtbot, h.view, 0, (74, LINE_Y[2] - 4), (150, LINE_Y[2] - 4))
    for key, box in (
        (KEY.Key_R, (300, 300, 400, 360)),
        (KEY.Key_E, (300, 400, 380, 460)),
        (KEY.Key_X, (70, LINE_Y[1] - 12, 500, LINE_Y[1] + 4)),
    ):
        qtbot.keyClick(h.view, key)
        drag(qtbot, h.view, 0, box[:2], box[2:])
    qtbot.keyClick(h.view, KEY.Key_I)
    drag(qtbot, h.view, 0, (100, 500), (250, 560))
    qtbot.keyClick(h.view, KEY.Key_N)
    with answers(h.layer, "Check the date") as asked:
        click(qtbot, h.view, 0, 520, 90)
    assert asked == ["Note"]
    qtbot.keyClick(h.view, KEY.Key_T)
    with answers(h.layer, "See exhibit 4"):
        click(qtbot, h.view, 0, 300, 600)
    kinds = {r.kind: r for r in h.layer.records()}
    assert set(kinds) == {
        "underline",
        "strikeout",
        "rect",
        "ellipse",
        "redact",
        "ink",
        "note",
        "freetext",
    }
    assert kinds["rect"].geometry["rect"] == pytest.approx([300, 300, 400, 360], abs=1.5)
    assert len(kinds["ink"].geometry["paths"][0]) >= 5
    assert kinds["note"].comment == "Check the date"
    assert kinds["freetext"].text == "See exhibit 4"
    assert "SECRET-A123" in kinds["redact"].text
    wait_saved(qtbot, h.layer)
    assert len(_stored(h)) == 8


def test_move_edit_delete_undo_redo_with_keys(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    qtbot.keyClick(h.view, KEY.Key_R)
    drag(qtbot, h.view, 0, (300, 300), (400, 360))
    (box,) = h.layer.records()
    qtbot.keyClick(h.view, KEY.Key_V)
    drag(qtbot, h.view, 0, (350, 300), (370, 340))  # grab its edge, move it
    moved = h.layer.get(box.id)
    assert moved is not None
    assert rect_of(moved)[:2] == pytest.approx((320, 340), abs=1.5)
    with answers(h.layer, "Marked by the judge"):
        qtbot.keyClick(h.view, KEY.Key_F2)
    assert h.layer.get(box.id).comment == "Marked by the judge"  # type: ignore[union-attr]
    h.layer.set_color("#00aa00")
    h.tools.share_action.trigger()
    assert h.layer.get(box.id).visibility is Visibility.SHARED  # type: ignore[union-attr]
    qtbot.keyClick(h.view, KEY.Key_Delete)
    assert h.layer.records() == []
    wait_saved(qtbot, h.layer)
    assert _stored(h) == {}
    qtbot.keyClick(h.view, KEY.Key_Z, CTRL)  # the delete undone: back, under a new id
    (back,) = h.layer.records()
    assert back.visibility is Visibility.SHARED and back.color == "#00aa00"
    for _ in range(3):  # share, colour, comment undone
        qtbot.keyClick(h.view, KEY.Key_Z, CTRL)
    assert h.layer.get(back.id).comment == ""  # type: ignore[union-attr]
    qtbot.keyClick(h.view, KEY.Key_Z, CTRL)  # the move undone
    assert rect_of(h.layer.get(back.id))[:2] == pytest.approx((300, 300), abs=1.5)  # type: ignore[arg-type]
    qtbot.keyClick(h.view, KEY.Key_Z, CTRL | SHIFT)
    assert rect_of(h.layer.get(back.id))[:2] == pytest.approx((320, 340), abs=1.5)  # type: ignore[arg-type]
    qtbot.keyClick(h.view, KEY.Key_Y, CTRL)
    assert h.layer.get(back.id).comment == "Marked by the judge"  # type: ignore[union-attr]
    wait_saved(qtbot, h.layer)
    stored = _stored(h)
    assert list(stored) == [back.id]
    assert stored[back.id] == h.layer.get(back.id)


def test_others_shared_annotations_are_read_only(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    other = some_id()
    from desktop.annotation_store import geometry, new_annotation

    theirs = new_annotation(
        kind="rect",
        page=0,
        geom=geometry((300, 300, 400, 360)),
        document_id=h.store.document_id,
        sha256=h.store.sha256,
        author_id=other,
        visibility=Visibility.SHARED,
    )
    h.layer.set_records([theirs])
    qtbot.keyClick(h.view, KEY.Key_V)
    drag(qtbot, h.view, 0, (350, 300), (370, 340))
    assert h.layer.selected_id == theirs.id
    assert h.layer.get(theirs.id) == theirs  # not moved
    qtbot.keyClick(h.view, KEY.Key_Delete)
    assert h.layer.get(theirs.id) == theirs


def test_a_cancelled_note_makes_nothing(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    qtbot.keyClick(h.view, KEY.Key_N)
    with answers(h.layer, None):
        click(qtbot, h.view, 0, 520, 90)
    assert h.layer.records() == []
    assert not h.layer.undo_stack.canUndo()


def test_text_is_read_on_the_render_thread_only(
    view: PageView, qtbot: QtBot, document_spy: DocumentSpy, tmp_path: Path
) -> None:
    data = text_pdf()
    store = LocalFileAnnotations(tmp_path / "local", hashlib.sha256(data).hexdigest())
    layer = AnnotationLayer(view, store, ME)
    with qtbot.waitSignal(view.first_page_painted, timeout=10_000):
        view.open_bytes(data)
    for page in range(3):
        wait_words(qtbot, layer, page)
    layer.set_tool("highlight")
    drag(qtbot, view, 0, (74, LINE_Y[0] - 4), (200, LINE_Y[0] - 4))
    assert len(layer.records()) == 1
    assert len(document_spy.threads) == 1  # the render worker's, never the GUI's
    assert threading.get_ident() not in document_spy.threads


def test_ink_from_a_tablet_pen(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    h.layer.set_tool("ink")
    viewport = h.view.viewport()
    points = [viewport_point(h.view, 0, 100 + 10 * i, 500 + 5 * i) for i in range(6)]
    kinds = [QEvent.Type.TabletPress] + [QEvent.Type.TabletMove] * 4 + [QEvent.Type.TabletRelease]
    for kind, point in zip(kinds, points, strict=True):
        event = QTabletEvent(
            kind,
            QPointingDevice.primaryPointingDevice(),
            QPointF(point),
            QPointF(viewport.mapToGlobal(point)),
            0.6,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton
            if kind != QEvent.Type.TabletRelease
            else Qt.MouseButton.NoButton,
        )
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()
    (ink,) = h.layer.records()
    assert ink.kind == "ink"
    assert len(ink.geometry["paths"][0]) >= 6
    assert ink.geometry["paths"][0][0] == pytest.approx([100, 500], abs=1.5)
    h.layer.set_tool("rect")  # any other tool: the pen is a mouse (the event is not used)
    event = QTabletEvent(
        QEvent.Type.TabletPress,
        QPointingDevice.primaryPointingDevice(),
        QPointF(points[0]),
        QPointF(viewport.mapToGlobal(points[0])),
        0.6, 0.0, 0.0, 0.0, 0.0, 0.0,
        Qt.KeyboardModifier.NoModifier,
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
    )  # fmt: skip
    QApplication.sendEvent(viewport, event)
    assert not event.isAccepted()


def test_reload_after_a_sync_shows_others_changes_and_keeps_undo(
    harness: Harness, qtbot: QtBot
) -> None:
    from desktop.annotation_store import geometry, new_annotation

    h = harness
    qtbot.keyClick(h.view, KEY.Key_R)
    drag(qtbot, h.view, 0, (300, 300), (400, 360))
    (mine,) = h.layer.records()
    pulled = new_annotation(
        kind="note",
        page=1,
        geom=geometry((50, 50, 70, 70)),
        document_id=h.store.document_id,
        sha256=h.store.sha256,
        author_id=some_id(),
        comment="from the judge",
        visibility=Visibility.SHARED,
    )
    wait_saved(qtbot, h.layer)
    h.store.put(pulled)  # as a pull writes it into the store
    with qtbot.waitSignal(h.layer.changed, timeout=5000):
        h.layer.reload()
    assert {r.id for r in h.layer.records()} == {mine.id, pulled.id}
    qtbot.keyClick(h.view, KEY.Key_Z, CTRL)
    assert [r.id for r in h.layer.records()] == [pulled.id]


def test_right_click_menu_on_an_annotation(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    qtbot.keyClick(h.view, KEY.Key_E)
    drag(qtbot, h.view, 0, (300, 400), (380, 460))
    (ellipse,) = h.layer.records()
    menu = h.layer.context_menu(ellipse)
    titles = [a.text() for a in menu.actions() if a.text()]
    assert titles == ["Edit comment…", "Colour", "Shared with the court", "Copy text", "Delete"]
    h.layer.select(ellipse.id)
    colours = next(a for a in menu.actions() if a.text() == "Colour").menu()
    next(a for a in colours.actions() if a.text() == "Purple").trigger()
    assert h.layer.get(ellipse.id).color == "#a28ae5"  # type: ignore[union-attr]
    next(a for a in menu.actions() if a.text() == "Shared with the court").trigger()
    assert h.layer.get(ellipse.id).visibility is Visibility.SHARED  # type: ignore[union-attr]
    next(a for a in menu.actions() if a.text() == "Delete").trigger()
    assert h.layer.records() == []
    qtbot.mouseClick(
        h.view.viewport(),
        Qt.MouseButton.RightButton,
        pos=viewport_point(h.view, 0, 50, 50),  # no annotation there: no menu
    )
