"""The case search popup (Ctrl+K, or Enter in the toolbar's search field): every case this
computer holds, found by A-number in any spelling, accent-blind name or hearing date,
whatever the docket's filters are. Enter opens the highlighted case as the docket does;
Esc closes. The search itself is ``desktop/case_search.py``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.court_time import table_date
from desktop.case_search import LIMIT, CaseEntry, load_entries, search
from desktop.ui.context import DesktopContext
from desktop.words import count, plural

COLUMNS = ("A-number", "Respondent", "Court", "Next hearing")


class CaseSearchDialog(QDialog):
    """Find a case; ``open_case`` carries the chosen case's id."""

    open_case = Signal(str)

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Find a case")
        self.resize(760, 420)
        self.entries: list[CaseEntry] | None = None  # None until read from the store
        self.shown: list[CaseEntry] = []
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText("A-number, name or hearing date (2026-12-08)")
        self.search_edit.setAccessibleName("Find a case")
        self.search_edit.textChanged.connect(self._update)
        self.search_edit.installEventFilter(self)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.installEventFilter(self)
        self.count = QLabel("Reading the cases held on this computer…")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        ctx.read(load_entries, self._loaded)

    def _loaded(self, entries: list[CaseEntry]) -> None:
        self.entries = entries
        self._update()

    def _update(self) -> None:
        if self.entries is None:
            return
        text = self.search_edit.text()
        self.shown = search(self.entries, text, LIMIT + 1)
        more = len(self.shown) > LIMIT
        self.shown = self.shown[:LIMIT]
        self.table.setRowCount(len(self.shown))
        for row, entry in enumerate(self.shown):
            cells = (
                entry.a_number_display,
                entry.respondent,
                entry.court,
                table_date(entry.next_hearing) if entry.next_hearing else "—",
            )
            for column, value in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if self.shown:
            self.table.selectRow(0)
        held = len(self.entries)
        if not text.strip():
            self.count.setText(f"{count(held, 'case')} held on this computer")
        elif not self.shown:
            self.count.setText(f"No case held on this computer matches “{text.strip()}”")
        else:
            found = len(self.shown)
            self.count.setText(
                f"{found:,}{'+' if more else ''} {plural('case', found)} found"
                " · Enter opens · Esc closes"
            )

    def open_selected(self) -> None:
        """Open the highlighted case (the first found when none is highlighted)."""
        if not self.shown:
            return
        row = self.table.currentRow()
        entry = self.shown[row if 0 <= row < len(self.shown) else 0]
        self.open_case.emit(entry.case_id)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
            if watched is self.search_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                if self.shown:
                    step = 1 if key == Qt.Key.Key_Down else -1
                    row = max(0, min(len(self.shown) - 1, self.table.currentRow() + step))
                    self.table.selectRow(row)
                return True
        return super().eventFilter(watched, event)
