"""The OpenAPI 3.1 document, generated from the routes and their declared models.

apispec assembles the document; each route's ``@endpoint`` declaration supplies the
summary, the request and response models (pydantic, so the schemas are the wire schemas),
and its access rule.
"""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from flask import Flask
from pydantic import BaseModel

from common.protocol import Problem
from common.wire import ENTITY_SCHEMAS
from sync_server.api.gate import endpoint_spec
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


def _operation(spec: APISpec, view: Any, seen: set[str]) -> dict[str, Any] | None:
    declared = endpoint_spec(view)
    if declared is None:
        return None
    problem = {
        "content": {
            "application/problem+json": {"schema": {"$ref": _REF_TEMPLATE.format(model="Problem")}}
        }
    }
    op: dict[str, Any] = {"summary": declared.summary, "responses": {}}
    if declared.action is not Action.PUBLIC:
        op["security"] = [{"bearer": []}]
    op["x-access"] = declared.action.value
    if declared.request_model is not None:
        ref = _register(spec, declared.request_model, seen)
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref}}}
    ok: dict[str, Any] = {"description": "Success"}
    if declared.response_model is not None and declared.status != 204:
        ok["content"] = {
            "application/json": {"schema": _register(spec, declared.response_model, seen)}
        }
    op["responses"][str(declared.status)] = ok
    # Every JSON body can be malformed, of the wrong type, invalid or too large.
    refusals = (400, 413, 415, 422) if declared.request_model is not None else ()
    for status in sorted({*declared.responses, *refusals}):
        extra = problem if status >= 400 else {k: v for k, v in ok.items() if k == "content"}
        op["responses"][str(status)] = {"description": f"HTTP {status}", **extra}
    return op


def build_openapi(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="ECAS sync server",
        version="1",
        openapi_version="3.1.0",
        info={
            "description": "The sync protocol of DESIGN.md; errors are application/problem+json."
        },
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
            op = _operation(spec, view, seen)
            if op is not None:
                operations[method.lower()] = op
        if operations:
            params = re.findall(r"{([^}]+)}", path)
            for op in operations.values():
                op["parameters"] = [
                    {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                    for p in params
                ]
            spec.path(path=path, operations=operations)
    return spec.to_dict()
