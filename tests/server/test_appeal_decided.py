"""The appeal record follows the Board's decision: once a decision issues, the server marks
its appeal decided in the same push (``services.board_decisions``), the Board's docket and
the parties read "Decided" with the outcome, and Board staff still read the case. No client
marks an appeal decided, nor changes a decided one."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from desktop.board import board_docket
from sync_server.portal.views_board_status import appeal_courses
from tests.conftest import Api
from tests.server.sync_helpers import TokenBook, applied, by_entity, push_one, stored
from tests.server.test_board_appeals import appeal_data, decided_case, docketed
from tests.server.test_board_decisions import (
    MEMBERS,
    _assigned_and_drafted,
    assignment,
    draft,
    drafted,
    signed_by,
    vote,
)


@pytest.fixture(scope="module")
def tokens(seeded_app: Flask) -> TokenBook:
    return TokenBook(Api(seeded_app.test_client()))


def _docket(changes: list[dict[str, Any]]) -> list[Any]:
    """The Board tab's docket (``desktop.board.board_docket``) from what a pull brought."""

    def records(entity: str) -> list[dict[str, Any]]:
        return [c["data"] for c in by_entity(changes, entity).values()]

    return board_docket(
        records("appeal"),
        records("case"),
        records("court"),
        board_decisions=records("board_decision"),
    )


def _appeal_of(seeded_app: Flask, decision: dict[str, Any]) -> tuple[dict[str, Any], int]:
    held = stored(seeded_app, "appeal", decision["appeal_id"])
    assert held is not None
    return held[0], held[1]


def test_the_board_clerk_cannot_mark_a_docketed_appeal_decided(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    _, decision, _, _ = _assigned_and_drafted(api, tokens, ("board_member1",), "dismissed")
    appeal, version = _appeal_of(seeded_app, decision)
    assert appeal["status"] == "docketed"
    for who in ("board_clerk1", "board_member1"):
        refused = push_one(
            api, tokens[who], "appeal", {**appeal, "status": "decided"}, base_version=version
        )
        assert refused["status"] == "rejected", (who, refused)
    assert _appeal_of(seeded_app, decision)[0]["status"] == "docketed"


def test_a_single_members_dismissal_makes_the_appeal_decided_on_the_boards_docket(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    case, decision, order, _ = _assigned_and_drafted(api, tokens, ("board_member1",), "dismissed")
    held = stored(seeded_app, "order", order["id"])
    assert held is not None
    applied(
        api,
        tokens["board_member1"],
        "order",
        signed_by(order, "board_member1"),
        base_version=held[1],
    )
    appeal, version = _appeal_of(seeded_app, decision)
    assert appeal["status"] == "decided"

    # The Board's clerk still reads the case, and the docket says how it was decided.
    changes, _ = api.pull_all(tokens["board_clerk1"])
    assert by_entity(changes, "appeal")[appeal["id"]]["data"]["status"] == "decided"
    rows = _docket(changes)
    (row,) = [r for r in rows if r.appeal_id == appeal["id"]]
    assert row.status == "Decided: dismissed"
    assert row.case_id == case["id"]

    # Nobody turns the decided appeal back, nor re-docket it.
    back = {**appeal, "status": "docketed"}
    refused = push_one(api, tokens["board_clerk1"], "appeal", back, base_version=version)
    assert refused["status"] == "rejected"


def test_a_panels_remand_makes_the_appeal_decided_and_the_docket_names_the_remand(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    _, decision, _, _ = _assigned_and_drafted(api, tokens, MEMBERS)  # remanded
    applied(api, tokens["board_member1"], "board_vote", vote(decision, "board_member1", "join"))
    assert _appeal_of(seeded_app, decision)[0]["status"] == "docketed"  # no majority yet
    applied(api, tokens["board_member2"], "board_vote", vote(decision, "board_member2", "join"))
    appeal, _ = _appeal_of(seeded_app, decision)
    assert appeal["status"] == "decided"
    changes, _ = api.pull_all(tokens["board_member3"])
    rows = _docket(changes)
    (row,) = [r for r in rows if r.appeal_id == appeal["id"]]
    assert row.status == "Decided: remanded with instructions"


def test_both_parties_appeals_read_decided_when_the_board_decides_the_case(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    # The respondent (attorney1) and DHS both appeal the judge's decision; both docketed.
    case = decided_case(api, tokens, days_ago=4)
    appeals = []
    for filer in ("attorney1", "dhs1"):
        appeal = appeal_data(case, filer)
        version = applied(api, tokens[filer], "appeal", appeal)
        applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
        appeals.append(appeal)
    respondents, dhs = appeals

    # The Board decides the case in one decision, assigned on DHS's appeal.
    decision = assignment(case, dhs, ("board_member1",))
    version = applied(api, tokens["board_clerk1"], "board_decision", decision)
    order = draft(case, "board_member1", "dismissed")
    applied(api, tokens["board_member1"], "order", order)
    decision = drafted(decision, order)
    applied(api, tokens["board_member1"], "board_decision", decision, base_version=version)
    held = stored(seeded_app, "order", order["id"])
    assert held is not None
    applied(
        api,
        tokens["board_member1"],
        "order",
        signed_by(order, "board_member1"),
        base_version=held[1],
    )

    # Both appeals read decided, on the server and on the Board clerk's docket.
    for appeal in (respondents, dhs):
        kept = stored(seeded_app, "appeal", appeal["id"])
        assert kept is not None and kept[0]["status"] == "decided", appeal["appellant"]
    changes, _ = api.pull_all(tokens["board_clerk1"])
    rows = {r.appeal_id: r.status for r in _docket(changes) if r.case_id == case["id"]}
    assert rows == {respondents["id"]: "Decided: dismissed", dhs["id"]: "Decided: dismissed"}

    # The respondent's appeal is not assigned for a second decision, nor turned back.
    second = push_one(
        api,
        tokens["board_clerk1"],
        "board_decision",
        assignment(case, respondents, ("board_member2",)),
    )
    assert second["status"] == "rejected"
    kept = stored(seeded_app, "appeal", respondents["id"])
    assert kept is not None
    back = push_one(
        api,
        tokens["board_clerk1"],
        "appeal",
        {**kept[0], "status": "docketed"},
        base_version=kept[1],
    )
    assert back["status"] == "rejected"


def test_the_portal_reads_the_cross_appeal_decided_with_the_boards_outcome(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    case = decided_case(api, tokens, days_ago=4)
    appeals = []
    for filer in ("attorney1", "dhs1"):
        appeal = appeal_data(case, filer)
        version = applied(api, tokens[filer], "appeal", appeal)
        applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
        appeals.append(appeal)
    decision = assignment(case, appeals[1], ("board_member1",))
    version = applied(api, tokens["board_clerk1"], "board_decision", decision)
    order = draft(case, "board_member1", "dismissed")
    applied(api, tokens["board_member1"], "order", order)
    applied(
        api,
        tokens["board_member1"],
        "board_decision",
        drafted(decision, order),
        base_version=version,
    )
    held = stored(seeded_app, "order", order["id"])
    assert held is not None
    applied(
        api,
        tokens["board_member1"],
        "order",
        signed_by(order, "board_member1"),
        base_version=held[1],
    )
    with seeded_app.app_context():
        courses = {c.appeal.id: c for c in appeal_courses(case["id"])}
    assert [courses[a["id"]].stage for a in appeals] == ["Decided", "Decided"]
    assert courses[appeals[0]["id"]].detail == courses[appeals[1]["id"]].detail
    assert courses[appeals[0]["id"]].decision_document_id is not None
