"""The Board's decisions: assignment, the decision's template, panel votes and issuing.

The Board clerk assigns a docketed appeal to a single Board member or to a panel of three
(8 CFR 1003.1(e)); one of them, the author, drafts the decision as an order of the
``board_decision`` template (``resources/order_templates/board_decision.json``). A single
member decides by signing that order. A panel decides by majority (8 CFR 1003.1(e)(6)):
each member signs a ``board_vote`` (join, concur, dissent, with an optional separate
opinion), and the decision issues once two have joined or concurred. Summary affirmance
(affirmance without opinion) is a single member's (8 CFR 1003.1(e)(4)). The server issues
the decision; what it checks here the desktop checks before queueing a change, so both
refuse in the same words.

Temporary Board members (8 CFR 1003.1(a)(4)) have a Board member's authority while
designated: they may sit alone or on a panel (assumption: the section was not re-read on
2026-12-07; no limit on temporary members' share of a panel is applied).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from common.enums import BoardDecisionStatus, BoardOutcome, BoardVoteChoice, OrderStatus
from common.orders import (
    OrderTemplate,
    Problem,
    SigningRefused,
    check_record,
    current_templates,
)
from common.wire import BoardDecision, BoardVote, Order

DECISION_TEMPLATE = "board_decision"
PANEL_SIZE = 3
PANEL_MAJORITY = 2  # two of three (8 CFR 1003.1(e)(6))
JOINING = frozenset({BoardVoteChoice.JOIN, BoardVoteChoice.CONCUR})
# What the clerk may still change while the decision is only assigned (a reassignment).
_ASSIGNMENT_FIELDS = frozenset({"panel", "member_ids", "author_id", "assigned_by", "assigned_on"})
_FIXED_FIELDS = frozenset({"appeal_id", "case_id"})
_VOTE_WORDS: dict[BoardVoteChoice, str] = {
    BoardVoteChoice.JOIN: "joins the decision",
    BoardVoteChoice.CONCUR: "concurs in the result",
    BoardVoteChoice.DISSENT: "dissents",
}
_OPINION_TITLES: dict[BoardVoteChoice, str] = {
    BoardVoteChoice.CONCUR: "Concurring opinion of {name}",
    BoardVoteChoice.DISSENT: "Dissenting opinion of {name}",
}


def decision_templates() -> dict[str, OrderTemplate]:
    """The Board's decision templates in force, by key (one: ``board_decision``); its
    ``outcome`` field chooses dismissed, sustained, remanded or summary affirmance."""
    return {k: t for k, t in current_templates().items() if k == DECISION_TEMPLATE}


def outcomes_for(decision: BoardDecision) -> tuple[BoardOutcome, ...]:
    """The outcomes the decision's author may choose: a panel never summarily affirms."""
    if decision.panel:
        return tuple(o for o in BoardOutcome if o is not BoardOutcome.SUMMARY_AFFIRMANCE)
    return tuple(BoardOutcome)


def _check_assignment(decision: BoardDecision) -> str | None:
    members = decision.member_ids
    if len(set(members)) != len(members):
        return "each Board member sits on the panel once"
    if decision.panel and len(members) != PANEL_SIZE:
        return f"a panel has exactly {PANEL_SIZE} Board members (8 CFR 1003.1(e)(6))"
    if not decision.panel and len(members) != 1:
        return "a single Board member's decision names one member (8 CFR 1003.1(e))"
    if decision.author_id not in members:
        return "the writing member is one of the members assigned"
    return None


def check_board_decision_change(old: BoardDecision | None, new: BoardDecision) -> str | None:
    """Why a client may not turn ``old`` into ``new`` (None: it may). The clerk assigns
    (status assigned, no outcome, no order) and may reassign while nothing is drafted; the
    author then records the outcome and the drafted order (status drafted). Issuing is
    the server's alone, and an issued decision never changes."""
    problem = _check_assignment(new)
    if problem:
        return problem
    if new.issued_on is not None and new.status is not BoardDecisionStatus.ISSUED:
        return "only an issued decision has an issue date"
    if new.panel and new.outcome is BoardOutcome.SUMMARY_AFFIRMANCE:
        return "summary affirmance is a single Board member's decision (8 CFR 1003.1(e)(4))"
    if old is None:
        if new.status is not BoardDecisionStatus.ASSIGNED or new.outcome or new.order_id:
            return "a Board decision starts as an assignment: no outcome and no order yet"
        return None
    if old.status is BoardDecisionStatus.ISSUED:
        return "the decision has issued: it is not changed, and no second decision is made"
    if new.status is BoardDecisionStatus.ISSUED:
        return "a decision issues when its members sign it, not by an edit"
    changed = {k for k, v in new.model_dump().items() if old.model_dump().get(k) != v}
    if changed & _FIXED_FIELDS:
        return "a decision stays with its appeal and case"
    if changed & _ASSIGNMENT_FIELDS and old.status is not BoardDecisionStatus.ASSIGNED:
        return "the panel is fixed once the decision is drafted"
    if new.status is BoardDecisionStatus.DRAFTED:
        if new.outcome is None or new.order_id is None:
            return "a drafted decision names its outcome and its order"
    elif new.outcome is not None or new.order_id is not None:
        return "an outcome and an order make the decision drafted"
    if old.status is BoardDecisionStatus.DRAFTED and new.status is BoardDecisionStatus.ASSIGNED:
        return "a drafted decision is not returned to assignment; redraft its order instead"
    return None


def check_drafted_order(decision: BoardDecision, order: Order) -> str | None:
    """Why ``order`` can't be the drafted order of ``decision`` (None: it can)."""
    if order.template != DECISION_TEMPLATE:
        return f"a Board decision is drafted on the {DECISION_TEMPLATE} template"
    if order.case_id != decision.case_id:
        return "the decision's order is in the appeal's case"
    if order.judge_id != decision.author_id:
        return "the writing member drafts the decision's order"
    outcome = order.fields.get("outcome")
    if decision.panel and outcome == BoardOutcome.SUMMARY_AFFIRMANCE.value:
        return "summary affirmance is a single Board member's decision (8 CFR 1003.1(e)(4))"
    if decision.outcome is not None and outcome != decision.outcome.value:
        return "the decision's outcome is the one its order states"
    if order.fields.get("panel_votes") or order.fields.get("separate_opinions"):
        return "the panel's votes and opinions are added when the decision issues"
    return None


def members_may_sign(decision: BoardDecision, user_id: str) -> bool:
    """Whether ``user_id`` may sign the decision (its order, or a panel vote): only a
    member assigned to it, and only until it issues."""
    return user_id in decision.member_ids and decision.status is not BoardDecisionStatus.ISSUED


def sign_decision(decision: BoardDecision, order: Order, signer_id: str, now: datetime) -> Order:
    """The single member's signed decision order, or :class:`SigningRefused` saying what
    to fix (a panel's order is signed by its majority's votes, not by one member)."""
    if order.status is not OrderStatus.DRAFT:
        raise SigningRefused([Problem("", "this decision is already signed")])
    if not members_may_sign(decision, signer_id):
        raise SigningRefused([Problem("", "only a Board member assigned to the appeal signs")])
    if decision.panel:
        raise SigningRefused([Problem("", "a panel decides by its members' votes")])
    if decision.order_id != order.id:
        raise SigningRefused([Problem("", "this is not the decision's drafted order")])
    refusal = check_drafted_order(decision, order)
    if refusal:
        raise SigningRefused([Problem("", refusal)])
    problems = check_record(order)
    if problems:
        raise SigningRefused(problems)
    return order.model_copy(
        update={"status": OrderStatus.SIGNED, "signed_at": now, "signed_by": signer_id}
    )


def check_vote(
    decision: BoardDecision, vote: BoardVote, existing_votes: Iterable[BoardVote]
) -> str | None:
    """Why ``vote`` can't be signed on ``decision`` given the votes already signed (None:
    it can). A vote is a panel member's own, on the drafted order, once."""
    if vote.board_decision_id != decision.id or vote.case_id != decision.case_id:
        return "the vote names another decision or case"
    if not decision.panel:
        return "a single Board member decides by signing the order; only a panel votes"
    if not members_may_sign(decision, vote.member_id):
        if decision.status is BoardDecisionStatus.ISSUED:
            return "the decision has issued: no more votes"
        return "only a Board member assigned to the panel votes on its decision"
    if decision.status is not BoardDecisionStatus.DRAFTED or decision.order_id is None:
        return "the panel votes once the decision is drafted"
    if vote.order_id != decision.order_id:
        return "the vote is on the decision's drafted order"
    if vote.vote is BoardVoteChoice.CONCUR and not vote.opinion.strip():
        return "a concurrence is a separate opinion: write it"
    for other in existing_votes:
        if other.board_decision_id == decision.id and other.member_id == vote.member_id:
            if other.id != vote.id:
                return "each member votes once"
            return "a signed vote is not changed"
    return None


def _counted(decision: BoardDecision, votes: Iterable[BoardVote]) -> dict[str, BoardVote]:
    by_member: dict[str, BoardVote] = {}
    for v in votes:
        if (
            v.board_decision_id == decision.id
            and v.order_id == decision.order_id
            and v.member_id in decision.member_ids
            and v.member_id not in by_member
        ):
            by_member[v.member_id] = v
    return by_member


def majority_joined(
    decision: BoardDecision, votes: Iterable[BoardVote], order: Order | None = None
) -> bool:
    """Whether the decision may issue: a single member has signed its order (``order``,
    signed by that member); a panel has two votes joining or concurring."""
    if decision.order_id is None:
        return False
    if not decision.panel:
        return (
            order is not None
            and order.id == decision.order_id
            and order.status is not OrderStatus.DRAFT
            and order.signed_by == decision.member_ids[0]
        )
    joined = [v for v in _counted(decision, votes).values() if v.vote in JOINING]
    return len(joined) >= PANEL_MAJORITY


def majority_signed_at(decision: BoardDecision, votes: Iterable[BoardVote]) -> datetime | None:
    """When the panel's majority was reached: the second joining vote's signature."""
    joined = sorted(
        (v for v in _counted(decision, votes).values() if v.vote in JOINING),
        key=lambda v: v.signed_at,
    )
    return joined[PANEL_MAJORITY - 1].signed_at if len(joined) >= PANEL_MAJORITY else None


def panel_fields(
    decision: BoardDecision, votes: Iterable[BoardVote], names: Mapping[str, str]
) -> dict[str, str]:
    """The order fields the panel's decision prints (template fields ``panel_votes`` and
    ``separate_opinions``): each member's vote in the panel's order, then each signed
    separate opinion; members who had not voted when it issued are said so. ``names``:
    each member's name as signed (the display name, with its title)."""
    counted = _counted(decision, votes)
    lines = []
    for member in decision.member_ids:
        name = names.get(member, member)
        vote = counted.get(member)
        said = _VOTE_WORDS[vote.vote] if vote else "had not voted when the decision issued"
        writing = " (writing for the panel)" if member == decision.author_id else ""
        lines.append(f"{name}{writing} {said}.")
    opinions = []
    for member in decision.member_ids:
        vote = counted.get(member)
        if vote is None or not vote.opinion.strip() or vote.vote not in _OPINION_TITLES:
            continue
        title = _OPINION_TITLES[vote.vote].format(name=names.get(member, member))
        opinions.append(f"{title}: {vote.opinion.strip()}")
    return {
        "panel_votes": "Panel: " + " ".join(lines),
        "separate_opinions": "\n\n".join(opinions),
    }


# The outcomes that leave the immigration judge's decision standing, final on the Board's
# (8 CFR 1241.1(a)); a sustained appeal or a remand does not.
_AFFIRMING = frozenset({BoardOutcome.DISMISSED, BoardOutcome.SUMMARY_AFFIRMANCE})


def board_final_on(decisions: Iterable[BoardDecision], case_id: str) -> date | None:
    """The Board's day its latest issued decision in the case dismissed the appeal or
    affirmed (the immigration judge's decision is final that day: pass it to
    ``common.decisions.finality``), or None."""
    issued = [
        d
        for d in decisions
        if d.case_id == case_id
        and d.status is BoardDecisionStatus.ISSUED
        and d.issued_on is not None
    ]
    if not issued:
        return None
    latest = max(issued, key=lambda d: (d.issued_on or date.min, d.id))
    return latest.issued_on if latest.outcome in _AFFIRMING else None
