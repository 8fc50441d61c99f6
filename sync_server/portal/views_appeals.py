"""The notice of appeal to the Board (Form EOIR-26) from a case's page, and the appeal
clock the case page shows (the last day the Board must receive it, in the Board's time)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from common.appeals import rejection_reasons
from common.court_time import iso_date
from common.enums import AppealFee, Role
from common.forms_eoir import FieldErrors
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.gate import current_user, not_found, portal_page
from sync_server.portal.services import portal
from sync_server.services.portal_appeals import AppealClock, AppealDesk, AppealRefused
from sync_server.services.portal_cases import NotFound

LABELS = {
    "decision_date": "Date of the immigration judge's decision",
    "reasons": "Reasons for the appeal",
    "separate_brief": "Separate brief",
    "oral_argument": "Oral argument",
    "detained": "Detention",
    "fee": "Fee",
    "fee_receipt": "Fee receipt number",
    "proof_of_service": "Proof of service",
    "signed_by_name": "Signature",
    "eoir27": "Form EOIR-27",
}


def _desk() -> AppealDesk:
    return AppealDesk(portal().core.factory)


@bp.app_template_global("appeal_clock")
def appeal_clock(case_id: str) -> AppealClock:
    """For the case page (``case.html`` includes ``appeal_clock.html``)."""
    return _desk().clock(case_id)


@bp.route("/cases/<case_id>/appeal", methods=["GET", "POST"])
@portal_page(Action.PORTAL_FILE)
def file_appeal(case_id: str) -> str | tuple[str, int] | BaseResponse:
    principal = current_user()
    try:
        case = portal().cases.check_case(principal, case_id)
    except NotFound as err:
        raise not_found("case") from err
    clock = _desk().clock(case_id)
    dhs = principal.role is Role.DHS
    errors: FieldErrors = {}
    problem = None
    values: dict[str, str] = {
        "decision_date": iso_date(clock.decided_on) if clock.decided_on else "",
        "fee": AppealFee.NOT_REQUIRED.value if dhs else AppealFee.WAIVER_REQUESTED.value,
        "detained": "yes" if case.custody.value == "detained" else "",
        "signed_by_name": f"/s/ {principal.display_name}",
    }
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        try:
            _desk().file_appeal(principal, case_id, values)
        except AppealRefused as err:
            errors, problem = err.errors, str(err)
        else:
            return redirect(url_for("portal.case", case_id=case_id, notice="appeal-filed"))
    fees = [
        (AppealFee.PAID.value, "Paid: give the receipt number"),
        (AppealFee.WAIVER_REQUESTED.value, "Fee waiver requested (Form EOIR-26A)"),
    ]
    if dhs:
        fees = [(AppealFee.NOT_REQUIRED.value, "DHS: no fee")]
    return (
        render_template(
            "appeal.html",
            title="Notice of Appeal (EOIR-26)",
            case=case,
            clock=clock,
            values=values,
            errors=errors,
            problem=problem,
            labels=LABELS,
            fees=fees,
            reasons_catalogue=rejection_reasons(),
        ),
        422 if errors or problem else 200,
    )
