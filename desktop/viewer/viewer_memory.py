"""What the viewer remembers between sessions, per user: the window's size and place, where
the split between the two sides sits, and for each document its last page and zoom.

Kept in the user's ``QSettings`` (``desktop.settings.Settings.user_scope()``, or an INI
file in tests) under ``viewer/<user>/``: ``geometry`` as Qt's own state bytes, ``split``
as the first side's share of the width (0.1 to 0.9), ``documents`` as one JSON object
{document key: {"page", "zoom", "mode", "seen"}}. A document's key is its record id (a
case document) or its SHA-256 (a file opened from disk). Only the ``MAX_DOCUMENTS`` most
recently seen are kept, so the file stays small.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

MAX_DOCUMENTS = 500
ZOOM_MODES = ("fit_width", "fit_page", "custom")


@dataclass(frozen=True)
class DocumentPlace:
    page: int  # 0-based
    zoom: float  # 1.0 = 100 %
    mode: str  # "fit_width" | "fit_page" | "custom"


class ViewerMemory:
    """The viewer's remembered state for one user (see the module docstring)."""

    def __init__(self, settings: QSettings, user: str = "local") -> None:
        self._settings = settings
        self._prefix = f"viewer/{user or 'local'}/"
        self._documents: dict[str, dict[str, float | int | str]] | None = None

    # --- the window ------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        return self._bytes("geometry")

    def set_geometry(self, state: QByteArray) -> None:
        self._settings.setValue(self._prefix + "geometry", state)

    def split(self) -> float | None:
        """The first side's share of the split view's width, as it was left."""
        try:
            share = float(self._settings.value(self._prefix + "split", 0.0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return share if 0.1 <= share <= 0.9 else None

    def set_split(self, share: float) -> None:
        self._settings.setValue(self._prefix + "split", round(min(0.9, max(0.1, share)), 4))

    def _bytes(self, name: str) -> QByteArray | None:
        value = self._settings.value(self._prefix + name)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, bytes) and value:
            return QByteArray(value)
        return None

    # --- documents -------------------------------------------------------------------

    def place(self, key: str) -> DocumentPlace | None:
        """Where ``key``'s document was left, or None if it was never read here."""
        entry = self._all().get(key) if key else None
        if entry is None:
            return None
        try:
            page = max(0, int(entry["page"]))
            zoom = float(entry["zoom"])
            mode = str(entry.get("mode", "custom"))
        except (KeyError, TypeError, ValueError):
            return None
        if mode not in ZOOM_MODES or not 0.01 <= zoom <= 100:
            return None
        return DocumentPlace(page, zoom, mode)

    def remember(self, key: str, place: DocumentPlace) -> None:
        if not key:
            return
        documents = self._all()
        documents.pop(key, None)  # re-inserted last: the most recently seen
        documents[key] = {
            "page": place.page,
            "zoom": round(place.zoom, 4),
            "mode": place.mode,
            "seen": int(time.time()),
        }
        while len(documents) > MAX_DOCUMENTS:
            documents.pop(next(iter(documents)))

    def save(self) -> None:
        """Write what was remembered since the last save (QSettings syncs it to disk)."""
        if self._documents is not None:
            self._settings.setValue(self._prefix + "documents", json.dumps(self._documents))
        self._settings.sync()

    def _all(self) -> dict[str, dict[str, float | int | str]]:
        if self._documents is None:
            raw = self._settings.value(self._prefix + "documents", "")
            try:
                found = json.loads(str(raw)) if raw else {}
            except ValueError:
                found = {}
            self._documents = found if isinstance(found, dict) else {}
        return self._documents
