"""Bench rulings from the docket: one action continues the hearing in progress with a
signed order (adjournment code, next date, reason) that the server issues and serves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
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
from common.court_time import court_instant, table_date, to_court, utc_now
from common.orders import SigningRefused
from common.wire import Hearing
from desktop.clerk_actions import find_clashes, reschedule
from desktop.docket import DocketRow, next_free_slot, past_closing
from desktop.orders import (
    BenchRuling,
    SigningSummary,
    case_today,
    continuance_draft,
    continuance_ruling,
    signing_summary,
)
from desktop.tasks import run_task
from desktop.ui.context import DesktopContext
from desktop.ui.date_field import house_style
from desktop.ui.signing_summary import SigningSummaryDialog


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
    """Continue a hearing: code, next date, reason; "Sign and issue" shows what signing
    does (:class:`SigningSummaryDialog`) and, once confirmed, saves the signed order and
    the adjourned hearing in one step. ``issued(ruling)`` fires once they are saved.
    ``zone`` is the court's: the next date is proposed and kept at the same court time.
    Given the docket (``docket_rows``), the date proposed is the first from four weeks on
    when the judge and courtroom are free at that time, and a chosen date that clashes is
    named below the form."""

    issued = Signal(object)

    def __init__(
        self,
        ctx: DesktopContext,
        hearing: dict[str, Any],
        parent: QWidget | None = None,
        *,
        zone: tzinfo | None = None,
        docket_rows: Sequence[DocketRow] = (),
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hearing = hearing
        self.docket_rows = list(docket_rows)
        self.zone: tzinfo = zone or UTC
        self.zone_given = zone is not None
        self.summary_dialog: SigningSummaryDialog | None = None
        self.setWindowTitle("Bench ruling: continuance")
        self.code = QComboBox()
        self.code.setObjectName("bench_code")
        for entry in load_adjournment_codes().values():
            self.code.addItem(f"{entry.code} — {entry.description}", entry.code)
        self.code.setCurrentIndex(-1)
        self.code.setPlaceholderText("Choose an adjournment code")
        self.starts = to_court(datetime.fromisoformat(str(hearing["starts_at"])), self.zone)
        self.next_date = house_style(QDateEdit())
        self.next_date.setObjectName("bench_next_date")
        proposed = self._first_free_day(self.starts.date() + timedelta(days=28))
        self.next_date.setDate(QDate(proposed.year, proposed.month, proposed.day))
        self.clash_note = QLabel()
        self.clash_note.setObjectName("bench_clash")
        self.clash_note.setStyleSheet("color: #b00020;")
        self.clash_note.setWordWrap(True)
        self.next_date.dateChanged.connect(self._show_clashes)
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
        layout.addWidget(self.clash_note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._show_clashes()

    def _next_hearing(self, day: date) -> Hearing:
        """The continued hearing on ``day``, at the same court time, as the docket sees it."""
        return reschedule(
            Hearing.model_validate(self.hearing), court_instant(day, self.starts.time(), self.zone)
        )

    def _first_free_day(self, first: date) -> date:
        """``first``, or the first day after it (within 90) the court sits and the judge and
        courtroom are free at this hearing's time for its length; ``first`` when the docket
        is not known or no such day comes."""
        if not self.docket_rows:
            return first
        hearing = Hearing.model_validate(self.hearing)
        for offset in range(90):
            at = court_instant(first + timedelta(days=offset), self.starts.time(), self.zone)
            slot = next_free_slot(
                self.docket_rows,
                judge_id=hearing.judge_id,
                courtroom_id=hearing.courtroom_id,
                duration_minutes=hearing.duration_minutes,
                earliest=at,
                zone=self.zone,
                ignore=frozenset({hearing.id}),
                days=1,
            )
            if slot == at:
                return at.astimezone(self.zone).date()
        return first

    def _show_clashes(self) -> None:
        day: date = self.next_date.date().toPython()  # type: ignore[assignment]
        clashes = find_clashes(self._next_hearing(day), self.docket_rows)
        self.clash_note.setText(
            "\n".join(f"Clash on {table_date(day)}: {c.message()}" for c in clashes)
        )
        self.clash_note.setVisible(bool(clashes))

    def sign_and_issue(self) -> None:
        code = self.code.currentData()
        if not code:
            self.message.setText("Choose an adjournment code.")
            return
        if not self.reason.text().strip():
            self.message.setText("Give the reason for the continuance.")
            return
        if self.summary_dialog is not None and self.summary_dialog.isVisible():
            return  # already asking
        day: date = self.next_date.date().toPython()  # type: ignore[assignment]
        following, zone_known = self._next_hearing(day), self.zone_given
        # The court's hours are on its clock: unknown without its zone.
        too_long = zone_known and past_closing(
            following.starts_at, following.duration_minutes, self.zone
        )
        if too_long:
            self.message.setText(too_long)
            return
        # The same time of day at the court, whatever its offset then (09:00 PDT before
        # the end of daylight time is continued to 09:00 PST, not 08:00).
        next_start = court_instant(day, self.starts.time(), self.zone)
        hearing, user, code_text = self.hearing, self.ctx.user_id, str(code)
        reason = self.reason.text()

        def summary(store: Any) -> SigningSummary:
            draft, _ = continuance_draft(store, hearing, user, code_text, next_start, reason)
            return signing_summary(store, draft)

        self.sign_button.setEnabled(False)
        self.message.setText("Preparing the summary…")
        self.ctx.read(
            summary, lambda s: self._confirm(s, code_text, next_start, reason), self._failed
        )

    def _confirm(
        self, summary: SigningSummary, code: str, next_start: datetime, reason: str
    ) -> None:
        dialog = SigningSummaryDialog(summary, self)
        self.summary_dialog = dialog
        dialog.accepted.connect(lambda: self._sign(summary, code, next_start, reason))
        dialog.rejected.connect(self._not_signed)
        dialog.open()

    def _not_signed(self) -> None:
        self.sign_button.setEnabled(True)
        self.message.setText("Not signed.")

    def _sign(self, summary: SigningSummary, code: str, next_start: datetime, reason: str) -> None:
        hearing, user, role = self.hearing, self.ctx.user_id, self.ctx.role

        def rule_and_save() -> BenchRuling:
            store = self.ctx.store
            now = utc_now()
            if case_today(store, str(hearing["case_id"]), now) != summary.dated:
                # Midnight passed at the court while the summary was open.
                raise ValueError("the court's date changed while you read the summary; sign again")
            ruling = continuance_ruling(store, hearing, user, role, code, next_start, reason, now)
            store.save_together(
                [ruling.order, ruling.adjourned]
            )  # issued with the hearing or not at all
            return ruling

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
