"""The case file's "New access code…" (issue 17 item 3), driven with clicks: against a real
server on loopback the clerk confirms, the new code is shown once and works (the server's
stored hash matches it, the old code no longer does, the rotation is audited without it);
Cancel changes nothing; offline the clerk is told and nothing changes; a judge has no
button."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.api_client import ApiClient
from desktop.local_store import LocalStore
from desktop.services.session import SignedIn
from desktop.services.sync_controller import SyncController
from desktop.settings import Settings
from desktop.sync_engine import SyncEngine
from desktop.ui.access_code_rotation import ConfirmRotation, NewCodeDialog
from desktop.ui.case_file_view import CaseFileView
from desktop.ui.context import DesktopContext
from sync_server.app import create_app
from sync_server.models.respondents import CaseAccessCode
from sync_server.services import access_codes
from tests.conftest import DEMO_PASSWORD, LiveServer, server_config
from tests.portal.portal_flows import HttpApi
from tests.portal.portal_helpers import audit_rows
from tests.portal.respondent_flows import MailedCase, access_code, mailed_case


@pytest.fixture
def reader(live_server: LiveServer) -> Iterator[Flask]:
    """The live server's database, read in-process."""
    app = create_app(
        server_config(live_server.env["ECAS_DATABASE_URL"], Path(live_server.env["ECAS_DATA_DIR"]))
    )
    yield app
    app.extensions["ecas"].engine.dispose()


@pytest.fixture
def pro_se_case(live_server: LiveServer) -> MailedCase:
    api = HttpApi(live_server.url)
    return mailed_case(api, api.login("clerk1"))


@pytest.fixture
def online_clerk(
    qapp: object, live_server: LiveServer, tmp_path: Path, settings: Settings, pro_se_case: object
) -> Iterator[DesktopContext]:
    client = ApiClient(live_server.url)
    session = client.login("clerk1", DEMO_PASSWORD)
    store = LocalStore(tmp_path / "clerk1-live.sqlite3")
    engine = SyncEngine(client, store)
    engine.sync_once()
    ctx = DesktopContext(
        settings,
        SignedIn(client, store, session.user, online=True),
        SyncController(engine, interval_seconds=3600),
    )
    yield ctx
    ctx.sync.stop()
    ctx.writer.waitForDone(5000)
    store.engine.dispose()


def _stored(app: Flask, case_id: str) -> str:
    with app.extensions["ecas"].factory() as session:
        row = session.get(CaseAccessCode, case_id)
        assert row is not None
        return row.code_hash


def _case_file(qtbot: QtBot, ctx: DesktopContext, case_id: str) -> CaseFileView:
    view = CaseFileView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.access_code.button.isVisible(), timeout=5000)
    return view


def _confirm(qtbot: QtBot, view: CaseFileView) -> ConfirmRotation:
    qtbot.mouseClick(view.access_code.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.access_code.confirm is not None, timeout=5000)
    dialog = view.access_code.confirm
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


@pytest.mark.slow
def test_the_clerk_issues_a_new_code_and_sees_it_once(
    qtbot: QtBot, online_clerk: DesktopContext, reader: Flask, pro_se_case: MailedCase
) -> None:
    old = access_code(reader, pro_se_case.case_id)
    view = _case_file(qtbot, online_clerk, pro_se_case.case_id)

    # Cancel (the default button) changes nothing.
    dialog = _confirm(qtbot, view)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.wait(200)
    assert view.access_code.shown is None
    assert access_codes.matches(old, _stored(reader, pro_se_case.case_id))

    dialog = _confirm(qtbot, view)
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.access_code.shown is not None, timeout=10000)
    shown = view.access_code.shown
    assert isinstance(shown, NewCodeDialog)
    qtbot.waitUntil(shown.isVisible, timeout=5000)
    code = shown.code.text()
    assert pro_se_case.a_number_shown in view.message.text()
    assert code not in view.message.text()
    stored = _stored(reader, pro_se_case.case_id)
    assert access_codes.matches(code, stored) and not access_codes.matches(old, stored)
    assert code in shown.printable().toPlainText()
    rotated = [
        r for r in audit_rows(reader, "access_code.issue") if r.record_id == pro_se_case.case_id
    ]
    assert rotated[-1].detail["reason"] == "rotated"
    assert rotated[-1].actor_id == online_clerk.session.user["id"]
    assert access_codes.normalise(code) not in str(rotated[-1].detail)
    # Closing the window clears the code: it is shown once.
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=5000)


def test_offline_nothing_changes_and_the_clerk_is_told(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    ctx = make_context("clerk1")
    case_id = str(ctx.store.all("case")[0]["id"])
    view = _case_file(qtbot, ctx, case_id)
    dialog = _confirm(qtbot, view)
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "needs the server" in view.message.text(), timeout=10000)
    assert view.access_code.shown is None and view.access_code.button.isEnabled()


def test_a_judge_has_no_such_button(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    ctx = make_context("judge1")
    case_id = str(ctx.store.all("case")[0]["id"])
    view = CaseFileView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    qtbot.wait(100)
    assert not view.access_code.button.isVisible()
