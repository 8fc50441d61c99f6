"""Respondents' access in a real browser: Debian's headless Chromium, driven by Playwright,
against a real ``ecas-server run`` process on loopback (SQLite).

The clerk sets a hearing in a pro se respondent's case (a push over HTTP, as the desktop
does); the court's mailed copy of the notice carries the case access code, which the
respondent types with the A-number and date of birth to open an account, then signs in
with a TOTP code, reads the case, files a change of address; the clerk accepts it by a
push; the case page shows the new address and the next notice is mailed there. Without an
account, the next hearing by A-number, and the Spanish pages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select

from common.hearing_notices import pdf_text
from sync_server.app import create_app
from sync_server.models import FilingRow
from tests.conftest import LiveServer, mutation, server_config
from tests.portal.portal_flows import HttpApi, clerk_accepts
from tests.portal.portal_helpers import PASSWORD
from tests.portal.respondent_flows import BIRTH, a_hearing, access_code, mailed_case, mailed_copy
from tests.portal.test_portal_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def reader(live_server: LiveServer) -> Iterator[Flask]:
    """The live server's database and blob store, read in-process (the court's copy of
    what it mailed)."""
    app = create_app(
        server_config(live_server.env["ECAS_DATABASE_URL"], Path(live_server.env["ECAS_DATA_DIR"]))
    )
    yield app
    app.extensions["ecas"].engine.dispose()


def _sign_in(page: Page, base: str, login: str) -> None:
    page.goto(f"{base}/portal/login")
    page.get_by_label("Username or email address").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_respondent_enrols_with_the_mailed_code_and_moves_their_notices(
    live_server: LiveServer, browser: Browser, reader: Flask
) -> None:
    base = live_server.url
    api = HttpApi(base)
    clerk = api.login("clerk1")
    case = mailed_case(api, clerk)
    code = access_code(reader, case.case_id)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # a phone

    # --- enrol with the code from the notice ------------------------------------------------
    page.goto(f"{base}/portal/respondent/enrol")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Case access code").fill(code.lower().replace("-", " "))  # as typed
    page.get_by_label("A-number").fill(case.a_number_shown)
    page.get_by_label("Date of birth").fill("1991-05-18")  # wrong on purpose
    page.get_by_label("Email address").fill(f"luis.{case.case_id[:8]}@example.org")
    page.get_by_label("Username").fill(f"luis{case.case_id[:8]}")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Open my account").click()
    expect(page.locator("#problem")).to_contain_text("do not match a case together")
    expect(page.get_by_label("Username")).to_have_value(f"luis{case.case_id[:8]}")
    page.get_by_label("Case access code").fill(code)
    page.get_by_label("Date of birth").fill(BIRTH)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Open my account").click()
    expect(page.locator(".notice")).to_contain_text("Your account is open")

    # --- sign in: password, then the authenticator app ----------------------------------------
    _sign_in(page, base, f"luis{case.case_id[:8]}")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().strip())
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()

    # --- the case ------------------------------------------------------------------------------
    expect(page.get_by_role("heading", name=case.last_name.upper())).to_be_visible()
    expect(page.locator("#address-of-record")).to_contain_text("12 Elm Street")
    expect(page.locator("table[aria-labelledby=hearings]")).to_contain_text("PST")
    expect(page.get_by_role("link", name="Notice of hearing")).to_be_visible()

    # --- a change of address, accepted by the clerk through a push ---------------------------
    page.get_by_role("link", name="Tell the court of a new address (EOIR-33)").click()
    page.get_by_label("Street address").fill("400 Fruitvale Avenue")
    page.get_by_label("City").fill("Oakland")
    page.get_by_label("State").fill("CA")
    page.get_by_label("ZIP code").fill("94601")
    page.get_by_label("Date of the move").fill("2026-11-20")
    page.get_by_role("button", name="File the change of address").click()
    expect(page.locator(".notice")).to_contain_text("Change of address filed")
    expect(page.locator("#filings")).to_be_visible()
    with reader.extensions["ecas"].factory() as session:
        filing_id = session.scalars(
            select(FilingRow.id).where(
                FilingRow.case_id == case.case_id, FilingRow.kind == "change_of_address"
            )
        ).one()
    clerk_accepts(api, "clerk1", filing_id)
    page.reload()
    expect(page.locator("#address-of-record")).to_contain_text("400 Fruitvale Avenue")
    # The next notice is mailed to the new address.
    results = api.push(clerk, mutation("hearing", a_hearing(case.case_id, "2027-04-01T16:00:00Z")))
    assert results[0]["status"] == "applied", results
    mailed = " ".join(pdf_text(mailed_copy(reader, case.case_id)).split())
    assert "400 Fruitvale Avenue" in mailed


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_hearing_lookup_and_the_spanish_pages_in_chromium(
    live_server: LiveServer, browser: Browser
) -> None:
    base = live_server.url
    api = HttpApi(base)
    case = mailed_case(api, api.login("clerk1"))
    page = browser.new_context().new_page()
    page.goto(f"{base}/portal/lookup")
    page.get_by_label("A-number").fill(case.a_number_shown)
    page.get_by_role("button", name="Find the next hearing").click()
    expect(page.locator("#result-court")).to_contain_text("San Francisco")
    expect(page.locator("#result-time")).to_contain_text("9:00")
    expect(page.locator("#result-type")).to_have_text("Master calendar hearing")
    expect(page.locator("#result")).not_to_contain_text(case.last_name.upper())

    # The switch to Spanish, kept from page to page.
    page.get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Su próxima audiencia")).to_be_visible()
    page.get_by_label("Número A").fill(case.a_number_shown)
    page.get_by_role("button", name="Buscar la próxima audiencia").click()
    expect(page.locator("#result-type")).to_have_text("Audiencia de calendario general (master)")
    page.get_by_role("link", name="Abra su cuenta como demandado").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_label("Código de acceso al caso")).to_be_visible()
    page.get_by_role("button", name="Abrir mi cuenta").click()
    expect(page.locator("#error-summary")).to_contain_text("Escriba las 12 letras y dígitos")
    page.goto(f"{base}/portal/change-of-address")
    expect(page.get_by_role("heading", name="Cambio de domicilio (EOIR-33)")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Change of address (EOIR-33)")).to_be_visible()
