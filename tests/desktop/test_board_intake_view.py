"""The Board clerk's intake in the desktop client, with the keyboard: the demo's notice of
appeal waits in the queue (nationwide, with its fee and the Board's due date), Ctrl+J opens
the rejection reasons of the catalogue, Ctrl+D dockets it offline (the transcript ordered);
what the client queued is what the server accepts, and the case becomes appealed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from PySide6.QtCore import Qt

from common.appeals import rejection_reasons
from desktop.ui.board_view import BoardView, RejectDialog
from sync_server.demo.plan import demo_id
from tests.conftest import Api, mutation

PASSWORD = "test-password-123"


@pytest.mark.slow
def test_the_board_clerk_dockets_the_waiting_appeal_with_the_keyboard(
    qtbot: Any, make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    ctx = make_context("board_clerk1")
    view = BoardView(ctx)
    qtbot.addWidget(view)
    view.resize(1300, 500)
    view.show()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: len(view.rows) == 1, timeout=10_000)
    (row,) = view.rows
    assert row.appellant == "DHS" and row.fee == "None (DHS)"
    assert row.status == "Filed" and row.due is not None and row.received_on <= row.due
    assert row.a_number != "—" and row.court.endswith("Immigration Court")

    # Reject: the catalogue's reasons, then cancelled (nothing saved).
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.reject_dialog, RejectDialog), timeout=5_000)
    dialog = view.reject_dialog
    assert dialog is not None
    qtbot.waitActive(dialog)
    assert dialog.reason.count() == len(rejection_reasons())
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert ctx.store.pending() == []

    # Docket it: the queue empties, one outbox entry carries the docketing.
    qtbot.keyClick(view.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.rows == [], timeout=10_000)
    assert "transcript is ordered" in view.message.text() or "clear" in view.message.text()
    (entry,) = ctx.store.pending()
    assert entry.entity == "appeal" and entry.data is not None
    assert entry.data["status"] == "docketed" and entry.data["transcript_status"] == "ordered"

    # The server accepts what the client queued; the case is on appeal.
    api = Api(desktop_server.test_client())
    token = api.login("board_clerk1", PASSWORD)
    (result,) = api.push(token, mutation("appeal", entry.data, base_version=entry.base_version))
    assert result["status"] == "applied", result
    changes, _ = api.pull_all(token)
    case = [c for c in changes if c["id"] == entry.data["case_id"]][-1]["data"]
    assert case["status"] == "appealed"
    assert entry.record_id == demo_id("appeal", case["id"])
