"""Respondents' pages: enrolment with the mailed case access code, their case, their
change of address (EOIR-33); and, without signing in, the next hearing by A-number and a
change of address for the clerk to review. Every page here is in English or Spanish
(``portal/i18n.py``).

The access rules are the policy module's (``Action.PORTAL_RESPONDENT``,
``policy.respondent_sees``, ``policy.respondent_filing_refusal``); the case, its
documents and the filing go through the same services as counsel's pages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Response, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from common.anumber import ANumberError, parse_a_number
from common.enums import Role
from common.forms_eoir import FieldErrors, validate_change_of_address
from sync_server.http_edges import download_headers
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.clock import case_today, latest_court_today
from sync_server.portal.gate import (
    PortalDenied,
    client_ip,
    current_user,
    not_found,
    portal_page,
    session_view,
)
from sync_server.portal.i18n import gettext_for, page_language, render_localised
from sync_server.portal.services import portal
from sync_server.portal.views_cases import post_change_of_address
from sync_server.services.portal_cases import CaseDetail, NotFound
from sync_server.services.public_case_info import NoSuchCase, PublicCaseInfo, Throttled
from sync_server.services.respondents import (
    EnrolmentRefused,
    RespondentAccounts,
    validate_enrolment,
)


@bp.before_request
def _respondents_land_on_their_case() -> BaseResponse | None:
    """The portal's home sends a signed-in respondent to their case (as it sends counsel
    to their case list). Runs after the gate, which has loaded the session."""
    if request.endpoint != "portal.home":
        return None
    view = session_view()
    if view is not None and view.second_factor_done and view.principal.role is Role.RESPONDENT:
        return redirect(url_for("portal.respondent_home"))
    return None


def _accounts() -> RespondentAccounts:
    services = portal()
    return RespondentAccounts(services.core.factory, services.settings.throttle)


def _public() -> PublicCaseInfo:
    return PublicCaseInfo(portal().core.factory)


def _t(text: str) -> str:
    translated: str = gettext_for(page_language())(text)
    return translated


def _translated(errors: FieldErrors) -> FieldErrors:
    return {name: _t(message) for name, message in errors.items()}


# -- enrolment ----------------------------------------------------------------------------


@bp.route("/respondent/enrol", methods=["GET", "POST"])
@portal_page(Action.PUBLIC)
def respondent_enrol() -> Response | BaseResponse:
    values: dict[str, str] = {}
    errors: FieldErrors = {}
    problem = None
    status = 200
    if request.method == "POST":
        secret = ("password", "password_again", "access_code", "csrf_token")
        values = {k: v for k, v in request.form.items() if k not in secret}
        enrolment, errors = validate_enrolment(request.form)
        if enrolment is not None:
            try:
                # Their mail is written in the language they enrolled in (profile page).
                _accounts().enrol(replace(enrolment, language=page_language()), client_ip())
            except EnrolmentRefused as refused:
                if refused.status == 429:
                    raise PortalDenied(429, _t(refused.message)) from refused
                problem, errors = _t(refused.message), refused.errors
            else:
                return redirect(url_for("portal.login", notice="enrolled"), 303)
        status = 422
    return render_localised(
        "respondent_enrol.html",
        status,
        title=_t("Respondent account"),
        values=values,
        errors=_translated(errors),
        problem=problem,
    )


# -- the signed-in respondent -------------------------------------------------------------


@bp.get("/respondent")
@portal_page(Action.PORTAL_RESPONDENT)
def respondent_home() -> BaseResponse:
    case_ids = _accounts().case_ids(current_user().id)
    if len(case_ids) == 1:
        return redirect(url_for("portal.respondent_case", case_id=case_ids[0]))
    return render_localised(
        "respondent_cases.html", title=_t("My cases"), case_ids=case_ids, cases=_summaries(case_ids)
    )


def _summaries(case_ids: list[str]) -> list[CaseDetail]:
    return [_detail(case_id) for case_id in case_ids]


def _detail(case_id: str) -> CaseDetail:
    try:
        return portal().cases.case_detail(current_user(), case_id, case_today(case_id))
    except NotFound as err:
        raise not_found("case") from err


@bp.get("/respondent/cases/<case_id>")
@portal_page(Action.PORTAL_RESPONDENT)
def respondent_case(case_id: str) -> Response:
    detail = _detail(case_id)
    upcoming = [h for h in detail.hearings if h.hearing.status.value == "scheduled"]
    return render_localised(
        "respondent_case.html",
        title=_t("My case"),
        detail=detail,
        upcoming=upcoming,
        represented=any(line.ended_on is None for line in detail.counsel),
    )


@bp.get("/respondent/cases/<case_id>/documents/<document_id>")
@portal_page(Action.PORTAL_RESPONDENT)
def respondent_document(case_id: str, document_id: str) -> Response:
    try:
        chunks, size, filename = portal().cases.open_document(current_user(), case_id, document_id)
    except NotFound as err:
        raise not_found("document") from err
    return Response(
        chunks,
        mimetype="application/pdf",
        headers=download_headers(filename, {"Content-Length": str(size)}),
        direct_passthrough=True,
    )


ADDRESS_LABELS = {
    "street": "Street address",
    "unit": "Apartment, suite or floor",
    "city": "City",
    "state": "State",
    "zip": "ZIP code",
    "phone": "Telephone",
    "effective_on": "Date of the move",
    "a_number": "A-number",
    "last_name": "Last name (family name)",
}


def _labels() -> dict[str, str]:
    return {name: _t(label) for name, label in ADDRESS_LABELS.items()}


@bp.route("/respondent/cases/<case_id>/address", methods=["GET", "POST"])
@portal_page(Action.PORTAL_RESPONDENT)
def respondent_address(case_id: str) -> Response | BaseResponse:
    detail = _detail(case_id)
    values, errors, filed = post_change_of_address(case_id)
    if filed:
        target = url_for("portal.respondent_case", case_id=case_id, notice="address")
        return redirect(target, 303)
    return render_localised(
        "respondent_address.html",
        422 if errors else 200,
        title=_t("Change of address (EOIR-33)"),
        detail=detail,
        values=values,
        errors=_translated(errors),
        labels=_labels(),
        action=url_for("portal.respondent_address", case_id=case_id),
        public=False,
    )


# -- without signing in -------------------------------------------------------------------


@bp.route("/lookup", methods=["GET", "POST"])
@portal_page(Action.PUBLIC)
def hearing_lookup() -> Response:
    values: dict[str, str] = {}
    errors: FieldErrors = {}
    result: Any = None
    asked = False
    if request.method == "POST":
        values = {"a_number": request.form.get("a_number", "")[:40]}
        try:
            a_number = parse_a_number(values["a_number"])
        except ANumberError:
            errors["a_number"] = _t("Type the A-number as printed on the notice (9 digits).")
        else:
            try:
                result = _public().next_hearing(a_number, client_ip())
            except Throttled as err:
                raise PortalDenied(429, _t("Too many lookups. Wait 15 minutes.")) from err
            asked = True
    return render_localised(
        "lookup.html",
        422 if errors else 200,
        title=_t("Next hearing"),
        values=values,
        errors=errors,
        result=result,
        asked=asked,
        labels={"a_number": _t("A-number")},
    )


@bp.route("/change-of-address", methods=["GET", "POST"])
@portal_page(Action.PUBLIC)
def public_address() -> Response | BaseResponse:
    values: dict[str, str] = {}
    errors: FieldErrors = {}
    problem = None
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        a_number = ""
        try:
            a_number = parse_a_number(values.get("a_number", ""))
        except ANumberError:
            errors["a_number"] = "Type the A-number as printed on the notice (9 digits)."
        if not values.get("last_name", "").strip():
            errors["last_name"] = "This field is required."
        form, form_errors = validate_change_of_address(request.form, latest_court_today())
        errors |= form_errors
        if form is not None and not errors:
            try:
                _public().change_of_address(a_number, values["last_name"], form, client_ip())
            except Throttled as err:
                raise PortalDenied(429, _t("Too many attempts. Wait 15 minutes.")) from err
            except NoSuchCase:
                problem = _t(
                    "No open case has this A-number and last name. Check them against your notice."
                )
            else:
                return redirect(url_for("portal.public_address_filed"), 303)
    return render_localised(
        "respondent_address.html",
        422 if errors or problem else 200,
        title=_t("Change of address (EOIR-33)"),
        detail=None,
        values=values,
        errors=_translated(errors),
        problem=problem,
        labels=_labels(),
        action=url_for("portal.public_address"),
        public=True,
    )


@bp.get("/change-of-address/filed")
@portal_page(Action.PUBLIC)
def public_address_filed() -> Response:
    return render_localised("public_address_filed.html", title=_t("Change of address filed"))


# -- the clerk replaces a case access code ----------------------------------------------------


@bp.route("/court/access-code", methods=["GET", "POST"])
@portal_page(Action.ACCESS_CODE_ROTATE)
def rotate_access_code() -> Response:
    """On the respondent's request (a lost code, or one someone else has seen), the clerk
    of the case's court issues a new code, shown once here to hand or mail to the
    respondent; the old one stops working at once."""
    values: dict[str, str] = {}
    errors: FieldErrors = {}
    issued: tuple[str, str] | None = None
    if request.method == "POST":
        values = {"a_number": request.form.get("a_number", "")[:40]}
        try:
            a_number = parse_a_number(values["a_number"])
        except ANumberError:
            errors["a_number"] = "Type the A-number (9 digits)."
        else:
            found = _public().rotate_code(current_user(), a_number)
            if found is None:
                errors["a_number"] = "No open case with this A-number is at your court."
            else:
                issued = found
    # Court staff's page: English, as the portal's other staff pages.
    return make_response(
        render_template(
            "access_code_rotate.html",
            title="Case access code",
            values=values,
            errors=errors,
            issued=issued,
            labels={"a_number": "A-number"},
        ),
        422 if errors else 200,
    )
