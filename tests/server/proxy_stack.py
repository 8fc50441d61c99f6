"""The shipped deployment on loopback, for real: gunicorn with installer/server/
gunicorn.conf.py serving the app, and nginx in front with installer/server/nginx-ecas.conf
(only its ports, certificate, upstream and log paths changed), TLS with a throw-away
certificate. Clients can come from different loopback addresses (127.0.0.2, 127.0.0.3 …),
which nginx sees as different clients, as it would different people on the internet."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.conftest import DEMO_PASSWORD, REPO, free_port

SERVER_DIR = REPO / "installer" / "server"
BIN = Path(sys.executable).parent
HOST = "ecas.court.example"
BASE_URL = f"https://{HOST}"

needs_nginx = pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx is not installed (scripts/test.sh installs it)"
)


class FromAddress(HTTPAdapter):
    """Connections from one loopback source address (the whole 127/8 is this machine's)."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(source: str, ca: Path) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy or CA bundle from the environment: this is loopback
    session.mount("http://", FromAddress(source))
    session.mount("https://", FromAddress(source))
    session.verify = str(ca)
    session.headers["Host"] = HOST
    return session


@dataclass
class Stack:
    env: dict[str, str]
    folder: Path
    gunicorn_port: int
    http_port: int
    https_port: int

    @property
    def https(self) -> str:
        """nginx's TLS site (what the internet reaches)."""
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def direct(self) -> str:
        """gunicorn itself, around the proxy."""
        return f"http://127.0.0.1:{self.gunicorn_port}"

    @property
    def ca(self) -> Path:
        return self.folder / "fullchain.pem"

    def client(self, source: str) -> requests.Session:
        return client_from(source, self.ca)


def _run(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [str(BIN / "ecas-server"), *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr


def _certificate(folder: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip


def nginx_site(
    folder: Path, gunicorn_port: int | Sequence[int], http_port: int, https_port: int
) -> str:
    """The shipped site with loopback ports, the test certificate and log folder; every
    change must apply, so a reworded shipped file fails here rather than being tested
    half-changed. Several gunicorn ports make an upstream of several nodes (nginx's
    default round robin), as docs/DEPLOYMENT.md lays out."""
    site = (SERVER_DIR / "nginx-ecas.conf").read_text()
    ports = [gunicorn_port] if isinstance(gunicorn_port, int) else list(gunicorn_port)
    servers = "\n    ".join(f"server 127.0.0.1:{port};" for port in ports)
    changes = [
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen \[::\]:80;\n", ""),
        (r"listen 443 ssl( http2)?;", f"listen 127.0.0.1:{https_port} ssl;"),
        (r"listen \[::\]:443 ssl( http2)?;\n", ""),
        (r"server 127\.0\.0\.1:8750;", servers),
        (r"/etc/ssl/ecas/", f"{folder}/"),
        (r"/var/log/nginx/", f"{folder}/"),
    ]
    for pattern, replacement in changes:
        site, count = re.subn(pattern, replacement, site)
        assert count, f"nginx-ecas.conf no longer has {pattern!r}"
    return site


def _nginx_conf(folder: Path) -> str:
    temp = "".join(
        f"  {kind}_temp_path {folder}/{kind}_temp;\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nworker_processes 1;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n{temp}  include {folder}/ecas.conf;\n}}\n"
    )


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path, **kwargs: Any) -> None:
    deadline = time.monotonic() + 90
    while True:
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(url, timeout=5, **kwargs).status_code < 500:
                return
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, f"{url} did not answer within 90 s"
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def proxy_stack(folder: Path, cases: int = 4, **settings: str) -> Iterator[Stack]:
    """A seeded SQLite server under gunicorn behind nginx; ``settings`` add ``ECAS_*``
    variables."""
    data = folder / "data"
    env = {
        **os.environ,
        "ECAS_DATA_DIR": str(data),
        "ECAS_SECRET_KEY": "proxy-" + uuid.uuid4().hex,
        "ECAS_PORTAL_BASE_URL": BASE_URL,
        "ECAS_TRUSTED_PROXIES": "127.0.0.1",
        "ECAS_GUNICORN_WORKERS": "2",
        "ECAS_GUNICORN_THREADS": "2",
        "PYTHONPATH": str(REPO),
        **settings,
    }
    env.pop("ECAS_DATABASE_URL", None)
    env.pop("ECAS_BLOB_URL", None)
    _run(env, "init-db")
    _run(env, "seed-demo", "--cases", str(cases), "--password", DEMO_PASSWORD)
    stack = Stack(env, folder, free_port(), free_port(), free_port())
    env["ECAS_GUNICORN_BIND"] = f"127.0.0.1:{stack.gunicorn_port}"
    gunicorn_log = folder / "gunicorn.log"
    with gunicorn_log.open("wb") as out:
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(SERVER_DIR / "gunicorn.conf.py"),
             "sync_server.app:create_app()"],
            env=env, cwd=folder, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for(f"{stack.direct}/healthz", gunicorn, gunicorn_log, headers={"Host": HOST})
        with nginx_in_front(folder, [stack.gunicorn_port], stack.http_port, stack.https_port):
            yield stack
    finally:
        _stop(gunicorn)


@contextlib.contextmanager
def nginx_in_front(
    folder: Path, gunicorn_ports: Sequence[int], http_port: int, https_port: int
) -> Iterator[None]:
    """nginx with the shipped site (a throw-away certificate in ``folder``) proxying to
    the gunicorn nodes at ``gunicorn_ports``, answering once its TLS site does: at least
    one node must be up."""
    _certificate(folder)
    (folder / "ecas.conf").write_text(nginx_site(folder, gunicorn_ports, http_port, https_port))
    (folder / "nginx.conf").write_text(_nginx_conf(folder))
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / f"{kind}_temp").mkdir(exist_ok=True)
    nginx_log = folder / "nginx.out"
    with nginx_log.open("wb") as out:
        nginx = subprocess.Popen(
            ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"),
             "-e", str(folder / "error.log"), "-g", "daemon off;"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for(
            f"https://127.0.0.1:{https_port}/healthz",
            nginx,
            nginx_log,
            headers={"Host": HOST},
            verify=folder / "fullchain.pem",
        )
        yield
    finally:
        _stop(nginx)
