"""Real client addresses through a real proxy on loopback: gunicorn with the shipped
gunicorn.conf.py, nginx with the shipped site in front (tests/server/proxy_stack.py).
Each client connects from a loopback address of its own, as people on the internet come
from theirs; the sign-in throttle must count each of them, not nginx."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select

from sync_server.models import AuditEntry
from tests.conftest import DEMO_PASSWORD, free_port
from tests.server.proxy_stack import BIN, HOST, SERVER_DIR, Stack, needs_nginx, proxy_stack

pytestmark = [pytest.mark.slow, needs_nginx]

LIMIT = 3  # failed sign-ins an address may make in the window (ECAS_PORTAL_IP_FAILURES)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with proxy_stack(
        tmp_path_factory.mktemp("proxy"),
        ECAS_PORTAL_IP_FAILURES=str(LIMIT),
        ECAS_PORTAL_ACCOUNT_FAILURES="100",  # only the address limit is under test
    ) as running:
        yield running


_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def _sign_in(client: requests.Session, base: str, login: str, password: str) -> int:
    """The portal's password step as a browser sends it; returns the answer's status."""
    page = client.get(f"{base}/portal/login", timeout=30)
    found = _CSRF.search(page.text)
    assert found, page.text
    response = client.post(
        f"{base}/portal/login",
        data={"csrf_token": found.group(1), "login": login, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code


def _audited_addresses(stack: Stack, action: str) -> list[str]:
    engine = create_engine(f"sqlite:///{stack.folder / 'data' / 'ecas.sqlite3'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(AuditEntry.detail).where(AuditEntry.action == action))
            return [str(detail.get("ip")) for (detail,) in rows]
    finally:
        engine.dispose()


def test_failed_sign_ins_through_the_proxy_lock_that_address_not_another_client(
    stack: Stack,
) -> None:
    attacker, colleague = stack.client("127.0.0.2"), stack.client("127.0.0.3")
    for attempt in range(LIMIT):
        assert _sign_in(attacker, stack.https, f"nobody-{attempt}", "wrong guess") == 401
    # The guessing address is locked, even with the right password...
    assert _sign_in(attacker, stack.https, "admin1", DEMO_PASSWORD) == 429
    # ...and someone else, through the same proxy, signs in.
    assert _sign_in(colleague, stack.https, "admin1", DEMO_PASSWORD) == 302
    assert "127.0.0.2" in _audited_addresses(stack, "portal.login_throttled")
    failed = _audited_addresses(stack, "portal.login_failed")
    assert failed.count("127.0.0.2") == LIMIT and "127.0.0.1" not in failed


def test_a_spoofed_forwarded_for_through_the_proxy_is_ignored(stack: Stack) -> None:
    spoofer = stack.client("127.0.0.4")
    for attempt in range(LIMIT):
        # Each guess claims to come from somewhere else; nginx appends the real address.
        spoofer.headers["X-Forwarded-For"] = f"203.0.113.{attempt + 1}"
        assert _sign_in(spoofer, stack.https, f"nobody-{attempt}", "wrong guess") == 401
    spoofer.headers["X-Forwarded-For"] = "203.0.113.99"
    assert _sign_in(spoofer, stack.https, "admin1", DEMO_PASSWORD) == 429
    failed = _audited_addresses(stack, "portal.login_failed")
    assert failed.count("127.0.0.4") == LIMIT
    assert not [ip for ip in failed if ip.startswith("203.0.113.")]


def test_a_peer_that_is_not_a_trusted_proxy_cannot_claim_an_address_or_tls(
    stack: Stack,
) -> None:
    # Straight to gunicorn, around nginx, from an address that is not a trusted proxy.
    direct = stack.client("127.0.0.5")
    direct.headers["X-Forwarded-Proto"] = "https"
    for attempt in range(LIMIT):
        direct.headers["X-Forwarded-For"] = f"198.51.100.{attempt + 1}"
        assert _sign_in(direct, stack.direct, f"nobody-{attempt}", "wrong guess") == 401
    assert _sign_in(direct, stack.direct, "admin1", DEMO_PASSWORD) == 429
    failed = _audited_addresses(stack, "portal.login_failed")
    assert failed.count("127.0.0.5") == LIMIT
    page = direct.get(f"{stack.direct}/portal/login", timeout=30)
    assert "Strict-Transport-Security" not in page.headers
    assert "secure" not in page.headers.get("Set-Cookie", "").lower()


def test_over_the_proxys_tls_cookies_are_secure_and_answers_carry_hsts(stack: Stack) -> None:
    browser = stack.client("127.0.0.6")
    page = browser.get(f"{stack.https}/portal/login", timeout=30)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert "," not in page.headers["Strict-Transport-Security"]  # sent once, by the app
    assert "; secure" in page.headers["Set-Cookie"].lower()
    assert page.headers["X-Frame-Options"] == "DENY"
    api = browser.get(f"{stack.https}/healthz", timeout=30)
    assert api.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.headers["Content-Security-Policy"].startswith("default-src 'none'")
    # Plain HTTP at the proxy only redirects to the TLS site.
    plain = browser.get(f"{stack.http}/portal/login", allow_redirects=False, timeout=30)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://{HOST}/portal/login"


def test_a_request_naming_another_host_is_refused_through_the_proxy(stack: Stack) -> None:
    client = stack.client("127.0.0.7")
    client.headers["Host"] = "evil.example"
    response = client.get(f"{stack.https}/portal/register", timeout=30)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Unknown host"


def test_the_production_server_will_not_start_without_its_base_url(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ECAS_DATA_DIR": str(tmp_path),
        "ECAS_SECRET_KEY": "x" * 40,
        "ECAS_GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        "ECAS_GUNICORN_WORKERS": "1",
    }
    env.pop("ECAS_PORTAL_BASE_URL", None)
    env.pop("ECAS_DEMO", None)
    started = time.monotonic()
    result = subprocess.run(
        [str(BIN / "gunicorn"), "-c", str(SERVER_DIR / "gunicorn.conf.py"),
         "sync_server.app:create_app()"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0, f"gunicorn served for {time.monotonic() - started:.0f} s"
    assert "Set ECAS_PORTAL_BASE_URL" in result.stdout + result.stderr
