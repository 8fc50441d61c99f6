"""The judge's pending-motions queue, with the keyboard: arrows through the motions, Enter
opens the motion's document, Ctrl+R stamps a ruling that signs the motion order offline;
what the desktop queued is what the server accepts, issues and serves. A withdrawn motion
leaves the queue and is refused a ruling with the reason, before anything is saved."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from PySide6.QtCore import Qt
from sqlalchemy import select

from common.enums import MotionRuling
from desktop.motions import Stamp, pending_motions, ruling_draft, withdraw
from desktop.ui.motions_view import MotionRulingDialog, MotionsQueueView
from sync_server.models import CaseRow, DocumentRow, UserRow
from sync_server.services.motions import case_before_board
from tests.conftest import Api, mutation, user_id

PASSWORD = "test-password-123"


def _clerk_enters_motions(server: Flask, count: int) -> tuple[str, list[str], str]:
    """Paper motions the clerk enters in one of judge1's cases, each naming an accepted
    document of the case as the motion's PDF; returns (case id, motion ids, document id)."""
    with server.extensions["ecas"].factory() as session:
        # The first of judge1's cases in clerk1's court that still has an accepted document
        # and is not before the Board: other tests on the shared server delete or reject
        # documents and appeal cases (a motion in a case before the Board goes to the Board,
        # and the clerk's push is refused: two CI runs failed on the first case by id).
        clerk_court = session.scalar(
            select(UserRow.court_id).where(UserRow.id == user_id("clerk1"))
        )
        candidates = session.execute(
            select(CaseRow, DocumentRow)
            .join(DocumentRow, DocumentRow.case_id == CaseRow.id)
            .where(
                CaseRow.judge_id == user_id("judge1"),
                CaseRow.court_id == clerk_court,
                CaseRow.status != "appealed",
                CaseRow.deleted.is_(False),
                DocumentRow.status == "accepted",
                DocumentRow.deleted.is_(False),
            )
            .order_by(CaseRow.id, DocumentRow.id)
        ).all()
        found = next((row for row in candidates if not case_before_board(session, row[0].id)), None)
        assert found is not None
        case, document = found
    api = Api(server.test_client())
    token = api.login("clerk1", PASSWORD)
    ids = [str(uuid.uuid4()) for _ in range(count)]
    results = api.push(
        token,
        *(
            mutation(
                "motion",
                {
                    "id": motion_id,
                    "case_id": case.id,
                    "motion_type": "terminate",
                    "movant": "respondent",
                    "filed_on": f"2026-11-{10 + i:02d}",
                    "filer_id": user_id("clerk1"),
                    "document_id": document.id,
                    "other_party_position": "opposes",
                },
            )
            for i, motion_id in enumerate(ids)
        ),
    )
    assert all(r["status"] == "applied" for r in results), [r["reason"] for r in results]
    return case.id, ids, document.id


@pytest.mark.slow
def test_the_judge_rules_on_a_motion_from_the_queue_with_the_keyboard(
    qtbot: Any, make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    _, (first, second), document_id = _clerk_enters_motions(desktop_server, 2)
    ctx = make_context("judge1")
    view = MotionsQueueView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: {first, second} <= {r.motion_id for r in view.rows}, timeout=10_000)
    row = next(r for r in view.rows if r.motion_id == second)
    assert row.position == "Opposes" and row.movant == "Respondent"
    # Received November 11: the response is due 10 days later (ICPM 3.1(b)), Saturday
    # November 21 moved to Monday November 23.
    assert str(row.response_due) == "2026-11-23"

    view.table.setFocus()
    view.table.selectRow(0)
    while view.selected() is None or view.selected().motion_id != second:  # type: ignore[union-attr]
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.open_document, timeout=5_000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [document_id]

    qtbot.keyClick(view.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.ruling_dialog, MotionRulingDialog), timeout=5_000)
    dialog = view.ruling_dialog
    assert dialog is not None
    qtbot.waitActive(dialog)
    dialog.stamp.setFocus()
    qtbot.keyClick(dialog.stamp, Qt.Key.Key_Down)  # granted as unopposed
    qtbot.keyClick(dialog.stamp, Qt.Key.Key_Down)  # denied
    assert dialog.stamp.currentData() == "denied"
    qtbot.keyClick(dialog.stamp, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.reason, "The charge is sustained.")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # "Sign and issue" is the default
    qtbot.waitUntil(
        lambda: dialog.summary_dialog is not None and dialog.summary_dialog.isVisible(),
        timeout=10_000,
    )
    summary = dialog.summary_dialog
    assert summary is not None
    with qtbot.waitSignal(dialog.issued, timeout=10_000) as issued:
        qtbot.keyClick(summary, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    result = issued.args[0]
    assert result.order.status.value == "signed"
    assert result.order.fields["ruling"] == "denied" and result.motion.status.value == "denied"
    qtbot.waitUntil(lambda: second not in {r.motion_id for r in view.rows}, timeout=10_000)
    pending = ctx.store.pending()
    assert {e.entity for e in pending} == {"order", "motion"}
    assert len({e.group_id for e in pending}) == 1  # one push group: issued with the stamp

    # What the desktop queued is what the server accepts: the order is issued and served.
    api = Api(desktop_server.test_client())
    token = api.login("judge1", PASSWORD)
    results = api.push(
        token,
        *(
            {
                **mutation(e.entity, e.data or {}, base_version=e.base_version),
                "id": e.record_id,
                "group": e.group_id,
            }
            for e in pending
        ),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    changes, _ = api.pull_all(token)
    order = [c for c in changes if c["id"] == result.order.id][-1]["data"]
    assert order["status"] == "issued" and order["document_id"]
    motion = [c for c in changes if c["id"] == second][-1]["data"]
    assert motion["status"] == "denied" and motion["order_id"] == result.order.id
    assert any(
        c["entity"] == "service_record" and c["data"]["document_id"] == order["document_id"]
        for c in changes
    )


def test_a_withdrawn_motion_leaves_the_queue_and_is_refused_a_ruling(
    make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    _, (motion_id,), _ = _clerk_enters_motions(desktop_server, 1)
    clerk = make_context("clerk1")
    clerk.store.save(withdraw(clerk.store, motion_id))
    assert motion_id not in {r.motion_id for r in pending_motions(clerk.store, "", "clerk")}
    with pytest.raises(ValueError, match="withdrawn"):
        ruling_draft(clerk.store, motion_id, user_id("judge1"), Stamp(MotionRuling.GRANTED))
