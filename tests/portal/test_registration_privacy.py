"""Registration tells the public nothing about which usernames and email addresses have
accounts; what happened goes by mail to the address, which only its owner reads. And a
new password must not be a common one (both databases)."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select

from sync_server.models import PortalAccount, UserRow
from tests.portal.portal_helpers import (
    Browser,
    audit_rows,
    mail_to,
    outbox,
    registration_form,
    verification_path,
)


def _register(app: Flask, form: dict[str, str]) -> tuple[int, str]:
    """Register as a new visitor; the answer's status and page, with what differs between
    visitors (the CSRF token) and the address typed taken out."""
    visitor = Browser(app.test_client())
    response = visitor.post("/portal/register", form, from_page="/portal/register")
    if response.status_code == 303:  # registered: the result page comes by GET (PRG)
        visitor.get(response.headers["Location"])
    page = re.sub(r'value="[0-9a-f]{64}"', 'value="TOKEN"', visitor.last)
    return response.status_code, page.replace(form["email"], "EMAIL")


def _accounts_with_email(app: Flask, email: str) -> int:
    with app.extensions["ecas"].factory() as session:
        return int(
            session.scalar(select(func.count()).where(PortalAccount.email == email.lower())) or 0
        )


def _mails(app: Flask) -> int:
    return len(list(outbox(app).glob("*.eml")))


def test_registration_does_not_reveal_a_taken_email(seeded_app: Flask) -> None:
    first = registration_form()
    fresh = _register(seeded_app, first)
    assert fresh[0] == 303 and "Check your email" in fresh[1]
    # Someone else tries the same address with a username of their own.
    again = registration_form(email=first["email"].upper())
    taken = _register(seeded_app, again)
    assert taken == fresh
    assert _accounts_with_email(seeded_app, first["email"]) == 1
    # The owner is told by mail, and the account is untouched.
    warning = mail_to(seeded_app, again["email"].upper(), "Someone tried to register")
    assert "Nothing was changed" in warning.get_content()
    assert again["password"] not in warning.get_content()
    with seeded_app.extensions["ecas"].factory() as session:
        assert session.scalar(select(UserRow).where(UserRow.username == again["username"])) is None
    refused = audit_rows(seeded_app, "portal.register_refused")
    assert refused[-1].detail["reason"] == "email_taken"


def test_registration_does_not_reveal_a_taken_username(seeded_app: Flask) -> None:
    first = registration_form()
    fresh = _register(seeded_app, first)
    newcomer = registration_form(username=first["username"])
    taken = _register(seeded_app, newcomer)
    assert taken == fresh
    # The newcomer learns it by mail, at the address they gave, and registers again.
    note = mail_to(seeded_app, newcomer["email"], "Choose another username").get_content()
    assert first["username"] in note and "register again" in note
    assert _accounts_with_email(seeded_app, newcomer["email"]) == 0
    retry = dict(newcomer, username=newcomer["username"] + "x")
    assert _register(seeded_app, retry)[0] == 303
    assert verification_path(seeded_app, retry["email"]).startswith("/portal/verify/")


def test_a_demo_staff_username_is_not_revealed_either(seeded_app: Flask) -> None:
    fresh = _register(seeded_app, registration_form())
    sent = _mails(seeded_app)
    assert _register(seeded_app, registration_form(username="admin1")) == fresh
    assert _mails(seeded_app) == sent + 1  # one mail in each case


def test_a_common_password_is_refused_at_registration(seeded_app: Flask) -> None:
    for password in ("password1234", "Password123!", "qwertyuiop123"):
        form = registration_form(password=password, password_again=password)
        visitor = Browser(seeded_app.test_client())
        response = visitor.post("/portal/register", form, from_page="/portal/register")
        assert response.status_code == 422, password
        assert 'href="#password"' in visitor.last
        assert "list of common passwords" in visitor.last or "too easy to guess" in visitor.last
        assert "passphrase" in visitor.last  # says what to do
        assert password not in visitor.last  # never echoed back
        assert _accounts_with_email(seeded_app, form["email"]) == 0


def test_a_password_made_of_the_registrants_name_is_refused(seeded_app: Flask) -> None:
    form = registration_form()
    password = f"{form['last_name']}!2026"
    form |= {"password": password, "password_again": password}
    visitor = Browser(seeded_app.test_client())
    response = visitor.post("/portal/register", form, from_page="/portal/register")
    assert response.status_code == 422
    assert "username, email address or name" in visitor.last


def test_a_passphrase_in_any_script_registers(seeded_app: Flask) -> None:
    password = "горный ручей поёт на рассвете"
    form = registration_form(password=password, password_again=password)
    status, page = _register(seeded_app, form)
    assert status == 303 and "Check your email" in page
    assert _accounts_with_email(seeded_app, form["email"]) == 1
