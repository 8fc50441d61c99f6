"""``/api/v1/rop-packages``: request a case's eROP package, follow it, download it."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.wsgi import wrap_file

from common.wire import RecordId
from sync_server.api.gate import current_principal, endpoint, json_body
from sync_server.api.problems import ApiProblem
from sync_server.http_edges import download_headers
from sync_server.policy import Action
from sync_server.services.rop_packages import RopPackageError, RopPackages

bp = Blueprint("rop_packages", __name__, url_prefix="/api/v1/rop-packages")


class RopPackageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case_id: RecordId


class RopPackageStatus(BaseModel):
    id: str
    status: str = Field(description="queued, running, done or failed")
    progress: float = Field(ge=0, le=1)
    pages: int | None = None
    sha256: str | None = None
    error: str | None = None


def _service() -> RopPackages:
    service: RopPackages = current_app.extensions["ecas"].packages
    return service


def _problem(err: RopPackageError) -> ApiProblem:
    title = {404: "Not Found", 409: "Not Ready"}.get(err.status, "Refused")
    return ApiProblem(err.status, title, str(err))


def _status_response(request_id: str, status: int = 200) -> Response:
    factory = current_app.extensions["ecas"].factory
    with factory() as session:
        try:
            body = _service().status(session, current_principal(), request_id)
        except RopPackageError as err:
            raise _problem(err) from err
    answer = RopPackageStatus(id=request_id, **body)
    headers = {"Cache-Control": "no-store", "Location": f"{bp.url_prefix}/{request_id}"}
    return Response(
        answer.model_dump_json(), status=status, mimetype="application/json", headers=headers
    )


@bp.post("")
@endpoint(
    Action.ROP_PACKAGE_REQUEST,
    "Ask for a case's eROP package (parties of record); built in the background",
    request_model=RopPackageRequest,
    response_model=RopPackageStatus,
    responses=(401, 403, 404, 422),
    status=202,
)
def request_package() -> Response:
    body = json_body(RopPackageRequest)
    factory = current_app.extensions["ecas"].factory
    with factory() as session:
        try:
            request_id = _service().request(session, current_principal(), body.case_id)
        except RopPackageError as err:
            raise _problem(err) from err
    return _status_response(request_id, 202)


@bp.get("/<request_id>")
@endpoint(
    Action.ROP_PACKAGE_READ,
    "The status and progress of your eROP package request",
    response_model=RopPackageStatus,
    responses=(401, 404),
)
def package_status(request_id: str) -> Response:
    return _status_response(request_id)


@bp.get("/<request_id>/download")
@endpoint(
    Action.ROP_PACKAGE_READ,
    "The finished eROP package (PDF); every download is audited",
    responses=(401, 404, 409),
    produces="application/pdf",
)
def download_package(request_id: str) -> Response:
    factory = current_app.extensions["ecas"].factory
    with factory() as session:
        try:
            stream, name = _service().open_result(session, current_principal(), request_id)
        except RopPackageError as err:
            raise _problem(err) from err
    return Response(
        wrap_file(request.environ, stream, buffer_size=256 * 1024),
        mimetype="application/pdf",
        headers=download_headers(name, {"Cache-Control": "private, no-store"}),
        direct_passthrough=True,
    )
