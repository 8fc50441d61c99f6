"""The judge records the pleadings and the decision from the docket with the keyboard only:
Ctrl+Shift+D, type the allegations and pick the pleas, the country and the relief by
typing, Tab through the decision, Enter saves both as one group in the outbox. What the
rules refuse (common.decisions, as the server does) is said before anything is saved."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from common.court_time import table_date
from common.deadlines import appeal_deadline
from common.enums import CaseStatus, Party, Plea
from common.wire import AllegationPlea, Pleading
from desktop.ui.context import DesktopContext
from desktop.ui.decision_dialog import PleadingsDecisionDialog, load_bench_record
from desktop.ui.docket_view import DocketView
from tests.desktop.docket_fixtures import CTRL, SHIFT, open_docket


@pytest.fixture
def judge(make_context: Callable[[str], DesktopContext]) -> DesktopContext:
    return make_context("judge1")


@pytest.fixture
def judge_view(qtbot: QtBot, judge: DesktopContext) -> DocketView:
    return open_docket(qtbot, judge)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _tab(qtbot: QtBot, times: int = 1) -> QWidget:
    for _ in range(times):
        qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    return _focused()


def _undecided_case_of(view: DocketView) -> tuple[str, str, date]:
    store = view.ctx.store
    for row in view.data.rows:
        case = store.get("case", row.case_id) or {}
        if (
            row.judge_id == view.ctx.user_id
            and case.get("status") == "pending"
            and case.get("charges")
            and not any(d["case_id"] == row.case_id for d in store.all("decision"))
        ):
            return row.hearing_id, row.case_id, row.day
    raise AssertionError("no pending case of judge1 with charges in the demo")


def test_the_judge_records_pleadings_and_a_decision_from_the_docket_with_the_keyboard(
    qtbot: QtBot, judge_view: DocketView
) -> None:
    hearing_id, case_id, day = _undecided_case_of(judge_view)
    judge_view.go_to(day)
    assert judge_view.select_hearing(hearing_id)
    judge_view.table.setFocus()
    qtbot.keyClick(judge_view.table, Qt.Key.Key_D, CTRL | SHIFT)
    qtbot.waitUntil(
        lambda: isinstance(getattr(judge_view, "decision_dialog", None), PleadingsDecisionDialog),
        timeout=5000,
    )
    dialog = judge_view.decision_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    # Allegation 1 has the keyboard: type it, Tab to its plea (admitted), Tab to "Add".
    assert _focused() is dialog.allegation_rows[0].text
    qtbot.keyClicks(_focused(), "You are not a citizen or national of the United States")
    assert _tab(qtbot) is dialog.allegation_rows[0].plea
    assert _tab(qtbot) is dialog.add_allegation_button
    qtbot.keyClick(_focused(), Qt.Key.Key_Space)  # a second allegation, focused
    assert _focused() is dialog.allegation_rows[1].text
    qtbot.keyClicks(_focused(), "You entered at or near Hidalgo, Texas")
    qtbot.keyClicks(_tab(qtbot), "d")  # denied
    assert _tab(qtbot) is dialog.add_allegation_button
    for row in dialog.charge_rows:  # each charge: denied is offered; admit the first
        assert _tab(qtbot) is row.plea
    qtbot.keyClicks(dialog.charge_rows[0].plea, "a") if len(dialog.charge_rows) == 1 else None
    assert _tab(qtbot) is dialog.country_edit
    qtbot.keyClicks(_focused(), "Guatemala")
    assert _tab(qtbot) is dialog.declined_check
    assert _tab(qtbot) is dialog.sought_list
    for typed in ("Asylum", "Withholding"):  # type-ahead, then Space ticks
        qtbot.keyClicks(dialog.sought_list, typed)
        qtbot.keyClick(dialog.sought_list, Qt.Key.Key_Space)
        qtbot.wait(600)  # the view's type-ahead starts afresh after its interval
    # The decision: removal ordered, withholding granted, DHS waives, respondent reserves.
    combo = _tab(qtbot, 2)  # past the decision box's own check box
    assert combo is dialog.completion_combo
    qtbot.keyClicks(combo, "Rem")
    assert dialog.completion_combo.currentData() == "removal_ordered"
    assert _tab(qtbot) is dialog.form_combo  # oral
    _tab(qtbot)  # the date: today, the court's
    assert _tab(qtbot) is dialog.granted_list
    qtbot.keyClicks(dialog.granted_list, "Withholding")
    qtbot.keyClick(dialog.granted_list, Qt.Key.Key_Space)
    assert _tab(qtbot) is dialog.removal_edit
    assert dialog.removal_edit.text() == "Guatemala"  # the country designated
    qtbot.keyClicks(_tab(qtbot), "p")  # present
    qtbot.keyClicks(_tab(qtbot), "r")  # respondent: reserved
    qtbot.keyClicks(_tab(qtbot), "w")  # DHS: waived
    assert dialog.ok_button.isEnabled(), dialog.error.text()
    assert "becomes decided" in dialog.outlook.text()
    assert "1241.1(c)" in dialog.outlook.text()  # reserved: final when the 30 days run out

    store = judge_view.ctx.store
    pending = store.pending_count()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(_focused(), Qt.Key.Key_Return)
    entries = [e for e in store.pending(10_000) if e.entity in ("pleading", "decision")]
    assert store.pending_count() == pending + 2
    assert {e.entity for e in entries} == {"pleading", "decision"}
    assert len({e.group_id for e in entries}) == 1 and entries[0].group_id  # one group
    (pleading,) = [p for p in store.all("pleading") if p["case_id"] == case_id]
    assert [(a["number"], a["plea"]) for a in pleading["allegations"]] == [
        (1, "admitted"),
        (2, "denied"),
    ]
    assert pleading["relief_sought"] == ["asylum", "withholding"]
    (decision,) = [d for d in store.all("decision") if d["case_id"] == case_id]
    assert decision["completion"] == "removal_ordered"
    assert decision["relief_granted"] == ["withholding"]
    assert decision["removal_country"] == "Guatemala"
    assert decision["appeal_reserved_by"] == ["respondent"]
    assert decision["appeal_waived_by"] == ["dhs"]
    assert decision["respondent_present"] is True
    # Until the server answers, the local copy counts the case as decided.
    assert load_bench_record(store, case_id).status is CaseStatus.DECIDED


def test_decisions_the_rules_refuse_are_refused_in_the_dialog_before_saving(
    qtbot: QtBot, judge_view: DocketView
) -> None:
    hearing_id, case_id, _ = _undecided_case_of(judge_view)
    ctx = judge_view.ctx
    data = load_bench_record(ctx.store, case_id)
    dialog = PleadingsDecisionDialog(ctx, data, date(2026, 12, 8), hearing_id=hearing_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pleading_box.setChecked(False)
    # In absentia with the respondent present.
    dialog.completion_combo.setCurrentIndex(dialog.completion_combo.findData("in_absentia"))
    dialog.removal_edit.setText("Guatemala")
    dialog.presence_combo.setCurrentIndex(0)  # present
    assert not dialog.ok_button.isEnabled()
    assert "did not appear" in dialog.error.text()
    # Relief granted that was never sought (no pleading records it).
    dialog.completion_combo.setCurrentIndex(dialog.completion_combo.findData("relief_granted"))
    for i in range(dialog.granted_list.count()):
        item = dialog.granted_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == "adjustment":
            item.setCheckState(Qt.CheckState.Checked)
    assert "never sought" in dialog.error.text()
    # Removal ordered to no country.
    dialog.granted_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    for i in range(dialog.granted_list.count()):
        dialog.granted_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.completion_combo.setCurrentIndex(dialog.completion_combo.findData("removal_ordered"))
    dialog.removal_edit.setText("")
    assert "name the country" in dialog.error.text()
    # A second decision once one is saved (still in the outbox): reopen first.
    dialog.removal_edit.setText("Guatemala")
    assert dialog.ok_button.isEnabled(), dialog.error.text()
    pending = ctx.store.pending_count()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.ok_button.click()
    assert ctx.store.pending_count() == pending + 1
    again = PleadingsDecisionDialog(ctx, load_bench_record(ctx.store, case_id), date(2026, 12, 8))
    qtbot.addWidget(again)
    again.pleading_box.setChecked(False)
    again.completion_combo.setCurrentIndex(again.completion_combo.findData("terminated"))
    assert not again.ok_button.isEnabled()
    assert "already decided" in again.error.text()


def test_a_written_decision_served_at_once_is_saved_with_its_service_date(
    qtbot: QtBot, judge_view: DocketView
) -> None:
    hearing_id, case_id, _ = _undecided_case_of(judge_view)
    ctx = judge_view.ctx
    data = load_bench_record(ctx.store, case_id)
    dialog = PleadingsDecisionDialog(ctx, data, date(2026, 12, 8), hearing_id=hearing_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pleading_box.setChecked(False)
    dialog.completion_combo.setCurrentIndex(dialog.completion_combo.findData("removal_ordered"))
    dialog.removal_edit.setText("Guatemala")
    dialog.appeal_combos[Party.RESPONDENT].setCurrentIndex(1)  # reserved
    # An oral decision is stated to the parties: it has no service to record.
    assert not dialog.served_check.isEnabled()
    dialog.form_combo.setCurrentIndex(dialog.form_combo.findData("written"))
    assert dialog.served_check.isEnabled() and not dialog.served_edit.isEnabled()
    assert "runs from its service" in dialog.outlook.text()  # not served yet
    dialog.served_check.setChecked(True)
    dialog.served_edit.setDate(QDate(2026, 12, 7))  # before the decision: refused
    assert not dialog.ok_button.isEnabled()
    assert "served before it was made" in dialog.error.text()
    dialog.served_edit.setDate(QDate(2026, 12, 10))
    assert dialog.ok_button.isEnabled(), dialog.error.text()
    due = appeal_deadline(date(2026, 12, 8), oral=False, served_on=date(2026, 12, 10)).due
    assert table_date(due) in dialog.outlook.text()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.ok_button.click()
    (saved,) = [d for d in ctx.store.all("decision") if d["case_id"] == case_id]
    assert saved["form"] == "written" and saved["served_on"] == "2026-12-10"


def test_an_earlier_pleading_with_several_allegations_opens_with_its_rows(
    qtbot: QtBot, judge_view: DocketView
) -> None:
    """A later master hearing opens the dialog on the pleading taken before: every earlier
    allegation is a row (the dialog used to fail on the second one, before its "Add
    allegation" button existed), and more can be added."""
    _, case_id, day = _undecided_case_of(judge_view)
    ctx = judge_view.ctx
    earlier = Pleading(
        id=str(uuid.uuid4()),
        case_id=case_id,
        judge_id=ctx.user_id,
        pleaded_on=day,
        allegations=[
            AllegationPlea(number=1, text="You are not a US citizen", plea=Plea.ADMITTED),
            AllegationPlea(number=2, text="You are a native of Guatemala", plea=Plea.ADMITTED),
            AllegationPlea(number=3, text="You entered near Hidalgo, Texas", plea=Plea.DENIED),
        ],
        recorded_at=datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
    )
    ctx.store.save(earlier)
    dialog = PleadingsDecisionDialog(ctx, load_bench_record(ctx.store, case_id), day)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert [row.text.text() for row in dialog.allegation_rows] == [
        a.text for a in earlier.allegations
    ]
    assert [row.plea.currentData() for row in dialog.allegation_rows] == [
        "admitted",
        "admitted",
        "denied",
    ]
    # Taken once: the box starts unticked; ticked to amend, a fourth allegation follows.
    assert not dialog.pleading_box.isChecked()
    dialog.pleading_box.setChecked(True)
    qtbot.mouseClick(dialog.add_allegation_button, Qt.MouseButton.LeftButton)
    assert len(dialog.allegation_rows) == 4
    assert dialog.allegation_rows[3].text.accessibleName() == "Allegation 4"
