"""The outbox under lost answers, deletes and grouped actions, against a real server.

Each test is one way an edit used to be lost (or could be): what the user made must end on
the server exactly once, or stay in front of them as a sync issue.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from common.enums import Visibility
from common.protocol import MutationResult
from common.wire import Annotation, Hearing
from desktop.api_client import ApiClient, Offline
from desktop.local_store import LocalStore
from desktop.orders import continuance_ruling
from desktop.sync_engine import SyncEngine, SyncReport
from tests.conftest import DEMO_PASSWORD, LiveServer, court_id

pytestmark = pytest.mark.slow


class AnswerLost(ApiClient):
    """A client whose next push reaches the server but whose answer never comes back (a
    proxy or Wi-Fi dropping the connection after the server committed)."""

    lose_next_answer = False

    def push(self, client_id: str, mutations: list[dict[str, Any]]) -> list[MutationResult]:
        results = super().push(client_id, mutations)
        if self.lose_next_answer:
            self.lose_next_answer = False
            raise Offline(self.base_url)
        return results


def _engine(server: LiveServer, folder: Path, username: str, name: str = "") -> SyncEngine:
    client = AnswerLost(server.url)
    client.login(username, DEMO_PASSWORD)
    store = LocalStore(folder / f"{name or username}.sqlite3")
    engine = SyncEngine(client, store, page_size=200)
    engine.sync_once()
    return engine


def _sync_losing_the_answer(engine: SyncEngine) -> None:
    assert isinstance(engine.client, AnswerLost)
    engine.client.lose_next_answer = True
    with pytest.raises(Offline):
        engine.sync_once()


def _server_record(server: LiveServer, username: str, entity: str, record_id: str) -> Any:
    """The record as a fresh pull by ``username`` shows it (None when not there)."""
    fresh = ApiClient(server.url)
    fresh.login(username, DEMO_PASSWORD)
    found, cursor = None, None
    while True:
        page = fresh.changes(cursor, 1000)
        for change in page.changes:
            if change.entity == entity and change.id == record_id:
                found = change
        cursor = page.cursor
        if not page.has_more:
            return found


def _a_hearing(engine: SyncEngine) -> Hearing:
    cases = {c["id"] for c in engine.store.all("case") if c["court_id"] == court_id("SFR")}
    return min(
        (Hearing.model_validate(h) for h in engine.store.all("hearing") if h["case_id"] in cases),
        key=lambda h: h.id,
    )


def _an_annotation(engine: SyncEngine, author_id: str) -> Annotation:
    document = min(engine.store.all("document"), key=lambda d: d["id"])
    return Annotation(
        id=str(uuid.uuid4()),
        document_id=document["id"],
        document_sha256=document["sha256"],
        author_id=author_id,
        visibility=Visibility.PRIVATE,
        kind="highlight",
        page=0,
        geometry={"rect": [72, 72, 300, 90]},
        comment="check the date",
        created_at=datetime.now(UTC),
    )


def test_an_edit_made_while_the_answer_was_lost_reaches_the_server(
    live_server: LiveServer, tmp_path: Path
) -> None:
    clerk = _engine(live_server, tmp_path, "clerk1")
    hearing = _a_hearing(clerk)
    clerk.store.save(hearing.model_copy(update={"duration_minutes": 45}))
    _sync_losing_the_answer(clerk)  # the server has 45; the clerk doesn't know
    clerk.store.save(hearing.model_copy(update={"duration_minutes": 90}))

    clerk.sync_once()

    on_server = _server_record(live_server, "clerk1", "hearing", hearing.id)
    assert on_server.data["duration_minutes"] == 90
    assert clerk.store.get("hearing", hearing.id)["duration_minutes"] == 90  # type: ignore[index]
    assert clerk.store.version_of("hearing", hearing.id) == on_server.version
    assert clerk.store.pending_count() == 0 and clerk.store.issues() == []


def test_a_change_that_may_have_been_sent_is_never_rewritten(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """The sent entry keeps its content; the newer edit waits behind it as its own."""
    clerk = _engine(live_server, tmp_path, "clerk1")
    hearing = _a_hearing(clerk)
    clerk.store.save(hearing.model_copy(update={"duration_minutes": 45}))
    _sync_losing_the_answer(clerk)
    clerk.store.save(hearing.model_copy(update={"duration_minutes": 90}))
    clerk.store.save(hearing.model_copy(update={"duration_minutes": 120}))  # joins the unsent one

    (sent,) = clerk.store.pending()  # one entry of a record per push
    assert sent.data is not None and sent.data["duration_minutes"] == 45
    assert clerk.store.pending_count() == 2


def test_an_annotation_deleted_after_its_answer_was_lost_is_deleted_on_the_server(
    live_server: LiveServer, tmp_path: Path
) -> None:
    judge = _engine(live_server, tmp_path, "judge1")
    note = _an_annotation(judge, str(judge.client.session.user["id"]))  # type: ignore[union-attr]
    judge.store.save(note)
    _sync_losing_the_answer(judge)  # the server has the annotation
    judge.store.delete("annotation", note.id)

    judge.sync_once()

    on_server = _server_record(live_server, "judge1", "annotation", note.id)
    assert on_server is not None and on_server.deleted
    assert judge.store.get("annotation", note.id) is None
    assert judge.store.pending_count() == 0 and judge.store.issues() == []


def test_an_annotation_made_and_removed_between_syncs_never_reaches_the_server(
    live_server: LiveServer, tmp_path: Path
) -> None:
    judge = _engine(live_server, tmp_path, "judge1")
    note = _an_annotation(judge, str(judge.client.session.user["id"]))  # type: ignore[union-attr]
    judge.store.save(note)
    assert judge.store.delete("annotation", note.id) is None
    judge.sync_once()
    assert _server_record(live_server, "judge1", "annotation", note.id) is None
    assert judge.store.pending_count() == 0


def test_keep_mine_on_a_conflicted_delete_deletes_it(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """The same judge on two computers: one edits a note, the other deletes it."""
    bench = _engine(live_server, tmp_path, "judge1", "bench")
    chambers = _engine(live_server, tmp_path, "judge1", "chambers")
    note = _an_annotation(bench, str(bench.client.session.user["id"]))  # type: ignore[union-attr]
    bench.store.save(note)
    bench.sync_once()
    chambers.sync_once()
    bench.store.save(note.model_copy(update={"comment": "see page 4"}))
    bench.sync_once()
    chambers.store.delete("annotation", note.id)

    chambers.sync_once()
    (issue,) = chambers.store.issues()
    assert (issue.kind, issue.op) == ("conflict", "delete")
    assert chambers.store.get("annotation", note.id)["comment"] == "see page 4"  # type: ignore[index]
    chambers.store.resolve_keep_mine(issue.id)
    chambers.sync_once()

    on_server = _server_record(live_server, "judge1", "annotation", note.id)
    assert on_server.deleted
    assert chambers.store.get("annotation", note.id) is None
    assert chambers.store.issues() == []


def test_a_bench_ruling_on_a_hearing_changed_meanwhile_issues_nothing_and_says_why(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """The judge continues a hearing offline while the clerk changed it: the signed order
    and the adjournment are refused together, and both stay in front of the judge."""
    judge = _engine(live_server, tmp_path, "judge1")
    clerk = _engine(live_server, tmp_path, "clerk1")
    judge_id = str(judge.client.session.user["id"])  # type: ignore[union-attr]
    hearing = next(
        h
        for h in judge.store.all("hearing")
        if h["status"] == "scheduled"
        and (judge.store.get("case", h["case_id"]) or {}).get("judge_id") == judge_id
    )
    moved = Hearing.model_validate(hearing).model_copy(update={"duration_minutes": 75})
    clerk.store.save(moved)
    clerk.sync_once()
    next_start = datetime.fromisoformat(str(hearing["starts_at"])) + timedelta(days=28)
    ruling = continuance_ruling(
        judge.store, hearing, judge_id, "judge", "01", next_start, "to seek counsel"
    )
    judge.store.save_together([ruling.order, ruling.adjourned])

    report = judge.sync_once()

    assert (report.conflicts, report.rejected) == (1, 1)
    issues = {i.entity: i for i in judge.store.issues()}
    assert issues["hearing"].kind == "conflict"
    assert issues["order"].kind == "rejected" and "hearing" in (issues["order"].error or "")
    assert issues["order"].local_data["status"] == "signed"  # type: ignore[index]
    assert _server_record(live_server, "judge1", "order", ruling.order.id) is None
    assert judge.store.get("order", ruling.order.id) is None  # shown as the server has it
    assert judge.store.get("hearing", hearing["id"])["duration_minutes"] == 75  # type: ignore[index]


def test_an_edit_queued_behind_a_refused_one_stays_with_its_issue(
    live_server: LiveServer, tmp_path: Path
) -> None:
    clerk1 = _engine(live_server, tmp_path, "clerk1")
    clerk2 = _engine(live_server, tmp_path, "clerk2")
    hearing = _a_hearing(clerk1)
    clerk2.store.save(hearing.model_copy(update={"duration_minutes": 60}))
    clerk2.sync_once()
    clerk1.store.save(hearing.model_copy(update={"duration_minutes": 45}))
    clerk1.store.mark_sending(clerk1.store.pending())  # sent once, answer never came
    clerk1.store.save(hearing.model_copy(update={"duration_minutes": 50}))  # waits behind

    clerk1.sync_once()

    (issue,) = clerk1.store.issues()
    assert issue.kind == "conflict" and issue.local_data["duration_minutes"] == 50  # type: ignore[index]
    assert clerk1.store.pending_count() == 0
    assert clerk1.store.get("hearing", hearing.id)["duration_minutes"] == 60  # type: ignore[index]


def test_a_store_from_an_older_client_opens_and_keeps_its_waiting_changes(
    tmp_path: Path,
) -> None:
    """A store written before groups and issue kinds existed gains the columns in place."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, mutation_id VARCHAR(36)
          NOT NULL UNIQUE, entity VARCHAR(40) NOT NULL, record_id VARCHAR(36) NOT NULL,
          op VARCHAR(10) NOT NULL, base_version INTEGER, data TEXT, revision INTEGER NOT NULL,
          attempts INTEGER NOT NULL, last_error TEXT, created_at VARCHAR(40) NOT NULL);
        CREATE TABLE sync_issue (id INTEGER PRIMARY KEY AUTOINCREMENT, kind VARCHAR(10) NOT
          NULL, entity VARCHAR(40) NOT NULL, record_id VARCHAR(36) NOT NULL, local_data TEXT,
          server_change TEXT, error TEXT, created_at VARCHAR(40) NOT NULL);
        INSERT INTO outbox VALUES (1, 'm-1', 'hearing', 'h-1', 'upsert', 3, '{"id": "h-1"}',
          0, 1, NULL, '2026-12-01T10:00:00+00:00');
        """
    )
    conn.commit()
    conn.close()

    store = LocalStore(path)

    (entry,) = store.pending()
    assert (entry.mutation_id, entry.base_version, entry.group_id) == ("m-1", 3, None)
    assert "group" not in entry.as_mutation()


def test_a_hearing_edited_as_its_case_moves_away_leaves_this_copy_with_an_issue(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """Clerk 1 edits a hearing while clerk 2 moves its case to another court; a pull runs
    before the edit is sent. The edit is refused (out of scope) and the hearing leaves
    clerk 1's copy instead of staying there for good."""
    from common.wire import Case, Order
    from tests.conftest import user_id
    from tests.server.sync_helpers import venue_order

    desk = _engine(live_server, tmp_path, "clerk1", "desk")
    mover = _engine(live_server, tmp_path, "clerk1", "mover")
    hearing = _a_hearing(desk)
    case = Case.model_validate(mover.store.get("case", hearing.case_id))
    # The case's judge grants a party's motion to change venue (8 CFR 1003.20(b)).
    judge = {user_id(n): n for n in ("judge1", "judge2")}[str(case.judge_id)]
    bench = _engine(live_server, tmp_path, judge, "bench")
    bench.store.save(Order.model_validate(venue_order(case.id, judge, court_id("NYB"))))
    bench.sync_once()
    desk.store.save(hearing.model_copy(update={"duration_minutes": 45}))
    mover.store.save(case.model_copy(update={"court_id": court_id("NYB"), "judge_id": None}))
    mover.sync_once()
    desk.pull(SyncReport(), lambda phase, done, total: None)  # the hearing's tombstone waits

    desk.sync_once()

    assert desk.store.get("hearing", hearing.id) is None
    assert desk.store.get("case", hearing.case_id) is None
    (issue,) = desk.store.issues()
    assert issue.kind == "rejected" and "scope" in (issue.error or "")
    assert issue.local_data["duration_minutes"] == 45  # type: ignore[index]
