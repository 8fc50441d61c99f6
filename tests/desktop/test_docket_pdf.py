"""The docket PDF (issue 18, client item 6): its heading names the filters the docket shows,
every page is numbered "Page n of N", and every cell's text fits its column, measured in the
PDF itself with PyMuPDF (text spans against the table's drawn column borders)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.court_time import date_range
from desktop.docket import DocketRow
from desktop.ui.context import DesktopContext
from desktop.ui.docket_model import STATUS_NAMES, export_docket_pdf, format_time
from tests.desktop.docket_fixtures import ALT, CTRL, open_docket
from tests.desktop.test_docket_view import _show_busy_week

MARGIN_PT = 10 / 25.4 * 72  # the export's 10 mm margins, in PDF points


def _clipped_spans(page: Any) -> list[str]:
    """Text spans of the table that run past the right border of their column, or past the
    page's printable width; and borders drawn beyond it."""
    borders = [
        d["rect"]
        for d in page.get_drawings()
        if d["rect"].width < 2 and d["rect"].height > 3  # a cell's vertical edge
    ]
    assert borders, "no table on the page"
    right_limit = page.rect.width - MARGIN_PT + 1
    problems = [f"border at x={b.x1:.1f}" for b in borders if b.x1 > right_limit]
    top = min(b.y0 for b in borders)
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                x0, y0, x1, y1 = span["bbox"]
                if not span["text"].strip() or y0 < top:
                    continue
                if span["text"].startswith("Page "):  # the footer, under the table
                    if x1 > right_limit:
                        problems.append(f"footer ends at {x1:.1f}")
                    continue
                middle = (y0 + y1) / 2
                row = [b for b in borders if b.y0 <= middle <= b.y1]
                right = min((b.x0 for b in row if b.x0 >= x0), default=None)
                if right is None or x1 > right + 0.5 or x1 > right_limit:
                    problems.append(f"{span['text']!r} ends at {x1:.1f}, column at {right}")
    return problems


def _long_rows(rows: list[DocketRow], copies: int) -> list[DocketRow]:
    """``rows`` many times over, with the longest values a docket can hold."""
    long = {
        "respondent": "WOLFESCHLEGELSTEINHAUSENBERGERDORFF, Hubert Blaine Maximilian",
        "judge": "Immigration Judge Featherstonehaugh-Cholmondeley-Marjoribanks Jr.",
        "courtroom": "Courtroom 12 (Annex, fourth floor, ceremonial courtroom)",
        "facility": "Northwest ICE Processing Center, Tacoma, Washington (Annex B, Wing 4)",
        "status": "adjourned",
        "adjournment_code": "12",
    }
    return [
        dataclasses.replace(row, hearing_id=f"{row.hearing_id}-{n}", **(long if n % 2 else {}))
        for n in range(copies)
        for row in rows
    ]


def test_the_docket_pdf_names_its_filters_in_the_heading_and_numbers_its_page(
    qtbot: QtBot,
    make_context: Callable[[str], DesktopContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = open_docket(qtbot, make_context("clerk1"))
    _show_busy_week(qtbot, view)
    view.courtroom_combo.setFocus()
    qtbot.keyClick(view.courtroom_combo, Qt.Key.Key_Down)  # the first courtroom
    room = view.courtroom_combo.currentText()
    assert view.courtroom_combo.currentData() and room
    qtbot.keyClick(view, Qt.Key.Key_D, CTRL | ALT)  # detained only
    assert view.detained_action.isChecked()
    target = tmp_path / "docket.pdf"
    monkeypatch.setattr(  # the native save dialog: the file the person would choose
        "desktop.ui.docket_view.QFileDialog.getSaveFileName",
        lambda *_args: (str(target), "PDF documents (*.pdf)"),
    )
    view.export_action.trigger()
    first, last = view.period()
    with pymupdf.open(target) as pdf:
        text = " ".join(" ".join(page.get_text().split()) for page in pdf)
        count = pdf.page_count
    heading = f"Docket: {room} · detained only · {date_range(first, last)}"
    assert heading in text
    assert "\u2013" in date_range(first, last)  # a week: "7\u201311 Dec 2026"
    assert f"Page 1 of {count}" in text


def test_a_long_docket_fits_its_columns_and_numbers_every_page(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext], tmp_path: Path
) -> None:
    view = open_docket(qtbot, make_context("clerk1"))
    _show_busy_week(qtbot, view)
    rows = _long_rows(view.model.rows(), 20)
    target = tmp_path / "long.pdf"
    pages = export_docket_pdf(rows, target, view.export_title(), view.data.zone)
    assert pages >= 3
    with pymupdf.open(target) as pdf:
        assert pdf.page_count == pages
        for page in pdf:
            words = " ".join(page.get_text().split())
            assert f"Page {page.number + 1} of {pages}" in words
            assert "A-number" in words  # the header row on every page
            assert _clipped_spans(page) == [], f"page {page.number + 1}"
        spans = {
            " ".join(span["text"].split())
            for page in pdf
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
        }
    # The one-line columns are wide enough for their text: each time, A-number, type and
    # status is one whole span (a column too narrow breaks it over lines, "Wed 16 Dec 20" /
    # "26 08:00 PST").
    for row in rows:
        for text in (format_time(row), row.a_number_display, STATUS_NAMES[row.status]):
            assert " ".join(text.split()) in spans


def test_a_heading_says_its_days_as_a_person_writes_them() -> None:
    from datetime import date

    assert date_range(date(2026, 12, 7), date(2026, 12, 11)) == "7\u201311 Dec 2026"
    assert date_range(date(2026, 11, 30), date(2026, 12, 4)) == "30 Nov \u2013 4 Dec 2026"
    assert date_range(date(2026, 12, 28), date(2027, 1, 1)) == "28 Dec 2026 \u2013 1 Jan 2027"
    assert date_range(date(2026, 12, 8), date(2026, 12, 8)) == "Tue 8 Dec 2026"
