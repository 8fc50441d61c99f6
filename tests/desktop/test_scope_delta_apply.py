"""The local store applies a scope change's catch-up (services/scope_delta.py): a record
that left the user's scope arrives as a tombstone at the version this copy holds, and is
removed from view; an unsent edit of such a record stays (no server needed)."""

from __future__ import annotations

import uuid
from pathlib import Path

from common.enums import ClockEffect
from common.protocol import Change
from common.wire import AdjournmentCodeRecord
from desktop.local_store import LocalStore


def _code(code: str, description: str = "seek representation") -> AdjournmentCodeRecord:
    return AdjournmentCodeRecord(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"delta-{code}")),
        code=code,
        description=description,
        clock_effect=ClockEffect.STOPS,
    )


def _change(record: AdjournmentCodeRecord, version: int, deleted: bool = False) -> Change:
    data = {"id": record.id} if deleted else record.model_dump(mode="json")
    return Change(entity=record.entity, id=record.id, version=version, deleted=deleted, data=data)


def test_a_tombstone_at_the_held_version_removes_the_record(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    left, stays = _code("01"), _code("02")
    store.apply_page([_change(left, 5), _change(stays, 6)], "c1")
    assert store.apply_page([_change(left, 5, deleted=True)], "c2") == 1
    assert store.get("adjournment_code", left.id) is None
    assert store.get("adjournment_code", stays.id) == stays.model_dump(mode="json")
    # the same version live again is no change (a record is sent again, not doubled)
    assert store.apply_page([_change(stays, 6)], "c3") == 0
    assert len(store.all("adjournment_code")) == 1


def test_an_unsent_edit_of_a_record_that_left_survives_its_tombstone(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("03")
    store.apply_page([_change(record, 7)], "c1")
    edited = record.model_copy(update={"description": "edited offline"})
    store.save(edited)  # waiting in the outbox
    store.apply_page([_change(record, 7, deleted=True)], "c2")
    held = store.get("adjournment_code", record.id)
    assert held is not None and held["description"] == "edited offline"


def test_a_record_that_left_comes_back_at_the_same_version(tmp_path: Path) -> None:
    """Out of scope and back (an appearance ended, then accepted again): the record is
    sent at the version it had, which this copy holds as a tombstone."""
    store = LocalStore(tmp_path / "s.sqlite3")
    record = _code("04")
    store.apply_page([_change(record, 9)], "c1")
    store.apply_page([_change(record, 9, deleted=True)], "c2")
    assert store.get("adjournment_code", record.id) is None
    assert store.apply_page([_change(record, 9)], "c3") == 1
    assert store.get("adjournment_code", record.id) == record.model_dump(mode="json")
