"""Sign-in storms: password checks run in a bounded pool, and sign-ins that find it full are
answered 503 with Retry-After at once instead of piling up until they time out. Refresh
tokens never wait for the pool; the desktop client waits as told and signs in."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import update
from werkzeug.serving import make_server

from common.enums import Role
from desktop import api_client
from desktop.api_client import ApiClient, ApiError
from sync_server.app import create_app
from sync_server.db import write_transaction
from sync_server.models import UserRow
from sync_server.services.admission import PasswordCheckPool
from sync_server.services.auth import create_user
from tests.conftest import make_database, server_config
from tests.portal.portal_helpers import Browser

PASSWORD = "a-long-enough-password-for-staff-1"
# A real argon2 hash with a high time cost: its verification takes about a second here,
# long enough for the other sign-ins to find the one slot taken.
SLOW = PasswordHasher(time_cost=40)


@pytest.fixture
def small_pool_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """A server whose pool runs one password check at a time with no queue."""
    with make_database(backend, tmp_path) as url:
        app = create_app(
            server_config(
                url,
                tmp_path,
                password_checks_at_once=1,
                password_check_queue=1,
                password_check_wait_seconds=0.05,
            )
        )
        factory = app.extensions["ecas"].factory
        with write_transaction(factory) as session:
            for name in ("slowjudge", "judgea", "judgeb", "judgec", "judged"):
                create_user(
                    session, username=name, password=PASSWORD, role=Role.JUDGE, display_name=name
                )
        with write_transaction(factory) as session:
            session.execute(
                update(UserRow)
                .where(UserRow.username == "slowjudge")
                .values(password_hash=SLOW.hash(PASSWORD))
            )
        yield app
        app.extensions["ecas"].engine.dispose()


def _pool(app: Flask) -> PasswordCheckPool:
    pool: PasswordCheckPool = app.extensions["ecas"].auth.checks
    return pool


def _login(app: Flask, username: str) -> Any:
    return app.test_client().post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
    )


class _SlowSignIn(threading.Thread):
    """The slow account signing in, holding the pool's one slot for about a second."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app
        self.status = 0

    def run(self) -> None:
        self.status = _login(self.app, "slowjudge").status_code

    def __enter__(self) -> _SlowSignIn:
        self.start()
        deadline = time.monotonic() + 10
        while _pool(self.app).inside == 0:
            assert time.monotonic() < deadline, "the slow sign-in never reached the pool"
            time.sleep(0.005)
        return self

    def __exit__(self, *exc: object) -> None:
        self.join(timeout=60)


def test_sign_ins_beyond_the_pool_are_answered_busy_with_retry_after_while_one_proceeds(
    small_pool_app: Flask,
) -> None:
    app = small_pool_app
    answers: list[Any] = []
    with _SlowSignIn(app) as slow:
        # One may wait in the queue (for 50 ms); the rest find the pool full.
        threads = [
            threading.Thread(target=lambda n=name: answers.append(_login(app, n)))
            for name in ("judgea", "judgeb", "judgec", "judged")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert slow.status == 200
    busy = [a for a in answers if a.status_code == 503]
    assert len(busy) >= 3
    for answer in busy:
        assert int(answer.headers["Retry-After"]) >= 1
        body = answer.get_json()
        assert "busy" in body["detail"].lower()
        assert PASSWORD not in answer.get_data(as_text=True)
        assert "judge" not in body["detail"]  # neither the name nor whether it exists
    assert _pool(app).refused >= 3
    # Once the storm passed, the same people sign in.
    assert _login(app, "judgea").status_code == 200


def test_a_refresh_token_resumes_while_the_password_pool_is_full(small_pool_app: Flask) -> None:
    app = small_pool_app
    refresh = _login(app, "judgeb").get_json()["refresh_token"]
    refused_before = _pool(app).refused
    with _SlowSignIn(app):
        started = time.monotonic()
        answer = app.test_client().post("/api/v1/auth/refresh", json={"refresh_token": refresh})
        took = time.monotonic() - started
        assert _pool(app).inside >= 1  # the slow check still held the pool meanwhile
    assert answer.status_code == 200
    assert answer.get_json()["access_token"]
    assert took < 0.5
    # The refresh neither waited in nor was refused by the pool.
    assert _pool(app).refused == refused_before


def test_the_portal_sign_in_says_busy_with_retry_after_when_the_pool_is_full(
    small_pool_app: Flask,
) -> None:
    app = small_pool_app
    browser = Browser(app.test_client())
    browser.get("/portal/login")
    with _SlowSignIn(app):
        page = browser.post("/portal/login", {"login": "judged", "password": PASSWORD})
    assert page.status_code == 503
    assert int(page.headers["Retry-After"]) >= 1
    text = page.get_data(as_text=True)
    assert "server is busy" in text
    assert PASSWORD not in text


def test_the_desktop_client_waits_as_told_and_signs_in_after_the_storm(
    small_pool_app: Flask,
) -> None:
    app = small_pool_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        client = ApiClient(f"http://127.0.0.1:{server.server_port}")
        told: list[str] = []
        client.on_busy = told.append
        with _SlowSignIn(app):
            session = client.login("judged", PASSWORD)
        assert session.user["username"] == "judged"
        assert told
        assert told[0].startswith("The server is busy; retrying in ")
        assert told[0].endswith(" s")
    finally:
        server.shutdown()


def test_a_desktop_sign_in_that_stays_busy_past_its_patience_says_the_server_is_busy(
    small_pool_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = small_pool_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    monkeypatch.setattr(api_client, "BUSY_GIVE_UP_SECONDS", 0.0)  # no patience at all
    try:
        client = ApiClient(f"http://127.0.0.1:{server.server_port}")
        with _SlowSignIn(app), pytest.raises(ApiError) as refused:
            client.login("judged", PASSWORD)
        assert refused.value.status == 503
        assert str(refused.value).startswith("The server is busy signing other people in.")
        assert PASSWORD not in str(refused.value)
    finally:
        server.shutdown()
