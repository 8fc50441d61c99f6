"""The case file's counsel and family actions, keyboard first.

- The judge grants counsel leave to withdraw (Ctrl+Shift+W): the appearance ends as
  withdrawn on the court's date, naming the judge (``clerk_actions.grant_withdrawal``).
- The clerk records a granted substitution (Ctrl+Shift+U): the new counsel's appearance
  accepted and the prior one substituted, in one group (``clerk_actions.record_substitution``).
- The clerk makes the case a rider of a lead case by its A-number, or unlinks it
  (Ctrl+Shift+L; ``clerk_actions.link_rider``).

Each opens a small bar under the case's buttons; Enter does the bar's action, Escape closes
it. Records are read on the pool (``ctx.read``) and saved through ``ctx.save``; a change
the server would refuse is refused here first, with the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from common.anumber import parse_a_number
from common.court_time import table_date
from common.wire import Case, Representation, WireRecord
from desktop.case_file import CaseFile
from desktop.clerk_actions import grant_withdrawal, link_rider, record_substitution
from desktop.local_store import LocalStore
from desktop.ui.context import DesktopContext


def _record(store: LocalStore, entity: str, record_id: str) -> dict[str, Any]:
    raw = store.get(entity, record_id)
    if raw is None:
        raise ValueError(f"the {entity} is not on this computer")
    return {k: v for k, v in raw.items() if k != "deleted"}


class _Bar(QWidget):
    """A row of widgets with a default button: Enter presses it, Escape hides the bar."""

    def __init__(self, ok_text: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.ok = QPushButton(ok_text)
        self.ok.setObjectName(f"{name}_ok")
        self.ok.setAutoDefault(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self.hide)
        self.hide()

    def finish(self) -> None:
        self.row.addWidget(self.ok)
        self.row.addWidget(self.cancel)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.ok.click()
        elif event.key() == Qt.Key.Key_Escape:
            self.hide()
        else:
            super().keyPressEvent(event)


class CounselActions(QObject):
    """The buttons, shortcuts and bars; :meth:`show_case` after each load of the case."""

    changed = Signal()

    def __init__(self, ctx: DesktopContext, view: QWidget) -> None:
        super().__init__(view)
        self.ctx = ctx
        self.view = view
        self.case_file: CaseFile | None = None
        judge, clerk = ctx.role == "judge", ctx.role == "clerk"
        self.message = QLabel()
        self.message.setObjectName("counsel_message")
        self.message.setWordWrap(True)
        self.message.hide()

        self.withdraw_bar = _Bar("Grant", "withdraw_bar")
        self.withdraw_counsel = QComboBox()
        self.withdraw_counsel.setAccessibleName("Counsel who asks leave to withdraw")
        self.withdraw_bar.row.addWidget(QLabel("Leave to withdraw:"))
        self.withdraw_bar.row.addWidget(self.withdraw_counsel)
        self.withdraw_bar.finish()
        self.withdraw_bar.ok.clicked.connect(self.grant_withdrawal)
        self.withdraw_button = self._button(
            "Grant withdrawal…", "grant_withdrawal", "Ctrl+Shift+W", judge, self.start_withdrawal
        )

        self.substitute_bar = _Bar("Record", "substitute_bar")
        self.prior = QComboBox()
        self.prior.setAccessibleName("Counsel of record replaced")
        self.successor = QComboBox()
        self.successor.setAccessibleName("New counsel (EOIR-28)")
        for text, widget in (("Replace:", self.prior), ("by:", self.successor)):
            self.substitute_bar.row.addWidget(QLabel(text))
            self.substitute_bar.row.addWidget(widget)
        self.substitute_bar.finish()
        self.substitute_bar.ok.clicked.connect(self.record_substitution)
        self.substitute_button = self._button(
            "Record substitution…",
            "record_substitution",
            "Ctrl+Shift+U",
            clerk,
            self.start_substitution,
        )

        self.family_bar = _Bar("Link", "family_bar")
        self.lead_a_number = QLineEdit()
        self.lead_a_number.setObjectName("lead_a_number")
        self.lead_a_number.setPlaceholderText("Lead case's A-number (empty: not a rider)")
        self.family_bar.row.addWidget(QLabel("Rider of:"))
        self.family_bar.row.addWidget(self.lead_a_number)
        self.family_bar.finish()
        self.family_bar.ok.clicked.connect(self.link_family)
        self.family_button = self._button(
            "Family…", "family", "Ctrl+Shift+L", clerk, self.start_family
        )

    def _button(
        self, text: str, name: str, keys: str, visible: bool, slot: Callable[[], None]
    ) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setVisible(visible)
        button.setToolTip(f"{text.rstrip('…')} ({keys})")
        button.clicked.connect(slot)
        if visible:
            action = QAction(text, self.view)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
        return button

    def widgets(self) -> list[QWidget]:
        return [
            self.withdraw_button,
            self.withdraw_bar,
            self.substitute_button,
            self.substitute_bar,
            self.family_button,
            self.family_bar,
            self.message,
        ]

    def show_case(self, case_file: CaseFile) -> None:
        self.case_file = case_file
        self.withdraw_button.setEnabled(bool(case_file.counsel_of_record))
        self.substitute_button.setEnabled(bool(case_file.counsel_of_record))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c62828;" if error else "color: #2e7d32;")
        self.message.show()

    def _failed(self, error: Exception) -> None:
        self._say(f"Not saved: {error}", error=True)

    def _saved(self, text: str) -> Callable[[], None]:
        def done() -> None:
            for bar in (self.withdraw_bar, self.substitute_bar, self.family_bar):
                bar.hide()
            self._say(f"{text} Saved on this computer; sent at the next sync.")
            self.changed.emit()

        return done

    # -- withdrawal (judge) -----------------------------------------------------------------

    def start_withdrawal(self) -> None:
        cf = self.case_file
        if cf is None or not self.withdraw_button.isVisible() or not cf.counsel_of_record:
            return
        self.withdraw_counsel.clear()
        for entry in cf.counsel_of_record:
            self.withdraw_counsel.addItem(
                f"{entry.practitioner} ({entry.scope.replace('_', ' ')})", entry.representation_id
            )
        self.withdraw_bar.ok.setText(f"Grant, {table_date(cf.today)}")
        self.withdraw_bar.show()
        self.withdraw_bar.ok.setFocus()

    def grant_withdrawal(self) -> None:
        cf, appearance_id = self.case_file, self.withdraw_counsel.currentData()
        if cf is None or not appearance_id:
            return
        judge_id, today, who = self.ctx.user_id, cf.today, self.withdraw_counsel.currentText()

        def build(store: LocalStore) -> list[WireRecord]:
            appearance = Representation.model_validate(
                _record(store, "representation", str(appearance_id))
            )
            return [grant_withdrawal(appearance, judge_id, today)]

        self._build_and_save(build, f"Leave to withdraw granted to {who}.")

    def _build_and_save(self, build: Callable[[LocalStore], list[WireRecord]], text: str) -> None:
        def save(records: list[WireRecord]) -> None:
            self.ctx.save(records, self._saved(text), self._failed)

        self.ctx.read(build, save, self._failed)

    # -- substitution (clerk) ---------------------------------------------------------------

    def start_substitution(self) -> None:
        cf = self.case_file
        if cf is None or not self.substitute_button.isVisible() or not cf.counsel_of_record:
            return
        self.prior.clear()
        self.successor.clear()
        for entry in cf.counsel_of_record:
            self.prior.addItem(entry.practitioner, entry.representation_id)
        record = {r.practitioner_id for r in cf.counsel_of_record}
        for entry in cf.representation:
            if entry.status in ("pending", "accepted") and entry.practitioner_id not in record:
                self.successor.addItem(
                    f"{entry.practitioner} ({entry.status})", entry.representation_id
                )
        if self.successor.count() == 0:
            self._say(
                "No new appearance in this case: the new counsel's EOIR-28 comes first.",
                error=True,
            )
            return
        self.substitute_bar.show()
        self.prior.setFocus()

    def record_substitution(self) -> None:
        cf = self.case_file
        prior_id, successor_id = self.prior.currentData(), self.successor.currentData()
        if cf is None or not prior_id or not successor_id:
            return
        judge_id = cf.summary.judge_id
        if not judge_id:
            self._say("Assign the judge first: the leave to substitute is the judge's.", error=True)
            return
        today, who = cf.today, self.successor.currentText()

        def build(store: LocalStore) -> list[WireRecord]:
            prior = Representation.model_validate(_record(store, "representation", prior_id))
            new = Representation.model_validate(_record(store, "representation", successor_id))
            return record_substitution(prior, new, judge_id, today)

        self._build_and_save(build, f"Substitution recorded: {who} is counsel of record.")

    # -- family (clerk) ---------------------------------------------------------------------

    def start_family(self) -> None:
        if self.case_file is None or not self.family_button.isVisible():
            return
        self.lead_a_number.clear()
        self.family_bar.show()
        self.lead_a_number.setFocus()

    def link_family(self) -> None:
        cf = self.case_file
        if cf is None:
            return
        typed = self.lead_a_number.text().strip()
        try:
            digits = parse_a_number(typed) if typed else None
        except ValueError as err:
            self._say(str(err), error=True)
            return
        case_id = cf.summary.case_id

        def build(store: LocalStore) -> list[WireRecord]:
            cases = [c for c in store.all("case") if not c.get("deleted")]
            case = Case.model_validate(_record(store, "case", case_id))
            lead_id = None
            if digits is not None:
                leads = [
                    c
                    for c in cases
                    if c.get("a_number") == digits
                    and c["id"] != case_id
                    and c.get("court_id") == case.court_id
                ]
                if not leads:
                    raise ValueError("no case with that A-number at this court")
                lead_id = str(max(leads, key=lambda c: str(c.get("opened_on")))["id"])
            return [link_rider(case, lead_id, cases)]

        text = f"Now a rider of {typed}." if digits else "No longer a rider."
        self._build_and_save(build, text)
