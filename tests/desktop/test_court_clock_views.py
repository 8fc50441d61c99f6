"""The desktop's views read the court's clock, with this machine's zone set to UTC and the
San Francisco court (America/Los_Angeles).

Rule checked: the project's "court's clock" rule (common/court_time.py) — every date a
person reads is the court's local date, every time is shown on the court's clock with its
zone; instants stay UTC in storage and on the wire. Daylight saving time ends on Sunday
1 November 2026 (15 U.S.C. 260a: the first Sunday of November), so 09:00 at the court is
16:00 UTC on Friday 30 October and 17:00 UTC on Monday 2 November.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from pytestqt.qtbot import QtBot

from common.wire import Hearing
from desktop.case_file import load_case_file
from desktop.dashboard import load_dashboard
from desktop.docket import DocketFilter, apply_filter, build_docket
from desktop.local_store import LocalStore
from desktop.ui.case_history import CaseHistoryPanel
from desktop.ui.context import DesktopContext
from desktop.ui.docket_model import docket_html, export_docket_pdf, format_time
from desktop.ui.hearing_dialogs import AdjournDialog, RescheduleDialog
from tests.clock_helpers import machine_zone

PACIFIC = "America/Los_Angeles"


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"court-clock/{name}"))


COURT = {"id": _id("court"), "name": "San Francisco Immigration Court", "timezone": PACIFIC}
CASE = {
    "id": _id("case"),
    "court_id": _id("court"),
    "a_number": "012345678",
    "nationality": "Guatemala",
    "language": "Spanish",
    "custody": "never_detained",
    "status": "active",
    "respondent_first_name": "Ana",
    "respondent_last_name": "Morales",
    "judge_id": _id("judge"),
}
BEFORE = datetime(2026, 10, 30, 16, 0, tzinfo=UTC)  # Fri 30 Oct, 09:00 PDT
AFTER = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)  # Mon 2 Nov, 09:00 PST
EVENING = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)  # Mon 2 Nov, 17:00 PST (Tue in UTC)


@pytest.fixture(autouse=True)
def _utc_machine() -> Iterator[None]:
    with machine_zone("UTC"):
        yield


def _hearing(hearing_id: str, starts: datetime) -> dict[str, Any]:
    return {
        "id": _id(hearing_id),
        "case_id": _id("case"),
        "judge_id": _id("judge"),
        "courtroom_id": None,
        "hearing_type": "master",
        "medium": "in_person",
        "status": "scheduled",
        "duration_minutes": 30,
        "starts_at": starts.isoformat(),
        "interpreter_language": "Spanish",
        "adjournment_code": None,
    }


def _rows() -> dict[str, Any]:
    hearings = [_hearing("before", BEFORE), _hearing("after", AFTER), _hearing("evening", EVENING)]
    rows = build_docket(hearings, [CASE], [], [], [COURT])
    names = {_id(n): n for n in ("before", "after", "evening")}
    return {names[r.hearing_id]: r for r in rows}


def test_the_docket_shows_nine_oclock_on_both_sides_of_the_end_of_daylight_time() -> None:
    # Court's clock rule: the same 09:00 at the court, on two UTC offsets.
    rows = _rows()
    assert format_time(rows["before"]) == "Fri 30 Oct 2026 09:00 PDT"
    assert format_time(rows["after"]) == "Mon 2 Nov 2026 09:00 PST"


def test_a_hearing_at_five_in_the_afternoon_is_on_that_days_docket_not_the_next() -> None:
    # Court's clock rule: 17:00 PST on Monday 2 November is Tuesday in UTC.
    rows = list(_rows().values())
    monday = apply_filter(
        rows, DocketFilter(first_day=date(2026, 11, 2), last_day=date(2026, 11, 2))
    )
    tuesday = apply_filter(
        rows, DocketFilter(first_day=date(2026, 11, 3), last_day=date(2026, 11, 3))
    )
    assert [r.hearing_id for r in monday] == [_id("after"), _id("evening")]
    assert tuesday == []
    assert format_time(_rows()["evening"]) == "Mon 2 Nov 2026 17:00 PST"


def test_the_docket_export_prints_court_times_and_when_it_was_printed(
    qapp: Any, tmp_path: Path
) -> None:
    # Court's clock rule, on paper: the export's times and its "printed" stamp.
    rows = sorted(_rows().values(), key=lambda r: r.starts_at)
    printed = docket_html(rows, "Docket", rows[0].starts_at.tzinfo, now=EVENING)
    assert "printed Mon 2 Nov 2026 17:00 PST" in printed
    target = tmp_path / "docket.pdf"
    export_docket_pdf(rows, target, "Docket", rows[0].starts_at.tzinfo)
    with pymupdf.open(target) as pdf:
        text = " ".join(page.get_text() for page in pdf).replace("\n", " ").replace("\xa0", " ")
    assert "Fri 30 Oct 2026 09:00 PDT" in text and "Mon 2 Nov 2026 09:00 PST" in text
    assert "16:00" not in text and "UTC" not in text


def test_adjourning_across_the_end_of_daylight_time_keeps_the_hearing_at_nine(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    # Court's clock rule: the clerk reads and picks court time; the stored instant is UTC.
    ctx = make_context("clerk1")
    rows = _rows()
    hearing = Hearing.model_validate(_hearing("before", BEFORE))
    dialog = AdjournDialog(ctx, hearing, list(rows.values()), None, None)
    qtbot.addWidget(dialog)
    # Proposed: four weeks on, a weekday (Fri 27 Nov), at the same 09:00 on the court's clock.
    assert dialog.date_edit.date().toPython() == date(2026, 11, 27)
    assert dialog.time_edit.time().toString("HH:mm") == "09:00"
    assert dialog.chosen_start() == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert "Fri 30 Oct 2026 09:00 PDT" in dialog.findChildren(type(dialog.error))[0].text()
    dialog.code_combo.setCurrentIndex(dialog.code_combo.findData("01"))
    result = dialog.adjournment()
    assert result is not None
    assert result.next_hearing.starts_at == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def test_rescheduling_shows_and_takes_the_court_time(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    # Court's clock rule: a hearing at 09:00 PST shows 09:00 (not 17:00 UTC) in the dialog.
    ctx = make_context("clerk1")
    rows = _rows()
    dialog = RescheduleDialog(
        ctx, Hearing.model_validate(_hearing("after", AFTER)), list(rows.values())
    )
    qtbot.addWidget(dialog)
    assert dialog.time_edit.time().toString("HH:mm") == "09:00"
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(-3))  # back to Fri 30 Oct (PDT)
    assert dialog.proposed().starts_at == BEFORE


def _judge_store(filled_store: Callable[[str], tuple[LocalStore, dict[str, Any]]]) -> Any:
    store, user = filled_store("judge1")
    court = store.get("court", user["court_id"])
    assert court is not None and court["timezone"] == PACIFIC  # judge1 sits in San Francisco
    return store, user


def test_the_dashboards_today_at_eight_in_the_evening_pacific_is_the_pacific_date(
    filled_store: Callable[[str], tuple[LocalStore, dict[str, Any]]],
) -> None:
    # Court's clock rule: at 20:00 PST on Tue 8 Dec 2026 it is 04:00 UTC on Wed 9 Dec.
    store, user = _judge_store(filled_store)
    case = next(c for c in store.all("case") if c.get("judge_id") == user["id"])
    late = Hearing.model_validate(
        {
            **_hearing(str(uuid.uuid4()), datetime(2026, 12, 9, 4, 30, tzinfo=UTC)),  # 20:30 PST
            "case_id": case["id"],
            "judge_id": user["id"],
        }
    )
    morning_after = late.model_copy(
        update={"id": str(uuid.uuid4()), "starts_at": datetime(2026, 12, 9, 17, 0, tzinfo=UTC)}
    )
    store.save(late)
    store.save(morning_after)
    dashboard = load_dashboard(store, user, now=datetime(2026, 12, 9, 4, 0, tzinfo=UTC))
    assert dashboard.today == date(2026, 12, 8)
    shown = {r.hearing_id for r in dashboard.docket}
    assert late.id in shown and morning_after.id not in shown


def test_the_history_tab_shows_the_servers_utc_times_on_the_courts_clock(
    qtbot: QtBot,
    make_context: Callable[[str], DesktopContext],
) -> None:
    # Court's clock rule, for the case history (the server sends UTC instants).
    ctx = make_context("judge1")
    case = next(c for c in ctx.store.all("case") if c.get("judge_id") == ctx.user_id)
    case_file = load_case_file(ctx.store, case["id"])
    assert case_file is not None
    panel = CaseHistoryPanel(ctx, case["id"])
    qtbot.addWidget(panel)
    panel.set_zone(case_file.zone)
    panel._show(
        [
            {"at": "2026-12-08T01:30:00+00:00", "actor": "IJ Alvarez", "summary": "Order signed"},
            {"at": "2026-11-02T17:00:00+00:00", "actor": "Clerk Garcia", "summary": "Scheduled"},
        ]
    )
    shown = [panel.model.index(n, 0).data() for n in range(2)]
    assert shown == ["Mon 7 Dec 2026 17:30 PST", "Mon 2 Nov 2026 09:00 PST"]
