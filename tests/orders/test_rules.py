"""The checks before signing, the templates as data, and the renderer — pure Python."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

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
    template_for,
)
from common.resources import DataFileError
from tests.orders.helpers import COMPLETE_FIELDS

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
    fields = {**COMPLETE_FIELDS[key], **changes}
    fields = {k: v for k, v in fields.items() if v is not None}
    return {p.field: p.message for p in check_order(template_for(key), fields, "")}


@pytest.mark.parametrize("key", sorted(COMPLETE_FIELDS))
def test_every_template_loads_and_a_complete_order_passes(key: str) -> None:
    assert key in current_templates()
    assert problems(key) == {}


def test_voluntary_departure_needs_its_date_and_bond() -> None:
    found = problems(
        "removal_decision",
        voluntary_departure="granted",
        disposition="voluntary_departure",
        withholding="not_applied",
    )
    assert found["vd_depart_by"].startswith("Depart by is required when Voluntary departure")
    assert found["vd_bond"].startswith("Voluntary departure bond (USD) is required")
    found = problems(
        "removal_decision",
        voluntary_departure="granted",
        disposition="voluntary_departure",
        withholding="not_applied",
        vd_depart_by="2027-06-30",
        vd_bond="250",
    )
    assert "1 to 120 days" in found["vd_depart_by"] and "$500" in found["vd_bond"]


def test_granted_status_and_removal_are_inconsistent() -> None:
    found = problems("removal_decision", asylum="granted", disposition="removal_ordered")
    assert "can't also be ordered" in found["disposition"]
    found = problems("removal_decision", withholding="denied", disposition="relief_granted")
    assert "needs asylum, cancellation" in found["disposition"]
    found = problems("removal_decision", removability="not_sustained")
    assert "terminate instead" in found["disposition"]


def test_cat_without_asylum_needs_a_removal_order() -> None:
    found = problems(
        "removal_decision",
        withholding="denied",
        cat="granted",
        disposition="terminated",
        termination_reason="x",
    )
    assert "CAT protection granted without asylum" in found["disposition"]


def test_motion_bond_and_notice_rules() -> None:
    assert "adjournment code" in problems("motion_order", adjournment_code=None)["adjournment_code"]
    venue = problems(
        "motion_order",
        motion="change_of_venue",
        adjournment_code=None,
        next_hearing=None,
    )
    assert venue == {"new_court": "name the court the case moves to"}
    assert "$1,500" in problems("bond_order", amount="900")["amount"]
    assert "only a bond that is granted" in problems("bond_order", decision="denied")["amount"]
    late = problems("hearing_notice", hearing_date="2026-11-01")
    assert late == {"hearing_date": "the hearing must be after the date of the notice"}


def test_bad_values_are_named_with_what_to_type() -> None:
    found = problems(
        "hearing_notice", hearing_time="9.30am", hearing_date="next week", medium="fax"
    )
    assert found["hearing_time"].endswith("must be a time as HH:MM (24-hour)")
    assert found["hearing_date"].endswith("must be a date (YYYY-MM-DD)")
    assert "must be one of: In person" in found["medium"]
    stray = check_order(template_for("bond_order"), {"decision": "denied", "colour": "red"}, "")
    assert [(p.field, p.message) for p in stray] == [
        ("colour", "is not a field of 'Order of the Immigration Judge on custody (bond)'")
    ]
    body = check_order(template_for("bond_order"), {"decision": "denied"}, "Hi {nickname}")
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
        sign(draft, JUDGE, "judge", JUDGE, NOW)
    assert {p.field for p in incomplete.value.problems} == {"removability", "disposition"}
    ready = draft.model_copy(update={"fields": COMPLETE_FIELDS["removal_decision"]})
    with pytest.raises(SigningRefused, match="only the immigration judge"):
        sign(ready, JUDGE, "clerk", JUDGE, NOW)
    with pytest.raises(SigningRefused, match="judge assigned to this case"):
        sign(ready, JUDGE, "judge", "someone-else", NOW)
    done = sign(ready, JUDGE, "judge", JUDGE, NOW)
    assert (done.status.value, done.signed_by, done.signed_at) == ("signed", JUDGE, NOW)
    with pytest.raises(SigningRefused, match="already signed"):
        sign(done, JUDGE, "judge", JUDGE, NOW)


def test_the_pdf_is_deterministic_numbered_and_escapes_markup() -> None:
    template = template_for("removal_decision")
    long_text = "\n\n".join(f"Finding {n}: the evidence was considered." for n in range(120))
    body = "<script>alert(1)</script> **Findings.**\n\n" + long_text
    order = new_draft(template, FACTS, JUDGE, date(2026, 11, 27)).model_copy(
        update={"fields": COMPLETE_FIELDS["removal_decision"], "body": body}
    )
    signed = sign(order, JUDGE, "judge", JUDGE, NOW)
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
