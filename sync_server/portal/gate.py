"""The portal's gate: sessions from cookies, the access policy, CSRF, uniform error pages.

Every portal view declares its action with :func:`portal_page`. Before a view runs the
gate loads the session, asks :func:`sync_server.policy.portal_allows` (a view with no
declaration is refused) and, for every POST, checks the CSRF token. Refusals are audited.
Errors become the same plain pages whatever went wrong, and say nothing internal.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, current_app, g, redirect, render_template, request
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response as BaseResponse

from sync_server.policy import Action, Principal, portal_allows
from sync_server.portal import bp as portal_bp
from sync_server.portal.services import portal
from sync_server.services.kept_forms import KEEP_MINUTES, keepable
from sync_server.services.portal_signin import SessionView

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
MARK = "_ecas_portal_action"
UPLOAD_MARK = "_ecas_portal_upload_limit"
SESSION_COOKIE = "ecas_portal_session"
ANON_COOKIE = "ecas_portal_visitor"
CSRF_FIELD = "csrf_token"
KEPT_COOKIE = "ecas_portal_kept_form"


class PortalDenied(Exception):
    """Refuse the request with the uniform page for ``status`` (and an optional message
    that is safe to show)."""

    def __init__(self, status: int, message: str | None = None) -> None:
        super().__init__(message or "")
        self.status = status
        self.message = message


def portal_page(action: Action, *, max_upload_bytes: int | None = None) -> Callable[[F], F]:
    """Declare a portal view's action; ``max_upload_bytes`` raises the request size limit
    for a form that carries files (the server's default limit is for JSON)."""

    def mark(view: F) -> F:
        setattr(view, MARK, action)
        if max_upload_bytes is not None:
            setattr(view, UPLOAD_MARK, max_upload_bytes)
        return view

    return mark


def session_view() -> SessionView | None:
    view: SessionView | None = g.get("portal_session")
    return view


def current_user() -> Principal:
    view = session_view()
    if view is None:  # the gate let no such request through
        raise PortalDenied(401)
    return view.principal


def client_ip() -> str:
    # Behind the proxy, http_edges.TrustedProxies has set it from X-Forwarded-For (only
    # when the peer is one of ECAS_TRUSTED_PROXIES).
    return (request.remote_addr or "unknown")[:60]


# --- CSRF ----------------------------------------------------------------------------------


def _binding() -> str:
    view = session_view()
    if view is not None:
        return "session:" + view.token_hash
    return "visitor:" + str(g.get("portal_visitor", ""))


def csrf_token() -> str:
    """The token for forms on this page: an HMAC of the session (or, before sign-in, of a
    random visitor cookie) under the server's key. A form from another site can't know it."""
    key = current_app.extensions["ecas"].config.secret_key.encode()
    return hmac.new(key, ("csrf|" + _binding()).encode(), hashlib.sha256).hexdigest()


def _csrf_ok() -> bool:
    sent = request.form.get(CSRF_FIELD, "")
    # compare_digest raises on non-ASCII text; a token is hex.
    return bool(sent) and sent.isascii() and hmac.compare_digest(sent, csrf_token())


# Control characters no address, query or form field carries (a form's text may hold tabs
# and line breaks). NUL can't be stored in PostgreSQL text; CR/LF in the address would
# split the Location header of the sign-in redirect.
_CONTROL_IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_FORM = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_unreadable() -> None:
    """A 400 page for a request whose address, query or form holds control characters,
    before any view, lookup or redirect reads it."""
    address = [*(request.view_args or {}).values(), *request.args.keys()]
    address += request.args.values()
    if any(_CONTROL_IN_ADDRESS.search(str(v)) for v in address) or any(
        _CONTROL_IN_FORM.search(k) or _CONTROL_IN_FORM.search(v)
        for k, v in request.form.items(multi=True)
    ):
        raise PortalDenied(400, "The request holds characters no form or address can hold.")


# --- the gate --------------------------------------------------------------------------------


def _load_session() -> None:
    g.portal_visitor = request.cookies.get(ANON_COOKIE) or ""
    g.portal_new_visitor = False
    if not g.portal_visitor:
        g.portal_visitor = secrets.token_urlsafe(24)
        g.portal_new_visitor = True
    token = request.cookies.get(SESSION_COOKIE)
    g.portal_token = token
    g.portal_session = portal().signin.session_view(token) if token else None


def not_found(what: str) -> PortalDenied:
    """A 404 for a record out of the user's scope (or absent: the answer is the same),
    audited so probing shows in the log."""
    _audit_refusal("portal.refused", {"reason": "not_found", "what": what})
    return PortalDenied(404)


def _audit_refusal(action: str, detail: dict[str, Any]) -> None:
    """Queue the refusal's audit entry (written in a batch, without holding up the answer;
    anonymous ones coalesced per address and minute: services/refusals.py)."""
    view = session_view()
    view_fn = current_app.view_functions.get(request.endpoint or "")
    page: Action | None = getattr(view_fn, MARK, None)
    current_app.extensions["ecas"].refusals.record(
        actor_id=view.principal.id if view else None,
        client=client_ip(),
        action=str(detail.get("action") or (page.value if page else "portal")),
        target=next((str(v) for v in (request.view_args or {}).values()), None),
        reason=str(detail.get("reason") or action.rpartition(".")[2]),
        audit_action=action,
        detail={"path": request.path[:200], "method": request.method, **detail},
    )


def _gate() -> BaseResponse | None:
    if request.endpoint == "portal.static":
        return None
    view_fn = current_app.view_functions.get(request.endpoint or "")
    action: Action | None = getattr(view_fn, MARK, None)
    _load_session()
    if action is None:
        raise PortalDenied(403)
    # The page's own upload limit first: the check below reads the form, and reading it
    # under the server-wide limit would refuse an upload its page accepts (413 for 422).
    limit = getattr(view_fn, UPLOAD_MARK, None)
    if limit is not None:
        request.max_content_length = limit
    _refuse_unreadable()
    if request.method == "POST" and not _csrf_ok():
        kept = _keep_form_of_ended_session(action)
        if kept is not None:
            return kept
        _audit_refusal("portal.csrf_refused", {})
        raise PortalDenied(
            403,
            "The form could not be accepted because it was not sent from this page or it "
            "expired. Go back, reload the page and send it again.",
        )
    view = session_view()
    principal = view.principal if view else None
    allowed = portal_allows(
        principal,
        action,
        second_factor_done=bool(view and view.second_factor_done),
        suspended=bool(view and view.suspended),
    )
    if allowed:
        return None
    if principal is None or (view is not None and not view.second_factor_done):
        if request.method == "GET":
            return redirect("/portal/login?next=" + quote(request.path, safe="/"))
        raise PortalDenied(401, "Your session ended. Sign in again.")
    if view is not None and view.suspended:
        _audit_refusal("portal.refused", {"action": action.value, "reason": "suspended"})
        raise PortalDenied(
            403,
            "Your account is suspended, so you can't file. The court administrator's "
            "email gives the reason; contact the court to be reinstated.",
        )
    _audit_refusal("portal.refused", {"action": action.value, "reason": "role"})
    raise PortalDenied(403)


def _keep_form_of_ended_session(action: Action) -> BaseResponse | None:
    """A form typed in a session that has since ended (its CSRF token is the one bound to
    the session in the cookie, and that session is no longer live): keep its fields
    (services/kept_forms.py), give the browser a signed reference to them and send the
    user to sign in; the portal hands the form back once they have. None for anything else
    (the request is then refused as before)."""
    token = g.get("portal_token")
    view = session_view()
    if action in (Action.PUBLIC, Action.PORTAL_SIGN_IN_STEP) or not token:
        return None
    if view is not None and view.second_factor_done:
        return None  # a live session: the token is simply wrong
    session_hash = hashlib.sha256(token.encode()).hexdigest()
    key = current_app.extensions["ecas"].config.secret_key.encode()
    bound = hmac.new(key, ("csrf|session:" + session_hash).encode(), hashlib.sha256).hexdigest()
    sent = request.form.get(CSRF_FIELD, "")
    if not (sent and sent.isascii() and hmac.compare_digest(sent, bound)):
        return None
    if any(f.filename for f in request.files.values()):
        raise PortalDenied(
            401,
            "Your session ended before the form was sent. Files can't be kept: sign in "
            "again and fill in the form with its files again.",
        )
    fields = [(k, v) for k, v in request.form.items(multi=True) if keepable(k)]
    if not fields:  # nothing typed (the keep-alive call, a bare button): nothing to keep
        return None
    reference = portal().kept.keep(session_hash, request.path, fields)
    if reference is None:
        return None
    response = redirect(
        "/portal/login?" + urlencode({"next": "/portal/resume", "notice": "kept"}), 303
    )
    response.set_cookie(
        KEPT_COOKIE,
        reference,
        max_age=KEEP_MINUTES * 60,
        path="/portal",
        httponly=True,
        samesite="Lax",
        secure=_secure(),
    )
    return response


def _secure() -> bool:
    setting = portal().settings.secure_cookies
    return request.is_secure if setting is None else setting


def secure_cookies() -> bool:
    """Whether the portal's cookies are Secure on this request (the setting, else https)."""
    return _secure()


def set_session_cookie(response: Response, token: str | None) -> None:
    if token is None:
        response.delete_cookie(SESSION_COOKIE, path="/portal", samesite="Lax")
        return
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path="/portal",
        httponly=True,
        samesite="Lax",
        secure=_secure(),
    )


_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def _after(response: Response) -> Response:
    if g.get("portal_new_visitor"):
        response.set_cookie(
            ANON_COOKIE,
            g.portal_visitor,
            path="/portal",
            httponly=True,
            samesite="Lax",
            secure=_secure(),
        )
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if request.endpoint != "portal.static":
        response.headers["Cache-Control"] = "no-store"
    return response


# What a page says after a redirect (``?notice=<key>``): fixed texts, so a link can't make
# the portal say anything else.
NOTICES = {
    "approve": "Registration approved. The person was emailed; the EOIR ID is shown below.",
    "reject": "Registration rejected; the person was told the reason.",
    "suspend": "Account suspended; the person can no longer file.",
    "reinstate": "Account reinstated.",
    "filed": "Filed. The clerk reviews it; its status shows under My filings.",
    "address": "Change of address filed; the clerk reviews it.",
    "respondent-filed": "Filed. The clerk reviews it; it shows below under What you filed.",
    "nta": "Notice to appear filed; the case is open.",
    "extension-requested": "Extension request filed; the Board's clerk decides it.",
    "brief-filed": "Brief filed; the Board received it in time.",
    "brief-late": "Brief filed after its due day ended (Board time); it is flagged late.",
    "position": "Your position on the motion is recorded; the Board or the judge sees it.",
    "position-refused": (
        "Your position could not be recorded: the motion is no longer pending, or it is "
        "not the other party's."
    ),
    "signed_out": "You are signed out.",
    "enrolled": (
        "Your account is open. Sign in with your username and password, then set up the "
        "authenticator app."
    ),
    "reset-sent": (
        "If an account has that username or address, we emailed it a link to choose a new "
        "password. The link works once, for 30 minutes."
    ),
    "password-changed": "Your password was changed and you were signed out everywhere. Sign in.",
    "kept": (
        "Your session ended before your form was sent. It is kept as you typed it: sign "
        "in again and you can send it."
    ),
}


def idle_timeout() -> tuple[int, int]:
    """The session's idle limit and how long before it the page warns, in seconds (two
    minutes, or half the limit when that is shorter)."""
    idle = portal().settings.idle_minutes * 60
    return idle, min(120, idle // 2)


def notice() -> str | None:
    return NOTICES.get(request.args.get("notice", ""))


# --- uniform error pages ------------------------------------------------------------------------

_TITLES = {
    400: ("The request could not be read", "Go back and try again."),
    401: ("Sign in to continue", "Your session ended or you are not signed in."),
    403: ("You can't do this", "Your account does not have access to this page."),
    404: ("Page not found", "There is nothing at this address, or you do not have access to it."),
    405: ("Page not found", "There is nothing at this address, or you do not have access to it."),
    409: ("Not possible yet", "This can't be done in the record's current state."),
    413: ("The upload is too large", "Files over 25 MB must be split into numbered parts."),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
    500: ("Something went wrong", "The problem was logged. Try again in a few minutes."),
}


def error_page(status: int, message: str | None = None) -> tuple[str, int]:
    title, default = _TITLES.get(status, _TITLES[500] if status >= 500 else _TITLES[400])
    shown = 404 if status == 405 else status
    return render_template("error.html", title=title, message=message or default), shown


def _install(bp: Blueprint) -> None:
    """Hook the gate into the blueprint (once per process, on import: a blueprint takes no
    new hooks after its first registration on an app)."""
    bp.before_request(_gate)
    bp.after_request(_after)
    bp.context_processor(
        lambda: {
            "csrf_token": csrf_token,
            "portal_session": session_view,
            "notice": notice,
            "idle_timeout": idle_timeout,
        }
    )

    @bp.errorhandler(PortalDenied)
    def _denied(err: PortalDenied) -> tuple[str, int]:
        return error_page(err.status, err.message)

    @bp.errorhandler(HTTPException)
    def _http(err: HTTPException) -> tuple[str, int]:
        return error_page(err.code or 500)

    @bp.errorhandler(Exception)
    def _unexpected(err: Exception) -> tuple[str, int]:
        log.exception("unhandled error on a portal page")
        return error_page(500)

    # Unknown /portal/ addresses (and wrong methods) get the portal's page, not JSON.
    @bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    @portal_page(Action.PUBLIC)
    def _unknown(anything: str) -> Response:
        raise NotFound


_install(portal_bp)
