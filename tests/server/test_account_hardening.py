"""Accounts against the attacks on them (issue 14, item 6): guessing passwords, learning
which names have accounts from the answers or their timing, weak and common passwords,
and staff accounts without a second factor."""

from __future__ import annotations

import os
import re
import secrets
import statistics
import subprocess
import sys
import time
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from common.enums import Role
from sync_server.db import write_transaction
from sync_server.models import UserRow
from sync_server.services import passwords
from sync_server.services.auth import create_user, exempt_from_api_second_factor
from tests.conftest import DEMO_PASSWORD, court_id
from tests.portal.portal_helpers import Browser, audit_rows

LOGIN = "/api/v1/auth/login"
PASSWORD = "tangerine kettle moonlit harbour"
SAMPLES = 15
# "password1234" typed in full-width forms (a Japanese keyboard's); NFKC makes it ASCII.
FULLWIDTH = "".join(chr(ord(c) + 0xFEE0) for c in "password1234")


def _account(app: Flask, role: Role = Role.ATTORNEY, password: str = PASSWORD) -> str:
    """A fresh account of this test's own (exempt from the API's second factor, which has
    its own tests); returns its username."""
    username = f"acct-{uuid.uuid4().hex[:10]}"
    with write_transaction(app.extensions["ecas"].factory) as session:
        new_id = create_user(
            session,
            username=username,
            password=password,
            role=role,
            display_name="Account Under Test",
            court_id=court_id("SFR") if not role.is_external else None,
        )
        if role.is_external:
            exempt_from_api_second_factor(session, new_id, "test account")
    return username


def _login(client: FlaskClient, username: str, password: str) -> Any:
    return client.post(LOGIN, json={"username": username, "password": password})


def _answer(response: Any) -> tuple[int, str, Any, str | None]:
    return (
        response.status_code,
        response.mimetype,
        response.get_json(),
        response.headers.get("Retry-After"),
    )


def _lock(client: FlaskClient, username: str) -> None:
    for _ in range(5):
        assert _login(client, username, "not the password").status_code == 401


# -- the API's sign-in ---------------------------------------------------------------------


def test_unknown_user_wrong_password_and_locked_account_answer_alike(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    real = _account(seeded_app)
    locked = _account(seeded_app)
    _lock(client, locked)
    answers = {
        "unknown name": _login(client, f"nobody-{uuid.uuid4().hex[:10]}", "not the password"),
        "wrong password": _login(client, real, "not the password"),
        "locked, wrong password": _login(client, locked, "not the password"),
        "locked, right password": _login(client, locked, PASSWORD),
    }
    first = _answer(answers["unknown name"])
    assert first[0] == 401 and first[1] == "application/problem+json"
    for what, response in answers.items():
        assert _answer(response) == first, what
    assert "access_token" not in first[2]
    # The lock is still in force, and the audit log (not the answer) tells them apart.
    uid = _user_id(seeded_app, locked)
    reasons = [e.detail.get("reason") for e in audit_rows(seeded_app, "auth.login_failed", uid)]
    assert reasons[-2:] == ["locked", "locked"]


def test_attempts_on_a_locked_account_do_not_extend_the_lock(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    username = _account(seeded_app)
    _lock(client, username)
    until = _row(seeded_app, username).locked_until
    for _ in range(3):
        _login(client, username, "still guessing")
    assert _row(seeded_app, username).locked_until == until


def _timed(attempt: Callable[[], Any]) -> float:
    started = time.perf_counter()
    attempt()
    return time.perf_counter() - started


def test_unknown_user_and_wrong_password_take_the_same_time(
    seeded_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A measurement, not a deadline: the medians of 15 attempts each are compared, with the
    pause after a failure switched off so it can't hide a difference in the work done."""
    monkeypatch.setattr(seeded_app.extensions["ecas"].auth, "failure_delay", 0.0)
    client = seeded_app.test_client()
    real, locked = _account(seeded_app), _account(seeded_app)
    _lock(client, locked)
    samples: dict[str, list[float]] = {"unknown": [], "wrong": [], "locked": []}
    for _ in range(SAMPLES):  # interleaved, so a busy moment of the machine hits all three
        # A fresh real account for each wrong password, so it is never locked meanwhile.
        fresh = _account(seeded_app)
        samples["unknown"].append(
            _timed(lambda: _login(client, f"nobody-{secrets.token_hex(5)}", "guess one"))
        )
        samples["wrong"].append(_timed(lambda name=fresh: _login(client, name, "guess one")))
        samples["locked"].append(_timed(lambda: _login(client, locked, "guess one")))
    assert _login(client, real, "guess one").status_code == 401
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print("API sign-in, median seconds:", {k: round(v, 4) for k, v in medians.items()})
    for name in ("wrong", "locked"):
        ratio = medians[name] / medians["unknown"]
        assert 0.5 <= ratio <= 2.0, (name, medians)


def test_a_court_administrator_without_an_app_gets_no_api_tokens(seeded_app: Flask) -> None:
    username = _account(seeded_app, Role.COURT_ADMIN)
    response = _login(seeded_app.test_client(), username, PASSWORD)
    assert response.status_code == 403
    assert "/portal/login" in response.get_json()["detail"]
    # A clerk (the desktop client, which has no code field) still signs in with a password.
    clerk = _account(seeded_app, Role.CLERK, password="tangerine kettle moonlit harbour")
    assert _login(seeded_app.test_client(), clerk, PASSWORD).status_code == 200


# -- the portal's sign-in ------------------------------------------------------------------


def _portal_login(app: Flask, login: str, password: str) -> tuple[int, str]:
    browser = Browser(app.test_client())
    response = browser.post(
        "/portal/login", {"login": login, "password": password}, from_page="/portal/login"
    )
    return response.status_code, _without_tokens(browser.last, login)


def _without_tokens(page: str, login: str) -> str:
    """The page with what differs by visitor (CSRF token, the name typed) taken out."""
    page = re.sub(r'value="[0-9a-f]{64}"', 'value="TOKEN"', page)
    return page.replace(login, "LOGIN")


def test_portal_unknown_user_and_wrong_password_answer_alike(seeded_app: Flask) -> None:
    real = _account(seeded_app)
    locked = _account(seeded_app)
    _lock(seeded_app.test_client(), locked)  # locked by failed API sign-ins
    unknown = _portal_login(seeded_app, f"nobody-{uuid.uuid4().hex[:10]}", "not the password")
    assert unknown[0] == 401 and "username or password is wrong" in unknown[1]
    assert _portal_login(seeded_app, real, "not the password") == unknown
    assert _portal_login(seeded_app, locked, "not the password") == unknown
    assert _portal_login(seeded_app, locked, PASSWORD) == unknown


def test_portal_limit_holds_back_an_unknown_name_as_it_does_an_account(seeded_app: Flask) -> None:
    """The per-account limit counts failures for a name without an account too, so its 429
    can't be used to tell which names are real."""
    limit = seeded_app.extensions["ecas_portal"].settings.account_failures
    real = _account(seeded_app)
    unknown = f"nobody-{uuid.uuid4().hex[:10]}"
    for name in (real, unknown):
        statuses = [_portal_login(seeded_app, name, "not the password")[0] for _ in range(limit)]
        assert statuses == [401] * limit
        assert _portal_login(seeded_app, name, "not the password")[0] == 429


def test_portal_unknown_user_and_wrong_password_take_the_same_time(seeded_app: Flask) -> None:
    """A measurement of the portal's password step, as for the API (ratio of medians)."""
    signin = seeded_app.extensions["ecas_portal"].signin
    samples: dict[str, list[float]] = {"unknown": [], "wrong": []}

    def attempt(login: str) -> None:
        # Each from an address and name of its own, so the limits never answer instead.
        ip = f"198.51.100.{secrets.randbelow(250) + 1}"
        with pytest.raises(Exception, match="username or password is wrong"):
            signin.password(login, "not the password", ip)

    for _ in range(SAMPLES):
        fresh = _account(seeded_app)
        samples["unknown"].append(_timed(lambda: attempt(f"nobody-{secrets.token_hex(5)}")))
        samples["wrong"].append(_timed(lambda name=fresh: attempt(name)))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print("portal password step, median seconds:", {k: round(v, 4) for k, v in medians.items()})
    assert 0.5 <= medians["wrong"] / medians["unknown"] <= 2.0, medians


def test_court_staff_without_an_app_must_set_one_up_in_the_portal(seeded_app: Flask) -> None:
    for role in (Role.COURT_ADMIN, Role.CLERK, Role.JUDGE):
        username = _account(seeded_app, role)
        browser = Browser(seeded_app.test_client())
        response = browser.post(
            "/portal/login", {"login": username, "password": PASSWORD}, from_page="/portal/login"
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/portal/login/enrol"), role
        # Half signed in: nothing but the sign-in steps.
        assert browser.get("/portal/admin/registrations").status_code == 302


def test_demo_court_staff_sign_in_to_the_portal_without_an_app_and_it_is_audited(
    seeded_app: Flask,
) -> None:
    browser = Browser(seeded_app.test_client())
    response = browser.post(
        "/portal/login", {"login": "admin1", "password": DEMO_PASSWORD}, from_page="/portal/login"
    )
    assert response.status_code == 302
    assert browser.get("/portal/admin/registrations").status_code == 200
    entry = audit_rows(seeded_app, "portal.login", _user_id(seeded_app, "admin1"))[-1]
    assert entry.detail["second_factor"] == "exempt: demo account"


# -- new passwords -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["password1234", "Password123!", "iloveyou1234", "qwertyuiop123", FULLWIDTH],
)
def test_a_common_password_is_refused(password: str) -> None:
    problem = passwords.problem(password, Role.ATTORNEY)
    assert problem is not None
    assert "common passwords" in problem or "too easy to guess" in problem
    assert "passphrase" in problem  # says what to do


def test_a_password_made_of_the_username_or_name_is_refused() -> None:
    personal = ["mgarcia", "maria.garcia@example.org", "Maria", "Garcia"]
    for password in ("mgarcia-lawyer-2026", "GarciaGarcia2026!", "maria.garcia@example.org"):
        assert passwords.problem(password, Role.ATTORNEY, personal) is not None, password


def test_long_passphrases_in_any_script_are_accepted() -> None:
    for password in (
        "tangerine kettle moonlit harbour",
        "Ça me plaît énormément, ce café noir",
        "горный ручей поёт на рассвете",
        "静かな湖に月がうつる夜の散歩道",
        "slow river otters drift past the old mill at dusk, humming quiet",  # 64
    ):
        assert passwords.problem(password, Role.ATTORNEY) is None, password
    assert passwords.problem("w" + "ordy-" * 51, Role.JUDGE) is None  # 256 characters
    assert passwords.problem("x" * 257, Role.JUDGE) is not None


def test_a_password_used_alone_must_be_longer() -> None:
    fourteen = "violet canyon!"
    assert len(fourteen) == 14
    assert passwords.problem(fourteen, Role.ATTORNEY) is None  # with a second factor: 12
    problem = passwords.problem(fourteen, Role.CLERK)  # the desktop: password alone
    assert problem is not None and "15 characters" in problem


def test_passwords_are_normalised_so_another_keyboard_still_signs_in(seeded_app: Flask) -> None:
    composed = "crème brûlée à la lumière"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    username = _account(seeded_app, password=decomposed)
    assert _login(seeded_app.test_client(), username, composed).status_code == 200


def test_a_hash_made_before_normalising_still_signs_in_and_is_renewed(seeded_app: Flask) -> None:
    typed = unicodedata.normalize("NFD", "forêt sombre près du lac")
    username = _account(seeded_app)
    with write_transaction(seeded_app.extensions["ecas"].factory) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        assert row is not None
        row.password_hash = PasswordHasher().hash(typed)  # as hashed before issue 14
    assert _login(seeded_app.test_client(), username, typed).status_code == 200
    renewed = _row(seeded_app, username).password_hash
    assert PasswordHasher().verify(renewed, unicodedata.normalize("NFKC", typed))


def _cli(folder: Path, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ECAS_DATA_DIR": str(folder),
        "ECAS_SECRET_KEY": "test-secret-key-for-the-cli",
        "ECAS_NEW_PASSWORD": password,
    }
    env.pop("ECAS_DATABASE_URL", None)
    command = "from sync_server.cli import main; raise SystemExit(main())"
    return subprocess.run(
        [sys.executable, "-c", command, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_create_user_refuses_a_common_password(tmp_path: Path) -> None:
    assert _cli(tmp_path, "init-db", password="").returncode == 0
    user = ["create-user", "jrivera", "--role", "clerk", "--display-name", "Clerk Rivera"]
    refused = _cli(tmp_path, *user, password="1qaz2wsx3edc4rfv")
    assert refused.returncode == 2
    assert "common passwords" in refused.stderr and "passphrase" in refused.stderr
    assert "1qaz2wsx3edc4rfv" not in refused.stderr + refused.stdout
    short = _cli(tmp_path, *user, password="violet canyon!")
    assert short.returncode == 2 and "15 characters" in short.stderr
    made = _cli(tmp_path, *user, password=PASSWORD)
    assert made.returncode == 0, made.stderr
    assert "Created clerk jrivera" in made.stdout


def _row(app: Flask, username: str) -> UserRow:
    with app.extensions["ecas"].factory() as session:
        row: UserRow | None = session.scalar(select(UserRow).where(UserRow.username == username))
        assert row is not None
        return row


def _user_id(app: Flask, username: str) -> str:
    return _row(app, username).id
