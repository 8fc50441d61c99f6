"""Signing in through the dialog, as a person would: online, wrongly, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.settings import LAST_USERNAME, SERVER_URL, Settings
from desktop.ui.sign_in_dialog import SignInDialog
from tests.conftest import DEMO_PASSWORD, LiveServer

pytestmark = pytest.mark.slow


def _dialog(qtbot: QtBot, settings: Settings, folder: Path, server: str) -> SignInDialog:
    settings.set(SERVER_URL, server)
    dialog = SignInDialog(settings, base_dir=folder)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type_and_submit(qtbot: QtBot, dialog: SignInDialog, username: str, password: str) -> None:
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, username)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_signing_in_online_remembers_the_server_and_username(
    qtbot: QtBot, live_server: LiveServer, settings: Settings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, settings, tmp_path, live_server.url)
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        _type_and_submit(qtbot, dialog, "clerk1", DEMO_PASSWORD)
    session = dialog.result_session
    assert session is not None and session.online and session.role == "clerk"
    assert settings.value(LAST_USERNAME) == "clerk1"
    assert dialog.password.text() == ""  # not kept in the widget


def test_a_wrong_password_is_said_plainly_and_the_dialog_stays(
    qtbot: QtBot, live_server: LiveServer, settings: Settings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, settings, tmp_path, live_server.url)
    _type_and_submit(qtbot, dialog, "clerk1", "not the password")
    qtbot.waitUntil(lambda: "wrong" in dialog.error.text(), timeout=15_000)
    assert dialog.isVisible() and dialog.result_session is None
    assert dialog.buttons.isEnabled()


def test_offline_sign_in_opens_this_computers_copy_after_an_online_one(
    qtbot: QtBot, live_server: LiveServer, settings: Settings, tmp_path: Path
) -> None:
    first = _dialog(qtbot, settings, tmp_path, live_server.url)
    with qtbot.waitSignal(first.accepted, timeout=15_000):
        _type_and_submit(qtbot, first, "judge1", DEMO_PASSWORD)
    live_server.stop()

    wrong = _dialog(qtbot, settings, tmp_path, live_server.url)
    _type_and_submit(qtbot, wrong, "judge1", "guess")
    qtbot.waitUntil(lambda: "password is wrong" in wrong.error.text(), timeout=15_000)

    offline = _dialog(qtbot, settings, tmp_path, live_server.url)
    with qtbot.waitSignal(offline.accepted, timeout=15_000):
        _type_and_submit(qtbot, offline, "judge1", DEMO_PASSWORD)
    assert offline.result_session is not None and not offline.result_session.online
    assert "offline" in (offline.result_session.notice or "").lower()


def test_an_unreachable_server_and_no_local_copy_says_what_to_do(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, settings, tmp_path, "http://127.0.0.1:9")
    _type_and_submit(qtbot, dialog, "clerk1", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: "can't be reached" in dialog.error.text(), timeout=15_000)
    assert "not signed in on this computer before" in dialog.error.text()


def test_a_server_address_locked_by_it_cannot_be_edited(qtbot: QtBot, tmp_path: Path) -> None:
    system = tmp_path / "system.ini"
    system.write_text(
        "[sync]\nserver_url=https://ecas.court.example\n\n[locked]\nsync%2Fserver_url=true\n"
    )
    from PySide6.QtCore import QSettings

    settings = Settings(
        QSettings(str(tmp_path / "user.ini"), QSettings.Format.IniFormat),
        QSettings(str(system), QSettings.Format.IniFormat),
    )
    dialog = SignInDialog(settings, base_dir=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.server.text() == "https://ecas.court.example"
    assert dialog.server.isReadOnly()
