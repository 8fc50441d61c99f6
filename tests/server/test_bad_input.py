"""Bad requests of every kind get one error shape, and never an internal detail."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from common.enums import Role
from sync_server.app import create_app
from sync_server.db import write_transaction
from sync_server.services import sync as sync_service
from sync_server.services.auth import create_user, exempt_from_api_second_factor
from tests import pdf_factory
from tests.conftest import Api, make_database, server_config

PROBLEM = "application/problem+json"
PUSH = "/api/v1/sync/push"


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    assert body["type"] and body["title"]
    return body


def _error_locs(body: dict[str, Any]) -> set[str]:
    return {error["loc"] for error in body["errors"]}


@pytest.fixture
def token(api: Api) -> str:
    return api.login("clerk1")


def test_malformed_json_is_a_400(api: Api, token: str) -> None:
    for raw in (b"{not json", b'{"client_id": "a", ', b"\xff\xfe", b""):
        response = api.client.post(
            PUSH, data=raw, headers=api.headers(token), content_type="application/json"
        )
        body = _assert_problem(response, 400)
        assert "not valid JSON" in body["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"client_id": "desk-1", "mutations": "x"}, "mutations"),
        ({"client_id": 7, "mutations": []}, "client_id"),
        (
            {
                "client_id": "desk-1",
                "mutations": [
                    {"mutation_id": "m", "entity": "case", "id": str(uuid.uuid4()), "op": "upsert"}
                ],
            },
            "mutations.0.mutation_id",
        ),
        (
            {
                "client_id": "desk-1",
                "mutations": [
                    {
                        "mutation_id": str(uuid.uuid4()),
                        "entity": "case",
                        "id": str(uuid.uuid4()),
                        "op": "replace",
                    }
                ],
            },
            "mutations.0.op",
        ),
        (
            {
                "client_id": "desk-1",
                "mutations": [
                    {
                        "mutation_id": str(uuid.uuid4()),
                        "entity": "case",
                        "id": str(uuid.uuid4()),
                        "op": "delete",
                        "base_version": "two",
                    }
                ],
            },
            "mutations.0.base_version",
        ),
        ({"mutations": []}, "client_id"),
    ],
)
def test_wrong_field_types_are_a_422_naming_the_field(
    api: Api, token: str, payload: dict[str, Any], field: str
) -> None:
    body = _assert_problem(api.client.post(PUSH, json=payload, headers=api.headers(token)), 422)
    assert field in _error_locs(body)


def test_a_body_that_is_not_an_object_is_a_422(api: Api, token: str) -> None:
    for raw in ("[]", '"push"', "42", "null"):
        response = api.client.post(
            PUSH, data=raw, headers=api.headers(token), content_type="application/json"
        )
        _assert_problem(response, 422)


def test_a_blob_upload_with_a_string_size_is_a_422(api: Api, token: str) -> None:
    response = api.client.post(
        "/api/v1/blobs/uploads",
        headers=api.headers(token),
        json={"sha256": "ab" * 32, "size": "big"},
    )
    assert _error_locs(_assert_problem(response, 422)) == {"size"}


@pytest.mark.parametrize("limit", ["ten", "-1", "0", "1.5"])
def test_a_bad_limit_names_the_field(api: Api, token: str, limit: str) -> None:
    response = api.client.get(f"/api/v1/sync/changes?limit={limit}", headers=api.headers(token))
    body = _assert_problem(response, 400)
    assert _error_locs(body) == {"limit"}


def test_unknown_top_level_fields_are_a_422(api: Api, token: str) -> None:
    response = api.client.post(
        PUSH,
        headers=api.headers(token),
        json={"client_id": "desk-1", "mutations": [], "force": True},
    )
    assert "force" in _error_locs(_assert_problem(response, 422))
    login = api.client.post(
        "/api/v1/auth/login", json={"username": "clerk1", "password": "x", "remember": "1"}
    )
    assert "remember" in _error_locs(_assert_problem(login, 422))
    # ("otp" is a real field now: external accounts' two-factor code.)
    too_long = api.client.post(
        "/api/v1/auth/login", json={"username": "clerk1", "password": "x", "otp": "1" * 65}
    )
    assert "otp" in _error_locs(_assert_problem(too_long, 422))


def test_a_body_that_is_not_json_is_a_415(api: Api, token: str) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        response = api.client.post(
            PUSH,
            headers=api.headers(token),
            content_type=content_type,
            data='{"client_id": "desk-1", "mutations": []}',
        )
        _assert_problem(response, 415)


@pytest.fixture
def small_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """A server that accepts JSON bodies of at most 10 000 bytes."""
    with make_database(backend, tmp_path) as url:
        app = create_app(server_config(url, tmp_path, max_request_bytes=10_000))
        yield app
        app.extensions["ecas"].engine.dispose()


def test_a_body_over_the_size_limit_is_a_413(small_app: Flask) -> None:
    client = small_app.test_client()
    response = client.post(
        "/api/v1/auth/login", json={"username": "someone", "password": "p" * 20_000}
    )
    body = _assert_problem(response, 413)
    assert "larger than this server accepts" in body["detail"]


def test_blob_chunks_are_not_held_to_the_json_limit(small_app: Flask) -> None:
    with write_transaction(small_app.extensions["ecas"].factory) as session:
        filer = create_user(
            session,
            username="filer",
            password="a long password",
            role=Role.DHS,
            display_name="DHS Filer",
        )
        exempt_from_api_second_factor(session, filer, "test account")  # no authenticator app
    api = Api(small_app.test_client())
    token = api.login("filer", "a long password")
    data = pdf_factory.large_pdf(30_000)
    started = api.client.post(
        "/api/v1/blobs/uploads",
        headers=api.headers(token),
        json={"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)},
    ).get_json()
    response = api.client.patch(
        f"/api/v1/blobs/uploads/{started['upload_id']}",
        data=data,
        headers={**api.headers(token), "Upload-Offset": "0"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["complete"] is True


def test_an_unknown_address_is_a_404(api: Api, token: str) -> None:
    for path in ("/nothing-here", "/api/v1/sync/everything", "/api/v2/sync/changes"):
        body = _assert_problem(api.client.get(path, headers=api.headers(token)), 404)
        assert body["detail"] == "There is nothing at this address."


def test_a_wrong_method_is_a_405_that_says_which_are_allowed(api: Api) -> None:
    response = api.client.get("/api/v1/auth/login")
    _assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]
    _assert_problem(api.client.delete("/api/v1/sync/changes"), 405)


def test_an_internal_error_is_a_500_that_tells_nothing_internal(
    api: Api, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("psql: password=hunter2 at /srv/ecas/sync_server/services/sync.py")

    monkeypatch.setattr(sync_service, "push", broken)
    response = api.client.post(
        PUSH, headers=api.headers(token), json={"client_id": "desk-1", "mutations": []}
    )
    body = _assert_problem(response, 500)
    text = response.get_data(as_text=True)
    for leak in ("hunter2", "RuntimeError", "Traceback", "sync.py", "psql"):
        assert leak not in text
    assert "logged" in body["detail"]


def _error_responses(client: FlaskClient, token: str) -> Iterator[Any]:
    auth = {"Authorization": f"Bearer {token}"}
    yield client.post("/api/v1/auth/login", json={"username": "x", "password": "y"})
    yield client.post("/api/v1/auth/refresh", json={"refresh_token": "spent"})
    yield client.get("/api/v1/sync/changes")
    yield client.get("/api/v1/sync/changes", headers={"Authorization": "Bearer nope"})
    yield client.get("/api/v1/sync/changes?since=%%%", headers=auth)
    yield client.post(PUSH, headers=auth, data="{", content_type="application/json")
    yield client.post(PUSH, headers=auth, json={"mutations": 1})
    yield client.post(PUSH, headers=auth, data="x", content_type="text/plain")
    yield client.get(f"/api/v1/blobs/{'0' * 64}", headers=auth)
    yield client.head(f"/api/v1/blobs/uploads/{uuid.uuid4()}", headers=auth)
    yield client.patch("/api/v1/blobs/uploads/not-an-id", headers=auth)
    yield client.put("/healthz")
    yield client.get("/missing")


def test_every_error_has_the_problem_shape(api: Api, token: str) -> None:
    for response in _error_responses(api.client, token):
        assert response.status_code >= 400
        assert response.mimetype == PROBLEM, response.request.path
        if response.request.method == "HEAD":
            continue  # a HEAD answer has no body to check
        body = response.get_json()
        assert {"type", "title", "status"} <= set(body), response.request.path
        assert body["status"] == response.status_code
