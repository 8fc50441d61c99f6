"""The day's interpreter requests, opened from the docket: pick a court day, see each
hearing that needs an interpreter, export the list as CSV or a printable PDF
(:mod:`desktop.interpreters` builds both; this only shows and saves them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, tzinfo
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.court_time import iso_date, table_date, table_time
from desktop.docket import DocketRow
from desktop.interpreters import (
    TYPE_WORDS,
    InterpreterRequest,
    render_pdf,
    requests_for_day,
    to_csv,
)
from desktop.tasks import run_task
from desktop.ui.date_field import house_style

HEADERS = ("Time", "Courtroom", "Language", "Attends", "A-number", "Hearing", "Judge")


class InterpreterRequestsDialog(QDialog):
    """The list for one court day; ``exported`` carries the path of each file written."""

    exported = Signal(str)

    def __init__(
        self,
        rows: Sequence[DocketRow],
        day: date,
        zone: tzinfo | None,
        court_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Interpreter requests")
        self.rows = list(rows)
        self.zone: tzinfo = zone or UTC
        self.court_name = court_name
        self.requests: list[InterpreterRequest] = []
        self.date_edit = house_style(QDateEdit())
        self.date_edit.setAccessibleName("Court day")
        day_label = QLabel("Court &day:")
        day_label.setBuddy(self.date_edit)
        self.count_label = QLabel()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next field
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.csv_button = QPushButton("Export &CSV…")
        self.pdf_button = QPushButton("Export &PDF…")
        self.csv_button.clicked.connect(self.choose_csv)
        self.pdf_button.clicked.connect(self.choose_pdf)
        print_action = QAction(self)
        print_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Print))
        print_action.triggered.connect(self.choose_pdf)
        self.addAction(print_action)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(day_label)
        top.addWidget(self.date_edit)
        top.addStretch(1)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.addWidget(self.csv_button)
        actions.addWidget(self.pdf_button)
        actions.addStretch(1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        self.resize(820, 420)
        self.date_edit.dateChanged.connect(self._day_changed)
        self.set_day(day)

    # -- the list ---------------------------------------------------------------------------

    @property
    def day(self) -> date:
        picked = self.date_edit.date()
        return date(picked.year(), picked.month(), picked.day())

    def set_day(self, day: date) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        self._day_changed()

    def _day_changed(self) -> None:
        self.requests = requests_for_day(self.rows, self.day)
        self.table.setRowCount(len(self.requests))
        for number, r in enumerate(self.requests):
            cells = (
                table_time(r.starts_at, self.zone),
                r.courtroom,
                r.need,
                r.medium_words,
                r.a_number,
                TYPE_WORDS.get(r.hearing_type, r.hearing_type),
                r.judge,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.hearing_id)
                self.table.setItem(number, column, item)
        count = len(self.requests)
        self.count_label.setText(
            f"{table_date(self.day)}: "
            + (f"{count} hearing{'' if count == 1 else 's'}" if count else "no interpreters needed")
        )
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(bool(self.requests))

    def table_texts(self) -> list[list[str]]:
        """What the table shows, row by row (for checks)."""
        texts = []
        for r in range(self.table.rowCount()):
            items = (self.table.item(r, c) for c in range(self.table.columnCount()))
            texts.append([item.text() if item else "" for item in items])
        return texts

    # -- export -----------------------------------------------------------------------------

    def _suggested(self, suffix: str) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return str(Path(folder) / f"interpreter-requests-{iso_date(self.day)}.{suffix}")

    def choose_csv(self) -> None:
        if not self.requests:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export interpreter requests", self._suggested("csv"), "CSV files (*.csv)"
        )
        if path:
            self.export_csv(path)

    def choose_pdf(self) -> None:
        if not self.requests:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export interpreter requests", self._suggested("pdf"), "PDF documents (*.pdf)"
        )
        if path:
            self.export_pdf(path)

    def export_csv(self, path: str | Path) -> None:
        """Write the list as CSV (UTF-8 with a byte-order mark, so spreadsheets read the
        accents of "K'iche'" and "Kekchí" right)."""
        try:
            Path(path).write_text(to_csv(self.requests, self.zone), encoding="utf-8-sig")
        except OSError as err:
            self._failed(err)
            return
        self.exported.emit(str(path))

    def export_pdf(self, path: str | Path) -> None:
        """Render the PDF off the GUI thread (its own document), then write it."""
        requests, court, day, zone = list(self.requests), self.court_name, self.day, self.zone
        target = Path(path)

        def render() -> str:
            target.write_bytes(render_pdf(requests, court, day, zone))
            return str(target)

        self.pdf_button.setEnabled(False)
        run_task(render, self._pdf_written, self._failed)

    def _pdf_written(self, path: str) -> None:
        self.pdf_button.setEnabled(bool(self.requests))
        self.exported.emit(path)

    def _failed(self, err: Exception) -> None:
        self.pdf_button.setEnabled(bool(self.requests))
        self.error.setText(f"Not exported: {err}")
        self.error.show()
