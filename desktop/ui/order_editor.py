"""The order editor: structured fields made from the template, the text, a live preview of
the PDF as it will be issued, and signing.

Fields come from the template's declarations (a choice list for closed values, a line for
dates, times, amounts and short text); what blocks signing is shown beside the field it
concerns. The preview renders with the same code the server issues with, on a worker
thread, a moment after the last keystroke. Saving and signing go through the local store's
outbox, so they work offline.
"""

from __future__ import annotations

from datetime import UTC, date, tzinfo
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from common.court_time import table_datetime, utc_now
from common.enums import OrderStatus
from common.orders import (
    FieldDef,
    OrderTemplate,
    Problem,
    SigningRefused,
    applies,
    check_order,
    merge_keys,
)
from common.orders import template_for as find_template
from common.wire import Order
from desktop.orders import (
    SigningSummary,
    case_today,
    case_zone,
    correction_of,
    load_order,
    render_preview,
    sign_order,
    signed_records,
    signing_summary,
    start_draft,
    templates_for_case,
)
from desktop.tasks import run_task
from desktop.ui.context import DesktopContext
from desktop.ui.signing_summary import SigningSummaryDialog
from desktop.words import count

ERROR_STYLE = "color: #b3261e;"
PLACEHOLDERS = {"date": "YYYY-MM-DD", "time": "HH:MM", "money": "amount in dollars"}


class FieldEditor:
    """One structured field: its input widget and the message shown beside it."""

    def __init__(self, definition: FieldDef, on_change: Any) -> None:
        self.definition = definition
        self.error = QLabel()
        self.error.setObjectName(f"error_{definition.key}")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.widget: QComboBox | QLineEdit | QPlainTextEdit
        options = definition.options()
        if options:
            combo = QComboBox()
            combo.addItem("—", "")
            for value, label in options:
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(on_change)
            self.widget = combo
        elif definition.kind == "longtext":
            self.widget = QPlainTextEdit()
            self.widget.setFixedHeight(70)
            self.widget.textChanged.connect(on_change)
        else:
            self.widget = QLineEdit()
            self.widget.setPlaceholderText(PLACEHOLDERS.get(definition.kind, ""))
            self.widget.textChanged.connect(on_change)
        self.widget.setObjectName(f"field_{definition.key}")
        self.widget.setToolTip(definition.help)

    def value(self) -> str:
        w = self.widget
        if isinstance(w, QComboBox):
            return str(w.currentData() or "")
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        return w.text().strip()

    def set_value(self, value: object) -> None:
        w = self.widget
        text = "" if value is None else str(value)
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(text)))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(text)
        else:
            w.setText(text)

    def show_problems(self, messages: list[str]) -> None:
        self.error.setText("\n".join(messages))
        self.error.setVisible(bool(messages))


class OrderEditor(QWidget):
    """Edit one order. ``saved(order_id)`` fires after a save, ``signed(order_id)`` after a
    signature is queued; ``preview_ready(pages)`` each time the preview is redrawn."""

    saved = Signal(str)
    signed = Signal(str)
    correction_started = Signal(object)
    preview_ready = Signal(int)

    def __init__(
        self,
        ctx: DesktopContext,
        order: Order,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        preview_delay_ms: int = 350,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.order = order
        self.today = today  # None: today at the case's court
        self.zone: tzinfo = UTC  # the case's court's, once read (times shown on its clock)
        self.summary_dialog: SigningSummaryDialog | None = None
        self.template: OrderTemplate = find_template(order.template, order.template_version)
        self.last_pdf: bytes | None = None
        self.editors: dict[str, FieldEditor] = {}
        self._rendering = False
        self._render_again = False
        self._filling = False  # while fields are greyed or defaulted, not an edit
        self._editable = order.status is OrderStatus.DRAFT
        self.status = QLabel()
        self.status.setObjectName("order_status")
        self.status.setWordWrap(True)
        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.body = QTextEdit()
        self.body.setObjectName("order_body")
        self.body.setAcceptRichText(True)
        self.body.setMarkdown(order.body)
        self.body_error = QLabel()
        self.body_error.setObjectName("error_body")
        self.body_error.setStyleSheet(ERROR_STYLE)
        self.body_error.hide()
        self.pages = QVBoxLayout()
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(preview_delay_ms)
        self.preview_timer.timeout.connect(self.render_preview)
        self._build(order)
        self._set_editable(order.status is OrderStatus.DRAFT)
        self.body.textChanged.connect(self._changed)
        self.refresh_problems()
        self.render_preview()
        ctx.read(lambda store: case_zone(store, order.case_id), self._set_zone)

    def _set_zone(self, zone: tzinfo) -> None:
        self.zone = zone
        if self.order.status is not OrderStatus.DRAFT:
            self._set_editable(False)

    # -- layout -----------------------------------------------------------------------------

    def _build(self, order: Order) -> None:
        form = QFormLayout()
        for definition in self.template.fields:
            editor = FieldEditor(definition, self._changed)
            editor.set_value(order.fields.get(definition.key))
            self.editors[definition.key] = editor
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(editor.widget)
            cell.addWidget(editor.error)
            form.addRow(definition.label + ":", cell)
        fields_box = QWidget()
        fields_box.setLayout(form)
        scroll_fields = QScrollArea()
        scroll_fields.setWidgetResizable(True)
        scroll_fields.setWidget(fields_box)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        title = QLabel(f"<b>{self.template.title}</b> (template {self.template.version})")
        left_layout.addWidget(title)
        left_layout.addWidget(scroll_fields, 3)
        text_bar = QHBoxLayout()
        text_bar.addWidget(QLabel("Text (Ctrl+B bold, Ctrl+I italic):"), 1)
        self.merge_combo = QComboBox()
        self.merge_combo.setObjectName("merge_fields")
        self.merge_combo.setToolTip("Insert a merge field, filled in from the case and fields")
        self.merge_combo.addItem("Insert merge field…", "")
        for key in sorted(merge_keys(self.template)):
            self.merge_combo.addItem(f"{{{key}}}", key)
        self.merge_combo.activated.connect(self._insert_merge_field)
        text_bar.addWidget(self.merge_combo)
        left_layout.addLayout(text_bar)
        left_layout.addWidget(self.body, 2)
        left_layout.addWidget(self.body_error)
        pages_box = QWidget()
        pages_box.setLayout(self.pages)
        self.pages.addStretch(1)
        self.preview = QScrollArea()
        self.preview.setObjectName("preview")
        self.preview.setWidgetResizable(True)
        self.preview.setWidget(pages_box)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setSizes([520, 640])
        QShortcut(QKeySequence.StandardKey.Bold, self.body).activated.connect(self._toggle_bold)
        QShortcut(QKeySequence.StandardKey.Italic, self.body).activated.connect(
            lambda: self.body.setFontItalic(not self.body.fontItalic())
        )
        self.correct_button = QPushButton("Correct with a new order…")
        self.correct_button.setObjectName("correct_order")
        self.correct_button.clicked.connect(self.start_correction)
        self.save_button = QPushButton("Save draft")
        self.save_button.setObjectName("save_draft")
        self.save_button.setToolTip("Save the draft on this computer; it syncs when online")
        self.sign_button = QPushButton("Sign and issue…")
        self.sign_button.setObjectName("sign_order")
        self.save_button.clicked.connect(self.save_draft)
        self.sign_button.clicked.connect(self.sign_and_issue)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save_draft)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self).activated.connect(self.sign_and_issue)
        self.sign_button.setToolTip("Sign as the judge of the case and issue (Ctrl+Shift+S)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _set_editable(self, editable: bool) -> None:
        self._editable = editable
        for editor in self.editors.values():
            editor.widget.setEnabled(editable)
        self._show_applicable()
        self.body.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        is_judge = self.ctx.role == "judge" and self.ctx.user_id == self.order.judge_id
        self.sign_button.setEnabled(editable and is_judge)
        self.correct_button.setVisible(not editable and self.ctx.role in ("judge", "clerk"))
        if not editable:
            signed_at = self.order.signed_at
            when = f" on {table_datetime(signed_at, self.zone)}" if signed_at else ""
            self.status.setText(
                f"{self.order.status.value.capitalize()}{when}. A signed order can't be "
                "changed; correct it with a new order."
            )
        elif not is_judge:
            self.status.setText("Draft. Only the judge of the case can sign it.")
        else:
            self.status.setText("Draft.")

    def _insert_merge_field(self, index: int) -> None:
        key = self.merge_combo.itemData(index)
        if key and not self.body.isReadOnly():
            self.body.insertPlainText(f"{{{key}}}")
        self.merge_combo.setCurrentIndex(0)

    def _toggle_bold(self) -> None:
        bold = self.body.fontWeight() > QFont.Weight.Normal.value
        self.body.setFontWeight(QFont.Weight.Normal if bold else QFont.Weight.Bold)

    def start_correction(self) -> None:
        """A new draft that corrects this signed order (which itself never changes)."""
        order, user, today = self.order, self.ctx.user_id, self.today
        self.ctx.read(
            lambda store: correction_of(store, order, user, today),
            self.correction_started.emit,
            lambda err: self.status.setText(f"No correction started: {err}"),
        )

    # -- state ------------------------------------------------------------------------------

    def _entered(self) -> dict[str, str]:
        return {k: e.value() for k, e in self.editors.items() if e.value() != ""}

    def _show_applicable(self) -> None:
        """Grey out the fields that do not apply to what is chosen (voluntary departure's
        terms while it is not granted); a field that comes into play gets its template
        default (the $3,000 civil penalty of 8 C.F.R. § 1240.26(j)). What a greyed field
        holds stays in its widget, in case the choice is changed back, but is not saved."""
        if self._filling:
            return
        self._filling = True
        try:
            entered = self._entered()
            for key, editor in self.editors.items():
                definition = editor.definition
                in_play = applies(self.template, definition, entered)
                if (
                    in_play
                    and key not in entered
                    and definition.default is not None
                    and not definition.default.startswith("@")
                    and self._editable
                    and not editor.widget.isEnabled()
                ):
                    editor.set_value(definition.default)
                    entered[key] = definition.default
                editor.widget.setEnabled(self._editable and in_play)
        finally:
            self._filling = False

    def current_order(self) -> Order:
        """The order with what is in the editor now (fields that apply only)."""
        entered = self._entered()
        fields = {
            k: v
            for k, v in entered.items()
            if applies(self.template, self.template.field(k), entered)
        }
        body = self.body.toMarkdown().strip()
        return self.order.model_copy(update={"fields": fields, "body": body})

    def problems(self) -> list[Problem]:
        order = self.current_order()
        return check_order(self.template, order.fields, order.body)

    def refresh_problems(self, problems: list[Problem] | None = None) -> list[Problem]:
        """Show what blocks signing beside each field; returns the problems."""
        problems = self.problems() if problems is None else problems
        by_field: dict[str, list[str]] = {}
        for p in problems:
            by_field.setdefault(p.field, []).append(p.message)
        for key, editor in self.editors.items():
            editor.show_problems(by_field.get(key, []))
        body = by_field.get("body", [])
        self.body_error.setText("\n".join(body))
        self.body_error.setVisible(bool(body))
        general = [
            m for k, ms in by_field.items() if k not in self.editors and k != "body" for m in ms
        ]
        self.general_error.setText("\n".join(general))
        self.general_error.setVisible(bool(general))
        return problems

    def _changed(self, *_: object) -> None:
        if self._filling:
            return
        if self.order.status is OrderStatus.DRAFT:
            self._show_applicable()
            self.refresh_problems()
            self.preview_timer.start()

    # -- preview ----------------------------------------------------------------------------

    def render_preview(self) -> None:
        """Render the current text off the GUI thread; one render at a time, the latest
        edit wins."""
        if self._rendering:
            self._render_again = True
            return
        self._rendering = True
        order = self.current_order() if self.order.status is OrderStatus.DRAFT else self.order
        today = self.today
        self.ctx.read(
            lambda store: render_preview(store, order, today),
            self._show_preview,
            self._preview_failed,
        )

    def _show_preview(self, result: tuple[bytes, list[tuple[int, int, bytes]]]) -> None:
        self._rendering = False
        pdf, images = result
        self.last_pdf = pdf
        while self.pages.count() > 1:
            item = self.pages.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for number, (_, _, png) in enumerate(images):
            label = QLabel()
            label.setObjectName(f"preview_page_{number + 1}")
            label.setPixmap(QPixmap.fromImage(QImage.fromData(png)))
            label.setStyleSheet("border: 1px solid #c0c0c0; background: white;")
            self.pages.insertWidget(number, label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.preview_ready.emit(len(images))
        if self._render_again:
            self._render_again = False
            self.render_preview()

    def _preview_failed(self, error: Exception) -> None:
        self._rendering = False
        self.general_error.setText(f"The preview could not be drawn: {error}")
        self.general_error.show()

    # -- actions ----------------------------------------------------------------------------

    def save_draft(self) -> None:
        if self.order.status is not OrderStatus.DRAFT:
            return
        order = self.current_order()
        self.order = order
        self.status.setText("Saving…")
        self.ctx.save(
            [order],
            lambda: self._saved(order.id),
            lambda err: self.status.setText(f"Not saved: {err}. Try again."),
        )

    def _saved(self, order_id: str) -> None:
        pending = "" if self.ctx.session.online else " It will sync when the server is reachable."
        self.status.setText("Draft saved on this computer." + pending)
        self.saved.emit(order_id)

    def sign_and_issue(self) -> None:
        """Check the order, then show what signing does (:class:`SigningSummaryDialog`:
        the disposition, who is served, the date it will bear) and sign only when the judge
        confirms; the server issues it (PDF, eROP document, service on the parties) when
        the signature arrives. Signing is never one click."""
        if self.order.status is not OrderStatus.DRAFT or not self.sign_button.isEnabled():
            return
        if self.summary_dialog is not None and self.summary_dialog.isVisible():
            return  # already asking
        problems = self.refresh_problems()
        if problems:
            self.status.setText(
                f"Not signed: {count(len(problems), 'thing')} to fix, shown beside the fields."
            )
            return
        draft = self.current_order()
        self.status.setText("Preparing the summary…")
        self.ctx.read(
            lambda store: signing_summary(store, draft),
            lambda summary: self._confirm(draft, summary),
            self._sign_failed,
        )

    def _confirm(self, draft: Order, summary: SigningSummary) -> None:
        dialog = SigningSummaryDialog(summary, self)
        self.summary_dialog = dialog
        dialog.accepted.connect(lambda: self._sign(draft, summary))
        dialog.rejected.connect(lambda: self.status.setText("Not signed."))
        dialog.open()

    def _sign(self, draft: Order, summary: SigningSummary) -> None:
        user, role = self.ctx.user_id, self.ctx.role

        def sign_and_save(store: Any) -> Order:
            now = utc_now()
            if case_today(store, draft.case_id, now) != summary.dated:
                # Midnight passed at the court while the summary was open: the judge
                # confirmed another date than the order would bear.
                raise ValueError("the court's date changed while you read the summary; sign again")
            signed = sign_order(store, draft, user, role, now)
            # A bond order's decision goes into its bond record in the same group.
            store.save_together(signed_records(store, signed))
            return signed

        self.status.setText("Signing…")
        run_task(
            lambda: sign_and_save(self.ctx.store),
            self._signed,
            self._sign_failed,
            pool=self.ctx.writer,
        )

    def _signed(self, order: Order) -> None:
        self.order = order
        self.ctx.sync.sync_soon()
        self._set_editable(False)
        self.status.setText(
            "Signed. The order is issued to the record and served on the parties when it "
            "reaches the server" + ("." if self.ctx.session.online else " (now offline).")
        )
        self.render_preview()
        self.signed.emit(order.id)

    def _sign_failed(self, error: Exception) -> None:
        if isinstance(error, SigningRefused):
            self.refresh_problems(error.problems)
            self.status.setText("Not signed: " + str(error))
        else:
            self.status.setText(f"Not signed: {error}. Try again.")


class NewOrderDialog(QDialog):
    """Choose a template for a case; ``chosen_order`` is the new draft after accept."""

    def __init__(
        self,
        ctx: DesktopContext,
        case_id: str,
        case_type: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New order")
        self.ctx = ctx
        self.case_id = case_id
        self.today = today  # None: today at the case's court
        self.chosen_order: Order | None = None
        self.templates = QComboBox()
        self.templates.setObjectName("template_combo")
        for template in templates_for_case(case_type):
            self.templates.addItem(template.title, template.key)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Template:"))
        layout.addWidget(self.templates)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _create(self) -> None:
        key = str(self.templates.currentData())
        user, today = self.ctx.user_id, self.today
        self.ctx.read(
            lambda store: start_draft(store, self.case_id, key, user, today),
            self._made,
            self._failed,
        )

    def _made(self, order: Order) -> None:
        self.chosen_order = order
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.error.setText(str(error))
        self.error.show()


class OrderWindow(QDialog):
    """An :class:`OrderEditor` in its own window."""

    def __init__(
        self,
        ctx: DesktopContext,
        order: Order,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Order")
        self.resize(1200, 820)
        self.editor = OrderEditor(ctx, order, self, today=today)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)


class CaseOrders(QWidget):
    """The case file's order actions: "New order…" and opening an order from the list.
    ``changed`` fires after an order is saved or signed, so the case file reloads."""

    changed = Signal()

    def __init__(self, ctx: DesktopContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.windows: list[OrderWindow] = []
        self.new_button = QPushButton("New order…")
        self.new_button.setObjectName("new_order")
        self.new_button.setToolTip("Draft an order from a template (Ctrl+Shift+O)")
        self.new_button.setVisible(ctx.role in ("judge", "clerk"))
        self.new_button.clicked.connect(self.new_order)
        QShortcut(QKeySequence("Ctrl+Shift+O"), parent or self).activated.connect(self.new_order)
        self.dialog: NewOrderDialog | None = None

    def new_order(self) -> None:
        if self.ctx.role not in ("judge", "clerk"):
            return
        self.ctx.read(lambda store: store.get("case", self.case_id), self._ask_template)

    def _ask_template(self, case: dict[str, Any] | None) -> None:
        if case is None:
            return
        self.dialog = NewOrderDialog(self.ctx, self.case_id, str(case["case_type"]), self)
        self.dialog.accepted.connect(self._start)
        self.dialog.open()

    def _start(self) -> None:
        if self.dialog is not None and self.dialog.chosen_order is not None:
            self.show_order(self.dialog.chosen_order)

    def open_order(self, order_id: str) -> None:
        self.ctx.read(lambda store: load_order(store, order_id), self.show_order)

    def show_order(self, order: Order) -> OrderWindow:
        window = OrderWindow(self.ctx, order, self.window())
        window.editor.saved.connect(lambda _id: self.changed.emit())
        window.editor.signed.connect(lambda _id: self.changed.emit())
        window.editor.correction_started.connect(self.show_order)
        self.windows = [w for w in self.windows if w.isVisible()] + [window]
        window.show()
        return window
