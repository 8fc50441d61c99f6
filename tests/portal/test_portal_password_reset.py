"""Password reset by email: the same answer whether the account exists or not, a link
mailed through the mailer (read from the outbox folder), good once and for 30 minutes,
the new password checked by the password rules, every session and refresh token of the
account ended."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from sync_server.db import write_transaction
from sync_server.models import PortalPasswordReset, PortalSession, RefreshToken
from sync_server.models.types import utcnow
from tests.portal.portal_helpers import (
    Browser,
    audit_rows,
    mail_to,
    outbox,
    register_and_approve,
    sign_in_enrolling,
)

NEW_PASSWORD = "lantern orchard ferry 1987"


def _ask(app: Flask, login: str) -> tuple[int, str, str]:
    browser = Browser(app.test_client())
    response = browser.post("/portal/password/forgot", {"login": login}, from_page="/portal/login")
    location = response.headers.get("Location", "")
    browser.get(location)
    return response.status_code, location, browser.last


def _link(app: Flask, address: str) -> str:
    body = mail_to(app, address, "Reset your ECAS Portal password").get_content()
    found = re.search(r"https?://[^/\s]+(/portal/password/reset/\S+)", body)
    assert found, body
    return found.group(1)


def test_the_answer_is_the_same_whether_or_not_the_account_exists(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    mails_before = len(list(outbox(seeded_app).glob("*.eml")))
    known = _ask(seeded_app, account.email)
    unknown = _ask(seeded_app, "nobody-here@example.org")
    assert known[0] == unknown[0] == 303
    assert known[1] == unknown[1] == "/portal/login?notice=reset-sent"
    assert "If an account has that username or address" in known[2]
    # One mail, to the account that exists; none for the unknown address.
    assert len(list(outbox(seeded_app).glob("*.eml"))) == mails_before + 1
    assert _link(seeded_app, account.email).startswith("/portal/password/reset/")


def test_a_reset_link_sets_a_new_password_once_and_signs_the_account_out_everywhere(
    seeded_app: Flask,
) -> None:
    account = register_and_approve(seeded_app)
    signed_in = sign_in_enrolling(seeded_app, account)
    with write_transaction(seeded_app.extensions["ecas"].factory) as session:
        session.add(
            RefreshToken(
                token_hash="f" * 20 + account.user_id.replace("-", "")[:44],
                family_id=account.user_id,
                user_id=account.user_id,
                expires_at=utcnow() + timedelta(days=1),
            )
        )
    _ask(seeded_app, account.username)
    link = _link(seeded_app, account.email)
    token = link.rsplit("/", 1)[1]
    with seeded_app.extensions["ecas"].factory() as session:
        stored = session.scalars(
            select(PortalPasswordReset.token_hash).where(
                PortalPasswordReset.user_id == account.user_id
            )
        ).all()
    assert token not in stored and len(stored) == 1  # only its hash is kept

    browser = Browser(seeded_app.test_client())
    assert browser.get(link).status_code == 200
    # The password rules apply: a weak one is refused beside the field.
    weak = browser.post(link, {"password": "password1", "password_again": "password1"})
    assert weak.status_code == 422 and 'id="password-error"' in browser.last
    mismatch = browser.post(link, {"password": NEW_PASSWORD, "password_again": "other words"})
    assert mismatch.status_code == 422
    done = browser.post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 303
    assert done.headers["Location"] == "/portal/login?notice=password-changed"

    # Signed out everywhere: the old portal session and the API refresh token are gone.
    assert signed_in.get("/portal/filings").status_code == 302
    with seeded_app.extensions["ecas"].factory() as session:
        live = session.scalars(
            select(PortalSession).where(
                PortalSession.user_id == account.user_id, PortalSession.ended.is_(False)
            )
        ).all()
        tokens = session.scalars(
            select(RefreshToken.revoked).where(RefreshToken.user_id == account.user_id)
        ).all()
    assert live == [] and tokens == [True]
    [entry] = audit_rows(seeded_app, "portal.password_reset", account.user_id)
    assert entry.detail["refresh_tokens_revoked"] == 1

    # The new password works (with the second factor); the old one no longer does.
    again = Browser(seeded_app.test_client())
    old = again.post(
        "/portal/login",
        {"login": account.username, "password": "correct horse battery 42"},
        from_page="/portal/login",
    )
    assert old.status_code == 401
    new = again.post("/portal/login", {"login": account.username, "password": NEW_PASSWORD})
    assert new.headers["Location"].endswith("/portal/login/code")

    # Single use: the link is dead now, for reading and for sending.
    assert Browser(seeded_app.test_client()).get(link).status_code == 404
    reuse = browser.post(
        link, {"password": NEW_PASSWORD + "x", "password_again": NEW_PASSWORD + "x"}
    )
    assert reuse.status_code == 404


def test_an_expired_or_replaced_link_does_not_work(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    _ask(seeded_app, account.email)
    first = _link(seeded_app, account.email)
    _ask(seeded_app, account.email)
    second = _link(seeded_app, account.email)
    assert first != second
    browser = Browser(seeded_app.test_client())
    assert browser.get(first).status_code == 404  # replaced by the newer link
    assert "This link does not work" in browser.last
    with write_transaction(seeded_app.extensions["ecas"].factory) as session:
        session.execute(
            update(PortalPasswordReset)
            .where(PortalPasswordReset.user_id == account.user_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert browser.get(second).status_code == 404
