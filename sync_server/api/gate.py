"""The access gate: every endpoint declares what it does; nothing runs undeclared.

``@endpoint(Action.X, ...)`` records the action (and the request/response models for the
OpenAPI document). A ``before_request`` hook authenticates the bearer token and asks
:func:`sync_server.policy.allows`; a view without a declaration is refused (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from flask import Flask, Response, current_app, g, request
from itsdangerous import SignatureExpired
from pydantic import BaseModel

from sync_server.api.params import check_path
from sync_server.api.problems import ApiProblem
from sync_server.policy import Action, Principal, allows
from sync_server.services.auth import AuthError

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class EndpointSpec:
    action: Action
    summary: str
    request_model: type[BaseModel] | None = None
    response_model: type[BaseModel] | None = None
    responses: tuple[int, ...] = ()
    status: int = 200  # the usual success status
    # For the OpenAPI document: query and header parameters (OpenAPI parameter objects),
    # whether the JSON body may be left out, a body of raw bytes the view reads (its media
    # type), a success body that is not JSON (its media type), and the headers answers
    # carry, as (status, header name).
    parameters: tuple[dict[str, Any], ...] = ()
    body_required: bool = True
    consumes: str | None = None
    produces: str | None = None
    response_headers: tuple[tuple[int, str], ...] = ()


def endpoint(
    action: Action,
    summary: str,
    *,
    request_model: type[BaseModel] | None = None,
    response_model: type[BaseModel] | None = None,
    responses: tuple[int, ...] = (),
    status: int = 200,
    parameters: tuple[dict[str, Any], ...] = (),
    body_required: bool = True,
    consumes: str | None = None,
    produces: str | None = None,
    response_headers: tuple[tuple[int, str], ...] = (),
) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view._ecas_endpoint = EndpointSpec(  # type: ignore[attr-defined]
            action,
            summary,
            request_model,
            response_model,
            responses,
            status,
            parameters,
            body_required,
            consumes,
            produces,
            response_headers,
        )
        return view

    return mark


def endpoint_spec(view: Callable[..., Any]) -> EndpointSpec | None:
    spec = getattr(view, "_ecas_endpoint", None)
    return spec if isinstance(spec, EndpointSpec) else None


def current_principal() -> Principal:
    principal: Principal | None = g.get("principal")
    if principal is None:
        raise ApiProblem(401, "Unauthorized", "Sign in first.")
    return principal


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _authenticate() -> Principal | None:
    token = _bearer_token()
    if token is None:
        return None
    services = current_app.extensions["ecas"]
    try:
        # The token's signature and age every time; the account and session from the
        # database at most every auth_recheck_seconds (services/access_cache.py).
        return services.auth.principal_for(token)  # type: ignore[no-any-return]
    except AuthError as err:
        expired = isinstance(err.__cause__, SignatureExpired)
        raise ApiProblem(
            err.status,
            "Unauthorized",
            str(err),
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            refusal="token_expired" if expired else "invalid_token",
        ) from err


def _gate() -> Response | None:
    if request.endpoint is None:
        return None  # 404/405: let routing answer
    view = current_app.view_functions.get(request.endpoint)
    spec = endpoint_spec(view) if view is not None else None
    if spec is None:
        if request.endpoint == "static":
            return None
        # Portal pages (sync_server/portal) are declared with their own marker and checked
        # by the portal's gate, which fails closed the same way.
        if request.blueprint == "portal" and (
            request.endpoint == "portal.static" or hasattr(view, "_ecas_portal_action")
        ):
            return None
        raise ApiProblem(
            403, "Forbidden", "This endpoint declares no access rule.", refusal="undeclared"
        )
    check_path(request.view_args)  # a malformed id names nothing: 404, before any lookup
    if request.method == "OPTIONS":
        # Which methods this address takes (`Allow`), as a 405 would say, for anyone: a
        # CORS preflight or a TUS-style client asks before it has a token. No view runs.
        rule = request.url_rule.rule if request.url_rule is not None else None
        methods = {
            method
            for other in current_app.url_map.iter_rules()
            if other.rule == rule
            for method in other.methods or ()
        }
        answer = Response(status=204, headers={"Allow": ", ".join(sorted(methods))})
        del answer.headers["Content-Type"]
        return answer
    principal = None if spec.action is Action.PUBLIC else _authenticate()
    g.principal = principal
    if not allows(principal, spec.action):
        if principal is None:
            raise ApiProblem(
                401, "Unauthorized", "Sign in first.", headers={"WWW-Authenticate": "Bearer"}
            )
        raise ApiProblem(403, "Forbidden", "Your role may not do this.", refusal="role")
    return None


def install_gate(app: Flask) -> None:
    app.before_request(_gate)


def json_body(model: type[M]) -> M:
    """The request body parsed strictly as ``model``; malformed JSON is a 400 problem,
    wrong fields a 422 problem (raised as ``pydantic.ValidationError``)."""
    if not request.mimetype or request.mimetype != "application/json":
        raise ApiProblem(415, "Unsupported Media Type", "Send the body as application/json.")
    try:
        data = orjson.loads(request.get_data(cache=False))
    except orjson.JSONDecodeError as err:
        raise ApiProblem(
            400,
            "Malformed JSON",
            f"The body is not valid JSON: {err.msg}.",
        ) from err
    return model.model_validate(data)
