"""The OpenAPI 3.1 document, generated from the routes and their declared models.

apispec assembles the document; each route's ``@endpoint`` declaration supplies the
summary, the request and response models (pydantic, so the schemas are the wire schemas),
and its access rule.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from apispec import APISpec
from flask import Flask
from pydantic import BaseModel

from common.protocol import Problem
from common.wire import ENTITY_SCHEMAS
from sync_server.api.gate import endpoint_spec
from sync_server.api.params import PATH_PATTERNS
from sync_server.policy import Action

_REF_TEMPLATE = "#/components/schemas/{model}"


def _register(spec: APISpec, model: type[BaseModel], seen: set[str]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template=_REF_TEMPLATE)
    for name, sub in schema.pop("$defs", {}).items():
        if name not in seen:
            seen.add(name)
            spec.components.schema(name, sub)
    if model.__name__ not in seen:
        seen.add(model.__name__)
        spec.components.schema(model.__name__, schema)
    return {"$ref": _REF_TEMPLATE.format(model=model.__name__)}


# Headers an answer carries, by name: what they hold.
_HEADERS: dict[str, dict[str, Any]] = {
    "Allow": {"description": "The methods this address accepts", "schema": {"type": "string"}},
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
    "WWW-Authenticate": {"description": "The bearer scheme", "schema": {"type": "string"}},
    "Upload-Offset": {
        "description": "The bytes of the upload the server holds",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
    "Content-Range": {"description": "The bytes sent, of the whole", "schema": {"type": "string"}},
    "Accept-Ranges": {"schema": {"type": "string", "enum": ["bytes"]}},
    "ETag": {"description": "The document's SHA-256, quoted", "schema": {"type": "string"}},
}


def _parameters_of_path(path: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": PATH_PATTERNS[name]}
            if name in PATH_PATTERNS
            else {"type": "string"},
        }
        for name in re.findall(r"{([^}]+)}", path)
    ]


def _parameters(declared: Any, path: str) -> list[dict[str, Any]]:
    return _parameters_of_path(path) + [copy.deepcopy(p) for p in declared.parameters]


def _configured_limits(node: Any, config: Any) -> None:
    """Each ``x-maximum-setting`` (a limit this server was configured with, named by its
    setting) becomes the ``maximum`` it is here."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            setting = item.pop("x-maximum-setting", None)
            if setting is not None:
                item["maximum"] = getattr(config, setting)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _headers(names: list[str]) -> dict[str, Any]:
    return {"headers": {name: _HEADERS[name] for name in names}} if names else {}


def _operation(spec: APISpec, view: Any, seen: set[str], path: str) -> dict[str, Any] | None:
    declared = endpoint_spec(view)
    if declared is None:
        return None
    problem = {
        "content": {
            "application/problem+json": {"schema": {"$ref": _REF_TEMPLATE.format(model="Problem")}}
        }
    }
    op: dict[str, Any] = {"summary": declared.summary, "responses": {}}
    statuses = set(declared.responses)
    if declared.action is not Action.PUBLIC:
        op["security"] = [{"bearer": []}]
        # The gate: no or a dead token (401); a role the policy refuses (403).
        statuses |= {401, 403}
    op["x-access"] = declared.action.value
    op["parameters"] = _parameters(declared, path)
    if any(p["in"] != "path" for p in op["parameters"]):
        statuses.add(400)  # a query or header parameter out of its range
    if any(p["in"] == "path" for p in op["parameters"]):
        statuses.add(404)  # a path naming nothing
    if declared.request_model is not None:
        ref = _register(spec, declared.request_model, seen)
        op["requestBody"] = {
            "required": declared.body_required,
            "content": {"application/json": {"schema": ref}},
        }
        # Every JSON body can be malformed, of another type, invalid or too large.
        statuses |= {400, 413, 415, 422}
    elif declared.consumes is not None:
        op["requestBody"] = {
            "required": True,
            "content": {declared.consumes: {"schema": {"type": "string", "format": "binary"}}},
        }
        statuses.add(413)
    ok: dict[str, Any] = {"description": "Success"}
    if declared.response_model is not None and declared.status != 204:
        ok["content"] = {
            "application/json": {"schema": _register(spec, declared.response_model, seen)}
        }
    elif declared.produces is not None:
        ok["content"] = {declared.produces: {"schema": {"type": "string", "format": "binary"}}}
    headers_of: dict[int, list[str]] = {}
    for status, name in declared.response_headers:
        headers_of.setdefault(status, []).append(name)
    if 429 in statuses:
        headers_of.setdefault(429, []).append("Retry-After")
    op["responses"][str(declared.status)] = {**ok, **_headers(headers_of.get(declared.status, []))}
    for status in sorted(statuses - {declared.status}):
        extra = problem if status >= 400 else {k: v for k, v in ok.items() if k == "content"}
        op["responses"][str(status)] = {
            "description": f"HTTP {status}",
            **extra,
            **_headers(headers_of.get(status, [])),
        }
    return op


def _discovery(path: str) -> dict[str, Any]:
    """OPTIONS on the upload addresses: the methods they take, without signing in (the
    gate answers it for every API address; the resumable upload's client asks first)."""
    return {
        "summary": "The methods this address accepts (no sign-in needed)",
        "parameters": _parameters_of_path(path),
        "responses": {
            "204": {
                "description": "No content; `Allow` lists the methods",
                "headers": {"Allow": {**_HEADERS["Allow"], "required": True}},
            },
            "404": {
                "description": "HTTP 404",
                "content": {
                    "application/problem+json": {
                        "schema": {"$ref": _REF_TEMPLATE.format(model="Problem")}
                    }
                },
            },
        },
    }


def build_openapi(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="ECAS sync server",
        version="1",
        openapi_version="3.1.0",
        info={"description": "The sync protocol (docs/PROTOCOL.md); errors are problem+json."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    seen: set[str] = set()
    _register(spec, Problem, seen)
    for model in ENTITY_SCHEMAS.values():
        _register(spec, model, seen)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        if view is None or rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        operations = {}
        for method in sorted((rule.methods or set()) - {"OPTIONS", "HEAD"} or {"HEAD"}):
            op = _operation(spec, view, seen, path)
            if op is not None:
                operations[method.lower()] = op
        if operations and path.startswith("/api/v1/blobs/uploads"):
            operations["options"] = _discovery(path)
        if operations:
            spec.path(path=path, operations=operations)
    document = spec.to_dict()
    _configured_limits(document, app.extensions["ecas"].config)
    return document
