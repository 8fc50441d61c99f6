"""The Board's decisions (common.board_decisions): assignment, drafting, votes, majority,
and the panel's decision as the PDF prints it."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from common.board_decisions import (
    board_final_on,
    check_board_decision_change,
    check_drafted_order,
    check_vote,
    decision_templates,
    majority_joined,
    majority_signed_at,
    members_may_sign,
    outcomes_for,
    panel_fields,
    sign_decision,
)
from common.decisions import finality
from common.enums import (
    BoardDecisionStatus,
    BoardOutcome,
    BoardVoteChoice,
    CaseStatus,
    OrderStatus,
)
from common.order_pdf import pdf_text, render_order
from common.orders import SigningRefused, check_order, new_draft, template_for
from common.wire import BoardDecision, BoardVote, DecisionRecord, Order
from tests.orders.helpers import FACTS

M1, M2, M3, M4 = (str(uuid.uuid4()) for _ in range(4))
CLERK = str(uuid.uuid4())
ORDER = str(uuid.uuid4())
SIGNED = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
NAMES = {M1: "Board Member Rivera", M2: "Board Member Chen", M3: "Board Member Okonkwo"}


def assigned(panel: bool = True, **kw: Any) -> BoardDecision:
    data: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "appeal_id": str(uuid.uuid4()),
        "case_id": FACTS.case_id,
        "panel": panel,
        "member_ids": [M1, M2, M3] if panel else [M1],
        "author_id": M1,
        "assigned_by": CLERK,
        "assigned_on": date(2026, 12, 7),
        **kw,
    }
    return BoardDecision.model_validate(data)


def drafted(
    decision: BoardDecision, outcome: BoardOutcome = BoardOutcome.REMANDED
) -> BoardDecision:
    return decision.model_copy(
        update={"status": BoardDecisionStatus.DRAFTED, "outcome": outcome, "order_id": ORDER}
    )


def vote(decision: BoardDecision, member: str, choice: BoardVoteChoice, **kw: Any) -> BoardVote:
    data: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "board_decision_id": decision.id,
        "case_id": decision.case_id,
        "member_id": member,
        "order_id": decision.order_id,
        "vote": choice,
        "signed_at": SIGNED,
        **kw,
    }
    return BoardVote.model_validate(data)


def draft_order(fields: dict[str, Any]) -> Order:
    template = template_for("board_decision")
    draft = new_draft(template, FACTS, M1, date(2026, 12, 7))
    return draft.model_copy(update={"id": ORDER, "fields": fields})


REMAND = {
    "appellant": "dhs",
    "decision_below_date": "2026-11-20",
    "outcome": "remanded",
    "remand_instructions": "Make findings on the respondent's credibility.",
}


def test_the_board_has_one_decision_template_whose_outcome_chooses_the_disposition() -> None:
    templates = decision_templates()
    assert list(templates) == ["board_decision"]
    outcome = templates["board_decision"].field("outcome")
    assert [v for v, _ in outcome.options()] == [o.value for o in BoardOutcome]
    assert all(c.document and c.section for c in templates["board_decision"].source)


def test_a_remand_needs_its_instructions() -> None:
    template = template_for("board_decision")
    without = {k: v for k, v in REMAND.items() if k != "remand_instructions"}
    problems = check_order(template, without, template.body)
    assert [p.field for p in problems] == ["remand_instructions"]
    assert check_order(template, REMAND, template.body) == []


def test_a_panel_is_three_distinct_members_with_the_author_among_them() -> None:
    assert check_board_decision_change(None, assigned()) is None
    assert check_board_decision_change(None, assigned(panel=False)) is None
    two = assigned(member_ids=[M1, M2])
    assert "exactly 3" in (check_board_decision_change(None, two) or "")
    twice = assigned(member_ids=[M1, M1, M2])
    assert "once" in (check_board_decision_change(None, twice) or "")
    outsider = assigned(author_id=M4)
    assert "writing member" in (check_board_decision_change(None, outsider) or "")
    alone_with_three = assigned(panel=False, member_ids=[M1, M2, M3])
    assert "one member" in (check_board_decision_change(None, alone_with_three) or "")


def test_summary_affirmance_is_for_a_single_member_only() -> None:
    panel = assigned()
    assert BoardOutcome.SUMMARY_AFFIRMANCE not in outcomes_for(panel)
    assert BoardOutcome.SUMMARY_AFFIRMANCE in outcomes_for(assigned(panel=False))
    refused = check_board_decision_change(panel, drafted(panel, BoardOutcome.SUMMARY_AFFIRMANCE))
    assert "1003.1(e)(4)" in (refused or "")
    order = draft_order({**REMAND, "outcome": "summary_affirmance"})
    assert "1003.1(e)(4)" in (check_drafted_order(drafted(panel), order) or "")


def test_a_decision_starts_assigned_and_is_issued_only_by_the_server() -> None:
    panel = assigned()
    early = drafted(panel)
    assert "starts as an assignment" in (check_board_decision_change(None, early) or "")
    assert check_board_decision_change(panel, early) is None
    issued = early.model_copy(
        update={"status": BoardDecisionStatus.ISSUED, "issued_on": date(2026, 12, 7)}
    )
    assert "not by an edit" in (check_board_decision_change(early, issued) or "")
    again = issued.model_copy(update={"outcome": BoardOutcome.DISMISSED})
    assert "no second decision" in (check_board_decision_change(issued, again) or "")


def test_the_panel_is_fixed_once_drafted() -> None:
    panel = drafted(assigned())
    swapped = panel.model_copy(update={"member_ids": [M1, M2, M4]})
    assert "fixed" in (check_board_decision_change(panel, swapped) or "")
    first = assigned()
    reassigned = first.model_copy(update={"member_ids": [M1, M2, M4]})
    assert check_board_decision_change(first, reassigned) is None


def test_only_assigned_members_vote_once_each_on_the_drafted_order() -> None:
    decision = drafted(assigned())
    first = vote(decision, M2, BoardVoteChoice.JOIN)
    assert check_vote(decision, first, []) is None
    stranger = vote(decision, M4, BoardVoteChoice.JOIN)
    assert "only a Board member assigned" in (check_vote(decision, stranger, [first]) or "")
    assert not members_may_sign(decision, M4) and members_may_sign(decision, M2)
    second = vote(decision, M2, BoardVoteChoice.DISSENT)
    assert "votes once" in (check_vote(decision, second, [first]) or "")
    other_order = vote(decision, M3, BoardVoteChoice.JOIN, order_id=str(uuid.uuid4()))
    assert "drafted order" in (check_vote(decision, other_order, [first]) or "")
    bare = vote(decision, M3, BoardVoteChoice.CONCUR)
    assert "concurrence" in (check_vote(decision, bare, [first]) or "")
    undrafted = assigned()
    assert "once the decision is drafted" in (
        check_vote(undrafted, vote(undrafted, M2, BoardVoteChoice.JOIN, order_id=ORDER), []) or ""
    )
    single = drafted(assigned(panel=False))
    assert "only a panel votes" in (
        check_vote(single, vote(single, M1, BoardVoteChoice.JOIN), []) or ""
    )


def test_a_panel_decides_when_two_of_three_join_or_concur() -> None:
    decision = drafted(assigned())
    dissent = vote(decision, M3, BoardVoteChoice.DISSENT, opinion="I would dismiss.")
    join = vote(decision, M1, BoardVoteChoice.JOIN)
    assert not majority_joined(decision, [dissent, join])
    later = SIGNED + timedelta(hours=2)
    concur = vote(decision, M2, BoardVoteChoice.CONCUR, opinion="On narrower grounds.")
    concur = concur.model_copy(update={"signed_at": later})
    assert majority_joined(decision, [dissent, join, concur])
    assert majority_signed_at(decision, [dissent, join, concur]) == later
    # A vote by someone off the panel, or a second vote by one member, counts for nothing.
    stranger = vote(decision, M4, BoardVoteChoice.JOIN)
    assert not majority_joined(decision, [join, stranger, vote(decision, M1, BoardVoteChoice.JOIN)])


def test_a_single_member_decides_by_signing_the_order() -> None:
    decision = drafted(assigned(panel=False), BoardOutcome.DISMISSED)
    order = draft_order({**REMAND, "outcome": "dismissed", "remand_instructions": None})
    assert not majority_joined(decision, [], order)
    signed = order.model_copy(
        update={"status": OrderStatus.SIGNED, "signed_by": M1, "signed_at": SIGNED}
    )
    assert majority_joined(decision, [], signed)
    assert sign_decision(decision, order, M1, SIGNED) == signed
    with pytest.raises(SigningRefused, match="assigned"):
        sign_decision(decision, order, M2, SIGNED)
    with pytest.raises(SigningRefused, match="votes"):
        sign_decision(drafted(assigned()), order, M1, SIGNED)
    by_other = signed.model_copy(update={"signed_by": M2})
    assert not majority_joined(decision, [], by_other)


def test_the_panel_decision_lists_each_vote_and_appends_the_separate_opinions() -> None:
    decision = drafted(assigned())
    votes = [
        vote(decision, M1, BoardVoteChoice.JOIN),
        vote(decision, M2, BoardVoteChoice.JOIN),
        vote(decision, M3, BoardVoteChoice.DISSENT, opinion="The record supports the denial."),
    ]
    fields = panel_fields(decision, votes, NAMES)
    assert fields["panel_votes"] == (
        "Panel: Board Member Rivera (writing for the panel) joins the decision. "
        "Board Member Chen joins the decision. Board Member Okonkwo dissents."
    )
    assert fields["separate_opinions"] == (
        "Dissenting opinion of Board Member Okonkwo: The record supports the denial."
    )
    order = draft_order(REMAND)
    assert check_drafted_order(decision, order) is None
    assert "added when the decision issues" in (
        check_drafted_order(decision, order.model_copy(update={"fields": {**REMAND, **fields}}))
        or ""
    )
    template = template_for("board_decision")
    issued = order.model_copy(
        update={
            "fields": {**REMAND, **fields},
            "status": OrderStatus.SIGNED,
            "signed_by": M1,
            "signed_at": SIGNED,
        }
    )
    raw = pdf_text(render_order(template, issued, FACTS))
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    assert "BOARD OF IMMIGRATION APPEALS" in text and "IMMIGRATION COURT —" not in text
    assert "Board Member Okonkwo dissents." in text
    assert "On remand, the immigration judge shall: Make findings" in text
    assert text.index("Board Member Rivera") < text.index("SEPARATE OPINIONS")
    assert text.index("SEPARATE OPINIONS") < text.index("Dissenting opinion of Board Member")
    assert "Immigration Judge Brennan Board Member" in text  # the signer's title


def test_a_dismissal_makes_the_judges_decision_final_on_the_boards_day_8_cfr_1241_1_a() -> None:
    judge_decision = DecisionRecord.model_validate(
        {
            "id": str(uuid.uuid4()),
            "case_id": FACTS.case_id,
            "judge_id": str(uuid.uuid4()),
            "decided_on": "2026-11-20",
            "completion": "removal_ordered",
            "removal_country": "Peru",
            "appeal_reserved_by": ["dhs"],
            "recorded_at": "2026-11-20T20:00:00Z",
        }
    )
    single = assigned(panel=False)
    dismissed = drafted(single, BoardOutcome.DISMISSED).model_copy(
        update={"status": BoardDecisionStatus.ISSUED, "issued_on": date(2026, 12, 7)}
    )
    day = board_final_on([dismissed], FACTS.case_id)
    assert day == date(2026, 12, 7)
    final = finality(judge_decision, case_status=CaseStatus.DECIDED, board_final_on=day)
    assert final.final_on == date(2026, 12, 7) and "8 CFR 1241.1(a)" in final.citation
    remanded = dismissed.model_copy(update={"outcome": BoardOutcome.REMANDED})
    assert board_final_on([remanded], FACTS.case_id) is None
    assert board_final_on([drafted(single, BoardOutcome.DISMISSED)], FACTS.case_id) is None
