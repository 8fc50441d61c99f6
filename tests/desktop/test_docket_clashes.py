"""The docket shows what clashes (issue 18, client item 2), driven as a clerk would: a
double booking is marked in the table and named in its tooltip (back-to-back hearings are
not); adjourning proposes the next time the judge and courtroom are free; a hearing that
would run past the court's closing hour is refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QPoint, Qt, QTime
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from common.court_time import court_instant
from common.wire import Hearing
from desktop.clerk_actions import find_clashes
from desktop.docket import DAY_CLOSES, DocketRow, build_docket, double_bookings
from desktop.ui.context import DesktopContext
from desktop.ui.docket_model import CLASH_COLUMN
from desktop.ui.docket_view import DocketView
from desktop.ui.hearing_dialogs import AdjournDialog, RescheduleDialog
from desktop.ui.order_bench import BenchContinuanceDialog
from tests.desktop.docket_fixtures import open_docket

CTRL = Qt.KeyboardModifier.ControlModifier
# A Tuesday well after the seeded dockets, so only this test's hearings are on it; four
# weeks on is Tuesday 14 March 2028 (no holiday).
DAY = date(2028, 2, 15)
FOUR_WEEKS_ON = date(2028, 3, 14)


def _setup(ctx: DesktopContext, judge: str | None = None) -> dict[str, Any]:
    """Hearings of this court on DAY: A 09:00-10:00 (judge J, room 1); B 09:30-10:00 (another
    judge, room 1: a courtroom clash with A); C 10:00-10:30 (judge J, room 2: back to back
    with A). And E on FOUR_WEEKS_ON 09:00-10:00 (judge J, room 3)."""
    store = ctx.store
    user = store.get("user_profile", ctx.user_id)
    assert user is not None
    court = store.get("court", str(user["court_id"]))
    assert court is not None
    zone = ZoneInfo(str(court["timezone"]))
    cases = sorted(
        (c for c in store.all("case") if c["court_id"] == court["id"] and not c.get("deleted")),
        key=lambda c: str(c["id"]),
    )[:4]
    rooms = sorted(str(r["id"]) for r in store.all("courtroom") if r.get("court_id") == court["id"])
    judges = sorted({str(c["judge_id"]) for c in store.all("case") if c.get("judge_id")})
    assert len(cases) == 4 and len(rooms) >= 3 and len(judges) >= 2
    judge = judge or judges[0]
    other_judge = next(j for j in judges if j != judge)

    def hearing(
        name: str, case: dict[str, Any], day: date, at: time, minutes: int, judge_id: str, room: str
    ) -> Hearing:
        made = Hearing.model_validate(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"docket-clashes/{name}")),
                "case_id": case["id"],
                "judge_id": judge_id,
                "courtroom_id": room,
                "hearing_type": "master",
                "medium": "in_person",
                "status": "scheduled",
                "duration_minutes": minutes,
                "starts_at": court_instant(day, at, zone).isoformat(),
                "interpreter_language": None,
                "adjournment_code": None,
            }
        )
        store.save(made)
        return made

    made = {
        "A": hearing("A", cases[0], DAY, time(9, 0), 60, judge, rooms[0]),
        "B": hearing("B", cases[1], DAY, time(9, 30), 30, other_judge, rooms[0]),
        "C": hearing("C", cases[2], DAY, time(10, 0), 30, judge, rooms[1]),
        "E": hearing("E", cases[3], FOUR_WEEKS_ON, time(9, 0), 60, judge, rooms[2]),
    }
    return {"zone": zone, **made}


def _show_day(view: DocketView, day: date) -> None:
    view.date_edit.setDate(QDate(day.year, day.month, day.day))  # as the calendar popup does


def _click_row(qtbot: QtBot, view: DocketView, hearing_id: str) -> None:
    index = view.model.index(view.model.row_of(hearing_id), 2)
    view.table.scrollTo(index)
    qtbot.mouseClick(
        view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center()
    )
    selected = view.selected_row()
    assert selected is not None and selected.hearing_id == hearing_id


def _shown(view: DocketView, hearing_id: str, role: Qt.ItemDataRole) -> Any:
    return view.model.data(view.model.index(view.model.row_of(hearing_id), CLASH_COLUMN), role)


def _docket(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext], user: str = "clerk1"
) -> tuple[DocketView, dict[str, Any]]:
    ctx = make_context(user)
    made = _setup(ctx, ctx.user_id if user.startswith("judge") else None)
    view = open_docket(qtbot, ctx)
    _show_day(view, DAY)
    qtbot.waitUntil(lambda: view.model.row_of(made["C"].id) >= 0, timeout=5000)
    return view, made


def _row(view: DocketView, hearing_id: str) -> DocketRow:
    return next(r for r in view.data.rows if r.hearing_id == hearing_id)


def test_an_overlapping_pair_is_marked_and_back_to_back_hearings_are_not(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    view, made = _docket(qtbot, make_context)
    a, b, c = made["A"].id, made["B"].id, made["C"].id
    assert {view.model.row_of(h) >= 0 for h in (a, b, c)} == {True}
    decoration = Qt.ItemDataRole.DecorationRole
    assert isinstance(_shown(view, a, decoration), QColor)
    assert isinstance(_shown(view, b, decoration), QColor)
    assert _shown(view, c, decoration) is None  # starts as A ends: not a clash
    tip_a = _shown(view, a, Qt.ItemDataRole.ToolTipRole)
    tip_b = _shown(view, b, Qt.ItemDataRole.ToolTipRole)
    tip_c = _shown(view, c, Qt.ItemDataRole.ToolTipRole)
    assert tip_a.startswith("Double booked with:") and _row(view, b).respondent in tip_a
    assert _row(view, b).courtroom in tip_a.splitlines()[1]  # they share the courtroom
    assert tip_b.startswith("Double booked with:") and _row(view, a).respondent in tip_b
    assert "Double booked" not in tip_c
    # A search that shows A alone still marks it: B is hidden, not gone.
    view.search_edit.setFocus()
    qtbot.keyClicks(view.search_edit, _row(view, a).a_number_display)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert view.model.row_of(a) == 0 and isinstance(_shown(view, a, decoration), QColor)
    assert _row(view, b).respondent in _shown(view, a, Qt.ItemDataRole.ToolTipRole)
    view.search_edit.clear()
    qtbot.waitUntil(lambda: view.model.row_of(b) >= 0, timeout=5000)
    # The mark follows the data: once the clerk moves B to 10:30 (Ctrl+R, a free time),
    # neither A nor B is marked.
    _click_row(qtbot, view, b)
    qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL)
    dialog = view.dialog
    assert isinstance(dialog, RescheduleDialog)
    # B's own time clashes, so the dialog opens on a free time instead (from tomorrow).
    assert dialog.slot_note.isVisible() and "Proposed" in dialog.slot_note.text()
    assert dialog.clash_panel.clashes_text == ""
    dialog.date_edit.setDate(QDate(DAY.year, DAY.month, DAY.day))
    dialog.time_edit.setTime(QTime(10, 30))
    assert dialog.clash_panel.clashes_text == "" and dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _shown(view, a, Qt.ItemDataRole.DecorationRole) is None, timeout=5000)
    assert _shown(view, b, Qt.ItemDataRole.DecorationRole) is None


def test_the_next_free_time_button_proposes_a_slot_with_no_clash(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    view, made = _docket(qtbot, make_context)
    _click_row(qtbot, view, made["C"].id)
    qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL)
    dialog = view.dialog
    assert isinstance(dialog, RescheduleDialog)
    assert not dialog.slot_note.isVisible()  # C's own time is free: it is kept
    button = dialog.free_slot_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert "Proposed" in dialog.slot_note.text()
    proposed = dialog.proposed()
    local = proposed.starts_at.astimezone(made["zone"])
    assert local.weekday() < 5 and local.minute % 15 == 0
    assert local + timedelta(minutes=proposed.duration_minutes) <= datetime.combine(
        local.date(), DAY_CLOSES, tzinfo=made["zone"]
    )
    # Free against the whole docket held here (the seeded hearings too), not only the shown.
    assert find_clashes(proposed, view.data.rows) == []
    assert dialog.clash_panel.clashes_text == "" and dialog.ok_button.isEnabled()


def test_adjourning_proposes_the_first_free_time_four_weeks_on_and_warns_of_a_chosen_clash(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    view, made = _docket(qtbot, make_context)
    _click_row(qtbot, view, made["A"].id)
    qtbot.keyClick(view.table, Qt.Key.Key_J, CTRL)
    qtbot.waitUntil(lambda: isinstance(view.dialog, AdjournDialog), timeout=5000)
    dialog = view.dialog
    assert isinstance(dialog, AdjournDialog)
    # Four weeks on at 09:00 the judge has E until 10:00: the proposal is 10:00 that day.
    assert dialog.date_edit.date().toPython() == FOUR_WEEKS_ON
    assert dialog.time_edit.time().toString("HH:mm") == "10:00"
    dialog.code_combo.setFocus()
    dialog.code_combo.setCurrentIndex(dialog.code_combo.findData("02"))
    assert dialog.clash_panel.clashes_text == "" and dialog.ok_button.isEnabled()
    # The clerk picks 09:30 instead: the clash names E's respondent and blocks the save.
    dialog.time_edit.setFocus()
    dialog.time_edit.setCurrentSection(dialog.time_edit.Section.HourSection)
    qtbot.keyClick(dialog.time_edit, Qt.Key.Key_Down)  # 10:00 -> 09:00
    dialog.time_edit.setCurrentSection(dialog.time_edit.Section.MinuteSection)
    for _ in range(30):  # 09:00 -> 09:30
        qtbot.keyClick(dialog.time_edit, Qt.Key.Key_Up)
    assert dialog.time_edit.time().toString("HH:mm") == "09:30"
    e_row = _row(view, made["E"].id)
    assert e_row.respondent in dialog.clash_panel.clashes_text
    assert not dialog.ok_button.isEnabled()


def test_a_hearing_past_the_closing_hour_is_refused(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    view, made = _docket(qtbot, make_context)
    _click_row(qtbot, view, made["C"].id)
    qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL)
    dialog = view.dialog
    assert isinstance(dialog, RescheduleDialog)
    dialog.time_edit.setFocus()
    dialog.time_edit.setCurrentSection(dialog.time_edit.Section.HourSection)
    for _ in range(6):  # 10:00 -> 16:00 with the arrow key
        qtbot.keyClick(dialog.time_edit, Qt.Key.Key_Up)
    dialog.time_edit.setCurrentSection(dialog.time_edit.Section.MinuteSection)
    for _ in range(45):  # 16:00 -> 16:45: a 30-minute hearing would end at 17:15
        qtbot.keyClick(dialog.time_edit, Qt.Key.Key_Up)
    assert dialog.time_edit.time().toString("HH:mm") == "16:45"
    assert dialog.hours_note.isVisible()
    assert "ends at 17:15" in dialog.hours_note.text() and "17:00" in dialog.hours_note.text()
    assert not dialog.ok_button.isEnabled()
    pending = view.ctx.store.pending_count()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter does not save it either
    assert view.ctx.store.pending_count() == pending
    for _ in range(15):  # 16:30: ends at 17:00 exactly, which the day allows
        qtbot.keyClick(dialog.time_edit, Qt.Key.Key_Down)
    assert not dialog.hours_note.isVisible() and dialog.ok_button.isEnabled()


def test_double_bookings_find_each_overlap_once_and_not_touching_ends() -> None:
    zone = ZoneInfo("America/New_York")

    def row(
        name: str, at: time, minutes: int, judge: str, room: str, status: str = "scheduled"
    ) -> dict[str, Any]:
        return {
            "id": name,
            "case_id": "k",
            "judge_id": judge,
            "courtroom_id": room,
            "hearing_type": "master",
            "medium": "in_person",
            "status": status,
            "duration_minutes": minutes,
            "starts_at": court_instant(DAY, at, zone).isoformat(),
        }

    case = {
        "id": "k",
        "court_id": "c",
        "a_number": "012345678",
        "nationality": "X",
        "language": "Spanish",
        "custody": "never_detained",
        "status": "active",
        "respondent_first_name": "Ana",
        "respondent_last_name": "Ruiz",
    }
    rows = build_docket(
        [
            row("a", time(9), 60, "j1", "r1"),
            row("b", time(9, 30), 30, "j1", "r2"),  # same judge, overlapping a
            row("c", time(10), 30, "j1", "r1"),  # back to back with a and b
            row("d", time(9, 15), 120, "j2", "r1"),  # same room as a and c
            row("x", time(9), 60, "j1", "r1", status="cancelled"),  # not scheduled: ignored
        ],
        [case],
        [],
        [],
        [{"id": "c", "timezone": "America/New_York"}],
    )
    found = {k: sorted(r.hearing_id for r in v) for k, v in double_bookings(rows).items()}
    assert found == {"a": ["b", "d"], "b": ["a"], "c": ["d"], "d": ["a", "c"]}


def test_the_bench_continuance_proposes_a_free_day_and_names_a_chosen_clash(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    view, made = _docket(qtbot, make_context, "judge1")
    _click_row(qtbot, view, made["A"].id)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(
        lambda: isinstance(getattr(view, "bench_dialog", None), BenchContinuanceDialog),
        timeout=5000,
    )
    dialog = view.bench_dialog
    # Four weeks on, the judge has E at A's 09:00: the next day is proposed instead.
    assert dialog.next_date.date().toPython() == FOUR_WEEKS_ON + timedelta(days=1)
    assert not dialog.clash_note.isVisible()
    dialog.next_date.setFocus()
    dialog.next_date.setCurrentSection(dialog.next_date.Section.DaySection)
    qtbot.keyClick(dialog.next_date, Qt.Key.Key_Down)  # back to Tuesday 14 March
    assert dialog.next_date.date().toPython() == FOUR_WEEKS_ON
    assert dialog.clash_note.isVisible()
    assert _row(view, made["E"].id).respondent in dialog.clash_note.text()
