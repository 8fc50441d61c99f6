"""The Board's pending motions in the desktop (issue 15 item 6): an emergency stay request
is listed first, flagged "Emergency stay" in red, ahead of older motions; a motion before
the immigration court is not the Board's; Enter opens the motions ruling dialog, and a
Board member's stamp (signed offline) is what the server accepts and issues."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from PySide6.QtCore import Qt

from common.appeals import BOARD_TIMEZONE
from common.court_time import court_today
from common.wire import Case, Motion
from desktop.motions import pending_motions
from desktop.ui.board_motions_view import EMERGENCY, RED, BoardMotionsView
from desktop.ui.main_window import MainWindow
from desktop.ui.motions_view import MotionRulingDialog
from sync_server.models import OrderRow
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import SFR, applied, case_data, new_id, representation_data, stored
from tests.server.test_board_appeals import appeal_data, docketed

PASSWORD = "test-password-123"


def _motion(case_id: str, days_ago: int, **fields: Any) -> Motion:
    return Motion.model_validate(
        {
            "id": new_id(),
            "case_id": case_id,
            "motion_type": "remand",
            "movant": "respondent",
            "filed_on": court_today(BOARD_TIMEZONE) - timedelta(days=days_ago),
            "filer_id": user_id("board_clerk1"),
            **fields,
        }
    )


def test_an_emergency_stay_is_listed_first_in_red_and_enter_chooses_it(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("board_member1")
    case = Case.model_validate(case_data(SFR, judge="judge1"))
    ctx.store.save(case)
    older = _motion(case.id, 9, before_board=True)
    stay = _motion(case.id, 1, motion_type="stay_of_removal", before_board=True, emergency=True)
    court_motion = _motion(case.id, 20, motion_type="continuance")
    for record in (older, stay, court_motion):
        ctx.store.save(record)

    view = BoardMotionsView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: len(view.model.rows) == 2, timeout=5_000)  # read off the GUI thread
    rows = view.model.rows
    assert [r.motion_id for r in rows] == [stay.id, older.id]  # the court's is not listed
    # … and the court's queue lists the court's motion only.
    assert [r.motion_id for r in pending_motions(ctx.store, user_id("judge1"), "judge")] == [
        court_motion.id
    ]
    first = view.model.index(0, 0)
    assert view.model.data(first) == EMERGENCY
    assert view.model.data(first, Qt.ItemDataRole.ForegroundRole) == RED
    assert view.model.data(view.model.index(1, 0)) == ""
    assert "; 1 emergency stay request first." in view.summary.text()
    assert BoardMotionsView.tab_title(2, 1) == "Board motions — 1 EMERGENCY STAY"

    chosen: list[str] = []
    view.motion_chosen.connect(chosen.append)
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert chosen == [stay.id]
    assert isinstance(view.ruling_dialog, MotionRulingDialog)
    view.ruling_dialog.reject()


def _appealed_case_with_stay(app: Flask) -> tuple[str, str]:
    """On the server: a case decided 3 days ago, counsel's appeal docketed by the Board's
    clerk, and an emergency stay request the Board's clerk entered before the Board."""
    api = Api(app.test_client())
    clerk = api.login("clerk1", PASSWORD)
    case = case_data(SFR, judge="judge1")
    version = applied(api, clerk, "case", case)
    decided = court_today(BOARD_TIMEZONE) - timedelta(days=3)
    case |= {"status": "decided", "decided_on": decided.isoformat()}
    applied(api, clerk, "case", case, base_version=version)
    applied(
        api,
        clerk,
        "representation",
        representation_data(case["id"], "attorney1", status="accepted"),
    )
    appeal = appeal_data(case, "attorney1")
    appeal_version = applied(api, api.login("attorney1", PASSWORD), "appeal", appeal)
    board_clerk = api.login("board_clerk1", PASSWORD)
    applied(api, board_clerk, "appeal", docketed(appeal), base_version=appeal_version)
    stay = _motion(case["id"], 0, motion_type="stay_of_removal", before_board=True, emergency=True)
    applied(api, board_clerk, "motion", stay.model_dump(mode="json"))
    return case["id"], stay.id


@pytest.mark.slow
def test_a_board_member_grants_an_emergency_stay_from_the_list_and_the_server_issues_it(
    qtbot: Any, make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    case_id, stay_id = _appealed_case_with_stay(desktop_server)
    ctx = make_context("board_member1")
    view = BoardMotionsView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: bool(view.model.rows), timeout=5_000)
    assert view.model.rows[0].motion_id == stay_id and view.model.rows[0].emergency
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(view.ruling_dialog, MotionRulingDialog), timeout=5_000)
    dialog = view.ruling_dialog
    assert dialog is not None and dialog.stamp.currentData() == "granted"
    dialog.stamp.setFocus()
    qtbot.keyClick(dialog.stamp, Qt.Key.Key_Return)  # "Sign and issue"
    qtbot.waitUntil(
        lambda: dialog.summary_dialog is not None and dialog.summary_dialog.isVisible(),
        timeout=10_000,
    )
    summary = dialog.summary_dialog
    assert summary is not None
    with qtbot.waitSignal(dialog.issued, timeout=10_000):
        qtbot.keyClick(summary, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: view.model.rows == [], timeout=10_000)
    pending = ctx.store.pending()
    assert [e.entity for e in pending] == ["order", "motion"]
    order = pending[0].data or {}
    assert order["template"] == "board_motion_order"
    assert order["signed_by"] == order["judge_id"] == user_id("board_member1")

    api = Api(desktop_server.test_client())
    member = api.login("board_member1", PASSWORD)
    results = api.push(
        member,
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
    held = stored(desktop_server, "motion", stay_id)
    assert held is not None and held[0]["status"] == "granted"
    with desktop_server.extensions["ecas"].factory() as session:
        row = session.get(OrderRow, order["id"])
        assert row is not None and row.status == "issued" and row.case_id == case_id


def test_the_board_motions_tab_names_an_emergency_stay_in_red_from_any_tab(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("board_clerk1")
    case = Case.model_validate(case_data(SFR, judge="judge1"))
    ctx.store.save(case)
    ctx.store.save(
        _motion(case.id, 0, motion_type="stay_of_removal", before_board=True, emergency=True)
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.board_motions is not None
    index = window.tabs.indexOf(window.board_motions)
    qtbot.waitUntil(lambda: window.tabs.tabText(index) != "Board motions", timeout=5_000)
    assert window.tabs.tabText(index) == "Board motions — 1 EMERGENCY STAY"
    assert window.tabs.tabBar().tabTextColor(index) == RED
    assert window.tabs.tabText(0) == "Board"  # the Board's docket stays first
