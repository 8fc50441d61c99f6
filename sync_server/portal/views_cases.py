"""eInfo pages: the user's cases, a case, its documents, uploads, change of address.

Another case's id in the URL is answered exactly like an unknown id (not found)."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response as BaseResponse

from common.enums import CaseStatus, DocumentType
from common.forms_eoir import FieldErrors, validate_change_of_address
from sync_server.http_edges import download_headers
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.clock import case_today, latest_court_today
from sync_server.portal.gate import current_user, not_found, portal_page
from sync_server.portal.services import portal
from sync_server.services.portal_cases import (
    NEXT_HEARING_DAYS,
    CaseDetail,
    CaseListQuery,
    NotFound,
)
from sync_server.services.portal_filings import FilingRefused, Upload

DOCUMENT_TYPES = [
    (DocumentType.BRIEF.value, "Brief"),
    (DocumentType.MOTION.value, "Motion"),
    (DocumentType.EVIDENCE.value, "Evidence"),
    (DocumentType.APPLICATION_I589.value, "Application (Form I-589)"),
    (DocumentType.COUNTRY_REPORT.value, "Country conditions report"),
    (DocumentType.CORRESPONDENCE.value, "Correspondence"),
    (DocumentType.OTHER.value, "Other"),
]
STATUSES = {s.value for s in CaseStatus}
NEXT_HEARING_CHOICES = {**NEXT_HEARING_DAYS, "none": "None scheduled"}
UPLOAD_LABELS = {
    "doc_type": "Type of document",
    "title": "Title",
    "lead": "Lead document",
    "attachment_1": "Attachment 1",
    "attachment_2": "Attachment 2",
    "attachment_3": "Attachment 3",
}
ADDRESS_LABELS = {
    "street": "Street address",
    "unit": "Apartment, suite or floor",
    "city": "City",
    "state": "State",
    "zip": "ZIP code",
    "phone": "Telephone",
    "effective_on": "Date of the move",
}


@bp.get("/cases")
@portal_page(Action.PORTAL_CASES)
def cases() -> str:
    args = request.args
    try:
        page = max(1, int(args.get("page", "1")))
    except ValueError:
        page = 1
    wanted = CaseListQuery(
        search=args.get("q", "")[:100],
        court_id=args.get("court", "")[:36],
        status=args.get("status", "") if args.get("status", "") in STATUSES else "",
        next_hearing=args.get("next", "") if args.get("next", "") in NEXT_HEARING_CHOICES else "",
        page=page,
        # The hearing filter counts days from the latest today at any court (a few hours'
        # slack at the edges, as the service explains).
        today=latest_court_today(),
    )
    listed = portal().cases.case_list(current_user(), wanted)
    shown = {
        k: v
        for k, v in (
            ("q", wanted.search),
            ("court", wanted.court_id),
            ("status", wanted.status),
            ("next", wanted.next_hearing),
        )
        if v
    }
    return render_template(
        "cases.html",
        title="My cases",
        listed=listed,
        rows=listed.rows,
        search=wanted.search,
        wanted=wanted,
        filtered=bool(shown),
        shown=shown,
        statuses=[(s.value, s.value.replace("_", " ").capitalize()) for s in CaseStatus],
        next_choices=NEXT_HEARING_CHOICES,
    )


def _detail(case_id: str) -> CaseDetail:
    try:
        return portal().cases.case_detail(current_user(), case_id, case_today(case_id))
    except NotFound as err:
        raise not_found("case") from err


@bp.get("/cases/<case_id>")
@portal_page(Action.PORTAL_CASES)
def case(case_id: str) -> str:
    return render_template("case.html", title="Case", detail=_detail(case_id))


@bp.get("/cases/<case_id>/documents/<document_id>")
@portal_page(Action.PORTAL_CASES)
def document(case_id: str, document_id: str) -> Response:
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


def _upload(field: str) -> Upload | None:
    storage: FileStorage | None = request.files.get(field)
    if storage is None or not storage.filename:
        return None
    name = storage.filename.replace("\\", "/").rsplit("/", 1)[-1][:120]
    return Upload(field, name, storage.read())


# A lead document and three attachments of up to 25 MB each, plus the form fields. A single
# file over the limit still arrives, so its filer is told to split it into parts.
UPLOAD_REQUEST_LIMIT = 4 * 25 * 1024 * 1024 + 1024 * 1024


@bp.route("/cases/<case_id>/file", methods=["GET", "POST"])
@portal_page(Action.PORTAL_FILE, max_upload_bytes=UPLOAD_REQUEST_LIMIT)
def upload(case_id: str) -> str | tuple[str, int] | BaseResponse:
    detail = _detail(case_id)
    errors: FieldErrors = {}
    values: dict[str, str] = {"doc_type": DocumentType.BRIEF.value}
    problem = None
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        lead = _upload("lead")
        attachments = [a for a in (_upload(f"attachment_{i}") for i in (1, 2, 3)) if a]
        try:
            doc_type = DocumentType(values.get("doc_type", ""))
        except ValueError:
            errors["doc_type"] = "Choose a type from the list."
        if lead is None:
            errors["lead"] = "Choose the PDF of the lead document."
        if not values.get("title", "").strip():
            errors["title"] = "This field is required."
        if not errors and lead is not None:
            try:
                portal().filings.file_documents(
                    current_user(),
                    case_id,
                    doc_type,
                    values["title"],
                    lead,
                    attachments,
                    case_today(case_id),  # the filing's date is the court's
                )
            except FilingRefused as err:
                errors, problem = err.errors, str(err)
            except NotFound as err:
                raise not_found("case") from err
            else:
                return redirect(url_for("portal.case", case_id=case_id, notice="filed"))
    return (
        render_template(
            "upload.html",
            title="File documents",
            detail=detail,
            values=values,
            errors=errors,
            problem=problem,
            labels=UPLOAD_LABELS,
            types=DOCUMENT_TYPES,
        ),
        422 if errors or problem else 200,
    )


def post_change_of_address(case_id: str) -> tuple[dict[str, str], FieldErrors, bool]:
    """The EOIR-33 of a POST to a case's address page, filed by the signed-in user (counsel
    or the respondent): the values as typed, the errors, and whether it was filed. A GET
    files nothing."""
    if request.method != "POST":
        return {}, {}, False
    values = {k: v for k, v in request.form.items() if k != "csrf_token"}
    form, errors = validate_change_of_address(request.form, case_today(case_id))
    if form is None:
        return values, errors, False
    try:
        portal().filings.change_of_address(current_user(), case_id, form)
    except NotFound as err:
        raise not_found("case") from err
    except FilingRefused as err:
        return values, err.errors or {"street": str(err)}, False
    return values, errors, True


@bp.route("/cases/<case_id>/address", methods=["GET", "POST"])
@portal_page(Action.PORTAL_FILE)
def change_address(case_id: str) -> str | tuple[str, int] | BaseResponse:
    detail = _detail(case_id)
    values, errors, filed = post_change_of_address(case_id)
    if filed:
        return redirect(url_for("portal.case", case_id=case_id, notice="address"))
    return (
        render_template(
            "address.html",
            title="Change of address (EOIR-33)",
            detail=detail,
            values=values,
            errors=errors,
            labels=ADDRESS_LABELS,
        ),
        422 if errors else 200,
    )
