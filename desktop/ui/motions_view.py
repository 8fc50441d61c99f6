"""The judge's pending-motions queue and the ruling stamp.

Keyboard first: arrows move through the motions (oldest first), Enter opens the selected
motion's document in the viewer, Ctrl+R rules on it (the stamp, an optional reason, and
for a motion to reopen or reconsider its limits and the exceptions the judge may apply);
"Sign and issue" shows what signing does and saves the signed order with the stamp in one
step, offline too. The server issues and serves the order once the push reaches it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
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
from common.court_time import court_today, table_date, utc_now
from common.enums import MotionRuling, MotionType, Movant, OtherPartyPosition
from common.motions import catalogue
from common.orders import SigningRefused
from desktop.motions import (
    MOVANTS,
    POSITIONS,
    MotionRulingResult,
    QueueRow,
    Stamp,
    case_by_a_number,
    limits_of,
    load_motion,
    paper_motion,
    pending_motions,
    record_position,
    rule_on_motion,
    ruling_draft,
    save_ruling,
    withdraw,
)
from desktop.orders import SigningSummary, case_today, signing_summary
from desktop.ruling_effects import ruling_effects
from desktop.tasks import run_task
from desktop.ui.context import DesktopContext
from desktop.ui.date_field import house_style
from desktop.ui.record_table import Column, RecordTableModel, RecordTableView
from desktop.ui.signing_summary import SigningSummaryDialog
from desktop.words import count

COLUMNS: tuple[Column[QueueRow], ...] = (
    Column("Received", lambda r: r.filed_on),
    Column("Age", lambda r: f"{r.age_days} d"),
    Column("Respondent", lambda r: r.respondent),
    Column("A-number", lambda r: r.a_number),
    Column("Motion", lambda r: r.motion + (" (limits)" if r.limited else "")),
    Column("By", lambda r: r.movant),
    Column("Position", lambda r: r.position),
    Column("Response due", lambda r: r.response_due),
)


class MotionsQueueView(QWidget):
    """Pending motions of the signed-in judge's cases (a clerk sees the court's)."""

    open_document = Signal(str)
    open_case = Signal(str)

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ruling_dialog: MotionRulingDialog | None = None
        self.model = RecordTableModel[QueueRow](COLUMNS)
        self.table = RecordTableView(self.model)
        self.table.setObjectName("motions_table")
        self.table.row_activated.connect(self._activated)  # Enter or a double click
        self.message = QLabel()
        self.message.setObjectName("motions_message")
        self.rule_action = QAction("&Rule on the motion…", self)
        self.rule_action.setShortcut(QKeySequence("Ctrl+R"))
        self.rule_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.rule_action.triggered.connect(self.rule_selected)
        self.addAction(self.rule_action)
        self.case_action = QAction("Open the &case", self)
        self.case_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.case_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.case_action.triggered.connect(self._open_case)
        self.addAction(self.case_action)
        self.clerk_dialog: QDialog | None = None
        self.enter_action = QAction("E&nter a paper motion…", self)
        self.enter_action.setShortcut(QKeySequence("Ctrl+N"))
        self.enter_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.enter_action.triggered.connect(self.enter_paper_motion)
        self.addAction(self.enter_action)
        self.position_action = QAction("Record the &position or a withdrawal…", self)
        self.position_action.setShortcut(QKeySequence("Ctrl+P"))
        self.position_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.position_action.triggered.connect(self.record_selected)
        self.addAction(self.position_action)
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Ctrl+N: enter a paper motion · Ctrl+P: record the position or a withdrawal · "
            "Enter: open the motion · Ctrl+Enter: open the case"
            if ctx.role == "clerk"
            else "Enter: open the motion · Ctrl+R: rule · Ctrl+Enter: open the case"
        )
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        self.refresh()

    def refresh(self) -> None:
        user, role = self.ctx.user_id, self.ctx.role
        self.ctx.read(lambda store: pending_motions(store, user, role), self._show)

    def _show(self, rows: list[QueueRow]) -> None:
        selected = self.selected()
        keep = selected.motion_id if selected else None
        self.model.set_rows(rows)
        self.message.setText(
            f"{count(len(rows), 'pending motion')}." if rows else "No pending motion."
        )
        index = next((i for i, r in enumerate(rows) if r.motion_id == keep), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)

    @property
    def rows(self) -> list[QueueRow]:
        """The motions in the order the table shows them."""
        return self.model.rows

    def selected(self) -> QueueRow | None:
        return self.model.row(self.table.currentIndex())

    def _activated(self, row: QueueRow) -> None:
        if row.document_id:
            self.open_document.emit(row.document_id)
        else:
            self.message.setText("This motion was entered without its document.")

    def _open_case(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_case.emit(row.case_id)

    def rule_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.message.setText("Select a motion first.")
            return
        if self.ctx.role != "judge":
            self.message.setText("Only the immigration judge of the case rules on a motion.")
            return
        dialog = MotionRulingDialog(self.ctx, row, self)
        self.ruling_dialog = dialog
        dialog.issued.connect(lambda _result: self.refresh())
        dialog.open()

    def enter_paper_motion(self) -> None:
        if self.ctx.role != "clerk":
            self.message.setText("The clerk enters a motion received on paper.")
            return
        row = self.selected()
        dialog = PaperMotionDialog(self.ctx, row.a_number if row else "", self)
        self.clerk_dialog = dialog
        dialog.saved.connect(lambda _motion: self.refresh())
        dialog.open()

    def record_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.message.setText("Select a motion first.")
            return
        if self.ctx.role != "clerk":
            self.message.setText("The clerk records the other party's position or a withdrawal.")
            return
        dialog = MotionPositionDialog(self.ctx, row, self)
        self.clerk_dialog = dialog
        dialog.saved.connect(lambda _motion: self.refresh())
        dialog.open()


class _ClerkMotionDialog(QDialog):
    """What the clerk's two motion dialogs share: a form above a message line and
    Save/Cancel; the change is written on the desktop's writer thread, and ``saved(motion)``
    fires once it is in the outbox (a refusal stays in the message line)."""

    saved = Signal(object)

    def __init__(self, ctx: DesktopContext, message_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message = QLabel()
        self.message.setObjectName(message_name)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self, form: QFormLayout) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        raise NotImplementedError

    def _write(self, write: Callable[[], Any]) -> None:
        self.buttons.setEnabled(False)
        run_task(write, self._done, self._failed, pool=self.ctx.writer)

    def _done(self, motion: Any) -> None:
        self.ctx.sync.sync_soon()
        self.saved.emit(motion)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(f"Not saved: {error}")


class PaperMotionDialog(_ClerkMotionDialog):
    """The clerk enters a motion received on paper: the case by its A-number, what the
    motion asks, who moves, the day the court received it and the other party's position
    as the motion states it. Checked as the server checks it before it is saved;
    ``saved(motion)`` fires once it is in the outbox."""

    def __init__(self, ctx: DesktopContext, a_number: str = "", parent: QWidget | None = None):
        super().__init__(ctx, "paper_message", parent)
        self.setWindowTitle("Enter a paper motion")
        cat = catalogue()
        self.a_number = QLineEdit(a_number)
        self.a_number.setObjectName("paper_a_number")
        self.motion_type = QComboBox()
        self.motion_type.setObjectName("paper_type")
        for kind in MotionType:
            if "court" in cat.forums(kind.value):  # the Board's have their own list
                self.motion_type.addItem(cat.type_label(kind.value), kind.value)
        self.description = QLineEdit()
        self.description.setObjectName("paper_description")
        self.description.setPlaceholderText("What an “other” motion asks")
        self.movant = QComboBox()
        self.movant.setObjectName("paper_movant")
        for value, label in MOVANTS.items():
            self.movant.addItem(label, value)
        self.received = house_style(QDateEdit())
        self.received.setObjectName("paper_received")
        self.position = QComboBox()
        self.position.setObjectName("paper_position")
        for value, label in POSITIONS.items():
            self.position.addItem(label, value)
        self.position.setCurrentIndex(self.position.findData(OtherPartyPosition.UNKNOWN.value))
        form = QFormLayout()
        form.addRow("&A-number:", self.a_number)
        form.addRow("&Motion:", self.motion_type)
        form.addRow("&What it asks:", self.description)
        form.addRow("&By:", self.movant)
        form.addRow("&Received:", self.received)
        form.addRow("Other party's &position:", self.position)
        self._lay_out(form)
        court_id = str(ctx.session.user.get("court_id"))
        ctx.read(lambda store: court_today(store.get("court", court_id)), self._set_today)

    def _set_today(self, today: date) -> None:
        self.received.setDate(QDate(today.year, today.month, today.day))

    def save(self) -> None:
        a_number, clerk = self.a_number.text(), self.ctx.user_id
        kind = MotionType(str(self.motion_type.currentData()))
        movant = Movant(str(self.movant.currentData()))
        received: date = self.received.date().toPython()  # type: ignore[assignment]
        description = self.description.text()
        position = OtherPartyPosition(str(self.position.currentData()))

        def enter() -> Any:
            store = self.ctx.store
            case_id = case_by_a_number(store, a_number)
            motion = paper_motion(
                store,
                case_id,
                clerk,
                kind,
                movant,
                received,
                description=description,
                position=position,
            )
            store.save(motion)
            return motion

        self._write(enter)


class MotionPositionDialog(_ClerkMotionDialog):
    """The clerk records the other party's position on a pending motion, or the movant's
    withdrawal of it; ``saved(motion)`` fires once it is in the outbox."""

    def __init__(self, ctx: DesktopContext, row: QueueRow, parent: QWidget | None = None):
        super().__init__(ctx, "position_message", parent)
        self.row = row
        self.setWindowTitle(f"{row.motion} — {row.respondent}")
        self.position = QComboBox()
        self.position.setObjectName("motion_position")
        for value, label in POSITIONS.items():
            self.position.addItem(label, value)
        self.position.setCurrentIndex(max(0, self.position.findText(row.position)))
        self.withdrawn = QCheckBox("&Withdrawn by the movant")
        self.withdrawn.setObjectName("motion_withdrawn")
        form = QFormLayout()
        form.addRow(QLabel(f"{row.motion}, by {row.movant}; received {table_date(row.filed_on)}"))
        form.addRow("Other party's &position:", self.position)
        form.addRow(self.withdrawn)
        self._lay_out(form)

    def save(self) -> None:
        motion_id = self.row.motion_id
        position = OtherPartyPosition(str(self.position.currentData()))
        withdrawn = self.withdrawn.isChecked()

        def write() -> Any:
            store = self.ctx.store
            changed = (
                withdraw(store, motion_id)
                if withdrawn
                else record_position(store, motion_id, position)
            )
            store.save(changed)
            return changed

        self._write(write)


class MotionRulingDialog(QDialog):
    """The stamp: granted, granted as unopposed ("DHS does not oppose"), denied, untimely,
    moot, with an optional reason; a motion to reopen or reconsider shows its limits and
    the exceptions the judge may apply. ``issued(result)`` fires once saved."""

    issued = Signal(object)

    def __init__(self, ctx: DesktopContext, row: QueueRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.summary_dialog: SigningSummaryDialog | None = None
        self.setWindowTitle(f"Rule on the motion — {row.respondent}")
        cat = catalogue()
        self.stamp = QComboBox()
        self.stamp.setObjectName("motion_stamp")
        for ruling in MotionRuling:
            self.stamp.addItem(cat.ruling_label(ruling.value), ruling.value)
        self.reason = QLineEdit()
        self.reason.setObjectName("motion_reason")
        self.reason.setPlaceholderText("Optional")
        self.exception = QComboBox()
        self.exception.setObjectName("motion_exception")
        self.exception.addItem("None", None)
        self.limits = QLabel()
        self.limits.setObjectName("motion_limits")
        self.limits.setWordWrap(True)
        self.code = QComboBox()
        self.code.setObjectName("motion_code")
        self.code.addItem("—", None)
        for entry in load_adjournment_codes().values():
            self.code.addItem(f"{entry.code} — {entry.description}", entry.code)
        self.next_date = house_style(QDateEdit())
        self.next_date.setObjectName("motion_next_date")
        # Proposed four weeks after the court's today once the motion's facts are read.
        self.new_court = QLineEdit()
        self.new_court.setObjectName("motion_new_court")
        self.message = QLabel()
        self.message.setObjectName("motion_message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton(
            "Sign and issue", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setObjectName("motion_sign")
        self.buttons.accepted.connect(self.sign_and_issue)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(QLabel(f"{row.motion}, by {row.movant}; received {table_date(row.filed_on)}"))
        form.addRow(
            QLabel(f"Other party: {row.position}; response due {table_date(row.response_due)}")
        )
        form.addRow(self.limits)
        form.addRow("&Stamp:", self.stamp)
        form.addRow("&Reason:", self.reason)
        self.exception_label = QLabel("&Exception to the limits:")
        self.exception_label.setBuddy(self.exception)
        form.addRow(self.exception_label, self.exception)
        self.code_label = QLabel("Adjournment &code:")
        self.code_label.setBuddy(self.code)
        form.addRow(self.code_label, self.code)
        self.date_label = QLabel("Continued &to:")
        self.date_label.setBuddy(self.next_date)
        form.addRow(self.date_label, self.next_date)
        self.court_label = QLabel("&Venue changed to:")
        self.court_label.setBuddy(self.new_court)
        form.addRow(self.court_label, self.new_court)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.stamp.currentIndexChanged.connect(self._fit)
        self._kind = ""
        ctx.read(lambda store: self._facts(store), self._show_facts, self._failed)
        self._fit()

    def _facts(self, store: Any) -> tuple[str, list[str], list[tuple[str, str]], date]:
        motion = load_motion(store, self.row.motion_id)
        limit = limits_of(store, motion)
        lines = list(limit.lines) if limit else []
        offered = [(e.value, e.label) for e in limit.exceptions] if limit else []
        return motion.motion_type.value, lines, offered, case_today(store, motion.case_id)

    def _show_facts(self, facts: tuple[str, list[str], list[tuple[str, str]], date]) -> None:
        self._kind, lines, offered, today = facts
        self.limits.setText("\n".join(lines))
        self.limits.setVisible(bool(lines))
        for value, label in offered:
            self.exception.addItem(label, value)
        proposed = today + timedelta(days=28)
        self.next_date.setDate(QDate(proposed.year, proposed.month, proposed.day))
        self._fit()

    def _fit(self) -> None:
        """Show only the fields the chosen stamp on this kind of motion takes."""
        granted = self.stamp.currentData() in ("granted", "granted_unopposed")
        continuance = granted and self._kind == "continuance"
        venue = granted and self._kind == "change_of_venue"
        limited = self._kind in ("reopen", "reconsider")
        for label, widget, shown in (
            (self.exception_label, self.exception, limited),
            (self.code_label, self.code, continuance),
            (self.date_label, self.next_date, continuance),
            (self.court_label, self.new_court, venue),
        ):
            label.setVisible(shown)
            widget.setVisible(shown)

    def chosen(self) -> Stamp:
        ruling = MotionRuling(str(self.stamp.currentData()))
        extra: dict[str, Any] = {}
        if self._kind == "continuance" and ruling.value in ("granted", "granted_unopposed"):
            day: date = self.next_date.date().toPython()  # type: ignore[assignment]
            extra = {"adjournment_code": self.code.currentData(), "next_hearing": day.isoformat()}
        if self._kind == "change_of_venue" and ruling.value in ("granted", "granted_unopposed"):
            extra = {"new_court": self.new_court.text().strip()}
        exception = self.exception.currentData() if self._kind in ("reopen", "reconsider") else None
        return Stamp(ruling, self.reason.text(), exception, extra)

    def sign_and_issue(self) -> None:
        if self.summary_dialog is not None and self.summary_dialog.isVisible():
            return
        stamp, motion_id, user = self.chosen(), self.row.motion_id, self.ctx.user_id

        def summary(store: Any) -> SigningSummary:
            draft, stamped = ruling_draft(store, motion_id, user, stamp)
            effects = ruling_effects(store, stamped, stamp)
            return replace(signing_summary(store, draft), effects=effects)

        self.sign_button.setEnabled(False)
        self.message.setText("Preparing the summary…")
        self.ctx.read(summary, lambda s: self._confirm(s, stamp), self._failed)

    def _confirm(self, summary: SigningSummary, stamp: Stamp) -> None:
        dialog = SigningSummaryDialog(summary, self)
        self.summary_dialog = dialog
        dialog.accepted.connect(lambda: self._sign(summary, stamp))
        dialog.rejected.connect(self._not_signed)
        dialog.open()

    def _not_signed(self) -> None:
        self.sign_button.setEnabled(True)
        self.message.setText("Not signed.")

    def _sign(self, summary: SigningSummary, stamp: Stamp) -> None:
        motion_id, user, role = self.row.motion_id, self.ctx.user_id, self.ctx.role
        case_id = self.row.case_id

        def rule_and_save() -> MotionRulingResult:
            store = self.ctx.store
            now = utc_now()
            if case_today(store, case_id, now) != summary.dated:
                raise ValueError("the court's date changed while you read the summary; sign again")
            result = rule_on_motion(store, motion_id, user, role, stamp, now)
            save_ruling(store, result)  # the order is issued with the stamp or not at all
            return result

        self.message.setText("Signing…")
        run_task(rule_and_save, self._done, self._failed, pool=self.ctx.writer)

    def _done(self, result: MotionRulingResult) -> None:
        self.ctx.sync.sync_soon()
        self.message.setText("Signed; it is issued and served when it reaches the server.")
        self.issued.emit(result)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.sign_button.setEnabled(True)
        if isinstance(error, SigningRefused):
            self.message.setText("Not signed: " + "; ".join(str(p) for p in error.problems))
        else:
            self.message.setText(f"Not signed: {error}")
