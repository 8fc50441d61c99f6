"""axe-core (the npm package, tests/portal/axe) on every portal page and state, in Debian's
Chromium driven by Playwright, against a real ``ecas-server run`` process on loopback.

Each page is audited as it is shown, then again at a phone's width: signed out (English and
Spanish), as an attorney, a DHS attorney, a pro se respondent, the court's administrator
and clerk, the Board's clerk and member (their one portal page); forms sent with errors;
the idle-timeout warning open (the page's clock run forward); the terms of use, the
second-factor pages and a form kept across a session that ended. Zero violations of WCAG
2.0/2.1 A and AA and axe's best practices is the bar.

Every GET route of the portal is either audited here or listed in ``NOT_AUDITED`` with the
reason (files, not pages): a new page fails
``test_every_portal_page_is_audited_or_listed_with_a_reason`` until it is added to one or
the other.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)
from sqlalchemy import select, update

from sync_server.app import create_app
from sync_server.config import ServerConfig
from sync_server.demo.seed import seed_demo
from sync_server.models import PortalSession, UserRow
from sync_server.models.respondents import RespondentCase
from tests.conftest import DEMO_PASSWORD, SEED_DAY, Api, LiveServer, free_port, make_database
from tests.portal.axe_audit import AXE_SCRIPT, AxeViolations, audit, axe_version, locked_version
from tests.portal.portal_flows import HttpApi
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    a_case_at,
    mail_to,
    register_and_approve,
    registration_form,
    verification_path,
)
from tests.portal.respondent_flows import BIRTH, access_code, mailed_case
from tests.portal.test_portal_briefing import appeal_in_briefing
from tests.portal.test_portal_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)

# Portal GET routes that serve files, not pages: axe has nothing to audit in them.
NOT_AUDITED = {
    "portal.static": "the portal's CSS and JavaScript files (audited as part of every page)",
    "portal.document": "a document of the record: the PDF itself (tests/packages check PDFs)",
    "portal.respondent_document": "a document of the respondent's case: the PDF itself",
    "portal.download_record": "the record of proceedings package: a PDF download",
}


@dataclass
class Site:
    server: LiveServer
    app: Flask  # the same database and data folder, in-process (setting up accounts)
    browser: Browser
    audited: set[str] = field(default_factory=set)  # endpoints of the pages audited
    failures: list[str] = field(default_factory=list)
    clean: set[str] = field(default_factory=set)  # the tests whose pages were all clean

    @property
    def base(self) -> str:
        return self.server.url

    def endpoint(self, url: str) -> str:
        path = url.removeprefix(self.base).split("?")[0].split("#")[0]
        adapter = self.app.url_map.bind("127.0.0.1")
        endpoint, _ = adapter.match(path, method="GET")
        return str(endpoint)

    def start(self) -> None:
        """A test's audits start with no failures (a test that stopped early leaves none)."""
        self.failures = []

    def check(self, page: Page, what: str, *, phone: bool = True) -> None:
        """axe on the page as it is, then at a phone's width; violations are collected
        (every page of a test is audited before the test fails, so one run lists them all)."""
        self.audited.add(self.endpoint(page.url))
        sizes = [("", DESKTOP), (" at a phone's width", PHONE)] if phone else [("", None)]
        for label, size in sizes:
            if size is not None:
                page.set_viewport_size(size)
            try:
                assert audit(page, what + label) > 0
            except AxeViolations as found:
                self.failures.append(str(found))
        if phone:
            page.set_viewport_size(DESKTOP)

    def visit(self, page: Page, path: str, what: str, status: int = 200) -> None:
        response = page.goto(f"{self.base}{path}")
        assert response is not None and response.status == status, (path, response)
        self.check(page, what)

    def assert_clean(self) -> None:
        failures, self.failures = self.failures, []
        assert not failures, "\n\n".join(failures)
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].split(" ")[0]
        self.clean.add(test)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("axe")
    secret = "axe-" + uuid.uuid4().hex
    with make_database("sqlite", folder) as url:
        config = ServerConfig(
            data_dir=folder,
            database_url=url,
            blob_url=str(folder / "blobs"),
            secret_key=secret,
            testing=True,
        )
        app = create_app(config)
        core = app.extensions["ecas"]
        seed_demo(
            core.factory,
            core.blobs.store,
            core.blobs.staging,
            cases=17,
            password=DEMO_PASSWORD,
            today=SEED_DAY,
        )
        env = {
            **os.environ,
            "ECAS_DATA_DIR": str(folder),
            "ECAS_DATABASE_URL": url,
            "ECAS_SECRET_KEY": secret,
            "ECAS_PORTAL_TERMS": "1",  # the terms of use are asked, so their page is audited
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        }
        server = LiveServer(env, free_port())
        server.start()
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                )
                try:
                    yield Site(server, app, chromium)
                finally:
                    chromium.close()
        finally:
            server.stop()
            core.engine.dispose()


def _context(site: Site) -> BrowserContext:
    return site.browser.new_context(viewport=DESKTOP)


def _password_step(
    site: Site, page: Page, login: str, password: str, *, here: bool = False
) -> None:
    """The sign-in page's password step: on a fresh sign-in page, or (``here``) on the one
    the browser was sent to (it carries where to go next)."""
    if not here:
        page.goto(f"{site.base}/portal/login")
    page.get_by_label("Username or email address").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def _sign_in_external(
    site: Site, page: Page, account: Account, who: str, *, here: bool = False
) -> None:
    """Password, then the app: set up on the first sign-in (its pages audited), a code
    after; the terms of use accepted on the first."""
    _password_step(site, page, account.username, PASSWORD, here=here)
    if not account.secret:
        expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
        site.check(page, f"the two-factor set-up page ({who})")
        account.secret = page.locator("#totp-secret").inner_text().strip()
        page.get_by_label("Code from the app").fill("000000")
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        expect(page.locator("#error-summary")).to_be_visible()
        site.check(page, f"the two-factor set-up page with a wrong code ({who})")
        page.get_by_label("Code from the app").fill(account.next_code())
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        expect(page.locator("#recovery-codes li")).to_have_count(10)
        site.check(page, f"the recovery codes page ({who})")
        page.get_by_role("link", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if "/portal/terms" in page.url:
            site.check(page, f"the terms of use ({who})")
            page.get_by_role("button", name=re.compile("accept", re.I)).click()
            expect(page.locator("#error-summary")).to_be_visible()
            site.check(page, f"the terms of use, sent without the box ticked ({who})")
            page.get_by_role("checkbox").check()
            page.get_by_role("button", name=re.compile("accept", re.I)).click()
        expect(page).not_to_have_url(re.compile("/portal/terms"))
        return
    expect(page.get_by_label(re.compile("code", re.I)).first).to_be_visible()
    site.check(page, f"the sign-in code page ({who})")
    page.get_by_label(re.compile("code", re.I)).first.fill("000000")
    page.get_by_role("button", name=re.compile("sign in|continue|verify", re.I)).click()
    expect(page.locator("#code[aria-invalid=true]")).to_be_visible()
    site.check(page, f"the sign-in code page after a wrong code ({who})")
    page.get_by_label(re.compile("code", re.I)).first.fill(account.next_code())
    page.get_by_role("button", name=re.compile("sign in|continue|verify", re.I)).click()
    expect(page).not_to_have_url(re.compile("/portal/login"))


# --- the route list -----------------------------------------------------------------------


def _portal_get_endpoints(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("portal.") and "GET" in (rule.methods or set())
    }


AUDITED = {
    "portal.home",
    "portal._unknown",
    "portal.login",
    "portal.login_code",
    "portal.enrol",
    "portal.recovery_codes",
    "portal.register",
    "portal.registered",
    "portal.verify",
    "portal.forgot_password",
    "portal.reset_password",
    "portal.terms",
    "portal.profile",
    "portal.confirm_email",
    "portal.resume",
    "portal.cases",
    "portal.case",
    "portal.upload",
    "portal.change_address",
    "portal.file_motion",
    "portal.motions",
    "portal.file_appeal",
    "portal.file_brief",
    "portal.filings",
    "portal.appearance",
    "portal.record",
    "portal.notice_to_appear",
    "portal.registrations",
    "portal.rotate_access_code",
    "portal.hearing_lookup",
    "portal.public_address",
    "portal.public_address_filed",
    "portal.respondent_enrol",
    "portal.respondent_home",
    "portal.respondent_case",
    "portal.respondent_address",
    "portal.respondent_file",
    "portal.respondent_profile",
}


def test_axe_core_is_the_pinned_package() -> None:
    assert AXE_SCRIPT.exists(), "run scripts/setup.sh --dev (npm ci in tests/portal/axe)"
    assert axe_version() == locked_version()


def test_every_portal_page_is_audited_or_listed_with_a_reason(site: Site) -> None:
    routes = _portal_get_endpoints(site.app)
    unaccounted = routes - AUDITED - set(NOT_AUDITED)
    assert not unaccounted, (
        f"portal GET routes neither audited by axe nor listed in NOT_AUDITED: {unaccounted}"
    )
    assert not (AUDITED & set(NOT_AUDITED))
    gone = (AUDITED | set(NOT_AUDITED)) - routes
    assert not gone, f"listed routes the portal no longer has: {gone}"


# --- signed out ---------------------------------------------------------------------------


def test_public_pages_in_english_and_spanish(site: Site) -> None:
    site.start()
    context = _context(site)
    page = context.new_page()
    site.visit(page, "/portal/", "the home page")
    site.visit(page, "/portal/nowhere", "the page-not-found page", status=404)
    site.visit(page, "/portal/login", "the sign-in page")
    page.get_by_label("Username or email address").fill("nobody")
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#error-summary, .error, [role=alert]").first).to_be_visible()
    site.check(page, "the sign-in page after a wrong password")

    site.visit(page, "/portal/register", "the registration page")
    page.get_by_role("button", name=re.compile("register", re.I)).click()
    expect(page.locator("#error-summary")).to_be_visible()
    site.check(page, "the registration page sent empty (every field's error)")

    # A registration, to the result page; the confirmation link from the mail.
    form = registration_form()
    page.goto(f"{site.base}/portal/register")
    for name, value in form.items():
        field_ = page.locator(f"[name={name}]")
        if name == "kind":
            page.locator(f"input[name=kind][value={value}]").check()
        elif field_.evaluate("e => e.tagName") == "SELECT":
            field_.select_option(value)
        else:
            field_.fill(value)
    page.get_by_role("button", name=re.compile("register", re.I)).click()
    expect(page).to_have_url(re.compile("/portal/registered"))
    site.check(page, "the registration's result page")

    site.visit(page, verification_path(site.app, form["email"]), "the email-confirmed page")
    site.visit(page, "/portal/verify/not-a-token", "a confirmation link that does not work", 404)

    site.visit(page, "/portal/password/forgot", "the forgotten-password page")
    page.get_by_role("button").last.click()
    site.check(page, "the forgotten-password page sent empty")
    site.visit(page, "/portal/password/reset/not-a-token", "a reset link that does not work", 404)

    # The respondents' public pages, in English and in Spanish.
    for lang in ("en", "es"):
        site.visit(page, f"/portal/lookup?lang={lang}", f"the hearing lookup ({lang})")
        page.locator("form button[type=submit]").last.click()
        site.check(page, f"the hearing lookup sent empty ({lang})")
        site.visit(page, f"/portal/change-of-address?lang={lang}", f"the public EOIR-33 ({lang})")
        page.locator("main form button[type=submit]").last.click()
        site.check(page, f"the public EOIR-33 sent empty ({lang})")
        site.visit(page, f"/portal/respondent/enrol?lang={lang}", f"respondent enrolment ({lang})")
        page.locator("main form button[type=submit]").last.click()
        site.check(page, f"respondent enrolment sent empty ({lang})")
    context.close()
    site.assert_clean()


def test_the_audit_reports_what_axe_finds(site: Site) -> None:
    """The helper fails on a violation, naming the rule, the element and the help page (a
    control without a label and a link without text, added to a real portal page)."""
    context = _context(site)
    page = context.new_page()
    page.goto(f"{site.base}/portal/login")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<input id="axe-probe" type="text">');
            main.insertAdjacentHTML("beforeend", '<a id="axe-link" href="/portal/"></a>');
        }"""
    )
    with pytest.raises(AxeViolations) as found:
        audit(page, "the sign-in page with an unlabelled field")
    report = str(found.value)
    assert "- label (critical)" in report
    assert '"#axe-probe"' in report
    assert "- link-name (serious)" in report
    assert "https://dequeuniversity.com/rules/axe/" in report
    context.close()


# --- signed in ----------------------------------------------------------------------------


def _fill(page: Page, values: dict[str, str]) -> None:
    """Fill the form's fields by name, as typed (radio buttons and boxes by their value)."""
    for name, value in values.items():
        found = page.locator(f"main [name={name}]")
        kind = found.first.evaluate("e => e.tagName + ':' + (e.type || '')")
        if kind in ("INPUT:radio", "INPUT:checkbox"):
            page.locator(f"main [name={name}][value='{value}']").check()
        elif kind.startswith("SELECT"):
            found.select_option(value)
        else:
            found.fill(value)


def _send(page: Page, button: str) -> None:
    page.locator("main").get_by_role("button", name=button).click()
    page.wait_for_load_state()


@dataclass
class Briefing:
    attorney: Account
    case_id: str
    appeal_id: str


@pytest.fixture(scope="module")
def briefing(site: Site) -> Briefing:
    """An attorney (registered and approved) of record in a decided case that DHS appealed,
    in briefing: the case page shows the appeal, the brief page is open to both sides."""
    attorney = register_and_approve(site.app)
    held = appeal_in_briefing(site.app, Api(site.app.test_client()), attorney.user_id)
    return Briefing(attorney, str(held["case_id"]), str(held["id"]))


def test_attorney_pages_and_their_errors(site: Site, briefing: Briefing) -> None:
    site.start()
    context = _context(site)
    page = context.new_page()
    _sign_in_external(site, page, briefing.attorney, "attorney")
    site.visit(page, "/portal/cases", "the attorney's cases")
    site.visit(page, "/portal/filings", "the attorney's filings")
    site.visit(page, "/portal/resume", "the resume page with nothing kept", 404)
    site.visit(page, "/portal/profile/email/not-a-token", "an email-change link that fails", 404)
    site.visit(page, "/portal/profile", "the profile")
    page.locator("#email").fill("not an address")
    _send(page, "Change email address")
    site.check(page, "the profile with a wrong email address")
    for form in ("eoir-28", "eoir-27"):
        site.visit(page, f"/portal/appearance/{form}", f"the {form.upper()} form")
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator("#error-summary")).to_be_visible()
        site.check(page, f"the {form.upper()} form sent empty")

    case = f"/portal/cases/{briefing.case_id}"
    site.visit(page, case, "a case of record, in briefing at the Board")
    site.visit(page, f"{case}/motions", "the case's motions")
    for path, what in (
        (f"{case}/file", "the document upload"),
        (f"{case}/motion", "the motion form"),
        (f"{case}/appeal", "the appeal form"),
        (f"{case}/appeals/{briefing.appeal_id}/brief", "the brief form"),
        (f"{case}/address", "counsel's EOIR-33"),
    ):
        site.visit(page, path, what)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        site.check(page, f"{what} sent empty")

    # The record of proceedings, asked for from the case page.
    page.goto(f"{site.base}{case}")
    page.get_by_role("button", name="Request the record").click()
    expect(page).to_have_url(re.compile("/portal/record/"))
    site.check(page, "the record package page, while it is built")
    _run_package_worker(site)
    # The page puts the finished state in place by itself (static/record.js). This case's
    # transcript is a stand-in whose pages don't match its record, so the build fails: the
    # failed state is audited here, the ready one in the DHS test.
    expect(page.locator("#record-status[data-state=failed]")).to_be_visible(timeout=20_000)
    site.check(page, "the record package page, failed (updated in place)")

    # A form sent after the session ended is kept; after signing in again it is offered.
    site.visit(page, "/portal/appearance/eoir-28", "the EOIR-28 form")
    with site.app.extensions["ecas"].factory() as session:
        session.execute(
            update(PortalSession)
            .where(PortalSession.user_id == briefing.attorney.user_id)
            .values(ended=True)
        )
        session.commit()
    page.locator("#firm").fill("Reyes Immigration Law")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile("/portal/login"))
    site.check(page, "the sign-in page after a form was kept")
    _sign_in_external(site, page, briefing.attorney, "attorney, again", here=True)
    expect(page).to_have_url(re.compile("/portal/resume"))
    site.check(page, "the kept form, ready to send")
    context.close()
    site.assert_clean()


def _run_package_worker(site: Site) -> None:
    """The package worker, once, as the server's deployment runs it."""
    worker = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", "package-worker", "--once"],
        env=site.server.env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr.decode()[-2000:]


def _reset_link(site: Site, address: str) -> str:
    """The reset link mailed by the live server (its outbox is the shared data folder)."""
    deadline = time.monotonic() + 15
    while True:
        try:
            body = mail_to(site.app, address, "Reset your ECAS Portal password").get_content()
            break
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    found = re.search(r"https?://[^/\s]+(/portal/password/reset/\S+)", body)
    assert found, body
    return found.group(1)


def test_dhs_pages_and_their_errors(site: Site, briefing: Briefing) -> None:
    site.start()
    account = register_and_approve(site.app, kind="dhs")
    context = _context(site)
    page = context.new_page()
    # A forgotten password: the request, the mailed link's page, two passwords that differ.
    site.visit(page, "/portal/password/forgot", "the forgotten-password page")
    page.locator("#login").fill(account.username)
    _send(page, "Email me a link")
    expect(page).to_have_url(re.compile("/portal/login"))
    site.check(page, "the sign-in page saying the reset link was sent")
    site.visit(page, _reset_link(site, account.email), "the new-password page")
    page.locator("#password").fill("a new password 77")
    page.locator("#password_again").fill("another password 78")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#password-error")).to_be_visible()
    site.check(page, "the new-password page with passwords that differ")
    _sign_in_external(site, page, account, "DHS")
    site.visit(page, "/portal/cases", "DHS's cases")
    site.visit(page, "/portal/cases?status=pending&page=2", "DHS's cases, filtered, page 2")
    demo_case = a_case_at(site.app, "SFR", 0).id
    site.visit(page, f"/portal/cases/{demo_case}", "a case at DHS's court")
    page.get_by_role("button", name="Request the record").click()
    expect(page).to_have_url(re.compile("/portal/record/"))
    _run_package_worker(site)
    expect(page.locator("#download-record")).to_be_visible(timeout=20_000)
    site.check(page, "the record package page, ready (updated in place)")
    site.visit(page, f"/portal/cases/{briefing.case_id}", "DHS's appeal in briefing")
    site.visit(page, "/portal/dhs/nta", "the notice to appear")
    _send(page, "File the notice to appear")
    expect(page.locator("#error-summary")).to_be_visible()
    site.check(page, "the notice to appear sent empty")
    context.close()
    site.assert_clean()


def test_respondent_pages_in_english_and_spanish(site: Site) -> None:
    site.start()
    api = HttpApi(site.base)
    case = mailed_case(api, api.login("clerk1"))
    code = access_code(site.app, case.case_id)
    context = _context(site)
    page = context.new_page()

    for lang in ("en", "es"):
        site.visit(page, f"/portal/lookup?lang={lang}", f"the hearing lookup ({lang})")
        page.locator("main [name=a_number]").fill(case.a_number_shown)
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator("#result-court")).to_be_visible()
        site.check(page, f"the hearing lookup's answer ({lang})")

    site.visit(page, "/portal/change-of-address?lang=en", "the public EOIR-33")
    _fill(
        page,
        {
            "a_number": case.a_number_shown,
            "last_name": case.last_name,
            "street": "9 Oak Street",
            "city": "Oakland",
            "state": "CA",
            "zip": "94607",
            "effective_on": "2026-11-20",
        },
    )
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile("/portal/change-of-address/filed"))
    site.check(page, "the public EOIR-33's result page")
    site.visit(page, "/portal/change-of-address/filed?lang=es", "the EOIR-33 result (es)")

    username = f"luis{uuid.uuid4().hex[:8]}"
    enrolment = {
        "access_code": code,
        "a_number": case.a_number_shown,
        "date_of_birth": "1991-05-18",  # wrong on purpose
        "email": f"{username}@example.org",
        "username": username,
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    site.visit(page, "/portal/respondent/enrol?lang=es", "respondent enrolment (es)")
    _fill(page, enrolment)
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#problem")).to_be_visible()
    site.check(page, "respondent enrolment with details that do not match (es)")
    page.goto(f"{site.base}/portal/respondent/enrol?lang=en")
    _fill(page, enrolment | {"date_of_birth": BIRTH})
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".notice")).to_be_visible()
    site.check(page, "the page after the respondent's account opened")

    account = Account(username, enrolment["email"])
    _sign_in_external(site, page, account, "respondent")
    expect(page).to_have_url(re.compile(f"/portal/respondent/cases/{case.case_id}"))
    for lang in ("en", "es"):
        site.visit(page, f"/portal/respondent?lang={lang}", f"the respondent's home ({lang})")
        case_page = f"/portal/respondent/cases/{case.case_id}"
        site.visit(page, f"{case_page}?lang={lang}", f"the respondent's case ({lang})")
        site.visit(page, f"{case_page}/address?lang={lang}", f"the respondent's EOIR-33 ({lang})")
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator("#error-summary")).to_be_visible()
        site.check(page, f"the respondent's EOIR-33 sent empty ({lang})")
        site.visit(page, f"{case_page}/file?lang={lang}", f"the respondent's filing ({lang})")
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator("#error-summary")).to_be_visible()
        site.check(page, f"the respondent's filing sent empty ({lang})")
        profile = f"/portal/respondent/profile?lang={lang}"
        site.visit(page, profile, f"the respondent's profile ({lang})")
    page.check("#language-es")
    page.locator("main form button[type=submit]").last.click()  # the language's form
    expect(page.locator("main .notice.ok")).to_be_visible()
    site.check(page, "the respondent's profile, Spanish chosen (es)")
    page.uncheck("#wanted-filing_accepted")
    page.locator("main form button[type=submit]").first.click()  # the mail choices' form
    expect(page.locator("main .notice.ok")).to_be_visible()
    site.check(page, "the respondent's profile, mail choices saved (es)")
    # A respondent with a second case (the portal has no page yet to add one: the link is
    # made in the database) gets the list of cases instead of the one case.
    second = mailed_case(api, api.login("clerk1"))
    with site.app.extensions["ecas"].factory() as session:
        user = session.scalar(select(UserRow.id).where(UserRow.username == username))
        session.add(RespondentCase(user_id=user, case_id=second.case_id))
        session.commit()
    for lang in ("en", "es"):
        site.visit(page, f"/portal/respondent?lang={lang}", f"a respondent's two cases ({lang})")
    context.close()
    site.assert_clean()


def test_court_staff_pages_and_the_idle_warning(site: Site) -> None:
    site.start()
    context = _context(site)
    page = context.new_page()
    page.clock.install()  # the idle warning's timers run on a clock the test moves
    _password_step(site, page, "admin1", DEMO_PASSWORD)
    expect(page).not_to_have_url(re.compile("/portal/login"))
    site.visit(page, "/portal/", "the home page, signed in as the court administrator")
    site.visit(page, "/portal/admin/registrations", "the registrations to review")
    site.visit(page, "/portal/admin/registrations?all=1", "every registration")

    idle, lead = (
        int(page.locator("#idle-warning").get_attribute(name) or "0")
        for name in ("data-idle-seconds", "data-warn-seconds")
    )
    page.clock.fast_forward((idle - lead + 1) * 1000)
    dialog = page.get_by_role("dialog", name="Do you want to stay signed in?")
    expect(dialog).to_be_visible()
    site.check(page, "the idle-timeout warning, open")
    page.clock.fast_forward(lead * 1000)
    expect(page.locator("#idle-text")).to_contain_text("Your session has ended")
    site.check(page, "the idle-timeout warning after the session ended")
    context.close()

    context = _context(site)
    page = context.new_page()
    _password_step(site, page, "clerk1", DEMO_PASSWORD)
    site.visit(page, "/portal/", "the home page, signed in as a clerk")
    site.visit(page, "/portal/court/access-code", "the case access code page")
    _send(page, "Issue a new code")
    site.check(page, "the case access code page sent empty")
    demo_case = a_case_at(site.app, "SFR", 1)
    page.locator("main [name=a_number]").fill(demo_case.a_number)
    _send(page, "Issue a new code")
    site.check(page, "a new case access code, issued")
    context.close()

    # The Board's staff have one portal page, the home page (they work in the desktop).
    for board_user in ("board_clerk1", "board_member1"):
        context = _context(site)
        page = context.new_page()
        _password_step(site, page, board_user, DEMO_PASSWORD)
        expect(page).not_to_have_url(re.compile("/portal/login"))
        site.visit(page, "/portal/", f"the home page, signed in as {board_user}")
        context.close()
    site.assert_clean()


def test_every_listed_page_was_audited(site: Site) -> None:
    """Runs last: each route in ``AUDITED`` was audited by one of the tests above."""
    auditing = {
        name for name, item in globals().items() if name.startswith("test_") and callable(item)
    } - {
        "test_axe_core_is_the_pinned_package",
        "test_every_portal_page_is_audited_or_listed_with_a_reason",
        "test_the_audit_reports_what_axe_finds",
        "test_every_listed_page_was_audited",
    }
    if site.clean != auditing:
        pytest.skip(f"not every audit ran clean in this run: {sorted(auditing - site.clean)}")
    missing = AUDITED - site.audited
    assert not missing, f"pages listed as audited that no test audited: {sorted(missing)}"
