"""Settings: IT's presets in the system scope, the user's own values, IT's locks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.settings import CACHE_MB, IDLE_LOCK_MINUTES, SERVER_URL, SYNC_INTERVAL, Settings


def _settings(folder: Path) -> tuple[Settings, QSettings]:
    system = QSettings(str(folder / "system.ini"), QSettings.Format.IniFormat)
    user = QSettings(str(folder / "user.ini"), QSettings.Format.IniFormat)
    return Settings(user, system), system


def test_presets_apply_users_override_unless_locked(tmp_path: Path) -> None:
    settings, system = _settings(tmp_path)
    assert settings.value(SYNC_INTERVAL) == 60  # the declared default
    system.setValue(SERVER_URL.key, "https://ecas.court.example")
    system.setValue(SYNC_INTERVAL.key, 120)
    system.setValue(IDLE_LOCK_MINUTES.key, 10)
    system.setValue(f"locked/{IDLE_LOCK_MINUTES.key}", True)
    system.sync()
    assert settings.value(SERVER_URL) == "https://ecas.court.example"
    assert settings.value(SYNC_INTERVAL) == 120

    assert settings.set(SYNC_INTERVAL, 30)  # not locked: the user's value wins
    assert settings.value(SYNC_INTERVAL) == 30
    assert not settings.set(IDLE_LOCK_MINUTES, 240)  # locked by IT: refused, unchanged
    assert settings.value(IDLE_LOCK_MINUTES) == 10
    assert settings.is_locked(IDLE_LOCK_MINUTES) and not settings.is_locked(SYNC_INTERVAL)


def test_values_are_typed_and_kept_within_their_range(tmp_path: Path) -> None:
    settings, system = _settings(tmp_path)
    system.setValue(CACHE_MB.key, "not a number")
    system.setValue(SYNC_INTERVAL.key, 1)
    assert settings.value(CACHE_MB) == CACHE_MB.default
    assert settings.value(SYNC_INTERVAL) == SYNC_INTERVAL.minimum


def test_the_dialog_saves_unlocked_settings_and_shows_locked_ones_read_only(
    qtbot: object, tmp_path: Path
) -> None:
    from desktop.ui.settings_dialog import SettingsDialog

    settings, system = _settings(tmp_path)
    system.setValue(SERVER_URL.key, "https://ecas.court.example")
    system.setValue(f"locked/{SERVER_URL.key}", True)
    system.sync()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    server = dialog.editors[SERVER_URL.key]
    assert not server.isEnabled() and "IT department" in server.toolTip()
    interval = dialog.editors[SYNC_INTERVAL.key]
    interval.setValue(300)  # type: ignore[union-attr]
    dialog.save()
    assert settings.value(SYNC_INTERVAL) == 300
    assert settings.value(SERVER_URL) == "https://ecas.court.example"
