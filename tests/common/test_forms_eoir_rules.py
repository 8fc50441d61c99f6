"""The intake rules of the EOIR forms as filed through the portal, each with its source."""

from __future__ import annotations

from datetime import date

from common.enums import FilingKind
from common.forms_eoir import (
    PAPER_ONLY,
    validate_appearance,
    validate_notice_to_appear,
)

TODAY = date(2026, 12, 7)
ATTORNEY = {
    "respondent_first_name": "Ana",
    "respondent_last_name": "Tester",
    "a_number": "A200-095-028",
    "respondent_street": "22 Mission St",
    "respondent_city": "San Francisco",
    "respondent_state": "CA",
    "respondent_zip": "94103",
    "scope": "all_proceedings",
    "category": "attorney",
    "bar_jurisdiction_0": "Supreme Court of California",
    "bar_number_0": "123456",
    "not_subject_to_discipline": "yes",
    "eoir_id": "AB123456",
    "street": "100 Market St",
    "city": "San Francisco",
    "state": "CA",
    "zip": "94105",
    "phone": "415-555-0100",
    "email": "dana@example.org",
    "declaration": "yes",
    "respondent_consent": "yes",
    "service_date": "2026-12-07",
    "service_method": "electronic",
    "served_party": "DHS",
    "served_address": "100 Montgomery St, San Francisco, CA 94104",
    "signature": "/s/ Dana Reyes",
}


def test_reputable_individuals_and_students_do_not_e_file_an_appearance() -> None:
    # 8 CFR 1292.1(a)(2)-(3); e-filing is for registered attorneys and accredited
    # representatives (8 CFR 1292.1(f), 1003.31(a)).
    for category, extra in (
        ("law_student", {"supervising_attorney": "Dana Reyes"}),
        ("reputable_individual", {"reputable_statement": "Her pastor; unpaid."}),
        ("accredited_official", {}),
    ):
        form, errors = validate_appearance(
            FilingKind.EOIR_28, ATTORNEY | {"category": category} | extra, TODAY
        )
        assert form is None and errors["category"] == PAPER_ONLY, category
    # On paper the same form is checked for what its category needs, not refused.
    _, errors = validate_appearance(
        FilingKind.EOIR_28, ATTORNEY | {"category": "law_student"}, TODAY, electronic=False
    )
    assert "category" not in errors and "supervising_attorney" in errors


def test_the_discipline_statement_admits_the_explained_alternative() -> None:
    # Form EOIR-28: not subject to an order restricting practice, or (box unticked) explain.
    unticked = ATTORNEY | {"not_subject_to_discipline": ""}
    form, errors = validate_appearance(FilingKind.EOIR_28, unticked, TODAY)
    assert form is None and "explain the order" in errors["not_subject_to_discipline"]
    explained = unticked | {"discipline_explanation": "Suspended in Nevada until 2025; lifted."}
    form, errors = validate_appearance(FilingKind.EOIR_28, explained, TODAY)
    assert errors == {} and form is not None
    assert not form.not_subject_to_discipline and form.discipline_explanation.startswith("Susp")


NTA = {
    "a_number": "A200-095-029",
    "respondent_first_name": "Amara",
    "respondent_last_name": "Okafor",
    "nationality": "Nigeria",
    "language": "Igbo",
    "custody": "never_detained",
    "charges": "INA 212(a)(6)(A)(i)",
    "served_on": "2026-12-01",
    "court_id": "court-1",
}


def test_a_notice_to_appear_opens_removal_proceedings_only() -> None:
    # 8 CFR 1239.1(a): a notice to appear commences removal proceedings.
    checked, errors = validate_notice_to_appear(NTA, TODAY)
    assert checked is not None and errors == {}
    for other in ("bond", "credible_fear_review", "asylum_only", "withholding_only", "rescission"):
        checked, errors = validate_notice_to_appear(NTA | {"case_type": other}, TODAY)
        assert checked is None and "opens removal proceedings only" in errors["case_type"], other
