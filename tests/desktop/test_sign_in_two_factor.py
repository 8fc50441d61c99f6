"""A court administrator signs in to the desktop with the code from their authenticator
app (the server asks court administrators for a second factor); a clerk leaves it empty."""

from __future__ import annotations

import time
from pathlib import Path

import pyotp
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, select

from desktop.settings import SERVER_URL, Settings
from desktop.ui.sign_in_dialog import SignInDialog
from sync_server.db import make_engine, make_session_factory, write_transaction
from sync_server.models import PortalSecondFactor, UserRow
from sync_server.models.portal import ApiSecondFactorExemption
from sync_server.models.types import utcnow
from sync_server.services import totp
from tests.conftest import DEMO_PASSWORD, LiveServer

pytestmark = pytest.mark.slow


def _give_admin1_an_app(server: LiveServer) -> pyotp.TOTP:
    """admin1 as a real court administrator: no demo exemption, a confirmed app."""
    secret = totp.new_secret()
    engine = make_engine(server.env["ECAS_DATABASE_URL"])
    try:
        with write_transaction(make_session_factory(engine)) as session:
            admin = session.scalar(select(UserRow).where(UserRow.username == "admin1"))
            assert admin is not None
            session.execute(
                delete(ApiSecondFactorExemption).where(ApiSecondFactorExemption.user_id == admin.id)
            )
            box = totp.SecretBox(server.env["ECAS_SECRET_KEY"])
            session.add(
                PortalSecondFactor(
                    user_id=admin.id, secret=box.seal(secret), last_step=0, confirmed_at=utcnow()
                )
            )
    finally:
        engine.dispose()
    return pyotp.TOTP(secret)


def test_a_court_administrator_signs_in_with_the_code_from_the_app(
    qtbot: QtBot, live_server: LiveServer, settings: Settings, tmp_path: Path
) -> None:
    app = _give_admin1_an_app(live_server)
    settings.set(SERVER_URL, live_server.url)
    dialog = SignInDialog(settings, base_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin1")
    qtbot.keyClicks(dialog.password, DEMO_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    # Without the code the server says one is needed, and the code field is next.
    qtbot.waitUntil(lambda: "two-factor code is required" in dialog.error.text(), timeout=15_000)
    assert dialog.result_session is None and dialog.code.hasFocus()
    qtbot.keyClicks(dialog.code, app.at(time.time()))
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    session = dialog.result_session
    assert session is not None and session.online and session.role == "court_admin"
    assert dialog.code.text() == "" and dialog.password.text() == ""
