"""A Board member's annotations may be shared with the panel deciding the appeal
(``Visibility.PANEL``): the viewer offers that choice to Board members only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from common.enums import Visibility
from desktop.viewer.annotation_window import WindowAnnotations, install_annotations, local_store_for
from desktop.viewer.viewer_window import ViewerWindow
from tests.viewer.annotation_helpers import drag, text_pdf, wait_saved

MEMBER = "0b6e1f1e-0000-4000-8000-0000000000b1"


def _window(qtbot: QtBot, tmp_path: Path, *, panel: bool) -> tuple[ViewerWindow, WindowAnnotations]:
    win = ViewerWindow(cache_bytes=64 * 1024 * 1024)
    win.resize(1100, 900)
    qtbot.addWidget(win)
    support = install_annotations(win, local_store_for(tmp_path / "data"), MEMBER, panel=panel)
    win.show()
    qtbot.waitExposed(win)
    pdf = tmp_path / "transcript.pdf"
    pdf.write_bytes(text_pdf(2))
    win.open_path(pdf)
    qtbot.waitUntil(lambda: support.current_layer() is not None, timeout=5000)
    layer = support.current_layer()
    assert layer is not None
    qtbot.waitUntil(lambda: layer.is_loaded and 0 in layer.view.sharp_pages, timeout=10_000)
    return win, support


def _menu_texts(win: ViewerWindow) -> list[str]:
    menu = next(m for m in win.menuBar().findChildren(QMenu) if m.title() == "&Annotate")
    return [a.text() for a in menu.actions()]


def test_a_board_members_box_shared_with_the_panel(qtbot: QtBot, tmp_path: Path) -> None:
    win, support = _window(qtbot, tmp_path, panel=True)
    layer = support.current_layer()
    assert layer is not None and support.tools.panel_action is not None
    assert "Shared with the panel" in _menu_texts(win)
    # Nothing selected: the choice is the default for the next annotation.
    support.tools.panel_action.trigger()
    assert layer.visibility is Visibility.PANEL
    qtbot.keyClick(layer.view, Qt.Key.Key_R)
    drag(qtbot, layer.view, 0, (300, 300), (400, 360))
    wait_saved(qtbot, layer)
    (box,) = layer.records()
    assert box.visibility is Visibility.PANEL
    assert support.pane.model.data(support.pane.model.index(0, 5)) == "Panel"
    # The box selected, shared with the court instead: one choice at a time.
    qtbot.keyClick(layer.view, Qt.Key.Key_V)
    layer.select(box.id)
    assert support.tools.panel_action.isChecked()
    support.tools.share_action.trigger()
    wait_saved(qtbot, layer)
    assert layer.get(box.id).visibility is Visibility.SHARED  # type: ignore[union-attr]
    assert support.tools.share_action.isChecked()
    assert not support.tools.panel_action.isChecked()


def test_court_staff_are_not_offered_the_panel(qtbot: QtBot, tmp_path: Path) -> None:
    win, support = _window(qtbot, tmp_path, panel=False)
    assert support.tools.panel_action is None
    assert "Shared with the panel" not in _menu_texts(win)
    assert "Shared with the court" in _menu_texts(win)
