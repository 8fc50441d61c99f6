"""The Board member's workspace (``desktop.board_workspace``): "My appeals", and for the
selected appeal its record, its decision and its history.

Keyboard first: arrows move through the appeals, Enter opens the case file; F6 moves to the
record, where Enter opens a document in the viewer (annotations private or shared with the
panel). Ctrl+Shift+D drafts the decision (the author: the outcome chosen first, the text in
the order editor), Ctrl+Shift+S signs it (a single member), Ctrl+Shift+V votes (a panel
member: join, concur or dissent, with an optional opinion), Ctrl+H shows the case's history.
Only the assigned members see the sign and vote actions enabled; a signature or a vote is
saved through the outbox, offline too, and the server issues the decision.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from common.appeals import BOARD_TIMEZONE
from common.court_time import table_date, table_datetime, utc_now
from common.enums import BoardDecisionStatus, BoardOutcome, BoardVoteChoice, OrderStatus
from common.wire import BoardDecision, BoardVote, Order, WireRecord
from desktop.board_workspace import (
    OUTCOME_WORDS,
    VOTE_WORDS,
    AppealAssignment,
    BoardRefused,
    Material,
    VoteRow,
    board_today,
    cast_vote,
    decision_order,
    draft_decision,
    draft_text,
    load_decision,
    materials,
    may_sign,
    my_appeals,
    outcome_change,
    outcomes_offered,
    sign_single,
    signature_records,
    vote_rows,
    waiting_for,
)
from desktop.local_store import LocalStore
from desktop.orders import case_zone
from desktop.ui.case_history import CaseHistoryPanel
from desktop.ui.context import DesktopContext
from desktop.ui.order_editor import OrderWindow
from desktop.ui.record_table import Column, RecordTableModel, RecordTableView

APPEAL_COLUMNS: tuple[Column[AppealAssignment], ...] = (
    Column("Assigned", lambda r: r.decision.assigned_on),
    Column("A-number", lambda r: r.a_number),
    Column("Respondent", lambda r: r.respondent),
    Column("Immigration court", lambda r: r.court),
    Column("Bench", lambda r: r.bench),
    Column("Briefing", lambda r: r.briefing),
    Column("Status", lambda r: r.status),
    Column("Outcome", lambda r: r.outcome),
    Column("Votes", lambda r: r.votes if r.decision.panel else "—"),
)
MATERIAL_COLUMNS: tuple[Column[Material], ...] = (
    Column("Part", lambda m: m.part),
    Column("Title", lambda m: m.title),
    Column("Filed", lambda m: m.filed_on),
)


class BoardWorkspaceView(QWidget):
    """``open_case(case_id)`` and ``open_document(document_id)`` ask the main window."""

    open_case = Signal(str)
    open_document = Signal(str)
    loaded = Signal()

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: AppealAssignment | None = None
        self._rows_asked = 0  # the latest refresh's number (see refresh)
        self._details_asked = 0  # the latest selection's read of its details
        self.order_window: OrderWindow | None = None
        self.vote_dialog: VoteDialog | None = None
        self.sign_dialog: SignDecisionDialog | None = None
        self.history: CaseHistoryPanel | None = None
        self.appeals_model = RecordTableModel(APPEAL_COLUMNS)
        self.appeals = RecordTableView(self.appeals_model)
        self.appeals.setObjectName("my_appeals")
        self.appeals.row_activated.connect(lambda row: self.open_case.emit(row.case_id))
        self.appeals.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.materials_model = RecordTableModel(MATERIAL_COLUMNS)
        self.materials = RecordTableView(self.materials_model)
        self.materials.setObjectName("board_materials")
        self.materials.row_activated.connect(lambda m: self.open_document.emit(m.document_id))
        self.heading = QLabel("Select an appeal.")
        self.heading.setObjectName("workspace_heading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.message = QLabel()
        self.message.setObjectName("workspace_message")
        self.message.setWordWrap(True)
        self.outcome = QComboBox()
        self.outcome.setObjectName("board_outcome")
        self.decision_state = QLabel()
        self.decision_state.setObjectName("decision_state")
        self.decision_state.setWordWrap(True)
        self.votes_model = RecordTableModel[VoteRow](
            (
                Column("Member", lambda v: v.member),
                Column("Vote", lambda v: v.vote),
                Column("Signed", lambda v: table_datetime(v.signed_at, BOARD_TIMEZONE)),
                Column("Separate opinion", lambda v: v.opinion or "—"),
            )
        )
        self.votes = RecordTableView(self.votes_model)
        self.votes.setObjectName("board_votes")
        self.draft_view = QPlainTextEdit()  # the draft as the panel reads it before voting
        self.draft_view.setObjectName("board_draft")
        self.draft_view.setReadOnly(True)
        self.draft_view.setTabChangesFocus(True)
        self.draft_action = self._action("&Draft the decision…", "Ctrl+Shift+D", self.draft)
        self.sign_action = self._action("&Sign the decision…", "Ctrl+Shift+S", self.sign)
        self.vote_action = self._action("&Vote…", "Ctrl+Shift+V", self.vote)
        self.history_action = self._action("Case &history", "Ctrl+H", self.show_history)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.materials, "Record")
        self.tabs.addTab(self._decision_page(), "Decision")
        self.history_box = QWidget()
        QVBoxLayout(self.history_box)
        self.tabs.addTab(self.history_box, "History")
        self.tabs.currentChanged.connect(self._tab_changed)
        self._layout()
        self._enable()
        ctx.sync.synced.connect(lambda _report: self.refresh())
        self.refresh()

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction, name: str) -> QPushButton:
        button = QPushButton(action.text().replace("&", "") + f" ({action.shortcut().toString()})")
        button.setObjectName(name)
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        button.setEnabled(action.isEnabled())
        return button

    def _decision_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        form.addRow("&Outcome (template):", self.outcome)
        buttons = QHBoxLayout()
        buttons.addWidget(self._button(self.draft_action, "draft_decision"))
        buttons.addWidget(self._button(self.sign_action, "sign_decision"))
        buttons.addWidget(self._button(self.vote_action, "vote_decision"))
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.decision_state)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("The draft:"))
        layout.addWidget(self.draft_view, 2)
        layout.addWidget(QLabel("Votes so far:"))
        layout.addWidget(self.votes, 1)
        return page

    def _layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("My appeals")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        left_layout.addWidget(title)
        left_layout.addWidget(QLabel("Enter: open the case · F6: the record · Ctrl+H: history"))
        left_layout.addWidget(self.appeals, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([640, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        to_record = QAction(self)
        to_record.setShortcut(QKeySequence(Qt.Key.Key_F6))
        to_record.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        to_record.triggered.connect(self._to_record)
        self.addAction(to_record)

    def _to_record(self) -> None:
        self.tabs.setCurrentWidget(self.materials)
        self.materials.setFocus()

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        # Reads run on a pool of threads and may answer out of order: each answer carries
        # the number of its request, and only the latest request's answer is shown (an
        # older one, read before a draft was saved, would otherwise undo what it shows).
        user = self.ctx.user_id
        self._rows_asked += 1
        asked = self._rows_asked
        self.ctx.read(lambda store: (asked, my_appeals(store, user)), self._show)

    def _show(self, answer: tuple[int, list[AppealAssignment]]) -> None:
        asked, rows = answer
        if asked != self._rows_asked:
            return  # a later refresh is on its way
        keep = self.current.decision.id if self.current else None
        self.appeals_model.set_rows(rows)
        index = next(
            (i for i, r in enumerate(self.appeals_model.rows) if r.decision.id == keep),
            0 if rows else -1,
        )
        if index >= 0:
            self.appeals.selectRow(index)
        self._selected()
        if not rows:
            self.message.setText("No appeal is assigned to you.")
        self.loaded.emit()

    def rows(self) -> list[AppealAssignment]:
        return self.appeals_model.rows

    def _selected(self) -> None:
        row = self.appeals_model.row(self.appeals.currentIndex())
        self.current = row
        self._details_asked += 1  # any read for the selection before is now stale
        if row is None:
            self.heading.setText("Select an appeal.")
            self.materials_model.set_rows([])
            self.votes_model.set_rows([])
            self._enable()
            return
        self.heading.setText(
            f"{row.respondent} · {row.a_number} · {row.court} — {row.bench.lower()}, "
            f"you are {row.role_of(self.ctx.user_id).lower()}"
        )
        self.outcome.clear()
        for outcome in outcomes_offered(row.decision):
            self.outcome.addItem(OUTCOME_WORDS[outcome], outcome.value)
        if row.decision.outcome is not None:
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(row.decision.outcome.value)))
        decision, me = row.decision, self.ctx.user_id
        asked = self._details_asked
        self.ctx.read(
            lambda store: (
                asked,
                (
                    materials(store, decision),
                    vote_rows(store, decision),
                    waiting_for(store, decision, me),
                    decision_order(store, decision),
                    draft_text(store, decision),
                ),
            ),
            self._show_details,
        )
        if self.history is not None and self.history.case_id != decision.case_id:
            self._drop_history()
        self._enable()

    def _show_details(
        self,
        answer: tuple[int, tuple[list[Material], list[VoteRow], list[str], Order | None, str]],
    ) -> None:
        asked, (papers, votes, waiting, order, text) = answer
        if asked != self._details_asked:
            return  # read for an earlier selection or before a change: a later read follows
        self.draft_view.setPlainText(text or "Not drafted yet.")
        self.materials_model.set_rows(papers)
        self.votes_model.set_rows(votes)
        row = self.current
        if row is None:
            return
        decision = row.decision
        if decision.status is BoardDecisionStatus.ISSUED:
            state = (
                f"Issued on {table_date(decision.issued_on)}." if decision.issued_on else "Issued."
            )
        elif order is None:
            state = "Not drafted yet."
        elif order.status is OrderStatus.DRAFT:
            state = (
                "Drafted; waiting for "
                + (", ".join(waiting) if decision.panel else "the member's signature")
                + "."
            )
        else:
            state = "Signed; it issues when it reaches the server."
        if decision.panel and decision.status is not BoardDecisionStatus.ISSUED and order:
            state += f" {len(votes)} of 3 votes; the decision issues when two have joined it."
        self.decision_state.setText(state)
        self._enable(order)

    def _enable(self, order: Order | None = None) -> None:
        row = self.current
        decision = row.decision if row else None
        mine = decision is not None and may_sign(decision, self.ctx.user_id)
        open_ = decision is not None and decision.status is not BoardDecisionStatus.ISSUED
        drafted = order is not None and order.status is OrderStatus.DRAFT
        author = decision is not None and decision.author_id == self.ctx.user_id
        self.draft_action.setEnabled(bool(open_ and author and (order is None or drafted)))
        self.outcome.setEnabled(self.draft_action.isEnabled())
        self.sign_action.setEnabled(
            bool(open_ and mine and decision and not decision.panel and drafted)
        )
        voted = any(v.member_id == self.ctx.user_id for v in self.votes_model.rows)
        self.vote_action.setEnabled(
            bool(open_ and mine and decision and decision.panel and drafted and not voted)
        )
        self.history_action.setEnabled(decision is not None)

    # -- history ----------------------------------------------------------------------------

    def _drop_history(self) -> None:
        if self.history is not None:
            self.history.setParent(None)
            self.history.deleteLater()
            self.history = None

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.history_box:
            self.show_history()

    def show_history(self) -> None:
        row = self.current
        if row is None:
            return
        if self.history is None:
            self.history = CaseHistoryPanel(self.ctx, row.case_id)
            layout = self.history_box.layout()
            assert layout is not None
            layout.addWidget(self.history)
            case_id = row.case_id
            self.ctx.read(lambda store: case_zone(store, case_id), self.history.set_zone)
        self.tabs.setCurrentWidget(self.history_box)
        if not self.history.loaded_once:
            self.history.load()

    # -- the decision ------------------------------------------------------------------------

    def chosen_outcome(self) -> BoardOutcome:
        return BoardOutcome(str(self.outcome.currentData()))

    def draft(self) -> None:
        row = self.current
        if row is None or not self.draft_action.isEnabled():
            return
        user, outcome, decision_id = self.ctx.user_id, self.chosen_outcome(), row.decision.id

        def make(store: LocalStore) -> tuple[Order, BoardDecision]:
            return draft_decision(store, load_decision(store, decision_id), user, outcome)

        self.ctx.read(make, self._drafted, self._refused)

    def _drafted(self, made: tuple[Order, BoardDecision]) -> None:
        order, decision = made
        self.tabs.setCurrentIndex(1)
        self.ctx.save(
            [order, decision],  # the order first: the decision names it
            on_done=lambda: self._open_editor(order, decision),
            on_error=self._refused,
        )

    def _open_editor(self, order: Order, decision: BoardDecision) -> None:
        self.message.setText(
            f"Draft saved: {OUTCOME_WORDS[decision.outcome or BoardOutcome.DISMISSED]}. "
            "Edit the text, save (Ctrl+S) and close; then sign or call for votes."
        )
        self.refresh()
        window = OrderWindow(self.ctx, order, self.window(), today=board_today())
        window.setWindowTitle("Board decision — draft")
        editor = window.editor
        # The Board signs here (a single member) or by votes, not in the editor.
        editor.sign_button.hide()
        editor.correct_button.hide()
        editor.status.setText("Draft. Save it here; sign or vote in the workspace.")
        editor.saved.connect(lambda _id: self._draft_saved(decision.id))
        self.order_window = window
        window.show()

    def _draft_saved(self, decision_id: str) -> None:
        def records(store: LocalStore) -> list[WireRecord]:
            decision = load_decision(store, decision_id)
            order = decision_order(store, decision)
            changed = None if order is None else outcome_change(decision, order)
            return [] if changed is None else [changed]

        self.ctx.read(records, self._save_outcome, self._refused)

    def _save_outcome(self, records: list[WireRecord]) -> None:
        if records:
            self.ctx.save(records, on_done=self.refresh, on_error=self._refused)
        else:
            self.refresh()

    def sign(self) -> None:
        row = self.current
        if row is None or not self.sign_action.isEnabled():
            return
        dialog = SignDecisionDialog(row, self)
        self.sign_dialog = dialog
        dialog.accepted.connect(lambda: self._sign(row.decision.id))
        dialog.open()

    def _sign(self, decision_id: str) -> None:
        user = self.ctx.user_id

        def make(store: LocalStore) -> list[WireRecord]:
            decision = load_decision(store, decision_id)
            return signature_records(decision, sign_single(store, decision, user, utc_now()))

        self.ctx.read(make, self._save_signed, self._refused)

    def _save_signed(self, records: list[WireRecord]) -> None:
        def done() -> None:
            self.message.setText(
                "Signed. The decision issues and is served when it reaches the server"
                + ("." if self.ctx.session.online else " (now offline).")
            )
            self.refresh()

        self.ctx.save(records, on_done=done, on_error=self._refused)

    def vote(self) -> None:
        row = self.current
        if row is None or not self.vote_action.isEnabled():
            return
        dialog = VoteDialog(row, self)
        self.vote_dialog = dialog
        dialog.accepted.connect(lambda: self._vote(row.decision.id, dialog))
        dialog.open()

    def _vote(self, decision_id: str, dialog: VoteDialog) -> None:
        user, choice, opinion = self.ctx.user_id, dialog.choice(), dialog.opinion.toPlainText()

        def make(store: LocalStore) -> BoardVote:
            decision = load_decision(store, decision_id)
            return cast_vote(store, decision, user, choice, opinion, utc_now())

        def save(vote: BoardVote) -> None:
            self.ctx.save(
                [vote],
                on_done=lambda: self._voted(choice),
                on_error=self._refused,
            )

        self.ctx.read(make, save, self._refused)

    def _voted(self, choice: BoardVoteChoice) -> None:
        self.message.setText(
            f"Your vote is signed ({VOTE_WORDS[choice].lower()}); it reaches the panel "
            "when it syncs" + ("." if self.ctx.session.online else " (now offline).")
        )
        self.refresh()

    def _refused(self, err: Exception) -> None:
        self.message.setText(str(err) if isinstance(err, BoardRefused) else f"Not saved: {err}")


class SignDecisionDialog(QDialog):
    """The single member's confirmation: the outcome, and that a signature issues it.
    Cancel is the default, so Enter alone never signs."""

    def __init__(self, row: AppealAssignment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Sign the Board's decision — {row.respondent}")
        text = QLabel(
            f"<b>{row.outcome}</b> — {row.respondent}, {row.a_number}.<br>"
            "Once signed, the decision is issued and served on the parties when it reaches "
            "the server, and it can't be changed."
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.addButton("&Sign", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setObjectName("confirm_board_sign")
        self.sign_button.setAutoDefault(False)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)


class VoteDialog(QDialog):
    """A panel member's vote (join, concur, dissent) and an optional separate opinion;
    accepting signs the vote."""

    def __init__(self, row: AppealAssignment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Vote on the panel's decision — {row.respondent}")
        self.vote = QComboBox()
        self.vote.setObjectName("vote_choice")
        for choice in BoardVoteChoice:
            self.vote.addItem(VOTE_WORDS[choice], choice.value)
        self.opinion = QPlainTextEdit()
        self.opinion.setObjectName("vote_opinion")
        self.opinion.setPlaceholderText("Optional: a separate concurring or dissenting opinion")
        self.opinion.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.addButton(
            "&Sign my vote", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setObjectName("confirm_vote")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"The draft decision: <b>{row.outcome}</b>"))
        form.addRow("&Vote", self.vote)
        form.addRow("&Opinion", self.opinion)
        form.addRow(buttons)

    def choice(self) -> BoardVoteChoice:
        return BoardVoteChoice(str(self.vote.currentData()))
