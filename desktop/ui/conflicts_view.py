"""Changes the server did not take, for a person to settle: conflicts (someone changed the
record meanwhile) and refusals (the server said no, with a reason).

Nothing is dropped until the user clicks: "Keep mine" sends their version again on top of
the server's, "Use the server's" and "Dismiss" keep the server's record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.conflicts import IssueRow, load_issue_rows
from desktop.local_store import LocalStore
from desktop.ui.context import DesktopContext
from desktop.ui.record_table import HeaderedTableModel
from desktop.words import count

ROW_ROLE = Qt.ItemDataRole.UserRole
CHANGED_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_CHANGED = QColor("#fff3c4")  # a pale amber, readable in light themes with dark text


class IssueTableModel(HeaderedTableModel):
    """Every open sync issue, oldest first."""

    COLUMNS = ("Kind", "Record", "Type", "Server's answer")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[IssueRow] = []

    def set_rows(self, rows: Sequence[IssueRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            kind = "Conflict" if row.kind == "conflict" else "Refused"
            return (kind, row.record_label, row.entity_label, row.error)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QBrush(QColor("#b26a00" if row.kind == "conflict" else "#b71c1c"))
        return None


class FieldDiffModel(HeaderedTableModel):
    """One issue's two versions, field by field; changed fields are highlighted."""

    COLUMNS = ("Field", "Yours", "Server's")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[tuple[str, str, str, bool]] = []

    def set_issue(self, row: IssueRow | None, only_changed: bool = False) -> None:
        self.beginResetModel()
        self._lines = []
        if row is not None:
            for change, mine, theirs in zip(
                row.changes, row.mine_text, row.theirs_text, strict=True
            ):
                if change.changed or not only_changed:
                    self._lines.append((change.label, mine, theirs, change.changed))
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return line[index.column()]
        if role == CHANGED_ROLE:
            return line[3]
        if role == Qt.ItemDataRole.BackgroundRole and line[3]:
            return QBrush(_CHANGED)
        if role == Qt.ItemDataRole.ForegroundRole and line[3]:
            return QBrush(QColor("#000000"))  # dark on the pale highlight, whatever the theme
        if role == Qt.ItemDataRole.FontRole and line[3]:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _table(model: QAbstractTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the next field
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ConflictsView(QWidget):
    """The list of sync issues and, for the selected one, both versions and the choices."""

    resolved = Signal()

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self._busy = False
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.issues = IssueTableModel(self)
        self.table = _table(self.issues)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_current())
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.diff = FieldDiffModel(self)
        self.diff_table = _table(self.diff)
        self.diff_table.setWordWrap(True)
        self.only_changed = QCheckBox("Show only &changed fields")
        self.only_changed.toggled.connect(lambda _: self._show_diff())
        self.keep_mine_button = QPushButton("&Keep mine")
        self.keep_mine_button.setToolTip(
            "Send your version again, on top of the server's (it replaces their change)"
        )
        self.keep_mine_button.clicked.connect(self.keep_mine)
        self.take_theirs_button = QPushButton("&Use the server's")
        self.take_theirs_button.setToolTip("Discard your version and keep the server's record")
        self.take_theirs_button.clicked.connect(self.take_theirs)
        self.dismiss_button = QPushButton("&Dismiss")
        self.dismiss_button.setToolTip("The server's record stays; your refused change is dropped")
        self.dismiss_button.clicked.connect(self.take_theirs)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.banner)
        bottom_layout.addWidget(self.diff_table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.only_changed)
        buttons.addStretch()
        for button in (self.take_theirs_button, self.dismiss_button, self.keep_mine_button):
            buttons.addWidget(button)
        bottom_layout.addLayout(buttons)
        bottom_layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([280, 520])
        QVBoxLayout(self).addWidget(splitter)

    # -- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the issues from the local store; the selected one stays selected."""
        self._generation += 1
        generation = self._generation
        self.ctx.read(
            load_issue_rows,
            lambda rows: self._show_rows(generation, rows),
            lambda err: self._show_message(f"Could not read the sync issues: {err}", error=True),
            parent=self,
        )

    def _show_rows(self, generation: int, rows: list[IssueRow]) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way (a closed view gets no answer: parent=self)
        current = self.current_issue()
        place = max(self.table.currentIndex().row(), 0)
        self.issues.set_rows(rows)
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        header.resizeSection(1, min(header.sectionSize(1), 420))
        conflicts = sum(r.kind == "conflict" for r in rows)
        if not rows:
            self.summary.setText("No sync issues: the server took every change you made.")
        else:
            self.summary.setText(
                f"{count(conflicts, 'conflict')} and "
                f"{count(len(rows) - conflicts, 'refused change')}"
                ". Nothing is discarded until you choose."
            )
        self.summary.setStyleSheet("font-weight: bold")
        target = next(
            (n for n, r in enumerate(rows) if current and r.issue.id == current.issue.id),
            min(place, len(rows) - 1),
        )
        if target >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.issues.index(target, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._on_current()

    def current_issue(self) -> IssueRow | None:
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, IssueRow) else None

    def _on_current(self) -> None:
        row = self.current_issue()
        self._show_diff()
        self._show_banner(row)
        conflict = row is not None and row.kind == "conflict"
        self.keep_mine_button.setVisible(conflict)
        self.take_theirs_button.setVisible(row is None or conflict)
        self.dismiss_button.setVisible(row is not None and not conflict)
        for button in (self.keep_mine_button, self.take_theirs_button, self.dismiss_button):
            button.setEnabled(row is not None and not self._busy)
        self.keep_mine_button.setEnabled(conflict and not self._busy and row.mine is not None)  # type: ignore[union-attr]

    def _show_diff(self) -> None:
        self.diff.set_issue(self.current_issue(), self.only_changed.isChecked())
        self.diff_table.resizeColumnsToContents()
        header = self.diff_table.horizontalHeader()
        for column in (1, 2):
            header.resizeSection(column, min(max(header.sectionSize(column), 200), 420))
        self.diff_table.resizeRowsToContents()

    def _show_banner(self, row: IssueRow | None) -> None:
        if row is None:
            self.banner.setText("Select an issue to compare your version with the server's.")
            self.banner.setStyleSheet("")
            return
        changed = sum(c.changed for c in row.changes)
        if row.kind == "conflict":
            gone = " and then deleted it" if row.server_deleted else ""
            text = (
                f"{row.record_label}: someone changed this record on the server{gone} while "
                f"your change was waiting to be sent. {changed} field"
                f"{'s differ' if changed != 1 else ' differs'}. The server's version is "
                "shown meanwhile; choose which one to keep."
            )
            style = "background: #fff3c4; color: #4e3b00; padding: 8px; border-radius: 4px"
        else:
            after = (
                "The record was rolled back to the server's version."
                if row.theirs is not None
                else "The server has no such record, so it was removed from this computer."
            )
            text = (
                f"The server refused your change to {row.record_label}:\n“{row.error}”\n"
                f"{after} Your version is shown beside it for reference."
            )
            style = (
                "background: #fdecea; color: #8e0000; padding: 8px; border-radius: 4px;"
                " font-weight: bold"
            )
        self.banner.setText(text)
        self.banner.setStyleSheet(style)

    # -- deciding ---------------------------------------------------------------------------

    def keep_mine(self) -> None:
        row = self.current_issue()
        if row is None or row.kind != "conflict" or self._busy:
            return
        issue_id = row.issue.id
        self._resolve(
            lambda store: store.resolve_keep_mine(issue_id),
            f"Your version of {row.record_label} will be sent again with the next sync.",
            sync=True,
        )

    def take_theirs(self) -> None:
        row = self.current_issue()
        if row is None or self._busy:
            return
        issue_id = row.issue.id
        verb = "Kept the server's version" if row.kind == "conflict" else "Dismissed the refusal"
        self._resolve(
            lambda store: store.resolve_take_theirs(issue_id),
            f"{verb} of {row.record_label}.",
            sync=False,
        )

    def _resolve(self, op: Callable[[LocalStore], object], message: str, sync: bool) -> None:
        self._busy = True
        self._on_current()

        def done(_: object) -> None:
            self._busy = False
            self._show_message(message)
            self.resolved.emit()
            self.refresh()

        def failed(err: Exception) -> None:
            self._busy = False
            self._show_message(f"Could not resolve the issue: {err}", error=True)
            self._on_current()

        # The writer thread; the sync (which also refreshes the status bar's counts) happens
        # even when this view is gone, the callbacks only while it lives.
        self.ctx.write(op, done, failed, parent=self, sync=sync)

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {'#b71c1c' if error else '#2e7d32'}")
        self.message.setText(text)
