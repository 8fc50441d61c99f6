# mypy: disable-error-code="no-untyped-call"
"""The day's interpreter requests: for one court day, each scheduled hearing that needs an
interpreter, with its time on the court's clock, courtroom, language and dialect, how the
interpreter attends and the case's A-number, as the clerk sends it to the interpreter
contractor, in a CSV file or a printable PDF. No Qt here.

The request carries what an interpreter needs to be at the right place at the right time
in the right language, and no more: the A-number identifies the case, the respondent's
name stays in the court (the list leaves it).
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

import pymupdf

from common.court_time import (
    court_now,
    format_date,
    format_datetime,
    format_time,
    iso_date,
    pdf_date,
    table_time,
    utc_now,
)
from common.enums import Medium
from common.languages import MEDIUM_WORDS, language_need, load_languages
from desktop.docket import DocketRow

TYPE_WORDS = {"master": "Master", "individual": "Individual", "bond": "Bond"}


@dataclass(frozen=True, slots=True)
class InterpreterRequest:
    hearing_id: str
    starts_at: datetime  # in the court's zone
    duration_minutes: int
    courtroom: str
    language: str
    language_code: str  # ISO 639-3, "" when the list does not name the language
    dialect: str
    medium: str  # how the interpreter attends: in_person, telephone, video
    a_number: str  # A123-456-789
    hearing_type: str
    judge: str

    @property
    def need(self) -> str:
        return language_need(self.language, self.dialect)

    @property
    def medium_words(self) -> str:
        return MEDIUM_WORDS.get(Medium(self.medium), self.medium) if self.medium else ""


def requests_for_day(rows: Sequence[DocketRow], day: date) -> list[InterpreterRequest]:
    """The requests for ``day`` (the court's date): scheduled hearings naming a language,
    by time, then courtroom. The interpreter attends as the hearing is held unless the
    hearing says otherwise."""
    languages = load_languages()
    wanted = [
        r
        for r in rows
        if r.interpreter_language and r.status == "scheduled" and r.starts_at.date() == day
    ]
    wanted.sort(key=lambda r: (r.starts_at, r.courtroom, r.a_number))
    out = []
    for r in wanted:
        language = str(r.interpreter_language)
        known = languages.by_name(language)
        out.append(
            InterpreterRequest(
                hearing_id=r.hearing_id,
                starts_at=r.starts_at,
                duration_minutes=r.duration_minutes,
                courtroom=r.courtroom,
                language=language,
                language_code=known.code if known else "",
                dialect=r.interpreter_dialect or "",
                medium=r.interpreter_medium or r.medium,
                a_number=r.a_number_display,
                hearing_type=r.hearing_type,
                judge=r.judge,
            )
        )
    return out


CSV_HEADER = (
    "Date",
    "Time",
    "Minutes",
    "Courtroom",
    "Language",
    "ISO 639-3",
    "Dialect",
    "Interpreter attends",
    "A-number",
    "Hearing",
    "Judge",
)


def to_csv(requests: Sequence[InterpreterRequest], zone: tzinfo) -> str:
    """The requests as CSV (a header row, then one row each): the date as ISO for
    spreadsheets, the time on the court's clock with its zone."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in requests:
        writer.writerow(
            (
                iso_date(r.starts_at.date()),
                table_time(r.starts_at, zone),
                r.duration_minutes,
                r.courtroom,
                r.language,
                r.language_code,
                r.dialect,
                r.medium_words,
                r.a_number,
                TYPE_WORDS.get(r.hearing_type, r.hearing_type),
                r.judge,
            )
        )
    return out.getvalue()


PAGE = pymupdf.paper_rect("letter")
MARGIN = 54.0
_CSS = """
* { font-family: sans-serif; font-size: 9.5pt; line-height: 1.25; }
h1 { font-size: 13pt; margin: 0 0 2pt 0; }
p { margin: 0 0 6pt 0; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; border-bottom: 1px solid black; padding: 2pt 3pt; }
td { padding: 2pt 3pt; border-bottom: 0.5px solid #999999; vertical-align: top; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=False)


def requests_html(
    requests: Sequence[InterpreterRequest],
    court_name: str,
    day: date,
    zone: tzinfo,
    printed: datetime,
) -> str:
    """The list as HTML for PyMuPDF's story layout (documents' style of dates and times)."""
    count = len(requests)
    parts = [
        f"<h1>Interpreter requests — {_e(format_date(day))}</h1>",
        f"<p>{_e(court_name)} · {count} hearing{'' if count == 1 else 's'} · "
        f"prepared {_e(format_datetime(printed, zone))}</p>",
    ]
    if not requests:
        parts.append("<p>No hearing on this day needs an interpreter.</p>")
        return "\n".join(parts)
    head = "".join(
        f"<th>{_e(t)}</th>"
        for t in ("Time", "Courtroom", "Language", "Attends", "A-number", "Hearing", "Judge")
    )
    body = "".join(
        "<tr>"
        f"<td>{_e(format_time(r.starts_at, zone))} ({r.duration_minutes} min)</td>"
        f"<td>{_e(r.courtroom)}</td>"
        f"<td>{_e(r.need)}{f' [{_e(r.language_code)}]' if r.language_code else ''}</td>"
        f"<td>{_e(r.medium_words)}</td>"
        f"<td>{_e(r.a_number)}</td>"
        f"<td>{_e(TYPE_WORDS.get(r.hearing_type, r.hearing_type))}</td>"
        f"<td>{_e(r.judge)}</td>"
        "</tr>"
        for r in requests
    )
    parts.append(f"<table><tr>{head}</tr>{body}</table>")
    parts.append(f"<p>Times are the court's local time ({_e(getattr(zone, 'key', zone))}).</p>")
    return "\n".join(parts)


def render_pdf(
    requests: Sequence[InterpreterRequest],
    court_name: str,
    day: date,
    zone: tzinfo,
    now: datetime | None = None,
) -> bytes:
    """The list as a letter-size PDF, "Page X of Y" on each page."""
    printed = court_now(zone, now)
    story = pymupdf.Story(
        html=requests_html(requests, court_name, day, zone, printed), user_css=_CSS
    )
    body = pymupdf.Rect(MARGIN, MARGIN, PAGE.width - MARGIN, PAGE.height - MARGIN)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more = True
    while more:
        device = writer.begin_page(PAGE)
        more, _ = story.place(body)
        story.draw(device)
        writer.end_page()
    writer.close()
    with pymupdf.open(stream=buffer.getvalue(), filetype="pdf") as doc:
        total = doc.page_count
        font = pymupdf.Font("helv")
        for number, page in enumerate(doc, start=1):
            if not page.is_wrapped:
                page.wrap_contents()
            footer = f"Interpreter requests, {format_date(day)}   Page {number} of {total}"
            line = pymupdf.TextWriter(page.rect)
            width = font.text_length(footer, fontsize=8)
            line.append(((PAGE.width - width) / 2, PAGE.height - 30), footer, font, 8)
            line.write_text(page)
        stamp = pdf_date(now or utc_now())
        doc.set_metadata(
            {
                "title": f"Interpreter requests — {court_name} — {format_date(day)}",
                "author": court_name,
                "subject": "",
                "creator": "ECAS",
                "producer": "ECAS (PyMuPDF)",
                "keywords": "",
                "trapped": "",
                "format": "",
                "encryption": None,
                "creationDate": stamp,
                "modDate": stamp,
            }
        )
        return bytes(doc.tobytes(garbage=1, deflate=True))


def pdf_text(pdf: bytes) -> str:
    """All the PDF's text (for checks and tests)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)
