"""The respondent's address of record in the desktop case file (8 CFR 1003.15(d)(2): the
court mails the respondent at the address last reported to it)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from common.wire import Case
from desktop.ui.case_file_view import NO_ADDRESS, CaseFileView
from tests.conftest import SEED_DAY


def _open(qtbot: QtBot, ctx: Any, case_id: str) -> CaseFileView:
    view = CaseFileView(ctx, case_id, today=SEED_DAY)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=5000)
    return view


def test_the_case_file_shows_the_address_of_record_and_the_history(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    moves = [a for a in ctx.store.all("address") if a["kind"] == "eoir_33"]
    assert moves, "the demo data have respondents who moved"
    moved = moves[0]
    view = _open(qtbot, ctx, moved["case_id"])

    shown = view.summary_value("Address of record")
    assert moved["street"] in shown and moved["city"] in shown
    tab = view.tabs.indexOf(view.tables["addresses"])
    assert view.tabs.tabText(tab) == "Addresses (2)"
    latest, first = view.addresses.rows
    assert latest.current and latest.kind == "eoir_33" and moved["street"] in latest.one_line
    assert not first.current and first.kind == "nta"


def test_a_detained_respondent_is_mailed_in_care_of_the_custodial_officer(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    facility = next(a for a in ctx.store.all("address") if a["kind"] == "custodial")
    view = _open(qtbot, ctx, facility["case_id"])
    assert view.summary_value("Address of record").startswith("in care of the custodial officer, ")


def test_a_case_without_an_address_says_the_respondent_must_report_one(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    # A case opened on a paper NTA that gave no address, saved on this computer.
    template = next(c for c in ctx.store.all("case") if c["custody"] == "never_detained")
    case = Case.model_validate(template | {"id": str(uuid.uuid4()), "a_number": "299999999"})
    ctx.store.save(case)
    view = _open(qtbot, ctx, case.id)
    assert view.summary_value("Address of record") == NO_ADDRESS
    assert "EOIR-33" in NO_ADDRESS and not view.addresses.rows


def test_a_clerk_records_the_facility_where_the_respondent_is_now_held(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    case_id = next(a["case_id"] for a in ctx.store.all("address") if a["kind"] == "custodial")
    view = _open(qtbot, ctx, case_id)
    assert view.address_button.isVisible()
    view.record_address()
    dialog = view.address_dialog
    assert dialog is not None
    assert dialog.kind.currentData() == "custodial"  # the respondent is detained
    for key, text in {
        "street": "1 Harbor Way",
        "city": "Long Beach",
        "state": "ca",
        "zip": "90802",
    }.items():
        dialog.fields[key].setText(text)
    dialog.save()
    assert dialog.errors["facility"].text().startswith("Name the detention facility")
    dialog.fields["facility"].setText("Harbor Processing Center")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save()

    [entry] = [e.data for e in ctx.store.pending() if e.entity == "address"]
    assert entry is not None and entry["in_care_of"] == (
        "the custodial officer, Harbor Processing Center"
    )
    shown = view.summary_value("Address of record")
    assert shown.startswith("in care of the custodial officer, Harbor Processing Center")
    assert "Long Beach, CA 90802" in shown


def test_the_address_button_is_the_clerks(qtbot: QtBot, make_context: Callable[..., Any]) -> None:
    ctx = make_context("judge1")
    case_id = next(a["case_id"] for a in ctx.store.all("address"))
    view = _open(qtbot, ctx, case_id)
    assert not view.address_button.isVisible()
