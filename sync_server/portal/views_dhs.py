"""The DHS portal: file a notice to appear, which opens a case at an assigned court."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from common.enums import CaseType, Custody
from common.forms_eoir import NTA_CASE_TYPES, FieldErrors, validate_notice_to_appear
from sync_server.models import CourtRow
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.clock import court_today_at
from sync_server.portal.gate import current_user, portal_page
from sync_server.portal.services import portal
from sync_server.portal.views_cases import UPLOAD_REQUEST_LIMIT, _upload
from sync_server.services.portal_filings import FilingRefused

LABELS = {
    "a_number": "A-number",
    "respondent_first_name": "Respondent's first name",
    "respondent_last_name": "Respondent's last name",
    "date_of_birth": "Date of birth",
    "nationality": "Country of citizenship",
    "language": "Language",
    "case_type": "Type of proceedings",
    "custody": "Custody",
    "charges": "Charges",
    "served_on": "Date the NTA was served",
    "respondent_street": "Respondent's street address",
    "respondent_unit": "Apartment, suite or floor",
    "respondent_city": "City",
    "respondent_state": "State",
    "respondent_zip": "ZIP code",
    "facility": "Detention facility",
    "court_id": "Immigration court",
    "nta_pdf": "Notice to appear (PDF)",
}


@bp.route("/dhs/nta", methods=["GET", "POST"])
@portal_page(Action.PORTAL_NTA, max_upload_bytes=UPLOAD_REQUEST_LIMIT)
def notice_to_appear() -> str | tuple[str, int] | BaseResponse:
    principal = current_user()
    with portal().core.factory() as session:
        courts = [
            (r.id, r.name)
            for r in session.execute(
                select(CourtRow.id, CourtRow.name)
                .where(CourtRow.id.in_(list(principal.assigned_court_ids)))
                .order_by(CourtRow.name)
            )
        ]
    errors: FieldErrors = {}
    values: dict[str, str] = {"case_type": CaseType.REMOVAL.value}
    problem = None
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        # The notice names its court: its dates are checked, and the case opened, on that
        # court's date (an unassigned court is refused by the form check anyway).
        today = court_today_at(request.form.get("court_id"))
        nta, errors = validate_notice_to_appear(request.form, today)
        pdf = _upload("nta_pdf")
        if pdf is None:
            errors["nta_pdf"] = "Choose the PDF of the signed notice to appear."
        if nta is not None and pdf is not None and not errors:
            try:
                case_id = portal().filings.file_notice_to_appear(principal, nta, pdf, today)
            except FilingRefused as err:
                errors, problem = err.errors, str(err)
            else:
                return redirect(url_for("portal.case", case_id=case_id, notice="nta"))
    return (
        render_template(
            "nta.html",
            title="File a notice to appear",
            values=values,
            errors=errors,
            problem=problem,
            labels=LABELS,
            courts=courts,
            # A notice to appear opens removal proceedings only (8 CFR 1239.1(a)).
            case_types=[(t.value, t.value.replace("_", " ").capitalize()) for t in NTA_CASE_TYPES],
            custodies=[(c.value, c.value.replace("_", " ").capitalize()) for c in Custody],
        ),
        422 if errors or problem else 200,
    )
