"""common/orders.py, rule by rule and field by field: what a judge is told before signing
(each refusal in full), what the templates may declare and how a malformed one is refused,
the values an order prints (the computed dates counted as the rules count them), and the
case facts gathered from the records. Pure Python, no server: the mutation run of the
module (docs/TESTING.md) runs these for each mutant."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import pytest

from common.enums import AppearanceScope, FilingKind, OrderStatus, Role
from common.orders import (
    CaseFacts,
    Citation,
    Condition,
    Counsel,
    Problem,
    SigningRefused,
    applies,
    business_days_after,
    case_facts,
    check_order,
    check_order_change,
    check_record,
    clauses,
    clauses_by_place,
    default_fields,
    field_default,
    format_money,
    merge,
    merge_values,
    new_draft,
    parse_template,
    sign,
    template_for,
)
from common.resources import DataFileError
from common.wire import Order
from tests.orders.helpers import COMPLETE_FIELDS, FACTS, JUDGE, SIGNED_AT, TODAY

CASE = FACTS.case_id


def found(template_key: str, version: str | None = None, **fields: Any) -> dict[str, str]:
    """Every problem of an order of ``template_key`` with exactly ``fields`` (None: left
    out), by field; several problems of one field joined with " | "."""
    template = template_for(template_key, version)
    given = {k: v for k, v in fields.items() if v is not None}
    out: dict[str, str] = {}
    for p in check_order(template, given, ""):
        out[p.field] = f"{out[p.field]} | {p.message}" if p.field in out else p.message
    return out


def removal(**changes: Any) -> dict[str, str]:
    return found("removal_decision", **{**COMPLETE_FIELDS["removal_decision"], **changes})


# --- the templates in force: removal decision ------------------------------------------------

# A respondent granted voluntary departure at the conclusion of proceedings (INA § 240B(b)):
# asylum denied, no other application, removability conceded.
VD = {
    "withholding": "not_applied",
    "withholding_country": None,
    "cat_withholding": "not_applied",
    "cat_withholding_country": None,
    "asylum": "denied",
    "voluntary_departure": "granted",
    "vd_stage": "post_conclusion",
    "disposition": "voluntary_departure",
    "vd_depart_by": "2027-01-26",  # 60 days after November 27, 2026
    "vd_bond": "500",
    "vd_civil_penalty": "3000",
}


def test_voluntary_departure_at_the_conclusion_allows_60_days_and_no_more() -> None:
    # INA § 240B(b)(2): at most 60 days; the day of the decision itself is not "after" it.
    assert removal(**VD) == {}
    assert removal(**{**VD, "vd_depart_by": "2026-11-28"}) == {}
    expected = (
        "Depart by must fall 1 to 60 days after the decision (INA § 240B(b)(2): at the "
        "conclusion of proceedings), that is, by January 26, 2027 at the latest"
    )
    assert removal(**{**VD, "vd_depart_by": "2027-01-27"}) == {"vd_depart_by": expected}
    assert removal(**{**VD, "vd_depart_by": "2026-11-27"}) == {"vd_depart_by": expected}


def test_voluntary_departure_before_the_conclusion_allows_120_days_on_its_three_conditions() -> (
    None
):
    # INA § 240B(a)(2)(A): 120 days; 8 C.F.R. § 1240.26(b)(1)(i)(B)-(D): every other
    # application withdrawn, removability conceded, appeal of all issues waived.
    pre = {
        **VD,
        "vd_stage": "pre_conclusion",
        "vd_bond": None,
        "vd_depart_by": "2027-03-27",
        "asylum": "withdrawn",
        "appeal_respondent": "waived",
    }
    assert removal(**pre) == {}
    assert removal(**{**pre, "vd_depart_by": "2027-03-28"}) == {
        "vd_depart_by": "Depart by must fall 1 to 120 days after the decision (INA § "
        "240B(a)(2)(A): before the conclusion of proceedings), that is, by March 27, 2027 at "
        "the latest"
    }
    refused = removal(
        **{
            **pre,
            "appeal_respondent": "reserved",
            "removability": "not_sustained",
            "asylum": "denied",
            "adjustment": "granted",
            "cancellation_vawa": "withdrawn",
            "cat_deferral": "denied",
            "cat_deferral_country": "Honduras",
        }
    )
    assert refused["appeal_respondent"] == (
        "voluntary departure before the conclusion of proceedings requires the respondent "
        "to waive appeal of all issues (8 C.F.R. § 1240.26(b)(1)(i)(D))"
    )
    assert refused["vd_stage"] == (
        "voluntary departure before the conclusion of proceedings requires every other "
        "application to be withdrawn (8 C.F.R. § 1240.26(b)(1)(i)(B)): asylum, adjustment of "
        "status, deferral of removal under the Convention Against Torture"
    )
    assert refused["removability"] == (
        "voluntary departure before the conclusion of proceedings requires the respondent "
        "to concede removability (8 C.F.R. § 1240.26(b)(1)(i)(C))"
    )
    # A bond is the conclusion's condition (INA § 240B(b)(3)), not one before it.
    assert removal(**{**pre, "vd_bond": "100"}) == {}
    # An application left blank is only missing, not pending.
    assert removal(**{**pre, "asylum": ""}) == {"asylum": "Asylum (INA § 208) is required"}


def test_the_voluntary_departure_bond_and_civil_penalty_have_their_limits() -> None:
    # INA § 240B(b)(3) and 8 C.F.R. § 1240.26(c)(3): a bond of at least $500; INA
    # § 240B(d)(1)(A): a civil penalty of $1,000 to $5,000.
    assert removal(**{**VD, "vd_bond": "499.99"}) == {
        "vd_bond": "voluntary departure at the conclusion of proceedings needs a bond of at "
        "least $500 (INA § 240B(b)(3); 8 C.F.R. § 1240.26(c)(3))"
    }
    penalty = (
        "the civil penalty for failing to depart is $1,000 to $5,000 (INA § 240B(d)(1)(A)); "
        "$3,000 unless the judge sets another amount (8 C.F.R. § 1240.26(j))"
    )
    for amount in ("999.99", "5000.01"):
        assert removal(**{**VD, "vd_civil_penalty": amount}) == {"vd_civil_penalty": penalty}
    for amount in ("1000", "5000"):
        assert removal(**{**VD, "vd_civil_penalty": amount}) == {}


def test_voluntary_departure_is_granted_and_chosen_together() -> None:
    assert removal(
        disposition="voluntary_departure", withholding="not_applied", withholding_country=None
    ) == {"voluntary_departure": "the disposition is voluntary departure: grant it"}
    assert removal(**{**VD, "disposition": "removal_ordered"}) == {
        "disposition": "voluntary departure is granted: choose 'Voluntary departure, with an "
        "alternate order of removal' (8 C.F.R. § 1240.26(d))"
    }
    # Not chosen yet: the missing disposition is the problem, not the rule.
    assert removal(
        **{**VD, "disposition": None, "alternate_country": None, "removal_country": None}
    ) == {"disposition": "Disposition is required"}


def test_voluntary_departure_without_a_stage_is_not_held_to_either_limit() -> None:
    assert removal(**{**VD, "vd_stage": None, "vd_bond": None, "vd_depart_by": "2027-06-01"}) == {
        "vd_stage": "Voluntary departure granted is required when Voluntary departure "
        "(INA § 240B) is 'Granted'"
    }


def test_protection_and_status_relief_each_need_their_disposition() -> None:
    # Matter of I-S- & C-S-, 24 I&N Dec. 432 (BIA 2008): protection comes with a removal
    # order; a grant of status ends in "relief granted".
    both = removal(
        withholding="granted",
        cat_deferral="granted",
        cat_deferral_country="Honduras",
        cat_withholding="not_applied",
        cat_withholding_country=None,
        disposition="terminated",
        termination_reason="The charge was not proved.",
        removal_country=None,
        alternate_country=None,
    )
    assert both["disposition"].startswith(
        "withholding of removal under INA § 241(b)(3) and deferral of removal under the "
        "Convention Against Torture granted: the order must also order removal (choose "
        "'Removal ordered' and name the country); protection bars removal to the country "
        "named with it, not removal as such"
    )
    status = removal(
        withholding="not_applied",
        withholding_country=None,
        asylum="granted",
        cancellation_nonlpr="granted",
    )
    assert status == {
        "disposition": "asylum, cancellation of removal under INA § 240A(b)(1) granted: the "
        "respondent has or keeps lawful status, so removal can't be ordered; choose 'Relief "
        "granted; no order of removal'"
    }
    relief = dict(
        withholding="not_applied",
        withholding_country=None,
        cat_withholding="not_applied",
        cat_withholding_country=None,
        disposition="relief_granted",
        removal_country=None,
        alternate_country=None,
    )
    assert removal(**relief, adjustment="granted") == {}
    assert removal(**relief) == {
        "disposition": "'Relief granted' needs asylum, cancellation of removal or adjustment "
        "of status granted (withholding and CAT protection come with an order of removal)"
    }


def test_charges_not_sustained_end_in_termination_deciding_no_application() -> None:
    # INA § 240(c)(1)(A), (c)(3).
    not_sustained = removal(removability="not_sustained", withholding="not_applied")
    assert not_sustained["disposition"] == (
        "the charges are not sustained: choose 'Proceedings terminated' and say why"
    )
    # No disposition yet, or a blank one: only that it is required.
    for blank in (None, ""):
        assert removal(
            removability="not_sustained",
            withholding="not_applied",
            withholding_country=None,
            removal_country=None,
            alternate_country=None,
            disposition=blank,
        ) == {"disposition": "Disposition is required"}
    terminated = removal(
        removability="not_sustained",
        disposition="terminated",
        termination_reason="DHS did not prove alienage.",
        removal_country=None,
        alternate_country=None,
        withholding="not_applied",
        withholding_country=None,
    )
    assert terminated == {
        "disposition": "proceedings terminated: applications for relief are not decided (mark "
        "them 'Not applied for' or 'Withdrawn'): asylum, withholding of removal under the "
        "Convention Against Torture"
    }
    assert (
        removal(
            removability="not_sustained",
            disposition="terminated",
            termination_reason="DHS did not prove alienage.",
            removal_country=None,
            alternate_country=None,
            withholding="withdrawn",
            asylum="not_applied",
            cat_withholding="withdrawn",
        )
        == {}
    )


def test_cat_withholding_and_deferral_are_never_both_granted() -> None:
    # 8 C.F.R. § 1208.17(a).
    assert removal(
        cat_withholding="granted", cat_deferral="granted", cat_deferral_country="Honduras"
    ) == {
        "cat_deferral": "deferral of removal (8 C.F.R. § 1208.17(a)) is only for a respondent "
        "barred from CAT withholding: grant one of them, not both"
    }
    assert removal(cat_withholding="denied", cat_deferral="granted", cat_deferral_country="X") == {}


def test_one_form_of_cancellation() -> None:
    # INA § 240A(a) (permanent residents) and § 240A(b) (those who are not).
    lpr = (
        "cancellation under INA § 240A(a) is for a lawful permanent resident, § 240A(b)(1) and "
        "(b)(2) for one who is not: the respondent can't have applied for both kinds"
    )
    assert removal(cancellation_lpr="denied", cancellation_vawa="withdrawn") == {
        "cancellation_lpr": lpr
    }
    assert removal(cancellation_lpr="denied") == {}
    # A form left blank is only missing, not applied for.
    assert removal(cancellation_lpr="", cancellation_vawa="withdrawn") == {
        "cancellation_lpr": "Cancellation of removal, permanent resident (INA § 240A(a)) is "
        "required"
    }
    assert removal(cancellation_nonlpr="denied", cancellation_vawa="denied") == {}
    both = removal(
        cancellation_nonlpr="granted",
        cancellation_vawa="granted",
        disposition="relief_granted",
        removal_country=None,
        alternate_country=None,
        withholding="not_applied",
        withholding_country=None,
        cat_withholding="not_applied",
        cat_withholding_country=None,
    )
    assert both == {"cancellation_vawa": "only one form of cancellation of removal can be granted"}


def test_of_three_forms_of_cancellation_granted_the_last_is_named() -> None:
    three = removal(
        cancellation_lpr="granted",
        cancellation_nonlpr="granted",
        cancellation_vawa="granted",
        disposition="relief_granted",
        removal_country=None,
        alternate_country=None,
        withholding="not_applied",
        withholding_country=None,
        cat_withholding="not_applied",
        cat_withholding_country=None,
    )
    assert three["cancellation_vawa"] == "only one form of cancellation of removal can be granted"
    assert "cancellation_nonlpr" not in three


def test_terminated_proceedings_name_a_granted_application_too() -> None:
    terminated = removal(
        removability="not_sustained",
        disposition="terminated",
        termination_reason="DHS did not prove alienage.",
        removal_country=None,
        alternate_country=None,
        withholding="not_applied",
        withholding_country=None,
        asylum="not_applied",
        cat_withholding="not_applied",
        cat_withholding_country=None,
        adjustment="granted",
    )
    assert terminated["disposition"].endswith(
        "proceedings terminated: applications for relief are not decided (mark them 'Not "
        "applied for' or 'Withdrawn'): adjustment of status"
    )


def test_a_frivolousness_finding_needs_the_warning_before_the_decision() -> None:
    # INA § 208(d)(6), (d)(4)(A).
    made = {"frivolous_finding": "made", "decision_date": "2026-11-27"}
    assert removal(**made, frivolous_notice_date="2026-11-27") == {}
    assert removal(**made, frivolous_notice_date="2026-11-28") == {
        "frivolous_notice_date": "the warning of INA § 208(d)(4)(A) must come before the "
        "decision: a frivolousness finding can't rest on a warning given after it"
    }
    assert removal(**made) == {
        "frivolous_notice_date": "Date of the frivolousness warning is required when "
        "Frivolous asylum application is 'Finding made (the INA § 208(d)(4)(A) warning was given)'"
    }
    assert removal(frivolous_finding="not_made", frivolous_notice_date=None) == {}


def test_the_alternate_country_is_another_country() -> None:
    # INA § 241(b)(2); 8 C.F.R. § 1240.12(d).
    same = {
        "alternate_country": "the alternate country is another country than the country of "
        "removal (INA § 241(b)(2); 8 C.F.R. § 1240.12(d)); leave it empty if there is none"
    }
    assert removal(removal_country="Honduras", alternate_country=" honduras ") == same
    assert removal(alternate_country=None) == {}
    in_absentia = {**COMPLETE_FIELDS["in_absentia_order"], "alternate_country": "HONDURAS"}
    assert found("in_absentia_order", **in_absentia) == same


# --- field checks ----------------------------------------------------------------------------


def test_field_values_are_refused_with_what_to_type() -> None:
    assert removal(termination_reason="x") == {
        "termination_reason": "Reason for termination applies only when Disposition is "
        "'Proceedings terminated': clear it"
    }
    assert removal(removal_country=7) == {"removal_country": "Country of removal must be text"}
    assert removal(removal_country="x" * 300) == {}
    assert removal(removal_country="x" * 301) == {
        "removal_country": "Country of removal is too long (at most 300 characters)"
    }
    assert removal(
        **{
            **VD,
            "vd_stage": "pre_conclusion",
            "vd_depart_by": "2027-03-27",
            "asylum": "withdrawn",
            "appeal_respondent": "waived",
            "vd_bond": "0",
        }
    ) == {
        "vd_bond": "Voluntary departure bond (USD) must be an amount in dollars greater than zero"
    }
    assert removal(**{**VD, "vd_bond": "lots"}) == {
        "vd_bond": "Voluntary departure bond (USD) must be an amount in dollars greater than zero"
    }  # not an amount: the $500 rule has nothing to compare
    assert removal(**{**VD, "vd_bond": "$1,250.00"}) == {}
    assert removal(**{**VD, "vd_bond": "Infinity"}) == {
        "vd_bond": "Voluntary departure bond (USD) must be an amount in dollars greater than zero"
    }
    assert removal(decision_form="typed") == {
        "decision_form": "Decision given must be one of: Orally, in the parties' presence (this "
        "order summarizes it), In writing (this order is the decision)"
    }
    assert removal(asylum="maybe") == {
        "asylum": "Asylum (INA § 208) must be one of: Not applied for, Granted, Denied, Withdrawn"
    }


def test_a_field_out_of_play_is_named_with_the_condition_that_brings_it_in() -> None:
    board = template_for("board_decision")
    fields = {**COMPLETE_FIELDS["board_decision"], "remand_instructions": "Hear the witness."}
    assert [(p.field, p.message) for p in check_order(board, fields, "")] == [
        (
            "remand_instructions",
            "Instructions on remand applies only when Outcome is 'Record remanded to the "
            "immigration judge': clear it",
        )
    ]
    remanded = {**COMPLETE_FIELDS["board_decision"], "outcome": "remanded"}
    assert [(p.field, p.message) for p in check_order(board, remanded, "")] == [
        (
            "remand_instructions",
            "Instructions on remand is required when Outcome is 'Record remanded to the "
            "immigration judge'",
        )
    ]
    # A whitespace-only value is no value.
    blank = {**remanded, "remand_instructions": "   "}
    assert [p.field for p in check_order(board, blank, "")] == ["remand_instructions"]
    assert check_order(board, {**remanded, "remand_instructions": "y" * 2000}, "") == []
    assert [
        p.message for p in check_order(board, {**remanded, "remand_instructions": "y" * 2001}, "")
    ] == ["Instructions on remand is too long (at most 2000 characters)"]
    # An outcome out of play that is "not applied for" is its resting value, never refused.
    assert (
        removal(
            **{
                **VD,
                "voluntary_departure": "not_applied",
                "disposition": "removal_ordered",
                "vd_stage": None,
                "vd_depart_by": None,
                "vd_bond": None,
                "vd_civil_penalty": None,
            }
        )
        == {}
    )


def test_an_outcome_out_of_play_may_rest_at_not_applied_and_nothing_else_may() -> None:
    t = parse_template(
        {
            **_MINIMAL,
            "fields": [
                {"key": "asked", "label": "Asked", "type": "text"},
                {"key": "relief", "label": "Relief", "type": "outcome", "when": {"field": "asked"}},
                {
                    "key": "kind",
                    "label": "Kind",
                    "type": "choice",
                    "choices": [{"value": "not_applied", "label": "None"}],
                    "when": {"field": "asked"},
                },
            ],
        }
    )
    assert check_order(t, {"relief": "not_applied"}, "") == []
    assert [str(p) for p in check_order(t, {"relief": "denied", "kind": "not_applied"}, "")] == [
        "relief: Relief applies only when Asked is filled in: clear it",
        "kind: Kind applies only when Asked is filled in: clear it",
    ]


def test_a_field_required_by_another_names_it_and_a_condition_on_any_value() -> None:
    old = template_for("removal_decision", "2026-11")
    fields = {
        "decision_date": "2026-11-27",
        "removability": "sustained",
        "asylum": "denied",
        "withholding": "not_applied",
        "cat": "not_applied",
        "cancellation": "not_applied",
        "adjustment": "not_applied",
        "voluntary_departure": "not_applied",
        "disposition": "terminated",
        "appeal_due": "2026-12-28",
    }
    assert [(p.field, p.message) for p in check_order(old, fields, "")] == [
        (
            "termination_reason",
            "Reason for termination is required when Disposition is 'Proceedings terminated'",
        )
    ]
    clause = parse_template(
        {
            **_MINIMAL,
            "fields": [
                {"key": "who", "label": "Who", "type": "text"},
                {
                    "key": "why",
                    "label": "Why",
                    "type": "text",
                    "required": True,
                    "when": {"field": "who"},
                },
            ],
        }
    )
    assert [str(p) for p in check_order(clause, {"who": "DHS"}, "")] == [
        "why: Why is required when Who is filled in"
    ]
    assert [str(p) for p in check_order(clause, {"why": "late"}, "")] == [
        "why: Why applies only when Who is filled in: clear it"
    ]
    assert check_order(clause, {"who": "DHS", "why": "late"}, "") == []
    # A cause with no list of values (free text) is named by the value typed; a field that
    # is required anyway says so without a condition.
    typed = parse_template(
        {
            **_MINIMAL,
            "fields": [
                {"key": "plea", "label": "Plea", "type": "text"},
                {
                    "key": "reason",
                    "label": "Reason",
                    "type": "text",
                    "required_when": {"field": "plea", "in": ["guilty"]},
                },
                {
                    "key": "basis",
                    "label": "Basis",
                    "type": "text",
                    "required": True,
                    "required_when": {"field": "plea", "in": ["guilty"]},
                },
            ],
        }
    )
    assert [str(p) for p in check_order(typed, {"plea": "guilty"}, "")] == [
        "reason: Reason is required when Plea is 'guilty'",
        "basis: Basis is required",
    ]
    assert [str(p) for p in check_order(typed, {"plea": "innocent"}, "")] == [
        "basis: Basis is required"
    ]


def test_the_body_may_name_only_known_merge_fields_and_is_at_most_20000_characters() -> None:
    motion = template_for("motion_order")
    fields = COMPLETE_FIELDS["motion_order"]
    assert check_order(
        motion, fields, "{zeta} {alpha} {respondent_name} {reason} {ruling_label}"
    ) == [Problem("body", "unknown merge fields in the text: alpha, zeta")]
    assert check_order(motion, fields, "x" * 20_000) == []
    assert check_order(motion, fields, "x" * 20_001) == [
        Problem("body", "the text is too long (at most 20,000 characters)")
    ]
    assert str(Problem("", "whole order")) == "whole order"
    assert str(Problem("body", "bad")) == "body: bad"


# --- motion, bond and notice rules ------------------------------------------------------------


def motion(version: str | None = None, **changes: Any) -> dict[str, str]:
    return found("motion_order", version, **{**COMPLETE_FIELDS["motion_order"], **changes})


def test_a_granted_continuance_needs_its_code_and_date_and_only_it_takes_a_code() -> None:
    assert motion(adjournment_code=None, next_hearing=None) == {
        "adjournment_code": "a granted continuance needs an adjournment code",
        "next_hearing": "a granted continuance needs the date it is continued to",
    }
    assert motion(ruling="granted_unopposed", next_hearing=None) == {
        "next_hearing": "a granted continuance needs the date it is continued to"
    }
    assert motion(ruling="denied", adjournment_code=None, next_hearing=None) == {}
    assert motion(motion="recalendar", next_hearing=None) == {
        "adjournment_code": "only a continuance takes an adjournment code"
    }


def test_a_change_of_venue_names_the_court_and_only_it_does() -> None:
    # 8 C.F.R. § 1003.20(b).
    venue = {"motion": "change_of_venue", "adjournment_code": None, "next_hearing": None}
    assert motion(**venue, ruling="granted_unopposed", new_court="Los Angeles") == {}
    assert motion(**venue, ruling="denied") == {}
    assert motion(new_court="Los Angeles") == {
        "new_court": "only a granted change of venue names a new court"
    }
    assert motion(**venue, ruling="denied", new_court="Los Angeles") == {
        "new_court": "only a granted change of venue names a new court"
    }
    assert motion(**venue, movant="court", new_court="Los Angeles") == {
        "movant": "venue is changed only on a party's motion (8 C.F.R. § 1003.20(b)); the "
        "court can't move the case on its own"
    }
    assert motion(movant="court") == {}


def test_only_the_respondents_motion_is_granted_as_unopposed() -> None:
    refusal = {
        "ruling": "only the respondent's motion is granted as unopposed by DHS; grant this one"
    }
    assert motion(ruling="granted_unopposed", movant="dhs") == refusal
    assert motion(ruling="granted_unopposed", movant="respondent") == {}
    board = {**COMPLETE_FIELDS["board_motion_order"], "ruling": "granted_unopposed"}
    assert found("board_motion_order", **{**board, "movant": "joint"}) == refusal


def test_an_exception_to_the_limits_fits_the_motion() -> None:
    # 8 C.F.R. § 1003.23(b): equitable tolling and sua sponte reach a motion to reconsider;
    # the other exceptions are to the limits on motions to reopen.
    base = {"adjournment_code": None, "next_hearing": None, "ruling": "denied"}
    assert motion(**base, motion="reconsider", limit_exception="equitable_tolling") == {}
    assert motion(**base, motion="reconsider", limit_exception="sua_sponte") == {}
    assert motion(**base, motion="reopen", limit_exception="lack_of_notice") == {}
    assert motion(**base, motion="reconsider", limit_exception="changed_country_conditions") == {
        "limit_exception": "that exception is one to the limits on motions to reopen, not to "
        "reconsider"
    }
    assert motion(
        **{**base, "ruling": "untimely"}, motion="reopen", limit_exception="in_custody"
    ) == {
        "limit_exception": "a motion denied as untimely is not excused from the time limit: "
        "clear the exception or rule otherwise"
    }


def bond(version: str | None = None, **changes: Any) -> dict[str, str]:
    return found("bond_order", version, **{**COMPLETE_FIELDS["bond_order"], **changes})


def test_a_bond_set_by_the_court_is_at_least_1500_and_not_the_bond_dhs_set() -> None:
    # INA § 236(a)(2)(A).
    assert bond(amount="1500") == {}
    assert bond(decision="raised", amount="1499.99") == {
        "amount": "a bond under INA § 236(a)(2)(A) is at least $1,500"
    }
    same = {
        "amount": "that is the bond DHS set: leaving it unchanged is no change, a denial of the "
        "request (choose 'No change: request denied')"
    }
    assert bond(amount="$15,000.00") == same
    assert bond(dhs_determination="no_bond", dhs_amount=None, amount="15000") == {}
    # The superseded 2026-12 wording: DHS's "bond_set", the court's "bond_changed".
    old = {
        "custody_decision_date": "2026-11-27",
        "dhs_determination": "bond_set",
        "dhs_amount": "15000",
        "decision": "bond_changed",
        "amount": "15000",
        "appeal_respondent": "waived",
        "appeal_dhs": "reserved",
    }
    assert found("bond_order", "2026-12", **old) == same
    assert found("bond_order", "2026-12", **{**old, "amount": "9000"}) == {}


def test_the_2026_11_bond_order_grants_at_least_1500_and_only_a_grant_has_an_amount() -> None:
    assert found("bond_order", "2026-11", decision="granted", amount="1500") == {}
    assert found("bond_order", "2026-11", decision="granted", amount="1499") == {
        "amount": "a bond under INA § 236(a) is at least $1,500"
    }
    assert found("bond_order", "2026-11", decision="granted", amount="1") == {
        "amount": "a bond under INA § 236(a) is at least $1,500"
    }
    assert found("bond_order", "2026-11", decision="granted", amount="0") == {
        "amount": "Bond amount (USD) must be an amount in dollars greater than zero"
    }
    assert found("bond_order", "2026-11", decision="denied", amount="2000") == {
        "amount": "only a bond that is granted has an amount"
    }
    assert found("bond_order", "2026-11", decision="denied") == {}


def test_the_2026_11_hearing_notice_sets_the_hearing_after_the_notice() -> None:
    notice = {
        "notice_date": "2026-11-27",
        "hearing_type": "individual",
        "hearing_time": "09:30",
        "location": "Courtroom 2",
        "medium": "in_person",
    }
    assert found("hearing_notice", "2026-11", **notice, hearing_date="2026-11-28") == {}
    assert found("hearing_notice", "2026-11", **notice, hearing_date="2026-11-27") == {
        "hearing_date": "the hearing must be after the date of the notice"
    }
    late_night = {**notice, "hearing_time": "24:00", "hearing_date": "2026-11-28"}
    assert found("hearing_notice", "2026-11", **late_night)["hearing_time"].endswith(
        "must be a time as HH:MM (24-hour)"
    )


# --- the superseded 2026-11 removal decision's rules -----------------------------------------

OLD_REMOVAL = {
    "decision_date": "2026-11-27",
    "removability": "sustained",
    "asylum": "denied",
    "withholding": "not_applied",
    "cat": "not_applied",
    "cancellation": "not_applied",
    "adjustment": "not_applied",
    "voluntary_departure": "not_applied",
    "disposition": "removal_ordered",
    "removal_country": "Honduras",
    "appeal_due": "2026-12-28",
}


def old_removal(**changes: Any) -> dict[str, str]:
    return found("removal_decision", "2026-11", **{**OLD_REMOVAL, **changes})


def test_2026_11_protection_without_asylum_orders_removal() -> None:
    assert old_removal() == {}
    assert old_removal(
        withholding="granted",
        cat="granted",
        disposition="terminated",
        removal_country=None,
        termination_reason="x",
    ) == {
        "disposition": "withholding of removal and CAT protection granted without asylum: the "
        "order must also order removal (choose 'Removal ordered' and name the country)"
    }
    assert old_removal(cat="granted") == {}


def test_2026_11_status_and_relief_granted() -> None:
    assert old_removal(asylum="granted", adjustment="granted") == {
        "disposition": "asylum, adjustment granted gives the respondent status: removal or "
        "voluntary departure can't also be ordered (choose 'Relief granted')"
    }
    assert (
        old_removal(cancellation="granted", disposition="relief_granted", removal_country=None)
        == {}
    )
    assert old_removal(disposition="relief_granted", removal_country=None) == {
        "disposition": "'Relief granted' needs asylum, cancellation of removal or adjustment of "
        "status granted"
    }
    assert old_removal(removability="not_sustained") == {
        "disposition": "the charges are not sustained: removal can't be ordered (terminate instead)"
    }
    assert (
        old_removal(
            removability="not_sustained",
            disposition="terminated",
            removal_country=None,
            termination_reason="x",
        )
        == {}
    )


def test_2026_11_each_grant_of_status_is_relief_and_excludes_removal() -> None:
    # Asylum, cancellation and adjustment each give status: each alone makes "relief
    # granted" right and removal or voluntary departure wrong; with asylum granted,
    # withholding needs no order of removal.
    relief = {"disposition": "relief_granted", "removal_country": None}
    for status in ("asylum", "cancellation", "adjustment"):
        assert old_removal(**relief, **{status: "granted"}) == {}
        assert old_removal(**{status: "granted"}) == {
            "disposition": f"{status} granted gives the respondent status: removal or "
            "voluntary departure can't also be ordered (choose 'Relief granted')"
        }
    departure = {
        "voluntary_departure": "granted",
        "disposition": "voluntary_departure",
        "vd_depart_by": "2027-01-26",
        "vd_bond": "500",
    }
    assert old_removal(**departure, adjustment="granted") == {
        "disposition": "adjustment granted gives the respondent status: removal or "
        "voluntary departure can't also be ordered (choose 'Relief granted')"
    }
    assert old_removal(**relief, asylum="granted", withholding="granted", cat="granted") == {}


def test_2026_11_voluntary_departure_terms() -> None:
    vd = {
        "voluntary_departure": "granted",
        "disposition": "voluntary_departure",
        "vd_depart_by": "2027-03-27",
        "vd_bond": "500",
    }  # 120 days
    assert old_removal(**vd) == {}
    assert old_removal(**{**vd, "vd_depart_by": "2027-03-28"}) == {
        "vd_depart_by": "Depart by must fall 1 to 120 days after the decision"
    }
    assert old_removal(**{**vd, "vd_depart_by": "2026-11-27"}) == {
        "vd_depart_by": "Depart by must fall 1 to 120 days after the decision"
    }
    assert old_removal(**{**vd, "vd_bond": "499"}) == {
        "vd_bond": "the voluntary departure bond is at least $500"
    }
    # Any amount above zero is held to the floor; zero is refused once, as no amount.
    assert old_removal(**{**vd, "vd_bond": "1"}) == {
        "vd_bond": "the voluntary departure bond is at least $500"
    }
    assert old_removal(**{**vd, "vd_bond": "0"}) == {
        "vd_bond": "Voluntary departure bond (USD) must be an amount in dollars greater than zero"
    }
    # Charges not sustained: no voluntary departure either (its alternate order is removal).
    assert old_removal(**vd, removability="not_sustained") == {
        "disposition": "the charges are not sustained: removal can't be ordered (terminate instead)"
    }
    assert old_removal(**{**vd, "disposition": "removal_ordered"}) == {
        "disposition": "voluntary departure is granted: choose the voluntary departure "
        "disposition (with its alternate order of removal)"
    }
    assert old_removal(disposition="voluntary_departure") == {
        "voluntary_departure": "the disposition is voluntary departure: grant it"
    }
    assert old_removal(**{**vd, "disposition": None, "removal_country": None}) == {
        "disposition": "Disposition is required"
    }


# --- loading templates -----------------------------------------------------------------------

_MINIMAL: dict[str, Any] = {
    "key": "note",
    "version": "1",
    "title": "Note",
    "document_title": "NOTE",
    "doc_type": "order",
    "caption": "In removal proceedings",
    "body": "For {respondent_name}.",
    "fields": [],
}


def test_a_minimal_template_takes_its_defaults() -> None:
    t = parse_template(_MINIMAL)
    assert (t.key, t.version, t.title, t.document_title, t.caption, t.body) == (
        "note",
        "1",
        "Note",
        "NOTE",
        "In removal proceedings",
        "For {respondent_name}.",
    )
    assert (t.rules, t.case_types, dict(t.captions), t.standing, t.source, t.computed) == (
        (),
        (),
        {},
        (),
        (),
        (),
    )
    assert (t.heading, t.signer_title) == ("", "Immigration Judge")
    assert t.caption_for("bond") == "In removal proceedings"


def test_a_template_reads_every_part_it_declares() -> None:
    data = {
        **_MINIMAL,
        "rules": ["hearing_after_notice"],
        "case_types": ["removal", "bond"],
        "captions": {"bond": "In bond proceedings"},
        "heading": "BOARD OF IMMIGRATION APPEALS",
        "signer_title": "Board Member",
        "computed": ["reopen_in_absentia_by"],
        "source": {"document": "8 CFR", "section": "1003.23", "read": "2026-12-06", "note": "n"},
        "fields": [
            {
                "key": "decision_date",
                "label": "Decided",
                "type": "date",
                "place": "preamble",
                "default": "@today",
                "help": "The day.",
                "required": True,
                "source": [{"document": "INA", "read": "2026-12-01"}],
            },
            {"key": "notice_date", "label": "Notice", "type": "date"},
            {
                "key": "hearing_date",
                "label": "Hearing",
                "type": "date",
                "required_when": {"field": "notice_date", "in": ["x"]},
            },
            {
                "key": "medium",
                "label": "Medium",
                "type": "choice",
                "choices": [{"value": "video", "label": "By video"}],
                "clauses": {"video": "By video at {medium_label}."},
                "when": {"field": "notice_date", "in": ["2026-11-27"]},
                "place": "advisal",
            },
        ],
        "clauses": [
            {
                "text": "Done on {today}.",
                "place": "appeal",
                "when": [{"field": "medium", "in": ["video"]}],
                "when_any": [{"field": "notice_date"}],
                "source": [{"document": "Manual", "section": "4.17", "read": "2026-12-06"}],
            },
            {"text": "Plain."},
        ],
    }
    t = parse_template(data, "note.json")
    assert (t.rules, t.case_types, t.heading, t.signer_title) == (
        ("hearing_after_notice",),
        ("removal", "bond"),
        "BOARD OF IMMIGRATION APPEALS",
        "Board Member",
    )
    assert t.caption_for("bond") == "In bond proceedings"
    assert t.computed == ("reopen_in_absentia_by",)
    assert t.source == (Citation("8 CFR", "1003.23", date(2026, 12, 6), "n"),)
    assert str(t.source[0]) == "8 CFR, 1003.23 (read 2026-12-06)"
    decided, notice, hearing, medium = t.fields
    assert (decided.place, decided.default, decided.help, decided.required) == (
        "preamble",
        "@today",
        "The day.",
        True,
    )
    assert decided.source == (Citation("INA", "", date(2026, 12, 1), ""),)
    assert (notice.required, notice.required_when, notice.default, notice.help) == (
        False,
        None,
        None,
        "",
    )
    assert (notice.place, notice.when, notice.choices, dict(notice.clauses), notice.source) == (
        "order",
        None,
        (),
        {},
        (),
    )
    assert hearing.required_when == ("notice_date", ("x",))
    assert medium.choices == (("video", "By video"),)
    assert medium.options() == (("video", "By video"),)
    assert dict(medium.clauses) == {"video": "By video at {medium_label}."}
    assert medium.when == Condition("notice_date", ("2026-11-27",))
    assert medium.place == "advisal"
    first, plain = t.standing
    assert (first.place, first.text) == ("appeal", "Done on {today}.")
    assert first.when == (Condition("medium", ("video",)),)
    assert first.when_any == (Condition("notice_date", ()),)
    assert first.source == (Citation("Manual", "4.17", date(2026, 12, 6)),)
    assert (plain.place, plain.when, plain.when_any, plain.source) == ("order", (), (), ())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"fields": [{"key": "a", "label": "A", "type": "colour"}]},
            "note.json field 0: unknown field type 'colour'",
        ),
        ({"fields": [{"key": "a", "label": "A"}]}, "note.json field 0: unknown field type ''"),
        (
            {"fields": [{"key": "a", "label": "A", "type": "text", "place": "footer"}]},
            "note.json field 0: unknown place 'footer' (one of preamble, order, advisal, appeal, "
            "opinions)",
        ),
        (
            {"clauses": [{"text": "x", "place": "footer"}]},
            "note.json clause 0: unknown place 'footer' (one of preamble, order, advisal, appeal, "
            "opinions)",
        ),
        ({"source": ["INA"]}, "note.json: a source is an object with document, section, read"),
        ({"source": [{"document": "INA"}]}, "note.json: a source needs 'read' as YYYY-MM-DD"),
        (
            {"source": [{"document": "INA", "read": "December"}]},
            "note.json: a source needs 'read' as YYYY-MM-DD",
        ),
        (
            {"fields": [{"key": "a", "label": "A", "type": "text", "source": ["INA"]}]},
            "note.json field 0: a source is an object with document, section, read",
        ),
        (
            {"clauses": [{"text": "x", "source": {"document": "INA"}}]},
            "note.json clause 0: a source needs 'read' as YYYY-MM-DD",
        ),
        ({"computed": ["tomorrow"]}, "note.json: unknown computed value 'tomorrow'"),
        (
            {"computed": ["vd_bond_due"]},
            "note.json: 'vd_bond_due' needs the fields ['decision_date', 'vd_bond']",
        ),
        ({"rules": ["be_kind", "hearing_after_notice"]}, "note.json: unknown rules ['be_kind']"),
        (
            {"fields": [{"key": "a", "label": "A", "type": "text", "when": {"field": "b"}}]},
            "note.json: a depends on unknown field b",
        ),
        (
            {
                "fields": [
                    {
                        "key": "a",
                        "label": "A",
                        "type": "text",
                        "required_when": {"field": "c", "in": ["x"]},
                    }
                ]
            },
            "note.json: a depends on unknown field c",
        ),
        (
            {"clauses": [{"text": "x", "when_any": [{"field": "d"}]}]},
            "note.json: a clause depends on unknown field d",
        ),
        (
            {"clauses": [{"text": "x", "when": [{"field": "e"}]}]},
            "note.json: a clause depends on unknown field e",
        ),
        (
            {"body": "{zz} {aa} {today}", "clauses": [{"text": "{mm}"}]},
            "note.json: unknown merge fields ['aa', 'mm', 'zz']",
        ),
        ({"doc_type": "poem"}, "note.json: 'poem' is not a valid DocumentType"),
    ],
)
def test_a_malformed_template_is_refused_saying_where(change: dict[str, Any], message: str) -> None:
    with pytest.raises(DataFileError) as refused:
        parse_template({**_MINIMAL, **change}, "note.json")
    assert str(refused.value) == message


def test_a_template_missing_a_part_names_it() -> None:
    data = {k: v for k, v in _MINIMAL.items() if k != "title"}
    with pytest.raises(DataFileError) as refused:
        parse_template(data, "note.json")
    assert str(refused.value) == "note.json: 'title'"
    with pytest.raises(DataFileError) as unnamed:
        parse_template(data)
    assert str(unnamed.value) == "template: 'title'"


def test_computed_values_need_one_of_their_sets_of_fields() -> None:
    custody = {
        **_MINIMAL,
        "computed": ["appeal_due"],
        "fields": [
            {"key": k, "label": k, "type": "text"}
            for k in ("custody_decision_date", "appeal_respondent", "appeal_dhs")
        ],
    }
    assert parse_template(custody).computed == ("appeal_due",)
    half = {**custody, "fields": custody["fields"][:2]}
    with pytest.raises(DataFileError) as refused:
        parse_template(half, "x")
    assert str(refused.value) == (
        "x: 'appeal_due' needs the fields ['appeal_dhs', 'appeal_respondent', 'decision_date']"
    )


def test_template_for_names_what_is_missing() -> None:
    with pytest.raises(KeyError) as none:
        template_for("poem")
    assert none.value.args[0] == "no order template 'poem'"
    with pytest.raises(KeyError) as old:
        template_for("removal_decision", "1999")
    assert old.value.args[0] == "no order template 'removal_decision' version '1999'"
    assert template_for("removal_decision", "2026-11").version == "2026-11"
    with pytest.raises(KeyError) as field:
        template_for("bond_order").field("colour")
    assert field.value.args[0] == "colour"


# --- the values an order prints --------------------------------------------------------------


def test_the_case_facts_print_as_the_order_states_them() -> None:
    template = template_for("removal_decision")
    values = merge_values(template, FACTS, COMPLETE_FIELDS["removal_decision"], TODAY)
    assert {
        k: values[k]
        for k in (
            "a_number",
            "respondent_name",
            "nationality",
            "charges",
            "court_name",
            "court_address",
            "judge_name",
            "counsel",
            "counsel_phrase",
            "today",
        )
    } == {
        "a_number": "A012-345-678",
        "respondent_name": "Ana Morales",
        "nationality": "Guatemala",
        "charges": "INA § 212(a)(6)(A)(i)",
        "court_name": "San Francisco Immigration Court",
        "court_address": "100 Montgomery Street, San Francisco, CA",
        "judge_name": "Immigration Judge Brennan",
        "counsel": "Attorney Sam Okafor",
        "counsel_phrase": "through counsel, Attorney Sam Okafor",
        "today": "November 27, 2026",
    }
    assert values["decision_date"] == "November 27, 2026"
    assert values["disposition_label"] == "Removal ordered"
    assert values["asylum_label"] == "Denied"
    assert values["removal_country"] == "Honduras"


def test_counsel_named_is_counsel_of_record_in_the_proceeding() -> None:
    # An EOIR-28 for custody and bond only did not appear in the removal hearing; an EOIR-27
    # is an appearance before the Board; a form this version does not know is no counsel.
    facts = CaseFacts(
        **{
            **FACTS.__dict__,
            "charges": ("INA § 212(a)(6)(A)(i)", "INA § 212(a)(7)(A)(i)(I)"),
            "counsel": (
                Counsel("a", "Attorney Lee"),
                Counsel("b", "Attorney Lee"),
                Counsel("c", "Attorney Bond", scope=AppearanceScope.CUSTODY_AND_BOND_ONLY.value),
                Counsel("d", "Attorney Board", form=FilingKind.EOIR_27.value),
                Counsel("e", "Attorney Odd", form="eoir_99"),
                Counsel(
                    "f", "Attorney Kim", scope=AppearanceScope.ALL_EXCEPT_CUSTODY_AND_BOND.value
                ),
            ),
        }
    )
    values = merge_values(template_for("removal_decision"), facts, {}, TODAY)
    assert values["counsel"] == "Attorney Lee, Attorney Kim"
    assert values["charges"] == "INA § 212(a)(6)(A)(i); INA § 212(a)(7)(A)(i)(I)"
    bond_values = merge_values(template_for("bond_order"), facts, {}, TODAY)
    assert bond_values["counsel"] == "Attorney Lee, Attorney Bond"
    # Any order in a bond case acts in the custody proceeding.
    bond_case = CaseFacts(**{**facts.__dict__, "case_type": "bond"})
    motion_values = merge_values(template_for("motion_order"), bond_case, {}, TODAY)
    assert motion_values["counsel"] == "Attorney Lee, Attorney Bond"
    pro_se = CaseFacts(**{**FACTS.__dict__, "counsel": (), "charges": ()})
    values = merge_values(template_for("removal_decision"), pro_se, {}, TODAY)
    assert (values["counsel"], values["counsel_phrase"], values["charges"]) == (
        "none (pro se)",
        "pro se",
        "(none recorded)",
    )


def test_values_print_as_dates_money_and_labels() -> None:
    template = template_for("removal_decision")
    fields = {
        **VD,
        "vd_bond": "1250.5",
        "decision_date": "2026-11-27",
        "vd_depart_by": "soon",
        "disposition": "no_such",
    }
    values = merge_values(template, FACTS, fields, TODAY)
    assert values["vd_bond"] == "$1,250.50"
    assert values["vd_civil_penalty"] == "$3,000.00"
    assert values["vd_depart_by"] == "soon"  # not a date: printed as typed (the checks name it)
    assert values["disposition_label"] == ""
    assert values["disposition"] == "no_such"
    assert values["termination_reason"] == ""
    assert merge_values(template, FACTS, {"vd_bond": "lots"}, TODAY)["vd_bond"] == "lots"
    assert (
        merge_values(template, FACTS, {"decision_date": date(2026, 12, 1)}, TODAY)["decision_date"]
        == "December 1, 2026"
    )
    assert format_money(__import__("decimal").Decimal("1500")) == "$1,500.00"


def test_the_dates_an_order_computes_are_counted_as_the_rules_count() -> None:
    template = template_for("removal_decision")
    # Decided Monday, November 23, 2026: the bond is due 5 business days later (8 C.F.R.
    # § 1240.26(c)(3)), Thanksgiving (November 26) not counted: December 1. An oral decision's
    # appeal is due 30 days later (8 C.F.R. § 1003.38(b)): Wednesday, December 23.
    fields = {
        "decision_date": "2026-11-23",
        "vd_bond": "500",
        "removal_country": " Honduras ",
        "alternate_country": "Guatemala",
    }
    values = merge_values(template, FACTS, fields, date(2026, 11, 23))
    assert (values["vd_bond_due"], values["appeal_due"], values["removal_destination"]) == (
        "December 1, 2026",
        "December 23, 2026",
        "Honduras, or in the alternative to Guatemala",
    )
    assert (
        merge_values(template, FACTS, {"removal_country": "Honduras"}, TODAY)["removal_destination"]
        == "Honduras"
    )
    # A written decision's 30 days run from its service, the day it is signed: served
    # Friday, December 4, due Sunday, January 3, 2027, so Monday, January 4.
    written = {"decision_date": "2026-11-27", "decision_form": "written"}
    assert merge_values(template, FACTS, written, date(2026, 12, 4))["appeal_due"] == (
        "January 4, 2027"
    )
    # Never served before it is decided: from the decision, Sunday December 27 -> Monday.
    assert merge_values(template, FACTS, written, date(2026, 11, 20))["appeal_due"] == (
        "December 28, 2026"
    )
    undated = merge_values(template, FACTS, {}, TODAY)
    assert (undated["vd_bond_due"], undated["appeal_due"], undated["removal_destination"]) == (
        "",
        "",
        "",
    )
    # A bond decision counts from its custody decision date.
    custody = merge_values(
        template_for("bond_order"), FACTS, {"custody_decision_date": "2026-11-23"}, TODAY
    )
    assert custody["appeal_due"] == "December 23, 2026"
    # INA § 240(b)(5)(C)(i): 180 days to move to rescind an in absentia order.
    in_absentia = template_for("in_absentia_order")
    assert (
        merge_values(in_absentia, FACTS, {"decision_date": "2026-11-27"}, TODAY)[
            "reopen_in_absentia_by"
        ]
        == "May 26, 2027"
    )
    assert merge_values(in_absentia, FACTS, {}, TODAY)["reopen_in_absentia_by"] == ""
    assert "vd_bond_due" not in merge_values(in_absentia, FACTS, {}, TODAY)


def test_business_days_skip_weekends_and_holidays() -> None:
    assert business_days_after(date(2026, 11, 25), 1) == date(2026, 11, 27)
    assert business_days_after(date(2026, 11, 27), 1) == date(2026, 11, 30)
    assert business_days_after(date(2026, 11, 27), 0) == date(2026, 11, 27)


def test_merge_replaces_known_names_and_leaves_unknown_ones() -> None:
    assert merge("{a} and {b} and {A}", {"a": "one"}) == "one and {b} and {A}"


def test_the_clauses_of_an_order_by_place() -> None:
    template = template_for("removal_decision")
    fields = {
        **COMPLETE_FIELDS["removal_decision"],
        "appeal_dhs": "reserved",
        "termination_reason": "ignored: out of play",
        "cat_deferral": "",
    }
    by_place = clauses_by_place(template, FACTS, fields, TODAY)
    assert list(by_place) == ["preamble", "order", "advisal", "appeal", "opinions"]
    values = merge_values(template, FACTS, fields, TODAY)
    expected_order = [
        merge(template.field(k).clauses[str(fields[k])], values)
        for k in ("removability", "disposition", "asylum", "withholding", "cat_withholding")
    ]
    assert by_place["order"] == expected_order
    assert clauses(template, FACTS, fields, TODAY) == expected_order
    assert all("{" not in c for c in by_place["order"])
    assert any("Honduras" in c for c in by_place["order"])
    appeal = by_place["appeal"]
    assert len(appeal) == 3 and appeal[2].startswith("A party that reserved appeal must file")
    assert by_place["opinions"] == [] and by_place["advisal"] == []
    waived = {**COMPLETE_FIELDS["removal_decision"], "appeal_respondent": "waived"}
    assert clauses_by_place(template, FACTS, waived, TODAY)["appeal"][-1] == (
        "Both parties waived appeal: this decision is final."
    )
    # A "*" clause prints for any value.
    board = template_for("board_decision")
    preamble = clauses_by_place(board, FACTS, COMPLETE_FIELDS["board_decision"], TODAY)["preamble"]
    assert preamble == [
        merge(
            board.field("decision_below_date").clauses["*"],
            merge_values(board, FACTS, COMPLETE_FIELDS["board_decision"], TODAY),
        )
    ]
    assert "November 20, 2026" in preamble[0]


def test_a_clause_prints_only_for_a_value_of_a_field_in_play() -> None:
    # A condition on a free-text field names the value it waits for as written.
    t = parse_template(
        {
            **_MINIMAL,
            "fields": [
                {"key": "plea", "label": "Plea", "type": "text"},
                {
                    "key": "reason",
                    "label": "Reason",
                    "type": "text",
                    "when": {"field": "plea", "in": ["guilty"]},
                    "clauses": {"*": "Because {reason}."},
                },
            ],
        }
    )
    out_of_play = {"plea": "innocent", "reason": "x"}
    assert [str(p) for p in check_order(t, out_of_play, "")] == [
        "reason: Reason applies only when Plea is 'guilty': clear it"
    ]
    assert clauses(t, FACTS, out_of_play, TODAY) == []
    assert clauses(t, FACTS, {"plea": "guilty", "reason": ""}, TODAY) == []
    assert clauses(t, FACTS, {"plea": "guilty"}, TODAY) == []
    assert clauses(t, FACTS, {"plea": "guilty", "reason": "x"}, TODAY) == ["Because x."]


def test_a_field_applies_only_while_the_field_it_depends_on_applies() -> None:
    template = template_for("removal_decision")
    bond = template.field("vd_bond")
    assert applies(template, template.field("asylum"), {})
    assert not applies(template, bond, {"voluntary_departure": "denied"})
    assert applies(template, bond, {"voluntary_departure": "granted"})
    frivolous_date = template.field("frivolous_notice_date")
    # The finding applies only to a denied asylum application: a leftover finding does not
    # bring its date into play.
    assert not applies(template, frivolous_date, {"frivolous_finding": "made", "asylum": "granted"})
    assert applies(template, frivolous_date, {"frivolous_finding": "made", "asylum": "denied"})
    any_value = Condition("x")
    assert any_value.holds({"x": "y"}) and not any_value.holds({"x": " "})
    assert not Condition("x", ("1",)).holds({}) and Condition("x", ("1",)).holds({"x": 1})


# --- drafts and defaults ---------------------------------------------------------------------


def test_a_new_draft_starts_from_the_courts_date_and_nothing_decided() -> None:
    template = template_for("removal_decision")
    fields = default_fields(template, FACTS, TODAY)
    outcomes = [f.key for f in template.fields if f.kind == "outcome"]
    assert fields == {
        **{k: "not_applied" for k in outcomes},
        "decision_date": "2026-11-27",
        "decision_form": "oral",
    }
    # The civil penalty's $3,000 comes once voluntary departure is granted (8 C.F.R.
    # § 1240.26(j)).
    assert field_default(template.field("vd_civil_penalty"), FACTS, TODAY) == "3000"
    # A deadline is never typed ahead: the 2026-11 template's "@today+30" starts empty.
    old = template_for("removal_decision", "2026-11")
    assert field_default(old.field("appeal_due"), FACTS, TODAY) is None
    assert "appeal_due" not in default_fields(old, FACTS, TODAY)


def test_the_cases_decision_record_starts_the_fields() -> None:
    template = template_for("removal_decision")
    facts = CaseFacts(
        **{
            **FACTS.__dict__,
            "decision_fields": (
                ("decision_date", "2026-11-20"),
                ("disposition", "removal_ordered"),
                ("asylum", "denied"),
            ),
        }
    )
    fields = default_fields(template, facts, TODAY)
    assert (fields["decision_date"], fields["disposition"], fields["asylum"]) == (
        "2026-11-20",
        "removal_ordered",
        "denied",
    )
    assert fields["withholding"] == "not_applied"


def test_court_address_default_is_the_courts() -> None:
    t = parse_template(
        {
            **_MINIMAL,
            "fields": [
                {"key": "place", "label": "Place", "type": "text", "default": "@court_address"},
                {"key": "odd", "label": "Odd", "type": "text", "default": "@tomorrow"},
                {"key": "fixed", "label": "Fixed", "type": "text", "default": "Courtroom 2"},
                {"key": "none", "label": "None", "type": "text"},
            ],
        }
    )
    assert default_fields(t, FACTS, TODAY) == {
        "place": "100 Montgomery Street, San Francisco, CA",
        "fixed": "Courtroom 2",
    }


def test_a_correction_starts_from_the_order_it_corrects() -> None:
    template = template_for("removal_decision")
    draft = new_draft(template, FACTS, JUDGE, TODAY)
    assert (draft.case_id, draft.judge_id, draft.template, draft.template_version) == (
        CASE,
        JUDGE,
        "removal_decision",
        template.version,
    )
    assert (draft.body, draft.corrects_order_id, draft.status) == (
        template.body,
        None,
        OrderStatus.DRAFT,
    )
    assert new_draft(template, FACTS, JUDGE, TODAY).id != draft.id
    signed = draft.model_copy(
        update={
            "fields": {**COMPLETE_FIELDS["removal_decision"], "cat": "granted"},
            "body": "Corrected text.",
            "status": OrderStatus.SIGNED,
        }
    )
    correction = new_draft(template, FACTS, JUDGE, TODAY, corrects=signed)
    assert correction.corrects_order_id == draft.id and correction.id != draft.id
    assert correction.body == "Corrected text."
    assert correction.fields == COMPLETE_FIELDS["removal_decision"]  # "cat" is no field now
    assert correction.status is OrderStatus.DRAFT


# --- signing and stored orders ---------------------------------------------------------------


def ready_order(**update: Any) -> Order:
    draft = new_draft(template_for("removal_decision"), FACTS, JUDGE, TODAY)
    return draft.model_copy(update={"fields": COMPLETE_FIELDS["removal_decision"], **update})


def test_signing_refuses_an_incomplete_order_with_each_problem() -> None:
    order = ready_order(fields={**COMPLETE_FIELDS["removal_decision"], "appeal_dhs": None})
    with pytest.raises(SigningRefused) as refused:
        sign(order, JUDGE, Role.JUDGE, JUDGE, SIGNED_AT)
    assert refused.value.problems == [Problem("appeal_dhs", "Appeal: DHS is required")]
    assert str(refused.value) == "appeal_dhs: Appeal: DHS is required"
    both = ready_order(
        fields={
            **COMPLETE_FIELDS["removal_decision"],
            "appeal_dhs": None,
            "appeal_respondent": None,
        }
    )
    with pytest.raises(SigningRefused) as two:
        sign(both, JUDGE, Role.JUDGE, JUDGE, SIGNED_AT)
    assert str(two.value) == (
        "appeal_respondent: Appeal: respondent is required; appeal_dhs: Appeal: DHS is required"
    )
    unknown = ready_order(template="poem")
    with pytest.raises(SigningRefused) as no_template:
        sign(unknown, JUDGE, Role.JUDGE, JUDGE, SIGNED_AT)
    assert str(no_template.value) == "no order template 'poem' version '2026-12'"
    done = sign(ready_order(), JUDGE, Role.JUDGE, JUDGE, SIGNED_AT)
    with pytest.raises(SigningRefused) as again:
        sign(done, JUDGE, Role.JUDGE, JUDGE, SIGNED_AT)
    assert again.value.problems == [Problem("", "this order is already signed; correct it instead")]
    with pytest.raises(SigningRefused) as staff:
        sign(ready_order(), JUDGE, Role.CLERK, JUDGE, SIGNED_AT)
    assert staff.value.problems == [
        Problem("", "only the judge of the case signs an order; staff may prepare it, never sign")
    ]


def test_check_record_uses_the_orders_own_template_version() -> None:
    old = ready_order(template_version="2026-11", fields=OLD_REMOVAL)
    assert check_record(old) == []
    assert check_record(ready_order(template_version="1999")) == [
        Problem("", "no order template 'removal_decision' version '1999'")
    ]


def test_a_pushed_order_must_make_sense() -> None:
    signed = sign(ready_order(), JUDGE, Role.JUDGE, JUDGE, SIGNED_AT)
    assert check_order_change(signed, None) is None
    assert check_order_change(ready_order(fields={}), None) is None  # a draft may be unfinished
    assert check_order_change(ready_order(template="poem"), None) == (
        "no order template 'poem' version '2026-12'"
    )
    assert check_order_change(signed.model_copy(update={"signed_at": None}), None) == (
        "a signed order needs its signer and signing time"
    )
    assert check_order_change(signed.model_copy(update={"signed_by": None}), None) == (
        "a signed order needs its signer and signing time"
    )
    unready = signed.model_copy(update={"fields": {**signed.fields, "appeal_dhs": None}})
    assert check_order_change(unready, None) == (
        "the order is not ready to sign — appeal_dhs: Appeal: DHS is required"
    )
    both = unready.model_copy(update={"fields": {**unready.fields, "appeal_respondent": None}})
    assert check_order_change(both, None) == (
        "the order is not ready to sign — appeal_respondent: Appeal: respondent is required; "
        "appeal_dhs: Appeal: DHS is required"
    )
    correction = new_draft(template_for("removal_decision"), FACTS, JUDGE, TODAY, corrects=signed)
    assert check_order_change(correction, signed) is None
    assert check_order_change(correction, correction) == (
        "a correction names another order of the same case"
    )
    other_case = signed.model_copy(update={"case_id": "6f1f8f60-0000-4000-8000-0000000000ff"})
    assert check_order_change(correction, other_case) == (
        "a correction names another order of the same case"
    )
    assert check_order_change(correction, ready_order()) == (
        "only a signed order is corrected; edit the draft instead"
    )


# --- the case's facts from its records -------------------------------------------------------

COURT = {
    "id": "c1",
    "name": "San Francisco Immigration Court",
    "address": "100 Montgomery Street",
    "city": "San Francisco",
    "state": "CA",
    "timezone": "America/Los_Angeles",
}
CASE_RECORD = {
    "id": CASE,
    "a_number": "012345678",
    "respondent_first_name": "Ana",
    "respondent_last_name": "Morales",
    "nationality": "Guatemala",
    "case_type": "removal",
    "charges": ["INA § 212(a)(6)(A)(i)"],
    "judge_id": JUDGE,
}
USERS: Mapping[str, Mapping[str, Any]] = {
    JUDGE: {"display_name": "Immigration Judge Brennan"},
    "p2": {"display_name": "Attorney Okafor"},
}


def appearance(practitioner: str, **changes: Any) -> dict[str, Any]:
    return {"practitioner_id": practitioner, "case_id": CASE, "status": "accepted", **changes}


def test_case_facts_from_the_records() -> None:
    facts = case_facts(
        CASE_RECORD,
        COURT,
        USERS,
        [
            appearance("p2", form="eoir_27", scope="custody_and_bond_only"),
            appearance("p1"),
            appearance("p3", status="pending"),
            appearance("p4", case_id="other"),
            appearance("p5", deleted=True),
        ],
    )
    assert facts == CaseFacts(
        case_id=CASE,
        a_number="012345678",
        respondent_name="Ana Morales",
        nationality="Guatemala",
        case_type="removal",
        charges=("INA § 212(a)(6)(A)(i)",),
        court_name="San Francisco Immigration Court",
        court_address="100 Montgomery Street, San Francisco, CA",
        judge_id=JUDGE,
        judge_name="Immigration Judge Brennan",
        counsel=(
            Counsel(
                "p1",
                "practitioner of record",
                FilingKind.EOIR_28.value,
                AppearanceScope.ALL_PROCEEDINGS.value,
            ),
            Counsel("p2", "Attorney Okafor", "eoir_27", "custody_and_bond_only"),
        ),
        court_timezone="America/Los_Angeles",
        decision_fields=(),
    )


def test_case_facts_without_a_court_or_judge() -> None:
    case = {**CASE_RECORD, "judge_id": None, "charges": None}
    facts = case_facts(case, None, USERS, [appearance("p1", form=None, scope=None)])
    assert (facts.court_name, facts.court_address, facts.court_timezone) == (
        "Immigration Court",
        "",
        "",
    )
    assert (facts.judge_id, facts.judge_name, facts.charges) == (None, "Immigration Judge", ())
    assert facts.counsel == (Counsel("p1", "practitioner of record"),)
    unknown_judge = case_facts(
        {**CASE_RECORD, "judge_id": "nobody"}, {**COURT, "timezone": None}, USERS, []
    )
    assert (unknown_judge.judge_id, unknown_judge.judge_name) == ("nobody", "Immigration Judge")
    assert unknown_judge.court_timezone == ""
    no_charges = case_facts(
        {k: v for k, v in CASE_RECORD.items() if k != "charges"}, COURT, USERS, []
    )
    assert no_charges.charges == ()


def _decision(decided: str, recorded: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"decision {decided} {recorded}")),
        "case_id": CASE,
        "judge_id": JUDGE,
        "form": "oral",
        "decided_on": decided,
        "completion": "removal_ordered",
        "relief_granted": [],
        "removal_country": "Honduras",
        "appeal_reserved_by": ["respondent"],
        "appeal_waived_by": ["dhs"],
        "recorded_at": recorded,
        **changes,
    }


def test_the_latest_decision_of_the_case_starts_an_orders_fields() -> None:
    pleading = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "pleading 1")),
        "case_id": CASE,
        "judge_id": JUDGE,
        "pleaded_on": "2026-10-01",
        "relief_sought": ["asylum", "withholding"],
        "recorded_at": "2026-10-01T16:00:00Z",
    }
    decisions = [
        _decision("2026-11-20", "2026-11-20T17:00:00Z", relief_granted=["withholding"]),
        _decision("2026-11-25", "2026-11-25T17:00:00Z", deleted=True, completion="terminated"),
        _decision("2026-11-26", "2026-11-26T17:00:00Z", case_id="other-case"),
    ]
    facts = case_facts(
        CASE_RECORD,
        COURT,
        USERS,
        [],
        decisions,
        [
            pleading,
            {**pleading, "id": str(uuid.uuid4()), "deleted": True, "relief_sought": ["adjustment"]},
            {
                **pleading,
                "id": str(uuid.uuid4()),
                "case_id": "other-case",
                "relief_sought": ["adjustment"],
            },
        ],
    )
    assert dict(facts.decision_fields) == {
        "decision_date": "2026-11-20",
        "decision_form": "oral",
        "disposition": "removal_ordered",
        "removability": "sustained",
        "removal_country": "Honduras",
        "appeal_respondent": "reserved",
        "appeal_dhs": "waived",
        "asylum": "denied",
        "withholding": "granted",
    }
    assert case_facts(CASE_RECORD, COURT, USERS, [], decisions[1:]).decision_fields == ()


def test_a_counsel_appearance_covers_its_proceeding_only() -> None:
    from common.service import Proceeding

    removal_hearing = Proceeding.MAIN
    assert Counsel("p", "A").appears_in(removal_hearing)
    assert not Counsel("p", "A", scope="nonsense").appears_in(removal_hearing)


def test_signed_at_is_kept_as_given() -> None:
    now = datetime(2026, 11, 27, 18, tzinfo=UTC)
    done = sign(ready_order(), JUDGE, Role.JUDGE, JUDGE, now)
    assert (done.signed_at, done.signed_by, done.status) == (now, JUDGE, OrderStatus.SIGNED)
