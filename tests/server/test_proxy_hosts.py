"""Host, origin and the client's address, in the app (Flask's client on a real database):
a forged Host never reaches a mailed link or an answer, every answer carries the security
headers, and only trusted proxies may say who the client is."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from sync_server.app import ConfigError, create_app
from sync_server.config import load_config
from sync_server.http_edges import TrustedProxies, parse_networks
from tests.portal.portal_helpers import Browser, csrf_of, mail_to, outbox, registration_form

BASE = "https://ecas.court.example"


@pytest.fixture
def production_app(seeded_app: Flask) -> Iterator[Flask]:
    """A second app over the seeded database, configured as production is: a base URL, an
    extra host, nginx on loopback as its proxy."""
    config = seeded_app.extensions["ecas"].config.with_overrides(
        testing=False,
        portal_base_url=BASE,
        allowed_hosts=("ecas-internal.court.example",),
        trusted_proxies=("127.0.0.1/32",),
    )
    app = create_app(config)
    yield app
    app.extensions["ecas"].engine.dispose()


def _register(app: Flask, **request: Any) -> tuple[int, dict[str, str]]:
    visitor = Browser(app.test_client())
    visitor.client.environ_base["REMOTE_ADDR"] = "127.0.0.1"  # through the proxy
    form = registration_form()
    page = visitor.client.get("/portal/register", **request)
    if page.status_code != 200:
        return page.status_code, form
    visitor.last = page.get_data(as_text=True)
    response = visitor.client.post(
        "/portal/register",
        data={"csrf_token": csrf_of(visitor.last), **form},
        **request,
    )
    return response.status_code, form


def test_a_forged_forwarded_host_never_reaches_the_mailed_link(production_app: Flask) -> None:
    status, form = _register(
        production_app,
        base_url=BASE,
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-For": "203.0.113.5"},
    )
    assert status == 303  # registered; on to the result page
    body = mail_to(production_app, form["email"], "Confirm your email").get_content()
    assert f"{BASE}/portal/verify/" in body and "evil.example" not in body


def test_a_request_naming_another_host_is_refused_before_anything_runs(
    production_app: Flask,
) -> None:
    before = len(list(outbox(production_app).glob("*.eml")))
    status, _ = _register(production_app, base_url="https://evil.example")
    assert status == 400
    client = production_app.test_client()
    for path in ("/api/v1/sync/changes", "/healthz", "/portal/login", "/no/such/page"):
        response = client.get(path, base_url="https://evil.example")
        assert response.status_code == 400, path
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["title"] == "Unknown host"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert len(list(outbox(production_app).glob("*.eml"))) == before  # nothing mailed
    # The base URL's host and the extra one are answered, on any port.
    assert client.get("/healthz", base_url=BASE).status_code == 200
    other = client.get("/healthz", base_url="http://ecas-internal.court.example:8443")
    assert other.status_code == 200


def test_api_and_portal_answers_carry_the_security_headers_and_hsts_over_tls(
    production_app: Flask,
) -> None:
    client = production_app.test_client()
    # nginx terminates TLS and says so; the app believes it from 127.0.0.1 only.
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    over_tls = {"X-Forwarded-Proto": "https"}
    for path in ("/healthz", "/api/v1/sync/changes", "/portal/login", "/portal/nowhere"):
        response = client.get(path, base_url=BASE, headers=over_tls, environ_base=proxy)
        headers = response.headers
        assert headers["Strict-Transport-Security"].startswith("max-age=63072000"), path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] in ("no-referrer", "same-origin")
    # The portal keeps its page policy; the API's allows nothing at all.
    portal_csp = client.get("/portal/login", base_url=BASE).headers["Content-Security-Policy"]
    # Scripts from the portal's own static files only (the idle-timeout warning), never
    # inline ones.
    assert "script-src 'self';" in portal_csp and "unsafe-inline" not in portal_csp
    api_csp = client.get("/healthz", base_url=BASE).headers["Content-Security-Policy"]
    assert api_csp.startswith("default-src 'none'")
    # Plain HTTP, or a claim of TLS from a peer that is not the proxy: no HSTS.
    plain = client.get("/healthz", base_url="http://ecas.court.example", environ_base=proxy)
    assert "Strict-Transport-Security" not in plain.headers
    spoofed = client.get(
        "/portal/login",
        base_url="http://ecas.court.example",
        headers=over_tls,
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert "Strict-Transport-Security" not in spoofed.headers
    assert all("Secure" not in c for c in spoofed.headers.getlist("Set-Cookie"))


def test_a_production_server_will_not_start_without_its_base_url(seeded_app: Flask) -> None:
    config = seeded_app.extensions["ecas"].config.with_overrides(testing=False)
    with pytest.raises(ConfigError, match="ECAS_PORTAL_BASE_URL"):
        create_app(config)
    # A demo server may (``ecas-server run`` is one; ECAS_DEMO=1 makes gunicorn one).
    demo = create_app(config.with_overrides(demo=True))
    assert demo.config["TRUSTED_HOSTS"] is None
    demo.extensions["ecas"].engine.dispose()


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("ECAS_TRUSTED_PROXIES", "127.0.0.1, nginx.local"),
        ("ECAS_TRUSTED_PROXIES", "10.0.0.0/33"),
        ("ECAS_PORTAL_BASE_URL", "ecas.court.example"),
        ("ECAS_PORTAL_BASE_URL", "ftp://ecas.court.example"),
        ("ECAS_PORTAL_BASE_URL", "https://ecas.court.example/?next=evil"),
    ],
)
def test_a_mistyped_setting_stops_the_server_with_its_name(setting: str, value: str) -> None:
    env = {"ECAS_DATA_DIR": "/nonexistent", "ECAS_SECRET_KEY": "x", setting: value}
    with pytest.raises(ValueError, match=setting):
        load_config(env)


def test_settings_are_read_from_the_environment() -> None:
    config = load_config(
        {
            "ECAS_DATA_DIR": "/nonexistent",
            "ECAS_SECRET_KEY": "x",
            "ECAS_PORTAL_BASE_URL": "https://ecas.court.example/",
            "ECAS_ALLOWED_HOSTS": "A.example, b.example",
            "ECAS_TRUSTED_PROXIES": "127.0.0.1 10.20.0.7/24,::1",
        }
    )
    assert config.link_base_url == BASE
    assert config.allowed_hosts == ("a.example", "b.example")
    assert config.trusted_proxies == ("127.0.0.1/32", "10.20.0.0/24", "::1/128")


# --- the walk along X-Forwarded-For --------------------------------------------------------

PROXIES = TrustedProxies(lambda environ, start: [], parse_networks("127.0.0.1, 10.20.0.0/24"))


def test_a_client_cannot_choose_its_address_by_writing_forwarded_for_itself() -> None:
    # The client sent "X-Forwarded-For: 6.6.6.6"; nginx appended what it saw.
    assert PROXIES.client("127.0.0.1", "6.6.6.6, 203.0.113.9") == "203.0.113.9"
    # Through a balancer (10.20.0.4) and nginx, each appending.
    assert PROXIES.client("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.20.0.4") == "203.0.113.9"


def test_an_untrusted_peer_is_the_client_whatever_it_claims() -> None:
    assert PROXIES.client("198.51.100.7", "127.0.0.1, 10.20.0.4") == "198.51.100.7"


def test_a_garbled_forwarded_entry_stops_the_walk_at_the_proxy_that_passed_it() -> None:
    assert PROXIES.client("127.0.0.1", "203.0.113.9, not-an-address, 10.20.0.4") == "10.20.0.4"
    assert PROXIES.client("127.0.0.1", "") == "127.0.0.1"


def test_forwarded_addresses_with_ports_and_ipv6_are_read() -> None:
    assert PROXIES.client("127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"
    assert PROXIES.client("127.0.0.1", "203.0.113.9:51000") == "203.0.113.9"
    assert PROXIES.trusted("::ffff:127.0.0.1")
    assert ipaddress.ip_address(PROXIES.client("::ffff:127.0.0.1", "2001:db8::8")).version == 6


def test_through_a_trusted_proxy_the_app_sees_the_client_and_its_scheme() -> None:
    seen: dict[str, str] = {}

    def app(environ: dict[str, str], start: object) -> list[bytes]:
        seen.clear()
        seen.update(environ)
        return []

    wrapped = TrustedProxies(app, parse_networks("127.0.0.1"))
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    wrapped(environ, lambda *a: None)  # type: ignore[arg-type]
    assert seen["REMOTE_ADDR"] == "203.0.113.9" and seen["wsgi.url_scheme"] == "https"
    assert seen["ecas.peer_addr"] == "127.0.0.1"
    environ = {
        "REMOTE_ADDR": "198.51.100.7",
        "wsgi.url_scheme": "http",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    wrapped(environ, lambda *a: None)  # type: ignore[arg-type]
    assert seen["REMOTE_ADDR"] == "198.51.100.7" and seen["wsgi.url_scheme"] == "http"
    assert "HTTP_X_FORWARDED_FOR" not in seen
