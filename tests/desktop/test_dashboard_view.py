"""The dashboard for a judge and a clerk, on the demo data's day (SEED_DAY)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.protocol import Change
from desktop.dashboard import load_dashboard, mark_case_seen, seen_key
from desktop.local_store import LocalStore
from desktop.ui.context import DesktopContext
from desktop.ui.dashboard_view import DashboardView
from desktop.ui.main_window import MainWindow
from tests.conftest import SEED_DAY


def _open(qtbot: QtBot, ctx: DesktopContext) -> DashboardView:
    view = DashboardView(ctx, today=SEED_DAY)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitUntil(lambda: view.dashboard is not None, timeout=5000)
    return view


def _refresh(qtbot: QtBot, view: DashboardView) -> None:
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.refresh()


def _judges_hearings_on(store: LocalStore, judge_id: str) -> set[str]:
    """The hearings of ``judge_id`` on SEED_DAY in the court's time, straight from the store."""
    cases = {c["id"]: c for c in store.all("case")}
    zones = {c["id"]: ZoneInfo(c["timezone"]) for c in store.all("court")}
    found = set()
    for h in store.all("hearing"):
        case = cases.get(h["case_id"])
        judge = h.get("judge_id") or (case or {}).get("judge_id")
        if case is None or judge != judge_id:
            continue
        local = datetime.fromisoformat(h["starts_at"]).astimezone(zones[case["court_id"]])
        if local.date() == SEED_DAY:
            found.add(h["id"])
    return found


def _file_new_document(store: LocalStore, case_id: str) -> str:
    """A document arriving from the server (a pulled change newer than anything held)."""
    template = next(d for d in store.all("document") if d["case_id"] == case_id)
    newest = max(store.version_of("document", d["id"]) for d in store.all("document"))
    doc_id = str(uuid.uuid4())
    data = {
        **template,
        "id": doc_id,
        "title": "Motion to continue",
        "doc_type": "motion",
        "filer_party": "respondent",
        "filed_on": SEED_DAY.isoformat(),
    }
    change = Change(entity="document", id=doc_id, version=newest + 1, deleted=False, data=data)
    store.apply_page([change], store.get_state("cursor") or "")
    return doc_id


def test_a_judge_sees_their_hearings_of_the_day(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("judge1")
    view = _open(qtbot, ctx)
    expected = _judges_hearings_on(ctx.store, ctx.user_id)
    assert expected, "the demo data gives judge1 a hearing on SEED_DAY"
    shown = view.docket_model.rows
    assert {r.hearing_id for r in shown} == expected
    assert view.count("hearings") == len(expected)
    assert [r.starts_at for r in shown] == sorted(r.starts_at for r in shown)
    assert view.title.text() == "Dashboard — Fri 27 Nov 2026"
    assert "Judge" not in [c.title for c in view.docket_model.columns]  # all are theirs


def test_a_new_document_after_looking_flags_the_case(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("judge1")
    case_id = next(c["id"] for c in ctx.store.all("case") if c["judge_id"] == ctx.user_id)
    mark_case_seen(ctx.store, case_id)
    assert ctx.store.get_state(seen_key(case_id)) is not None
    view = _open(qtbot, ctx)
    assert case_id not in {r.case_id for r in view.new_filings_model.rows}

    _file_new_document(ctx.store, case_id)
    _refresh(qtbot, view)
    row = next(r for r in view.new_filings_model.rows if r.case_id == case_id)
    assert row.count == 1 and row.titles == "Motion to continue"
    assert view.count("new_filings") == len(view.new_filings_model.rows)

    table = view.new_filings_table
    table.setCurrentIndex(view.new_filings_model.index(view.new_filings_model.rows.index(row), 0))
    table.setFocus()
    with qtbot.waitSignal(view.open_case, timeout=2000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == [case_id]


def test_opening_the_flagged_case_from_the_main_window_clears_the_flag(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    """The flag clears because the main window marks the case seen when it opens the case
    file -- the test only presses Enter on the dashboard's row and never marks it itself."""
    ctx = make_context("judge1")
    case_id = next(c["id"] for c in ctx.store.all("case") if c["judge_id"] == ctx.user_id)
    mark_case_seen(ctx.store, case_id)  # the judge looked at the case before
    _file_new_document(ctx.store, case_id)
    before = ctx.store.get_state(seen_key(case_id))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.dashboard
    _refresh(qtbot, view)
    row = next(r for r in view.new_filings_model.rows if r.case_id == case_id)
    table = view.new_filings_table
    window.tabs.setCurrentWidget(view)
    table.setCurrentIndex(view.new_filings_model.index(view.new_filings_model.rows.index(row), 0))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is not view, timeout=5000)
    qtbot.waitUntil(lambda: ctx.store.get_state(seen_key(case_id)) != before, timeout=10_000)
    _refresh(qtbot, view)
    assert case_id not in {r.case_id for r in view.new_filings_model.rows}


def test_upcoming_deadlines_are_within_two_weeks(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    view = _open(qtbot, make_context("judge1"))
    rows = view.deadlines_model.rows
    assert rows and view.count("deadlines") == len(rows)
    assert all(SEED_DAY <= r.due <= SEED_DAY + timedelta(days=14) for r in rows)
    assert [r.due for r in rows] == sorted(r.due for r in rows)


def test_a_clerk_sees_the_courts_docket_and_filings_waiting(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    view = _open(qtbot, ctx)
    court = ctx.session.user["court_id"]
    pending = [
        f for f in ctx.store.all("filing") if f["status"] == "pending" and f["court_id"] == court
    ]
    assert pending and view.count("pending_filings") == len(pending)
    assert "new_filings" not in view.tiles
    judges = {u["id"] for u in ctx.store.all("user_profile") if u["role"] == "judge"}
    expected = set().union(*(_judges_hearings_on(ctx.store, j) for j in judges))
    assert {r.hearing_id for r in view.docket_model.rows} == expected
    assert "Judge" in [c.title for c in view.docket_model.columns]

    with qtbot.waitSignal(view.open_case, timeout=2000) as blocker:
        view.docket_table.setFocus()
        qtbot.keyClick(view.docket_table, Qt.Key.Key_Enter)
    assert blocker.args == [view.docket_model.rows[0].case_id]


def test_dashboard_data_without_qt(filled_store: Callable[..., Any]) -> None:
    store, user = filled_store("judge1")
    dashboard = load_dashboard(store, user, SEED_DAY)
    assert dashboard.is_judge and dashboard.today == SEED_DAY
    assert all(r.judge_id == user["id"] and r.day == SEED_DAY for r in dashboard.docket)
    assert dashboard.pending_filings == 0  # a judge's dashboard does not count review work


def test_every_dashboard_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("judge1")
    case_id = next(c["id"] for c in ctx.store.all("case") if c["judge_id"] == ctx.user_id)
    mark_case_seen(ctx.store, case_id)
    _file_new_document(ctx.store, case_id)
    view = _open(qtbot, ctx)
    for model in (view.docket_model, view.new_filings_model, view.deadlines_model):
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)
