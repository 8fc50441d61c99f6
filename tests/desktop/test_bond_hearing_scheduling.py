"""A clerk schedules a bond hearing from a removal case's file: the hearing is held in the
bond case (8 CFR 1003.19(d): bond proceedings are separate, with their own record), the
linked one when there is one, else a bond case opened and linked in the same group. The
server refuses a new bond hearing in a removal case, so this is what reaches it.

Demo cases: 12 is a detained respondent's removal case with a linked bond case (and its
bond hearing); 7 is a detained respondent's removal case at the same court with none.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, QTime
from pytestqt.qtbot import QtBot

from common.enums import HearingType
from desktop.clerk_actions import bond_case_for
from desktop.ui.case_file_view import CaseFileView
from desktop.ui.context import DesktopContext
from desktop.ui.hearing_dialogs import ScheduleDialog
from sync_server.demo.plan import demo_id
from tests.conftest import SEED_DAY

WITH_BOND_CASE = demo_id("case", 12)
WITHOUT_BOND_CASE = demo_id("case", 7)


def _schedule_bond_hearing(qtbot: QtBot, ctx: DesktopContext, case_id: str) -> ScheduleDialog:
    """Open the removal case's file, Schedule hearing, choose Bond on a free morning, OK."""
    view = CaseFileView(ctx, case_id, today=SEED_DAY)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=5000)
    qtbot.mouseClick(view.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(view.dialog, ScheduleDialog), timeout=5000)
    dialog = view.dialog
    assert isinstance(dialog, ScheduleDialog)
    assert dialog.bond_note.isHidden()  # a master hearing stays in the removal case
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(HearingType.BOND.value))
    assert dialog.bond_note.isVisible() and "1003.19(d)" in dialog.bond_note.text()
    dialog.date_edit.setDate(QDate(2027, 3, 4))
    dialog.time_edit.setTime(QTime(7, 30))
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    return dialog


def test_a_bond_hearing_scheduled_from_the_removal_case_goes_to_its_linked_bond_case(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    ctx = make_context("clerk1")
    linked = bond_case_for(ctx.store, WITH_BOND_CASE)
    assert linked is not None
    cases_before = ctx.store.count("case")
    dialog = _schedule_bond_hearing(qtbot, ctx, WITH_BOND_CASE)
    saved = ctx.store.get("hearing", dialog.hearing.id)
    assert saved is not None
    assert (saved["case_id"], saved["hearing_type"]) == (linked["id"], "bond")
    assert ctx.store.count("case") == cases_before  # no second bond case
    assert [e.entity for e in ctx.store.pending()] == ["hearing"]


def test_a_bond_hearing_without_a_bond_case_opens_one_linked_in_the_same_group(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    ctx = make_context("clerk1")
    removal = ctx.store.get("case", WITHOUT_BOND_CASE)
    assert removal is not None and bond_case_for(ctx.store, WITHOUT_BOND_CASE) is None
    dialog = _schedule_bond_hearing(qtbot, ctx, WITHOUT_BOND_CASE)

    bond_case = bond_case_for(ctx.store, WITHOUT_BOND_CASE)
    assert bond_case is not None
    # The respondent's own bond proceedings: same person, court and custody, linked, opened
    # on the court's day, pending; no charges (those are the removal case's).
    for key in ("a_number", "court_id", "custody", "respondent_last_name", "language"):
        assert bond_case[key] == removal[key], key
    assert (bond_case["case_type"], bond_case["status"], bond_case["charges"]) == (
        "bond",
        "pending",
        [],
    )
    assert date.fromisoformat(str(bond_case["opened_on"])) >= SEED_DAY
    hearing = ctx.store.get("hearing", dialog.hearing.id)
    assert hearing is not None and hearing["case_id"] == bond_case["id"]
    queued = ctx.store.pending()
    assert [(e.entity, e.record_id) for e in queued] == [
        ("case", bond_case["id"]),
        ("hearing", dialog.hearing.id),
    ]
    assert queued[0].group_id is not None and queued[0].group_id == queued[1].group_id
