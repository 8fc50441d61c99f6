"""The deadlines a judge or clerk reads in the case file and on the dashboard: counted by the
rules from the case's own records, each with its source. Expected dates are worked out from
the cited text (read 2026-12-06)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from desktop.case_file import case_deadlines
from desktop.dashboard import upcoming_deadlines
from desktop.local_store import LocalStore
from tests.clock_helpers import machine_zone
from tests.conftest import SEED_DAY

PACIFIC = ZoneInfo("America/Los_Angeles")
COURT = {"id": "court-1", "code": "SFR", "timezone": "America/Los_Angeles"}
CASE = {
    "id": "case-1",
    "court_id": "court-1",
    "status": "decided",
    "decided_on": "2026-12-02",
    "custody": "released",
}


def _decision(template: str = "removal_decision", **fields: object) -> dict[str, object]:
    return {
        "id": "order-1",
        "case_id": "case-1",
        "template": template,
        "status": "issued",
        "signed_at": "2026-12-03T01:30:00+00:00",  # 17:30 on 2 Dec in San Francisco
        "document_id": "doc-1",
        "fields": {"decision_date": "2026-12-02", "decision_form": "oral", **fields},
    }


def test_the_case_file_shows_the_appeal_due_after_new_years_day_with_its_rule() -> None:
    # 8 CFR 1003.38(b): oral decision Wed 2 Dec 2026; day 30 is Fri 1 Jan 2027, New Year's
    # Day -> Mon 4 Jan 2027. Reconsider (30 days) the same; reopen (90 days): Tue 2 Mar 2027.
    found = case_deadlines(CASE, [], PACIFIC, date(2026, 12, 3), court=COURT, orders=[_decision()])
    by_title = {d.title: d for d in found}
    appeal = by_title["Appeal to the Board of Immigration Appeals (EOIR-26)"]
    assert appeal.due == date(2027, 1, 4)
    assert appeal.citation.startswith("8 CFR 1003.38(b)")
    assert "New Year's Day, a legal holiday" in (appeal.note or "")
    assert by_title["Motion to reconsider"].due == date(2027, 1, 4)
    assert by_title["Motion to reopen"].due == date(2027, 3, 2)
    assert next(d.state for d in found) == "next"


def test_an_in_absentia_order_shows_no_appeal_only_the_180_days_to_move_to_rescind() -> None:
    # INA 240(b)(5)(C)(i): 180 days from Wed 2 Dec 2026 is Mon 31 May 2027, Memorial Day ->
    # Tue 1 Jun 2027.
    found = case_deadlines(
        CASE,
        [],
        PACIFIC,
        date(2026, 12, 3),
        court=COURT,
        orders=[_decision("in_absentia_order")],
    )
    assert [(d.title, d.due) for d in found] == [
        (
            "Motion to reopen and rescind the in-absentia order (exceptional circumstances)",
            date(2027, 6, 1),
        )
    ]


def test_a_written_decision_is_appealable_from_its_service_in_the_courts_day() -> None:
    # 8 CFR 1003.38(b): written decision served by mail at 18:00 on Mon 7 Dec 2026 in San
    # Francisco (02:00 UTC on the 8th): day 30 from 7 Dec is Wed 6 Jan 2027.
    served = {
        "id": "svc-1",
        "case_id": "case-1",
        "document_id": "doc-1",
        "served_at": "2026-12-08T02:00:00+00:00",
    }
    with machine_zone("UTC"):  # the computer's zone is not the court's
        found = case_deadlines(
            CASE,
            [],
            PACIFIC,
            date(2026, 12, 3),
            court=COURT,
            orders=[_decision(decision_form="written")],
            service_records=[served],
        )
    appeal = [d for d in found if d.title.startswith("Appeal")]
    assert [d.due for d in appeal] == [date(2027, 1, 6)]


def test_a_motion_on_file_shows_the_ten_days_to_answer_it() -> None:
    # ICPM 3.1(b), 5.12: received Tue 15 Dec 2026; day 10 is Christmas -> Mon 28 Dec 2026.
    pending = CASE | {"status": "pending", "decided_on": None}
    motion = {
        "id": "doc-2",
        "case_id": "case-1",
        "doc_type": "motion",
        "status": "accepted",
        "filer_party": "dhs",
        "title": "Motion to pretermit",
        "filed_on": "2026-12-15",
    }
    found = case_deadlines(
        pending, [], PACIFIC, date(2026, 12, 15), court=COURT, documents=[motion]
    )
    assert [(d.title, d.due) for d in found] == [
        ("Response to the motion to pretermit received Tue 15 Dec 2026", date(2026, 12, 28))
    ]


def test_the_dashboards_upcoming_deadlines_name_their_rule(
    filled_store: Callable[[str], tuple[LocalStore, dict[str, Any]]],
) -> None:
    # The demo court's filings before its hearings: 15 days back, ICPM 3.1(b)(1)-(2).
    store = filled_store("clerk1")[0]
    rows = upcoming_deadlines(store, store.all("case"), SEED_DAY)
    assert rows
    assert all(r.citation.startswith("ICPM Chapter 3.1(b)") for r in rows if "hearing" in r.title)
    assert all(r.citation for r in rows)
