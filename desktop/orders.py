"""Orders on this computer: the case's facts from the local copy, drafts, signing, bench
rulings, and the preview render. Plain Python (no Qt); the editor calls these on worker
threads and saves what they return through the local store, so drafting and signing work
offline and reach the server through the outbox like every other edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from common.anumber import format_a_number
from common.bonds import (
    BOND_ORDER,
    bond_for_order,
    decided_by_order,
    order_fields,
    order_problems,
)
from common.court_time import (
    court_today,
    court_zone,
    format_date,
    format_datetime,
    local_date,
    utc_now,
)
from common.enums import CaseType, OrderStatus, Role
from common.order_pdf import page_images, render_order
from common.orders import (
    CaseFacts,
    OrderTemplate,
    Problem,
    SigningRefused,
    case_facts,
    clauses,
    current_templates,
    new_draft,
    sign,
    template_for,
)
from common.service import (
    PartyToServe,
    certificate_of_service,
    parties_to_serve_from,
    proceeding_for,
)
from common.wire import (
    Address,
    Bond,
    Case,
    Court,
    Hearing,
    Order,
    Representation,
    UserProfile,
    WireRecord,
)
from desktop.clerk_actions import Adjournment, adjourn, case_clock
from desktop.local_store import LocalStore


def facts_for_case(store: LocalStore, case_id: str) -> CaseFacts:
    """The case's facts as this computer holds them; ``LookupError`` when the case is not
    here (it left this user's scope)."""
    case = store.get("case", case_id)
    if case is None:
        raise LookupError("The case is no longer on this computer.")
    court = store.get("court", str(case["court_id"]))
    reps = [r for r in store.all("representation") if r["case_id"] == case_id]
    wanted = {str(r["practitioner_id"]) for r in reps} | {str(case.get("judge_id"))}
    users = {u: record for u in wanted if (record := store.get("user_profile", u)) is not None}
    # The judge's decision record starts a decision order's fields (common.decisions).
    decisions = [d for d in store.all("decision") if d["case_id"] == case_id]
    pleadings = [p for p in store.all("pleading") if p["case_id"] == case_id]
    return case_facts(case, court, users, reps, decisions, pleadings)


def case_zone(store: LocalStore, case_id: str) -> tzinfo:
    """The time zone of the case's court (UTC while the court has not reached this copy)."""
    case = store.get("case", case_id)
    court = store.get("court", str(case["court_id"])) if case else None
    return court_zone(court)


def case_today(store: LocalStore, case_id: str, now: datetime | None = None) -> date:
    """Today at the case's court: the date a draft, a correction or a signature bears."""
    return court_today(case_zone(store, case_id), now)


def templates_for_case(case_type: str) -> list[OrderTemplate]:
    """Templates that apply to a case of ``case_type``, in a stable order."""
    return [t for t in current_templates().values() if case_type in t.case_types]


def load_order(store: LocalStore, order_id: str) -> Order:
    record = store.get("order", order_id)
    if record is None:
        raise LookupError("The order is no longer on this computer.")
    return Order.model_validate(record)


def start_draft(
    store: LocalStore,
    case_id: str,
    template_key: str,
    user_id: str,
    today: date | None = None,
    corrects: Order | None = None,
) -> Order:
    """A new draft for the case, dated ``today`` (default: today at the case's court). A
    judge drafts for themself; anyone else (a clerk, as the judge's delegate) drafts for the
    judge of the case."""
    facts = facts_for_case(store, case_id)
    today = today or case_today(store, case_id)
    user = store.get("user_profile", user_id) or {}
    judge_id = user_id if user.get("role") == "judge" else facts.judge_id
    if judge_id is None:
        raise ValueError("Assign a judge to the case before preparing an order.")
    draft = new_draft(template_for(template_key), facts, judge_id, today, corrects=corrects)
    if template_key == BOND_ORDER and corrects is None:
        # A bond order states the case's latest redetermination: DHS's determination, the
        # request, and the decision once the record holds one (common.bonds).
        latest, _ = bond_of_case(store, case_id)
        if latest is not None:
            draft = draft.model_copy(update={"fields": {**draft.fields, **order_fields(latest)}})
    return draft


def bond_of_case(
    store: LocalStore, case_id: str, order: Order | None = None
) -> tuple[Bond | None, Bond | None]:
    """The bond record ``order`` states (default: what a new bond order decides, the case's
    latest; a correction states the decision it corrects) and the one that names as prior,
    as this computer holds them."""
    bonds = {
        b.id: b
        for r in store.all("bond")
        if r.get("case_id") == case_id and not r.get("deleted")
        for b in [Bond.model_validate({k: v for k, v in r.items() if k != "deleted"})]
    }
    correction = order is not None and order.corrects_order_id is not None
    fields = order.fields if order is not None else {}
    latest = bond_for_order(bonds.values(), fields, correction=correction)
    prior = bonds.get(latest.prior_bond_id) if latest and latest.prior_bond_id else None
    return latest, prior


def sign_order(
    store: LocalStore, order: Order, user_id: str, role: str, now: datetime | None = None
) -> Order:
    """The order signed by ``user_id`` at ``now`` (an instant, stored in UTC; its date is
    the court's date at that instant, see :func:`signing_summary`), checked as the server
    will check it; raises :class:`common.orders.SigningRefused` with what to fix. A bond
    order must state the bond case's latest bond record (:func:`signed_records` saves its
    decision there)."""
    facts = facts_for_case(store, order.case_id)
    signed = sign(order, user_id, Role(role), facts.judge_id, now or utc_now())
    if signed.template == BOND_ORDER and facts.case_type == CaseType.BOND.value:
        latest, prior = bond_of_case(store, order.case_id, signed)
        known = {f.key for f in template_for(order.template, order.template_version).fields}
        problems = order_problems(
            latest,
            signed.fields,
            user_id,
            prior=prior,
            decided=signed.corrects_order_id is not None,  # a correction decides nothing new
            known=known,
        )
        if problems:
            raise SigningRefused([Problem(key, message) for key, message in problems])
    return signed


def signed_records(store: LocalStore, signed: Order) -> list[WireRecord]:
    """What signing ``signed`` saves, as one group the server applies all or nothing: a
    bond order's decision goes into the undecided bond record it decides (the judge decides
    by signing; 8 CFR 1003.19), before the order; any other order alone."""
    if signed.template != BOND_ORDER or signed.signed_by is None or signed.corrects_order_id:
        return [signed]
    latest, _ = bond_of_case(store, signed.case_id, signed)
    if latest is None or latest.outcome is not None:
        return [signed]
    return [decided_by_order(latest, signed.fields, signed.signed_by), signed]


def render_preview(
    store: LocalStore, order: Order, today: date | None = None
) -> tuple[bytes, list[tuple[int, int, bytes]]]:
    """The PDF exactly as it will be issued (with a DRAFT mark until signed), and its
    pages as PNG images for the preview. Runs on a worker thread. An unsigned draft is
    dated ``today`` (default: today at the case's court). Its certificate of service names
    whom the server will serve (:func:`parties_served`); a draft's is not yet dated."""
    facts = facts_for_case(store, order.case_id)
    template = template_for(order.template, order.template_version)
    today = today or case_today(store, order.case_id)
    day = local_date(order.signed_at, case_zone(store, order.case_id)) if order.signed_at else today
    certificate = certificate_of_service(
        parties_served(store, order, day),
        court_name=facts.court_name,
        served_on=day if order.signed_at else None,
    )
    pdf = render_order(template, order, facts, today=today, certificate=certificate)
    return pdf, page_images(pdf, zoom=1.0)


@dataclass(frozen=True)
class BenchRuling:
    """What one "bench ruling: continuance" saves: the signed order and the hearing
    adjourned with its code. The next hearing is the clerk's to calendar (the order names
    its date), since scheduling is the clerk's part of the docket."""

    order: Order
    adjourned: Hearing
    clock_note: str


def continuance_draft(
    store: LocalStore,
    hearing: dict[str, Any],
    user_id: str,
    code: str,
    next_start: datetime,
    reason: str,
    now: datetime | None = None,
) -> tuple[Order, Adjournment]:
    """The unsigned order a bench continuance signs (a motion to continue, granted, with
    the adjournment code and the next date) and the adjournment itself. Every date is the
    court's: the order's (the day the ruling is made there) and the next hearing's."""
    now = now or utc_now()
    record = Hearing.model_validate(hearing)
    zone = case_zone(store, record.case_id)
    today = court_today(zone, now)
    clock = case_clock(store, record.case_id, today)
    adjourned = adjourn(record, code, next_start, clock, zone=zone)
    draft = start_draft(store, record.case_id, "motion_order", user_id, today)
    draft = draft.model_copy(
        update={
            "fields": {
                **draft.fields,
                "motion": "continuance",
                "movant": "court",
                "ruling": "granted",
                "reason": reason.strip(),
                "adjournment_code": adjourned.adjourned.adjournment_code,
                "next_hearing": local_date(next_start, zone).isoformat(),
            }
        }
    )
    return draft, adjourned


def continuance_ruling(
    store: LocalStore,
    hearing: dict[str, Any],
    user_id: str,
    role: str,
    code: str,
    next_start: datetime,
    reason: str,
    now: datetime | None = None,
) -> BenchRuling:
    """Continue the hearing from the bench in one step: :func:`continuance_draft` signed
    by the judge at ``now``, with the adjournment. Raises ``SigningRefused`` /
    ``ValueError`` with what to fix; nothing is saved by this function."""
    now = now or utc_now()
    draft, adjourned = continuance_draft(store, hearing, user_id, code, next_start, reason, now)
    signed = sign_order(store, draft, user_id, role, now)
    return BenchRuling(signed, adjourned.adjourned, adjourned.clock_note)


def correction_of(
    store: LocalStore, order: Order, user_id: str, today: date | None = None
) -> Order:
    """A new draft correcting a signed ``order`` (a signed order itself never changes),
    dated ``today`` (default: today at the case's court)."""
    if order.status is OrderStatus.DRAFT:
        raise ValueError("A draft is edited, not corrected.")
    return start_draft(store, order.case_id, order.template, user_id, today, corrects=order)


@dataclass(frozen=True)
class SigningSummary:
    """What the judge confirms before signing (a signature can't be taken back): the
    order, what it decides, who it will be served on, and the date it will bear."""

    title: str
    respondent: str  # "Ana DIAZ, A123-456-789"
    disposition: tuple[str, ...]  # the operative clauses, as the order states them
    served: tuple[str, ...]  # one line a party: who, how, where (PartyToServe.describe)
    dated: date  # the court's date now: the decision date the appeal clock runs from
    signed_at_text: str  # "December 7, 2026 at 5:30 PM PST"
    # What else signing does, saved with the order in one push group (a motion order: the
    # appearance a granted withdrawal ends, the hearing a granted continuance adjourns).
    effects: tuple[str, ...] = ()

    def text(self) -> str:
        """The summary as the confirmation shows it."""
        ruling = "\n".join(f"  • {line}" for line in self.disposition) or (
            "  (this order states its ruling in its text)"
        )
        served = "\n".join(f"  • {line}" for line in self.served)
        effects = "".join(f"  • {line}\n" for line in self.effects)
        return (
            f"{self.title}\n{self.respondent}\n\n"
            f"Disposition:\n{ruling}\n\n"
            + (f"Signing also:\n{effects}\n" if effects else "")
            + f"Served on:\n{served}\n\n"
            f"The order will be dated {format_date(self.dated)} (signed {self.signed_at_text}, "
            "the court's time). Once signed it can't be changed; a correction is a new order."
        )


def parties_served(store: LocalStore, order: Order, day: date) -> list[PartyToServe]:
    """Who the server will serve ``order`` on if it is issued on the court-local ``day``,
    by the one service rule (:func:`common.service.parties_to_serve_from`) over this
    computer's copy: counsel whose accepted EOIR-28 covers the order's proceeding, else
    the respondent by mail at the address of record; DHS always."""
    record = store.get("case", order.case_id)
    if record is None:
        raise LookupError("The case is no longer on this computer.")
    case = Case.model_validate(record)
    court = store.get("court", case.court_id)
    # The respondent's other proceeding(s) this computer holds (a bond case and its
    # removal case): the server serves counsel of either by scope, and so does the summary.
    joined = {case.id} | {
        str(c["id"])
        for c in store.all("case")
        if c["id"] == case.removal_case_id or c.get("removal_case_id") == case.id
    }
    appearances = [
        Representation.model_validate(r)
        for r in store.all("representation")
        if r.get("case_id") in joined
    ]
    wanted = {a.practitioner_id for a in appearances}
    users = {
        str(u["id"]): UserProfile.model_validate(u)
        for u in store.all("user_profile")
        if u["id"] in wanted
    }
    addresses = [
        Address.model_validate(a) for a in store.all("address") if a.get("case_id") in joined
    ]
    return parties_to_serve_from(
        case,
        Court.model_validate(court) if court else None,
        appearances,
        users,
        addresses,
        proceeding=proceeding_for(order.template, case.case_type.value),
        on=day,
        linked_case_ids=joined - {case.id},
    )


def signing_summary(store: LocalStore, order: Order, now: datetime | None = None) -> SigningSummary:
    """The summary of signing ``order`` at ``now`` (default: this moment), from the local
    copy: its operative clauses, who the server will serve (:func:`parties_served`) and
    the date it will bear (the court's date at ``now``). Runs on a worker thread."""
    now = now or utc_now()
    facts = facts_for_case(store, order.case_id)
    template = template_for(order.template, order.template_version)
    zone = case_zone(store, order.case_id)
    day = local_date(now, zone)
    served = tuple(p.describe() for p in parties_served(store, order, day))
    return SigningSummary(
        title=template.title,
        respondent=f"{facts.respondent_name}, {format_a_number(facts.a_number)}",
        disposition=tuple(clauses(template, facts, order.fields, day)),
        served=served,
        dated=day,
        signed_at_text=format_datetime(now, zone),
    )
