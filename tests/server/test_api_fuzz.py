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
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
from tests.portal.portal_helpers import (
    Browser,
    csrf_of,
    register_and_approve,
    sign_in_admin,
    sign_in_enrolling,
)
from tests.server.proxy_stack import Stack, needs_nginx, proxy_stack

LONG_RUN = int(os.environ.get("ECAS_FUZZ_EXAMPLES", "0") or 0)
EXAMPLES = LONG_RUN or 6  # in-process, per operation and mode
HTTP_EXAMPLES = LONG_RUN or 3  # over nginx and gunicorn
PORTAL_EXAMPLES = LONG_RUN or 10  # per portal form

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
    ("GET", "/"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/version"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/blobs/uploads"),
    ("OPTIONS", "/api/v1/blobs/uploads"),
    ("HEAD", "/api/v1/blobs/uploads/{raw_id}"),
    ("OPTIONS", "/api/v1/blobs/uploads/{raw_id}"),
    ("PATCH", "/api/v1/blobs/uploads/{raw_id}"),
    ("GET", "/api/v1/blobs/{sha256}"),
    ("GET", "/api/v1/cases/{case_id}/history"),
    ("POST", "/api/v1/cases/{case_id}/access-code"),
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


# --- the portal's forms (not in the OpenAPI document) --------------------------------------

_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
# Anything a browser can send in a form field: every character but lone surrogates
# (not encodable), often with the ones that broke servers before.
_VALUES = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=80),
    st.sampled_from(["", "\x00", "\r\n", "\u0661\u0662\u0663\u0664\u0665\u0666", "//x", "9" * 40]),
)


@pytest.fixture(scope="module")
def portal_visitors(own_app: Flask) -> dict[str, Any]:
    """Who fills each form: nobody signed in, the court administrator, an attorney with
    a second factor set up."""
    attorney = register_and_approve(own_app)
    return {
        "anonymous": Browser(own_app.test_client()),
        "admin": sign_in_admin(own_app),
        "attorney": sign_in_enrolling(own_app, attorney),
        "pending": attorney.user_id,  # a registration the administrator's forms name
    }


PORTAL_FORMS = [
    ("anonymous", "/portal/login", "/portal/login"),
    ("anonymous", "/portal/register", "/portal/register"),
    ("admin", "/portal/admin/registrations", "/portal/admin/registrations/{pending}/approve"),
    ("admin", "/portal/admin/registrations", "/portal/admin/registrations/{pending}/reject"),
    ("attorney", "/portal/appearance/eoir-28", "/portal/appearance/eoir-28"),
    ("attorney", "/portal/appearance/eoir-27", "/portal/appearance/eoir-27"),
]


@pytest.mark.parametrize(("who", "page", "action"), PORTAL_FORMS)
def test_portal_forms_never_answer_a_server_error(
    portal_visitors: dict[str, Any], who: str, page: str, action: str
) -> None:
    browser: Browser = portal_visitors[who]
    browser.get(page)
    token = csrf_of(browser.last)
    fields = sorted(set(_FIELD.findall(browser.last)) - {"csrf_token"})
    target = action.format(pending=portal_visitors["pending"])

    @settings(
        max_examples=PORTAL_EXAMPLES,
        derandomize=not LONG_RUN,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.fixed_dictionaries({}, optional={name: _VALUES for name in fields}),
        st.dictionaries(_VALUES, _VALUES, max_size=2),
    )
    def fill(values: dict[str, str], extra: dict[str, str]) -> None:
        form = {**extra, **values, "csrf_token": token}
        response = browser.client.post(target, data=form)
        assert response.status_code < 500, (target, form, response.get_data(as_text=True))

    fill()
