"""The gate reads an access token's account and session in one statement (issue 16: a round
trip fewer each time a node rechecks a token), and that statement still refuses a session
that was ended and an account that was disabled."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, update

from common.enums import Role
from sync_server.app import create_app
from sync_server.db import write_transaction
from sync_server.models import RefreshToken, UserRow
from sync_server.services.auth import create_user
from tests.conftest import make_database, server_config

PASSWORD = "correct horse battery staple"
CHANGES = "/api/v1/sync/changes?limit=1"


@pytest.fixture
def node(backend: str, tmp_path: Path) -> Iterator[Flask]:
    with make_database(backend, tmp_path) as url:
        # recheck 0: the account and session are read on every request
        app = create_app(server_config(url, tmp_path, auth_recheck_seconds=0))
        try:
            yield app
        finally:
            app.extensions["ecas"].refusals.flush(final=True)
            app.extensions["ecas"].engine.dispose()


def _signed_in_clerk(node: Flask) -> tuple[str, dict[str, str]]:
    username = f"clerk-{uuid.uuid4().hex[:12]}"
    with write_transaction(node.extensions["ecas"].factory) as session:
        user_id = create_user(
            session, username=username, password=PASSWORD, role=Role.CLERK, display_name="Clerk"
        )
    answer = node.test_client().post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
    )
    assert answer.status_code == 200
    return user_id, {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


def _gate_statements(node: Flask, call: Any) -> list[str]:
    """The statements of ``call`` that read the account or its session."""
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "user_profile" in statement or "refresh_token" in statement:
            seen.append(statement)

    engine = node.extensions["ecas"].engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    return seen


def test_the_account_and_session_are_read_in_one_statement(node: Flask) -> None:
    _, bearer = _signed_in_clerk(node)
    client = node.test_client()
    answers: list[int] = []

    def pull() -> None:
        answers.append(client.get(CHANGES, headers=bearer).status_code)

    seen = _gate_statements(node, pull)
    assert answers == [200]
    assert len(seen) == 1
    assert "user_profile" in seen[0] and "refresh_token" in seen[0]


def test_an_ended_session_is_refused(node: Flask) -> None:
    user_id, bearer = _signed_in_clerk(node)
    client = node.test_client()
    assert client.get(CHANGES, headers=bearer).status_code == 200
    with write_transaction(node.extensions["ecas"].factory) as session:
        session.execute(
            update(RefreshToken).where(RefreshToken.user_id == user_id).values(revoked=True)
        )
    answer = client.get(CHANGES, headers=bearer)
    assert answer.status_code == 401
    assert "session was ended" in answer.get_data(as_text=True)


def test_a_disabled_account_is_refused(node: Flask) -> None:
    user_id, bearer = _signed_in_clerk(node)
    client = node.test_client()
    assert client.get(CHANGES, headers=bearer).status_code == 200
    with write_transaction(node.extensions["ecas"].factory) as session:
        session.execute(update(UserRow).where(UserRow.id == user_id).values(active=False))
    answer = client.get(CHANGES, headers=bearer)
    assert answer.status_code == 401
    assert "disabled" in answer.get_data(as_text=True)
