"""Signing out through the API ends the session, with or without the refresh token in the
body, and only that session."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from common.enums import Role
from sync_server.db import write_transaction
from sync_server.models import AuditEntry
from sync_server.services.auth import create_user

PASSWORD = "correct horse battery staple"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
CHANGES = "/api/v1/sync/changes?limit=1"


def _new_clerk(app: Flask) -> str:
    username = f"clerk-{uuid.uuid4().hex[:12]}"
    with write_transaction(app.extensions["ecas"].factory) as session:
        create_user(
            session,
            username=username,
            password=PASSWORD,
            role=Role.CLERK,
            display_name="Clerk Under Test",
        )
    return username


def _login(client: FlaskClient, username: str) -> Any:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.get_json()


def _bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_signing_out_without_a_body_ends_the_session(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    first = _login(client, _new_clerk(seeded_app))
    rotated = client.post(REFRESH, json={"refresh_token": first["refresh_token"]}).get_json()
    assert client.post(LOGOUT, headers=_bearer(rotated)).status_code == 204
    refused = client.post(REFRESH, json={"refresh_token": rotated["refresh_token"]})
    assert refused.status_code == 401
    after = client.get(CHANGES, headers=_bearer(rotated))
    assert after.status_code == 401 and "ended" in after.get_json()["detail"]
    # An access token of the same session from before the rotation is refused as well.
    assert client.get(CHANGES, headers=_bearer(first)).status_code == 401
    with seeded_app.extensions["ecas"].factory() as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.actor_id == first["user"]["id"], AuditEntry.action == "auth.logout")
            .order_by(AuditEntry.seq.desc())
        ).first()
    assert entry is not None and entry.entity == "session" and entry.record_id


def test_signing_out_on_one_computer_leaves_the_other_signed_in(seeded_app: Flask) -> None:
    office, home = seeded_app.test_client(), seeded_app.test_client()
    username = _new_clerk(seeded_app)
    at_office, at_home = _login(office, username), _login(home, username)
    assert office.post(LOGOUT, headers=_bearer(at_office)).status_code == 204
    assert home.get(CHANGES, headers=_bearer(at_home)).status_code == 200
    again = home.post(REFRESH, json={"refresh_token": at_home["refresh_token"]})
    assert again.status_code == 200
