"""The Board's pending motions in the desktop (issue 15 item 6): an emergency stay request
is listed first, flagged "Emergency stay" in red, ahead of older motions; a motion before
the immigration court is not the Board's; Enter reports the chosen motion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt

from common.appeals import BOARD_TIMEZONE
from common.court_time import court_today
from common.wire import Case, Motion
from desktop.ui.board_motions_view import EMERGENCY, RED, BoardMotionsView
from tests.conftest import user_id
from tests.server.sync_helpers import SFR, case_data, new_id


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
    rows = view.model.rows
    assert [r.motion_id for r in rows] == [stay.id, older.id]  # the court's is not listed
    first = view.model.index(0, 0)
    assert view.model.data(first) == EMERGENCY
    assert view.model.data(first, Qt.ItemDataRole.ForegroundRole) == RED
    assert view.model.data(view.model.index(1, 0)) == ""
    assert "1 emergency stay request(s) first" in view.summary.text()

    chosen: list[str] = []
    view.motion_chosen.connect(chosen.append)
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert chosen == [stay.id]
