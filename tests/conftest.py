"""Shared fixtures: real databases (SQLite and PostgreSQL), a seeded server, API helpers.

Server tests take the ``backend`` parameter and so run twice, once per database. Each
session makes its own PostgreSQL database on 127.0.0.1:5432 and drops it at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from sync_server.app import create_app
from sync_server.config import ServerConfig
from sync_server.demo.plan import demo_id
from sync_server.demo.seed import seed_demo
from sync_server.migrate import upgrade

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The portal asks for the terms of use after sign-in; the tests of that step turn it on
# (tests/portal/test_profile_and_terms.py), the others sign in without it.
os.environ.setdefault("ECAS_PORTAL_TERMS", "0")


# Password hashing at the shipped cost (argon2id, 64 MiB, 3 passes: ~0.2 s a hash or a check)
# was half of the server tests' time. In this process the tests hash and check with the
# cheapest argon2id parameters instead, as frameworks' own test settings do; the hashes stay
# argon2id and the code paths are the same (a hash carries its parameters, so checking one
# made at the shipped cost still costs that). Servers started as their own processes keep the
# shipped cost. A test of the cost itself asks for it with ``@pytest.mark.real_argon2``.
_CHEAP_TIME, _CHEAP_MEMORY_KIB, _CHEAP_LANES = 1, 8, 1
_SHIPPED_ARGON2: dict[tuple[Any, str], object] = {}


def _set_argon2(cheap: bool) -> None:
    from argon2 import PasswordHasher

    from desktop import offline_auth, store_crypto
    from sync_server.services import auth, portal_signin

    if not _SHIPPED_ARGON2:
        for module, name in (
            (auth, "_hasher"),
            (auth, "_DUMMY_HASH"),
            (portal_signin, "_DUMMY_HASH"),
            (offline_auth, "_hasher"),
            (store_crypto, "ARGON2_TIME_COST"),
            (store_crypto, "ARGON2_MEMORY_KIB"),
            (store_crypto, "ARGON2_PARALLELISM"),
        ):
            _SHIPPED_ARGON2[(module, name)] = getattr(module, name)
    if not cheap:
        for (module, name), value in _SHIPPED_ARGON2.items():
            setattr(module, name, value)
        return
    hasher = PasswordHasher(
        time_cost=_CHEAP_TIME, memory_cost=_CHEAP_MEMORY_KIB, parallelism=_CHEAP_LANES
    )
    dummy = hasher.hash("not a real password")
    auth._hasher = hasher
    auth._DUMMY_HASH = dummy
    portal_signin._DUMMY_HASH = dummy  # type: ignore[attr-defined]
    offline_auth._hasher = hasher
    store_crypto.ARGON2_TIME_COST = _CHEAP_TIME
    store_crypto.ARGON2_MEMORY_KIB = _CHEAP_MEMORY_KIB
    store_crypto.ARGON2_PARALLELISM = _CHEAP_LANES


_set_argon2(cheap=True)


@pytest.fixture(autouse=True)
def _argon2_cost(request: pytest.FixtureRequest) -> Iterator[None]:
    """The shipped argon2 parameters for a test marked ``real_argon2``, cheap ones otherwise."""
    if request.node.get_closest_marker("real_argon2") is None:
        yield
        return
    _set_argon2(cheap=False)
    try:
        yield
    finally:
        _set_argon2(cheap=True)


REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("ECAS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
DEMO_PASSWORD = "test-password-123"
DEMO_CASES = 24
SEED_DAY = date(2026, 11, 27)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextlib.contextmanager
def make_database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh, migrated database URL of ``kind`` ("sqlite" or "postgresql")."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'ecas.sqlite3'}"
        upgrade(url)
        yield url
        return
    name = f"ecas_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    url = f"{base}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_config(url: str, folder: Path, **overrides: Any) -> ServerConfig:
    return ServerConfig(
        data_dir=folder,
        database_url=url,
        blob_url=str(folder / "blobs"),
        secret_key="test-secret-" + uuid.uuid4().hex,
        testing=True,
        **overrides,
    )


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# A folder where seeded SQLite servers are kept as templates (the database file, the blob
# store and the secret key), so that the next pytest session copies one instead of seeding
# again (~20 s under load). Set by scripts/mutation.sh only: each mutant's run is a pytest
# session of its own, and the seeding does not go through the mutated server modules. Unset
# (the default), every session seeds its own server as before.
SEED_CACHE_ENV = "ECAS_TEST_SEED_CACHE"
_SECRET_FILE = "template-secret-key"


def _seeded_template(cases: int) -> Path | None:
    cache = os.environ.get(SEED_CACHE_ENV)
    return Path(cache) / f"seeded-sqlite-{cases}" if cache else None


def close_app(app: Flask) -> None:
    """What a stopping server does, before its database goes: the refusal log's queue and
    the minute's counts written (else its exit hook finds the test's database dropped and
    says entries were lost), then every connection closed."""
    services = app.extensions["ecas"]
    services.refusals.flush(final=True)
    services.engine.dispose()


@contextlib.contextmanager
def _app_over(url: str, folder: Path, secret: str) -> Iterator[Flask]:
    """The app over a copied template, with the key its data was made under."""
    app = create_app(replace(server_config(url, folder), secret_key=secret))
    try:
        yield app
    finally:
        close_app(app)


def _keep_as_template(folder: Path, secret: str, template: Path) -> None:
    """Copies a freshly seeded server's folder to ``template`` (whole, or not at all: two
    sessions may race to keep theirs; the first rename wins)."""
    partial = template.with_name(f"{template.name}.{uuid.uuid4().hex}")
    shutil.copytree(folder, partial)
    (partial / _SECRET_FILE).write_text(secret, encoding="utf-8")
    try:
        partial.rename(template)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)


@contextlib.contextmanager
def seeded_server_app(backend: str, folder: Path, cases: int) -> Iterator[Flask]:
    """A migrated database of ``backend`` in ``folder`` with ``cases`` demo cases, and the
    app over it (its connections closed afterwards). On SQLite with ``SEED_CACHE_ENV`` set,
    a copy of the template kept by an earlier session when there is one."""
    template = _seeded_template(cases) if backend == "sqlite" else None
    if template is not None and template.is_dir():
        shutil.copytree(template, folder, dirs_exist_ok=True)
        secret = (folder / _SECRET_FILE).read_text(encoding="utf-8")
        with _app_over(f"sqlite:///{folder / 'ecas.sqlite3'}", folder, secret) as app:
            yield app
        return
    with make_database(backend, folder) as url:
        app = create_app(server_config(url, folder))
        services = app.extensions["ecas"]
        seed_demo(
            services.factory,
            services.blobs.store,
            services.blobs.staging,
            cases=cases,
            password=DEMO_PASSWORD,
            today=SEED_DAY,
        )
        if template is not None:
            services.engine.dispose()  # every connection closed: the file is whole
            _keep_as_template(folder, app.extensions["ecas"].config.secret_key, template)
        try:
            yield app
        finally:
            close_app(app)


@pytest.fixture(scope="session")
def seeded_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A server with the demo data (``DEMO_CASES`` cases), shared by a whole session.

    Tests that write make their own records (new ids), so they don't disturb each other.
    """
    with seeded_server_app(
        backend, tmp_path_factory.mktemp(f"seeded-{backend}"), DEMO_CASES
    ) as app:
        yield app


@pytest.fixture
def fresh_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An empty, migrated server of its own (no demo data)."""
    with make_database(backend, tmp_path) as url:
        app = create_app(server_config(url, tmp_path))
        yield app
        close_app(app)


@dataclass
class Api:
    """Calls the API as a client would, through Flask's test client."""

    client: FlaskClient

    def login(self, username: str, password: str = DEMO_PASSWORD, otp: str | None = None) -> str:
        body = {"username": username, "password": password}
        if otp is not None:  # external accounts' two-factor code (demo accounts need none)
            body["otp"] = otp
        response = self.client.post("/api/v1/auth/login", json=body)
        assert response.status_code == 200, response.get_json()
        return str(response.get_json()["access_token"])

    def headers(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def changes(self, token: str, since: str | None = None, limit: int = 1000) -> Any:
        query = f"?limit={limit}" + (f"&since={since}" if since else "")
        response = self.client.get(f"/api/v1/sync/changes{query}", headers=self.headers(token))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def pull_all(
        self, token: str, since: str | None = None, limit: int = 1000
    ) -> tuple[list[dict[str, Any]], str]:
        """Every change after ``since``; returns the changes and the final cursor."""
        out: list[dict[str, Any]] = []
        while True:
            page = self.changes(token, since, limit)
            out += page["changes"]
            since = page["cursor"]
            if not page["has_more"]:
                return out, str(since)

    def push(
        self, token: str, *mutations: dict[str, Any], client_id: str = "test-client"
    ) -> list[dict[str, Any]]:
        response = self.client.post(
            "/api/v1/sync/push",
            headers=self.headers(token),
            json={"client_id": client_id, "mutations": list(mutations)},
        )
        assert response.status_code == 200, response.get_json()
        return list(response.get_json()["results"])


@pytest.fixture
def api(seeded_app: Flask) -> Api:
    return Api(seeded_app.test_client())


def mutation(
    entity: str,
    data: dict[str, Any],
    *,
    base_version: int | None = None,
    op: str = "upsert",
    record_id: str | None = None,
) -> dict[str, Any]:
    """A push mutation with a fresh mutation id."""
    rid = record_id or data.get("id") or str(uuid.uuid4())
    body: dict[str, Any] = {
        "mutation_id": str(uuid.uuid4()),
        "entity": entity,
        "id": rid,
        "op": op,
        "base_version": base_version,
    }
    if op == "upsert":
        body["data"] = {**data, "id": rid}
    return body


def user_id(username: str) -> str:
    return demo_id("user", username)


def court_id(code: str) -> str:
    return demo_id("court", code)


# --- a real server process on loopback ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    env: dict[str, str]
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sync_server.cli", "run", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return
            time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """SIGKILL: no clean-up, as in a crash or power loss."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def live_server(backend: str, tmp_path: Path) -> Iterator[LiveServer]:
    """A seeded ``ecas-server run`` process of its own, on a free loopback port (17 cases:
    the fewest that include a filing waiting for review at the first court)."""
    with make_database(backend, tmp_path) as url:
        env = {
            **os.environ,
            "ECAS_DATA_DIR": str(tmp_path),
            "ECAS_DATABASE_URL": url,
            "ECAS_SECRET_KEY": "live-" + uuid.uuid4().hex,
            "PYTHONPATH": str(REPO),
        }
        app = create_app(server_config(url, tmp_path))
        services = app.extensions["ecas"]
        seed_demo(
            services.factory,
            services.blobs.store,
            services.blobs.staging,
            cases=17,
            password=DEMO_PASSWORD,
            today=SEED_DAY,
        )
        services.engine.dispose()
        server = LiveServer(env, free_port())
        server.start()
        try:
            yield server
        finally:
            server.kill()
