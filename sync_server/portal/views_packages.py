"""eROP package pages: request the record of a case, follow the build, download it.

The packages themselves are built by ``sync_server.services.rop_packages`` and its worker;
these pages only call that service, which checks the requester and audits the download."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from sync_server.http_edges import download_headers
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.gate import PortalDenied, current_user, not_found, portal_page
from sync_server.portal.services import portal
from sync_server.services.rop_packages import RopPackageError

REFRESH_SECONDS = 3


@bp.post("/cases/<case_id>/record")
@portal_page(Action.ROP_PACKAGE_REQUEST)
def request_record(case_id: str) -> BaseResponse:
    core = portal().core
    try:
        with core.factory() as session:
            request_id = core.packages.request(session, current_user(), case_id)
    except RopPackageError as err:
        if err.status == 404:
            raise not_found("case") from err
        raise PortalDenied(err.status, str(err)) from err
    return redirect(url_for("portal.record", request_id=request_id))


@bp.get("/record/<request_id>")
@portal_page(Action.ROP_PACKAGE_READ)
def record(request_id: str) -> str:
    core = portal().core
    try:
        with core.factory() as session:
            status = core.packages.status(session, current_user(), request_id)
    except RopPackageError as err:
        raise not_found("record request") from err
    building = status["status"] in ("queued", "running")
    return render_template(
        "record.html",
        title="Record of proceedings",
        request_id=request_id,
        status=status,
        building=building,
        refresh=REFRESH_SECONDS,
    )


@bp.get("/record/<request_id>/download")
@portal_page(Action.ROP_PACKAGE_READ)
def download_record(request_id: str) -> Response:
    core = portal().core
    try:
        with core.factory() as session:
            stream, filename = core.packages.open_result(session, current_user(), request_id)
    except RopPackageError as err:
        if err.status == 404:
            raise not_found("record request") from err
        raise PortalDenied(409, str(err)) from err
    return Response(
        iter(lambda: stream.read(256 * 1024), b""),
        mimetype="application/pdf",
        headers=download_headers(filename),
        direct_passthrough=True,
    )
