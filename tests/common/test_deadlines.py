import json
from datetime import date
from pathlib import Path

import pytest

from common.deadlines import (
    DETAINED_CAVEAT,
    Direction,
    compute_deadline,
    deadlines_for_case,
    load_rules,
)
from common.enums import HearingType
from common.resources import RESOURCES_ENV_VAR, DataFileError, resource_path


def test_shipped_rules_are_versioned_and_complete() -> None:
    rules = load_rules()
    assert rules.version == "2026-01"
    assert rules.source == "EOIR Policy Manual, Appendix C"
    assert set(rules.rules) == {
        "filing_before_master_hearing",
        "filing_before_individual_hearing",
        "response_to_filing",
        "change_of_address",
        "bia_appeal",
        "motion_to_reopen",
        "motion_to_reconsider",
    }
    assert rules.rule("bia_appeal").must_be_received
    assert rules.rule("filing_before_master_hearing").days == 15
    assert rules.rule("filing_before_individual_hearing").days == 30


@pytest.mark.parametrize(
    ("rule_id", "anchor", "due"),
    [
        # Tue 17 Mar 2026 hearing: 15 days back is Mon 2 Mar, a business day.
        ("filing_before_master_hearing", date(2026, 3, 17), date(2026, 3, 2)),
        # Mon 23 Mar: 15 days back is Sun 8 Mar -> back to Fri 6 Mar.
        ("filing_before_master_hearing", date(2026, 3, 23), date(2026, 3, 6)),
        # Wed 24 Jun: 30 days back is Memorial Day (25 May) -> back to Fri 22 May.
        ("filing_before_individual_hearing", date(2026, 6, 24), date(2026, 5, 22)),
        # Decision Fri 5 Jun: day 30 is Sun 5 Jul -> forward to Mon 6 Jul.
        ("bia_appeal", date(2026, 6, 5), date(2026, 7, 6)),
        # Decision Wed 3 Jun: day 30 is Fri 3 Jul, observed Independence Day -> Mon 6 Jul.
        ("bia_appeal", date(2026, 6, 3), date(2026, 7, 6)),
        # Moved Sat 21 Nov: day 5 is Thanksgiving -> Fri 27 Nov.
        ("change_of_address", date(2026, 11, 21), date(2026, 11, 27)),
        # Received Tue 15 Dec: day 10 is Christmas -> Mon 28 Dec.
        ("response_to_filing", date(2026, 12, 15), date(2026, 12, 28)),
        ("motion_to_reopen", date(2026, 1, 2), date(2026, 4, 2)),
        # Day 30 is Sun 1 Feb -> Mon 2 Feb.
        ("motion_to_reconsider", date(2026, 1, 2), date(2026, 2, 2)),
    ],
)
def test_compute_deadline(rule_id: str, anchor: date, due: date) -> None:
    deadline = compute_deadline(rule_id, anchor)
    assert deadline.due == due
    assert deadline.anchor == anchor
    assert deadline.rule_id == rule_id


def test_deadline_records_the_unadjusted_count() -> None:
    deadline = compute_deadline("filing_before_master_hearing", date(2026, 3, 23))
    assert deadline.unadjusted == date(2026, 3, 8)
    assert deadline.direction is Direction.BEFORE
    assert deadline.title == "Filings before a master calendar hearing"


def test_detained_case_gets_the_default_with_a_caveat() -> None:
    hearing = compute_deadline("filing_before_master_hearing", date(2026, 3, 17), detained=True)
    assert hearing.due == date(2026, 3, 2)
    assert hearing.caveat == DETAINED_CAVEAT
    # The appeal deadline is set by regulation, not by the judge.
    assert compute_deadline("bia_appeal", date(2026, 6, 5), detained=True).caveat is None


def test_unknown_rule_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known rules: bia_appeal"):
        compute_deadline("no_such_rule", date(2026, 1, 2))


def test_deadlines_for_case_upcoming_and_sorted() -> None:
    deadlines = deadlines_for_case(
        [
            (HearingType.INDIVIDUAL, date(2026, 6, 24)),
            (HearingType.MASTER, date(2026, 3, 23)),
            (HearingType.BOND, date(2026, 3, 30)),
            (HearingType.MASTER, date(2026, 1, 20)),  # its deadline (5 Jan) has passed
        ],
        decided_on=date(2026, 6, 5),
        final_order_on=date(2026, 7, 6),
        today=date(2026, 3, 1),
    )
    assert [(d.rule_id, d.due) for d in deadlines] == [
        ("filing_before_master_hearing", date(2026, 3, 6)),
        ("filing_before_individual_hearing", date(2026, 5, 22)),
        ("bia_appeal", date(2026, 7, 6)),
        ("motion_to_reconsider", date(2026, 8, 5)),
        ("motion_to_reopen", date(2026, 10, 5)),  # day 90 is Sun 4 Oct
    ]


def test_deadline_due_today_is_still_upcoming() -> None:
    deadlines = deadlines_for_case(
        [(HearingType.MASTER, date(2026, 3, 17))], None, today=date(2026, 3, 2)
    )
    assert [d.due for d in deadlines] == [date(2026, 3, 2)]


def _write_rules(folder: Path, **changes: object) -> Path:
    data = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))
    data.update(changes)
    path = folder / "deadline_rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_counting_rule_is_data(tmp_path: Path) -> None:
    path = _write_rules(
        tmp_path,
        counting={"before": "next_business_day", "after": "next_business_day"},
    )
    rules = load_rules(path)
    deadline = compute_deadline("filing_before_master_hearing", date(2026, 3, 23), rules=rules)
    assert deadline.due == date(2026, 3, 9)


def test_resources_dir_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_rules(tmp_path, version="2099-01")
    monkeypatch.setenv(RESOURCES_ENV_VAR, str(tmp_path))
    assert resource_path("deadline_rules.json") == tmp_path / "deadline_rules.json"
    assert load_rules().version == "2099-01"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"version": ""}, "'version' must not be empty"),
        ({"rules": [{"id": "x"}]}, "rule 'x': missing field 'days'"),
        ({"counting": {"before": "sideways", "after": "next_business_day"}}, "not one of"),
        (
            {"rules": [{"id": "x", "title": "t", "anchor": "moved", "days": True}]},
            "'days' must be int",
        ),
    ],
)
def test_bad_rule_files_are_refused(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DataFileError, match=message):
        load_rules(_write_rules(tmp_path, **changes))


def test_duplicate_rule_ids_are_refused(tmp_path: Path) -> None:
    data = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))
    path = _write_rules(tmp_path, rules=data["rules"] + data["rules"][:1])
    with pytest.raises(DataFileError, match="unique"):
        load_rules(path)
