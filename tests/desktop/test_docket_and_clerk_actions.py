"""Docket filtering and the clerk's record changes, without Qt."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from common.adjournment import AsylumClock
from common.enums import DocumentStatus, FilingKind, FilingStatus, HearingStatus
from common.wire import Document, Filing, Hearing
from desktop.clerk_actions import (
    accept_filing,
    adjourn,
    find_clashes,
    reject_filing,
    rejection_reasons,
    reschedule,
)
from desktop.docket import DocketFilter, apply_filter, build_docket

COURT = str(uuid.uuid4())
ROOM_A, ROOM_B = str(uuid.uuid4()), str(uuid.uuid4())
JUDGE_X, JUDGE_Y = str(uuid.uuid4()), str(uuid.uuid4())
LA = ZoneInfo("America/Los_Angeles")


def _case(last: str, first: str, a_number: str, language: str = "Spanish") -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "a_number": a_number,
        "court_id": COURT,
        "judge_id": JUDGE_X,
        "respondent_last_name": last,
        "respondent_first_name": first,
        "nationality": "Guatemala",
        "language": language,
        "custody": "detained",
        "status": "pending",
    }


def _hearing(
    case: dict[str, object],
    start: datetime,
    room: str,
    judge: str,
    kind: str = "master",
    minutes: int = 30,
) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "case_id": case["id"],
        "courtroom_id": room,
        "judge_id": judge,
        "hearing_type": kind,
        "medium": "in_person",
        "starts_at": start.isoformat(),
        "duration_minutes": minutes,
        "status": "scheduled",
        "interpreter_language": case["language"],
    }


@pytest.fixture
def docket() -> list:  # type: ignore[type-arg]
    nunez = _case("Núñez", "José", "012345678")
    ba = _case("Ba", "Aissata", "209876543", language="Pulaar")
    day = datetime(2026, 12, 1, 9, 0, tzinfo=LA)
    hearings = [
        _hearing(nunez, day, ROOM_A, JUDGE_X),
        _hearing(ba, day + timedelta(hours=1), ROOM_B, JUDGE_Y, "individual", 180),
        _hearing(ba, day + timedelta(days=1), ROOM_A, JUDGE_X),
    ]
    return build_docket(
        hearings,
        [nunez, ba],
        [{"id": ROOM_A, "name": "Courtroom 1"}, {"id": ROOM_B, "name": "Courtroom 2"}],
        [
            {"id": JUDGE_X, "display_name": "IJ Alvarez"},
            {"id": JUDGE_Y, "display_name": "IJ Brennan"},
        ],
        [{"id": COURT, "timezone": "America/Los_Angeles"}],
    )


def test_rows_show_local_court_time_and_joined_names(docket: list) -> None:  # type: ignore[type-arg]
    first = apply_filter(docket, DocketFilter())[0]
    assert first.starts_at.tzinfo == LA and first.starts_at.hour == 9
    assert (first.respondent, first.courtroom, first.judge) == (
        "NÚÑEZ, José",
        "Courtroom 1",
        "IJ Alvarez",
    )
    assert first.a_number_display == "A012-345-678"


@pytest.mark.parametrize("text", ["A012-345-678", "a 012 345 678", "12345678", "012345678"])
def test_search_by_a_number_in_any_spelling(docket: list, text: str) -> None:  # type: ignore[type-arg]
    found = apply_filter(docket, DocketFilter(text=text))
    assert [r.respondent for r in found] == ["NÚÑEZ, José"]


def test_search_by_name_ignores_case_and_accents(docket: list) -> None:  # type: ignore[type-arg]
    assert len(apply_filter(docket, DocketFilter(text="nunez"))) == 1
    assert len(apply_filter(docket, DocketFilter(text="jose nunez"))) == 1
    assert len(apply_filter(docket, DocketFilter(text="aissata"))) == 2


def test_filters_combine_and_sort(docket: list) -> None:  # type: ignore[type-arg]
    day_one = DocketFilter(first_day=date(2026, 12, 1), last_day=date(2026, 12, 1))
    assert len(apply_filter(docket, day_one)) == 2
    by_judge = DocketFilter(judge_ids=frozenset({JUDGE_X}))
    assert {r.judge for r in apply_filter(docket, by_judge)} == {"IJ Alvarez"}
    pulaar = DocketFilter(languages=frozenset({"Pulaar"}), hearing_types=frozenset({"individual"}))
    assert [r.hearing_type for r in apply_filter(docket, pulaar)] == ["individual"]
    names = [
        r.respondent
        for r in apply_filter(docket, DocketFilter(), sort="respondent", descending=True)
    ]
    assert names[0] == "NÚÑEZ, José"


def _proposed(start: datetime, room: str, judge: str, minutes: int = 30) -> Hearing:
    return Hearing(
        id=str(uuid.uuid4()),
        case_id=str(uuid.uuid4()),
        courtroom_id=room,
        judge_id=judge,
        hearing_type="master",
        medium="in_person",
        starts_at=start,
        duration_minutes=minutes,
    )


def test_double_booking_a_judge_or_courtroom_is_found(docket: list) -> None:  # type: ignore[type-arg]
    at_nine = datetime(2026, 12, 1, 9, 15, tzinfo=LA)
    [judge_clash] = find_clashes(_proposed(at_nine, ROOM_B, JUDGE_X), docket)
    assert judge_clash.reason == "judge" and "IJ Alvarez" in judge_clash.message()
    [room_clash] = find_clashes(
        _proposed(at_nine + timedelta(hours=2), ROOM_B, str(uuid.uuid4())), docket
    )
    assert room_clash.reason == "courtroom" and "Courtroom 2" in room_clash.message()
    free = _proposed(datetime(2026, 12, 1, 9, 30, tzinfo=LA), ROOM_A, JUDGE_X)
    assert find_clashes(free, docket) == []  # starts when the 9:00 hearing ends


def test_rescheduling_moves_the_hearing_and_keeps_its_identity() -> None:
    hearing = _proposed(datetime(2026, 12, 1, 9, tzinfo=UTC), ROOM_A, JUDGE_X)
    moved = reschedule(hearing, hearing.starts_at + timedelta(days=14), ROOM_B)
    assert (moved.id, moved.courtroom_id, moved.status) == (
        hearing.id,
        ROOM_B,
        HearingStatus.SCHEDULED,
    )


def test_adjourning_records_the_code_schedules_the_next_and_explains_the_clock() -> None:
    hearing = _proposed(datetime(2026, 12, 1, 9, tzinfo=UTC), ROOM_A, JUDGE_X)
    clock = AsylumClock(days_elapsed=143, running=True, as_of=date(2026, 12, 1))
    result = adjourn(hearing, "2", datetime(2027, 1, 12, 9, tzinfo=UTC), clock, zone=UTC)
    assert result.adjourned.status is HearingStatus.ADJOURNED
    assert result.adjourned.adjournment_code == "02"
    assert result.next_hearing.id != hearing.id
    assert result.next_hearing.status is HearingStatus.SCHEDULED
    assert "stops" in result.clock_note.lower() and "143" in result.clock_note
    with pytest.raises(Exception, match="ZZ"):
        adjourn(hearing, "ZZ", datetime(2027, 1, 12, tzinfo=UTC), clock, zone=UTC)


def _filing(kind: FilingKind = FilingKind.DOCUMENT) -> tuple[Filing, list[Document]]:
    case_id, doc_id, filer = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    filing = Filing(
        id=str(uuid.uuid4()),
        case_id=case_id,
        court_id=COURT,
        filer_id=filer,
        kind=kind,
        submitted_at=datetime(2026, 11, 26, tzinfo=UTC),
        lead_document_id=doc_id,
        form={"scope": "all_proceedings"},
    )
    doc = Document(
        id=doc_id,
        case_id=case_id,
        doc_type="brief",
        title="Brief",
        filer_id=filer,
        filer_party="practitioner",
        filed_on=date(2026, 11, 26),
        pages=4,
        sha256="a" * 64,
        size=1000,
        status="pending",
        filing_id=filing.id,
    )
    return filing, [doc]


def test_accepting_an_eoir_28_makes_the_filer_practitioner_of_record() -> None:
    filing, docs = _filing(FilingKind.EOIR_28)
    review = accept_filing(filing, docs, "clerk", datetime(2026, 11, 27, tzinfo=UTC), zone=UTC)
    assert review.filing.status is FilingStatus.ACCEPTED
    assert [d.status for d in review.documents] == [DocumentStatus.ACCEPTED]
    assert review.representation is not None
    assert review.representation.practitioner_id == filing.filer_id


def test_rejecting_uses_a_reason_from_the_catalogue() -> None:
    filing, docs = _filing()
    reason = rejection_reasons()[1]
    review = reject_filing(filing, docs, "clerk", datetime(2026, 11, 27, tzinfo=UTC), reason)
    assert review.filing.status is FilingStatus.REJECTED
    assert review.filing.rejection_reason == reason.text
    assert [d.status for d in review.documents] == [DocumentStatus.REJECTED]


def test_accepting_an_eoir_28_updates_the_filers_existing_appearance() -> None:
    filing, docs = _filing(FilingKind.EOIR_28)
    earlier = accept_filing(filing, docs, "clerk", datetime(2026, 11, 1, tzinfo=UTC), zone=UTC)
    assert earlier.representation is not None
    pending = earlier.representation.model_copy(update={"status": "pending"})
    review = accept_filing(
        filing, docs, "clerk", datetime(2026, 11, 27, tzinfo=UTC), pending, zone=UTC
    )
    assert review.representation is not None
    assert review.representation.id == pending.id
    assert review.representation.status == "accepted"


def test_case_clock_starts_at_the_asylum_application(filled_store) -> None:  # type: ignore[no-untyped-def]
    from desktop.clerk_actions import case_clock

    store, _ = filled_store("clerk1")
    applications = {
        d["case_id"]: d["filed_on"]
        for d in store.all("document")
        if d["doc_type"] == "i589_application"
    }
    with_app = next(iter(applications))
    today = date(2026, 11, 27)
    clock = case_clock(store, with_app, today)
    assert clock is not None and clock.running
    assert clock.days_elapsed == (today - date.fromisoformat(applications[with_app])).days
    without = next(c["id"] for c in store.all("case") if c["id"] not in applications)
    assert case_clock(store, without, today) is None
    hearing = _proposed(datetime(2026, 12, 1, 9, tzinfo=UTC), ROOM_A, JUDGE_X)
    note = adjourn(hearing, "02", datetime(2027, 1, 12, 9, tzinfo=UTC), None, zone=UTC).clock_note
    assert "No asylum application is on file" in note
