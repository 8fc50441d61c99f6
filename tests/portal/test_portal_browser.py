"""The portal in a real browser: Debian's headless Chromium, driven by Playwright, against a
real ``ecas-server run`` process on loopback (SQLite).

An attorney registers, confirms the email (read from the outbox folder), is approved by
the court administrator, sets up TOTP, files an EOIR-28; the clerk accepts it through the
sync API; the attorney sees the case, is refused a bad PDF with the reason, files a brief,
requests the record of proceedings and downloads it. A DHS user files a notice to appear,
and the clerk's next pull holds the new case.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from common.anumber import format_a_number
from sync_server.models import CaseRow, FilingRow, HearingRow, UserRow
from tests.conftest import DEMO_PASSWORD, LiveServer, court_id
from tests.pdf_factory import encrypted_pdf, valid_pdf
from tests.portal.portal_flows import HttpApi, clerk_accepts, sf_today
from tests.portal.portal_helpers import PASSWORD, registration_form, verification_path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

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


class _AppView:
    """What the test needs of the live server's data folder and database."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.data_dir = Path(server.env["ECAS_DATA_DIR"])
        self.engine = create_engine(server.env["ECAS_DATABASE_URL"])

    def case_with_hearings(self) -> CaseRow:
        with Session(self.engine) as session:
            with_hearing = select(HearingRow.case_id)
            case = session.scalars(
                select(CaseRow)
                .where(
                    CaseRow.court_id == court_id("SFR"),
                    CaseRow.status != "appealed",
                    CaseRow.id.in_(with_hearing),
                )
                .order_by(CaseRow.id)
            ).first()
            assert case is not None
            return case

    def eoir_id(self, username: str) -> str:
        with Session(self.engine) as session:
            return str(session.scalar(select(UserRow.eoir_id).where(UserRow.username == username)))

    def filing_id(self, username: str, kind: str) -> str:
        with Session(self.engine) as session:
            user = session.scalar(select(UserRow.id).where(UserRow.username == username))
            return str(
                session.scalar(
                    select(FilingRow.id).where(FilingRow.filer_id == user, FilingRow.kind == kind)
                )
            )


def _enrol(page: Page) -> pyotp.TOTP:
    """On the set-up page: read the key, enter the app's code, leave the recovery codes."""
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().strip())
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    return totp


def _sign_in(page: Page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/portal/login")
    page.get_by_label("Username or email address").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_attorney_and_dhs_journeys_in_chromium(
    live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    base = live_server.url
    app = _AppView(live_server)
    api = HttpApi(base)
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()

    # --- register --------------------------------------------------------------------------
    form = registration_form()
    page.goto(f"{base}/portal/register")
    page.get_by_label("Attorney", exact=True).check()
    for name in ("first_name", "last_name", "email", "phone", "firm", "street", "city"):
        page.locator(f"#{name}").fill(form[name])
    page.get_by_label("State").fill(form["state"])
    page.get_by_label("ZIP code").fill("941")  # wrong on purpose
    page.get_by_label("Court of admission 1").fill(form["bar_jurisdiction_0"])
    page.get_by_label("Bar number 1").fill(form["bar_number_0"])
    page.get_by_label("Court for the identity check").select_option(court_id("SFR"))
    page.get_by_label("Username").fill(form["username"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("ZIP code")
    summary.get_by_role("link").first.click()  # the summary links to the field
    expect(page.locator("#zip")).to_be_focused()
    expect(page.locator("#first_name")).to_have_value(form["first_name"])  # nothing lost
    page.locator("#zip").fill(form["zip"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto(base + verification_path(app.data_dir, form["email"]))
    expect(page.get_by_role("heading", name="Email address confirmed")).to_be_visible()

    # --- the court administrator approves after the in-person check -------------------------
    admin = browser.new_context().new_page()
    _sign_in(admin, base, "admin1", DEMO_PASSWORD)
    expect(admin.get_by_role("heading", name="Registrations at your court")).to_be_visible()
    card = admin.locator("section.card", has_text=form["last_name"])
    card.get_by_label("I checked this person's photo identification in person").check()
    card.get_by_role("button", name=re.compile("^Approve")).click()
    expect(admin.locator(".notice")).to_contain_text("Registration approved")
    eoir_id = app.eoir_id(form["username"])
    expect(admin.locator(".eoir-id", has_text=eoir_id)).to_be_visible()

    # --- first sign-in sets up TOTP ---------------------------------------------------------
    _sign_in(page, base, form["username"], PASSWORD)
    _enrol(page)
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    # --- EOIR-28 ----------------------------------------------------------------------------
    case = app.case_with_hearings()
    page.get_by_role("link", name="File EOIR-28").click()
    expect(page.locator("#eoir_id")).to_have_value(eoir_id)
    page.get_by_label("Respondent's first name").fill(case.respondent_first_name)
    page.get_by_label("Respondent's last name").fill(case.respondent_last_name)
    page.get_by_label("A-number").fill(format_a_number(case.a_number))
    page.get_by_label("Respondent's street address").fill("22 Mission St")
    page.get_by_label("Respondent's city").fill("San Francisco")
    page.get_by_label("Respondent's state").fill("CA")
    page.get_by_label("Respondent's ZIP code").fill("94103")
    # For all proceedings: custody-and-bond-only counsel would read only a bond case.
    page.get_by_label("All proceedings", exact=True).check()
    page.get_by_label(re.compile("^Attorneys: I am not subject")).check()
    page.get_by_label(re.compile("^I declare under penalty of perjury")).check()
    page.get_by_label("Address served").fill("100 Montgomery St, San Francisco, CA 94104")
    page.get_by_role("button", name="File the form").click()
    # The consent box was left empty: the form says so and keeps everything else.
    expect(page.locator("#error-summary")).to_contain_text("Respondent's consent")
    expect(page.get_by_label("Respondent's city")).to_have_value("San Francisco")
    page.get_by_label(re.compile("^The respondent consents")).check()
    page.get_by_role("button", name="File the form").click()
    expect(page.get_by_role("heading", name="My filings")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Pending")

    clerk_accepts(api, "clerk1", app.filing_id(form["username"], "eoir_28"))

    # --- eInfo: the case, a refused PDF, a filed brief --------------------------------------
    page.get_by_role("link", name="My cases").click()
    page.get_by_role("link", name=format_a_number(case.a_number)).click()
    expect(page.locator("#case-status")).to_be_visible()
    expect(page.get_by_role("heading", name="Hearings")).to_be_visible()
    expect(page.locator("main")).to_contain_text("all proceedings, primary (accepted)")
    page.get_by_role("link", name="File documents").click()
    bad = tmp_path / "locked-brief.pdf"
    bad.write_bytes(encrypted_pdf())
    page.get_by_label("Title").fill("Respondent's pre-hearing brief")
    page.get_by_label("Lead document").set_input_files(str(bad))
    page.get_by_role("button", name="File", exact=True).click()
    expect(page.locator("#error-summary")).to_contain_text("locked-brief.pdf")
    expect(page.locator("#lead-error")).to_contain_text("encrypt")
    good = tmp_path / "brief.pdf"
    good.write_bytes(valid_pdf(3))
    page.get_by_label("Lead document").set_input_files(str(good))
    page.get_by_role("button", name="File", exact=True).click()
    expect(page.locator(".notice")).to_contain_text("Filed")
    row = page.locator("tr", has_text="Respondent's pre-hearing brief")
    expect(row).to_contain_text("Pending")

    # --- the record of proceedings ----------------------------------------------------------
    page.get_by_role("button", name="Request the record").click()
    expect(page.get_by_role("heading", name="Record of proceedings")).to_be_visible()
    # No timed reload (axe's meta-refresh rule): static/record.js updates the status in place.
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    expect(page.locator("#record-status")).to_have_attribute("data-poll-seconds", "3")
    page_id = page.evaluate("() => (window.__same_page = Math.random())")
    worker = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", "package-worker", "--once"],
        env=live_server.env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr.decode()[-2000:]
    download_link = page.locator("#download-record")
    expect(download_link).to_be_visible(timeout=20_000)  # the page updates itself
    assert page.evaluate("() => window.__same_page") == page_id  # in place, not reloaded
    with page.expect_download() as info:
        download_link.click()
    saved = tmp_path / "record.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename.startswith("eROP-A")

    # --- DHS: a notice to appear reaches the clerk's docket ---------------------------------
    dhs = browser.new_context().new_page()
    _sign_in(dhs, base, "dhs1", DEMO_PASSWORD)
    _enrol(dhs)
    dhs.get_by_role("link", name="File a notice to appear").click()
    a_number = "208-331-474"
    dhs.get_by_label("Immigration court").select_option(court_id("SFR"))
    dhs.get_by_label("A-number").fill(a_number)
    dhs.get_by_label("Respondent's first name").fill("Amara")
    dhs.get_by_label("Respondent's last name").fill("Okafor")
    dhs.get_by_label("Country of citizenship").fill("Nigeria")
    dhs.get_by_label("Language").fill("Igbo")
    dhs.get_by_label("Custody").select_option("never_detained")
    dhs.get_by_label("Charges").fill("INA 212(a)(6)(A)(i)")
    dhs.get_by_label("Date the NTA was served").fill(sf_today())
    nta = tmp_path / "nta.pdf"
    nta.write_bytes(valid_pdf(2))
    dhs.get_by_label("Notice to appear (PDF)").set_input_files(str(nta))
    dhs.get_by_role("button", name="File the notice to appear").click()
    expect(dhs.locator(".notice")).to_contain_text("Notice to appear filed")
    expect(dhs.locator("h1")).to_contain_text("OKAFOR")

    changes, _ = api.pull_all(api.login("clerk1"))
    opened = [
        c
        for c in changes
        if c["entity"] == "case" and c["data"].get("a_number") == a_number.replace("-", "")
    ]
    assert len(opened) == 1 and opened[0]["data"]["status"] == "opened"
    context.close()
    app.engine.dispose()
