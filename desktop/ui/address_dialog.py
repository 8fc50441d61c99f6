"""The clerk's "Record address…" dialog: an address the court received on paper (an
EOIR-33, a paper notice to appear) or the facility where the respondent is detained.
It builds the record with :func:`desktop.addresses.new_address` and saves it only through
``ctx.save``; each problem shows beside its field."""

from __future__ import annotations

from datetime import UTC, date, datetime

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

from common.enums import AddressKind
from desktop.addresses import KIND_LABELS, AddressForm, AddressRefused, new_address
from desktop.ui.context import DesktopContext
from desktop.ui.date_field import house_style

ERROR_STYLE = "color: #b00020;"


class AddressDialog(QDialog):
    """Record one address for ``case_id``; ``saved`` fires once it is saved locally."""

    saved = Signal()

    def __init__(
        self,
        ctx: DesktopContext,
        case_id: str,
        today: date,
        parent: QWidget | None = None,
        *,
        detained: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record the respondent's address")
        self.ctx, self.case_id, self.today = ctx, case_id, today
        self.kind = QComboBox()
        self.kind.setObjectName("address_kind")
        for kind, text in KIND_LABELS.items():
            self.kind.addItem(text, kind.value)
        if detained:
            self.kind.setCurrentIndex(self.kind.findData(AddressKind.CUSTODIAL.value))
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.addRow("Source:", self.kind)
        for key, caption in (
            ("facility", "Detention facility:"),
            ("street", "Street address:"),
            ("unit", "Apartment, suite or floor:"),
            ("city", "City:"),
            ("state", "State:"),
            ("zip", "ZIP code:"),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"address_{key}")
            self.fields[key] = edit
            form.addRow(caption, edit)
            self.errors[key] = self._error_label(form)
        self.effective_on = house_style(QDateEdit(QDate(today.year, today.month, today.day)))
        self.effective_on.setObjectName("address_effective_on")
        self.effective_on.setMaximumDate(QDate(today.year, today.month, today.day))
        form.addRow("In effect from:", self.effective_on)
        self.errors["effective_on"] = self._error_label(form)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel(
            "A change of address filed through the portal is recorded when you accept it in "
            "the review queue; enter here only what the court received otherwise."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _error_label(self, form: QFormLayout) -> QLabel:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.hide()
        form.addRow("", label)
        return label

    def _kind_changed(self) -> None:
        custodial = self.kind.currentData() == AddressKind.CUSTODIAL.value
        self.fields["facility"].setEnabled(custodial)

    def form(self) -> AddressForm:
        day = self.effective_on.date()
        return AddressForm(
            kind=AddressKind(str(self.kind.currentData())),
            street=self.fields["street"].text(),
            unit=self.fields["unit"].text(),
            city=self.fields["city"].text(),
            state=self.fields["state"].text(),
            zip=self.fields["zip"].text(),
            facility=self.fields["facility"].text(),
            effective_on=date(day.year(), day.month(), day.day()),
        )

    def save(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.message.hide()
        try:
            address = new_address(
                self.case_id, self.form(), today=self.today, now=datetime.now(UTC)
            )
        except AddressRefused as refused:
            for key, text in refused.errors.items():
                self.errors[key].setText(text)
                self.errors[key].show()
            return
        self.buttons.setEnabled(False)
        self.ctx.save([address], self._done, self._failed)

    def _done(self) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(f"The address was not saved: {error}")
        self.message.show()
