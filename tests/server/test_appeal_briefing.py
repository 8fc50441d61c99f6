"""The Board's briefing schedule on the server (issue 15 item 4): the schedule the server
issues when the immigration court's clerk marks the transcript ready, each party's one
extension request decided by the Board's clerk, briefs, and who may do what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from common.appeals import BOARD_TIMEZONE
from common.court_closures import board_calendar
from common.court_time import court_today
from tests.conftest import Api, user_id
from tests.server.sync_helpers import (
    TokenBook,
    applied,
    document_data,
    push_one,
    stored,
)
from tests.server.test_board_appeals import appeal_data, decided_case, docketed


@pytest.fixture(scope="module")
def tokens(seeded_app: Flask) -> TokenBook:
    return TokenBook(Api(seeded_app.test_client()))


def _now() -> str:
    return datetime.now(UTC).isoformat()


def first_open_from(day: date, *, detained: bool = False) -> date:
    """The first day from ``day`` the Board is open (walked one day at a time)."""
    calendar = board_calendar(detained=detained)
    while not calendar.is_open(day):
        day += timedelta(days=1)
    return day


def held(app: Flask, appeal_id: str) -> tuple[dict[str, Any], int]:
    found = stored(app, "appeal", appeal_id)
    assert found is not None
    return found[0], found[1]


def transcript_marked_ready(
    api: Api, tokens: TokenBook, *, detained: bool = False
) -> dict[str, Any]:
    """A docketed appeal (attorney1 for the respondent) whose transcript the court's clerk
    just marked ready; returns the appeal as the server holds it afterwards."""
    app = api.client.application
    case = decided_case(api, tokens, days_ago=5)
    appeal = appeal_data(case, "attorney1", detained=detained)
    version = applied(api, tokens["attorney1"], "appeal", appeal)
    appeal = docketed(appeal)
    version = applied(api, tokens["board_clerk1"], "appeal", appeal, base_version=version)
    transcript = document_data(app, case["id"]) | {
        "doc_type": "transcript",
        "title": "Transcript of proceedings",
        "filer_party": "court",
    }
    applied(api, tokens["clerk1"], "document", transcript)
    ready = {**appeal, "transcript_status": "ready", "transcript_document_id": transcript["id"]}
    applied(api, tokens["clerk1"], "appeal", ready, base_version=version)
    return held(app, appeal["id"])[0]


def test_non_detained_schedule_gives_the_appellant_21_days_then_the_appellee_21_more(
    api: Api, tokens: TokenBook
) -> None:
    appeal = transcript_marked_ready(api, tokens)
    today = court_today(BOARD_TIMEZONE)
    assert appeal["briefing_issued_on"] == today.isoformat()
    appellant = first_open_from(today + timedelta(days=21))
    assert appeal["appellant_brief_due"] == appellant.isoformat()
    assert (
        appeal["appellee_brief_due"] == first_open_from(appellant + timedelta(days=21)).isoformat()
    )


def test_detained_schedule_is_simultaneous_21_days_for_both(api: Api, tokens: TokenBook) -> None:
    appeal = transcript_marked_ready(api, tokens, detained=True)
    due = first_open_from(court_today(BOARD_TIMEZONE) + timedelta(days=21), detained=True)
    assert appeal["appellant_brief_due"] == appeal["appellee_brief_due"] == due.isoformat()


def test_no_client_issues_a_schedule_of_its_own(api: Api, tokens: TokenBook) -> None:
    appeal = transcript_marked_ready(api, tokens)
    version = held(api.client.application, appeal["id"])[1]
    moved = {**appeal, "appellant_brief_due": "2030-01-02"}
    for who in ("board_clerk1", "clerk1", "attorney1"):
        result = push_one(api, tokens[who], "appeal", moved, base_version=version)
        assert result["status"] == "rejected", who


def test_one_extension_per_party_granted_by_the_board_clerk_and_a_second_refused(
    api: Api, tokens: TokenBook
) -> None:
    app = api.client.application
    appeal = transcript_marked_ready(api, tokens)
    version = held(app, appeal["id"])[1]
    asked = {
        **appeal,
        "appellant_extension": "requested",
        "appellant_extension_requested_at": _now(),
    }
    version = applied(api, tokens["attorney1"], "appeal", asked, base_version=version)
    # The Board's clerk grants it: 21 days from the appellant's deadline; the appellee's
    # (non-detained) follows it.
    old_due = date.fromisoformat(appeal["appellant_brief_due"])
    new_due = first_open_from(old_due + timedelta(days=21))
    granted = {
        **asked,
        "appellant_extension": "granted",
        "appellant_extension_decided_on": court_today(BOARD_TIMEZONE).isoformat(),
        "appellant_brief_due": new_due.isoformat(),
        "appellee_brief_due": first_open_from(new_due + timedelta(days=21)).isoformat(),
    }
    # A grant that moves the days wrongly is refused; an immigration court clerk can't
    # decide; the party can't grant itself.
    wrong = {**granted, "appellant_brief_due": (new_due + timedelta(days=7)).isoformat()}
    assert (
        push_one(api, tokens["board_clerk1"], "appeal", wrong, base_version=version)["status"]
        == "rejected"
    )
    # A decision dated after today anywhere in the United States is refused.
    future = {
        **granted,
        "appellant_extension_decided_on": (
            court_today(BOARD_TIMEZONE) + timedelta(days=9)
        ).isoformat(),
    }
    dated = push_one(api, tokens["board_clerk1"], "appeal", future, base_version=version)
    assert dated["status"] == "rejected" and "later than today" in dated["error"]
    for who in ("clerk1", "attorney1", "board_member1"):
        result = push_one(api, tokens[who], "appeal", granted, base_version=version)
        assert result["status"] == "rejected", who
    version = applied(api, tokens["board_clerk1"], "appeal", granted, base_version=version)
    # A second request by the same party is refused, with the reason.
    again = {
        **granted,
        "appellant_extension": "requested",
        "appellant_extension_requested_at": _now(),
    }
    second = push_one(api, tokens["attorney1"], "appeal", again, base_version=version)
    assert second["status"] == "rejected"
    assert "one extension request per party" in second["error"]
    # The other party (DHS, the appellee) has its own one request.
    theirs = {
        **granted,
        "appellee_extension": "requested",
        "appellee_extension_requested_at": _now(),
    }
    applied(api, tokens["dhs1"], "appeal", theirs, base_version=version)


def test_parties_file_only_on_their_own_side_and_only_of_record(
    api: Api, tokens: TokenBook
) -> None:
    appeal = transcript_marked_ready(api, tokens)
    version = held(api.client.application, appeal["id"])[1]
    for who, side in (("dhs1", "appellant"), ("attorney1", "appellee"), ("attorney2", "appellant")):
        request = {
            **appeal,
            f"{side}_extension": "requested",
            f"{side}_extension_requested_at": _now(),
        }
        result = push_one(api, tokens[who], "appeal", request, base_version=version)
        assert result["status"] == "rejected", (who, side)
    not_of_record = push_one(
        api,
        tokens["attorney2"],
        "appeal",
        {**appeal, "appellant_extension": "requested", "appellant_extension_requested_at": _now()},
        base_version=version,
    )
    # Counsel not of record does not even read the appeal: the change names no record of theirs.
    assert not_of_record["status"] == "rejected"
    assert (
        "not in your scope" in not_of_record["error"] or "no such record" in not_of_record["error"]
    )


def test_a_brief_is_the_filers_own_brief_with_the_servers_time_and_late_flag(
    api: Api, tokens: TokenBook
) -> None:
    app = api.client.application
    appeal = transcript_marked_ready(api, tokens)
    version = held(app, appeal["id"])[1]
    brief = document_data(app, appeal["case_id"], filer="attorney1", status="pending") | {
        "doc_type": "brief",
        "title": "Respondent's brief",
    }
    applied(api, tokens["attorney1"], "document", brief)
    filed = {
        **appeal,
        "appellant_brief_document_id": brief["id"],
        "appellant_brief_received_at": _now(),
        "appellant_brief_late": False,
    }
    # Claiming late when it is in time, or an earlier receipt time, is refused.
    for wrong in (
        {**filed, "appellant_brief_late": True},
        {
            **filed,
            "appellant_brief_received_at": (datetime.now(UTC) - timedelta(days=30)).isoformat(),
        },
    ):
        assert (
            push_one(api, tokens["attorney1"], "appeal", wrong, base_version=version)["status"]
            == "rejected"
        )
    # DHS can't file the respondent's brief as its own.
    assert (
        push_one(api, tokens["dhs1"], "appeal", filed, base_version=version)["status"] == "rejected"
    )
    version = applied(api, tokens["attorney1"], "appeal", filed, base_version=version)
    now_held = held(app, appeal["id"])[0]
    assert now_held["appellant_brief_document_id"] == brief["id"]
    assert now_held["appellant_brief_late"] is False
    assert user_id("attorney1") == now_held["filer_id"]
