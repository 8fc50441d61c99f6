"""The notice of appeal to the Board (Form EOIR-26) from a case's page, and the appeal
clock the case page shows (the last day the Board must receive it, in the Board's time);
briefing: each docketed appeal's schedule on the case page, a party's one extension
request, and its brief (``services/portal_briefing.py``)."""

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
from sync_server.portal.views_cases import UPLOAD_REQUEST_LIMIT, _upload
from sync_server.services.portal_appeals import AppealClock, AppealDesk, AppealRefused
from sync_server.services.portal_briefing import BriefingDesk, BriefingRefused, Schedule
from sync_server.services.portal_cases import NotFound
from sync_server.services.portal_filings import FilingRefused

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


# --- briefing -------------------------------------------------------------------------------


def _briefing() -> BriefingDesk:
    return BriefingDesk(portal().core.factory, portal().filings)


@bp.app_template_global("briefing_schedules")
def briefing_schedules(case_id: str) -> list[Schedule]:
    """For the case page: each docketed appeal's briefing schedule, as the reader reads it."""
    return _briefing().schedules(current_user(), case_id)


@bp.post("/cases/<case_id>/appeals/<appeal_id>/extension")
@portal_page(Action.PORTAL_FILE)
def request_extension(case_id: str, appeal_id: str) -> BaseResponse | tuple[str, int]:
    """The party's one request to extend its own briefing deadline (BIA PM 4.7(c))."""
    try:
        _briefing().request_extension(current_user(), case_id, appeal_id)
    except NotFound as err:
        raise not_found("case") from err
    except BriefingRefused as err:
        return _brief_page(case_id, appeal_id, problem=str(err))
    return redirect(
        url_for("portal.case", case_id=case_id, notice="extension-requested", _anchor="briefing")
    )


@bp.route("/cases/<case_id>/appeals/<appeal_id>/brief", methods=["GET", "POST"])
@portal_page(Action.PORTAL_FILE, max_upload_bytes=UPLOAD_REQUEST_LIMIT)
def file_brief(case_id: str, appeal_id: str) -> str | tuple[str, int] | BaseResponse:
    """The party's brief, a PDF, received by the Board now (late after its due day)."""
    if request.method == "GET":
        return _brief_page(case_id, appeal_id)
    lead = _upload("lead")
    if lead is None:
        return _brief_page(case_id, appeal_id, errors={"lead": "Choose the PDF of the brief."})
    try:
        _side, late = _briefing().file_brief(current_user(), case_id, appeal_id, lead)
    except NotFound as err:
        raise not_found("case") from err
    except FilingRefused as err:
        return _brief_page(case_id, appeal_id, errors=err.errors, problem=str(err))
    except BriefingRefused as err:
        return _brief_page(case_id, appeal_id, problem=str(err))
    notice = "brief-late" if late else "brief-filed"
    return redirect(url_for("portal.case", case_id=case_id, notice=notice, _anchor="briefing"))


def _brief_page(
    case_id: str,
    appeal_id: str,
    *,
    errors: FieldErrors | None = None,
    problem: str | None = None,
) -> tuple[str, int]:
    principal = current_user()
    try:
        case = portal().cases.check_case(principal, case_id)
    except NotFound as err:
        raise not_found("case") from err
    schedule = next(
        (s for s in _briefing().schedules(principal, case_id) if s.appeal.id == appeal_id), None
    )
    if schedule is None:
        raise not_found("appeal")
    return (
        render_template(
            "brief.html",
            title="File a brief with the Board",
            case=case,
            schedule=schedule,
            errors=errors or {},
            problem=problem,
            labels={"lead": "The brief (PDF)"},
        ),
        422 if errors or problem else 200,
    )
