"""Deadlines as the rules count them. Each expected date is worked out from the cited text
(read 2026-12-06), and the test says which: ICPM = Immigration Court Practice Manual,
BIA PM = Board of Immigration Appeals Practice Manual."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from common.court_closures import board_calendar, court_calendar, load_closures
from common.deadlines import (
    DETAINED_CAVEAT,
    Decision,
    Direction,
    Motion,
    NoAppeal,
    appeal_deadline,
    case_decision,
    case_motions,
    compute_deadline,
    deadlines_for_case,
    is_in_absentia_order,
    load_rules,
    post_order_deadlines,
)
from common.enums import HearingType
from common.resources import RESOURCES_ENV_VAR, DataFileError, resource_path


def test_every_shipped_rule_names_its_source_the_day_it_was_read_and_its_version() -> None:
    rules = load_rules()
    assert rules.version == "2026-12"
    assert rules.read_on == date(2026, 12, 6)
    assert set(rules.rules) == {
        "filing_before_master_hearing",
        "filing_before_individual_hearing",
        "response_to_filing",
        "change_of_address",
        "bia_appeal",
        "motion_to_reopen",
        "motion_to_reconsider",
        "motion_to_rescind_in_absentia",
        # Before the Board (8 CFR 1003.2(b)(2), (c)(2)), read the day after.
        "board_motion_to_reopen",
        "board_motion_to_reconsider",
        "board_response_to_motion",
        # Bond proceedings (8 CFR 1003.19(f), (i)(2); 1003.6(c)), read two days later.
        "bond_appeal",
        "bond_stay_notice",
        "bond_stay_appeal",
        "bond_stay_lapse",
    }
    for rule in rules.rules.values():
        assert rule.citation.document and rule.citation.section, rule.id
        read = date(2026, 12, 8) if rule.id.startswith("bond_") else date(2026, 12, 6)
        if rule.id.startswith("board_"):
            read = date(2026, 12, 7)
        assert rule.citation.read_on == read, rule.id
        assert rule.version, rule.id
    sections = {c.section for c in rules.counting_citations}
    assert "Chapter 3.1(c)(2) (Computation of time)" in sections
    assert '1001.1(h) (definition of "day")' in sections
    assert rules.rule("bia_appeal").must_be_received
    assert rules.rule("bia_appeal").reference.startswith("8 CFR 1003.38(b)")


def test_the_deadline_before_an_individual_hearing_is_fifteen_days() -> None:
    # ICPM 3.1(b)(2) and Shared Appendix C: "15 days before the hearing" (non-detained).
    assert load_rules().rule("filing_before_individual_hearing").days == 15
    assert load_rules().rule("filing_before_master_hearing").days == 15


# --- ICPM 3.1(c)(2): counting back from a hearing ------------------------------------------


def test_the_hearing_is_day_zero_and_the_day_before_it_day_one() -> None:
    # ICPM 3.1(c)(2): "the day of the hearing counts as day 0 and the day before the hearing
    # counts as day 1". Hearing Tue 17 Mar 2026: day 15 is Mon 2 Mar, a business day.
    deadline = compute_deadline("filing_before_master_hearing", date(2026, 3, 17))
    assert deadline.due == date(2026, 3, 2)
    assert deadline.direction is Direction.BEFORE
    assert not deadline.moved


def test_a_deadline_before_a_hearing_falling_on_a_sunday_moves_to_the_next_business_day() -> None:
    # ICPM 3.1(c)(2): a deadline before a hearing that "falls on a Saturday, Sunday, or legal
    # holiday ... is construed to fall on the next business day". Hearing Mon 23 Mar 2026:
    # day 15 is Sun 8 Mar, so the filing is due Mon 9 Mar (not Fri 6 Mar).
    deadline = compute_deadline("filing_before_master_hearing", date(2026, 3, 23))
    assert deadline.unadjusted == date(2026, 3, 8)
    assert deadline.due == date(2026, 3, 9)
    assert deadline.moved_note == "Moved from Sun 8 Mar 2026: Sun 8 Mar 2026 is a Sunday."


def test_a_deadline_before_a_hearing_falling_on_a_federal_holiday_moves_forward() -> None:
    # ICPM 3.1(c)(2), as above. Individual hearing Tue 9 Jun 2026: day 15 is Mon 25 May,
    # Memorial Day (5 U.S.C. 6103(a)), so the filing is due Tue 26 May.
    deadline = compute_deadline("filing_before_individual_hearing", date(2026, 6, 9))
    assert deadline.due == date(2026, 5, 26)
    assert "Memorial Day, a legal holiday" in (deadline.moved_note or "")


def test_a_deadline_set_for_a_saturday_falls_on_the_monday_the_manuals_own_example() -> None:
    # ICPM 3.1(c)(2), "Deadlines on specific dates": the Manual's example is a brief due by
    # June 21, 2008; that day was a Saturday, so the brief was due Monday, June 23, 2008.
    assert court_calendar(None).roll(date(2008, 6, 21)).due == date(2008, 6, 23)


# --- 8 CFR 1003.38(b): the appeal --------------------------------------------------------------


def test_an_appeal_due_on_new_years_day_is_due_the_next_business_day() -> None:
    # The order the issue found: signed Wed 2 Dec 2026, "@today+30" proposed Fri 1 Jan 2027.
    # 8 CFR 1003.38(b): 30 calendar days from the oral decision; a last day on a legal
    # holiday extends "to the next business day": Mon 4 Jan 2027.
    deadline = appeal_deadline(date(2026, 12, 2), oral=True, calendar=board_calendar())
    assert deadline.unadjusted == date(2027, 1, 1)
    assert deadline.due == date(2027, 1, 4)
    assert "New Year's Day, a legal holiday" in (deadline.moved_note or "")


def test_an_appeal_whose_last_day_is_a_saturday_is_due_monday() -> None:
    # 8 CFR 1003.38(b): decision Thu 17 Sep 2026, day 30 is Sat 17 Oct -> Mon 19 Oct 2026.
    assert appeal_deadline(date(2026, 9, 17), oral=True).due == date(2026, 10, 19)


def test_an_appeal_whose_last_day_is_christmas_is_due_the_monday_after() -> None:
    # 8 CFR 1003.38(b): decision Wed 25 Nov 2026, day 30 is Fri 25 Dec -> Mon 28 Dec 2026.
    assert appeal_deadline(date(2026, 11, 25), oral=True).due == date(2026, 12, 28)


def test_a_written_decisions_appeal_runs_from_its_mailing_not_its_date() -> None:
    # 8 CFR 1003.38(b): 30 days from "the mailing or electronic notification" of a written
    # decision. Dated Wed 2 Dec 2026, mailed Mon 7 Dec: due Wed 6 Jan 2027.
    due = appeal_deadline(date(2026, 12, 2), oral=False, served_on=date(2026, 12, 7)).due
    assert due == date(2027, 1, 6)
    with pytest.raises(ValueError, match="give served_on"):
        appeal_deadline(date(2026, 12, 2), oral=False)


def test_an_in_absentia_order_offers_no_appeal_but_the_motion_to_reopen() -> None:
    # INA 240(b)(5)(C); Matter of Guzman-Arguera, 22 I&N Dec. 722 (BIA 1999): the Board has
    # no jurisdiction over an appeal from an in-absentia order.
    with pytest.raises(NoAppeal, match="move the immigration judge to reopen"):
        appeal_deadline(date(2026, 7, 6), oral=True, in_absentia=True)


def test_the_appeal_deadline_of_a_detained_case_is_not_left_to_the_judge() -> None:
    # 8 CFR 1003.38(b) applies to every party, detained or not (BIA PM 4.5(a)).
    assert compute_deadline("bia_appeal", date(2026, 6, 5), detained=True).caveat is None


# --- 8 CFR 1003.23(b): motions after the order -------------------------------------------------


def test_reopen_and_reconsider_run_from_the_final_order() -> None:
    # 8 CFR 1003.23(b)(1): reconsider within 30 days, reopen within 90. Order Fri 5 Jun
    # 2026: day 30 is Sun 5 Jul -> Mon 6 Jul; day 90 is Thu 3 Sep.
    found = post_order_deadlines(date(2026, 6, 5))
    assert [(d.rule_id, d.due) for d in found] == [
        ("motion_to_reconsider", date(2026, 7, 6)),
        ("motion_to_reopen", date(2026, 9, 3)),
    ]
    assert all("8 CFR 1003.39" in (d.note or "") for d in found)


def test_an_in_absentia_order_gives_180_days_to_move_to_rescind() -> None:
    # INA 240(b)(5)(C)(i); 8 CFR 1003.23(b)(4)(ii): 180 days after the in-absentia order.
    # Order Mon 6 Jul 2026: day 180 is Sat 2 Jan 2027 -> Mon 4 Jan 2027. No 90-day motion.
    found = post_order_deadlines(date(2026, 7, 6), in_absentia=True)
    assert [(d.rule_id, d.due) for d in found] == [
        ("motion_to_rescind_in_absentia", date(2027, 1, 4))
    ]
    # INA 240(b)(5)(C)(ii): no time limit without notice of the hearing, or in custody.
    assert "did not receive notice" in (found[0].note or "")
    assert "240(b)(5)(C)" in found[0].citation


def test_a_response_to_a_motion_is_due_ten_days_after_the_court_received_it() -> None:
    # ICPM 3.1(b), 5.12: 10 days after the filing is received. Received Tue 15 Dec 2026:
    # day 10 is Christmas Day -> Mon 28 Dec 2026.
    found = deadlines_for_case(
        [],
        None,
        today=date(2026, 12, 15),
        motions=[Motion(date(2026, 12, 15), "Motion to continue")],
    )
    assert [(d.rule_id, d.due) for d in found] == [("response_to_filing", date(2026, 12, 28))]
    assert found[0].title == "Response to the motion to continue received Tue 15 Dec 2026"


def test_detained_case_gets_the_default_with_a_caveat() -> None:
    # ICPM 3.1(b)(1)-(2): for detained respondents the court sets the filing deadlines.
    hearing = compute_deadline("filing_before_master_hearing", date(2026, 3, 17), detained=True)
    assert hearing.due == date(2026, 3, 2)
    assert hearing.caveat == DETAINED_CAVEAT


def test_unknown_rule_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known rules: bia_appeal"):
        compute_deadline("no_such_rule", date(2026, 1, 2))


# --- closures -----------------------------------------------------------------------------------


def _closures(tmp_path: Path, *entries: dict[str, object]) -> Path:
    data = json.loads(resource_path("court_closures.json").read_text(encoding="utf-8"))
    data["closures"] = list(entries)
    path = tmp_path / "court_closures.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_deadline_before_a_hearing_on_a_day_the_court_was_closed_moves_to_the_next_open_day(
    tmp_path: Path,
) -> None:
    # Assumption recorded in court_closures.json, after 8 CFR 1003.31(b): a last day on which
    # the court is closed moves to the next business day it is open. San Francisco closed
    # Wed 4 Nov 2026; hearing Thu 19 Nov: day 15 is Wed 4 Nov -> Thu 5 Nov. Houston: 4 Nov.
    closures = load_closures(
        _closures(
            tmp_path,
            {
                "id": "sfr-2026-11-04",
                "courts": ["SFR"],
                "kind": "emergency_closure",
                "closed_from": "2026-11-04",
                "closed_to": "2026-11-04",
                "reason": "power failure in the building",
                "announcement": {"by": "EOIR", "title": "San Francisco Immigration Court closed"},
            },
        )
    )
    sfr = court_calendar("SFR", closures=closures)
    deadline = compute_deadline("filing_before_master_hearing", date(2026, 11, 19), calendar=sfr)
    assert deadline.due == date(2026, 11, 5)
    assert "court was closed (power failure in the building)" in (deadline.moved_note or "")
    hou = court_calendar("HOU", closures=closures)
    assert compute_deadline(
        "filing_before_master_hearing", date(2026, 11, 19), calendar=hou
    ).due == date(2026, 11, 4)


def test_an_unplanned_ecas_outage_moves_only_electronic_filers_and_a_planned_one_nobody(
    tmp_path: Path,
) -> None:
    # 8 CFR 1003.31(b): an unplanned outage on the last day extends the deadline to the
    # first day ECAS is available that is not a weekend or holiday; BIA PM 4.5(b)(1): a
    # planned outage does not. Response due Tue 15 Dec 2026 (received Sat 5 Dec).
    outage = {
        "id": "ecas-2026-12-15",
        "courts": ["*", "BIA"],
        "kind": "ecas_outage",
        "closed_from": "2026-12-15",
        "closed_to": "2026-12-15",
        "reason": "ECAS case portal down",
        "announcement": {"by": "EOIR", "title": "ECAS Outage Log"},
    }
    closures = load_closures(_closures(tmp_path, outage))
    on_line = court_calendar("SFR", closures=closures)
    on_paper = court_calendar("SFR", electronic=False, closures=closures)
    received = date(2026, 12, 5)
    assert compute_deadline("response_to_filing", received, calendar=on_line).due == date(
        2026, 12, 16
    )
    assert compute_deadline("response_to_filing", received, calendar=on_paper).due == date(
        2026, 12, 15
    )
    planned = load_closures(_closures(tmp_path, outage | {"planned": True}))
    assert compute_deadline(
        "response_to_filing", received, calendar=court_calendar("SFR", closures=planned)
    ).due == date(2026, 12, 15)


def test_the_boards_2012_closure_made_appeals_due_that_week_timely_through_july_11() -> None:
    # EOIR's announcement (shipped in court_closures.json): the Board was closed 2-3 July
    # 2012; filings due on a weekday of the week of July 2 were timely if received by July
    # 11, 2012. Oral decision Tue 5 Jun 2012: day 30 is Thu 5 Jul 2012 -> Wed 11 Jul 2012.
    assert appeal_deadline(date(2012, 6, 5), oral=True).due == date(2012, 7, 11)
    # The immigration courts were not closed then: a court deadline of the same day stands.
    assert compute_deadline("response_to_filing", date(2012, 6, 25)).due == date(2012, 7, 5)


def test_the_2013_lapse_in_funding_moved_non_detained_deadlines_only() -> None:
    # EOIR's announcement of October 2013: non-detained filings due October 1-16, 2013 were
    # timely if received by November 8, 2013; detained dockets stayed open. Individual
    # hearing Thu 24 Oct 2013: day 15 is Wed 9 Oct 2013.
    non_detained = compute_deadline(
        "filing_before_individual_hearing",
        date(2013, 10, 24),
        calendar=court_calendar("SFR", detained=False),
    )
    assert non_detained.due == date(2013, 11, 8)
    assert "Lapse in Federal Government Funding" in (non_detained.moved_note or "")
    detained = compute_deadline(
        "filing_before_individual_hearing",
        date(2013, 10, 24),
        detained=True,
        calendar=court_calendar("SFR", detained=True),
    )
    assert detained.due == date(2013, 10, 9)


# --- a case's deadlines -----------------------------------------------------------------------


def test_deadlines_for_case_upcoming_and_sorted() -> None:
    deadlines = deadlines_for_case(
        [
            (HearingType.INDIVIDUAL, date(2026, 6, 24)),
            (HearingType.MASTER, date(2026, 3, 23)),
            (HearingType.BOND, date(2026, 3, 30)),
            (HearingType.MASTER, date(2026, 1, 20)),  # its deadline (5 Jan) has passed
        ],
        Decision(decided_on=date(2026, 6, 5)),
        today=date(2026, 3, 1),
    )
    assert [(d.rule_id, d.due) for d in deadlines] == [
        ("filing_before_master_hearing", date(2026, 3, 9)),  # day 15 is Sun 8 Mar
        ("filing_before_individual_hearing", date(2026, 6, 9)),
        ("bia_appeal", date(2026, 7, 6)),  # day 30 is Sun 5 Jul
        ("motion_to_reconsider", date(2026, 7, 6)),
        ("motion_to_reopen", date(2026, 9, 3)),
    ]
    assert all(d.citation for d in deadlines)


def test_a_case_decided_in_absentia_shows_the_rescission_deadline_and_no_appeal() -> None:
    found = deadlines_for_case(
        [], Decision(decided_on=date(2026, 7, 6), in_absentia=True), today=date(2026, 7, 6)
    )
    assert [d.rule_id for d in found] == ["motion_to_rescind_in_absentia"]


def test_an_appealed_case_shows_no_motion_deadlines_against_the_judges_order() -> None:
    found = deadlines_for_case(
        [], Decision(decided_on=date(2026, 6, 5), final=False), today=date(2026, 6, 5)
    )
    assert [d.rule_id for d in found] == ["bia_appeal"]


def test_deadline_due_today_is_still_upcoming() -> None:
    deadlines = deadlines_for_case(
        [(HearingType.MASTER, date(2026, 3, 17))], None, today=date(2026, 3, 2)
    )
    assert [d.due for d in deadlines] == [date(2026, 3, 2)]


def test_in_absentia_orders_are_recognised_by_template_or_field() -> None:
    assert is_in_absentia_order("in_absentia_order", {})
    assert is_in_absentia_order("removal_decision", {"in_absentia": True})
    assert not is_in_absentia_order("removal_decision", {"in_absentia": False})


# --- the data file ------------------------------------------------------------------------------


def _write_rules(folder: Path, **changes: object) -> Path:
    data = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))
    data.update(changes)
    path = folder / "deadline_rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_counting_rule_is_data(tmp_path: Path) -> None:
    counting = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))[
        "counting"
    ]
    path = _write_rules(tmp_path, counting=counting | {"before": "previous_business_day"})
    rules = load_rules(path)
    deadline = compute_deadline("filing_before_master_hearing", date(2026, 3, 23), rules=rules)
    assert deadline.due == date(2026, 3, 6)


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
        (
            {"counting": {"before": "sideways", "after": "next_business_day", "citations": []}},
            "not one of",
        ),
        (
            {"rules": [{"id": "x", "title": "t", "anchor": "moved", "days": True}]},
            "'days' must be int",
        ),
        (
            {
                "rules": [
                    {
                        "id": "x",
                        "version": "1",
                        "title": "t",
                        "anchor": "moved",
                        "days": 5,
                        "direction": "after",
                        "when_detained": "default",
                    }
                ]
            },
            "missing field 'citation'",
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


# --- reading the decision from the case's records ----------------------------------------------

CASE = {"id": "c1", "status": "decided", "decided_on": "2026-12-02"}


def _order(template: str, **fields: object) -> dict[str, object]:
    return {
        "id": "o1",
        "case_id": "c1",
        "template": template,
        "status": "issued",
        "signed_at": "2026-12-02T18:00:00+00:00",
        "document_id": "d1",
        "fields": {"decision_date": "2026-12-02", **fields},
    }


def test_a_signed_in_absentia_order_makes_the_case_decision_unappealable() -> None:
    decision = case_decision(CASE, [_order("in_absentia_order")])
    assert decision == Decision(date(2026, 12, 2), in_absentia=True)
    found = deadlines_for_case([], decision, today=date(2026, 12, 2))
    assert [d.rule_id for d in found] == ["motion_to_rescind_in_absentia"]


def test_a_written_decision_counts_its_appeal_from_the_day_its_document_was_served() -> None:
    # 8 CFR 1003.38(b): served Mon 7 Dec 2026 -> day 30 is Wed 6 Jan 2027.
    order = _order("removal_decision", decision_form="written")
    decision = case_decision(CASE, [order], {"d1": date(2026, 12, 7)})
    assert decision is not None and not decision.oral
    appeal = [
        d for d in deadlines_for_case([], decision, today=date.min) if d.rule_id == "bia_appeal"
    ]
    assert [d.due for d in appeal] == [date(2027, 1, 6)]


def test_a_pending_or_appealed_case_has_no_decision_deadlines() -> None:
    for status in ("pending", "appealed"):
        assert case_decision(CASE | {"status": status}, [_order("removal_decision")]) is None


def test_motions_filed_by_a_party_are_answered_and_rejected_ones_are_not() -> None:
    documents = [
        {
            "doc_type": "motion",
            "status": "accepted",
            "filer_party": "dhs",
            "title": "Motion to pretermit",
            "filed_on": "2026-12-01",
        },
        {
            "doc_type": "motion",
            "status": "rejected",
            "filer_party": "respondent",
            "title": "Motion",
            "filed_on": "2026-12-01",
        },
        {
            "doc_type": "brief",
            "status": "accepted",
            "filer_party": "dhs",
            "title": "Brief",
            "filed_on": "2026-12-01",
        },
    ]
    assert case_motions(documents) == [Motion(date(2026, 12, 1), "Motion to pretermit")]
