"""The Windows Installer sources compile with Debian's wixl (scripts/installer.sh msi) and
the package holds what IT relies on: a per-machine install into Program Files, a Start menu
shortcut, in-place upgrades, and the presets written where the client reads them
(HKLM\\Software\\ECAS\\ECAS Desktop, the QSettings system scope on Windows)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

needs_msitools = pytest.mark.skipif(
    shutil.which("wixl") is None or shutil.which("msiinfo") is None,
    reason="Debian's wixl and msitools are not installed (scripts/test.sh installs them as root)",
)


def _table(msi: Path, name: str) -> list[list[str]]:
    text = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True
    ).stdout
    return [line.split("\t") for line in text.splitlines()[3:]]


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A Windows-shaped payload: the layout PyInstaller makes on Windows (two executables
    # and _internal/), with small stand-in files so the test runs in seconds.
    payload = tmp_path_factory.mktemp("payload")
    (payload / "_internal" / "resources").mkdir(parents=True)
    for name in ("ecas-desktop.exe", "ecas-desktop-cli.exe", "_internal/python311.dll"):
        (payload / name).write_bytes(b"MZ" + name.encode())
    (payload / "_internal" / "resources" / "deadline_rules.json").write_text("{}")
    out = tmp_path_factory.mktemp("msi") / "ecas-desktop.msi"
    subprocess.run(
        [
            "bash",
            str(REPO / "scripts" / "installer.sh"),
            "msi",
            "--payload",
            str(payload),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


@needs_msitools
def test_the_package_installs_per_machine_with_every_payload_file(msi: Path) -> None:
    properties = dict(row[:2] for row in _table(msi, "Property"))
    assert properties["ALLUSERS"] == "1"  # per machine
    assert properties["ProductName"] == "ECAS Desktop"
    upgrades = _table(msi, "Upgrade")
    assert upgrades and upgrades[0][0] == properties["UpgradeCode"]  # replaces older versions
    files = {row[2].split("|")[-1] for row in _table(msi, "File")}
    assert {"ecas-desktop.exe", "ecas-desktop-cli.exe", "python311.dll"} <= files
    assert "deadline_rules.json" in files
    directories = {row[0]: row[2] for row in _table(msi, "Directory")}
    assert directories["INSTALLDIR"].endswith("ECAS Desktop")
    assert "ProgramFiles64Folder" in directories
    (shortcut,) = _table(msi, "Shortcut")
    assert shortcut[1] == "ProgramMenuFolder" and shortcut[4] == "[INSTALLDIR]ecas-desktop.exe"


@needs_msitools
def test_presets_and_locks_go_to_the_system_scope_the_client_reads(msi: Path) -> None:
    from desktop.settings import CA_BUNDLE, OPTIONS

    registry = {
        (row[2], row[3]): row[4]
        for row in _table(msi, "Registry")
        if row[1] == "2"  # HKLM
    }
    base = "Software\\ECAS\\ECAS Desktop"
    presets = {
        "sync/server_url": "SERVERURL",
        CA_BUNDLE.key: "CABUNDLE",
        "sync/interval_seconds": "SYNCINTERVAL",
        "documents/cache_mb": "CACHEMB",
        "documents/prefetch_days": "PREFETCHDAYS",
        "security/idle_lock_minutes": "IDLELOCK",
    }
    declared = {o.key for o in OPTIONS}
    for key, prop in presets.items():
        assert key in declared, f"{key} is not a client setting"
        group, name = key.split("/")
        # QSettings maps the key group/name to the subkey group and the value name.
        assert registry[(f"{base}\\{group}", name)] == f"[{prop}]"
        assert registry[(f"{base}\\locked\\{group}", name)] == f"[LOCK{prop}]"
