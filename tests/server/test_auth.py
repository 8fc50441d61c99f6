"""Sign-in, token rotation, lockout and expiry, as a client (and an attacker) meets them."""

from __future__ import annotations

import time
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from common.enums import Role
from sync_server.db import write_transaction
from sync_server.models import AuditEntry, UserRow
from sync_server.services.auth import create_user, exempt_from_api_second_factor
from tests.conftest import Api, user_id

PASSWORD = "correct horse battery staple"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
CHANGES = "/api/v1/sync/changes?limit=1"


def _new_user(app: Flask, password: str = PASSWORD) -> str:
    """A fresh attorney account of this test's own; returns the username."""
    username = f"user-{uuid.uuid4().hex[:12]}"
    with write_transaction(app.extensions["ecas"].factory) as session:
        new_id = create_user(
            session,
            username=username,
            password=password,
            role=Role.ATTORNEY,
            display_name="Attorney Under Test",
        )
        # These tests are about passwords and tokens; the second factor has its own tests
        # (tests/portal/test_api_second_factor.py).
        exempt_from_api_second_factor(session, new_id, "test account")
    return username


def _login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, json={"username": username, "password": password})


def _refresh(client: FlaskClient, token: str) -> Any:
    return client.post(REFRESH, json={"refresh_token": token})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _audit_entries(app: Flask, actor: str | None = None) -> list[AuditEntry]:
    with app.extensions["ecas"].factory() as session:
        query = select(AuditEntry).order_by(AuditEntry.seq)
        if actor is not None:
            query = query.where(AuditEntry.actor_id == actor)
        return list(session.scalars(query))


def _user_row(app: Flask, username: str) -> UserRow:
    with app.extensions["ecas"].factory() as session:
        row: UserRow | None = session.scalar(select(UserRow).where(UserRow.username == username))
        assert row is not None
        return row


def test_login_returns_tokens_and_the_signed_in_user(api: Api) -> None:
    response = _login(api.client, "clerk1", "test-password-123")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"access_token", "refresh_token", "expires_in", "user"}
    assert body["access_token"] and body["refresh_token"]
    assert body["expires_in"] == 900
    assert body["user"] == {
        "id": user_id("clerk1"),
        "username": "clerk1",
        "role": "clerk",
        "court_id": body["user"]["court_id"],
        "display_name": "Clerk Garcia",
    }
    assert body["user"]["court_id"]
    # The access token opens the API.
    assert api.client.get(CHANGES, headers=_bearer(body["access_token"])).status_code == 200


def test_wrong_password_and_unknown_user_answer_alike(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    username = _new_user(seeded_app)
    wrong = _login(client, username, "not the password")
    unknown = _login(client, f"nobody-{uuid.uuid4().hex}", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.mimetype == unknown.mimetype == "application/problem+json"
    assert wrong.get_json() == unknown.get_json()
    assert "username or password is wrong" in wrong.get_json()["detail"]


def test_password_is_stored_as_an_argon2id_hash(seeded_app: Flask) -> None:
    username = _new_user(seeded_app)
    stored = _user_row(seeded_app, username).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_five_failures_lock_the_account_even_for_the_right_password(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    username = _new_user(seeded_app)
    wrong = None
    for _ in range(5):
        wrong = _login(client, username, "guess")
        assert wrong.status_code == 401
    assert wrong is not None
    # Locked, the right password is answered as a wrong one: the lock is no oracle for the
    # password, nor a sign that the account exists.
    locked = _login(client, username, PASSWORD)
    assert locked.status_code == 401
    assert locked.mimetype == "application/problem+json"
    assert locked.get_json() == wrong.get_json()
    assert "locked for 15 minutes" in locked.get_json()["detail"]
    assert "Retry-After" not in locked.headers
    assert "access_token" not in locked.get_json()
    uid = _user_row(seeded_app, username).id
    failures = [e for e in _audit_entries(seeded_app, uid) if e.action == "auth.login_failed"]
    assert [e.detail.get("failures") for e in failures] == [1, 2, 3, 4, 5, None]
    assert failures[4].detail["locked"] is True
    assert failures[-1].detail == {"reason": "locked", "password_ok": True}


def test_a_success_resets_the_failure_count(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    username = _new_user(seeded_app)
    for _ in range(4):
        _login(client, username, "guess")
    assert _login(client, username).status_code == 200
    for _ in range(4):
        _login(client, username, "guess")
    assert _login(client, username).status_code == 200


def test_refresh_rotates_the_refresh_token(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    first = _login(client, _new_user(seeded_app)).get_json()
    second = _refresh(client, first["refresh_token"])
    assert second.status_code == 200
    new = second.get_json()
    assert new["refresh_token"] != first["refresh_token"]
    assert new["user"] == first["user"]
    assert client.get(CHANGES, headers=_bearer(new["access_token"])).status_code == 200
    assert _refresh(client, new["refresh_token"]).status_code == 200


def test_reusing_a_refresh_token_ends_the_whole_session(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    first = _login(client, _new_user(seeded_app)).get_json()
    newer = _refresh(client, first["refresh_token"]).get_json()["refresh_token"]
    reuse = _refresh(client, first["refresh_token"])
    assert reuse.status_code == 401
    assert reuse.mimetype == "application/problem+json"
    assert "used twice" in reuse.get_json()["detail"]
    # The thief (or the owner) holding the newer token is signed out too.
    assert _refresh(client, newer).status_code == 401
    actions = [e.action for e in _audit_entries(seeded_app, first["user"]["id"])]
    assert "auth.refresh_reuse" in actions


def test_logout_revokes_the_refresh_token_family(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    first = _login(client, _new_user(seeded_app)).get_json()
    newer = _refresh(client, first["refresh_token"]).get_json()
    response = client.post(
        LOGOUT,
        headers=_bearer(newer["access_token"]),
        json={"refresh_token": newer["refresh_token"]},
    )
    assert response.status_code == 204
    assert _refresh(client, newer["refresh_token"]).status_code == 401
    # The access tokens of the ended session stop working at once, not in 15 minutes.
    after = client.get(CHANGES, headers=_bearer(newer["access_token"]))
    assert after.status_code == 401 and "ended" in after.get_json()["detail"]


def test_logout_needs_a_signed_in_user(seeded_app: Flask) -> None:
    response = seeded_app.test_client().post(LOGOUT, json={"refresh_token": "x"})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


class _HourAgoSigner(TimestampSigner):
    """Signs as if the token had been issued an hour ago."""

    def get_timestamp(self) -> int:
        return int(time.time()) - 3600


def test_an_expired_access_token_is_refused_as_expired(seeded_app: Flask) -> None:
    config = seeded_app.extensions["ecas"].config
    stale = URLSafeTimedSerializer(
        config.secret_key, salt="ecas-access", signer=_HourAgoSigner
    ).dumps({"sub": user_id("clerk1"), "fam": str(uuid.uuid4())})
    response = seeded_app.test_client().get(CHANGES, headers=_bearer(stale))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "expired" in response.get_json()["detail"]
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_a_token_signed_with_another_key_is_refused(seeded_app: Flask) -> None:
    forged = URLSafeTimedSerializer("not-the-server-key", salt="ecas-access").dumps(
        {"sub": user_id("eoir1"), "fam": str(uuid.uuid4())}
    )
    response = seeded_app.test_client().get(CHANGES, headers=_bearer(forged))
    assert response.status_code == 401
    assert "not valid" in response.get_json()["detail"]


def test_a_garbage_token_is_refused(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    for token in ("garbage", "a.b.c", "x" * 2000):
        response = client.get(CHANGES, headers=_bearer(token))
        assert response.status_code == 401, token
        assert response.mimetype == "application/problem+json"
    assert client.get(CHANGES).status_code == 401


def test_no_secret_reaches_the_audit_log_or_an_error_body(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    username = _new_user(seeded_app)
    bodies = [
        _login(client, username, "wrong-guess-secret").get_data(as_text=True),
        _login(client, f"ghost-{uuid.uuid4().hex}", "ghost-secret").get_data(as_text=True),
        client.post(
            LOGIN,
            json={
                "username": username,
                "password": "p" * 2000,
            },
        ).get_data(as_text=True),
    ]
    tokens = _login(client, username).get_json()
    rotated = _refresh(client, tokens["refresh_token"]).get_json()
    bodies.append(_refresh(client, tokens["refresh_token"]).get_data(as_text=True))
    bodies.append(
        client.get(CHANGES, headers=_bearer(tokens["access_token"] + "x")).get_data(as_text=True)
    )
    client.post(
        LOGOUT,
        headers=_bearer(rotated["access_token"]),
        json={"refresh_token": rotated["refresh_token"]},
    )
    secrets = [
        PASSWORD,
        "wrong-guess-secret",
        "ghost-secret",
        "p" * 2000,
        tokens["access_token"],
        tokens["refresh_token"],
        rotated["access_token"],
        rotated["refresh_token"],
    ]
    details = " ".join(str(e.detail) for e in _audit_entries(seeded_app))
    for secret in secrets:
        assert secret not in details
        assert all(secret not in body for body in bodies)
