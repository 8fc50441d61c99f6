"""The document cache: eROP documents kept on this computer for reading offline.

Files are named by their SHA-256 and checked against it whenever they are written or
opened; a file that doesn't match is thrown away and fetched again. The cache has a size
cap: the least recently used documents go first, except those of hearings in the prefetch
window, which stay. A download cut off half-way resumes from the bytes already on disk.

With a key (the store's "cache" subkey, ``desktop/store_crypto.py``) every file is sealed:
``ECASDOC1``, an 8-byte random nonce prefix, then the document in chunks, each
``[4-byte length][AES-256-GCM ciphertext and tag]`` under the nonce prefix + chunk number,
with the document's SHA-256 and the chunk number as associated data (chunks can't be
swapped between files or reordered; a cut-off file fails the SHA-256 check). Chunks let a
cut-off download resume without ever writing clear bytes. Documents are decrypted into
memory for the viewer; plain files left by an older version are sealed by
:meth:`DocumentCache.encrypt_plain_files`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Boolean, Column, Float, Integer, String, Table, delete, func, select, update

from desktop.local_schema import metadata
from desktop.local_store import LocalStore

cache_table = Table(
    "document_cache",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("last_used", Float, nullable=False),
    Column("pinned", Boolean, nullable=False, default=False),
)

Fetch = Callable[[str, int], Iterator[bytes]]  # (sha256, start offset) -> chunks
Progress = Callable[[str, int, int], None]
CHUNK = 1024 * 1024
SEALED_MAGIC = b"ECASDOC1"
_HEADER = len(SEALED_MAGIC) + 8
_TAG = 16


class CacheError(Exception):
    """A document could not be made available; the message says what to do."""


class CacheFull(CacheError):
    pass


class DocumentIntegrityError(CacheError):
    pass


@dataclass(frozen=True)
class PrefetchReport:
    wanted: int
    downloaded: int
    already_cached: int


def _aad(sha256: str, index: int) -> bytes:
    return sha256.encode("ascii") + b"|" + struct.pack(">I", index)


def is_sealed(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SEALED_MAGIC)) == SEALED_MAGIC
    except OSError:
        return False


def _read_sealed(path: Path, aead: AESGCM, sha256: str) -> tuple[list[bytes], int]:
    """The decrypted chunks of a sealed file, and the length of its intact part (a torn
    last record, from a cut-off download, is left out). Raises InvalidTag when a chunk was
    altered."""
    data = path.read_bytes()
    if data[: len(SEALED_MAGIC)] != SEALED_MAGIC or len(data) < _HEADER:
        raise InvalidTag
    prefix = data[len(SEALED_MAGIC) : _HEADER]
    chunks: list[bytes] = []
    at = _HEADER
    while at + 4 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if at + 4 + length > len(data):
            break
        nonce = prefix + struct.pack(">I", len(chunks))
        chunks.append(
            aead.decrypt(nonce, data[at + 4 : at + 4 + length], _aad(sha256, len(chunks)))
        )
        at += 4 + length
    return chunks, at


class DocumentCache:
    def __init__(
        self, store: LocalStore, folder: Path, cap_bytes: int, key: bytes | None = None
    ) -> None:
        self.store = store
        self.folder = folder
        self.cap_bytes = cap_bytes
        self._aead = AESGCM(key) if key is not None else None
        folder.mkdir(parents=True, exist_ok=True)
        metadata.create_all(store.engine, tables=[cache_table])

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 document name")
        return self.folder / sha256[:2] / sha256

    def is_cached(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def used_bytes(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.scalar(select(func.coalesce(func.sum(cache_table.c.size), 0))) or 0)

    # -- getting a document -----------------------------------------------------------------

    def open(self, sha256: str, fetch: Fetch | None) -> Path:
        """The verified file of ``sha256``, fetching it when absent or damaged.

        With ``fetch`` None (offline), only a cached, intact copy is returned; otherwise
        :class:`CacheError` says the document needs a connection.
        """
        path = self.path(sha256)
        if path.is_file():
            if self._content(path, sha256) is not None:
                self._touch(sha256, path.stat().st_size)
                return path
            path.unlink()  # damaged on disk: never show it
            self._forget(sha256)
        if fetch is None:
            raise CacheError(
                "This document is not on this computer yet, and the server "
                "can't be reached. It will be downloaded when you are online."
            )
        return self._download(sha256, fetch)

    @property
    def encrypted(self) -> bool:
        return self._aead is not None

    def read(self, sha256: str, fetch: Fetch | None) -> bytes:
        """The verified bytes of ``sha256`` (decrypted in memory when the cache is sealed),
        fetched first when needed and possible; see :meth:`open`."""
        content = self._content(self.open(sha256, fetch), sha256)
        if content is None:  # changed on disk in between
            raise DocumentIntegrityError("The cached document changed on disk; open it again.")
        return content

    def _content(self, path: Path, sha256: str) -> bytes | None:
        """The file's document when it is intact (and, sealed, authentic), else None."""
        if self._aead is None:
            if is_sealed(path):
                return None
            data = path.read_bytes()
        else:
            try:
                chunks, intact = _read_sealed(path, self._aead, sha256)
            except InvalidTag:
                return None
            if intact != path.stat().st_size:
                return None
            data = b"".join(chunks)
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def plain_files(self) -> list[Path]:
        """Cached files still in clear (left by a version without encryption)."""
        if self._aead is None or not self.folder.is_dir():
            return []
        return [
            p
            for p in sorted(self.folder.glob("??/*"))
            if p.is_file() and (p.suffix == ".part" or not is_sealed(p))
        ]

    def encrypt_plain_files(self, progress: Progress = lambda phase, done, total: None) -> int:
        """Seal every plain cached file in place (written sealed beside it, then replacing
        it); a plain file that doesn't match its name, or a plain partial download, is
        deleted. Returns how many were sealed."""
        aead = self._aead
        if aead is None:
            return 0
        plain = self.plain_files()
        sealed = 0
        for done, path in enumerate(plain, 1):
            data = path.read_bytes()
            if path.suffix != ".part" and hashlib.sha256(data).hexdigest() == path.name:
                target = path.with_name(path.name + ".sealing")
                with target.open("wb") as out:
                    self._seal_into(out, aead, path.name, [data])
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(target, path)
                self._touch(path.name, path.stat().st_size)
                sealed += 1
            else:
                path.unlink()
                if path.suffix != ".part" and len(path.name) == 64:
                    self._forget(path.name)
            progress("encrypt", done, len(plain))
        return sealed

    @staticmethod
    def _seal_into(out: Any, aead: AESGCM, sha256: str, chunks: Iterable[bytes]) -> None:
        prefix = secrets.token_bytes(8)
        out.write(SEALED_MAGIC + prefix)
        for index, chunk in enumerate(chunks):
            sealed = aead.encrypt(prefix + struct.pack(">I", index), chunk, _aad(sha256, index))
            out.write(struct.pack(">I", len(sealed)) + sealed)

    def _download(self, sha256: str, fetch: Fetch) -> Path:
        path = self.path(sha256)
        part = path.with_suffix(".part")
        path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(2):
            try:
                self._write_part(part, sha256, fetch)
            except OSError as err:
                if err.errno in (errno.ENOSPC, errno.EDQUOT):
                    part.unlink(missing_ok=True)
                    raise CacheFull(
                        f"The disk holding the document cache ({self.folder}) is full. Free "
                        "some space, or lower the document cache size in Settings. Your "
                        "work is not affected."
                    ) from err
                raise
            if self._content(part, sha256) is not None:
                os.replace(part, path)
                self._touch(sha256, path.stat().st_size)
                self.evict()
                return path
            part.unlink()  # wrong bytes: start again from zero, once
        raise DocumentIntegrityError(
            "The server sent bytes that don't match the document's fingerprint (SHA-256), "
            "twice. The document was not saved or shown. Try again later, and tell your "
            "IT staff if it keeps happening."
        )

    def _write_part(self, part: Path, sha256: str, fetch: Fetch) -> None:
        aead = self._aead
        if aead is None:
            start = part.stat().st_size if part.exists() else 0
            with part.open("ab") as out:
                for chunk in fetch(sha256, start):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            return
        # Sealed: resume after the last whole chunk; a damaged part starts again.
        chunks: list[bytes] = []
        intact = 0
        if part.exists():
            try:
                chunks, intact = _read_sealed(part, aead, sha256)
            except InvalidTag:
                part.unlink()
        if not part.exists() or intact < _HEADER:
            with part.open("wb") as out:
                out.write(SEALED_MAGIC + secrets.token_bytes(8))
            chunks, intact = [], _HEADER
        with part.open("rb+") as out:
            out.seek(len(SEALED_MAGIC))
            prefix = out.read(8)
            out.truncate(intact)
            out.seek(intact)
            index = len(chunks)
            for chunk in fetch(sha256, sum(len(c) for c in chunks)):
                if not chunk:
                    continue
                nonce = prefix + struct.pack(">I", index)
                sealed = aead.encrypt(nonce, chunk, _aad(sha256, index))
                out.write(struct.pack(">I", len(sealed)) + sealed)
                index += 1
            out.flush()
            os.fsync(out.fileno())

    # -- bookkeeping ------------------------------------------------------------------------

    def _touch(self, sha256: str, size: int) -> None:
        now = datetime.now(UTC).timestamp()
        with self.store.transaction() as conn:
            done = conn.execute(
                update(cache_table)
                .where(cache_table.c.sha256 == sha256)
                .values(last_used=now, size=size)
            ).rowcount
            if not done:
                conn.execute(
                    cache_table.insert().values(
                        sha256=sha256, size=size, last_used=now, pinned=False
                    )
                )

    def _forget(self, sha256: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(delete(cache_table).where(cache_table.c.sha256 == sha256))

    def pin_only(self, shas: Iterable[str]) -> None:
        """Keep exactly these documents from eviction (those of upcoming hearings)."""
        wanted = list(set(shas))
        with self.store.transaction() as conn:
            conn.execute(update(cache_table).values(pinned=False))
            for start in range(0, len(wanted), 500):
                conn.execute(
                    update(cache_table)
                    .where(cache_table.c.sha256.in_(wanted[start : start + 500]))
                    .values(pinned=True)
                )

    def evict(self) -> int:
        """Delete least recently used, unpinned documents until under the cap; returns how
        many were removed."""
        removed = 0
        with self.store.transaction() as conn:
            total = int(conn.scalar(select(func.coalesce(func.sum(cache_table.c.size), 0))) or 0)
            if total <= self.cap_bytes:
                return 0
            rows = conn.execute(
                select(cache_table.c.sha256, cache_table.c.size)
                .where(cache_table.c.pinned.is_(False))
                .order_by(cache_table.c.last_used)
            ).all()
            for row in rows:
                if total <= self.cap_bytes:
                    break
                self.path(row.sha256).unlink(missing_ok=True)
                conn.execute(delete(cache_table).where(cache_table.c.sha256 == row.sha256))
                total -= int(row.size)
                removed += 1
        return removed

    # -- prefetch ---------------------------------------------------------------------------

    def prefetch(
        self,
        fetch: Fetch,
        today: date,
        days: int,
        progress: Progress = lambda phase, done, total: None,
    ) -> PrefetchReport:
        """Download the accepted documents of every case with a hearing from ``today`` to
        ``today + days``, and pin them so eviction keeps them."""
        shas = documents_for_upcoming_hearings(self.store, today, days)
        self.pin_only(shas)
        missing = [s for s in shas if not self.is_cached(s)]
        for done, sha256 in enumerate(missing, 1):
            self._download(sha256, fetch)
            progress("download", done, len(missing))
        self.pin_only(shas)  # pins rows the downloads just created
        return PrefetchReport(len(shas), len(missing), len(shas) - len(missing))


def documents_for_upcoming_hearings(store: LocalStore, today: date, days: int) -> list[str]:
    """SHA-256 of the record documents of cases with a scheduled hearing in the window."""
    first = datetime.combine(today, datetime.min.time(), tzinfo=UTC) - timedelta(hours=14)
    last = datetime.combine(today + timedelta(days=days + 1), datetime.min.time(), tzinfo=UTC)
    cases = {
        h["case_id"]
        for h in store.all("hearing")
        if h["status"] == "scheduled"
        and first <= datetime.fromisoformat(str(h["starts_at"])) <= last
    }
    shas = {
        d["sha256"]
        for d in store.all("document")
        if d["case_id"] in cases and d["status"] == "accepted"
    }
    return sorted(shas)


def document_file(
    store: LocalStore, cache: DocumentCache, fetch: Fetch | None, document_id: str
) -> tuple[str, Path | bytes, str]:
    """(title, verified local file — or its decrypted bytes when the cache is sealed —,
    sha256) of a document of the record, downloading it when needed and possible. Raises
    :class:`CacheError` saying what to do."""
    record = store.get("document", document_id)
    if record is None:
        raise CacheError("This document is not in this computer's copy of the record.")
    sha256 = str(record["sha256"])
    content: Path | bytes = (
        cache.read(sha256, fetch) if cache.encrypted else cache.open(sha256, fetch)
    )
    return str(record["title"]), content, sha256


def document_a_number(store: LocalStore, document_id: str) -> str:
    """The A-number (9 digits) of the case a document belongs to, "" when this copy does
    not hold the case (the viewer's title names it)."""
    record = store.get("document", document_id) or {}
    case = store.get("case", str(record.get("case_id") or "")) or {}
    return str(case.get("a_number") or "")
