"""The checks before signing, the templates as data, and the renderer — pure Python."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from common.enums import Role
from common.order_pdf import page_count, pdf_text, render_order
from common.orders import (
    CaseFacts,
    Counsel,
    SigningRefused,
    check_order,
    current_templates,
    merge_keys,
    new_draft,
    parse_template,
    sign,
    signing_refusal,
    template_for,
)
from common.resources import DataFileError
from tests.orders.helpers import (
    COMPLETE_FIELDS,
    RETIRED_HEARING_NOTICE,
    RETIRED_HEARING_NOTICE_FIELDS,
)

JUDGE = "6f1f8f60-0000-4000-8000-000000000002"
FACTS = CaseFacts(
    case_id="6f1f8f60-0000-4000-8000-000000000001",
    a_number="012345678",
    respondent_name="Ana Morales",
    nationality="Guatemala",
    case_type="removal",
    charges=("INA § 212(a)(6)(A)(i)",),
    court_name="Test Immigration Court",
    court_address="1 Court Plaza, Testville, TX",
    judge_id=JUDGE,
    judge_name="Immigration Judge Brennan",
    counsel=(Counsel("6f1f8f60-0000-4000-8000-000000000003", "Attorney Sam Okafor"),),
)
NOW = datetime(2026, 11, 27, 15, tzinfo=UTC)


def problems(key: str, **changes: Any) -> dict[str, str]:
    retired = (key, "2026-11") == RETIRED_HEARING_NOTICE
    base = RETIRED_HEARING_NOTICE_FIELDS if retired else COMPLETE_FIELDS[key]
    fields = {**base, **changes}
    fields = {k: v for k, v in fields.items() if v is not None}
    template = template_for(*RETIRED_HEARING_NOTICE) if retired else template_for(key)
    found: dict[str, str] = {}
    for p in check_order(template, fields, ""):
        found[p.field] = f"{found[p.field]} | {p.message}" if p.field in found else p.message
    return found


@pytest.mark.parametrize("key", sorted(COMPLETE_FIELDS))
def test_every_template_loads_and_a_complete_order_passes(key: str) -> None:
    assert key in current_templates()
    assert problems(key) == {}


VD_POST = {
    "withholding": "not_applied",
    "withholding_country": None,
    "cat_withholding": "not_applied",
    "cat_withholding_country": None,
    "asylum": "denied",
    "voluntary_departure": "granted",
    "vd_stage": "post_conclusion",
    "disposition": "voluntary_departure",
    "vd_civil_penalty": "3000",
}


def test_voluntary_departure_at_the_conclusion_needs_its_date_and_a_500_dollar_bond() -> None:
    # INA § 240B(b)(2), (b)(3); 8 CFR 1240.26(c)(3): at most 60 days, a bond of at least $500.
    found = problems("removal_decision", **VD_POST)
    assert found["vd_depart_by"] == (
        "Depart by is required when Voluntary departure (INA § 240B) is 'Granted'"
    )
    assert found["vd_bond"].startswith("Voluntary departure bond (USD) is required")
    found = problems(
        "removal_decision", **VD_POST, vd_depart_by="2027-01-27", vd_bond="250"
    )  # 61 days after November 27, 2026
    assert "1 to 60 days" in found["vd_depart_by"] and "January 26, 2027" in found["vd_depart_by"]
    assert "$500" in found["vd_bond"]
    assert problems("removal_decision", **VD_POST, vd_depart_by="2027-01-26", vd_bond="500") == {}


def test_voluntary_departure_before_the_conclusion_allows_120_days_and_needs_appeal_waived() -> (
    None
):
    # INA § 240B(a)(2)(A): at most 120 days; 8 CFR 1240.26(b)(1)(i)(B), (D): every other
    # application withdrawn and appeal of all issues waived.
    pre = {**VD_POST, "vd_stage": "pre_conclusion", "vd_depart_by": "2027-03-27"}  # 120 days
    found = problems("removal_decision", **pre)
    assert "waive appeal of all issues" in found["appeal_respondent"]
    assert "withdrawn" in found["vd_stage"] and "asylum" in found["vd_stage"]
    assert "vd_bond" not in found and "vd_depart_by" not in found
    fixed = {**pre, "asylum": "withdrawn", "appeal_respondent": "waived"}
    assert problems("removal_decision", **fixed) == {}
    late = problems("removal_decision", **{**fixed, "vd_depart_by": "2027-03-28"})
    assert "1 to 120 days" in late["vd_depart_by"]


def test_a_value_for_a_field_that_does_not_apply_is_refused() -> None:
    found = problems("removal_decision", vd_bond="500")
    assert found == {
        "vd_bond": "Voluntary departure bond (USD) applies only when Voluntary departure "
        "(INA § 240B) is 'Granted': clear it"
    }


def test_granted_status_and_removal_are_inconsistent() -> None:
    found = problems(
        "removal_decision", asylum="granted", withholding="not_applied", withholding_country=None
    )
    assert "removal can't be ordered" in found["disposition"]
    found = problems(
        "removal_decision",
        withholding="denied",
        disposition="relief_granted",
        removal_country=None,
        alternate_country=None,
    )
    assert "needs asylum, cancellation" in found["disposition"]
    found = problems("removal_decision", removability="not_sustained")
    assert "choose 'Proceedings terminated'" in found["disposition"]


def test_protection_without_a_removal_order_is_refused() -> None:
    # Matter of I-S- & C-S-, 24 I&N Dec. 432 (BIA 2008): withholding comes with an
    # explicit order of removal.
    found = problems(
        "removal_decision",
        withholding="not_applied",
        withholding_country=None,
        cat_withholding="granted",
        disposition="terminated",
        termination_reason="x",
        removal_country=None,
        alternate_country=None,
    )
    assert (
        "withholding of removal under the Convention Against Torture granted"
        in (found["disposition"])
    )


def test_motion_bond_and_notice_rules() -> None:
    assert "adjournment code" in problems("motion_order", adjournment_code=None)["adjournment_code"]
    venue = problems(
        "motion_order",
        motion="change_of_venue",
        adjournment_code=None,
        next_hearing=None,
    )
    assert venue == {"new_court": "name the court the case moves to"}
    # 8 CFR 1003.20(b): venue changes only on a party's motion.
    own_motion = problems(
        "motion_order",
        motion="change_of_venue",
        movant="court",
        adjournment_code=None,
        next_hearing=None,
        new_court="Los Angeles Immigration Court",
    )
    assert list(own_motion) == ["movant"] and "1003.20(b)" in own_motion["movant"]
    assert "$1,500" in problems("bond_order", amount="900")["amount"]
    assert (
        "applies only when Decision is 'Bond lowered: release on a lower bond' or 'Bond raised'"
        in problems("bond_order", decision="no_change")["amount"]
    )
    assert "No change: request denied" in problems("bond_order", amount="15000")["amount"]
    late = problems("hearing_notice", hearing_date="2026-11-01")
    assert late == {"hearing_date": "the hearing must be after the date of the notice"}


def test_bad_values_are_named_with_what_to_type() -> None:
    found = problems(
        "hearing_notice", hearing_time="9.30am", hearing_date="next week", medium="fax"
    )
    assert found["hearing_time"].endswith("must be a time as HH:MM (24-hour)")
    assert found["hearing_date"].endswith("must be a date (YYYY-MM-DD)")
    assert "must be one of: In person" in found["medium"]
    bond = template_for("bond_order")
    stray = check_order(bond, {**COMPLETE_FIELDS["bond_order"], "colour": "red"}, "")
    assert [(p.field, p.message) for p in stray] == [
        (
            "colour",
            "is not a field of 'Order of the Immigration Judge with respect to custody (bond)'",
        )
    ]
    body = check_order(bond, COMPLETE_FIELDS["bond_order"], "Hi {nickname}")
    assert [(p.field, p.message) for p in body] == [
        ("body", "unknown merge fields in the text: nickname")
    ]


def test_a_template_naming_an_unknown_merge_field_or_rule_is_refused() -> None:
    folder = Path(__file__).resolve().parents[2] / "resources" / "order_templates"
    data = json.loads((folder / "bond_order.json").read_text())
    with pytest.raises(DataFileError, match="unknown merge fields"):
        parse_template({**data, "body": "Dear {respondent_nickname}"})
    with pytest.raises(DataFileError, match="unknown rules"):
        parse_template({**data, "rules": ["be_nice"]})
    assert "respondent_name" in merge_keys(parse_template(data))


def test_only_the_cases_judge_signs_and_only_a_complete_order() -> None:
    template = template_for("removal_decision")
    draft = new_draft(template, FACTS, JUDGE, date(2026, 11, 27))
    with pytest.raises(SigningRefused) as incomplete:
        sign(draft, JUDGE, Role.JUDGE, JUDGE, NOW)
    assert {p.field for p in incomplete.value.problems} == {
        "removability",
        "disposition",
        "appeal_respondent",
        "appeal_dhs",
    }
    ready = draft.model_copy(update={"fields": COMPLETE_FIELDS["removal_decision"]})
    with pytest.raises(SigningRefused, match="staff may prepare it, never sign"):
        sign(ready, JUDGE, Role.CLERK, JUDGE, NOW)
    with pytest.raises(SigningRefused, match="this case is before another judge"):
        sign(ready, JUDGE, Role.JUDGE, "someone-else", NOW)
    with pytest.raises(SigningRefused, match="drafted for another judge"):
        sign(ready.model_copy(update={"judge_id": "someone-else"}), JUDGE, Role.JUDGE, JUDGE, NOW)
    done = sign(ready, JUDGE, Role.JUDGE, JUDGE, NOW)
    assert (done.status.value, done.signed_by, done.signed_at) == ("signed", JUDGE, NOW)
    with pytest.raises(SigningRefused, match="already signed"):
        sign(done, JUDGE, Role.JUDGE, JUDGE, NOW)


def test_the_pdf_is_deterministic_numbered_and_escapes_markup() -> None:
    template = template_for("removal_decision")
    long_text = "\n\n".join(f"Finding {n}: the evidence was considered." for n in range(120))
    body = "<script>alert(1)</script> **Findings.**\n\n" + long_text
    order = new_draft(template, FACTS, JUDGE, date(2026, 11, 27)).model_copy(
        update={"fields": COMPLETE_FIELDS["removal_decision"], "body": body}
    )
    signed = sign(order, JUDGE, Role.JUDGE, JUDGE, NOW)
    first, second = render_order(template, signed, FACTS), render_order(template, signed, FACTS)
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    pages = page_count(first)
    text = pdf_text(first)
    assert pages > 1 and f"Page {pages} of {pages}" in text and f"Page 1 of {pages}" in text
    assert "<script>alert(1)</script>" in text  # shown as text, never markup
    assert "A012-345-678" in text and "Finding 119" in text
    draft_text = pdf_text(render_order(template, order, FACTS, today=date(2026, 11, 27)))
    assert "DRAFT - NOT SIGNED" in draft_text and "Electronically signed" not in draft_text


def test_merged_case_data_is_literal_text_in_the_judges_markdown() -> None:
    template = template_for("bond_order")
    odd = CaseFacts(**{**FACTS.__dict__, "respondent_name": "Ana *Star* O_Brien <b>"})
    order = new_draft(template, odd, JUDGE, date(2026, 11, 27)).model_copy(
        update={"fields": COMPLETE_FIELDS["bond_order"], "body": "Respondent: {respondent_name}"}
    )
    text = pdf_text(render_order(template, order, odd, today=date(2026, 11, 27)))
    assert "Respondent: Ana *Star* O_Brien <b>" in text


@pytest.mark.parametrize(
    ("signer_role", "case_judge", "order_judge", "refusal"),
    [
        (Role.JUDGE, JUDGE, JUDGE, None),
        (Role.CLERK, JUDGE, JUDGE, "staff may prepare it, never sign"),
        (Role.COURT_ADMIN, JUDGE, JUDGE, "staff may prepare it, never sign"),
        (Role.BOARD_MEMBER, JUDGE, JUDGE, "staff may prepare it, never sign"),
        (Role.JUDGE, "another-judge", JUDGE, "this case is before another judge"),
        (Role.JUDGE, None, JUDGE, "this case is before another judge"),
        (Role.JUDGE, JUDGE, "another-judge", "drafted for another judge"),
    ],
)
def test_the_signing_rule(
    signer_role: Role, case_judge: str | None, order_judge: str, refusal: str | None
) -> None:
    """The one signing rule (the desktop's sign() and the server's policy both ask it)."""
    said = signing_refusal(JUDGE, signer_role, order_judge, case_judge)
    if refusal is None:
        assert said is None
    else:
        assert said is not None and refusal in said
        assert said.startswith("only the judge of the case signs an order; ")
