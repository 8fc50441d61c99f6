"""A portal that never loses work: a form sent after its session ended is kept, the user
signs in again (password and code) and sends it then, with every field as typed; the
return address survives the second-factor step."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from sync_server.db import write_transaction
from sync_server.models import FilingRow, PortalKeptForm, PortalSession
from sync_server.models.types import utcnow
from sync_server.portal.gate import KEPT_COOKIE
from tests.portal.portal_flows import appearance_form
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    Browser,
    a_case_at,
    audit_rows,
    outbox,
    register_and_approve,
    registration_form,
    sign_in_enrolling,
    user_row,
)

_INPUT = re.compile(r"<input\b[^>]*>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def hidden_fields(page: str) -> list[tuple[str, str]]:
    """The hidden inputs of a page, in order, as a browser would send them."""
    found = []
    for tag in _INPUT.findall(page):
        attrs = {k: html.unescape(v) for k, v in _ATTR.findall(tag)}
        if attrs.get("type") == "hidden" and "name" in attrs:
            found.append((attrs["name"], attrs.get("value", "")))
    return found


def form_to(page: str, action: str) -> str:
    """The HTML of the page's form that posts to ``action``."""
    found = re.search(rf'<form method="post" action="{re.escape(action)}">(.*?)</form>', page, re.S)
    assert found, page
    return found.group(1)


def end_sessions_by_idling(app: Flask, user_id: str) -> None:
    """The user's sessions go quiet for longer than the idle timeout (30 minutes)."""
    with write_transaction(app.extensions["ecas"].factory) as session:
        session.execute(
            update(PortalSession)
            .where(PortalSession.user_id == user_id)
            .values(last_seen_at=utcnow() - timedelta(minutes=31))
        )


def sign_in_again(browser: Browser, account: Account, location: str) -> str:
    """From the sign-in page the portal sent the user to: password, then a code, sending
    the pages' hidden fields as a browser does. Returns where the portal goes next."""
    browser.get(location)
    response = browser.post(
        "/portal/login",
        {
            **dict(hidden_fields(form_to(browser.last, "/portal/login"))),
            "login": account.username,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302, browser.last
    browser.get(response.headers["Location"])
    assert "Enter your sign-in code" in browser.last
    response = browser.post(
        "/portal/login/code",
        {
            **dict(hidden_fields(form_to(browser.last, "/portal/login/code"))),
            "code": account.next_code(),
        },
    )
    assert response.status_code == 302, browser.last
    return response.headers["Location"]


def _filings_of(app: Flask, filer_id: str) -> list[FilingRow]:
    with app.extensions["ecas"].factory() as session:
        return list(session.scalars(select(FilingRow).where(FilingRow.filer_id == filer_id)))


def test_an_eoir_28_sent_after_the_session_expired_is_filed_as_typed_after_signing_in_again(
    seeded_app: Flask,
) -> None:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    eoir_id = str(user_row(seeded_app, account.username).eoir_id)
    case = a_case_at(seeded_app, "SFR", 3)
    browser.get("/portal/appearance/eoir-28")
    typed = appearance_form(
        case,
        eoir_id,
        respondent_street="1450 Calle de la Misión, Apt 4 & 5",
        respondent_city="South San Francisco",
        respondent_zip="94080",
        firm='Reyes "Immigration" Law <SF>',
        served_address="100 Montgomery St, Suite 800\nSan Francisco, CA 94104",
    )

    # Half an hour on the form: the session expires, then the form is sent.
    end_sessions_by_idling(seeded_app, account.user_id)
    response = browser.post("/portal/appearance/eoir-28", typed)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/portal/login?")
    assert _filings_of(seeded_app, account.user_id) == []  # nothing filed without a session
    browser.get(location)
    assert "It is kept as you typed it" in browser.last

    # Sign in again with a code: the portal comes back to the kept form.
    assert sign_in_again(browser, account, location) == "/portal/resume"
    page = browser.get("/portal/resume")
    assert page.status_code == 200, browser.last
    resent = hidden_fields(form_to(browser.last, "/portal/appearance/eoir-28"))
    assert dict(resent[1:]) == typed  # every field as typed, after a fresh CSRF token
    assert resent[0][0] == "csrf_token"

    response = browser.post("/portal/appearance/eoir-28", dict(resent))
    assert response.status_code == 302, browser.last
    assert response.headers["Location"].endswith("/portal/filings?notice=filed")
    [filing] = _filings_of(seeded_app, account.user_id)
    assert filing.kind == "eoir_28" and filing.case_id == case.id
    for name in ("respondent_street", "respondent_city", "respondent_zip", "firm", "phone"):
        assert filing.form[name] == typed[name], name
    assert "Suite 800" in str(filing.form)
    assert audit_rows(seeded_app, "portal.form_kept", account.user_id)
    assert audit_rows(seeded_app, "portal.form_resumed", account.user_id)

    # Handed back once: a reload of the page finds nothing, so it can't be filed twice.
    assert browser.get("/portal/resume").status_code == 404


def test_a_kept_form_is_not_handed_to_another_user_of_the_same_browser(
    seeded_app: Flask,
) -> None:
    first = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, first)
    eoir_id = str(user_row(seeded_app, first.username).eoir_id)
    browser.get("/portal/appearance/eoir-28")
    end_sessions_by_idling(seeded_app, first.user_id)
    response = browser.post(
        "/portal/appearance/eoir-28", appearance_form(a_case_at(seeded_app, "SFR", 4), eoir_id)
    )
    assert response.status_code == 303
    location = response.headers["Location"]

    second = register_and_approve(seeded_app)
    sign_in_enrolling(seeded_app, second)  # sets up the second person's app
    assert sign_in_again(browser, second, location) == "/portal/resume"
    assert browser.get("/portal/resume").status_code == 404
    assert "There is no form to send" in browser.last
    # The first person's form is still theirs, untouched.
    with seeded_app.extensions["ecas"].factory() as session:
        kept = session.scalars(
            select(PortalKeptForm).where(PortalKeptForm.user_id == first.user_id)
        ).all()
    assert [k.taken_at for k in kept] == [None]


def test_a_forged_reference_finds_no_form_and_passwords_are_never_kept(
    seeded_app: Flask,
) -> None:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    eoir_id = str(user_row(seeded_app, account.username).eoir_id)
    browser.get("/portal/appearance/eoir-28")
    end_sessions_by_idling(seeded_app, account.user_id)
    typed = appearance_form(a_case_at(seeded_app, "SFR", 5), eoir_id, password="hunter2 pw")
    response = browser.post("/portal/appearance/eoir-28", typed)
    assert response.status_code == 303
    with seeded_app.extensions["ecas"].factory() as session:
        [kept] = session.scalars(
            select(PortalKeptForm).where(PortalKeptForm.user_id == account.user_id)
        ).all()
    names = [name for name, _ in kept.fields]
    assert "password" not in names and "csrf_token" not in names
    assert "hunter2 pw" not in str(kept.fields)

    location = response.headers["Location"]
    browser.client.set_cookie(KEPT_COOKIE, kept.id, path="/portal")  # unsigned: forged
    assert sign_in_again(browser, account, location) == "/portal/resume"
    assert browser.get("/portal/resume").status_code == 404


def test_a_form_from_another_site_is_not_kept(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    end_sessions_by_idling(seeded_app, account.user_id)
    response = browser.client.post(
        "/portal/appearance/eoir-28", data={"csrf_token": "0" * 64, "a_number": "123"}
    )
    assert response.status_code == 403
    with seeded_app.extensions["ecas"].factory() as session:
        assert not session.scalars(
            select(PortalKeptForm).where(PortalKeptForm.user_id == account.user_id)
        ).all()


def test_the_return_address_survives_the_second_factor_step(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    sign_in_enrolling(seeded_app, account)
    browser = Browser(seeded_app.test_client())
    response = browser.get("/portal/filings")
    assert response.status_code == 302
    assert sign_in_again(browser, account, response.headers["Location"]) == "/portal/filings"
    # A return address off the portal is not followed after the code either.
    other = register_and_approve(seeded_app)
    sign_in_enrolling(seeded_app, other)
    outsider = Browser(seeded_app.test_client())
    assert sign_in_again(outsider, other, "/portal/login?next=//evil.example/x") == "/portal/"


def _last_seen(app: Flask, user_id: str) -> list[datetime]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(PortalSession.last_seen_at).where(
                    PortalSession.user_id == user_id, PortalSession.second_factor_done
                )
            )
        )


def test_signed_in_pages_carry_the_idle_warning_and_stay_signed_in_restarts_the_clock(
    seeded_app: Flask,
) -> None:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    page = browser.get("/portal/filings")
    assert 'data-idle-seconds="1800" data-warn-seconds="120"' in browser.last
    assert 'aria-labelledby="idle-title"' in browser.last and 'aria-live="polite"' in browser.last
    assert '<script src="/portal/static/session.js" defer></script>' in browser.last
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert browser.get("/portal/static/session.js").status_code == 200

    # 25 quiet minutes, then "Stay signed in": the session's idle clock starts again.
    with write_transaction(seeded_app.extensions["ecas"].factory) as session:
        session.execute(
            update(PortalSession)
            .where(PortalSession.user_id == account.user_id)
            .values(last_seen_at=utcnow() - timedelta(minutes=25))
        )
    browser.get("/portal/filings")
    token = re.search(r'data-csrf="([0-9a-f]{64})"', browser.last)
    assert token
    before = utcnow()
    answer = browser.client.post("/portal/session/keep-alive", data={"csrf_token": token[1]})
    assert answer.status_code == 200 and answer.get_json() == {"idle_seconds": 1800}
    assert all(
        seen >= before - timedelta(seconds=1) for seen in _last_seen(seeded_app, account.user_id)
    )

    # Too late: once the session has ended the keep-alive can't revive it, and an empty
    # post is not kept as a form.
    end_sessions_by_idling(seeded_app, account.user_id)
    late = browser.client.post("/portal/session/keep-alive", data={"csrf_token": token[1]})
    assert late.status_code == 403
    assert browser.get("/portal/filings").status_code == 302  # to the sign-in page
    with seeded_app.extensions["ecas"].factory() as session:
        assert not session.scalars(
            select(PortalKeptForm).where(PortalKeptForm.user_id == account.user_id)
        ).all()


def test_pages_before_sign_in_carry_no_idle_warning(seeded_app: Flask) -> None:
    browser = Browser(seeded_app.test_client())
    browser.get("/portal/login")
    assert "idle-dialog" not in browser.last and "session.js" not in browser.last


def test_reloading_the_registration_result_does_not_register_again(seeded_app: Flask) -> None:
    visitor = Browser(seeded_app.test_client())
    form = registration_form()
    response = visitor.post("/portal/register", form, from_page="/portal/register")
    assert response.status_code == 303
    assert response.headers["Location"] == "/portal/registered"
    for _ in range(2):  # the page, then a reload of it: GETs only
        assert visitor.get("/portal/registered").status_code == 200
        assert f"<strong>{form['email']}</strong>" in visitor.last
    sent = [
        p
        for p in outbox(seeded_app).glob("*.eml")
        if f"To: {form['email']}" in p.read_text(errors="replace")
    ]
    assert len(sent) == 1
    # Another browser sees the page without anyone's address.
    stranger = Browser(seeded_app.test_client())
    stranger.get("/portal/registered")
    assert form["email"] not in stranger.last and "the address you gave" in stranger.last


def test_the_return_address_survives_setting_up_the_second_factor(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    browser = Browser(seeded_app.test_client())
    response = browser.get("/portal/filings")
    browser.get(response.headers["Location"])
    response = browser.post(
        "/portal/login",
        {
            **dict(hidden_fields(form_to(browser.last, "/portal/login"))),
            "login": account.username,
            "password": PASSWORD,
        },
    )
    assert response.headers["Location"] == "/portal/login/enrol?next=/portal/filings"
    browser.get(response.headers["Location"])
    found = re.search(r'id="totp-secret">([A-Z2-7]+)<', browser.last)
    assert found
    account.secret = found.group(1)
    response = browser.post(
        "/portal/login/enrol",
        {
            **dict(hidden_fields(form_to(browser.last, "/portal/login/enrol"))),
            "code": account.next_code(),
        },
    )
    # Post/redirect/get: the codes page is a GET that keeps the return address.
    assert response.status_code == 303
    browser.get(response.headers["Location"])
    assert "Save your recovery codes" in browser.last and "<li>" in browser.last
    assert '<a class="button" href="/portal/filings">Continue</a>' in browser.last
