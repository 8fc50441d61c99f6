"""Checking the user's password on this computer: for an offline start and to unlock.

The local store keeps an argon2id hash of the password of the last successful online
sign-in (never the password). Offline, the same password opens the local copy.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from desktop.local_store import LocalStore

_hasher = PasswordHasher()
_KEY = "password_verifier"


def remember_password(store: LocalStore, password: str) -> None:
    with store.transaction() as conn:
        store.set_state(conn, _KEY, _hasher.hash(password))


def can_sign_in_offline(store: LocalStore) -> bool:
    return store.get_state(_KEY) is not None


def check_password(store: LocalStore, password: str) -> bool:
    stored = store.get_state(_KEY)
    if stored is None:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
