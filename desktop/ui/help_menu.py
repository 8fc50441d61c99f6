"""The Help menu of the main window and of the document viewer: the guide (F1, at the part
describing the view in front), the generated keyboard shortcuts page, and About."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMenuBar, QWidget

from desktop.ui.about_dialog import AboutDialog
from desktop.ui.board_motions_view import BoardMotionsView
from desktop.ui.board_view import BoardView
from desktop.ui.board_workspace_view import BoardWorkspaceView
from desktop.ui.case_file_view import CaseFileView
from desktop.ui.conflicts_view import ConflictsView
from desktop.ui.dashboard_view import DashboardView
from desktop.ui.docket_view import DocketView
from desktop.ui.filing_review_view import FilingReviewView
from desktop.ui.help_window import (
    SHORTCUTS,
    START,
    VIEWER_SECTION,
    VIEWER_TITLE,
    HelpWindow,
    add_help_menu,
)
from desktop.ui.motions_view import MotionsQueueView

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

# The guide's section for each view of the main window (the section ids of
# resources/help/user-guide.md); a view not listed opens the guide at its start.
SECTIONS: tuple[tuple[type[QWidget], str], ...] = (
    (DashboardView, "dashboard"),
    (DocketView, "docket"),
    (FilingReviewView, "filing-review"),
    (ConflictsView, "conflicts"),
    (MotionsQueueView, "motions"),
    (CaseFileView, "case-file"),
    (BoardView, "board"),
    (BoardMotionsView, "board"),
    (BoardWorkspaceView, "board"),
)


def section_for(widget: QWidget | None) -> str:
    for kind, section in SECTIONS:
        if isinstance(widget, kind):
            return section
    return START


class MainHelp:
    """The main window's Help menu and its one help window (shared with its viewers)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.help_window: HelpWindow | None = None
        self.about: AboutDialog | None = None
        self.install(window, lambda: section_for(window.tabs.currentWidget()))

    def menus(self) -> list[tuple[str, QMenuBar]]:
        found = [("Main window", self.window.menuBar())]
        for viewer in self.window.viewers[:1]:
            found.append((VIEWER_TITLE, viewer.menuBar()))
        return found

    def install(self, window: QMainWindow, section: Callable[[], str]) -> None:
        """Add the Help menu to ``window`` (the main window or a viewer) and give every menu
        of it accelerators (``&File``), unique within each menu."""
        add_help_menu(
            window,
            lambda: self.open_guide(section()),
            lambda: self.open_guide(SHORTCUTS),
            self.open_about,
        )

    def install_viewer(self, viewer: QMainWindow) -> None:
        self.install(viewer, lambda: VIEWER_SECTION)

    def open_guide(self, section: str) -> HelpWindow:
        if self.help_window is None:
            self.help_window = HelpWindow(self.menus, self.window)
        self.help_window.show_section(section)
        return self.help_window

    def open_about(self) -> AboutDialog:
        session = self.window.ctx.session
        online = self.window.ctx.sync.status.online is not False
        dialog = AboutDialog(
            session.client.server_version if online else None, session.server_url, self.window
        )
        dialog.finished.connect(dialog.deleteLater)
        self.about = dialog
        dialog.open()
        return dialog
