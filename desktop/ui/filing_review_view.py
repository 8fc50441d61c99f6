"""The clerk's filing review queue: pending filings oldest first, the selected one's form
and documents beside them, and Accept / Reject… to decide.

Decisions are made by :mod:`desktop.clerk_actions` and saved, filing and documents (and a
new representation for an EOIR-28/27) together, through ``ctx.save``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from common.court_time import table_datetime, utc_now
from common.enums import FilingStatus
from desktop.clerk_actions import (
    RejectionReason,
    Review,
    accept_filing,
    reject_filing,
    rejection_reasons,
)
from desktop.conflicts import field_label, format_value
from desktop.filing_queue import (
    FilingRow,
    load_filing_rows,
    review_unsent,
    save_review,
    withdraw_review,
)
from desktop.tasks import run_task
from desktop.ui.context import DesktopContext
from desktop.ui.filing_review_models import (
    ROW_ROLE,
    SORT_ROLE,
    DocumentTableModel,
    FilingTableModel,
)
from desktop.words import count

# After a decision the next sync waits this long, so that "Undo" has a moment to be used
# before the decision leaves (any other edit or "Sync now" sends it sooner).
UNDO_GRACE_MS = 8000


@dataclass(frozen=True)
class _Decision:
    """The last decision made here, while it can still be undone."""

    row: FilingRow
    verb: str
    mutation_ids: list[str]


class RejectFilingDialog(QDialog):
    """Asks for the reason, from the court's catalogue; OK stays disabled until one is
    chosen. The filer sees the reason's text."""

    def __init__(self, row: FilingRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reject filing")
        self.reasons = rejection_reasons()
        intro = QLabel(
            f"Reject the {row.kind_label} filing of {escape(row.filer)}<br>"
            f"in <b>{escape(row.respondent)}</b> ({row.a_number})?"
        )
        self.reason_combo = QComboBox()
        self.reason_combo.setPlaceholderText("Choose a reason…")
        self.reason_combo.setMinimumContentsLength(48)
        for reason in self.reasons:
            self.reason_combo.addItem(reason.text, reason.code)
            self.reason_combo.setItemData(
                self.reason_combo.count() - 1, reason.text, Qt.ItemDataRole.ToolTipRole
            )
        self.reason_combo.setCurrentIndex(-1)
        self.preview = QLabel("The filer will see the reason you choose.")
        self.preview.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Reject filing")
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason_combo.currentIndexChanged.connect(self._on_reason)
        form = QFormLayout()
        form.addRow("&Reason:", self.reason_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)

    def _on_reason(self, index: int) -> None:
        self.ok_button.setEnabled(index >= 0)
        if index >= 0:
            self.preview.setText(f"The filer will see: “{self.reasons[index].text}”")

    def reason(self) -> RejectionReason | None:
        index = self.reason_combo.currentIndex()
        return self.reasons[index] if index >= 0 else None


class FilingDetail(QWidget):
    """The selected filing: who filed what in which case, its form and its documents."""

    open_document = Signal(str)
    open_case = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: FilingRow | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold")
        self.title.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #b71c1c; font-weight: bold")
        self.form_box = QGroupBox("Form")
        self.form_view = QTextBrowser()  # wraps long answers and scrolls a long form
        self.form_view.setOpenLinks(False)
        self.form_view.setFrameShape(QTextBrowser.Shape.NoFrame)
        QVBoxLayout(self.form_box).addWidget(self.form_view)
        self.documents = DocumentTableModel(self)
        self.doc_table = QTableView()
        self.doc_table.setModel(self.documents)
        _plain_table(self.doc_table)
        self.doc_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.doc_table.activated.connect(lambda _: self.open_selected_document())
        self.open_document_button = QPushButton("&Open document")
        self.open_document_button.setToolTip("Open the selected document (Return)")
        self.open_document_button.clicked.connect(self.open_selected_document)
        self.open_case_button = QPushButton("Open &case")
        self.open_case_button.clicked.connect(
            lambda: (
                self.row
                and self.row.filing.case_id
                and self.open_case.emit(self.row.filing.case_id)
            )
        )
        docs_box = self.docs_box = QGroupBox("Documents")
        docs_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        docs_layout = QVBoxLayout(docs_box)
        docs_layout.addWidget(self.doc_table)
        doc_buttons = QHBoxLayout()
        doc_buttons.addWidget(self.open_document_button)
        doc_buttons.addWidget(self.open_case_button)
        doc_buttons.addStretch()
        docs_layout.addLayout(doc_buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.meta, self.reason):
            layout.addWidget(widget)
        layout.addWidget(self.form_box, 1)
        layout.addWidget(docs_box)
        layout.addStretch()  # takes the room when there is no form
        self.show_row(None, "Select a filing to review it.")

    def show_row(self, row: FilingRow | None, empty_text: str = "") -> None:
        self.row = row
        has_form = bool(row and row.filing.form)
        self.form_box.setVisible(has_form)
        self.docs_box.setVisible(row is not None)
        if row is None:
            self.title.setText(empty_text)
            self.meta.clear()
            self.reason.hide()
            self.documents.set_documents([], None)
            return
        filing = row.filing
        self.title.setText(f"{row.kind_label} — {row.respondent} ({row.a_number})")
        status = {
            FilingStatus.PENDING: "waiting for review",
            FilingStatus.ACCEPTED: "accepted",
            FilingStatus.REJECTED: "rejected",
        }
        self.meta.setText(
            f"Filed by {row.filer} on {table_datetime(row.submitted_at, row.submitted_at.tzinfo)}; "
            f"{status[filing.status]}."
        )
        self.reason.setVisible(filing.status is FilingStatus.REJECTED)
        self.reason.setText(f"Rejected: {filing.rejection_reason or '(no reason given)'}")
        self.form_box.setTitle(f"Form {row.kind_label}")
        self.form_view.setHtml(_form_html(filing.form))
        self.documents.set_documents(row.documents, filing.lead_document_id)
        self.doc_table.resizeColumnsToContents()
        self.doc_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if row.documents:
            self.doc_table.selectRow(0)
        shown = min(len(row.documents), 8)  # the list is as tall as it needs, up to 8 rows
        self.doc_table.setFixedHeight(
            self.doc_table.horizontalHeader().sizeHint().height()
            + shown * self.doc_table.verticalHeader().defaultSectionSize()
            + 2 * self.doc_table.frameWidth()
        )
        self.open_document_button.setEnabled(bool(row.documents))
        self.open_case_button.setEnabled(filing.case_id is not None)

    def open_selected_document(self) -> None:
        current = self.doc_table.currentIndex()
        doc = self.documents.document(current.row() if current.isValid() else 0)
        if doc is not None:
            self.open_document.emit(doc.id)


def _lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _form_html(form: dict[str, Any]) -> str:
    """The filer's answers as a two-column table; every value is escaped (filers type it)."""
    cells = "".join(
        f"<tr><td style='padding: 2px 12px 2px 0; color: #424242'>"
        f"{escape(field_label(str(key)))}</td>"
        f"<td style='padding: 2px 0'>{_lines(format_value(value))}</td></tr>"
        for key, value in form.items()
    )
    return f"<table>{cells}</table>"


def _plain_table(table: QTableView) -> None:
    table.setTabKeyNavigation(False)  # Tab leaves the table for the next field
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)


class FilingReviewView(QWidget):
    """The review queue. Clerks accept or reject; others see it read-only."""

    open_case = Signal(str)
    open_document = Signal(str)

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # The court's clerk reviews the court's filings, the Board's clerk the Board's.
        self.can_review = ctx.role in ("clerk", "board_clerk")
        self.reject_dialog: RejectFilingDialog | None = None
        self._busy: set[str] = set()
        self._generation = 0
        self.last_decision: _Decision | None = None
        self.model = FilingTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        _plain_table(self.table)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # oldest first
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_current())
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold")
        self.show_reviewed = QCheckBox("Show re&viewed")
        self.show_reviewed.setToolTip("Also list accepted and rejected filings, with reasons")
        self.show_reviewed.toggled.connect(lambda _: self.refresh())
        self.detail = FilingDetail()
        self.detail.open_case.connect(self.open_case)
        self.detail.open_document.connect(self.open_document)
        self.table.activated.connect(lambda _: self.detail.open_selected_document())
        self.accept_button = QPushButton("&Accept")
        self.accept_button.clicked.connect(self.accept_selected)
        self.reject_button = QPushButton("&Reject…")
        self.reject_button.clicked.connect(self.reject_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.clicked.connect(self.undo_last)
        self.undo_button.hide()
        ctx.sync.status_changed.connect(self._on_sync_status)
        ctx.sync.synced.connect(self._on_synced)
        self.read_only_note = QLabel("Read only: filings are reviewed by the court's clerks.")
        self.read_only_note.setStyleSheet("color: #5d4037")
        self.read_only_note.setVisible(not self.can_review)
        self._shortcuts()
        self._layout()
        self._update_buttons()
        self.refresh()

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept_selected, context)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo_last, context)
        self.accept_shortcut = QKeySequence("Ctrl+Return").toString(
            QKeySequence.SequenceFormat.NativeText
        )

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.summary)
        top.addStretch()
        top.addWidget(self.show_reviewed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        said = QHBoxLayout()
        said.addWidget(self.message, 1)
        said.addWidget(self.undo_button)
        right_layout.addLayout(said)
        right_layout.addWidget(self.read_only_note)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.accept_button)
        right_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([880, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # -- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the queue from the local store; the selected filing stays selected."""
        self._generation += 1
        generation, reviewed = self._generation, self.show_reviewed.isChecked()
        self.ctx.read(
            lambda store: load_filing_rows(store, reviewed, self.ctx.user_id),
            lambda rows: self._show_rows(generation, rows),
            lambda err: self._show_error(f"Could not read the filings: {err}"),
            parent=self,
        )

    def _show_rows(self, generation: int, rows: list[FilingRow]) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way (a closed view gets no answer: parent=self)
        selected = self.current_row()
        self.model.set_rows(rows)
        reviewed = self.show_reviewed.isChecked()
        columns = FilingTableModel
        self.table.setColumnHidden(columns.STATUS, not reviewed)
        self.table.setColumnHidden(columns.REASON, not reviewed)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, widest in ((columns.CASE, 240), (columns.LEAD, 180), (columns.REASON, 240)):
            if not self.table.isColumnHidden(column):
                header.resizeSection(column, min(header.sectionSize(column), widest))
        waiting = sum(r.pending for r in rows)
        text = (
            f"{count(waiting, 'filing')} waiting for review"
            if waiting
            else "No filings waiting for review"
        )
        if reviewed:
            text += f", {len(rows) - waiting} reviewed"
        self.summary.setText(text)
        self._select(selected.filing_id if selected else None, 0)

    def _select(self, filing_id: str | None, fallback_row: int) -> None:
        target = -1
        for number in range(self.proxy.rowCount()):
            row = self.proxy.index(number, 0).data(ROW_ROLE)
            if row.filing_id == filing_id:
                target = number
        if target < 0 and self.proxy.rowCount():
            target = min(fallback_row, self.proxy.rowCount() - 1)
        if target >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(target, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._on_current()

    def current_row(self) -> FilingRow | None:
        index = self.table.selectionModel().currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, FilingRow) else None

    def _on_current(self) -> None:
        empty = (
            "No filings are waiting for review."
            if not self.proxy.rowCount()
            else "Select a filing to review it."
        )
        self.detail.show_row(self.current_row(), empty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current_row()
        if not self.can_review:
            why = (
                f"Only clerks review filings; you are signed in as "
                f"{self.ctx.role.replace('_', ' ')}."
            )
            for button in (self.accept_button, self.reject_button):
                button.setEnabled(False)
                button.setToolTip(why)
            return
        ready = row is not None and row.pending and row.filing_id not in self._busy
        self.accept_button.setEnabled(ready)
        self.reject_button.setEnabled(ready)
        self.accept_button.setToolTip(
            f"Accept the filing; its documents join the record ({self.accept_shortcut})"
        )
        self.reject_button.setToolTip("Reject the filing with a reason from the catalogue")

    # -- deciding ---------------------------------------------------------------------------

    def _reviewable(self) -> FilingRow | None:
        row = self.current_row()
        if not self.can_review or row is None or not row.pending or row.filing_id in self._busy:
            return None
        return row

    def accept_selected(self) -> None:
        row = self._reviewable()
        if row is not None:
            review = accept_filing(
                row.filing,
                row.documents,
                self.ctx.user_id,
                utc_now(),
                row.representation,
                zone=row.submitted_at.tzinfo,  # the row holds it on the court's clock
            )
            self._save(row, review, "Accepted")

    def reject_selected(self) -> None:
        """Ask for a reason (window-modal, without blocking), then reject."""
        row = self._reviewable()
        if row is None:
            return
        dialog = RejectFilingDialog(row, self)
        self.reject_dialog = dialog

        def chosen() -> None:
            reason = dialog.reason()
            if reason is not None:
                review = reject_filing(
                    row.filing, row.documents, self.ctx.user_id, utc_now(), reason
                )
                self._save(row, review, "Rejected")

        dialog.accepted.connect(chosen)
        dialog.finished.connect(lambda _: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: RejectFilingDialog) -> None:
        if self.reject_dialog is dialog:
            self.reject_dialog = None
        dialog.deleteLater()

    def _save(self, row: FilingRow, review: Review, verb: str) -> None:
        records: list[Any] = [review.filing, *review.documents]
        if review.representation is not None:
            records.append(review.representation)
        self._busy.add(row.filing_id)
        self._update_buttons()
        self._forget_decision()

        def saved(ids: list[str]) -> None:
            self.ctx.sync.sync_soon(UNDO_GRACE_MS)
            self._saved(row, verb, ids)

        run_task(
            lambda: save_review(self.ctx.store, records),
            saved,
            lambda err: self._save_failed(row, err),
            pool=self.ctx.writer,
            parent=self,
        )

    def _saved(self, row: FilingRow, verb: str, mutation_ids: list[str]) -> None:
        self._busy.discard(row.filing_id)
        self.last_decision = _Decision(row, verb, mutation_ids)
        self.message.setStyleSheet("color: #2e7d32")
        self.message.setText(
            f"{verb} the {row.kind_label} filing of {row.filer} in {row.respondent}. "
            f"Undo ({self._undo_keys()}) until it is sent with the next sync."
        )
        self.undo_button.setToolTip(f"Take the decision back ({self._undo_keys()})")
        self.undo_button.show()
        if not self.show_reviewed.isChecked():
            place = self.table.selectionModel().currentIndex().row()
            self.model.remove(row.filing_id)
            self._select(None, max(place, 0))  # on to the next filing
        self.refresh()

    # -- undo -------------------------------------------------------------------------------

    @staticmethod
    def _undo_keys() -> str:
        return QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )

    def _forget_decision(self) -> None:
        self.last_decision = None
        self.undo_button.hide()

    def undo_last(self) -> None:
        """Take the last decision back, if the server cannot have it yet."""
        decision = self.last_decision
        if decision is None or not self.can_review:
            return
        self.undo_button.setEnabled(False)
        run_task(
            lambda: withdraw_review(self.ctx.store, decision.mutation_ids),
            lambda undone: self._undone(decision, undone),
            lambda err: self._show_error(f"Could not undo: {err}"),
            pool=self.ctx.writer,
            parent=self,
        )

    def _undone(self, decision: _Decision, undone: bool) -> None:
        self.undo_button.setEnabled(True)
        if self.last_decision is not decision:
            return
        if not undone:
            self._decision_sent(decision)
            return
        self._forget_decision()
        self.ctx.sync.refresh_counts()
        row = decision.row
        self.message.setStyleSheet("color: #2e7d32")
        self.message.setText(
            f"Undone: the {row.kind_label} filing of {row.filer} in {row.respondent} "
            "is waiting for review again; nothing will be sent."
        )
        self._generation += 1
        generation, reviewed = self._generation, self.show_reviewed.isChecked()

        def shown(rows: list[FilingRow]) -> None:
            self._show_rows(generation, rows)
            self._select(row.filing_id, 0)

        self.ctx.read(
            lambda store: load_filing_rows(store, reviewed, self.ctx.user_id),
            shown,
            lambda err: self._show_error(f"Could not read the filings: {err}"),
            parent=self,
        )

    def _decision_sent(self, decision: _Decision) -> None:
        """Undo is no longer offered, and the message says why."""
        if self.last_decision is not decision:
            return
        self._forget_decision()
        row = decision.row
        self.message.setStyleSheet("color: #5d4037")
        self.message.setText(
            f"{decision.verb} the {row.kind_label} filing of {row.filer} in {row.respondent}. "
            "It has been sent to the server, so it can no longer be undone here."
        )

    def _on_sync_status(self, _status: object) -> None:
        decision = self.last_decision
        if decision is None:
            return
        self.ctx.read(
            lambda store: review_unsent(store, decision.mutation_ids),
            lambda unsent: None if unsent else self._decision_sent(decision),
            parent=self,
        )

    def _on_synced(self, _report: object) -> None:
        if self.show_reviewed.isChecked():
            self.refresh()  # "waiting to send" becomes "sent"

    def _save_failed(self, row: FilingRow, err: Exception) -> None:
        self._busy.discard(row.filing_id)
        self._show_error(f"Could not save the review: {err}")
        self._update_buttons()

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b71c1c")
        self.message.setText(text)
