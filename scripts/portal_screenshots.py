"""Make the README's screenshots of the web portal (``/portal/``) from demo data.

    .venv/bin/python scripts/portal_screenshots.py [OUTDIR] [--only NAME ...]
                                        (default: docs/screenshots, every screenshot)

Starts a throw-away demo server on loopback (SQLite in a temporary folder) and drives
Debian's Chromium (``/usr/bin/chromium``, headless, through Playwright; no browser is ever
downloaded). The demo attorney signs in through the real portal: password, then the first
sign-in's two-factor set-up, with the key read off the page and the code computed from it.
No picture is taken of the set-up or recovery-code pages, so no secret reaches a PNG.

- ``portal-case``:  the attorney's eInfo page of a case (hearings, deadlines, documents
  and their review status), 1280 px wide;
- ``portal-eoir28``: an EOIR-28 submitted half filled in, showing the error summary and
  the field-level errors, nothing typed lost;
- ``portal-phone``:  the attorney's list of cases on a phone (390 x 844 CSS pixels, drawn at
  twice that), the same signed-in session;
- ``portal-appeal``: the case page of the demo's appeal as its filer (counsel of record, or
  DHS) reads it while the notice waits at the Board's intake: the 30-day appeal clock in
  Board time, the appeal's status and flags, and its course at the Board.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pyotp  # noqa: E402
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from common.anumber import format_a_number  # noqa: E402
from sync_server.demo.serve import serve_demo  # noqa: E402
from sync_server.models import (  # noqa: E402
    AppealRow,
    CaseRow,
    DocumentRow,
    HearingRow,
    RepresentationRow,
    UserRow,
)

PASSWORD = "screenshot-password"
ATTORNEY = "attorney1"  # the demo attorney at the first court (see sync_server/demo/plan.py)
CASES = 60  # enough for attorney1 to have accepted cases with a brief waiting for review
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
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
NAMES = ("portal-case", "portal-eoir28", "portal-phone", "portal-appeal")


def _serve(folder: Path) -> tuple[str, sessionmaker[Session]]:
    url, app = serve_demo(folder, cases=CASES, password=PASSWORD, secret_key="portal-screenshots")
    return url, app.extensions["ecas"].factory


def _showcase_case(factory: sessionmaker[Session]) -> CaseRow:
    """The attorney's accepted case that shows the most: a document still waiting for the
    court's review beside accepted ones, a hearing ahead, then the most documents."""
    now = datetime.now(UTC)
    with factory() as session:
        attorney = session.scalar(select(UserRow.id).where(UserRow.username == ATTORNEY))
        accepted = select(RepresentationRow.case_id).where(
            RepresentationRow.practitioner_id == attorney,
            RepresentationRow.status == "accepted",
        )
        cases = list(session.scalars(select(CaseRow).where(CaseRow.id.in_(accepted))))
        if not cases:
            raise SystemExit(f"portal screenshots: {ATTORNEY} has no accepted case in the demo")
        ids = [c.id for c in cases]
        statuses: dict[str, set[str]] = {}
        for case_id, status in session.execute(
            select(DocumentRow.case_id, DocumentRow.status).where(DocumentRow.case_id.in_(ids))
        ):
            statuses.setdefault(case_id, set()).add(status)
        documents = dict(
            session.execute(
                select(DocumentRow.case_id, func.count())
                .where(DocumentRow.case_id.in_(ids))
                .group_by(DocumentRow.case_id)
            ).all()
        )
        ahead = set(
            session.scalars(
                select(HearingRow.case_id).where(
                    HearingRow.case_id.in_(ids), HearingRow.starts_at > now
                )
            )
        )
        return max(
            cases,
            key=lambda c: (
                "pending" in statuses.get(c.id, set()),
                c.id in ahead,
                documents.get(c.id, 0),
                c.id,
            ),
        )


def _appeal_to_show(factory: sessionmaker[Session]) -> tuple[CaseRow, str]:
    """The demo's notice of appeal, waiting at the Board's intake (the case still decided,
    so the 30 days run on its page): its case and its filer's username."""
    with factory() as session:
        row = session.scalar(select(AppealRow).where(AppealRow.deleted.is_(False)))
        if row is None:
            raise SystemExit("portal screenshots: the demo has no notice of appeal")
        case = session.get(CaseRow, row.case_id)
        filer = session.get(UserRow, row.filer_id)
        if case is None or filer is None:
            raise SystemExit("portal screenshots: the demo appeal's case or filer is missing")
        return case, filer.username


def _sign_in(page: Page, base: str, username: str = ATTORNEY) -> None:
    """Password, then the first sign-in's app set-up and the terms of use (asked once per
    account, before anything else); ends on "My cases"."""
    page.goto(f"{base}/portal/login")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().strip())
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    terms = page.get_by_role("heading", name="Terms of use")
    cases = page.get_by_role("heading", name="My cases")
    expect(terms.or_(cases)).to_be_visible()
    if terms.is_visible():
        page.get_by_label(re.compile("^I have read and accept")).check()
        page.get_by_role("button", name="Accept and continue").click()
    expect(cases).to_be_visible()


def _open_case(page: Page, case: CaseRow) -> None:
    page.get_by_role("link", name="My cases").click()
    page.get_by_role("link", name=format_a_number(case.a_number)).click()
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()


def _half_filled_eoir28(page: Page, case: CaseRow) -> None:
    """The respondent's part typed in (the ZIP code mistyped), the rest left for later."""
    page.get_by_role("link", name="File EOIR-28").click()
    page.get_by_label("Respondent's first name").fill(case.respondent_first_name)
    page.get_by_label("Respondent's last name").fill(case.respondent_last_name)
    page.get_by_label("A-number").fill(format_a_number(case.a_number))
    page.get_by_label("Respondent's street address").fill("22 Mission St")
    page.get_by_label("Respondent's city").fill("San Francisco")
    page.get_by_label("Respondent's state").fill("CA")
    page.get_by_label("Respondent's ZIP code").fill("941")
    page.get_by_role("button", name="File the form").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Respondent's city")).to_have_value("San Francisco")
    # The summary is focused; scroll back to the top so the page's heading shows too.
    page.evaluate("window.scrollTo(0, 0)")


def _fit_height(page: Page, selector: str, least: int, most: int) -> None:
    """Make the window just tall enough to show down to the element (and a margin)."""
    box = page.locator(selector).bounding_box()
    bottom = int(box["y"] + box["height"]) + 32 if box else least
    page.set_viewport_size({"width": DESKTOP["width"], "height": max(least, min(bottom, most))})


def _save(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


def _shoot_appeal(browser: Browser, base: str, appealed: tuple[CaseRow, str], out: Path) -> None:
    """The appealed case's page from its appeal clock down, as the appeal's filer reads it."""
    case, filer = appealed
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    _sign_in(page, base, filer)
    page.set_viewport_size({"width": DESKTOP["width"], "height": 540})
    page.goto(f"{base}/portal/cases/{case.id}")
    expect(page.locator("#appeal-clock")).to_be_visible()
    expect(page.locator(".appeal-stage").first).to_have_text("Filed")
    page.evaluate("document.getElementById('appeal').scrollIntoView({block: 'start'})")
    _save(page, out / "portal-appeal.png")
    context.close()


def _shoot(browser: Browser, base: str, case: CaseRow, out: Path, wanted: set[str]) -> None:
    def want(name: str) -> bool:
        return not wanted or name in wanted

    desktop = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = desktop.new_page()
    _sign_in(page, base)
    if want("portal-case"):
        _open_case(page, case)
        _fit_height(page, "table[aria-labelledby=documents]", 900, 1800)
        _save(page, out / "portal-case.png")
        page.set_viewport_size(DESKTOP)
    if want("portal-eoir28"):
        _half_filled_eoir28(page, case)
        _fit_height(page, "#respondent_zip", 900, 1000)
        _save(page, out / "portal-eoir28.png")
    if want("portal-phone"):
        # The same signed-in session, on a phone-sized screen.
        phone = browser.new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="en-US",
            storage_state=desktop.storage_state(),
        )
        small = phone.new_page()
        small.goto(f"{base}/portal/cases")
        expect(small.get_by_role("link", name=format_a_number(case.a_number))).to_be_visible()
        _save(small, out / "portal-phone.png")
        phone.close()
    desktop.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="Make the README's screenshots of the portal.")
    parser.add_argument("outdir", nargs="?", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", default=[], choices=NAMES, metavar="NAME")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"portal screenshots: {CHROMIUM} is missing (apt-get install chromium)")
    out: Path = args.outdir
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base, factory = _serve(Path(tmp))
        case = _showcase_case(factory)
        wanted = set(args.only)
        appealed = _appeal_to_show(factory) if not wanted or "portal-appeal" in wanted else None
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                if wanted != {"portal-appeal"}:
                    _shoot(browser, base, case, out, wanted - {"portal-appeal"})
                if appealed is not None:
                    _shoot_appeal(browser, base, appealed, out)
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
