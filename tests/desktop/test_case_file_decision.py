"""The case file shows the judge's decision and the day it becomes final, with the rule; a
written decision counts from its service (8 CFR 1003.38(b)): its record's service date, or
else the service of the order that carries it. Plain Python first, then the view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from common.court_time import table_date
from common.deadlines import appeal_deadline
from common.enums import CompletionType, DecisionForm, Party
from common.wire import DecisionRecord
from desktop.case_file import case_deadlines, decision_entry
from desktop.ui.case_file_view import CaseFileView
from sync_server.demo.plan import demo_id
from tests.conftest import SEED_DAY

CASE_ID = "3f1c2a4e-0000-4000-8000-000000000001"
JUDGE_ID = "3f1c2a4e-0000-4000-8000-000000000002"
CASE = {"id": CASE_ID, "status": "decided", "custody": "never_detained"}
DECIDED = date(2026, 12, 8)


def _decision(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "3f1c2a4e-0000-4000-8000-000000000003",
        "case_id": CASE_ID,
        "judge_id": JUDGE_ID,
        "form": "oral",
        "decided_on": DECIDED.isoformat(),
        "completion": "removal_ordered",
        "removal_country": "Guatemala",
        "respondent_present": True,
        "appeal_reserved_by": ["respondent"],
        "appeal_waived_by": ["dhs"],
        "recorded_at": "2026-12-08T18:00:00+00:00",
    }
    record.update(changes)
    return record


def _order(day: date, document_id: str = "doc-1") -> dict[str, Any]:
    return {
        "id": f"order-{document_id}",
        "case_id": CASE_ID,
        "status": "issued",
        "document_id": document_id,
        "signed_at": "2026-12-08T19:00:00+00:00",
        "fields": {"decision_date": day.isoformat(), "decision_form": "written"},
    }


def test_an_oral_decision_with_appeal_reserved_reads_not_final_until_the_appeal_is_due() -> None:
    entry = decision_entry(CASE, [_decision()], [], {}, DECIDED)
    assert entry is not None
    due = appeal_deadline(DECIDED, oral=True).due
    assert entry.completion == "Removal ordered"
    assert entry.given == "oral"
    assert entry.appeals == (("Respondent", "reserved"), ("DHS", "waived"))
    assert entry.finality_line == f"Not final: appeal due {table_date(due)}"
    assert "1241.1(c)" in entry.citation and "1003.38" in entry.citation


def test_once_the_time_to_appeal_ran_out_the_decision_reads_final_on_that_day() -> None:
    due = appeal_deadline(DECIDED, oral=True).due
    entry = decision_entry(CASE, [_decision()], [], {}, date(2027, 3, 1))
    assert entry is not None
    assert entry.finality_line == f"Final {table_date(due)}"


def test_a_removal_order_whose_appeal_the_respondent_waived_is_final_the_day_it_was_made() -> None:
    waived = _decision(appeal_reserved_by=[], appeal_waived_by=["respondent"])
    entry = decision_entry(CASE, [waived], [], {}, DECIDED)
    assert entry is not None
    assert entry.finality_line == f"Final {table_date(DECIDED)}"
    assert "1241.1(b)" in entry.citation


def test_a_written_decision_not_yet_served_is_not_final_and_has_no_appeal_date() -> None:
    entry = decision_entry(CASE, [_decision(form="written")], [], {}, DECIDED)
    assert entry is not None
    assert entry.given == "written, not yet served"
    assert entry.appeal_due is None and entry.final_on is None
    assert entry.finality_line.startswith("Not final: a written decision")
    assert "1003.38(b)" in entry.citation


def test_a_written_decision_counts_from_the_service_of_its_order_when_its_record_has_none() -> None:
    served = {"doc-1": date(2026, 12, 10), "doc-other": date(2026, 12, 9)}
    orders = [_order(DECIDED), _order(date(2026, 11, 2), "doc-other")]  # another decision's
    entry = decision_entry(CASE, [_decision(form="written")], orders, served, DECIDED)
    assert entry is not None
    assert entry.served_on == date(2026, 12, 10)
    assert entry.served_from == "its order's service"
    due = appeal_deadline(DECIDED, oral=False, served_on=date(2026, 12, 10)).due
    assert entry.appeal_due == due
    # The Deadlines tab counts the appeal from the same day.
    rows = case_deadlines(
        CASE,
        [],
        UTC,
        DECIDED,
        orders=orders,
        service_records=[
            {"document_id": "doc-1", "served_at": "2026-12-10T17:00:00+00:00"},
            {"document_id": "doc-other", "served_at": "2026-12-09T17:00:00+00:00"},
        ],
        decisions=[_decision(form="written")],
    )
    appeal = [r for r in rows if "appeal" in r.title.lower()]
    assert appeal and appeal[0].due == due


def test_a_service_date_recorded_on_the_decision_comes_before_its_orders_service() -> None:
    record = _decision(form="written", served_on="2026-12-09")
    entry = decision_entry(
        CASE, [record], [_order(DECIDED)], {"doc-1": date(2026, 12, 14)}, DECIDED
    )
    assert entry is not None
    assert entry.served_on == date(2026, 12, 9) and entry.served_from == "recorded"
    assert entry.given == f"written, served {table_date(date(2026, 12, 9))}"
    assert entry.appeal_due == appeal_deadline(DECIDED, oral=False, served_on=date(2026, 12, 9)).due


def test_an_appealed_case_is_not_final_until_the_board_decides() -> None:
    entry = decision_entry({**CASE, "status": "appealed"}, [_decision()], [], {}, DECIDED)
    assert entry is not None
    assert entry.finality_line == "Not final: appealed: final when the Board decides (issue 15)"


def _board_decision(outcome: str, issued_on: date) -> dict[str, Any]:
    return {
        "id": "3f1c2a4e-0000-4000-8000-000000000010",
        "appeal_id": "3f1c2a4e-0000-4000-8000-000000000011",
        "case_id": CASE_ID,
        "member_ids": ["3f1c2a4e-0000-4000-8000-000000000012"],
        "author_id": "3f1c2a4e-0000-4000-8000-000000000012",
        "assigned_by": "3f1c2a4e-0000-4000-8000-000000000013",
        "assigned_on": "2027-01-20",
        "status": "issued",
        "outcome": outcome,
        "order_id": "3f1c2a4e-0000-4000-8000-000000000014",
        "issued_on": issued_on.isoformat(),
    }


def test_a_case_the_board_dismissed_reads_final_on_the_boards_day() -> None:
    board_day = date(2027, 2, 3)
    entry = decision_entry(
        CASE,
        [_decision()],
        [],
        {},
        date(2027, 2, 5),
        board_decisions=[_board_decision("dismissed", board_day)],
    )
    assert entry is not None
    assert entry.final_on == board_day
    assert entry.citation == "8 CFR 1241.1(a); 8 CFR 1003.1(d)(7), (e)(4)"
    assert table_date(board_day) in entry.finality_line


def test_a_case_the_board_remanded_does_not_read_final_on_the_boards_day() -> None:
    board_day = date(2027, 2, 3)
    entry = decision_entry(
        {**CASE, "status": "pending"},
        [_decision()],
        [],
        {},
        date(2027, 2, 5),
        board_decisions=[_board_decision("remanded", board_day)],
    )
    assert entry is not None
    assert entry.final_on != board_day


def test_the_case_file_view_shows_the_decision_and_when_it_becomes_final(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("judge1")
    case_id = demo_id("case", 12)
    ctx.store.save(
        DecisionRecord(
            id="3f1c2a4e-0000-4000-8000-000000000004",
            case_id=case_id,
            judge_id=ctx.user_id,
            form=DecisionForm.ORAL,
            decided_on=SEED_DAY,
            completion=CompletionType.REMOVAL_ORDERED,
            removal_country="Guatemala",
            respondent_present=True,
            appeal_reserved_by=[Party.RESPONDENT],
            appeal_waived_by=[Party.DHS],
            recorded_at=datetime(2026, 11, 27, 18, tzinfo=UTC),
        )
    )
    view = CaseFileView(ctx, case_id, today=SEED_DAY)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=5000)
    due = appeal_deadline(SEED_DAY, oral=True).due
    assert view.summary_value("Decision") == (
        f"Removal ordered, {table_date(SEED_DAY)}, oral; appeal: Respondent reserved, DHS waived"
    )
    final = view.summary_value("Final")
    assert final.startswith(f"Not final: appeal due {table_date(due)} (")
    assert "8 CFR 1241.1(c)" in final


def test_the_clerk_records_when_a_written_decision_was_served_and_the_appeal_date_follows(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    case_id = demo_id("case", 12)
    ctx.store.save(
        DecisionRecord(
            id="3f1c2a4e-0000-4000-8000-000000000005",
            case_id=case_id,
            judge_id=JUDGE_ID,
            form=DecisionForm.WRITTEN,
            decided_on=SEED_DAY,
            completion=CompletionType.TERMINATED,
            appeal_reserved_by=[Party.DHS],
            recorded_at=datetime(2026, 11, 27, 18, tzinfo=UTC),
        )
    )
    view = CaseFileView(ctx, case_id, today=SEED_DAY)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=5000)
    assert "written, not yet served" in view.summary_value("Decision")
    assert view.summary_value("Final").startswith("Not final: a written decision")
    assert view.service_button.isVisible()
    view.service_button.click()
    qtbot.waitUntil(lambda: view.service_dialog is not None, timeout=5000)
    dialog = view.service_dialog
    assert dialog is not None
    dialog.date_edit.setDate(QDate(2026, 11, 26))  # before the decision
    assert not dialog.ok_button.isEnabled()
    assert "served before it was made" in dialog.error.text()
    served = date(2026, 11, 30)
    dialog.date_edit.setDate(QDate(served.year, served.month, served.day))
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.ok_button.click()
    (saved,) = [d for d in ctx.store.all("decision") if d["case_id"] == case_id]
    assert saved["served_on"] == served.isoformat() and saved["completion"] == "terminated"
    due = appeal_deadline(SEED_DAY, oral=False, served_on=served).due
    assert view.summary_value("Final").startswith(f"Not final: appeal due {table_date(due)}")
    assert f"written, served {table_date(served)}" in view.summary_value("Decision")
    assert not view.service_button.isVisible()


def test_voluntary_departure_shows_the_day_to_depart_and_when_an_overstay_makes_removal_final() -> (
    None
):
    """60 days granted at the conclusion on Tue 8 Dec 2026: depart by Sat 6 Feb 2027; the
    alternate order of removal becomes final on an overstay, Sun 7 Feb 2027 (8 CFR
    1241.1(f)). Appealed, the Board's order decides instead."""
    decision = _decision(completion="voluntary_departure", relief_granted=["voluntary_departure"])
    order = _order(DECIDED)
    order["fields"] |= {
        "voluntary_departure": "granted",
        "vd_stage": "post_conclusion",
        "vd_depart_by": "2027-02-06",
    }
    entry = decision_entry(CASE, [decision], [order], {}, DECIDED)
    assert entry is not None and entry.departure is not None
    assert entry.departure.days == 60
    assert entry.departure.final_on_overstay == date(2027, 2, 7)
    assert "becomes final on Sun 7 Feb 2027 (8 CFR 1241.1(f))" in entry.departure.line()

    appealed = decision_entry(CASE | {"status": "appealed"}, [decision], [order], {}, DECIDED)
    assert appealed is not None and appealed.departure is not None
    assert appealed.departure.final_on_overstay is None

    removal = decision_entry(CASE, [_decision()], [order], {}, DECIDED)
    assert removal is not None and removal.departure is None  # no departure was the decision
