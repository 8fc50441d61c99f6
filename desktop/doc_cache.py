"""The document cache: eROP documents kept on this computer for reading offline.

Files are named by their SHA-256 and checked against it whenever they are written or
opened; a file that doesn't match is thrown away and fetched again. The cache has a size
cap: the least recently used documents go first, except those of hearings in the prefetch
window, which stay. A download cut off half-way resumes from the bytes already on disk.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class DocumentCache:
    def __init__(self, store: LocalStore, folder: Path, cap_bytes: int) -> None:
        self.store = store
        self.folder = folder
        self.cap_bytes = cap_bytes
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
            if _sha256_of(path) == sha256:
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
            if _sha256_of(part) == sha256:
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

    @staticmethod
    def _write_part(part: Path, sha256: str, fetch: Fetch) -> None:
        start = part.stat().st_size if part.exists() else 0
        with part.open("ab") as out:
            for chunk in fetch(sha256, start):
                out.write(chunk)
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
) -> tuple[str, Path, str]:
    """(title, verified local file, sha256) of a document of the record, downloading it
    when needed and possible. Raises :class:`CacheError` saying what to do."""
    record = store.get("document", document_id)
    if record is None:
        raise CacheError("This document is not in this computer's copy of the record.")
    sha256 = str(record["sha256"])
    return str(record["title"]), cache.open(sha256, fetch), sha256
