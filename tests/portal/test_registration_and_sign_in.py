"""eRegistry and two-factor sign-in, through the portal's pages (both databases)."""

from __future__ import annotations

from flask import Flask

from sync_server.models import PortalSecondFactor
from tests.conftest import DEMO_PASSWORD, Api
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    Browser,
    audit_rows,
    mail_to,
    register_and_approve,
    registration_form,
    sign_in,
    sign_in_admin,
    sign_in_enrolling,
    user_row,
    verification_path,
)


def test_registration_verify_approve_enrol_and_sign_in(seeded_app: Flask) -> None:
    visitor = Browser(seeded_app.test_client())
    form = registration_form()
    response = visitor.post("/portal/register", form, from_page="/portal/register")
    assert response.status_code == 303
    visitor.get(response.headers["Location"])
    assert "Check your email" in visitor.last
    user = user_row(seeded_app, form["username"])
    assert user.active is False and user.eoir_id is None

    # Before the email is confirmed, and before approval, sign-in is refused with the reason.
    response = visitor.post(
        "/portal/login", {"login": form["email"], "password": PASSWORD}, from_page="/portal/login"
    )
    assert response.status_code == 403 and "Confirm your email" in visitor.last
    assert visitor.get(verification_path(seeded_app, form["email"])).status_code == 200
    assert "Email address confirmed" in visitor.last
    visitor.post(
        "/portal/login",
        {"login": form["username"], "password": PASSWORD},
        from_page="/portal/login",
    )
    assert "waits for approval" in visitor.last

    admin = sign_in_admin(seeded_app)
    admin.get("/portal/admin/registrations")
    assert form["last_name"] in admin.last and "Supreme Court of California" in admin.last
    # Approval needs the in-person identity check ticked.
    response = admin.post(f"/portal/admin/registrations/{user.id}/approve", {})
    assert response.status_code == 400 and "identity" in admin.last
    response = admin.post(
        f"/portal/admin/registrations/{user.id}/approve", {"identity_checked": "yes"}
    )
    assert response.status_code == 302
    approved = user_row(seeded_app, form["username"])
    assert approved.active and approved.eoir_id and len(approved.eoir_id) == 8
    assert approved.eoir_id in mail_to(seeded_app, form["email"], "approved").get_content()
    assert audit_rows(seeded_app, "portal.registration_approved", admin_id(seeded_app))

    # First sign-in: password, then an authenticator app must be set up.
    account = Account(form["username"], form["email"], user.id)
    browser = sign_in_enrolling(seeded_app, account)
    assert browser.get("/portal/cases").status_code == 200
    assert "My cases" in browser.last
    assert audit_rows(seeded_app, "portal.totp_enrolled", user.id)
    with seeded_app.extensions["ecas"].factory() as session:
        factor = session.get(PortalSecondFactor, user.id)
        assert factor is not None and factor.confirmed_at is not None
        stored = factor.secret
    assert account.secret not in stored  # sealed at rest, under the server's key
    assert seeded_app.extensions["ecas_portal"].signin.box.unseal(stored) == account.secret

    # Signing out ends the session server-side: the old cookie no longer works.
    browser.post("/portal/logout", {})
    assert browser.get("/portal/cases").status_code == 302

    # A later sign-in asks for a code from the app.
    again = sign_in(seeded_app, account)
    assert again.get("/portal/cases").status_code == 200


def admin_id(app: Flask) -> str:
    return user_row(app, "admin1").id


def test_registration_errors_are_named_by_field_and_keep_what_was_typed(
    seeded_app: Flask,
) -> None:
    visitor = Browser(seeded_app.test_client())
    form = registration_form(
        email="not-an-address", zip="9410", password_again="different", bar_number_0=""
    )
    response = visitor.post("/portal/register", form, from_page="/portal/register")
    assert response.status_code == 422
    page = visitor.last
    assert 'href="#email"' in page and 'href="#zip"' in page and 'href="#password_again"' in page
    assert 'href="#bar_admissions"' in page
    assert 'id="email" name="email" type="email" value="not-an-address"' in page
    assert 'aria-invalid="true"' in page
    assert form["password"] not in page  # passwords are never echoed back


def test_enrolment_shows_a_qr_code_and_the_otpauth_uri(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    browser = Browser(seeded_app.test_client())
    browser.post(
        "/portal/login",
        {"login": account.username, "password": PASSWORD},
        from_page="/portal/login",
    )
    browser.get("/portal/login/enrol")
    assert "<svg" in browser.last and "otpauth://totp/ECAS%20Portal:" in browser.last
    # A half signed-in session reaches nothing but the sign-in steps.
    assert browser.get("/portal/cases").status_code == 302


def test_recovery_code_signs_in_once(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app)
    sign_in_enrolling(seeded_app, account)
    code = account.recovery_codes[0]
    for expected in (302, 401):
        browser = Browser(seeded_app.test_client())
        browser.post(
            "/portal/login",
            {"login": account.username, "password": PASSWORD},
            from_page="/portal/login",
        )
        browser.get("/portal/login/code")
        response = browser.post("/portal/login/code", {"code": code})
        assert response.status_code == expected
    logins = audit_rows(seeded_app, "portal.login", account.user_id)
    assert logins[-1].detail["second_factor"] == "recovery_code"


def test_court_staff_sign_in_with_the_password_and_see_no_case_pages(seeded_app: Flask) -> None:
    admin = sign_in_admin(seeded_app)
    assert admin.get("/portal/admin/registrations").status_code == 200
    clerk = Browser(seeded_app.test_client())
    clerk.post(
        "/portal/login", {"login": "clerk1", "password": DEMO_PASSWORD}, from_page="/portal/login"
    )
    assert clerk.get("/portal/admin/registrations").status_code == 403
    assert clerk.get("/portal/cases").status_code == 403


def test_registrations_are_reviewed_through_the_api_too(seeded_app: Flask, api: Api) -> None:
    visitor = Browser(seeded_app.test_client())
    form = registration_form("accredited_rep")
    visitor.post("/portal/register", form, from_page="/portal/register")
    visitor.get(verification_path(seeded_app, form["email"]))
    user = user_row(seeded_app, form["username"])

    token = api.login("admin1")
    listed = api.client.get("/api/v1/registrations", headers=api.headers(token)).get_json()
    mine = [r for r in listed["registrations"] if r["user_id"] == user.id]
    assert mine and mine[0]["organization"] == "Bay Area Legal Aid"
    # Another court's administrator does not see it, and can't approve it.
    other = api.login("admin2")
    listed = api.client.get("/api/v1/registrations", headers=api.headers(other)).get_json()
    assert user.id not in {r["user_id"] for r in listed["registrations"]}
    path = f"/api/v1/registrations/{user.id}/approve"
    body = {"identity_checked": True}
    assert api.client.post(path, json=body, headers=api.headers(other)).status_code == 404
    unchecked = api.client.post(path, json={"identity_checked": False}, headers=api.headers(token))
    assert unchecked.status_code == 400
    response = api.client.post(path, json=body, headers=api.headers(token))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["eoir_id"] == user_row(seeded_app, form["username"]).eoir_id
    again = api.client.post(path, json=body, headers=api.headers(token))
    assert again.status_code == 409
