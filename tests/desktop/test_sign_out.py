"""Signing out signs out: the server session ends, the keyring forgets it, and the next
start asks for the password — also when the server can't be reached, and also when the
keyring won't let go of the token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring.errors
import pytest
import requests
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.services.session import SignedIn, resume, sign_in, sign_out
from desktop.services.sync_controller import SyncController
from desktop.settings import Settings
from desktop.sync_engine import SyncEngine
from desktop.ui.context import DesktopContext
from desktop.ui.main_window import MainWindow
from tests.conftest import DEMO_PASSWORD, LiveServer
from tests.desktop.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401

pytestmark = pytest.mark.slow


def _refresh_status(server: LiveServer, token: str) -> int:
    response = requests.post(
        f"{server.url}/api/v1/auth/refresh", json={"refresh_token": token}, timeout=10
    )
    return response.status_code


@pytest.fixture
def contexts() -> Iterator[list[DesktopContext]]:
    made: list[DesktopContext] = []
    yield made
    for ctx in made:
        ctx.sync.stop()
        ctx.writer.waitForDone(5000)
        ctx.store.engine.dispose()


def _window(qtbot: QtBot, settings: Settings, session: SignedIn, made: list) -> MainWindow:  # type: ignore[type-arg]
    controller = SyncController(SyncEngine(session.client, session.store), interval_seconds=3600)
    ctx = DesktopContext(settings, session, controller)
    made.append(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_signing_out_from_the_menu_ends_the_session_and_the_next_start_asks_for_the_password(
    qtbot: QtBot,
    live_server: LiveServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
    settings: Settings,
    contexts: list[DesktopContext],
    tmp_path: Path,
) -> None:
    session = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    token = credentials.load_refresh_token(live_server.url, "clerk1")
    assert session.online and token is not None
    window = _window(qtbot, settings, session, contexts)
    with qtbot.waitSignal(window.signed_out, timeout=20_000) as signed_out:
        window.sign_out_action.trigger()
    assert signed_out.args == ["You are signed out."]
    assert memory_keyring.entries == {}
    assert resume(live_server.url, "clerk1", base_dir=tmp_path) is None  # the password, then
    assert _refresh_status(live_server, token) == 401  # the server session is over


def test_signing_out_while_the_server_is_down_forgets_the_session_here(
    live_server: LiveServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
    tmp_path: Path,
) -> None:
    session = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    live_server.kill()
    result = sign_out(session)
    assert result.server_not_told
    assert "ends by itself when its tokens expire" in result.message
    assert memory_keyring.entries == {}
    live_server.start()
    assert resume(live_server.url, "clerk1", base_dir=tmp_path) is None


def test_signing_out_of_an_offline_start_ends_the_server_session_once_it_answers(
    live_server: LiveServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
    tmp_path: Path,
) -> None:
    sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    token = credentials.load_refresh_token(live_server.url, "clerk1")
    assert token is not None
    live_server.kill()
    offline = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    assert not offline.online
    live_server.start()
    result = sign_out(offline)
    assert not result.server_not_told and result.message == "You are signed out."
    assert memory_keyring.entries == {}
    assert _refresh_status(live_server, token) == 401


class _StubbornKeyring(MemoryKeyring):
    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("the password store is locked")


def test_a_keyring_that_keeps_the_token_still_does_not_resume_after_signing_out(
    live_server: LiveServer, tmp_path: Path
) -> None:
    stubborn = _StubbornKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(stubborn)
    try:
        session = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
        live_server.kill()  # offline too, so the server can't refuse the token for us
        sign_out(session)
        assert stubborn.entries  # the token is still in the keyring …
        live_server.start()
        assert resume(live_server.url, "clerk1", base_dir=tmp_path) is None  # … unused
        # Signing in with the password is the way back, and it resumes again afterwards.
        sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
        assert resume(live_server.url, "clerk1", base_dir=tmp_path) is not None
    finally:
        keyring.set_keyring(previous)
