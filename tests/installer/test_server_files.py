"""The server's deployment files hold together: nginx accepts the TLS site, the systemd units
run commands ecas-server really has, and the settings file names only variables the server
reads."""

from __future__ import annotations

import configparser
import re
import runpy
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from sync_server.cli import _parser
from tests.conftest import REPO

SERVER_DIR = REPO / "installer" / "server"
UNITS = ("ecas-server.service", "ecas-package-worker.service", "ecas-audit-anchor.service")


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(SERVER_DIR / name)
    return parser


def _subcommands() -> set[str]:
    actions = [a for a in _parser()._actions if a.choices and a.dest == "command"]
    return set(actions[0].choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", UNITS)
def test_units_run_existing_commands_as_the_service_user(name: str) -> None:
    unit = _unit(name)["Service"]
    assert unit["User"] == "ecas" and unit["EnvironmentFile"] == "/etc/ecas/server.env"
    assert unit["NoNewPrivileges"] == "yes" and unit["ProtectSystem"] == "strict"
    commands = [unit["ExecStart"], unit.get("ExecStartPre", "")]
    for line in filter(None, commands):
        argv = shlex.split(line)
        if argv[0].endswith("/ecas-server"):
            assert argv[1] in _subcommands(), f"{name}: ecas-server has no {argv[1]!r} command"
        else:
            assert argv[0].endswith("/gunicorn") and argv[-1] == "sync_server.app:create_app()"


def test_the_server_unit_migrates_before_it_serves() -> None:
    unit = _unit("ecas-server.service")["Service"]
    assert shlex.split(unit["ExecStartPre"])[1:] == ["init-db"]


def test_the_settings_example_names_only_variables_the_server_reads() -> None:
    names = re.findall(
        r"^#?(ECAS_[A-Z0-9_]+)=", (SERVER_DIR / "server.env.example").read_text(), re.M
    )
    assert names
    sources = "".join(p.read_text() for p in (REPO / "sync_server").rglob("*.py"))
    used_by_deployment = "".join(
        (SERVER_DIR / f).read_text() for f in ("gunicorn.conf.py", "ecas-backup")
    )
    for name in names:
        assert name in sources or name in used_by_deployment, f"nothing reads {name}"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_tls_site(tmp_path: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=ecas.court.example", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = (SERVER_DIR / "nginx-ecas.conf").read_text()
    site = site.replace("/etc/ssl/ecas/", f"{tmp_path}/").replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "ecas.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/ecas.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_workers_touch_their_liveness_file_in_memory_not_on_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each worker touches its liveness file on every turn of its loop; on the disk-backed
    /tmp that cost ~5 % of a worker's CPU in the morning rush (docs/PERFORMANCE.md)."""
    conf = str(SERVER_DIR / "gunicorn.conf.py")
    monkeypatch.delenv("ECAS_GUNICORN_WORKER_TMP_DIR", raising=False)
    settings = runpy.run_path(conf)
    assert settings["worker_tmp_dir"] == "/dev/shm"
    monkeypatch.setenv("ECAS_GUNICORN_WORKER_TMP_DIR", "/var/lib/ecas/run")
    assert runpy.run_path(conf)["worker_tmp_dir"] == "/var/lib/ecas/run"
