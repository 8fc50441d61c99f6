"""A refresh whose answer was lost does not end the session: the same computer may present
the just-used refresh token again for a short while and gets fresh tokens. Any other second
use still ends the whole session, and every outcome is in the audit log."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from common.enums import Role
from sync_server.db import write_transaction
from sync_server.models import AuditEntry, RefreshToken
from sync_server.services.auth import create_user

PASSWORD = "correct horse battery staple"
REFRESH = "/api/v1/auth/refresh"
CHANGES = "/api/v1/sync/changes?limit=1"
THIS_COMPUTER = str(uuid.uuid4())
ANOTHER_COMPUTER = str(uuid.uuid4())


def _signed_in(app: Flask) -> tuple[FlaskClient, dict[str, Any]]:
    """A court clerk of this test's own, signed in; returns the client and the tokens."""
    username = f"clerk-{uuid.uuid4().hex[:12]}"
    with write_transaction(app.extensions["ecas"].factory) as session:
        create_user(
            session,
            username=username,
            password=PASSWORD,
            role=Role.CLERK,
            display_name="Clerk Under Test",
        )
    client = app.test_client()
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return client, response.get_json()


def _refresh(client: FlaskClient, token: str, client_id: str | None = THIS_COMPUTER) -> Any:
    body = {"refresh_token": token}
    if client_id is not None:
        body["client_id"] = client_id
    return client.post(REFRESH, json=body)


def _works(client: FlaskClient, access_token: str) -> bool:
    response = client.get(CHANGES, headers={"Authorization": f"Bearer {access_token}"})
    return bool(response.status_code == 200)


def _session_audit(app: Flask, user_id: str) -> list[tuple[str, dict[str, Any]]]:
    with app.extensions["ecas"].factory() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.actor_id == user_id, AuditEntry.action.like("auth.refresh%"))
            .order_by(AuditEntry.seq)
        )
        return [(row.action, dict(row.detail)) for row in rows]


def _reuse_reasons(app: Flask, user_id: str) -> list[str]:
    """Why each refused second use ended the session ("revoked": a token of an ended one)."""
    return [
        str(detail["reason"])
        for action, detail in _session_audit(app, user_id)
        if action == "auth.refresh_reuse"
    ]


def _used_seconds_ago(app: Flask, token: str, seconds: int) -> None:
    """Move the token's use back in time, as if the retry came ``seconds`` later."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    with write_transaction(app.extensions["ecas"].factory) as session:
        row = session.get(RefreshToken, digest)
        assert row is not None and row.used_at is not None
        earlier = row.used_at - timedelta(seconds=seconds)
        session.execute(
            update(RefreshToken).where(RefreshToken.token_hash == digest).values(used_at=earlier)
        )


def test_a_refresh_whose_answer_was_lost_can_be_retried_from_the_same_computer(
    seeded_app: Flask,
) -> None:
    client, first = _signed_in(seeded_app)
    lost = _refresh(client, first["refresh_token"])
    assert lost.status_code == 200  # … but the answer never reached the computer
    retry = _refresh(client, first["refresh_token"])
    assert retry.status_code == 200
    tokens = retry.get_json()
    assert tokens["refresh_token"] not in (first["refresh_token"], lost.get_json()["refresh_token"])
    assert _works(client, tokens["access_token"])
    # The lost answer's refresh token was withdrawn: a copy of it turning up is worthless.
    assert _refresh(client, lost.get_json()["refresh_token"]).status_code == 401
    assert _works(client, tokens["access_token"])  # … and that did not end the session
    # A second lost answer within the window: retried again, still the same session.
    again = _refresh(client, first["refresh_token"])
    assert again.status_code == 200
    following = _refresh(client, again.get_json()["refresh_token"])
    assert following.status_code == 200
    assert _works(client, following.get_json()["access_token"])
    actions = [action for action, _ in _session_audit(seeded_app, first["user"]["id"])]
    assert actions == ["auth.refresh", "auth.refresh_grace", "auth.refresh_grace", "auth.refresh"]
    _, grace = _session_audit(seeded_app, first["user"]["id"])[1]
    assert grace["withdrawn"] == 1 and grace["client"] and THIS_COMPUTER not in str(grace)


def test_a_retry_after_the_grace_window_ends_the_session(seeded_app: Flask) -> None:
    client, first = _signed_in(seeded_app)
    newer = _refresh(client, first["refresh_token"]).get_json()
    window = seeded_app.extensions["ecas"].config.refresh_grace_seconds
    _used_seconds_ago(seeded_app, first["refresh_token"], window + 1)
    late = _refresh(client, first["refresh_token"])
    assert late.status_code == 401
    assert "used twice" in late.get_json()["detail"]
    assert _refresh(client, newer["refresh_token"]).status_code == 401
    assert not _works(client, newer["access_token"])
    assert _reuse_reasons(seeded_app, first["user"]["id"]) == ["after_grace_window", "revoked"]


def test_reusing_an_older_token_ends_the_session_even_from_the_same_computer(
    seeded_app: Flask,
) -> None:
    client, first = _signed_in(seeded_app)
    second = _refresh(client, first["refresh_token"]).get_json()
    third = _refresh(client, second["refresh_token"]).get_json()
    older = _refresh(client, first["refresh_token"])  # seconds later, but two tokens back
    assert older.status_code == 401
    assert _refresh(client, third["refresh_token"]).status_code == 401
    assert not _works(client, third["access_token"])
    assert _reuse_reasons(seeded_app, first["user"]["id"]) == ["newer_token_used", "revoked"]


def test_a_retry_once_the_new_token_was_used_ends_the_session(seeded_app: Flask) -> None:
    client, first = _signed_in(seeded_app)
    second = _refresh(client, first["refresh_token"]).get_json()
    third = _refresh(client, second["refresh_token"]).get_json()
    assert _refresh(client, second["refresh_token"]).status_code == 200  # lost answer: fine
    # … but the first token's replacement was used: the first is no retry any more.
    assert _refresh(client, first["refresh_token"]).status_code == 401
    assert not _works(client, third["access_token"])


def test_a_second_use_from_another_computer_ends_the_session(seeded_app: Flask) -> None:
    client, first = _signed_in(seeded_app)
    newer = _refresh(client, first["refresh_token"]).get_json()
    stolen = _refresh(client, first["refresh_token"], client_id=ANOTHER_COMPUTER)
    assert stolen.status_code == 401
    assert _refresh(client, newer["refresh_token"]).status_code == 401
    assert _reuse_reasons(seeded_app, first["user"]["id"]) == ["other_client", "revoked"]


def test_a_second_use_without_a_client_id_ends_the_session(seeded_app: Flask) -> None:
    client, first = _signed_in(seeded_app)
    newer = _refresh(client, first["refresh_token"]).get_json()
    anonymous = _refresh(client, first["refresh_token"], client_id=None)
    assert anonymous.status_code == 401
    assert _refresh(client, newer["refresh_token"]).status_code == 401
    assert _reuse_reasons(seeded_app, first["user"]["id"]) == ["no_client_id", "revoked"]
