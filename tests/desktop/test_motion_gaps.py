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

from common.adjournment import load_adjournment_codes
from common.court_time import court_today, table_date
from common.enums import MotionRuling
from common.protocol import Change, MutationResult
from desktop.motions import Stamp, pending_motions, rule_on_motion, ruling_draft, save_ruling
from desktop.ruling_effects import ruling_effects
from desktop.ui.motions_view import (
    MotionPositionDialog,
    MotionRulingDialog,
    MotionsQueueView,
    PaperMotionDialog,
)
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import SFR, case_data, hearing_data, new_id, representation_data

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
    # The summary says what signing does besides the order: the appearance it ends, when.
    granted_on = table_date(court_today("America/Los_Angeles"))
    assert (
        f"Ends the appearance of Attorney Laura Mendez as counsel of record on {granted_on}"
        in summary.text.toPlainText()
    )
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


def _focus_row(qtbot: Any, view: MotionsQueueView, motion_id: str) -> None:
    view.activateWindow()
    qtbot.waitActive(view)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus, timeout=5_000)
    view.table.selectRow(next(i for i, r in enumerate(view.rows) if r.motion_id == motion_id))


def _sync_outbox(server: Flask, username: str, ctx: Any) -> list[str]:
    """Push what the desktop queued to the server, as the sync does, and acknowledge it;
    returns each mutation's status."""
    api = Api(server.test_client())
    token = api.login(username, PASSWORD)
    entries = ctx.store.pending()
    ctx.store.mark_sending(entries)
    results = api.push(
        token,
        *(
            {
                **mutation(e.entity, e.data or {}, base_version=e.base_version),
                "id": e.record_id,
                "group": e.group_id,
                "mutation_id": e.mutation_id,
            }
            for e in entries
        ),
    )
    ctx.store.acknowledge(entries, [MutationResult.model_validate(r) for r in results])
    changes, cursor = api.pull_all(token, ctx.store.get_state("cursor"))
    ctx.store.apply_page([Change.model_validate(c) for c in changes], cursor)
    return [str(r["status"]) for r in results]


def test_the_clerk_enters_a_paper_motion_and_records_position_and_withdrawal_by_keyboard(
    qtbot: Any, make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    case_id, _, continuance = _represented_case_with_motion(desktop_server, "continuance")
    ctx = make_context("clerk1")
    case = ctx.store.get("case", case_id)
    view = MotionsQueueView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: continuance in {r.motion_id for r in view.rows}, timeout=10_000)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus, timeout=5_000)

    # Ctrl+N: the paper motion dialog; an "other" motion that does not say what it asks is
    # refused with the reason, before anything is saved.
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.clerk_dialog, PaperMotionDialog), timeout=5_000)
    paper = view.clerk_dialog
    assert isinstance(paper, PaperMotionDialog)
    qtbot.waitActive(paper)
    qtbot.waitUntil(lambda: paper.received.date().year() > 2000, timeout=5_000)
    paper.a_number.setFocus()
    paper.a_number.selectAll()
    qtbot.keyClicks(paper.a_number, f"A{case['a_number']}")
    qtbot.keyClick(paper.a_number, Qt.Key.Key_Tab)
    while paper.motion_type.currentData() != "other":
        qtbot.keyClick(paper.motion_type, Qt.Key.Key_Down)
    qtbot.keyClick(paper.motion_type, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: paper.message.text() == "Not saved: Say what the motion asks.", timeout=5_000
    )
    assert ctx.store.pending_count() == 0
    qtbot.keyClicks(paper.description, "Leave to file a late brief")
    paper.position.setFocus()
    qtbot.keyClick(paper.position, Qt.Key.Key_Up)  # unknown -> does not oppose
    assert paper.position.currentData() == "does_not_oppose"
    with qtbot.waitSignal(paper.saved, timeout=10_000) as saved:
        qtbot.keyClick(paper.position, Qt.Key.Key_Return)
    entered = saved.args[0]
    assert (entered.case_id, entered.motion_type.value, entered.description) == (
        case_id,
        "other",
        "Leave to file a late brief",
    )
    assert entered.filer_id == user_id("clerk1") and entered.status.value == "pending"
    qtbot.waitUntil(lambda: entered.id in {r.motion_id for r in view.rows}, timeout=10_000)
    assert _sync_outbox(desktop_server, "clerk1", ctx) == ["applied"]

    # Ctrl+P on it: DHS now opposes.
    _focus_row(qtbot, view, entered.id)
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.clerk_dialog, MotionPositionDialog), timeout=5_000)
    position = view.clerk_dialog
    assert isinstance(position, MotionPositionDialog)
    qtbot.waitActive(position)
    position.position.setFocus()
    while position.position.currentData() != "opposes":
        qtbot.keyClick(position.position, Qt.Key.Key_Up)
    with qtbot.waitSignal(position.saved, timeout=10_000):
        qtbot.keyClick(position.position, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(r.motion_id == entered.id and r.position == "Opposes" for r in view.rows),
        timeout=10_000,
    )
    assert _sync_outbox(desktop_server, "clerk1", ctx) == ["applied"]

    # Ctrl+P again: the movant withdrew it; it leaves the queue.
    _focus_row(qtbot, view, entered.id)
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.clerk_dialog is not position, timeout=5_000)
    withdrawal = view.clerk_dialog
    assert isinstance(withdrawal, MotionPositionDialog)
    qtbot.waitActive(withdrawal)
    withdrawal.withdrawn.setFocus()
    qtbot.keyClick(withdrawal.withdrawn, Qt.Key.Key_Space)
    assert withdrawal.withdrawn.isChecked()
    with qtbot.waitSignal(withdrawal.saved, timeout=10_000):
        qtbot.keyClick(withdrawal.withdrawn, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: entered.id not in {r.motion_id for r in view.rows}, timeout=10_000)

    # What the desktop queued is what the server accepts.
    assert _sync_outbox(desktop_server, "clerk1", ctx) == ["applied"]
    api = Api(desktop_server.test_client())
    changes, _ = api.pull_all(api.login("clerk1", PASSWORD))
    final = [c for c in changes if c["id"] == entered.id][-1]["data"]
    assert (final["status"], final["other_party_position"]) == ("withdrawn", "opposes")


def test_a_continuance_granted_from_the_queue_adjourns_the_next_hearing_with_its_code(
    make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    case_id, _, motion_id = _represented_case_with_motion(desktop_server, "continuance")
    api = Api(desktop_server.test_client())
    clerk = api.login("clerk1", PASSWORD)
    later = hearing_data(case_id) | {"starts_at": "2027-03-02T17:00:00Z"}
    sooner = hearing_data(case_id) | {"id": new_id(), "starts_at": "2027-02-02T17:00:00Z"}
    for hearing in (later, sooner):
        [made] = api.push(clerk, mutation("hearing", hearing))
        assert made["status"] == "applied", made
    code = next(iter(load_adjournment_codes().values())).code
    ctx = make_context("judge1")
    stamp = Stamp(
        MotionRuling.GRANTED, extra={"adjournment_code": code, "next_hearing": "2027-04-06"}
    )
    # The signing summary names the hearing the grant adjourns (the sooner one), in the
    # court's time (17:00 UTC is 09:00 in San Francisco in February).
    _, stamped = ruling_draft(ctx.store, motion_id, user_id("judge1"), stamp)
    (effect,) = ruling_effects(ctx.store, stamped, stamp)
    assert effect.startswith(f"Adjourns the hearing of Tue 2 Feb 2027 09:00 PST with code {code}")
    result = rule_on_motion(ctx.store, motion_id, user_id("judge1"), "judge", stamp)
    assert result.adjourned is not None and result.adjourned.id == sooner["id"]
    save_ruling(ctx.store, result)
    pending = ctx.store.pending()
    assert [e.entity for e in pending] == ["order", "motion", "hearing"]
    assert len({e.group_id for e in pending}) == 1  # adjourned with the grant or not at all
    assert _sync_outbox(desktop_server, "judge1", ctx) == ["applied"] * 3
    hearings = {h["id"]: h for h in ctx.store.all("hearing") if h["case_id"] == case_id}
    assert (hearings[sooner["id"]]["status"], hearings[sooner["id"]]["adjournment_code"]) == (
        "adjourned",
        code,
    )
    assert hearings[later["id"]]["status"] == "scheduled"
    order = ctx.store.get("order", result.order.id)
    assert order is not None and order["status"] == "issued"
    assert order["fields"]["adjournment_code"] == code
