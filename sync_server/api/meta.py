"""``/`` (a browser is sent to the portal), ``/healthz``, ``/api/version`` and
``/api/openapi.json``."""

from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app, redirect, request, url_for
from sqlalchemy import text
from werkzeug.wrappers import Response as BaseResponse

from common.version import ecas_version
from sync_server.api.gate import endpoint
from sync_server.api.problems import ApiProblem
from sync_server.openapi import build_openapi
from sync_server.policy import Action

bp = Blueprint("meta", __name__)


@bp.get("/")
@endpoint(
    Action.PUBLIC,
    "The server's root: a browser (Accept names text/html) is sent to the portal",
    responses=(302, 404),
)
def root() -> BaseResponse:
    # Only a client that names text/html (a browser) is redirected; API clients, which
    # accept */* or JSON, keep the 404 problem they always had here.
    if any(kind == "text/html" for kind, _quality in request.accept_mimetypes):
        return redirect(url_for("portal.home"), code=302)
    raise ApiProblem(404, "Not Found", "There is nothing at this address.")


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


@bp.get("/api/version")
@endpoint(Action.PUBLIC, "The ECAS version this server runs (Help > About in the client)")
def version() -> Response:
    return Response(
        orjson.dumps({"version": ecas_version()}),
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
