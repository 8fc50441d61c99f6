"""The Board's decisions as the mutation run of common/board_decisions.py showed them
unchecked: each refusal to sign or to assign, whole (8 CFR 1003.1(e): a single member or a
panel of three; 8 CFR 1003.1(e)(6): a panel decides by its members' votes)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from common.board_decisions import check_board_decision_change, check_drafted_order, sign_decision
from common.enums import BoardDecisionStatus, BoardOutcome, OrderStatus
from common.orders import Problem, SigningRefused
from tests.common.test_board_decision_rules import (
    M1,
    M2,
    M3,
    M4,
    ORDER,
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


def test_each_refused_change_of_a_board_decision_says_why() -> None:
    single = assigned(panel=False)
    panel = assigned()
    issued = drafted(panel).model_copy(
        update={"status": BoardDecisionStatus.ISSUED, "issued_on": date(2026, 12, 9)}
    )
    cases = [
        (
            None,
            single.model_copy(update={"issued_on": date(2026, 12, 9)}),
            "only an issued decision has an issue date",
        ),
        (
            None,
            drafted(panel, BoardOutcome.SUMMARY_AFFIRMANCE),
            "summary affirmance is a single Board member's decision (8 CFR 1003.1(e)(4))",
        ),
        (
            None,
            panel.model_copy(update={"outcome": BoardOutcome.REMANDED}),
            "a Board decision starts as an assignment: no outcome and no order yet",
        ),
        (
            None,
            panel.model_copy(update={"order_id": ORDER}),
            "a Board decision starts as an assignment: no outcome and no order yet",
        ),
        (
            issued,
            issued,
            "the decision has issued: it is not changed, and no second decision is made",
        ),
        (
            panel,
            panel.model_copy(update={"case_id": str(uuid.uuid4())}),
            "a decision stays with its appeal and case",
        ),
        (
            drafted(panel),
            drafted(panel).model_copy(update={"author_id": M2}),
            "the panel is fixed once the decision is drafted",
        ),
        (
            panel,
            panel.model_copy(
                update={"status": BoardDecisionStatus.DRAFTED, "outcome": BoardOutcome.REMANDED}
            ),
            "a drafted decision names its outcome and its order",
        ),
        (
            panel,
            panel.model_copy(update={"order_id": ORDER}),
            "an outcome and an order make the decision drafted",
        ),
    ]
    for old, new, reason in cases:
        assert check_board_decision_change(old, new) == reason
    # The author may reassign the writing within the panel while nothing is drafted.
    assert check_board_decision_change(panel, panel.model_copy(update={"author_id": M2})) is None


def test_each_refused_drafted_order_says_why() -> None:
    decision = drafted(assigned(), BoardOutcome.REMANDED)
    order = draft_order(REMAND)
    assert check_drafted_order(decision, order) is None
    cases = [
        (
            order.model_copy(update={"case_id": str(uuid.uuid4())}),
            "the decision's order is in the appeal's case",
        ),
        (
            order.model_copy(update={"judge_id": M2}),
            "the writing member drafts the decision's order",
        ),
        (
            draft_order({**REMAND, "outcome": "summary_affirmance"}),
            "summary affirmance is a single Board member's decision (8 CFR 1003.1(e)(4))",
        ),
        (
            draft_order({**REMAND, "outcome": "dismissed", "remand_instructions": None}),
            "the decision's outcome is the one its order states",
        ),
        (
            draft_order({**REMAND, "panel_votes": "Board Member Chen joins."}),
            "the panel's votes and opinions are added when the decision issues",
        ),
        (
            draft_order({**REMAND, "separate_opinions": "Dissenting opinion."}),
            "the panel's votes and opinions are added when the decision issues",
        ),
    ]
    for drafted_order, reason in cases:
        assert check_drafted_order(decision, drafted_order) == reason
    # An assignment without an outcome yet takes the order's.
    assert check_drafted_order(assigned(), order) is None
