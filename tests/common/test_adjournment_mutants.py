"""The asylum EAD clock and the adjournment-code file as the mutation run of
common/adjournment.py showed them unchecked: a catalogue passed in (a court's or a test's)
is the one used, the clock replayed from a record that has adjournments before the filing,
after the day asked about, on the hearing's own day or with a retired code, and the code
file's refusals naming the file and the code (EOIR Practice Manuals, Shared Appendix O)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from common.adjournment import (
    AdjournmentCode,
    AdjournmentParty,
    AsylumClock,
    adjournment_codes_version,
    apply_to_clock,
    clock_effect,
    clock_from_history,
    describe_effect,
    load_adjournment_codes,
    lookup_code,
)
from common.enums import ClockEffect
from common.resources import DataFileError, resource_path

FILED = date(2026, 1, 1)
# A catalogue where "01" lets the clock run (the shipped one says it stops) and "5A" is gone.
OWN = {"01": AdjournmentCode("01", "Own", ClockEffect.RUNS, AdjournmentParty.RESPONDENT)}


def test_a_catalogue_passed_in_is_the_one_used() -> None:
    assert clock_effect("1", OWN) is ClockEffect.RUNS
    assert clock_effect("1") is ClockEffect.STOPS
    with pytest.raises(KeyError, match="no adjournment code '5A' in the catalogue"):
        lookup_code("5A", OWN)
    start = AsylumClock(10, True, date(2026, 3, 1))
    after = apply_to_clock(start, "01", date(2026, 3, 1), date(2026, 3, 31), codes=OWN)
    assert after == AsylumClock(40, True, date(2026, 3, 31))
    assert describe_effect(start, "01", date(2026, 3, 1), date(2026, 3, 31), codes=OWN) == (
        "Clock runs: 10 days so far; 40 by the hearing on Tue 31 Mar 2026."
    )
    replayed = clock_from_history(
        FILED, [(date(2026, 2, 1), "01", date(2026, 3, 1))], date(2026, 3, 1), codes=OWN
    )
    assert replayed == AsylumClock(59, True, date(2026, 3, 1))


def test_a_neutral_code_on_a_running_clock_says_it_runs() -> None:
    running = AsylumClock(100, True, date(2026, 12, 7))
    assert describe_effect(running, "5A", date(2026, 12, 7), date(2026, 12, 8)) == (
        "Clock unchanged (running): 100 days so far; 101 by the hearing on Tue 8 Dec 2026."
    )


def test_a_hearing_adjourned_to_the_same_day_is_allowed() -> None:
    clock = AsylumClock(5, True, date(2026, 12, 7))
    stopped = apply_to_clock(clock, "01", date(2026, 12, 7), date(2026, 12, 7))
    assert stopped == AsylumClock(5, False, date(2026, 12, 7))
    with pytest.raises(ValueError, match="is before the adjournment"):
        apply_to_clock(clock, "01", date(2026, 12, 7), date(2026, 12, 6))


def test_the_clock_runs_from_the_filing_when_nothing_was_adjourned() -> None:
    assert clock_from_history(FILED, [], date(2026, 3, 1)) == AsylumClock(
        59, True, date(2026, 3, 1)
    )
    # Asked about a day before the filing: no time counted yet.
    assert clock_from_history(FILED, [], date(2025, 12, 1)) == AsylumClock(0, True, FILED)


def test_the_replay_skips_what_is_out_of_its_time_and_goes_on() -> None:
    history = [
        (date(2025, 12, 1), "01", date(2026, 1, 15)),  # before the filing: skipped
        (date(2026, 2, 1), "99", date(2026, 2, 15)),  # a code no longer catalogued: skipped
        (date(2026, 3, 1), "01", date(2026, 4, 1)),  # stops the clock on day 59
        (date(2026, 5, 1), "03", date(2026, 6, 1)),  # after the day asked about: skipped
    ]
    assert clock_from_history(FILED, history, date(2026, 4, 15)) == AsylumClock(
        59, False, date(2026, 4, 15)
    )


def test_an_adjournment_on_the_day_asked_about_or_to_that_same_day_counts() -> None:
    # 01 on Sun 1 Mar 2026, asked about that day: the clock stopped on day 59.
    on_the_day = [(date(2026, 3, 1), "01", date(2026, 4, 1))]
    assert clock_from_history(FILED, on_the_day, date(2026, 3, 1)) == AsylumClock(
        59, False, date(2026, 3, 1)
    )
    same_day = [(date(2026, 3, 1), "01", date(2026, 3, 1))]
    assert clock_from_history(FILED, same_day, date(2026, 3, 10)) == AsylumClock(
        59, False, date(2026, 3, 10)
    )


# --- the code file's refusals -----------------------------------------------------------------


def _codes_file(folder: Path, change: str) -> Path:
    data = json.loads(resource_path("adjournment_codes.json").read_text(encoding="utf-8"))
    first = data["codes"][0]
    if change in ("source", "citations", "codes", "version"):
        del data[change]
    elif change == "bad_citation":
        data["citations"] = [{"document": "x"}]
    elif change == "not_object":
        data["codes"] = ["01"]
    elif change == "no_code":
        del first["code"]
    elif change in ("description", "clock_effect", "party", "citation"):
        del first[change]
    elif change == "bad_effect":
        first["clock_effect"] = "pauses"
    elif change == "bad_party":
        first["party"] = "judge"
    elif change == "bad_code_citation":
        first["citation"] = {"document": "x"}
    path = folder / "codes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("source", ": missing field 'source'"),
        ("citations", ": missing field 'citations'"),
        ("codes", ": missing field 'codes'"),
        ("not_object", ": every code must be a JSON object"),
        ("no_code", ": missing field 'code'"),
        ("description", ", code '01': missing field 'description'"),
        ("clock_effect", ", code '01': missing field 'clock_effect'"),
        ("party", ", code '01': missing field 'party'"),
        ("citation", ", code '01': missing field 'citation'"),
        ("bad_effect", ", code '01': 'pauses' is not one of: stops, runs, neutral"),
        ("bad_party", ", code '01': 'judge' is not one of: respondent, dhs, court, other"),
    ],
)
def test_a_bad_code_file_is_refused_naming_the_file_and_the_code(
    tmp_path: Path, change: str, message: str
) -> None:
    path = _codes_file(tmp_path, change)
    with pytest.raises(DataFileError) as refused:
        load_adjournment_codes(path)
    assert str(refused.value) == f"{path}{message}"


@pytest.mark.parametrize("change", ["bad_citation", "bad_code_citation"])
def test_a_bad_citation_is_refused_naming_the_file(tmp_path: Path, change: str) -> None:
    path = _codes_file(tmp_path, change)
    with pytest.raises(DataFileError) as refused:
        load_adjournment_codes(path)
    assert str(refused.value).startswith(f"{path}")
    if change == "bad_code_citation":
        assert str(refused.value).startswith(f"{path}, code '01'")


def test_the_version_is_read_and_its_absence_named(tmp_path: Path) -> None:
    assert (
        adjournment_codes_version()
        == json.loads(resource_path("adjournment_codes.json").read_text(encoding="utf-8"))[
            "version"
        ]
    )
    path = _codes_file(tmp_path, "version")
    with pytest.raises(DataFileError) as refused:
        adjournment_codes_version(path)
    assert str(refused.value) == f"{path}: missing field 'version'"


def test_an_assumption_that_is_not_text_is_no_assumption(tmp_path: Path) -> None:
    data = json.loads(resource_path("adjournment_codes.json").read_text(encoding="utf-8"))
    data["codes"][0]["assumed"] = 1
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_adjournment_codes(path)["01"].assumed is None
    assert load_adjournment_codes()["11"].assumed is not None
