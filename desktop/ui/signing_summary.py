"""The confirmation before a signature: signing an order can't be undone (the server issues
and serves it once it arrives; a mistake takes a new order), so the judge sees once what
the order decides, who it will be served on and the date it will bear, and chooses. Cancel
is the default button: Enter alone, or the Ctrl+Shift+S that opened this, never signs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.orders import SigningSummary


class SigningSummaryDialog(QDialog):
    """Window-modal; ``accepted`` means "sign", anything else signs nothing."""

    def __init__(self, summary: SigningSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setWindowTitle("Sign and issue this order?")
        self.setMinimumWidth(560)
        heading = QLabel(
            "<b>Check before signing.</b> A signed order is issued and served as soon as it "
            "reaches the server, and it can't be changed afterwards."
        )
        heading.setWordWrap(True)
        self.text = QPlainTextEdit(summary.text())
        self.text.setObjectName("signing_summary")
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(260)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button: QPushButton = self.buttons.addButton(
            "&Sign and issue", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setObjectName("confirm_sign")
        self.sign_button.setAutoDefault(False)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancel_sign")
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
