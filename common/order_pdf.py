# mypy: disable-error-code="no-untyped-call"
"""An order as the PDF the court issues, and as the page images the editor previews.

The desktop preview and the server's issue call the same :func:`render_order`, so what the
judge sees is what is served. Output is deterministic: the same order, case facts and
certificate give the same bytes (dates come from the order, never the clock; no random file
id), which lets a test, or anyone, re-render an issued order and compare hashes.

Layout: the heading, caption and title, then the clauses by place (what the judge states
first, the judge's text, ORDER, ADVISALS), then the appeal with the signature block, then
the certificate of service. The last two are each kept on one page with their heading: a
block that does not fit below the text starts a new page rather than leaving a heading or a
signature line stranded.

PDF/A: PyMuPDF writes no PDF/A conformance (no output intent, no XMP claim), so issued
orders are plain PDF 1.7 with embedded standard fonts.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pymupdf
from markdown_it import MarkdownIt

from common import pdf_tags
from common.court_time import court_today, format_datetime, local_date, pdf_date
from common.orders import (
    PLACES,
    CaseFacts,
    OrderTemplate,
    clauses_by_place,
    format_date,
    merge,
    merge_values,
)
from common.service import CertificateOfService, PartyToServe, service_wording
from common.wire import Order

PAGE = pymupdf.paper_rect("letter")
ORDER_LANGUAGE = "en-US"  # every order template is in English (resources/order_templates/)
MARGIN = 72.0
BLOCK_GAP = 6.0  # points between blocks placed on the same page
_MIN_ROOM = 36.0  # less room than this at the foot of a page: start the next one
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
.appeal p { margin: 0 0 3pt 0; text-align: left; }
.signature { margin-top: 22pt; }
.signature p { margin: 0; text-align: left; }
.service { margin-top: 12pt; font-size: 9.5pt; }
.service p { font-size: 9.5pt; margin: 0 0 3pt 0; text-align: left; }
.service .party { margin-top: 5pt; }
.service .where { margin: 0 0 0 14pt; }
"""


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


@dataclass(frozen=True)
class _Block:
    """A run of the order's HTML; ``keep_together`` blocks start a new page rather than
    split, unless they are longer than a page."""

    html: str
    keep_together: bool = False


def _blocks(
    template: OrderTemplate,
    order: Order,
    facts: CaseFacts,
    today: date,
    certificate: CertificateOfService | None,
) -> list[_Block]:
    day = _decision_day(order, facts, today)
    values = merge_values(template, facts, order.fields, day)
    placed = clauses_by_place(template, facts, order.fields, day)
    text = [
        '<p class="agency">UNITED STATES DEPARTMENT OF JUSTICE</p>',
        '<p class="agency">EXECUTIVE OFFICE FOR IMMIGRATION REVIEW</p>',
        f'<p class="agency">{_e(template.heading or _court_heading(facts))}</p>',
        f'<p class="court">{_e(facts.court_address)}</p>',
        '<table class="caption"><tr>',
        f"<td>In the Matter of:<br/><b>{_e(facts.respondent_name.upper())}</b>,"
        "<br/>Respondent</td>",
        f"<td>File: <b>{_e(values['a_number'])}</b><br/>"
        f"{_e(template.caption_for(facts.case_type))}</td>",
        "</tr></table>",
        f"<h1>{_e(template.document_title.upper())}</h1>",
        *(f"<p>{_e(line)}</p>" for line in placed["preamble"]),
        _MARKDOWN.render(merge(order.body, {k: _md_escape(v) for k, v in values.items()})),
    ]
    for place in ("order", "advisal"):
        if placed[place]:
            text.append(f"<h2>{_e(PLACES[place])}</h2>")
            text += [f'<p class="clause">{_e(line)}</p>' for line in placed[place]]
    closing = ""
    if placed["appeal"]:
        closing = (
            f'<div class="appeal"><h2>{_e(PLACES["appeal"])}</h2>'
            + "".join(f"<p>{_e(line)}</p>" for line in placed["appeal"])
            + "</div>"
        )
    opinions = ""
    if placed["opinions"]:
        opinions = f"<h2>{_e(PLACES['opinions'])}</h2>" + "".join(
            f"<p>{_e(line)}</p>" for line in placed["opinions"]
        )
    return [
        _Block("\n".join(text)),
        _Block(closing + _signature_html(order, facts, template.signer_title), True),
        *([_Block(opinions)] if opinions else []),
        _Block(_service_html(certificate, day, signed=order.signed_at is not None), True),
    ]


def order_html(
    template: OrderTemplate,
    order: Order,
    facts: CaseFacts,
    today: date,
    certificate: CertificateOfService | None = None,
) -> str:
    """The order's text as one HTML document (the PDF lays its blocks out in turn)."""
    return "\n".join(b.html for b in _blocks(template, order, facts, today, certificate))


def _court_heading(facts: CaseFacts) -> str:
    return f"IMMIGRATION COURT — {facts.court_name.upper()}"


def _signature_html(order: Order, facts: CaseFacts, title: str = "Immigration Judge") -> str:
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
        f"<p>{_e(title)}</p>"
        f"{when}{status}</div>"
    )


def _party_html(party: PartyToServe) -> str:
    wording = service_wording()
    who = wording.parties.get(party.party.value, party.party.value.capitalize())
    how = wording.methods.get(party.method.value, party.method.value)
    lines = [f'<p class="party">To: {_e(who)}, {_e(party.name)} — by {_e(how)}</p>']
    if party.unreachable:
        lines.append(f'<p class="where">{_e(wording.no_address)}</p>')
    lines += [f'<p class="where">{_e(line)}</p>' for line in party.address]
    return "".join(lines)


def _service_html(certificate: CertificateOfService | None, day: date, *, signed: bool) -> str:
    heading = '<div class="service"><p><b>CERTIFICATE OF SERVICE</b></p>'
    if certificate is None:
        # Who is served is decided when the order is issued (common/service.py), from the
        # appearances and the address of record on that day.
        return (
            f"{heading}<p>This order is served by the court on the parties of record when it "
            "is issued; the certificate then names each party, how and where.</p></div>"
        )
    served_on = certificate.served_on or (day if signed else None)
    when = f"on {_e(format_date(served_on))}" if served_on else "when the order is issued"
    parties = "".join(_party_html(p) for p in certificate.parties)
    return (
        f"{heading}<p>This document was served by {_e(certificate.served_by)}, {when}, "
        f"on the following:</p>{parties}</div>"
    )


def _layout(
    blocks: Sequence[_Block],
    on_page: Callable[[int], Any] | None,
    end_page: Callable[[Any, int], None] | None,
    positions: pdf_tags.Positions | None = None,
) -> int:
    """Lay ``blocks`` out on letter pages; returns the number of pages. Without
    ``on_page`` nothing is drawn (the first pass, which counts pages for "Page X of Y").
    ``on_page(n)`` begins page n and returns its drawing device; ``end_page(device, n)``
    finishes it. ``positions`` records where each tagged block landed."""
    body = pymupdf.Rect(MARGIN, MARGIN, PAGE.width - MARGIN, PAGE.height - MARGIN)
    state: dict[str, Any] = {"page": 0, "device": None, "top": body.y0}

    def next_page() -> None:
        if state["page"] and end_page is not None:
            end_page(state["device"], state["page"])
        state["page"] += 1
        state["device"] = on_page(state["page"]) if on_page is not None else None
        state["top"] = body.y0

    def room() -> pymupdf.Rect:
        return pymupdf.Rect(body.x0, state["top"], body.x1, body.y1)

    next_page()
    for block in blocks:
        story = pymupdf.Story(html=block.html, user_css=_CSS)
        if room().height < _MIN_ROOM:
            next_page()
        more, filled = story.place(room())
        if more and block.keep_together and state["top"] > body.y0:
            # It does not fit below what is already on this page: the whole block moves
            # to the next page, its heading with it.
            story.reset()
            next_page()
            more, filled = story.place(room())
        while True:
            if positions is not None:  # before drawing, which forgets the positions
                positions.record(story, state["page"] - 1)
            story.draw(state["device"])
            state["top"] = pymupdf.Rect(filled).y1 + BLOCK_GAP
            if not more:
                break
            next_page()
            more, filled = story.place(room())
            if more and pymupdf.Rect(filled).is_empty:
                raise ValueError("a part of the order is too large for a page")
    if end_page is not None:
        end_page(state["device"], state["page"])
    return int(state["page"])


def render_order(
    template: OrderTemplate,
    order: Order,
    facts: CaseFacts,
    *,
    today: date | None = None,
    certificate: CertificateOfService | None = None,
) -> bytes:
    """The order as PDF bytes: letter pages, "Page X of Y" and the A-number on each page,
    the appeal and signature block, the certificate of service (``certificate``, as
    :mod:`common.service` makes it; without one the certificate says it is completed at
    issue); an unsigned order carries a DRAFT mark on every page. ``today`` dates an
    unsigned draft (default: today at the case's court)."""
    today = today or court_today(facts.court_timezone or None)
    values = merge_values(template, facts, order.fields, today)
    root = pdf_tags.Node("Document")
    nodes: dict[str, pdf_tags.Node] = {}
    blocks = []
    for number, block in enumerate(_blocks(template, order, facts, today, certificate)):
        tagged = pdf_tags.tag_html(block.html, prefix=f"b{number}t", layout_tables=("caption",))
        root.kids += tagged.root.kids
        nodes.update(tagged.nodes)
        blocks.append(_Block(tagged.html, block.keep_together))
    total = _layout(blocks, None, None)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    footer_box = pymupdf.Rect(MARGIN, PAGE.height - 48, PAGE.width - MARGIN, PAGE.height - 24)

    def end_page(device: Any, number: int) -> None:
        footer = pymupdf.Story(
            html=f'<p class="footer">{_e(values["a_number"])} &#160;&#160; '
            f"Page {number} of {total}</p>",
            user_css=_FOOTER_CSS,
        )
        footer.place(footer_box)
        footer.draw(device)
        writer.end_page()

    positions = pdf_tags.Positions()
    drawn = _layout(blocks, lambda _n: writer.begin_page(PAGE), end_page, positions)
    writer.close()
    assert drawn == total, "the two layout passes must agree"
    return _finish(buffer.getvalue(), template, order, facts, values, (root, nodes, positions))


def _finish(
    raw: bytes,
    template: OrderTemplate,
    order: Order,
    facts: CaseFacts,
    values: dict[str, str],
    tags: tuple[pdf_tags.Node, dict[str, pdf_tags.Node], pdf_tags.Positions],
) -> bytes:
    root, nodes, positions = tags
    with pymupdf.open(stream=raw, filetype="pdf") as doc:
        # Tagged PDF (common/pdf_tags.py): the text in reading order under a structure
        # tree, the footer an artifact; then the draft mark, an artifact too.
        for number in range(doc.page_count):
            where = positions.assign(number, PAGE.height - MARGIN)
            state = pdf_tags.tag_page(doc, number, where, nodes)
            if order.signed_at is None:
                before = set(doc[number].get_contents())
                _draft_mark(doc[number])
                added = [x for x in doc[number].get_contents() if x not in before]
                pdf_tags.tag_page(
                    doc, number, pdf_tags.artifacts_only, nodes, xrefs=added, state=state
                )
        pdf_tags.write_structure(doc, root, lang=ORDER_LANGUAGE)
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
