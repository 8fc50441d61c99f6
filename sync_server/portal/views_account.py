"""eRegistry pages: register, verify the email, sign in with two factors, sign out."""

from __future__ import annotations

import contextlib

from flask import Response, g, make_response, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from common.forms_eoir import FieldErrors
from sync_server.models import CourtRow
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.gate import (
    PortalDenied,
    client_ip,
    portal_page,
    secure_cookies,
    session_view,
    set_session_cookie,
)
from sync_server.portal.services import portal
from sync_server.services import totp
from sync_server.services.accounts import AccountKind, validate_registration
from sync_server.services.portal_signin import NextStep, SessionView, SignInRefused

REGISTRATION_LABELS = {
    "kind": "I am registering as",
    "username": "Username",
    "password": "Password",
    "password_again": "Password again",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email address",
    "phone": "Telephone",
    "firm": "Firm or organization",
    "street": "Street address",
    "city": "City",
    "state": "State",
    "zip": "ZIP code",
    "bar_admissions": "Courts of admission",
    "organization": "Recognized organization",
    "identity_court_id": "Court for the identity check",
}


def _courts() -> list[tuple[str, str]]:
    with portal().core.factory() as session:
        rows = session.execute(
            select(CourtRow.id, CourtRow.name)
            .where(CourtRow.deleted.is_(False))
            .order_by(CourtRow.name)
        ).all()
    return [(r.id, r.name) for r in rows]


def _landing_for(role_is_external: bool, is_admin: bool) -> str:
    if is_admin:
        return url_for("portal.registrations")
    return url_for("portal.cases") if role_is_external else url_for("portal.home")


def _safe_next(default: str) -> str:
    """Where to go after signing in: a path of this site's portal, or ``default``. No
    scheme or host (nor ``//``, which a browser reads as one), no backslash (read as a
    slash), and printable ASCII only: a CR or LF would split the ``Location`` header."""
    target = request.args.get("next") or request.form.get("next") or ""
    if (
        target.startswith("/portal/")
        and not target.startswith("//")
        and "\\" not in target
        and all("!" <= ch <= "~" for ch in target)
    ):
        return target
    return default


@bp.get("/")
@portal_page(Action.PUBLIC)
def home() -> str | BaseResponse:
    view = session_view()
    if view is not None and view.second_factor_done:
        p = view.principal
        if p.role.is_external or p.role.value == "court_admin":
            return redirect(_landing_for(p.role.is_external, p.role.value == "court_admin"))
    return render_template("home.html", title="Courts & Appeals System")


@bp.route("/register", methods=["GET", "POST"])
@portal_page(Action.PUBLIC)
def register() -> str | tuple[str, int] | Response:
    values: dict[str, str] = {"kind": AccountKind.ATTORNEY.value}
    errors: FieldErrors = {}
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k not in ("password", "password_again")}
        reg, errors = validate_registration(request.form)
        if reg is not None and not portal().signin.registration_allowed(client_ip()):
            raise PortalDenied(
                429, "Too many registrations from your network. Try again in an hour."
            )
        if reg is not None:
            # The configured address (ECAS_PORTAL_BASE_URL), never the request's Host, so
            # a forged header can't redirect the mailed link.
            base = portal().core.config.link_base_url
            # The same page whether the username or address was free or taken: what
            # happened is mailed to the address, which only its owner reads.
            errors = portal().accounts.register(reg, base, client_ip())
            if not errors:
                # Post/redirect/get: reloading the result page can't register again. The
                # address shown there rides in a signed, short-lived cookie, not the URL.
                done = make_response(redirect(url_for("portal.registered"), 303))
                done.set_cookie(
                    REGISTERED_COOKIE,
                    _registered_signer().dumps(reg.email),
                    max_age=600,
                    path=url_for("portal.registered"),
                    httponly=True,
                    samesite="Lax",
                    secure=secure_cookies(),
                )
                return done
    status = 422 if errors else 200
    return (
        render_template(
            "register.html",
            title="Register for the ECAS Portal",
            values=values,
            errors=errors,
            labels=REGISTRATION_LABELS,
            courts=_courts(),
            kinds=[
                (AccountKind.ATTORNEY.value, "Attorney"),
                (AccountKind.ACCREDITED_REP.value, "Accredited representative"),
                (AccountKind.DHS.value, "DHS representative"),
            ],
        ),
        status,
    )


REGISTERED_COOKIE = "ecas_portal_registered"


def _registered_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(portal().core.config.secret_key, salt="ecas-portal-registered")


@bp.get("/registered")
@portal_page(Action.PUBLIC)
def registered() -> str:
    """The page after a registration (the same whatever happened: accounts.register)."""
    email = None
    with contextlib.suppress(BadSignature):  # also too old
        email = _registered_signer().loads(request.cookies.get(REGISTERED_COOKIE, ""), max_age=600)
    shown = email if isinstance(email, str) else None
    return render_template("registered.html", title="Check your email", email=shown)


@bp.get("/verify/<token>")
@portal_page(Action.PUBLIC)
def verify(token: str) -> tuple[str, int]:
    ok = len(token) < 200 and portal().accounts.verify_email(token)
    return render_template("verified.html", title="Email address", ok=ok), 200 if ok else 404


@bp.route("/login", methods=["GET", "POST"])
@portal_page(Action.PUBLIC)
def login() -> str | Response | tuple[str, int]:
    error = None
    status = 200
    login_name = ""
    retry_after: int | None = None
    if request.method == "POST":
        login_name = request.form.get("login", "")[:254]
        try:
            signed = portal().signin.password(
                login_name, request.form.get("password", ""), client_ip()
            )
        except SignInRefused as err:
            error, status, retry_after = str(err), err.status, err.retry_after
        else:
            next_url = {
                # The return address survives the second-factor step.
                NextStep.CODE: url_for("portal.login_code", next=_safe_next("") or None),
                NextStep.ENROL: url_for("portal.enrol", next=_safe_next("") or None),
                NextStep.DONE: _safe_next(url_for("portal.home")),
            }[signed.next_step]
            response = make_response(redirect(next_url))
            set_session_cookie(response, signed.token)
            return response
    page = make_response(
        render_template(
            "login.html", title="Sign in", error=error, login=login_name, next=_safe_next("")
        ),
        status,
    )
    if retry_after is not None:  # the server is busy signing others in (503)
        page.headers["Retry-After"] = str(retry_after)
    return page


def _half_session() -> tuple[str, SessionView]:
    view = session_view()
    token = g.get("portal_token")
    if view is None or token is None:
        raise PortalDenied(401, "Your session ended. Sign in again.")
    return token, view


@bp.route("/login/code", methods=["GET", "POST"])
@portal_page(Action.PORTAL_SIGN_IN_STEP)
def login_code() -> str | Response | tuple[str, int]:
    token, view = _half_session()
    error, status = None, 200
    if request.method == "POST":
        try:
            full = portal().signin.second_factor(
                token, view, request.form.get("code", ""), client_ip()
            )
        except SignInRefused as err:
            error, status = str(err), err.status
        else:
            response = make_response(redirect(_safe_next(url_for("portal.home"))))
            set_session_cookie(response, full)
            return response
    return (
        render_template(
            "code.html", title="Enter your sign-in code", error=error, next=_safe_next("")
        ),
        status,
    )


@bp.route("/login/enrol", methods=["GET", "POST"])
@portal_page(Action.PORTAL_SIGN_IN_STEP)
def enrol() -> str | BaseResponse | tuple[str, int]:
    token, view = _half_session()
    service = portal().signin
    try:
        secret = service.enrolment_secret(view)
    except SignInRefused:
        return redirect(url_for("portal.login_code", next=_safe_next("") or None))
    error, status = None, 200
    if request.method == "POST":
        try:
            full, codes = service.confirm_enrolment(
                token, view, request.form.get("code", ""), client_ip()
            )
        except SignInRefused as err:
            error, status = str(err), err.status
        else:
            # Post/redirect/get: the codes are shown once by a GET (views_profile.py), so
            # reloading the page can't send the form again.
            from sync_server.portal.views_profile import redirect_to_recovery_codes

            response = redirect_to_recovery_codes(full, codes, _safe_next(url_for("portal.home")))
            set_session_cookie(response, full)
            return response
    uri = totp.provisioning_uri(secret, view.principal.username)
    return (
        render_template(
            "enrol.html",
            title="Set up two-factor sign-in",
            secret=secret,
            uri=uri,
            qr=totp.qr_svg(uri),
            error=error,
            next=_safe_next(""),
        ),
        status,
    )


@bp.post("/logout")
@portal_page(Action.PORTAL_SIGN_IN_STEP)
def logout() -> Response:
    token = g.get("portal_token")
    if token:
        portal().signin.end(token)
    response = make_response(redirect(url_for("portal.home", notice="signed_out")))
    set_session_cookie(response, None)
    return response
