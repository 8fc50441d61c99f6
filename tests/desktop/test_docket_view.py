"""The docket tab, driven as a clerk or judge would: period, filters, search, sorting,
opening a case, the clerk's dialogs, and the PDF export."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTime
from PySide6.QtWidgets import QComboBox, QMessageBox
from pytestqt.qtbot import QtBot

from common.court_time import date_range, table_date
from desktop.docket import DocketFilter, DocketRow, apply_filter, build_docket, group_families
from desktop.ui.context import DesktopContext
from desktop.ui.docket_model import COLUMNS, DocketTableModel
from desktop.ui.docket_view import DocketView, export_docket_pdf
from desktop.ui.hearing_dialogs import AdjournDialog, RescheduleDialog
from tests.desktop.docket_fixtures import open_docket

CTRL = Qt.KeyboardModifier.ControlModifier


def _store_rows(ctx: DesktopContext) -> list[DocketRow]:
    store = ctx.store
    return build_docket(
        store.all("hearing"),
        store.all("case"),
        store.all("courtroom"),
        store.all("user_profile"),
        store.all("court"),
    )


@pytest.fixture
def clerk_view(
    qtbot: QtBot,
    make_context: Callable[[str], DesktopContext],
) -> Iterator[DocketView]:
    yield open_docket(qtbot, make_context("clerk1"))


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _busiest_week(view: DocketView) -> date:
    weeks = Counter(_week_of(r.day)[0] for r in view.data.rows)
    return weeks.most_common(1)[0][0]


def _go_to(view: DocketView, day: date) -> None:
    view.date_edit.setDate(QDate(day.year, day.month, day.day))  # as the calendar popup does


def _count(view: DocketView) -> int:
    text = view.count_label.text()
    return 0 if text.startswith("No hearings") else int(text.split()[0])


def _click_row(qtbot: QtBot, view: DocketView, hearing_id: str) -> None:
    index = view.model.index(view.model.row_of(hearing_id), 2)
    view.table.scrollTo(index)
    qtbot.mouseClick(
        view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center()
    )
    assert view.selected_row() is not None
    assert view.selected_row().hearing_id == hearing_id  # type: ignore[union-attr]


def _scheduled_in_view(view: DocketView) -> list[DocketRow]:
    """Scheduled hearings of cases outside a family (a family's hearings move together)."""
    return [r for r in view.model.rows() if r.status == "scheduled" and not r.family_lead_id]


def _show_busy_week(qtbot: QtBot, view: DocketView) -> date:
    monday = _busiest_week(view)
    qtbot.keyClick(view, Qt.Key.Key_2, CTRL | Qt.KeyboardModifier.AltModifier)
    _go_to(view, monday)
    assert view.week_mode
    return monday


def test_the_model_passes_the_model_tester(
    qtmodeltester: object, make_context: Callable[[str], DesktopContext]
) -> None:
    rows = _store_rows(make_context("clerk1"))
    model = DocketTableModel()
    model.set_rows(apply_filter(rows, DocketFilter()))
    assert model.rowCount() == len(rows) > 0
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    first = model.row_at(model.index(0, 0))
    assert first is not None and model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == first
    assert first.respondent == max(r.respondent for r in rows)


def test_the_view_loads_the_clerks_docket_for_today(clerk_view: DocketView) -> None:
    today = clerk_view.anchor
    expected = apply_filter(clerk_view.data.rows, DocketFilter(first_day=today, last_day=today))
    assert clerk_view.model.rows() == expected
    assert _count(clerk_view) == len(expected)
    assert clerk_view.period_label.text() == table_date(today)  # "Tue 8 Dec 2026"


def test_day_and_week_show_the_right_hearings(qtbot: QtBot, clerk_view: DocketView) -> None:
    monday = _busiest_week(clerk_view)
    busiest_day = Counter(
        r.day for r in clerk_view.data.rows if _week_of(r.day)[0] == monday
    ).most_common(1)[0][0]
    _go_to(clerk_view, busiest_day)
    one_day = apply_filter(
        clerk_view.data.rows, DocketFilter(first_day=busiest_day, last_day=busiest_day)
    )
    assert _count(clerk_view) == len(one_day) > 0
    qtbot.mouseClick(clerk_view.week_button, Qt.MouseButton.LeftButton)
    week = apply_filter(
        clerk_view.data.rows, DocketFilter(first_day=monday, last_day=monday + timedelta(days=6))
    )
    assert _count(clerk_view) == len(week) > len(one_day)
    assert clerk_view.model.rows() == week
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert clerk_view.period() == (monday - timedelta(days=7), monday - timedelta(days=1))
    qtbot.mouseClick(clerk_view.day_button, Qt.MouseButton.LeftButton)
    assert not clerk_view.week_mode


def test_next_day_skips_the_weekend(qtbot: QtBot, clerk_view: DocketView) -> None:
    friday = date(2026, 12, 4)
    _go_to(clerk_view, friday)
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert clerk_view.anchor == date(2026, 12, 7)
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert clerk_view.anchor == friday
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_T, CTRL)
    assert clerk_view.anchor == datetime.now(clerk_view.data.zone).date()


@pytest.mark.parametrize(
    ("combo_name", "field"),
    [
        ("judge_combo", "judge_ids"),
        ("courtroom_combo", "courtroom_ids"),
        ("type_combo", "hearing_types"),
        ("custody_combo", "custody"),
        ("language_combo", "languages"),
    ],
)
def test_each_filter_shows_what_apply_filter_selects(
    qtbot: QtBot, clerk_view: DocketView, combo_name: str, field: str
) -> None:
    monday = _show_busy_week(qtbot, clerk_view)
    combo: QComboBox = getattr(clerk_view, combo_name)
    assert combo.itemData(0) is None and combo.count() > 2  # "All", then the choices
    week = {"first_day": monday, "last_day": monday + timedelta(days=6)}
    seen = set()
    for index in range(1, combo.count()):
        combo.setCurrentIndex(index)
        wanted = DocketFilter(**week, **{field: frozenset({combo.itemData(index)})})
        expected = apply_filter(clerk_view.data.rows, wanted)
        assert _count(clerk_view) == len(expected)
        assert clerk_view.model.rows() == expected
        seen.add(len(expected))
    combo.setCurrentIndex(0)
    assert _count(clerk_view) == len(apply_filter(clerk_view.data.rows, DocketFilter(**week)))
    assert len(seen) > 1 or combo_name == "custody_combo"  # the filter really narrows


def test_the_custody_filter_matches_the_cases_custody_in_the_store(
    qtbot: QtBot, clerk_view: DocketView
) -> None:
    """The expected hearings come from the store's own records, not from ``apply_filter``:
    a case without a custody history is where its ``custody`` says; a case with one is
    where its latest entry (by effective date) put the respondent (released: not detained)."""
    monday = _show_busy_week(qtbot, clerk_view)
    store = clerk_view.ctx.store
    court = clerk_view.ctx.session.user["court_id"]
    zone = clerk_view.data.zone
    history: dict[str, list[dict[str, Any]]] = {}
    for entry in store.all("custody_change"):
        history.setdefault(str(entry["case_id"]), []).append(entry)

    def custody_of(case: dict[str, Any]) -> str:
        entries = history.get(str(case["id"]))
        if not entries:
            return str(case["custody"])
        last = max(entries, key=lambda e: str(e["effective_on"]))
        return "released" if last["event"] == "released" else "detained"

    cases = {c["id"]: c for c in store.all("case") if c["court_id"] == court}
    in_week = {
        h["id"]: custody_of(cases[h["case_id"]])
        for h in store.all("hearing")
        if h["case_id"] in cases
        and monday
        <= datetime.fromisoformat(h["starts_at"]).astimezone(zone).date()
        <= monday + timedelta(days=6)
        and h.get("status") != "cancelled"
    }
    shown_all = {r.hearing_id for r in clerk_view.model.rows()}
    assert shown_all <= set(in_week)
    combo = clerk_view.custody_combo
    by_value: dict[str, set[str]] = {}
    for index in range(1, combo.count()):
        combo.setCurrentIndex(index)
        by_value[combo.itemData(index)] = {r.hearing_id for r in clerk_view.model.rows()}
    combo.setCurrentIndex(0)
    detained = {h for h in shown_all if in_week[h] == "detained"}
    assert detained, "the busiest week holds a detained respondent's hearing"
    assert detained != shown_all, "... and a hearing of one who is not detained"
    assert by_value["detained"] == detained
    for value, shown in by_value.items():
        assert shown == {h for h in shown_all if in_week[h] == value}, value


def test_an_a_number_in_another_spelling_finds_exactly_that_case(
    qtbot: QtBot, clerk_view: DocketView
) -> None:
    _show_busy_week(qtbot, clerk_view)
    target = clerk_view.model.rows()[-1]
    digits = target.a_number
    spelled = f"a {digits[:3]} {digits[3:6]}.{digits[6:]}"
    clerk_view.table.setFocus()
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_F, CTRL)  # Ctrl+F goes to the search box
    assert clerk_view.search_edit.hasFocus()
    qtbot.keyClicks(clerk_view.search_edit, spelled)
    shown = clerk_view.model.rows()
    assert shown and {r.case_id for r in shown} == {target.case_id}
    assert _count(clerk_view) == len(
        apply_filter(clerk_view.data.rows, clerk_view.current_filter())
    )
    clerk_view.search_edit.clear()
    last_name = target.respondent.split(",")[0].lower()
    qtbot.keyClicks(clerk_view.search_edit, last_name)
    assert target in clerk_view.model.rows()


def test_clicking_a_header_sorts_and_the_order_survives_filtering(
    qtbot: QtBot, clerk_view: DocketView
) -> None:
    _show_busy_week(qtbot, clerk_view)
    header = clerk_view.table.horizontalHeader()
    column = next(i for i, c in enumerate(COLUMNS) if c.sort_key == "respondent")
    where = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)

    def by_name(descending: bool) -> list[str]:
        # Sorted by name, except that a family heard together stays together, lead first.
        rows = sorted(clerk_view.model.rows(), key=lambda r: r.respondent, reverse=descending)
        return [r.respondent for r in group_families(rows)]

    names = [r.respondent for r in clerk_view.model.rows()]
    assert names == by_name(False) and clerk_view.model.sort_key == "respondent"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    names = [r.respondent for r in clerk_view.model.rows()]
    assert names == by_name(True)
    clerk_view.type_combo.setCurrentIndex(1)
    names = [r.respondent for r in clerk_view.model.rows()]
    assert names == by_name(True)


def test_enter_opens_the_selected_case(qtbot: QtBot, clerk_view: DocketView) -> None:
    _show_busy_week(qtbot, clerk_view)
    target = clerk_view.model.rows()[1]
    _click_row(qtbot, clerk_view, target.hearing_id)
    with qtbot.waitSignal(clerk_view.open_case, timeout=2000) as opened:
        qtbot.keyClick(clerk_view.table, Qt.Key.Key_Return)
    assert opened.args == [target.case_id]


def _reschedule_dialog(qtbot: QtBot, view: DocketView, row: DocketRow) -> RescheduleDialog:
    _click_row(qtbot, view, row.hearing_id)
    qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL)
    dialog = view.dialog
    assert isinstance(dialog, RescheduleDialog) and dialog.isVisible()
    return dialog


def _set_start(dialog: RescheduleDialog | AdjournDialog, when: datetime) -> None:
    dialog.date_edit.setDate(QDate(when.year, when.month, when.day))
    dialog.time_edit.setTime(QTime(when.hour, when.minute))


def test_a_clashing_reschedule_needs_schedule_anyway(qtbot: QtBot, clerk_view: DocketView) -> None:
    _show_busy_week(qtbot, clerk_view)
    scheduled = _scheduled_in_view(clerk_view)
    moving, other = next(
        (a, b) for a in scheduled for b in scheduled if a.judge_id == b.judge_id and a.day != b.day
    )
    dialog = _reschedule_dialog(qtbot, clerk_view, moving)
    assert "interpreter" in dialog.interpreter.text().lower() or moving.interpreter_language is None
    pending = clerk_view.ctx.store.pending_count()
    _set_start(dialog, other.starts_at)
    assert other.respondent in dialog.clash_panel.clashes_text
    assert dialog.clash_panel.messages.isVisible()
    assert not dialog.ok_button.isEnabled()
    anyway = dialog.clash_panel.anyway
    qtbot.mouseClick(anyway, Qt.MouseButton.LeftButton, pos=QPoint(6, anyway.height() // 2))
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert clerk_view.ctx.store.pending_count() == pending + 1
    saved = clerk_view.ctx.store.get("hearing", moving.hearing_id)
    assert saved is not None
    assert datetime.fromisoformat(saved["starts_at"]) == other.starts_at


def test_a_free_slot_reschedules_and_saves(qtbot: QtBot, clerk_view: DocketView) -> None:
    _show_busy_week(qtbot, clerk_view)
    moving = _scheduled_in_view(clerk_view)[0]
    dialog = _reschedule_dialog(qtbot, clerk_view, moving)
    pending = clerk_view.ctx.store.pending_count()
    new_start = datetime(2027, 3, 3, 7, 15, tzinfo=moving.starts_at.tzinfo)
    _set_start(dialog, new_start)
    room = dialog.courtroom_combo.count() - 1
    dialog.courtroom_combo.setCurrentIndex(room)
    room_id = dialog.courtroom_combo.itemData(room)
    assert dialog.clash_panel.clashes_text == "" and dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=5000):  # the dialog closes once saved
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert clerk_view.ctx.store.pending_count() == pending + 1
    saved = clerk_view.ctx.store.get("hearing", moving.hearing_id)
    assert saved is not None
    assert datetime.fromisoformat(saved["starts_at"]) == new_start
    assert saved["courtroom_id"] == room_id
    qtbot.waitUntil(lambda: clerk_view.model.row_of(moving.hearing_id) == -1, timeout=5000)


def test_adjourning_with_code_02_shows_the_clock_stopping_then_saves_two_records(
    qtbot: QtBot, clerk_view: DocketView
) -> None:
    _show_busy_week(qtbot, clerk_view)
    target = _scheduled_in_view(clerk_view)[0]
    _click_row(qtbot, clerk_view, target.hearing_id)
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_J, CTRL)
    qtbot.waitUntil(lambda: isinstance(clerk_view.dialog, AdjournDialog), timeout=5000)
    dialog = clerk_view.dialog
    assert isinstance(dialog, AdjournDialog)
    assert not dialog.ok_button.isEnabled()  # no code chosen yet
    dialog.code_combo.setCurrentIndex(dialog.code_combo.findData("02"))
    assert "stops" in dialog.clock_note.text()
    pending = clerk_view.ctx.store.pending_count()
    hearings = clerk_view.ctx.store.count("hearing")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clerk_view.ctx.store.pending_count() == pending + 2, timeout=5000)
    adjourned = clerk_view.ctx.store.get("hearing", target.hearing_id)
    assert adjourned is not None
    assert (adjourned["status"], adjourned["adjournment_code"]) == ("adjourned", "02")
    assert clerk_view.ctx.store.count("hearing") == hearings + 1


def test_cancelling_asks_first_then_saves_the_cancellation(
    qtbot: QtBot, clerk_view: DocketView, monkeypatch: pytest.MonkeyPatch
) -> None:
    _show_busy_week(qtbot, clerk_view)
    target = _scheduled_in_view(clerk_view)[0]
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    _click_row(qtbot, clerk_view, target.hearing_id)
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_Delete)
    assert len(asked) == 1 and target.respondent in asked[0]
    qtbot.waitUntil(
        lambda: (
            (clerk_view.ctx.store.get("hearing", target.hearing_id) or {}).get("status")
            == "cancelled"
        ),
        timeout=5000,
    )


def test_a_judge_sees_the_clerk_actions_disabled_and_why(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    view = open_docket(qtbot, make_context("judge1"))
    assert view.judge_combo.currentData() == view.ctx.user_id  # a judge starts on their own
    _show_busy_week(qtbot, view)
    view.judge_combo.setCurrentIndex(0)
    _click_row(qtbot, view, view.model.rows()[0].hearing_id)
    for action in view.clerk_actions:
        assert not action.isEnabled()
        assert "only clerks" in action.toolTip().lower()
    qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL)
    assert view.dialog is None
    assert view.export_action.isEnabled()


def test_the_pdf_export_lists_names_and_a_numbers(
    qtbot: QtBot, clerk_view: DocketView, tmp_path: Path
) -> None:
    _show_busy_week(qtbot, clerk_view)
    rows = clerk_view.model.rows()
    target = tmp_path / "docket.pdf"
    export_docket_pdf(rows, target, clerk_view.export_title())
    with pymupdf.open(target) as pdf:
        text = "\n".join(page.get_text() for page in pdf)
        assert pdf.metadata is not None and "Docket" in pdf.metadata["title"]
    first, last = clerk_view.period()
    assert f"Docket: {date_range(first, last)}" in text  # no filter: the days alone
    words = " ".join(text.split())  # the respondent's cell may wrap at a space
    for row in rows:
        assert row.respondent in words and row.a_number_display in text
