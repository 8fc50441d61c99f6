"""The layout engine: flows text and form elements down pages, then renders them.

A :class:`Layout` collects drawing operations page by page (wrapping text, keeping headings
with what follows them, and raising :class:`LayoutFull` at a page limit);
:func:`finish_pdf` adds each page's header and footer and returns reproducible PDF bytes.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pymupdf

from common.court_time import pdf_date
from sync_server.demo.pdfs.drawing import (
    BASE14,
    BOTTOM,
    LEFT,
    MONO,
    PAGE_H,
    PAGE_W,
    RIGHT,
    SANS,
    SANS_BOLD,
    TOP,
    WIDTH,
    Gray,
    Line,
    Op,
    Poly,
    Rect,
    Text,
)

DEMO_MARK = "DEMO - synthetic document, fictional data"


@dataclass
class _Page:
    ops: list[Op] = field(default_factory=list)
    image: bytes | None = None  # a scanned page: one image, no text layer


@dataclass(frozen=True)
class Style:
    header: tuple[str, ...]
    form_id: str
    header_font: str = SANS_BOLD
    footer: bool = True


class LayoutFull(Exception):
    """The layout reached its page limit."""


# --------------------------------------------------------------------------- text measuring


@functools.lru_cache(maxsize=16384)
def _width1(text: str, font: str) -> float:
    """Width of ``text`` at font size 1."""
    return float(pymupdf.get_text_length(text, fontname=font, fontsize=1))


def _text_width(text: str, font: str, size: float) -> float:
    return _width1(text, font) * size


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of one paragraph into lines no wider than ``width``."""
    space = _width1(" ", font) * size
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        w = _width1(word, font) * size
        if current and used + space + w > width:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0.0) + w
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def _clip(text: str, font: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis so it fits in ``width``."""
    if _text_width(text, font, size) <= width:
        return text
    while text and _text_width(text + "...", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "..."


# --------------------------------------------------------------------------- layout


class Layout:
    """Flows text and form elements down pages; rendering happens later in one pass."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.pages: list[_Page] = []
        self.y = BOTTOM
        self.limit: int | None = None
        self.reserve = 0.0

    # -- pages

    @property
    def ops(self) -> list[Op]:
        if not self.pages:
            self.new_page()
        return self.pages[-1].ops

    def top(self) -> float:
        return TOP + 14.0 * len(self.style.header) + 16.0

    def new_page(self) -> None:
        if self.limit is not None and len(self.pages) >= self.limit:
            raise LayoutFull
        self.pages.append(_Page())
        self.y = self.top()

    def add_image_page(self, image: bytes) -> None:
        self.pages.append(_Page(image=image))
        self.y = BOTTOM

    def bottom(self) -> float:
        on_last = self.limit is not None and len(self.pages) == self.limit
        return BOTTOM - (self.reserve if on_last else 0.0)

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` points fit on this one."""
        if not self.pages or self.y + height > self.bottom():
            self.new_page()

    def gap(self, height: float) -> None:
        self.y += height

    # -- text

    def line(
        self,
        text: str,
        *,
        font: str = SANS,
        size: float = 10.0,
        x: float = LEFT,
        align: str = "left",
        leading: float = 1.35,
    ) -> None:
        """One line of text (no wrapping), left, centred or right aligned."""
        self.need(size * leading)
        width = _text_width(text, font, size)
        if align == "center":
            x = (PAGE_W - width) / 2
        elif align == "right":
            x = RIGHT - width
        self.ops.append(Text(x, self.y + size, text, font, size))
        self.y += size * leading

    def para(
        self,
        text: str,
        *,
        font: str = SANS,
        size: float = 10.0,
        indent: float = 0.0,
        leading: float = 1.3,
        after: float = 6.0,
    ) -> None:
        """A wrapped paragraph; kept whole on one page when the layout has a page limit."""
        lines = _wrap(text, font, size, WIDTH - indent)
        step = size * leading
        if self.limit is not None:
            self.need(step * len(lines))
        for text_line in lines:
            self.need(step)
            self.ops.append(Text(LEFT + indent, self.y + size, text_line, font, size))
            self.y += step
        self.y += after

    def numbered(self, number: str, text: str, *, size: float = 10.0, font: str = SANS) -> None:
        """A paragraph with a hanging number (``1.``, ``(a)``)."""
        self.need(size * 1.3)
        self.ops.append(Text(LEFT + 6, self.y + size, number, font, size))
        self.para(text, size=size, font=font, indent=26.0, after=4.0)

    def heading(self, text: str, *, size: float = 11.0, band: bool = False) -> None:
        """A bold heading, optionally on a gray band; kept with the next few lines."""
        self.need(size * 1.6 + 40.0)
        if band:
            self.ops.append(Rect(LEFT, self.y, RIGHT, self.y + size * 1.6, stroke=None, fill=0.85))
        self.ops.append(Text(LEFT + 4, self.y + size * 1.2, text, SANS_BOLD, size))
        self.y += size * 1.6 + 5.0

    def rule(self, width: float = 0.8) -> None:
        self.need(6.0)
        self.ops.append(Line(LEFT, self.y + 2, RIGHT, self.y + 2, width))
        self.y += 6.0

    # -- form elements

    def fields(self, cells: Sequence[tuple[str, str, float]], *, height: float = 27.0) -> None:
        """A row of boxed form fields: (label, value, share of the row width)."""
        self.need(height)
        total = sum(share for _, _, share in cells)
        x = LEFT
        for label, value, share in cells:
            w = WIDTH * share / total
            self.ops.append(Rect(x, self.y, x + w, self.y + height, width=0.5))
            self.ops.append(Text(x + 3, self.y + 7.5, _clip(label, SANS, 6.5, w - 6), SANS, 6.5))
            shown = _clip(value, MONO, 9.5, w - 8)
            self.ops.append(Text(x + 4, self.y + height - 6, shown, MONO, 9.5))
            x += w
        self.y += height

    def checkbox(self, label: str, checked: bool, *, x: float = LEFT, advance: bool = True) -> None:
        """A square box with an X when checked, and its label."""
        self.need(14.0)
        y = self.y + 2
        self.ops.append(Rect(x, y, x + 8, y + 8, width=0.6))
        if checked:
            self.ops.append(Line(x + 1.5, y + 1.5, x + 6.5, y + 6.5, 1.0))
            self.ops.append(Line(x + 1.5, y + 6.5, x + 6.5, y + 1.5, 1.0))
        self.ops.append(Text(x + 13, y + 7.5, label, SANS, 9.0))
        if advance:
            self.y += 14.0

    def checkbox_row(self, options: Sequence[tuple[str, bool]]) -> None:
        """Several checkboxes side by side, on equal columns when the labels fit."""
        self.need(14.0)
        step = WIDTH / max(len(options), 1)
        widest = max((_text_width(label, SANS, 9.0) for label, _ in options), default=0.0)
        x = LEFT
        for label, checked in options:
            width = 13 + _text_width(label, SANS, 9.0) + 18
            if x > LEFT and x + width > RIGHT:
                self.y += 14.0
                self.need(14.0)
                x = LEFT
            self.checkbox(label, checked, x=x, advance=False)
            x += step if widest + 31 <= step else width
        self.y += 14.0

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        weights: Sequence[float] = (),
        font: str = MONO,
    ) -> None:
        """A ruled table; column widths in proportion to ``weights`` (equal by default)."""
        shares = list(weights) or [1.0] * len(headers)
        cols = [WIDTH * share / sum(shares) for share in shares]
        self.need(16.0 * (1 + min(len(rows), 2)))
        self._table_row(headers, cols, SANS_BOLD, fill=0.9)
        for row in rows:
            self.need(16.0)
            self._table_row(row, cols, font, fill=None)
        self.y += 6.0

    def _table_row(
        self, cells: Sequence[str], cols: Sequence[float], font: str, fill: Gray | None
    ) -> None:
        x = LEFT
        size = 7.5 if font == SANS_BOLD else 8.5
        for cell, col in zip(cells, cols, strict=False):
            self.ops.append(Rect(x, self.y, x + col, self.y + 16, width=0.5, fill=fill))
            self.ops.append(Text(x + 3, self.y + 11, _clip(cell, font, size, col - 6), font, size))
            x += col
        self.y += 16.0

    def box(self, lines: Sequence[str], *, size: float = 10.0, font: str = SANS) -> None:
        """Wrapped lines inside a ruled frame."""
        wrapped = [w for text in lines for w in (_wrap(text, font, size, WIDTH - 16) or [""])]
        height = len(wrapped) * size * 1.35 + 12
        self.need(height)
        self.ops.append(Rect(LEFT, self.y, RIGHT, self.y + height, width=1.0))
        y = self.y + 6
        for text in wrapped:
            self.ops.append(Text(LEFT + 8, y + size, text, font, size))
            y += size * 1.35
        self.y += height + 8

    def signature(self, label: str, name: str, *, x: float = LEFT, rng: random.Random) -> None:
        """A signature line with a scribble over it and the typed name under it."""
        self.need(44.0)
        base = self.y + 26
        self.ops.append(Poly(_scribble(x + 10, base - 8, rng)))
        self.ops.append(Line(x, base, x + 220, base, 0.6))
        self.ops.append(Text(x, base + 10, name, SANS, 9.0))
        self.ops.append(Text(x, base + 19, label, SANS, 6.5, 0.25))
        self.y += 48.0


def _scribble(x: float, y: float, rng: random.Random) -> tuple[tuple[float, float], ...]:
    """A hand-signature-like polyline."""
    points = []
    for i in range(14):
        points.append((x + i * 9 + rng.uniform(-3, 3), y + rng.uniform(-9, 5) * (i % 2 * 2 - 1)))
    return tuple(points)


# --------------------------------------------------------------------------- rendering


def _chrome(style: Style, number: int, total: int) -> tuple[list[Op], list[Op]]:
    """The header (lines and the rule under them) and the footer of one page."""
    ops: list[Op] = []
    foot: list[Op] = []
    y = TOP
    for text in style.header:
        w = _text_width(text, style.header_font, 10.5)
        ops.append(Text((PAGE_W - w) / 2, y + 10.5, text, style.header_font, 10.5))
        y += 14.0
    if style.header:
        ops.append(Line(LEFT, y + 5, RIGHT, y + 5, 1.2))
    if style.footer:
        foot.append(Line(LEFT, BOTTOM + 10, RIGHT, BOTTOM + 10, 0.4, 0.4))
        foot.append(Text(LEFT, BOTTOM + 22, f"{style.form_id}  |  {DEMO_MARK}", SANS, 7.0, 0.3))
        label = f"Page {number} of {total}"
        w = _text_width(label, SANS, 8.0)
        foot.append(Text(RIGHT - w, BOTTOM + 22, label, SANS, 8.0))
    return ops, foot


def _content(ops: Sequence[Op]) -> bytes:
    """One page's content stream: shapes first and text last, so fills never cover text."""
    shapes = [op.pdf() for op in ops if not isinstance(op, Text)]
    texts = [op.pdf() for op in ops if isinstance(op, Text)]
    return "\n".join(shapes + texts).encode("latin-1")


def _new_object(doc: pymupdf.Document, source: str, stream: bytes | None = None) -> int:
    """Add a PDF object (with a stream when given) and return its xref."""
    xref: int = doc.get_new_xref()  # type: ignore[no-untyped-call]
    doc.update_object(xref, source)  # type: ignore[no-untyped-call]
    if stream is not None:
        doc.update_stream(xref, stream)  # type: ignore[no-untyped-call]
    return xref


def _font_resources(doc: pymupdf.Document, layout: Layout) -> str:
    """Add one font object per base-14 font the layout uses; return the /Font dictionary."""
    used = {op.font for page in layout.pages for op in page.ops if isinstance(op, Text)}
    used |= {SANS, layout.style.header_font}  # headers and footers
    entries = []
    for font in sorted(used):
        source = f"<</Type/Font/Subtype/Type1/BaseFont/{BASE14[font]}/Encoding/WinAnsiEncoding>>"
        xref = _new_object(doc, source)
        entries.append(f"/{font} {xref} 0 R")
    return "<</Font<<" + "".join(entries) + ">>>>"


def _draw_page(doc: pymupdf.Document, pdf_page: pymupdf.Page, ops: Sequence[Op], res: str) -> None:
    xref = _new_object(doc, "<<>>", _content(ops))
    doc.xref_set_key(pdf_page.xref, "Contents", f"{xref} 0 R")  # type: ignore[no-untyped-call]
    doc.xref_set_key(pdf_page.xref, "Resources", res)  # type: ignore[no-untyped-call]


def render_document(layout: Layout) -> pymupdf.Document:
    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    resources = _font_resources(doc, layout)
    total = len(layout.pages)
    for number, page in enumerate(layout.pages, start=1):
        pdf_page = doc.new_page(width=PAGE_W, height=PAGE_H)
        if page.image is not None:
            pdf_page.insert_image(pdf_page.rect, stream=page.image)  # type: ignore[no-untyped-call]
        else:
            head, foot = _chrome(layout.style, number, total)
            _draw_page(doc, pdf_page, head + page.ops + foot, resources)
    return doc


def _pdf_date(moment: datetime) -> str:
    # The generator's stamps are naive and mean UTC (reproducible bytes, no clock read).
    return pdf_date(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def finish_pdf(layout: Layout, *, title: str, subject: str, stamp: datetime) -> bytes:
    """Render the layout and return compact, reproducible PDF bytes."""
    doc = render_document(layout)
    doc.set_metadata(
        {
            "title": title,
            "author": "ECAS demo generator",
            "subject": subject,
            "keywords": "synthetic, demo, fictional",
            "creator": "ECAS seed-demo",
            "producer": "ECAS seed-demo (PyMuPDF)",
            "creationDate": _pdf_date(stamp),
            "modDate": _pdf_date(stamp),
        }
    )
    data = doc.tobytes(garbage=3, deflate=True, no_new_id=True)  # type: ignore[no-untyped-call]
    doc.close()  # type: ignore[no-untyped-call]
    return bytes(data)
