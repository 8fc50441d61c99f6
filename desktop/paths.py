"""Where the desktop keeps its files (per-user folders from platformdirs)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

APP_NAME = "ECAS Desktop"
ORGANISATION = "ECAS"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, ORGANISATION))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, ORGANISATION))


def server_slug(server_url: str) -> str:
    """A file-name-safe name for a server: ``https://ecas.court.gov:8443`` ->
    ``ecas.court.gov_8443``."""
    parts = urlsplit(server_url)
    name = parts.netloc or parts.path
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "server"


def store_path(server_url: str, username: str, base: Path | None = None) -> Path:
    """The local store of one server and one user."""
    safe_user = re.sub(r"[^A-Za-z0-9._-]+", "_", username.lower())
    return (base or data_dir()) / "stores" / f"{server_slug(server_url)}--{safe_user}.sqlite3"
