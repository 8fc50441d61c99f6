"""Briefing in the desktop client (issue 15 item 4): the Board clerk sees a party's
extension request in the Board tab and grants it with the keyboard (Ctrl+E), offline; the
grant moves the due days as the server checks them; nothing is left to decide twice; the
case file's "Appeal (Board)" tab shows the schedule, each due day with the days left, the
extension state and the briefs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from PySide6.QtCore import Qt

from common.appeals import BOARD_TIMEZONE
from common.court_closures import board_calendar
from common.court_time import court_today
from desktop.ui.appeal_tab import AppealTab
from desktop.ui.board_view import BoardView
from desktop.words import count
from tests.conftest import Api, mutation
from tests.server.sync_helpers import TokenBook, applied, stored
from tests.server.test_appeal_briefing import transcript_marked_ready


def first_open_from(day: date) -> date:
    calendar = board_calendar()
    while not calendar.is_open(day):
        day += timedelta(days=1)
    return day


@pytest.mark.slow
def test_the_board_clerk_grants_an_extension_request_with_the_keyboard_offline(
    qtbot: Any, make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    api = Api(desktop_server.test_client())
    tokens = TokenBook(api)
    appeal = transcript_marked_ready(api, tokens)
    held = stored(desktop_server, "appeal", appeal["id"])
    assert held is not None
    asked = {
        **appeal,
        "appellant_extension": "requested",
        "appellant_extension_requested_at": datetime.now(UTC).isoformat(),
    }
    applied(api, tokens["attorney1"], "appeal", asked, base_version=held[1])

    ctx = make_context("board_clerk1")
    view = BoardView(ctx)
    qtbot.addWidget(view)
    view.resize(1400, 500)
    view.show()
    qtbot.waitActive(view)
    # The docketed appeal shows in the clerk's list because a request waits in it.
    qtbot.waitUntil(lambda: any(r.appeal_id == appeal["id"] for r in view.rows), timeout=10_000)
    index = next(i for i, r in enumerate(view.rows) if r.appeal_id == appeal["id"])
    row = view.rows[index]
    assert row.extension_requests == ("appellant",)
    assert "extension asked: appellant" in row.briefing
    asked = sum(len(r.extension_requests) for r in view.rows)
    assert f"{count(asked, 'extension request')} waiting" in view.message.text()
    assert "(s)" not in view.message.text()

    view.table.setFocus()
    view.table.selectRow(index)
    qtbot.keyClick(view.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.decider.said.startswith("Extension granted"), timeout=20_000)
    assert "The appellee's moves to" in view.decider.said
    (entry,) = [e for e in ctx.store.pending() if e.record_id == appeal["id"]]
    assert entry.data is not None and entry.data["appellant_extension"] == "granted"
    old_due = date.fromisoformat(appeal["appellant_brief_due"])
    new_due = first_open_from(old_due + timedelta(days=21))
    assert entry.data["appellant_brief_due"] == new_due.isoformat()
    assert (
        entry.data["appellee_brief_due"]
        == first_open_from(new_due + timedelta(days=21)).isoformat()
    )
    assert entry.data["appellant_extension_decided_on"] == court_today(BOARD_TIMEZONE).isoformat()
    # Decided: the appeal leaves the clerk's list; nothing is left to decide.
    qtbot.waitUntil(lambda: all(r.appeal_id != appeal["id"] for r in view.rows), timeout=10_000)

    # The server accepts what the client queued.
    token = api.login("board_clerk1")
    (result,) = api.push(token, mutation("appeal", entry.data, base_version=entry.base_version))
    assert result["status"] == "applied", result

    # The case file's appeal tab, from the same local copy: every deadline and days left.
    tab = AppealTab(ctx, appeal["case_id"])
    qtbot.addWidget(tab)
    tab.refresh()
    qtbot.waitUntil(lambda: len(tab.model.rows) == 2, timeout=10_000)
    appellant, appellee = tab.model.rows
    today = court_today(BOARD_TIMEZONE)
    assert appellant.label == "Respondent (appellant)" and appellee.label == "DHS (appellee)"
    assert appellant.due == new_due and appellant.days_left == (new_due - today).days
    assert appellant.extension == "granted" and appellee.extension == "not requested"
    assert appellant.brief == "not filed"
    assert "Docketed" in tab.status.text() and "transcript ready" in tab.status.text()
    assert "consecutive" in tab.schedule.text() and "1003.3(c)(1)" in tab.schedule.text()
