"""Table models of the filing review view: the queue and one filing's documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from common.court_time import table_datetime
from common.wire import Document
from desktop.conflicts import field_label
from desktop.filing_queue import FilingRow
from desktop.ui.record_table import HeaderedTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class FilingTableModel(HeaderedTableModel):
    COLUMNS = (
        "Submitted",
        "Kind",
        "Case",
        "Filed by",
        "Lead document",
        "Pages",
        "Attach.",
        "Status",
        "Reason",
    )
    SUBMITTED, KIND, CASE, FILER, LEAD, PAGES, ATTACHMENTS, STATUS, REASON = range(9)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FilingRow] = []

    def set_rows(self, rows: Sequence[FilingRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def remove(self, filing_id: str) -> None:
        for number, row in enumerate(self._rows):
            if row.filing_id == filing_id:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._rows[number]
                self.endRemoveRows()
                return

    def rows(self) -> list[FilingRow]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column)
        if role == SORT_ROLE:
            if column == self.SUBMITTED:
                return row.filing.submitted_at.timestamp()
            if column in (self.PAGES, self.ATTACHMENTS):
                return int(self._text(row, column) or 0)
            return self._text(row, column).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.PAGES, self.ATTACHMENTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: FilingRow, column: int) -> str:
        lead = row.lead
        values = (
            table_datetime(row.submitted_at, row.submitted_at.tzinfo),
            row.kind_label,
            f"{row.respondent} — {row.a_number}",
            row.filer,
            lead.title if lead else "(no lead document)",
            str(lead.pages) if lead else "",
            str(row.attachments),
            row.status_text,
            row.filing.rejection_reason or "",
        )
        return values[column]


class DocumentTableModel(HeaderedTableModel):
    """The documents of one filing: lead first, then attachments."""

    COLUMNS = ("", "Title", "Type", "Pages", "Status")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: list[Document] = []
        self._lead: str | None = None

    def set_documents(self, docs: Sequence[Document], lead_id: str | None) -> None:
        self.beginResetModel()
        self._docs, self._lead = list(docs), lead_id
        self.endResetModel()

    def document(self, row: int) -> Document | None:
        return self._docs[row] if 0 <= row < len(self._docs) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._docs)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        doc = self._docs[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                "Lead" if doc.id == self._lead else "Attachment",
                doc.title,
                field_label(doc.doc_type.value),
                str(doc.pages),
                doc.status.value.capitalize(),
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
