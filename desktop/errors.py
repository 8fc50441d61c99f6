"""The errors the desktop's services hand to its widgets.

They live apart from :mod:`desktop.api_client` so that a widget can tell an offline server
from a refused request (``err.kind``) without importing the HTTP client: widgets never talk
to the network themselves (the import-linter contract "widgets import no storage and no
network" in ``pyproject.toml`` holds them to that).
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A request that did not succeed; ``kind`` lets callers react without parsing text."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        status: int | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind  # "offline", "auth", "conflict", "refused", "server", "integrity"
        self.status = status
        self.body = body or {}


class Offline(ApiError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"The server at {url} can't be reached. You can keep working: "
            "changes are kept on this computer and sent when it is back.",
            kind="offline",
        )
