"""The conflicts view over real sync issues in the local store, driven as a user would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.protocol import Change, MutationResult, MutationStatus
from common.wire import Hearing
from desktop.ui.conflicts_view import CHANGED_ROLE, ROW_ROLE, ConflictsView, FieldDiffModel
from desktop.ui.context import DesktopContext

REFUSAL = "you may change a hearing's outcome only; scheduling belongs to the clerks"


def make_issues(ctx: DesktopContext) -> tuple[Hearing, Hearing, Hearing]:
    """A conflict and a refusal, recorded the way the sync engine records the server's
    answers to a push. Returns (the conflicting hearing as the server has it, the user's
    version of it, the refused hearing as it was before the edit)."""
    store = ctx.store
    first, second = sorted(
        (Hearing.model_validate(h) for h in store.all("hearing")), key=lambda h: h.id
    )[:2]
    mine = first.model_copy(update={"duration_minutes": 90, "interpreter_language": "Mam"})
    theirs = first.model_copy(update={"duration_minutes": 45})
    store.save(mine)
    store.save(second.model_copy(update={"duration_minutes": 200}))
    entries = store.pending()
    server_version = store.version_of("hearing", first.id) + 10
    results = [
        MutationResult(
            mutation_id=entries[0].mutation_id,
            status=MutationStatus.CONFLICT,
            current=Change(
                entity="hearing",
                id=first.id,
                version=server_version,
                deleted=False,
                data=theirs.model_dump(mode="json"),
            ),
        ),
        MutationResult(
            mutation_id=entries[1].mutation_id, status=MutationStatus.REJECTED, error=REFUSAL
        ),
    ]
    store.acknowledge(entries, results)
    assert store.pending_count() == 0 and len(store.issues()) == 2
    return theirs, mine, second


@pytest.fixture
def view_and_issues(
    qtbot: QtBot,
    make_context: Callable[[str], DesktopContext],
) -> tuple[ConflictsView, DesktopContext, tuple[Hearing, Hearing, Hearing]]:
    ctx = make_context("clerk1")
    hearings = make_issues(ctx)
    view = ConflictsView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.issues.rowCount() == 2, timeout=5000)
    return view, ctx, hearings


def cells(model: Any, column: int) -> list[str]:
    return [model.index(n, column).data() for n in range(model.rowCount())]


def changed_fields(view: ConflictsView) -> dict[str, tuple[str, str]]:
    diff = view.diff
    return {
        diff.index(n, 0).data(): (diff.index(n, 1).data(), diff.index(n, 2).data())
        for n in range(diff.rowCount())
        if diff.index(n, 0).data(CHANGED_ROLE)
    }


def test_lists_every_issue_with_a_readable_record(view_and_issues: Any) -> None:
    view, ctx, (theirs, _, _) = view_and_issues
    assert cells(view.issues, 0) == ["Conflict", "Refused"]
    assert cells(view.issues, 2) == ["Hearing", "Hearing"]
    label = cells(view.issues, 1)[0]
    case = ctx.store.get("case", theirs.case_id)
    assert label.startswith(f"Hearing of {case['respondent_last_name'].upper()}, ")
    assert cells(view.issues, 3)[1] == REFUSAL
    assert "1 conflict and 1 refused change" in view.summary.text()


def test_a_conflict_shows_both_versions_with_the_changed_fields(view_and_issues: Any) -> None:
    view, _, (theirs, _, _) = view_and_issues
    view.table.selectRow(0)
    interpreter = theirs.interpreter_language or "—"
    assert changed_fields(view) == {
        "Duration minutes": ("90", "45"),
        "Interpreter language": ("Mam", interpreter),
    }
    assert view.diff.rowCount() > 2  # unchanged fields are listed too
    view.only_changed.click()
    assert view.diff.rowCount() == 2
    assert "someone changed this record on the server" in view.banner.text()
    assert view.keep_mine_button.isVisibleTo(view) and view.keep_mine_button.isEnabled()
    assert view.take_theirs_button.isVisibleTo(view)
    assert not view.dismiss_button.isVisibleTo(view)


def test_a_refusal_shows_the_reason_and_the_roll_back(view_and_issues: Any) -> None:
    view, ctx, (_, _, refused) = view_and_issues
    view.table.selectRow(1)
    assert REFUSAL in view.banner.text() and "rolled back" in view.banner.text()
    assert changed_fields(view) == {"Duration minutes": ("200", str(refused.duration_minutes))}
    assert ctx.store.get("hearing", refused.id) == refused.model_dump(mode="json")
    assert not view.keep_mine_button.isVisibleTo(view)
    assert view.dismiss_button.isVisibleTo(view)


def test_keep_mine_queues_my_version_on_top_of_the_servers(
    qtbot: QtBot, view_and_issues: Any
) -> None:
    view, ctx, (_, mine, _) = view_and_issues
    view.table.selectRow(0)
    with qtbot.waitSignal(view.resolved, timeout=5000):
        qtbot.mouseClick(view.keep_mine_button, Qt.MouseButton.LeftButton)
    assert ctx.store.pending_count() == 1
    [entry] = ctx.store.pending()
    assert entry.record_id == mine.id and entry.data == mine.model_dump(mode="json")
    assert entry.base_version == ctx.store.version_of("hearing", mine.id)  # the server's
    assert ctx.store.get("hearing", mine.id) == mine.model_dump(mode="json")
    assert [i.kind for i in ctx.store.issues()] == ["rejected"]
    qtbot.waitUntil(lambda: view.issues.rowCount() == 1, timeout=5000)
    assert ctx.sync.status.pending == 1 and ctx.sync.status.issues == 1


def test_use_the_servers_keeps_their_data_and_dismiss_clears_the_refusal(
    qtbot: QtBot, view_and_issues: Any
) -> None:
    view, ctx, (theirs, _, refused) = view_and_issues
    view.table.selectRow(0)
    with qtbot.waitSignal(view.resolved, timeout=5000):
        qtbot.mouseClick(view.take_theirs_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.issues.rowCount() == 1, timeout=5000)
    assert ctx.store.get("hearing", theirs.id) == theirs.model_dump(mode="json")
    assert ctx.store.pending_count() == 0
    remaining = view.current_issue()
    assert remaining is not None and remaining.kind == "rejected"  # selection moves on
    with qtbot.waitSignal(view.resolved, timeout=5000):
        qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.issues.rowCount() == 0, timeout=5000)
    assert ctx.store.issues() == [] and ctx.store.pending_count() == 0
    assert ctx.store.get("hearing", refused.id) == refused.model_dump(mode="json")
    assert "No sync issues" in view.summary.text()
    assert not view.take_theirs_button.isEnabled()


def test_models_pass_the_model_tester(qtmodeltester: Any, view_and_issues: Any) -> None:
    view, _, _ = view_and_issues
    qtmodeltester.check(view.issues)
    row = view.issues.index(0, 0).data(ROW_ROLE)
    diff = FieldDiffModel()
    diff.set_issue(row)
    qtmodeltester.check(diff)
    diff.set_issue(row, only_changed=True)
    qtmodeltester.check(diff)
