# mypy: disable-error-code="no-untyped-call"
"""An order as the PDF the court issues, and as the page images the editor previews.

The desktop preview and the server's issue call the same :func:`render_order`, so what the
judge sees is what is served. Output is deterministic: the same order and case facts give
the same bytes (dates come from the order, never the clock; no random file id), which lets
a test, or anyone, re-render an issued order and compare hashes.

PDF/A: PyMuPDF writes no PDF/A conformance (no output intent, no XMP claim), so issued
orders are plain PDF 1.7 with embedded standard fonts.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pymupdf
from markdown_it import MarkdownIt

from common.court_time import court_today, format_datetime, local_date, pdf_date
from common.orders import CaseFacts, OrderTemplate, clauses, format_date, merge, merge_values
from common.wire import Order

PAGE = pymupdf.paper_rect("letter")
MARGIN = 72.0
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")
_MARKDOWN = MarkdownIt("commonmark", {"html": False})  # raw HTML in the text is shown, not run

_FOOTER_CSS = "* { font-family: serif; font-size: 9pt; } .footer { text-align: center; }"
_CSS = """
* { font-family: serif; font-size: 11pt; line-height: 1.35; }
p { margin: 0 0 8pt 0; text-align: justify; }
.center { text-align: center; }
.agency { text-align: center; font-weight: bold; margin: 0; }
.court { text-align: center; margin: 0 0 14pt 0; }
.caption { width: 100%; }
.caption td { vertical-align: top; padding: 2pt 4pt; width: 50%; }
h1 { font-size: 13pt; text-align: center; margin: 14pt 0 10pt 0; }
h2 { font-size: 11pt; text-align: center; margin: 12pt 0 6pt 0; }
.clause { margin: 0 0 6pt 18pt; }
.signature { margin-top: 22pt; }
.signature p { margin: 0; text-align: left; }
.service { margin-top: 20pt; font-size: 9.5pt; }
.service p { font-size: 9.5pt; margin: 0 0 3pt 0; text-align: left; }
"""


@dataclass(frozen=True)
class ServiceLine:
    """One party the order is served on, as the certificate of service names it."""

    party: str
    name: str
    method: str
    recipient_id: str | None = None


def service_list(facts: CaseFacts) -> list[ServiceLine]:
    """Who is served: each practitioner of record electronically (or the respondent by mail
    when pro se), and DHS electronically. The server's service records follow this list."""
    lines = [ServiceLine("practitioner", c.name, "electronic", c.user_id) for c in facts.counsel]
    if not facts.counsel:
        lines.append(ServiceLine("respondent", facts.respondent_name, "mail"))
    lines.append(ServiceLine("dhs", "DHS — Office of the Principal Legal Advisor", "electronic"))
    return lines


def _md_escape(text: str) -> str:
    """A merged value as literal text inside the judge's Markdown (a name with ``*`` or
    ``_`` stays a name)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _decision_day(order: Order, facts: CaseFacts, today: date) -> date:
    # The court's date at the signature, not UTC's: a judge signing at 17:30 in San
    # Francisco signs that day, and the appeal clock runs from it.
    if order.signed_at is None:
        return today
    return local_date(order.signed_at, facts.court_timezone or None)


def order_html(template: OrderTemplate, order: Order, facts: CaseFacts, today: date) -> str:
    """The order's text as HTML for PyMuPDF's story layout."""
    day = _decision_day(order, facts, today)
    values = merge_values(template, facts, order.fields, day)
    parts = [
        '<p class="agency">UNITED STATES DEPARTMENT OF JUSTICE</p>',
        '<p class="agency">EXECUTIVE OFFICE FOR IMMIGRATION REVIEW</p>',
        f'<p class="agency">IMMIGRATION COURT — {_e(facts.court_name.upper())}</p>',
        f'<p class="court">{_e(facts.court_address)}</p>',
        '<table class="caption"><tr>',
        f"<td>In the Matter of:<br/><b>{_e(facts.respondent_name.upper())}</b>,"
        "<br/>Respondent</td>",
        f"<td>File: <b>{_e(values['a_number'])}</b><br/>{_e(template.caption)}</td>",
        "</tr></table>",
        f"<p>Charges: {_e(values['charges'])}</p>",
        f"<h1>{_e(template.document_title.upper())}</h1>",
        _MARKDOWN.render(merge(order.body, {k: _md_escape(v) for k, v in values.items()})),
    ]
    operative = clauses(template, facts, order.fields, day)
    if operative:
        parts.append("<h2>ORDER</h2>")
        parts += [f'<p class="clause">{_e(text)}</p>' for text in operative]
    parts.append(_signature_html(order, facts))
    parts.append(_service_html(facts, day, signed=order.signed_at is not None))
    return "\n".join(parts)


def _signature_html(order: Order, facts: CaseFacts) -> str:
    if order.signed_at is None:
        status = "<p><i>Not signed — draft for review.</i></p>"
        when = ""
    else:
        zone = facts.court_timezone or None
        signed_day = local_date(order.signed_at, zone)
        when = f"<p>Date: {_e(format_date(signed_day))}</p>"
        status = (
            f"<p><i>Electronically signed by {_e(facts.judge_name)} on "
            f"{_e(format_datetime(order.signed_at, zone))}.</i></p>"
        )
    return (
        '<div class="signature">'
        "<p>______________________________</p>"
        f"<p><b>{_e(facts.judge_name)}</b></p>"
        "<p>Immigration Judge</p>"
        f"{when}{status}</div>"
    )


def _service_html(facts: CaseFacts, day: date, *, signed: bool) -> str:
    lines = "".join(
        f"<p>To: {_e(s.name)} ({_e(s.party)}) — "
        f"{'electronic service' if s.method == 'electronic' else 'by mail'}</p>"
        for s in service_list(facts)
    )
    when = f"on {_e(format_date(day))}" if signed else "when the order is issued"
    return (
        '<div class="service"><p><b>CERTIFICATE OF SERVICE</b></p>'
        f"<p>This document was served by the court {when}:</p>{lines}</div>"
    )


def render_order(
    template: OrderTemplate, order: Order, facts: CaseFacts, *, today: date | None = None
) -> bytes:
    """The order as PDF bytes: letter pages, "Page X of Y" and the A-number on each page,
    the judge's signature block; an unsigned order carries a DRAFT mark on every page.
    ``today`` dates an unsigned draft (default: today at the case's court)."""
    today = today or court_today(facts.court_timezone or None)
    values = merge_values(template, facts, order.fields, today)
    story = pymupdf.Story(html=order_html(template, order, facts, today), user_css=_CSS)
    body = pymupdf.Rect(MARGIN, MARGIN, PAGE.width - MARGIN, PAGE.height - MARGIN)
    total = 0
    more = True
    while more:  # a first layout pass counts the pages, for "Page X of Y"
        more, _ = story.place(body)
        story.draw(None)  # consumes the placed content without drawing it
        total += 1
    story.reset()
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    footer_box = pymupdf.Rect(MARGIN, PAGE.height - 48, PAGE.width - MARGIN, PAGE.height - 24)
    for number in range(1, total + 1):
        device = writer.begin_page(PAGE)
        story.place(body)
        story.draw(device)
        footer = pymupdf.Story(
            html=f'<p class="footer">{_e(values["a_number"])} &#160;&#160; '
            f"Page {number} of {total}</p>",
            user_css=_FOOTER_CSS,
        )
        footer.place(footer_box)
        footer.draw(device)
        writer.end_page()
    writer.close()
    return _finish(buffer.getvalue(), template, order, facts, values)


def _finish(
    raw: bytes,
    template: OrderTemplate,
    order: Order,
    facts: CaseFacts,
    values: dict[str, str],
) -> bytes:
    with pymupdf.open(stream=raw, filetype="pdf") as doc:
        if order.signed_at is None:
            for page in doc:
                _draft_mark(page)
        meta: dict[str, Any] = {
            "title": f"{template.document_title} — {values['a_number']}",
            "author": facts.judge_name,
            "subject": f"{template.key} {template.version}; order {order.id}",
            "creator": "ECAS",
            "producer": "ECAS (PyMuPDF)",
            "keywords": "",
            "trapped": "",
            "format": "",
            "encryption": None,
        }
        if order.signed_at is not None:
            meta["creationDate"] = meta["modDate"] = pdf_date(order.signed_at)
        else:
            meta["creationDate"] = meta["modDate"] = ""
        doc.set_metadata(meta)
        return bytes(doc.tobytes(garbage=1, deflate=True, no_new_id=True))


def _draft_mark(page: Any) -> None:
    text = "DRAFT - NOT SIGNED"
    size = 54
    width = pymupdf.get_text_length(text, fontname="helv", fontsize=size)
    centre = pymupdf.Point(PAGE.width / 2, PAGE.height / 2)
    matrix = pymupdf.Matrix(35)  # rotate about the centre, upwards to the right
    start = pymupdf.Point(centre.x - width / 2, centre.y + size / 3)
    page.insert_text(
        start,
        text,
        fontname="helv",
        fontsize=size,
        color=(0.82, 0.82, 0.82),
        morph=(centre, matrix),
        overlay=False,
    )


def page_images(pdf: bytes, zoom: float = 1.0) -> list[tuple[int, int, bytes]]:
    """Each page as (width, height, PNG bytes) at ``zoom`` (1.0 = 72 dpi). Opens its own
    document, so it may run on any one thread at a time."""
    out = []
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for page in doc:
            pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
            out.append((int(pix.width), int(pix.height), bytes(pix.tobytes("png"))))
    return out


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, pages joined (for checks and tests)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return "\n".join(str(page.get_text()) for page in doc)


def page_count(pdf: bytes) -> int:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return int(doc.page_count)
