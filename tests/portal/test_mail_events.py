"""Mail that tells people what happened (services/mail_events.py), against a real SMTP
server on loopback (aiosmtpd in a thread), on SQLite and PostgreSQL.

Each event mails each person concerned once, with a link that works when followed; a
practitioner not of record gets nothing; a push rolled back mails nobody; an SMTP outage
delays a message, which is delivered once when the server is back.
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from common.enums import OrderStatus
from common.orders import new_draft, template_for
from sync_server.app import create_app
from sync_server.demo.seed import seed_demo
from sync_server.models import CaseRow, FilingRow, MailOutbox, PortalMailPreference
from sync_server.models.types import utcnow
from sync_server.packages.worker import PackageWorker
from sync_server.services.mail_events import MailSender
from sync_server.services.orders import facts_from_db
from tests.conftest import (
    DEMO_PASSWORD,
    SEED_DAY,
    Api,
    free_port,
    make_database,
    mutation,
    server_config,
    user_id,
)
from tests.orders.helpers import COMPLETE_FIELDS, SIGNED_AT, TODAY
from tests.portal.portal_flows import appearance_form, clerk_accepts, clerk_rejects
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    Browser,
    registration_form,
    sign_in_admin,
    sign_in_enrolling,
    user_row,
)
from tests.portal.respondent_flows import BIRTH, a_hearing, access_code, mailed_case
from tests.server.sync_helpers import SFR, applied, case_data, hearing_data, new_id

BASE = "https://ecas.court.example"  # the server's configured public base URL
JUDGE = "judge1"


@dataclass
class Sink:
    """What the SMTP server received: (envelope recipients, message)."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str, subject: str = "") -> list[EmailMessage]:
        with self.lock:
            return [
                m for rcpt, m in self.received if address in rcpt and subject in str(m["Subject"])
            ]

    def one(self, address: str, subject: str) -> EmailMessage:
        found = self.to(address, subject)
        assert len(found) == 1, [str(m["Subject"]) for m in self.to(address)]
        return found[0]


@dataclass
class Smtp:
    sink: Sink
    port: int
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture(scope="module")
def smtp() -> Iterator[Smtp]:
    server = Smtp(Sink(), free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mail_app(backend: str, smtp: Smtp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A seeded server whose mailer is the loopback SMTP server and whose public base URL
    is ``BASE``."""
    folder: Path = tmp_path_factory.mktemp(f"mail-{backend}")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ECAS_SMTP_HOST", "127.0.0.1")
        env.setenv("ECAS_SMTP_PORT", str(smtp.port))
        env.setenv("ECAS_SMTP_STARTTLS", "0")
        env.setenv("ECAS_MAIL_FROM", "ECAS Portal <no-reply@ecas.court.example>")
        with make_database(backend, folder) as url:
            app = create_app(
                server_config(url, folder, portal_base_url=BASE, allowed_hosts=("localhost",))
            )
            env.undo()  # the mailer was built from it; nothing else reads it later
            services = app.extensions["ecas"]
            seed_demo(
                services.factory,
                services.blobs.store,
                services.blobs.staging,
                cases=2,
                password=DEMO_PASSWORD,
                today=SEED_DAY,
            )
            try:
                yield app
            finally:
                services.engine.dispose()


def _link(message: EmailMessage) -> str:
    """The portal path of the message's link, which must start with the base URL."""
    body = message.get_content()
    found = re.search(re.escape(BASE) + r"(/portal/\S*)", body)
    assert found, body
    return found.group(1)


def _follow(browser: Browser, message: EmailMessage) -> str:
    response = browser.get(_link(message))
    if response.status_code in (302, 303):  # a page that sends on to another (never sign-in)
        location = response.headers["Location"]
        assert location.startswith("/portal/") and "/login" not in location, location
        response = browser.get(location)
    assert response.status_code == 200, (_link(message), browser.last[:400])
    return browser.last


def _register_and_approve(app: Flask, sink: Sink) -> Account:
    visitor = Browser(app.test_client())
    form = registration_form()
    assert visitor.post("/portal/register", form, from_page="/portal/register").status_code == 303
    verify = sink.one(form["email"], "Confirm your email").get_content()
    found = re.search(re.escape(BASE) + r"(/portal/verify/\S+)", verify)
    assert found, verify
    assert visitor.get(found.group(1)).status_code == 200
    account = Account(form["username"], form["email"])
    account.user_id = user_row(app, account.username).id
    admin = sign_in_admin(app)
    admin.get("/portal/admin/registrations")
    response = admin.post(
        f"/portal/admin/registrations/{account.user_id}/approve", {"identity_checked": "yes"}
    )
    assert response.status_code == 302, admin.last
    return account


def _case(api: Api) -> CaseRow:
    case = case_data(SFR, judge=JUDGE)
    clerk = api.login("clerk1")
    applied(api, clerk, "case", case)
    nta = {
        "id": new_id(),
        "case_id": case["id"],
        "kind": "nta",
        "street": "12 Elm Street",
        "city": "Daly City",
        "state": "CA",
        "zip": "94014",
        "effective_on": "2026-10-01",
        "recorded_at": "2026-10-01T18:00:00Z",
    }
    applied(api, clerk, "address", nta)
    row = CaseRow(
        id=case["id"],
        a_number=case["a_number"],
        respondent_first_name=case["respondent_first_name"],
        respondent_last_name=case["respondent_last_name"],
    )
    return row


def _file_eoir_28(app: Flask, browser: Browser, account: Account, case: CaseRow) -> str:
    eoir_id = str(user_row(app, account.username).eoir_id)
    browser.get("/portal/appearance/eoir-28")
    response = browser.post("/portal/appearance/eoir-28", appearance_form(case, eoir_id))
    assert response.status_code == 302, browser.last
    with app.extensions["ecas"].factory() as session:
        filing = session.scalar(
            select(FilingRow.id)
            .where(FilingRow.filer_id == account.user_id, FilingRow.case_id == case.id)
            .order_by(FilingRow.submitted_at.desc())
        )
    assert filing is not None
    return filing


def _sign_order(api: Api, app: Flask, case_id: str) -> None:
    with app.extensions["ecas"].factory() as session:
        facts = facts_from_db(session, case_id)
    draft = new_draft(template_for("removal_decision"), facts, user_id(JUDGE), TODAY)
    draft = draft.model_copy(update={"fields": dict(COMPLETE_FIELDS["removal_decision"])})
    token = api.login(JUDGE)
    [made] = api.push(token, mutation("order", draft.model_dump(mode="json")))
    assert made["status"] == "applied", made
    signed = draft.model_copy(
        update={"status": OrderStatus.SIGNED, "signed_at": SIGNED_AT, "signed_by": user_id(JUDGE)}
    )
    [answer] = api.push(
        token, mutation("order", signed.model_dump(mode="json"), base_version=made["version"])
    )
    assert answer["status"] == "applied", answer


def _outbox_rows(app: Flask, address: str) -> list[MailOutbox]:
    with app.extensions["ecas"].factory() as session:
        return list(session.scalars(select(MailOutbox).where(MailOutbox.to_address == address)))


def test_each_event_mails_the_people_of_record_once_with_a_working_link(
    mail_app: Flask, smtp: Smtp
) -> None:
    sink, app = smtp.sink, mail_app
    api = Api(app.test_client())
    counsel = _register_and_approve(app, sink)
    other = _register_and_approve(app, sink)  # a practitioner never of record in the case
    # Account approved: one mail each, with the sign-in link.
    approved = sink.one(counsel.email, "account is approved")
    assert "Your EOIR ID is " in approved.get_content()
    assert _link(approved) == "/portal/login"
    assert Browser(app.test_client()).get(_link(approved)).status_code == 200
    sink.one(other.email, "account is approved")
    counsel_browser = sign_in_enrolling(app, counsel)
    other_browser = sign_in_enrolling(app, other)

    case = _case(api)
    # Filing accepted: the filer alone, linked to their filings.
    filing = _file_eoir_28(app, counsel_browser, counsel, case)
    clerk_accepts(api, "clerk1", filing)
    accepted = sink.one(counsel.email, "Your filing was accepted")
    assert "San Francisco" in accepted.get_content()
    assert "My filings" in _follow(counsel_browser, accepted)

    # Filing rejected, with the reason: the other practitioner's EOIR-28 for the case.
    refused = _file_eoir_28(app, other_browser, other, case)
    clerk_rejects(api, "clerk1", refused, "The respondent's signature is missing.")
    rejected = sink.one(other.email, "Your filing was rejected")
    assert "Reason: The respondent's signature is missing." in rejected.get_content()
    _follow(other_browser, rejected)

    # A hearing scheduled: its notice served on counsel of record, linked to the notice.
    clerk = api.login("clerk1")
    hearing = hearing_data(case.id) | {"starts_at": "2027-01-04T17:00:00Z"}
    applied(api, clerk, "hearing", hearing)
    notice = sink.one(counsel.email, "Notice of hearing")
    assert "scheduled or moved a hearing" in notice.get_content()
    assert "/documents/" in _link(notice)
    _follow(counsel_browser, notice)
    # Moved: the reset notice, one more mail.
    moved = hearing | {"starts_at": "2027-01-11T17:00:00Z"}
    version = api.pull_all(clerk)[0]
    base = max(c["version"] for c in version if c["entity"] == "hearing" and c["id"] == moved["id"])
    applied(api, clerk, "hearing", moved, base_version=base)
    assert len(sink.to(counsel.email, "Notice of hearing")) == 2

    # A document served: the judge's signed order, served on counsel of record.
    _sign_order(api, app, case.id)
    served = sink.one(counsel.email, "A document was served on you")
    _follow(counsel_browser, served)

    # A record package ready: its requester, linked to the package page.
    response = counsel_browser.post(f"/portal/cases/{case.id}/record", {})
    assert response.status_code == 302
    services = app.extensions["ecas"]
    worker = PackageWorker(
        services.factory, services.blobs.store, services.config.data_dir / "packages"
    )
    while worker.run_once():
        pass
    counsel_browser.get("/portal/")  # the next request sends what the worker wrote
    ready = sink.one(counsel.email, "record package you asked for is ready")
    assert "Download" in _follow(counsel_browser, ready)

    # An account suspended, with the reason.
    admin = sign_in_admin(app)
    admin.get("/portal/admin/registrations?all=1")
    response = admin.post(
        f"/portal/admin/registrations/{other.user_id}/suspend", {"reason": "Bar license lapsed."}
    )
    assert response.status_code == 302, admin.last
    suspended = sink.one(other.email, "was suspended")
    assert "Reason: Bar license lapsed." in suspended.get_content()

    # Never a party not of record: the other practitioner got only their own mail.
    subjects = sorted(str(m["Subject"]) for m in sink.to(other.email))
    assert not [s for s in subjects if "hearing" in s.lower() or "served" in s]
    assert len(subjects) == 4, subjects  # confirm, approved, rejected, suspended
    # Every outbox row was sent, once.
    rows = _outbox_rows(app, counsel.email) + _outbox_rows(app, other.email)
    assert rows and all(r.sent_at is not None and r.attempts == 1 for r in rows)


def test_a_refused_push_mails_nobody_and_a_turned_off_kind_is_not_sent(
    mail_app: Flask, smtp: Smtp
) -> None:
    sink, app = smtp.sink, mail_app
    api = Api(app.test_client())
    counsel = _register_and_approve(app, sink)
    browser = sign_in_enrolling(app, counsel)
    case = _case(api)
    filing_id = _file_eoir_28(app, browser, counsel, case)
    # The acceptance in a group with a change that is refused: the whole group rolls back.
    token = api.login("clerk1")
    changes, _ = api.pull_all(token)
    found = [c for c in changes if c["entity"] == "filing" and c["id"] == filing_id][-1]
    group = new_id()
    accept = mutation(
        "filing",
        found["data"] | {"status": "accepted", "reviewed_by": user_id("clerk1")},
        base_version=found["version"],
    ) | {"group": group}
    bad = mutation("case", case_data(SFR) | {"court_id": "no-such-court"}) | {"group": group}
    answers = api.push(token, accept, bad)
    assert all(a["status"] != "applied" for a in answers), answers
    assert _outbox_rows(app, counsel.email) == [] or all(
        r.kind == "account_approved" for r in _outbox_rows(app, counsel.email)
    )
    assert sink.to(counsel.email, "Your filing") == []

    # The counsel turns acceptance mail off: accepted without a mail.
    with app.extensions["ecas"].factory() as session, session.begin():
        session.add(
            PortalMailPreference(user_id=counsel.user_id, kind="filing_accepted", wanted=False)
        )
    clerk_accepts(api, "clerk1", filing_id)
    assert sink.to(counsel.email, "Your filing") == []


def test_an_smtp_outage_delays_the_mail_which_is_then_delivered_once(
    mail_app: Flask, smtp: Smtp
) -> None:
    sink, app = smtp.sink, mail_app
    api = Api(app.test_client())
    counsel = _register_and_approve(app, sink)
    browser = sign_in_enrolling(app, counsel)
    case = _case(api)
    filing_id = _file_eoir_28(app, browser, counsel, case)
    smtp.stop()
    try:
        clerk_accepts(api, "clerk1", filing_id)  # committed; the send after it fails
        [row] = [r for r in _outbox_rows(app, counsel.email) if r.kind == "filing_accepted"]
        assert row.sent_at is None and row.attempts == 1 and row.last_error
        assert row.next_attempt_at > utcnow()  # backoff: not retried at once
    finally:
        smtp.start()
    portal = app.extensions["ecas_portal"]
    assert portal.mail.drain() == 0  # not due yet
    later = MailSender(
        portal.mail.factory,
        portal.mail.mailer,
        portal.mail.base_url,
        clock=lambda: utcnow() + timedelta(minutes=2),
    )
    assert later.drain() == 1
    assert later.drain() == 0
    sink.one(counsel.email, "Your filing was accepted")
    with app.extensions["ecas"].factory() as session:
        pending = session.scalar(
            select(func.count()).select_from(MailOutbox).where(MailOutbox.sent_at.is_(None))
        )
    assert pending == 0


def test_an_enrolled_respondent_is_mailed_the_notices_served_on_them_and_their_filings(
    mail_app: Flask, smtp: Smtp
) -> None:
    """A pro se respondent is served by mail at the address of record; once enrolled in
    the portal (services/respondents.py) they are also told by email, linked to their own
    pages."""
    sink, app = smtp.sink, mail_app
    api = Api(app.test_client())
    clerk = api.login("clerk1")
    case = mailed_case(api, clerk)
    tag = case.case_id[:8]
    visitor = Browser(app.test_client())
    form = {
        "access_code": access_code(app, case.case_id),
        "a_number": case.a_number_shown,
        "date_of_birth": BIRTH,
        "email": f"luis.{tag}@example.org",
        "username": f"luis{tag}",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    response = visitor.post("/portal/respondent/enrol", form, from_page="/portal/respondent/enrol")
    assert response.status_code == 303, visitor.last
    account = Account(form["username"], form["email"])
    account.user_id = user_row(app, account.username).id
    browser = sign_in_enrolling(app, account)

    applied(api, clerk, "hearing", a_hearing(case.case_id, "2027-04-05T17:00:00Z"))
    notice = sink.one(account.email, "Notice of hearing")
    assert "/portal/respondent/cases/" in _link(notice)
    _follow(browser, notice)

    path = f"/portal/respondent/cases/{case.case_id}/address"
    moved = {
        "street": "400 Fruitvale Avenue",
        "unit": "",
        "city": "Oakland",
        "state": "CA",
        "zip": "94601",
        "phone": "",
        "effective_on": "2026-11-20",
    }
    assert browser.post(path, moved, from_page=path).status_code == 303, browser.last
    with app.extensions["ecas"].factory() as session:
        filing = session.scalar(select(FilingRow.id).where(FilingRow.filer_id == account.user_id))
    assert filing is not None
    clerk_accepts(api, "clerk1", filing)
    accepted = sink.one(account.email, "Your filing was accepted")
    assert "EOIR-33" in accepted.get_content() and _link(accepted) == "/portal/respondent"
    _follow(browser, accepted)
