"""The Board's decisions as the mutation run of common/board_decisions.py showed them
unchecked: each refusal to sign or to assign, whole (8 CFR 1003.1(e): a single member or a
panel of three; 8 CFR 1003.1(e)(6): a panel decides by its members' votes)."""

from __future__ import annotations

import pytest

from common.board_decisions import check_board_decision_change, sign_decision
from common.enums import BoardOutcome, OrderStatus
from common.orders import Problem, SigningRefused
from tests.common.test_board_decision_rules import (
    M1,
    M2,
    M3,
    M4,
    REMAND,
    SIGNED,
    assigned,
    draft_order,
    drafted,
)

DISMISSED = {**REMAND, "outcome": "dismissed", "remand_instructions": None}


def _refusal(*args: object) -> list[Problem]:
    with pytest.raises(SigningRefused) as refused:
        sign_decision(*args)  # type: ignore[arg-type]
    return refused.value.problems


def test_each_refusal_to_sign_a_board_decision_is_whole() -> None:
    single = drafted(assigned(panel=False), BoardOutcome.DISMISSED)
    order = draft_order(DISMISSED)
    signed = order.model_copy(update={"status": OrderStatus.SIGNED})
    assert _refusal(single, signed, M1, SIGNED) == [Problem("", "this decision is already signed")]
    assert _refusal(single, order, M2, SIGNED) == [
        Problem("", "only a Board member assigned to the appeal signs")
    ]
    assert _refusal(drafted(assigned()), order, M1, SIGNED) == [
        Problem("", "a panel decides by its members' votes")
    ]
    other = order.model_copy(update={"id": "another order"})
    assert _refusal(single, other, M1, SIGNED) == [
        Problem("", "this is not the decision's drafted order")
    ]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"member_ids": [M1, M1, M2]}, "each Board member sits on the panel once"),
        ({"member_ids": [M1, M2]}, "a panel has exactly 3 Board members (8 CFR 1003.1(e)(6))"),
        (
            {"panel": False, "member_ids": [M1, M2]},
            "a single Board member's decision names one member (8 CFR 1003.1(e))",
        ),
        ({"author_id": M4}, "the writing member is one of the members assigned"),
    ],
)
def test_each_refused_assignment_says_why(changes: dict[str, object], reason: str) -> None:
    assert check_board_decision_change(None, assigned(**changes)) == reason
    assert check_board_decision_change(None, assigned(member_ids=[M1, M2, M3])) is None
