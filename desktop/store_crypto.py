"""The keys that keep this computer's copy of the record confidential at rest.

Asylum records are confidential by regulation (8 CFR 1208.6), and a judge's laptop can be
lost. So each local store (one server, one user) has its own random 256-bit *data key*:

* the store file is a SQLCipher database keyed with a subkey of it (HKDF-SHA256, "store");
* each cached document is sealed with AES-256-GCM under another subkey ("cache"), with a
  random nonce prefix per file and the document's SHA-256 as associated data.

The data key itself is never written down in clear. The *key file* beside the store
(``<store>.keys``, JSON) holds it wrapped (AES-256-GCM) twice at most:

* ``password``: under a key derived from the user's password with argon2id; the salt and
  the argon2 parameters are recorded beside the wrap, so they can be raised later. This
  wrap opens the copy for an offline sign-in and for unlocking after the idle lock;
* ``keyring``: under a random key held by the OS keyring (where there is one), so a session
  resumed from the keyring's refresh token opens the copy without the password.

A password changed on the server re-wraps the data key at the next online sign-in (the old
wrap is opened with the keyring, or with the previous password). Signing out drops the
keyring wrap and its keyring entry, so after a sign-out only the password opens the copy.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
import orjson
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop import credentials
from desktop.local_store import LocalStore
from desktop.words import count, plural

KEY_FILE_FORMAT = 1
KEY_BYTES = 32
# argon2id, RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes): about a
# tenth of a second on a laptop, once per sign-in or unlock.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4


class KeyFileError(Exception):
    """The key file is missing, damaged or of an unknown format."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text))


def subkey(data_key: bytes, purpose: str) -> bytes:
    """An independent 256-bit key for one use of the data key ("store", "cache")."""
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"ecas-" + purpose.encode()
    ).derive(data_key)


def password_key(password: str, salt: bytes, params: dict[str, Any]) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=int(params["time_cost"]),
        memory_cost=int(params["memory_cost"]),
        parallelism=int(params["parallelism"]),
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def key_file_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".keys")


@dataclass
class StoreKeys:
    """The key file of one store, and its keyring entry."""

    store_path: Path
    server_url: str = ""
    username: str = ""

    @property
    def path(self) -> Path:
        return key_file_path(self.store_path)

    @property
    def _keyring_account(self) -> str:
        return f"{credentials._account(self.server_url, self.username)}:store-key"

    def _aad(self, method: str) -> bytes:
        return f"ecas-store-key|{KEY_FILE_FORMAT}|{method}|{self.store_path.name}".encode()

    def exists(self) -> bool:
        return self.path.is_file()

    # -- reading ----------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            content = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as err:
            raise KeyFileError(f"The key file {self.path} can't be read: {err}") from err
        if not isinstance(content, dict) or content.get("format") != KEY_FILE_FORMAT:
            raise KeyFileError(f"The key file {self.path} is of an unknown format.")
        return content

    def unlock_with_password(self, password: str) -> bytes | None:
        """The data key, or None when the password doesn't open it."""
        wrap = self._read().get("password")
        if not isinstance(wrap, dict) or wrap.get("kdf") != "argon2id":
            return None
        kek = password_key(password, _unb64(wrap["salt"]), wrap)
        return self._unwrap(kek, wrap, "password")

    def unlock_with_keyring(self) -> bytes | None:
        """The data key through the OS keyring's key, or None (no keyring, no entry)."""
        if not self.exists():
            return None
        wrap = self._read().get("keyring")
        if not isinstance(wrap, dict) or not credentials.keyring_available():
            return None
        try:
            held = keyring.get_password(credentials.SERVICE, self._keyring_account)
        except keyring.errors.KeyringError:
            return None
        if not held:
            return None
        return self._unwrap(_unb64(held), wrap, "keyring")

    def _unwrap(self, kek: bytes, wrap: dict[str, Any], method: str) -> bytes | None:
        try:
            return AESGCM(kek).decrypt(
                _unb64(wrap["nonce"]), _unb64(wrap["wrapped"]), self._aad(method)
            )
        except (InvalidTag, KeyError, ValueError):
            return None

    # -- writing ----------------------------------------------------------------------------

    def create(self, password: str) -> bytes:
        """A new random data key, wrapped by the password (and the keyring, if any)."""
        data_key = secrets.token_bytes(KEY_BYTES)
        self.write(data_key, password)
        return data_key

    def write(self, data_key: bytes, password: str) -> None:
        """(Re-)wrap ``data_key`` under ``password`` with a fresh salt, and under the
        keyring's key where there is a keyring; replaces the key file atomically."""
        params = {
            "kdf": "argon2id",
            "version": 19,
            "time_cost": ARGON2_TIME_COST,
            "memory_cost": ARGON2_MEMORY_KIB,
            "parallelism": ARGON2_PARALLELISM,
        }
        salt = secrets.token_bytes(16)
        wraps: dict[str, Any] = {
            "format": KEY_FILE_FORMAT,
            "cipher": "AES-256-GCM",
            "password": {
                **params,
                "salt": _b64(salt),
                **self._wrap(password_key(password, salt, params), data_key, "password"),
            },
        }
        keyring_wrap = self._keyring_wrap(data_key)
        if keyring_wrap is not None:
            wraps["keyring"] = keyring_wrap
        self._replace(wraps)

    def _keyring_wrap(self, data_key: bytes) -> dict[str, str] | None:
        if not credentials.keyring_available():
            return None
        kek = secrets.token_bytes(KEY_BYTES)
        try:
            keyring.set_password(credentials.SERVICE, self._keyring_account, _b64(kek))
        except keyring.errors.KeyringError:
            return None
        return self._wrap(kek, data_key, "keyring")

    def _wrap(self, kek: bytes, data_key: bytes, method: str) -> dict[str, str]:
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(kek).encrypt(nonce, data_key, self._aad(method))
        return {"nonce": _b64(nonce), "wrapped": _b64(wrapped)}

    def _replace(self, content: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        part = self.path.with_name(self.path.name + ".part")
        with part.open("wb") as out:
            out.write(orjson.dumps(content, option=orjson.OPT_INDENT_2))
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):  # not on every platform
            part.chmod(0o600)
        os.replace(part, self.path)

    def forget_keyring(self) -> None:
        """Drop the keyring wrap and its entry (at sign-out): only the password opens the
        copy from now on."""
        if credentials.keyring_available():
            with contextlib.suppress(keyring.errors.KeyringError):
                keyring.delete_password(credentials.SERVICE, self._keyring_account)
        if self.exists():
            with contextlib.suppress(KeyFileError):
                content = self._read()
                if content.pop("keyring", None) is not None:
                    self._replace(content)

    def remove(self) -> None:
        self.forget_keyring()
        self.path.unlink(missing_ok=True)


class CopyNotRemoved(Exception):
    """This computer's copy was kept: it holds changes the server has not received."""


def local_copy_files(store_path: Path) -> list[Path]:
    """The files of one local copy (store, its journal files, key file) that exist."""
    names = [store_path.name + suffix for suffix in ("", "-wal", "-shm", "-journal")]
    paths = [store_path.with_name(name) for name in names] + [key_file_path(store_path)]
    return [p for p in paths if p.exists()]


def remove_local_copy(
    store: LocalStore, keys: StoreKeys | None, cache_folder: Path | None = None
) -> int:
    """Delete this computer's copy of one server for one user: the records (store file),
    the cached documents, the key file and its keyring entry. Never loses unsent edits:
    with changes still in the outbox it removes nothing and raises :class:`CopyNotRemoved`
    saying how many. Returns how many files were deleted."""
    pending = store.pending_count()
    if pending:
        raise CopyNotRemoved(
            f"{count(pending, 'change')} made on this computer "
            f"{plural('has', pending)} not reached the server yet, so this "
            "computer's copy was kept. Sign in and send them, then sign out again."
        )
    store.engine.dispose()
    removed = 0
    if cache_folder is not None and cache_folder.is_dir():
        files = [p for p in cache_folder.rglob("*") if p.is_file()]
        shutil.rmtree(cache_folder)
        removed += len(files)
    if keys is not None:
        keys.forget_keyring()
    for path in local_copy_files(store.path):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
