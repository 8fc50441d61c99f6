"""The main window as a person meets it: tabs, shortcuts, status, case tabs, the lock."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.offline_auth import remember_password
from desktop.services.sync_controller import SyncStatus
from desktop.ui.idle_lock import LockDialog
from desktop.ui.main_window import MainWindow


def _window(qtbot: QtBot, ctx: object) -> MainWindow:
    window = MainWindow(ctx)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts go to the active window
    window.refresh_all()
    return window


def test_tabs_and_ctrl_number_shortcuts(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    window = _window(qtbot, make_context("clerk1"))
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Dashboard", "Docket", "Filing review", "Conflicts", "Motions"]
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.docket
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.filings


def test_status_bar_shows_offline_and_waiting_changes(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    ctx = make_context("clerk1")
    window = _window(qtbot, ctx)
    ctx.sync.sync_now()  # the server is unreachable in these tests
    qtbot.waitUntil(lambda: "Offline" in window.status.connection.text(), timeout=10_000)
    window._on_status(SyncStatus(online=False, pending=3, issues=2))
    assert window.status.pending.text() == "3 changes waiting, 2 to resolve"
    assert window.tabs.tabText(window.tabs.indexOf(window.conflicts)) == "Conflicts (2)"


def test_opening_a_case_adds_one_closable_tab(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    ctx = make_context("clerk1")
    window = _window(qtbot, ctx)
    case = ctx.store.all("case")[0]
    window.open_case(case["id"])
    window.open_case(case["id"])  # again: the same tab comes forward
    assert window.tabs.count() == 6
    title = case["respondent_last_name"].upper()  # read off the GUI thread
    qtbot.waitUntil(lambda: window.tabs.tabText(5) == title, timeout=5_000)
    window.activateWindow()  # offscreen, the window loses activation while events run
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.count() == 5


@pytest.mark.real_argon2  # the shipped cost: the point is what it would block
def test_lock_hides_the_work_and_checks_the_password_off_the_gui_thread(
    qtbot: QtBot,
    make_context: Callable,  # type: ignore[type-arg]
) -> None:
    """Ctrl+L locks; the password is typed and Enter pressed as a person would. The argon2
    check (about a quarter of a second) runs on a pool thread: the dialog says "Checking…"
    with Unlock disabled, and a timer on the GUI thread keeps ticking until the answer."""
    ctx = make_context("judge1")
    remember_password(ctx.store, "correct horse battery")
    window = _window(qtbot, ctx)
    ticks: list[float] = []
    ticker = QTimer(window)
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start()
    seen: dict[str, object] = {}

    def attempt(dialog: LockDialog, password: str, answer: str) -> None:
        dialog.password.clear()
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        seen[f"{answer} while checking"] = (
            dialog.error.text(),
            dialog.unlock_button.isEnabled(),
        )
        before = len(ticks)
        qtbot.waitUntil(lambda: not dialog.checking, timeout=20_000)
        seen[f"{answer} ticks"] = len(ticks) - before

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LockDialog)
        try:
            seen["hidden"] = not window.tabs.isVisible()
            attempt(dialog, "wrong", "wrong")
            seen["wrong said"] = dialog.error.text()
            attempt(dialog, "correct horse battery", "right")
        finally:
            if dialog.isVisible():
                dialog.done(1)  # never leave the test hanging in exec()

    QTimer.singleShot(0, drive)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    ticker.stop()
    assert seen["hidden"] is True  # the work is hidden while locked
    assert seen["wrong while checking"] == ("Checking…", False)
    assert seen["wrong said"] == "That is not the password. Try again."
    assert seen["right while checking"] == ("Checking…", False)
    # The GUI thread went on with its events during each check: a blocking check lets no
    # tick through between Enter and the answer (at least one does on this loaded machine).
    assert int(seen["wrong ticks"]) >= 1 and int(seen["right ticks"]) >= 1  # type: ignore[call-overload]
    assert window.tabs.isVisible()  # unlocked


def test_opening_a_document_shows_it_from_this_computers_cache(
    qtbot: QtBot,
    make_context: Callable,
    desktop_server: object,
    tmp_path: object,  # type: ignore[type-arg]
    monkeypatch: object,
) -> None:
    from pathlib import Path

    from desktop.doc_cache import DocumentCache

    ctx = make_context("clerk1")
    ctx.cache = DocumentCache(ctx.store, Path(str(tmp_path)) / "documents", 100 * 1024 * 1024)
    blobs = desktop_server.extensions["ecas"].blobs.store  # type: ignore[attr-defined]
    doc = ctx.store.all("document")[0]
    ctx.cache.open(
        doc["sha256"], lambda sha, start: blobs.read_range(sha, start, doc["size"] - start)
    )
    window = _window(qtbot, ctx)
    window.open_document(doc["id"])
    qtbot.waitUntil(
        lambda: bool(window.viewers) and window.viewers[0].view.page_count() > 0, timeout=10_000
    )
    assert doc["title"] in window.viewers[0].windowTitle()

    said: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.main_window.QMessageBox.information",  # type: ignore[attr-defined]
        lambda _parent, _title, text: said.append(text),
    )
    ctx.sync._set(online=False)  # offline, and this one was never downloaded
    other = next(d for d in ctx.store.all("document") if not ctx.cache.is_cached(d["sha256"]))
    window.open_document(other["id"])
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert "can't be reached" in said[0]
