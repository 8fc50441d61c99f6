"""``/api/v1/sync``: the change feed and push."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from common.protocol import ChangesResponse, PushRequest, PushResponse
from sync_server.api.gate import current_principal, endpoint, json_body
from sync_server.api.params import whole_number
from sync_server.api.problems import ApiProblem
from sync_server.policy import Action
from sync_server.services import sync

bp = Blueprint("sync", __name__, url_prefix="/api/v1/sync")

DEFAULT_PAGE = 1000


def _limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_PAGE))
    maximum = current_app.extensions["ecas"].config.sync_page_max
    return whole_number(raw, "limit", minimum=1, maximum=maximum)


@bp.get("/changes")
@endpoint(
    Action.SYNC_PULL,
    "Records in your scope changed after `since` (opaque cursor)",
    response_model=ChangesResponse,
    responses=(400, 401),
    parameters=(
        {
            "name": "limit",
            "in": "query",
            "description": "The most changes in one page",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "x-maximum-setting": "sync_page_max",
                "default": DEFAULT_PAGE,
            },
        },
        {
            "name": "since",
            "in": "query",
            "description": "The cursor of the page before (none: from the start)",
            "schema": {"type": "string"},
        },
    ),
)
def changes() -> Response:
    limit = _limit()
    since = request.args.get("since") or None
    services = current_app.extensions["ecas"]
    with services.factory() as session, session.begin():
        try:
            body = sync.pull(session, current_principal(), since, limit)
        except sync.CursorError as err:
            raise ApiProblem(400, "Bad cursor", str(err)) from err
    return Response(body, mimetype="application/json")


@bp.post("/push")
@endpoint(
    Action.SYNC_PUSH,
    "Apply mutations; each mutation_id is applied at most once",
    request_model=PushRequest,
    response_model=PushResponse,
    responses=(400, 401, 413),
)
def push() -> Response:
    body = json_body(PushRequest)
    services = current_app.extensions["ecas"]
    results = sync.push(services.factory, current_principal(), body, services.orders)
    return Response(PushResponse(results=results).model_dump_json(), mimetype="application/json")
