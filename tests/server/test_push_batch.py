"""A push's statements batched (services/push_batch, db.reserve_versions, audit.hold_entries)
answer and record exactly what the one-at-a-time path did: the same results, versions with
no gap (SQLite; on PostgreSQL unused ones stay gaps: db.py), audit entries in the mutations'
order with the chain intact, nothing of a refused mutation or rolled-back group left behind."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from sync_server.db import is_postgres
from sync_server.services import sync
from tests.conftest import Api, mutation
from tests.server.audit_helpers import entries_after, max_seq, verify
from tests.server.sync_helpers import (
    TokenBook,
    adjournment_code_data,
    hearing_data,
    server_version,
    stored,
)


@pytest.fixture(params=[True, False], ids=["batched", "one-at-a-time"])
def path(request: pytest.FixtureRequest) -> Iterator[bool]:
    before = sync.PUSH_BATCHED
    sync.PUSH_BATCHED = request.param
    yield request.param
    sync.PUSH_BATCHED = before


def test_a_mixed_push_records_what_it_applied_in_order(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any], path: bool
) -> None:
    top, seq = server_version(seeded_app), max_seq(seeded_app)
    first, second = hearing_data(case["id"]), hearing_data(case["id"])
    # a group whose second member is refused (a hearing of a case that does not exist)
    group = str(uuid.uuid4())
    grouped = [
        {**mutation("hearing", hearing_data(case["id"])), "group": group},
        {**mutation("hearing", hearing_data(str(uuid.uuid4()))), "group": group},
    ]
    moved = {**first, "duration_minutes": 90}
    results = api.push(
        tokens["clerk1"],
        mutation("hearing", first),
        *grouped,
        mutation("hearing", second),
    )
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "applied"]
    assert stored(seeded_app, "hearing", grouped[0]["id"]) is None
    # a database refusal in the next push takes no version either
    duplicate = {**adjournment_code_data(), "code": "01"}  # unique in the database
    code = adjournment_code_data()
    refused, ok = api.push(
        tokens["eoir1"],
        mutation("adjournment_code", duplicate),
        mutation("adjournment_code", code),
    )
    assert (refused["status"], ok["status"]) == ("rejected", "applied")
    moved = {**first, "duration_minutes": 90}
    [again] = api.push(
        tokens["clerk1"], mutation("hearing", moved, base_version=results[0]["version"])
    )
    assert again["status"] == "applied"
    # the committed top is the newest version written: no reserved version is left above it
    # (SQLite gives them back; PostgreSQL's sequence can't, so there they stay gaps)
    written = max(_versions_after(seeded_app, top))
    if is_postgres(seeded_app.extensions["ecas"].factory.kw["bind"]):
        assert written <= server_version(seeded_app)
    else:
        assert written == server_version(seeded_app)

    entries = entries_after(seeded_app, seq)
    pushed = [(e.action, e.record_id) for e in entries if e.action.startswith(("record.", "sync."))]
    assert pushed == [
        ("record.create", first["id"]),
        ("sync.mutation_refused", grouped[0]["id"]),
        ("sync.mutation_refused", grouped[1]["id"]),
        ("record.create", second["id"]),
        ("sync.mutation_refused", duplicate["id"]),
        ("record.create", code["id"]),
        ("record.update", first["id"]),
    ]
    versions = [e.detail["version"] for e in entries if e.action.startswith("record.")]
    applied = [results[0], results[3], ok, again]
    assert versions == [r["version"] for r in applied]
    assert versions == sorted(versions)
    assert verify(seeded_app).ok


def test_a_push_that_applies_nothing_takes_no_version(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any], path: bool
) -> None:
    """A group whose first member applied before its second was refused rolls back whole,
    and the versions the first took are handed out again (SQLite; on PostgreSQL the
    sequence can't give them back)."""
    top = server_version(seeded_app)
    group = str(uuid.uuid4())
    results = api.push(
        tokens["clerk1"],
        {**mutation("hearing", hearing_data(case["id"])), "group": group},
        {**mutation("hearing", hearing_data(str(uuid.uuid4()))), "group": group},
    )
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    if is_postgres(seeded_app.extensions["ecas"].factory.kw["bind"]):
        assert server_version(seeded_app) >= top
    else:
        assert server_version(seeded_app) == top


def _versions_after(app: Flask, top: int) -> list[int]:
    with app.extensions["ecas"].factory() as session:
        rows = session.execute(
            text(
                "SELECT version FROM sync_record WHERE version > :top "
                "UNION ALL SELECT version FROM sync_departure WHERE version > :top"
            ),
            {"top": top},
        )
        return sorted(int(v) for (v,) in rows)
