"""The History tab of a case file: the server's audit trail of the case, fetched when the
tab is first shown (it is not part of the offline copy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from common.court_time import table_datetime
from desktop.errors import ApiError
from desktop.tasks import run_task
from desktop.ui.context import DesktopContext
from desktop.ui.record_table import Column, RecordTableModel, RecordTableView
from desktop.words import count


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    actor: str
    summary: str


def history_rows(entries: list[dict[str, Any]]) -> list[HistoryRow]:
    """Newest first; ``at`` stays the UTC instant the server recorded (shown on the court's
    clock by the panel)."""
    rows = [
        HistoryRow(datetime.fromisoformat(e["at"]), str(e["actor"]), str(e["summary"]))
        for e in entries
    ]
    return sorted(rows, key=lambda r: r.at, reverse=True)


class CaseHistoryPanel(QWidget):
    def __init__(self, ctx: DesktopContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.loaded_once = False
        self.zone: tzinfo = UTC  # the court's, once the case file has read it (set_zone)
        self.status = QLabel("The history is read from the server when you open this tab.")
        self.status.setWordWrap(True)
        self.model: RecordTableModel[HistoryRow] = RecordTableModel(
            [
                Column("When", lambda r: table_datetime(r.at, self.zone)),
                Column("Who", lambda r: r.actor),
                Column("What", lambda r: r.summary),
            ]
        )
        self.table = RecordTableView(self.model)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def set_zone(self, zone: tzinfo) -> None:
        """Show times on the court's clock (``zone``), redrawing rows already shown."""
        self.zone = zone
        self.model.set_rows(self.model.rows)

    def load(self) -> None:
        """Fetch the history on a pool thread (a network call)."""
        self.loaded_once = True
        self.status.setText("Reading the history from the server…")
        client = self.ctx.session.client
        run_task(lambda: client.case_history(self.case_id), self._show, self._failed)

    def _show(self, entries: list[dict[str, Any]]) -> None:
        rows = history_rows(entries)
        self.model.set_rows(rows)
        self.status.setText(f"{count(len(rows), 'entry')} from the audit trail, newest first.")

    def _failed(self, err: Exception) -> None:
        if isinstance(err, ApiError) and err.kind == "offline":
            text = (
                "The history is kept on the server, which can't be reached now. "
                "Everything else in this case file works offline."
            )
        else:
            text = f"The history could not be read: {err}"
        self.status.setText(text)
