"""IT's presets through the real system scope: the file the .deb documents, read by the client.

tests/desktop/test_settings.py covers the rules with explicit INI files; here the client
builds its QSettings itself (native format, system scope), as on a workstation, with the
XDG folders pointed at a temporary "/etc/xdg" and home. Each step runs in a fresh process,
like separate starts of the client.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

EXAMPLE = REPO / "installer" / "debian" / "ECAS-Desktop.conf"

# Runs inside the client's environment and prints what it sees as JSON.
PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
from desktop import settings as s
from desktop.ui.settings_dialog import SettingsDialog

app = QApplication([])
settings = s.Settings()
for key, value in json.loads(sys.argv[1]).items():
    option = next(o for o in s.OPTIONS if o.key == key)
    settings.set(option, value)
dialog = SettingsDialog(settings)
print(json.dumps({
    o.key: {
        "value": settings.value(o),
        "locked": settings.is_locked(o),
        "editable": dialog.editors[o.key].isEnabled(),
    }
    for o in s.OPTIONS if o.key in dialog.editors
}))
"""


def _client_sees(tmp_path: Path, user_sets: dict[str, object] | None = None) -> dict[str, dict]:
    env = {
        **os.environ,
        "XDG_CONFIG_DIRS": str(tmp_path / "etc-xdg"),
        "XDG_CONFIG_HOME": str(tmp_path / "home-config"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(user_sets or {})],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _install_presets(tmp_path: Path, edits: dict[str, str]) -> Path:
    """Copy the shipped example to <xdg>/ECAS/ECAS Desktop.conf, uncommenting ``edits``."""
    text = EXAMPLE.read_text()
    for line, value in edits.items():
        commented = f"#{line}="
        assert commented in text, f"the example no longer offers {line}"
        start = text.index(commented)
        end = text.index("\n", start)
        text = text[:start] + f"{line}={value}" + text[end:]
    target = tmp_path / "etc-xdg" / "ECAS" / "ECAS Desktop.conf"
    target.parent.mkdir(parents=True)
    target.write_text(text)
    return target


@pytest.mark.slow
def test_presets_from_the_system_file_apply_and_only_unlocked_ones_yield(tmp_path: Path) -> None:
    _install_presets(
        tmp_path,
        {
            "server_url": "https://ecas.court.example",
            "ca_bundle": "/usr/local/share/ca-certificates/court-ca.crt",
            "interval_seconds": "120",
            "cache_mb": "4096",
            "prefetch_days": "14",
            "idle_lock_minutes": "10",
            "sync\\server_url": "true",
            "security\\idle_lock_minutes": "true",
        },
    )
    seen = _client_sees(tmp_path)
    assert seen["sync/server_url"] == {
        "value": "https://ecas.court.example",
        "locked": True,
        "editable": False,
    }
    assert seen["sync/ca_bundle"]["value"] == "/usr/local/share/ca-certificates/court-ca.crt"
    assert seen["sync/interval_seconds"] == {"value": 120, "locked": False, "editable": True}
    assert seen["documents/cache_mb"]["value"] == 4096
    assert seen["documents/prefetch_days"]["value"] == 14
    assert seen["security/idle_lock_minutes"] == {"value": 10, "locked": True, "editable": False}

    # The user changes an unlocked setting and tries the locked ones.
    _client_sees(
        tmp_path,
        {
            "sync/interval_seconds": 300,
            "security/idle_lock_minutes": 240,
            "sync/server_url": "http://elsewhere.example",
        },
    )
    again = _client_sees(tmp_path)  # a later start of the client
    assert again["sync/interval_seconds"]["value"] == 300  # the user's own value wins
    assert again["security/idle_lock_minutes"]["value"] == 10  # locked: IT's value stays
    assert again["sync/server_url"]["value"] == "https://ecas.court.example"
    user_file = tmp_path / "home-config" / "ECAS" / "ECAS Desktop.conf"
    assert "interval_seconds=300" in user_file.read_text()
    assert "elsewhere" not in user_file.read_text()  # a refused value is not even stored


@pytest.mark.slow
def test_the_untouched_example_and_empty_presets_leave_the_defaults(tmp_path: Path) -> None:
    from desktop.settings import OPTIONS

    # Every line of the example commented out, plus empty values as the MSI writes them for
    # presets IT did not give: the client's own defaults apply and nothing is locked.
    target = _install_presets(tmp_path, {})
    target.write_text(
        target.read_text()
        + "\n[sync]\nserver_url=\ninterval_seconds=\n[locked]\nsync\\ca_bundle=\n"
    )
    seen = _client_sees(tmp_path)
    defaults = {o.key: o.default for o in OPTIONS}
    for key, state in seen.items():
        assert state["value"] == defaults[key], key
        assert not state["locked"] and state["editable"], key


@pytest.mark.slow
def test_out_of_range_and_malformed_presets_are_kept_within_bounds(tmp_path: Path) -> None:
    _install_presets(tmp_path, {"interval_seconds": "5", "cache_mb": "lots"})
    seen = _client_sees(tmp_path)
    assert seen["sync/interval_seconds"]["value"] == 10  # the declared minimum
    assert seen["documents/cache_mb"]["value"] == 2048  # not a number: the default
