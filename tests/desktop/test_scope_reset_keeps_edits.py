"""A scope reset never loses an unsent edit (issue 18, item 11).

When the server answers a pull with ``reset`` (the user's scope changed: a new court, a
narrower appearance), the local copy forgets the server's records and takes the new scope
from the start -- but whatever waits in the outbox stays, with its local content, and
reaches the server at the next push. Here the edits are made while the reset pull is
running (the judge works at the bench while the sync pulls in the background), against a
real server process on loopback."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from common.enums import ClockEffect
from common.protocol import Change
from common.wire import AdjournmentCodeRecord, Hearing
from desktop.api_client import ApiClient
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine, SyncReport
from tests.conftest import DEMO_PASSWORD, LiveServer, court_id

pytestmark = pytest.mark.slow


def _with_foreign_scope(cursor: str) -> str:
    """The cursor as it would read after a scope change: same version, another scope."""
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    version, _scope = orjson.loads(raw)
    forged = orjson.dumps([version, "0" * 16])
    return base64.urlsafe_b64encode(forged).decode().rstrip("=")


def test_edits_made_during_a_reset_pull_survive_and_reach_the_server(
    live_server: LiveServer, tmp_path: Path
) -> None:
    client = ApiClient(live_server.url)
    client.login("clerk1", DEMO_PASSWORD)
    store = LocalStore(tmp_path / "clerk1.sqlite3")
    engine = SyncEngine(client, store, page_size=25)
    engine.sync_once()
    cases = {c["id"] for c in store.all("case") if c["court_id"] == court_id("SFR")}
    first, second = sorted(
        (Hearing.model_validate(h) for h in store.all("hearing") if h["case_id"] in cases),
        key=lambda h: h.id,
    )[:2]
    moved_before = first.model_copy(update={"starts_at": first.starts_at + timedelta(days=7)})
    store.save(moved_before)  # unsent when the reset arrives

    with store.transaction() as conn:
        store.set_state(conn, "cursor", _with_foreign_scope(store.get_state("cursor") or ""))
    moved_during = second.model_copy(update={"starts_at": second.starts_at + timedelta(days=14)})
    pages_seen: list[int] = []

    def edit_between_pages(phase: str, done: int, total: int) -> None:
        pages_seen.append(done)
        if len(pages_seen) == 1:  # after the first (reset) page, before the rest
            store.save(moved_during)

    report = SyncReport()
    engine.pull(report, edit_between_pages)
    assert report.reset is True and len(pages_seen) > 1, "a reset pull of several pages"

    for edited in (moved_before, moved_during):  # the local content, not the server's
        assert store.get("hearing", edited.id) == edited.model_dump(mode="json")
    assert {e.record_id for e in store.pending()} == {first.id, second.id}
    assert len(store.all("case")) == len(cases)  # the scope came back whole

    after = engine.sync_once()
    assert after.pushed == 2 and after.conflicts == 0 and after.rejected == 0
    assert store.pending_count() == 0
    other = SyncEngine(ApiClient(live_server.url), LocalStore(tmp_path / "clerk2.sqlite3"))
    other.client.login("clerk2", DEMO_PASSWORD)
    other.sync_once()
    for edited in (moved_before, moved_during):
        held = Hearing.model_validate(other.store.get("hearing", edited.id))
        assert held.starts_at == edited.starts_at


def _code_change(code: str, version: int, description: str = "seek counsel") -> Change:
    record = AdjournmentCodeRecord(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, code)),
        code=code,
        description=description,
        clock_effect=ClockEffect.STOPS,
    )
    return Change(
        entity=record.entity,
        id=record.id,
        version=version,
        deleted=False,
        data=record.model_dump(mode="json"),
    )


def test_an_interrupted_reset_keeps_records_readable_until_its_last_page(tmp_path: Path) -> None:
    """Without a server: a reset's records stay readable (at their versions) until the
    last page; what the new scope did not send is then removed; an interrupted reset is
    finished by the last page of the next pull, even one that is not itself a reset."""
    store = LocalStore(tmp_path / "s.sqlite3")
    stays, leaves, edited = (_code_change(c, v) for c, v in (("01", 3), ("02", 4), ("03", 5)))
    store.apply_page([stays, leaves, edited], "c1")
    mine = AdjournmentCodeRecord.model_validate(edited.data | {"description": "mine"})

    store.apply_page([_code_change("01", 3)], "c2", reset=True, last=False)
    assert store.get("adjournment_code", leaves.id) is not None  # not yet swept
    assert store.version_of("adjournment_code", leaves.id) == 4
    store.save(mine)  # edited mid-reset, from the version it had
    [entry] = store.pending()
    assert entry.base_version == 5

    # The pull is interrupted here; the next one (no reset flag) ends the sequence.
    store.apply_page([_code_change("04", 9)], "c3", last=True)
    assert store.get("adjournment_code", leaves.id) is None  # not in the new scope
    assert store.get("adjournment_code", stays.id) is not None
    assert store.get("adjournment_code", edited.id) == mine.model_dump(mode="json")
    assert store.version_of("adjournment_code", stays.id) == 3
    store.apply_page([], "c4", last=True)  # the sweep happened once: nothing more goes
    assert store.get("adjournment_code", stays.id) is not None


def test_a_first_pull_asks_for_big_pages_and_a_stricter_server_gets_small_ones(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """The first pull and a backlog use the catch-up page size (fewer round trips); where
    the server allows less than asked (400), the engine keeps to its page size."""
    client = ApiClient(live_server.url)
    client.login("clerk1", DEMO_PASSWORD)
    big = SyncEngine(
        client, LocalStore(tmp_path / "big.sqlite3"), page_size=20, catch_up_page_size=100_000
    )
    asked: list[int] = []
    original = client.changes

    def counting(cursor: str | None, limit: int) -> Any:
        asked.append(limit)
        return original(cursor, limit)

    client.changes = counting  # type: ignore[method-assign]
    report = big.sync_once()
    assert asked[0] == 100_000 and asked[1:] and set(asked[1:]) == {20}
    assert big.catch_up_page_size == 20  # the server's maximum is 5,000: it said 400

    allowed = SyncEngine(
        client, LocalStore(tmp_path / "allowed.sqlite3"), page_size=20, catch_up_page_size=5000
    )
    asked.clear()
    again = allowed.sync_once()
    assert asked[0] == 5000 and again.pages < report.pages
    assert again.pulled == report.pulled  # the same records, in fewer round trips
    assert sorted(c["id"] for c in allowed.store.all("case")) == sorted(
        c["id"] for c in big.store.all("case")
    )
