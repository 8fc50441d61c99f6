"""Keeping the refresh token in the OS keyring — or nowhere.

On a machine without a keyring backend (a headless Linux box, a locked-down terminal
server) the token is kept for this session only and the user is told; it is never written
to a plain file.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors
from keyring.backends import fail

from desktop.paths import server_slug

SERVICE = "ECAS Desktop"

NO_KEYRING_NOTICE = (
    "This computer has no password store (keyring), so you stay signed in only until you "
    "close ECAS. Nothing secret is saved on disk."
)


def keyring_available() -> bool:
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and backend.priority > 0


def _account(server_url: str, username: str) -> str:
    return f"{server_slug(server_url)}:{username.lower()}"


def save_refresh_token(server_url: str, username: str, token: str) -> bool:
    """Store the token; False when there is no keyring (session-only sign-in)."""
    if not keyring_available():
        return False
    try:
        keyring.set_password(SERVICE, _account(server_url, username), token)
    except keyring.errors.KeyringError:
        return False
    return True


def load_refresh_token(server_url: str, username: str) -> str | None:
    if not keyring_available():
        return None
    try:
        return keyring.get_password(SERVICE, _account(server_url, username))
    except keyring.errors.KeyringError:
        return None


def forget_refresh_token(server_url: str, username: str) -> None:
    if not keyring_available():
        return
    with contextlib.suppress(keyring.errors.KeyringError):  # nothing was stored
        keyring.delete_password(SERVICE, _account(server_url, username))
