"""The docket tab: a day or a week of hearings, filtered and searched as the user types,
with the clerk's actions on the selected hearing and a PDF export of what is shown.

Rows load from the local store on a pool thread (``ctx.read``); filtering and sorting are
pure Python over frozen rows (:func:`~desktop.ui.docket_model.filter_and_sort`, a few
milliseconds for 20,000 hearings), so they run on the GUI thread as the user types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QStandardPaths, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from common.adjournment import AsylumClock
from common.court_time import court_today, date_range, iso_date, table_date
from common.enums import Custody
from common.wire import CustodyChange, Hearing
from desktop.clerk_actions import cancel, case_clock, riders_at_the_same_time
from desktop.docket import DocketData, DocketFilter, DocketRow, load_docket
from desktop.ui.context import DesktopContext
from desktop.ui.custody_dialog import CustodyDialog
from desktop.ui.date_field import house_style
from desktop.ui.decision_dialog import PleadingsDecisionDialog, load_bench_record
from desktop.ui.docket_model import (
    COLUMNS,
    CUSTODY_COLUMN,
    CUSTODY_NAMES,
    RESPONDENT_COLUMN,
    TYPE_NAMES,
    DocketTableModel,
    export_docket_pdf,
    filter_and_sort,
    format_time,
)
from desktop.ui.hearing_dialogs import AdjournDialog, RescheduleDialog
from desktop.ui.interpreter_requests_view import InterpreterRequestsDialog
from desktop.ui.order_bench import BenchContinuanceDialog, bench_ruling_refusal

NATIVE = QKeySequence.SequenceFormat.NativeText
ROLE_NAMES = {
    "judge": "a judge",
    "court_admin": "a court administrator",
    "eoir_staff": "EOIR staff",
}


def _counted(count: int) -> str:
    return "No hearings" if count == 0 else f"{count} hearing{'' if count == 1 else 's'}"


class DocketView(QWidget):
    """The docket of the signed-in user's court; ``open_case`` carries a case id."""

    open_case = Signal(str)

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data = DocketData([], {}, [], "", None)
        # UTC's date until the court's record is read (a moment): never this computer's.
        self.anchor = court_today(None)
        self.dialog: RescheduleDialog | AdjournDialog | None = None
        self._loads = 0
        self._first_load = True
        self.model = DocketTableModel(self)
        self._build_period_bar()
        self._build_filter_bar()
        self._build_table()
        self._build_actions()
        layout = QVBoxLayout(self)
        for bar in (self.period_bar, self.filter_bar, self.action_bar):
            layout.addLayout(bar)
        layout.addWidget(self.table)
        self._show_period()
        self._update_actions()
        self.refresh()

    # -- building ---------------------------------------------------------------------------

    def _action(
        self, text: str, keys: Sequence[QKeySequence], slot: Callable[[], Any], *, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts(list(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys_text = ", ".join(k.toString(NATIVE) for k in keys)
        action.setToolTip(f"{tip or text.rstrip('…')} ({keys_text})" if keys else tip or text)
        action.setData(action.toolTip())
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _build_period_bar(self) -> None:
        std = QKeySequence.StandardKey
        self.day_action = self._action(
            "Day", [QKeySequence("Ctrl+Alt+1")], self.show_day, tip="Show one day"
        )
        self.week_action = self._action(
            "Week",
            [QKeySequence("Ctrl+Alt+2")],
            self.show_week,
            tip="Show the week (Monday to Sunday)",
        )
        group = QActionGroup(self)
        for action in (self.day_action, self.week_action):
            action.setCheckable(True)
            group.addAction(action)
        self.day_action.setChecked(True)
        self.day_button = self._button(self.day_action)
        self.week_button = self._button(self.week_action)
        self.previous_action = self._action(
            "◀ Previous",
            QKeySequence.keyBindings(std.Back),
            lambda: self.step(-1),
            tip="Previous court day or week",
        )
        self.today_action = self._action("Today", [QKeySequence("Ctrl+T")], self.go_today)
        self.next_action = self._action(
            "Next ▶",
            QKeySequence.keyBindings(std.Forward),
            lambda: self.step(1),
            tip="Next court day or week",
        )
        self.goto_action = self._action(
            "Go to date", [QKeySequence("Ctrl+G")], lambda: self.date_edit.setFocus()
        )
        self.date_edit = house_style(QDateEdit())
        self.date_edit.setToolTip(self.goto_action.toolTip())
        self.date_edit.dateChanged.connect(self._on_date_picked)
        self.period_label = QLabel()
        font = self.period_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.period_label.setFont(font)
        self.count_label = QLabel()
        self.period_bar = QHBoxLayout()
        for widget in (
            self.day_button,
            self.week_button,
            self._button(self.previous_action),
            self._button(self.today_action),
            self._button(self.next_action),
            self.date_edit,
            self.period_label,
        ):
            self.period_bar.addWidget(widget)
        self.period_bar.addStretch(1)
        self.period_bar.addWidget(self.count_label)

    def _combo(self, label: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(label)
        combo.setToolTip(f"Show only hearings of this {label.lower()}")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.addItem(f"All {label.lower()}s" if label != "Custody" else "Any custody", None)
        combo.currentIndexChanged.connect(self.apply_filter)
        return combo

    def _build_filter_bar(self) -> None:
        self.judge_combo = self._combo("Judge")
        self.courtroom_combo = self._combo("Courtroom")
        self.type_combo = self._combo("Type")
        for value, name in TYPE_NAMES.items():
            self.type_combo.addItem(name, value)
        self.custody_combo = self._combo("Custody")
        for value, name in CUSTODY_NAMES.items():
            self.custody_combo.addItem(name, value)
        self.language_combo = self._combo("Language")
        self.detained_action = self._action(
            "Detained only",
            [QKeySequence("Ctrl+Alt+D")],
            self.apply_filter,
            tip="Show only the hearings of detained respondents",
        )
        self.detained_action.setCheckable(True)
        self.find_action = self._action(
            "Find", QKeySequence.keyBindings(QKeySequence.StandardKey.Find), self._focus_search
        )
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            f"Name or A-number ({self.find_action.shortcut().toString(NATIVE)})"
        )
        self.search_edit.setToolTip(
            "Any spelling of an A-number (A123-456-789, 123456789) or part of the respondent's name"
        )
        self.search_edit.textChanged.connect(self.apply_filter)
        self.filter_bar = QHBoxLayout()
        for widget in (
            self.judge_combo,
            self.courtroom_combo,
            self.type_combo,
            self.custody_combo,
            self._button(self.detained_action),
            self.language_combo,
        ):
            self.filter_bar.addWidget(widget)
        self.filter_bar.addWidget(self.search_edit, 1)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next field
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)  # the detained tint must stay visible
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RESPONDENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        for number, column in enumerate(COLUMNS):
            if column.sample:
                header.resizeSection(number, metrics.horizontalAdvance(column.sample) + 24)
        # Detained first, each part by time: the detained docket is heard first.
        header.setSortIndicator(CUSTODY_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(self._open_selected)
        self.table.selectionModel().currentRowChanged.connect(self._update_actions)
        self.open_action = QAction("Open case", self.table)
        self.open_action.setShortcuts(
            [
                QKeySequence(Qt.Key.Key_Return),
                QKeySequence(Qt.Key.Key_Enter),
                *QKeySequence.keyBindings(QKeySequence.StandardKey.Open),
            ]
        )
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_action.triggered.connect(self._open_selected)
        self.table.addAction(self.open_action)

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.reschedule_action = self._action(
            "Reschedule…", [QKeySequence("Ctrl+R")], self.reschedule_selected
        )
        self.adjourn_action = self._action(
            "Adjourn…", [QKeySequence("Ctrl+J")], self.adjourn_selected
        )
        self.cancel_action = self._action(
            "Cancel hearing", QKeySequence.keyBindings(std.Delete), self.cancel_selected
        )
        self.export_action = self._action(
            "Export PDF…",
            QKeySequence.keyBindings(std.Print),
            self.export_pdf,
            tip="Print or export the docket shown as a PDF",
        )
        self.interpreters_action = self._action(
            "Interpreter requests…",
            [QKeySequence("Ctrl+Shift+I")],
            self.interpreter_requests,
            tip="The day's hearings that need an interpreter, to send out as CSV or PDF",
        )
        self.custody_action = self._action(
            "Custody change…",
            [QKeySequence("Ctrl+Shift+K")],
            self.record_custody,
            tip="Record a detention, transfer or release DHS reported for this case",
        )
        self.clerk_actions = (self.reschedule_action, self.adjourn_action, self.cancel_action)
        self.bench_action = self._action(
            "Bench ruling: continuance…",
            [QKeySequence("Ctrl+Shift+B")],
            self.bench_ruling_selected,
            tip="Continue this hearing with a signed order, served on the parties",
        )
        self.decision_action = self._action(
            "Pleadings and decision…",
            [QKeySequence("Ctrl+Shift+D")],
            self.record_decision,
            tip="Record the pleadings taken and the decision given in this case",
        )
        self.action_bar = QHBoxLayout()
        judge = self.ctx.role == "judge"
        bench = (self.bench_action, self.decision_action) if judge else ()
        actions = (*self.clerk_actions, self.custody_action, *bench, self.export_action)
        for action in (*actions, self.interpreters_action):
            self.action_bar.addWidget(self._button(action))
        self.action_bar.addStretch(1)
        hint = QLabel("Enter or double-click opens the case · shaded rows are detained")
        hint.setEnabled(False)
        self.action_bar.addWidget(hint)

    # -- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the docket from the local store (off the GUI thread)."""
        self._loads += 1
        ticket = self._loads
        court_id = self.ctx.session.user.get("court_id")
        self.ctx.read(
            lambda store: load_docket(store, str(court_id) if court_id else None),
            lambda data: self._on_loaded(ticket, data),
            self._on_load_failed,
            parent=self,
        )

    def _on_loaded(self, ticket: int, data: DocketData) -> None:
        if ticket != self._loads:
            return  # a newer load is on its way (a closed view gets no answer: parent=self)
        self.data = data
        if self._first_load and data.zone is not None:
            self.anchor = court_today(data.zone)
            self._show_period()
        self._fill_combo(
            self.judge_combo,
            sorted({(r.judge_id, r.judge) for r in data.rows if r.judge_id}, key=lambda j: j[1]),
        )
        self._fill_combo(self.courtroom_combo, data.courtrooms)
        self._fill_combo(
            self.language_combo, [(lang, lang) for lang in sorted({r.language for r in data.rows})]
        )
        if self._first_load and self.ctx.role == "judge":  # a judge starts on their own docket
            mine = self.judge_combo.findData(self.ctx.user_id)
            if mine > 0:
                self.judge_combo.setCurrentIndex(mine)
        self._first_load = False
        self.apply_filter()

    def _on_load_failed(self, err: Exception) -> None:
        self.count_label.setText(f"Could not read the docket: {err}")

    @staticmethod
    def _fill_combo(combo: QComboBox, items: Sequence[tuple[Any, str]]) -> None:
        """Replace the choices after "All", keeping the current one if it still exists."""
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for value, name in items:
            combo.addItem(name, value)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
        combo.blockSignals(False)

    # -- period -----------------------------------------------------------------------------

    @property
    def week_mode(self) -> bool:
        return self.week_action.isChecked()

    def period(self) -> tuple[date, date]:
        if not self.week_mode:
            return self.anchor, self.anchor
        monday = self.anchor - timedelta(days=self.anchor.weekday())
        return monday, monday + timedelta(days=6)

    def show_day(self) -> None:
        self.day_action.setChecked(True)
        self._show_period()

    def show_week(self) -> None:
        self.week_action.setChecked(True)
        self._show_period()

    def go_to(self, day: date) -> None:
        self.anchor = day
        self._show_period()

    def go_today(self) -> None:
        self.go_to(court_today(self.data.zone))

    def step(self, direction: int) -> None:
        if self.week_mode:
            self.go_to(self.anchor + timedelta(days=7 * direction))
            return
        day = self.anchor + timedelta(days=direction)
        while day.weekday() >= 5:  # courts do not sit at weekends
            day += timedelta(days=direction)
        self.go_to(day)

    def _on_date_picked(self, picked: QDate) -> None:
        day = date(picked.year(), picked.month(), picked.day())
        if day != self.anchor:
            self.go_to(day)

    def _show_period(self) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(self.anchor.year, self.anchor.month, self.anchor.day))
        self.date_edit.blockSignals(False)
        self.period_label.setText(self.period_title())
        self.apply_filter()

    def period_title(self) -> str:
        first, last = self.period()
        if first == last:
            return table_date(first)
        return f"Week of {table_date(first)} \u2013 {table_date(last)}"

    # -- filtering --------------------------------------------------------------------------

    def current_filter(self) -> DocketFilter:
        def chosen(combo: QComboBox) -> frozenset[str]:
            value = combo.currentData()
            return frozenset({str(value)}) if value else frozenset()

        first, last = self.period()
        return DocketFilter(
            first_day=first,
            last_day=last,
            judge_ids=chosen(self.judge_combo),
            courtroom_ids=chosen(self.courtroom_combo),
            hearing_types=chosen(self.type_combo),
            custody=chosen(self.custody_combo),
            languages=chosen(self.language_combo),
            detained_only=self.detained_action.isChecked(),
            text=self.search_edit.text(),
        )

    def apply_filter(self) -> None:
        """Show the rows the controls ask for, keeping the selected hearing selected."""
        selected = self.selected_row()
        rows = filter_and_sort(
            self.data.rows, self.current_filter(), self.model.sort_key, self.model.descending
        )
        self.model.set_rows(rows, self.data.clashes)
        self.count_label.setText(_counted(len(rows)))
        if not rows and self.search_edit.text().strip():
            # The search looks only within the period and filters; say where else to look.
            self.count_label.setText("No hearings here match · Ctrl+K finds any case")
        if selected is not None:
            self.select_hearing(selected.hearing_id)
        self._update_actions()

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- selection and actions --------------------------------------------------------------

    def selected_row(self) -> DocketRow | None:
        return self.model.row_at(self.table.currentIndex())

    def select_hearing(self, hearing_id: str) -> bool:
        row = self.model.row_of(hearing_id)
        if row < 0:
            return False
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        return True

    def _update_actions(self) -> None:
        row = self.selected_row()
        reason = ""
        if self.ctx.role != "clerk":
            who = ROLE_NAMES.get(self.ctx.role, self.ctx.role)
            reason = f"Only clerks change the docket; you are signed in as {who}."
        elif row is None:
            reason = "Select a hearing first."
        elif row.status != "scheduled":
            reason = f"This hearing is {row.status}; only scheduled hearings can be changed."
        for action in self.clerk_actions:
            action.setEnabled(not reason)
            base = str(action.data())
            action.setToolTip(f"{base} — {reason}" if reason else base)
        custody_reason = reason if row is None or self.ctx.role != "clerk" else ""
        self.custody_action.setEnabled(not custody_reason)
        base = str(self.custody_action.data())
        self.custody_action.setToolTip(f"{base} — {custody_reason}" if custody_reason else base)
        bench_reason = bench_ruling_refusal(self.ctx.role, self.ctx.user_id, row)
        # Pleadings and a decision: the case's judge, whatever the hearing's state.
        decision_reason = (
            "Only the immigration judge of the case records pleadings and a decision."
            if self.ctx.role != "judge"
            else "Select a hearing first."
            if row is None
            else "This hearing is before another judge."
            if row.judge_id != self.ctx.user_id
            else ""
        )
        self.decision_action.setEnabled(not decision_reason)
        base = str(self.decision_action.data())
        self.decision_action.setToolTip(f"{base} — {decision_reason}" if decision_reason else base)
        self.bench_action.setEnabled(not bench_reason)
        base = str(self.bench_action.data())
        self.bench_action.setToolTip(f"{base} — {bench_reason}" if bench_reason else base)

    def bench_ruling_selected(self) -> None:
        """Continue the selected hearing from the bench (judge of the case only)."""
        row = self.selected_row()
        record = self.data.hearings.get(row.hearing_id) if row else None
        if record is None or not self.bench_action.isEnabled():
            return
        zone = row.starts_at.tzinfo if row else None  # the row is on the court's clock
        dialog = BenchContinuanceDialog(
            self.ctx, record, self, zone=zone, docket_rows=self.data.rows
        )
        self.bench_dialog = dialog
        dialog.issued.connect(lambda _ruling: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _selected_hearing(self) -> Hearing | None:
        row = self.selected_row()
        record = self.data.hearings.get(row.hearing_id) if row else None
        return Hearing.model_validate(record) if record else None

    def _open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_case.emit(row.case_id)

    def reschedule_selected(self) -> None:
        """Reschedule the selected hearing; a family lead's riders heard with it move too."""
        hearing = self._selected_hearing()
        row = self.selected_row()
        if hearing is None or row is None or not self.reschedule_action.isEnabled():
            return
        riders = []
        if row.family_role == "lead":
            rider_cases = [
                r.case_id
                for r in self.data.rows
                if r.family_lead_id == row.case_id and r.family_role == "rider"
            ]
            riders = riders_at_the_same_time(hearing, rider_cases, self.data.hearings.values())
        self._open_dialog(
            RescheduleDialog(
                self.ctx,
                hearing,
                self.data.rows,
                self,
                courtrooms=self.data.courtrooms,
                riders=riders,
            )
        )

    def adjourn_selected(self) -> None:
        """Open the adjourn dialog once the case's asylum clock is read from the store."""
        hearing = self._selected_hearing()
        if hearing is None or not self.adjourn_action.isEnabled():
            return
        today = court_today(self.data.zone)

        def show(clock: AsylumClock | None) -> None:
            self._open_dialog(AdjournDialog(self.ctx, hearing, self.data.rows, self, clock))

        self.ctx.read(
            lambda store: case_clock(store, hearing.case_id, today),
            show,
            self._on_load_failed,
            parent=self,
        )

    def _open_dialog(self, dialog: RescheduleDialog | AdjournDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self.refresh)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def cancel_selected(self) -> None:
        row = self.selected_row()
        hearing = self._selected_hearing()
        if row is None or hearing is None or not self.cancel_action.isEnabled():
            return
        answer = QMessageBox.question(
            self,
            "Cancel hearing",
            f"Cancel the hearing of {row.respondent} ({row.a_number_display}) on "
            f"{format_time(row)}?\n\nA notice of the cancellation is served on the parties "
            "when this change reaches the server.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.save([cancel(hearing)], self.refresh, self._on_save_failed, parent=self)

    def _on_save_failed(self, err: Exception) -> None:
        QMessageBox.warning(self, "Not saved", f"The change was not saved: {err}")

    def record_custody(self) -> None:
        """Open the custody dialog for the selected hearing's case, once the case and its
        custody history are read from the store."""
        row = self.selected_row()
        if row is None or not self.custody_action.isEnabled():
            return
        today = court_today(self.data.zone)

        def read(store: Any) -> tuple[Custody, list[CustodyChange]]:
            case = store.get("case", row.case_id) or {}
            history = [
                CustodyChange.model_validate(c)
                for c in store.all("custody_change")
                if c.get("case_id") == row.case_id
            ]
            return Custody(str(case.get("custody", row.custody))), history

        def show(found: tuple[Custody, list[CustodyChange]]) -> None:
            dialog = CustodyDialog(
                self.ctx,
                row.case_id,
                found[0],
                found[1],
                today,
                self,
                heading=f"{row.respondent} ({row.a_number_display})",
            )
            self.custody_dialog = dialog
            dialog.saved.connect(self.refresh)
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

        self.ctx.read(read, show, self._on_load_failed, parent=self)

    def record_decision(self) -> None:
        """Open the pleadings-and-decision dialog for the selected hearing's case, once the
        case, its pleadings and its unsent decisions are read from the store."""
        row = self.selected_row()
        if row is None or not self.decision_action.isEnabled():
            return
        today = court_today(self.data.zone)

        def show(data: Any) -> None:
            dialog = PleadingsDecisionDialog(
                self.ctx,
                data,
                today,
                self,
                hearing_id=row.hearing_id,
                heading=f"{row.respondent} ({row.a_number_display})",
            )
            self.decision_dialog = dialog
            dialog.saved.connect(lambda _records: self.refresh())
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

        self.ctx.read(
            lambda store: load_bench_record(store, row.case_id),
            show,
            self._on_load_failed,
            parent=self,
        )

    def interpreter_requests(self) -> None:
        """Open the interpreter-request list for the day shown (the first day of a week)."""
        first, _ = self.period()
        dialog = InterpreterRequestsDialog(
            self.data.rows, first, self.data.zone, self.data.court_name, self
        )
        self.interpreters_dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def filter_words(self) -> list[str]:
        """The filters the docket shows, in words, for the printed heading ("Courtroom 2",
        "detained only", "matching “Souza”"); none when it shows every hearing."""
        words = [
            combo.currentText()
            for combo in (
                self.judge_combo,
                self.courtroom_combo,
                self.type_combo,
                self.custody_combo,
                self.language_combo,
            )
            if combo.currentData()
        ]
        if self.detained_action.isChecked():
            words.append("detained only")
        search = self.search_edit.text().strip()
        if search:
            words.append(f"matching \u201c{search}\u201d")
        return words

    def export_title(self) -> str:
        """The printed heading: the court, then the filters and the days shown
        ("… — Docket: Judge X · Courtroom 2 · detained only · 7\u201311 Dec 2026")."""
        court = f"{self.data.court_name} — " if self.data.court_name else ""
        first, last = self.period()
        return f"{court}Docket: " + " · ".join([*self.filter_words(), date_range(first, last)])

    def export_pdf(self) -> None:
        first, _ = self.period()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"docket-{iso_date(first)}.pdf")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export docket as PDF", suggested, "PDF documents (*.pdf)"
        )
        if path:
            export_docket_pdf(self.model.rows(), path, self.export_title(), self.data.zone)
