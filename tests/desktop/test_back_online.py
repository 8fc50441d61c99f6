"""From offline back to online without signing out: a day that starts with the server down
ends with every edit on the server. The client notices the server is back, asks for the
password once (or uses the keyring's session silently), signs in on the same local copy and
sends what waited; a session the server ends mid-day takes the same way back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
import requests
from keyring.backends import fail
from pytestqt.qtbot import QtBot

from common.wire import Hearing
from desktop import credentials
from desktop.api_client import ApiClient
from desktop.services.session import SignedIn, resume_silently, sign_in
from desktop.services.sync_controller import SyncController
from desktop.settings import Settings
from desktop.sync_engine import SyncEngine
from desktop.ui.context import DesktopContext
from desktop.ui.main_window import MainWindow
from tests.conftest import DEMO_PASSWORD, LiveServer
from tests.desktop.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A computer without a password store: coming back online needs the password."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def open_window(qtbot: QtBot, settings: Settings) -> Iterator[Callable[[SignedIn], MainWindow]]:
    made: list[DesktopContext] = []

    def open_(session: SignedIn) -> MainWindow:
        controller = SyncController(
            SyncEngine(session.client, session.store),
            interval_seconds=3600,
            reauthenticate=lambda: resume_silently(session),
        )
        controller.MIN_RETRY_MS = 300  # notice the server's return within the test's patience
        ctx = DesktopContext(settings, session, controller)
        made.append(ctx)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        return window

    yield open_
    for ctx in made:
        ctx.sync.stop()
        ctx.writer.waitForDone(5000)
        ctx.store.engine.dispose()


def _first_day_online(server: LiveServer, folder: Path) -> None:
    """Signed in online once on this computer: the local copy and the offline verifier."""
    online = sign_in(server.url, "clerk1", DEMO_PASSWORD, base_dir=folder)
    SyncEngine(online.client, online.store).sync_once()
    online.store.engine.dispose()


def _edit_a_hearing(qtbot: QtBot, window: MainWindow, minutes: int) -> str:
    ctx = window.ctx
    hearing = Hearing.model_validate(ctx.store.all("hearing")[0])
    before = ctx.sync.status.pending
    ctx.save([hearing.model_copy(update={"duration_minutes": minutes})])
    qtbot.waitUntil(lambda: ctx.sync.status.pending == before + 1, timeout=10_000)
    return hearing.id


def _on_the_server(server: LiveServer, hearing_id: str) -> dict[str, Any]:
    client = ApiClient(server.url)
    client.login("clerk1", DEMO_PASSWORD)
    found: dict[str, Any] = {}
    cursor = None
    while True:
        page = client.changes(cursor)
        for change in page.changes:
            if change.entity == "hearing" and change.id == hearing_id and change.data:
                found = dict(change.data)
        cursor = page.cursor
        if not page.has_more:
            return found


def _start_offline(
    qtbot: QtBot, server: LiveServer, folder: Path, open_window: Callable[[SignedIn], MainWindow]
) -> tuple[MainWindow, str]:
    _first_day_online(server, folder)
    server.kill()
    offline = sign_in(server.url, "clerk1", DEMO_PASSWORD, base_dir=folder)
    assert not offline.online
    window = open_window(offline)
    hearing_id = _edit_a_hearing(qtbot, window, 75)
    window.ctx.sync.sync_now()
    qtbot.waitUntil(lambda: window.ctx.sync.status.online is False, timeout=10_000)
    assert window.status.pending.text() == (
        "1 change waiting — sent once the server is back and you sign in"
    )
    return window, hearing_id


def test_a_day_that_starts_offline_ends_with_every_edit_on_the_server(
    qtbot: QtBot,
    live_server: LiveServer,
    no_keyring: None,
    open_window: Callable[[SignedIn], MainWindow],
    tmp_path: Path,
) -> None:
    window, hearing_id = _start_offline(qtbot, live_server, tmp_path, open_window)
    live_server.start()  # the server is back; nobody touches anything
    qtbot.waitUntil(
        lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible(),
        timeout=30_000,
    )
    assert window.status.pending.text() == "1 change waiting — sign in to send them"
    assert window.status.sign_in_button.isVisible()
    dialog = window.sign_in_dialog
    assert "1 change made on this computer is waiting" in dialog.explanation.text()
    dialog.password.setText("not the password")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: "wrong" in dialog.error.text(), timeout=15_000)
    assert dialog.isVisible() and window.ctx.sync.status.pending == 1
    dialog.password.setText(DEMO_PASSWORD)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: window.ctx.sync.status.last_sync is not None, timeout=30_000)
    assert window.ctx.sync.status.pending == 0
    assert window.status.connection.text() == "● Online"
    assert window.status.pending.text() == "All changes sent"
    assert window.ctx.session.online
    assert _on_the_server(live_server, hearing_id)["duration_minutes"] == 75


def test_not_now_is_not_asked_again_but_the_status_bar_offers_to_sign_in(
    qtbot: QtBot,
    live_server: LiveServer,
    no_keyring: None,
    open_window: Callable[[SignedIn], MainWindow],
    tmp_path: Path,
) -> None:
    window, hearing_id = _start_offline(qtbot, live_server, tmp_path, open_window)
    asked: list[str] = []
    window.ctx.sync.sign_in_needed.connect(asked.append)
    live_server.start()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=30_000)
    assert window.sign_in_dialog is not None
    window.sign_in_dialog.not_now_button.click()
    assert not window.sign_in_dialog.isVisible()
    for _ in range(3):  # the connection is still watched, without asking again
        window.ctx.sync.sync_now()
        qtbot.wait(500)
    assert len(asked) == 1 and not window.sign_in_dialog.isVisible()
    assert window.status.sign_in_button.isVisible()
    assert not window.status.sync_button.isVisible()
    window.status.sign_in_button.click()
    qtbot.waitUntil(window.sign_in_dialog.isVisible, timeout=5_000)
    window.sign_in_dialog.password.setText(DEMO_PASSWORD)
    window.sign_in_dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: window.ctx.sync.status.last_sync is not None, timeout=30_000)
    assert window.ctx.sync.status.pending == 0
    assert _on_the_server(live_server, hearing_id)["duration_minutes"] == 75


def test_with_a_password_store_coming_back_online_needs_no_password(
    qtbot: QtBot,
    live_server: LiveServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
    open_window: Callable[[SignedIn], MainWindow],
    tmp_path: Path,
) -> None:
    window, hearing_id = _start_offline(qtbot, live_server, tmp_path, open_window)
    live_server.start()
    qtbot.waitUntil(lambda: window.ctx.sync.status.last_sync is not None, timeout=30_000)
    assert window.sign_in_dialog is None  # never asked
    assert window.ctx.sync.status.pending == 0
    assert _on_the_server(live_server, hearing_id)["duration_minutes"] == 75


def test_a_session_the_server_ends_mid_day_is_signed_in_again_without_losing_the_edit(
    qtbot: QtBot,
    live_server: LiveServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
    open_window: Callable[[SignedIn], MainWindow],
    tmp_path: Path,
) -> None:
    session = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    window = open_window(session)
    window.ctx.sync.sync_now()
    qtbot.waitUntil(lambda: window.ctx.sync.status.last_sync is not None, timeout=30_000)
    # Signed out elsewhere (or by an administrator): this session's tokens are refused.
    assert session.client.session is not None
    ended = requests.post(
        f"{live_server.url}/api/v1/auth/logout",
        headers={"Authorization": f"Bearer {session.client.session.access_token}"},
        timeout=10,
    )
    assert ended.status_code == 204
    hearing_id = _edit_a_hearing(qtbot, window, 95)
    window.ctx.sync.sync_now()
    qtbot.waitUntil(
        lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible(),
        timeout=30_000,
    )
    assert window.status.pending.text() == "1 change waiting — sign in to send them"
    # The refused session's token is not kept; the copy's key wrap stays (it is not a
    # session: it opens this computer's encrypted copy until sign-out).
    assert [account for _service, account in memory_keyring.entries] == [
        f"{credentials._account(live_server.url, 'clerk1')}:store-key"
    ]
    window.sign_in_dialog.password.setText(DEMO_PASSWORD)
    window.sign_in_dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: window.ctx.sync.status.pending == 0, timeout=30_000)
    assert _on_the_server(live_server, hearing_id)["duration_minutes"] == 95
    assert len(memory_keyring.entries) == 2  # the new session's token is kept again
