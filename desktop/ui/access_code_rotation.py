"""The clerk replaces a case's access code from the case file (issue 17 item 3).

A respondent without counsel enrols in the portal with the code printed on the notice the
court mailed them. When they have lost it, or someone else has seen it, the clerk of the
case's court issues a new one here, as the portal's clerk page does: the server
(``POST /api/v1/cases/<id>/access-code``, ``services/access_codes.py``) replaces the code,
keeps only its hash and audits the change; the old code stops working at once. The new
code is shown once, large, to read out on the telephone or at the window, or to print and
hand over; it is not kept on this computer, and closing the window clears it. The next
notice mailed to the respondent carries a live code again.

The request needs the server: offline, the clerk is told so and nothing changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ApiError
from desktop.tasks import run_task
from desktop.ui.context import DesktopContext

ROTATORS = ("clerk", "court_admin")  # who may (the server's policy decides again)

CONFIRM_TEXT = (
    "Issue a new case access code for this case? The code on the respondent's notice (and "
    "any code given before) stops working at once. Do this only at the respondent's "
    "request, once you have checked who is asking."
)


class ConfirmRotation(QDialog):
    """ "Issue a new code?" with the consequence spelled out; Cancel is the default."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case access code")
        text = QLabel(CONFIRM_TEXT)
        text.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.issue_button = self.buttons.addButton(
            "Issue a new code", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.issue_button.setObjectName("confirm_rotate_access_code")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.buttons)


class NewCodeDialog(QDialog):
    """The new code, shown once: large, selectable, with a Print button."""

    def __init__(self, a_number: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case access code")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.a_number = a_number
        intro = QLabel(
            f"The new case access code for {a_number}. Read it out or print it for the "
            "respondent now: it is not shown again and not kept on this computer. "
            "The respondent enrols at the portal with it, the A-number and their date of birth."
        )
        intro.setWordWrap(True)
        self.code = QLabel(code)
        self.code.setObjectName("new_access_code")
        font = QFont("monospace")
        font.setPointSize(28)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAccessibleName(f"New case access code: {' '.join(code)}")
        self.print_button = QPushButton("Print…")
        self.print_button.setObjectName("print_access_code")
        self.print_button.clicked.connect(self.print_code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("close_access_code")
        self.finished.connect(lambda _result: self.code.clear())  # shown once
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(buttons)

    def printable(self) -> QTextDocument:
        """The slip handed to the respondent: A-number, code, where to enrol."""
        doc = QTextDocument()
        doc.setPlainText(
            f"Case access code for {self.a_number}\n\n{self.code.text()}\n\n"
            "Enrol at the immigration court's portal (Respondent account) with this code, "
            "your A-number and your date of birth. Any earlier code no longer works."
        )
        return doc

    def print_code(self) -> None:
        printer = QPrinter()
        chooser = QPrintDialog(printer, self)
        if chooser.exec() == QDialog.DialogCode.Accepted:
            self.printable().print_(printer)


class AccessCodeRotation(QObject):
    """The case file's "New access code…" button and what follows it."""

    failed = Signal(str)  # a sentence for the case file's message line
    issued = Signal(str)  # the A-number whose code was replaced (never the code)

    def __init__(self, ctx: DesktopContext, case_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.window = parent
        self.button = QPushButton("New access code…")
        self.button.setObjectName("rotate_access_code")
        self.button.setToolTip(
            "Replace the respondent's case access code (a lost code, or one someone else saw)"
        )
        self.button.setVisible(ctx.role in ROTATORS)
        self.button.clicked.connect(self.ask)
        self.confirm: ConfirmRotation | None = None
        self.shown: NewCodeDialog | None = None

    def ask(self) -> None:
        self.confirm = ConfirmRotation(self.window)
        self.confirm.accepted.connect(self._rotate)
        self.confirm.open()

    def _rotate(self) -> None:
        self.button.setEnabled(False)
        client = self.ctx.session.client
        case_id = self.case_id
        run_task(lambda: client.rotate_access_code(case_id), self._show, self._failed, parent=self)

    def _show(self, result: tuple[str, str]) -> None:
        self.button.setEnabled(True)
        a_number, code = result
        self.shown = NewCodeDialog(a_number, code, self.window)
        self.shown.open()
        self.issued.emit(a_number)

    def _failed(self, err: Exception) -> None:
        self.button.setEnabled(True)
        if isinstance(err, ApiError) and err.kind == "offline":
            text = (
                "A new access code needs the server, which can't be reached now. "
                "Nothing was changed; the respondent's code still works."
            )
        elif isinstance(err, ApiError) and err.status == 404:
            text = "The server has no open case with this id at your court: no code was issued."
        else:
            text = f"No new access code was issued: {err}"
        self.failed.emit(text)
