"""The Board's pending motions (issue 15 item 6): a list with emergency stay requests
first, their first column "Emergency stay" in red. Enter (or Ctrl+R) opens the motions
ruling dialog (``ui.motions_view.MotionRulingDialog``: the same stamps, the Board's limits,
the Board's order signed by the member). Read and saved in the local copy, offline too
(``desktop.board_motions``, ``desktop.motions``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.board_motions import BoardMotionRow, pending_board_motions
from desktop.ui.context import DesktopContext
from desktop.ui.motions_view import MotionRulingDialog
from desktop.ui.record_table import Column, RecordTableModel, RecordTableView
from desktop.words import count

EMERGENCY = "Emergency stay"
RED = QColor("#b00020")
COLUMNS: tuple[Column[BoardMotionRow], ...] = (
    Column("Emergency", lambda r: EMERGENCY if r.emergency else ""),
    Column("Received", lambda r: r.filed_on),
    Column("Age", lambda r: f"{r.age_days} d"),
    Column("Respondent", lambda r: r.respondent),
    Column("A-number", lambda r: r.a_number),
    Column("Motion", lambda r: r.motion),
    Column("By", lambda r: r.movant),
    Column("Position", lambda r: r.position),
)


class BoardMotionsView(QWidget):
    """The motions before the Board, emergencies first; Enter or Ctrl+R rules on one
    (``motion_chosen`` reports it)."""

    motion_chosen = Signal(str)  # the motion's id
    counted = Signal(int, int)  # pending motions, of which emergency stays (for the tab)

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ruling_dialog: MotionRulingDialog | None = None
        self.rule_action = QAction("&Rule on the motion…", self)
        self.rule_action.setShortcut(QKeySequence("Ctrl+R"))
        self.rule_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.rule_action.triggered.connect(self.rule_selected)
        self.addAction(self.rule_action)
        self.model = RecordTableModel[BoardMotionRow](
            COLUMNS, foreground=lambda r: RED if r.emergency else None
        )
        self.table = RecordTableView(self.model)
        self.table.setObjectName("board_motions_table")
        self.table.setAccessibleName("Motions before the Board")
        self.table.row_activated.connect(self._activated)
        self.summary = QLabel()
        self.summary.setObjectName("board_motions_summary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        ctx.sync.synced.connect(lambda _report: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Read the pending motions on a pool thread; the list fills when they arrive."""
        self.ctx.read(pending_board_motions, self._show, parent=self)

    def _show(self, rows: list[BoardMotionRow]) -> None:
        self.model.set_rows(rows)
        urgent = sum(1 for r in rows if r.emergency)
        self.summary.setText(
            f"{count(len(rows), 'motion')} pending before the Board"
            + (f"; {count(urgent, 'emergency stay request')} first." if urgent else ".")
        )
        if rows:
            self.table.selectRow(0)
        self.counted.emit(len(rows), urgent)

    @staticmethod
    def tab_title(_pending: int, urgent: int) -> str:
        """The tab's title: an emergency stay request shows from any tab."""
        return f"Board motions — {urgent} {EMERGENCY.upper()}" if urgent else "Board motions"

    def selected(self) -> BoardMotionRow | None:
        return self.model.row(self.table.currentIndex())

    def rule_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._activated(row)

    def _activated(self, row: object) -> None:
        if not isinstance(row, BoardMotionRow):
            return
        self.motion_chosen.emit(row.motion_id)
        if self.ctx.role != "board_member":
            self.summary.setText("A Board member rules on the motion; the clerk records it.")
            return
        dialog = MotionRulingDialog(self.ctx, row.queue_row(), self)
        self.ruling_dialog = dialog
        dialog.issued.connect(lambda _result: self.refresh())
        dialog.open()
