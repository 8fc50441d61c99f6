"""The detained docket and the day's interpreter requests, without Qt: detained cases come
first with their facility, a custody change recorded on this computer shows at once, and
the interpreter list (screen, CSV, PDF) is on the court's clock."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from desktop.docket import DocketFilter, DocketRow, apply_filter, build_docket
from desktop.interpreters import pdf_text, render_pdf, requests_for_day, to_csv

COURT = str(uuid.uuid4())
ROOM_1, ROOM_2 = str(uuid.uuid4()), str(uuid.uuid4())
JUDGE = str(uuid.uuid4())
LA = ZoneInfo("America/Los_Angeles")


def _case(last: str, custody: str, a_number: str, language: str = "Spanish") -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "a_number": a_number,
        "court_id": COURT,
        "judge_id": JUDGE,
        "respondent_last_name": last,
        "respondent_first_name": "Ana",
        "nationality": "Guatemala",
        "language": language,
        "custody": custody,
        "status": "pending",
    }


def _hearing(
    case: dict[str, object], start: datetime, room: str, **extra: object
) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "case_id": case["id"],
        "courtroom_id": room,
        "judge_id": JUDGE,
        "hearing_type": "master",
        "medium": "in_person",
        "starts_at": start.astimezone(UTC).isoformat(),  # stored as the UTC instant
        "duration_minutes": 30,
        "status": "scheduled",
        "interpreter_language": case["language"],
        **extra,
    }


def _change(
    case: dict[str, object], event: str, facility: str | None, day: str
) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "case_id": case["id"],
        "event": event,
        "facility_code": facility,
        "effective_on": day,
        "recorded_at": f"{day}T18:00:00Z",
    }


def _docket(
    hearings: list[dict[str, object]],
    cases: list[dict[str, object]],
    changes: list[dict[str, object]] = [],  # noqa: B006 - never mutated
) -> list[DocketRow]:
    return build_docket(
        hearings,
        cases,
        [{"id": ROOM_1, "name": "Courtroom 1"}, {"id": ROOM_2, "name": "Courtroom 2"}],
        [{"id": JUDGE, "display_name": "IJ Alvarez"}],
        [{"id": COURT, "timezone": "America/Los_Angeles"}],
        changes,
    )


DAY = date(2026, 12, 8)  # a Tuesday, Pacific standard time


def _at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LA)


@pytest.fixture
def court_day() -> tuple[list[DocketRow], dict[str, dict[str, object]]]:
    cases = {
        "free": _case("Early", "never_detained", "200000001"),
        "held": _case("Held", "detained", "200000002", language="Mam"),
        "out": _case("Released", "released", "200000003", language="Arabic"),
        "moved": _case("Moved", "detained", "200000004", language="K'iche'"),
    }
    hearings = [
        _hearing(cases["free"], _at(8, 30), ROOM_1),
        _hearing(cases["held"], _at(13, 0), ROOM_2, medium="video"),
        _hearing(
            cases["out"],
            _at(10, 30),
            ROOM_1,
            interpreter_dialect="Levantine",
            interpreter_medium="telephone",
        ),
        _hearing(cases["moved"], _at(9, 0), ROOM_2),
    ]
    changes = [
        _change(cases["held"], "detained", "MESA_VERDE", "2026-10-01"),
        _change(cases["moved"], "detained", "MESA_VERDE", "2026-10-01"),
        _change(cases["moved"], "transferred", "GOLDEN_STATE_ANNEX", "2026-11-15"),
    ]
    return _docket(hearings, list(cases.values()), changes), cases


def test_detained_cases_come_first_with_their_facility_each_part_by_time(
    court_day: tuple[list[DocketRow], dict[str, dict[str, object]]],
) -> None:
    rows, _ = court_day
    shown = apply_filter(rows, DocketFilter(first_day=DAY, last_day=DAY))
    assert [(r.respondent.split(",")[0], r.custody, r.facility) for r in shown] == [
        ("MOVED", "detained", "Golden State Annex"),  # 09:00, after the transfer
        ("HELD", "detained", "Mesa Verde ICE Processing Center"),  # 13:00
        ("EARLY", "never_detained", ""),  # 08:30
        ("RELEASED", "released", ""),  # 10:30
    ]
    by_time = apply_filter(rows, DocketFilter(), sort="time")
    assert [r.starts_at.hour for r in by_time] == [8, 9, 10, 13]
    by_facility = apply_filter(rows, DocketFilter(), sort="facility")
    assert [r.facility for r in by_facility][:2] == [
        "Golden State Annex",
        "Mesa Verde ICE Processing Center",
    ]


def test_detained_only_shows_the_detained_docket(
    court_day: tuple[list[DocketRow], dict[str, dict[str, object]]],
) -> None:
    rows, _ = court_day
    detained = apply_filter(rows, DocketFilter(detained_only=True))
    assert {r.respondent.split(",")[0] for r in detained} == {"MOVED", "HELD"}
    assert all(r.detained and r.facility for r in detained)


def test_a_release_recorded_on_this_computer_takes_the_case_off_the_detained_docket() -> None:
    """The case record still says detained until the server's answer arrives; the latest
    custody change decides what the docket shows."""
    held = _case("Held", "detained", "200000005")
    hearing = _hearing(held, _at(9), ROOM_1)
    before = [_change(held, "detained", "MONTGOMERY_PC", "2026-10-01")]
    [row] = _docket([hearing], [held], before)
    assert (row.custody, row.facility) == ("detained", "Montgomery Processing Center")
    released = [*before, _change(held, "released", None, "2026-12-01")]
    [row] = _docket([hearing], [held], released)
    assert (row.custody, row.facility) == ("released", "")
    assert apply_filter([row], DocketFilter(detained_only=True)) == []


def test_the_interpreter_list_holds_the_days_hearings_needing_one_on_the_courts_clock(
    court_day: tuple[list[DocketRow], dict[str, dict[str, object]]],
) -> None:
    rows, cases = court_day
    # 17:00 in Los Angeles is already the next day in UTC: still this court day's hearing.
    late = _hearing(cases["held"], _at(17, 0), ROOM_1)
    cancelled = _hearing(cases["held"], _at(11, 0), ROOM_1, status="cancelled")
    english = {**_hearing(cases["free"], _at(14, 0), ROOM_1), "interpreter_language": None}
    tomorrow = _hearing(cases["held"], _at(9, 0, date(2026, 12, 9)), ROOM_1)
    everything = rows + _docket([late, cancelled, english, tomorrow], list(cases.values()))
    requests = requests_for_day(everything, DAY)
    assert [(r.starts_at.hour, r.language, r.dialect, r.medium) for r in requests] == [
        (8, "Spanish", "", "in_person"),
        (9, "K'iche'", "", "in_person"),
        (10, "Arabic", "Levantine", "telephone"),  # the interpreter joins by telephone
        (13, "Mam", "", "video"),  # as the hearing is held
        (17, "Mam", "", "in_person"),
    ]
    assert [r.language_code for r in requests] == ["spa", "quc", "ara", "mam", "mam"]
    assert requests[2].a_number == "A200-000-003" and requests[2].courtroom == "Courtroom 1"
    assert requests[2].need == "Arabic (Levantine)"


def test_the_csv_export_names_time_courtroom_language_dialect_medium_and_a_number(
    court_day: tuple[list[DocketRow], dict[str, dict[str, object]]],
) -> None:
    rows, _ = court_day
    text = to_csv(requests_for_day(rows, DAY), LA)
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:9] == [
        "Date",
        "Time",
        "Minutes",
        "Courtroom",
        "Language",
        "ISO 639-3",
        "Dialect",
        "Interpreter attends",
        "A-number",
    ]
    arabic = next(row for row in table[1:] if row[4] == "Arabic")
    assert arabic[:9] == [
        "2026-12-08",
        "10:30 PST",
        "30",
        "Courtroom 1",
        "Arabic",
        "ara",
        "Levantine",
        "Telephone",
        "A200-000-003",
    ]
    assert not any("Released" in cell or "RELEASED" in cell for row in table for cell in row)


def test_the_pdf_lists_the_requests_in_the_courts_time(
    court_day: tuple[list[DocketRow], dict[str, dict[str, object]]],
) -> None:
    rows, _ = court_day
    now = datetime(2026, 12, 8, 1, 15, tzinfo=UTC)  # December 7 at the court
    pdf = render_pdf(requests_for_day(rows, DAY), "San Francisco Immigration Court", DAY, LA, now)
    text = pdf_text(pdf)
    assert "Interpreter requests — December 8, 2026" in text
    assert "prepared December 7, 2026 at 5:15 PM PST" in text
    for expected in ("10:30 AM PST", "Arabic (Levantine)", "Telephone", "A200-000-003", "K'iche'"):
        assert expected in text, expected
    assert "Page 1 of 1" in text


def test_a_day_without_interpreters_says_so() -> None:
    pdf = render_pdf([], "Houston Immigration Court", DAY, ZoneInfo("America/Chicago"))
    assert "No hearing on this day needs an interpreter." in pdf_text(pdf)
