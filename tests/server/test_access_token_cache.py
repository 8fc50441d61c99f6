"""Access tokens are checked against the database at most every ``auth_recheck_seconds`` per
server node (services/access_cache.py); a session ended or an account disabled stops the
token at once on the node that made the change and within that bound on every other node
(another node's change is made here from outside this process's ORM sessions)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import event, select, update

from common.enums import Role
from sync_server.app import create_app
from sync_server.db import write_transaction
from sync_server.models import RefreshToken, UserRow
from sync_server.services.auth import create_user
from tests.conftest import make_database, server_config

PASSWORD = "correct horse battery staple"
CHANGES = "/api/v1/sync/changes?limit=1"
RECHECK = 1.0


@pytest.fixture
def node(backend: str, tmp_path: Path) -> Iterator[Flask]:
    with make_database(backend, tmp_path) as url:
        app = create_app(server_config(url, tmp_path, auth_recheck_seconds=RECHECK))
        try:
            yield app
        finally:
            _close(app)


def _close(app: Flask) -> None:
    """The refusals' audit entries written, then the connections closed (before the
    database is dropped)."""
    app.extensions["ecas"].refusals.flush(final=True)
    app.extensions["ecas"].engine.dispose()


def _clerk_tokens(node: Flask) -> dict[str, Any]:
    username = f"clerk-{uuid.uuid4().hex[:12]}"
    with write_transaction(node.extensions["ecas"].factory) as session:
        create_user(
            session, username=username, password=PASSWORD, role=Role.CLERK, display_name="Clerk"
        )
    answer = node.test_client().post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
    )
    assert answer.status_code == 200
    return dict(answer.get_json())


def _bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _status_until(node: Flask, tokens: dict[str, Any], wanted: int, seconds: float) -> float:
    """Seconds until ``node`` answers a pull with ``wanted``; fails after ``seconds``."""
    started = time.monotonic()
    client = node.test_client()
    while True:
        status = client.get(CHANGES, headers=_bearer(tokens)).status_code
        elapsed = time.monotonic() - started
        if status == wanted:
            return elapsed
        assert elapsed < seconds, f"still {status} after {elapsed:.2f} s"
        time.sleep(0.05)


def test_a_recently_checked_token_is_served_without_reading_the_account(node: Flask) -> None:
    tokens = _clerk_tokens(node)
    client = node.test_client()
    assert client.get(CHANGES, headers=_bearer(tokens)).status_code == 200
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = node.extensions["ecas"].engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert client.get(CHANGES, headers=_bearer(tokens)).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements, "the pull itself reads the feed"
    assert not [s for s in statements if "FROM users" in s or "refresh_tokens" in s]


def test_a_kept_token_still_expires_on_time_and_a_changed_one_is_checked_afresh(
    backend: str, tmp_path: Path
) -> None:
    """A kept check skips the signature (the string was checked before), never the token's
    own lifetime: the check is kept 60 s here, the token lives 2 s."""
    with make_database(backend, tmp_path) as url:
        config = server_config(url, tmp_path, auth_recheck_seconds=60, access_token_seconds=2)
        node = create_app(config)
        try:
            tokens = _clerk_tokens(node)
            client = node.test_client()
            assert client.get(CHANGES, headers=_bearer(tokens)).status_code == 200
            forged = dict(tokens, access_token=tokens["access_token"][:-2] + "xx")
            refused = client.get(CHANGES, headers=_bearer(forged))
            assert refused.status_code == 401
            assert "not valid" in refused.get_data(as_text=True)
            assert client.get(CHANGES, headers=_bearer(tokens)).status_code == 200
            time.sleep(3.1)  # itsdangerous counts whole seconds: past 2 s of age for sure
            expired = client.get(CHANGES, headers=_bearer(tokens))
            assert expired.status_code == 401
            assert "expired" in expired.get_data(as_text=True)
        finally:
            _close(node)


def test_signing_out_stops_the_token_at_once_on_this_node(node: Flask) -> None:
    tokens = _clerk_tokens(node)
    client = node.test_client()
    assert client.get(CHANGES, headers=_bearer(tokens)).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=_bearer(tokens)).status_code == 204
    refused = client.get(CHANGES, headers=_bearer(tokens))
    assert refused.status_code == 401 and "ended" in refused.get_json()["detail"]


def test_a_session_ended_by_another_node_stops_here_within_the_bound(node: Flask) -> None:
    tokens = _clerk_tokens(node)
    assert node.test_client().get(CHANGES, headers=_bearer(tokens)).status_code == 200
    # Another node's sign-out: the same UPDATE, from outside this process's ORM sessions,
    # so nothing here hears of it but the database.
    with node.extensions["ecas"].engine.begin() as conn:
        conn.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == tokens["user"]["id"])
            .values(revoked=True)
        )
    ended = time.monotonic()
    _status_until(node, tokens, 401, RECHECK + 0.5)
    assert time.monotonic() - ended <= RECHECK + 0.5


def test_disabling_an_account_stops_its_token_at_once_on_the_node_that_disabled_it(
    node: Flask,
) -> None:
    tokens = _clerk_tokens(node)
    assert node.test_client().get(CHANGES, headers=_bearer(tokens)).status_code == 200
    with write_transaction(node.extensions["ecas"].factory) as session:
        user = session.scalars(select(UserRow).where(UserRow.id == tokens["user"]["id"])).one()
        user.active = False
    refused = node.test_client().get(CHANGES, headers=_bearer(tokens))
    assert refused.status_code == 401 and "disabled" in refused.get_json()["detail"]


def test_with_no_recheck_interval_a_session_ended_elsewhere_stops_at_once(
    backend: str, tmp_path: Path
) -> None:
    with make_database(backend, tmp_path) as url:
        app = create_app(server_config(url, tmp_path, auth_recheck_seconds=0))
        try:
            tokens = _clerk_tokens(app)
            client = app.test_client()
            assert client.get(CHANGES, headers=_bearer(tokens)).status_code == 200
            with app.extensions["ecas"].engine.begin() as conn:
                conn.execute(
                    update(RefreshToken)
                    .where(RefreshToken.user_id == tokens["user"]["id"])
                    .values(revoked=True)
                )
            assert client.get(CHANGES, headers=_bearer(tokens)).status_code == 401
        finally:
            _close(app)


# -- PostgreSQL: every node hears every change (migration 0036, access_cache.ChangeListener) --


def _listening(node: Flask) -> Any:
    """The node's listener, once it listens (it starts at the first token check)."""
    listener = node.extensions["ecas"].auth._access.listener
    assert listener is not None, "PostgreSQL: the node listens for account and session changes"
    deadline = time.monotonic() + 10
    while not listener.live():
        assert time.monotonic() < deadline, "the listener never connected"
        time.sleep(0.05)
    return listener


def _reads_account(node: Flask, tokens: dict[str, Any]) -> bool:
    """Whether a pull with ``tokens`` reads the account and session from the database."""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = node.extensions["ecas"].engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert node.test_client().get(CHANGES, headers=_bearer(tokens)).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return any("FROM user_profile" in s for s in statements)


@pytest.mark.postgres
def test_a_listening_node_keeps_its_check_past_the_short_bound(tmp_path: Path) -> None:
    with make_database("postgresql", tmp_path) as url:
        node = create_app(server_config(url, tmp_path, auth_recheck_seconds=RECHECK))
        try:
            tokens = _clerk_tokens(node)
            assert node.test_client().get(CHANGES, headers=_bearer(tokens)).status_code == 200
            _listening(node)
            # Checked (again, if the listener connected after the first check) and kept.
            assert node.test_client().get(CHANGES, headers=_bearer(tokens)).status_code == 200
            time.sleep(RECHECK + 0.3)
            assert not _reads_account(node, tokens), "kept past the short bound"
            other = _clerk_tokens(node)
            with node.extensions["ecas"].engine.begin() as conn:  # another node's sign-out
                conn.execute(
                    update(RefreshToken)
                    .where(RefreshToken.user_id == other["user"]["id"])
                    .values(revoked=True)
                )
            time.sleep(0.3)
            assert not _reads_account(node, tokens), "another user's session ended: kept"
        finally:
            _close(node)


@pytest.mark.postgres
def test_a_session_ended_by_another_node_stops_here_within_a_fraction_of_a_second(
    tmp_path: Path,
) -> None:
    with make_database("postgresql", tmp_path) as url:
        node = create_app(server_config(url, tmp_path, auth_recheck_seconds=30))
        try:
            tokens = _clerk_tokens(node)
            assert node.test_client().get(CHANGES, headers=_bearer(tokens)).status_code == 200
            _listening(node)
            assert node.test_client().get(CHANGES, headers=_bearer(tokens)).status_code == 200
            # Another node's sign-out: the same UPDATE, on a connection of no engine here.
            with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute(
                    "UPDATE refresh_token SET revoked = true WHERE user_id = %s",
                    (tokens["user"]["id"],),
                )
            assert _status_until(node, tokens, 401, 0.5) < 0.5
            # An account disabled elsewhere, the same.
            again = _clerk_tokens(node)
            assert node.test_client().get(CHANGES, headers=_bearer(again)).status_code == 200
            with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute(
                    "UPDATE user_profile SET active = false WHERE id = %s", (again["user"]["id"],)
                )
            assert _status_until(node, again, 401, 0.5) < 0.5
        finally:
            _close(node)


@pytest.mark.postgres
def test_a_node_whose_listener_is_cut_off_falls_back_to_the_short_bound(tmp_path: Path) -> None:
    with make_database("postgresql", tmp_path) as url:
        node = create_app(server_config(url, tmp_path, auth_recheck_seconds=RECHECK))
        try:
            tokens = _clerk_tokens(node)
            assert node.test_client().get(CHANGES, headers=_bearer(tokens)).status_code == 200
            listener = _listening(node)
            plain = url.replace("+psycopg", "")
            with psycopg.connect(plain, autocommit=True) as conn:
                # The listener's connection dropped (its backend killed), and a session
                # ended elsewhere before it listens again: nothing here hears of it.
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() "
                    "AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')"
                )
                conn.execute(
                    "UPDATE refresh_token SET revoked = true WHERE user_id = %s",
                    (tokens["user"]["id"],),
                )
            # Seen within the short bound all the same: until it listens again a check is
            # kept RECHECK seconds, and when it does every check kept is dropped.
            assert _status_until(node, tokens, 401, RECHECK + 0.5) <= RECHECK + 0.5
            _listening(node)
            assert listener.live()
        finally:
            _close(node)
