"""The local store's own rules, each asserted exactly (no server needed): the client id and
cursor persist, unsent edits survive pulls and scope resets, the outbox keeps its order and
its errors, the server's answers become versions or kept issues, and the encrypted copy
opens only with its key. Written for the mutation run of desktop/local_store.py
(docs/TESTING.md): each test fails with a fault planted in the behaviour it names."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, insert, select

from common.enums import ClockEffect, HearingStatus, HearingType, Medium
from common.protocol import Change, MutationResult, MutationStatus
from common.wire import AdjournmentCodeRecord, Hearing
from desktop import outbox
from desktop.local_schema import issue_table, outbox_table, record_table, state_table
from desktop.local_store import (
    RESET_SWEEP,
    LocalStore,
    StoreLocked,
    is_plain_sqlite,
)

KEY = bytes(range(32))
ENTITY = "adjournment_code"


def _code(code: str, description: str = "seek representation") -> AdjournmentCodeRecord:
    return AdjournmentCodeRecord(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"mutants-{code}")),
        code=code,
        description=description,
        clock_effect=ClockEffect.STOPS,
    )


def _change(record: AdjournmentCodeRecord, version: int, deleted: bool = False) -> Change:
    return Change(
        entity=record.entity,
        id=record.id,
        version=version,
        deleted=deleted,
        data=record.model_dump(mode="json"),
    )


def _row(store: LocalStore, record_id: str) -> Any:
    with store.engine.connect() as conn:
        return conn.execute(select(record_table).where(record_table.c.id == record_id)).first()


def _outbox(store: LocalStore) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(outbox_table).order_by(outbox_table.c.seq)))


# -- state ------------------------------------------------------------------------------------


def test_the_client_id_is_made_once_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = LocalStore(path)
    first = store.client_id
    assert str(uuid.UUID(first)) == first
    assert store.client_id == first
    store.engine.dispose()
    assert LocalStore(path).client_id == first
    assert LocalStore(tmp_path / "other.sqlite3").client_id != first


def test_the_cursor_is_one_value_replaced_by_each_page(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    assert store.get_state("cursor") is None
    assert store.get_state("cursor", "start") == "start"
    store.apply_page([], "c1")
    store.apply_page([], "c2")
    assert store.get_state("cursor") == "c2"
    assert store.get_state("cursor", "start") == "c2"
    synced = datetime.fromisoformat(str(store.get_state("last_sync_at")))
    assert synced.utcoffset() == timedelta(0)
    with store.engine.connect() as conn:
        rows = list(conn.execute(select(state_table).where(state_table.c.key == "cursor")))
    assert [r.value for r in rows] == ["c2"]
    store.engine.dispose()
    assert LocalStore(tmp_path / "s.sqlite3").get_state("cursor") == "c2"


# -- reads ------------------------------------------------------------------------------------


def test_reads_see_live_records_of_one_entity_only(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    one, two, gone = _code("r1"), _code("r2"), _code("r3")
    assert store.apply_page([_change(one, 3), _change(two, 4), _change(gone, 5, True)], "c") == 3
    assert store.count(ENTITY) == 2
    assert store.count("hearing") == 0
    assert sorted(r["code"] for r in store.all(ENTITY)) == ["r1", "r2"]
    assert store.all("hearing") == []
    assert store.get(ENTITY, gone.id) is None
    assert store.get("hearing", one.id) is None
    assert store.version_of(ENTITY, two.id) == 4
    assert store.version_of(ENTITY, gone.id) == 5
    assert store.version_of(ENTITY, str(uuid.uuid4())) == 0
    assert store.version_of("hearing", one.id) == 0


# -- local edits and the outbox ---------------------------------------------------------------


def test_one_action_is_one_group_and_a_single_edit_none(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    one, two, three = _code("g1"), _code("g2"), _code("g3")
    ids = store.save_together([one, two])
    alone = store.save_together([three])
    entries = store.pending()
    assert [e.mutation_id for e in entries] == [*ids, *alone]
    assert entries[0].group_id is not None
    assert entries[0].group_id == entries[1].group_id
    assert entries[2].group_id is None
    assert [e.record_id for e in entries] == [one.id, two.id, three.id]


def test_one_action_s_records_are_kept_and_queued_in_their_wire_form(tmp_path: Path) -> None:
    """A bench ruling saved together (the adjourned hearing beside its order): the local
    copy and the queued change hold each record as the wire format writes it, the hearing's
    time in UTC with its "Z", as a pull would bring it back."""
    store = LocalStore(tmp_path / "s.sqlite3")
    hearing = Hearing(
        id=str(uuid.uuid4()),
        case_id=str(uuid.uuid4()),
        courtroom_id=None,
        judge_id=None,
        hearing_type=HearingType.MASTER,
        medium=Medium.IN_PERSON,
        starts_at=datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
        duration_minutes=30,
        status=HearingStatus.ADJOURNED,
    )
    code = _code("b1")
    store.save_together([hearing, code])
    wire = hearing.model_dump(mode="json")
    assert wire["starts_at"] == "2026-12-01T17:00:00Z"
    assert store.get("hearing", hearing.id) == wire
    assert [e.data for e in store.pending()] == [wire, code.model_dump(mode="json")]


def test_the_outbox_keeps_the_order_edits_were_made_and_its_limit(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    records = [_code(f"o{i}") for i in range(3)]
    ids = [store.save(r) for r in records]
    assert store.pending_count() == 3
    assert [e.op for e in store.pending()] == ["upsert"] * 3
    assert [e.mutation_id for e in store.pending()] == ids
    assert [e.mutation_id for e in store.pending(limit=2)] == ids[:2]


def test_a_record_made_here_and_deleted_unsent_simply_goes(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("d1")
    store.save(record)
    assert store.delete(ENTITY, record.id) is None
    assert store.pending_count() == 0
    assert _row(store, record.id) is None


def test_deleting_a_server_record_queues_a_tombstone(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("d2")
    store.apply_page([_change(record, 6)], "c")
    mutation = store.delete(ENTITY, record.id)
    assert mutation is not None
    [entry] = store.pending()
    assert (entry.mutation_id, entry.op, entry.base_version) == (mutation, "delete", 6)
    assert store.get(ENTITY, record.id) is None
    assert store.count(ENTITY) == 0


def test_a_failed_push_keeps_its_error_on_its_entries_only(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    store.save(_code("e1"))
    store.save(_code("e2"))
    first, second = store.pending()
    store.mark_sending([first])
    store.note_attempt([first], "server unreachable")
    rows = _outbox(store)
    assert [(r.attempts, r.last_error) for r in rows] == [(1, "server unreachable"), (0, None)]
    assert second.mutation_id == rows[1].mutation_id


def test_an_applied_edit_takes_the_servers_version_and_leaves_the_outbox(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    answered, unanswered = _code("a1"), _code("a2", "kept")
    store.save(answered)
    store.save(unanswered)
    entries = store.pending()
    store.mark_sending(entries)
    results = [
        MutationResult(
            mutation_id=entries[0].mutation_id, status=MutationStatus.APPLIED, version=9
        ),
        MutationResult(mutation_id=str(uuid.uuid4()), status=MutationStatus.APPLIED, version=4),
    ]
    store.acknowledge(entries, results)
    assert [r.mutation_id for r in _outbox(store)] == [entries[1].mutation_id]
    assert store.version_of(ENTITY, answered.id) == 9
    assert store.version_of(ENTITY, unanswered.id) == 0
    assert store.get(ENTITY, unanswered.id) == unanswered.model_dump(mode="json")
    assert store.issues() == []


# -- conflicts and refusals -------------------------------------------------------------------


def _conflict(tmp_path: Path) -> tuple[LocalStore, AdjournmentCodeRecord, AdjournmentCodeRecord]:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("k1", "server")
    store.apply_page([_change(record, 2)], "c")
    mine = record.model_copy(update={"description": "mine"})
    store.save(mine)
    [entry] = store.pending()
    store.mark_sending([entry])
    theirs = record.model_copy(update={"description": "theirs"})
    store.acknowledge(
        [entry],
        [
            MutationResult(
                mutation_id=entry.mutation_id,
                status=MutationStatus.CONFLICT,
                current=_change(theirs, 5),
                error="changed meanwhile",
            )
        ],
    )
    return store, mine, theirs


def test_a_conflict_is_kept_with_both_versions_until_someone_decides(tmp_path: Path) -> None:
    store, mine, theirs = _conflict(tmp_path)
    [issue] = store.issues()
    assert (issue.kind, issue.entity, issue.record_id, issue.op, issue.error) == (
        "conflict",
        ENTITY,
        mine.id,
        "upsert",
        "changed meanwhile",
    )
    assert issue.local_data == mine.model_dump(mode="json")
    assert issue.server_change is not None
    assert issue.server_change["version"] == 5
    assert issue.server_change["data"] == theirs.model_dump(mode="json")
    assert store.get(ENTITY, mine.id) == theirs.model_dump(mode="json")
    assert store.pending_count() == 0


def test_keep_mine_sends_the_edit_again_on_the_servers_version(tmp_path: Path) -> None:
    store, mine, _ = _conflict(tmp_path)
    [issue] = store.issues()
    mutation = store.resolve_keep_mine(issue.id)
    assert mutation is not None
    [entry] = store.pending()
    assert (entry.mutation_id, entry.op, entry.base_version) == (mutation, "upsert", 5)
    assert entry.data == mine.model_dump(mode="json")
    assert store.get(ENTITY, mine.id) == mine.model_dump(mode="json")
    assert store.issues() == []
    assert store.resolve_keep_mine(issue.id) is None  # answered already


def test_take_theirs_drops_the_edit_and_keeps_the_servers_record(tmp_path: Path) -> None:
    store, mine, theirs = _conflict(tmp_path)
    [issue] = store.issues()
    store.resolve_take_theirs(issue.id)
    assert store.issues() == []
    assert store.pending_count() == 0
    assert store.get(ENTITY, mine.id) == theirs.model_dump(mode="json")
    assert store.version_of(ENTITY, mine.id) == 5


def test_a_refused_edit_shows_the_servers_record_again(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("x1", "server")
    store.apply_page([_change(record, 3)], "c")
    store.save(record.model_copy(update={"description": "refused"}))
    [entry] = store.pending()
    store.mark_sending([entry])
    store.acknowledge(
        [entry],
        [MutationResult(mutation_id=entry.mutation_id, status=MutationStatus.REJECTED)],
    )
    assert store.get(ENTITY, record.id) == record.model_dump(mode="json")
    [issue] = store.issues()
    assert (issue.kind, issue.server_change) == ("rejected", None)
    assert issue.local_data is not None and issue.local_data["description"] == "refused"
    assert _row(store, record.id).server_data == _row(store, record.id).data


def test_keep_mine_of_a_refused_new_record_sends_it_again_as_new(tmp_path: Path) -> None:
    """A record made here that the server refused (no record of it there, so no server
    change in the issue): keeping it queues it again with no base version, a creation,
    which the server does not answer "the record does not exist on the server"."""
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("x3", "made here")
    store.save(record)
    [entry] = store.pending()
    assert entry.base_version is None
    store.mark_sending([entry])
    store.acknowledge(
        [entry],
        [MutationResult(mutation_id=entry.mutation_id, status=MutationStatus.REJECTED)],
    )
    [issue] = store.issues()
    assert (issue.kind, issue.server_change) == ("rejected", None)
    mutation = store.resolve_keep_mine(issue.id)
    [again] = store.pending()
    assert (again.mutation_id, again.op, again.base_version) == (mutation, "upsert", None)
    assert again.data == record.model_dump(mode="json")


def test_keep_mine_of_a_refused_delete_sends_the_delete_again(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("x2")
    store.apply_page([_change(record, 4)], "c")
    store.delete(ENTITY, record.id)
    [entry] = store.pending()
    store.mark_sending([entry])
    store.acknowledge(
        [entry],
        [
            MutationResult(
                mutation_id=entry.mutation_id,
                status=MutationStatus.CONFLICT,
                current=_change(record, 7),
            )
        ],
    )
    [issue] = store.issues()
    assert issue.op == "delete"
    mutation = store.resolve_keep_mine(issue.id)
    [again] = store.pending()
    assert (again.mutation_id, again.op, again.base_version, again.data) == (
        mutation,
        "delete",
        7,
        None,
    )
    assert store.get(ENTITY, record.id) is None


# -- pulls ------------------------------------------------------------------------------------


def test_within_a_page_the_later_change_of_a_record_wins(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("p1", "first")
    later = record.model_copy(update={"description": "later"})
    assert store.apply_page([_change(record, 2), _change(later, 3)], "c") == 1
    assert store.get(ENTITY, record.id) == later.model_dump(mode="json")
    assert store.version_of(ENTITY, record.id) == 3
    assert store.apply_page([_change(later, 3)], "c2") == 0  # held already: nothing written
    newer = record.model_copy(update={"description": "newer"})
    assert store.apply_page([_change(newer, 4)], "c3") == 1
    assert _row(store, record.id).server_data == _row(store, record.id).data


def test_a_large_page_is_matched_against_every_record_held(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    records = [_code(f"{i:04d}") for i in range(1001)]
    assert store.apply_page([_change(r, 1) for r in records], "c1") == 1001
    assert store.apply_page([_change(r, 1) for r in records], "c2") == 0
    assert store.apply_page([_change(r, 2) for r in records], "c3") == 1001
    assert store.count(ENTITY) == 1001


def test_a_scope_reset_sweeps_only_what_the_last_page_did_not_confirm(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    kept, dropped, edited = _code("s1"), _code("s2"), _code("s3")
    store.apply_page([_change(kept, 2), _change(dropped, 1), _change(edited, 4)], "c1")
    mine = edited.model_copy(update={"description": "unsent"})
    store.save(mine)
    store.apply_page([], "c2", reset=True, last=False)
    assert store.get_state(RESET_SWEEP) == "1"
    assert store.get(ENTITY, dropped.id) is not None  # readable until the last page
    assert store.version_of(ENTITY, dropped.id) == 1
    assert _row(store, dropped.id).version == -1
    assert _row(store, edited.id).version == 4  # waiting in the outbox: not marked
    store.apply_page([_change(kept, 2)], "c3", last=True)
    assert store.get_state(RESET_SWEEP) == ""
    assert store.get(ENTITY, kept.id) == kept.model_dump(mode="json")
    assert _row(store, kept.id).version == 2
    assert _row(store, dropped.id) is None
    assert store.get(ENTITY, edited.id) == mine.model_dump(mode="json")
    [entry] = store.pending()
    assert entry.base_version == 4
    assert store.get_state("cursor") == "c3"


def test_two_interrupted_resets_still_sweep_at_the_last_page(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    kept, dropped = _code("i1"), _code("i2")
    store.apply_page([_change(kept, 5), _change(dropped, 6)], "c1")
    store.apply_page([], "c2", reset=True, last=False)
    store.apply_page([], "c3", reset=True, last=False)
    assert _row(store, dropped.id).version == -6
    assert store.apply_page([_change(kept, 5)], "c4") == 1
    assert store.count(ENTITY) == 1
    assert store.get(ENTITY, dropped.id) is None


def test_an_edit_made_during_a_reset_keeps_its_base_and_survives_the_sweep(
    tmp_path: Path,
) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("m1")
    store.apply_page([_change(record, 8)], "c1")
    store.apply_page([], "c2", reset=True, last=False)
    mine = record.model_copy(update={"description": "during the reset"})
    store.save(mine)
    [entry] = store.pending()
    assert entry.base_version == 8
    store.apply_page([], "c3", last=True)
    assert store.get(ENTITY, record.id) == mine.model_dump(mode="json")


def test_a_page_that_is_not_the_last_and_no_reset_sweeps_nothing(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("n1")
    store.apply_page([_change(record, 2)], "c1")
    store.apply_page([], "c2", reset=True, last=False)
    store.apply_page([], "c3", last=False)
    assert store.get(ENTITY, record.id) is not None
    assert store.get_state(RESET_SWEEP) == "1"


# -- the SQLite file --------------------------------------------------------------------------


def test_the_file_is_durable_and_waits_for_the_lock(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_a_write_transaction_takes_the_write_lock_at_once(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = LocalStore(path)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with store.engine.connect() as conn, conn.begin():  # a read: no lock taken
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        # Nothing written yet in the transaction: the lock is held already.
        with store.transaction(), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


# -- the encrypted copy -----------------------------------------------------------------------


def test_is_plain_sqlite_tells_a_plain_file_from_others(tmp_path: Path) -> None:
    assert is_plain_sqlite(tmp_path / "missing.sqlite3") is False
    plain = tmp_path / "plain.sqlite3"
    LocalStore(plain).engine.dispose()
    assert is_plain_sqlite(plain) is True
    short = tmp_path / "short"
    short.write_bytes(b"SQLite format 3")  # the header without its final NUL
    assert is_plain_sqlite(short) is False
    LocalStore(tmp_path / "enc.sqlite3", KEY).engine.dispose()
    assert is_plain_sqlite(tmp_path / "enc.sqlite3") is False


def test_only_a_32_byte_key_is_accepted(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        LocalStore(tmp_path / "s.sqlite3", KEY[:31])


def test_the_encrypted_copy_opens_with_its_key_only(tmp_path: Path) -> None:
    path = tmp_path / "enc.sqlite3"
    store = LocalStore(path, KEY)
    assert store.encrypted is True
    record = _code("c1")
    store.apply_page([_change(record, 2)], "c1")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cipher_page_size").scalar() == "16384"
        assert conn.exec_driver_sql("PRAGMA cipher_hmac_algorithm").scalar() == "HMAC_SHA256"
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.engine.dispose()
    assert LocalStore(path, KEY).get(ENTITY, record.id) == record.model_dump(mode="json")
    with pytest.raises(StoreLocked):
        LocalStore(path, bytes(32))
    assert LocalStore(tmp_path / "plain.sqlite3").encrypted is False


def test_a_plain_copy_is_encrypted_in_place_keeping_records_and_edits(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    plain = LocalStore(path)
    record, mine = _code("e1"), _code("e2", "unsent")
    plain.apply_page([_change(record, 3)], "c7")
    mutation = plain.save(mine)
    with plain.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA user_version = 7")
    client = plain.client_id
    plain.engine.dispose()
    store = LocalStore(path, KEY)
    assert is_plain_sqlite(path) is False
    assert not path.with_name(path.name + ".encrypting").exists()
    assert store.get(ENTITY, record.id) == record.model_dump(mode="json")
    assert [e.mutation_id for e in store.pending()] == [mutation]
    assert (store.get_state("cursor"), store.client_id) == ("c7", client)
    store.engine.dispose()


def test_each_action_gets_its_own_group_and_carries_its_records(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    first = [_code("t1"), _code("t2")]
    second = [_code("t3"), _code("t4")]
    store.save_together(first)
    store.save_together(second)
    entries = store.pending()
    assert len({e.group_id for e in entries}) == 2
    assert [e.op for e in entries] == ["upsert"] * 4
    assert [e.data for e in entries] == [r.model_dump(mode="json") for r in first + second]
    assert store.get(ENTITY, first[0].id) == first[0].model_dump(mode="json")


def _old_issue(store: LocalStore, record_id: str, local: str | None, op: str | None) -> int:
    """An issue row as an older client wrote it (no ``op`` column then: NULL)."""
    with store.transaction() as conn:
        conn.execute(
            insert(issue_table).values(
                kind="conflict",
                entity=ENTITY,
                record_id=record_id,
                local_data=local,
                server_change=None,
                error=None,
                created_at="2026-01-05T10:00:00+00:00",
                op=op,
            )
        )
        return int(conn.scalar(select(func.max(issue_table.c.id))) or 0)


def test_an_older_clients_issue_without_op_is_an_edit_to_send_again(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("q1", "mine")
    store.apply_page([_change(_code("q1"), 2)], "c")
    issue_id = _old_issue(
        store, record.id, orjson.dumps(record.model_dump(mode="json")).decode(), None
    )
    [issue] = store.issues()
    assert (issue.id, issue.op) == (issue_id, "upsert")
    mutation = store.resolve_keep_mine(issue_id)
    [entry] = store.pending()
    assert (entry.mutation_id, entry.op) == (mutation, "upsert")
    assert entry.data == record.model_dump(mode="json")


def test_keep_mine_needs_the_users_version_unless_it_was_a_delete(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    gone, empty = _code("q2"), _code("q3")
    store.apply_page([_change(gone, 3), _change(empty, 4)], "c")
    deleted = _old_issue(store, gone.id, None, "delete")
    nothing = _old_issue(store, empty.id, None, "upsert")
    mutation = store.resolve_keep_mine(deleted)
    assert mutation is not None
    [entry] = store.pending()
    assert (entry.mutation_id, entry.op, entry.record_id) == (mutation, "delete", gone.id)
    assert store.resolve_keep_mine(nothing) is None  # nothing of the user's to send
    assert [i.id for i in store.issues()] == [nothing]
    assert store.pending_count() == 1


def test_a_conversion_cut_short_before_is_started_again_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    plain = LocalStore(path)
    record = _code("v1")
    plain.apply_page([_change(record, 2)], "c1")
    plain.engine.dispose()
    leftover = path.with_name(path.name + ".encrypting")
    leftover.write_bytes(b"half of an earlier conversion")
    store = LocalStore(path, KEY)
    assert not leftover.exists()
    assert store.get(ENTITY, record.id) == record.model_dump(mode="json")


def test_the_encrypted_copy_is_used_from_the_sync_thread_too(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "enc.sqlite3", KEY)
    record = _code("w1")
    store.apply_page([_change(record, 2)], "c1")  # its connection goes back to the pool
    seen: list[Any] = []
    worker = threading.Thread(target=lambda: seen.append(store.get(ENTITY, record.id)))
    worker.start()
    worker.join()
    assert seen == [record.model_dump(mode="json")]


def test_a_push_takes_at_most_200_entries_unless_told(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    with store.transaction() as conn:  # 201 separate edits, written at once
        for i in range(201):
            record = _code(f"{i:04d}")
            outbox.queue(conn, ENTITY, record.id, "upsert", record.model_dump(mode="json"))
    assert store.pending_count() == 201
    assert len(store.pending()) == 200


def test_a_first_start_makes_the_folders_of_the_copy(tmp_path: Path) -> None:
    path = tmp_path / "profile" / "court.example" / "clerk.sqlite3"
    store = LocalStore(path)
    assert store.path == path
    store.apply_page([_change(_code("f1"), 1)], "c1")
    assert path.is_file()
    assert store.count(ENTITY) == 1


def test_a_record_saved_alone_is_kept_and_queued_in_its_wire_form(tmp_path: Path) -> None:
    """``save`` (one record, one action) writes the wire format as ``save_together`` does:
    a hearing's time in UTC with its "Z", as the server stores it and a pull brings it back."""
    store = LocalStore(tmp_path / "s.sqlite3")
    hearing = Hearing(
        id=str(uuid.uuid4()),
        case_id=str(uuid.uuid4()),
        courtroom_id=None,
        judge_id=None,
        hearing_type=HearingType.MASTER,
        medium=Medium.IN_PERSON,
        starts_at=datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
        duration_minutes=30,
        status=HearingStatus.SCHEDULED,
    )
    store.save(hearing)
    wire = hearing.model_dump(mode="json")
    assert wire["starts_at"] == "2026-12-01T17:00:00Z"
    assert store.get("hearing", hearing.id) == wire
    assert [e.data for e in store.pending()] == [wire]


def test_a_page_s_held_versions_are_looked_up_500_ids_a_query(tmp_path: Path) -> None:
    """A page of 1,001 new records: three look-ups of the versions held (500, 500, 1),
    not one per record."""
    from sqlalchemy import event

    store = LocalStore(tmp_path / "s.sqlite3")
    changes = [_change(_code(f"{i:x}"), 1) for i in range(1001)]
    lookups: list[int] = []

    def count(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        if statement.startswith("SELECT") and "WHERE record.id IN" in statement:
            lookups.append(len(params) if isinstance(params, (tuple, list)) else 0)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        assert store.apply_page(changes, "c") == 1001
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert lookups == [500, 500, 1]
