"""The main window as a person meets it: tabs, shortcuts, status, case tabs, the lock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.offline_auth import remember_password
from desktop.services.sync_controller import SyncStatus
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
    assert window.tabs.tabText(5) == case["respondent_last_name"].upper()
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.count() == 5


def test_lock_hides_the_work_until_the_password(
    qtbot: QtBot, make_context: Callable, monkeypatch: object
) -> None:  # type: ignore[type-arg]
    ctx = make_context("judge1")
    remember_password(ctx.store, "correct horse battery")
    window = _window(qtbot, ctx)
    seen: list[bool] = []

    def exec_dialog(dialog: object) -> int:
        seen.append(window.tabs.isVisible())
        dialog.password.setText("wrong")  # type: ignore[attr-defined]
        dialog.try_unlock()  # type: ignore[attr-defined]
        assert "not the password" in dialog.error.text()  # type: ignore[attr-defined]
        dialog.password.setText("correct horse battery")  # type: ignore[attr-defined]
        dialog.try_unlock()  # type: ignore[attr-defined]
        return int(dialog.result())  # type: ignore[attr-defined]

    monkeypatch.setattr("desktop.ui.idle_lock.LockDialog.exec", exec_dialog)  # type: ignore[attr-defined]
    window.lock()
    assert seen == [False]  # hidden while locked
    assert window.tabs.isVisible()


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
