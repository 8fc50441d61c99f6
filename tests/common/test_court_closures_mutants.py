"""``common.court_closures`` asserted exactly: each refusal of a malformed closure file as a
whole message, a closure read field by field, whom a closure touches (court, docket, ECAS
outages), and the words a rolled deadline gives. Written to kill the mutants
``scripts/mutation.sh common/court_closures.py`` left alive (docs/TESTING.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from common.court_closures import (
    Closure,
    ClosureKind,
    Docket,
    Extension,
    Rolled,
    board_calendar,
    court_calendar,
    default_closures,
    load_closures,
)
from common.resources import DataFileError, resource_path

GOOD: dict[str, Any] = {
    "id": "x",
    "courts": ["SFR"],
    "kind": "emergency_closure",
    "closed_from": "2026-11-04",
    "closed_to": "2026-11-04",
    "reason": "flood",
    "announcement": {"by": "EOIR", "title": "closed"},
}


def _write(tmp_path: Path, entries: list[object], **top: object) -> Path:
    data = json.loads(resource_path("court_closures.json").read_text(encoding="utf-8"))
    data["closures"] = entries
    data.update(top)
    path = tmp_path / "court_closures.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _refusal(tmp_path: Path, entries: list[object], **top: object) -> str:
    path = _write(tmp_path, entries, **top)
    with pytest.raises(DataFileError) as refused:
        load_closures(path)
    return str(refused.value).replace(str(path), "FILE")


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in GOOD.items() if k != key}


@pytest.mark.parametrize(
    ("closure", "message"),
    [
        (["x"], "FILE: every closure must be a JSON object"),
        ([_without("id")], "FILE: missing field 'id'"),
        ([GOOD | {"id": 7}], "FILE: field 'id' must be str, not int"),
        ([_without("courts")], "FILE, closure 'x': missing field 'courts'"),
        ([GOOD | {"courts": []}], "FILE, closure 'x': 'courts' lists court codes, '*' or 'BIA'"),
        ([GOOD | {"courts": [""]}], "FILE, closure 'x': 'courts' lists court codes, '*' or 'BIA'"),
        (
            [GOOD | {"courts": ["SFR", 3]}],
            "FILE, closure 'x': 'courts' lists court codes, '*' or 'BIA'",
        ),
        (
            [GOOD | {"closed_from": "4 Nov"}],
            "FILE, closure 'x': 'closed_from' must be a date (YYYY-MM-DD)",
        ),
        (
            [GOOD | {"closed_to": "2026-11-31"}],
            "FILE, closure 'x': 'closed_to' must be a date (YYYY-MM-DD)",
        ),
        (
            [GOOD | {"closed_to": "2026-11-03"}],
            "FILE, closure 'x': 'closed_to' is before 'closed_from'",
        ),
        ([_without("announcement")], "FILE, closure 'x': missing field 'announcement'"),
        (
            [GOOD | {"announcement": {"by": "EOIR"}}],
            "FILE, closure 'x', announcement: missing field 'title'",
        ),
        (
            [GOOD | {"extension": ["2026-11-04"]}],
            "FILE, closure 'x': field 'extension' must be dict, not list",
        ),
        (
            [GOOD | {"extension": {"due_from": "2026-11-04", "due_to": "2026-11-06"}}],
            # a missing date is said to be missing, not to be a bad date
            "FILE, closure 'x': missing field 'timely_through'",
        ),
        (
            [
                GOOD
                | {
                    "extension": {
                        "due_from": "2026-11-04",
                        "due_to": "2026-11-06",
                        "timely_through": "2026-11-05",
                    }
                }
            ],
            "FILE, closure 'x': 'timely_through' is before 'due_to'",
        ),
        ([GOOD | {"dockets": "detained"}], "FILE, closure 'x': 'dockets' must be a list"),
        (
            [GOOD | {"dockets": ["held"]}],
            "FILE, closure 'x': 'held' is not one of: detained, non_detained",
        ),
        (
            [GOOD | {"kind": "holiday"}],
            "FILE, closure 'x': 'holiday' is not one of: emergency_closure, lapse_in_funding, "
            "ecas_outage",
        ),
        ([_without("kind")], "FILE, closure 'x': missing field 'kind'"),
        ([_without("reason")], "FILE, closure 'x': missing field 'reason'"),
        ([GOOD, GOOD | {"courts": ["NYC"]}], "FILE: closure ids must be unique"),
    ],
)
def test_each_malformed_closure_is_refused_in_full(
    tmp_path: Path, closure: list[object], message: str
) -> None:
    assert _refusal(tmp_path, closure) == message


def test_the_files_own_fields_are_required(tmp_path: Path) -> None:
    assert _refusal(tmp_path, [GOOD], version=3) == "FILE: field 'version' must be str, not int"
    assert (
        _refusal(tmp_path, [GOOD], closures={}) == "FILE: field 'closures' must be list, not dict"
    )
    assert _refusal(tmp_path, [GOOD], citations={}) == (
        "FILE: field 'citations' must be list, not dict"
    )


def test_a_closure_is_read_field_by_field(tmp_path: Path) -> None:
    full = GOOD | {
        "courts": ["sfr", "*"],
        "dockets": ["detained"],
        "planned": True,
        "extension": {
            "due_from": "2026-11-04",
            "due_to": "2026-11-06",
            "timely_through": "2026-11-06",
        },
    }
    loaded = load_closures(_write(tmp_path, [full, GOOD | {"id": "y", "planned": "yes"}]))
    assert loaded.version == "2026-12"
    assert [c.section for c in loaded.citations] == [
        c.section for c in default_closures().citations
    ]
    assert loaded.closures == (
        Closure(
            id="x",
            courts=frozenset({"SFR", "*"}),
            kind=ClosureKind.EMERGENCY_CLOSURE,
            closed_from=date(2026, 11, 4),
            closed_to=date(2026, 11, 4),
            reason="flood",
            announcement="closed",
            dockets=frozenset({Docket.DETAINED}),
            planned=True,
            extension=Extension(date(2026, 11, 4), date(2026, 11, 6), date(2026, 11, 6)),
        ),
        Closure(
            id="y",
            courts=frozenset({"SFR"}),
            kind=ClosureKind.EMERGENCY_CLOSURE,
            closed_from=date(2026, 11, 4),
            closed_to=date(2026, 11, 4),
            reason="flood",
            announcement="closed",
        ),
    )


def _closures(tmp_path: Path, *closures: dict[str, Any]) -> Any:
    return load_closures(_write(tmp_path, list(closures)))


OUTAGE = GOOD | {"id": "o", "kind": "ecas_outage", "courts": ["BIA"], "reason": "servers down"}


def test_an_unplanned_ecas_outage_touches_electronic_filers_only(tmp_path: Path) -> None:
    found = _closures(tmp_path, OUTAGE, OUTAGE | {"id": "p", "planned": True})
    wed = date(2026, 11, 4)
    assert board_calendar(closures=found).why_closed(wed) == (
        "a day ECAS was unavailable (unplanned outage: servers down)"
    )
    assert board_calendar(electronic=True, closures=found).is_open(wed) is False
    assert board_calendar(electronic=False, closures=found).is_open(wed) is True
    assert [c.id for c in board_calendar(closures=found).closures] == ["o"]


def test_the_board_calendars_defaults_are_the_non_detained_electronic_filer(
    tmp_path: Path,
) -> None:
    held = GOOD | {"id": "h", "courts": ["BIA"], "dockets": ["detained"]}
    found = _closures(tmp_path, held)
    wed = date(2026, 11, 4)
    assert board_calendar(closures=found).is_open(wed)
    assert board_calendar(detained=True, closures=found).why_closed(wed) == (
        "a day the court was closed (flood)"
    )
    assert court_calendar("BIA", closures=found).is_open(wed)
    assert not court_calendar("bia", detained=True, closures=found).is_open(wed)
    assert board_calendar().court == "BIA"
    assert board_calendar().version == default_closures().version == "2026-12"


def test_whom_a_closure_touches_by_court(tmp_path: Path) -> None:
    every = GOOD | {"id": "e", "courts": ["*"]}
    found = _closures(tmp_path, every)
    wed = date(2026, 11, 4)
    assert not court_calendar("sfr", closures=found).is_open(wed)
    assert court_calendar("sfr", closures=found).court == "SFR"
    # An unknown court: a closure of every immigration court still counts.
    unknown = court_calendar(None, closures=found)
    assert unknown.court is None and not unknown.is_open(wed)
    assert court_calendar("BIA", closures=found).is_open(wed)
    named = _closures(tmp_path, GOOD)
    assert court_calendar(None, closures=named).is_open(wed)
    assert court_calendar("NYC", closures=named).is_open(wed)
    assert not court_calendar("SFR", closures=named).is_open(wed)


def test_a_rolled_deadline_says_each_day_it_passed_and_the_announcements_date(
    tmp_path: Path,
) -> None:
    # Closed Thu 5 - Fri 6 Nov 2026; filings due 4-6 Nov timely if received by Tue 10 Nov.
    closed = GOOD | {
        "closed_from": "2026-11-05",
        "closed_to": "2026-11-06",
        "announcement": {"by": "EOIR", "title": "SFR closed by flood"},
        "extension": {
            "due_from": "2026-11-04",
            "due_to": "2026-11-06",
            "timely_through": "2026-11-10",
        },
    }
    calendar = court_calendar("SFR", closures=_closures(tmp_path, closed))
    assert calendar.roll(date(2026, 11, 5)) == Rolled(
        date(2026, 11, 10),
        (
            "Thu 5 Nov 2026 is a day the court was closed (flood)",
            "Fri 6 Nov 2026 is a day the court was closed (flood)",
            "Sat 7 Nov 2026 is a Saturday",
            "Sun 8 Nov 2026 is a Sunday",
            "timely if received by Tue 10 Nov 2026: SFR closed by flood",
        ),
    )
    # The last day of the window, open itself (Wed 4 Nov), is in it too.
    assert calendar.roll(date(2026, 11, 4)).due == date(2026, 11, 10)
    # Due Sat 7 Nov, after the window: Monday, the announcement not applied.
    assert calendar.roll(date(2026, 11, 7)) == Rolled(
        date(2026, 11, 9), ("Sat 7 Nov 2026 is a Saturday", "Sun 8 Nov 2026 is a Sunday")
    )
    # Due Tue 3 Nov, before the window: that day.
    assert calendar.roll(date(2026, 11, 3)) == Rolled(date(2026, 11, 3), ())


def test_an_announcement_that_gives_no_later_day_leaves_the_roll(tmp_path: Path) -> None:
    closed = GOOD | {
        "closed_from": "2026-11-05",
        "closed_to": "2026-11-06",
        "extension": {
            "due_from": "2026-11-05",
            "due_to": "2026-11-06",
            "timely_through": "2026-11-09",
        },
    }
    calendar = court_calendar("SFR", closures=_closures(tmp_path, closed))
    rolled = calendar.roll(date(2026, 11, 5))
    assert rolled.due == date(2026, 11, 9)
    assert len(rolled.reasons) == 4  # the four days passed, no announcement line


def test_a_closure_of_more_than_a_year_is_refused_with_its_day(tmp_path: Path) -> None:
    endless = GOOD | {"closed_from": "2026-11-04", "closed_to": "2028-01-01"}
    calendar = court_calendar("SFR", closures=_closures(tmp_path, endless))
    with pytest.raises(ValueError) as refused:
        calendar.next_open_day(date(2026, 11, 4))
    assert str(refused.value) == (
        "the court calendar has no open day within a year of 2026-11-04; check the closures "
        "in court_closures.json"
    )
    # 366 days closed and then open: found.
    year = GOOD | {"closed_from": "2026-11-04", "closed_to": "2027-11-04"}
    calendar = court_calendar("SFR", closures=_closures(tmp_path, year))
    assert calendar.next_open_day(date(2026, 11, 4)) == date(2027, 11, 5)


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        (
            {"due_from": "4 Nov", "due_to": "2026-11-06", "timely_through": "2026-11-09"},
            "FILE, closure 'x': 'due_from' must be a date (YYYY-MM-DD)",
        ),
        (
            {"due_from": "2026-11-04", "due_to": "6 Nov", "timely_through": "2026-11-09"},
            "FILE, closure 'x': 'due_to' must be a date (YYYY-MM-DD)",
        ),
        (
            {"due_from": "2026-11-04", "due_to": "2026-11-06", "timely_through": "9 Nov"},
            "FILE, closure 'x': 'timely_through' must be a date (YYYY-MM-DD)",
        ),
    ],
)
def test_an_announcements_dates_are_refused_naming_the_closure(
    tmp_path: Path, extension: dict[str, str], message: str
) -> None:
    assert _refusal(tmp_path, [GOOD | {"extension": extension}]) == message


def test_a_malformed_citation_is_refused_naming_the_file(tmp_path: Path) -> None:
    assert _refusal(tmp_path, [GOOD], citations=["8 CFR"]) == (
        "FILE: 'citation' must be an object with document and section"
    )
    assert _refusal(tmp_path, [GOOD], citations=[{"document": "8 CFR", "section": "1003.31"}]) == (
        "FILE, citation: missing field 'read_on'"
    )


def test_a_deadline_due_on_the_announcements_last_day_is_in_its_window(tmp_path: Path) -> None:
    closed = GOOD | {
        "closed_from": "2026-11-05",
        "closed_to": "2026-11-06",
        "extension": {
            "due_from": "2026-11-05",
            "due_to": "2026-11-06",
            "timely_through": "2026-11-10",
        },
    }
    calendar = court_calendar("SFR", closures=_closures(tmp_path, closed))
    assert calendar.roll(date(2026, 11, 6)).due == date(2026, 11, 10)
