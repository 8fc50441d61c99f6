"""The judge records the pleadings and the decision from the bench, with the keyboard.

One dialog, two parts, each with its own check box: the pleadings (each factual allegation
of the notice to appear and each charge admitted, denied or not pleaded, the country
designated or the designation declined, the relief sought) and the decision (how it
completes the case, oral or written, the court's date, the relief granted, the country of
removal, the respondent present or not, each party's appeal). Combos take a first letter,
the relief lists a typed name (type-ahead) and Space to tick; Tab goes top to bottom and
Enter saves. What the rules refuse (``common.decisions``, as the server does) is said
under the form and nothing is saved; what is saved goes through ``ctx.save`` as one group,
and the server moves the case's status when the decision arrives.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.court_time import table_date, utc_now
from common.decisions import (
    PLEA_WORDS,
    check_decision,
    check_pleading,
    check_service_recorded,
    completion_rules,
    effective_status,
    finality,
    latest_decision,
    latest_pleading,
    relief_forms,
)
from common.enums import CaseStatus, CompletionType, DecisionForm, Party, Plea
from common.lifecycle import TransitionError, status_after_decision
from common.wire import AllegationPlea, ChargePlea, DecisionRecord, Pleading, WireRecord
from desktop.local_store import LocalStore
from desktop.ui.context import DesktopContext

ERROR_STYLE = "color: #b00020;"
APPEAL_CHOICES = (("Not stated", ""), ("Reserved", "reserved"), ("Waived", "waived"))
PRESENCE_CHOICES = (("Present", True), ("Absent", False), ("Not recorded", None))


@dataclass(frozen=True)
class BenchRecordData:
    """What the dialog needs of the case, read from the local store off the GUI thread."""

    case: dict[str, Any]
    pleadings: list[Pleading]
    status: CaseStatus  # the case's, with decisions not yet sent applied
    decided: list[DecisionRecord] = field(default_factory=list)


def load_bench_record(store: LocalStore, case_id: str) -> BenchRecordData:
    """The case, its pleadings and its status as the server will have it once this
    computer's unsent decisions arrive (``common.decisions.effective_status``)."""
    case = store.get("case", case_id) or {}
    pleadings = [
        Pleading.model_validate(p) for p in store.all("pleading") if p.get("case_id") == case_id
    ]
    decided = [
        DecisionRecord.model_validate(d)
        for d in store.all("decision")
        if d.get("case_id") == case_id
    ]
    unsent_ids = {e.record_id for e in store.pending(10_000) if e.entity == "decision"}
    status = CaseStatus(str(case.get("status", CaseStatus.PENDING.value)))
    status = effective_status(status, [d for d in decided if d.id in unsent_ids])
    return BenchRecordData(case, pleadings, status, decided)


class _PleaRow:
    def __init__(self, text: str, plea: Plea, *, editable: bool) -> None:
        self.text: QLineEdit | QLabel = QLineEdit(text) if editable else QLabel(text)
        self.plea = QComboBox()
        for value, words in PLEA_WORDS.items():
            self.plea.addItem(words, value.value)
        self.plea.setCurrentIndex(self.plea.findData(plea.value))

    def value(self) -> tuple[str, Plea]:
        return self.text.text().strip(), Plea(str(self.plea.currentData()))


def _relief_list(name: str, first: Sequence[str]) -> QListWidget:
    """A checkable list of the forms of relief, ``first`` on top (type-ahead by name)."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    forms = relief_forms()
    for code in [*first, *(c for c in forms if c not in first)]:
        item = QListWidgetItem(forms[code].label + (" (sought)" if code in first else ""))
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setCurrentRow(0)
    widget.setMaximumHeight(150)
    return widget


def _ticked(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(widget.count())
        if widget.item(i).checkState() is Qt.CheckState.Checked
    ]


class _DateEdit(QDateEdit):
    """A date field Tab leaves (a plain one walks its day, month and year first); the
    arrow keys and typing still change each part."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


def _day(edit: QDateEdit) -> date:
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())


class PleadingsDecisionDialog(QDialog):
    """``saved(records)`` fires once the pleading and/or decision are in the outbox."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: DesktopContext,
        data: BenchRecordData,
        today: date,
        parent: QWidget | None = None,
        *,
        hearing_id: str | None = None,
        heading: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pleadings and decision")
        self.ctx = ctx
        self.data = data
        self.case_id = str(data.case["id"])
        self.hearing_id = hearing_id
        self.today = today
        self.save_started = 0.0
        self.gui_save_seconds = 0.0  # the GUI thread's share of the last save
        earlier = latest_pleading(data.pleadings, self.case_id)
        self.earlier = earlier
        self.pleading_box = self._build_pleadings(earlier)
        self.decision_box = self._build_decision(earlier)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.outlook = QLabel()
        self.outlook.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if heading:
            layout.addWidget(QLabel(heading))
        layout.addWidget(self.pleading_box)
        layout.addWidget(self.decision_box)
        layout.addWidget(self.outlook)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        # The country designated starts the country of removal until the judge types one.
        self.country_edit.textChanged.connect(self._follow_designation)
        first = self.allegation_rows[0].text if self.pleading_box.isChecked() else None
        (first or self.completion_combo).setFocus()
        self._check()

    def _follow_designation(self, text: str) -> None:
        if not self.removal_edit.isModified():
            self.removal_edit.setText(text)

    # -- building ---------------------------------------------------------------------------

    def _build_pleadings(self, earlier: Pleading | None) -> QGroupBox:
        box = QGroupBox("&Pleadings")
        box.setCheckable(True)
        box.setChecked(earlier is None)  # taken once; a later master hearing may amend
        self.allegation_rows: list[_PleaRow] = []
        self.allegation_grid = QGridLayout()
        # The earlier pleading's rows come before the button in creation order, which is
        # their Tab order; rows added later by the button set theirs (_add_allegation).
        for a in earlier.allegations if earlier else ():
            self._add_allegation(a.text, a.plea)
        if not self.allegation_rows:
            self._add_allegation("", Plea.ADMITTED)
        self.add_allegation_button = QPushButton("&Add allegation")
        self.add_allegation_button.setAutoDefault(False)
        self.add_allegation_button.clicked.connect(lambda: self._add_allegation("", Plea.ADMITTED))
        pleaded = {c.charge: c.plea for c in earlier.charges} if earlier else {}
        self.charge_rows = [
            _PleaRow(str(charge), pleaded.get(str(charge), Plea.DENIED), editable=False)
            for charge in self.data.case.get("charges") or ()
        ]
        charges = QGridLayout()
        for i, row in enumerate(self.charge_rows):
            charges.addWidget(row.text, i, 0)
            charges.addWidget(row.plea, i, 1)
        self.country_edit = QLineEdit(earlier.designated_country or "" if earlier else "")
        self.country_edit.setAccessibleName("Country designated")
        self.declined_check = QCheckBox("Dec&lined to designate")
        self.declined_check.setChecked(bool(earlier and earlier.designation_declined))
        self.sought_list = _relief_list(
            "Relief sought", list(earlier.relief_sought) if earlier else []
        )
        for i in range(self.sought_list.count()):
            item = self.sought_list.item(i)
            if earlier and item.data(Qt.ItemDataRole.UserRole) in earlier.relief_sought:
                item.setCheckState(Qt.CheckState.Checked)
        form = QFormLayout(box)
        allegations = QVBoxLayout()
        allegations.addLayout(self.allegation_grid)
        allegations.addWidget(self.add_allegation_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow("Factual allegations:", allegations)
        if self.charge_rows:
            form.addRow("Charges:", charges)
        country = QHBoxLayout()
        country.addWidget(self.country_edit, 1)
        country.addWidget(self.declined_check)
        form.addRow("Country &designated:", country)
        form.addRow("Relief &sought:", self.sought_list)
        self.country_edit.textChanged.connect(self._check)
        self.declined_check.toggled.connect(self._check)
        self.sought_list.itemChanged.connect(self._check)
        box.toggled.connect(self._check)
        return box

    def _add_allegation(self, text: str, plea: Plea) -> None:
        row = _PleaRow(text, plea, editable=True)
        n = len(self.allegation_rows)
        assert isinstance(row.text, QLineEdit)
        row.text.setAccessibleName(f"Allegation {n + 1}")
        row.text.setPlaceholderText("as the notice to appear states it")
        number = QLabel(f"{n + 1}.")
        self.allegation_grid.addWidget(number, n, 0)
        self.allegation_grid.addWidget(row.text, n, 1)
        self.allegation_grid.addWidget(row.plea, n, 2)
        # Tab goes from the last row's plea to the new text (once the dialog is built: the
        # earlier pleading's rows, made before the button, are in Tab order already).
        if self.allegation_rows and hasattr(self, "add_allegation_button"):
            QWidget.setTabOrder(self.allegation_rows[-1].plea, row.text)
            QWidget.setTabOrder(row.text, row.plea)
            QWidget.setTabOrder(row.plea, self.add_allegation_button)
        self.allegation_rows.append(row)
        row.text.textChanged.connect(self._check)
        row.plea.currentIndexChanged.connect(self._check)
        if n:  # added while the dialog is open: show the row now and type into it
            for widget in (number, row.text, row.plea):
                widget.show()
            row.text.setFocus()

    def _build_decision(self, earlier: Pleading | None) -> QGroupBox:
        box = QGroupBox("De&cision")
        box.setCheckable(True)
        box.setChecked(True)
        self.completion_combo = QComboBox()
        self.completion_combo.setAccessibleName("Completion")
        for completion, rule in completion_rules().items():
            self.completion_combo.addItem(rule.label, completion.value)
        self.form_combo = QComboBox()
        self.form_combo.addItem("Oral", DecisionForm.ORAL.value)
        self.form_combo.addItem("Written", DecisionForm.WRITTEN.value)
        self.date_edit = _DateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setCalendarPopup(True)
        # A written decision's service (8 CFR 1003.38(b)): its day, when served at once;
        # left unticked, the service of the decision's order counts once the server serves it.
        self.served_check = QCheckBox("Ser&ved on")
        self.served_check.setAccessibleName("Written decision served")
        self.served_edit = _DateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.served_edit.setDisplayFormat("ddd d MMM yyyy")
        self.served_edit.setCalendarPopup(True)
        self.served_edit.setAccessibleName("Date served")
        served_row = QHBoxLayout()
        served_row.addWidget(self.served_check)
        served_row.addWidget(self.served_edit, 1)
        sought = list(earlier.relief_sought) if earlier else []
        self.granted_list = _relief_list("Relief granted", sought)
        self.removal_edit = QLineEdit(earlier.designated_country or "" if earlier else "")
        self.removal_edit.setAccessibleName("Country of removal")
        self.presence_combo = QComboBox()
        for words, present in PRESENCE_CHOICES:
            self.presence_combo.addItem(words, present)
        self.appeal_combos: dict[Party, QComboBox] = {}
        for party in (Party.RESPONDENT, Party.DHS):
            combo = QComboBox()
            combo.setAccessibleName(f"Appeal, {party.value}")
            for words, choice in APPEAL_CHOICES:
                combo.addItem(words, choice)
            self.appeal_combos[party] = combo
        form = QFormLayout(box)
        form.addRow("Co&mpletion:", self.completion_combo)
        form.addRow("Gi&ven:", self.form_combo)
        form.addRow("Da&te (court):", self.date_edit)
        form.addRow("Written, served:", served_row)
        form.addRow("Relief &granted:", self.granted_list)
        form.addRow("Country of &removal:", self.removal_edit)
        form.addRow("Respondent:", self.presence_combo)
        form.addRow("Appeal, respondent:", self.appeal_combos[Party.RESPONDENT])
        form.addRow("Appeal, DHS:", self.appeal_combos[Party.DHS])
        for combo in (
            self.completion_combo,
            self.form_combo,
            self.presence_combo,
            *self.appeal_combos.values(),
        ):
            combo.currentIndexChanged.connect(self._check)
        self.date_edit.dateChanged.connect(self._check)
        self.served_edit.dateChanged.connect(self._check)
        self.served_check.toggled.connect(self._follow_form)
        self.form_combo.currentIndexChanged.connect(self._follow_form)
        self._enable_service()
        self.granted_list.itemChanged.connect(self._check)
        self.removal_edit.textChanged.connect(self._check)
        box.toggled.connect(self._check)
        return box

    def _enable_service(self) -> None:
        """Service is a written decision's: an oral one is stated to the parties present."""
        written = self.form_combo.currentData() == DecisionForm.WRITTEN.value
        self.served_check.setEnabled(written)
        self.served_edit.setEnabled(written and self.served_check.isChecked())

    def _follow_form(self) -> None:
        self._enable_service()
        self._check()

    def served_on(self) -> date | None:
        written = self.form_combo.currentData() == DecisionForm.WRITTEN.value
        return _day(self.served_edit) if written and self.served_check.isChecked() else None

    # -- the records the form describes -----------------------------------------------------

    def pleading(self) -> Pleading | None:
        if not self.pleading_box.isChecked():
            return None
        allegations = [
            AllegationPlea(number=i, text=text, plea=plea)
            for i, (text, plea) in enumerate((r.value() for r in self.allegation_rows), 1)
            if text
        ]
        charges = [ChargePlea(charge=t, plea=p) for t, p in (r.value() for r in self.charge_rows)]
        country = self.country_edit.text().strip() or None
        return Pleading(
            id=str(uuid.uuid4()),
            case_id=self.case_id,
            hearing_id=self.hearing_id,
            judge_id=self.ctx.user_id,
            pleaded_on=_day(self.date_edit),
            allegations=allegations,
            charges=charges,
            designated_country=country,
            designation_declined=self.declined_check.isChecked(),
            relief_sought=_ticked(self.sought_list),
            recorded_at=utc_now(),
        )

    def decision(self) -> DecisionRecord | None:
        if not self.decision_box.isChecked():
            return None
        appeals = {p: str(c.currentData()) for p, c in self.appeal_combos.items()}
        completion = CompletionType(str(self.completion_combo.currentData()))
        country = self.removal_edit.text().strip()
        orders_removal = completion_rules()[completion].orders_removal
        return DecisionRecord(
            id=str(uuid.uuid4()),
            case_id=self.case_id,
            hearing_id=self.hearing_id,
            judge_id=self.ctx.user_id,
            form=DecisionForm(str(self.form_combo.currentData())),
            decided_on=_day(self.date_edit),
            served_on=self.served_on(),
            completion=completion,
            relief_granted=_ticked(self.granted_list),
            # The pleadings' country starts the field; it goes with an order of removal only.
            removal_country=(country or None) if orders_removal else None,
            respondent_present=self.presence_combo.currentData(),
            appeal_reserved_by=[p for p, v in appeals.items() if v == "reserved"],
            appeal_waived_by=[p for p, v in appeals.items() if v == "waived"],
            recorded_at=utc_now(),
        )

    def records(self) -> tuple[list[WireRecord], str]:
        """What would be saved, and why it can't be ("" when it can)."""
        pleading, decision = self.pleading(), self.decision()
        if pleading is None and decision is None:
            return [], "Tick the pleadings, the decision or both."
        if pleading is not None:
            reason = check_pleading(pleading)
            if reason:
                return [], _sentence(reason)
        if decision is not None:
            pleadings = [*self.data.pleadings, *([pleading] if pleading else [])]
            reason = check_decision(decision, case_status=self.data.status, pleadings=pleadings)
            if reason:
                return [], _sentence(reason)
        return [r for r in (pleading, decision) if r is not None], ""

    def _check(self) -> None:
        records, reason = self.records()
        self.error.setText(reason)
        self.error.setVisible(bool(reason))
        self.ok_button.setEnabled(bool(records))
        decision = next((r for r in records if isinstance(r, DecisionRecord)), None)
        self.outlook.setText(self._outlook(decision) if decision else "")
        self.outlook.setVisible(decision is not None)

    def _outlook(self, decision: DecisionRecord) -> str:
        try:
            status = status_after_decision(self.data.status, decision.completion)
        except TransitionError:  # pragma: no cover - records() refused it already
            return ""
        final = finality(decision, case_status=status)
        when = f"final {table_date(final.final_on)}" if final.final_on else "not final yet"
        return (
            f"The case becomes {status.value.replace('_', ' ')}; {when} — {final.reason} "
            f"({final.citation})."
        )

    # -- saving -----------------------------------------------------------------------------

    def _on_ok(self) -> None:
        started = time.perf_counter()
        records, _ = self.records()
        if not records:
            return
        self.buttons.setEnabled(False)
        self.save_started = started
        self.ctx.save(records, lambda: self._on_saved(records), self._on_failed)
        self.gui_save_seconds = time.perf_counter() - started

    def _on_saved(self, records: list[WireRecord]) -> None:
        self.saved.emit(records)
        self.accept()

    def _on_failed(self, err: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(f"Not saved: {err}")
        self.error.show()


def unserved_written_decision(store: LocalStore, case_id: str) -> DecisionRecord | None:
    """The case's latest decision when it is written and its service is not recorded."""
    parsed = []
    for raw in store.all("decision"):
        if raw.get("case_id") == case_id and not raw.get("deleted"):
            try:
                parsed.append(DecisionRecord.model_validate(raw))
            except ValueError:
                continue
    latest = latest_decision(parsed, case_id)
    if latest is None or latest.form is not DecisionForm.WRITTEN or latest.served_on:
        return None
    return latest


class DecisionServiceDialog(QDialog):
    """The clerk (or the judge) records the day a written decision was served, once: the
    time to appeal runs from it (8 CFR 1003.38(b)). ``saved(record)`` fires once queued."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: DesktopContext,
        decision: DecisionRecord,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Written decision served")
        self.ctx = ctx
        self.decision = decision
        self.date_edit = _DateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Date served")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.outlook = QLabel()
        self.outlook.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(QLabel(f"The written decision of {table_date(decision.decided_on)}."))
        form.addRow("&Served on (court):", self.date_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.outlook)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.date_edit.dateChanged.connect(self._check)
        self.date_edit.setFocus()
        self._check()

    def record(self) -> DecisionRecord:
        return self.decision.model_copy(update={"served_on": _day(self.date_edit)})

    def _check(self) -> None:
        record = self.record()
        reason = check_service_recorded(self.decision, record)
        self.error.setText(_sentence(reason) if reason else "")
        self.error.setVisible(bool(reason))
        self.ok_button.setEnabled(reason is None)
        final = finality(record, case_status=CaseStatus.DECIDED)
        self.outlook.setText(
            f"Appeal due {table_date(final.appeal_due)} ({final.citation})."
            if final.appeal_due
            else ""
        )

    def _on_ok(self) -> None:
        record = self.record()
        if check_service_recorded(self.decision, record):
            return
        self.buttons.setEnabled(False)
        self.ctx.save([record], lambda: self._on_saved(record), self._on_failed)

    def _on_saved(self, record: DecisionRecord) -> None:
        self.saved.emit(record)
        self.accept()

    def _on_failed(self, err: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(f"Not saved: {err}")
        self.error.show()


def _sentence(reason: str) -> str:
    return reason[0].upper() + reason[1:] + ("" if reason.endswith(".") else ".")
