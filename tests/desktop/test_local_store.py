"""The local store's rules for pulled pages and local edits (no server needed)."""

from __future__ import annotations

import uuid
from pathlib import Path

from common.enums import ClockEffect
from common.protocol import Change
from common.wire import AdjournmentCodeRecord
from desktop.local_store import LocalStore


def _code(code: str, description: str = "seek representation") -> AdjournmentCodeRecord:
    return AdjournmentCodeRecord(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, code)),
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


def test_a_page_applies_with_its_cursor_and_keeps_the_newest_version(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    one, two = _code("01"), _code("02")
    assert store.apply_page([_change(one, 5), _change(two, 6)], "c1") == 2
    assert store.get_state("cursor") == "c1"
    older = one.model_copy(update={"description": "stale"})
    assert store.apply_page([_change(older, 4)], "c2") == 0  # an older version never wins
    assert store.get("adjournment_code", one.id) == one.model_dump(mode="json")


def test_a_departure_and_a_return_in_one_page_leave_the_record(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("03")
    store.apply_page([_change(record, 1)], "c1")
    store.apply_page([_change(record, 7, deleted=True), _change(record, 8)], "c2")
    assert store.get("adjournment_code", record.id) is not None
    store.apply_page([_change(record, 9, deleted=True)], "c3")
    assert store.get("adjournment_code", record.id) is None


def test_a_pull_does_not_overwrite_an_unsent_local_edit(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("04")
    store.apply_page([_change(record, 1)], "c1")
    mine = record.model_copy(update={"description": "mine"})
    store.save(mine)
    theirs = record.model_copy(update={"description": "theirs"})
    assert store.apply_page([_change(theirs, 2)], "c2") == 0
    assert store.get("adjournment_code", record.id) == mine.model_dump(mode="json")
    [entry] = store.pending()
    assert entry.base_version == 1  # the push will meet the server's version 2: a conflict


def test_edits_of_one_record_are_coalesced_into_one_mutation(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("05")
    store.save(record)
    store.save(record.model_copy(update={"description": "second thought"}))
    [entry] = store.pending()
    assert entry.data is not None and entry.data["description"] == "second thought"
    assert entry.base_version is None  # still a creation
