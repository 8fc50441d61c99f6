"""The case file: the A-number and respondent up top, a summary, and one table per part of
the record (hearings, eROP documents, representation, orders, deadlines, pending filings,
the respondent's addresses), and the History tab (the server's audit trail, read online
when the tab is opened).

It reads the local store on a pool thread (``ctx.read``) and saves through ``ctx.save``;
the widgets never touch SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from common.court_time import court_today, table_date
from common.enums import DecisionForm, HearingType, Medium
from common.wire import Case, DecisionRecord, Hearing
from desktop.board import appeal_line
from desktop.case_file import (
    AddressEntry,
    BondEntry,
    CaseFile,
    DeadlineEntry,
    DecisionEntry,
    DocumentEntry,
    FilingEntry,
    HearingEntry,
    OrderEntry,
    RepresentationEntry,
    court_judges,
    label,
    load_case_file,
)
from desktop.clerk_actions import assign_judge
from desktop.docket import DocketData, load_docket
from desktop.local_store import LocalStore
from desktop.ui.access_code_rotation import AccessCodeRotation
from desktop.ui.address_dialog import AddressDialog
from desktop.ui.appeal_tab import AppealTab
from desktop.ui.case_history import CaseHistoryPanel
from desktop.ui.confidential_flags import ConfidentialBadge, FlagActions, document_badge
from desktop.ui.context import DesktopContext
from desktop.ui.counsel_actions import CounselActions
from desktop.ui.decision_dialog import (
    BenchRecordData,
    DecisionServiceDialog,
    PleadingsDecisionDialog,
    load_bench_record,
    unserved_written_decision,
)
from desktop.ui.hearing_dialogs import ScheduleDialog, next_weekday
from desktop.ui.order_editor import CaseOrders
from desktop.ui.record_table import MUTED, Column, RecordTableModel, RecordTableView, display


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def hearing_columns() -> list[Column[HearingEntry]]:
    return [
        Column("When", lambda h: h.starts_at),
        Column("Type", lambda h: label(h.hearing_type)),
        Column("Medium", lambda h: label(h.medium)),
        Column("Status", lambda h: label(h.status)),
        Column("Courtroom", lambda h: h.courtroom),
        Column("Judge", lambda h: h.judge),
        Column("Interpreter", lambda h: h.interpreter_language),
        Column(
            "Adjournment",
            lambda h: f"{h.adjournment_code} — {h.adjournment}" if h.adjournment_code else "",
        ),
        Column("Outcome", lambda h: h.outcome),
    ]


def document_columns() -> list[Column[DocumentEntry]]:
    return [
        Column("Filed", lambda d: d.filed_on),
        Column("Type", lambda d: label(d.doc_type)),
        Column("Title", lambda d: d.title),
        Column("Filed by", lambda d: d.filer),
        Column("Pages", lambda d: d.pages),
        Column("Status", lambda d: label(d.status)),
        Column("Confidential", document_badge),  # its own flags, with the law
        Column("On this computer", lambda d: "Yes" if d.cached else "—"),
        Column("SHA-256", lambda d: d.sha256[:12] + "…" if d.sha256 else ""),
    ]


def representation_columns() -> list[Column[RepresentationEntry]]:
    return [
        Column("Practitioner", lambda r: r.practitioner),
        Column("Form", lambda r: label(r.form)),
        Column("Scope", lambda r: label(r.scope)),
        Column("Primary", lambda r: r.primary),
        Column("Status", lambda r: "Counsel of record" if r.of_record else label(r.status)),
        Column("Accepted", lambda r: r.accepted_on),
        # How it ended, kept as history: the day, the judge's leave, the successor.
        Column("Ended", lambda r: r.history or None),
    ]


def order_columns() -> list[Column[OrderEntry]]:
    return [
        Column("Order", lambda o: label(o.template)),
        Column("Status", lambda o: label(o.status)),
        Column("Judge", lambda o: o.judge),
        Column("Signed", lambda o: o.signed_at or "Not signed"),
    ]


def deadline_columns() -> list[Column[DeadlineEntry]]:
    return [
        Column("Due", lambda d: d.due),
        Column("Deadline", lambda d: d.title),
        Column("Counted from", lambda d: d.anchor),
        Column("", lambda d: {"past": "Passed", "next": "Next"}.get(d.state, "")),
        Column("Rule", lambda d: d.citation),
        Column("Note", lambda d: " ".join(p for p in (d.caveat, d.note) if p) or None),
    ]


def filing_columns() -> list[Column[FilingEntry]]:
    return [
        Column("Submitted", lambda f: f.submitted_at),
        Column("Kind", lambda f: label(f.kind)),
        Column("Filed by", lambda f: f.filer),
        Column("Document", lambda f: f.lead_document),
        Column("Status", lambda f: label(f.status)),
    ]


def bond_columns() -> list[Column[BondEntry]]:
    return [
        Column("Requested", lambda b: b.requested_on),
        Column("Request", lambda b: b.requested),
        Column("DHS set", lambda b: b.dhs),
        Column("Outcome", lambda b: b.outcome),
        Column("Decided", lambda b: b.decided_on),
        Column("Appeal due (Board)", lambda b: b.appeal_due),
        Column("Automatic stay (EOIR-43)", lambda b: b.stay or "—"),
        Column("Changed circumstances", lambda b: b.changed_circumstances or "—"),
    ]


def address_columns() -> list[Column[AddressEntry]]:
    return [
        Column("In effect from", lambda a: a.effective_on),
        Column("Address", lambda a: a.one_line),
        Column("Source", lambda a: label(a.kind)),
        Column("", lambda a: "Address of record" if a.current else ""),
    ]


# 8 CFR 1003.15(d)(2): the respondent reports a new address within 5 days on the EOIR-33.
NO_ADDRESS = "None on file — the respondent must report one on Form EOIR-33"


@dataclass(frozen=True)
class _Loaded:
    case_file: CaseFile | None
    judges: list[tuple[str, str]]


def decision_line(entry: DecisionEntry | None) -> str:
    """The decision in one line: completion, date, oral/written, each party's appeal."""
    if entry is None:
        return "—"
    appeals = ", ".join(f"{party} {state}" for party, state in entry.appeals)
    served = f" (from {entry.served_from})" if entry.served_from == "its order's service" else ""
    return (
        f"{entry.completion}, {display(entry.decided_on)}, {entry.given}{served}; appeal: {appeals}"
    )


def _load(
    store: LocalStore, case_id: str, today: date | None, is_cached: Callable[[str], bool]
) -> _Loaded:
    case_file = load_case_file(store, case_id, today, is_cached=is_cached)
    judges = court_judges(store, case_file.summary.court_id) if case_file else []
    return _Loaded(case_file, judges)


def _assigned(store: LocalStore, case_id: str, judge_id: str) -> Case:
    record = store.get("case", case_id)
    if record is None:
        raise LookupError("The case is no longer on this computer.")
    return assign_judge(Case.model_validate(record), judge_id)


class CaseFileView(QWidget):
    """One case's file. ``open_document(document_id)`` asks for a document to be shown;
    ``loaded`` fires each time the view has shown fresh data. ``today`` fixes the day that
    splits past from coming deadlines (tests); by default it is today at the case's court."""

    open_document = Signal(str)
    loaded = Signal()

    def __init__(
        self,
        ctx: DesktopContext,
        case_id: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.today = today  # None: today at the case's court
        self.case_file: CaseFile | None = None
        self.a_number = QLabel("…")
        self.a_number.setObjectName("a_number")
        self.a_number.setStyleSheet("font-size: 26pt; font-weight: bold;")
        self.a_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.respondent = QLabel()
        self.respondent.setObjectName("respondent")
        self.respondent.setStyleSheet("font-size: 16pt;")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.summary = QGridLayout()
        self._summary_values: dict[str, QLabel] = {}
        self.hearings = RecordTableModel(hearing_columns())
        self.documents = RecordTableModel(document_columns())
        self.representation = RecordTableModel(representation_columns())
        self.orders = RecordTableModel(order_columns())
        self.deadlines = RecordTableModel(
            deadline_columns(),
            font=lambda d: _bold() if d.state == "next" else None,
            foreground=lambda d: MUTED if d.is_past else None,
        )
        self.filings = RecordTableModel(filing_columns())
        self.addresses = RecordTableModel(
            address_columns(), font=lambda a: _bold() if a.current else None
        )
        self.bonds = RecordTableModel(bond_columns())
        self.tabs = QTabWidget()
        self.tables: dict[str, RecordTableView] = {}
        for key, title, model in (
            ("hearings", "Hearings", self.hearings),
            ("documents", "Documents (eROP)", self.documents),
            ("representation", "Representation", self.representation),
            ("orders", "Orders", self.orders),
            ("deadlines", "Deadlines", self.deadlines),
            ("filings", "Pending filings", self.filings),
            ("addresses", "Addresses", self.addresses),
            ("bonds", "Bond", self.bonds),
        ):
            table = RecordTableView(model)
            table.setObjectName(f"{key}_table")
            self.tables[key] = table
            self.tabs.addTab(table, title)
        self.tables["documents"].row_activated.connect(
            lambda row: self.open_document.emit(row.document_id)
        )
        self.order_actions = CaseOrders(ctx, case_id, self)
        self.order_actions.changed.connect(self.refresh)
        self.tables["orders"].row_activated.connect(
            lambda row: self.order_actions.open_order(row.order_id)
        )
        self.history = CaseHistoryPanel(ctx, case_id)
        self.tabs.addTab(self.history, "History")
        # The appeal to the Board: status, briefing schedule, due days, extensions, briefs.
        self.appeal = AppealTab(ctx, case_id)
        self.tabs.addTab(self.appeal, "Appeal (Board)")
        self.tabs.currentChanged.connect(self._tab_shown)
        self._build_assign_bar()
        self._layout()
        self.refresh()

    # -- layout -----------------------------------------------------------------------------

    def _build_assign_bar(self) -> None:
        self.assign_button = QPushButton("Assign judge…")
        self.assign_button.setObjectName("assign_judge")
        self.judge_combo = QComboBox()
        self.judge_combo.setObjectName("judge_combo")
        self.judge_combo.setMinimumWidth(240)
        self.assign_confirm = QPushButton("Assign")
        self.assign_cancel = QPushButton("Cancel")
        self.assign_bar = QWidget()
        bar = QHBoxLayout(self.assign_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel("Judge:"))
        for widget in (self.judge_combo, self.assign_confirm, self.assign_cancel):
            bar.addWidget(widget)
        self.assign_bar.hide()
        is_clerk = self.ctx.role == "clerk"
        self.assign_button.setVisible(is_clerk)
        self.assign_button.clicked.connect(self._start_assign)
        self.schedule_button = QPushButton("Schedule hearing…")
        self.schedule_button.setObjectName("schedule_hearing")
        self.schedule_button.setVisible(is_clerk)
        self.schedule_button.clicked.connect(self.schedule_hearing)
        self.dialog: ScheduleDialog | None = None
        self.address_button = QPushButton("Record address…")
        self.address_button.setObjectName("record_address")
        self.address_button.setVisible(is_clerk)
        # The judge records the pleadings and the decision from the bench (Ctrl+Shift+D).
        self.decision_button = QPushButton("Pleadings and decision…")
        self.decision_button.setObjectName("record_decision")
        self.decision_button.setShortcut("Ctrl+Shift+D")
        self.decision_button.setVisible(self.ctx.role == "judge")
        self.decision_button.clicked.connect(self.record_decision)
        self.decision_dialog: PleadingsDecisionDialog | None = None
        # The clerk (or judge) records when a written decision was served (8 CFR 1003.38(b)).
        self.service_button = QPushButton("Written decision served…")
        self.service_button.setObjectName("record_decision_service")
        self.service_button.hide()  # shown while a written decision's service is unrecorded
        self.service_button.clicked.connect(self.record_decision_service)
        self.service_dialog: DecisionServiceDialog | None = None
        self.address_button.clicked.connect(self.record_address)
        self.address_dialog: AddressDialog | None = None
        self.assign_confirm.clicked.connect(self._confirm_assign)
        self.assign_cancel.clicked.connect(self.assign_bar.hide)
        self.counsel = CounselActions(self.ctx, self)
        self.counsel.changed.connect(self.refresh)
        # Confidential records: the badge, and the judge's or clerk's flags dialog.
        self.confidential = ConfidentialBadge()
        self.flags = FlagActions(self.ctx, self.case_id, self._selected_document, self)
        self.flags.changed.connect(self._flags_saved)
        self.flags.failed.connect(lambda text: self._say(text, error=True))
        # The clerk replaces the respondent's portal access code (desktop/ui/access_code_rotation).
        self.access_code = AccessCodeRotation(self.ctx, self.case_id, self)
        self.access_code.failed.connect(lambda text: self._say(text, error=True))
        self.access_code.issued.connect(
            lambda a_number: self._say(f"A new case access code was issued for {a_number}.")
        )

    def _layout(self) -> None:
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.a_number)
        names.addWidget(self.respondent)
        header = QHBoxLayout()
        header.addLayout(names, 1)
        actions = QVBoxLayout()
        actions.addWidget(self.schedule_button, 0, Qt.AlignmentFlag.AlignRight)
        actions.addWidget(self.address_button, 0, Qt.AlignmentFlag.AlignRight)
        actions.addWidget(self.decision_button, 0, Qt.AlignmentFlag.AlignRight)
        actions.addWidget(self.service_button, 0, Qt.AlignmentFlag.AlignRight)
        actions.addWidget(self.order_actions.new_button, 0, Qt.AlignmentFlag.AlignRight)
        actions.addWidget(self.assign_button, 0, Qt.AlignmentFlag.AlignRight)
        actions.addWidget(self.flags.button, 0, Qt.AlignmentFlag.AlignRight)
        actions.addWidget(self.access_code.button, 0, Qt.AlignmentFlag.AlignRight)
        actions.addWidget(self.assign_bar, 0, Qt.AlignmentFlag.AlignRight)
        for widget in self.counsel.widgets():
            actions.addWidget(widget, 0, Qt.AlignmentFlag.AlignRight)
        actions.addStretch(1)
        header.addLayout(actions)
        summary_box = QFrame()
        summary_box.setObjectName("summary")
        summary_box.setFrameShape(QFrame.Shape.StyledPanel)
        summary_box.setLayout(self.summary)
        self.summary.setHorizontalSpacing(18)
        fields = (
            "Nationality",
            "Language",
            "Date of birth",
            "Custody",
            "Case type",
            "Status",
            "Judge",
            "Court",
            "Opened",
            "Decided",
            "Decision",
            "Final",
            "Voluntary departure",
            "Charges",
            "Next deadline",
            "Appeal (Board)",
            "Address of record",
            "Linked proceedings",
            "Counsel of record",
            "Family",
        )
        for number, name in enumerate(fields):
            row, pair = divmod(number, 3)
            caption = QLabel(name + ":")
            caption.setStyleSheet("color: #5f6368;")
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.summary.addWidget(caption, row, pair * 2, Qt.AlignmentFlag.AlignRight)
            self.summary.addWidget(value, row, pair * 2 + 1)
            self._summary_values[name] = value
        self._summary_values["Voluntary departure"].setWordWrap(True)  # a sentence or two
        for pair in range(3):
            self.summary.setColumnStretch(pair * 2 + 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.confidential)
        layout.addWidget(self.message)
        layout.addWidget(summary_box)
        layout.addWidget(self.tabs, 1)
        self.message.hide()

    # -- data -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the case again from the local store (off the GUI thread) and show it."""
        self.appeal.refresh()
        self.ctx.read(
            lambda store: _load(store, self.case_id, self.today, self.ctx.is_cached),
            self._show,
            self._show_error,
        )

    def schedule_hearing(self) -> None:
        """Open the schedule dialog for a new hearing of this case, once the court's docket
        (for the clash check) is read."""
        if self.case_file is None:
            return
        summary = self.case_file.summary

        def show(data: DocketData) -> None:
            zone = data.zone or ZoneInfo("UTC")
            day = next_weekday(court_today(zone) + timedelta(days=1))
            hearing = Hearing(
                id=str(uuid.uuid4()),
                case_id=summary.case_id,
                judge_id=summary.judge_id,
                courtroom_id=data.courtrooms[0][0] if data.courtrooms else None,
                hearing_type=HearingType.MASTER,
                medium=Medium.IN_PERSON,
                starts_at=datetime.combine(day, time(9, 0), tzinfo=zone),
                interpreter_language=None if summary.language == "English" else summary.language,
            )
            family = self.case_file.family if self.case_file else ()
            leads = not any(m.relation == "Lead case" for m in family)
            self.dialog = ScheduleDialog(
                self.ctx,
                hearing,
                data.rows,
                self,
                courtrooms=data.courtrooms,
                case_type=summary.case_type,
                riders=[(m.case_id, m.respondent) for m in family if leads],
            )
            self.dialog.saved.connect(self.refresh)
            self.dialog.open()

        self.ctx.read(lambda store: load_docket(store, summary.court_id), show, self._show_error)

    def record_address(self) -> None:
        """Open the dialog for an address the court received on paper, or the facility
        where the respondent is held."""
        if self.case_file is None:
            return
        cf = self.case_file
        self.address_dialog = AddressDialog(
            self.ctx, cf.summary.case_id, cf.today, self, detained=cf.summary.custody == "detained"
        )
        self.address_dialog.saved.connect(self.refresh)
        self.address_dialog.open()

    def record_decision(self) -> None:
        """Open the pleadings-and-decision dialog (the case's judge only; the server refuses
        anyone else's too)."""
        if self.case_file is None or self.ctx.role != "judge":
            return
        today = self.case_file.today

        def show(data: BenchRecordData) -> None:
            self.decision_dialog = PleadingsDecisionDialog(self.ctx, data, today, self)
            self.decision_dialog.saved.connect(lambda _records: self.refresh())
            self.decision_dialog.open()

        self.ctx.read(lambda store: load_bench_record(store, self.case_id), show, self._show_error)

    def record_decision_service(self) -> None:
        """Open the dialog recording the day the case's written decision was served."""
        if self.case_file is None or self.ctx.role not in ("clerk", "judge"):
            return
        today = self.case_file.today

        def show(decision: DecisionRecord | None) -> None:
            if decision is None:
                self._say("No written decision waits for its service date.")
                return
            self.service_dialog = DecisionServiceDialog(self.ctx, decision, today, self)
            self.service_dialog.saved.connect(lambda _record: self.refresh())
            self.service_dialog.open()

        self.ctx.read(
            lambda store: unserved_written_decision(store, self.case_id), show, self._show_error
        )

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.history and not self.history.loaded_once:
            self.history.load()

    def summary_value(self, name: str) -> str:
        return self._summary_values[name].text()

    def _show(self, result: _Loaded) -> None:
        self.case_file = result.case_file
        if result.case_file is None:
            self.a_number.setText("Case not found")
            self.respondent.setText("This case is not in this computer's copy (yet).")
            for model in (
                self.hearings,
                self.documents,
                self.representation,
                self.orders,
                self.deadlines,
                self.filings,
                self.addresses,
                self.bonds,
            ):
                model.set_rows(())
            self.loaded.emit()
            return
        cf = result.case_file
        s = cf.summary
        self.history.set_zone(cf.zone)
        self.a_number.setText(s.a_number_display)
        self.respondent.setText(s.respondent)
        next_due = cf.next_deadline
        values = {
            "Nationality": s.nationality,
            "Language": s.language,
            "Date of birth": display(s.date_of_birth),
            "Custody": label(s.custody),
            "Case type": label(s.case_type),
            "Status": label(s.status),
            "Judge": s.judge,
            "Court": s.court,
            "Opened": display(s.opened_on),
            "Decided": display(s.decided_on) or "—",
            # The judge's decision and when it becomes final, with the rule (common.decisions).
            "Decision": decision_line(cf.decision),
            "Final": f"{cf.decision.finality_line} ({cf.decision.citation})"
            if cf.decision
            else "—",
            # The day to depart by and the overstay's consequence (8 CFR 1241.1(f)).
            "Voluntary departure": cf.decision.departure.line()
            if cf.decision and cf.decision.departure
            else "—",
            "Charges": ", ".join(s.charges) or "—",
            "Next deadline": f"{table_date(next_due.due)} — {next_due.title}"
            if next_due
            else "None",
            # The 30 days to appeal, in the Board's time (desktop/board.py).
            "Appeal (Board)": appeal_line(cf.deadlines),
            "Address of record": cf.address_of_record.one_line
            if cf.address_of_record
            else NO_ADDRESS,
            "Linked proceedings": "; ".join(c.one_line() for c in cf.linked) or "None",
            "Counsel of record": "; ".join(r.practitioner for r in cf.counsel_of_record)
            or "None (the respondent is served at the address of record)",
            # A lead case with riders, heard together, each on its own record.
            "Family": "; ".join(m.one_line() for m in cf.family) or "None",
        }
        for name, value in values.items():
            self._summary_values[name].setText(value)
        self.service_button.setVisible(
            self.ctx.role in ("clerk", "judge")
            and cf.decision is not None
            and cf.decision.form is DecisionForm.WRITTEN
            and cf.decision.served_on is None
        )
        self.hearings.set_rows(cf.hearings)
        self.documents.set_rows(cf.documents)
        self.representation.set_rows(cf.representation)
        self.orders.set_rows(cf.orders)
        self.deadlines.set_rows(cf.deadlines)
        self.filings.set_rows(cf.filings)
        self.addresses.set_rows(cf.addresses)
        self.bonds.set_rows(cf.bonds)
        counts = (
            len(cf.hearings),
            len(cf.documents),
            len(cf.representation),
            len(cf.orders),
            len(cf.deadlines),
            len(cf.filings),
            len(cf.addresses),
            len(cf.bonds),
        )
        titles = (
            "Hearings",
            "Documents (eROP)",
            "Representation",
            "Orders",
            "Deadlines",
            "Pending filings",
            "Addresses",
            "Bond",
        )
        for index, (title, count) in enumerate(zip(titles, counts, strict=True)):
            self.tabs.setTabText(index, f"{title} ({count})")
        self._fill_judges(result.judges, s.judge_id)
        self.counsel.show_case(cf)
        self.confidential.show_flags(s.confidentiality)
        self.flags.show_case(cf)
        self.loaded.emit()

    def _flags_saved(self, text: str) -> None:
        self._say(text)
        self.refresh()

    def _selected_document(self) -> str | None:
        """The document selected in the Documents tab, when that tab is shown."""
        table = self.tables["documents"]
        selected = table.selectionModel().selectedRows()
        if self.tabs.currentWidget() is not table or not selected:
            return None
        row = self.documents.row(selected[0])
        return row.document_id if row is not None else None

    def _show_error(self, error: Exception) -> None:
        self._say(f"Could not read the case from this computer's copy: {error}", error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c62828;" if error else "color: #2e7d32;")
        self.message.show()

    # -- assigning a judge (clerks) ---------------------------------------------------------

    def _fill_judges(self, judges: list[tuple[str, str]], current: str | None) -> None:
        self.judge_combo.clear()
        for judge_id, name in judges:
            self.judge_combo.addItem(name, judge_id)
        at = self.judge_combo.findData(current) if current else -1
        self.judge_combo.setCurrentIndex(max(at, 0))

    def _start_assign(self) -> None:
        self.assign_bar.show()
        self.judge_combo.setFocus()

    def _confirm_assign(self) -> None:
        judge_id = self.judge_combo.currentData()
        if not judge_id or self.case_file is None:
            return
        if judge_id == self.case_file.summary.judge_id:
            self.assign_bar.hide()
            return
        name = self.judge_combo.currentText()
        self.assign_confirm.setEnabled(False)

        def save(case: Case) -> None:
            self.ctx.save([case], lambda: self._assigned_done(name), self._assign_failed)

        self.ctx.read(
            lambda store: _assigned(store, self.case_id, str(judge_id)), save, self._assign_failed
        )

    def _assigned_done(self, name: str) -> None:
        self.assign_confirm.setEnabled(True)
        self.assign_bar.hide()
        self._say(
            f"Assigned to {name}. The change is saved on this computer and sent at the next sync."
        )
        self.refresh()

    def _assign_failed(self, error: Exception) -> None:
        self.assign_confirm.setEnabled(True)
        self._say(f"The judge was not assigned: {error}", error=True)
