"""``/healthz`` and ``/api/openapi.json``."""

from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app
from sqlalchemy import text

from sync_server.api.gate import endpoint
from sync_server.openapi import build_openapi
from sync_server.policy import Action

bp = Blueprint("meta", __name__)


@bp.get("/healthz")
@endpoint(Action.PUBLIC, "Liveness and database reachability", responses=(503,))
def healthz() -> Response:
    services = current_app.extensions["ecas"]
    try:
        with services.factory() as session:
            version = session.execute(
                text("SELECT version FROM server_state WHERE id = 1")
            ).scalar_one()
    except Exception:
        body = {"status": "unavailable", "database": "unreachable or not initialised"}
        return Response(orjson.dumps(body), status=503, mimetype="application/json")
    return Response(
        orjson.dumps({"status": "ok", "database": "ok", "version": version}),
        mimetype="application/json",
        headers={"Cache-Control": "no-store"},
    )


@bp.get("/api/openapi.json")
@endpoint(Action.PUBLIC, "This API's OpenAPI document")
def openapi() -> Response:
    cached = current_app.extensions.get("ecas.openapi")
    if cached is None:
        cached = orjson.dumps(build_openapi(current_app))
        current_app.extensions["ecas.openapi"] = cached
    return Response(cached, mimetype="application/json")
