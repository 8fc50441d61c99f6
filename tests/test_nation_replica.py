"""The nation benchmark's cases replicated by PostgreSQL (benchmarks/nation_replica.py)
are what the per-case path stores: every role's pull returns the same records.

Each test loads two small nations into databases of their own on the PostgreSQL server
(``ECAS_BENCH_PG``) and pulls every measured role's whole scope through ``sync.pull`` in
pages of 7, comparing the changes one by one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import orjson
import pytest

from benchmarks import nation
from benchmarks.fixtures import COURTS, CaseFactory, bench_id
from benchmarks.nation_replica import replicated_records_of, shared_ids
from common.wire import WireRecord
from sync_server.db import make_engine, make_session_factory
from sync_server.services import sync

pytestmark = pytest.mark.postgres

UUID = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}")


@pytest.fixture
def databases() -> Iterator[Callable[[str], tuple[str, str]]]:
    made: list[str] = []

    def make(label: str) -> tuple[str, str]:
        name = f"nation_replica_{os.getpid()}_{label}"
        nation.create_database(name)
        made.append(name)
        return nation.database_urls(name)

    try:
        yield make
    finally:
        for name in made:
            nation.drop_database(name)


def pulled(url_sa: str, cases: int) -> dict[str, list[dict[str, Any]]]:
    """Every measured role's changes, pulled from the start in pages of 7."""
    engine = make_engine(url_sa)
    try:
        factory = make_session_factory(engine)
        out: dict[str, list[dict[str, Any]]] = {}
        for label, principal in nation.principals(factory, nation.nation_of(cases)).items():
            changes: list[dict[str, Any]] = []
            cursor: str | None = None
            while True:
                with factory() as session:
                    body = orjson.loads(sync.pull(session, principal, cursor, 7))
                changes += body["changes"]
                cursor = body["cursor"]
                if not body["has_more"]:
                    break
            out[label] = changes
        return out
    finally:
        engine.dispose()


def python_records(cases: int, template: int) -> Callable[[int], list[WireRecord]]:
    """The replicated cases built in Python, for the per-case path to COPY."""
    attorneys = max(1, cases // nation.CASES_PER_ATTORNEY)
    judge_ids = [bench_id("user", "judge", c[0]) for c in COURTS]
    maker = CaseFactory(judge_ids)
    accepted_on = date(2026, 1, 5)
    return replicated_records_of(
        lambda index: nation._records_of(maker, index, attorneys, accepted_on),
        template=template,
        attorney_ids=[nation.attorney_id(n) for n in range(attorneys)],
        shared=shared_ids(judge_ids, bench_id("court", nation.BOARD_CODE)),
    )


def test_sql_replication_pulls_what_the_per_case_path_stores(
    databases: Callable[[str], tuple[str, str]],
) -> None:
    # 95 cases of a template of 20: four whole copies and part of a fifth; 3 attorneys
    cases, template = 95, 20
    per_case_pg, per_case_sa = databases("per_case")
    nation.load(per_case_pg, per_case_sa, cases, records_of=python_records(cases, template))
    sql_pg, sql_sa = databases("sql")
    nation.load(sql_pg, sql_sa, cases, template=template)

    expected, got = pulled(per_case_sa, cases), pulled(sql_sa, cases)
    assert {label: len(changes) for label, changes in got.items()} == {
        label: len(changes) for label, changes in expected.items()
    }
    assert len(expected["judge"]) > 40 and len(expected["attorney"]) > 100
    # copies differ from their template case: the ids' tails and the A-number
    a_numbers = {c["data"]["a_number"] for c in got["judge"] if c["entity"] == "case"}
    assert len(a_numbers) == sum(1 for c in got["judge"] if c["entity"] == "case")
    for label in expected:
        assert got[label] == expected[label], label


def test_one_copy_is_case_factorys_cases_but_for_the_ids_tails(
    databases: Callable[[str], tuple[str, str]],
) -> None:
    """The template itself is CaseFactory's cases: the old generator's data pulls the same
    records, with the ids of each case's own records ending otherwise."""
    cases = 40
    old_pg, old_sa = databases("old")
    nation.load(old_pg, old_sa, cases)
    sql_pg, sql_sa = databases("one_copy")
    nation.load(sql_pg, sql_sa, cases, template=cases)

    def heads(changes: list[dict[str, Any]]) -> list[str]:
        return [UUID.sub(r"\1", orjson.dumps(c).decode()) for c in changes]

    expected, got = pulled(old_sa, cases), pulled(sql_sa, cases)
    assert sum(len(c) for c in expected.values()) > 300
    for label in expected:
        assert heads(got[label]) == heads(expected[label]), label
    # and the shared ids (courts, judges) are kept whole
    judge_changes = orjson.dumps(got["judge"]).decode()
    assert bench_id("court", COURTS[0][0]) in judge_changes
