import json
from datetime import date
from pathlib import Path

import pytest

from common.adjournment import (
    AdjournmentParty,
    AsylumClock,
    adjournment_codes_version,
    apply_to_clock,
    clock_effect,
    describe_effect,
    load_adjournment_codes,
    lookup_code,
    normalise_code,
)
from common.enums import ClockEffect
from common.resources import DataFileError, resource_path

EXPECTED_EFFECTS = {
    "01": ClockEffect.STOPS,
    "1A": ClockEffect.RUNS,
    "1B": ClockEffect.RUNS,
    "02": ClockEffect.STOPS,
    "03": ClockEffect.RUNS,
    "3A": ClockEffect.RUNS,
    "04": ClockEffect.RUNS,
    "4A": ClockEffect.RUNS,
    "4B": ClockEffect.RUNS,
    "4C": ClockEffect.RUNS,
    "4E": ClockEffect.RUNS,
    "4F": ClockEffect.RUNS,
    "5A": ClockEffect.NEUTRAL,
    "5D": ClockEffect.NEUTRAL,
    "7A": ClockEffect.RUNS,
    "8A": ClockEffect.STOPS,
    "8B": ClockEffect.STOPS,
    "09": ClockEffect.RUNS,
    "9A": ClockEffect.RUNS,
    "9B": ClockEffect.NEUTRAL,
    # Read in EOIR's adjournment-code lookup table (case data release): 10 runs; 11 stops
    # by the assumption recorded beside it (a no-show is a delay the applicant causes).
    "10": ClockEffect.RUNS,
    "11": ClockEffect.STOPS,
}


def test_every_code_present_with_its_clock_effect() -> None:
    codes = load_adjournment_codes()
    assert {code: entry.clock_effect for code, entry in codes.items()} == EXPECTED_EFFECTS
    assert all(entry.description for entry in codes.values())


def test_parties() -> None:
    codes = load_adjournment_codes()
    assert codes["01"].party is AdjournmentParty.RESPONDENT
    assert codes["03"].party is AdjournmentParty.DHS
    assert codes["4E"].party is AdjournmentParty.COURT
    assert codes["4E"].description == "Record of proceedings missing"


def test_file_is_versioned() -> None:
    assert adjournment_codes_version() == "2026-12"
    raw = json.loads(resource_path("adjournment_codes.json").read_text(encoding="utf-8"))
    assert raw["source"].startswith("EOIR Practice Manuals, Shared Appendix O")


def test_every_code_names_where_it_was_read() -> None:
    for entry in load_adjournment_codes().values():
        assert entry.citation is not None, entry.code
        assert entry.citation.read_on == date(2026, 12, 6), entry.code


def test_codes_10_and_11_join_the_catalogue_with_their_clock_effects() -> None:
    codes = load_adjournment_codes()
    assert codes["10"].description == "Notice sent or served incorrectly"
    assert codes["10"].clock_effect is ClockEffect.RUNS and codes["10"].assumed is None
    assert codes["11"].description.startswith("Other no-show by respondent")
    assert codes["11"].party is AdjournmentParty.RESPONDENT
    # Its clock status was not legible in the source read: the file says what was assumed.
    assert codes["11"].clock_effect is ClockEffect.STOPS
    assert "Appendix O" in (codes["11"].assumed or "")
    # A notice served wrongly is not the respondent's delay: the clock runs to the next
    # hearing (143 days so far + 30 days).
    clock = AsylumClock(days_elapsed=143, running=True, as_of=date(2026, 12, 1))
    after = apply_to_clock(clock, "10", date(2026, 12, 1), date(2026, 12, 31))
    assert after.days_elapsed == 173 and after.running


@pytest.mark.parametrize(
    ("typed", "code"), [("1", "01"), ("01", "01"), (" 4a ", "4A"), ("8b", "8B"), ("9", "09")]
)
def test_code_spellings(typed: str, code: str) -> None:
    assert normalise_code(typed) == code
    assert lookup_code(typed).code == code


def test_clock_effect_lookup() -> None:
    assert clock_effect("01") is ClockEffect.STOPS
    assert clock_effect("4a") is ClockEffect.RUNS
    with pytest.raises(KeyError, match="no adjournment code 'ZZ'"):
        clock_effect("ZZ")


START = AsylumClock(days_elapsed=100, running=True, as_of=date(2026, 10, 1))
ADJOURNED = date(2026, 11, 13)  # 43 days after START.as_of
HEARING = date(2027, 1, 12)  # 60 days after ADJOURNED


def test_stops_code_holds_the_clock_until_the_hearing() -> None:
    after = apply_to_clock(START, "01", ADJOURNED, HEARING)
    assert after == AsylumClock(days_elapsed=143, running=False, as_of=HEARING)


def test_runs_code_accrues_to_the_hearing() -> None:
    after = apply_to_clock(START, "03", ADJOURNED, HEARING)
    assert after == AsylumClock(days_elapsed=203, running=True, as_of=HEARING)


def test_runs_code_restarts_a_stopped_clock() -> None:
    stopped = apply_to_clock(START, "02", ADJOURNED, HEARING)
    after = apply_to_clock(stopped, "4A", HEARING, date(2027, 2, 11))
    assert after == AsylumClock(days_elapsed=173, running=True, as_of=date(2027, 2, 11))
    assert not after.reached_threshold
    later = apply_to_clock(after, "03", date(2027, 2, 11), date(2027, 2, 18))
    assert later.days_elapsed == 180
    assert later.reached_threshold


def test_neutral_code_keeps_the_state() -> None:
    running = apply_to_clock(START, "5A", ADJOURNED, HEARING)
    assert running == AsylumClock(203, True, HEARING)
    stopped = AsylumClock(days_elapsed=50, running=False, as_of=ADJOURNED)
    assert apply_to_clock(stopped, "9B", ADJOURNED, HEARING) == AsylumClock(50, False, HEARING)


def test_dates_must_not_run_backwards() -> None:
    with pytest.raises(ValueError, match="before the clock's date"):
        apply_to_clock(START, "01", date(2026, 9, 1), HEARING)
    with pytest.raises(ValueError, match="before the adjournment"):
        apply_to_clock(START, "01", ADJOURNED, date(2026, 11, 1))


def test_describe_effect() -> None:
    assert describe_effect(START, "01", ADJOURNED, HEARING) == (
        "Clock stops: 143 days so far; stays at 143 until the hearing on Tue 12 Jan 2027."
    )
    assert describe_effect(START, "4E", ADJOURNED, HEARING) == (
        "Clock runs: 143 days so far; 203 by the hearing on Tue 12 Jan 2027."
    )
    stopped = AsylumClock(days_elapsed=1, running=False, as_of=ADJOURNED)
    assert describe_effect(stopped, "5D", ADJOURNED, HEARING) == (
        "Clock unchanged (stopped): 1 day so far; stays at 1 until the hearing on Tue 12 Jan 2027."
    )


def test_duplicate_codes_refused(tmp_path: Path) -> None:
    raw = json.loads(resource_path("adjournment_codes.json").read_text(encoding="utf-8"))
    raw["codes"].append({**raw["codes"][0], "code": "1"})  # "1" is "01" again
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DataFileError, match="'01' appears twice"):
        load_adjournment_codes(path)


def test_bad_clock_effect_refused(tmp_path: Path) -> None:
    raw = json.loads(resource_path("adjournment_codes.json").read_text(encoding="utf-8"))
    raw["codes"][0]["clock_effect"] = "pauses"
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DataFileError, match="'pauses' is not one of: stops, runs, neutral"):
        load_adjournment_codes(path)


def test_clock_replayed_from_the_case_record() -> None:
    from common.adjournment import clock_from_history

    filed = date(2026, 1, 1)
    # 01 (respondent seeks counsel) stops the clock from Mar 1 until the Apr 1 hearing;
    # 03 (DHS preparation) lets it run from Apr 1 to May 1.
    history = [
        (date(2026, 4, 1), "03", date(2026, 5, 1)),
        (date(2026, 3, 1), "01", date(2026, 4, 1)),
    ]
    clock = clock_from_history(filed, history, as_of=date(2026, 5, 1))
    assert clock is not None
    assert clock.days_elapsed == (date(2026, 3, 1) - filed).days + 30
    assert clock.running
    assert clock_from_history(None, history, as_of=date(2026, 5, 1)) is None
