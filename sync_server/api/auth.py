"""``/api/v1/auth``: sign in, refresh, sign out."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from common.protocol import LoginRequest, LogoutRequest, RefreshRequest, TokenResponse
from sync_server.api.gate import current_principal, endpoint, json_body
from sync_server.api.problems import ApiProblem
from sync_server.policy import Action
from sync_server.services.auth import AuthError, AuthService

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")


def _auth() -> AuthService:
    service: AuthService = current_app.extensions["ecas"].auth
    return service


def _tokens(response: TokenResponse) -> Response:
    return Response(
        response.model_dump_json(),
        mimetype="application/json",
        headers={"Cache-Control": "no-store"},
    )


@bp.post("/login")
@endpoint(
    Action.PUBLIC,
    "Sign in with username and password (external accounts and court administrators add a "
    "two-factor code)",
    request_model=LoginRequest,
    response_model=TokenResponse,
    responses=(401, 403, 429, 503),
)
def login() -> Response:
    """401: wrong details (or a two-factor code is missing/wrong); a wrong password, an
    unknown name and a locked account answer alike. 403: an account that needs two-factor
    sign-in and has not set it up in the portal yet; 429: too many failed codes; 503 with
    Retry-After: too many sign-ins at once (nothing was checked; try again then)."""
    body = json_body(LoginRequest)
    ip = (request.remote_addr or "unknown")[:60]  # as the portal counts it
    try:
        return _tokens(_auth().login(body.username, body.password, otp=body.otp, ip=ip))
    except AuthError as err:
        headers = {"Retry-After": str(err.retry_after)} if err.retry_after else None
        raise ApiProblem(err.status, "Sign-in failed", str(err), headers=headers) from err


@bp.post("/refresh")
@endpoint(
    Action.PUBLIC,
    "Trade a refresh token for new tokens (the old one dies)",
    request_model=RefreshRequest,
    response_model=TokenResponse,
    responses=(401,),
)
def refresh() -> Response:
    body = json_body(RefreshRequest)
    try:
        return _tokens(_auth().refresh(body.refresh_token, client_id=body.client_id))
    except AuthError as err:
        raise ApiProblem(err.status, "Session refresh failed", str(err)) from err


@bp.post("/logout")
@endpoint(
    Action.SIGNED_IN,
    "Sign out: the session of the bearer token ends (and the refresh token's, if sent)",
    request_model=LogoutRequest,
    responses=(401,),
    status=204,
    body_required=False,
)
def logout() -> Response:
    """With or without a body, the session the access token belongs to is ended: its
    refresh tokens are refused and its access tokens stop working."""
    body = json_body(LogoutRequest) if request.content_length else LogoutRequest()
    _, _, access_token = request.headers.get("Authorization", "").partition(" ")
    _auth().logout(current_principal(), access_token.strip(), body.refresh_token)
    return Response(status=204)
