"""Bench rulings from the docket: one action continues the hearing in progress with a
signed order (adjournment code, next date, reason) that the server issues and serves."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from common.adjournment import load_adjournment_codes
from common.orders import SigningRefused
from desktop.docket import DocketRow
from desktop.orders import BenchRuling, continuance_ruling
from desktop.ui.context import DesktopContext
from desktop.ui.tasks import run_task


def bench_ruling_refusal(role: str, user_id: str, row: DocketRow | None) -> str:
    """Why the signed-in user can't rule from the bench on ``row`` ("" when they can)."""
    if role != "judge":
        return "Only the immigration judge of the case rules from the bench."
    if row is None:
        return "Select a hearing first."
    if row.judge_id != user_id:
        return "This hearing is before another judge."
    if row.status != "scheduled":
        return f"This hearing is {row.status}."
    return ""


class BenchContinuanceDialog(QDialog):
    """Continue a hearing: code, next date, reason; "Sign and issue" saves the signed order
    and the adjourned hearing in one step. ``issued(ruling)`` fires once they are saved."""

    issued = Signal(object)

    def __init__(
        self, ctx: DesktopContext, hearing: dict[str, Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hearing = hearing
        self.setWindowTitle("Bench ruling: continuance")
        self.code = QComboBox()
        self.code.setObjectName("bench_code")
        for entry in load_adjournment_codes().values():
            self.code.addItem(f"{entry.code} — {entry.description}", entry.code)
        self.code.setCurrentIndex(-1)
        self.code.setPlaceholderText("Choose an adjournment code")
        starts = datetime.fromisoformat(str(hearing["starts_at"]))
        self.next_date = QDateEdit()
        self.next_date.setObjectName("bench_next_date")
        self.next_date.setCalendarPopup(True)
        proposed = starts.date() + timedelta(days=28)
        self.next_date.setDate(QDate(proposed.year, proposed.month, proposed.day))
        self.reason = QLineEdit()
        self.reason.setObjectName("bench_reason")
        self.reason.setPlaceholderText("e.g. Respondent to seek counsel")
        self.message = QLabel()
        self.message.setObjectName("bench_message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton(
            "Sign and issue", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setObjectName("bench_sign")
        self.buttons.accepted.connect(self.sign_and_issue)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Adjournment &code:", self.code)
        form.addRow("Continued &to:", self.next_date)
        form.addRow("&Reason:", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def sign_and_issue(self) -> None:
        code = self.code.currentData()
        if not code:
            self.message.setText("Choose an adjournment code.")
            return
        if not self.reason.text().strip():
            self.message.setText("Give the reason for the continuance.")
            return
        starts = datetime.fromisoformat(str(self.hearing["starts_at"]))
        day: date = self.next_date.date().toPython()  # type: ignore[assignment]
        next_start = datetime.combine(day, starts.timetz())
        hearing, user, role = self.hearing, self.ctx.user_id, self.ctx.role
        reason = self.reason.text()

        def rule_and_save() -> BenchRuling:
            store = self.ctx.store
            ruling = continuance_ruling(store, hearing, user, role, str(code), next_start, reason)
            store.save_together(
                [ruling.order, ruling.adjourned]
            )  # issued with the hearing or not at all
            return ruling

        self.sign_button.setEnabled(False)
        self.message.setText("Signing…")
        run_task(rule_and_save, self._done, self._failed, pool=self.ctx.writer)

    def _done(self, ruling: BenchRuling) -> None:
        self.ctx.sync.sync_soon()
        self.message.setText(
            "Continuance signed; it is issued and served when it reaches the server. "
            + ruling.clock_note
        )
        self.issued.emit(ruling)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.sign_button.setEnabled(True)
        if isinstance(error, SigningRefused):
            self.message.setText("Not signed: " + "; ".join(str(p) for p in error.problems))
        else:
            self.message.setText(f"Not signed: {error}")
