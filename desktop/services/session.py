"""Signing in: online with the server, or offline with the local copy.

After an online sign-in the refresh token goes to the OS keyring (updated on every
rotation) and an argon2id verifier of the password to the local store, so the same person
can open their local copy when the server is down. Without a keyring the sign-in lasts for
this session only, and the user is told so.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from desktop import credentials
from desktop.api_client import ApiClient, ApiError, Offline, Session
from desktop.local_store import LocalStore
from desktop.offline_auth import check_password, remember_password
from desktop.paths import store_path

_USER_KEY = "signed_in_user"


@dataclass
class SignedIn:
    client: ApiClient
    store: LocalStore
    user: dict[str, Any]
    online: bool
    notice: str | None = None

    @property
    def role(self) -> str:
        return str(self.user.get("role", ""))


def _keep_tokens(client: ApiClient, server_url: str, username: str) -> str | None:
    """Route every (rotated) refresh token to the keyring; the notice when there is none."""

    def save(session: Session) -> None:
        credentials.save_refresh_token(server_url, username, session.refresh_token)

    client.on_tokens = save
    if client.session is not None:
        save(client.session)
    return None if credentials.keyring_available() else credentials.NO_KEYRING_NOTICE


def sign_in(
    server_url: str,
    username: str,
    password: str,
    *,
    base_dir: Path | None = None,
    verify: bool | str = True,
) -> SignedIn:
    """Sign in online, or offline when the server can't be reached and this user has
    signed in on this computer before. Raises :class:`ApiError` with a clear message."""
    store = LocalStore(store_path(server_url, username, base_dir))
    client = ApiClient(server_url, verify=verify, client_id=store.client_id)
    try:
        session = client.login(username, password)
    except Offline as err:
        saved = store.get_state(_USER_KEY)
        if saved is None:
            raise ApiError(
                f"{err} You have not signed in on this computer before, so there is "
                "no local copy to open yet.",
                kind="offline",
            ) from err
        if not check_password(store, password):
            raise ApiError(
                "The password is wrong (checked against this computer's copy, "
                "since the server can't be reached).",
                kind="auth",
            ) from err
        return SignedIn(
            client,
            store,
            orjson.loads(saved),
            online=False,
            notice="Working offline with this computer's copy. Changes are "
            "kept and sent when the server is back.",
        )
    remember_password(store, password)
    with store.transaction() as conn:
        store.set_state(conn, _USER_KEY, orjson.dumps(session.user).decode())
    notice = _keep_tokens(client, server_url, username)
    return SignedIn(client, store, session.user, online=True, notice=notice)


def resume(
    server_url: str, username: str, *, base_dir: Path | None = None, verify: bool | str = True
) -> SignedIn | None:
    """Sign in again with the refresh token in the keyring; None if there is none or the
    server refused it (the sign-in dialog then asks for the password)."""
    token = credentials.load_refresh_token(server_url, username)
    if token is None:
        return None
    store = LocalStore(store_path(server_url, username, base_dir))
    client = ApiClient(server_url, verify=verify, client_id=store.client_id)
    try:
        session = client.resume(token)
    except ApiError:
        return None
    _keep_tokens(client, server_url, username)
    return SignedIn(client, store, session.user, online=True)


def sign_out(signed_in: SignedIn, server_url: str) -> None:
    username = str(signed_in.user.get("username", ""))
    credentials.forget_refresh_token(server_url, username)
    with contextlib.suppress(ApiError):  # offline: the token dies when it expires
        signed_in.client.logout()
