"""One date format on screen (issue 18 item 7): every date field of the client shows its date
as common.court_time's table_date does (``Tue 8 Dec 2026``), with English names whatever the
computer's language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDateEdit

from common.court_time import table_date
from desktop.board_workspace import _briefing
from desktop.ui.date_field import house_style


def test_a_date_field_reads_like_every_date_on_screen(qapp: object) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Spanish, QLocale.Country.Spain))
    try:
        for day in (date(2026, 12, 8), date(2027, 1, 1), date(2026, 3, 8)):
            edit = house_style(QDateEdit(QDate(day.year, day.month, day.day)))
            assert edit.text() == table_date(day)  # "Tue 8 Dec 2026", not "mar 8 dic 2026"
            assert edit.calendarPopup()
    finally:
        QLocale.setDefault(before)


def test_every_date_field_in_the_client_is_house_styled() -> None:
    root = Path(__file__).parents[2] / "desktop"
    loose = []
    for path in root.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bQDateEdit\(", line) and "house_style(" not in line:
                loose.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    assert not loose, "\n".join(loose)


def test_briefing_due_dates_read_as_dates_on_screen() -> None:
    said = _briefing({"appellant_brief_due": "2026-12-29", "appellee_brief_due": "2027-01-19"})
    assert said == "Briefs due: appellant Tue 29 Dec 2026, appellee Tue 19 Jan 2027"
