"""What the portal refuses, and that every refusal is in the audit log (both databases)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flask import Flask
from sqlalchemy import update

from sync_server.models import PortalSession
from sync_server.models.types import utcnow
from tests.conftest import DEMO_PASSWORD, Api, mutation
from tests.pdf_factory import valid_pdf
from tests.portal.portal_flows import appearance_form, clerk_accepts
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    Browser,
    a_case_at,
    audit_rows,
    register_and_approve,
    registration_form,
    sign_in,
    sign_in_admin,
    sign_in_enrolling,
    user_row,
)
from tests.server.sync_helpers import SFR


def _practitioner_of(app: Flask, api: Api, case_index: int) -> tuple[Browser, Account, str]:
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)
    case = a_case_at(app, "SFR", case_index)
    eoir_id = str(user_row(app, account.username).eoir_id)
    browser.post(
        "/portal/appearance/eoir-28",
        appearance_form(case, eoir_id),
        from_page="/portal/appearance/eoir-28",
    )
    from tests.portal.test_efiling_and_einfo import _filing

    clerk_accepts(api, "clerk1", _filing(app, account.user_id, "eoir_28").id)
    return browser, account, case.id


def test_another_cases_url_is_not_found_and_audited(seeded_app: Flask, api: Api) -> None:
    browser, account, own_case = _practitioner_of(seeded_app, api, 5)
    other = a_case_at(seeded_app, "SFR", 6).id
    assert browser.get(f"/portal/cases/{own_case}").status_code == 200
    missing = browser.get("/portal/cases/00000000-0000-4000-8000-000000000000")
    tampered = browser.get(f"/portal/cases/{other}")
    # Someone else's case reads exactly like no case at all.
    assert tampered.status_code == missing.status_code == 404
    assert tampered.data == missing.data
    assert browser.get(f"/portal/cases/{other}/file").status_code == 404
    assert browser.get(f"/portal/cases/{own_case}/documents/{other}").status_code == 404
    refused = [
        e
        for e in audit_rows(seeded_app, "portal.refused", account.user_id)
        if e.detail["reason"] == "not_found"
    ]
    assert {e.detail["path"] for e in refused} >= {
        f"/portal/cases/{other}",
        f"/portal/cases/{other}/file",
        f"/portal/cases/{own_case}/documents/{other}",
    }


def test_a_form_without_the_csrf_token_is_refused_and_audited(seeded_app: Flask, api: Api) -> None:
    browser, account, case_id = _practitioner_of(seeded_app, api, 7)
    before = len(audit_rows(seeded_app, "portal.csrf_refused", account.user_id))
    forged = browser.client.post(
        f"/portal/cases/{case_id}/address",
        data={
            "street": "1 Evil St",
            "city": "X",
            "state": "CA",
            "zip": "94110",
            "effective_on": "2026-11-20",
        },
    )
    assert forged.status_code == 403 and b"not sent from this page" in forged.data
    wrong = browser.client.post("/portal/logout", data={"csrf_token": "0" * 64})
    assert wrong.status_code == 403
    # A token from another session does not work either.
    other = Browser(seeded_app.test_client())
    other.get("/portal/login")
    from tests.portal.portal_helpers import csrf_of

    stolen = browser.client.post("/portal/logout", data={"csrf_token": csrf_of(other.last)})
    assert stolen.status_code == 403
    assert len(audit_rows(seeded_app, "portal.csrf_refused", account.user_id)) == before + 3
    assert browser.get(f"/portal/cases/{case_id}").status_code == 200  # still signed in


def test_a_suspended_practitioner_reads_but_cannot_file(seeded_app: Flask, api: Api) -> None:
    browser, account, case_id = _practitioner_of(seeded_app, api, 8)
    admin = sign_in_admin(seeded_app)
    admin.get("/portal/admin/registrations?all=1")
    response = admin.post(
        f"/portal/admin/registrations/{account.user_id}/suspend",
        {"reason": "Suspended by the state bar pending discipline."},
    )
    assert response.status_code == 302
    assert browser.get(f"/portal/cases/{case_id}").status_code == 200
    assert "suspended" in browser.last
    refused = browser.get(f"/portal/cases/{case_id}/file")
    assert refused.status_code == 403 and b"suspended" in refused.data
    refused = browser.get("/portal/appearance/eoir-28")
    assert refused.status_code == 403
    reasons = [
        e.detail["reason"] for e in audit_rows(seeded_app, "portal.refused", account.user_id)
    ]
    assert reasons.count("suspended") == 2
    assert audit_rows(seeded_app, "portal.account_suspended", user_row(seeded_app, "admin1").id)

    # Nor through the sync API, which the same domain checks guard.
    token = api.login(account.username, PASSWORD, otp=account.recovery_codes[0])
    (result,) = api.push(token, mutation("filing", filing_data(case_id, SFR, account.user_id)))
    assert result["status"] == "rejected" and "suspended" in result["error"]

    admin.post(f"/portal/admin/registrations/{account.user_id}/reinstate", {})
    assert browser.get(f"/portal/cases/{case_id}/file").status_code == 200


def test_wrong_and_replayed_totp_codes_are_refused_and_audited(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    sign_in_enrolling(seeded_app, account)
    sign_in(seeded_app, account)  # uses a fresh code
    used = account.last_code()

    def try_code(code: str) -> Browser:
        browser = Browser(seeded_app.test_client())
        browser.post(
            "/portal/login",
            {"login": account.username, "password": PASSWORD},
            from_page="/portal/login",
        )
        browser.get("/portal/login/code")
        response = browser.post("/portal/login/code", {"code": code})
        assert response.status_code == 401
        assert browser.get("/portal/cases").status_code == 302  # not signed in
        return browser

    wrong = "000000" if used != "000000" else "111111"
    assert "not right" in try_code(wrong).last
    assert "already used" in try_code(used).last
    failed = audit_rows(seeded_app, "portal.totp_failed", account.user_id)
    assert [e.detail["reason"] for e in failed[-2:]] == ["wrong", "replayed"]


def test_sign_in_is_rate_limited_per_account_in_the_database(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    browser = Browser(seeded_app.test_client())
    for _ in range(5):
        response = browser.post(
            "/portal/login",
            {"login": account.username, "password": "wrong password!"},
            from_page="/portal/login",
        )
        assert response.status_code == 401
    # Even the right password waits now; another process (another client) sees the same.
    fresh = Browser(seeded_app.test_client())
    response = fresh.post(
        "/portal/login",
        {"login": account.username, "password": PASSWORD},
        from_page="/portal/login",
    )
    assert response.status_code == 429 and "Too many failed attempts" in fresh.last
    assert len(audit_rows(seeded_app, "portal.login_failed", account.user_id)) == 5
    assert audit_rows(seeded_app, "portal.login_throttled", account.user_id)


def test_cookies_sessions_and_error_pages(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    browser = Browser(seeded_app.test_client())
    response = browser.post(
        "/portal/login",
        {"login": account.username, "password": PASSWORD},
        from_page="/portal/login",
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if "ecas_portal_session" in c)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/portal" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    secure = seeded_app.test_client().get("/portal/login", base_url="https://localhost")
    assert "Secure" in secure.headers["Set-Cookie"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]

    browser.get("/portal/login/enrol")
    browser.post("/portal/login/enrol", {"code": _code_from_page(browser, account)})
    assert browser.get("/portal/cases").status_code == 200
    # Idle past the timeout: the session is over.
    with seeded_app.extensions["ecas"].factory() as session, session.begin():
        session.execute(
            update(PortalSession)
            .where(PortalSession.user_id == account.user_id)
            .values(last_seen_at=utcnow() - timedelta(minutes=31))
        )
    assert browser.get("/portal/cases").status_code == 302

    # Errors are plain pages that tell nothing internal.
    for path, status in (("/portal/no/such/page", 404), ("/portal/verify/x", 404)):
        response = browser.get(path)
        assert response.status_code == status and response.mimetype == "text/html"
        assert b"Traceback" not in response.data and b"sqlalchemy" not in response.data.lower()
    assert seeded_app.test_client().put("/portal/login").status_code == 404


def _code_from_page(browser: Browser, account: Account) -> str:
    import re

    found = re.search(r'id="totp-secret">([A-Z2-7]+)<', browser.last)
    assert found
    account.secret = found.group(1)
    return account.next_code()


def test_uploads_need_a_signed_in_party(seeded_app: Flask) -> None:
    anonymous = seeded_app.test_client()
    case = a_case_at(seeded_app, "SFR", 0).id
    response = anonymous.get(f"/portal/cases/{case}")
    assert response.status_code == 302 and "/portal/login" in response.headers["Location"]
    assert (
        anonymous.post(f"/portal/cases/{case}/file", data={"lead": valid_pdf()}).status_code == 403
    )


def test_sign_in_is_rate_limited_per_address(seeded_app: Flask) -> None:
    signin = seeded_app.extensions["ecas_portal"].signin
    saved = signin.settings
    signin.settings = replace(saved, ip_failures=3)
    try:
        browser = Browser(seeded_app.test_client())
        browser.client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
        for number in range(3):  # three different names from one address
            response = browser.post(
                "/portal/login",
                {"login": f"nobody{number}", "password": "x" * 12},
                from_page="/portal/login",
            )
            assert response.status_code == 401
        response = browser.post(
            "/portal/login",
            {"login": "admin1", "password": DEMO_PASSWORD},
            from_page="/portal/login",
        )
        assert response.status_code == 429
        # Another address is not affected.
        elsewhere = Browser(seeded_app.test_client())
        elsewhere.client.environ_base["REMOTE_ADDR"] = "198.51.100.8"
        response = elsewhere.post(
            "/portal/login",
            {"login": "admin1", "password": DEMO_PASSWORD},
            from_page="/portal/login",
        )
        assert response.status_code == 302
    finally:
        signin.settings = saved
    throttled = audit_rows(seeded_app, "portal.login_throttled")
    assert throttled[-1].detail["ip"] == "198.51.100.7"


def filing_data(case_id: str, court: str, filer_id: str) -> dict[str, object]:
    return {
        "case_id": case_id,
        "court_id": court,
        "filer_id": filer_id,
        "kind": "change_of_address",
        "status": "pending",
        "submitted_at": "2026-11-27T15:00:00Z",
    }


def test_registrations_are_limited_per_address(seeded_app: Flask) -> None:
    signin = seeded_app.extensions["ecas_portal"].signin
    saved = signin.settings
    signin.settings = replace(saved, registrations_per_hour=2)
    try:
        visitor = Browser(seeded_app.test_client())
        for expected in (303, 303, 429):
            response = visitor.post(
                "/portal/register", registration_form(), from_page="/portal/register"
            )
            assert response.status_code == expected
    finally:
        signin.settings = saved
    assert "Too many registrations" in visitor.last
    address = visitor.client.environ_base["REMOTE_ADDR"]
    assert audit_rows(seeded_app, "portal.register_throttled")[-1].detail["ip"] == address
