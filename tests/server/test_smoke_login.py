"""Sign-in and a first pull against the seeded demo server, on each database."""

from __future__ import annotations

from tests.conftest import Api


def test_clerk_signs_in_and_pulls_their_court(api: Api) -> None:
    token = api.login("clerk1")
    changes, cursor = api.pull_all(token, limit=200)
    entities = {c["entity"] for c in changes}
    assert {"court", "courtroom", "case", "hearing", "document"} <= entities
    assert cursor
