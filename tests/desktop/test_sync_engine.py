"""The desktop's store and sync engine against a real server process on loopback."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from common.enums import FilingStatus, HearingStatus
from common.wire import Filing, Hearing
from desktop.api_client import ApiClient, ApiError
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine
from tests.conftest import DEMO_PASSWORD, LiveServer, court_id, user_id

pytestmark = pytest.mark.slow


def _client(server: LiveServer, tmp_path: Path, username: str) -> SyncEngine:
    client = ApiClient(server.url)
    client.login(username, DEMO_PASSWORD)
    store = LocalStore(tmp_path / f"{username}.sqlite3")
    return SyncEngine(client, store, page_size=50)


def _court_hearings(engine: SyncEngine) -> list[Hearing]:
    cases = {c["id"] for c in engine.store.all("case") if c["court_id"] == court_id("SFR")}
    hearings = [Hearing.model_validate(h) for h in engine.store.all("hearing")]
    return sorted((h for h in hearings if h.case_id in cases), key=lambda h: h.id)


def test_clerk_pulls_exactly_their_court(live_server: LiveServer, tmp_path: Path) -> None:
    engine = _client(live_server, tmp_path, "clerk1")
    report = engine.sync_once()
    assert report.pulled > 0 and report.pages > 1
    cases = engine.store.all("case")
    assert cases and {c["court_id"] for c in cases} == {court_id("SFR")}
    again = engine.sync_once()
    assert again.pulled == 0 and again.pushed == 0  # nothing new: a no-op sync


def test_offline_work_reaches_the_server_and_the_other_clerk(
    live_server: LiveServer, tmp_path: Path
) -> None:
    clerk1 = _client(live_server, tmp_path, "clerk1")
    clerk2 = _client(live_server, tmp_path, "clerk2")
    clerk1.sync_once()
    clerk2.sync_once()
    first, second = _court_hearings(clerk1)[:2]
    filing = next(
        Filing.model_validate(f)
        for f in clerk1.store.all("filing")
        if f["status"] == FilingStatus.PENDING.value
    )

    live_server.stop()
    moved = [
        h.model_copy(update={"starts_at": h.starts_at + timedelta(days=7)}) for h in (first, second)
    ]
    for hearing in moved:
        clerk1.store.save(hearing)
    adjourned = moved[0].model_copy(
        update={"status": HearingStatus.ADJOURNED, "adjournment_code": "02"}
    )
    clerk1.store.save(adjourned)
    rejected = filing.model_copy(
        update={
            "status": FilingStatus.REJECTED,
            "rejection_reason": "Missing certificate of service",
            "reviewed_by": user_id("clerk1"),
            "reviewed_at": datetime.now().astimezone(),
        }
    )
    clerk1.store.save(rejected)
    with pytest.raises(ApiError) as offline:
        clerk1.sync_once()
    assert offline.value.kind == "offline"
    assert clerk1.store.pending_count() == 3  # the two edits of one hearing were coalesced

    live_server.start()
    report = clerk1.sync_once()
    assert (report.pushed, report.conflicts, report.rejected) == (3, 0, 0)
    assert clerk1.store.pending_count() == 0
    clerk2.sync_once()
    assert clerk2.store.get("hearing", adjourned.id) == adjourned.model_dump(mode="json")
    assert clerk2.store.get("hearing", moved[1].id) == moved[1].model_dump(mode="json")
    assert clerk2.store.get("filing", rejected.id) == rejected.model_dump(mode="json")


def test_concurrent_edits_become_a_conflict_the_user_resolves(
    live_server: LiveServer, tmp_path: Path
) -> None:
    clerk1 = _client(live_server, tmp_path, "clerk1")
    clerk2 = _client(live_server, tmp_path, "clerk2")
    clerk1.sync_once()
    clerk2.sync_once()
    hearing = _court_hearings(clerk1)[0]
    theirs = hearing.model_copy(update={"duration_minutes": 45})
    mine = hearing.model_copy(update={"duration_minutes": 90})
    clerk1.store.save(theirs)
    clerk1.sync_once()
    clerk2.store.save(mine)
    report = clerk2.sync_once()
    assert report.conflicts == 1
    [issue] = clerk2.store.issues()
    assert issue.kind == "conflict"
    assert issue.local_data is not None and issue.local_data["duration_minutes"] == 90
    assert issue.server_change is not None
    assert issue.server_change["data"]["duration_minutes"] == 45
    assert clerk2.store.get("hearing", hearing.id)["duration_minutes"] == 45  # type: ignore[index]

    clerk2.store.resolve_keep_mine(issue.id)
    report = clerk2.sync_once()
    assert report.pushed == 1 and not clerk2.store.issues()
    clerk1.sync_once()
    assert clerk1.store.get("hearing", hearing.id)["duration_minutes"] == 90  # type: ignore[index]


def test_refused_change_is_kept_for_the_user_and_the_record_rolled_back(
    live_server: LiveServer, tmp_path: Path
) -> None:
    judge = _client(live_server, tmp_path, "judge1")
    judge.sync_once()
    hearing = _court_hearings(judge)[0]
    judge.store.save(hearing.model_copy(update={"duration_minutes": 200}))  # clerk's field
    report = judge.sync_once()
    assert report.rejected == 1
    [issue] = judge.store.issues()
    assert issue.kind == "rejected" and issue.error and "clerk" in issue.error
    assert judge.store.get("hearing", hearing.id) == hearing.model_dump(mode="json")


def test_case_history_is_read_from_the_server(live_server: LiveServer, tmp_path: Path) -> None:
    engine = _client(live_server, tmp_path, "clerk1")
    engine.sync_once()
    hearing = _court_hearings(engine)[0]
    engine.store.save(hearing.model_copy(update={"duration_minutes": 50}))
    engine.sync_once()
    entries = engine.client.case_history(hearing.case_id)
    assert entries[-1]["actor"] == "Clerk Garcia"
    assert entries[-1]["summary"] == "changed the hearing: duration minutes"
