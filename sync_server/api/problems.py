"""One error shape: every error leaves as ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from flask import Flask, Response, current_app, g, has_request_context, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_MIME = "application/problem+json"


class ApiProblem(Exception):
    """Raise to answer with a problem; ``extra`` adds members (e.g. ``offset``)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        type_: str = "about:blank",
        headers: dict[str, str] | None = None,
        refusal: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.errors, self.type, self.headers, self.extra = errors, type_, headers or {}, extra
        # Why a refused request was refused, as the audit entry says it (a short code;
        # default: from the status). ``ROUTINE`` codes are not audited.
        self.refusal = refusal


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = Response(orjson.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def validation_errors(err: ValidationError) -> list[dict[str, str]]:
    return [
        {"loc": ".".join(str(p) for p in e["loc"]) or "body", "msg": e["msg"]}
        for e in err.errors(include_url=False, include_input=False)
    ]


# Refusals that go into the audit chain (services/refusals.py queues them; no database
# work in the request), with the reason code each status gets unless the raiser names one.
AUDITED = {
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "throttled",
}
# Not refusals of an action: an access token that expired on schedule (the client
# refreshes it and retries).
ROUTINE = frozenset({"token_expired"})
# Endpoints that audit their own refusals, with more detail than a status says.
SELF_AUDITED = frozenset({"auth.login"})


def audit_refusal(status: int, refusal: str | None = None) -> None:
    """Queue an audit entry for this request's refusal: who (the signed-in user, or none
    and the client address), what (the endpoint's action and the id it named) and why."""
    reason = refusal or AUDITED.get(status)
    if reason is None or reason in ROUTINE or not has_request_context():
        return
    if request.endpoint in SELF_AUDITED:
        return
    services = current_app.extensions.get("ecas")
    if services is None:
        return
    try:
        view = current_app.view_functions.get(request.endpoint or "")
        spec = getattr(view, "_ecas_endpoint", None)
        action = getattr(getattr(spec, "action", None), "value", None)
        principal = g.get("principal")
        target = next((str(v) for v in (request.view_args or {}).values()), None)
        services.refusals.record(
            actor_id=getattr(principal, "id", None),
            client=request.remote_addr or "unknown",
            action=action or request.endpoint or "unrouted",
            target=target,
            reason=reason,
            detail={"status": status, "method": request.method, "path": request.path[:200]},
        )
    except Exception:  # auditing a refusal must never turn it into a 500
        log.exception("could not queue the audit entry of a refusal")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiProblem)
    def _api_problem(err: ApiProblem) -> Response:
        audit_refusal(err.status, err.refusal)
        return problem_response(
            err.status,
            err.title,
            err.detail,
            errors=err.errors,
            type_=err.type,
            headers=err.headers,
            **err.extra,
        )

    @app.errorhandler(ValidationError)
    def _validation(err: ValidationError) -> Response:
        return problem_response(
            422,
            "The request is not valid",
            "Some fields are missing or have the wrong type; see errors.",
            errors=validation_errors(err),
        )

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> Response:
        status = err.code or 500
        detail = {
            413: "The request body is larger than this server accepts.",
            404: "There is nothing at this address.",
            405: "This address does not accept that method.",
        }.get(status, err.description)
        # Keep the exception's own headers (a 405's Allow, a 416's Content-Range).
        headers = {k: v for k, v in err.get_headers() if k.lower() != "content-type"}
        audit_refusal(status)
        return problem_response(status, err.name, detail, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception) -> Response:
        # Log the detail for operators; tell the client nothing internal.
        log.exception("unhandled error")
        return problem_response(
            500,
            "Internal Server Error",
            "The server failed to handle the request; it has been logged. "
            "Try again, and tell support if it keeps happening.",
        )
