"""Issue 18 item 7 on the server: a background download (``purpose=prefetch``) is audited
as such and left out of the case's history, which lists readings; ``/`` sends a browser to
the portal and leaves API clients as they were; ``/api/version`` answers the version."""

from __future__ import annotations

from typing import Any

from flask import Flask

from common.version import ecas_version
from sync_server.demo.plan import demo_id
from tests.conftest import Api
from tests.server.audit_helpers import entries_after, max_seq
from tests.server.sync_helpers import TokenBook


def _a_document(api: Api, token: str, case_id: str) -> dict[str, Any]:
    changes, _ = api.pull_all(token)
    return next(
        c["data"] for c in changes if c["entity"] == "document" and c["data"]["case_id"] == case_id
    )


def _history(api: Api, token: str, case_id: str) -> list[tuple[str, str]]:
    response = api.client.get(f"/api/v1/cases/{case_id}/history", headers=api.headers(token))
    assert response.status_code == 200
    return [(e["actor"], e["summary"]) for e in response.get_json()["entries"]]


def test_a_prefetch_is_audited_but_not_shown_as_opened(api: Api, seeded_app: Flask) -> None:
    tokens = TokenBook(api)
    case_id = demo_id("case", 1)
    doc = _a_document(api, tokens["clerk1"], case_id)
    opened = ("Clerk Hughes", f"opened “{doc['title']}”")
    openings = _history(api, tokens["clerk1"], case_id).count(opened)
    before = max_seq(seeded_app)

    prefetched = api.client.get(
        f"/api/v1/blobs/{doc['sha256']}?purpose=prefetch", headers=api.headers(tokens["clerk2"])
    )
    assert prefetched.status_code == 200 and prefetched.data[:5] == b"%PDF-"
    audited = [e for e in entries_after(seeded_app, before) if e.action == "document.read"]
    assert [(e.record_id, e.detail) for e in audited] == [(doc["sha256"], {"purpose": "prefetch"})]
    assert _history(api, tokens["clerk1"], case_id).count(opened) == openings

    read = api.client.get(f"/api/v1/blobs/{doc['sha256']}", headers=api.headers(tokens["clerk2"]))
    assert read.status_code == 200
    audited = [e for e in entries_after(seeded_app, before) if e.action == "document.read"]
    assert audited[-1].detail == {"purpose": "read"}
    assert _history(api, tokens["clerk1"], case_id).count(opened) == openings + 1


def test_an_unknown_purpose_is_refused_and_not_audited(api: Api, seeded_app: Flask) -> None:
    tokens = TokenBook(api)
    doc = _a_document(api, tokens["clerk1"], demo_id("case", 1))
    before = max_seq(seeded_app)
    response = api.client.get(
        f"/api/v1/blobs/{doc['sha256']}?purpose=peek", headers=api.headers(tokens["clerk2"])
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"loc": "purpose", "msg": "read or prefetch"}]
    assert not [e for e in entries_after(seeded_app, before) if e.action == "document.read"]


def test_root_sends_a_browser_to_the_portal(api: Api, seeded_app: Flask) -> None:
    browser = api.client.get(
        "/",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert browser.status_code == 302
    assert browser.headers["Location"] == "/portal/"
    assert api.client.get(browser.headers["Location"]).status_code in (200, 302)


def test_root_leaves_api_clients_as_they_were(api: Api, seeded_app: Flask) -> None:
    for accept in ("*/*", "application/json", None):
        headers = {"Accept": accept} if accept else {}
        response = api.client.get("/", headers=headers)
        assert response.status_code == 404, accept
        assert response.mimetype == "application/problem+json"


def test_version_is_public(api: Api, seeded_app: Flask) -> None:
    response = api.client.get("/api/version")
    assert response.status_code == 200
    assert response.get_json() == {"version": ecas_version()}
    assert ecas_version() != "unknown"
