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

The local copy is encrypted (``desktop/store_crypto.py``): the password opens its data key
for an online or offline sign-in, the keyring's key for a resumed session; a plain copy
left by an older version is encrypted at the first sign-in with the password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from desktop import credentials
from desktop.api_client import ApiClient, ApiError, Offline, Session
from desktop.local_store import LocalStore, is_plain_sqlite
from desktop.offline_auth import check_password, remember_password
from desktop.paths import store_path
from desktop.store_crypto import StoreKeys, remove_local_copy, subkey

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
    # The local copy's data key and key file (None: a plain copy, as in tests).
    data_key: bytes | None = None
    keys: StoreKeys | None = None

    def __post_init__(self) -> None:
        if not self.server_url:
            self.server_url = self.client.base_url

    @property
    def role(self) -> str:
        return str(self.user.get("role", ""))

    @property
    def username(self) -> str:
        return str(self.user.get("username", ""))

    @property
    def cache_key(self) -> bytes | None:
        """The document cache's key (None: the cache is plain)."""
        return None if self.data_key is None else subkey(self.data_key, "cache")


COPY_LOCKED_NOTICE = (
    "Your password was changed on the server, and this computer's copy is still locked "
    "with the previous one (this computer has no password store to open it). Give your "
    "previous password once, to move the copy to the new one."
)


def _client_id_of_plain_copy(path: Path) -> str | None:
    """The client id of a plain copy left by an older version (read without changing it)."""
    if not is_plain_sqlite(path):
        return None
    plain = LocalStore(path)
    try:
        return plain.get_state("client_id")
    finally:
        plain.engine.dispose()


def _encrypted_store(path: Path, data_key: bytes) -> LocalStore:
    return LocalStore(path, subkey(data_key, "store"))


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
    previous_password: str | None = None,
) -> SignedIn:
    """Sign in online, or offline when the server can't be reached and this user has
    signed in on this computer before. ``otp`` is the two-factor code, for accounts that
    use one (court administrators); ``on_busy`` is told "The server is busy; retrying in
    N s" while a busy server makes the sign-in wait. Raises :class:`ApiError` with a clear
    message."""
    path = store_path(server_url, username, base_dir)
    keys = StoreKeys(path, server_url, username)
    data_key: bytes | None = None
    by_password = False
    if keys.exists():
        data_key = keys.unlock_with_password(password)
        by_password = data_key is not None
        if data_key is None and previous_password:
            data_key = keys.unlock_with_password(previous_password)
        if data_key is None:
            data_key = keys.unlock_with_keyring()
    if data_key is not None:
        store: LocalStore | None = _encrypted_store(path, data_key)
        client_id: str | None = store.client_id if store is not None else None
    else:
        store = None
        client_id = _client_id_of_plain_copy(path)
    client = ApiClient(server_url, verify=verify, client_id=client_id)
    if on_busy is not None:
        client.on_busy = on_busy
    try:
        session = client.login(username, password, otp=otp)
    except Offline as err:
        if store is None and not keys.exists() and is_plain_sqlite(path):
            # A plain copy from an older version: its verifier checks the password, then
            # the copy is encrypted under a new key.
            plain = LocalStore(path)
            known = check_password(plain, password)
            plain.engine.dispose()
            if known:
                data_key = keys.create(password)
                store = _encrypted_store(path, data_key)
                by_password = True
        if store is None or not by_password:
            if store is not None:
                store.engine.dispose()
            if keys.exists() or is_plain_sqlite(path):
                raise ApiError(
                    "The password is wrong (checked against this computer's copy, "
                    "since the server can't be reached).",
                    kind="auth",
                ) from err
            raise ApiError(
                f"{err} You have not signed in on this computer before, so there is "
                "no local copy to open yet.",
                kind="offline",
            ) from err
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
            data_key=data_key,
            keys=keys,
        )
    if data_key is None:
        if keys.exists():  # the password changed on the server; nothing opens the copy
            raise ApiError(COPY_LOCKED_NOTICE, kind="previous_password")
        # First sign-in here, or a plain copy from an older version: a new data key.
        data_key = keys.create(password)
        store = _encrypted_store(path, data_key)
        client.client_id = store.client_id  # the plain copy's, or a new one
    else:
        # Re-wrapped at every online sign-in: a password changed on the server takes over
        # from the old one, and the keyring gets a fresh key.
        keys.write(data_key, password)
    assert store is not None
    remember_password(store, password)
    with store.transaction() as conn:
        store.set_state(conn, _USER_KEY, orjson.dumps(session.user).decode())
        store.set_state(conn, _SIGNED_OUT_KEY, "")
    notice = _keep_tokens(client, server_url, username)
    return SignedIn(
        client,
        store,
        session.user,
        online=True,
        notice=notice,
        server_url=server_url,
        data_key=data_key,
        keys=keys,
    )


def resume(
    server_url: str, username: str, *, base_dir: Path | None = None, verify: bool | str = True
) -> SignedIn | None:
    """Sign in again with the refresh token in the keyring; None if there is none or the
    server refused it (the sign-in dialog then asks for the password)."""
    token = credentials.load_refresh_token(server_url, username)
    if token is None:
        return None
    path = store_path(server_url, username, base_dir)
    keys = StoreKeys(path, server_url, username)
    data_key = keys.unlock_with_keyring()
    if data_key is None:  # no key in the keyring (or a plain copy): the password opens it
        return None
    store = _encrypted_store(path, data_key)
    if store.get_state(_SIGNED_OUT_KEY):
        credentials.forget_refresh_token(server_url, username)  # left over: try again
        store.engine.dispose()
        return None
    client = ApiClient(server_url, verify=verify, client_id=store.client_id)
    try:
        session = client.resume(token)
    except ApiError:
        store.engine.dispose()
        return None
    _keep_tokens(client, server_url, username)
    return SignedIn(
        client,
        store,
        session.user,
        online=True,
        server_url=server_url,
        data_key=data_key,
        keys=keys,
    )


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
    if signed_in.keys is not None and signed_in.data_key is not None:
        signed_in.keys.write(signed_in.data_key, password)
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
        if signed_in.keys is not None:  # from now on only the password opens the copy
            signed_in.keys.forget_keyring()
    return SignedOut(not_told, SIGNED_OUT_OFFLINE if not_told else SIGNED_OUT)


def sign_out_and_remove(signed_in: SignedIn, cache_folder: Path | None) -> SignedOut:
    """Sign out, then delete this computer's copy (records, cached documents, key file).
    Unsent changes are never lost: with any in the outbox nothing is done and
    :class:`~desktop.store_crypto.CopyNotRemoved` says how many."""
    if signed_in.store.pending_count():
        remove_local_copy(signed_in.store, signed_in.keys, cache_folder)  # raises
    result = sign_out(signed_in)
    remove_local_copy(signed_in.store, signed_in.keys, cache_folder)
    return SignedOut(result.server_not_told, f"{result.message} This computer's copy was removed.")
