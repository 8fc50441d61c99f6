"""The start page: big counts with labels, then the lists behind them.

A judge sees their hearings today, the cases with filings they have not seen, the
deadlines of the next two weeks and the cases the Board remanded (pending again); a clerk
sees the court's docket today and how many filings wait for review. Enter or a
double-click on any row opens its case (``open_case``).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from common.court_time import table_date, table_time
from desktop.board_workspace import RemandRow
from desktop.case_file import label
from desktop.dashboard import (
    DEADLINE_WINDOW_DAYS,
    Dashboard,
    NewFilingsRow,
    UpcomingDeadline,
    load_dashboard,
)
from desktop.docket import DocketRow
from desktop.ui.context import DesktopContext
from desktop.ui.record_table import Column, RecordTableModel, RecordTableView


class CountTile(QFrame):
    """A big number over its label."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setStyleSheet(
            "#tile { background: #f1f4f8; border: 1px solid #d5dbe3; border-radius: 8px; }"
        )
        self.value = QLabel("—")
        self.value.setStyleSheet(
            "font-size: 30pt; font-weight: bold; color: #1a3d6d;"
            "border: none; background: transparent;"
        )
        self.caption = QLabel(caption)
        self.caption.setStyleSheet(
            "font-size: 11pt; color: #4a5360; border: none;background: transparent;"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 12)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_count(self, count: int) -> None:
        self.value.setText(str(count))


def docket_columns(show_judge: bool) -> list[Column[DocketRow]]:
    columns: list[Column[DocketRow]] = [
        Column("Time", lambda r: table_time(r.starts_at, r.starts_at.tzinfo)),
        Column("A-number", lambda r: r.a_number_display),
        Column("Respondent", lambda r: r.respondent),
        Column("Type", lambda r: label(r.hearing_type)),
        Column("Medium", lambda r: label(r.medium)),
        Column("Courtroom", lambda r: r.courtroom),
    ]
    if show_judge:
        columns.append(Column("Judge", lambda r: r.judge))
    return [
        *columns,
        Column("Interpreter", lambda r: r.interpreter_language),
        Column("Custody", lambda r: label(r.custody)),
        Column("Status", lambda r: label(r.status)),
    ]


def new_filings_columns() -> list[Column[NewFilingsRow]]:
    return [
        Column("A-number", lambda r: r.a_number_display),
        Column("Respondent", lambda r: r.respondent),
        Column("New", lambda r: r.count),
        Column("Latest", lambda r: r.latest),
        Column("What came in", lambda r: r.titles),
    ]


def deadline_columns() -> list[Column[UpcomingDeadline]]:
    return [
        Column("Due", lambda r: r.due),
        Column("A-number", lambda r: r.a_number_display),
        Column("Respondent", lambda r: r.respondent),
        Column("Deadline", lambda r: r.title),
        Column("Rule", lambda r: r.citation),
        Column("Note", lambda r: " ".join(p for p in (r.caveat, r.note) if p) or None),
    ]


def remand_columns() -> list[Column[RemandRow]]:
    return [
        Column("Remanded", lambda r: r.issued_on),
        Column("A-number", lambda r: r.a_number_display),
        Column("Respondent", lambda r: r.respondent),
        Column("The Board's instructions", lambda r: r.instructions or "—"),
    ]


def _section(title: str, table: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = QLabel(title)
    heading.setStyleSheet("font-size: 13pt; font-weight: bold; margin-top: 6px;")
    layout.addWidget(heading)
    layout.addWidget(table, 1)
    return box


class DashboardView(QWidget):
    """``open_case(case_id)`` asks for a case file, ``open_document(document_id)`` a
    document in the viewer (a remand order); ``loaded`` fires after each refresh.

    ``today`` fixes the day shown (tests); by default it is today at the user's court.
    """

    open_case = Signal(str)
    open_document = Signal(str)
    loaded = Signal()

    def __init__(
        self, ctx: DesktopContext, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.dashboard: Dashboard | None = None
        self.is_judge = ctx.role == "judge"
        self.title = QLabel("Dashboard")
        self.title.setObjectName("dashboard_title")
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.docket_model = RecordTableModel(docket_columns(show_judge=not self.is_judge))
        self.new_filings_model = RecordTableModel(new_filings_columns())
        self.deadlines_model = RecordTableModel(deadline_columns())
        self.docket_table = RecordTableView(self.docket_model)
        self.new_filings_table = RecordTableView(self.new_filings_model)
        self.deadlines_table = RecordTableView(self.deadlines_model)
        # Cases the Board returned pending with its remand order; Enter opens the issued
        # remand order in the viewer (the case when its document isn't held here).
        self.remanded_model = RecordTableModel(remand_columns())
        self.remanded_table = RecordTableView(self.remanded_model)
        self.remanded_table.setObjectName("remanded_by_board")
        tables = (self.docket_table, self.new_filings_table, self.deadlines_table)
        for table in tables:
            table.row_activated.connect(lambda row: self.open_case.emit(row.case_id))
        self.remanded_table.row_activated.connect(self._open_remand)
        self.tiles: dict[str, CountTile] = {"hearings": CountTile("Hearings today")}
        if self.is_judge:
            self.tiles["new_filings"] = CountTile("Cases with new filings")
            self.tiles["deadlines"] = CountTile(
                f"Deadlines in the next {DEADLINE_WINDOW_DAYS} days"
            )
            self.tiles["remanded"] = CountTile("Remanded by the Board")
        else:
            self.tiles["pending_filings"] = CountTile("Filings waiting for review")
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        tiles.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(tiles)
        heading = "My hearings today" if self.is_judge else "The court's hearings today"
        if not self.is_judge:
            layout.addWidget(_section(heading, self.docket_table), 1)
            return
        lists = QGridLayout()
        lists.addWidget(_section(heading, self.docket_table), 0, 0, 1, 2)
        lists.addWidget(_section("New filings since you last looked", self.new_filings_table), 1, 0)
        lists.addWidget(_section("Upcoming deadlines", self.deadlines_table), 1, 1)
        lists.addWidget(_section("Remanded by the Board", self.remanded_table), 2, 0, 1, 2)
        lists.setRowStretch(0, 1)
        lists.setRowStretch(1, 1)
        lists.setRowStretch(2, 1)
        layout.addLayout(lists, 1)

    def _open_remand(self, row: RemandRow) -> None:
        if row.order_document_id:
            self.open_document.emit(row.order_document_id)
        else:
            self.open_case.emit(row.case_id)

    def refresh(self) -> None:
        """Read the dashboard again from the local store (off the GUI thread)."""
        user = dict(self.ctx.session.user)
        self.ctx.read(lambda store: load_dashboard(store, user, self.today), self._show)

    def _show(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.title.setText(f"Dashboard — {table_date(dashboard.today)}")
        self.docket_model.set_rows(dashboard.docket)
        self.tiles["hearings"].set_count(len(dashboard.docket))
        if self.is_judge:
            self.new_filings_model.set_rows(dashboard.new_filings)
            self.deadlines_model.set_rows(dashboard.deadlines)
            self.tiles["new_filings"].set_count(len(dashboard.new_filings))
            self.tiles["deadlines"].set_count(len(dashboard.deadlines))
            self.remanded_model.set_rows(dashboard.remanded)
            self.tiles["remanded"].set_count(len(dashboard.remanded))
        else:
            self.tiles["pending_filings"].set_count(dashboard.pending_filings)
        self.loaded.emit()

    def count(self, key: str) -> int:
        """The number a tile shows (``hearings``, ``new_filings``, ``deadlines``,
        ``remanded``, ``pending_filings``)."""
        return int(self.tiles[key].value.text())
