"""The case file view, driven as a clerk or judge would: read it, open a document, assign."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from pytestqt.qtbot import QtBot

from desktop.ui.case_file_view import CaseFileView
from desktop.ui.context import DesktopContext
from desktop.ui.record_table import MUTED, RecordTableModel
from sync_server.demo.plan import demo_id
from tests.conftest import SEED_DAY

CASE_12 = demo_id("case", 12)


def _open(
    qtbot: QtBot, ctx: DesktopContext, case_id: str = CASE_12, today: date = SEED_DAY
) -> CaseFileView:
    view = CaseFileView(ctx, case_id, today=today)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=5000)
    return view


def test_header_and_documents_show_the_case(qtbot: QtBot, make_context: Callable[..., Any]) -> None:
    ctx = make_context("clerk1")
    view = _open(qtbot, ctx)
    case = ctx.store.get("case", CASE_12)
    assert view.a_number.text() == "A200-095-028"
    assert case["respondent_first_name"] in view.respondent.text()
    assert view.summary_value("Court") == "San Francisco Immigration Court"
    titles = [d.title for d in view.documents.rows]
    assert "Notice to Appear" in titles
    assert view.tabs.tabText(1) == f"Documents (eROP) ({len(titles)})"


def test_enter_on_a_document_asks_to_open_it(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    view = _open(qtbot, make_context("judge1"))
    table = view.tables["documents"]
    view.tabs.setCurrentWidget(table)
    row = next(i for i, d in enumerate(view.documents.rows) if d.doc_type == "notice_to_appear")
    nta = view.documents.rows[row]
    table.setCurrentIndex(view.documents.index(row, 2))
    table.setFocus()
    with qtbot.waitSignal(view.open_document, timeout=2000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == [nta.document_id]

    other = (row + 1) % len(view.documents.rows)
    with qtbot.waitSignal(view.open_document, timeout=2000) as blocker:
        where = table.visualRect(view.documents.index(other, 2)).center()
        # Qt reports a double-click only after the click that starts it.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert blocker.args == [view.documents.rows[other].document_id]


def test_a_clerk_assigns_another_judge(qtbot: QtBot, make_context: Callable[..., Any]) -> None:
    ctx = make_context("clerk1")
    view = _open(qtbot, ctx)
    before = view.case_file.summary.judge_id  # type: ignore[union-attr]
    assert view.assign_button.isVisible() and not view.assign_bar.isVisible()

    qtbot.mouseClick(view.assign_button, Qt.MouseButton.LeftButton)
    assert view.assign_bar.isVisible()
    combo = view.judge_combo
    other = next(i for i in range(combo.count()) if combo.itemData(i) != before)
    combo.setCurrentIndex(other)
    new_judge, new_name = combo.itemData(other), combo.itemText(other)
    qtbot.mouseClick(view.assign_confirm, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: view.summary_value("Judge") == new_name, timeout=5000)
    queued = [e for e in ctx.store.pending() if e.entity == "case" and e.record_id == CASE_12]
    assert len(queued) == 1 and queued[0].data is not None
    assert queued[0].data["judge_id"] == new_judge
    assert "Assigned to" in view.message.text()


def test_a_judge_has_no_assign_action(qtbot: QtBot, make_context: Callable[..., Any]) -> None:
    view = _open(qtbot, make_context("judge1"))
    assert not view.assign_button.isVisible()
    assert not view.assign_button.isVisibleTo(view)


def test_past_deadlines_are_muted_and_the_next_is_bold(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    # Demo case 6 has filings due Thu 3 Dec and Mon 14 Dec 2026 (15 days before its hearings
    # of 18 and 29 Dec, ICPM 3.1(b)): a week after SEED_DAY the first is past.
    view = _open(qtbot, make_context("judge1"), demo_id("case", 6), SEED_DAY + timedelta(days=7))
    model = view.deadlines
    states = [d.state for d in model.rows]
    assert "past" in states and states.count("next") == 1
    for number, deadline in enumerate(model.rows):
        index = model.index(number, 0)
        color = model.data(index, Qt.ItemDataRole.ForegroundRole)
        font = model.data(index, Qt.ItemDataRole.FontRole)
        assert (color == QColor(MUTED)) == deadline.is_past
        assert (isinstance(font, QFont) and font.bold()) == (deadline.state == "next")


def test_an_unknown_case_says_so(qtbot: QtBot, make_context: Callable[..., Any]) -> None:
    view = CaseFileView(make_context("clerk1"), "00000000-0000-0000-0000-000000000000")
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        pass
    assert view.a_number.text() == "Case not found"
    assert view.documents.rowCount() == 0


def test_every_case_file_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, make_context: Callable[..., Any]
) -> None:
    view = _open(qtbot, make_context("clerk1"), demo_id("case", 16))
    models: list[RecordTableModel[Any]] = [
        view.hearings,
        view.documents,
        view.representation,
        view.orders,
        view.deadlines,
        view.filings,
    ]
    for model in models:
        qtmodeltester.check(model, force_py=True)
    assert view.filings.rowCount() == 1
    view.documents.sort(0, Qt.SortOrder.DescendingOrder)
    filed = [d.filed_on for d in view.documents.rows if d.filed_on]
    assert filed == sorted(filed, reverse=True)


def test_history_tab_says_it_needs_the_server_when_offline(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    ctx = make_context("clerk1")
    case_id = ctx.store.all("case")[0]["id"]
    view = CaseFileView(ctx, case_id)
    qtbot.addWidget(view)
    view.tabs.setCurrentWidget(view.history)  # opening the tab asks the server
    qtbot.waitUntil(lambda: "can't be reached" in view.history.status.text(), timeout=10_000)


def test_a_clerk_schedules_a_new_hearing_with_a_clash_check(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    from PySide6.QtCore import QDate, QPoint, QTime

    from desktop.ui.hearing_dialogs import ScheduleDialog

    ctx = make_context("clerk1")
    view = _open(qtbot, ctx)
    assert view.schedule_button.isVisible()
    qtbot.mouseClick(view.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(view.dialog, ScheduleDialog), timeout=5000)
    dialog = view.dialog
    assert isinstance(dialog, ScheduleDialog)
    # Put it on top of another hearing of the same judge: the clash is named.
    judge = view.case_file.summary.judge_id if view.case_file else None
    other = next(
        h for h in ctx.store.all("hearing") if h["judge_id"] == judge and h["status"] == "scheduled"
    )
    when = datetime.fromisoformat(other["starts_at"]).astimezone(dialog.zone)
    dialog.date_edit.setDate(QDate(when.year, when.month, when.day))
    dialog.time_edit.setTime(QTime(when.hour, when.minute))
    assert not dialog.ok_button.isEnabled() and dialog.clash_panel.clashes_text
    # A free morning instead; an individual hearing takes three hours.
    dialog.date_edit.setDate(QDate(2027, 3, 3))
    dialog.time_edit.setTime(QTime(7, 0))
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("individual"))
    assert dialog.length.value() == 180 and dialog.ok_button.isEnabled()
    before = ctx.store.count("hearing")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert ctx.store.count("hearing") == before + 1
    new = next(h for h in ctx.store.all("hearing") if h["id"] == dialog.hearing.id)
    assert (new["hearing_type"], new["duration_minutes"], new["case_id"]) == (
        "individual",
        180,
        CASE_12,
    )
