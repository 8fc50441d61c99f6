"""Checking the user's password on this computer: for an offline start and to unlock.

The local store keeps an argon2id hash of the password of the last successful online
sign-in (never the password). Offline, the same password opens the local copy. An
encrypted copy is checked against its key file instead: the password must unwrap the
copy's data key (``desktop/store_crypto.py``), the same test an offline start passes.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from desktop.local_store import LocalStore
from desktop.store_crypto import KeyFileError, StoreKeys

_hasher = PasswordHasher()
_KEY = "password_verifier"


def remember_password(store: LocalStore, password: str) -> None:
    with store.transaction() as conn:
        store.set_state(conn, _KEY, _hasher.hash(password))


def can_sign_in_offline(store: LocalStore) -> bool:
    return store.get_state(_KEY) is not None


def check_password(store: LocalStore, password: str) -> bool:
    if store.encrypted:
        keys = StoreKeys(store.path)
        if keys.exists():
            try:
                return keys.unlock_with_password(password) is not None
            except KeyFileError:
                return False
    stored = store.get_state(_KEY)
    if stored is None:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
