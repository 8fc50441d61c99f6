"""The document cache against a real server: prefetch, integrity, resume, full disk, cap."""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.api_client import ApiClient
from desktop.doc_cache import (
    CacheError,
    CacheFull,
    DocumentCache,
    DocumentIntegrityError,
    documents_for_upcoming_hearings,
)
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine
from tests.conftest import DEMO_PASSWORD, SEED_DAY, LiveServer

pytestmark = pytest.mark.slow


@pytest.fixture
def synced(live_server: LiveServer, tmp_path: Path) -> tuple[SyncEngine, DocumentCache]:
    client = ApiClient(live_server.url)
    client.login("clerk1", DEMO_PASSWORD)
    store = LocalStore(tmp_path / "clerk1.sqlite3")
    cache = DocumentCache(store, tmp_path / "documents", cap_bytes=500 * 1024 * 1024)
    engine = SyncEngine(client, store, cache=cache)
    engine.sync_once()
    return engine, cache


def test_prefetch_fetches_and_verifies_upcoming_hearings_documents(
    synced: tuple[SyncEngine, DocumentCache],
) -> None:
    engine, cache = synced
    report = cache.prefetch(engine.fetch, SEED_DAY, 7)
    wanted = documents_for_upcoming_hearings(engine.store, SEED_DAY, 7)
    assert report.wanted == len(wanted) > 0 and report.downloaded == len(wanted)
    for sha in wanted:
        assert hashlib.sha256(cache.path(sha).read_bytes()).hexdigest() == sha
    again = cache.prefetch(engine.fetch, SEED_DAY, 7)
    assert (again.downloaded, again.already_cached) == (0, len(wanted))


def test_a_damaged_cached_file_is_never_shown_and_is_fetched_again(
    synced: tuple[SyncEngine, DocumentCache],
) -> None:
    engine, cache = synced
    sha = engine.store.all("document")[0]["sha256"]
    path = cache.open(sha, engine.fetch)
    path.write_bytes(b"%PDF-1.7 tampered")
    reopened = cache.open(sha, engine.fetch)
    assert hashlib.sha256(reopened.read_bytes()).hexdigest() == sha
    path.write_bytes(b"%PDF-1.7 tampered")
    with pytest.raises(CacheError, match="can't be reached"):
        cache.open(sha, None)  # offline: the damaged copy is not offered
    assert not path.exists()


def test_wrong_bytes_from_the_server_are_refused_then_fetched_again(
    synced: tuple[SyncEngine, DocumentCache],
) -> None:
    engine, cache = synced
    sha = engine.store.all("document")[1]["sha256"]
    calls: list[int] = []

    def flaky(sha256: str, start: int) -> Iterator[bytes]:
        calls.append(start)
        if len(calls) == 1:
            yield b"not the document"
            return
        yield from engine.fetch(sha256, start)

    path = cache.open(sha, flaky)
    assert calls == [0, 0]  # the bad copy was thrown away, not resumed
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha

    def always_wrong(sha256: str, start: int) -> Iterator[bytes]:
        yield b"still not the document"

    other = engine.store.all("document")[2]["sha256"]
    with pytest.raises(DocumentIntegrityError, match="don't match"):
        cache.open(other, always_wrong)
    assert not cache.is_cached(other)


def test_a_cut_download_resumes_from_the_bytes_on_disk(
    synced: tuple[SyncEngine, DocumentCache],
) -> None:
    engine, cache = synced
    doc = max(engine.store.all("document"), key=lambda d: d["size"])
    whole = b"".join(engine.fetch(doc["sha256"], 0))
    part = cache.path(doc["sha256"]).with_suffix(".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(whole[: len(whole) // 2])
    starts: list[int] = []

    def recording(sha256: str, start: int) -> Iterator[bytes]:
        starts.append(start)
        return engine.fetch(sha256, start)

    path = cache.open(doc["sha256"], recording)
    assert starts == [len(whole) // 2]  # a Range request, not a fresh download
    assert path.read_bytes() == whole


def test_a_full_disk_says_what_to_do_and_leaves_no_partial_file(
    synced: tuple[SyncEngine, DocumentCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, cache = synced
    sha = engine.store.all("document")[3]["sha256"]

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("desktop.doc_cache.os.fsync", no_space)
    with pytest.raises(CacheFull, match="is full"):
        cache.open(sha, engine.fetch)
    assert not cache.path(sha).with_suffix(".part").exists()
    assert engine.store.pending_count() == 0 and engine.store.count("case") > 0


def test_the_cap_evicts_least_recently_used_but_keeps_pinned(
    synced: tuple[SyncEngine, DocumentCache],
) -> None:
    engine, cache = synced
    docs = sorted(engine.store.all("document"), key=lambda d: d["sha256"])[:4]
    for doc in docs:
        cache.open(doc["sha256"], engine.fetch)
    cache.pin_only([docs[0]["sha256"]])  # oldest, but its hearing is coming up
    cache.cap_bytes = docs[0]["size"] + docs[3]["size"]
    cache.evict()
    assert cache.is_cached(docs[0]["sha256"]) and cache.is_cached(docs[3]["sha256"])
    assert not cache.is_cached(docs[1]["sha256"]) and not cache.is_cached(docs[2]["sha256"])
    assert cache.used_bytes() <= cache.cap_bytes
