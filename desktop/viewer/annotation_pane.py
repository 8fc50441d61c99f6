"""The side pane listing every annotation of the current document.

One table model over the layer's index (rows sorted by page, then position on the page),
filtered by type, author and page; activating a row jumps to the annotation.
No widget per row, so ten thousand annotations fill it in a few milliseconds.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from common.enums import Visibility
from common.wire import Annotation
from desktop.annotation_store import KIND_LABELS, KINDS
from desktop.viewer.annotation_layer import AnnotationLayer

COLUMNS = ("Type", "Page", "Author", "Text", "Comment", "Shared")
VISIBILITY_WORDS = {
    Visibility.PRIVATE: "Private",
    Visibility.SHARED: "Shared",
    Visibility.PANEL: "Panel",  # a Board member's note for the panel deciding the appeal
}
ALL = ""
Index = QModelIndex | QPersistentModelIndex
_ID_ROLE = Qt.ItemDataRole.UserRole
_KIND_ROLE = Qt.ItemDataRole.UserRole + 1
_AUTHOR_ROLE = Qt.ItemDataRole.UserRole + 2
_PAGE_ROLE = Qt.ItemDataRole.UserRole + 3


def _position(record: Annotation) -> tuple[int, float, float]:
    rect = record.geometry["rect"]
    return (record.page, rect[1], rect[0])


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AnnotationTableModel(QAbstractTableModel):
    """Every annotation of the layer, sorted by page then position, filtered by kind,
    author and page (plain list work: no per-row call from Qt back into Python)."""

    def __init__(self, layer: AnnotationLayer | None = None) -> None:
        super().__init__()
        self.layer: AnnotationLayer | None = None
        self.all_rows: list[Annotation] = []
        self.rows: list[Annotation] = []  # the ones the filter keeps
        self.kind = ALL
        self.author = ALL
        self.page: int | None = None
        if layer is not None:
            self.set_layer(layer)

    def set_layer(self, layer: AnnotationLayer | None) -> None:
        if self.layer is not None:
            self.layer.changed.disconnect(self.refresh)
        self.layer = layer
        if layer is not None:
            layer.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        records = self.layer.records() if self.layer is not None else []
        records.sort(key=_position)
        self.beginResetModel()
        self.all_rows = records
        self.rows = self._kept(records)
        self.endResetModel()

    def set_filter(self, *, kind: str = ALL, author: str = ALL, page: int | None = None) -> None:
        self.beginResetModel()
        self.kind, self.author, self.page = kind, author, page
        self.rows = self._kept(self.all_rows)
        self.endResetModel()

    def _kept(self, records: list[Annotation]) -> list[Annotation]:
        kind, author, page = self.kind, self.author, self.page
        if not (kind or author or page is not None):
            return list(records)
        return [
            r
            for r in records
            if (not kind or r.kind == kind)
            and (not author or r.author_id == author)
            and (page is None or r.page == page)
        ]

    def row_of(self, record_id: str) -> int:
        for row, record in enumerate(self.rows):
            if record.id == record_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return KIND_LABELS.get(record.kind, record.kind)
            if column == 1:
                return record.page + 1
            if column == 2:
                return self.layer.author_name(record.author_id) if self.layer else ""
            if column == 3:
                return _one_line(record.text)
            if column == 4:
                return _one_line(record.comment)
            return VISIBILITY_WORDS.get(record.visibility, "Private")
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(record.color)
        if role == Qt.ItemDataRole.ToolTipRole and column in (3, 4):
            return record.text if column == 3 else record.comment
        if role == _ID_ROLE:
            return record.id
        if role == _KIND_ROLE:
            return record.kind
        if role == _AUTHOR_ROLE:
            return record.author_id
        if role == _PAGE_ROLE:
            return record.page
        return None


class AnnotationPane(QWidget):
    """Filters above a table; Enter or a double-click jumps to the annotation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer: AnnotationLayer | None = None
        self.model = AnnotationTableModel()
        self.kind_box = QComboBox(self)
        self.kind_box.addItem("All types", ALL)
        for kind in KINDS:
            self.kind_box.addItem(KIND_LABELS[kind], kind)
        self.author_box = QComboBox(self)
        self.author_box.addItem("All authors", ALL)
        self.page_box = QLineEdit(self)
        self.page_box.setPlaceholderText("Page")
        self.page_box.setMaximumWidth(60)
        self.page_box.setToolTip("Only this page (empty: every page)")
        self.count_label = QLabel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(False)
        for column, width in enumerate((110, 44, 110, 220, 160)):
            self.table.setColumnWidth(column, width)
        filters = QHBoxLayout()
        filters.addWidget(self.kind_box)
        filters.addWidget(self.author_box)
        filters.addWidget(self.page_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        self.kind_box.currentIndexChanged.connect(self._apply_filter)
        self.author_box.currentIndexChanged.connect(self._apply_filter)
        self.page_box.textChanged.connect(self._apply_filter)
        self.table.activated.connect(self._jump)
        self.table.doubleClicked.connect(self._jump)
        self._authors: list[str] = []
        self.model.modelReset.connect(self._on_reset)

    def set_layer(self, layer: AnnotationLayer | None) -> None:
        if self.layer is not None:
            self.layer.selected.disconnect(self._on_layer_selected)
        self.layer = layer
        self.model.set_layer(layer)
        if layer is not None:
            layer.selected.connect(self._on_layer_selected)

    def _on_reset(self) -> None:
        authors = sorted({r.author_id for r in self.model.all_rows})
        if authors == self._authors:
            self._count()
            return
        self._authors = authors
        current = self.author_box.currentData()
        self.author_box.blockSignals(True)
        self.author_box.clear()
        self.author_box.addItem("All authors", ALL)
        for author in authors:
            name = self.layer.author_name(author) if self.layer else author
            self.author_box.addItem(name, author)
        found = self.author_box.findData(current)
        self.author_box.setCurrentIndex(max(0, found))
        self.author_box.blockSignals(False)
        if found < 0 and current:
            self._apply_filter()
        self._count()

    def _apply_filter(self) -> None:
        text = self.page_box.text().strip()
        page = int(text) - 1 if text.isdigit() and int(text) > 0 else None
        self.model.set_filter(
            kind=str(self.kind_box.currentData() or ALL),
            author=str(self.author_box.currentData() or ALL),
            page=page,
        )
        self._count()

    def _count(self) -> None:
        shown, total = len(self.model.rows), len(self.model.all_rows)
        noun = "annotation" if total == 1 else "annotations"
        self.count_label.setText(
            f"{total} {noun}" if shown == total else f"{shown} of {total} {noun} shown"
        )

    def _jump(self, index: QModelIndex) -> None:
        record_id = self.model.data(index, _ID_ROLE)
        if self.layer is not None and record_id:
            self.layer.jump_to(str(record_id))
            self.layer.view.setFocus()

    def _on_layer_selected(self, record_id: object) -> None:
        if not isinstance(record_id, str):
            return
        row = self.model.row_of(record_id)
        if row < 0:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
