"""The profile page (mailing address, phone, email re-verified, mail choices), the terms of
use asked once after sign-in, and the recovery codes shown once by a GET (post/redirect/
get): over the app on SQLite and PostgreSQL, then in Debian's Chromium against a real
server process."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser as Chromium
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from sync_server.app import create_app
from sync_server.config import ServerConfig, load_config
from sync_server.migrate import upgrade
from sync_server.models import PortalAccount, PortalMailPreference
from sync_server.services.profile import current_terms
from tests.conftest import DEMO_PASSWORD, LiveServer, court_id
from tests.portal.portal_helpers import (
    PASSWORD,
    Browser,
    audit_rows,
    mail_to,
    register_and_approve,
    registration_form,
    sign_in,
    sign_in_enrolling,
    verification_path,
)
from tests.portal.test_portal_accessibility import check

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def terms_on(seeded_app: Flask) -> Iterator[Flask]:
    """The shared app with the terms-of-use step on (as a real server has it)."""
    profiles = seeded_app.extensions["ecas_portal"].profiles
    profiles.terms_required = True
    try:
        yield seeded_app
    finally:
        profiles.terms_required = False


def test_terms_are_asked_after_sign_in_until_accepted_once_and_audited(terms_on: Flask) -> None:
    app = terms_on
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)  # the codes page comes before the terms
    response = browser.get("/portal/cases")
    assert response.status_code == 303
    assert response.headers["Location"] == "/portal/terms?next=/portal/cases"
    browser.get(response.headers["Location"])
    check(browser.last)
    assert current_terms().version in browser.last and "8 CFR 1208.6" in browser.last
    # Not ticked: asked again.
    response = browser.post("/portal/terms", {"version": current_terms().version})
    assert response.status_code == 422 and "Tick the box" in browser.last
    check(browser.last)
    response = browser.post(
        "/portal/terms",
        {"version": current_terms().version, "accept": "yes", "next": "/portal/cases"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/portal/cases?notice=terms-accepted"
    assert browser.get("/portal/cases").status_code == 200
    [entry] = audit_rows(app, "portal.terms_accepted", account.user_id)
    assert entry.detail["version"] == current_terms().version
    # Once: the next sign-in goes straight on.
    again = sign_in(app, account)
    assert again.get("/portal/cases").status_code == 200
    assert len(audit_rows(app, "portal.terms_accepted", account.user_id)) == 1


def test_recovery_codes_are_shown_once_by_a_get_and_a_reload_does_not_repeat_them(
    seeded_app: Flask,
) -> None:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)  # POST -> 303 -> GET with the codes
    codes = re.findall(r"<li>([0-9a-f]{4}(?:-[0-9a-f]{4}){3})</li>", browser.last)
    assert len(codes) == 10 and codes == account.recovery_codes
    check(browser.last)
    # A reload is a GET of the same page: nothing is sent again, the codes are gone.
    response = browser.get("/portal/login/recovery-codes?next=/portal/")
    assert response.status_code == 200
    assert 'id="recovery-codes"' not in browser.last and "shown once" in browser.last
    assert not any(code in browser.last for code in codes)
    # A recovery code still signs in (the codes shown were the ones stored).
    login = Browser(seeded_app.test_client())
    login.post(
        "/portal/login",
        {"login": account.username, "password": PASSWORD},
        from_page="/portal/login",
    )
    login.get("/portal/login/code")
    assert login.post("/portal/login/code", {"code": codes[0]}).status_code == 302


def test_the_profile_page_edits_address_phone_email_and_mail_choices(seeded_app: Flask) -> None:
    app = seeded_app
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)
    browser.get("/portal/profile")
    check(browser.last)
    assert account.email in browser.last and "Always sent" in browser.last
    # Without the page's token: refused.
    assert browser.client.post("/portal/profile", data={"section": "contact"}).status_code == 403

    bad = {"section": "contact", "street": "1 Main St", "city": "Oakland", "state": "CA"}
    response = browser.post("/portal/profile", bad | {"zip": "946", "phone": "510-555-0199"})
    assert response.status_code == 422 and "error-summary" in browser.last
    check(browser.last)
    response = browser.post("/portal/profile", bad | {"zip": "94612", "phone": "510-555-0199"})
    assert response.status_code == 303 and "notice=profile-saved" in response.headers["Location"]
    with app.extensions["ecas"].factory() as session:
        row = session.get(PortalAccount, account.user_id)
        assert row is not None
        assert row.contact["city"] == "Oakland" and row.contact["phone"] == "510-555-0199"
    [entry] = audit_rows(app, "portal.profile_updated", account.user_id)
    assert set(entry.detail["changed"]) == {"street", "city", "zip", "phone"}

    # Mail choices: everything but the acceptance of filings; service can't be turned off.
    wanted = ["filing_rejected", "package_ready", "document_served"]
    response = browser.post("/portal/profile", {"section": "mail", "wanted": wanted})
    assert response.status_code == 303
    with app.extensions["ecas"].factory() as session:
        rows = session.scalars(
            select(PortalMailPreference).where(PortalMailPreference.user_id == account.user_id)
        ).all()
    assert {(r.kind, r.wanted) for r in rows} == {("filing_accepted", False)}
    browser.get("/portal/profile")
    assert 'value="filing_accepted">' in browser.last  # unchecked now
    assert 'value="filing_rejected" checked>' in browser.last
    assert audit_rows(app, "portal.mail_preferences", account.user_id)

    # Email: a link to the new address; the address changes when it is opened.
    new = f"new.{account.username}@example.org"
    response = browser.post("/portal/profile", {"section": "email", "email": "not-an-address"})
    assert response.status_code == 422
    check(browser.last)
    response = browser.post("/portal/profile", {"section": "email", "email": new})
    assert response.status_code == 303
    with app.extensions["ecas"].factory() as session:
        row = session.get(PortalAccount, account.user_id)
        assert row is not None and row.email == account.email  # not yet
    body = mail_to(app, new, "Confirm your new email address").get_content()
    found = re.search(r"https?://[^/\s]+(/portal/profile/email/\S+)", body)
    assert found, body
    # Another account can't use the link.
    stranger = sign_in_enrolling(app, register_and_approve(app))
    assert stranger.get(found.group(1)).status_code == 404
    response = browser.get(found.group(1))
    assert response.status_code == 303
    browser.get(response.headers["Location"])
    assert f'id="current-email">{new}<' in browser.last
    assert browser.get(found.group(1)).status_code == 404  # used once
    assert audit_rows(app, "portal.email_changed", account.user_id)


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("backend", ["sqlite"])
def test_terms_recovery_codes_and_profile_in_chromium(live_server: LiveServer) -> None:
    live_server.stop()
    live_server.env["ECAS_PORTAL_TERMS"] = "1"  # as a real server has it
    live_server.start()
    base = live_server.url
    data_dir = Path(live_server.env["ECAS_DATA_DIR"])
    form = registration_form()
    with sync_playwright() as playwright:
        chromium: Chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = chromium.new_context().new_page()
            page.goto(f"{base}/portal/register")
            page.get_by_label("Attorney", exact=True).check()
            for name in ("first_name", "last_name", "email", "phone", "firm", "street", "city"):
                page.locator(f"#{name}").fill(form[name])
            page.get_by_label("State").fill(form["state"])
            page.get_by_label("ZIP code").fill(form["zip"])
            page.get_by_label("Court of admission 1").fill(form["bar_jurisdiction_0"])
            page.get_by_label("Bar number 1").fill(form["bar_number_0"])
            page.get_by_label("Court for the identity check").select_option(court_id("SFR"))
            page.get_by_label("Username").fill(form["username"])
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_label("Password again").fill(PASSWORD)
            page.get_by_role("button", name="Register").click()
            expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
            page.goto(base + verification_path(data_dir, form["email"]))

            admin = chromium.new_context().new_page()
            admin.goto(f"{base}/portal/login")
            admin.get_by_label("Username or email address").fill("admin1")
            admin.get_by_label("Password").fill(DEMO_PASSWORD)
            admin.get_by_role("button", name="Continue").click()
            card = admin.locator("section.card", has_text=form["last_name"])
            card.get_by_label("I checked this person's photo identification in person").check()
            card.get_by_role("button", name=re.compile("^Approve")).click()
            expect(admin.locator(".notice")).to_contain_text("Registration approved")

            page.goto(f"{base}/portal/login")
            page.get_by_label("Username or email address").fill(form["username"])
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Continue").click()
            totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().strip())
            page.get_by_label("Code from the app").fill(totp.now())
            page.get_by_role("button", name="Turn on two-factor sign-in").click()
            expect(page.locator("#recovery-codes li")).to_have_count(10)
            assert page.url.startswith(f"{base}/portal/login/recovery-codes")
            page.reload()  # a GET: no "resend the form?" and no codes again
            expect(page.locator("#recovery-codes li")).to_have_count(0)
            expect(page.get_by_text("shown once")).to_be_visible()
            page.get_by_role("link", name="Continue").click()

            # The terms of use, asked before anything else, once.
            expect(page.get_by_role("heading", name="Terms of use")).to_be_visible()
            page.get_by_role("button", name="Accept and continue").click()
            expect(page.locator("#error-summary")).to_contain_text("Tick the box")
            page.get_by_label(re.compile("^I have read and accept")).check()
            page.get_by_role("button", name="Accept and continue").click()
            expect(page.get_by_role("heading", name="My cases")).to_be_visible()  # asked for

            # The profile: phone and a mail choice, kept after a reload.
            page.get_by_role("link", name="Profile").click()
            expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
            page.get_by_label("Telephone", exact=True).fill("510-555-0142")
            page.get_by_role("button", name="Save address and telephone").click()
            expect(page.locator(".notice.ok")).to_contain_text("saved")
            page.get_by_label(re.compile("accepted by the clerk")).uncheck()
            page.get_by_role("button", name="Save email choices").click()
            expect(page.locator(".notice.ok")).to_contain_text("choice of email")
            page.reload()
            expect(page.get_by_label("Telephone", exact=True)).to_have_value("510-555-0142")
            expect(page.get_by_label(re.compile("accepted by the clerk"))).not_to_be_checked()
            expect(page.locator("#always-sent")).to_contain_text("served on me")
            page.goto(f"{base}/portal/cases")  # no terms again
            expect(page.get_by_role("heading", name="My cases")).to_be_visible()
        finally:
            chromium.close()


def test_the_terms_step_is_a_server_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ECAS_PORTAL_TERMS (docs/DEPLOYMENT.md): on unless 0, read into the server's settings
    (also when a ServerConfig is built in code) and from there into the portal; a value that
    is neither 1 nor 0 stops the server."""
    for value, required in (("1", True), ("0", False), ("", True)):
        monkeypatch.setenv("ECAS_PORTAL_TERMS", value)
        built = ServerConfig(tmp_path, "sqlite://", str(tmp_path), "k" * 40)
        assert built.portal_terms_required is required
    monkeypatch.setenv("ECAS_PORTAL_TERMS", "0")
    base = {"ECAS_DATA_DIR": str(tmp_path), "ECAS_SECRET_KEY": "k" * 40}
    assert load_config(base).portal_terms_required is True
    assert load_config(base | {"ECAS_PORTAL_TERMS": "1"}).portal_terms_required is True
    off = load_config(base | {"ECAS_PORTAL_TERMS": "0"})
    assert off.portal_terms_required is False
    with pytest.raises(ValueError, match="ECAS_PORTAL_TERMS must be 1"):
        load_config(base | {"ECAS_PORTAL_TERMS": "no"})
    for setting in (True, False):
        url = f"sqlite:///{tmp_path / f'terms-{setting}.sqlite3'}"
        upgrade(url)
        app = create_app(
            replace(off, database_url=url, testing=True, portal_terms_required=setting)
        )
        try:
            assert app.extensions["ecas_portal"].profiles.terms_required is setting
        finally:
            app.extensions["ecas"].engine.dispose()
