"""A respondent without counsel files documents in their case: evidence, a written
statement, a motion, an application the judge ordered (the kinds and their sources:
``resources/respondent_filings.json``). In English or Spanish, as the other respondent
pages (``portal/i18n.py``).

The upload is read as counsel's is (``views_cases._upload``, the same request size limit)
and filed through ``services/respondent_filings.py``: the PDF box's checks, the policy's
respondent rule, the clerk's review queue, service on DHS recorded on the filing.
"""

from __future__ import annotations

from flask import Response, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from common.forms_eoir import FieldErrors
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.clock import case_today
from sync_server.portal.gate import current_user, not_found, portal_page
from sync_server.portal.i18n import gettext_for, page_language, render_localised
from sync_server.portal.services import portal
from sync_server.portal.views_cases import UPLOAD_REQUEST_LIMIT, _upload
from sync_server.portal.views_respondent import _detail
from sync_server.services.portal_cases import NotFound
from sync_server.services.portal_filings import FilingRefused
from sync_server.services.respondent_filings import (
    dhs_served,
    document_kinds,
    file_respondent_documents,
    kind_named,
)

ATTACHMENTS = ["attachment_1", "attachment_2", "attachment_3"]
LABELS = {
    "kind": "What are you filing?",
    "title": "Title of the document",
    "lead": "The document (PDF)",
    "attachment_1": "Attachment 1 (PDF)",
    "attachment_2": "Attachment 2 (PDF)",
    "attachment_3": "Attachment 3 (PDF)",
}


def _t(text: str) -> str:
    translated: str = gettext_for(page_language())(text)
    return translated


@bp.route("/respondent/cases/<case_id>/file", methods=["GET", "POST"])
@portal_page(Action.PORTAL_RESPONDENT, max_upload_bytes=UPLOAD_REQUEST_LIMIT)
def respondent_file(case_id: str) -> Response | BaseResponse:
    detail = _detail(case_id)
    represented = any(line.ended_on is None for line in detail.counsel)
    values: dict[str, str] = {}
    errors: FieldErrors = {}
    problem = None
    if request.method == "POST" and not represented:
        values = {k: v for k, v in request.form.items() if k in ("kind", "title")}
        kind = kind_named(values.get("kind", ""))
        lead = _upload("lead")
        attachments = [a for a in (_upload(name) for name in ATTACHMENTS) if a]
        if kind is None:
            errors["kind"] = "Choose what you are filing."
        if not values.get("title", "").strip():
            errors["title"] = "This field is required."
        if lead is None:
            errors["lead"] = "Choose the PDF of the document."
        if kind is not None and lead is not None and not errors:
            try:
                file_respondent_documents(
                    portal().filings,
                    current_user(),
                    case_id,
                    kind,
                    values["title"],
                    lead,
                    attachments,
                    case_today(case_id),
                )
            except FilingRefused as err:
                # The PDF box's reasons name the file and are shown as written (English).
                errors, problem = err.errors, _t("Nothing was filed.") + " " + _t(str(err))
            except NotFound as err:
                raise not_found("case") from err
            else:
                target = url_for(
                    "portal.respondent_case", case_id=case_id, notice="respondent-filed"
                )
                return redirect(target, 303)
    served = dhs_served(portal().filings, detail.case.court_id)
    return render_localised(
        "respondent_file.html",
        422 if errors or problem else 200,
        title=_t("File documents"),
        detail=detail,
        represented=represented,
        values=values,
        errors={name: _t(message) for name, message in errors.items()},
        problem=problem,
        labels={name: _t(label) for name, label in LABELS.items()},
        kinds=[(k.key, _t(k.label), _t(k.hint)) for k in document_kinds()],
        served=served,
        attachments=ATTACHMENTS,
    )
