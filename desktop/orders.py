"""Orders on this computer: the case's facts from the local copy, drafts, signing, bench
rulings, and the preview render. Plain Python (no Qt); the editor calls these on worker
threads and saves what they return through the local store, so drafting and signing work
offline and reach the server through the outbox like every other edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from common.enums import OrderStatus
from common.order_pdf import page_images, render_order
from common.orders import (
    CaseFacts,
    OrderTemplate,
    case_facts,
    current_templates,
    new_draft,
    sign,
    template_for,
)
from common.wire import Hearing, Order
from desktop.clerk_actions import adjourn, case_clock
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
    return case_facts(case, court, users, reps)


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
    today: date,
    corrects: Order | None = None,
) -> Order:
    """A new draft for the case. A judge drafts for themself; anyone else (a clerk, as the
    judge's delegate) drafts for the judge of the case."""
    facts = facts_for_case(store, case_id)
    user = store.get("user_profile", user_id) or {}
    judge_id = user_id if user.get("role") == "judge" else facts.judge_id
    if judge_id is None:
        raise ValueError("Assign a judge to the case before preparing an order.")
    return new_draft(template_for(template_key), facts, judge_id, today, corrects=corrects)


def sign_order(
    store: LocalStore, order: Order, user_id: str, role: str, now: datetime | None = None
) -> Order:
    """The order signed by ``user_id``, checked as the server will check it; raises
    :class:`common.orders.SigningRefused` with what to fix."""
    facts = facts_for_case(store, order.case_id)
    return sign(order, user_id, role, facts.judge_id, now or datetime.now(UTC))


def render_preview(
    store: LocalStore, order: Order, today: date | None = None
) -> tuple[bytes, list[tuple[int, int, bytes]]]:
    """The PDF exactly as it will be issued (with a DRAFT mark until signed), and its
    pages as PNG images for the preview. Runs on a worker thread."""
    facts = facts_for_case(store, order.case_id)
    template = template_for(order.template, order.template_version)
    pdf = render_order(template, order, facts, today=today)
    return pdf, page_images(pdf, zoom=1.0)


@dataclass(frozen=True)
class BenchRuling:
    """What one "bench ruling: continuance" saves: the signed order and the hearing
    adjourned with its code. The next hearing is the clerk's to calendar (the order names
    its date), since scheduling is the clerk's part of the docket."""

    order: Order
    adjourned: Hearing
    clock_note: str


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
    """Continue the hearing from the bench in one step: an order on a motion to continue
    (granted, with the adjournment code and the next date), drafted and signed by the
    judge, plus the adjournment itself. Raises ``SigningRefused`` / ``ValueError`` with
    what to fix; nothing is saved by this function."""
    now = now or datetime.now(UTC)
    record = Hearing.model_validate(hearing)
    adjourned = adjourn(record, code, next_start, case_clock(store, record.case_id, now.date()))
    draft = start_draft(store, record.case_id, "motion_order", user_id, now.date())
    draft = draft.model_copy(
        update={
            "fields": {
                **draft.fields,
                "motion": "continuance",
                "movant": "court",
                "ruling": "granted",
                "reason": reason.strip(),
                "adjournment_code": adjourned.adjourned.adjournment_code,
                "next_hearing": next_start.date().isoformat(),
            }
        }
    )
    signed = sign_order(store, draft, user_id, role, now)
    return BenchRuling(signed, adjourned.adjourned, adjourned.clock_note)


def correction_of(store: LocalStore, order: Order, user_id: str, today: date) -> Order:
    """A new draft correcting a signed ``order`` (a signed order itself never changes)."""
    if order.status is OrderStatus.DRAFT:
        raise ValueError("A draft is edited, not corrected.")
    return start_draft(store, order.case_id, order.template, user_id, today, corrects=order)
