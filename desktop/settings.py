"""Every desktop setting, declared once, typed, over ``QSettings``.

The organisation and application names are fixed, so IT staff can preset values for all
users in the system scope (``/etc/xdg/ECAS/ECAS Desktop.conf`` on Linux,
``HKLM\\Software\\ECAS\\ECAS Desktop`` on Windows). A user's own value wins over a preset,
unless IT locks the setting by setting ``locked/<key>`` to true in the system scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings

from desktop.paths import APP_NAME, ORGANISATION


@dataclass(frozen=True)
class Option:
    key: str
    kind: type
    default: Any
    title: str
    minimum: int | None = None
    maximum: int | None = None


SERVER_URL = Option("sync/server_url", str, "http://127.0.0.1:8750", "Server address")
SYNC_INTERVAL = Option("sync/interval_seconds", int, 60, "Sync every (seconds)", 10, 3600)
CACHE_MB = Option("documents/cache_mb", int, 2048, "Document cache size (MB)", 100, 100_000)
PREFETCH_DAYS = Option(
    "documents/prefetch_days", int, 7, "Keep documents of hearings in the next (days)", 0, 60
)
VIEWER_CACHE_MB = Option("viewer/page_cache_mb", int, 256, "Viewer page cache (MB)", 32, 4096)
IDLE_LOCK_MINUTES = Option(
    "security/idle_lock_minutes", int, 30, "Lock after idle (minutes)", 1, 240
)
CA_BUNDLE = Option("sync/ca_bundle", str, "", "TLS certificate bundle (empty: system)")
LAST_USERNAME = Option("session/last_username", str, "", "Last username")
# Not in the settings window: true, every sign-out removes this computer's copy (records,
# documents, key file; refused while changes wait to be sent). IT presets it in the system
# scope and locks it (locked/security/remove_copy_on_sign_out = true) to require removal.
REMOVE_COPY_ON_SIGN_OUT = Option(
    "security/remove_copy_on_sign_out", bool, False, "Remove this computer's copy at sign-out"
)

OPTIONS = (
    SERVER_URL,
    SYNC_INTERVAL,
    CACHE_MB,
    PREFETCH_DAYS,
    VIEWER_CACHE_MB,
    IDLE_LOCK_MINUTES,
    CA_BUNDLE,
    LAST_USERNAME,
)


class Settings:
    """Typed access to the declared options (tests pass their own INI-file QSettings)."""

    def __init__(self, user: QSettings | None = None, system: QSettings | None = None) -> None:
        self._user = user or QSettings(
            QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANISATION, APP_NAME
        )
        # A user-scope QSettings also answers from the system scope by default; the user's
        # own values must be told apart from IT's presets, so that fallback is off.
        self._user.setFallbacksEnabled(False)
        self._system = system or QSettings(
            QSettings.Format.NativeFormat, QSettings.Scope.SystemScope, ORGANISATION, APP_NAME
        )

    def _coerce(self, option: Option, raw: Any) -> Any:
        try:
            value = _convert(option.kind, raw)
        except (TypeError, ValueError):
            return option.default
        if option.minimum is not None and value < option.minimum:
            return option.minimum
        if option.maximum is not None and value > option.maximum:
            return option.maximum
        return value

    def is_locked(self, option: Option) -> bool:
        return bool(_convert(bool, self._system.value(f"locked/{option.key}", False)))

    def value(self, option: Option) -> Any:
        if not self.is_locked(option) and self._user.contains(option.key):
            return self._coerce(option, self._user.value(option.key))
        preset = self._system.value(option.key)
        if preset is not None and preset != "":
            # An empty preset means "no preset": installers that can't skip a value (the
            # MSI writes every preset, empty when IT gave none) leave the default in force.
            return self._coerce(option, preset)
        return option.default

    def user_scope(self) -> QSettings:
        """The user's own QSettings, for state a window keeps between sessions (its size,
        a document's last page: ``desktop.viewer.viewer_memory``), never IT's presets."""
        return self._user

    def set(self, option: Option, value: Any) -> bool:
        """Save the user's value; False (and nothing saved) when IT locked the setting."""
        if self.is_locked(option):
            return False
        self._user.setValue(option.key, self._coerce(option, value))
        self._user.sync()
        return True


def _convert(kind: type, raw: Any) -> Any:
    if kind is bool:
        if isinstance(raw, str):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return bool(raw)
    return kind(raw)
