"""common.forms_eoir: what each form refuses, by field and in the words the filer reads.

The forms are the EOIR-28 and EOIR-27 (appearance), the EOIR-33 (change of address) and
the notice to appear (Form I-862) as the portal takes them; the messages are shown beside
the field at fault, so each is asserted whole."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from common.anumber import parse_a_number
from common.enums import AppearanceScope, CaseType, Custody, FilingKind
from common.forms_eoir import (
    PAPER_ONLY,
    AppearanceForm,
    PractitionerCategory,
    check_filed_appearance,
    nta_case_type_refusal,
    validate_appearance,
    validate_change_of_address,
    validate_notice_to_appear,
)
from tests.common.test_forms_eoir_rules import ATTORNEY, NTA, TODAY

REQUIRED = "This field is required."
FORMAT = "This is not in the expected format."
E28 = FilingKind.EOIR_28
E27 = FilingKind.EOIR_27


def _appearance(kind: FilingKind = E28, **changes: str) -> tuple[Any, dict[str, str]]:
    return validate_appearance(kind, ATTORNEY | changes, TODAY)


def test_a_complete_attorney_s_form() -> None:
    form, errors = _appearance()
    assert errors == {}
    assert isinstance(form, AppearanceForm)
    assert form.kind is E28 and form.category is PractitionerCategory.ATTORNEY
    assert form.primary is True
    assert form.declaration and form.respondent_consent and form.not_subject_to_discipline
    assert [(b.jurisdiction, b.bar_number) for b in form.bar_admissions] == [
        ("Supreme Court of California", "123456")
    ]
    stored = form.as_filing_form()
    assert stored["kind"] == "eoir_28" and stored["service_date"] == "2026-12-07"
    assert stored["bar_admissions"] == [
        {"jurisdiction": "Supreme Court of California", "bar_number": "123456"}
    ]
    assert check_filed_appearance(E28, stored, TODAY) == (form, {})


def test_a_form_for_a_second_attorney_is_not_the_primary() -> None:
    form, _ = _appearance(primary="non_primary")
    assert form is not None and form.primary is False


def test_bar_admissions_from_numbered_pairs() -> None:
    data = ATTORNEY | {
        "bar_jurisdiction_1": " New York Court of Appeals ",
        "bar_number_1": " 42 ",
        "bar_jurisdiction_19": "D.C. Court of Appeals",
        "bar_number_19": "7",
        "bar_jurisdiction_20": "Beyond the form's twenty rows",
        "bar_number_20": "9",
    }
    form, errors = validate_appearance(E28, data, TODAY)
    assert errors == {} and form is not None
    assert [(b.jurisdiction, b.bar_number) for b in form.bar_admissions] == [
        ("Supreme Court of California", "123456"),
        ("New York Court of Appeals", "42"),
        ("D.C. Court of Appeals", "7"),
    ]


def test_a_bar_admission_needs_both_halves() -> None:
    form, errors = _appearance(bar_number_0="")
    assert form is None
    assert errors == {"bar_admissions": "Each admission needs a court and a number."}


def test_an_attorney_needs_a_bar_admission() -> None:
    form, errors = _appearance(bar_jurisdiction_0="", bar_number_0="")
    assert form is None
    assert errors == {"bar_admissions": "Give at least one court of admission and bar number."}


def test_the_discipline_statement_message() -> None:
    _, errors = _appearance(not_subject_to_discipline="")
    assert errors == {
        "not_subject_to_discipline": (
            "State that no order restricts your practice of law, or, if one does, leave "
            "the box unticked and explain the order below, as the form asks."
        )
    }


def test_each_category_needs_its_own_statement() -> None:
    paper = {"electronic": False}
    cases = [
        (
            "accredited_rep",
            "organization",
            "Name the recognized organization you are accredited with.",
        ),
        (
            "law_student",
            "supervising_attorney",
            "Name the supervising attorney or accredited representative.",
        ),
        (
            "reputable_individual",
            "reputable_statement",
            "State your pre-existing relationship with the respondent and that you receive no pay.",
        ),
    ]
    for category, field, message in cases:
        form, errors = validate_appearance(E28, ATTORNEY | {"category": category}, TODAY, **paper)
        assert form is None and errors == {field: message}, category
        form, errors = validate_appearance(
            E28, ATTORNEY | {"category": category, field: "Given"}, TODAY, **paper
        )
        assert errors == {} and form is not None, category
    # An accredited official needs none of them; nor does an attorney.
    form, errors = validate_appearance(
        E28, ATTORNEY | {"category": "accredited_official"}, TODAY, **paper
    )
    assert errors == {} and form is not None
    # An attorney's form with no bar admission is refused on paper too.
    _, errors = validate_appearance(
        E28, ATTORNEY | {"bar_jurisdiction_0": "", "bar_number_0": ""}, TODAY, **paper
    )
    assert set(errors) == {"bar_admissions"}


def test_an_accredited_representative_e_files() -> None:
    data = ATTORNEY | {"category": "accredited_rep", "organization": "Casa Legal"}
    form, errors = validate_appearance(E28, data, TODAY)
    assert errors == {} and form is not None and form.organization == "Casa Legal"


def test_a_board_appearance_covers_the_whole_appeal() -> None:
    form, errors = _appearance(E27)
    assert errors == {} and form is not None and form.kind is E27
    for scope in ("custody_and_bond_only", "all_except_custody_and_bond"):
        form, errors = _appearance(E27, scope=scope)
        assert form is None
        assert errors == {"scope": "An appearance before the Board covers the whole appeal."}
        form, errors = _appearance(E28, scope=scope)
        assert errors == {} and form is not None and form.scope is AppearanceScope(scope)


def test_the_declaration_consent_and_service_date() -> None:
    _, errors = _appearance(declaration="", respondent_consent="")
    assert errors == {
        "declaration": "Tick the declaration to sign the form.",
        "respondent_consent": "The form needs the respondent's consent.",
    }
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    _, errors = _appearance(service_date=tomorrow)
    assert errors == {"service_date": "The date of service can't be in the future."}
    form, errors = _appearance(service_date=TODAY.isoformat())
    assert errors == {} and form is not None


def test_field_errors_in_the_filer_s_words() -> None:
    form, errors = _appearance(
        respondent_state="California",
        zip="9410",
        phone="call me",
        email="dana at example.org",
        eoir_id="",
        signature=" ",
        a_number="A12",
    )
    assert form is None
    assert errors == {
        "respondent_state": FORMAT,
        "zip": FORMAT,
        "phone": FORMAT,
        "email": FORMAT,
        "eoir_id": REQUIRED,
        "signature": REQUIRED,
        "a_number": errors["a_number"],
    }
    assert errors["a_number"].startswith("The A-number is not valid: ")
    assert errors["a_number"].endswith(".")


def test_a_bad_a_number_alone() -> None:
    form, errors = _appearance(a_number="123")
    assert form is None and list(errors) == ["a_number"]
    assert errors["a_number"].startswith("The A-number is not valid: ")
    with pytest.raises(ValueError, match="is not an appearance form"):
        validate_appearance(FilingKind.DOCUMENT, ATTORNEY, TODAY)


def test_a_filed_appearance_is_held_to_the_portal_s_rules() -> None:
    form, _ = _appearance()
    assert form is not None
    stored = form.as_filing_form()
    assert check_filed_appearance(E27, stored, TODAY) == (
        None,
        {"kind": "The form is not the filing's kind of form."},
    )
    without_kind = {k: v for k, v in stored.items() if k != "kind"}
    parsed, errors = check_filed_appearance(E28, without_kind, TODAY)
    assert errors == {} and parsed == form
    student = stored | {"category": "law_student", "supervising_attorney": "Dana Reyes"}
    assert check_filed_appearance(E28, student, TODAY) == (None, {"category": PAPER_ONLY})
    assert check_filed_appearance(E28, stored | {"declaration": False}, TODAY) == (
        None,
        {"declaration": "Tick the declaration to sign the form."},
    )
    assert check_filed_appearance(E28, stored | {"zip": "x"}, TODAY) == (None, {"zip": FORMAT})
    with pytest.raises(ValueError, match="is not an appearance form"):
        check_filed_appearance(FilingKind.CHANGE_OF_ADDRESS, stored, TODAY)


ADDRESS = {
    "street": "9 Elm St",
    "unit": "Apt 2",
    "city": "Oakland",
    "state": "CA",
    "zip": "94607-1234",
    "phone": "",
    "effective_on": "2026-12-05",
}


def test_change_of_address() -> None:
    form, errors = validate_change_of_address(ADDRESS, TODAY)
    assert errors == {} and form is not None
    assert (form.street, form.unit, form.zip, form.phone) == (
        "9 Elm St",
        "Apt 2",
        "94607-1234",
        None,
    )
    assert form.effective_on == date(2026, 12, 5)
    form, errors = validate_change_of_address(ADDRESS | {"effective_on": "2026-12-07"}, TODAY)
    assert errors == {} and form is not None
    assert validate_change_of_address(ADDRESS | {"effective_on": "2026-12-08"}, TODAY) == (
        None,
        {"effective_on": "File the change once you have moved (not in advance)."},
    )
    assert validate_change_of_address(ADDRESS | {"street": "", "zip": "1"}, TODAY) == (
        None,
        {"street": REQUIRED, "zip": FORMAT},
    )


def test_a_notice_to_appear_as_checked() -> None:
    checked, errors = validate_notice_to_appear(
        NTA | {"charges": "  INA 212(a)(6)(A)(i)\n\n INA 237(a)(1)(B) \n"}, TODAY
    )
    assert errors == {} and checked is not None
    assert checked.a_number == parse_a_number("A200-095-029")
    assert checked.charges == ["INA 212(a)(6)(A)(i)", "INA 237(a)(1)(B)"]
    assert checked.form.case_type is CaseType.REMOVAL
    assert checked.form.has_address is False


def test_a_notice_to_appear_s_refusals() -> None:
    _, errors = validate_notice_to_appear(
        NTA
        | {
            "served_on": "2026-12-08",
            "date_of_birth": "2026-12-07",
            "a_number": "A1",
        },
        TODAY,
    )
    assert errors["served_on"] == "The date of service can't be in the future."
    assert errors["date_of_birth"] == "The date of birth must be in the past."
    assert errors["a_number"].startswith("The A-number is not valid: ")
    assert set(errors) == {"served_on", "date_of_birth", "a_number"}
    # Charges of blank lines only are refused as an empty field.
    _, errors = validate_notice_to_appear(NTA | {"charges": " \n "}, TODAY)
    assert errors == {"charges": REQUIRED}
    checked, errors = validate_notice_to_appear(
        NTA | {"served_on": "2026-12-07", "date_of_birth": "2026-12-06"}, TODAY
    )
    assert errors == {} and checked is not None
    checked, errors = validate_notice_to_appear(NTA | {"a_number": "A1"}, TODAY)
    assert checked is None and list(errors) == ["a_number"]


def test_a_notice_to_appear_s_case_type_message() -> None:
    _, errors = validate_notice_to_appear(NTA | {"case_type": "bond"}, TODAY)
    refusal = nta_case_type_refusal(CaseType.BOND)
    assert refusal is not None and refusal.startswith("a notice to appear (Form I-862)")
    assert errors == {"case_type": "A" + refusal[1:] + "."}
    assert nta_case_type_refusal(CaseType.REMOVAL) is None


def test_a_notice_to_appear_missing_fields() -> None:
    checked, errors = validate_notice_to_appear(
        {k: v for k, v in NTA.items() if k != "nationality"} | {"a_number": "bad"}, TODAY
    )
    assert checked is None
    assert errors["nationality"] == REQUIRED
    assert errors["a_number"].startswith("The A-number is not valid: ")


WHOLE = {
    "respondent_street": "1 Main St",
    "respondent_city": "Houston",
    "respondent_state": "TX",
    "respondent_zip": "77002",
}


def test_a_notice_to_appear_s_address_is_whole_or_absent() -> None:
    checked, errors = validate_notice_to_appear(NTA | WHOLE, TODAY)
    assert errors == {} and checked is not None and checked.form.has_address
    whole = "Give the whole address, or leave all of it empty."
    for part in WHOLE:
        _, errors = validate_notice_to_appear(NTA | WHOLE | {part: ""}, TODAY)
        assert errors == {part: whole}, part
    _, errors = validate_notice_to_appear(NTA | {"respondent_city": "Houston"}, TODAY)
    assert errors == {
        "respondent_street": whole,
        "respondent_state": whole,
        "respondent_zip": whole,
    }
    _, errors = validate_notice_to_appear(
        NTA | WHOLE | {"respondent_state": "Tex", "respondent_zip": "7700"}, TODAY
    )
    assert errors == {
        "respondent_state": "Two letters, e.g. CA.",
        "respondent_zip": "Five digits, or five and four (12345-6789).",
    }
    checked, errors = validate_notice_to_appear(
        NTA | WHOLE | {"respondent_state": "tx", "respondent_zip": "77002-1234"}, TODAY
    )
    assert errors == {} and checked is not None


def test_a_detained_respondent_s_address_names_the_facility() -> None:
    detained = NTA | WHOLE | {"custody": "detained"}
    _, errors = validate_notice_to_appear(detained, TODAY)
    assert errors == {"facility": "Name the detention facility where the respondent is held."}
    checked, errors = validate_notice_to_appear(
        detained | {"facility": "Houston Contract Detention Facility"}, TODAY
    )
    assert errors == {} and checked is not None and checked.form.custody is Custody.DETAINED
    checked, errors = validate_notice_to_appear(NTA | {"custody": "detained"}, TODAY)
    assert errors == {} and checked is not None


def test_a_missing_a_number_is_a_required_field() -> None:
    form, errors = _appearance(a_number="", zip="x")
    assert form is None
    assert errors == {"a_number": REQUIRED, "zip": FORMAT}
    checked, errors = validate_notice_to_appear(NTA | {"a_number": "", "nationality": ""}, TODAY)
    assert checked is None
    assert errors == {"a_number": REQUIRED, "nationality": REQUIRED}


def test_a_ticked_box_counts_whatever_value_the_browser_posts() -> None:
    # A checkbox is present in the post when ticked, with the value its page gave it.
    form, errors = _appearance(
        declaration="I agree", respondent_consent="ticked", not_subject_to_discipline="confirmed"
    )
    assert errors == {} and form is not None
    assert form.declaration and form.respondent_consent and form.not_subject_to_discipline


def test_a_value_of_the_wrong_kind_is_refused_in_pydantic_s_words() -> None:
    form, errors = _appearance(service_method="fax", service_date="next week")
    assert form is None
    assert set(errors) == {"service_method", "service_date"}
    assert errors["service_method"] == "Input should be 'electronic', 'mail' or 'in_person'"
    assert errors["service_date"].startswith("Input should be a valid date")


def test_the_case_type_refusal_in_full() -> None:
    assert nta_case_type_refusal(CaseType.ASYLUM_ONLY) == (
        "a notice to appear (Form I-862) opens removal proceedings only (8 CFR 1239.1(a)); "
        "a credible fear review, asylum-only or withholding-only case comes on Form I-863 "
        "(Notice of Referral to Immigration Judge), a bond case on a request for custody "
        "redetermination, rescission on a notice of intent to rescind: file those on paper "
        "with the court"
    )
