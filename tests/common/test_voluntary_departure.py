"""Voluntary departure's deadline and the overstay's consequence (INA § 240B; 8 CFR
1240.26; 8 CFR 1241.1(f)), from resources/voluntary_departure.json."""

from __future__ import annotations

from datetime import date

import pytest

from common.resources import read_data_file, resource_path
from common.voluntary_departure import (
    departure_deadline,
    departure_terms,
    overstay_final_on,
    vd_rules,
)

DECIDED = date(2026, 12, 7)  # a Monday


def _granted(stage: str, depart_by: str) -> dict[str, str]:
    return {"voluntary_departure": "granted", "vd_stage": stage, "vd_depart_by": depart_by}


def test_sixty_days_at_the_conclusion_run_in_calendar_days_from_the_order() -> None:
    # 60 days after Monday December 7, 2026 is Friday February 5, 2027.
    assert departure_deadline(DECIDED, 60) == date(2027, 2, 5)
    # 120 days before the conclusion: Wednesday April 6, 2027.
    assert departure_deadline(DECIDED, 120) == date(2027, 4, 6)


def test_a_deadline_on_a_saturday_is_not_moved_to_monday() -> None:
    # 26 days after December 7 is Saturday January 2, 2027: the order's day stands.
    assert departure_deadline(DECIDED, 26) == date(2027, 1, 2)
    assert departure_deadline(DECIDED, 26).weekday() == 5


def test_the_alternate_order_becomes_final_the_day_after_the_last_day_to_depart() -> None:
    terms = departure_terms(
        DECIDED,
        {
            "voluntary_departure": "granted",
            "vd_stage": "post_conclusion",
            "vd_depart_by": "2027-02-05",
        },
    )
    assert terms is not None
    assert terms.days == 60 and terms.stage is not None and terms.stage.max_days == 60
    assert terms.final_on_overstay == overstay_final_on(date(2027, 2, 5)) == date(2027, 2, 6)
    line = terms.line()
    assert line.startswith("Depart by Fri 5 Feb 2027 (60 days granted at the conclusion")
    assert "becomes final on Sat 6 Feb 2027 (8 CFR 1241.1(f))" in line
    assert "ten years ineligible" in line and "$1,000 to $5,000" in line


def test_after_a_timely_appeal_the_boards_order_decides() -> None:
    terms = departure_terms(
        DECIDED,
        {
            "voluntary_departure": "granted",
            "vd_stage": "pre_conclusion",
            "vd_depart_by": "2027-04-06",
        },
        appealed=True,
    )
    assert terms is not None and terms.final_on_overstay is None
    assert "the Board's order decides" in terms.line()


def test_a_period_longer_than_the_stage_allows_is_said() -> None:
    terms = departure_terms(
        DECIDED,
        {
            "voluntary_departure": "granted",
            "vd_stage": "post_conclusion",
            "vd_depart_by": "2027-03-01",
        },
    )
    assert terms is not None and terms.too_long
    assert "more than the 60 days INA § 240B(b)(2) allows" in terms.line()


def test_no_grant_or_no_day_means_no_terms() -> None:
    assert departure_terms(DECIDED, {"voluntary_departure": "denied"}) is None
    assert departure_terms(DECIDED, {"voluntary_departure": "granted"}) is None
    with pytest.raises(ValueError):
        departure_deadline(DECIDED, 0)


def test_every_rule_cites_its_source_and_marks_what_was_not_read() -> None:
    rules = vd_rules()
    assert {s.code: s.max_days for s in rules.stages.values()} == {
        "pre_conclusion": 120,
        "post_conclusion": 60,
    }
    assert rules.overstay.cited == "8 CFR 1241.1(f)" and rules.overstay.assumption is None
    assert rules.counting.assumption  # 1240.26(b)(2), (c)(2) not read
    data = read_data_file(resource_path("voluntary_departure.json"))
    assert data["version"]
