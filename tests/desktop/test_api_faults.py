"""Whatever the network or a proxy does to an answer, the desktop client says so in one
line — never a traceback: a connection reset half-way through the body, JSON cut off, an
answer in a shape this version doesn't know, a proxy's HTML 502 page, a download that
breaks off. The server here is a small fault server of the test's own on loopback."""

from __future__ import annotations

import os
import socket
import socketserver
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest

from desktop.api_client import ApiClient, ApiError, Session
from tests.conftest import REPO

SHA = "ab" * 32
TOKENS = {
    "access_token": "access",
    "refresh_token": "refresh",
    "expires_in": 900,
    "user": {
        "id": "00000000-0000-0000-0000-000000000001",
        "username": "clerk1",
        "role": "clerk",
        "court_id": None,
        "display_name": "Clerk One",
    },
}
HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body></html>\r\n"
)


@dataclass
class FaultServer:
    """Answers every request with the fault of its ``fault`` attribute; a path listed in
    ``good`` gets its right answer instead (so a test can sign in, then fail)."""

    fault: str = "reset"
    good: dict[str, bytes] = field(default_factory=dict)
    server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def handle(self, conn: socket.socket) -> None:
        stream = conn.makefile("rb")
        request_line = stream.readline().decode()
        length = 0
        while (line := stream.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        stream.read(length)
        path = request_line.split(" ")[1].split("?")[0]
        if path in self.good:
            self._send(conn, 200, "application/json", self.good[path])
        elif self.fault == "reset":
            # Promise a long body, send a piece of it, then reset the connection (RST).
            head = b'{"changes": [], "results": [], "access_token": "abc'
            self._send(conn, 200, "application/json", head, length=4096)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif self.fault == "truncated":
            self._send(conn, 200, "application/json", b'{"changes": [{"entity": "case", "i')
        elif self.fault == "schema":
            self._send(conn, 200, "application/json", b'{"hello": "an older server", "n": 1}')
        elif self.fault == "html502":
            self._send(conn, 502, "text/html", HTML_502, reason="Bad Gateway")
        elif self.fault == "html200":
            self._send(conn, 200, "text/html", b"<html><body>Sign in to the Wi-Fi</body></html>")
        else:
            raise AssertionError(self.fault)

    @staticmethod
    def _send(
        conn: socket.socket,
        status: int,
        content_type: str,
        body: bytes,
        *,
        length: int | None = None,
        reason: str = "OK",
    ) -> None:
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body) if length is None else length}\r\n"
            "Connection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + body)


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    fault_server = FaultServer()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            fault_server.handle(self.request)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fault_server.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fault_server
    server.shutdown()
    server.server_close()


def _signed_in(url: str) -> ApiClient:
    client = ApiClient(url)
    client.session = Session("access", "refresh", dict(TOKENS["user"]))  # type: ignore[arg-type]
    return client


def _download(client: ApiClient) -> None:
    for _chunk in client.download(SHA):
        pass


CALLS: dict[str, Callable[[ApiClient], object]] = {
    "changes": lambda client: client.changes(None),
    "push": lambda client: client.push("client-1", [{"entity": "case"}]),
    "login": lambda client: client.login("clerk1", "a password"),
    "refresh": lambda client: client.refresh(),
    "download": _download,
}


def _failure(faults: FaultServer, call: str) -> ApiError:
    client = _signed_in(faults.url)
    with pytest.raises(ApiError) as caught:
        CALLS[call](client)
    return caught.value


def _one_readable_line(err: ApiError) -> str:
    message = str(err)
    assert "\n" not in message and "\r" not in message, message
    assert len(message) < 400, message
    assert "Traceback" not in message and "Error(" not in message, message
    return message


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_connection_reset_mid_answer_says_it_broke_off(faults: FaultServer, call: str) -> None:
    faults.fault = "reset"
    err = _failure(faults, call)
    message = _one_readable_line(err)
    assert err.kind == "offline"
    assert "broke off" in message
    assert "try again" in message or "resumes" in message


@pytest.mark.parametrize("call", ["changes", "push", "login", "refresh"])
def test_an_answer_cut_off_mid_json_says_to_try_again(faults: FaultServer, call: str) -> None:
    faults.fault = "truncated"
    err = _failure(faults, call)
    message = _one_readable_line(err)
    assert err.kind == "server"
    assert "cut off or garbled" in message and "try again" in message


@pytest.mark.parametrize("call", ["changes", "push", "login", "refresh"])
def test_an_answer_of_another_shape_says_the_server_may_be_another_version(
    faults: FaultServer, call: str
) -> None:
    faults.fault = "schema"
    err = _failure(faults, call)
    message = _one_readable_line(err)
    assert err.kind == "server"
    assert "another version" in message and "IT staff" in message


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_proxy_502_page_says_the_server_may_be_restarting(faults: FaultServer, call: str) -> None:
    faults.fault = "html502"
    err = _failure(faults, call)
    message = _one_readable_line(err)
    assert err.kind == "offline" and err.status == 502
    assert "502 Bad Gateway" in message and "restarting" in message
    assert "<html>" not in message


@pytest.mark.parametrize("call", ["changes", "push", "login"])
def test_a_web_page_instead_of_the_server_says_a_proxy_is_in_the_way(
    faults: FaultServer, call: str
) -> None:
    faults.fault = "html200"
    err = _failure(faults, call)
    message = _one_readable_line(err)
    assert err.kind == "offline"
    assert "web page" in message and "proxy" in message


def test_a_refresh_whose_answer_is_lost_keeps_the_session_for_a_retry(
    faults: FaultServer,
) -> None:
    faults.fault = "truncated"
    client = _signed_in(faults.url)
    with pytest.raises(ApiError):
        client.refresh()
    # The refresh token is kept: the server accepts it once more for a short while from
    # this client, so losing one answer does not sign anyone out.
    assert client.session is not None and client.session.refresh_token == "refresh"


def test_a_headless_sync_that_meets_a_broken_answer_exits_with_one_line(
    faults: FaultServer, tmp_path: Path
) -> None:
    faults.good["/api/v1/auth/login"] = orjson.dumps(TOKENS)
    faults.fault = "truncated"
    env = {**os.environ, "PYTHONPATH": str(REPO), "ECAS_PASSWORD": "a password"}
    args = ["sync", "--server", faults.url, "--username", "clerk1", "--data-dir", str(tmp_path)]
    result = subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Sync failed: The server's answer to the request for changes")
