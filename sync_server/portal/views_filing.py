"""eFiling pages: the EOIR-28 and EOIR-27 appearance forms, and the user's filings."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from common.court_time import iso_date
from common.enums import AppearanceScope, FilingKind
from common.forms_eoir import (
    CATEGORY_LABELS,
    EFILING_CATEGORIES,
    PAPER_ONLY,
    SCOPE_LABELS,
    FieldErrors,
    ServiceMethod,
    validate_appearance,
)
from sync_server.models import PortalAccount, UserRow
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.clock import court_zones, earliest_court_today, latest_court_today
from sync_server.portal.gate import PortalDenied, current_user, portal_page
from sync_server.portal.services import portal
from sync_server.services.portal_filings import FilingRefused

FORMS = {"eoir-28": FilingKind.EOIR_28, "eoir-27": FilingKind.EOIR_27}
TITLES = {
    FilingKind.EOIR_28: "Form EOIR-28: Notice of Entry of Appearance before the Immigration Court",
    FilingKind.EOIR_27: "Form EOIR-27: Notice of Entry of Appearance before the Board of "
    "Immigration Appeals",
}
LABELS = {
    "respondent_first_name": "Respondent's first name",
    "respondent_last_name": "Respondent's last name",
    "a_number": "A-number",
    "respondent_street": "Respondent's street address",
    "respondent_city": "Respondent's city",
    "respondent_state": "Respondent's state",
    "respondent_zip": "Respondent's ZIP code",
    "scope": "Scope of appearance",
    "category": "Practitioner category",
    "bar_admissions": "Courts of admission",
    "not_subject_to_discipline": "Statement on discipline",
    "discipline_explanation": "Order restricting your practice of law",
    "organization": "Recognized organization",
    "supervising_attorney": "Supervising attorney or representative",
    "reputable_statement": "Relationship with the respondent",
    "primary": "Primary or non-primary",
    "eoir_id": "Your EOIR ID",
    "firm": "Firm or organization",
    "street": "Your street address",
    "city": "Your city",
    "state": "Your state",
    "zip": "Your ZIP code",
    "phone": "Your telephone",
    "email": "Your email address",
    "declaration": "Declaration",
    "respondent_consent": "Respondent's consent",
    "service_date": "Date of service",
    "service_method": "Method of service",
    "served_party": "Served on",
    "served_address": "Address served",
    "signature": "Signature",
}


def _prefill(kind: FilingKind) -> dict[str, str]:
    """The practitioner's own details from their registration."""
    p = current_user()
    values: dict[str, str] = {
        "scope": AppearanceScope.ALL_PROCEEDINGS.value,
        "primary": "primary",
        "service_method": ServiceMethod.ELECTRONIC.value,
        "service_date": iso_date(earliest_court_today()),  # not after today at any court
        "served_party": "DHS — ICE Office of the Principal Legal Advisor",
        "signature": f"/s/ {p.display_name}",
    }
    with portal().core.factory() as session:
        user = session.get(UserRow, p.id)
        account = session.get(PortalAccount, p.id)
        if user is not None and user.eoir_id:
            values["eoir_id"] = user.eoir_id
        if account is not None:
            values.update({k: str(v) for k, v in account.contact.items() if v})
            values["email"] = account.email
            values["category"] = account.category
            if account.organization:
                values["organization"] = account.organization
            for i, bar in enumerate(account.bar_admissions[:3]):
                values[f"bar_jurisdiction_{i}"] = bar.get("jurisdiction", "")
                values[f"bar_number_{i}"] = bar.get("bar_number", "")
    return values


@bp.route("/appearance/<form>", methods=["GET", "POST"])
@portal_page(Action.PORTAL_APPEAR)
def appearance(form: str) -> str | tuple[str, int] | Response | BaseResponse:
    kind = FORMS.get(form)
    if kind is None:
        raise PortalDenied(404)
    errors: FieldErrors = {}
    problem = None
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        checked, errors = validate_appearance(kind, request.form, latest_court_today())
        if checked is not None:
            try:
                portal().filings.file_appearance(current_user(), checked)
            except FilingRefused as err:
                errors, problem = err.errors, str(err)
            else:
                return redirect(url_for("portal.filings", notice="filed"))
    else:
        values = _prefill(kind)
    return (
        render_template(
            "appearance.html",
            title=TITLES[kind],
            form_slug=form,
            kind=kind.value,
            values=values,
            errors=errors,
            problem=problem,
            labels=LABELS,
            scopes=[(s.value, label) for s, label in SCOPE_LABELS.items()],
            # Attorneys and accredited representatives e-file; others appear on paper.
            categories=[(c.value, CATEGORY_LABELS[c]) for c in EFILING_CATEGORIES],
            paper_only=PAPER_ONLY,
            methods=[
                (ServiceMethod.ELECTRONIC.value, "Electronically (ECAS)"),
                (ServiceMethod.MAIL.value, "By mail"),
                (ServiceMethod.IN_PERSON.value, "In person"),
            ],
        ),
        422 if errors or problem else 200,
    )


@bp.get("/filings")
@portal_page(Action.PORTAL_CASES)
def filings() -> str:
    rows = portal().cases.my_filings(current_user())
    return render_template("filings.html", title="My filings", rows=rows, zones=court_zones())
