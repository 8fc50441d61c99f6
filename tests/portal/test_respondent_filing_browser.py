"""A pro se respondent files a document in Debian's headless Chromium (Playwright) against
a real ``ecas-server run`` process on loopback (SQLite): they open their account with the
mailed code, choose what they file, attach a PDF and send it; the clerk's pull holds the
filing to review (the desktop's queue, server side) and the respondent's case page shows it
waiting for the clerk."""

from __future__ import annotations

import os

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from sync_server.models import FilingRow
from tests.conftest import LiveServer
from tests.pdf_factory import javascript_pdf, valid_pdf
from tests.portal.portal_flows import HttpApi
from tests.portal.portal_helpers import PASSWORD
from tests.portal.respondent_flows import BIRTH, MailedCase, access_code, mailed_case
from tests.portal.test_portal_browser import CHROMIUM
from tests.portal.test_respondent_browser import _sign_in, browser, reader

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]
__all__ = ["browser", "reader"]  # the fixtures, shared with the other respondent tests


def _enrolled(page: Page, base: str, case: MailedCase, code: str) -> None:
    login = f"luis{case.case_id[:8]}"
    page.goto(f"{base}/portal/respondent/enrol")
    page.get_by_label("Case access code").fill(code)
    page.get_by_label("A-number").fill(case.a_number_shown)
    page.get_by_label("Date of birth").fill(BIRTH)
    page.get_by_label("Email address").fill(f"luis.{case.case_id[:8]}@example.org")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Open my account").click()
    expect(page.locator(".notice")).to_contain_text("Your account is open")
    _sign_in(page, base, login)
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().strip())
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name=case.last_name.upper())).to_be_visible()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_respondent_files_evidence_and_the_clerk_has_it_to_review(
    live_server: LiveServer, browser: Browser, reader: Flask
) -> None:
    base = live_server.url
    api = HttpApi(base)
    case = mailed_case(api, api.login("clerk1"))
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # a phone
    _enrolled(page, base, case, access_code(reader, case.case_id))

    page.get_by_role("link", name="File documents: evidence, a statement, a motion").click()
    expect(page.locator("#service")).to_contain_text("DHS — ICE Office of the Principal Legal")
    # A PDF with a script is refused by the PDF box, with its reason; nothing is filed.
    page.get_by_label("Evidence or supporting documents").check()
    page.get_by_label("Title of the document").fill("Letter from my employer")
    page.get_by_label("The document (PDF)").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": javascript_pdf()}
    )
    page.get_by_role("button", name="File the documents").click()
    expect(page.locator("#error-summary")).to_contain_text("letter.pdf")
    expect(page.get_by_label("Title of the document")).to_have_value("Letter from my employer")
    page.get_by_label("The document (PDF)").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": valid_pdf(2)}
    )
    page.get_by_role("button", name="File the documents").click()
    expect(page.locator(".notice.ok")).to_contain_text("The clerk reviews it")
    expect(page.locator("#filings")).to_be_visible()
    expect(page.locator("#filings + ul")).to_contain_text("Letter from my employer")
    expect(page.locator("#filings + ul")).to_contain_text("waiting for the clerk")

    # Server side of the clerk's review queue: the clerk's pull holds it, pending.
    with reader.extensions["ecas"].factory() as session:
        filing = session.scalars(
            select(FilingRow).where(FilingRow.case_id == case.case_id, FilingRow.kind == "document")
        ).one()
    changes, _ = api.pull_all(api.login("clerk1"))
    [pulled] = [c for c in changes if c["entity"] == "filing" and c["id"] == filing.id]
    assert pulled["data"]["status"] == "pending"
    assert pulled["data"]["form"]["respondent_document"] == "evidence"
    assert pulled["data"]["lead_document_id"] in {
        c["id"] for c in changes if c["entity"] == "document"
    }
