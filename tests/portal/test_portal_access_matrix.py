"""Every portal page, called by every kind of visitor: who gets in, who is refused.

The table below must name every portal route (a new page without a row fails here), and
the gate must refuse a page that declares no action (fail closed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from common.enums import Role
from sync_server.policy import Action, Principal, portal_allows
from sync_server.portal.gate import MARK
from tests.conftest import DEMO_PASSWORD
from tests.portal.portal_helpers import (
    Browser,
    a_case_at,
    register_and_approve,
    sign_in_admin,
    sign_in_enrolling,
)

ANONYMOUS, ATTORNEY, DHS, CLERK, ADMIN = "anonymous", "attorney", "dhs", "clerk", "court_admin"
EVERYONE = frozenset({ANONYMOUS, ATTORNEY, DHS, CLERK, ADMIN})
SIGNED_IN = EVERYONE - {ANONYMOUS}
EXTERNAL = frozenset({ATTORNEY, DHS})
NOBODY_ID = "00000000-0000-4000-8000-000000000000"

Call = Callable[[Browser, str], TestResponse]

# endpoint -> (who may use it, how to call it; the case id is one no visitor appears in)
PAGES: dict[str, tuple[frozenset[str], Call]] = {
    "portal.home": (EVERYONE, lambda b, c: b.get("/portal/")),
    "portal.register": (EVERYONE, lambda b, c: b.get("/portal/register")),
    "portal.registered": (EVERYONE, lambda b, c: b.get("/portal/registered")),
    "portal.verify": (EVERYONE, lambda b, c: b.get("/portal/verify/not-a-token")),
    "portal.login": (EVERYONE, lambda b, c: b.get("/portal/login")),
    "portal.login_code": (SIGNED_IN, lambda b, c: b.get("/portal/login/code")),
    "portal.enrol": (SIGNED_IN, lambda b, c: b.get("/portal/login/enrol")),
    "portal.logout": (
        SIGNED_IN,
        lambda b, c: b.post("/portal/logout", {}, from_page="/portal/login"),
    ),
    "portal.resume": (SIGNED_IN, lambda b, c: b.get("/portal/resume")),
    "portal.forgot_password": (EVERYONE, lambda b, c: b.get("/portal/password/forgot")),
    "portal.reset_password": (EVERYONE, lambda b, c: b.get("/portal/password/reset/not-a-token")),
    "portal.keep_alive": (
        SIGNED_IN,
        lambda b, c: b.post("/portal/session/keep-alive", {}, from_page="/portal/login"),
    ),
    "portal.recovery_codes": (SIGNED_IN, lambda b, c: b.get("/portal/login/recovery-codes")),
    "portal.profile": (EXTERNAL, lambda b, c: b.get("/portal/profile")),
    "portal.terms": (EXTERNAL, lambda b, c: b.get("/portal/terms")),
    "portal.confirm_email": (EXTERNAL, lambda b, c: b.get("/portal/profile/email/not-a-token")),
    "portal.registrations": (frozenset({ADMIN}), lambda b, c: b.get("/portal/admin/registrations")),
    "portal.decide_registration": (
        frozenset({ADMIN}),
        lambda b, c: b.post(
            f"/portal/admin/registrations/{NOBODY_ID}/reinstate", {}, from_page="/portal/login"
        ),
    ),
    "portal.cases": (EXTERNAL, lambda b, c: b.get("/portal/cases")),
    "portal.case": (EXTERNAL, lambda b, c: b.get(f"/portal/cases/{c}")),
    "portal.document": (EXTERNAL, lambda b, c: b.get(f"/portal/cases/{c}/documents/{NOBODY_ID}")),
    "portal.upload": (EXTERNAL, lambda b, c: b.get(f"/portal/cases/{c}/file")),
    "portal.change_address": (EXTERNAL, lambda b, c: b.get(f"/portal/cases/{c}/address")),
    "portal.file_motion": (EXTERNAL, lambda b, c: b.get(f"/portal/cases/{c}/motion")),
    "portal.motions": (EXTERNAL, lambda b, c: b.get(f"/portal/cases/{c}/motions")),
    "portal.motion_position": (
        EXTERNAL,
        lambda b, c: b.post(
            f"/portal/cases/{c}/motions/{NOBODY_ID}/position", {}, from_page="/portal/login"
        ),
    ),
    "portal.file_appeal": (EXTERNAL, lambda b, c: b.get(f"/portal/cases/{c}/appeal")),
    "portal.file_brief": (
        EXTERNAL,
        lambda b, c: b.get(f"/portal/cases/{c}/appeals/{NOBODY_ID}/brief"),
    ),
    "portal.request_extension": (
        EXTERNAL,
        lambda b, c: b.post(
            f"/portal/cases/{c}/appeals/{NOBODY_ID}/extension", {}, from_page="/portal/login"
        ),
    ),
    "portal.filings": (EXTERNAL, lambda b, c: b.get("/portal/filings")),
    "portal.appearance": (frozenset({ATTORNEY}), lambda b, c: b.get("/portal/appearance/eoir-28")),
    "portal.notice_to_appear": (frozenset({DHS}), lambda b, c: b.get("/portal/dhs/nta")),
    "portal.request_record": (
        EXTERNAL,
        lambda b, c: b.post(f"/portal/cases/{c}/record", {}, from_page="/portal/login"),
    ),
    "portal.record": (EXTERNAL, lambda b, c: b.get(f"/portal/record/{NOBODY_ID}")),
    "portal.download_record": (
        EXTERNAL,
        lambda b, c: b.get(f"/portal/record/{NOBODY_ID}/download"),
    ),
    # Respondents' pages (a respondent is no visitor here: tests/portal/test_respondent_access)
    "portal.respondent_enrol": (EVERYONE, lambda b, c: b.get("/portal/respondent/enrol")),
    "portal.respondent_home": (frozenset(), lambda b, c: b.get("/portal/respondent")),
    "portal.respondent_case": (frozenset(), lambda b, c: b.get(f"/portal/respondent/cases/{c}")),
    "portal.respondent_document": (
        frozenset(),
        lambda b, c: b.get(f"/portal/respondent/cases/{c}/documents/{NOBODY_ID}"),
    ),
    "portal.respondent_address": (
        frozenset(),
        lambda b, c: b.get(f"/portal/respondent/cases/{c}/address"),
    ),
    "portal.respondent_file": (
        frozenset(),
        lambda b, c: b.get(f"/portal/respondent/cases/{c}/file"),
    ),
    "portal.respondent_profile": (frozenset(), lambda b, c: b.get("/portal/respondent/profile")),
    "portal.rotate_access_code": (
        frozenset({CLERK, ADMIN}),
        lambda b, c: b.get("/portal/court/access-code"),
    ),
    "portal.hearing_lookup": (EVERYONE, lambda b, c: b.get("/portal/lookup")),
    "portal.public_address": (EVERYONE, lambda b, c: b.get("/portal/change-of-address")),
    "portal.public_address_filed": (
        EVERYONE,
        lambda b, c: b.get("/portal/change-of-address/filed"),
    ),
    "portal._unknown": (EVERYONE, lambda b, c: b.get("/portal/nothing/here")),
    "portal.static": (EVERYONE, lambda b, c: b.get("/portal/static/portal.css")),
}


@pytest.fixture(scope="module")
def visitors(seeded_app: Flask) -> dict[str, Browser]:
    attorney = register_and_approve(seeded_app)
    dhs = register_and_approve(seeded_app, kind="dhs")
    clerk = Browser(seeded_app.test_client())
    clerk.post(
        "/portal/login", {"login": "clerk1", "password": DEMO_PASSWORD}, from_page="/portal/login"
    )
    return {
        ANONYMOUS: Browser(seeded_app.test_client()),
        ATTORNEY: sign_in_enrolling(seeded_app, attorney),
        DHS: sign_in_enrolling(seeded_app, dhs),
        CLERK: clerk,
        ADMIN: sign_in_admin(seeded_app),
    }


def test_every_portal_page_has_a_row_and_declares_an_action(seeded_app: Flask) -> None:
    routed = {
        r.endpoint for r in seeded_app.url_map.iter_rules() if r.endpoint.startswith("portal.")
    }
    assert routed == set(PAGES)
    for endpoint in routed - {"portal.static"}:
        assert isinstance(getattr(seeded_app.view_functions[endpoint], MARK, None), Action)


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_page_access(
    seeded_app: Flask, visitors: dict[str, Browser], endpoint: str, role: str
) -> None:
    allowed, call = PAGES[endpoint]
    # A case at the DHS user's court (SFR) that no practitioner here appears in.
    case_id = a_case_at(seeded_app, "SFR", 9).id
    if endpoint == "portal.logout":  # signing out would end the shared session
        response = _logout(seeded_app, role)
    else:
        response = call(visitors[role], case_id)
    location = response.headers.get("Location", "")
    to_login = response.status_code == 302 and location.split("?")[0].endswith("/portal/login")
    if role in allowed:
        assert response.status_code not in (401, 403) and not to_login, response.status_code
    elif role == ANONYMOUS:
        assert to_login or response.status_code == 401, response.status_code
    else:
        assert response.status_code == 403, response.status_code


def _logout(app: Flask, role: str) -> TestResponse:
    """Sign-out with a session of its own (not the shared visitor's)."""
    if role == ANONYMOUS:
        browser = Browser(app.test_client())
    elif role == ADMIN:
        browser = sign_in_admin(app)
    elif role == CLERK:
        browser = sign_in_admin(app, "clerk1")
    else:
        account = register_and_approve(app, kind=role)
        browser = sign_in_enrolling(app, account)
    return browser.post("/portal/logout", {}, from_page="/portal/login")


def test_policy_refuses_half_signed_in_and_suspended_users() -> None:
    attorney = Principal("a", "a", Role.ATTORNEY, None, "A")
    for action in (Action.PORTAL_CASES, Action.PORTAL_APPEAR, Action.PORTAL_HOME):
        assert not portal_allows(attorney, action, second_factor_done=False, suspended=False)
    assert portal_allows(
        attorney, Action.PORTAL_SIGN_IN_STEP, second_factor_done=False, suspended=False
    )
    assert portal_allows(attorney, Action.PORTAL_CASES, second_factor_done=True, suspended=True)
    for action in (Action.PORTAL_APPEAR, Action.PORTAL_FILE):
        assert not portal_allows(attorney, action, second_factor_done=True, suspended=True)
    assert not portal_allows(None, Action.PORTAL_CASES, second_factor_done=True, suspended=False)
