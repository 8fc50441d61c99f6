"""The main window: dashboard, docket, filing review and conflicts as tabs, case files
opening as tabs of their own, and the sync status always in view."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)

from desktop.case_file import court_zone
from desktop.dashboard import mark_case_seen
from desktop.doc_cache import document_a_number, document_file
from desktop.offline_auth import check_password
from desktop.services.session import SignedOut, sign_out, sign_out_and_remove
from desktop.services.sync_controller import SyncStatus
from desktop.settings import IDLE_LOCK_MINUTES, REMOVE_COPY_ON_SIGN_OUT, VIEWER_CACHE_MB
from desktop.sync_engine import SyncReport
from desktop.tasks import run_task
from desktop.ui.board_motions_view import RED as BOARD_RED
from desktop.ui.board_motions_view import BoardMotionsView
from desktop.ui.board_view import BOARD_ROLES, BoardView
from desktop.ui.board_workspace_view import BoardWorkspaceView
from desktop.ui.case_file_view import CaseFileView
from desktop.ui.case_search_view import CaseSearchDialog
from desktop.ui.conflicts_view import ConflictsView
from desktop.ui.context import DesktopContext
from desktop.ui.dashboard_view import DashboardView
from desktop.ui.docket_view import DocketView
from desktop.ui.filing_review_view import FilingReviewView
from desktop.ui.help_menu import MainHelp
from desktop.ui.idle_lock import LOCKED_BY_YOU, LOCKED_IDLE, IdleWatcher, LockDialog
from desktop.ui.keyboard import PREFERENCES_FALLBACK, standard_key
from desktop.ui.motions_view import MotionsQueueView
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.sign_in_again_dialog import SignInAgainDialog
from desktop.ui.status_bar import SyncStatusBar
from desktop.viewer.annotation_window import install_annotations, synced_store_for, user_names
from desktop.viewer.viewer_memory import ViewerMemory
from desktop.viewer.viewer_window import ViewerWindow
from desktop.words import count, plural

ROLE_NAMES = {
    "judge": "Immigration Judge",
    "clerk": "Clerk",
    "court_admin": "Court Administrator",
    "eoir_staff": "EOIR staff",
    "board_clerk": "Board Clerk",
    "board_member": "Board Member",
}


class MainWindow(QMainWindow):
    signed_out = Signal(str)  # what to tell the person in the sign-in window

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        user = ctx.session.user
        self.setWindowTitle(
            f"ECAS — {user.get('display_name', '')} ({ROLE_NAMES.get(ctx.role, ctx.role)})"
        )
        self.resize(1280, 800)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.dashboard = DashboardView(ctx)
        self.docket = DocketView(ctx)
        self.filings = FilingReviewView(ctx)
        self.conflicts = ConflictsView(ctx)
        self.motions = MotionsQueueView(ctx)  # pending motions; Ctrl+R rules
        self.pages: list[QWidget] = [
            self.dashboard,
            self.docket,
            self.filings,
            self.conflicts,
            self.motions,
        ]
        for page, title in zip(
            self.pages,
            ("Dashboard", "Docket", "Filing review", "Conflicts", "Motions"),
            strict=True,
        ):
            self.tabs.addTab(page, title)
            self.tabs.tabBar().setTabButton(
                self.tabs.indexOf(page), self.tabs.tabBar().ButtonPosition.RightSide, None
            )
        # Board staff: the Board's docket and intake first (desktop/ui/board_view.py).
        self.board: BoardView | None = None
        self.board_motions: BoardMotionsView | None = None
        if ctx.role in BOARD_ROLES:
            self.board = BoardView(ctx)
            self.board.open_case.connect(self.open_case)
            self.pages.insert(0, self.board)
            self.tabs.insertTab(0, self.board, "Board")
            self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
            # The motions before the Board, emergency stays first; Enter rules on one.
            self.board_motions = BoardMotionsView(ctx)
            self.pages.insert(1, self.board_motions)
            self.tabs.insertTab(1, self.board_motions, "Board motions")
            self.board_motions.counted.connect(self._board_motions_counted)
            self.board_motions.refresh()
            self.tabs.tabBar().setTabButton(1, self.tabs.tabBar().ButtonPosition.RightSide, None)
            self.tabs.setCurrentIndex(0)
        # A Board member's appeals, their record and decision (desktop/ui/board_workspace_view.py).
        self.workspace: BoardWorkspaceView | None = None
        if ctx.role == "board_member":
            self.workspace = BoardWorkspaceView(ctx)
            self.workspace.open_case.connect(self.open_case)
            self.workspace.open_document.connect(self.open_document)
            self.pages.insert(0, self.workspace)
            self.tabs.insertTab(0, self.workspace, "My appeals")
            self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
            self.tabs.setCurrentIndex(0)
        self.setCentralWidget(self.tabs)
        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        court_id = user.get("court_id")
        ctx.read(lambda store: court_zone(store.get("court", str(court_id))), self.status.set_zone)
        self._case_tabs: dict[str, CaseFileView] = {}
        self.viewers: list[ViewerWindow] = []
        self.sign_in_dialog: SignInAgainDialog | None = None
        self._wire()
        self._menus()
        self._lock = IdleWatcher(int(ctx.settings.value(IDLE_LOCK_MINUTES)), self)
        self._lock.idle.connect(lambda: self.lock(LOCKED_IDLE))
        if ctx.session.notice:
            self.status.showMessage(ctx.session.notice, 15_000)

    def _board_motions_counted(self, pending: int, urgent: int) -> None:
        if self.board_motions is not None:
            index = self.tabs.indexOf(self.board_motions)
            self.tabs.setTabText(index, BoardMotionsView.tab_title(pending, urgent))
            self.tabs.tabBar().setTabTextColor(index, BOARD_RED if urgent else QColor())

    # -- wiring -----------------------------------------------------------------------------

    def _wire(self) -> None:
        for page in (self.dashboard, self.docket, self.filings):
            page.open_case.connect(self.open_case)
        self.filings.open_document.connect(self.open_document)
        self.dashboard.open_document.connect(self.open_document)  # a remand order
        self.motions.open_document.connect(self.open_document)
        self.motions.open_case.connect(self.open_case)
        self.ctx.sync.status_changed.connect(self._on_status)
        self.ctx.sync.progress.connect(self.status.show_progress)
        self.ctx.sync.synced.connect(self._on_synced)
        self.ctx.sync.sign_in_needed.connect(self.ask_to_sign_in)
        self.conflicts.resolved.connect(self.ctx.sync.refresh_counts)
        self.status.sync_button.clicked.connect(self.ctx.sync.sync_now)
        self.status.sign_in_button.clicked.connect(lambda: self.ask_to_sign_in())

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Sync now", QKeySequence(Qt.Key.Key_F5), self.ctx.sync.sync_now)
        self._action(file_menu, "&Lock", QKeySequence("Ctrl+L"), lambda: self.lock())
        self._action(
            file_menu,
            "Se&ttings…",
            standard_key(QKeySequence.StandardKey.Preferences, PREFERENCES_FALLBACK)[0],
            self.open_settings,
        )  # Ctrl+, on Linux too, where Qt has no Preferences key
        self.sign_out_action = self._action(file_menu, "Sign &out", QKeySequence(), self._sign_out)
        self.remove_copy_action = self._action(
            file_menu,
            "Sign out and &remove this computer's copy…",
            QKeySequence(),
            lambda: self._sign_out(remove=True),
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        go_menu = self.menuBar().addMenu("&Go")
        for number, page in enumerate(self.pages, 1):
            title = self.tabs.tabText(self.tabs.indexOf(page))
            self._action(
                go_menu,
                title,
                QKeySequence(f"Ctrl+{number}"),
                lambda _checked=False, p=page: self.tabs.setCurrentWidget(p),
            )
        self._action(
            go_menu,
            "Close case tab",
            QKeySequence.StandardKey.Close,
            lambda: self._close_tab(self.tabs.currentIndex()),
        )
        # Any case held here, outside the docket's filters too (desktop/ui/case_search_view.py).
        self._action(go_menu, "&Find a case…", QKeySequence("Ctrl+K"), lambda: self.find_case())
        find_bar = QToolBar("Find a case")
        find_bar.setObjectName("find_case_bar")
        find_bar.setMovable(False)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find a case: A-number, name, hearing date (Ctrl+K)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(420)
        self.find_edit.returnPressed.connect(lambda: self.find_case(self.find_edit.text()))
        find_bar.addWidget(self.find_edit)
        self.addToolBar(find_bar)
        self.case_search: CaseSearchDialog | None = None
        self.help = MainHelp(self)  # Help menu (F1, shortcuts, About); every menu's accelerators

    def find_case(self, text: str = "") -> None:
        """The case search popup over every case held here; Enter there opens the case."""
        dialog = CaseSearchDialog(self.ctx, self)
        dialog.open_case.connect(self.open_case)
        dialog.finished.connect(dialog.deleteLater)
        dialog.search_edit.setText(text)
        self.case_search = dialog
        dialog.show()
        dialog.search_edit.setFocus()
        self.find_edit.clear()

    def _action(
        self,
        menu: object,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey,
        slot: object,
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)  # every binding the platform has (Ctrl+W, Ctrl+F4)
        else:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    # -- behaviour --------------------------------------------------------------------------

    def open_case(self, case_id: str) -> None:
        view = self._case_tabs.get(case_id)
        if view is None:
            view = CaseFileView(self.ctx, case_id)
            view.open_document.connect(self.open_document)
            self._case_tabs[case_id] = view
            self.tabs.addTab(view, "Case")
            tab = view

            def titled(case: dict[str, object]) -> None:
                name = str(case.get("respondent_last_name", "Case")).upper()
                self.tabs.setTabText(self.tabs.indexOf(tab), name)

            # The tab's title (the respondent's name) is read off the GUI thread.
            self.ctx.read(lambda store: store.get("case", case_id) or {}, titled, parent=view)
        self.tabs.setCurrentWidget(view)
        run_task(
            lambda: mark_case_seen(self.ctx.store, case_id), lambda _: None, pool=self.ctx.writer
        )

    def open_document(self, document_id: str) -> None:
        """Show a document of the record in a viewer window: from this computer's cache, or
        downloaded (and verified) first when online."""
        cache = self.ctx.cache
        if cache is None:
            self.status.showMessage("Documents can't be opened in this session.", 8000)
            return
        fetch = None if self.ctx.sync.status.online is False else self.ctx.sync.engine.fetch
        self.status.showMessage("Opening the document…", 4000)
        store = self.ctx.store
        names = not self.viewers  # a new viewer window needs the authors' names too
        run_task(
            lambda: (
                document_file(store, cache, fetch, document_id),
                user_names(store) if names else {},
                document_a_number(store, document_id),  # for the viewer's title
            ),
            lambda found: self._show_document(found[0], document_id, found[1], found[2]),
            self._document_failed,
            parent=self,
        )

    def _show_document(
        self,
        found: tuple[str, Path | bytes, str],
        document_id: str | None = None,
        author_names: dict[str, str] | None = None,
        a_number: str = "",
    ) -> None:
        """Open the document as a tab of the viewer window (one window, opened once; it
        remembers its size and each document's page and zoom for this user)."""
        title, path, sha256 = found
        if self.viewers:
            viewer = self.viewers[-1]
        else:
            cache_bytes = int(self.ctx.settings.value(VIEWER_CACHE_MB)) * 1024 * 1024
            memory = ViewerMemory(self.ctx.settings.user_scope(), self.ctx.user_id)
            viewer = ViewerWindow(self, cache_bytes=cache_bytes, memory=memory)
            viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            install_annotations(
                viewer,
                synced_store_for(self.ctx.store, self.ctx.user_id),
                self.ctx.user_id,
                author_names=author_names or {},
                writer=self.ctx.writer,
                on_saved=self.ctx.sync.sync_soon,
                synced=self.ctx.sync.synced,
                panel=self.ctx.role == "board_member",
            )
            self.help.install_viewer(viewer)
            self.viewers.append(viewer)
            viewer.destroyed.connect(lambda: self.viewers.remove(viewer))
        if isinstance(path, bytes):  # an encrypted cache: decrypted in memory only
            viewer.open_bytes(path, title, sha256, document_id=document_id, a_number=a_number)
        else:
            viewer.open_path(
                path,
                expected_sha256=sha256,
                title=title,
                document_id=document_id,
                a_number=a_number,
            )
        viewer.show()
        viewer.raise_()
        viewer.activateWindow()

    def _document_failed(self, err: Exception) -> None:
        QMessageBox.information(self, "Document not available", str(err))

    def open_settings(self) -> None:
        SettingsDialog(self.ctx.settings, self).open()

    def _close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget in self.pages or widget is None:
            return
        self.tabs.removeTab(index)
        for case_id, view in list(self._case_tabs.items()):
            if view is widget:
                del self._case_tabs[case_id]
        widget.deleteLater()

    def _on_status(self, status: SyncStatus) -> None:
        self.status.show_status(status)
        label = f"Conflicts ({status.issues})" if status.issues else "Conflicts"
        self.tabs.setTabText(self.tabs.indexOf(self.conflicts), label)

    def _on_synced(self, report: SyncReport) -> None:
        if report.pulled or report.pushed or report.conflicts or report.rejected:
            self.refresh_all()

    def refresh_all(self) -> None:
        for page in (*self.pages, *self._case_tabs.values()):
            page.refresh()  # type: ignore[attr-defined]

    def ask_to_sign_in(self, reason: str = "") -> None:
        """The server answers but this computer has no session: ask for the password (once
        per spell; afterwards from the status bar's "Sign in to sync")."""
        if self.sign_in_dialog is not None and self.sign_in_dialog.isVisible():
            self.sign_in_dialog.raise_()
            return
        dialog = SignInAgainDialog(
            self.ctx.session,
            self.ctx.sync.status.pending,
            reason or "Sign in to send your changes to the server.",
            self,
        )
        dialog.accepted.connect(self._signed_in_again)
        dialog.rejected.connect(self.ctx.sync.sign_in_declined)
        self.sign_in_dialog = dialog
        dialog.open()

    def _signed_in_again(self) -> None:
        self.ctx.sync.signed_in_again()
        self.status.showMessage("Signed in. Sending your changes…", 8000)

    def lock(self, reason: str = LOCKED_BY_YOU) -> None:
        """Hide the work until the password; ``reason`` opens the dialog's words."""
        self.tabs.hide()
        username = str(self.ctx.session.user.get("username", ""))
        store = self.ctx.store
        dialog = LockDialog(username, lambda pw: check_password(store, pw), self, reason)
        if dialog.exec():
            self.tabs.show()
            self._lock.timer.start()
        else:
            self._sign_out()

    def _sign_out(self, remove: bool = False) -> None:
        """Count the unsent changes off the GUI thread, then ask and sign out."""
        self.ctx.read(
            lambda store: store.pending_count(),
            lambda pending: self._sign_out_with(pending, remove),
            parent=self,
        )

    def _sign_out_with(self, pending: int, remove: bool) -> None:
        settings = self.ctx.settings
        required = bool(settings.value(REMOVE_COPY_ON_SIGN_OUT))
        if remove or required:
            if pending:  # removing would lose them: refused, and said why
                QMessageBox.warning(
                    self,
                    "Sign out and remove this computer's copy",
                    f"{count(pending, 'change')} made here "
                    f"{plural('has', pending)} not reached the server yet, and "
                    "removing this computer's copy would lose them. Connect to the server "
                    "so they are sent, then sign out again."
                    + ("" if not required else " (Your court requires the removal.)"),
                )
                self.tabs.show()
                return
            if (
                QMessageBox.question(
                    self,
                    "Sign out and remove this computer's copy",
                    "Signing out removes the records, documents and key kept on this "
                    "computer for you"
                    + (" (your court requires it)" if required else "")
                    + ". They are downloaded again at your next sign-in. Sign out now?",
                )
                != QMessageBox.StandardButton.Yes
            ):
                self.tabs.show()
                return
            self._lock.timer.stop()
            self.ctx.sync.stop()
            self.sign_out_action.setEnabled(False)
            self.remove_copy_action.setEnabled(False)
            self.status.showMessage("Signing out and removing this computer's copy…", 0)
            session = self.ctx.session
            folder = self.ctx.cache.folder if self.ctx.cache is not None else None
            run_task(
                lambda: sign_out_and_remove(session, folder),
                self._signed_out,
                self._sign_out_failed,
            )
            return
        if (
            pending
            and QMessageBox.question(
                self,
                "Sign out",
                f"{count(pending, 'change')} {plural('has', pending)} not reached the server "
                "yet. They stay on this "
                "computer and are sent the next time you sign in. Sign out now?",
            )
            != QMessageBox.StandardButton.Yes
        ):
            self.tabs.show()
            return
        # No sync may run (and refresh the session, saving a token) while signing out.
        self._lock.timer.stop()
        self.ctx.sync.stop()
        self.sign_out_action.setEnabled(False)
        self.status.showMessage("Signing out…", 0)
        session = self.ctx.session
        run_task(lambda: sign_out(session), self._signed_out, self._sign_out_failed)

    def _signed_out(self, result: SignedOut) -> None:
        self.signed_out.emit(result.message)
        self.close()

    def _sign_out_failed(self, err: Exception) -> None:
        # Not a network failure (sign_out handles those): the keyring or the local copy
        # failed. Say so rather than pretend; the window still closes.
        self.signed_out.emit(
            f"Signing out did not finish ({err}). To be sure, sign in and sign out again."
        )
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        for viewer in list(self.viewers):
            viewer.close()  # ends its render thread
        self.ctx.sync.stop()
        super().closeEvent(event)
