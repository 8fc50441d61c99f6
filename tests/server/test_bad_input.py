"""Bad requests of every kind get one error shape, and never an internal detail."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from common.enums import Role
from common.protocol import MAX_DATA_BYTES
from sync_server.app import create_app
from sync_server.db import write_transaction
from sync_server.services import sync as sync_service
from sync_server.services.auth import create_user, exempt_from_api_second_factor
from tests import pdf_factory
from tests.conftest import DEMO_PASSWORD, Api, make_database, mutation, server_config
from tests.portal.portal_helpers import (
    PASSWORD,
    Browser,
    csrf_of,
    register_and_approve,
    sign_in_enrolling,
)
from tests.server.sync_helpers import SFR, case_data

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


# --- issue 14 item 9: no 500 for bad input ------------------------------------------------
# Digits of other scripts, superscripts and full-width digits pass `str.isdigit`, and some
# of them `int` too; numbers in query strings and headers are ASCII digits or a 400.
NOT_ASCII_NUMBERS = ["\u0661\u0660", "\u00b2", "\uff11\uff10", "\u0660", "+5", " 5", "5 ", "1_0"]


@pytest.mark.parametrize("limit", NOT_ASCII_NUMBERS)
def test_unicode_digits_in_limit_is_a_400(api: Api, token: str, limit: str) -> None:
    response = api.client.get(
        "/api/v1/sync/changes", query_string={"limit": limit}, headers=api.headers(token)
    )
    assert _error_locs(_assert_problem(response, 400)) == {"limit"}


def test_unicode_digits_in_upload_offset_is_a_400(api: Api, token: str) -> None:
    data = pdf_factory.large_pdf(2_000)
    started = api.client.post(
        "/api/v1/blobs/uploads",
        headers=api.headers(token),
        json={"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)},
    ).get_json()
    upload = f"/api/v1/blobs/uploads/{started['upload_id']}"
    for offset in NOT_ASCII_NUMBERS:
        response = api.client.patch(
            upload, data=data, headers={**api.headers(token), "Upload-Offset": offset}
        )
        assert _error_locs(_assert_problem(response, 400)) == {"Upload-Offset"}
    missing = api.client.patch(upload, data=data, headers=api.headers(token))
    _assert_problem(missing, 400)
    # Nothing was written: the upload resumes from 0 and completes.
    assert api.client.head(upload, headers=api.headers(token)).headers["Upload-Offset"] == "0"
    done = api.client.patch(upload, data=data, headers={**api.headers(token), "Upload-Offset": "0"})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["complete"] is True


def _nested(depth: int) -> str:
    """``{"a":{"a": ... {}}}`` as JSON text, ``depth`` objects deep (deeper than Python's
    own encoder goes; the server's parser takes up to 1024)."""
    return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)


@pytest.mark.parametrize("depth", [33, 300, 1000])
def test_deeply_nested_record_is_refused_alone(api: Api, token: str, depth: int) -> None:
    before, deep, after = (case_data(SFR, judge="judge1") for _ in range(3))
    deep["notes"] = "DEEP"
    push = {
        "client_id": "desk-deep",
        "mutations": [mutation("case", before), mutation("case", deep), mutation("case", after)],
    }
    raw = json.dumps(push).replace('"DEEP"', _nested(depth))
    headers = api.headers(token)

    def send() -> Any:
        return api.client.post(PUSH, headers=headers, data=raw, content_type="application/json")

    response = send()
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert "nests deeper than 32 levels" in results[1]["error"]
    # The same push again (a client that lost the answer) gets the same answers.
    again = send()
    assert again.status_code == 200
    assert again.get_json()["results"] == results


def test_a_record_over_the_size_limit_is_refused_alone(api: Api, token: str) -> None:
    big, fine = case_data(SFR, judge="judge1"), case_data(SFR, judge="judge1")
    big["notes"] = {"padding": ["x" * 1000] * (MAX_DATA_BYTES // 1000 + 1)}
    results = api.push(token, mutation("case", big), mutation("case", fine))
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert "bytes as JSON" in results[0]["error"]


def test_a_record_id_in_other_scripts_digits_is_a_422(api: Api, token: str) -> None:
    # uuid.UUID reads U+0660 (ARABIC-INDIC DIGIT ZERO) as 0: the id must be ASCII hex.
    arabic_zeros = "\u0660" * 32
    body = mutation("case", case_data(SFR, judge="judge1"), record_id=arabic_zeros)
    response = api.client.post(
        PUSH, headers=api.headers(token), json={"client_id": "desk-1", "mutations": [body]}
    )
    assert "mutations.0.id" in _error_locs(_assert_problem(response, 422))


def test_true_is_not_a_version_or_a_size(api: Api, token: str) -> None:
    body = mutation("case", case_data(SFR, judge="judge1"), base_version=0)
    body["base_version"] = True
    response = api.client.post(
        PUSH, headers=api.headers(token), json={"client_id": "desk-1", "mutations": [body]}
    )
    assert "mutations.0.base_version" in _error_locs(_assert_problem(response, 422))
    upload = api.client.post(
        "/api/v1/blobs/uploads",
        headers=api.headers(token),
        json={"sha256": "ab" * 32, "size": True},
    )
    assert _error_locs(_assert_problem(upload, 422)) == {"size"}


@pytest.mark.parametrize(
    "target",
    [
        "/portal/\r\nSet-Cookie: planted=1",
        "/portal/x\nLocation: https://evil.example/",
        "/portal/\u2028",
        "//evil.example/portal/",
        "https://evil.example/portal/",
        "/portal/\\evil.example",
        "/portal/\x00",
    ],
)
def test_crlf_in_next_after_sign_in_is_refused(seeded_app: Flask, target: str) -> None:
    """The sign-in succeeds and lands on the portal's home page; the target is ignored, so
    no header is split and no other site is reached. (Control characters in the address
    itself are refused before any page: 400.)"""
    browser = Browser(seeded_app.test_client())
    in_address = browser.client.get("/portal/login", query_string={"next": target})
    assert in_address.status_code == (400 if any(ord(c) < 32 for c in target) else 200)
    browser.get("/portal/login")
    response = browser.client.post(
        "/portal/login",
        data={
            "csrf_token": csrf_of(browser.last),
            "login": "admin1",
            "password": DEMO_PASSWORD,
            "next": target,
        },
    )
    if "\x00" in target:  # no form field carries NUL: refused before signing in
        assert response.status_code == 400
        return
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert response.headers["Location"] == "/portal/"
    assert "planted" not in str(response.headers)


def test_a_portal_path_in_next_is_followed_after_sign_in(seeded_app: Flask) -> None:
    browser = Browser(seeded_app.test_client())
    browser.get("/portal/login")
    response = browser.client.post(
        "/portal/login",
        data={
            "csrf_token": csrf_of(browser.last),
            "login": "admin1",
            "password": DEMO_PASSWORD,
            "next": "/portal/admin/registrations?all=1",
        },
    )
    assert response.headers["Location"] == "/portal/admin/registrations?all=1"


def test_unicode_digits_as_a_two_factor_code_are_refused_not_a_500(seeded_app: Flask) -> None:
    """Six Arabic-Indic digits pass `isdigit`; compared with the expected code they raised
    inside hmac.compare_digest (ASCII only)."""
    account = register_and_approve(seeded_app)
    sign_in_enrolling(seeded_app, account)
    response = seeded_app.test_client().post(
        "/api/v1/auth/login",
        json={"username": account.username, "password": PASSWORD, "otp": "\u0661" * 6},
    )
    _assert_problem(response, 401)


def test_nul_in_ids_and_names_is_refused_not_a_500(api: Api, token: str) -> None:
    """PostgreSQL can't store NUL in a text column: each of these was a 500 there."""
    attorney, admin = api.login("attorney1"), api.login("admin1")
    paths = [
        (f"/api/v1/cases/%00{uuid.uuid4()}/history", token),
        ("/api/v1/rop-packages/%00", attorney),
        ("/api/v1/rop-packages/%00/download", attorney),
    ]
    for path, who in paths:
        _assert_problem(api.client.get(path, headers=api.headers(who)), 404)
    approve = api.client.post(
        "/api/v1/registrations/%00/approve",
        json={"identity_checked": True},
        headers=api.headers(admin),
    )
    _assert_problem(approve, 404)
    package = api.client.post(
        "/api/v1/rop-packages", json={"case_id": "\x00"}, headers=api.headers(attorney)
    )
    assert _error_locs(_assert_problem(package, 422)) == {"case_id"}
    login = api.client.post("/api/v1/auth/login", json={"username": "a\x00", "password": "x"})
    assert _error_locs(_assert_problem(login, 422)) == {"username"}
    one = mutation("case", case_data(SFR, judge="judge1"))
    for field, value in (("entity", "\x00"), ("group", "\x00")):
        body = {"client_id": "desk-1", "mutations": [{**one, field: value}]}
        response = api.client.post(PUSH, headers=api.headers(token), json=body)
        assert _error_locs(_assert_problem(response, 422)) == {f"mutations.0.{field}"}
    response = api.client.post(
        PUSH, headers=api.headers(token), json={"client_id": "\x00", "mutations": [one]}
    )
    assert _error_locs(_assert_problem(response, 422)) == {"client_id"}


def test_crlf_in_a_portal_address_is_a_400_not_a_split_header(seeded_app: Flask) -> None:
    """Signed out, a portal page redirects to sign-in with the page as `next=`: a CR/LF
    in the address made that redirect raise."""
    response = seeded_app.test_client().get("/portal/cases/%0d%0aSet-Cookie:%20planted=1")
    assert response.status_code == 400
    assert "planted" not in str(response.headers)
    # An address with other odd characters still redirects, its path quoted.
    odd = seeded_app.test_client().get("/portal/cases/%C3%A9%20x")
    assert odd.status_code == 302
    assert odd.headers["Location"] == "/portal/login?next=/portal/cases/%C3%A9%20x"


@pytest.mark.parametrize(
    ("field", "value"), [("csrf_token", "\u00e9" * 64), ("login", "a\x00"), ("password", "\x01")]
)
def test_unreadable_portal_form_fields_are_refused_not_a_500(
    seeded_app: Flask, field: str, value: str
) -> None:
    browser = Browser(seeded_app.test_client())
    browser.get("/portal/login")
    form = {"csrf_token": csrf_of(browser.last), "login": "admin1", "password": "x", field: value}
    response = browser.client.post("/portal/login", data=form)
    assert response.status_code in (400, 403), response.status_code
    assert response.mimetype == "text/html"


def test_options_on_uploads_names_the_methods_without_a_token(api: Api) -> None:
    """A resumable-upload client (or a CORS preflight) asks before it has a token; the
    answer lists exactly the methods the address takes, and no view runs."""
    uploads = api.client.options("/api/v1/blobs/uploads")
    assert uploads.status_code == 204
    assert set(uploads.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    one = api.client.options(f"/api/v1/blobs/uploads/{uuid.uuid4()}")
    assert one.status_code == 204
    assert set(one.headers["Allow"].split(", ")) == {"HEAD", "PATCH", "OPTIONS"}
    _assert_problem(api.client.options("/api/v1/blobs/uploads/not-an-id"), 404)
