"""A background download ahead of a hearing is not a reading (issue 18 item 7): the desktop
prefetches through ``SyncEngine.fetch_ahead`` (``purpose=prefetch``), and the case's history
on the real server then names no one as having opened those documents; a document the
person opens still appears."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.api_client import ApiClient
from desktop.doc_cache import DocumentCache, documents_for_upcoming_hearings
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine
from tests.conftest import DEMO_PASSWORD, SEED_DAY, LiveServer

pytestmark = pytest.mark.slow


def test_prefetched_documents_are_not_shown_as_opened(
    live_server: LiveServer, tmp_path: Path
) -> None:
    client = ApiClient(live_server.url)
    client.login("clerk1", DEMO_PASSWORD)
    store = LocalStore(tmp_path / "clerk1.sqlite3")
    cache = DocumentCache(store, tmp_path / "documents", cap_bytes=500 * 1024 * 1024)
    engine = SyncEngine(client, store, cache=cache)
    engine.sync_once()

    report = cache.prefetch(engine.fetch_ahead, SEED_DAY, 7)
    ahead = set(documents_for_upcoming_hearings(store, SEED_DAY, 7))
    assert report.downloaded == len(ahead) > 0
    documents = store.all("document")
    fetched = [d for d in documents if d["sha256"] in ahead]
    cases = {d["case_id"] for d in fetched}
    for case_id in cases:
        summaries = [e["summary"] for e in client.case_history(case_id)]
        assert not [s for s in summaries if s.startswith("opened")], summaries

    # A document the clerk opens (not prefetched, so it comes from the server) is a reading.
    other = next(d for d in documents if d["sha256"] not in ahead and d["status"] == "accepted")
    cache.open(other["sha256"], engine.fetch)
    summaries = [e["summary"] for e in client.case_history(other["case_id"])]
    assert f"opened “{other['title']}”" in summaries
