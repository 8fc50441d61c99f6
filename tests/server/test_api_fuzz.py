"""The API fuzzed from its own OpenAPI document (schemathesis): no request a client can
build, following the spec or breaking it, gets a server error, and every answer is one the
spec describes (status code, content type, headers, body schema); requests the spec allows
are accepted and requests it forbids are refused.

The default run is bounded and derandomized (the same examples every time, a few per
operation); ``ECAS_FUZZ_EXAMPLES=<n>`` runs ``n`` random examples per operation instead
(see CONTRIBUTING.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.conftest import DEMO_PASSWORD, Api
from tests.server.proxy_stack import Stack, needs_nginx, proxy_stack

LONG_RUN = int(os.environ.get("ECAS_FUZZ_EXAMPLES", "0") or 0)
EXAMPLES = LONG_RUN or 8  # in-process, per operation and mode
HTTP_EXAMPLES = LONG_RUN or 3  # over nginx and gunicorn

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
    ignored_auth,
]

# Who calls each kind of operation: someone the access policy lets through, so the
# generated requests reach the parsing and the domain rules behind the gate.
CALLER = {
    "registration.review": "admin1",
    "rop_package.request": "attorney1",
    "rop_package.read": "attorney1",
}


class Tokens:
    """Signed-in users' tokens. The harness signs in from an address of its own, so the
    fuzzer's failed sign-ins (counted per address) never lock it out."""

    def __init__(self, login: Callable[[str], str], cursor: Callable[[str], str]) -> None:
        self._login, self._cursor = login, cursor
        self.book: dict[str, str] = {}

    def __call__(self, username: str) -> str:
        if username not in self.book:
            self.book[username] = self._login(username)
        return self.book[username]

    def fresh(self, username: str) -> str:
        return self._login(username)

    def cursor(self, username: str) -> str:
        """A cursor the server handed out (the only kind it takes)."""
        return self._cursor(self(username))


def _configured(schema: Any) -> Any:
    # The bearer token is the test's (a signed-in user's), not generated.
    schema.config.generation.update(with_security_parameters=False)
    # A body or a declared size over the server's limit is refused with 413, as the spec
    # says: a refusal like any other 4xx.
    negative = schema.config.checks.negative_data_rejection
    negative.expected_statuses = [*negative.expected_statuses, "413"]
    return schema


# A chunk of an upload is sent as TUS clients send it; its bytes go as they are.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")


@pytest.fixture(scope="module")
def fuzz_schema(own_app: Flask) -> Any:
    return _configured(schemathesis.openapi.from_wsgi("/api/openapi.json", own_app))


@pytest.fixture(scope="module")
def tokens(own_app: Flask) -> Tokens:
    api = Api(own_app.test_client())
    api.client.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    return Tokens(api.login, lambda token: str(api.changes(token, limit=5)["cursor"]))


def _operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "patch", "head", "options"}
    }


# The operations fuzzed, one test each; `test_every_operation_is_fuzzed` fails when the spec
# gains one not listed here.
OPERATIONS = [
    ("GET", "/api/openapi.json"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/blobs/uploads"),
    ("HEAD", "/api/v1/blobs/uploads/{raw_id}"),
    ("PATCH", "/api/v1/blobs/uploads/{raw_id}"),
    ("GET", "/api/v1/blobs/{sha256}"),
    ("GET", "/api/v1/cases/{case_id}/history"),
    ("GET", "/api/v1/registrations"),
    ("POST", "/api/v1/registrations/{user_id}/approve"),
    ("POST", "/api/v1/registrations/{user_id}/reject"),
    ("POST", "/api/v1/rop-packages"),
    ("GET", "/api/v1/rop-packages/{request_id}"),
    ("GET", "/api/v1/rop-packages/{request_id}/download"),
    ("GET", "/api/v1/sync/changes"),
    ("POST", "/api/v1/sync/push"),
    ("GET", "/healthz"),
]


def test_every_operation_is_fuzzed(own_app: Flask) -> None:
    document = own_app.test_client().get("/api/openapi.json").get_json()
    assert _operations(document) == set(OPERATIONS)


def _fuzz(
    schema: Any,
    tokens: Tokens,
    method: str,
    path: str,
    mode: GenerationMode,
    examples: int,
    **call: Any,
) -> None:
    """Every request the strategy makes for one operation, sent and its answer checked."""
    operation = schema[path][method]
    raw = operation.definition.raw
    if mode is GenerationMode.NEGATIVE and not (raw.get("parameters") or "requestBody" in raw):
        pytest.skip("nothing in this request can be made invalid")
    secured = "security" in raw
    user = CALLER.get(raw.get("x-access", ""), "clerk1")

    @settings(
        max_examples=examples,
        derandomize=not LONG_RUN,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        # Signing out ends the session it is sent with: it gets a session of its own.
        token = tokens.fresh(user) if path.endswith("/logout") else tokens(user)
        headers = {"Authorization": f"Bearer {token}"} if secured else None
        if mode is GenerationMode.POSITIVE and "since" in (case.query or {}):
            case.query["since"] = tokens.cursor(user)  # opaque: a made-up one is refused
        case.call_and_validate(headers=headers, checks=CHECKS, **call)

    fuzz()


MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_generated_request_gets_an_answer_the_spec_describes(
    fuzz_schema: Any, tokens: Tokens, method: str, path: str, mode: GenerationMode
) -> None:
    _fuzz(fuzz_schema, tokens, method, path, mode, EXAMPLES)


# --- the same over real HTTP: nginx (TLS) in front of gunicorn, as deployed ----------------


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with proxy_stack(tmp_path_factory.mktemp("fuzz-stack")) as running:
        yield running


@pytest.fixture(scope="module")
def http_schema(stack: Stack) -> Any:
    session = stack.client("127.0.0.1")
    document = session.get(f"{stack.https}/api/openapi.json", timeout=30).json()
    return _configured(schemathesis.openapi.from_dict(document))


@pytest.fixture(scope="module")
def http_tokens(stack: Stack) -> Tokens:
    harness = stack.client("127.0.0.9")

    def login(username: str) -> str:
        body = {"username": username, "password": DEMO_PASSWORD}
        response = harness.post(f"{stack.https}/api/v1/auth/login", json=body, timeout=30)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def cursor(token: str) -> str:
        response = harness.get(
            f"{stack.https}/api/v1/sync/changes",
            params={"limit": 5},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        return str(response.json()["cursor"])

    return Tokens(login, cursor)


@needs_nginx
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_over_http_every_generated_request_gets_an_answer_the_spec_describes(
    stack: Stack,
    http_schema: Any,
    http_tokens: Tokens,
    method: str,
    path: str,
    mode: GenerationMode,
) -> None:
    session = stack.client("127.0.0.1")
    _fuzz(
        http_schema,
        http_tokens,
        method,
        path,
        mode,
        HTTP_EXAMPLES,
        base_url=stack.https,
        session=session,
        verify=str(stack.ca),
    )
