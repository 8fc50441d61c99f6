"""Any node serves any request: two real server nodes (gunicorn with the shipped
installer/server/gunicorn.conf.py) on loopback behind nginx (the shipped
installer/server/nginx-ecas.conf with an upstream of both nodes, through proxy_stack's
nginx_in_front), sharing one PostgreSQL database and one blob folder, each with a data folder
of its own (its own local disk). The client only ever talks to nginx; each node's access log
shows which node answered what.

An upload begun through the balancer on node 1 (node 2 down) is finished through the
balancer on node 2 (node 1 killed, node 2 back) and reads back with its hash; a pull paged
through the balancer while both nodes answer is cut by killing node 1 (SIGKILL) and goes on
through the balancer, receiving every record of a full pull exactly once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from sync_server.app import create_app
from sync_server.demo.seed import seed_demo
from tests.conftest import DEMO_PASSWORD, REPO, SEED_DAY, free_port, make_database, server_config
from tests.pdf_factory import large_pdf
from tests.server.proxy_stack import BASE_URL, HOST, client_from, needs_nginx, nginx_in_front

pytestmark = [pytest.mark.postgres, pytest.mark.slow, needs_nginx]

BIN = Path(sys.executable).parent
TIMEOUT = 30


@dataclass
class Node:
    name: str
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(REPO / "installer/server/gunicorn.conf.py"),
                 "sync_server.app:create_app()"],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.ConnectionError, requests.Timeout):
                health = requests.get(f"{self.url}/healthz", headers={"Host": HOST}, timeout=2)
                if health.status_code == 200:
                    return
            assert self.process.poll() is None, self.log.read_text(errors="replace")
            assert time.monotonic() < deadline, f"{self.name} did not answer within 60 s"
            time.sleep(0.1)

    def served(self, method: str, path: str) -> int:
        """How many requests ``method path`` (no query) this node's access log shows."""
        return self.log.read_text(errors="replace").count(f'"{method} {path}"')

    def kill(self) -> None:
        """SIGKILL to the whole node (master and workers), as a crashed machine."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None


@dataclass
class Balanced:
    """Two nodes and nginx in front of both; ``client`` talks to nginx only."""

    node1: Node
    node2: Node
    https: str
    client: requests.Session


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Balanced]:
    folder = tmp_path_factory.mktemp("two-nodes")
    shared_blobs = folder / "shared-blobs"
    with make_database("postgresql", folder) as url:
        config = server_config(url, folder / "seed").with_overrides(blob_url=str(shared_blobs))
        app = create_app(config)
        services = app.extensions["ecas"]
        seed_demo(
            services.factory,
            services.blobs.store,
            services.blobs.staging,
            cases=6,
            password=DEMO_PASSWORD,
            today=SEED_DAY,
        )
        services.engine.dispose()
        common = {
            **os.environ,
            "ECAS_DATABASE_URL": url,
            "ECAS_BLOB_URL": str(shared_blobs),
            "ECAS_SECRET_KEY": "two-nodes-" + uuid.uuid4().hex,  # the same on every node
            "ECAS_DEMO": "1",
            "ECAS_PORTAL_BASE_URL": BASE_URL,  # the host nginx passes on
            "ECAS_TRUSTED_PROXIES": "127.0.0.1",  # nginx, on every node
            "ECAS_GUNICORN_LOGLEVEL": "info",  # the access log: which node answered
            "ECAS_GUNICORN_WORKERS": "1",
            "ECAS_GUNICORN_THREADS": "4",
            "PYTHONPATH": str(REPO),
        }
        pair = []
        for name in ("node1", "node2"):
            port = free_port()
            env = {
                **common,
                "ECAS_DATA_DIR": str(folder / name),  # the node's own disk
                "ECAS_GUNICORN_BIND": f"127.0.0.1:{port}",
            }
            pair.append(Node(name, env, port, folder / f"{name}.log"))
        try:
            for node in pair:
                node.start()
            https_port = free_port()
            proxy = folder / "nginx"
            proxy.mkdir()
            with nginx_in_front(proxy, [n.port for n in pair], free_port(), https_port):
                client = client_from("127.0.0.1", proxy / "fullchain.pem")
                yield Balanced(pair[0], pair[1], f"https://127.0.0.1:{https_port}", client)
        finally:
            for node in pair:
                node.kill()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sign_in(lb: Balanced, username: str) -> None:
    response = lb.client.post(
        f"{lb.https}/api/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORD},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    lb.client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"


def _patch(lb: Balanced, upload_id: str, offset: int, body: bytes) -> Any:
    return lb.client.patch(
        f"{lb.https}/api/v1/blobs/uploads/{upload_id}",
        headers={"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
        data=body,
        timeout=TIMEOUT,
    )


def _settle(lb: Balanced) -> None:
    """A moment after a node died, as between a machine failing and the next request: nginx
    drops its idle kept-alive connections to the dead node when it reads their close (a
    request sent on one before that is lost and, being a POST or PATCH, not retried: 502).
    Then the balancer answers a health check (a GET, which nginx does retry on the other
    node)."""
    time.sleep(1)
    deadline = time.monotonic() + 30
    while lb.client.get(f"{lb.https}/healthz", timeout=TIMEOUT).status_code != 200:
        assert time.monotonic() < deadline, "nginx found no node answering within 30 s"
        time.sleep(0.5)


def _both_serving(lb: Balanced) -> None:
    """Health checks through nginx until each node has answered one: a node back from the
    dead is skipped for nginx's fail_timeout (10 s) after its last failure. A node writes
    its access-log line after answering, so the counts are read after a pause."""
    time.sleep(1)
    seen = lb.node1.served("GET", "/healthz"), lb.node2.served("GET", "/healthz")
    deadline = time.monotonic() + 40
    while (
        lb.node1.served("GET", "/healthz") == seen[0]
        or lb.node2.served("GET", "/healthz") == seen[1]
    ):
        assert time.monotonic() < deadline, "nginx did not send to both nodes within 40 s"
        lb.client.get(f"{lb.https}/healthz", timeout=TIMEOUT)
        time.sleep(0.5)


def _offset(lb: Balanced, upload_id: str) -> int:
    """The upload's offset as the server tells it (HEAD), asked again while nginx answers
    502 because every node it knows was down a moment ago (its fail_timeout): what a
    resuming client does."""
    deadline = time.monotonic() + 30
    while True:
        told = lb.client.head(f"{lb.https}/api/v1/blobs/uploads/{upload_id}", timeout=TIMEOUT)
        if told.status_code != 502 or time.monotonic() > deadline:
            assert told.status_code == 204, told.status_code
            return int(told.headers["Upload-Offset"])
        time.sleep(0.5)


def test_an_upload_begun_on_one_node_is_finished_on_the_other_with_its_hash(
    nodes: Balanced,
) -> None:
    lb = nodes
    lb.node2.kill()  # the balancer can only send to node 1
    _settle(lb)
    _sign_in(lb, "clerk1")  # a token from node 1 works on node 2
    data = large_pdf(900_000)
    started = lb.client.post(
        f"{lb.https}/api/v1/blobs/uploads",
        json={"sha256": _sha256(data), "size": len(data)},
        timeout=TIMEOUT,
    )
    assert started.status_code == 201, started.text
    upload_id = started.json()["upload_id"]
    path = f"/api/v1/blobs/uploads/{upload_id}"
    half = len(data) // 2
    assert _patch(lb, upload_id, 0, data[:half]).json()["offset"] == half
    assert lb.node1.served("PATCH", path) == 1

    # Node 1's machine dies and node 2 comes back: the same address now reaches node 2,
    # which never saw the first half (node 1's data folder is not node 2's).
    lb.node2.start()
    lb.node1.kill()
    _settle(lb)
    assert _offset(lb, upload_id) == half
    done = _patch(lb, upload_id, half, data[half:])
    for _ in range(3):  # the server's PDF check may be busy: 503, try again as a client does
        if done.status_code != 503:
            break
        time.sleep(int(done.headers.get("Retry-After", "5")))
        done = _patch(lb, upload_id, _offset(lb, upload_id), data[_offset(lb, upload_id) :])
    assert done.status_code == 200, done.text
    assert done.json()["complete"] is True
    assert lb.node2.served("PATCH", path) >= 1
    assert lb.node1.served("PATCH", path) == 1  # node 1 took only the first half

    read = lb.client.get(f"{lb.https}/api/v1/blobs/{_sha256(data)}", timeout=TIMEOUT)
    assert read.status_code == 200, read.text
    assert _sha256(read.content) == _sha256(data)
    lb.node1.start()  # both nodes up again for the next test


def _page(lb: Balanced, since: str | None) -> dict[str, Any]:
    query = "?limit=25" + (f"&since={since}" if since else "")
    response = lb.client.get(f"{lb.https}/api/v1/sync/changes{query}", timeout=60)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


PULL = "/api/v1/sync/changes"


def test_a_pull_cut_by_a_node_dying_resumes_through_the_balancer_with_nothing_skipped_or_doubled(
    nodes: Balanced,
) -> None:
    lb = nodes
    _both_serving(lb)
    _sign_in(lb, "clerk1")
    whole: list[tuple[str, str]] = []
    since = None
    while True:
        page = _page(lb, since)
        whole += [(c["entity"], c["id"]) for c in page["changes"]]
        since = page["cursor"]
        if not page["has_more"]:
            break
    assert len(whole) > 100  # several pages of 25

    before = lb.node1.served("GET", PULL), lb.node2.served("GET", PULL)
    got: list[tuple[str, str]] = []
    since = None
    for _ in range(4):  # round robin: two pages from each node
        page = _page(lb, since)
        got += [(c["entity"], c["id"]) for c in page["changes"]]
        since = page["cursor"]
    assert page["has_more"]
    during = lb.node1.served("GET", PULL) - before[0], lb.node2.served("GET", PULL) - before[1]
    assert during[0] >= 1 and during[1] >= 1 and sum(during) == 4, during
    lb.node1.kill()
    killed_at = lb.node1.served("GET", PULL)

    # The client carries on through the same address with the cursor it holds.
    while True:
        page = _page(lb, since)
        got += [(c["entity"], c["id"]) for c in page["changes"]]
        since = page["cursor"]
        if not page["has_more"]:
            break
    assert lb.node1.served("GET", PULL) == killed_at  # the rest came from node 2
    assert Counter(got) == Counter(whole)
    assert max(Counter(got).values()) == 1
