"""The bond rules of common/bonds.py on their own, as the mutation run showed them
unchecked: the bond in effect before and after a redetermination, what a decision and a
request must say (8 CFR 1003.19(d)), a later request's change of circumstances (8 CFR
1003.19(e)), DHS's automatic stay (EOIR-43 within one business day where DHS held the
respondent without bond or set $10,000 or more, 8 CFR 1003.19(i)(2), 1003.6(c)) and its
lapses, the Board appeal within 30 days (8 CFR 1003.19(f), 1003.38(b)), and the bond order's
fields against the bond record. Pure Python over wire records: no server, no desktop.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from common.bonds import (
    CHANGED_CIRCUMSTANCES,
    amount_after,
    amount_before,
    appeal_deadline,
    bond_for_order,
    check_bond,
    decided_by_order,
    decision_problem,
    dhs_amount_in_effect,
    dollars,
    later_request_problem,
    latest_bond,
    order_fields,
    order_problems,
    request_problem,
    stay_notice_deadline,
    stay_problem,
    stay_state,
)
from common.court_closures import CourtCalendar, board_calendar, court_calendar
from common.enums import BondDetermination, BondOutcome, Party
from common.wire import Bond

CASE = "00000000-0000-4000-8000-00000000000c"
OTHER_CASE = "00000000-0000-4000-8000-00000000000d"
JUDGE = "00000000-0000-4000-8000-0000000000a1"
OTHER_JUDGE = "00000000-0000-4000-8000-0000000000a2"
COUNSEL = "00000000-0000-4000-8000-0000000000c1"
# A calendar with weekends and legal holidays only (no court's own closures).
COURT = CourtCalendar(None, (), "test")

REQUESTED = date(2026, 11, 20)  # a Friday
DECIDED = date(2026, 12, 4)  # a Friday: the EOIR-43 is due Monday, December 7


def _id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def _bond(n: int = 1, **changes: Any) -> Bond:
    data: dict[str, Any] = {
        "id": _id(n),
        "case_id": CASE,
        "dhs_determination": BondDetermination.AMOUNT,
        "dhs_amount": 15_000,
        "requested_on": REQUESTED,
        "requested_by": Party.RESPONDENT,
        "requested_amount": 3_000,
    }
    data.update(changes)
    return Bond(**data)


def _decided(n: int = 1, outcome: BondOutcome = BondOutcome.LOWERED, **changes: Any) -> Bond:
    data: dict[str, Any] = {"outcome": outcome, "decided_on": DECIDED, "judge_id": JUDGE}
    if outcome in (BondOutcome.LOWERED, BondOutcome.RAISED):
        data["amount"] = 5_000 if outcome is BondOutcome.LOWERED else 20_000
    data.update(changes)
    return _bond(n, **data)


# --- the bond in effect ----------------------------------------------------------------------


def test_dollars_reads_whole_dollars_with_thousands_and_none_as_no_bond() -> None:
    assert dollars(12_500) == "$12,500"
    assert dollars(1_500) == "$1,500"  # INA 236(a)(2)(A)'s minimum bond
    assert dollars(0) == "$0"
    assert dollars(None) == "no bond"


def test_dhs_bond_in_effect_is_its_amount_or_none_when_held_without_bond() -> None:
    assert dhs_amount_in_effect(_bond()) == 15_000
    held = _bond(dhs_determination=BondDetermination.NO_BOND, dhs_amount=None)
    assert dhs_amount_in_effect(held) is None


def test_the_bond_before_is_the_prior_decision_else_dhs() -> None:
    later = _bond(2, requested_on=date(2026, 12, 10))
    assert amount_before(later, None) == 15_000
    assert amount_before(later, _decided(1)) == 5_000  # the first redetermination lowered it
    assert amount_before(later, _bond(1)) == 15_000  # an undecided prior changes nothing
    assert amount_before(later, _decided(1, BondOutcome.RECOGNIZANCE)) == 0
    # A prior that left the bond unchanged: the bond before it, DHS's.
    assert amount_before(later, _decided(1, BondOutcome.NO_CHANGE)) == 15_000


def test_the_bond_after_a_decision() -> None:
    assert amount_after(_decided(outcome=BondOutcome.LOWERED, amount=7_500), None) == 7_500
    assert amount_after(_decided(outcome=BondOutcome.RAISED, amount=25_000), None) == 25_000
    assert amount_after(_decided(outcome=BondOutcome.RECOGNIZANCE), None) == 0
    assert amount_after(_decided(outcome=BondOutcome.NO_CHANGE), None) == 15_000
    assert amount_after(_decided(outcome=BondOutcome.NO_JURISDICTION), None) == 15_000
    assert amount_after(_bond(), None) == 15_000  # undecided
    prior = _decided(1, BondOutcome.LOWERED, amount=10_000)
    assert amount_after(_decided(2, BondOutcome.NO_CHANGE), prior) == 10_000
    held = _decided(outcome=BondOutcome.NO_CHANGE, dhs_determination="no_bond", dhs_amount=None)
    assert amount_after(held, None) is None


# --- a decision and a request ----------------------------------------------------------------


def test_an_undecided_request_carries_no_bond_amount() -> None:
    assert decision_problem(_bond(), None) is None
    assert decision_problem(_bond(amount=5_000), None) == (
        "a bond is set only by the judge's decision"
    )


@pytest.mark.parametrize("missing", [{"outcome": None}, {"decided_on": None}, {"judge_id": None}])
def test_a_decision_needs_its_outcome_judge_and_date(missing: dict[str, Any]) -> None:
    assert decision_problem(_decided(**missing), None) == (
        "a bond decision needs its outcome, the judge and the court's date of decision"
    )


def test_a_decision_comes_on_or_after_the_request() -> None:
    assert decision_problem(_decided(decided_on=REQUESTED), None) is None
    assert decision_problem(_decided(decided_on=REQUESTED - timedelta(days=1)), None) == (
        "the bond was decided before it was asked for"
    )


def test_a_lowered_or_raised_bond_gives_its_amount() -> None:
    assert decision_problem(_decided(outcome=BondOutcome.LOWERED, amount=None), None) == (
        "bond lowered: give the new bond amount"
    )
    assert decision_problem(_decided(outcome=BondOutcome.RAISED, amount=0), None) == (
        "bond raised: give the new bond amount"
    )


def test_a_lowered_bond_is_less_than_the_bond_in_effect() -> None:
    assert decision_problem(_decided(amount=14_999), None) is None
    assert decision_problem(_decided(amount=15_000), None) == (
        "a lowered bond must be less than the $15,000 in effect"
    )
    # DHS held the respondent without bond: any bond the judge sets is a lower one.
    held: dict[str, Any] = {"dhs_determination": BondDetermination.NO_BOND, "dhs_amount": None}
    assert decision_problem(_decided(amount=50_000, **held), None) is None
    # Against the prior redetermination's bond, not DHS's.
    prior = _decided(1, amount=10_000)
    assert decision_problem(_decided(2, amount=10_000), prior) == (
        "a lowered bond must be less than the $10,000 in effect"
    )


def test_a_raised_bond_is_more_than_the_bond_in_effect() -> None:
    assert decision_problem(_decided(outcome=BondOutcome.RAISED, amount=15_001), None) is None
    assert decision_problem(_decided(outcome=BondOutcome.RAISED, amount=15_000), None) == (
        "a raised bond must be more than the $15,000 in effect"
    )
    held: dict[str, Any] = {"dhs_determination": BondDetermination.NO_BOND, "dhs_amount": None}
    assert decision_problem(_decided(outcome=BondOutcome.RAISED, **held), None) == (
        "there is no bond to raise: DHS holds the respondent without bond"
    )


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        (BondOutcome.NO_CHANGE, "no change"),
        (BondOutcome.RECOGNIZANCE, "released on recognizance"),
        (BondOutcome.NO_JURISDICTION, "no jurisdiction"),
        (BondOutcome.WITHDRAWN, "request withdrawn"),
    ],
)
def test_other_outcomes_set_no_amount(outcome: BondOutcome, words: str) -> None:
    assert decision_problem(_decided(outcome=outcome), None) is None
    assert decision_problem(_decided(outcome=outcome, amount=0), None) == (
        f"{words} sets no new amount"
    )


def test_a_request_states_dhs_determination_and_who_asked() -> None:
    assert request_problem(_bond()) is None
    assert request_problem(_bond(dhs_amount=None)) == "DHS set a bond: give its amount"
    assert request_problem(_bond(dhs_amount=0)) == "DHS set a bond: give its amount"
    held = _bond(dhs_determination=BondDetermination.NO_BOND, dhs_amount=0)
    assert request_problem(held) == (
        "DHS held the respondent without bond: no amount goes with that"
    )
    assert request_problem(_bond(dhs_determination="no_bond", dhs_amount=None)) is None
    for party in (Party.DHS, Party.COURT):
        assert request_problem(_bond(requested_by=party)) == (
            "a bond redetermination is asked for by the respondent or their counsel"
        )
    counsel = "name the counsel who asked (and only when counsel asked)"
    assert request_problem(_bond(requested_by=Party.PRACTITIONER)) == counsel
    assert request_problem(_bond(requester_id=COUNSEL)) == counsel
    assert request_problem(_bond(requested_by=Party.PRACTITIONER, requester_id=COUNSEL)) is None


# --- a later request (8 CFR 1003.19(e)) ------------------------------------------------------


def test_a_first_request_needs_no_change_of_circumstances() -> None:
    assert later_request_problem(_bond(2), []) is None
    # Undecided, no jurisdiction, withdrawn, decided after this request, or itself: no
    # prior redetermination.
    others = [
        _bond(1),
        _decided(3, BondOutcome.NO_JURISDICTION),
        _decided(4, BondOutcome.WITHDRAWN),
        _decided(5, decided_on=REQUESTED + timedelta(days=1)),
    ]
    assert later_request_problem(_bond(2), others) is None
    itself = _decided(2, decided_on=REQUESTED)
    assert later_request_problem(itself, [itself]) is None


def test_a_later_request_states_the_change_and_names_the_latest_prior() -> None:
    first = _decided(1, decided_on=date(2026, 11, 2), requested_on=date(2026, 11, 1))
    second = _decided(3, decided_on=REQUESTED, requested_on=date(2026, 11, 10), amount=4_000)
    others = [first, second]
    assert later_request_problem(_bond(2), others) == CHANGED_CIRCUMSTANCES
    assert later_request_problem(_bond(2, changed_circumstances="  \n"), others) == (
        CHANGED_CIRCUMSTANCES
    )
    assert CHANGED_CIRCUMSTANCES.startswith("a later bond redetermination is considered only")
    stated = {"changed_circumstances": "Now has a job and a lease."}
    assert later_request_problem(_bond(2, prior_bond_id=first.id, **stated), others) == (
        "a later request names the prior redetermination it asks to change: the one "
        "decided November 20, 2026"
    )
    assert later_request_problem(_bond(2, prior_bond_id=second.id, **stated), others) is None
    # Decided the same day: the larger id is the latest.
    twin = _decided(4, decided_on=REQUESTED, requested_on=date(2026, 11, 10))
    assert later_request_problem(_bond(2, prior_bond_id=twin.id, **stated), [twin, second]) is None


# --- the automatic stay (8 CFR 1003.19(i)(2), 1003.6(c)) -------------------------------------


def test_the_eoir_43_is_due_one_business_day_after_the_decision() -> None:
    due = stay_notice_deadline(DECIDED, COURT)
    assert due.due == date(2026, 12, 7)  # Friday's decision: Monday
    assert due.rule_id == "bond_stay_notice"
    assert "1003.19(i)(2)" in due.citation
    # Christmas Day, a Friday, is not a business day.
    assert stay_notice_deadline(date(2026, 12, 24), COURT).due == date(2026, 12, 28)


def _stayed(**changes: Any) -> Bond:
    data: dict[str, Any] = {"stay_filed_on": date(2026, 12, 7)}
    data.update(changes)
    return _decided(**data)


def test_a_stay_or_appeal_once_recorded_is_not_changed() -> None:
    old = _stayed(dhs_appeal_filed_on=date(2026, 12, 10))
    assert stay_problem(old, old, COURT) is None
    assert stay_problem(
        old, _stayed(dhs_appeal_filed_on=date(2026, 12, 10), stay_filed_on=DECIDED), COURT
    ) == ("an EOIR-43 once filed is part of the record and is not changed")
    assert stay_problem(old, _stayed(), COURT) == (
        "DHS's notice of appeal once recorded is not changed"
    )
    assert stay_problem(None, _decided(), COURT) is None
    assert stay_problem(_decided(), _decided(), COURT) is None


def test_a_stay_or_appeal_needs_a_decision_and_follows_it() -> None:
    assert stay_problem(None, _bond(stay_filed_on=DECIDED), COURT) == (
        "there is no bond decision yet to stay or appeal"
    )
    assert stay_problem(None, _bond(dhs_appeal_filed_on=DECIDED), COURT) == (
        "there is no bond decision yet to stay or appeal"
    )
    undated = _decided(decided_on=None, dhs_appeal_filed_on=DECIDED)
    assert stay_problem(None, undated, COURT) == "there is no bond decision yet to stay or appeal"
    early = _decided(dhs_appeal_filed_on=DECIDED - timedelta(days=1))
    assert stay_problem(None, early, COURT) == "the appeal can't be filed before the decision"
    # An appeal alone (no EOIR-43) on the day of the decision stands, whatever the outcome.
    same_day = _decided(outcome=BondOutcome.NO_CHANGE, dhs_appeal_filed_on=DECIDED)
    assert stay_problem(None, same_day, COURT) is None


def test_the_stay_stays_only_a_release_the_judge_authorized() -> None:
    reason = (
        "the automatic stay stays a release the judge authorized (a lower bond or "
        "recognizance); this decision authorized none (8 CFR 1003.19(i)(2))"
    )
    for outcome in (BondOutcome.NO_CHANGE, BondOutcome.RAISED, BondOutcome.NO_JURISDICTION):
        assert stay_problem(None, _stayed(outcome=outcome), COURT) == reason
    assert stay_problem(None, _stayed(outcome=BondOutcome.RECOGNIZANCE), COURT) is None
    assert stay_problem(None, _stayed(), COURT) is None
    # An EOIR-43 already on the record is not checked again.
    old = _stayed(outcome=BondOutcome.NO_CHANGE)
    assert stay_problem(old, old, COURT) is None


def test_the_stay_is_open_where_dhs_set_10000_or_more_or_no_bond() -> None:
    assert stay_problem(None, _stayed(dhs_amount=10_000), COURT) is None
    held: dict[str, Any] = {"dhs_determination": BondDetermination.NO_BOND, "dhs_amount": None}
    assert stay_problem(None, _stayed(**held), COURT) is None
    assert stay_problem(None, _stayed(dhs_amount=9_999, amount=1_500), COURT) == (
        "the automatic stay is open to DHS only where it held the respondent without bond or "
        "set a bond of $10,000 or more; it set $9,999 (8 CFR 1003.19(i)(2)); DHS may ask the "
        "Board for a discretionary stay instead (8 CFR 1003.19(i)(1))"
    )


def test_the_eoir_43_is_filed_from_the_decision_to_one_business_day_after() -> None:
    assert stay_problem(None, _stayed(stay_filed_on=DECIDED), COURT) is None
    assert stay_problem(None, _stayed(stay_filed_on=DECIDED - timedelta(days=1)), COURT) == (
        "the EOIR-43 can't be filed before the decision it appeals"
    )
    late = _stayed(stay_filed_on=date(2026, 12, 8))
    reason = stay_problem(None, late, COURT)
    assert reason is not None
    assert reason.startswith(
        "the EOIR-43 was due by December 7, 2026, one business day after the order of "
        "December 4, 2026 (8 CFR 1003.19(i)(2)"
    )
    assert reason.endswith("); filed December 8, 2026, it does not stay the release")


def test_stay_state_before_and_after_dhs_appeal() -> None:
    assert stay_state(_decided(), DECIDED, COURT) is None
    assert stay_state(_bond(stay_filed_on=DECIDED), DECIDED, COURT) is None
    stayed = _stayed()
    # Ten business days from Friday, December 4: December 18.
    state = stay_state(stayed, date(2026, 12, 18), COURT)
    assert state is not None
    assert (state.in_effect, state.until) == (True, date(2026, 12, 18))
    assert state.text == (
        "Release stayed (EOIR-43 filed December 7, 2026); the stay lapses unless DHS appeals "
        "to the Board by December 18, 2026"
    )
    assert "1003.6(c)" in state.citation
    lapsed = stay_state(stayed, date(2026, 12, 19), COURT)
    assert lapsed is not None
    assert (lapsed.in_effect, lapsed.until) == (False, date(2026, 12, 18))
    assert lapsed.text == (
        "Stay lapsed: DHS did not appeal by December 18, 2026; the release ordered takes effect"
    )
    # An appeal after the tenth business day does not keep the stay.
    late = stay_state(_stayed(dhs_appeal_filed_on=date(2026, 12, 21)), date(2026, 12, 22), COURT)
    assert late is not None and not late.in_effect
    assert late.text.startswith("Stay lapsed: DHS did not appeal by December 18, 2026")


def test_stay_state_pending_the_board_lapses_90_days_after_the_appeal() -> None:
    appealed = _stayed(dhs_appeal_filed_on=date(2026, 12, 18))  # the last day
    lapse = date(2026, 12, 18) + timedelta(days=90)  # March 18, 2027, not moved
    state = stay_state(appealed, lapse - timedelta(days=1), COURT)
    assert state is not None
    assert (state.in_effect, state.until) == (True, lapse)
    assert state.text == (
        "Release stayed pending the Board's decision (EOIR-43 filed December 7, 2026; DHS "
        "appealed December 18, 2026); the stay lapses on March 18, 2027 unless the Board has "
        "acted or extended it"
    )
    assert "1003.6(c)(4)" in state.citation
    ended = stay_state(appealed, lapse, COURT)
    assert ended is not None
    assert (ended.in_effect, ended.until) == (False, lapse)
    assert ended.text == (
        "Stay lapsed on March 18, 2027, 90 days after DHS's appeal, unless the Board acted or "
        "extended it"
    )


# --- check_bond: a record's next state -------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"outcome": BondOutcome.RAISED},
        {"amount": 6_000},
        {"decided_on": DECIDED + timedelta(days=1)},
        {"judge_id": OTHER_JUDGE},
    ],
)
def test_a_decided_bond_keeps_its_decision(change: dict[str, Any]) -> None:
    old = _decided()
    assert check_bond(old, _decided(**change), prior=None, others=[], calendar=COURT) == (
        "the bond decision is made and is part of the record; a new request is a new "
        "redetermination (8 CFR 1003.19(e)), and the decision is appealed to the Board"
    )


@pytest.mark.parametrize(
    "change",
    [
        {"requested_on": REQUESTED - timedelta(days=1)},
        {"requested_by": Party.PRACTITIONER, "requester_id": COUNSEL},
        {"requested_amount": 2_000},
    ],
)
def test_a_decided_request_is_not_changed(change: dict[str, Any]) -> None:
    old = _decided()
    assert check_bond(old, _decided(**change), prior=None, others=[], calendar=COURT) == (
        "the request was decided; it is not changed afterwards"
    )
    # Before the decision the request may be corrected.
    undecided = _bond()
    assert check_bond(undecided, _bond(**change), prior=None, others=[], calendar=COURT) is None


def test_check_bond_prior_and_order_of_reasons() -> None:
    new = _bond(2, prior_bond_id=_id(1), changed_circumstances="new job")
    foreign = _decided(1, case_id=OTHER_CASE)
    assert check_bond(None, new, prior=foreign, others=[], calendar=COURT) == (
        "the prior redetermination belongs to another bond proceeding"
    )
    assert check_bond(None, new, prior=_decided(2), others=[], calendar=COURT) == (
        "a redetermination can't follow itself"
    )
    # The request's problem first, then the decision's.
    both = _bond(requested_by=Party.DHS, amount=5_000)
    assert check_bond(None, both, prior=None, others=[], calendar=COURT) == (
        "a bond redetermination is asked for by the respondent or their counsel"
    )
    assert check_bond(None, _bond(amount=5_000), prior=None, others=[], calendar=COURT) == (
        "a bond is set only by the judge's decision"
    )
    # A new record is checked as a later request; an existing one is not again.
    earlier = _decided(1, decided_on=date(2026, 11, 2), requested_on=date(2026, 11, 1))
    fresh = _bond(2)
    assert check_bond(None, fresh, prior=None, others=[earlier], calendar=COURT) == (
        CHANGED_CIRCUMSTANCES
    )
    assert check_bond(fresh, fresh, prior=None, others=[earlier], calendar=COURT) is None
    # Last, the stay.
    assert check_bond(
        None, _bond(stay_filed_on=DECIDED), prior=None, others=[], calendar=COURT
    ) == ("there is no bond decision yet to stay or appeal")
    assert check_bond(None, _stayed(), prior=None, others=[], calendar=COURT) is None


# --- the Board appeal (8 CFR 1003.19(f), 1003.38(b)) -----------------------------------------


def test_the_bond_appeal_is_due_30_days_after_the_decision_at_the_board() -> None:
    assert appeal_deadline(_bond()) is None
    assert appeal_deadline(_decided(outcome=BondOutcome.WITHDRAWN)) is None
    due = appeal_deadline(_decided(outcome=BondOutcome.NO_JURISDICTION))
    assert due is not None
    assert (due.rule_id, due.due) == ("bond_appeal", date(2027, 1, 4))  # Jan 3 is a Sunday
    assert "1003.19(f)" in due.citation
    assert appeal_deadline(_decided(decided_on=date(2026, 12, 1))) is not None
    on_time = appeal_deadline(_decided(decided_on=date(2026, 12, 1)), board_calendar())
    assert on_time is not None and on_time.due == date(2026, 12, 31)


# --- the bond order and the bond record ------------------------------------------------------


def test_the_latest_bond_is_the_last_request_an_undecided_one_last_on_a_day() -> None:
    assert latest_bond([]) is None
    decided = _decided(9)
    waiting = _bond(1)
    assert latest_bond([decided, waiting]) == waiting
    assert latest_bond([waiting, decided]) == waiting
    later = _decided(2, requested_on=REQUESTED + timedelta(days=1))
    assert latest_bond([later, waiting, decided]) == later
    assert latest_bond([_bond(3), _bond(4)]) == _bond(4)


def test_a_correction_states_the_bond_decided_on_the_order_s_date() -> None:
    first = _decided(1, decided_on=date(2026, 11, 25), requested_on=date(2026, 11, 1))
    waiting = _bond(2)
    bonds = [first, waiting]
    assert bond_for_order(bonds, {}, correction=False) == waiting
    fields = {"custody_decision_date": "2026-11-25"}
    assert bond_for_order(bonds, fields, correction=True) == first
    assert bond_for_order(bonds, {"custody_decision_date": "2026-11-26"}, correction=True) is None
    assert bond_for_order(bonds, {"custody_decision_date": "soon"}, correction=True) is None


def test_order_fields_state_the_record() -> None:
    assert order_fields(_bond()) == {
        "dhs_determination": "amount",
        "requested_on": "2026-11-20",
        "dhs_amount": "15000",
        "requested_amount": "3000",
    }
    held = _decided(
        outcome=BondOutcome.RECOGNIZANCE,
        dhs_determination=BondDetermination.NO_BOND,
        dhs_amount=None,
        requested_amount=None,
    )
    assert order_fields(held) == {
        "dhs_determination": "no_bond",
        "requested_on": "2026-11-20",
        "decision": "recognizance",
        "custody_decision_date": "2026-12-04",
    }
    assert order_fields(_decided())["amount"] == "5000"


def test_the_order_decides_the_request() -> None:
    decided = decided_by_order(
        _bond(),
        {"decision": "lowered", "amount": "$4,500.00", "custody_decision_date": "2026-12-04"},
        JUDGE,
    )
    assert (decided.outcome, decided.amount, decided.decided_on, decided.judge_id) == (
        BondOutcome.LOWERED,
        4_500,
        DECIDED,
        JUDGE,
    )
    # Only a lowered or raised bond takes the amount; no date: none.
    kept = decided_by_order(_bond(), {"decision": "no_change", "amount": "4500"}, JUDGE)
    assert (kept.outcome, kept.amount, kept.decided_on) == (BondOutcome.NO_CHANGE, None, None)
    with pytest.raises(ValueError, match=r"^choose the decision$"):
        decided_by_order(_bond(), {}, JUDGE)
    with pytest.raises(ValueError, match=r"^a bond is set in whole dollars$"):
        decided_by_order(_bond(), {"decision": "raised", "amount": "20000.50"}, JUDGE)
    for bad in ("-1", "Infinity", "NaN"):
        with pytest.raises(ValueError, match=r"^a bond is set in whole dollars$"):
            decided_by_order(_bond(), {"decision": "raised", "amount": bad}, JUDGE)
    with pytest.raises(ValueError, match=r"^not an amount$"):
        decided_by_order(_bond(), {"decision": "raised", "amount": "lots"}, JUDGE)
    empty = decided_by_order(_bond(), {"decision": "raised", "amount": ""}, JUDGE)
    assert empty.amount is None


def _order(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "dhs_determination": "amount",
        "dhs_amount": "15,000",
        "requested_on": "2026-11-20",
        "requested_amount": "$3,000",
        "decision": "lowered",
        "amount": "5000",
        "custody_decision_date": "2026-12-04",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def test_an_order_that_states_the_record_has_no_problem() -> None:
    assert order_problems(_bond(), _order(), JUDGE) == []
    assert order_problems(_decided(), _order(), JUDGE, decided=True) == []
    assert order_problems(_decided(), _order(), JUDGE) == []


def test_an_order_without_a_bond_record() -> None:
    assert order_problems(None, _order(), JUDGE) == [
        (
            "",
            "no bond request is docketed in this bond case: the clerk dockets the request "
            "(with DHS's determination) before the judge decides it",
        )
    ]


def test_a_decided_order_needs_the_decision_in_the_record() -> None:
    assert order_problems(_bond(), _order(), JUDGE, decided=True) == [
        (
            "decision",
            "the bond record does not hold this decision: the decision is saved with the "
            "signed order, in the same change (sign it again from the case's bond order)",
        )
    ]


def test_an_undecided_record_is_checked_as_the_order_would_decide_it() -> None:
    assert order_problems(_bond(), _order(decision="maybe"), JUDGE) == [
        ("decision", "choose the decision")
    ]
    assert order_problems(_bond(), _order(amount="5000.5"), JUDGE) == [
        ("amount", "a bond is set in whole dollars")
    ]
    assert order_problems(_bond(), _order(amount="15000"), JUDGE) == [
        ("amount", "a lowered bond must be less than the $15,000 in effect")
    ]
    assert order_problems(_bond(), _order(decision="no_change"), JUDGE) == []
    assert order_problems(
        _bond(), _order(decision="no_jurisdiction", custody_decision_date=None), JUDGE
    ) == [
        (
            "decision",
            "a bond decision needs its outcome, the judge and the court's date of decision",
        )
    ]
    assert order_problems(_bond(), _order(custody_decision_date="2026-11-19"), JUDGE) == [
        ("custody_decision_date", "the bond was decided before it was asked for")
    ]


def test_an_order_that_tells_another_story_names_each_field() -> None:
    order = _order(
        dhs_determination="no_bond",
        dhs_amount="14000",
        requested_on="2026-11-21",
        requested_amount=None,
    )
    assert order_problems(_bond(), order, JUDGE) == [
        ("dhs_determination", "the bond record says otherwise: DHS's determination is a bond"),
        ("dhs_amount", "the bond record says otherwise: DHS's bond is $15,000"),
        (
            "requested_on",
            "the bond record says otherwise: the day the request was received is November 20, 2026",
        ),
        ("requested_amount", "the bond record says otherwise: the amount asked for is $3,000"),
    ]
    # An earlier template version that did not state the amount asked for.
    known = ("dhs_determination", "dhs_amount", "requested_on", "decision")
    assert order_problems(_bond(), _order(requested_amount="1"), JUDGE, known=known) == []


def test_a_signed_order_agrees_with_the_decision_on_record() -> None:
    record = _decided(
        outcome=BondOutcome.RECOGNIZANCE,
        dhs_determination=BondDetermination.NO_BOND,
        dhs_amount=None,
        requested_amount=None,
    )
    order = _order(
        dhs_determination="no_bond",
        dhs_amount=None,
        requested_amount=None,
        decision="no_change",
        amount="1",
        custody_decision_date="2026-12-05",
    )
    assert order_problems(record, order, OTHER_JUDGE, decided=True) == [
        ("", "the bond record holds another judge's decision"),
        ("decision", "the bond record says otherwise: the decision is released on recognizance"),
        ("amount", "the bond record says otherwise: the bond amount is not stated"),
        (
            "custody_decision_date",
            "the bond record says otherwise: the date of decision is December 4, 2026",
        ),
    ]
    held = _order(dhs_determination="amount", dhs_amount="1", requested_amount=None)
    problems = order_problems(record, {**held, "decision": "recognizance"}, JUDGE)
    assert problems[0] == (
        "dhs_determination",
        "the bond record says otherwise: DHS's determination is held without bond",
    )
    assert problems[1] == ("dhs_amount", "the bond record says otherwise: DHS's bond is not stated")


def test_the_earlier_template_s_words_read_as_the_record_s() -> None:
    # The 2026-12 bond order: DHS "bond_set", "denied" for no change, "bond_changed" for a
    # lowered or raised bond as the amount compares with the bond in effect.
    earlier = _order(dhs_determination="bond_set", decision="bond_changed")
    assert order_problems(_bond(), earlier, JUDGE) == []
    assert order_problems(_decided(), earlier, JUDGE) == []
    raised = _decided(outcome=BondOutcome.RAISED)
    assert order_problems(raised, _order(decision="bond_changed", amount="20,000"), JUDGE) == []
    # An amount that is not one reads as "lowered", and is then refused as an amount.
    assert order_problems(_bond(), _order(decision="bond_changed", amount="x"), JUDGE) == [
        ("amount", "not an amount")
    ]
    assert order_problems(_bond(), _order(decision="denied", amount=None), JUDGE) == []
    record = _decided(outcome=BondOutcome.NO_CHANGE)
    assert order_problems(record, _order(decision="denied", amount=None), JUDGE) == []
    # DHS held without bond, a "bond_changed" order sets a bond: that is a lower one.
    held = _bond(dhs_determination=BondDetermination.NO_BOND, dhs_amount=None)
    order = _order(dhs_determination="no_bond", dhs_amount=None, decision="bond_changed")
    assert order_problems(held, order, JUDGE) == []


def test_an_order_s_amount_or_date_that_is_not_one_differs_from_the_record() -> None:
    record = _decided()
    assert order_problems(record, _order(amount="five thousand"), JUDGE) == [
        ("amount", "the bond record says otherwise: the bond amount is $5,000")
    ]
    assert order_problems(record, _order(custody_decision_date="Dec 4"), JUDGE) == [
        (
            "custody_decision_date",
            "the bond record says otherwise: the date of decision is December 4, 2026",
        )
    ]
    assert order_problems(record, _order(decision=""), JUDGE) == [
        ("decision", "the bond record says otherwise: the decision is bond lowered")
    ]


# --- found by the mutation run's first pass --------------------------------------------------


def test_the_bond_appeal_is_counted_on_the_board_s_calendar() -> None:
    # The Board (not the immigration courts) was closed July 2-3, 2012; EOIR announced that
    # filings due there that week were timely if received by July 11, 2012. A bond decided
    # June 4, 2012: 30 days is July 4, a legal holiday; at the Board, July 11.
    due = appeal_deadline(_decided(decided_on=date(2012, 6, 4), requested_on=date(2012, 6, 1)))
    assert due is not None and due.due == date(2012, 7, 11)


def test_the_stay_s_ten_business_days_are_the_detained_court_s() -> None:
    # The 2013 lapse in appropriations suspended the courts' non-detained functions only
    # (October 1-16, 2013): a bond case is detained, so its days kept running. Decided
    # Friday, September 27, 2013: ten business days, Columbus Day not among them: October 11.
    detained = court_calendar("SFR", detained=True)
    bond = _stayed(
        requested_on=date(2013, 9, 20),
        decided_on=date(2013, 9, 27),
        stay_filed_on=date(2013, 9, 30),
    )
    state = stay_state(bond, date(2013, 10, 11), detained)
    assert state is not None and (state.in_effect, state.until) == (True, date(2013, 10, 11))
    assert stay_notice_deadline(date(2013, 9, 27), detained).due == date(2013, 9, 30)


def test_each_stay_state_cites_its_rule() -> None:
    lapsed = stay_state(_stayed(), date(2026, 12, 19), COURT)
    assert lapsed is not None and "1003.6(c)" in lapsed.citation
    appealed = _stayed(dhs_appeal_filed_on=date(2026, 12, 18))
    ended = stay_state(appealed, date(2027, 3, 18), COURT)
    assert ended is not None and "1003.6(c)(4)" in ended.citation


def test_an_earlier_order_s_changed_bond_compares_with_the_prior_redetermination() -> None:
    # DHS set $15,000; the first redetermination lowered it to $5,000; the second, on the
    # respondent's later request, set $8,000: more than the $5,000 in
    # effect, so "bond_changed" reads "raised".
    prior = _decided(1)
    later = _decided(
        2,
        BondOutcome.RAISED,
        amount=8_000,
        requested_on=date(2026, 12, 10),
        decided_on=date(2026, 12, 11),
        prior_bond_id=prior.id,
        changed_circumstances="new arrest",
    )
    order = _order(decision="bond_changed", amount="8000", custody_decision_date="2026-12-11")
    order["requested_on"] = "2026-12-10"
    assert order_problems(later, order, JUDGE, prior=prior) == []
    # The same amount as the bond in effect is no change for the better: read as lowered,
    # and refused as one.
    assert order_problems(_bond(), _order(decision="bond_changed", amount="15000"), JUDGE) == [
        ("amount", "a lowered bond must be less than the $15,000 in effect")
    ]


def test_an_undecided_record_is_checked_against_the_prior_redetermination() -> None:
    prior = _decided(1, amount=10_000)
    later = _bond(2, requested_on=date(2026, 12, 10), prior_bond_id=prior.id)
    order = _order(amount="12000", custody_decision_date="2026-12-11", requested_on="2026-12-10")
    assert order_problems(later, order, JUDGE, prior=prior) == [
        ("amount", "a lowered bond must be less than the $10,000 in effect")
    ]
    # Decided on the day it was asked for: the problem is the amount, not the date.
    same_day = _order(amount="15000", custody_decision_date="2026-11-20")
    assert order_problems(_bond(), same_day, JUDGE) == [
        ("amount", "a lowered bond must be less than the $15,000 in effect")
    ]


def test_an_earlier_template_skips_only_the_fields_it_did_not_state() -> None:
    known = ("dhs_determination", "requested_on", "requested_amount")
    order = _order(dhs_amount="1", requested_on="2026-11-21")
    assert order_problems(_bond(), order, JUDGE, known=known) == [
        (
            "requested_on",
            "the bond record says otherwise: the day the request was received is November 20, 2026",
        )
    ]


def test_an_order_s_date_is_read_as_a_date() -> None:
    # The basic ISO form of the same day agrees with the record.
    record = _decided()
    assert order_problems(record, _order(custody_decision_date="20261204"), JUDGE) == []
    assert order_problems(record, _order(requested_on="20261120"), JUDGE) == []


def _detained_2013(**changes: Any) -> Bond:
    # Decided Monday, September 30, 2013, at a court whose non-detained functions were
    # suspended October 1-16, 2013: a bond case is detained, so the EOIR-43 was due
    # Tuesday, October 1 (for a non-detained filer the day would have moved past the 16th).
    data: dict[str, Any] = {"requested_on": date(2013, 9, 20), "decided_on": date(2013, 9, 30)}
    data.update(changes)
    return _decided(**data)


def test_the_eoir_43_deadline_is_the_detained_court_s() -> None:
    detained = court_calendar("SFR", detained=True)
    assert stay_notice_deadline(date(2013, 9, 30), detained).due == date(2013, 10, 1)
    late = _detained_2013(stay_filed_on=date(2013, 10, 2))
    reason = stay_problem(None, late, detained)
    assert reason is not None and reason.startswith("the EOIR-43 was due by October 1, 2013")
    assert check_bond(None, late, prior=None, others=[], calendar=detained) == reason
    on_time = _detained_2013(stay_filed_on=date(2013, 10, 1))
    assert check_bond(None, on_time, prior=None, others=[], calendar=detained) is None


def test_the_latest_prior_is_the_last_decided_whatever_its_id() -> None:
    first = _decided(5, decided_on=date(2026, 11, 2), requested_on=date(2026, 11, 1))
    second = _decided(3, decided_on=date(2026, 11, 10), requested_on=date(2026, 11, 9))
    stated = {"changed_circumstances": "Now has a job and a lease."}
    later = _bond(7, prior_bond_id=second.id, **stated)
    assert later_request_problem(later, [first, second]) is None


def test_a_decided_bond_saved_again_unchanged_is_accepted() -> None:
    old = _decided()
    assert check_bond(old, old, prior=None, others=[], calendar=COURT) is None


def test_check_bond_measures_the_decision_against_the_prior() -> None:
    prior = _decided(1, amount=10_000)
    later = _decided(
        2,
        amount=10_000,
        requested_on=date(2026, 12, 10),
        decided_on=date(2026, 12, 11),
        prior_bond_id=prior.id,
    )
    assert check_bond(later, later, prior=prior, others=[], calendar=COURT) == (
        "a lowered bond must be less than the $10,000 in effect"
    )


def test_a_zero_bond_in_the_order_asks_for_the_amount() -> None:
    # $0 is a whole-dollar figure; a lowered bond of $0 is no bond set (recognizance is
    # its own decision).
    assert order_problems(_bond(), _order(amount="0"), JUDGE) == [
        ("amount", "bond lowered: give the new bond amount")
    ]
