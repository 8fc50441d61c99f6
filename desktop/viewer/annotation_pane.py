"""The side pane listing every annotation of the current document.

One table model over the layer's index (rows sorted by page, then position on the page),
filtered by type, author and page; activating a row (Enter) jumps to the annotation.
No widget per row, so ten thousand annotations fill it in a few milliseconds.

The list fits its dock without scrolling sideways: the quoted text and the comment share the
width left by the narrow type, page, author and sharing columns, each word-wrapped over
three lines (the whole text is in the tooltip). A note is edited in place: F2 or a
double-click on one of the user's own rows opens its comment (a free text's words) in an
editor over the row; Ctrl+Enter keeps the change (one undo step), Escape drops it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
TEXT_COLUMN, COMMENT_COLUMN = 3, 4
# Widths of the narrow columns (page, author, the quoted text: its tooltip has it whole);
# type and shared are as wide as their longest word (see _fitted_widths); the comment, what a
# reader reads, takes the rest.
FIXED_WIDTHS = {1: 32, 2: 54, 3: 48}
ROW_LINES = 3  # a row shows this many wrapped lines of its text and comment
EDITOR_LINES = 5


def _fitted_widths(metrics: QFontMetrics, style: QStyle) -> dict[int, int]:
    """The type and shared columns' widths: their longest word whole (the type's beside
    its colour swatch), so neither is ever cut to "Hig…" or "Priv…"."""
    margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 4
    swatch = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 4
    kind = max(metrics.horizontalAdvance(label) for label in KIND_LABELS.values())
    shared = max(metrics.horizontalAdvance(word) for word in VISIBILITY_WORDS.values())
    return {0: kind + swatch + margin, 5: shared + margin}


def _position(record: Annotation) -> tuple[int, float, float]:
    rect = record.geometry["rect"]
    return (record.page, rect[1], rect[0])


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def note_field(record: Annotation) -> tuple[str, int]:
    """The field a user writes on ``record`` and its column: a free text's words are on the
    page (text), every other kind carries a comment."""
    return ("text", TEXT_COLUMN) if record.kind == "freetext" else ("comment", COMMENT_COLUMN)


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
        # While a note is being typed the list is not rebuilt under it (a sync may bring
        # others' changes): the refresh waits until the editor closes.
        self.holding = False
        self._stale = False
        if layer is not None:
            self.set_layer(layer)

    def set_layer(self, layer: AnnotationLayer | None) -> None:
        if self.layer is not None:
            self.layer.changed.disconnect(self.refresh)
        self.layer = layer
        if layer is not None:
            layer.changed.connect(self.refresh)
        self.holding = self._stale = False  # another document: its own list, now
        self.refresh()

    def hold(self, on: bool) -> None:
        """Hold refreshes while a note is edited in place; on release, catch up."""
        self.holding = on
        if not on and self._stale:
            self._stale = False
            self.refresh()

    def refresh(self) -> None:
        if self.holding:
            self._stale = True
            return
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

    def editable(self, index: Index) -> bool:
        """Whether ``index`` is the note of one of the user's own annotations."""
        if not index.isValid() or self.layer is None:
            return False
        record = self.rows[index.row()]
        return index.column() == note_field(record)[1] and self.layer.can_edit(record)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if self.editable(index) else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Write the note typed in place (an undoable edit, saved like any other)."""
        if role != Qt.ItemDataRole.EditRole or not self.editable(index) or self.layer is None:
            return False
        record = self.rows[index.row()]
        field, _column = note_field(record)
        if getattr(record, field) == str(value):
            return False
        self.layer.edit(record, record.model_copy(update={field: str(value)}))
        self.layer.select(record.id)  # the list was refreshed: keep the row chosen
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole and column in (TEXT_COLUMN, COMMENT_COLUMN):
            return record.text if column == TEXT_COLUMN else record.comment
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


class NoteDelegate(QStyledItemDelegate):
    """Edits a note in a multi-line editor over its row: Ctrl+Enter keeps, Escape drops."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setObjectName("note-editor")
        editor.setToolTip("Ctrl+Enter keeps the change, Escape drops it")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """From the text column to the row's end, a few lines tall: room to write in."""
        table = self.parent()
        cell = option.rect
        if not isinstance(table, QTableView):
            editor.setGeometry(cell)
            return
        left = table.columnViewportPosition(TEXT_COLUMN)
        width = table.viewport().width() - left
        height = max(cell.height(), EDITOR_LINES * editor.fontMetrics().lineSpacing() + 8)
        editor.setGeometry(QRect(left, cell.top(), width, height))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QPlainTextEdit) and isinstance(event, QKeyEvent):
            key, ctrl = event.key(), event.modifiers() & Qt.KeyboardModifier.ControlModifier
            confirm = bool(ctrl) and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if event.type() == QEvent.Type.ShortcutOverride and confirm:
                event.accept()  # the editor's key, not a window shortcut
                return True
            if event.type() == QEvent.Type.KeyPress and confirm:
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                return True
        return super().eventFilter(watched, event)


class AnnotationTable(QTableView):
    """The list's table: F2 (while it has the focus) edits the chosen row's note in place,
    rather than opening the window's "Edit comment" dialog."""

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F2
            and self.state() != QAbstractItemView.State.EditingState
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F2 and self.edit_note(self.currentIndex().row()):
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: Any) -> None:
        row = self.indexAt(event.position().toPoint()).row()
        if row >= 0 and self.edit_note(row):
            return
        super().mouseDoubleClickEvent(event)

    def edit_note(self, row: int) -> bool:
        """Open the editor on ``row``'s note; False when it is not the user's to edit."""
        model = self.model()
        if not isinstance(model, AnnotationTableModel) or not 0 <= row < len(model.rows):
            return False
        index = model.index(row, note_field(model.rows[row])[1])
        if not model.editable(index):
            return False
        self.setCurrentIndex(index)
        model.hold(True)
        self.edit(index)
        if self.state() != QAbstractItemView.State.EditingState:
            model.hold(False)
            return False
        return True


class AnnotationPane(QWidget):
    """Filters above a table; Enter jumps to the annotation; F2 or a double-click on one
    of the user's own edits its note in place (a double-click on another's jumps)."""

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
        self.table = AnnotationTable(self)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list for the next field
        self.table.setModel(self.model)
        delegate = NoteDelegate(self.table)
        self.table.setItemDelegate(delegate)
        delegate.closeEditor.connect(lambda *_: self.model.hold(False))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # F2 is ours
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(True)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setMinimumSectionSize(1)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_LINES * self.fontMetrics().lineSpacing() + 6)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(24)
        header.setStretchLastSection(False)
        widths = {**FIXED_WIDTHS, **_fitted_widths(self.fontMetrics(), self.style())}
        for column in range(len(COLUMNS)):
            width = widths.get(column)
            if width is None:  # the comment: the width that is left
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
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
        self.table.doubleClicked.connect(self._jump)  # reached only for others' annotations
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
        header = self.table.horizontalHeader()
        for column in (0, 5):  # the type and sharing words whole, as the view measures them
            wanted = self.table.sizeHintForColumn(column)
            if wanted > header.sectionSize(column):
                header.resizeSection(column, wanted)
        if self.layer is not None and self.layer.selected_id is not None:
            self._on_layer_selected(self.layer.selected_id)  # the chosen row stays chosen
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
