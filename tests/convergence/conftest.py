"""Fixtures of the convergence suite: a real ``ecas-server run`` process on each database,
and the fault proxy in front of it that the desktop clients talk through."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from sync_server.app import create_app
from sync_server.demo.seed import seed_demo
from tests.conftest import (
    DEMO_PASSWORD,
    REPO,
    SEED_DAY,
    LiveServer,
    free_port,
    make_database,
    server_config,
)
from tests.convergence.fault_proxy import FaultProxy

# Six cases are the fewest whose first court (SFR) has several hearings that both of its
# clerks and its judges see; fewer records keep each client's first pull short.
CASES = 6
# Access tokens expire quickly so refreshes (and faults on them) happen during a run.
ACCESS_TOKEN_SECONDS = 20


@pytest.fixture(scope="module")
def convergence_server(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A seeded ``ecas-server run`` process on a free loopback port, shared by the tests
    of a module (each makes its own edits and checks only those; a test that kills the
    server leaves it running again)."""
    folder = tmp_path_factory.mktemp(f"convergence-server-{backend}")
    with make_database(backend, folder) as url:
        app = create_app(server_config(url, folder))
        services = app.extensions["ecas"]
        seed_demo(
            services.factory,
            services.blobs.store,
            services.blobs.staging,
            cases=CASES,
            password=DEMO_PASSWORD,
            today=SEED_DAY,
        )
        services.engine.dispose()
        env = {
            **os.environ,
            "ECAS_DATA_DIR": str(folder),
            "ECAS_DATABASE_URL": url,
            "ECAS_SECRET_KEY": "convergence-" + uuid.uuid4().hex,
            "ECAS_ACCESS_TOKEN_SECONDS": str(ACCESS_TOKEN_SECONDS),
            "PYTHONPATH": str(REPO),
        }
        server = LiveServer(env, free_port())
        server.start()
        try:
            yield server
        finally:
            server.kill()


@pytest.fixture
def fault_proxy(convergence_server: LiveServer) -> Iterator[FaultProxy]:
    """The proxy in front of ``convergence_server``; it outlives server restarts (the
    server comes back on the same port) and stops by itself at the latest after 6 hours."""
    with FaultProxy(convergence_server.port, seed=11, lifetime=6 * 3600) as proxy:
        yield proxy
