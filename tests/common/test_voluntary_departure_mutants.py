"""Voluntary departure as the mutation run of common/voluntary_departure.py showed it
unchecked: the case file's whole sentence, the limits of each stage at their edge (INA §
240B(a)(2)(A): 120 days; § 240B(b)(2): 60 days), a period of one day, an unknown stage, and
the data file's refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from common.resources import RESOURCES_ENV_VAR, DataFileError, resource_path
from common.voluntary_departure import (
    FILE,
    Stage,
    departure_deadline,
    departure_terms,
    vd_rules,
)

DECIDED = date(2026, 12, 7)  # a Monday
PENALTIES = (
    "ten years ineligible for voluntary departure and for relief under INA §§ 240A, 245, 248 "
    "and 249; a civil penalty of $1,000 to $5,000"
)


def _granted(stage: str, depart_by: str) -> dict[str, str]:
    return {"voluntary_departure": "granted", "vd_stage": stage, "vd_depart_by": depart_by}


@pytest.fixture
def fresh_rules() -> Iterator[None]:
    vd_rules.cache_clear()
    yield
    vd_rules.cache_clear()


def test_the_case_file_says_the_grant_and_the_overstay_whole() -> None:
    terms = departure_terms(DECIDED, _granted("post_conclusion", "2027-02-05"))
    assert terms is not None
    assert terms.line() == (
        "Depart by Fri 5 Feb 2027 (60 days granted at the conclusion of proceedings). If the "
        "respondent has not departed, the alternate order of removal becomes final on Sat 6 "
        f"Feb 2027 (8 CFR 1241.1(f)), with {PENALTIES}."
    )


def test_after_an_appeal_the_sentence_names_the_board() -> None:
    terms = departure_terms(DECIDED, _granted("pre_conclusion", "2027-04-06"), appealed=True)
    assert terms is not None
    assert terms.line() == (
        "Depart by Tue 6 Apr 2027 (120 days granted before the conclusion of proceedings); "
        "appealed: the Board's order decides when the alternate order of removal becomes "
        "final (8 CFR 1241.1(f))"
    )


def test_each_stage_allows_its_maximum_and_not_a_day_more() -> None:
    # 120 days before the conclusion (INA § 240B(a)(2)(A)): Tue 6 Apr 2027 is day 120.
    at_most = departure_terms(DECIDED, _granted("pre_conclusion", "2027-04-06"))
    over = departure_terms(DECIDED, _granted("pre_conclusion", "2027-04-07"))
    assert at_most is not None and over is not None
    assert (at_most.days, at_most.too_long) == (120, False)
    assert (over.days, over.too_long) == (121, True)
    assert over.line().startswith(
        "Depart by Wed 7 Apr 2027 (121 days granted before the conclusion of proceedings) — "
        "more than the 120 days INA § 240B(a)(2)(A) allows. If the respondent"
    )
    assert "more than" not in at_most.line()


def test_one_day_is_the_shortest_period_and_none_is_no_grant() -> None:
    one = departure_terms(DECIDED, _granted("post_conclusion", "2026-12-08"))
    assert one is not None
    assert (one.decided_on, one.depart_by, one.days, one.final_on_overstay) == (
        DECIDED,
        date(2026, 12, 8),
        1,
        date(2026, 12, 9),
    )
    assert departure_terms(DECIDED, _granted("post_conclusion", "2026-12-07")) is None
    assert departure_terms(DECIDED, _granted("post_conclusion", "2026-12-06")) is None
    assert departure_terms(DECIDED, _granted("post_conclusion", "next month")) is None
    assert departure_deadline(DECIDED, 1) == date(2026, 12, 8)
    with pytest.raises(ValueError, match=r"^a period of voluntary departure is at least one day$"):
        departure_deadline(DECIDED, 0)


def test_an_unknown_stage_names_no_stage_and_no_limit() -> None:
    terms = departure_terms(DECIDED, _granted("someday", "2027-12-07"))
    assert terms is not None
    assert (terms.stage, terms.too_long, terms.days) == (None, False, 365)
    assert terms.line().startswith("Depart by Tue 7 Dec 2027 (365 days granted). If")


def test_each_stage_and_consequence_is_cited_as_read() -> None:
    rules = vd_rules()
    assert rules.stages == {
        "pre_conclusion": Stage(
            "pre_conclusion", "before the conclusion of proceedings", 120, "INA § 240B(a)(2)(A)"
        ),
        "post_conclusion": Stage(
            "post_conclusion", "at the conclusion of proceedings", 60, "INA § 240B(b)(2)"
        ),
    }
    assert rules.counting.cited == "8 CFR 1240.26(b)(2), (c)(2)"
    assert rules.counting.text.startswith("The period granted runs from the day of")
    assert rules.counting.assumption is not None
    assert rules.counting.assumption.startswith("Not read in the primary text on 2026-12-07.")
    assert [(c.cited, c.assumption is None) for c in rules.consequences] == [
        ("8 CFR 1240.26(a)", True),
        ("INA § 240B(d)(1)(A)", False),
    ]


def _broken(folder: Path, change: str) -> Path:
    data = json.loads(resource_path(FILE).read_text(encoding="utf-8"))
    if change == "source":
        data["stages"][0]["source"] = "INA"
    elif change == "unread":
        del data["stages"][1]["source"]["read_on"]
    elif change == "overstay":
        data["overstay"] = "the day after"
    elif change == "unread_rule":
        del data["overstay"]["source"]["read_on"]
    elif change in ("document", "section"):
        del data["stages"][0]["source"][change]
    elif change == "no_rule":
        del data["overstay"]["rule"]
    path = folder / FILE
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("source", ": stage pre_conclusion: 'source' must be an object"),
        ("unread", ": stage post_conclusion: a source not read must say its assumption"),
        ("overstay", ": overstay: 'rule' must be an object"),
        ("unread_rule", ": overstay: rule: a source not read must say its assumption"),
        ("document", ": stage pre_conclusion: missing field 'document'"),
        ("section", ": stage pre_conclusion: missing field 'section'"),
        ("no_rule", ": overstay: missing field 'rule'"),
    ],
)
def test_a_broken_rules_file_is_refused_naming_the_place(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_rules: None,
    change: str,
    message: str,
) -> None:
    path = _broken(tmp_path, change)
    monkeypatch.setenv(RESOURCES_ENV_VAR, str(tmp_path))
    with pytest.raises(DataFileError) as refused:
        vd_rules()
    assert str(refused.value) == f"{path}{message}"
