"""Fixtures the server tests share: tokens on the shared seeded server, a fresh case and
hearing to change, and a small seeded server of a module's own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.conftest import Api, seeded_server_app
from tests.server.sync_helpers import SFR, TokenBook, applied, case_data, hearing_data


@pytest.fixture(scope="module")
def tokens(seeded_app: Flask) -> TokenBook:
    return TokenBook(Api(seeded_app.test_client()))


@pytest.fixture
def case(api: Api, tokens: TokenBook) -> dict[str, Any]:
    """A fresh pending SFR case of judge1, opened by clerk1."""
    data = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", data)
    return data


@pytest.fixture
def hearing(api: Api, tokens: TokenBook, case: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A fresh scheduled hearing of ``case`` and its version."""
    data = hearing_data(case["id"])
    return data, applied(api, tokens["clerk1"], "hearing", data)


@pytest.fixture(scope="module")
def own_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A small seeded server of the requesting module's own, for tests whose changes (a
    case moved to another court leaves departures in every later full pull of its old
    court) would surprise the tests sharing ``seeded_app``."""
    folder = tmp_path_factory.mktemp(f"own-{backend}")
    with seeded_server_app(backend, folder, cases=3) as app:
        yield app
