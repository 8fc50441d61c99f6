"""Lifecycle rules the server holds a pushed case to, as a clerk or DHS notices them: a case
moves to another court only on a granted party's motion; a decision entered in absentia is
not appealed; a notice to appear opens removal proceedings only."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import (
    Api,
    user_id,
)
from tests.server.sync_helpers import (
    HOU,
    NYB,
    SFR,
    TokenBook,
    applied,
    case_data,
    new_id,
    push_one,
    signed,
    venue_order,
)


@pytest.fixture(scope="module")
def app(own_app: Flask) -> Flask:
    """A seeded server of this module's own: a case moved here leaves departures in every
    later full pull of its old court, which the tests sharing ``seeded_app`` don't expect."""
    return own_app


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app.test_client())


@pytest.fixture(scope="module")
def tokens(app: Flask) -> TokenBook:
    return TokenBook(Api(app.test_client()))


def test_a_clerk_cannot_move_a_case_to_another_court_without_a_granted_motion(
    api: Api, tokens: TokenBook
) -> None:
    # 8 CFR 1003.20(b): "the Immigration Judge, for good cause, may change venue only upon
    # motion by one of the parties".
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    moved = case | {"court_id": NYB, "judge_id": None}

    refused = push_one(api, tokens["clerk1"], "case", moved, base_version=version)
    assert refused["status"] == "rejected"
    assert "only when the immigration judge grants a party's motion" in refused["error"]
    assert "New York - Broadway Immigration Court" in refused["error"]

    # A granted motion for another court does not move it here.
    applied(api, tokens["judge1"], "order", venue_order(case["id"], "judge1", HOU))
    again = push_one(api, tokens["clerk1"], "case", moved, base_version=version)
    assert again["status"] == "rejected"

    applied(api, tokens["judge1"], "order", venue_order(case["id"], "judge1", NYB, movant="dhs"))
    assert push_one(api, tokens["clerk1"], "case", moved, base_version=version)["status"] == (
        "applied"
    )


def test_the_judge_cannot_sign_a_change_of_venue_on_the_courts_own_motion(
    api: Api, tokens: TokenBook
) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    own_motion = venue_order(case["id"], "judge1", NYB, movant="court")
    own_motion = own_motion | {"template_version": "2026-12"}
    result = push_one(api, tokens["judge1"], "order", own_motion)
    assert result["status"] == "rejected"
    assert "1003.20(b)" in result["error"]


def _in_absentia_order(case_id: str) -> dict[str, Any]:
    return signed(
        {
            "id": new_id(),
            "case_id": case_id,
            "judge_id": user_id("judge1"),
            "template": "in_absentia_order",
            "template_version": "2026-12",
            "status": "draft",
            "body": "",
            "fields": {
                "decision_date": "2026-11-27",
                "notice_basis": "written_notice",
                "removal_country": "Peru",
                "oral_notice": "given",
            },
        },
        "judge1",
    )


def test_a_case_decided_in_absentia_cannot_be_recorded_as_appealed_but_can_be_reopened(
    api: Api, tokens: TokenBook
) -> None:
    # INA 240(b)(5)(C); Matter of Guzman-Arguera, 22 I&N Dec. 722 (BIA 1999): no appeal lies
    # from an in-absentia order; 8 CFR 1003.23(b)(4)(ii): the remedy is a motion to reopen.
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    applied(api, tokens["judge1"], "order", _in_absentia_order(case["id"]))
    decided = case | {"status": "decided", "decided_on": "2026-11-27"}
    version = applied(api, tokens["clerk1"], "case", decided, base_version=version)

    appeal = push_one(
        api, tokens["clerk1"], "case", decided | {"status": "appealed"}, base_version=version
    )
    assert appeal["status"] == "rejected"
    assert "no appeal lies from a decision entered in absentia" in appeal["error"]
    assert "motion to reopen" in appeal["error"]

    reopened = decided | {"status": "reopened"}
    assert push_one(api, tokens["clerk1"], "case", reopened, base_version=version)["status"] == (
        "applied"
    )


def test_a_case_decided_after_a_hearing_is_still_appealed(api: Api, tokens: TokenBook) -> None:
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    decided = case | {"status": "decided", "decided_on": "2026-11-27"}
    version = applied(api, tokens["clerk1"], "case", decided, base_version=version)
    appealed = decided | {"status": "appealed"}
    assert push_one(api, tokens["clerk1"], "case", appealed, base_version=version)["status"] == (
        "applied"
    )


def test_dhs_cannot_open_an_asylum_only_case_with_a_notice_to_appear(
    api: Api, tokens: TokenBook
) -> None:
    # 8 CFR 1239.1(a): a notice to appear commences removal proceedings; an asylum-only case
    # is referred on Form I-863.
    case = case_data(SFR, status="opened") | {"case_type": "asylum_only"}
    result = push_one(api, tokens["dhs1"], "case", case)
    assert result["status"] == "rejected"
    assert "opens removal proceedings only" in result["error"]
    assert "I-863" in result["error"]
    assert push_one(api, tokens["dhs1"], "case", case | {"case_type": "removal"})["status"] == (
        "applied"
    )
