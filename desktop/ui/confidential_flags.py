"""Confidential records in the case file: the badge that says a case (or a document) is
confidential and under which law, and the judge's or clerk's dialog that sets or clears
the flags (asylum information, 8 CFR 1208.6; VAWA/T/U information, 8 U.S.C. 1367; sealed
by protective order, 8 CFR 1003.46; resources/confidentiality.json).

A flag is a synced field of the case or document record: the dialog saves the changed
record through ``ctx.save`` (the outbox), and the server's policy accepts it from the
judge or clerk of the case's court alone and audits it with the flags set and cleared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.confidentiality import badge_text, flag_texts, known_flags, tooltip_text
from common.enums import Confidentiality
from common.wire import Case, Document, WireRecord
from desktop.case_file import CaseFile, DocumentEntry
from desktop.local_store import LocalStore
from desktop.ui.context import DesktopContext

SETTERS = ("judge", "clerk")  # who marks a record (the server checks it again)
CASE_TARGET = ""  # the dialog's "applies to" value for the case itself


def document_badge(entry: DocumentEntry) -> str:
    """The document list's cell: the document's own flags, short ("" for none)."""
    texts = flag_texts()
    return "; ".join(texts[f].badge for f in known_flags(entry.confidentiality))


class ConfidentialBadge(QLabel):
    """The line "Confidential: Asylum information (8 CFR 1208.6)" above the case summary,
    with each flag's rule in its tooltip; hidden for a case with no flag."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confidential_badge")
        self.setStyleSheet(
            "background: #fce8e6; color: #a50e0e; border: 1px solid #a50e0e;"
            " border-radius: 3px; padding: 2px 6px; font-weight: bold;"
        )
        self.setWordWrap(True)
        self.hide()

    def show_flags(self, flags: Sequence[str]) -> None:
        self.setText(badge_text(flags))
        self.setToolTip(tooltip_text(flags))
        self.setAccessibleName(badge_text(flags))
        self.setVisible(bool(known_flags(flags)))


class FlagDialog(QDialog):
    """Set or clear the flags of the case or of one of its documents."""

    def __init__(
        self,
        case_file: CaseFile,
        selected_document: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Confidentiality")
        self.case_file = case_file
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Applies to:"))
        self.target = QComboBox()
        self.target.setObjectName("flag_target")
        self.target.addItem(f"The case ({case_file.summary.a_number_display})", CASE_TARGET)
        for entry in case_file.documents:
            self.target.addItem(f"Document: {entry.title}", entry.document_id)
        layout.addWidget(self.target)
        self.boxes: dict[Confidentiality, QCheckBox] = {}
        for flag, text in flag_texts().items():
            box = QCheckBox(text.badge)
            box.setObjectName(f"flag_{flag.value}")
            box.setToolTip(text.summary)
            self.boxes[flag] = box
            layout.addWidget(box)
        self.note = QLabel(
            "Saved on this computer and sent at the next sync; the court's audit trail "
            "records who set or cleared each flag."
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        self.target.currentIndexChanged.connect(self._show_target)
        at = self.target.findData(selected_document) if selected_document else 0
        self.target.setCurrentIndex(max(at, 0))
        self._show_target()

    def _flags_of_target(self) -> Sequence[str]:
        target = self.target.currentData()
        if target == CASE_TARGET:
            return self.case_file.summary.confidentiality
        entry = next(d for d in self.case_file.documents if d.document_id == target)
        return entry.confidentiality

    def _show_target(self) -> None:
        now = set(known_flags(self._flags_of_target()))
        for flag, box in self.boxes.items():
            box.setChecked(flag in now)

    def chosen(self) -> tuple[str, list[str]]:
        """(document id, or CASE_TARGET for the case; the flags ticked)."""
        flags = [f.value for f, box in self.boxes.items() if box.isChecked()]
        return str(self.target.currentData()), flags


def _flagged(store: LocalStore, case_id: str, target: str, flags: list[str]) -> WireRecord:
    """The case or document record as it is on this computer, with ``flags``."""
    if target == CASE_TARGET:
        record = store.get("case", case_id)
        if record is None:
            raise LookupError("The case is no longer on this computer.")
        return Case.model_validate(record | {"confidentiality": flags})
    document = store.get("document", target)
    if document is None:
        raise LookupError("The document is no longer on this computer.")
    return Document.model_validate(document | {"confidentiality": flags})


class FlagActions(QObject):
    """The case file's "Confidentiality…" button (judges and clerks) and its dialog;
    ``changed(message)`` fires once a change is saved on this computer."""

    changed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        ctx: DesktopContext,
        case_id: str,
        selected_document: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.selected_document = selected_document
        self.case_file: CaseFile | None = None
        self.dialog: FlagDialog | None = None
        self.button = QPushButton("Confidentiality…")
        self.button.setObjectName("set_confidentiality")
        self.button.setToolTip(
            "Mark the case or a document as asylum information (8 CFR 1208.6), VAWA/T/U "
            "information (8 U.S.C. 1367) or sealed by protective order (8 CFR 1003.46)"
        )
        self.button.setVisible(ctx.role in SETTERS)
        self.button.clicked.connect(self.open_dialog)
        self._parent = parent

    def show_case(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    def open_dialog(self) -> None:
        if self.case_file is None or self.ctx.role not in SETTERS:
            return
        self.dialog = FlagDialog(self.case_file, self.selected_document(), self._parent)
        self.dialog.accepted.connect(self._save)
        self.dialog.open()

    def _save(self) -> None:
        assert self.dialog is not None
        target, flags = self.dialog.chosen()
        what = "the case" if target == CASE_TARGET else "the document"
        said = badge_text(flags) or "Not confidential"
        message = f"{said}: {what} is marked so on this computer and sent at the next sync."

        def save(record: WireRecord) -> None:
            self.ctx.save(
                [record],
                lambda: self.changed.emit(message),
                lambda error: self.failed.emit(f"The flags were not saved: {error}"),
            )

        self.ctx.read(
            lambda store: _flagged(store, self.case_id, target, flags),
            save,
            lambda error: self.failed.emit(f"The flags were not saved: {error}"),
        )
