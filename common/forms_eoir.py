"""The appearance forms (EOIR-28 before an immigration court, EOIR-27 before the Board of
Immigration Appeals), the change-of-address form (EOIR-33) and the notice to appear as
filed through the portal: their fields, and validation that names the field at fault.

A validated form is stored as a filing's ``form`` dict (``AppearanceForm.as_filing_form``);
the clerk's review reads ``scope`` and ``primary`` from it to make the appearance.
Pure Python: the portal and the desktop review both use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from common.anumber import ANumberError, parse_a_number
from common.enums import AppearanceScope, CaseType, Custody, DocumentType, FilingKind

Required = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Optional = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
State = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$")]
Zip = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{5}(-\d{4})?$")]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9+()\-. ]{7,25}$")]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.\w+$")
]


class PractitionerCategory(StrEnum):
    """Who may appear (8 CFR 1292.1), as the forms ask it."""

    ATTORNEY = "attorney"
    ACCREDITED_REP = "accredited_rep"
    LAW_STUDENT = "law_student"
    REPUTABLE_INDIVIDUAL = "reputable_individual"
    ACCREDITED_OFFICIAL = "accredited_official"


# Who may file an appearance form electronically: attorneys and accredited representatives,
# who register with EOIR to practise (8 CFR 1292.1(f)) and must file electronically (8 CFR
# 1003.31(a)). A law student or graduate, a reputable individual or an accredited foreign
# official (8 CFR 1292.1(a)(2), (3), (5)) has no registration through this portal and
# enters an appearance on a paper form at the court.
EFILING_CATEGORIES = (PractitionerCategory.ATTORNEY, PractitionerCategory.ACCREDITED_REP)
PAPER_ONLY = (
    "Law students and graduates, reputable individuals and accredited officials appear on a "
    "paper form filed with the court (8 CFR 1292.1(a)(2)-(5)); e-filing here is for attorneys "
    "and accredited representatives registered with EOIR (8 CFR 1292.1(f), 1003.31(a))."
)

CATEGORY_LABELS = {
    PractitionerCategory.ATTORNEY: "Attorney in good standing",
    PractitionerCategory.ACCREDITED_REP: "Accredited representative of a recognized organization",
    PractitionerCategory.LAW_STUDENT: "Law student or law graduate (supervised)",
    PractitionerCategory.REPUTABLE_INDIVIDUAL: "Reputable individual",
    PractitionerCategory.ACCREDITED_OFFICIAL: "Accredited official of a foreign government",
}

SCOPE_LABELS = {
    AppearanceScope.ALL_PROCEEDINGS: "All proceedings",
    AppearanceScope.CUSTODY_AND_BOND_ONLY: "Custody and bond proceedings only",
    AppearanceScope.ALL_EXCEPT_CUSTODY_AND_BOND: "All proceedings except custody and bond",
}


class ServiceMethod(StrEnum):
    ELECTRONIC = "electronic"
    MAIL = "mail"
    IN_PERSON = "in_person"


FieldErrors = dict[str, str]


def field_errors(err: ValidationError) -> FieldErrors:
    """Pydantic's errors as ``{field: message}`` (the first message per field)."""
    out: FieldErrors = {}
    for e in err.errors(include_url=False, include_input=False):
        name = ".".join(str(p) for p in e["loc"]) or "form"
        message = str(e["msg"])
        if e["type"] == "string_pattern_mismatch":
            message = "This is not in the expected format."
        elif e["type"] in ("missing", "string_too_short"):
            message = "This field is required."
        out.setdefault(name, message.removeprefix("Value error, "))
    return out


class BarAdmission(BaseModel):
    model_config = ConfigDict(frozen=True)
    jurisdiction: Required  # the highest court of a state, or a federal court
    bar_number: Required


class _Base(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class AppearanceForm(_Base):
    """EOIR-28 or EOIR-27 as submitted (one model; ``kind`` tells which)."""

    kind: FilingKind
    respondent_first_name: Required
    respondent_last_name: Required
    a_number: str
    respondent_street: Required
    respondent_city: Required
    respondent_state: State
    respondent_zip: Zip
    scope: AppearanceScope = AppearanceScope.ALL_PROCEEDINGS
    category: PractitionerCategory
    bar_admissions: list[BarAdmission] = Field(default_factory=list, max_length=20)
    # Form EOIR-28 (and EOIR-27), attorney eligibility: "I am not subject to any order
    # disbarring, suspending, enjoining, restraining or otherwise restricting me in the
    # practice of law"; an attorney who is leaves the box unticked and explains the order.
    not_subject_to_discipline: bool = False
    discipline_explanation: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=2000)
    ] = ""
    organization: Optional = ""
    supervising_attorney: Optional = ""
    reputable_statement: Optional = ""
    primary: bool = True
    eoir_id: Required
    firm: Optional = ""
    street: Required
    city: Required
    state: State
    zip: Zip
    phone: Phone
    email: Email
    declaration: bool = False
    respondent_consent: bool = False
    service_date: date
    service_method: ServiceMethod
    served_party: Required
    served_address: Required
    signature: Required

    def as_filing_form(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _check_appearance(form: AppearanceForm, today: date) -> FieldErrors:
    errors: FieldErrors = {}
    try:
        parse_a_number(form.a_number)
    except ANumberError as err:
        errors["a_number"] = f"The A-number is not valid: {err}."
    if form.category is PractitionerCategory.ATTORNEY:
        if not form.bar_admissions:
            errors["bar_admissions"] = "Give at least one court of admission and bar number."
        if not form.not_subject_to_discipline and not form.discipline_explanation:
            errors["not_subject_to_discipline"] = (
                "State that no order restricts your practice of law, or, if one does, leave "
                "the box unticked and explain the order below, as the form asks."
            )
    if form.category is PractitionerCategory.ACCREDITED_REP and not form.organization:
        errors["organization"] = "Name the recognized organization you are accredited with."
    if form.category is PractitionerCategory.LAW_STUDENT and not form.supervising_attorney:
        errors["supervising_attorney"] = (
            "Name the supervising attorney or accredited representative."
        )
    if form.category is PractitionerCategory.REPUTABLE_INDIVIDUAL and not form.reputable_statement:
        errors["reputable_statement"] = (
            "State your pre-existing relationship with the respondent and that you receive no pay."
        )
    if form.kind is FilingKind.EOIR_27 and form.scope is not AppearanceScope.ALL_PROCEEDINGS:
        errors["scope"] = "An appearance before the Board covers the whole appeal."
    if not form.declaration:
        errors["declaration"] = "Tick the declaration to sign the form."
    if not form.respondent_consent:
        errors["respondent_consent"] = "The form needs the respondent's consent."
    if form.service_date > today:
        errors["service_date"] = "The date of service can't be in the future."
    return errors


def validate_appearance(
    kind: FilingKind, data: Mapping[str, Any], today: date, *, electronic: bool = True
) -> tuple[AppearanceForm | None, FieldErrors]:
    """Parse and check an appearance form; returns the form or the errors by field.

    ``data`` holds strings as a browser posts them (checkboxes are present when ticked);
    ``bar_jurisdiction_N`` / ``bar_number_N`` pairs make the bar admissions. A form filed
    ``electronically`` (through the portal) must come from an attorney or an accredited
    representative (:data:`EFILING_CATEGORIES`)."""
    if kind not in (FilingKind.EOIR_28, FilingKind.EOIR_27):
        raise ValueError(f"{kind} is not an appearance form")
    values: dict[str, Any] = {k: v for k, v in data.items() if v != ""}
    values["kind"] = kind
    for box in ("declaration", "respondent_consent", "not_subject_to_discipline"):
        values[box] = bool(data.get(box))
    values["primary"] = data.get("primary", "primary") == "primary"
    values["bar_admissions"] = _bar_rows(data)
    try:
        form = AppearanceForm.model_validate(values)
    except ValidationError as err:
        errors = field_errors(err)
        for name in list(errors):
            if name.startswith("bar_admissions."):
                errors.setdefault("bar_admissions", "Each admission needs a court and a number.")
                del errors[name]
        if "a_number" not in errors:
            _a_number_error(str(data.get("a_number", "")), errors)
        return None, errors
    errors = _check_appearance(form, today)
    if electronic and form.category not in EFILING_CATEGORIES:
        errors["category"] = PAPER_ONLY
    return (None, errors) if errors else (form, {})


def check_filed_appearance(
    kind: FilingKind, form: Mapping[str, Any], today: date
) -> tuple[AppearanceForm | None, FieldErrors]:
    """Check an appearance form as a filing stores it (``AppearanceForm.as_filing_form``,
    or what an API client sends in a filing's ``form``) by the rules the portal's form is
    held to, as filed electronically; returns the form or the errors by field."""
    if kind not in (FilingKind.EOIR_28, FilingKind.EOIR_27):
        raise ValueError(f"{kind} is not an appearance form")
    if form.get("kind", kind.value) != kind.value:
        return None, {"kind": "The form is not the filing's kind of form."}
    try:
        parsed = AppearanceForm.model_validate({**form, "kind": kind})
    except ValidationError as err:
        return None, field_errors(err)
    errors = _check_appearance(parsed, today)
    if parsed.category not in EFILING_CATEGORIES:
        errors["category"] = PAPER_ONLY
    return (None, errors) if errors else (parsed, {})


# What a party (counsel, DHS) files as a document: the portal's list, and the evidence its
# attachments are. Orders, notices of hearing and notices of appearance are the court's own
# documents (a notice of appearance is the EOIR-28/27 filing itself); a notice to appear is
# DHS's alone, filed with the case it opens.
PARTY_DOCUMENT_TYPES = frozenset(
    {
        DocumentType.BRIEF,
        DocumentType.MOTION,
        DocumentType.EVIDENCE,
        DocumentType.APPLICATION_I589,
        DocumentType.COUNTRY_REPORT,
        DocumentType.CORRESPONDENCE,
        DocumentType.OTHER,
    }
)
DHS_DOCUMENT_TYPES = PARTY_DOCUMENT_TYPES | {DocumentType.NOTICE_TO_APPEAR}


def _bar_rows(data: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for index in range(20):
        court = str(data.get(f"bar_jurisdiction_{index}", "")).strip()
        number = str(data.get(f"bar_number_{index}", "")).strip()
        if court or number:
            rows.append({"jurisdiction": court, "bar_number": number})
    return rows


class ChangeOfAddressForm(_Base):
    """EOIR-33: the respondent's new address (due within five days of the move)."""

    street: Required
    unit: Optional = ""  # apartment, suite or floor
    city: Required
    state: State
    zip: Zip
    phone: Phone | None = None
    effective_on: date


def validate_change_of_address(
    data: Mapping[str, Any], today: date
) -> tuple[ChangeOfAddressForm | None, FieldErrors]:
    values = {k: v for k, v in data.items() if v != ""}
    try:
        form = ChangeOfAddressForm.model_validate(values)
    except ValidationError as err:
        return None, field_errors(err)
    if form.effective_on > today:
        return None, {"effective_on": "File the change once you have moved (not in advance)."}
    return form, {}


# A notice to appear (Form I-862) commences removal proceedings (INA 239(a); 8 CFR
# 1239.1(a), 1003.14(a)) and nothing else: a credible fear review, an asylum-only or a
# withholding-only case reaches the court on Form I-863, Notice of Referral to Immigration
# Judge (8 CFR 1208.30(g), 1208.2(c), 1208.31(e)); a bond case on the respondent's request
# for a custody redetermination (8 CFR 1003.19, 1236.1(d)); rescission on a notice of intent
# to rescind (8 CFR 1246.1).
NTA_CASE_TYPES = frozenset({CaseType.REMOVAL})


def nta_case_type_refusal(case_type: CaseType) -> str | None:
    """Why a notice to appear can't open a case of ``case_type``, or None when it can."""
    if case_type in NTA_CASE_TYPES:
        return None
    return (
        "a notice to appear (Form I-862) opens removal proceedings only (8 CFR 1239.1(a)); "
        "a credible fear review, asylum-only or withholding-only case comes on Form I-863 "
        "(Notice of Referral to Immigration Judge), a bond case on a request for custody "
        "redetermination, rescission on a notice of intent to rescind: file those on paper "
        "with the court"
    )


class NoticeToAppearForm(_Base):
    """The facts of a notice to appear (Form I-862) that open a case."""

    a_number: str
    respondent_first_name: Required
    respondent_last_name: Required
    date_of_birth: date | None = None
    nationality: Required
    language: Required
    case_type: CaseType = CaseType.REMOVAL
    custody: Custody
    charges: Required  # one charge per line, e.g. "INA 212(a)(6)(A)(i)"
    served_on: date
    court_id: Required
    # The respondent's address as the NTA gives it: the first address of record (8 CFR
    # 1003.15(d)(2)); for a detained respondent, the facility, whose custodial officer
    # receives the court's mail. All or none of street, city, state and ZIP.
    respondent_street: Optional = ""
    respondent_unit: Optional = ""
    respondent_city: Optional = ""
    respondent_state: Optional = ""
    respondent_zip: Optional = ""
    facility: Optional = ""

    @property
    def has_address(self) -> bool:
        return bool(self.respondent_street)


@dataclass(frozen=True)
class CheckedNta:
    form: NoticeToAppearForm
    a_number: str
    charges: list[str]


def validate_notice_to_appear(
    data: Mapping[str, Any], today: date
) -> tuple[CheckedNta | None, FieldErrors]:
    values = {k: v for k, v in data.items() if v != ""}
    try:
        form = NoticeToAppearForm.model_validate(values)
    except ValidationError as err:
        found = field_errors(err)
        if "a_number" not in found:
            _a_number_error(str(data.get("a_number", "")), found)
        return None, found
    errors: FieldErrors = {}
    a_number = _a_number_error(form.a_number, errors)
    charges = [line.strip() for line in form.charges.splitlines() if line.strip()]
    if not charges:
        errors["charges"] = "List at least one charge."
    wrong_type = nta_case_type_refusal(form.case_type)
    if wrong_type:
        errors["case_type"] = wrong_type[0].upper() + wrong_type[1:] + "."
    if form.served_on > today:
        errors["served_on"] = "The date of service can't be in the future."
    if form.date_of_birth is not None and form.date_of_birth >= today:
        errors["date_of_birth"] = "The date of birth must be in the past."
    errors.update(_nta_address_errors(form))
    if errors or a_number is None:
        return None, errors
    return CheckedNta(form, a_number, charges), {}


def _nta_address_errors(form: NoticeToAppearForm) -> FieldErrors:
    """An address is given whole or not at all; a detained respondent's names the facility."""
    errors: FieldErrors = {}
    parts = {
        "respondent_street": form.respondent_street,
        "respondent_city": form.respondent_city,
        "respondent_state": form.respondent_state,
        "respondent_zip": form.respondent_zip,
    }
    if any(parts.values()):
        for name, value in parts.items():
            if not value:
                errors[name] = "Give the whole address, or leave all of it empty."
        if form.respondent_state and not re.fullmatch(r"[A-Za-z]{2}", form.respondent_state):
            errors["respondent_state"] = "Two letters, e.g. CA."
        if form.respondent_zip and not re.fullmatch(r"\d{5}(-\d{4})?", form.respondent_zip):
            errors["respondent_zip"] = "Five digits, or five and four (12345-6789)."
    if form.custody is Custody.DETAINED and form.has_address and not form.facility:
        errors["facility"] = "Name the detention facility where the respondent is held."
    return errors


def _a_number_error(text: str, errors: FieldErrors) -> str | None:
    try:
        return parse_a_number(text)
    except ANumberError as err:
        errors["a_number"] = f"The A-number is not valid: {err}."
        return None
