"""The Board's adjudication in the desktop client, as plain data (no Qt): the clerk's
assignment of a docketed appeal to a single Board member or a panel of three, the Board
member's "My appeals", what the member reads (the decision below, the transcript, the
briefs, the record), and the decision itself: the author drafts it as an order of the
``board_decision`` template, a single member signs that order, each panel member signs a
``board_vote``. Everything is made here and saved through the local store's outbox, so it
works offline; the server issues the decision (the eROP document, service on the parties,
on remand the case back to the immigration court) when the signature or the vote that
makes a majority reaches it. What the server refuses, this refuses first, in the same
words (``common.board_decisions``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from common import board_decisions as rules
from common.anumber import format_a_number
from common.appeals import BOARD_TIMEZONE
from common.court_time import court_today, table_date, utc_now
from common.enums import (
    AppealStatus,
    BoardDecisionStatus,
    BoardOutcome,
    BoardVoteChoice,
    DocumentStatus,
    DocumentType,
    OrderStatus,
)
from common.orders import (
    SigningRefused,
    clauses_by_place,
    merge,
    merge_values,
    new_draft,
    template_for,
)
from common.wire import Appeal, BoardDecision, BoardVote, Order, WireRecord
from desktop.local_store import LocalStore
from desktop.orders import facts_for_case

DECISION_TEMPLATE = rules.DECISION_TEMPLATE
OUTCOME_FIELD = "outcome"
VOTE_WORDS = {
    BoardVoteChoice.JOIN: "Joins",
    BoardVoteChoice.CONCUR: "Concurs",
    BoardVoteChoice.DISSENT: "Dissents",
}
OUTCOME_WORDS = {
    BoardOutcome.DISMISSED: "Dismissed",
    BoardOutcome.SUSTAINED: "Sustained",
    BoardOutcome.REMANDED: "Remanded with instructions",
    BoardOutcome.SUMMARY_AFFIRMANCE: "Summary affirmance (single member)",
}


class BoardRefused(ValueError):
    """The change can't be made; ``str(error)`` says why."""


def _record(model: type[WireRecord], data: Mapping[str, Any]) -> Any:
    return model.model_validate({k: v for k, v in data.items() if k in model.model_fields})


def _refuse(reason: str | None) -> None:
    if reason:
        raise BoardRefused(reason[:1].upper() + reason[1:].rstrip(".") + ".")


def board_today(now: datetime | None = None) -> date:
    """Today at the Board (Falls Church, Virginia): the day of an assignment or a draft."""
    return court_today(BOARD_TIMEZONE, now)


def _respondent(case: Mapping[str, Any]) -> str:
    if not case:
        return "—"
    last = str(case.get("respondent_last_name", "")).upper()
    return f"{last}, {case.get('respondent_first_name', '')}"


# --- assignment (the Board clerk) -----------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A Board member the clerk may assign."""

    id: str
    name: str
    temporary: bool

    @property
    def label(self) -> str:
        return f"{self.name} (temporary)" if self.temporary else self.name


def board_members(store: LocalStore) -> list[Member]:
    """The active Board members this computer knows, permanent members first, by name."""
    members = [
        Member(
            str(u["id"]), str(u.get("display_name") or u.get("username")), bool(u.get("temporary"))
        )
        for u in store.all("user_profile")
        if u.get("role") == "board_member" and u.get("active", True) and not u.get("deleted")
    ]
    return sorted(members, key=lambda m: (m.temporary, m.name, m.id))


def decisions_of(store: LocalStore, *, appeal_id: str | None = None) -> list[BoardDecision]:
    return [
        _record(BoardDecision, d)
        for d in store.all("board_decision")
        if not d.get("deleted") and (appeal_id is None or d.get("appeal_id") == appeal_id)
    ]


def assign(
    store: LocalStore,
    appeal: Appeal,
    member_ids: Sequence[str],
    author_id: str,
    clerk_id: str,
    now: datetime | None = None,
) -> BoardDecision:
    """The docketed ``appeal`` assigned to one member or a panel of three (the author among
    them), on the Board's today; ``BoardRefused`` with the reason. Not saved here."""
    if appeal.status is not AppealStatus.DOCKETED:
        raise BoardRefused("Only a docketed appeal is assigned.")
    if decisions_of(store, appeal_id=appeal.id):
        raise BoardRefused("This appeal is already assigned.")
    decision = BoardDecision(
        id=str(uuid.uuid4()),
        appeal_id=appeal.id,
        case_id=appeal.case_id,
        panel=len(member_ids) > 1,
        member_ids=list(member_ids),
        author_id=author_id,
        assigned_by=clerk_id,
        assigned_on=board_today(now),
    )
    _refuse(rules.check_board_decision_change(None, decision))
    return decision


def assignments(store: LocalStore) -> dict[str, str]:
    """Appeal id -> who decides it, as the Board tab shows it: the member, or the panel
    with its writing member, and the decision's state once drafted or issued."""
    names = {
        str(u["id"]): str(u.get("display_name") or u.get("username"))
        for u in store.all("user_profile")
    }
    out = {}
    for decision in decisions_of(store):
        author = names.get(decision.author_id, decision.author_id[:8])
        who = f"Panel ({author} writing)" if decision.panel else author
        if decision.status is not BoardDecisionStatus.ASSIGNED:
            outcome = OUTCOME_WORDS[decision.outcome] if decision.outcome else ""
            who += f": {decision.status.value} {outcome.lower()}".rstrip()
        out[decision.appeal_id] = who
    return out


# --- My appeals (a Board member) ------------------------------------------------------------


@dataclass(frozen=True)
class AppealAssignment:
    """One appeal assigned to the signed-in member, as "My appeals" lists it."""

    decision: BoardDecision
    appeal: Appeal | None
    a_number: str
    respondent: str
    court: str
    briefing: str  # the briefing schedule, when the appeal carries one
    votes: int

    @property
    def case_id(self) -> str:
        return self.decision.case_id

    @property
    def bench(self) -> str:
        return "Panel of three" if self.decision.panel else "Single member"

    @property
    def status(self) -> str:
        return self.decision.status.value.capitalize()

    @property
    def outcome(self) -> str:
        return OUTCOME_WORDS[self.decision.outcome] if self.decision.outcome else "—"

    def role_of(self, user_id: str) -> str:
        return "Author" if self.decision.author_id == user_id else "Member"


def _briefing(raw: Mapping[str, Any]) -> str:
    """The schedule's due days, from the appeal's briefing fields when it has them."""
    parts = []
    for key, label in (("appellant_brief_due", "appellant"), ("appellee_brief_due", "appellee")):
        value = raw.get(key)
        if value:
            parts.append(f"{label} {table_date(date.fromisoformat(str(value)))}")
    if parts:
        return "Briefs due: " + ", ".join(parts)
    status = raw.get("transcript_status")
    return f"Transcript {str(status).replace('_', ' ')}" if status else "—"


def votes_of(store: LocalStore, decision_id: str) -> list[BoardVote]:
    votes = [
        _record(BoardVote, v)
        for v in store.all("board_vote")
        if v.get("board_decision_id") == decision_id and not v.get("deleted")
    ]
    return sorted(votes, key=lambda v: (v.signed_at, v.id))


def my_appeals(store: LocalStore, user_id: str) -> list[AppealAssignment]:
    """The appeals assigned to ``user_id`` (alone or on a panel), not yet issued first,
    then by the day assigned."""
    courts = {str(c["id"]): str(c.get("name", "")) for c in store.all("court")}
    rows = []
    for decision in decisions_of(store):
        if user_id not in decision.member_ids:
            continue
        raw_appeal = store.get("appeal", decision.appeal_id) or {}
        case = store.get("case", decision.case_id) or {}
        rows.append(
            AppealAssignment(
                decision,
                _record(Appeal, raw_appeal) if raw_appeal else None,
                format_a_number(str(case["a_number"])) if case.get("a_number") else "—",
                _respondent(case),
                courts.get(str(case.get("court_id")), "—"),
                _briefing(raw_appeal),
                len(votes_of(store, decision.id)),
            )
        )
    rows.sort(
        key=lambda r: (
            r.decision.status is BoardDecisionStatus.ISSUED,
            r.decision.assigned_on,
            r.decision.id,
        )
    )
    return rows


# --- what the member reads -----------------------------------------------------------------


@dataclass(frozen=True)
class Material:
    """One document the member reads, opened in the viewer."""

    part: str  # "Decision below", "Transcript", "Brief", "Notice of appeal", "Record"
    title: str
    filed_on: date
    document_id: str


# The immigration judge's decisions an appeal is taken from, when the appeal names none.
DECISIONS_BELOW = frozenset({"removal_decision", "in_absentia_order"})
PART_ORDER = ("Decision below", "Transcript", "Brief", "Notice of appeal", "Record")


def materials(store: LocalStore, decision: BoardDecision) -> list[Material]:
    """The appeal's papers in the order a member reads them: the immigration judge's
    decision (the order's document the appeal names, or the case's signed decision
    orders), the transcript, the briefs, the notice of appeal, then the rest of the
    record."""
    appeal = store.get("appeal", decision.appeal_id) or {}
    below: set[str] = set()
    orders = [o for o in store.all("order") if o.get("case_id") == decision.case_id]
    named = appeal.get("decision_order_id")
    for order in orders:
        if not order.get("document_id") or order.get("status") == OrderStatus.DRAFT.value:
            continue
        if order["id"] == named or (named is None and order.get("template") in DECISIONS_BELOW):
            below.add(str(order["document_id"]))
    transcript = appeal.get("transcript_document_id")
    rows = []
    for doc in store.all("document"):
        if doc.get("case_id") != decision.case_id or doc.get("deleted"):
            continue
        if doc.get("status") == DocumentStatus.REJECTED.value:
            continue
        kind = doc.get("doc_type")
        if doc["id"] in below:
            part = "Decision below"
        elif doc["id"] == transcript or kind == DocumentType.TRANSCRIPT.value:
            part = "Transcript"
        elif kind == DocumentType.BRIEF.value:
            part = "Brief"
        elif kind == DocumentType.NOTICE_OF_APPEAL.value:
            part = "Notice of appeal"
        else:
            part = "Record"
        rows.append(
            Material(
                part, str(doc["title"]), date.fromisoformat(str(doc["filed_on"])), str(doc["id"])
            )
        )
    rows.sort(key=lambda m: (PART_ORDER.index(m.part), m.filed_on, m.title))
    return rows


# --- the decision --------------------------------------------------------------------------


def outcomes_offered(decision: BoardDecision) -> list[BoardOutcome]:
    """The outcomes the author may choose: summary affirmance only for a single member
    (8 CFR 1003.1(e)(4))."""
    return list(rules.outcomes_for(decision))


def may_sign(decision: BoardDecision, user_id: str) -> bool:
    """Whether ``user_id`` is one of the assigned members who sign this decision."""
    return rules.members_may_sign(decision, user_id)


def load_decision(store: LocalStore, decision_id: str) -> BoardDecision:
    data = store.get("board_decision", decision_id)
    if data is None:
        raise LookupError("The assignment is no longer on this computer.")
    decision: BoardDecision = _record(BoardDecision, data)
    return decision


def decision_order(store: LocalStore, decision: BoardDecision) -> Order | None:
    if decision.order_id is None:
        return None
    data = store.get("order", decision.order_id)
    return None if data is None else Order.model_validate(data)


def draft_decision(
    store: LocalStore,
    decision: BoardDecision,
    user_id: str,
    outcome: BoardOutcome,
    now: datetime | None = None,
) -> tuple[Order, BoardDecision]:
    """The author's draft: a new order of the ``board_decision`` template with ``outcome``
    (or the existing draft with the outcome changed), dated the Board's today, and the
    decision record naming it. The caller saves both together, the order first (the
    decision names it); ``BoardRefused`` with why."""
    if decision.author_id != user_id:
        raise BoardRefused("Only the member writing for the Board drafts the decision.")
    if outcome not in outcomes_offered(decision):
        raise BoardRefused("A panel does not summarily affirm: that is for a single member.")
    order = decision_order(store, decision)
    if order is not None and order.status is not OrderStatus.DRAFT:
        raise BoardRefused("The decision is signed; it can't be drafted again.")
    if order is None:
        facts = facts_for_case(store, decision.case_id)
        order = new_draft(template_for(DECISION_TEMPLATE), facts, user_id, board_today(now))
        appeal = store.get("appeal", decision.appeal_id) or {}
        order = order.model_copy(
            update={
                "fields": {
                    **order.fields,
                    "appellant": appeal.get("appellant"),
                    "decision_below_date": appeal.get("decision_date"),
                }
            }
        )
    order = order.model_copy(update={"fields": {**order.fields, OUTCOME_FIELD: outcome.value}})
    drafted = decision.model_copy(
        update={"status": BoardDecisionStatus.DRAFTED, "outcome": outcome, "order_id": order.id}
    )
    _refuse(rules.check_board_decision_change(decision, drafted))
    _refuse(rules.check_drafted_order(drafted, order))
    return order, drafted


def draft_text(store: LocalStore, decision: BoardDecision, today: date | None = None) -> str:
    """The drafted decision as the panel reads it before voting: what it orders (the
    template's clauses for its fields, merged with the case's facts) and the author's
    text. Empty until drafted."""
    order = decision_order(store, decision)
    if order is None:
        return ""
    template = template_for(order.template, order.template_version)
    facts = facts_for_case(store, decision.case_id)
    day = today or board_today()
    places = clauses_by_place(template, facts, order.fields, day)
    body = merge(order.body, merge_values(template, facts, order.fields, day)).strip()
    paragraphs = [*places.get("preamble", []), *([body] if body else []), *places["order"]]
    instructions = str(order.fields.get("remand_instructions") or "").strip()
    if instructions and not any(instructions in p for p in paragraphs):
        paragraphs.append(f"Instructions on remand: {instructions}")
    return "\n\n".join(paragraphs)


def outcome_change(decision: BoardDecision, order: Order) -> BoardDecision | None:
    """The decision record with the outcome the author's edited draft now states (saved
    after the order), or None when it did not change."""
    outcome = BoardOutcome(str(order.fields.get(OUTCOME_FIELD, decision.outcome or "")))
    if outcome == decision.outcome:
        return None
    changed = decision.model_copy(update={"outcome": outcome})
    _refuse(rules.check_board_decision_change(decision, changed))
    _refuse(rules.check_drafted_order(changed, order))
    return changed


def sign_single(
    store: LocalStore, decision: BoardDecision, user_id: str, now: datetime | None = None
) -> Order:
    """The single member's signature on the drafted decision (the server issues it when
    the signature arrives); ``BoardRefused`` when this user may not sign it or it is not
    ready to sign."""
    if decision.panel:
        raise BoardRefused("A panel decides by its members' votes, not one signature.")
    if not may_sign(decision, user_id):
        raise BoardRefused("Only the Board member assigned to this appeal signs its decision.")
    order = decision_order(store, decision)
    if order is None:
        raise BoardRefused("Draft the decision before signing it.")
    try:
        return rules.sign_decision(decision, order, user_id, now or utc_now())
    except SigningRefused as err:
        raise BoardRefused("Not signed: " + str(err) + ".") from err


def signature_records(decision: BoardDecision, signed: Order) -> list[WireRecord]:
    """What the single member's signature saves, as one outbox group: the decision record
    as it stands, then the signed order. A draft still waiting in the outbox would
    otherwise take the signature in (an unsent entry coalesces later edits) and reach the
    server signed before the decision names it; a group of its own queues the signature
    behind the draft, and the server issues the decision when the signed order arrives."""
    return [decision, signed]


def cast_vote(
    store: LocalStore,
    decision: BoardDecision,
    user_id: str,
    choice: BoardVoteChoice,
    opinion: str = "",
    now: datetime | None = None,
) -> BoardVote:
    """A panel member's signed vote on the drafted decision, with an optional separate
    opinion; ``BoardRefused`` with why (not on the panel, voted already, nothing drafted)."""
    if not decision.panel:
        raise BoardRefused("A single member signs the decision; there is no vote.")
    if not may_sign(decision, user_id):
        raise BoardRefused("Only the members of the panel vote on its decision.")
    if decision.order_id is None:
        raise BoardRefused("The author has not drafted the decision yet.")
    vote = BoardVote(
        id=str(uuid.uuid4()),
        board_decision_id=decision.id,
        case_id=decision.case_id,
        member_id=user_id,
        order_id=decision.order_id,
        vote=choice,
        opinion=opinion.strip(),
        signed_at=now or utc_now(),
    )
    _refuse(rules.check_vote(decision, vote, votes_of(store, decision.id)))
    return vote


@dataclass(frozen=True)
class VoteRow:
    member_id: str
    member: str
    vote: str
    opinion: str
    signed_at: datetime


def vote_rows(store: LocalStore, decision: BoardDecision) -> list[VoteRow]:
    """The votes so far, each with the member's name."""
    names = {
        str(u["id"]): str(u.get("display_name") or u.get("username"))
        for u in store.all("user_profile")
    }
    return [
        VoteRow(
            v.member_id,
            names.get(v.member_id, v.member_id[:8]),
            VOTE_WORDS[v.vote],
            v.opinion,
            v.signed_at,
        )
        for v in votes_of(store, decision.id)
    ]


def waiting_for(store: LocalStore, decision: BoardDecision, user_id: str = "") -> list[str]:
    """The names of the panel members who have not voted yet ("you" for ``user_id``)."""
    voted = {v.member_id for v in votes_of(store, decision.id)}
    names = {str(u["id"]): str(u.get("display_name") or u["id"]) for u in store.all("user_profile")}
    names[user_id] = "you"
    return [names.get(m, m[:8]) for m in decision.member_ids if m not in voted]


# --- the immigration judge's dashboard -----------------------------------------------------


@dataclass(frozen=True)
class RemandRow:
    """A case the Board returned to the immigration court, pending again."""

    case_id: str
    a_number: str
    respondent: str
    issued_on: date | None
    instructions: str
    order_document_id: str | None

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number) if self.a_number else "—"


def remanded_cases(store: LocalStore, cases: Iterable[Mapping[str, Any]]) -> list[RemandRow]:
    """The ``cases`` (the judge's) the Board remanded: an issued decision with the remand
    outcome, the case pending again; with the order's instructions and its document."""
    by_id = {str(c["id"]): c for c in cases}
    rows = []
    for decision in decisions_of(store):
        case = by_id.get(decision.case_id)
        if (
            case is None
            or decision.status is not BoardDecisionStatus.ISSUED
            or decision.outcome is not BoardOutcome.REMANDED
            or case.get("status") != "pending"
        ):
            continue
        order = decision_order(store, decision)
        fields = order.fields if order is not None else {}
        rows.append(
            RemandRow(
                decision.case_id,
                str(case.get("a_number", "")),
                _respondent(case),
                decision.issued_on,
                " ".join(str(fields.get("remand_instructions", "")).split()),
                order.document_id if order is not None else None,
            )
        )
    rows.sort(key=lambda r: (r.issued_on or date.min, r.respondent), reverse=True)
    return rows
