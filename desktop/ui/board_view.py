"""The Board's docket and the Board clerk's intake queue (``desktop.board``).

Keyboard first: arrows move through the appeals (oldest received first), Enter opens the
case, Ctrl+D dockets the selected notice of appeal (the transcript is ordered with it),
Ctrl+J rejects it with a reason from the catalogue, Ctrl+G assigns a docketed appeal to a
Board member or a panel of three. "Show docketed appeals" (Ctrl+Alt+A)
lists the Board's docket beside the intake. Offline too: the change goes through the
outbox, and the server makes the case appealed when the push reaches it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from common.court_time import utc_now
from common.enums import AppealStatus
from common.wire import Appeal
from desktop.board import AppealRow, IntakeRefused, board_docket, catalogue, docket, reject
from desktop.board_workspace import assignments
from desktop.local_store import LocalStore
from desktop.ui.board_assign_dialog import Assigner
from desktop.ui.board_briefing import ExtensionDecider
from desktop.ui.context import DesktopContext
from desktop.ui.record_table import Column, RecordTableModel, RecordTableView
from desktop.words import count

COLUMNS: tuple[Column[AppealRow], ...] = (
    Column("Received (Board)", lambda r: r.received_on),
    Column("Due", lambda r: r.due or "—"),
    Column("A-number", lambda r: r.a_number),
    Column("Respondent", lambda r: r.respondent),
    Column("Immigration court", lambda r: r.court),
    Column("Appellant", lambda r: r.appellant),
    Column("Fee", lambda r: r.fee),
    Column("Flags", lambda r: ", ".join(r.flags) or "—"),
    Column("Status", lambda r: r.status),
    Column("Transcript", lambda r: r.transcript),
    Column("Briefing", lambda r: r.briefing),
)
COURT_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Immigration court")
LATE = QColor(Qt.GlobalColor.darkRed)
BOARD_ROLES = frozenset({"board_clerk", "board_member"})


class BoardView(QWidget):
    """The appeals before the Board; the clerk's intake actions on the selected one."""

    open_case = Signal(str)

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reject_dialog: RejectDialog | None = None
        # Late or waived appeals in dark red.
        self.assigned: dict[str, str] = {}  # appeal id -> who decides it (board_workspace)
        self.model = RecordTableModel[AppealRow](
            (*COLUMNS, Column("Assigned to", lambda r: self.assigned.get(r.appeal_id, "—"))),
            foreground=lambda r: LATE if r.appeal.late or r.appeal.appeal_waived else None,
        )
        self.table = RecordTableView(self.model)
        self.table.setObjectName("board_table")
        # Every column fits the window: each as wide as its contents, the court's name (the
        # longest, and the least needed at the Board) takes what is left, elided; the last
        # column ("Assigned to", a panel's writing member) is never cut at the right edge.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COURT_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.row_activated.connect(lambda row: self.open_case.emit(row.case_id))
        self.show_docketed = QCheckBox("Show &docketed appeals")
        self.show_docketed.setObjectName("board_show_docketed")
        self.show_docketed.setShortcut(QKeySequence("Ctrl+Alt+A"))
        self.show_docketed.toggled.connect(lambda _on: self.refresh())
        self.message = QLabel()
        self.message.setObjectName("board_message")
        self.message.setWordWrap(True)
        self.docket_action = self._action("&Docket the appeal", "Ctrl+D", self.docket_selected)
        self.reject_action = self._action("&Reject the appeal…", "Ctrl+J", self.reject_selected)
        # A docketed appeal to a member or a panel (desktop/ui/board_assign_dialog.py).
        self.assigner = Assigner(ctx, self, self.message.setText)
        self.assign_action = self._action(
            "&Assign to a member or a panel…",
            "Ctrl+G",
            lambda: self.assigner.start(self.selected()),
        )
        # A party's briefing extension request (desktop/ui/board_briefing.py).
        self.decider = ExtensionDecider(ctx, self, self.message.setText, self.refresh)
        self.grant_action = self._action(
            "&Grant the extension request",
            "Ctrl+E",
            lambda: self.decider.decide(self.selected(), grant=True),
        )
        self.deny_action = self._action(
            "D&eny the extension request",
            "Ctrl+Shift+E",
            lambda: self.decider.decide(self.selected(), grant=False),
        )
        clerk = ctx.role == "board_clerk"
        self.grant_action.setEnabled(clerk)
        self.deny_action.setEnabled(clerk)
        self.docket_action.setEnabled(clerk)
        self.reject_action.setEnabled(clerk)
        self.assign_action.setEnabled(clerk)
        layout = QVBoxLayout(self)
        hint = "Enter: open the case"
        if clerk:
            hint += " · Ctrl+D: docket (orders the transcript) · Ctrl+J: reject with a reason"
            hint += " · Ctrl+E / Ctrl+Shift+E: grant / deny an extension request"
            hint += " · Ctrl+G: assign a docketed appeal"
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
        everything = self.show_docketed.isChecked()

        def rows(store: LocalStore) -> list[AppealRow]:
            found = board_docket(
                store.all("appeal"),
                store.all("case"),
                store.all("court"),
                board_decisions=store.all("board_decision"),
            )
            self.assigned = assignments(store)
            # Intake, and docketed appeals with an extension request waiting for the clerk.
            return [
                r
                for r in found
                if everything or r.appeal.status is AppealStatus.FILED or r.extension_requests
            ]

        self.ctx.read(rows, self._show)

    def _show(self, rows: list[AppealRow]) -> None:
        selected = self.selected()
        keep = selected.appeal_id if selected else None
        self.model.set_rows(rows)
        waiting = sum(1 for r in rows if r.appeal.status is AppealStatus.FILED)
        asked = sum(len(r.extension_requests) for r in rows)
        text = (
            f"{count(waiting, 'notice')} of appeal waiting for intake."
            if waiting
            else "Intake is clear."
        )
        if asked:
            text += (
                f" {count(asked, 'extension request')} waiting"
                " (Ctrl+E grants, Ctrl+Shift+E denies)."
            )
        self.message.setText(text)
        index = next((i for i, r in enumerate(rows) if r.appeal_id == keep), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)

    @property
    def rows(self) -> list[AppealRow]:
        """The appeals in the order the table shows them."""
        return self.model.rows

    def selected(self) -> AppealRow | None:
        return self.model.row(self.table.currentIndex())

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
