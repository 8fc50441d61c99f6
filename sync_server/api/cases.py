"""``/api/v1/cases``: what the sync feed does not carry (a case's audit history, a new case
access code)."""

from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app
from pydantic import BaseModel

from sync_server.api.gate import current_principal, endpoint
from sync_server.api.problems import ApiProblem
from sync_server.db import write_transaction
from sync_server.policy import Action, Audience, Placement, can_see, may_rotate_access_code
from sync_server.services import audit
from sync_server.services.history import case_history
from sync_server.services.public_case_info import PublicCaseInfo
from sync_server.services.records import SessionLookups

bp = Blueprint("cases", __name__, url_prefix="/api/v1/cases")


@bp.get("/<case_id>/history")
@endpoint(
    Action.CASE_HISTORY,
    "A case's history from the audit trail (court and EOIR staff)",
    responses=(401, 403, 404),
)
def history(case_id: str) -> Response:
    principal = current_principal()
    services = current_app.extensions["ecas"]
    with services.factory() as session:  # a refusal takes no write lock (it is queued)
        lookups = SessionLookups(session)
        court = lookups.case_court(case_id)
        placement = Placement(court, case_id, None, Audience.PUBLIC)
        if court is None or not can_see(principal, placement, lookups):
            raise ApiProblem(404, "Not Found", "No such case.")
    with write_transaction(services.factory) as session:
        entries = [e.as_json() for e in case_history(session, case_id)]
        audit.append(
            session,
            actor_id=principal.id,
            action="case.history_read",
            entity="case",
            record_id=case_id,
        )
    return Response(
        orjson.dumps({"case_id": case_id, "entries": entries}), mimetype="application/json"
    )


class NewAccessCode(BaseModel):
    case_id: str
    a_number: str
    code: str


@bp.post("/<case_id>/access-code")
@endpoint(
    Action.ACCESS_CODE_ROTATE,
    "Replace the case access code of an open case at the clerk's court; the new code is in "
    "this answer only (audited without it; the old code stops working)",
    response_model=NewAccessCode,
    responses=(401, 403, 404),
    body_required=False,
)
def rotate_access_code(case_id: str) -> Response:
    """The desktop's case file does what the portal's page ``/portal/court/access-code``
    does: the clerk or court administrator of the case's court replaces its code on the
    respondent's request (``services/access_codes.py``)."""
    principal = current_principal()
    # The policy's rule (policy.may_rotate_access_code): court staff who replace codes, and
    # only in their own court's cases (another court's case is answered as unknown).
    if not may_rotate_access_code(principal, principal.court_id):
        raise ApiProblem(403, "Forbidden", "Only the court's clerk replaces a case access code.")
    found = PublicCaseInfo(current_app.extensions["ecas"].factory).rotate_code_for_case(
        principal, case_id
    )
    if found is None:
        raise ApiProblem(404, "Not Found", "No open case with this id is at your court.")
    a_number, code = found
    body = NewAccessCode(case_id=case_id, a_number=a_number, code=code)
    return Response(
        body.model_dump_json(),
        mimetype="application/json",
        headers={"Cache-Control": "no-store"},
    )
