"""The Board's docket and the Board clerk's intake queue (``desktop.board``).

Keyboard first: arrows move through the appeals (oldest received first), Enter opens the
case, Ctrl+D dockets the selected notice of appeal (the transcript is ordered with it),
Ctrl+J rejects it with a reason from the catalogue. "Show docketed appeals" (Ctrl+Alt+A)
lists the Board's docket beside the intake. Offline too: the change goes through the
outbox, and the server makes the case appealed when the push reaches it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from common.court_time import table_date, utc_now
from common.enums import AppealStatus
from common.wire import Appeal
from desktop.board import AppealRow, IntakeRefused, board_docket, catalogue, docket, reject
from desktop.ui.context import DesktopContext

COLUMNS = (
    "Received (Board)",
    "Due",
    "A-number",
    "Respondent",
    "Immigration court",
    "Appellant",
    "Fee",
    "Flags",
    "Status",
    "Transcript",
)
BOARD_ROLES = frozenset({"board_clerk", "board_member"})


class BoardView(QWidget):
    """The appeals before the Board; the clerk's intake actions on the selected one."""

    open_case = Signal(str)

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[AppealRow] = []
        self.reject_dialog: RejectDialog | None = None
        self.model = QStandardItemModel(0, len(COLUMNS))
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView()
        self.table.setObjectName("board_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.activated.connect(self._activated)
        self.show_docketed = QCheckBox("Show &docketed appeals")
        self.show_docketed.setObjectName("board_show_docketed")
        self.show_docketed.setShortcut(QKeySequence("Ctrl+Alt+A"))
        self.show_docketed.toggled.connect(lambda _on: self.refresh())
        self.message = QLabel()
        self.message.setObjectName("board_message")
        self.message.setWordWrap(True)
        self.docket_action = self._action("&Docket the appeal", "Ctrl+D", self.docket_selected)
        self.reject_action = self._action("&Reject the appeal…", "Ctrl+J", self.reject_selected)
        clerk = ctx.role == "board_clerk"
        self.docket_action.setEnabled(clerk)
        self.reject_action.setEnabled(clerk)
        layout = QVBoxLayout(self)
        hint = "Enter: open the case"
        if clerk:
            hint += " · Ctrl+D: docket (orders the transcript) · Ctrl+J: reject with a reason"
        layout.addWidget(QLabel(hint))
        layout.addWidget(self.show_docketed)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        ctx.sync.synced.connect(lambda _report: self.refresh())
        self.refresh()

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def refresh(self) -> None:
        statuses: tuple[AppealStatus, ...] = (AppealStatus.FILED,)
        if self.show_docketed.isChecked():
            statuses = (AppealStatus.FILED, AppealStatus.DOCKETED)
        self.ctx.read(
            lambda store: board_docket(
                store.all("appeal"), store.all("case"), store.all("court"), statuses=statuses
            ),
            self._show,
        )

    def _show(self, rows: list[AppealRow]) -> None:
        selected = self.selected()
        keep = selected.appeal_id if selected else None
        self.rows = rows
        self.model.removeRows(0, self.model.rowCount())
        for row in rows:
            cells = (
                table_date(row.received_on),
                table_date(row.due) if row.due else "—",
                row.a_number,
                row.respondent,
                row.court,
                row.appellant,
                row.fee,
                ", ".join(row.flags) or "—",
                row.status,
                row.transcript,
            )
            items = [QStandardItem(text) for text in cells]
            if row.appeal.late or row.appeal.appeal_waived:
                for item in items:
                    item.setForeground(Qt.GlobalColor.darkRed)
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()
        waiting = sum(1 for r in rows if r.appeal.status is AppealStatus.FILED)
        self.message.setText(
            f"{waiting} notice(s) of appeal waiting for intake." if waiting else "Intake is clear."
        )
        index = next((i for i, r in enumerate(rows) if r.appeal_id == keep), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)

    def selected(self) -> AppealRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        return self.rows[index.row()]

    def _activated(self, index: QModelIndex) -> None:
        if index.row() < len(self.rows):
            self.open_case.emit(self.rows[index.row()].case_id)

    def _save(self, record: Appeal, done: str) -> None:
        def saved() -> None:
            self.message.setText(done)
            self.refresh()

        self.ctx.save([record], on_done=saved, on_error=lambda err: self.message.setText(str(err)))

    def docket_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.message.setText("Select a notice of appeal first.")
            return
        try:
            docketed = docket(row.appeal, self.ctx.user_id, utc_now())
        except IntakeRefused as err:
            self.message.setText(f"Not docketed: {err}.")
            return
        flagged = f" Flagged: {', '.join(row.flags)}." if row.flags else ""
        self._save(docketed, f"Docketed {row.respondent}; the transcript is ordered.{flagged}")

    def reject_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.message.setText("Select a notice of appeal first.")
            return
        dialog = RejectDialog(row, self)
        self.reject_dialog = dialog
        dialog.accepted.connect(lambda: self._reject(row, dialog))
        dialog.open()

    def _reject(self, row: AppealRow, dialog: RejectDialog) -> None:
        try:
            rejected = reject(
                row.appeal, dialog.code(), dialog.note.text(), self.ctx.user_id, utc_now()
            )
        except IntakeRefused as err:
            self.message.setText(f"Not rejected: {err}.")
            return
        self._save(rejected, f"Rejected {row.respondent}: {dialog.reason.currentText()}.")


class RejectDialog(QDialog):
    """A reason from the catalogue (BIA Practice Manual 3.1) and an optional note."""

    def __init__(self, row: AppealRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Reject the notice of appeal — {row.respondent}")
        self.reason = QComboBox()
        self.reason.setObjectName("board_reject_reason")
        for reason in catalogue().values():
            self.reason.addItem(reason.label, reason.code)
            self.reason.setItemData(
                self.reason.count() - 1, reason.source, Qt.ItemDataRole.ToolTipRole
            )
        self.note = QLineEdit()
        self.note.setObjectName("board_reject_note")
        self.note.setPlaceholderText("Optional")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Reason", self.reason)
        form.addRow("&Note", self.note)
        form.addRow(buttons)

    def code(self) -> str:
        return str(self.reason.currentData())
