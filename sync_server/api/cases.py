"""``/api/v1/cases``: what the sync feed does not carry (a case's audit history)."""

from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app

from sync_server.api.gate import current_principal, endpoint
from sync_server.api.problems import ApiProblem
from sync_server.db import write_transaction
from sync_server.policy import Action, Audience, Placement, can_see
from sync_server.services import audit
from sync_server.services.history import case_history
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
