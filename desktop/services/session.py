"""Signing in: online with the server, or offline with the local copy.

After an online sign-in the refresh token goes to the OS keyring (updated on every
rotation) and an argon2id verifier of the password to the local store, so the same person
can open their local copy when the server is down. Without a keyring the sign-in lasts for
this session only, and the user is told so.

Signing out ends the session on the server (the refresh token's family is revoked, its
access tokens stop working), removes the keyring entry and marks the local copy signed out,
so the next start asks for the password even if the keyring entry could not be removed.
Offline, the server can't be told: the keyring entry goes, and the session on the server
ends when its tokens expire.
"""

from __future__ import annotations

from collections.abc import Callable
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
# Set by a sign-out, cleared by the next online sign-in: a token left in the keyring (its
# removal failed) is never used to resume past a sign-out.
_SIGNED_OUT_KEY = "signed_out"


@dataclass
class SignedIn:
    client: ApiClient
    store: LocalStore
    user: dict[str, Any]
    online: bool
    notice: str | None = None
    # The address as the user gave it: the keyring entry is filed under it.
    server_url: str = ""

    def __post_init__(self) -> None:
        if not self.server_url:
            self.server_url = self.client.base_url

    @property
    def role(self) -> str:
        return str(self.user.get("role", ""))

    @property
    def username(self) -> str:
        return str(self.user.get("username", ""))


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
    otp: str | None = None,
    on_busy: Callable[[str], None] | None = None,
) -> SignedIn:
    """Sign in online, or offline when the server can't be reached and this user has
    signed in on this computer before. ``otp`` is the two-factor code, for accounts that
    use one (court administrators); ``on_busy`` is told "The server is busy; retrying in
    N s" while a busy server makes the sign-in wait. Raises :class:`ApiError` with a clear
    message."""
    store = LocalStore(store_path(server_url, username, base_dir))
    client = ApiClient(server_url, verify=verify, client_id=store.client_id)
    if on_busy is not None:
        client.on_busy = on_busy
    try:
        session = client.login(username, password, otp=otp)
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
            server_url=server_url,
        )
    remember_password(store, password)
    with store.transaction() as conn:
        store.set_state(conn, _USER_KEY, orjson.dumps(session.user).decode())
        store.set_state(conn, _SIGNED_OUT_KEY, "")
    notice = _keep_tokens(client, server_url, username)
    return SignedIn(client, store, session.user, online=True, notice=notice, server_url=server_url)


def resume(
    server_url: str, username: str, *, base_dir: Path | None = None, verify: bool | str = True
) -> SignedIn | None:
    """Sign in again with the refresh token in the keyring; None if there is none or the
    server refused it (the sign-in dialog then asks for the password)."""
    token = credentials.load_refresh_token(server_url, username)
    if token is None:
        return None
    store = LocalStore(store_path(server_url, username, base_dir))
    if store.get_state(_SIGNED_OUT_KEY):
        credentials.forget_refresh_token(server_url, username)  # left over: try again
        return None
    client = ApiClient(server_url, verify=verify, client_id=store.client_id)
    try:
        session = client.resume(token)
    except ApiError:
        return None
    _keep_tokens(client, server_url, username)
    return SignedIn(client, store, session.user, online=True, server_url=server_url)


def resume_silently(signed_in: SignedIn) -> bool:
    """Sign in again on the same client and local copy with the keyring's refresh token,
    without the password: after an offline start, or when the server refused to refresh
    the session. False when there is no token to use or the server refused it (then the
    password is needed); raises :class:`ApiError` when the server can't be reached.
    Runs on the sync thread."""
    if signed_in.store.get_state(_SIGNED_OUT_KEY):
        return False
    token = credentials.load_refresh_token(signed_in.server_url, signed_in.username)
    if token is None:
        return False
    try:
        session = signed_in.client.resume(token)
    except ApiError as err:
        if err.kind != "auth":
            signed_in.client.session = None
            raise
        # Refused (ended elsewhere, expired): trying it again would only be refused again.
        credentials.forget_refresh_token(signed_in.server_url, signed_in.username)
        return False
    _back_online(signed_in, session)
    return True


def sign_in_again(signed_in: SignedIn, password: str, otp: str | None = None) -> None:
    """Sign in online with the password, on the same client and local copy, after working
    offline (or after the server ended the session): the queued changes then go out with
    the next sync. Raises :class:`ApiError` (a wrong password, the server gone again)."""
    session = signed_in.client.login(signed_in.username, password, otp=otp)
    remember_password(signed_in.store, password)  # it may have changed on the server
    with signed_in.store.transaction() as conn:
        signed_in.store.set_state(conn, _USER_KEY, orjson.dumps(session.user).decode())
        signed_in.store.set_state(conn, _SIGNED_OUT_KEY, "")
    _back_online(signed_in, session)


def _back_online(signed_in: SignedIn, session: Session) -> None:
    if str(session.user.get("id")) != str(signed_in.user.get("id")):
        # Same username, another account (recreated on the server): this copy's changes
        # were made by the old one and must not go out under the new one.
        signed_in.client.session = None
        raise ApiError(
            "The server now knows this username as a different account, so the changes "
            "on this computer were not sent. Ask your court administrator.",
            kind="refused",
        )
    signed_in.user = session.user
    signed_in.online = True
    signed_in.notice = _keep_tokens(signed_in.client, signed_in.server_url, signed_in.username)


@dataclass(frozen=True)
class SignedOut:
    # True when the server could not be told, so its session lives until its tokens expire.
    server_not_told: bool
    message: str


SIGNED_OUT = "You are signed out."
SIGNED_OUT_OFFLINE = (
    "You are signed out on this computer, and it no longer keeps your session. The server "
    "could not be told (it can't be reached), so the session there ends by itself when its "
    "tokens expire."
)


def sign_out(signed_in: SignedIn) -> SignedOut:
    """Sign out: end the session on the server, forget it on this computer. Runs on a
    worker (it may wait for the network); never raises for an unreachable server."""
    client = signed_in.client
    client.on_tokens = lambda session: None  # a refresh now must not put a token back
    with signed_in.store.transaction() as conn:
        signed_in.store.set_state(conn, _SIGNED_OUT_KEY, "1")
    not_told = False
    try:
        if client.session is None or not client.session.access_token:
            # Signed in offline: the keyring may still hold the last online session's
            # token. If the server answers now, end that session too.
            token = credentials.load_refresh_token(signed_in.server_url, signed_in.username)
            if token is not None:
                client.resume(token)
        if client.session is not None:
            client.logout()
    except ApiError as err:
        # "auth": the server refused the session's tokens, so there is nothing left to end.
        not_told = err.kind != "auth"
    finally:
        client.session = None
        credentials.forget_refresh_token(signed_in.server_url, signed_in.username)
    return SignedOut(not_told, SIGNED_OUT_OFFLINE if not_told else SIGNED_OUT)
