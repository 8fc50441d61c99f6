"""The court-closure calendar as data: who a closure touches, and a bad file refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from common.court_closures import board_calendar, court_calendar, load_closures
from common.resources import DataFileError, resource_path


def test_the_shipped_closures_are_versioned_and_cite_the_rule_they_apply() -> None:
    closures = load_closures()
    assert closures.version == "2026-12"
    assert any(c.section.startswith("1003.31(b)") for c in closures.citations)
    assert all(c.read_on == date(2026, 12, 6) for c in closures.citations)
    assert all(c.announcement for c in closures.closures)


def test_a_closure_of_every_immigration_court_does_not_close_the_board() -> None:
    # The 2013 lapse in funding closed the courts' non-detained dockets; the Board gave its
    # own, different date, so "*" (every immigration court) must not reach it.
    assert not court_calendar("NYB").is_open(date(2013, 10, 9))
    assert board_calendar().is_open(date(2013, 10, 9))
    assert court_calendar("NYB", detained=True).is_open(date(2013, 10, 9))


def test_a_court_not_named_in_a_closure_stays_open() -> None:
    assert not board_calendar().is_open(date(2012, 7, 2))
    assert court_calendar("SFR").is_open(date(2012, 7, 2))


def test_why_a_day_is_not_a_filing_day_is_said_in_words() -> None:
    calendar = court_calendar("SFR")
    assert calendar.why_closed(date(2026, 12, 5)) == "a Saturday"
    assert calendar.why_closed(date(2026, 12, 25)) == "Christmas Day, a legal holiday"
    assert calendar.why_closed(date(2026, 12, 7)) is None


def _write(tmp_path: Path, closure: dict[str, object]) -> Path:
    data = json.loads(resource_path("court_closures.json").read_text(encoding="utf-8"))
    data["closures"] = [closure]
    path = tmp_path / "court_closures.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


GOOD = {
    "id": "x",
    "courts": ["SFR"],
    "kind": "emergency_closure",
    "closed_from": "2026-11-04",
    "closed_to": "2026-11-04",
    "reason": "flood",
    "announcement": {"by": "EOIR", "title": "closed"},
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closed_to": "2026-11-03"}, "'closed_to' is before 'closed_from'"),
        ({"kind": "holiday"}, "not one of"),
        ({"courts": []}, "'courts' lists court codes"),
        ({"closed_from": "4 Nov"}, "must be a date"),
        ({"announcement": {"by": "EOIR"}}, "missing field 'title'"),
        (
            {
                "extension": {
                    "due_from": "2026-11-04",
                    "due_to": "2026-11-06",
                    "timely_through": "2026-11-05",
                }
            },
            "'timely_through' is before 'due_to'",
        ),
    ],
)
def test_a_malformed_closure_is_refused_naming_the_entry(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DataFileError, match=f"closure 'x'.*{message}|{message}"):
        load_closures(_write(tmp_path, GOOD | changes))
