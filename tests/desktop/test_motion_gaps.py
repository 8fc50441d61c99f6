"""What the motions work left to the desktop (issue 13): granting a motion to withdraw as
counsel ends the movant counsel's appearance in the same push group as the order and the
stamp, and former counsel loses the case on the next pull; the clerk enters a paper
motion, records the other party's position and the movant's withdrawal from a keyboard
dialog, each checked by ``common.motions`` before it is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from PySide6.QtCore import Qt

from common.enums import MotionRuling
from desktop.motions import Stamp, pending_motions, ruling_draft
from desktop.ui.motions_view import MotionRulingDialog, MotionsQueueView
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import SFR, case_data, new_id, representation_data

PASSWORD = "test-password-123"


def _represented_case_with_motion(server: Flask, motion_type: str) -> tuple[str, str, str]:
    """A case of judge1 with attorney1 as counsel of record and a paper motion of
    ``motion_type`` the clerk entered; returns (case id, appearance id, motion id)."""
    api = Api(server.test_client())
    clerk = api.login("clerk1", PASSWORD)
    case = case_data(SFR, judge="judge1")
    appearance = representation_data(case["id"], "attorney1", status="accepted")
    motion = {
        "id": new_id(),
        "case_id": case["id"],
        "motion_type": motion_type,
        "movant": "respondent",
        "filed_on": "2026-11-20",
        "filer_id": user_id("clerk1"),
        "other_party_position": "does_not_oppose",
    }
    results = api.push(
        clerk,
        mutation("case", case),
        mutation("representation", appearance),
        mutation("motion", motion),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    return case["id"], appearance["id"], motion["id"]


@pytest.mark.slow
def test_granting_withdrawal_of_counsel_ends_the_appearance_in_the_rulings_push_group(
    qtbot: Any, make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    case_id, appearance_id, motion_id = _represented_case_with_motion(
        desktop_server, "withdraw_as_counsel"
    )
    api = Api(desktop_server.test_client())
    lawyer = api.login("attorney1", PASSWORD)
    before, cursor = api.pull_all(lawyer)
    assert case_id in {c["id"] for c in before if not c["deleted"]}

    ctx = make_context("judge1")
    view = MotionsQueueView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: motion_id in {r.motion_id for r in view.rows}, timeout=10_000)
    view.table.setFocus()
    view.table.selectRow(next(i for i, r in enumerate(view.rows) if r.motion_id == motion_id))
    qtbot.keyClick(view.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.ruling_dialog, MotionRulingDialog), timeout=5_000)
    dialog = view.ruling_dialog
    assert dialog is not None
    assert dialog.stamp.currentData() == "granted"
    dialog.stamp.setFocus()
    qtbot.keyClick(dialog.stamp, Qt.Key.Key_Return)  # "Sign and issue" is the default
    qtbot.waitUntil(
        lambda: dialog.summary_dialog is not None and dialog.summary_dialog.isVisible(),
        timeout=10_000,
    )
    summary = dialog.summary_dialog
    assert summary is not None
    with qtbot.waitSignal(dialog.issued, timeout=10_000) as issued:
        qtbot.keyClick(summary, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    result = issued.args[0]
    assert result.ended is not None and result.ended.id == appearance_id
    pending = ctx.store.pending()
    assert [e.entity for e in pending] == ["order", "motion", "representation"]
    assert len({e.group_id for e in pending}) == 1  # the grant ends the appearance or nothing
    ended = pending[2].data or {}
    assert (ended["status"], ended["leave_by"], ended["motion_id"]) == (
        "withdrawn",
        user_id("judge1"),
        motion_id,
    )
    assert ended["ended_on"] == result.motion.ruled_on.isoformat()

    judge = api.login("judge1", PASSWORD)
    results = api.push(
        judge,
        *(
            {
                **mutation(e.entity, e.data or {}, base_version=e.base_version),
                "id": e.record_id,
                "group": e.group_id,
            }
            for e in pending
        ),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    after, _ = api.pull_all(lawyer, cursor)
    assert case_id in {c["id"] for c in after if c["deleted"]}


def test_a_grant_that_cannot_name_the_withdrawing_counsel_is_refused_before_saving(
    make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    case_id, appearance_id, motion_id = _represented_case_with_motion(
        desktop_server, "withdraw_as_counsel"
    )
    api = Api(desktop_server.test_client())
    clerk = api.login("clerk1", PASSWORD)
    second = representation_data(case_id, "attorney2", status="accepted")
    [made] = api.push(clerk, mutation("representation", second))
    assert made["status"] == "applied", made
    ctx = make_context("judge1")
    assert motion_id in {
        r.motion_id for r in pending_motions(ctx.store, user_id("judge1"), "judge")
    }
    with pytest.raises(ValueError, match="movant counsel"):
        ruling_draft(ctx.store, motion_id, user_id("judge1"), Stamp(MotionRuling.GRANTED))
    # Denying it ends nobody's appearance.
    ruling_draft(ctx.store, motion_id, user_id("judge1"), Stamp(MotionRuling.DENIED))
    assert ctx.store.get("representation", appearance_id)["status"] == "accepted"
