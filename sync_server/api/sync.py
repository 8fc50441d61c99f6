"""``/api/v1/sync``: the change feed and push."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from common.protocol import ChangesResponse, PushRequest, PushResponse
from sync_server.api.gate import current_principal, endpoint, json_body
from sync_server.api.problems import ApiProblem
from sync_server.policy import Action
from sync_server.services import sync

bp = Blueprint("sync", __name__, url_prefix="/api/v1/sync")

DEFAULT_PAGE = 1000


def _limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_PAGE))
    maximum = current_app.extensions["ecas"].config.sync_page_max
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        message = f"`limit` must be a whole number from 1 to {maximum}."
        raise ApiProblem(400, "Bad limit", message, errors=[{"loc": "limit", "msg": message}])
    return int(raw)


@bp.get("/changes")
@endpoint(
    Action.SYNC_PULL,
    "Records in your scope changed after `since` (opaque cursor)",
    response_model=ChangesResponse,
    responses=(400, 401),
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
