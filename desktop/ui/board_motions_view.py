"""The Board's pending motions (issue 15 item 6): a list with emergency stay requests
first, their first column "Emergency stay" in red; Enter on a row reports it. Read from the
local copy, offline too (``desktop.board_motions``)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.board_motions import BoardMotionRow, pending_board_motions
from desktop.ui.context import DesktopContext
from desktop.ui.record_table import Column, RecordTableModel, RecordTableView

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
    """The motions before the Board, emergencies first; ``motion_chosen`` on Enter."""

    motion_chosen = Signal(str)  # the motion's id

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
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
        self.refresh()

    def refresh(self) -> None:
        rows = pending_board_motions(self.ctx.store)
        self.model.set_rows(rows)
        urgent = sum(1 for r in rows if r.emergency)
        self.summary.setText(
            f"{len(rows)} motion(s) pending before the Board"
            + (f"; {urgent} emergency stay request(s) first." if urgent else ".")
        )
        if rows:
            self.table.selectRow(0)

    def _activated(self, row: object) -> None:
        if isinstance(row, BoardMotionRow):
            self.motion_chosen.emit(row.motion_id)
