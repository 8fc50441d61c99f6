"""A case whose hearings start at the same instant (a hearing calendared twice, or re-set to
its own slot) can still be adjourned and continued from the bench: the asylum clock's
replay used to crash comparing the two hearings' records."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from common.wire import Hearing
from desktop.clerk_actions import adjourn, case_clock
from desktop.local_store import LocalStore
from desktop.orders import continuance_ruling

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)


def _case_with_twin_hearings(store: LocalStore, judge_id: str) -> tuple[str, dict[str, Any]]:
    """A case of this judge with an asylum application on file, and two hearings starting at
    the same instant: the first one adjourned (so the clock replay pairs them), the other
    scheduled. Returns the case id and the scheduled twin."""
    with_application = {
        d["case_id"]
        for d in store.all("document")
        if d["doc_type"] == "i589_application" and d["status"] == "accepted"
    }
    hearing = next(
        h
        for h in store.all("hearing")
        if h["case_id"] in with_application
        and h["status"] == "scheduled"
        and (store.get("case", h["case_id"]) or {}).get("judge_id") == judge_id
    )
    earlier = datetime.fromisoformat(hearing["starts_at"]) - timedelta(days=30)
    first = {**hearing, "id": str(uuid.uuid4()), "starts_at": earlier.isoformat()}
    first.update(status="adjourned", adjournment_code="02")
    twin = {**hearing, "id": str(uuid.uuid4()), "starts_at": earlier.isoformat()}
    for record in (first, twin):
        store.save(Hearing.model_validate(record))
    return str(hearing["case_id"]), twin


def test_a_case_with_two_hearings_at_the_same_instant_can_be_adjourned(
    filled_store: Callable[[str], tuple[LocalStore, dict[str, Any]]],
) -> None:
    store, user = filled_store("judge1")
    case_id, twin = _case_with_twin_hearings(store, user["id"])
    clock = case_clock(store, case_id, TODAY)
    assert clock is not None
    adjourned = adjourn(
        Hearing.model_validate(twin), "01", NOW + timedelta(days=40), clock, zone=UTC
    )
    assert adjourned.adjourned.status.value == "adjourned"
    assert adjourned.next_hearing.starts_at == NOW + timedelta(days=40)
    assert "clock" in adjourned.clock_note.lower()


def test_a_bench_continuance_on_such_a_case_is_signed(
    filled_store: Callable[[str], tuple[LocalStore, dict[str, Any]]],
) -> None:
    store, user = filled_store("judge1")
    case_id, twin = _case_with_twin_hearings(store, user["id"])
    ruling = continuance_ruling(
        store,
        twin,
        user["id"],
        "judge",
        "01",
        NOW + timedelta(days=40),
        "Respondent to seek counsel",
        now=NOW,
    )
    assert ruling.order.status.value == "signed"
    assert ruling.order.case_id == case_id
    assert (ruling.adjourned.status.value, ruling.adjourned.adjournment_code) == ("adjourned", "01")
    assert ruling.clock_note
