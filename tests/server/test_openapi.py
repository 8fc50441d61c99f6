"""The generated OpenAPI document is valid and describes every route the server has."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from openapi_spec_validator import validate

from common.wire import ENTITY_SCHEMAS, SHA256_PATTERN, UUID_PATTERN

METHODS = {"get", "post", "put", "patch", "delete", "head"}


@pytest.fixture
def document(seeded_app: Flask) -> dict[str, Any]:
    response = seeded_app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body: dict[str, Any] = response.get_json()
    return body


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_route_and_method_is_described(seeded_app: Flask, document: dict[str, Any]) -> None:
    for rule in seeded_app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("portal."):
            continue  # the portal's HTML pages are not part of the JSON API
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        assert path in document["paths"], path
        methods = {m.lower() for m in rule.methods or ()} - {"options"}
        if methods != {"head"}:
            methods.discard("head")  # Flask adds HEAD to every GET by itself
        assert methods <= set(document["paths"][path]), (path, methods)


def test_path_parameters_are_declared(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        named = set(re.findall(r"{([^}]+)}", path))
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert named == declared, (path, method)


def test_the_push_request_and_every_entity_schema_are_components(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert len(ENTITY_SCHEMAS) == 22
    for model in ENTITY_SCHEMAS.values():
        assert model.__name__ in schemas, model.__name__
        assert set(model.model_fields) == set(schemas[model.__name__]["properties"])
    push = schemas["PushRequest"]
    assert set(push["required"]) == {"client_id", "mutations"}
    body = document["paths"]["/api/v1/sync/push"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PushRequest"
    }
    assert {"Mutation", "MutationResult", "PushResponse", "Problem"} <= set(schemas)


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    text = str(document)
    for name in set(re.findall(r"#/components/schemas/([A-Za-z0-9_]+)", text)):
        assert name in document["components"]["schemas"], name


def test_protected_operations_declare_bearer_security(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
    }
    public = {
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/healthz", "get"),
        ("/api/version", "get"),
        ("/", "get"),
        ("/api/openapi.json", "get"),
    }
    for path, method, op in _operations(document):
        if (path, method) in public:
            assert "security" not in op, (path, method)
        else:
            assert op["security"] == [{"bearer": []}], (path, method)
            assert "401" in op["responses"], (path, method)


def test_error_responses_are_problem_documents(document: dict[str, Any]) -> None:
    for path, _method, op in _operations(document):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}, (path, status)


def test_operations_with_a_json_body_document_its_refusals(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        if "application/json" in op.get("requestBody", {}).get("content", {}):
            assert {"400", "413", "415", "422"} <= set(op["responses"]), (path, method)


def test_the_spec_states_what_the_server_enforces(
    seeded_app: Flask, document: dict[str, Any]
) -> None:
    paths, schemas = document["paths"], document["components"]["schemas"]
    config = seeded_app.extensions["ecas"].config
    # Names: UUIDs and SHA-256 digests, as patterns a generated client can check.
    assert schemas["Mutation"]["properties"]["id"]["pattern"] == UUID_PATTERN
    assert schemas["BlobUploadRequest"]["properties"]["sha256"]["pattern"] == SHA256_PATTERN
    download = paths["/api/v1/blobs/{sha256}"]["get"]
    assert download["parameters"][0]["schema"]["pattern"] == SHA256_PATTERN
    assert "application/pdf" in download["responses"]["200"]["content"]
    # Limits this server was configured with.
    size = schemas["BlobUploadRequest"]["properties"]["size"]
    assert (size["minimum"], size["maximum"]) == (1, config.max_blob_bytes)
    changes = {p["name"]: p for p in paths["/api/v1/sync/changes"]["get"]["parameters"]}
    assert changes["limit"]["schema"]["maximum"] == config.sync_page_max
    assert changes["limit"]["schema"]["minimum"] == 1
    # The upload's header, its raw body and the offset each answer carries.
    chunk = paths["/api/v1/blobs/uploads/{raw_id}"]["patch"]
    offset = next(p for p in chunk["parameters"] if p["name"] == "Upload-Offset")
    assert offset["in"] == "header" and offset["required"] is True
    assert offset["schema"]["type"] == "integer"
    assert "application/offset+octet-stream" in chunk["requestBody"]["content"]
    assert "Upload-Offset" in chunk["responses"]["409"]["headers"]
    head = paths["/api/v1/blobs/uploads/{raw_id}"]["head"]["responses"]["204"]
    assert "Upload-Offset" in head["headers"]
    # Signing out takes a body or none.
    assert paths["/api/v1/auth/logout"]["post"]["requestBody"]["required"] is False
    # The upload addresses say which methods they take, without a token.
    discovery = paths["/api/v1/blobs/uploads"]["options"]
    assert "security" not in discovery
    assert discovery["responses"]["204"]["headers"]["Allow"]["required"] is True
    # No configured-limit marker is left for a client to puzzle over.
    assert "x-maximum-setting" not in str(document)


def test_success_codes_match_what_the_server_answers(document: dict[str, Any]) -> None:
    paths = document["paths"]
    assert "204" in paths["/api/v1/auth/logout"]["post"]["responses"]
    assert "201" in paths["/api/v1/blobs/uploads"]["post"]["responses"]
    assert "204" in paths["/api/v1/blobs/uploads/{raw_id}"]["head"]["responses"]
    assert "206" in paths["/api/v1/blobs/{sha256}"]["get"]["responses"]


def test_the_published_spec_documents_push_groups(seeded_app: Flask) -> None:
    spec = seeded_app.test_client().get("/api/openapi.json").get_json()
    mutation = spec["components"]["schemas"]["Mutation"]["properties"]
    assert "group" in mutation
    assert "all or nothing" in str(mutation["group"])
