"""The appeal record follows the Board's decision: once a decision issues, the server marks
its appeal decided in the same push (``services.board_decisions``), the Board's docket and
the parties read "Decided" with the outcome, and Board staff still read the case. No client
marks an appeal decided, nor changes a decided one."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from desktop.board import board_docket
from tests.conftest import Api
from tests.server.sync_helpers import TokenBook, applied, by_entity, push_one, stored
from tests.server.test_board_decisions import (
    MEMBERS,
    _assigned_and_drafted,
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
