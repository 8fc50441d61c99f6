"""The court administrator's registration review (``/portal/admin/...``)."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.clock import court_zones
from sync_server.portal.gate import PortalDenied, current_user, portal_page
from sync_server.portal.services import portal
from sync_server.services.accounts import AccountError


@bp.get("/admin/registrations")
@portal_page(Action.REGISTRATION_REVIEW)
def registrations() -> str:
    show_all = request.args.get("all") == "1"
    rows = portal().accounts.registrations(current_user(), include_decided=show_all)
    return render_template(
        "registrations.html",
        title="Registrations at your court",
        rows=rows,
        show_all=show_all,
        zone=court_zones().get(current_user().court_id or ""),
    )


@bp.post("/admin/registrations/<user_id>/<decision>")
@portal_page(Action.REGISTRATION_REVIEW)
def decide_registration(user_id: str, decision: str) -> Response | BaseResponse:
    accounts, admin = portal().accounts, current_user()
    reason = request.form.get("reason", "")
    try:
        if decision == "approve":
            accounts.approve(admin, user_id, request.form.get("identity_checked") == "yes")
        elif decision == "reject":
            accounts.reject(admin, user_id, reason)
        elif decision == "suspend":
            accounts.suspend(admin, user_id, reason)
        elif decision == "reinstate":
            accounts.reinstate(admin, user_id)
        else:
            raise PortalDenied(404)
    except AccountError as err:
        if err.status == 404:
            raise PortalDenied(404) from err
        rows = accounts.registrations(admin, include_decided=True)
        page = render_template(
            "registrations.html",
            title="Registrations at your court",
            rows=rows,
            show_all=True,
            problem=str(err),
            zone=court_zones().get(admin.court_id or ""),
        )
        return Response(page, status=err.status)
    return redirect(url_for("portal.registrations", all="1", notice=decision))
