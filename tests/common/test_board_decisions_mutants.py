"""The Board's decisions as the mutation run of common/board_decisions.py showed them
unchecked: each refusal to sign or to assign, whole (8 CFR 1003.1(e): a single member or a
panel of three; 8 CFR 1003.1(e)(6): a panel decides by its members' votes)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from common.board_decisions import (
    board_final_on,
    check_board_decision_change,
    check_drafted_order,
    check_vote,
    majority_joined,
    majority_signed_at,
    panel_fields,
    sign_decision,
)
from common.enums import BoardDecisionStatus, BoardOutcome, BoardVoteChoice, OrderStatus
from common.orders import Problem, SigningRefused, check_record
from common.wire import BoardDecision, BoardVote
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
    vote,
)
from tests.orders.helpers import FACTS

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


# --- votes, majority, the panel's fields and the final day, asserted whole ------------------


def _vote(decision: BoardDecision, member: str, choice: BoardVoteChoice, **kw: Any) -> BoardVote:
    return vote(decision, member, choice, **kw)


def test_each_refused_vote_says_why_in_full() -> None:
    panel = drafted(assigned())
    issued = panel.model_copy(
        update={"status": BoardDecisionStatus.ISSUED, "issued_on": date(2026, 12, 9)}
    )
    single = drafted(assigned(panel=False))
    first = _vote(panel, M2, BoardVoteChoice.JOIN)
    cases: list[tuple[BoardDecision, BoardVote, list[BoardVote], str | None]] = [
        (
            panel,
            first.model_copy(update={"board_decision_id": str(uuid.uuid4())}),
            [],
            "the vote names another decision or case",
        ),
        (
            panel,
            first.model_copy(update={"case_id": str(uuid.uuid4())}),
            [],
            "the vote names another decision or case",
        ),
        (
            single,
            _vote(single, M1, BoardVoteChoice.JOIN),
            [],
            "a single Board member decides by signing the order; only a panel votes",
        ),
        (
            issued,
            _vote(issued, M2, BoardVoteChoice.JOIN),
            [],
            "the decision has issued: no more votes",
        ),
        (
            issued,
            _vote(issued, M4, BoardVoteChoice.JOIN),
            [],
            "the decision has issued: no more votes",
        ),
        (
            panel,
            _vote(panel, M4, BoardVoteChoice.JOIN),
            [],
            "only a Board member assigned to the panel votes on its decision",
        ),
        (
            panel.model_copy(update={"status": BoardDecisionStatus.ASSIGNED}),
            first,
            [],
            "the panel votes once the decision is drafted",
        ),
        (
            panel.model_copy(update={"order_id": None}),
            first,
            [],
            "the panel votes once the decision is drafted",
        ),
        (
            panel,
            first.model_copy(update={"order_id": str(uuid.uuid4())}),
            [],
            "the vote is on the decision's drafted order",
        ),
        (
            panel,
            _vote(panel, M3, BoardVoteChoice.CONCUR, opinion="  \n "),
            [],
            "a concurrence is a separate opinion: write it",
        ),
        (panel, _vote(panel, M3, BoardVoteChoice.CONCUR, opinion="Narrower."), [], None),
        (panel, _vote(panel, M3, BoardVoteChoice.DISSENT), [], None),
        (panel, _vote(panel, M2, BoardVoteChoice.DISSENT), [first], "each member votes once"),
        (panel, first, [first], "a signed vote is not changed"),
        (
            panel,
            first,
            [
                _vote(panel, M3, BoardVoteChoice.JOIN),
                first.model_copy(
                    update={"board_decision_id": str(uuid.uuid4()), "id": str(uuid.uuid4())}
                ),
            ],
            None,
        ),
    ]
    for decision, cast, existing, reason in cases:
        assert check_vote(decision, cast, existing) == reason


def test_a_single_members_decision_issues_only_on_its_own_signed_order() -> None:
    decision = drafted(assigned(panel=False), BoardOutcome.DISMISSED)
    signed = draft_order(DISMISSED).model_copy(
        update={"status": OrderStatus.SIGNED, "signed_by": M1, "signed_at": SIGNED}
    )
    assert majority_joined(decision, [], signed) is True
    assert majority_joined(decision, []) is False
    assert majority_joined(decision, [], signed.model_copy(update={"id": "other"})) is False
    assert (
        majority_joined(decision, [], signed.model_copy(update={"status": OrderStatus.DRAFT}))
        is False
    )
    assert majority_joined(decision, [], signed.model_copy(update={"signed_by": M2})) is False
    undrafted = decision.model_copy(update={"order_id": None})
    assert majority_joined(undrafted, [], signed.model_copy(update={"id": None})) is False


def test_a_panels_majority_and_when_it_was_reached() -> None:
    panel = drafted(assigned())
    at = [SIGNED + timedelta(hours=h) for h in range(3)]
    j1 = _vote(panel, M1, BoardVoteChoice.JOIN, signed_at=at[2])
    j2 = _vote(panel, M2, BoardVoteChoice.CONCUR, opinion="Narrower.", signed_at=at[0])
    j3 = _vote(panel, M3, BoardVoteChoice.JOIN, signed_at=at[1])
    assert majority_joined(panel, [j1, j2]) is True
    assert majority_signed_at(panel, [j1, j2]) == at[2]
    assert majority_signed_at(panel, [j1, j2, j3]) == at[1]  # the second in time
    dissent = _vote(panel, M3, BoardVoteChoice.DISSENT, signed_at=at[0])
    assert majority_joined(panel, [j1, dissent]) is False
    assert majority_signed_at(panel, [j1, dissent]) is None
    assert majority_signed_at(panel, []) is None
    # Votes on a decision without its order count for nothing.
    bare = panel.model_copy(update={"order_id": None})
    loose = [v.model_copy(update={"order_id": None}) for v in (j1, j2, j3)]
    assert majority_joined(bare, loose) is False


def test_the_panels_fields_name_each_member_and_each_separate_opinion() -> None:
    panel = drafted(assigned(author_id=M2))
    votes = [
        _vote(panel, M3, BoardVoteChoice.CONCUR, opinion="  On narrower grounds.  "),
        _vote(panel, M2, BoardVoteChoice.JOIN, opinion="Not printed: a join has no opinion."),
    ]
    names = {M2: "Board Member Chen", M3: "Board Member Okonkwo"}
    assert panel_fields(panel, votes, names) == {
        "panel_votes": (
            f"Panel: {M1} had not voted when the decision issued. Board Member Chen (writing "
            "for the panel) joins the decision. Board Member Okonkwo concurs in the result."
        ),
        "separate_opinions": "Concurring opinion of Board Member Okonkwo: On narrower grounds.",
    }
    both = [
        _vote(panel, M1, BoardVoteChoice.DISSENT, opinion="I would dismiss."),
        _vote(panel, M3, BoardVoteChoice.CONCUR, opinion="Narrower."),
        _vote(panel, M2, BoardVoteChoice.DISSENT, opinion=" "),
    ]
    assert panel_fields(panel, both, names)["separate_opinions"] == (
        f"Dissenting opinion of {M1}: I would dismiss.\n\n"
        "Concurring opinion of Board Member Okonkwo: Narrower."
    )


def _issued(outcome: BoardOutcome, on: date, **kw: Any) -> BoardDecision:
    return drafted(assigned(panel=False, **kw), outcome).model_copy(
        update={"status": BoardDecisionStatus.ISSUED, "issued_on": on}
    )


def test_the_boards_final_day_is_its_latest_issued_decision_if_it_affirms() -> None:
    case = FACTS.case_id
    first = _issued(BoardOutcome.DISMISSED, date(2026, 12, 1))
    summary = _issued(BoardOutcome.SUMMARY_AFFIRMANCE, date(2026, 12, 3))
    sustained = _issued(BoardOutcome.SUSTAINED, date(2026, 12, 2))
    assert board_final_on([first], case) == date(2026, 12, 1)
    assert board_final_on([summary, first], case) == date(2026, 12, 3)
    assert board_final_on([first, sustained], case) is None
    assert board_final_on([sustained, summary, first], case) == date(2026, 12, 3)
    elsewhere = _issued(BoardOutcome.REMANDED, date(2026, 12, 5), case_id=str(uuid.uuid4()))
    assert board_final_on([first, elsewhere], case) == date(2026, 12, 1)
    assert board_final_on([elsewhere], case) is None
    undated = first.model_copy(update={"issued_on": None})
    assert board_final_on([undated], case) is None
    # Two issued the same day: the larger id decides, whatever the order given.
    low = _issued(
        BoardOutcome.DISMISSED, date(2026, 12, 4), id="00000000-0000-4000-8000-000000000001"
    )
    high = _issued(
        BoardOutcome.SUSTAINED, date(2026, 12, 4), id="ffffffff-0000-4000-8000-000000000001"
    )
    assert board_final_on([low, high], case) is None
    assert board_final_on([high, low], case) is None
    assert board_final_on(
        [
            low.model_copy(update={"outcome": BoardOutcome.SUSTAINED}),
            high.model_copy(update={"outcome": BoardOutcome.DISMISSED}),
        ],
        case,
    ) == date(2026, 12, 4)


def test_a_single_members_signing_refused_for_the_order_itself() -> None:
    single = drafted(assigned(panel=False), BoardOutcome.DISMISSED)
    order = draft_order(DISMISSED)
    assert _refusal(single, order.model_copy(update={"judge_id": M2}), M1, SIGNED) == [
        Problem("", "the writing member drafts the decision's order")
    ]
    missing = order.model_copy(update={"fields": {**DISMISSED, "decision_below_date": None}})
    problems = _refusal(single, missing, M1, SIGNED)
    assert problems == check_record(missing) and problems != []
    signed = sign_decision(single, order, M1, SIGNED)
    assert (signed.status, signed.signed_at, signed.signed_by) == (OrderStatus.SIGNED, SIGNED, M1)
    assert (
        signed.model_copy(
            update={"status": OrderStatus.DRAFT, "signed_at": None, "signed_by": None}
        )
        == order
    )


def test_a_drafted_decision_is_redrafted_but_not_issued_by_an_edit_nor_returned() -> None:
    panel = drafted(assigned())
    assert check_board_decision_change(panel, panel) is None
    redrafted = panel.model_copy(
        update={"outcome": BoardOutcome.DISMISSED, "order_id": str(uuid.uuid4())}
    )
    assert check_board_decision_change(panel, redrafted) is None
    issued = panel.model_copy(
        update={"status": BoardDecisionStatus.ISSUED, "issued_on": date(2026, 12, 9)}
    )
    assert check_board_decision_change(panel, issued) == (
        "a decision issues when its members sign it, not by an edit"
    )
    back = panel.model_copy(
        update={"status": BoardDecisionStatus.ASSIGNED, "outcome": None, "order_id": None}
    )
    assert check_board_decision_change(panel, back) == (
        "a drafted decision is not returned to assignment; redraft its order instead"
    )
