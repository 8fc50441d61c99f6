"""Deadlines the mutation run of common/deadlines.py showed unchecked: the bond stay's
business-day counts (8 CFR 1003.19(i)(2); BIA Practice Manual 6.1), a lapse that does not
roll, the whole of a computed deadline (title, citation, note, caveat, why it moved), the
service of a written decision read from its order (8 CFR 1003.38(b)), and the rule file's
refusals as a person reads them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from common.court_closures import court_calendar
from common.deadlines import (
    DETAINED_CAVEAT,
    FINAL_ORDER_NOTE,
    Deadline,
    DeadlineRules,
    Decision,
    Direction,
    Motion,
    NoAppeal,
    appeal_deadline,
    case_decision,
    case_motions,
    compute_deadline,
    deadlines_for_case,
    load_rules,
    post_order_deadlines,
    written_decision_service,
)
from common.enums import HearingType
from common.resources import DataFileError, resource_path

# --- business days: the automatic stay of a bond order ----------------------------------------


@pytest.mark.parametrize(
    ("order_on", "notice_due", "appeal_due"),
    [
        # Mon 7 Dec 2026: the EOIR-43 the next day; ten business days end Mon 21 Dec.
        (date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 21)),
        # Fri 4 Dec 2026: the weekend does not count; the notice is due Monday.
        (date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 18)),
        # Thu 24 Dec 2026: Christmas and New Year's Day are not business days either.
        (date(2026, 12, 24), date(2026, 12, 28), date(2027, 1, 11)),
        (date(2026, 12, 18), date(2026, 12, 21), date(2027, 1, 5)),
    ],
)
def test_the_bond_stay_counts_business_days_8_cfr_1003_19_i_2(
    order_on: date, notice_due: date, appeal_due: date
) -> None:
    notice = compute_deadline("bond_stay_notice", order_on)
    assert (notice.due, notice.unadjusted, notice.anchor) == (notice_due, notice_due, order_on)
    assert notice.direction is Direction.AFTER
    assert notice.moved == () and notice.caveat is None and notice.moved_note is None
    assert notice.citation == (
        "8 CFR 1003.19(i)(2), 1003.6(c)(1); BIA Practice Manual Chapter 6.1 (In general)"
    )
    assert notice.title.startswith("DHS's notice of intent to appeal")
    assert notice.note is not None and "$10,000" in notice.note
    assert compute_deadline("bond_stay_appeal", order_on).due == appeal_due


def test_a_business_day_deadline_keeps_a_title_given_and_counts_back_when_the_rule_says(
    tmp_path: Path,
) -> None:
    data = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "bond_stay_appeal")
    back = rule | {"id": "two_business_days_before", "days": 2, "direction": "before"}
    path = tmp_path / "deadline_rules.json"
    path.write_text(json.dumps(data | {"rules": [*data["rules"], back]}), encoding="utf-8")
    rules = load_rules(path)
    # Two business days before Tue 29 Dec 2026: Mon 28, then Thu 24 (25 Dec and the weekend
    # are passed over).
    found = compute_deadline(
        "two_business_days_before", date(2026, 12, 29), rules=rules, title="Named"
    )
    assert (found.due, found.direction, found.title) == (
        date(2026, 12, 24),
        Direction.BEFORE,
        "Named",
    )


def test_the_stay_lapses_on_the_ninetieth_day_even_a_sunday_it_does_not_roll() -> None:
    # DHS appealed Mon 7 Dec 2026; day 90 is Sun 7 Mar 2027, and the stay ends then.
    lapse = compute_deadline("bond_stay_lapse", date(2026, 12, 7))
    assert (lapse.due, lapse.unadjusted, lapse.moved) == (date(2027, 3, 7), date(2027, 3, 7), ())


# --- a computed deadline, whole ---------------------------------------------------------------


def test_a_deadline_moved_off_a_sunday_says_so_whole() -> None:
    # ICPM 3.1(c)(2): a master hearing Mon 23 Mar 2026; day 15 back is Sun 8 Mar, so Mon 9 Mar.
    found = compute_deadline("filing_before_master_hearing", date(2026, 3, 23))
    assert found == Deadline(
        rule_id="filing_before_master_hearing",
        title="Filings before a master calendar hearing",
        due=date(2026, 3, 9),
        anchor=date(2026, 3, 23),
        direction=Direction.BEFORE,
        unadjusted=date(2026, 3, 8),
        caveat=None,
        citation="ICPM Chapter 3.1(b)(1) (Master calendar hearings)",
        moved=("Sun 8 Mar 2026 is a Sunday",),
        note=(
            "When a ruling is asked for at or before the hearing; otherwise a filing may be "
            "made at the hearing."
        ),
    )
    assert found.moved_note == "Moved from Sun 8 Mar 2026: Sun 8 Mar 2026 is a Sunday."


def test_a_detained_case_gets_the_caveat_only_where_the_judge_sets_the_deadline() -> None:
    hearing = date(2026, 12, 21)
    judge_sets = compute_deadline("filing_before_individual_hearing", hearing, detained=True)
    assert judge_sets.caveat == DETAINED_CAVEAT
    assert compute_deadline("filing_before_individual_hearing", hearing).caveat is None
    # The change of address (8 CFR 1003.15(d)(2)) applies to detained cases as it is.
    assert compute_deadline("change_of_address", hearing, detained=True).caveat is None


def test_counting_back_to_the_previous_business_day_says_each_day_passed(tmp_path: Path) -> None:
    data = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))
    data["counting"]["before"] = "previous_business_day"
    path = tmp_path / "deadline_rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    # A hearing Mon 23 Mar 2026: day 15 is Sun 8 Mar; the previous business day is Fri 6 Mar.
    found = compute_deadline(
        "filing_before_master_hearing", date(2026, 3, 23), rules=load_rules(path)
    )
    assert found.due == date(2026, 3, 6)
    assert found.moved == ("Sun 8 Mar 2026 is a Sunday", "Sat 7 Mar 2026 is a Saturday")


# --- the appeal and the motions after a final order -------------------------------------------


def test_a_written_decision_without_its_service_date_or_served_before_it_is_refused() -> None:
    with pytest.raises(ValueError, match=r"give served_on$"):
        appeal_deadline(date(2026, 12, 2), oral=False)
    with pytest.raises(ValueError, match="can't be served before it was made"):
        appeal_deadline(date(2026, 12, 2), oral=False, served_on=date(2026, 12, 1))
    # Served the day it was made: the 30 days run from that day (Fri 1 Jan 2027 -> Monday 4).
    same_day = appeal_deadline(date(2026, 12, 2), oral=False, served_on=date(2026, 12, 2))
    assert (same_day.anchor, same_day.due) == (date(2026, 12, 2), date(2027, 1, 4))


def test_the_in_absentia_refusal_names_the_remedy() -> None:
    with pytest.raises(NoAppeal) as refused:
        appeal_deadline(date(2026, 12, 2), oral=True, in_absentia=True)
    assert str(refused.value).startswith("No appeal lies from an order entered in absentia")
    assert "8 CFR 1003.23(b)(4)(ii)" in str(refused.value)


def test_the_motions_after_a_final_order_carry_the_finality_note() -> None:
    # 8 CFR 1003.23(b)(1): an order of Wed 2 Dec 2026; reconsider by Mon 4 Jan 2027 (day 30
    # is Fri 1 Jan, a holiday), reopen by Tue 2 Mar 2027.
    found = post_order_deadlines(date(2026, 12, 2))
    assert [(d.rule_id, d.due) for d in found] == [
        ("motion_to_reconsider", date(2027, 1, 4)),
        ("motion_to_reopen", date(2027, 3, 2)),
    ]
    for deadline in found:
        assert deadline.note is not None and deadline.note.endswith(FINAL_ORDER_NOTE)
        assert deadline.note != FINAL_ORDER_NOTE or deadline.rule_id == "motion_to_reconsider"
    rescind = post_order_deadlines(date(2026, 12, 2), in_absentia=True)
    assert [d.rule_id for d in rescind] == ["motion_to_rescind_in_absentia"]
    assert rescind[0].note is None or FINAL_ORDER_NOTE not in rescind[0].note


def test_a_case_s_deadlines_with_motions_hearings_and_a_written_decision() -> None:
    board = court_calendar("BIA")
    found = deadlines_for_case(
        [(HearingType.MASTER, date(2027, 1, 19)), (HearingType.BOND, date(2027, 1, 20))],
        Decision(date(2026, 12, 2), oral=False, served_on=date(2026, 12, 7)),
        today=date(2026, 12, 10),
        motions=[Motion(date(2026, 12, 9), "Motion to continue")],
        board=board,
    )
    assert [(d.rule_id, d.due, d.title) for d in found] == [
        (
            "response_to_filing",
            date(2026, 12, 21),
            "Response to the motion to continue received Wed 9 Dec 2026",
        ),
        # The same day: sorted by rule id.
        ("filing_before_master_hearing", date(2027, 1, 4), found[1].title),
        ("motion_to_reconsider", date(2027, 1, 4), found[2].title),
        ("bia_appeal", date(2027, 1, 6), found[3].title),
        ("motion_to_reopen", date(2027, 3, 2), found[4].title),
    ]
    # A written decision not served yet has no appeal deadline; one waived by all none either.
    unserved = deadlines_for_case([], Decision(date(2026, 12, 2), oral=False), today=date.min)
    waived = deadlines_for_case([], Decision(date(2026, 12, 2), appealable=False), today=date.min)
    for listing in (unserved, waived):
        assert "bia_appeal" not in [d.rule_id for d in listing]
        assert "motion_to_reopen" in [d.rule_id for d in listing]
    pending = deadlines_for_case([], Decision(date(2026, 12, 2), final=False), today=date.min)
    assert [d.rule_id for d in pending] == ["bia_appeal"]


# --- the service of a written decision, read from its order -----------------------------------

CASE = {"id": "c1", "status": "decided", "decided_on": "2026-12-02"}


def _order(**changes: object) -> dict[str, object]:
    order: dict[str, object] = {
        "id": "o1",
        "case_id": "c1",
        "template": "removal_decision",
        "status": "signed",
        "signed_at": "2026-12-02T18:00:00+00:00",
        "document_id": "d1",
        "fields": {"decision_date": "2026-12-02", "decision_form": "written"},
    }
    return order | changes


def test_a_written_decision_is_served_the_first_day_one_of_its_orders_was() -> None:
    decided = date(2026, 12, 2)
    served = {
        "d1": date(2026, 12, 8),
        "d2": date(2026, 12, 7),
        "old": date(2026, 11, 30),  # before the decision: not its service
        "other": date(2026, 12, 3),
        "draft": date(2026, 12, 3),
        "gone": date(2026, 12, 3),
        "elsewhere": date(2026, 12, 3),
    }
    orders = [
        _order(),
        _order(id="o2", document_id="d2", status="issued"),
        _order(id="o3", document_id="old"),
        _order(id="o4", document_id="other", fields={"decision_date": "2026-11-20"}),
        _order(id="o5", document_id="draft", status="draft"),
        _order(id="o6", document_id="gone", deleted=True),
        _order(id="o7", document_id="elsewhere", case_id="c2"),
        _order(id="o8", document_id="unserved"),
        _order(id="o9", document_id="gone", fields="not a mapping"),
    ]
    assert written_decision_service(CASE, orders, served, decided) == date(2026, 12, 7)
    assert written_decision_service(CASE, orders[2:], served, decided) is None
    assert written_decision_service(CASE, [], served, decided) is None


def test_a_written_decision_record_without_a_service_date_takes_its_order_s() -> None:
    record = {
        "case_id": "c1",
        "decided_on": "2026-12-02",
        "form": "written",
        "recorded_at": "2026-12-02T18:00:00+00:00",
    }
    decision = case_decision(CASE, [_order()], {"d1": date(2026, 12, 7)}, [record])
    assert decision == Decision(date(2026, 12, 2), oral=False, served_on=date(2026, 12, 7))
    # Its own service date comes first; an oral one has none; one party's waiver is not all.
    own = record | {"served_on": "2026-12-04", "appeal_waived_by": ["respondent"]}
    assert case_decision(CASE, [_order()], {"d1": date(2026, 12, 7)}, [own]) == Decision(
        date(2026, 12, 2), oral=False, served_on=date(2026, 12, 4)
    )
    oral = record | {"form": "oral", "appeal_waived_by": ["dhs", "respondent"]}
    assert case_decision(CASE, [_order()], {"d1": date(2026, 12, 7)}, [oral]) == Decision(
        date(2026, 12, 2), appealable=False
    )
    formless = {k: v for k, v in record.items() if k != "form"} | {"completion": "in_absentia"}
    assert case_decision(CASE, [], None, [formless]) == Decision(
        date(2026, 12, 2), in_absentia=True
    )


def test_without_a_record_the_latest_signed_decision_order_counts() -> None:
    case = {"id": "c1", "status": "decided"}
    earlier = _order(
        id="o0",
        document_id="d0",
        signed_at="2026-12-01T18:00:00+00:00",
        fields={"decision_date": "2026-12-01"},
    )
    later = _order(signed_at="2026-12-02T18:00:00+00:00")
    for orders in ([earlier, later], [later, earlier]):
        assert case_decision(case, orders, {"d1": date(2026, 12, 7)}) == Decision(
            date(2026, 12, 2), oral=False, served_on=date(2026, 12, 7)
        )
    # An order without a decision date, a draft, a deleted one or another case's: no decision.
    ignored = [
        _order(fields={"decision_form": "written"}),
        _order(status="draft"),
        _order(deleted=True),
        _order(case_id="c2"),
        _order(fields="text"),
    ]
    assert case_decision(case, ignored) is None
    # The case's own date comes first; the order says only how it was given.
    dated = case_decision(CASE | {"decided_on": "2026-12-03"}, [earlier])
    assert dated == Decision(date(2026, 12, 3))
    assert case_decision(CASE, []) == Decision(date(2026, 12, 2))
    assert case_decision(CASE | {"decided_on": "not a date"}, []) is None


def test_a_motion_by_the_court_deleted_or_undated_is_not_one_to_answer() -> None:
    motion = {
        "doc_type": "motion",
        "status": "accepted",
        "filer_party": "respondent",
        "filed_on": "2026-12-01T09:00:00",
    }
    documents = [
        motion,
        motion | {"title": "Motion to continue"},
        motion | {"filer_party": "court"},
        motion | {"deleted": True},
        motion | {"filed_on": None},
        motion | {"filed_on": "someday"},
    ]
    assert case_motions(documents) == [
        Motion(date(2026, 12, 1), "Motion"),
        Motion(date(2026, 12, 1), "Motion to continue"),
    ]


# --- the rule file's refusals -----------------------------------------------------------------


def _rules_file(folder: Path, **changes: object) -> Path:
    data = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))
    path = folder / "deadline_rules.json"
    path.write_text(json.dumps(data | changes), encoding="utf-8")
    return path


def _one_rule(**changes: object) -> list[dict[str, object]]:
    rule: dict[str, object] = {
        "id": "x",
        "version": "1",
        "title": "t",
        "anchor": "moved",
        "days": 5,
        "direction": "after",
        "when_detained": "default",
        "citation": {"document": "8 CFR", "section": "1003.15(d)(2)", "read_on": "2026-12-06"},
    }
    return [rule | changes]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rules": ["x"]}, ": every rule must be a JSON object"),
        ({"rules": _one_rule(days=-1)}, ", rule 'x': 'days' must not be negative"),
        (
            {"rules": _one_rule(unit="weeks")},
            ", rule 'x': 'unit' must be calendar_days or business_days",
        ),
        ({"rules": _one_rule(rolls="no")}, ", rule 'x': 'rolls' must be true or false"),
        ({"read_on": "last week"}, ": 'read_on' must be a date (YYYY-MM-DD)"),
    ],
)
def test_a_bad_rule_file_is_refused_with_the_file_and_the_field(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    path = _rules_file(tmp_path, **changes)
    with pytest.raises(DataFileError) as refused:
        load_rules(path)
    assert str(refused.value) == f"{path}{message}"


def test_a_rule_file_read_whole(tmp_path: Path) -> None:
    path = _rules_file(
        tmp_path,
        rules=_one_rule(days=0, note=7, must_be="received", unit="calendar_days", rolls=False),
        version="2099-01",
        source="test",
        read_on="2026-12-06",
    )
    rules = load_rules(path)
    assert (rules.version, rules.source, rules.read_on) == ("2099-01", "test", date(2026, 12, 6))
    assert len(rules.counting_citations) == 3
    rule = rules.rule("x")
    assert (rule.days, rule.note, rule.must_be_received, rule.business_days, rule.rolls) == (
        0,
        None,
        True,
        False,
        False,
    )
    assert rule.reference == "8 CFR 1003.15(d)(2)"
    assert not load_rules(_rules_file(tmp_path, rules=_one_rule())).rule("x").must_be_received
    assert load_rules(_rules_file(tmp_path, rules=_one_rule())).rule("x").rolls


# --- what a caller passes is what counts ------------------------------------------------------


def _longer_rules(folder: Path) -> DeadlineRules:
    """The shipped rules with every period one day longer (a new rule file version)."""
    data = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))
    for rule in data["rules"]:
        rule["days"] += 1
    path = folder / "deadline_rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_rules(path)


def test_the_rules_calendar_and_board_a_caller_passes_are_the_ones_used(tmp_path: Path) -> None:
    rules = _longer_rules(tmp_path)
    # A bare date is an oral decision; the motions against it run from it as well.
    found = deadlines_for_case(
        [(HearingType.INDIVIDUAL, date(2026, 12, 24))],
        date(2026, 12, 2),
        today=date.min,
        motions=[Motion(date(2026, 12, 1), "Motion to continue")],
        rules=rules,
    )
    assert [(d.rule_id, d.unadjusted) for d in found] == [
        ("filing_before_individual_hearing", date(2026, 12, 8)),  # 16 days back
        ("response_to_filing", date(2026, 12, 12)),  # 11 days
        ("bia_appeal", date(2027, 1, 2)),  # 31 days
        ("motion_to_reconsider", date(2027, 1, 2)),
        ("motion_to_reopen", date(2027, 3, 3)),  # 91 days
    ]
    assert appeal_deadline(date(2026, 12, 2), oral=True, rules=rules).unadjusted == date(2027, 1, 2)
    assert [d.unadjusted for d in post_order_deadlines(date(2026, 12, 2), rules=rules)] == [
        date(2027, 1, 2),
        date(2027, 3, 3),
    ]


def test_a_detained_case_s_calendar_is_the_detained_docket_s_2013_lapse() -> None:
    # EOIR's October 2013 announcement moved non-detained filings due October 1-16 to
    # November 8; detained dockets stayed open. A motion received Mon 23 Sep 2013 and an
    # individual hearing Thu 24 Oct 2013: their days are Thu 3 Oct and Wed 9 Oct 2013.
    hearing = [(HearingType.INDIVIDUAL, date(2013, 10, 24))]
    motion = [Motion(date(2013, 9, 23), "Motion to continue")]
    detained = deadlines_for_case(hearing, None, today=date.min, motions=motion, detained=True)
    assert [d.due for d in detained] == [date(2013, 10, 3), date(2013, 10, 9)]
    released = deadlines_for_case(hearing, None, today=date.min, motions=motion)
    assert [d.due for d in released] == [date(2013, 11, 8), date(2013, 11, 8)]
    assert compute_deadline("response_to_filing", date(2013, 9, 23), detained=True).due == date(
        2013, 10, 3
    )
    # A calendar passed in is used as it is, whatever the case's custody.
    passed = deadlines_for_case(
        hearing,
        None,
        today=date.min,
        motions=motion,
        detained=True,
        calendar=court_calendar(None, detained=False),
    )
    assert [d.due for d in passed] == [date(2013, 11, 8), date(2013, 11, 8)]
    # And the motions after a final order use it too: reconsider within 30 days of Tue 3
    # Sep 2013 is Thu 3 Oct, in the lapse.
    after = post_order_deadlines(date(2013, 9, 3), calendar=court_calendar(None))
    assert after[0].due == date(2013, 11, 8)
    final = deadlines_for_case([], date(2013, 9, 3), today=date.min, calendar=court_calendar(None))
    assert [d.due for d in final if d.rule_id == "motion_to_reconsider"] == [date(2013, 11, 8)]


def test_the_board_calendar_a_caller_passes_moves_the_appeal() -> None:
    # The Board's 2012 closure (2-3 July) moved appeals due that week to 11 July 2012. An
    # immigration court's calendar, passed as the Board's, has no such closure.
    decided = date(2012, 6, 5)
    assert [
        d.due for d in deadlines_for_case([], decided, today=date.min) if d.rule_id == "bia_appeal"
    ] == [date(2012, 7, 11)]
    assert [
        d.due
        for d in deadlines_for_case([], decided, today=date.min, board=court_calendar(None))
        if d.rule_id == "bia_appeal"
    ] == [date(2012, 7, 5)]


def test_the_refusals_of_an_appeal_are_whole_sentences() -> None:
    with pytest.raises(NoAppeal) as no_appeal:
        appeal_deadline(date(2026, 12, 2), oral=True, in_absentia=True)
    assert str(no_appeal.value) == (
        "No appeal lies from an order entered in absentia (INA 240(b)(5)(C); Matter of "
        "Guzman-Arguera, 22 I&N Dec. 722 (BIA 1999)): the respondent may move the "
        "immigration judge to reopen, within 180 days for exceptional circumstances or at "
        "any time for lack of notice (8 CFR 1003.23(b)(4)(ii))."
    )
    with pytest.raises(ValueError) as unserved:
        appeal_deadline(date(2026, 12, 2), oral=False)
    assert str(unserved.value) == (
        "a written decision's appeal time runs from the day it was mailed or notified "
        "electronically (8 CFR 1003.38(b)): give served_on"
    )
    with pytest.raises(ValueError) as early:
        appeal_deadline(date(2026, 12, 2), oral=False, served_on=date(2026, 12, 1))
    assert str(early.value) == "a written decision can't be served before it was made"


def test_a_motion_after_a_final_order_keeps_its_count_and_gains_the_note() -> None:
    # Reconsider within 30 days of Wed 2 Dec 2026: day 30 is New Year's Day, so Mon 4 Jan.
    reconsider = post_order_deadlines(date(2026, 12, 2))[0]
    assert reconsider == Deadline(
        rule_id="motion_to_reconsider",
        title=reconsider.title,
        due=date(2027, 1, 4),
        anchor=date(2026, 12, 2),
        direction=Direction.AFTER,
        unadjusted=date(2027, 1, 1),
        caveat=None,
        citation=reconsider.citation,
        moved=(
            "Fri 1 Jan 2027 is New Year's Day, a legal holiday",
            "Sat 2 Jan 2027 is a Saturday",
            "Sun 3 Jan 2027 is a Sunday",
        ),
        note=FINAL_ORDER_NOTE,
    )
    assert reconsider.title == compute_deadline("motion_to_reconsider", date(2026, 12, 2)).title


def test_the_business_day_deadline_names_its_rule() -> None:
    assert compute_deadline("bond_stay_notice", date(2026, 12, 7)).rule_id == "bond_stay_notice"


def test_an_unknown_rule_lists_every_known_one(tmp_path: Path) -> None:
    path = _rules_file(tmp_path, rules=_one_rule() + _one_rule(id="y"))
    with pytest.raises(KeyError) as unknown:
        load_rules(path).rule("z")
    assert unknown.value.args[0] == "no deadline rule 'z'; known rules: x, y"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"version": "1"}, ": missing field 'id'"),
        ({"id": "x", "days": 1}, ", rule 'x': missing field 'version'"),
        ({"id": "x", "days": 1, "version": "1"}, ", rule 'x': missing field 'title'"),
        (
            {"id": "x", "days": 1, "version": "1", "title": "t"},
            ", rule 'x': missing field 'anchor'",
        ),
        (
            {"id": "x", "days": 1, "version": "1", "title": "t", "anchor": "tomorrow"},
            ", rule 'x': 'tomorrow' is not one of",
        ),
        (
            {
                "id": "x",
                "days": 1,
                "version": "1",
                "title": "t",
                "anchor": "moved",
                "direction": "up",
            },
            ", rule 'x': 'up' is not one of",
        ),
    ],
)
def test_a_rule_missing_a_field_is_refused_naming_it(
    tmp_path: Path, rule: dict[str, object], message: str
) -> None:
    path = _rules_file(tmp_path, rules=[rule])
    with pytest.raises(DataFileError) as refused:
        load_rules(path)
    assert str(refused.value).startswith(f"{path}{message}")


def test_a_written_decision_served_the_day_it_was_made_runs_from_that_day() -> None:
    served = {"d1": date(2026, 12, 2)}
    assert written_decision_service(CASE, [_order()], served, date(2026, 12, 2)) == date(
        2026, 12, 2
    )


def test_orders_signed_at_the_same_time_or_not_at_all_pick_the_last_signed() -> None:
    case = {"id": "c1", "status": "decided"}
    unsigned_time = _order(id="o0", signed_at=None, fields={"decision_date": "2026-12-01"})
    signed = _order(fields={"decision_date": "2026-12-02"})
    assert case_decision(case, [signed, unsigned_time]) == Decision(date(2026, 12, 2))
    twin = _order(id="o2", fields={"decision_date": "2026-12-03"})
    assert case_decision(case, [signed, twin]) == Decision(date(2026, 12, 3))
    # An oral decision's order being served does not make it a written one served then.
    oral = _order(fields={"decision_date": "2026-12-02"})
    assert case_decision(case, [oral], {"d1": date(2026, 12, 7)}) == Decision(date(2026, 12, 2))


def test_a_detained_case_s_deadlines_carry_the_caveat_and_its_docket_s_calendar() -> None:
    # A detained case decided orally Tue 3 Sep 2013: reconsider within 30 days, Thu 3 Oct,
    # which the October 2013 lapse did not move for the detained docket.
    hearing = [(HearingType.INDIVIDUAL, date(2013, 10, 24))]
    motion = [Motion(date(2013, 9, 23), "Motion to continue")]
    found = deadlines_for_case(
        hearing,
        Decision(date(2013, 9, 3), appealable=False),
        today=date.min,
        motions=motion,
        detained=True,
        calendar=court_calendar(None, detained=True),
    )
    assert [(d.rule_id, d.due, d.caveat) for d in found] == [
        ("motion_to_reconsider", date(2013, 10, 3), None),
        ("response_to_filing", date(2013, 10, 3), DETAINED_CAVEAT),
        ("filing_before_individual_hearing", date(2013, 10, 9), DETAINED_CAVEAT),
        ("motion_to_reopen", date(2013, 12, 2), None),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("source", ": missing field 'source'"),
        ("after", ": missing field 'after'"),
        ("bad_after", ": 'sideways' is not one of: previous_business_day, next_business_day"),
    ],
)
def test_a_rule_file_s_source_and_counting_are_refused_naming_the_file(
    tmp_path: Path, change: str, message: str
) -> None:
    data = json.loads(resource_path("deadline_rules.json").read_text(encoding="utf-8"))
    if change == "source":
        del data["source"]
    elif change == "after":
        del data["counting"]["after"]
    else:
        data["counting"]["after"] = "sideways"
    path = tmp_path / "deadline_rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError) as refused:
        load_rules(path)
    assert str(refused.value) == f"{path}{message}"
