"""Driving the portal as a browser without JavaScript would: forms with their CSRF token,
cookies, mail read from the outbox folder, TOTP codes computed from the secret."""

from __future__ import annotations

import email
import email.policy
import re
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from sync_server.models import AuditEntry, CaseRow, UserRow
from tests.conftest import DEMO_PASSWORD, court_id

PASSWORD = "correct horse battery 42"
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@dataclass
class Browser:
    """One visitor: a Flask test client (it keeps cookies) and the last page's token."""

    client: FlaskClient
    last: str = ""

    def __post_init__(self) -> None:
        # Each visitor comes from an address of its own, as people do; the per-address
        # limits are tested on purpose elsewhere.
        self.client.environ_base["REMOTE_ADDR"] = (
            f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
        )

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        response = self.client.get(path, **kwargs)
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            self.last = response.get_data(as_text=True)
        return response

    def post(
        self, path: str, data: dict[str, Any], *, from_page: str | None = None
    ) -> TestResponse:
        """Submit a form the way a browser would: with the token of the page it is on."""
        if from_page is not None:
            self.get(from_page)
        body = {"csrf_token": csrf_of(self.last), **data}
        response = self.client.post(path, data=body)
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            self.last = response.get_data(as_text=True)
        return response


def outbox(where: Flask | Path) -> Path:
    """The mail folder of an app, or of a server's data folder."""
    data_dir = where if isinstance(where, Path) else Path(where.extensions["ecas"].config.data_dir)
    return data_dir / "outbox"


def mail_to(app: Flask | Path, address: str, subject_contains: str) -> email.message.EmailMessage:
    """The newest message to ``address`` whose subject contains the text."""
    for path in sorted(outbox(app).glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address and subject_contains in str(message["Subject"]):
            assert isinstance(message, email.message.EmailMessage)
            return message
    raise AssertionError(f"no mail to {address} about {subject_contains!r}")


def verification_path(app: Flask | Path, address: str) -> str:
    body = mail_to(app, address, "Confirm your email").get_content()
    found = re.search(r"https?://[^/\s]+(/portal/verify/\S+)", body)
    assert found, body
    return found.group(1)


def registration_form(kind: str = "attorney", **overrides: str) -> dict[str, str]:
    tag = uuid.uuid4().hex[:8]
    form = {
        "kind": kind,
        "first_name": "Dana",
        "last_name": f"Reyes{tag}",
        "email": f"dana.{tag}@example.org",
        "phone": "415-555-0100",
        "firm": "Reyes Immigration Law",
        "street": "100 Market St",
        "city": "San Francisco",
        "state": "CA",
        "zip": "94105",
        "identity_court_id": court_id("SFR"),
        "username": f"dreyes{tag}",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    if kind == "attorney":
        form |= {"bar_jurisdiction_0": "Supreme Court of California", "bar_number_0": "123456"}
    if kind == "accredited_rep":
        form |= {"organization": "Bay Area Legal Aid"}
    return form | overrides


@dataclass
class Account:
    username: str
    email: str
    user_id: str = ""
    secret: str = ""
    recovery_codes: list[str] = field(default_factory=list)
    used_step: int = 0

    def next_code(self) -> str:
        """A code the server has not seen: the current step's, or the next step's (the
        server allows one step of clock skew) when the current one was used already."""
        current = int(time.time() // 30)
        step = max(current, self.used_step + 1)
        assert step <= current + 1, "two codes used in one step; a test signs in too often"
        self.used_step = step
        return pyotp.TOTP(self.secret).at(step * 30)

    def last_code(self) -> str:
        return pyotp.TOTP(self.secret).at(self.used_step * 30)


def audit_rows(app: Flask, action: str, actor_id: str | None = None) -> list[AuditEntry]:
    app.extensions["ecas"].refusals.flush()  # refusals are written in batches
    with app.extensions["ecas"].factory() as session:
        query = select(AuditEntry).where(AuditEntry.action == action)
        if actor_id is not None:
            query = query.where(AuditEntry.actor_id == actor_id)
        return list(session.scalars(query.order_by(AuditEntry.seq)))


def user_row(app: Flask, username: str) -> UserRow:
    with app.extensions["ecas"].factory() as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        assert row is not None
        return row


def a_case_at(app: Flask, court_code: str, index: int = 0) -> CaseRow:
    """A demo case at the court (not on appeal), by position."""
    with app.extensions["ecas"].factory() as session:
        rows = list(
            session.scalars(
                select(CaseRow)
                .where(CaseRow.court_id == court_id(court_code), CaseRow.status != "appealed")
                .order_by(CaseRow.id)
            )
        )
    return rows[index]


def sign_in_admin(app: Flask, username: str = "admin1") -> Browser:
    """Court staff sign in with the password alone (no app set up)."""
    browser = Browser(app.test_client())
    response = browser.post(
        "/portal/login", {"login": username, "password": DEMO_PASSWORD}, from_page="/portal/login"
    )
    assert response.status_code == 302, browser.last
    return browser


def register_and_approve(app: Flask, kind: str = "attorney", **overrides: str) -> Account:
    """Register, verify, approve at SFR (admin1); returns the account (no app yet)."""
    visitor = Browser(app.test_client())
    form = registration_form(kind, **overrides)
    response = visitor.post("/portal/register", form, from_page="/portal/register")
    assert response.status_code == 303, visitor.last  # to the result page (PRG)
    assert visitor.get(verification_path(app, form["email"])).status_code == 200
    account = Account(form["username"], form["email"])
    account.user_id = user_row(app, account.username).id
    admin = sign_in_admin(app)
    admin.get("/portal/admin/registrations")
    response = admin.post(
        f"/portal/admin/registrations/{account.user_id}/approve", {"identity_checked": "yes"}
    )
    assert response.status_code == 302, admin.last
    return account


def sign_in_enrolling(app: Flask, account: Account) -> Browser:
    """First sign-in: password, then set up the app (secret read off the page)."""
    browser = Browser(app.test_client())
    response = browser.post(
        "/portal/login",
        {"login": account.username, "password": PASSWORD},
        from_page="/portal/login",
    )
    assert response.headers["Location"].endswith("/portal/login/enrol"), browser.last
    browser.get("/portal/login/enrol")
    found = re.search(r'id="totp-secret">([A-Z2-7]+)<', browser.last)
    assert found, browser.last
    account.secret = found.group(1)
    response = browser.post("/portal/login/enrol", {"code": account.next_code()})
    # Post/redirect/get: the recovery codes are shown by the page it redirects to.
    assert response.status_code == 303, browser.last
    assert browser.get(response.headers["Location"]).status_code == 200
    account.recovery_codes = re.findall(r"<li>([0-9a-f]{4}(?:-[0-9a-f]{4}){3})</li>", browser.last)
    assert len(account.recovery_codes) == 10
    return browser


def sign_in(app: Flask, account: Account) -> Browser:
    """A later sign-in: password, then the next unused TOTP code."""
    browser = Browser(app.test_client())
    response = browser.post(
        "/portal/login",
        {"login": account.username, "password": PASSWORD},
        from_page="/portal/login",
    )
    assert response.headers["Location"].endswith("/portal/login/code"), browser.last
    browser.get("/portal/login/code")
    response = browser.post("/portal/login/code", {"code": account.next_code()})
    assert response.status_code == 302, browser.last
    return browser
