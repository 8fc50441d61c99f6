"""The case file's "Appeal (Board)" tab: each appeal of the case with its status, the
briefing schedule and every deadline with the days left on the Board's today, each party's
extension request and brief (``desktop.board.appeal_sections``). Read from the local copy,
so it shows offline what the last sync brought.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from common.court_time import table_date
from desktop.board import AppealSection, BriefingLine, appeal_sections
from desktop.ui.context import DesktopContext
from desktop.ui.record_table import Column, RecordTableModel, RecordTableView
from desktop.words import count


def _left(line: BriefingLine) -> str:
    if line.days_left is None:
        return "—"
    if line.days_left < 0:
        return f"passed {count(-line.days_left, 'day')} ago"
    return count(line.days_left, "day")


COLUMNS: tuple[Column[BriefingLine], ...] = (
    Column("Party", lambda r: r.label),
    Column("Brief due (Board)", lambda r: table_date(r.due) if r.due else "—"),
    Column("Days left", _left),
    Column("Extension", lambda r: r.extension),
    Column("Brief", lambda r: r.brief),
)


class AppealTab(QWidget):
    """The appeals of one case; ``refresh()`` reads them again. ``now`` fixes the Board's
    today (tests)."""

    def __init__(self, ctx: DesktopContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.now: datetime | None = None
        self.sections: list[AppealSection] = []
        self.status = QLabel("No appeal to the Board in this case.")
        self.status.setObjectName("appeal_status")
        self.status.setWordWrap(True)
        self.schedule = QLabel()
        self.schedule.setObjectName("appeal_schedule")
        self.schedule.setWordWrap(True)
        self.model = RecordTableModel[BriefingLine](COLUMNS)
        self.table = RecordTableView(self.model)
        self.table.setObjectName("appeal_briefing")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.schedule)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        case_id, now = self.case_id, self.now
        self.ctx.read(lambda store: appeal_sections(store.all("appeal"), case_id, now), self._show)

    def _show(self, sections: list[AppealSection]) -> None:
        self.sections = sections
        if not sections:
            self.status.setText("No appeal to the Board in this case.")
            self.schedule.setText("")
            self.model.set_rows(())
            return
        # Every appeal's status; the schedule and deadlines of the latest docketed one.
        self.status.setText(
            "; ".join(
                f"{'DHS' if s.appeal.appellant.value == 'dhs' else 'Respondent'}'s appeal: "
                f"{s.status}"
                for s in sections
            )
        )
        current = next((s for s in reversed(sections) if s.lines), sections[-1])
        self.schedule.setText(current.schedule)
        self.model.set_rows(current.lines)
