"""The Board's decisions on the server: the checks that need the database, and issuing.

A Board decision issues once, in the savepoint of the push that completes it: a single
member's signed order (:func:`issue_signed_order`), or the panel vote that makes a majority
(:func:`decide_on_vote`, which signs the drafted order on the panel's behalf with each
member's vote and the separate opinions signed by then). Issuing goes through the courts'
:class:`~sync_server.services.orders.OrderIssuer` (the PDF, the eROP document, service on
the parties, ids derived from the order's, so a replay makes nothing twice), with the
Board's name, clock and signer. The decision record then reads issued on the Board's local
date, and the case moves (``common.lifecycle``): on remand back to the immigration court,
pending again; otherwise decided, the immigration judge's decision final on the Board's
(8 CFR 1241.1(a)); the appeal reads decided either way. Each move is audited in the same
transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.appeals import BOARD_TIMEZONE, board_facts, check_appeal_change
from common.board_decisions import (
    DECISION_TEMPLATE,
    check_board_decision_change,
    check_drafted_order,
    check_vote,
    majority_joined,
    majority_signed_at,
    panel_fields,
)
from common.court_time import local_date
from common.enums import (
    AppealStatus,
    BoardDecisionStatus,
    BoardOutcome,
    CaseStatus,
    FilingKind,
    OrderStatus,
    Party,
    RepresentationStatus,
    Role,
)
from common.forms_eoir import ServiceMethod
from common.lifecycle import CaseEvent, TransitionError, apply_event
from common.orders import CaseFacts, check_record
from common.service import PartyToServe, certificate_of_service, proceeding_for
from common.wire import Appeal, BoardDecision, BoardVote, Case, Order, WireRecord
from sync_server.models import (
    AppealRow,
    BoardDecisionRow,
    BoardVoteRow,
    CaseRow,
    OrderRow,
    RepresentationRow,
    UserRow,
)
from sync_server.services.appeals import board_court
from sync_server.services.orders import OrderIssuer, facts_from_db
from sync_server.services.records import SessionLookups, row_to_record, write_consequence
from sync_server.services.service import parties_to_serve

# --- reading ---------------------------------------------------------------------------------


def _decision(session: Session, decision_id: str) -> BoardDecision | None:
    row = session.get(BoardDecisionRow, decision_id)
    if row is None or row.deleted:
        return None
    record = row_to_record("board_decision", row)
    return record if isinstance(record, BoardDecision) else None


def _votes(session: Session, decision_id: str) -> list[BoardVote]:
    rows = session.scalars(
        select(BoardVoteRow).where(
            BoardVoteRow.board_decision_id == decision_id, BoardVoteRow.deleted.is_(False)
        )
    )
    return [v for row in rows if isinstance(v := row_to_record("board_vote", row), BoardVote)]


def _order(session: Session, order_id: str | None) -> Order | None:
    row = session.get(OrderRow, order_id) if order_id else None
    if row is None or row.deleted:
        return None
    record = row_to_record("order", row)
    return record if isinstance(record, Order) else None


def _decision_of_order(session: Session, order_id: str) -> BoardDecision | None:
    row = session.scalar(
        select(BoardDecisionRow).where(
            BoardDecisionRow.order_id == order_id, BoardDecisionRow.deleted.is_(False)
        )
    )
    record = row_to_record("board_decision", row) if row is not None else None
    return record if isinstance(record, BoardDecision) else None


# --- checks ----------------------------------------------------------------------------------


def _member_refusal(session: Session, member_ids: Sequence[str]) -> str | None:
    for member_id in member_ids:
        user = session.get(UserRow, member_id)
        if user is None or user.deleted or user.role != Role.BOARD_MEMBER.value:
            return "each member assigned is a Board member"
        if not user.active:
            return "each member assigned is an active Board member"
    return None


def board_decision_refusal(
    session: Session, old: BoardDecision | None, new: BoardDecision
) -> str | None:
    """Why ``new`` can't follow ``old`` (None: it can): the course of the record
    (``common.board_decisions``); a docketed appeal of the case, decided once; active
    Board members (temporary ones too, 8 CFR 1003.1(a)(4)); a drafted decision names its
    author's draft of the decision template, and keeps it once a member has voted."""
    reason = check_board_decision_change(old, new)
    if reason:
        return reason
    appeal = session.get(AppealRow, new.appeal_id)
    if appeal is None or appeal.case_id != new.case_id:
        return "the decision names an appeal of its case"
    if appeal.status != AppealStatus.DOCKETED.value:
        return "only a docketed appeal is assigned for decision"
    if old is None:
        other = session.scalar(
            select(BoardDecisionRow.id).where(
                BoardDecisionRow.appeal_id == new.appeal_id,
                BoardDecisionRow.id != new.id,
                BoardDecisionRow.deleted.is_(False),
            )
        )
        if other is not None:
            return "the appeal is already assigned for decision; no second decision is made"
    reason = _member_refusal(session, new.member_ids)
    if reason:
        return reason
    if new.order_id is not None:
        order = _order(session, new.order_id)
        if order is None:
            return "the decision names no drafted order on the server"
        if order.status is not OrderStatus.DRAFT:
            return "the decision names an order already signed"
        reason = check_drafted_order(new, order)
        if reason:
            return reason
    if old is not None and old.order_id != new.order_id and _votes(session, new.id):
        return "members have voted on the drafted order: it is no longer replaced"
    return None


def board_vote_refusal(session: Session, new: BoardVote) -> str | None:
    """Why the vote can't be signed (``common.board_decisions.check_vote`` against the
    decision and the votes the server holds)."""
    decision = _decision(session, new.board_decision_id)
    if decision is None:
        return "the vote names no Board decision on the server"
    reason = check_vote(decision, new, _votes(session, decision.id))
    if reason:
        return reason
    order = _order(session, decision.order_id)
    if order is None or order.status is not OrderStatus.DRAFT:
        return "the decision's drafted order is not on the server"
    problems = check_record(order)
    if problems:
        return "the drafted decision is not complete — " + "; ".join(str(p) for p in problems)
    return None


def board_order_refusal(session: Session, new: Order) -> str | None:
    """A Board decision's draft is not edited once a panel member has voted on it, and its
    panel's fields are the server's to fill."""
    if new.template != DECISION_TEMPLATE:
        return None
    decision = _decision_of_order(session, new.id)
    if decision is None:
        return None
    if decision.status is BoardDecisionStatus.ISSUED:
        return "the decision has issued"
    if _votes(session, decision.id):
        return "members have voted on this draft: it is no longer changed"
    return check_drafted_order(decision, new)


# --- issuing ---------------------------------------------------------------------------------


def _board_facts(session: Session, order: Order, signer_id: str) -> CaseFacts:
    """The case's facts with the Board as the body that decides: its name, address and
    clock, and the signing member's name."""
    facts = facts_from_db(session, order.case_id)
    row = board_court(session)
    board = board_facts()
    name = row.name if row is not None else str(board["name"])
    address = row.address if row is not None else str(board["address"])
    signer = session.get(UserRow, signer_id)
    return dataclasses.replace(
        facts,
        court_name=name,
        court_address=address,
        court_timezone=row.timezone if row is not None else BOARD_TIMEZONE,
        judge_id=signer_id,
        judge_name=signer.display_name if signer is not None else signer_id,
    )


def board_order_facts(session: Session, order: Order, signer_id: str) -> CaseFacts:
    """:func:`_board_facts` for the Board's other orders (its order on a motion,
    ``services.orders``)."""
    return _board_facts(session, order, signer_id)


def _with_board_counsel(
    session: Session, case_id: str, parties: list[PartyToServe]
) -> list[PartyToServe]:
    """``parties`` (the court's rule: EOIR-28 counsel, else the respondent by mail; DHS)
    with counsel whose accepted EOIR-27 is an appearance before the Board (8 CFR
    1292.4(a)): served electronically, and in the respondent's place by mail."""
    rows = session.scalars(
        select(RepresentationRow).where(
            RepresentationRow.case_id == case_id,
            RepresentationRow.form == FilingKind.EOIR_27.value,
            RepresentationRow.status == RepresentationStatus.ACCEPTED.value,
            RepresentationRow.deleted.is_(False),
        )
    )
    known = {p.recipient_id for p in parties if p.party is Party.PRACTITIONER}
    added = []
    for row in rows:
        if row.practitioner_id in known:
            continue
        known.add(row.practitioner_id)
        user = session.get(UserRow, row.practitioner_id)
        added.append(
            PartyToServe(
                party=Party.PRACTITIONER,
                name=user.display_name if user is not None else "Practitioner of record",
                method=ServiceMethod.ELECTRONIC,
                recipient_id=row.practitioner_id,
            )
        )
    if not added:
        return parties
    rest = [p for p in parties if p.party is not Party.RESPONDENT]
    counsel = [p for p in rest if p.party is Party.PRACTITIONER]
    return [*counsel, *added, *(p for p in rest if p.party is not Party.PRACTITIONER)]


def _issue(
    session: Session,
    issuer: OrderIssuer,
    decision: BoardDecision,
    order: Order,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> None:
    assert order.signed_at is not None and order.signed_by is not None
    facts = _board_facts(session, order, order.signed_by)
    day = local_date(order.signed_at, facts.court_timezone)
    parties = _with_board_counsel(
        session,
        order.case_id,
        parties_to_serve(
            session,
            order.case_id,
            proceeding=proceeding_for(order.template, facts.case_type),
            on=day,
        ),
    )
    certificate = certificate_of_service(parties, court_name=facts.court_name, served_on=day)
    issued = issuer.issue(session, order, lookups, facts=facts, certificate=certificate)
    done = decision.model_copy(
        update={
            "status": BoardDecisionStatus.ISSUED,
            "order_id": issued.id,
            "issued_on": day,
        }
    )
    write_consequence(
        session,
        done,
        lookups,
        actor_id=actor_id,
        action="board_decision.issue",
        order_id=issued.id,
        document_id=issued.document_id,
        outcome=decision.outcome.value if decision.outcome else None,
        issued_on=day.isoformat(),
    )
    _decide_appeal(session, done, lookups, actor_id=actor_id)
    _move_case(session, done, lookups, actor_id=actor_id)


def _decide_appeal(
    session: Session, decision: BoardDecision, lookups: SessionLookups, *, actor_id: str
) -> None:
    """Every docketed appeal of the case reads decided (``AppealStatus.DECIDED``; its
    outcome is the decision's): the decision's own appeal and the other party's appeal of
    the same decision below, which the Board decides together in one decision (BIA PM 4.x,
    assumption: not read). The server's own step, checked like any change and audited."""
    row = session.get(AppealRow, decision.appeal_id)
    if row is None or row.deleted or row.case_id != decision.case_id:
        raise LookupError("the decision's appeal is not on the server")
    others = session.scalars(
        select(AppealRow)
        .where(
            AppealRow.case_id == decision.case_id,
            AppealRow.id != decision.appeal_id,
            AppealRow.status == AppealStatus.DOCKETED.value,
            AppealRow.deleted.is_(False),
        )
        .order_by(AppealRow.id)
    ).all()
    for held in (row, *others):
        appeal = row_to_record("appeal", held)
        if not isinstance(appeal, Appeal):
            raise LookupError("the decision's appeal is not on the server")
        decided = appeal.model_copy(update={"status": AppealStatus.DECIDED})
        reason = check_appeal_change(appeal, decided, board_decision_issued=True)
        if reason:
            raise ValueError(reason)
        write_consequence(
            session,
            decided,
            lookups,
            actor_id=actor_id,
            changed=["status"],
            event="appeal.decided",
            board_decision_id=decision.id,
            outcome=decision.outcome.value if decision.outcome else None,
            **({} if held is row else {"decided_with": decision.appeal_id}),
        )


def _move_case(
    session: Session, decision: BoardDecision, lookups: SessionLookups, *, actor_id: str
) -> None:
    """The case after the Board's decision: remanded, pending again at the immigration
    court; otherwise decided (the appeal decided, 8 CFR 1241.1(a))."""
    row = session.get(CaseRow, decision.case_id)
    case = row_to_record("case", row) if row is not None else None
    if not isinstance(case, Case):
        raise LookupError("the decision's case is not on the server")
    if decision.outcome is BoardOutcome.REMANDED:
        event, outcome = CaseEvent.REMAND, CaseStatus.PENDING
    else:
        event, outcome = CaseEvent.APPEAL_DECIDED, CaseStatus.DECIDED
    try:
        status = apply_event(case.status, event, outcome=outcome)
    except TransitionError as err:
        raise ValueError(str(err)) from err
    moved = case.model_copy(update={"status": status})
    write_consequence(
        session,
        moved,
        lookups,
        actor_id=actor_id,
        changed=["status"],
        event=event.value,
        board_decision_id=decision.id,
    )


def issue_signed_order(
    session: Session,
    issuer: OrderIssuer,
    order: Order,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> None:
    """A single member's just-signed decision order: issue it and the decision."""
    decision = _decision_of_order(session, order.id)
    if decision is None or decision.panel:
        raise ValueError("the order is not the drafted decision of a single Board member")
    if not majority_joined(decision, [], order):
        raise ValueError("only the Board member assigned signs the decision")
    _issue(session, issuer, decision, order, lookups, actor_id=actor_id)


def decide_on_vote(
    session: Session,
    issuer: OrderIssuer,
    old: WireRecord | None,
    new: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> None:
    """When ``new`` is the panel vote that makes a majority, sign the drafted order for
    the panel (the writing member's name, the majority's time) with the votes and the
    separate opinions signed by then, and issue it. Nothing for other records."""
    if not isinstance(new, BoardVote) or old is not None:
        return
    decision = _decision(session, new.board_decision_id)
    if decision is None or decision.status is BoardDecisionStatus.ISSUED:
        return
    votes = _votes(session, decision.id)
    if not majority_joined(decision, votes):
        return
    order = _order(session, decision.order_id)
    if order is None or order.status is not OrderStatus.DRAFT:
        raise ValueError("the panel's drafted order is not on the server")
    names = {
        u.id: u.display_name
        for u in session.scalars(select(UserRow).where(UserRow.id.in_(decision.member_ids)))
    }
    signed_at: datetime | None = majority_signed_at(decision, votes)
    assert signed_at is not None
    signed = order.model_copy(
        update={
            "fields": {**order.fields, **panel_fields(decision, votes, names)},
            "status": OrderStatus.SIGNED,
            "signed_at": signed_at,
            "signed_by": decision.author_id,
        }
    )
    _issue(session, issuer, decision, signed, lookups, actor_id=actor_id)
