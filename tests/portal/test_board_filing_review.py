"""Filings before the Board are reviewed by the Board's clerk, not the immigration court's:
a brief filed in the portal is filed at the Board's court record, the court's clerk neither
pulls nor reviews it, the Board's clerk does; a filing with the immigration court stays
with its clerk, and the Board's clerk can't accept it. A party can't route a filing to the
Board outside an appeal, nor file anything but a brief or a motion there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask

from common.appeals import BOARD_CODE
from sync_server.demo.plan import demo_id
from tests.conftest import Api, user_id
from tests.pdf_factory import valid_pdf
from tests.portal.portal_helpers import register_and_approve, sign_in_enrolling
from tests.portal.test_portal_briefing import appeal_in_briefing, post_brief
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    by_entity,
    case_data,
    document_data,
    filing_data,
    push_one,
    stored,
)

BOARD = demo_id("court", BOARD_CODE)


def _reviewed(record: dict[str, Any], clerk: str) -> dict[str, Any]:
    return {
        **record,
        "status": "accepted",
        "reviewed_by": user_id(clerk),
        "reviewed_at": datetime.now(UTC).isoformat(),
    }


def _held(app: Flask, entity: str, record_id: str) -> tuple[dict[str, Any], int]:
    held = stored(app, entity, record_id)
    assert held is not None
    return held[0], held[1]


def test_a_brief_filed_in_the_portal_is_reviewed_by_the_boards_clerk_not_the_courts(
    seeded_app: Flask, api: Api
) -> None:
    tokens = TokenBook(api)
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    appeal = appeal_in_briefing(seeded_app, api, account.user_id)
    page = f"/portal/cases/{appeal['case_id']}/appeals/{appeal['id']}/brief"
    assert post_brief(browser, page, valid_pdf(2)) == 302
    held_appeal, _ = _held(seeded_app, "appeal", str(appeal["id"]))
    document, document_version = _held(
        seeded_app, "document", held_appeal["appellee_brief_document_id"]
    )
    filing, filing_version = _held(seeded_app, "filing", document["filing_id"])
    assert filing["court_id"] == BOARD

    # The immigration court's clerk doesn't hold it and can't review it.
    changes, _ = api.pull_all(tokens["clerk1"])
    assert filing["id"] not in by_entity(changes, "filing")
    refused = push_one(
        api, tokens["clerk1"], "filing", _reviewed(filing, "clerk1"), base_version=filing_version
    )
    assert refused["status"] == "rejected", refused
    assert refused["error"] == "no such record in your scope"
    accepted = {**document, "status": "accepted"}
    refused = push_one(api, tokens["clerk1"], "document", accepted, base_version=document_version)
    assert refused["status"] == "rejected", refused
    assert "reviewed by the Board's clerk" in refused["error"]

    # The Board's clerk holds it and accepts the filing and its brief.
    changes, _ = api.pull_all(tokens["board_clerk1"])
    assert filing["id"] in by_entity(changes, "filing")
    applied(
        api,
        tokens["board_clerk1"],
        "filing",
        _reviewed(filing, "board_clerk1"),
        base_version=filing_version,
    )
    applied(
        api,
        tokens["board_clerk1"],
        "document",
        {**document, "status": "accepted"},
        base_version=document_version,
    )
    assert _held(seeded_app, "document", document["id"])[0]["status"] == "accepted"


def test_a_filing_with_the_immigration_court_stays_with_its_clerk(
    seeded_app: Flask, api: Api
) -> None:
    tokens = TokenBook(api)
    account = register_and_approve(seeded_app)
    appeal = appeal_in_briefing(seeded_app, api, account.user_id)  # before the Board
    case_id = str(appeal["case_id"])
    filing = filing_data(case_id, SFR, "dhs1") | {
        "form": {"title": "Evidence", "doc_type": "evidence"}
    }
    filing_version = applied(api, tokens["dhs1"], "filing", filing)
    document = document_data(seeded_app, case_id, filer="dhs1", status="pending")
    document["filing_id"] = filing["id"]
    document_version = applied(api, tokens["dhs1"], "document", document)

    refused = push_one(
        api,
        tokens["board_clerk1"],
        "filing",
        _reviewed(filing, "board_clerk1"),
        base_version=filing_version,
    )
    assert refused["status"] == "rejected", refused
    assert refused["error"] == "the record belongs to another court"
    refused = push_one(
        api,
        tokens["board_clerk1"],
        "document",
        {**document, "status": "accepted"},
        base_version=document_version,
    )
    assert refused["status"] == "rejected", refused
    assert "reviewed by the court's clerk" in refused["error"]

    applied(
        api, tokens["clerk1"], "filing", _reviewed(filing, "clerk1"), base_version=filing_version
    )
    applied(
        api,
        tokens["clerk1"],
        "document",
        {**document, "status": "accepted"},
        base_version=document_version,
    )


def test_a_party_files_at_the_board_only_a_brief_or_motion_in_a_case_before_it(
    seeded_app: Flask, api: Api
) -> None:
    tokens = TokenBook(api)
    # A case not before the Board: nothing is filed at the Board in it.
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    brief = filing_data(case["id"], BOARD, "dhs1") | {
        "form": {"title": "Brief", "doc_type": "brief"}
    }
    refused = push_one(api, tokens["dhs1"], "filing", brief)
    assert refused["status"] == "rejected", refused
    # A case before the Board: evidence is the court's, not filed at the Board.
    account = register_and_approve(seeded_app)
    appeal = appeal_in_briefing(seeded_app, api, account.user_id)
    evidence = filing_data(str(appeal["case_id"]), BOARD, "dhs1") | {
        "form": {"title": "Evidence", "doc_type": "evidence"}
    }
    refused = push_one(api, tokens["dhs1"], "filing", evidence)
    assert refused["status"] == "rejected", refused
    assert "only a brief or a motion is filed before the Board" in refused["error"]
    # DHS's brief in that case is filed at the Board.
    at_board = evidence | {"form": {"title": "Brief", "doc_type": "brief"}}
    applied(api, tokens["dhs1"], "filing", at_board)
