"""The detained docket, the interpreter fields and the interpreter requests, driven with the
keyboard as a clerk would: type part of a language, a dialect, how the interpreter joins;
show only the detained; record a transfer; send out the day's interpreter requests."""

from __future__ import annotations

import csv
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from common.enums import Custody, HearingType, Medium
from common.wire import CustodyChange, Hearing
from desktop.docket import DocketRow, load_docket
from desktop.interpreters import pdf_text, requests_for_day
from desktop.ui.context import DesktopContext
from desktop.ui.custody_dialog import CustodyDialog
from desktop.ui.docket_model import COLUMNS, FACILITY_COLUMN
from desktop.ui.docket_view import DocketView
from desktop.ui.hearing_dialogs import ScheduleDialog
from desktop.ui.interpreter_requests_view import InterpreterRequestsDialog
from tests.desktop.docket_fixtures import ALT, CTRL, SHIFT, open_docket


@pytest.fixture
def clerk(make_context: Callable[[str], DesktopContext]) -> DesktopContext:
    return make_context("clerk1")


@pytest.fixture
def clerk_view(qtbot: QtBot, clerk: DesktopContext) -> DocketView:
    return open_docket(qtbot, clerk)


def _pick_by_typing(qtbot: QtBot, combo: QComboBox, typed: str) -> None:
    """Type into an editable combo and take the first completion with Down, Enter."""
    combo.setFocus()
    line = combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, typed)
    completer = combo.completer()
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=2000)
    window = combo.window()
    window.activateWindow()  # the popup closed: its window has the keyboard again
    qtbot.waitActive(window)


def _focus_chain(start: QWidget, length: int) -> list[QWidget]:
    """The widgets Tab visits after ``start``, in order."""
    chain, widget = [], start
    for _ in range(length):
        widget = widget.nextInFocusChain()
        chain.append(widget)
    return chain


def _schedule_dialog(qtbot: QtBot, ctx: DesktopContext) -> ScheduleDialog:
    data = load_docket(ctx.store, str(ctx.session.user.get("court_id")))
    case = next(c for c in ctx.store.all("case") if c["court_id"] == ctx.session.user["court_id"])
    hearing = Hearing(
        id=str(uuid.uuid4()),
        case_id=str(case["id"]),
        judge_id=str(case["judge_id"]),
        courtroom_id=data.courtrooms[0][0],
        hearing_type=HearingType.MASTER,
        medium=Medium.VIDEO,
        starts_at=datetime.combine(date(2027, 3, 3), time(7, 0), tzinfo=data.zone),
    )
    dialog = ScheduleDialog(ctx, hearing, data.rows, courtrooms=data.courtrooms)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.date_edit.setDate(QDate(2027, 3, 3))  # a free morning: no clash to acknowledge
    dialog.time_edit.setTime(QTime(7, 0))
    return dialog


def test_the_clerk_types_a_language_a_dialect_and_how_the_interpreter_joins(
    qtbot: QtBot, clerk: DesktopContext
) -> None:
    dialog = _schedule_dialog(qtbot, clerk)
    _pick_by_typing(qtbot, dialog.language_combo, "arab")  # part of the name
    assert dialog.language_combo.currentText() == "Arabic (ara)"
    assert dialog.dialect_combo.isEnabled()
    assert "Levantine" in [
        dialog.dialect_combo.itemText(i) for i in range(dialog.dialect_combo.count())
    ]
    # Tab goes on from the language to the dialect, then to how the interpreter joins.
    chain = _focus_chain(dialog.language_combo, 12)
    assert chain.index(dialog.dialect_combo) < chain.index(dialog.interpreter_medium_combo)
    line = dialog.dialect_combo.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "Levantine")
    qtbot.keyClicks(dialog.interpreter_medium_combo, "T")  # "Telephone"
    assert dialog.interpreter_medium_combo.currentData() == "telephone"
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(dialog.interpreter_medium_combo, Qt.Key.Key_Return)
    saved = clerk.store.get("hearing", dialog.hearing.id)
    assert saved is not None
    assert (
        saved["interpreter_language"],
        saved["interpreter_dialect"],
        saved["interpreter_medium"],
    ) == ("Arabic", "Levantine", "telephone")


def test_the_iso_code_finds_a_mayan_language(qtbot: QtBot, clerk: DesktopContext) -> None:
    dialog = _schedule_dialog(qtbot, clerk)
    _pick_by_typing(qtbot, dialog.language_combo, "quc")
    assert dialog.language_combo.chosen() == (True, "K'iche'")
    assert dialog.proposed().interpreter_language == "K'iche'"


def test_a_language_not_on_the_list_keeps_schedule_off_and_says_why(
    qtbot: QtBot, clerk: DesktopContext
) -> None:
    dialog = _schedule_dialog(qtbot, clerk)
    line = dialog.language_combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, "Klingon")
    assert not dialog.ok_button.isEnabled()
    assert "not on the court's language list" in dialog.interpreter.text()
    line.selectAll()
    qtbot.keyClicks(line, "No interpreter")
    assert dialog.ok_button.isEnabled()
    assert dialog.proposed().interpreter_language is None


def test_ctrl_alt_d_shows_only_the_detained_with_their_facility(
    qtbot: QtBot, clerk_view: DocketView
) -> None:
    clerk_view.week_action.trigger()
    weeks = Counter(r.day.isocalendar()[:2] for r in clerk_view.data.rows if r.detained)
    year, week = weeks.most_common(1)[0][0]
    clerk_view.go_to(date.fromisocalendar(year, week, 1))
    everyone = clerk_view.model.rows()
    assert any(not r.detained for r in everyone)
    # The docket's order: the detained first.
    flags = [r.detained for r in everyone]
    assert flags == sorted(flags, reverse=True)
    clerk_view.table.setFocus()
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_D, CTRL | ALT)
    shown = clerk_view.model.rows()
    assert shown and all(r.detained for r in shown)
    assert COLUMNS[FACILITY_COLUMN].title == "Facility"
    facilities = {clerk_view.model.index(n, FACILITY_COLUMN).data() for n in range(len(shown))}
    assert facilities and all(facilities)
    assert facilities <= {
        "Mesa Verde ICE Processing Center",
        "Golden State Annex",
    }  # the SFR clerk's court: the facilities near San Francisco
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_D, CTRL | ALT)
    assert len(clerk_view.model.rows()) == len(everyone)


def _held_at_mesa_verde(view: DocketView) -> DocketRow:
    return next(r for r in view.data.rows if r.facility == "Mesa Verde ICE Processing Center")


def test_the_clerk_records_a_transfer_with_the_keyboard_and_the_docket_shows_it(
    qtbot: QtBot, clerk_view: DocketView
) -> None:
    held = _held_at_mesa_verde(clerk_view)
    clerk_view.go_to(held.day)
    clerk_view.select_hearing(held.hearing_id)
    clerk_view.table.setFocus()
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_K, CTRL | SHIFT)
    qtbot.waitUntil(
        lambda: isinstance(getattr(clerk_view, "custody_dialog", None), CustodyDialog),
        timeout=5000,
    )
    dialog = clerk_view.custody_dialog
    qtbot.waitExposed(dialog)
    offered = [dialog.event_combo.itemText(i) for i in range(dialog.event_combo.count())]
    assert offered == ["Transferred", "Released"]  # already detained: no second detention
    assert not dialog.ok_button.isEnabled()  # no facility chosen yet
    _pick_by_typing(qtbot, dialog.facility_combo, "mcfarland")  # the town finds it
    assert dialog.ok_button.isEnabled(), dialog.error.text()
    pending = clerk_view.ctx.store.pending_count()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(dialog.facility_combo, Qt.Key.Key_Return)
    assert clerk_view.ctx.store.pending_count() == pending + 1
    qtbot.waitUntil(
        lambda: (
            next(r for r in clerk_view.data.rows if r.hearing_id == held.hearing_id).facility
            == "Golden State Annex"
        ),
        timeout=5000,
    )


def test_a_release_dated_before_the_detention_is_refused_in_the_dialog(
    qtbot: QtBot, clerk: DesktopContext
) -> None:
    """A release dated before the detention the history holds is refused with the reason
    before anything is saved."""
    rows = load_docket(clerk.store, str(clerk.session.user.get("court_id"))).rows
    held = next(r for r in rows if r.facility == "Mesa Verde ICE Processing Center")
    history = [
        CustodyChange.model_validate(c)
        for c in clerk.store.all("custody_change")
        if c["case_id"] == held.case_id
    ]
    dialog = CustodyDialog(clerk, held.case_id, Custody.DETAINED, history, date(2001, 1, 2))
    qtbot.addWidget(dialog)
    dialog.event_combo.setCurrentIndex(dialog.event_combo.findData("released"))
    assert not dialog.ok_button.isEnabled()
    assert "no earlier than the latest one" in dialog.error.text()


def test_the_days_interpreter_requests_open_from_the_docket_and_export(
    qtbot: QtBot, clerk_view: DocketView, tmp_path: Path
) -> None:
    days = Counter(
        r.day for r in clerk_view.data.rows if r.interpreter_language and r.status == "scheduled"
    )
    busiest = days.most_common(1)[0][0]
    clerk_view.go_to(busiest)
    clerk_view.table.setFocus()
    qtbot.keyClick(clerk_view.table, Qt.Key.Key_I, CTRL | SHIFT)
    dialog = clerk_view.interpreters_dialog
    assert isinstance(dialog, InterpreterRequestsDialog)
    qtbot.waitExposed(dialog)
    assert dialog.day == busiest
    expected = requests_for_day(clerk_view.data.rows, busiest)
    shown = dialog.table_texts()
    assert [row[4] for row in shown] == [r.a_number for r in expected]
    assert len(shown) == days[busiest]
    first = shown[0]
    assert first[0].endswith(("PST", "PDT"))  # the court's clock, with its zone

    csv_path = tmp_path / "requests.csv"
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.export_csv(csv_path)
    table = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert len(table) == len(expected) + 1
    assert {row[8] for row in table[1:]} == {r.a_number for r in expected}

    pdf_path = tmp_path / "requests.pdf"
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        dialog.export_pdf(pdf_path)
    text = pdf_text(pdf_path.read_bytes())
    assert all(r.a_number in text for r in expected)

    # Another day by keyboard in the date field: the list follows.
    dialog.date_edit.setFocus()
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Up)
    QApplication.processEvents()
    assert dialog.day != busiest
    assert len(dialog.table_texts()) == len(requests_for_day(clerk_view.data.rows, dialog.day))
