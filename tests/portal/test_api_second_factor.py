"""External users and court administrators need their second factor for API tokens too,
not only in the portal (both databases): the password alone, a wrong or replayed code, or
an account that never set up an app gets no tokens, and each refusal is in the audit log."""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from common.enums import Role
from sync_server.db import write_transaction
from sync_server.models import UserRow
from sync_server.models.portal import ApiSecondFactorExemption
from sync_server.services.auth import create_user
from sync_server.services.portal_signin import SignInRefused
from tests.conftest import DEMO_PASSWORD, Api, court_id
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    audit_rows,
    register_and_approve,
    sign_in,
    sign_in_enrolling,
    user_row,
)

LOGIN = "/api/v1/auth/login"
LOCK_HINT = " After 5 failed sign-ins in a row an account is locked for 15 minutes."
UNIFORM = "The username, password or two-factor code is wrong." + LOCK_HINT


def _client(app: Flask) -> FlaskClient:
    """A caller from an address of its own, so failures here don't count against the
    address other tests share."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"203.0.113.{secrets.randbelow(250) + 1}"
    return client


def _login(client: FlaskClient, username: str, password: str, otp: str | None = None) -> Any:
    body = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post(LOGIN, json=body)


def _enrolled(app: Flask, kind: str = "attorney") -> Account:
    account = register_and_approve(app, kind)
    sign_in_enrolling(app, account)
    return account


def _wrong_code(account: Account) -> str:
    """Six digits that match none of the codes the server accepts around now."""
    totp = pyotp.TOTP(account.secret)
    now = int(time.time() // 30)
    near = {totp.at(step * 30) for step in range(now - 2, now + 3)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in near)


def _reasons(app: Flask, action: str, user_id: str) -> list[str]:
    return [str(e.detail.get("reason")) for e in audit_rows(app, action, user_id)]


def test_password_alone_gets_no_tokens_for_an_enrolled_external_account(
    seeded_app: Flask,
) -> None:
    account = _enrolled(seeded_app)
    client = _client(seeded_app)
    response = _login(client, account.username, PASSWORD)
    assert response.status_code == 401
    body = response.get_json()
    assert "access_token" not in body
    assert "two-factor code is required" in body["detail"]
    assert "otp" in body["detail"]
    assert _reasons(seeded_app, "auth.login_failed", account.user_id) == ["second_factor_missing"]
    assert not audit_rows(seeded_app, "auth.login", account.user_id)

    # A wrong password says nothing about the code, so it gives nothing away.
    wrong = _login(client, account.username, "not the password")
    assert wrong.status_code == 401
    assert wrong.get_json()["detail"] == "The username or password is wrong." + LOCK_HINT


def test_a_current_code_gets_tokens_once(seeded_app: Flask) -> None:
    account = _enrolled(seeded_app)
    client = _client(seeded_app)
    code = account.next_code()
    response = _login(client, account.username, PASSWORD, code)
    assert response.status_code == 200, response.get_json()
    tokens = response.get_json()
    assert tokens["user"]["role"] == "attorney"
    changes = client.get(
        "/api/v1/sync/changes?limit=1",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert changes.status_code == 200
    (entry,) = audit_rows(seeded_app, "auth.login", account.user_id)
    assert entry.detail == {"second_factor": "totp"}

    replay = _login(client, account.username, PASSWORD, code)
    assert replay.status_code == 401
    assert replay.get_json()["detail"] == UNIFORM
    assert "access_token" not in replay.get_json()
    assert _reasons(seeded_app, "auth.login_failed", account.user_id) == ["second_factor_replayed"]


def test_a_code_used_in_the_portal_is_refused_by_the_api(seeded_app: Flask) -> None:
    account = _enrolled(seeded_app)
    sign_in(seeded_app, account)  # the portal accepts the newest code
    response = _login(_client(seeded_app), account.username, PASSWORD, account.last_code())
    assert response.status_code == 401
    assert response.get_json()["detail"] == UNIFORM
    assert _reasons(seeded_app, "auth.login_failed", account.user_id) == ["second_factor_replayed"]


def test_wrong_code_and_wrong_password_read_the_same(seeded_app: Flask) -> None:
    account = _enrolled(seeded_app)
    client = _client(seeded_app)
    wrong_code = _login(client, account.username, PASSWORD, _wrong_code(account))
    wrong_password = _login(client, account.username, "not the password", account.next_code())
    unknown = _login(client, f"nobody-{secrets.token_hex(4)}", PASSWORD, "123456")
    for response in (wrong_code, wrong_password, unknown):
        assert response.status_code == 401
        assert response.get_json()["detail"] == UNIFORM
    assert _reasons(seeded_app, "auth.login_failed", account.user_id)[0] == "second_factor_wrong"
    # The code sent with the wrong password was not spent: it still works.
    assert _login(client, account.username, PASSWORD, account.last_code()).status_code == 200


def test_a_recovery_code_works_once(seeded_app: Flask) -> None:
    account = _enrolled(seeded_app, "dhs")
    client = _client(seeded_app)
    code = account.recovery_codes[3]
    response = _login(client, account.username, PASSWORD, code.upper())
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user"]["role"] == "dhs"
    (entry,) = audit_rows(seeded_app, "auth.login", account.user_id)
    assert entry.detail == {"second_factor": "recovery_code"}

    again = _login(client, account.username, PASSWORD, code)
    assert again.status_code == 401
    assert again.get_json()["detail"] == UNIFORM
    assert _reasons(seeded_app, "auth.login_failed", account.user_id) == ["second_factor_wrong"]
    # Nor does the portal take it any more.
    assert seeded_app.extensions["ecas_portal"].signin.recovery_codes_left(account.user_id) == 9


def test_an_account_without_an_app_is_sent_to_the_portal(seeded_app: Flask) -> None:
    account = register_and_approve(seeded_app, "accredited_rep")
    client = _client(seeded_app)
    for otp in (None, "123456"):
        response = _login(client, account.username, PASSWORD, otp)
        assert response.status_code == 403
        detail = response.get_json()["detail"]
        assert "/portal/login" in detail and "set up" in detail
        assert "access_token" not in response.get_json()
    assert (
        _reasons(seeded_app, "auth.login_refused", account.user_id)
        == ["second_factor_not_set_up"] * 2
    )
    # Registration never exempts an account.
    with seeded_app.extensions["ecas"].factory() as session:
        assert session.get(ApiSecondFactorExemption, account.user_id) is None


def test_wrong_codes_count_against_the_portal_limits(seeded_app: Flask) -> None:
    account = _enrolled(seeded_app)
    client = _client(seeded_app)
    limit = seeded_app.extensions["ecas_portal"].settings.account_failures
    for _ in range(limit):
        assert _login(client, account.username, PASSWORD, _wrong_code(account)).status_code == 401
    # Even the right code is held back now, here and in the portal (the same counts).
    held = _login(client, account.username, PASSWORD, account.next_code())
    assert held.status_code == 429
    assert int(held.headers["Retry-After"]) > 0
    assert _reasons(seeded_app, "auth.login_throttled", account.user_id) == ["throttled"]
    with pytest.raises(SignInRefused) as refused:
        seeded_app.extensions["ecas_portal"].signin.password(
            account.username, PASSWORD, "192.0.2.10"
        )
    assert refused.value.status == 429


def test_judges_clerks_and_eoir_staff_still_sign_in_with_a_password(
    seeded_app: Flask, api: Api
) -> None:
    for username in ("clerk1", "judge1", "eoir1"):
        api.login(username)
        entry = audit_rows(seeded_app, "auth.login", user_row(seeded_app, username).id)[-1]
        assert "second_factor" not in (entry.detail or {})


def test_a_court_administrator_needs_a_second_factor_on_the_api(seeded_app: Flask) -> None:
    username = f"admin-{secrets.token_hex(4)}"
    with write_transaction(seeded_app.extensions["ecas"].factory) as session:
        admin_id = create_user(
            session,
            username=username,
            password=PASSWORD,
            role=Role.COURT_ADMIN,
            display_name="Court Administrator Under Test",
            court_id=court_id("SFR"),
        )
    response = _login(_client(seeded_app), username, PASSWORD)
    assert response.status_code == 403
    assert "/portal/login" in response.get_json()["detail"]
    assert "access_token" not in response.get_json()
    assert _reasons(seeded_app, "auth.login_refused", admin_id) == ["second_factor_not_set_up"]


def test_demo_accounts_are_exempt_and_it_shows(
    seeded_app: Flask, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with seeded_app.extensions["ecas"].factory() as session:
        # Other tests in the session exempt accounts of their own ("test account").
        exempt = {
            row.user_id
            for row in session.scalars(select(ApiSecondFactorExemption))
            if row.reason == "demo account"
        }
        demo = sorted(session.scalars(select(UserRow.username).where(UserRow.id.in_(exempt))))
    demo_external = {"attorney1", "attorney2", "rep1", "dhs1", "dhs2"}
    assert demo_external <= set(demo) and {"admin1", "clerk1", "judge1"} <= set(demo)
    caplog.set_level(logging.WARNING, logger="sync_server.services.auth")
    api.login("attorney1", DEMO_PASSWORD)
    entry = audit_rows(seeded_app, "auth.login", user_row(seeded_app, "attorney1").id)[-1]
    assert entry.detail == {"second_factor": "exempt: demo account"}
    api.login("admin1", DEMO_PASSWORD)
    entry = audit_rows(seeded_app, "auth.login", user_row(seeded_app, "admin1").id)[-1]
    assert entry.detail == {"second_factor": "exempt: demo account"}
    assert "two-factor exempt: demo account" in caplog.text
    (seeded,) = audit_rows(seeded_app, "demo.seed")
    assert sorted(seeded.detail["two_factor_exempt"]) == demo


def test_the_login_schema_documents_the_code(seeded_app: Flask) -> None:
    document = seeded_app.test_client().get("/api/openapi.json").get_json()
    schema = document["components"]["schemas"]["LoginRequest"]
    assert "otp" in schema["properties"]
    assert "otp" not in schema.get("required", [])
    operation = document["paths"]["/api/v1/auth/login"]["post"]
    assert {"401", "403", "429"} <= set(operation["responses"])
