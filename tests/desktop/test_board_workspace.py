"""The Board's adjudication in the desktop client, by keyboard, against the real server:
the Board clerk assigns a docketed appeal (Ctrl+G), a single member drafts and signs offline
into the outbox, a panel of three votes 2-1 to remand, and the case is back on the
immigration judge's dashboard as "Remanded by the Board". Each desktop's outbox is pushed to
the server as the sync engine pushes it, and the next desktop reads what the server holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from common.enums import BoardOutcome
from common.protocol import Change, MutationResult
from common.wire import Appeal, BoardDecision
from desktop.board_workspace import BoardRefused, assign, sign_single
from desktop.local_store import LocalStore
from desktop.ui.board_assign_dialog import AssignDialog
from desktop.ui.board_view import BoardView
from desktop.ui.board_workspace_view import BoardWorkspaceView, SignDecisionDialog, VoteDialog
from desktop.ui.dashboard_view import DashboardView
from tests.conftest import Api, user_id
from tests.server.sync_helpers import TokenBook, applied, document_data, stored
from tests.server.test_board_appeals import appeal_data, decided_case, docketed

Context = Callable[[str], Any]


def sync(api: Api, tokens: TokenBook, username: str, store: LocalStore) -> list[dict[str, Any]]:
    """What the sync engine does for ``store``: push the outbox until it is empty (in
    order, groups kept, one entry per record in flight) recording each answer, then pull
    what changed. Returns the push results."""
    results: list[dict[str, Any]] = []
    while entries := store.pending():
        store.mark_sending(entries)
        answers = api.push(tokens[username], *[e.as_mutation() for e in entries])
        store.acknowledge(entries, [MutationResult.model_validate(r) for r in answers])
        results += answers
    changes, cursor = api.pull_all(tokens[username], store.get_state("cursor"))
    store.apply_page([Change.model_validate(c) for c in changes], cursor)
    return results


def docketed_appeal(api: Api, tokens: TokenBook) -> dict[str, Any]:
    """A fresh case the San Francisco judge decided, with a transcript and a brief in the
    record, and DHS's appeal of it, docketed."""
    case = decided_case(api, tokens, days_ago=4)
    app = api.client.application
    for doc_type, title in (("transcript", "Transcript of hearing"), ("brief", "DHS brief")):
        document = {**document_data(app, case["id"]), "doc_type": doc_type, "title": title}
        applied(api, tokens["clerk1"], "document", document)
    appeal = appeal_data(case, "dhs1")
    version = applied(api, tokens["dhs1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    return {**docketed(appeal)}


def assigned(
    api: Api, tokens: TokenBook, ctx: Any, appeal: dict[str, Any], members: list[str], author: str
) -> str:
    """The clerk's assignment (``desktop.board_workspace.assign``) pushed; its id."""
    record = Appeal.model_validate(ctx.store.get("appeal", appeal["id"]))
    decision = assign(
        ctx.store, record, [user_id(m) for m in members], user_id(author), ctx.user_id
    )
    ctx.store.save(decision)
    (result,) = sync(api, tokens, "board_clerk1", ctx.store)
    assert result["status"] == "applied", result
    return decision.id


@pytest.fixture
def board(desktop_server: Flask) -> tuple[Api, TokenBook]:
    api = Api(desktop_server.test_client())
    return api, TokenBook(api)


def workspace(qtbot: Any, ctx: Any, rows: int) -> BoardWorkspaceView:
    view = BoardWorkspaceView(ctx)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=15_000)  # its shortcuts answer
    qtbot.waitUntil(lambda: len(view.rows()) == rows, timeout=30_000)
    return view


def select(qtbot: Any, view: BoardWorkspaceView, case_id: str) -> None:
    index = next(i for i, r in enumerate(view.rows()) if r.case_id == case_id)
    view.appeals.setFocus()
    view.appeals.selectRow(index)
    qtbot.waitUntil(lambda: view.current is not None and view.current.case_id == case_id)
    qtbot.waitUntil(lambda: view.decision_state.text() != "", timeout=15_000)


def press_button(qtbot: Any, dialog: Any, button: Any) -> None:
    """Tab through ``dialog`` to ``button`` and press Space, as a keyboard user does."""
    qtbot.waitUntil(dialog.isActiveWindow, timeout=15_000)
    for _ in range(8):
        if button.hasFocus():
            break
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Tab)
    assert button.hasFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def mine(ctx: Any) -> int:
    """How many appeals this computer holds assigned to the signed-in member."""
    return sum(1 for d in ctx.store.all("board_decision") if ctx.user_id in d["member_ids"])


@pytest.mark.slow
def test_the_board_clerk_assigns_a_docketed_appeal_to_a_panel_with_the_keyboard(
    qtbot: Any, make_context: Context, board: tuple[Api, TokenBook]
) -> None:
    api, tokens = board
    appeal = docketed_appeal(api, tokens)
    ctx = make_context("board_clerk1")
    view = BoardView(ctx)
    qtbot.addWidget(view)
    view.resize(1300, 500)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=15_000)
    view.show_docketed.setChecked(True)
    qtbot.waitUntil(lambda: any(r.appeal_id == appeal["id"] for r in view.rows), timeout=30_000)
    index = next(i for i, r in enumerate(view.rows) if r.appeal_id == appeal["id"])
    view.table.setFocus()
    view.table.selectRow(index)
    qtbot.keyClick(view.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.assigner.dialog is not None, timeout=15_000)
    dialog = view.assigner.dialog
    assert isinstance(dialog, AssignDialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=15_000)
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(labels) == 3 and sum(label.endswith("(temporary)") for label in labels) == 1
    assert not dialog.ok.isEnabled()  # nobody checked yet
    # Space checks the member under the cursor; two is neither one nor a panel.
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    assert dialog.ok.isEnabled() and "single" in dialog.bench.text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    assert not dialog.ok.isEnabled()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    assert dialog.ok.isEnabled() and "panel" in dialog.bench.text()
    assert dialog.author.count() == 3
    dialog.author.setCurrentIndex(1)
    author = dialog.author_id()
    qtbot.keyClick(dialog.author, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Assigned" in view.message.text(), timeout=30_000)

    (entry,) = ctx.store.pending()
    assert entry.entity == "board_decision" and entry.data is not None
    assert entry.data["panel"] is True and len(entry.data["member_ids"]) == 3
    assert entry.data["author_id"] == author and entry.data["appeal_id"] == appeal["id"]
    # The server accepts what the client queued.
    (result,) = sync(api, tokens, "board_clerk1", ctx.store)
    assert result["status"] == "applied", result
    # The Board tab says who decides it.
    view.refresh()
    qtbot.waitUntil(
        lambda: view.assigned.get(appeal["id"], "").startswith("Panel ("), timeout=15_000
    )
    # ... in full, in a narrower window too: its column is as wide as the panel's name and
    # ends inside the window (the court's name gives way, elided).
    view.resize(1150, 500)
    table, last = view.table, view.model.columnCount() - 1
    qtbot.waitUntil(
        lambda: any(
            view.model.data(view.model.index(i, last)) == view.assigned[appeal["id"]]
            for i in range(view.model.rowCount())
        ),
        timeout=15_000,
    )
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: table.viewport().width() < 1150, timeout=5_000)
    # The column is as wide as the panel's name (it was cut to 115 px of 217 before). Where
    # it ends depends on the other columns' contents and the machine's fonts, so the test
    # checks the layout's rule: every column sized to its contents, the court's name the
    # one that stretches (and elides), no last section stretched past the edge.
    qtbot.waitUntil(
        lambda: header.sectionSize(last) >= table.sizeHintForColumn(last), timeout=5_000
    )
    assert header.sectionResizeMode(last) is QHeaderView.ResizeMode.ResizeToContents
    court = next(
        i
        for i in range(view.model.columnCount())
        if view.model.headerData(i, Qt.Orientation.Horizontal) == "Immigration court"
    )
    assert header.sectionResizeMode(court) is QHeaderView.ResizeMode.Stretch
    assert header.stretchLastSection() is False
    # A second assignment of the same appeal is refused on this computer.
    again = Appeal.model_validate(ctx.store.get("appeal", appeal["id"]))
    with pytest.raises(BoardRefused, match="already assigned"):
        assign(ctx.store, again, [user_id("board_member1")], user_id("board_member1"), ctx.user_id)


@pytest.mark.slow
def test_a_single_member_chooses_a_template_and_signs_offline_into_the_outbox(
    qtbot: Any, make_context: Context, board: tuple[Api, TokenBook], desktop_server: Flask
) -> None:
    api, tokens = board
    appeal = docketed_appeal(api, tokens)
    clerk = make_context("board_clerk1")
    decision_id = assigned(api, tokens, clerk, appeal, ["board_member2"], "board_member2")

    # Another Board member is not assigned: the appeal is not theirs to sign.
    other = make_context("board_member1")
    theirs = [d for d in other.store.all("board_decision") if d["id"] == decision_id]
    assert theirs, "Board members read the Board's assignments"
    with pytest.raises(BoardRefused, match="Only the Board member assigned"):
        sign_single(other.store, BoardDecision.model_validate(theirs[0]), other.user_id)
    other_view = workspace(qtbot, other, mine(other))
    assert all(r.decision.id != decision_id for r in other_view.rows())

    ctx = make_context("board_member2")
    view = workspace(qtbot, ctx, mine(ctx))
    select(qtbot, view, appeal["case_id"])
    # A single member is offered every template, summary affirmance too.
    offered = [view.outcome.itemData(i) for i in range(view.outcome.count())]
    assert offered == [o.value for o in BoardOutcome]
    assert view.draft_action.isEnabled() and not view.vote_action.isEnabled()
    assert not view.sign_action.isEnabled()  # nothing drafted yet
    # The record the member reads, in order: the transcript before the briefs; F6 goes
    # there and Enter opens a document in the viewer.
    qtbot.waitUntil(lambda: len(view.materials_model.rows) >= 2, timeout=15_000)
    parts = [m.part for m in view.materials_model.rows]
    assert parts.index("Transcript") < parts.index("Brief")
    qtbot.keyClick(view.appeals, Qt.Key.Key_F6)
    assert view.materials.hasFocus()
    with qtbot.waitSignal(view.open_document, timeout=15_000) as opened:
        qtbot.keyClick(view.materials, Qt.Key.Key_Return)
    assert opened.args == [view.materials_model.rows[0].document_id]

    view.outcome.setCurrentIndex(view.outcome.findData(BoardOutcome.SUMMARY_AFFIRMANCE.value))
    qtbot.keyClick(
        view.appeals,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: view.order_window is not None, timeout=30_000)
    assert view.order_window is not None
    editor = view.order_window.editor
    assert editor.template.key == "board_decision" and not editor.sign_button.isVisible()
    assert editor.editors["outcome"].value() == BoardOutcome.SUMMARY_AFFIRMANCE.value
    view.order_window.close()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=15_000)
    pending = ctx.store.pending()
    assert {e.entity for e in pending} == {"board_decision", "order"}
    assert len({e.group_id for e in pending}) == 1  # drafted together, or not at all

    qtbot.waitUntil(lambda: view.sign_action.isEnabled(), timeout=30_000)
    qtbot.keyClick(
        view.appeals,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(view.sign_dialog, SignDecisionDialog), timeout=15_000)
    assert view.sign_dialog is not None
    press_button(qtbot, view.sign_dialog, view.sign_dialog.sign_button)
    qtbot.waitUntil(lambda: "Signed" in view.message.text(), timeout=30_000)
    # Offline: the signature waits in the outbox behind the draft (four entries, two groups).
    order_id = ctx.store.get("board_decision", decision_id)["order_id"]
    signed = ctx.store.get("order", order_id)
    assert signed is not None and signed["status"] == "signed"
    assert signed["signed_by"] == ctx.user_id
    assert ctx.store.pending_count() == 4

    # Back online: the server takes the draft and the signature, and issues the decision.
    results = sync(api, tokens, "board_member2", ctx.store)
    assert all(r["status"] == "applied" for r in results), [r.get("error") for r in results]
    held = stored(desktop_server, "board_decision", decision_id)
    assert held is not None and held[0]["status"] == "issued"
    assert held[0]["outcome"] == BoardOutcome.SUMMARY_AFFIRMANCE.value


@pytest.mark.slow
def test_a_panel_votes_two_to_one_to_remand_and_the_case_is_on_the_judges_dashboard(
    qtbot: Any, make_context: Context, board: tuple[Api, TokenBook], desktop_server: Flask
) -> None:
    api, tokens = board
    appeal = docketed_appeal(api, tokens)
    clerk = make_context("board_clerk1")
    members = ["board_member1", "board_member2", "board_member3"]
    decision_id = assigned(api, tokens, clerk, appeal, members, "board_member1")

    # The author: a panel is not offered summary affirmance; drafts a remand.
    author = make_context("board_member1")
    view = workspace(qtbot, author, mine(author))
    select(qtbot, view, appeal["case_id"])
    offered = [view.outcome.itemData(i) for i in range(view.outcome.count())]
    assert BoardOutcome.SUMMARY_AFFIRMANCE.value not in offered and len(offered) == 3
    assert not view.sign_action.isEnabled()  # a panel decides by votes
    view.outcome.setCurrentIndex(view.outcome.findData(BoardOutcome.REMANDED.value))
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.appeals, Qt.Key.Key_D, ctrl_shift)
    qtbot.waitUntil(lambda: view.order_window is not None, timeout=30_000)
    assert view.order_window is not None
    editor = view.order_window.editor
    instructions = "Make findings on the respondent's credibility under the REAL ID Act."
    editor.editors["remand_instructions"].set_value(instructions)
    with qtbot.waitSignal(editor.saved, timeout=30_000):
        editor.save_draft()
    view.order_window.close()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=15_000)
    qtbot.waitUntil(lambda: view.vote_action.isEnabled(), timeout=30_000)
    results = sync(api, tokens, "board_member1", author.store)
    assert all(r["status"] == "applied" for r in results), [r.get("error") for r in results]
    view.refresh()
    qtbot.waitUntil(lambda: view.vote_action.isEnabled(), timeout=30_000)
    qtbot.keyClick(view.appeals, Qt.Key.Key_V, ctrl_shift)
    qtbot.waitUntil(lambda: isinstance(view.vote_dialog, VoteDialog), timeout=15_000)
    assert view.vote_dialog is not None
    press_button(qtbot, view.vote_dialog, view.vote_dialog.sign_button)
    qtbot.waitUntil(lambda: "Your vote is signed" in view.message.text(), timeout=30_000)
    (vote,) = author.store.pending()
    assert vote.entity == "board_vote" and vote.data is not None and vote.data["vote"] == "join"
    sync(api, tokens, "board_member1", author.store)

    # The second member dissents with an opinion; the votes so far are shown.
    second = make_context("board_member2")
    view2 = workspace(qtbot, second, mine(second))
    select(qtbot, view2, appeal["case_id"])
    qtbot.waitUntil(lambda: len(view2.votes_model.rows) == 1, timeout=30_000)
    assert not view2.draft_action.isEnabled()  # only the author drafts
    draft = view2.draft_view.toPlainText()  # what the member reads before voting
    assert "REMANDED" in draft and instructions in draft
    qtbot.keyClick(view2.appeals, Qt.Key.Key_V, ctrl_shift)
    qtbot.waitUntil(lambda: isinstance(view2.vote_dialog, VoteDialog), timeout=15_000)
    dialog = view2.vote_dialog
    assert dialog is not None
    dialog.vote.setCurrentIndex(dialog.vote.findData("dissent"))
    dialog.opinion.setPlainText(
        "I would dismiss: the credibility finding was not clearly erroneous."
    )
    press_button(qtbot, dialog, dialog.sign_button)
    qtbot.waitUntil(lambda: "Your vote is signed" in view2.message.text(), timeout=30_000)
    sync(api, tokens, "board_member2", second.store)
    assert stored(desktop_server, "board_decision", decision_id)[0]["status"] == "drafted"  # type: ignore[index]

    # The third (temporary) member joins: the majority; the server issues and remands.
    third = make_context("board_member3")
    view3 = workspace(qtbot, third, mine(third))
    select(qtbot, view3, appeal["case_id"])
    qtbot.waitUntil(lambda: len(view3.votes_model.rows) == 2, timeout=30_000)
    assert {v.vote for v in view3.votes_model.rows} == {"Joins", "Dissents"}
    qtbot.keyClick(view3.appeals, Qt.Key.Key_V, ctrl_shift)
    qtbot.waitUntil(lambda: isinstance(view3.vote_dialog, VoteDialog), timeout=15_000)
    assert view3.vote_dialog is not None
    press_button(qtbot, view3.vote_dialog, view3.vote_dialog.sign_button)
    qtbot.waitUntil(lambda: "Your vote is signed" in view3.message.text(), timeout=30_000)
    results = sync(api, tokens, "board_member3", third.store)
    assert all(r["status"] == "applied" for r in results), [r.get("error") for r in results]
    held = stored(desktop_server, "board_decision", decision_id)
    assert held is not None and held[0]["status"] == "issued"
    case = stored(desktop_server, "case", appeal["case_id"])
    assert case is not None and case[0]["status"] == "pending"

    # The immigration judge's dashboard: "Remanded by the Board", Enter opens the issued
    # remand order (its served document) in the viewer.
    judge = make_context("judge1")
    dashboard = DashboardView(judge)
    qtbot.addWidget(dashboard)
    dashboard.resize(1300, 900)
    dashboard.show()
    qtbot.waitUntil(
        lambda: any(r.case_id == appeal["case_id"] for r in dashboard.remanded_model.rows),
        timeout=30_000,
    )
    row = next(r for r in dashboard.remanded_model.rows if r.case_id == appeal["case_id"])
    assert row.instructions == instructions and dashboard.count("remanded") >= 1
    index = dashboard.remanded_model.rows.index(row)
    dashboard.remanded_table.setFocus()
    dashboard.remanded_table.selectRow(index)
    issued = stored(desktop_server, "board_decision", decision_id)
    assert issued is not None
    order = stored(desktop_server, "order", issued[0]["order_id"])
    assert order is not None and order[0]["status"] == "issued"
    with qtbot.waitSignal(dashboard.open_document, timeout=15_000) as opened:
        qtbot.keyClick(dashboard.remanded_table, Qt.Key.Key_Return)
    assert opened.args == [order[0]["document_id"]]
    assert judge.store.get("document", order[0]["document_id"]) is not None
