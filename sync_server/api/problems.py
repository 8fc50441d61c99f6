"""One error shape: every error leaves as ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from flask import Flask, Response
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
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.errors, self.type, self.headers, self.extra = errors, type_, headers or {}, extra


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


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiProblem)
    def _api_problem(err: ApiProblem) -> Response:
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
