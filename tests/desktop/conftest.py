"""Desktop fixtures: a local store filled from the demo server, a Qt context around it.

The store is filled through the real pull code path (the server's feed applied by
``LocalStore.apply_page``), from a SQLite demo server shared by the desktop tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from PySide6.QtCore import QSettings

from common.protocol import Change
from desktop.api_client import ApiClient, Session
from desktop.local_store import LocalStore
from desktop.services.session import SignedIn
from desktop.services.sync_controller import SyncController
from desktop.settings import Settings
from desktop.sync_engine import SyncEngine
from sync_server.app import create_app
from sync_server.demo.seed import seed_demo
from tests.conftest import DEMO_CASES, SEED_DAY, Api, make_database, server_config

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens: the context works offline


@pytest.fixture(scope="session")
def desktop_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("desktop-server")
    with make_database("sqlite", folder) as url:
        app = create_app(server_config(url, folder))
        services = app.extensions["ecas"]
        seed_demo(
            services.factory,
            services.blobs.store,
            services.blobs.staging,
            cases=DEMO_CASES,
            password="test-password-123",
            today=SEED_DAY,
        )
        yield app
        services.engine.dispose()


@pytest.fixture
def filled_store(desktop_server: Flask, tmp_path: Path) -> Callable[[str], tuple[LocalStore, dict]]:  # type: ignore[type-arg]
    """``filled_store("clerk1")`` -> (a local store with clerk1's scope, clerk1's user)."""

    def fill(username: str) -> tuple[LocalStore, dict]:  # type: ignore[type-arg]
        api = Api(desktop_server.test_client())
        response = api.client.post(
            "/api/v1/auth/login", json={"username": username, "password": "test-password-123"}
        )
        body = response.get_json()
        changes, cursor = api.pull_all(body["access_token"])
        store = LocalStore(tmp_path / f"{username}.sqlite3")
        store.apply_page([Change.model_validate(c) for c in changes], cursor)
        return store, body["user"]

    return fill


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    user = QSettings(str(tmp_path / "user.ini"), QSettings.Format.IniFormat)
    system = QSettings(str(tmp_path / "system.ini"), QSettings.Format.IniFormat)
    return Settings(user, system)


@pytest.fixture
def make_context(
    qapp: object,
    filled_store: Callable,
    settings: Settings,  # type: ignore[type-arg]
) -> Iterator[Callable[[str], object]]:
    """``make_context("clerk1")`` -> a DesktopContext over that user's local store, offline
    (its sync attempts fail fast against a closed port; local work goes to the outbox)."""
    from desktop.ui.context import DesktopContext

    made: list[DesktopContext] = []

    def make(username: str) -> DesktopContext:
        store, user = filled_store(username)
        client = ApiClient(UNREACHABLE)
        client.session = Session("access", "refresh", user)  # signed in; the server is down
        session = SignedIn(client, store, user, online=False)
        controller = SyncController(SyncEngine(client, store), interval_seconds=3600)
        ctx = DesktopContext(settings, session, controller)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.sync.stop()
        ctx.writer.waitForDone(5000)
        ctx.store.engine.dispose()
