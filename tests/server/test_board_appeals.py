"""The Board of Immigration Appeals on the server: who files a notice of appeal (EOIR-26),
who dockets it, what Board staff read nationwide, and a late appeal docketed and flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from common.appeals import BOARD_TIMEZONE, findings
from common.court_time import court_today
from common.deadlines import Decision
from common.enums import Party
from tests.conftest import Api, court_id, user_id
from tests.server.sync_helpers import (
    HOU,
    SFR,
    TokenBook,
    annotation_data,
    applied,
    by_entity,
    case_data,
    document_data,
    new_id,
    push_one,
    representation_data,
    stored,
)


def utc_stamp(moment: datetime) -> str:
    return moment.isoformat()


def _now() -> str:
    return utc_stamp(datetime.now(UTC))


def decided_case(api: Api, tokens: TokenBook, *, days_ago: int, court: str = SFR) -> dict[str, Any]:
    """A case the judge decided ``days_ago`` days ago (Board time), with attorney1 of
    record (an accepted EOIR-28)."""
    judge = "judge1" if court == SFR else "judge5"
    clerk = "clerk1" if court == SFR else "clerk4"
    case = case_data(court, judge=judge)
    version = applied(api, tokens[clerk], "case", case)
    decided_on = court_today(BOARD_TIMEZONE) - timedelta(days=days_ago)
    case = {**case, "status": "decided", "decided_on": decided_on.isoformat()}
    applied(api, tokens[clerk], "case", case, base_version=version)
    applied(
        api,
        tokens[clerk],
        "representation",
        representation_data(case["id"], "attorney1", status="accepted"),
    )
    return case


def appeal_data(case: dict[str, Any], filer: str, **overrides: Any) -> dict[str, Any]:
    received = datetime.now(UTC)
    decided = datetime.fromisoformat(case["decided_on"]).date()
    appellant = Party.DHS if filer.startswith("dhs") else Party.RESPONDENT
    found = findings(Decision(decided_on=decided), received, appellant)
    return {
        "id": new_id(),
        "case_id": case["id"],
        "filer_id": user_id(filer),
        "appellant": appellant.value,
        "decision_date": case["decided_on"],
        "reasons": "The immigration judge erred in finding the respondent not credible "
        "on the strength of one omission the respondent explained at the hearing.",
        "separate_brief": True,
        "fee": "not_required" if appellant is Party.DHS else "waiver_requested",
        "proof_of_service": True,
        "signed_by_name": "/s/ Counsel",
        "received_at": utc_stamp(received),
        "late": found.late,
        "appeal_waived": False,
        **overrides,
    }


def docketed(appeal: dict[str, Any]) -> dict[str, Any]:
    return {
        **appeal,
        "status": "docketed",
        "reviewed_by": user_id("board_clerk1"),
        "reviewed_at": _now(),
        "docketed_on": court_today(BOARD_TIMEZONE).isoformat(),
        "transcript_status": "ordered",
    }


@pytest.fixture(scope="module")
def tokens(seeded_app: Flask) -> TokenBook:
    return TokenBook(Api(seeded_app.test_client()))


def test_a_party_not_of_record_cannot_file_a_notice_of_appeal(api: Api, tokens: TokenBook) -> None:
    case = decided_case(api, tokens, days_ago=5)
    stranger = push_one(api, tokens["attorney2"], "appeal", appeal_data(case, "attorney2"))
    assert stranger["status"] == "rejected"
    assert "party of record" in stranger["error"]
    # Naming an EOIR-27 that is not theirs in the case does not make them one.
    other = push_one(
        api,
        tokens["attorney2"],
        "appeal",
        appeal_data(case, "attorney2", eoir27_filing_id=new_id()),
    )
    assert other["status"] == "rejected"
    # DHS appeals only at its assigned courts (dhs2 is not assigned to San Francisco).
    assert (
        push_one(api, tokens["dhs2"], "appeal", appeal_data(case, "dhs2"))["status"] == "rejected"
    )
    # Counsel of record files.
    applied(api, tokens["attorney1"], "appeal", appeal_data(case, "attorney1"))


def test_an_immigration_court_clerk_cannot_docket_an_appeal(api: Api, tokens: TokenBook) -> None:
    case = decided_case(api, tokens, days_ago=5)
    appeal = appeal_data(case, "attorney1")
    version = applied(api, tokens["attorney1"], "appeal", appeal)
    refused = push_one(api, tokens["clerk1"], "appeal", docketed(appeal), base_version=version)
    assert refused["status"] == "rejected" and "Board's clerk" in refused["error"]
    for member in ("board_member1", "judge1"):
        result = push_one(api, tokens[member], "appeal", docketed(appeal), base_version=version)
        assert result["status"] == "rejected", member
    # The filer can't rewrite the findings, nor the Board's clerk the form.
    assert (
        push_one(
            api,
            tokens["attorney1"],
            "appeal",
            {**appeal, "reasons": appeal["reasons"] + "!"},
            base_version=version,
        )["status"]
        == "rejected"
    )
    assert (
        push_one(
            api,
            tokens["board_clerk1"],
            "appeal",
            {**docketed(appeal), "late": True},
            base_version=version,
        )["status"]
        == "rejected"
    )
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    case_now = stored(api.client.application, "case", case["id"])
    assert case_now is not None and case_now[0]["status"] == "appealed"


def test_a_late_appeal_is_docketed_and_flagged_and_its_findings_are_the_servers(
    api: Api, tokens: TokenBook
) -> None:
    case = decided_case(api, tokens, days_ago=45)
    disguised = push_one(
        api, tokens["attorney1"], "appeal", appeal_data(case, "attorney1", late=False)
    )
    assert disguised["status"] == "rejected" and "late=True" in disguised["error"]
    appeal = appeal_data(case, "attorney1")
    assert appeal["late"] is True
    version = applied(api, tokens["attorney1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    held = stored(api.client.application, "appeal", appeal["id"])
    assert held is not None and held[0]["late"] is True and held[0]["status"] == "docketed"
    # A receipt time the client backdated is not the Board's receipt.
    old = appeal_data(
        case, "attorney1", received_at=utc_stamp(datetime.now(UTC) - timedelta(days=40))
    )
    assert "time of receipt" in push_one(api, tokens["attorney1"], "appeal", old)["error"]


def test_board_staff_read_appealed_records_nationwide_but_not_a_judges_private_note(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    appealed = decided_case(api, tokens, days_ago=3, court=HOU)
    quiet = decided_case(api, tokens, days_ago=3)
    document = document_data(seeded_app, appealed["id"], pusher="clerk4")
    applied(api, tokens["clerk4"], "document", document)
    private = annotation_data(document, "judge5")
    shared = annotation_data(document, "judge5", visibility="shared")
    applied(api, tokens["judge5"], "annotation", private)
    applied(api, tokens["judge5"], "annotation", shared)
    _, cursor = api.pull_all(tokens["board_member1"])
    appeal = appeal_data(appealed, "attorney1")
    applied(api, tokens["attorney1"], "appeal", appeal)

    changes, _ = api.pull_all(tokens["board_member1"], cursor)
    cases = by_entity(changes, "case")
    assert appealed["id"] in cases and quiet["id"] not in cases
    assert document["id"] in by_entity(changes, "document")
    assert appeal["id"] in by_entity(changes, "appeal")
    notes = by_entity(changes, "annotation")
    assert shared["id"] in notes and private["id"] not in notes
    # A document read checks the same policy: the Board member may open the case's record.
    response = api.client.get(
        f"/api/v1/blobs/{document['sha256']}", headers=api.headers(tokens["board_member1"])
    )
    assert response.status_code == 200
    # The immigration court's staff at another court still see nothing of it.
    others, _ = api.pull_all(tokens["clerk1"])
    assert appealed["id"] not in by_entity(others, "case")
    assert court_id("BIA") in by_entity(api.pull_all(tokens["board_clerk1"])[0], "court")
