"""Any node serves any request: two real server nodes (gunicorn with the shipped
installer/server/gunicorn.conf.py) on loopback, sharing one PostgreSQL database and one blob
folder, each with a data folder of its own (its own local disk). The test addresses each
node directly, as a load balancer would send one client's requests to either.

An upload begun on node 1 is finished on node 2 and reads back with its hash from both; a
pull is cut by killing node 1 (SIGKILL) and the client carries on at node 2 from its cursor,
receiving every record of a full pull exactly once.
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

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

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
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            assert self.process.poll() is None, self.log.read_text(errors="replace")
            assert time.monotonic() < deadline, f"{self.name} did not answer within 60 s"
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to the whole node (master and workers), as a crashed machine."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Node, Node]]:
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
            yield pair[0], pair[1]
        finally:
            for node in pair:
                node.kill()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sign_in(node: Node, username: str) -> dict[str, str]:
    response = requests.post(
        f"{node.url}/api/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORD},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _patch(node: Node, headers: dict[str, str], upload_id: str, offset: int, body: bytes) -> Any:
    return requests.patch(
        f"{node.url}/api/v1/blobs/uploads/{upload_id}",
        headers={
            **headers,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
        data=body,
        timeout=TIMEOUT,
    )


def test_an_upload_begun_on_one_node_is_finished_on_the_other_with_its_hash(
    nodes: tuple[Node, Node],
) -> None:
    node1, node2 = nodes
    headers = _sign_in(node1, "clerk1")  # a token from node 1 works on node 2
    data = large_pdf(900_000)
    started = requests.post(
        f"{node1.url}/api/v1/blobs/uploads",
        headers=headers,
        json={"sha256": _sha256(data), "size": len(data)},
        timeout=TIMEOUT,
    )
    assert started.status_code == 201, started.text
    upload_id = started.json()["upload_id"]
    half = len(data) // 2
    assert _patch(node1, headers, upload_id, 0, data[:half]).json()["offset"] == half

    # The load balancer sends the rest to node 2, which never saw the first half.
    told = requests.head(
        f"{node2.url}/api/v1/blobs/uploads/{upload_id}", headers=headers, timeout=TIMEOUT
    )
    assert told.status_code == 204 and told.headers["Upload-Offset"] == str(half)
    done = _patch(node2, headers, upload_id, half, data[half:])
    assert done.status_code == 200, done.text
    assert done.json()["complete"] is True

    for node in (node1, node2):
        read = requests.get(
            f"{node.url}/api/v1/blobs/{_sha256(data)}", headers=headers, timeout=TIMEOUT
        )
        assert read.status_code == 200, read.text
        assert _sha256(read.content) == _sha256(data)


def _page(node: Node, headers: dict[str, str], since: str | None) -> dict[str, Any]:
    query = "?limit=25" + (f"&since={since}" if since else "")
    response = requests.get(f"{node.url}/api/v1/sync/changes{query}", headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def _pull_all(node: Node, headers: dict[str, str]) -> list[tuple[str, str]]:
    got: list[tuple[str, str]] = []
    since = None
    while True:
        page = _page(node, headers, since)
        got += [(c["entity"], c["id"]) for c in page["changes"]]
        since = page["cursor"]
        if not page["has_more"]:
            return got


def test_a_pull_cut_by_a_node_dying_resumes_on_the_other_with_nothing_skipped_or_doubled(
    nodes: tuple[Node, Node],
) -> None:
    node1, node2 = nodes
    headers = _sign_in(node2, "clerk1")
    whole = _pull_all(node2, headers)
    assert len(whole) > 75  # several pages of 25

    got: list[tuple[str, str]] = []
    first = _page(node1, headers, None)
    got += [(c["entity"], c["id"]) for c in first["changes"]]
    second = _page(node1, headers, first["cursor"])
    got += [(c["entity"], c["id"]) for c in second["changes"]]
    assert second["has_more"]
    node1.kill()
    with pytest.raises(requests.ConnectionError):
        _page(node1, headers, second["cursor"])

    # The client goes to the node still standing with the cursor it holds.
    since = second["cursor"]
    while True:
        page = _page(node2, headers, since)
        got += [(c["entity"], c["id"]) for c in page["changes"]]
        since = page["cursor"]
        if not page["has_more"]:
            break
    assert Counter(got) == Counter(whole)
    assert max(Counter(got).values()) == 1
