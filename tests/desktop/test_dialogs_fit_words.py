"""Dialogs that fit their words (issue 18, client item 6), driven as a person would: the
sign-in dialog shows the whole of a long server address, and the sign-in, reschedule and
adjourn dialogs grow when a long message appears instead of squashing their fields or
cutting the message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.settings import SERVER_URL, Settings
from desktop.ui.context import DesktopContext
from desktop.ui.hearing_dialogs import AdjournDialog, RescheduleDialog
from desktop.ui.sign_in_again_dialog import SignInAgainDialog
from desktop.ui.sign_in_dialog import SignInDialog
from tests.desktop.test_docket_clashes import CTRL, _click_row, _docket

# A long https address (a court's proxy path and a port): about 90 characters.
LONG_URL = "https://127.0.0.1:9/immigration-court/electronic-case-access/sync-gateway/api-v1/"


def _fields_at_their_height(fields: list[QWidget]) -> list[tuple[str, int, int]]:
    """The fields whose height is not their size hint's (squashed or stretched)."""
    return [
        (f.accessibleName() or type(f).__name__, f.height(), f.sizeHint().height())
        for f in fields
        if f.height() != f.sizeHint().height()
    ]


def _wholly_shown(label: QLabel) -> bool:
    """A word-wrapped label has the height its text needs at its width."""
    return label.isVisible() and label.height() >= label.heightForWidth(label.width())


def _first_show(qtbot: QtBot, dialog: QDialog) -> int:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog.height()


def test_the_sign_in_dialog_shows_the_whole_server_address_and_grows_with_its_message(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    settings.set(SERVER_URL, LONG_URL)
    dialog = SignInDialog(settings, base_dir=tmp_path)
    height = _first_show(qtbot, dialog)
    server = dialog.server
    # The whole address fits the field: nothing scrolled out of view at either end.
    margins = server.textMargins()
    inner = server.contentsRect().width() - margins.left() - margins.right()
    assert inner >= server.fontMetrics().horizontalAdvance(LONG_URL)
    server.home(False)
    start_x = server.cursorRect().center().x()
    server.end(False)
    end_x = server.cursorRect().center().x()
    assert end_x - start_x >= server.fontMetrics().horizontalAdvance(LONG_URL) - 2  # no scroll
    # A sign-in against the unreachable address: its long message shows whole, the fields
    # keep their heights and the dialog grew.
    qtbot.keyClicks(dialog.username, "clerk1")
    qtbot.keyClicks(dialog.password, "not the password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "can't be reached" in dialog.error.text(), timeout=15_000)
    assert len(dialog.error.text()) > 120, dialog.error.text()  # a message of several lines
    fields: list[QWidget] = [dialog.server, dialog.username, dialog.password, dialog.code]
    assert _fields_at_their_height(fields) == []
    assert _wholly_shown(dialog.error)
    assert dialog.height() > height


def test_rescheduling_grows_with_the_proposal_and_the_clash_it_names(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    view, made = _docket(qtbot, make_context)
    _click_row(qtbot, view, made["C"].id)
    qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL)
    dialog = view.dialog
    assert isinstance(dialog, RescheduleDialog)
    qtbot.waitExposed(dialog)
    height = dialog.height()
    assert not dialog.slot_note.isVisible()
    button = dialog.free_slot_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert "Proposed" in dialog.slot_note.text()
    # The server's refusal, long, as a failed save shows it.
    dialog._on_failed(RuntimeError("the server refused the change: " + "the courtroom " * 30))
    fields: list[QWidget] = [
        dialog.date_edit,
        dialog.time_edit,
        dialog.courtroom_combo,
        dialog.language_combo,
        dialog.dialect_combo,
        dialog.interpreter_medium_combo,
    ]
    assert _fields_at_their_height(fields) == []
    assert _wholly_shown(dialog.slot_note) and _wholly_shown(dialog.error)
    assert dialog.height() > height


def test_adjourning_grows_with_the_clock_note(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    view, made = _docket(qtbot, make_context)
    _click_row(qtbot, view, made["C"].id)
    qtbot.keyClick(view.table, Qt.Key.Key_J, CTRL)
    qtbot.waitUntil(lambda: isinstance(view.dialog, AdjournDialog), timeout=5000)
    dialog = view.dialog
    assert isinstance(dialog, AdjournDialog)
    qtbot.waitExposed(dialog)
    height = dialog.height()
    dialog.code_combo.setFocus()
    qtbot.keyClick(dialog.code_combo, Qt.Key.Key_Down)  # the first code: its clock note
    assert dialog.code_combo.currentData()
    dialog._on_failed(RuntimeError("the server refused the change: " + "the courtroom " * 30))
    fields: list[QWidget] = [dialog.code_combo, dialog.date_edit, dialog.time_edit]
    assert _fields_at_their_height(fields) == []
    assert _wholly_shown(dialog.clock_note) and _wholly_shown(dialog.error)
    assert dialog.height() > height


def test_signing_in_again_grows_with_the_servers_answer(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    ctx = make_context("clerk1")  # its server is unreachable in these tests
    dialog = SignInAgainDialog(ctx.session, 3, "The server ended your session.")
    height = _first_show(qtbot, dialog)
    qtbot.keyClicks(dialog.password, "the password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=15_000)  # answered
    assert dialog.error.text() not in ("", "Signing in…")
    dialog.say(dialog.error.text() + " " + "Try again when the server answers. " * 6)
    fields: list[QWidget] = [dialog.username, dialog.password, dialog.code]
    assert _fields_at_their_height(fields) == []
    assert _wholly_shown(dialog.explanation) and _wholly_shown(dialog.error)
    assert dialog.height() > height
