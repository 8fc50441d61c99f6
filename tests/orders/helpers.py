"""Shared pieces of the order tests: demo cases with their judge, order payloads."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from common.enums import OrderStatus
from common.orders import CaseFacts, Counsel, new_draft, template_for
from common.orders import case_facts as facts_of
from common.wire import Order
from sync_server.demo.plan import demo_id

SIGNED_AT = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
JUDGE = "6f1f8f60-0000-4000-8000-000000000002"
# A removal case at a Pacific court with one counsel of record, for orders rendered
# without a server.
FACTS = CaseFacts(
    case_id="6f1f8f60-0000-4000-8000-000000000001",
    a_number="012345678",
    respondent_name="Ana Morales",
    nationality="Guatemala",
    case_type="removal",
    charges=("INA § 212(a)(6)(A)(i)",),
    court_name="San Francisco Immigration Court",
    court_address="100 Montgomery Street, San Francisco, CA",
    judge_id=JUDGE,
    judge_name="Immigration Judge Brennan",
    counsel=(Counsel("6f1f8f60-0000-4000-8000-000000000003", "Attorney Sam Okafor"),),
    court_timezone="America/Los_Angeles",
)
TODAY = date(2026, 11, 27)

COMPLETE_FIELDS: dict[str, dict[str, Any]] = {
    "removal_decision": {  # resources/order_templates/removal_decision.json
        "decision_date": "2026-11-27",
        "decision_form": "oral",
        "removability": "sustained",
        "disposition": "removal_ordered",
        "removal_country": "Honduras",
        "alternate_country": "Guatemala",
        "asylum": "denied",
        "withholding": "granted",
        "withholding_country": "Honduras",
        "cat_withholding": "denied",
        "cat_withholding_country": "Honduras",
        "cat_deferral": "not_applied",
        "cancellation_lpr": "not_applied",
        "cancellation_nonlpr": "not_applied",
        "cancellation_vawa": "not_applied",
        "adjustment": "not_applied",
        "voluntary_departure": "not_applied",
        "appeal_respondent": "reserved",
        "appeal_dhs": "waived",
    },
    "in_absentia_order": {  # resources/order_templates/in_absentia_order.json
        "decision_date": "2026-11-27",
        "notice_basis": "written_notice",
        "removal_country": "Honduras",
        "oral_notice": "given",
    },
    "motion_order": {  # resources/order_templates/motion_order.json
        "motion": "continuance",
        "movant": "respondent",
        "ruling": "granted",
        "reason": "Counsel needs time to prepare the asylum application.",
        "adjournment_code": "02",
        "next_hearing": "2027-01-15",
    },
    "bond_order": {  # resources/order_templates/bond_order.json (the bond record's words)
        "custody_decision_date": "2026-11-27",
        "dhs_determination": "amount",
        "dhs_amount": "15000",
        "requested_on": "2026-11-20",
        "requested_amount": "3000",
        "decision": "lowered",
        "amount": "7500",
        "conditions": "Report to ICE monthly.",
        "appeal_respondent": "waived",
        "appeal_dhs": "reserved",
    },
    "board_motion_order": {  # resources/order_templates/board_motion_order.json
        "motion": "stay_of_removal",
        "movant": "respondent",
        "ruling": "granted",
        "reason": "Removal is imminent and the appeal is pending.",
    },
    "board_decision": {  # resources/order_templates/board_decision.json (a single member)
        "appellant": "dhs",
        "decision_below_date": "2026-11-20",
        "outcome": "dismissed",
    },
}

# The 2026-11 "notice of hearing" order template, retired in favour of the notice the server
# issues for each scheduling change (resources/notice_templates); kept in superseded/ so an
# order drafted with it still checks and renders.
RETIRED_HEARING_NOTICE = ("hearing_notice", "2026-11")
RETIRED_HEARING_NOTICE_FIELDS: dict[str, Any] = {
    "notice_date": "2026-11-27",
    "hearing_type": "individual",
    "hearing_date": "2027-02-03",
    "hearing_time": "09:30",
    "location": "Courtroom 2",
    "medium": "in_person",
}


def records_by_entity(changes: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for change in changes:
        bucket = out.setdefault(change["entity"], {})
        if change["deleted"]:
            bucket.pop(change["id"], None)
        else:
            bucket[change["id"]] = {**change["data"], "_version": change["version"]}
    return out


def represented_case(
    records: dict[str, dict[str, dict[str, Any]]], judge_id: str
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A case of ``judge_id`` with an accepted appearance if there is one (else any)."""
    # Not a bond case: its counsel appears for custody and bond only (the demo's attorney3).
    cases = [
        c
        for c in records["case"].values()
        if c.get("judge_id") == judge_id and c.get("case_type") != "bond"
    ]
    users = records.get("user_profile", {})

    def seeded(user_id: str) -> bool:
        # A demo practitioner signs in with the password alone; one registered through the
        # portal by another test needs its own second factor.
        user = users.get(user_id)
        return user is not None and user_id == demo_id("user", user["username"])

    counsel: dict[str, list[dict[str, Any]]] = {}
    for r in records.get("representation", {}).values():
        if r["status"] == "accepted":
            counsel.setdefault(r["case_id"], []).append(r)
    # One counsel of record, a seeded one (other tests may add appearances to shared cases).
    accepted = {
        case_id: reps[0]
        for case_id, reps in counsel.items()
        if len(reps) == 1 and seeded(reps[0]["practitioner_id"])
    }
    cases.sort(key=lambda c: (c["id"] not in accepted, c["id"]))
    case = cases[0]
    return case, accepted.get(case["id"])


def complete_order(
    records: dict[str, dict[str, dict[str, Any]]],
    case: dict[str, Any],
    judge_id: str,
    template_key: str = "removal_decision",
) -> Order:
    """A draft of ``template_key`` for ``case`` with every field it needs filled."""
    court = records["court"].get(case["court_id"])
    facts = facts_of(
        case, court, records.get("user_profile", {}), records.get("representation", {}).values()
    )
    draft = new_draft(template_for(template_key), facts, judge_id, TODAY)
    return draft.model_copy(update={"fields": dict(COMPLETE_FIELDS[template_key])})


def signed(order: Order, judge_id: str) -> Order:
    return order.model_copy(
        update={"status": OrderStatus.SIGNED, "signed_at": SIGNED_AT, "signed_by": judge_id}
    )


def fresh_id() -> str:
    return str(uuid.uuid4())
