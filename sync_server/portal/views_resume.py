"""Not losing work at the end of a session: sending a form that was kept when its
session ended (services/kept_forms.py), and the idle warning's "Stay signed in"."""

from __future__ import annotations

from flask import Response, jsonify, make_response, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.gate import (
    KEPT_COOKIE,
    PortalDenied,
    current_user,
    idle_timeout,
    portal_page,
    session_view,
)
from sync_server.portal.services import portal


@bp.get("/resume")
@portal_page(Action.PORTAL_HOME)
def resume() -> BaseResponse:
    """The kept form, once, for the user who typed it: every field as typed, in a form
    with a fresh CSRF token that the user sends to the form's own page, where it is
    checked as any other submission. The browser's reference is cleared either way."""
    reference = request.cookies.get(KEPT_COOKIE, "")
    kept = portal().kept.take(reference, current_user().id) if reference else None
    if kept is not None and not kept.path.startswith("/portal/"):
        kept = None
    page = render_template("resume.html", title="Send the form you were filling in", kept=kept)
    response = make_response(page, 200 if kept is not None else 404)
    response.delete_cookie(KEPT_COOKIE, path="/portal", samesite="Lax")
    return response


@bp.post("/session/keep-alive")
@portal_page(Action.PORTAL_HOME)
def keep_alive() -> Response:
    """ "Stay signed in": restart the live session's idle clock (the gate has checked the
    CSRF token and that the session is live). Answers how long the session now lasts."""
    view = session_view()
    if view is None:  # the gate let no such request through
        raise PortalDenied(401)
    portal().signin.keep_alive(view.token_hash)
    return jsonify({"idle_seconds": idle_timeout()[0]})
