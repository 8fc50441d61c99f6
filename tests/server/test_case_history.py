"""A case's history, read from the audit trail."""

from __future__ import annotations

from typing import Any

from flask import Flask

from sync_server.demo.plan import demo_id
from tests.conftest import Api
from tests.server.sync_helpers import SFR, TokenBook, applied, case_data, hearing_data


def _history(api: Api, token: str, case_id: str) -> Any:
    return api.client.get(f"/api/v1/cases/{case_id}/history", headers=api.headers(token))


def test_history_tells_who_changed_what_and_who_read_which_document(
    api: Api, seeded_app: Flask
) -> None:
    tokens = TokenBook(api)
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    hearing = hearing_data(case["id"])
    version = applied(api, tokens["clerk1"], "hearing", hearing)
    moved = {**hearing, "starts_at": "2026-12-08T17:00:00Z", "duration_minutes": 60}
    applied(api, tokens["clerk2"], "hearing", moved, base_version=version)

    response = _history(api, tokens["judge1"], case["id"])
    assert response.status_code == 200
    entries = response.get_json()["entries"]
    summaries = [(e["actor"], e["summary"]) for e in entries]
    assert summaries == [
        ("Clerk Garcia", "created the case"),
        ("Clerk Garcia", "created the hearing"),
        ("Clerk Garcia", "issued “Notice of hearing (hearing of December 1, 2026)”"),
        ("Clerk Hughes", "changed the hearing: duration minutes, starts at"),
        ("Clerk Hughes", "issued “Notice of hearing (reset) (hearing of December 8, 2026)”"),
    ]


def test_a_document_read_appears_in_the_history(api: Api, seeded_app: Flask) -> None:
    tokens = TokenBook(api)
    case_id = demo_id("case", 0)
    changes, _ = api.pull_all(tokens["clerk1"])
    doc = next(
        c["data"] for c in changes if c["entity"] == "document" and c["data"]["case_id"] == case_id
    )
    api.client.get(f"/api/v1/blobs/{doc['sha256']}", headers=api.headers(tokens["clerk2"]))
    entries = _history(api, tokens["clerk1"], case_id).get_json()["entries"]
    assert ("Clerk Hughes", f"opened “{doc['title']}”") in [
        (e["actor"], e["summary"]) for e in entries
    ]


def test_history_of_another_courts_case_is_not_found(api: Api, seeded_app: Flask) -> None:
    tokens = TokenBook(api)
    response = _history(api, tokens["clerk3"], demo_id("case", 0))  # clerk3: New York
    assert response.status_code == 404
    assert _history(api, tokens["clerk1"], "no-such-case").status_code == 404
