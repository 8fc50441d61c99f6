# mypy: disable-error-code="no-untyped-call"
"""Find any case from anywhere (Ctrl+K or the toolbar's field): every case this computer
holds, found by A-number in any spelling, accent-blind name or hearing date, whatever the
docket's filters show; Enter opens the case as the docket does and Esc closes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.court_time import iso_date, local_date
from common.folding import fold
from desktop.case_file import court_zone
from desktop.case_search import CaseEntry, search
from desktop.ui.case_search_view import CaseSearchDialog
from desktop.ui.context import DesktopContext
from desktop.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _window(qtbot: QtBot, ctx: DesktopContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.refresh_all()
    return window


def _guaman_outside_the_docket(window: MainWindow) -> dict[str, object]:
    """A case of a GUAMÁN the docket's current filters do not show."""
    on_docket = {row.case_id for row in window.docket.model.rows()}
    found = [
        c
        for c in window.ctx.store.all("case")
        if fold(str(c["respondent_last_name"])) == "guaman" and c["id"] not in on_docket
    ]
    assert found, "the demo holds a Guamán outside today's docket"
    return found[0]


def _popup(qtbot: QtBot, window: MainWindow) -> CaseSearchDialog:
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    dialog = window.case_search
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.entries is not None, timeout=5000)
    return dialog


def _found(dialog: CaseSearchDialog) -> list[str]:
    return [entry.case_id for entry in dialog.shown]


def test_ctrl_k_finds_guaman_outside_the_dockets_filters_and_enter_opens_it(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    window = _window(qtbot, make_context("clerk1"))
    qtbot.waitUntil(lambda: len(window.docket.data.rows) > 0, timeout=5000)
    case = _guaman_outside_the_docket(window)
    # The docket's own search stays within its period and filters, and says where to look.
    window.docket.search_edit.setText(str(case["a_number"]))
    assert window.docket.model.rowCount() == 0
    assert "Ctrl+K finds any case" in window.docket.count_label.text()
    dialog = _popup(qtbot, window)
    qtbot.keyClicks(dialog.search_edit, "guaman")
    assert case["id"] in _found(dialog)
    assert all(fold(e.respondent).startswith("guaman") for e in dialog.shown)
    dialog.table.selectRow(_found(dialog).index(str(case["id"])))
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.tabs.currentWidget() is window._case_tabs[str(case["id"])]


def test_an_a_number_with_dashes_or_spaces_finds_exactly_that_case(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    window = _window(qtbot, make_context("clerk1"))
    qtbot.waitUntil(lambda: len(window.docket.data.rows) > 0, timeout=5000)
    case = _guaman_outside_the_docket(window)
    digits = str(case["a_number"])
    dialog = _popup(qtbot, window)
    for spelled in (
        f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}",
        f"{digits[:3]} {digits[3:6]} {digits[6:]}",
        f"a{digits}",
    ):
        dialog.search_edit.clear()
        qtbot.keyClicks(dialog.search_edit, spelled)
        assert _found(dialog) == [case["id"]], spelled
        shown = dialog.table.item(0, 0)
        assert shown is not None
        assert shown.text() == f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert str(case["id"]) not in window._case_tabs  # Esc opens nothing


def test_a_hearing_date_finds_the_case_heard_that_day_at_its_court(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    window = _window(qtbot, make_context("clerk1"))
    qtbot.waitUntil(lambda: len(window.docket.data.rows) > 0, timeout=5000)
    case = _guaman_outside_the_docket(window)
    store = window.ctx.store
    hearing = next(
        h for h in store.all("hearing") if h["case_id"] == case["id"] and h["status"] != "cancelled"
    )
    court = store.get("court", str(case["court_id"]))
    day = local_date(datetime.fromisoformat(str(hearing["starts_at"])), court_zone(court))
    # The toolbar's field: Enter there opens the popup with what was typed.
    window.find_edit.setFocus()
    qtbot.keyClicks(window.find_edit, iso_date(day))
    qtbot.keyClick(window.find_edit, Qt.Key.Key_Return)
    dialog = window.case_search
    assert dialog is not None and dialog.search_edit.text() == iso_date(day)
    qtbot.waitUntil(lambda: str(case["id"]) in _found(dialog), timeout=5000)
    assert all(day in e.hearing_days for e in dialog.shown)
    dialog.search_edit.setText(f"{day.month}/{day.day}/{day.year}")  # as a US clerk writes it
    assert str(case["id"]) in _found(dialog)


def _entry(a_number: str, last: str) -> CaseEntry:
    return CaseEntry(
        case_id=f"case-{a_number}",
        a_number=a_number,
        respondent=f"{last.upper()}, Ana",
        court="San Francisco Immigration Court",
        next_hearing=None,
        hearing_days=frozenset({date(2026, 12, 8)}),
        folded=fold(f"Ana {last} {last} Ana"),
    )


def test_an_a_number_typed_without_its_leading_zero_is_found() -> None:
    entries = [_entry("012345678", "Guamán"), _entry("123456780", "Núñez")]
    for spelled in ("12345678", "12-345-678", "A 12345678"):
        assert [e.a_number for e in search(entries, spelled)] == ["012345678"], spelled
    assert search(entries, "nunez ana")[0].a_number == "123456780"
    assert search(entries, "   ") == []
