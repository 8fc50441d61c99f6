"""The case file as plain data, assembled from a local store filled from the demo server."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from common.anumber import format_a_number
from common.enums import HearingType
from common.wire import Case
from desktop.case_file import (
    UNKNOWN_JUDGE,
    UNKNOWN_PERSON,
    court_judges,
    court_zone,
    load_case_file,
)
from desktop.local_store import LocalStore
from sync_server.demo.plan import demo_id
from tests.conftest import SEED_DAY

# Demo case 12 (San Francisco): two hearings, an NTA, hearing notices, an I-589, an evidence
# packet, and attorney1 as accepted practitioner of record.
CASE_12 = demo_id("case", 12)


@pytest.fixture
def clerk_store(filled_store: Callable[[str], tuple[LocalStore, dict[str, Any]]]) -> LocalStore:
    return filled_store("clerk1")[0]


def test_summary_and_documents_of_a_demo_case(clerk_store: LocalStore) -> None:
    case_file = load_case_file(clerk_store, CASE_12, SEED_DAY)
    assert case_file is not None
    case = clerk_store.get("case", CASE_12)
    assert case is not None
    summary = case_file.summary
    assert summary.a_number_display == "A200-095-028" == format_a_number(case["a_number"])
    assert summary.respondent == (
        f"{case['respondent_first_name']} {case['respondent_last_name'].upper()}"
    )
    assert summary.court == "San Francisco Immigration Court"
    judge = clerk_store.get("user_profile", case["judge_id"])
    assert judge is not None and summary.judge == judge["display_name"]

    stored = {d["id"] for d in clerk_store.all("document") if d["case_id"] == CASE_12}
    assert {d.document_id for d in case_file.documents} == stored
    nta = [d for d in case_file.documents if d.doc_type == "notice_to_appear"]
    assert len(nta) == 1 and nta[0].filer == "DHS" and nta[0].pages > 0
    assert len(nta[0].sha256) == 64 and not nta[0].cached
    filed = [d.filed_on for d in case_file.documents if d.filed_on]
    assert filed == sorted(filed)

    assert [r.practitioner for r in case_file.representation] == ["Attorney Laura Mendez"]


def test_hearings_are_sorted_in_court_time(clerk_store: LocalStore) -> None:
    # Case 6 has two hearings (case 12's bond hearing is held in its bond case).
    case_6 = demo_id("case", 6)
    case_file = load_case_file(clerk_store, case_6, SEED_DAY)
    assert case_file is not None
    stored = [h for h in clerk_store.all("hearing") if h["case_id"] == case_6]
    assert len(case_file.hearings) == len(stored) == 2
    starts = [h.starts_at for h in case_file.hearings]
    assert starts == sorted(starts)
    zone = court_zone(clerk_store.get("court", case_file.summary.court_id))
    expected = sorted(datetime.fromisoformat(h["starts_at"]).astimezone(zone) for h in stored)
    assert starts == expected and all(s.tzinfo == zone for s in starts)
    assert all(h.courtroom.startswith("Courtroom ") for h in case_file.hearings)


def test_deadlines_follow_the_hearings_and_mark_past_and_next(clerk_store: LocalStore) -> None:
    case_file = load_case_file(clerk_store, CASE_12, SEED_DAY)
    assert case_file is not None
    anchored = {
        h.starts_at.date()
        for h in case_file.hearings
        if h.hearing_type in (HearingType.MASTER, HearingType.INDIVIDUAL)
    }
    assert anchored and {d.anchor for d in case_file.deadlines} == anchored
    for deadline in case_file.deadlines:
        assert deadline.due < deadline.anchor  # counted back from the hearing
        assert deadline.is_past == (deadline.due < SEED_DAY)
    future = [d for d in case_file.deadlines if d.due >= SEED_DAY]
    nexts = [d for d in case_file.deadlines if d.state == "next"]
    assert nexts == future[:1]
    assert case_file.next_deadline == (future[0] if future else None)


def test_pending_filings_are_listed(clerk_store: LocalStore) -> None:
    case_16 = demo_id("case", 16)  # a pre-hearing brief waits for review
    case_file = load_case_file(clerk_store, case_16, SEED_DAY)
    assert case_file is not None
    assert [f.lead_document for f in case_file.filings] == ["Pre-hearing brief"]
    assert case_file.filings[0].filer == "Attorney Laura Mendez"


def test_cached_documents_are_marked(clerk_store: LocalStore) -> None:
    first = load_case_file(clerk_store, CASE_12, SEED_DAY)
    assert first is not None
    nta = next(d for d in first.documents if d.doc_type == "notice_to_appear")
    again = load_case_file(clerk_store, CASE_12, SEED_DAY, is_cached=lambda s: s == nta.sha256)
    assert again is not None
    assert [d.document_id for d in again.documents if d.cached] == [nta.document_id]


def test_missing_related_records_degrade(clerk_store: LocalStore) -> None:
    case = Case.model_validate(clerk_store.get("case", CASE_12))
    clerk_store.save(case.model_copy(update={"judge_id": str(uuid.uuid4())}))
    practitioner = demo_id("user", "attorney1")
    clerk_store.delete("user_profile", practitioner)

    case_file = load_case_file(clerk_store, CASE_12, SEED_DAY)
    assert case_file is not None
    assert case_file.summary.judge == UNKNOWN_JUDGE
    assert [r.practitioner for r in case_file.representation] == [UNKNOWN_PERSON]
    assert load_case_file(clerk_store, str(uuid.uuid4()), SEED_DAY) is None


def test_court_judges_lists_only_that_courts_judges(clerk_store: LocalStore) -> None:
    case = clerk_store.get("case", CASE_12)
    assert case is not None
    names = [name for _, name in court_judges(clerk_store, case["court_id"])]
    assert names == ["Immigration Judge Alvarez", "Immigration Judge Brennan"]
