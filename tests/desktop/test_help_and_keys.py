"""Help and keyboard (issue 18 item 4), driven as a person would: F1 opens the guide at the
view in front, the guide's search, the shortcuts page made from the menus, About with both
versions, every menu entry with its own accelerator, Tab out of a table, Ctrl+, for
Settings; and the lock that says why it locked (item 7)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QMenuBar, QTableView
from pytestqt.qtbot import QtBot

from common.resources import resources_dir
from common.version import ecas_version
from desktop.ui.about_dialog import NOT_REACHABLE
from desktop.ui.help_window import GUIDE, load_guide
from desktop.ui.idle_lock import LOCKED_BY_YOU, LOCKED_IDLE, LockDialog
from desktop.ui.keyboard import accelerator
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_dialog import SettingsDialog
from tests.conftest import LiveServer


def _window(qtbot: QtBot, ctx: object) -> MainWindow:
    window = MainWindow(ctx)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts go to the active window
    return window


def _press_f1(qtbot: QtBot, window: MainWindow) -> str:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    help_window = window.help.help_window
    assert help_window is not None and help_window.isVisible()
    shown = help_window.current_id()
    help_window.close()
    return shown


def test_f1_opens_the_guide_at_the_view_in_front(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    ctx = make_context("clerk1")
    window = _window(qtbot, ctx)
    assert _press_f1(qtbot, window) == "dashboard"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # the docket
    assert _press_f1(qtbot, window) == "docket"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert _press_f1(qtbot, window) == "filing-review"
    window.open_case(ctx.store.all("case")[0]["id"])
    assert _press_f1(qtbot, window) == "case-file"
    help_window = window.help.help_window
    assert help_window is not None
    assert "Case file" in help_window.page.toPlainText()  # the section's text is shown


def test_the_guide_is_searchable(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    window = _window(qtbot, make_context("clerk1"))
    qtbot.keyClick(window, Qt.Key.Key_F1)
    help_window = window.help.help_window
    assert help_window is not None
    qtbot.waitUntil(help_window.isActiveWindow, timeout=5000)
    qtbot.keyClick(help_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert help_window.search.hasFocus()
    qtbot.keyClicks(help_window.search, "redaction")
    listed = [help_window.contents.item(i).text() for i in range(help_window.contents.count())]
    assert listed == ["Annotations"]
    assert help_window.found.text() == "1 section"
    assert help_window.page.textCursor().selectedText().lower() == "redaction"  # found there
    help_window.search.clear()
    qtbot.keyClicks(help_window.search, "no such wordzz")
    assert help_window.contents.count() == 0
    assert help_window.found.text() == "Nothing found"


def test_the_guide_ships_in_resources_and_the_frozen_build_takes_resources() -> None:
    # The PyInstaller spec copies the whole resources/ folder; the guide lives there.
    assert (resources_dir() / GUIDE).is_file()
    spec = (Path(__file__).parents[2] / "installer/pyinstaller/ecas-desktop.spec").read_text()
    assert 'datas = [(str(REPO / "resources"), "resources")]' in spec
    assert 'copy_metadata("ecas")' in spec  # the About box's version in the frozen app
    _title, sections = load_guide()
    ids = [s.id for s in sections]
    # Every view F1 can name has its section.
    from desktop.ui.help_menu import SECTIONS, VIEWER_SECTION

    assert {section for _kind, section in SECTIONS} | {VIEWER_SECTION} <= set(ids)


def test_shortcuts_page_is_made_from_the_menus(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    window = _window(qtbot, make_context("clerk1"))
    keys_action = next(
        a for a in _entries(window.menuBar()) if a.text().replace("&", "") == "Keyboard shortcuts"
    )
    keys_action.trigger()
    help_window = window.help.help_window
    assert help_window is not None and help_window.current_id() == "keyboard-shortcuts"
    text = help_window.page.toPlainText()
    assert "Sync now" in text and QKeySequence("F5").toString() in text
    assert "Find a case…" in text and "Ctrl+K" in text
    # Not typed by hand: an action added to a menu shows up the next time the page opens.
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    extra = file_menu.addAction("Brand new command")
    extra.setShortcut(QKeySequence("Ctrl+Shift+F12"))
    window.help.open_guide("keyboard-shortcuts")
    assert "Brand new command" in help_window.page.toPlainText()


def _entries(bar: QMenuBar) -> list:  # type: ignore[type-arg]
    found = []
    stack = [a.menu() for a in bar.actions()]
    while stack:
        menu = stack.pop()
        if isinstance(menu, QMenu):
            found += menu.actions()
            stack += [a.menu() for a in menu.actions() if a.menu() is not None]
    return found


def _check_accelerators(bar: QMenuBar) -> int:
    """Every menu and entry has an accelerator, none twice in one menu; returns the count."""
    checked = 0
    menus: list[tuple[str, list]] = [("menu bar", bar.actions())]  # type: ignore[type-arg]
    while menus:
        where, actions = menus.pop()
        letters: dict[str, str] = {}
        for action in actions:
            if action.isSeparator() or not action.text():
                continue
            letter = accelerator(action.text())
            assert letter, f"{where}: {action.text()!r} has no accelerator"
            assert letter not in letters, (
                f"{where}: {action.text()!r} and {letters[letter]!r} share &{letter}"
            )
            letters[letter] = action.text()
            checked += 1
            if isinstance(action.menu(), QMenu):
                menus.append((action.text(), action.menu().actions()))
    return checked


def test_every_menu_entry_has_its_own_accelerator(
    qtbot: QtBot,
    make_context: Callable,  # type: ignore[type-arg]
    desktop_server: object,
    tmp_path: Path,
) -> None:
    from desktop.doc_cache import DocumentCache

    ctx = make_context("judge1")
    ctx.cache = DocumentCache(ctx.store, tmp_path / "documents", 100 * 1024 * 1024)
    blobs = desktop_server.extensions["ecas"].blobs.store  # type: ignore[attr-defined]
    doc = ctx.store.all("document")[0]
    ctx.cache.open(
        doc["sha256"], lambda sha, start: blobs.read_range(sha, start, doc["size"] - start)
    )
    window = _window(qtbot, ctx)
    assert _check_accelerators(window.menuBar()) >= 15
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[-1] == "&Help"
    window.open_document(doc["id"])
    qtbot.waitUntil(lambda: bool(window.viewers), timeout=10_000)
    viewer = window.viewers[0]
    assert _check_accelerators(viewer.menuBar()) >= 30  # the viewer, its Annotate menu too
    # Tab leaves every table and list of both windows (none keeps Tab to itself).
    views = [*window.findChildren(QAbstractItemView), *viewer.findChildren(QAbstractItemView)]
    keeping = [type(v).__name__ for v in views if v.tabKeyNavigation()]
    assert len(views) >= 8 and not keeping, keeping
    # F1 in the viewer opens the viewer's part of the guide.
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow, timeout=5000)
    qtbot.keyClick(viewer, Qt.Key.Key_F1)
    assert window.help.help_window is not None
    assert window.help.help_window.current_id() == "document-viewer"
    # The shortcuts page lists the viewer's keys while it is open.
    window.help.open_guide("keyboard-shortcuts")
    assert "Split view" in window.help.help_window.page.toPlainText()


def test_menus_show_their_shortcuts(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    window = _window(qtbot, make_context("clerk1"))
    by_text = {a.text().replace("&", ""): a for a in _entries(window.menuBar())}
    assert by_text["User guide"].shortcut() == QKeySequence("F1")
    assert by_text["Settings…"].shortcut() == QKeySequence("Ctrl+,")
    assert by_text["Lock"].shortcut() == QKeySequence("Ctrl+L")


def test_ctrl_comma_opens_settings(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    window = _window(qtbot, make_context("clerk1"))
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: any(isinstance(w, SettingsDialog) and w.isVisible() for w in window.children()),
        timeout=5000,
    )


def test_tab_leaves_the_docket_table(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    window = _window(qtbot, make_context("clerk1"))
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    table = window.docket.table
    assert isinstance(table, QTableView)
    qtbot.waitUntil(lambda: table.model().rowCount() > 1, timeout=10_000)  # read on a pool
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.waitUntil(table.hasFocus, timeout=5000)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()  # focus went on to the next widget
    assert table.currentIndex().row() == 0 and table.currentIndex().column() == 0


def test_about_says_when_the_server_is_not_reachable(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    window = _window(qtbot, make_context("clerk1"))
    dialog = window.help.open_about()
    assert dialog.version.text() == f"version {ecas_version()}"
    qtbot.waitUntil(lambda: dialog.server.text() == NOT_REACHABLE, timeout=15_000)


def test_about_shows_the_servers_version(
    qtbot: QtBot,
    make_context: Callable,  # type: ignore[type-arg]
    live_server: LiveServer,
) -> None:
    ctx = make_context("clerk1")
    ctx.session.client.base_url = live_server.url
    window = _window(qtbot, ctx)
    about = next(a for a in _entries(window.menuBar()) if a.text().replace("&", "") == "About ECAS")
    about.trigger()
    dialog = window.help.about
    assert dialog is not None
    assert dialog.server.text() == "server: asking…"  # the answer comes off the GUI thread
    qtbot.waitUntil(lambda: "version" in dialog.server.text(), timeout=15_000)
    assert dialog.server.text().endswith(f"version {ecas_version()}")


def test_the_lock_says_why(qtbot: QtBot, make_context: Callable) -> None:  # type: ignore[type-arg]
    window = _window(qtbot, make_context("judge1"))
    said: list[str] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LockDialog)
        said.append(dialog.reason.text())
        dialog.done(1)

    QTimer.singleShot(0, read_and_close)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # by hand
    QTimer.singleShot(0, read_and_close)
    window._lock.idle.emit()  # the idle timer ran out
    assert said[0].startswith(LOCKED_BY_YOU) and "period without use" not in said[0]
    assert said[1].startswith(LOCKED_IDLE)


def test_board_members_menus_have_accelerators_and_f1_knows_their_views(
    qtbot: QtBot,
    make_context: Callable,  # type: ignore[type-arg]
) -> None:
    window = _window(qtbot, make_context("board_member1"))
    assert _check_accelerators(window.menuBar()) >= 18  # eight views in the Go menu
    assert window.tabs.currentWidget() is window.workspace
    assert _press_f1(qtbot, window) == "board"


def test_accelerators_prefer_word_starts_and_find_a_letter_for_everyone(qapp: object) -> None:
    from desktop.ui.keyboard import assign_accelerators

    bar = QMenuBar()
    go = bar.addMenu("Go")
    texts = ["Dashboard", "Docket", "&Find a case…", "Filing review", "xy", "x"]
    actions = [go.addAction(t) for t in texts]
    assign_accelerators(bar)
    said = [a.text() for a in actions]
    # Word starts first, in menu order, and the written &F kept; "x" can only be x, so the
    # earlier "xy" moves on to its y rather than leave "x" without one.
    assert said == ["&Dashboard", "D&ocket", "&Find a case…", "Filing &review", "x&y", "&x"]
    assert bar.actions()[0].text() == "&Go"
    # An entry added later gets its letter when the menu opens.
    late = go.addAction("Zoom")
    go.aboutToShow.emit()
    assert late.text() == "&Zoom"


def test_a_file_opened_on_its_own_has_help_too(qtbot: QtBot, tmp_path: Path) -> None:
    """``ecas-desktop open FILE.pdf``: the viewer alone gets the Help menu, F1 at the
    viewer's section, accelerators everywhere, and an About that names no server."""
    from desktop.annotation_store import local_author_id
    from desktop.ui.help_window import FileViewerHelp
    from desktop.viewer.annotation_window import install_annotations, local_store_for
    from desktop.viewer.viewer_window import ViewerWindow

    viewer = ViewerWindow(cache_bytes=64 * 1024 * 1024)
    qtbot.addWidget(viewer)
    install_annotations(viewer, local_store_for(tmp_path), local_author_id())
    file_help = FileViewerHelp(viewer)
    assert _check_accelerators(viewer.menuBar()) >= 30
    viewer.show()
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow, timeout=5000)
    qtbot.keyClick(viewer, Qt.Key.Key_F1)
    assert file_help.help_window is not None
    assert file_help.help_window.current_id() == "document-viewer"
    assert file_help.open_about().server.text() == FileViewerHelp.NO_SERVER
