"""The clerk records a custody change DHS reported (Form I-830): detained at a facility,
transferred to another, released. Only the changes that can follow the case's history are
offered; the facility is chosen by typing part of its name or town. Saved through
``ctx.save`` as a ``custody_change`` record; the server moves the case's custody and the
address of record when it arrives (``sync_server.services.custody``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from common.court_time import utc_now
from common.custody import EVENT_WORDS, check_custody_change, current_custody, load_facilities
from common.enums import Custody, CustodyEvent
from common.wire import CustodyChange
from desktop.ui.context import DesktopContext
from desktop.ui.date_field import house_style

ERROR_STYLE = "color: #b00020;"


class CustodyDialog(QDialog):
    saved = Signal()

    def __init__(
        self,
        ctx: DesktopContext,
        case_id: str,
        case_custody: Custody,
        history: Sequence[CustodyChange],
        today: date,
        parent: QWidget | None = None,
        *,
        heading: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record custody change")
        self.ctx = ctx
        self.case_id = case_id
        self.case_custody = case_custody
        self.history = list(history)
        facilities = load_facilities()
        now = current_custody(case_custody, self.history)
        detained = now.custody is Custody.DETAINED
        where = facilities.name_of(now.facility_code) if now.facility_code else ""
        state = f"Detained at {where}" if where else "Detained" if detained else "Not detained"
        self.event_combo = QComboBox()
        self.event_combo.setAccessibleName("Change")
        offered = (
            [CustodyEvent.TRANSFERRED, CustodyEvent.RELEASED]
            if detained and now.since is not None
            else [CustodyEvent.DETAINED, CustodyEvent.TRANSFERRED, CustodyEvent.RELEASED]
            if detained
            else [CustodyEvent.DETAINED]
        )
        for event in offered:
            self.event_combo.addItem(EVENT_WORDS[event], event.value)
        self.facility_combo = QComboBox()
        self.facility_combo.setEditable(True)
        self.facility_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.facility_combo.setAccessibleName("Facility")
        for facility in facilities.active():
            self.facility_combo.addItem(f"{facility.name} — {facility.place}", facility.code)
        completer = QCompleter(self.facility_combo.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.facility_combo.setCompleter(completer)
        self.facility_combo.setCurrentIndex(-1)
        self.date_edit = house_style(QDateEdit(QDate(today.year, today.month, today.day)))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record")
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Change:", self.event_combo)
        form.addRow("&Facility:", self.facility_combo)
        form.addRow("&Effective (court date):", self.date_edit)
        layout = QVBoxLayout(self)
        if heading:
            layout.addWidget(QLabel(heading))
        layout.addWidget(QLabel(f"Now: {state}"))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.event_combo.currentIndexChanged.connect(self._check)
        self.facility_combo.currentTextChanged.connect(self._check)
        self.date_edit.dateChanged.connect(self._check)
        self.setMinimumWidth(480)
        self._check()

    def _facility_code(self) -> str | None:
        text = self.facility_combo.currentText().strip()
        index = self.facility_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.facility_combo.itemData(index)) if index >= 0 else None

    def record(self) -> tuple[CustodyChange | None, str]:
        """The change the form describes and why it can't be recorded ("" when it can)."""
        event = CustodyEvent(str(self.event_combo.currentData()))
        places = event is not CustodyEvent.RELEASED
        code = self._facility_code() if places else None
        if places and code is None:
            return None, "Choose the facility from the list."
        picked = self.date_edit.date()
        change = CustodyChange(
            id=str(uuid.uuid4()),
            case_id=self.case_id,
            event=event,
            facility_code=code,
            effective_on=date(picked.year(), picked.month(), picked.day()),
            recorded_at=utc_now(),
        )
        reason = check_custody_change(self.case_custody, self.history, change)
        return (None, reason[0].upper() + reason[1:] + ".") if reason else (change, "")

    def _check(self) -> None:
        released = self.event_combo.currentData() == CustodyEvent.RELEASED.value
        self.facility_combo.setEnabled(not released)
        change, reason = self.record()
        self.error.setText(reason)
        self.error.setVisible(bool(reason))
        self.ok_button.setEnabled(change is not None)

    def _on_ok(self) -> None:
        change, _ = self.record()
        if change is None:
            return
        self.buttons.setEnabled(False)
        self.ctx.save([change], self._on_saved, self._on_failed)

    def _on_saved(self) -> None:
        self.saved.emit()
        self.accept()

    def _on_failed(self, err: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(f"Not saved: {err}")
        self.error.show()
