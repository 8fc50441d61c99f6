"""Family cases and counsel changes on the desktop (issue 13 items 4 and 6).

A family (a lead case and its riders) shows together on the docket, lead first, riders
marked under it; scheduling the lead offers the riders' hearings, saved with it as one
group; rescheduling the lead moves them. The judge grants leave to withdraw from the case
file with the keyboard; the clerk records a substitution; the history stays in the case
file's Representation tab.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.protocol import Change
from common.wire import Case, Hearing
from desktop.clerk_actions import link_rider, move_family, riders_at_the_same_time
from desktop.docket import DocketFilter, apply_filter, build_docket
from desktop.ui.case_file_view import CaseFileView
from desktop.ui.context import DesktopContext
from desktop.ui.docket_model import COLUMNS, filter_and_sort, format_family, format_respondent
from desktop.ui.docket_view import DocketView
from desktop.ui.hearing_dialogs import RescheduleDialog
from tests.conftest import user_id

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
COURT = "c0000000-0000-4000-8000-000000000001"
OTHER_COURT = "c0000000-0000-4000-8000-000000000002"


def _case(last: str, *, lead: str | None = None, court: str = COURT) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "a_number": f"2{uuid.uuid4().int % 10**8:08d}",
        "court_id": court,
        "case_type": "removal",
        "status": "pending",
        "custody": "never_detained",
        "respondent_first_name": "Ana",
        "respondent_last_name": last,
        "nationality": "Guatemala",
        "language": "Spanish",
        "opened_on": "2026-10-01",
        "lead_case_id": lead,
    }


def _hearing(case_id: str, at: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "case_id": case_id,
        "hearing_type": "master",
        "medium": "in_person",
        "starts_at": at,
        "duration_minutes": 30,
        "status": "scheduled",
    }


def test_the_docket_shows_a_family_together_lead_first_and_its_riders_marked() -> None:
    lead = _case("MORALES")
    riders = [_case("ZAVALA", lead=lead["id"]), _case("ALVARADO", lead=lead["id"])]
    stranger = _case("BAKER")
    court = {"id": COURT, "timezone": "America/Los_Angeles"}
    hearings = [_hearing(c["id"], "2026-12-01T17:00:00Z") for c in (lead, *riders, stranger)]
    rows = build_docket(hearings, [lead, *riders, stranger], [], [], [court])

    by_name = apply_filter(rows, DocketFilter(), sort="respondent")
    # Sorted by name, the family sits where its first member falls (ALVARADO, a rider),
    # lead first, then the riders by name; BAKER after the family, not inside it.
    assert [r.respondent.split(",")[0] for r in by_name] == [
        "MORALES",
        "ALVARADO",
        "ZAVALA",
        "BAKER",
    ]
    assert [r.family_role for r in by_name] == ["lead", "rider", "rider", ""]
    assert format_family(by_name[0]) == "Lead · 2 riders"
    assert format_family(by_name[1]) == "Rider of MORALES, Ana"
    assert format_respondent(by_name[1]) == "↳ ALVARADO, Ana"
    assert format_respondent(by_name[0]) == "MORALES, Ana" and format_family(by_name[3]) == ""
    assert COLUMNS[-1].title == "Family"

    # Each case keeps its own hearing: a rider heard at another time is not pulled in.
    later = _hearing(riders[0]["id"], "2026-12-08T17:00:00Z")
    rows = build_docket([*hearings, later], [lead, *riders, stranger], [], [], [court])
    by_time = apply_filter(rows, DocketFilter(), sort="time")
    assert [r.respondent.split(",")[0] for r in by_time][-1] == "ZAVALA"


def test_a_rider_cannot_lead_a_lead_cannot_ride_and_a_family_stays_at_one_court() -> None:
    lead, rider, other = _case("MORALES"), _case("ZAVALA"), _case("BAKER")
    cases = [lead, rider, other]
    linked = link_rider(Case.model_validate(rider), lead["id"], cases)
    assert linked.lead_case_id == lead["id"]
    cases = [lead, linked.model_dump(mode="json"), other]

    with pytest.raises(ValueError, match="itself a rider"):
        link_rider(Case.model_validate(other), rider["id"], cases)
    with pytest.raises(ValueError, match="itself a rider"):  # no cycle: lead -> its rider
        link_rider(Case.model_validate(lead), rider["id"], cases)
    with pytest.raises(ValueError, match="leads riders"):  # one level: a lead rides no one
        link_rider(Case.model_validate(lead), other["id"], cases)
    with pytest.raises(ValueError, match="its own lead"):
        link_rider(Case.model_validate(other), other["id"], cases)
    elsewhere = _case("NAVARRO", court=OTHER_COURT)
    with pytest.raises(ValueError, match="same court"):
        link_rider(Case.model_validate(elsewhere), lead["id"], [*cases, elsewhere])
    assert link_rider(linked, None, cases).lead_case_id is None  # unlinking is always allowed


def test_rescheduling_the_lead_moves_the_riders_heard_with_it() -> None:
    lead, rider = _case("MORALES"), _case("ZAVALA")
    held = Hearing.model_validate(_hearing(lead["id"], "2026-12-01T17:00:00Z"))
    with_it = _hearing(rider["id"], "2026-12-01T17:00:00Z")
    another_day = _hearing(rider["id"], "2026-12-15T17:00:00Z")
    riders = riders_at_the_same_time(held, [rider["id"]], [with_it, another_day])
    assert [h.id for h in riders] == [with_it["id"]]
    moved_lead = held.model_copy(update={"starts_at": "2026-12-03T18:00:00Z"})
    moved = move_family(moved_lead, riders)
    assert [h.id for h in moved] == [held.id, with_it["id"]]
    assert {h.starts_at for h in moved} == {moved_lead.starts_at}


# --- with Qt, over a clerk's and a judge's local copy of the demo server ------------------


def _arrives(ctx: DesktopContext, entity: str, data: dict[str, Any], version: int) -> None:
    change = Change(entity=entity, id=data["id"], version=version, deleted=False, data=data)
    ctx.store.apply_page([change], str(ctx.store.get_state("cursor")))


def _open(qtbot: QtBot, ctx: DesktopContext, case_id: str, today: date) -> CaseFileView:
    view = CaseFileView(ctx, case_id, today=today)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    view.activateWindow()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=5000)
    return view


def _family_at_clerks_court(ctx: DesktopContext) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Three cases of the clerk's court, the last two made riders of the first (as the
    server sent them)."""
    court = ctx.store.get("user_profile", ctx.user_id)
    assert court is not None
    cases = [
        c
        for c in ctx.store.all("case")
        if c["court_id"] == court["court_id"]
        and c["case_type"] == "removal"
        and not c.get("lead_case_id")
    ]
    lead, *riders = sorted(cases, key=lambda c: str(c["id"]))[:3]
    for number, rider in enumerate(riders):
        clean = {k: v for k, v in rider.items() if k != "deleted"}
        _arrives(ctx, "case", clean | {"lead_case_id": lead["id"]}, 10**9 + number)
    return lead, riders


def test_scheduling_the_lead_saves_its_riders_hearings_in_one_group_and_the_docket_groups_them(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    lead, riders = _family_at_clerks_court(ctx)
    view = _open(qtbot, ctx, str(lead["id"]), date(2026, 12, 2))
    assert view.summary_value("Family").count("Rider:") == 2
    rider_view = _open(qtbot, ctx, str(riders[0]["id"]), date(2026, 12, 2))
    assert rider_view.summary_value("Family").startswith("Lead case:")

    before = {e.seq for e in ctx.store.pending()}
    view.schedule_button.click()
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible(), timeout=5000)
    dialog = view.dialog
    assert dialog is not None
    assert dialog.with_riders.isVisible() and dialog.with_riders.isChecked()
    if not dialog.clash_panel.acknowledged:  # the demo's calendar may be busy then
        dialog.clash_panel.anyway.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.ok_button.click()

    new = [e for e in ctx.store.pending() if e.seq not in before]
    assert [e.entity for e in new] == ["hearing", "hearing", "hearing"]
    assert len({e.group_id for e in new}) == 1 and new[0].group_id is not None
    assert [e.data["case_id"] for e in new if e.data] == [
        lead["id"],
        *sorted((r["id"] for r in riders), key=lambda i: _last_first(ctx, i)),
    ]
    assert len({e.data["starts_at"] for e in new if e.data}) == 1

    docket = DocketView(ctx)
    qtbot.addWidget(docket)
    docket.resize(1400, 800)
    docket.show()
    qtbot.waitUntil(lambda: any(r.case_id == lead["id"] for r in docket.data.rows), timeout=5000)
    day = docket.data.rows[0].starts_at.tzinfo  # the court's zone, as the rows carry it
    assert day is not None
    scheduled = next(r for r in docket.data.rows if r.hearing_id == new[0].record_id).day
    docket.model.set_rows(
        filter_and_sort(
            docket.data.rows, DocketFilter(first_day=scheduled, last_day=scheduled), "time"
        )
    )
    shown = docket.model.rows()
    at = next(
        i
        for i, r in enumerate(shown)
        if r.case_id == lead["id"] and r.hearing_id == new[0].record_id
    )
    family = shown[at : at + 3]
    assert [r.family_role for r in family] == ["lead", "rider", "rider"]
    assert {r.case_id for r in family[1:]} == {r["id"] for r in riders}
    family_column = len(COLUMNS) - 1
    assert docket.model.data(docket.model.index(at, family_column)) == "Lead · 2 riders"

    # Rescheduling the lead from the docket moves the riders' hearings in one group.
    docket.table.selectRow(at)
    before = {e.seq for e in ctx.store.pending()}
    docket.reschedule_selected()
    moving = docket.dialog
    assert isinstance(moving, RescheduleDialog) and len(moving.riders) == 2
    records = moving.records()
    assert records is not None and len(records) == 3


def _last_first(ctx: DesktopContext, case_id: str) -> tuple[str, str]:
    case = ctx.store.get("case", case_id)
    assert case is not None
    return str(case["respondent_last_name"]), str(case["respondent_first_name"])


def _represented_case_of(ctx: DesktopContext, judge: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case of ``judge`` with attorney1's accepted appearance (as a pull brings it)."""
    case = min(
        (c for c in ctx.store.all("case") if c.get("judge_id") == user_id(judge)),
        key=lambda c: str(c["id"]),
    )
    for other in ctx.store.all("representation"):  # only this appearance is of record
        if other["case_id"] == case["id"] and other["status"] == "accepted":
            clean = {k: v for k, v in other.items() if k != "deleted"}
            _arrives(ctx, "representation", clean | {"status": "rejected"}, 10**9 + 20)
    appearance = {
        "id": str(uuid.uuid4()),
        "case_id": case["id"],
        "practitioner_id": user_id("attorney1"),
        "form": "eoir_28",
        "scope": "all_proceedings",
        "primary": True,
        "status": "accepted",
        "accepted_on": "2026-11-02",
    }
    _arrives(ctx, "representation", appearance, 10**9 + 21)
    return case, appearance


def test_the_judge_grants_leave_to_withdraw_from_the_case_file_with_the_keyboard(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("judge1")
    case, appearance = _represented_case_of(ctx, "judge1")
    view = _open(qtbot, ctx, str(case["id"]), date(2026, 12, 2))
    assert view.summary_value("Counsel of record") != ""
    view.tables["hearings"].setFocus()
    qtbot.keyClick(view.tables["hearings"], Qt.Key.Key_W, CTRL_SHIFT)
    qtbot.waitUntil(view.counsel.withdraw_bar.isVisible, timeout=3000)
    assert view.counsel.withdraw_bar.ok.text() == "Grant, Wed 2 Dec 2026"
    qtbot.keyClick(view.counsel.withdraw_bar.ok, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            (ctx.store.get("representation", appearance["id"]) or {}).get("status") == "withdrawn"
        ),
        timeout=5000,
    )
    saved = ctx.store.get("representation", appearance["id"])
    assert saved is not None
    assert (saved["ended_on"], saved["leave_by"]) == ("2026-12-02", ctx.user_id)
    qtbot.waitUntil(lambda: not view.case_file or not view.case_file.counsel_of_record)
    assert view.summary_value("Counsel of record").startswith("None")
    [ended] = [r for r in view.representation.rows if r.representation_id == appearance["id"]]
    assert ended.history == "Withdrawn Wed 2 Dec 2026, leave of Immigration Judge Alvarez"


def test_the_clerk_records_a_substitution_in_one_group_and_the_history_names_the_successor(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    case, appearance = _represented_case_of(ctx, "judge1")
    incoming = {
        "id": str(uuid.uuid4()),
        "case_id": case["id"],
        "practitioner_id": user_id("attorney2"),
        "form": "eoir_28",
        "scope": appearance["scope"],
        "primary": True,
        "status": "pending",
    }
    _arrives(ctx, "representation", incoming, 10**9 + 7)
    view = _open(qtbot, ctx, str(case["id"]), date(2026, 12, 2))
    view.tables["hearings"].setFocus()
    qtbot.keyClick(view.tables["hearings"], Qt.Key.Key_U, CTRL_SHIFT)
    qtbot.waitUntil(view.counsel.substitute_bar.isVisible, timeout=3000)
    before = {e.seq for e in ctx.store.pending()}
    qtbot.keyClick(view.counsel.substitute_bar, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(ctx.store.pending()) > len(before), timeout=5000)
    new = [e for e in ctx.store.pending() if e.seq not in before]
    assert [(e.record_id, (e.data or {}).get("status")) for e in new] == [
        (incoming["id"], "accepted"),
        (appearance["id"], "substituted"),
    ]
    assert len({e.group_id for e in new}) == 1
    qtbot.waitUntil(
        lambda: any(r.status == "substituted" for r in view.representation.rows), timeout=5000
    )
    [ended] = [r for r in view.representation.rows if r.status == "substituted"]
    assert ended.history.startswith("Substituted by ")
    assert "leave of Immigration Judge Alvarez" in ended.history
