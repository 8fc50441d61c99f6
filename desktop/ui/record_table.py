"""A table over frozen rows: each column a title and a getter; sortable; Enter or a
double-click reports the row. Used by the case file and the dashboard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from common.court_time import table_date, table_datetime

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex
MUTED = QColor("#8a8f98")


def display(value: object) -> str:
    """How a cell shows a value: dates and times in the house style of
    :mod:`common.court_time` (``Tue 8 Dec 2026``, ``Tue 8 Dec 2026 10:30 PST``), booleans as
    words. A time is shown in the zone it carries: rows hold times on the court's clock."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return table_datetime(value, value.tzinfo)
    if isinstance(value, date):
        return table_date(value)
    return str(value)


def _sort_key(value: object) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    if isinstance(value, (date, datetime)):
        return (2, value.isoformat())
    return (3, str(value).casefold())


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    value: Callable[[T], object]


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over frozen rows; each column is a title and a getter.

    ``font`` and ``foreground`` (optional) style a whole row, e.g. bold for the next
    deadline, muted for past ones. ``Qt.UserRole`` gives the row object itself.
    """

    def __init__(
        self,
        columns: Sequence[Column[T] | tuple[str, Callable[[T], object]]],
        rows: Sequence[T] = (),
        *,
        font: Callable[[T], QFont | None] | None = None,
        foreground: Callable[[T], QColor | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = [c if isinstance(c, Column) else Column(*c) for c in columns]
        self._rows: list[T] = list(rows)
        self._font = font
        self._foreground = foreground

    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: AnyIndex) -> T | None:
        return (
            self._rows[index.row()] if index.isValid() and index.row() < len(self._rows) else None
        )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or index.row() >= len(self._rows)
            or index.column() >= len(self.columns)
        ):
            return None
        row = self._rows[index.row()]
        value = self.columns[index.column()].value(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return display(value)
        if role == Qt.ItemDataRole.UserRole:
            return row
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self._font is not None:
            return self._font(row)
        if role == Qt.ItemDataRole.ForegroundRole and self._foreground is not None:
            return self._foreground(row)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        getter = self.columns[column].value
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(
            key=lambda r: _sort_key(getter(r)), reverse=order == Qt.SortOrder.DescendingOrder
        )
        self.layoutChanged.emit()


class RecordTableView(QTableView):
    """A table of whole rows; Enter or a double-click emits ``row_activated`` with the row."""

    row_activated = Signal(object)

    def __init__(self, model: RecordTableModel[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setTabKeyNavigation(False)  # Tab leaves the table for the next field
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicatorShown(False)
        self.doubleClicked.connect(self._activate)
        model.modelReset.connect(self._after_reset)

    def record_model(self) -> RecordTableModel[Any]:
        model = self.model()
        assert isinstance(model, RecordTableModel)
        return model

    def _after_reset(self) -> None:
        self.resizeColumnsToContents()
        for column in range(self.record_model().columnCount()):
            self.setColumnWidth(column, min(self.columnWidth(column), 420))
        if self.record_model().rowCount() and not self.currentIndex().isValid():
            # A current row for the keyboard (Enter opens it), not a selection shouting blue.
            self.selectionModel().setCurrentIndex(
                self.record_model().index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def _activate(self, index: QModelIndex) -> None:
        row = self.record_model().row(index)
        if row is not None:
            self.row_activated.emit(row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activate(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class HeaderedTableModel(QAbstractTableModel):
    """Base of the hand-written read-only table models: fixed ``COLUMNS`` titles."""

    COLUMNS: tuple[str, ...] = ()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None
