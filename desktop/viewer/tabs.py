"""One side of the viewer: the documents open there, as tabs.

A ``DocumentTabs`` holds ``DocumentPane``s and always at least one (an empty pane when no
document is open on that side), so the side never shows nothing. The split view is two of
these side by side; each keeps its own documents, pages and zoom.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu, QTabWidget, QWidget

from desktop.viewer.document_pane import DocumentPane

EMPTY_TAB = "No document"


class DocumentTabs(QTabWidget):
    close_requested = Signal(object)  # DocumentPane
    move_requested = Signal(object)  # DocumentPane: to the other side
    activated = Signal(object)  # this DocumentTabs: the reader used it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setUsesScrollButtons(True)
        self.tabCloseRequested.connect(lambda index: self.close_requested.emit(self.widget(index)))
        self.tabBarClicked.connect(lambda _index: self.activated.emit(self))
        bar = self.tabBar()
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        bar.customContextMenuRequested.connect(self._tab_menu)

    def panes(self) -> list[DocumentPane]:
        found = (self.widget(i) for i in range(self.count()))
        return [pane for pane in found if isinstance(pane, DocumentPane)]

    def current_pane(self) -> DocumentPane | None:
        pane = self.currentWidget()
        return pane if isinstance(pane, DocumentPane) else None

    def add_pane(self, pane: DocumentPane) -> None:
        self.setCurrentIndex(self.addTab(pane, EMPTY_TAB))
        self.label(pane)

    def label(self, pane: DocumentPane) -> None:
        """Show ``pane``'s title (and where it came from) on its tab."""
        index = self.indexOf(pane)
        if index < 0:
            return
        self.setTabText(index, pane.title or EMPTY_TAB)
        where = str(pane.source_path) if pane.source_path is not None else pane.title
        self.setTabToolTip(index, where)

    def step(self, direction: int) -> None:
        """The next (or previous) tab, wrapping."""
        if self.count() > 1:
            self.setCurrentIndex((self.currentIndex() + direction) % self.count())

    def tab_menu(self, pane: DocumentPane) -> QMenu:
        """The tab's context menu: move it to the other side, or close it."""
        menu = QMenu(self)
        move = menu.addAction("Move to the other side")
        move.setEnabled(not pane.is_empty())
        move.triggered.connect(lambda: self.move_requested.emit(pane))
        menu.addSeparator()
        close = menu.addAction("Close tab")
        close.triggered.connect(lambda: self.close_requested.emit(pane))
        return menu

    def _tab_menu(self, point: QPoint) -> None:
        pane = self.widget(self.tabBar().tabAt(point))
        if isinstance(pane, DocumentPane):
            self.activated.emit(self)
            self.tab_menu(pane).exec(self.tabBar().mapToGlobal(point))
