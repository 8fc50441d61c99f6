"""The idle-timeout warning in a real browser (Debian's headless Chromium via Playwright,
against a real ``ecas-server run`` on loopback): before the session ends the dialog opens
with the time left, and "Stay signed in", pressed from the keyboard, keeps the session."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect, sync_playwright
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from sync_server.models import PortalSession, UserRow
from sync_server.models.types import utcnow
from tests.conftest import DEMO_PASSWORD, LiveServer
from tests.portal.test_portal_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def short_idle_server(
    backend: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> LiveServer:
    """A live server whose portal sessions end after one idle minute (the warning comes
    30 seconds before)."""
    monkeypatch.setenv("ECAS_PORTAL_IDLE_MINUTES", "1")
    server: LiveServer = request.getfixturevalue("live_server")
    return server


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _last_seen(server: LiveServer, username: str) -> list[datetime]:
    engine = create_engine(server.env["ECAS_DATABASE_URL"])
    try:
        with Session(engine) as session:
            user_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
            return list(
                session.scalars(
                    select(PortalSession.last_seen_at).where(
                        PortalSession.user_id == user_id,
                        PortalSession.second_factor_done,
                        PortalSession.ended.is_(False),
                    )
                )
            )
    finally:
        engine.dispose()


def test_the_idle_warning_opens_before_the_timeout_and_stay_signed_in_keeps_the_session(
    short_idle_server: LiveServer, browser: Browser
) -> None:
    page = browser.new_page()
    page.goto(f"{short_idle_server.url}/portal/login")
    page.get_by_label("Username or email address").fill("admin1")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    opened_at = time.monotonic()

    dialog = page.get_by_role("dialog", name="Do you want to stay signed in?")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=45_000)
    assert time.monotonic() - opened_at >= 25  # not before the warning time (30 s left)
    expect(page.locator("#idle-text")).to_contain_text("your session ends in about")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()

    pressed_at = utcnow()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        seen = _last_seen(short_idle_server, "admin1")
        if seen and all(s >= pressed_at - timedelta(seconds=1) for s in seen):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the keep-alive did not restart the session's idle clock")

    # 62 seconds after signing in, past the 60 s idle limit the user would have hit
    # without staying, the session is still live.
    page.wait_for_timeout(max(0, int((opened_at + 62 - time.monotonic()) * 1000)))
    page.goto(f"{short_idle_server.url}/portal/admin/registrations")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")
    assert "/portal/login" not in page.url
