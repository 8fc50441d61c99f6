"""Deterministic, synthetic demo PDFs for the seed-demo command.

The documents imitate the *structure* of immigration-court paperwork (a notice to appear, an
asylum application, an evidence packet, a notice of hearing, a brief) so that the viewer,
search, eROP packaging and intake have realistic material to work on. Every person, place
and event in them is fictional and every page says so in its footer; the prose is written
for this project.

The same arguments always give byte-identical output: randomness comes from
``random.Random`` seeded with the arguments, the metadata dates are derived from them and
no document ID is generated. Text pages carry a real text layer (base-14 Helvetica, Times
and Courier, not embedded); the "scanned" pages of an evidence packet are grayscale JPEG
images with no text at all, like a real scan.

PyMuPDF leaves some of its methods unannotated; calls to those carry
``type: ignore[no-untyped-call]`` so that the module passes ``mypy --strict``.
"""

from __future__ import annotations

import contextlib
import functools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pymupdf

__all__ = [
    "CourtInfo",
    "Respondent",
    "brief",
    "evidence_packet",
    "format_a_number",
    "hearing_notice",
    "i589_application",
    "notice_to_appear",
    "sample_pdf_bytes",
]

# --------------------------------------------------------------------------- page geometry

PAGE_W, PAGE_H = 612.0, 792.0  # US Letter
LEFT, RIGHT = 54.0, 558.0
TOP, BOTTOM = 40.0, 742.0
WIDTH = RIGHT - LEFT
SCAN_DPI = 100
SCAN_JPEG_QUALITY = 50

SANS, SANS_BOLD = "helv", "hebo"
SERIF, SERIF_BOLD, SERIF_ITALIC = "tiro", "tibo", "tiit"
MONO = "cour"

DHS_HEADER = ("U.S. Department of Homeland Security",)
EOIR_HEADER = ("U.S. Department of Justice", "Executive Office for Immigration Review")
DEMO_MARK = "DEMO - synthetic document, fictional data"

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class Respondent:
    """A fictional respondent; ``a_number`` is 9 bare digits."""

    first_name: str
    last_name: str
    a_number: str
    nationality: str
    language: str
    date_of_birth: date
    address: str

    @property
    def full_name(self) -> str:
        """The name as the court writes it: LAST, First."""
        return f"{self.last_name.upper()}, {self.first_name}"

    @property
    def display_name(self) -> str:
        """The name in reading order: First Last."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class CourtInfo:
    """The immigration court a document belongs to."""

    name: str
    address: str
    city: str


def format_a_number(a_number: str) -> str:
    """Show an A-number as ``A123-456-789`` (an 8-digit one gets a leading zero)."""
    digits = a_number.strip().upper().removeprefix("A").replace("-", "").replace(" ", "")
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit():
        raise ValueError(f"not an A-number: {a_number!r}")
    return f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}"


# --------------------------------------------------------------------------- drawing ops

Gray = float  # 0.0 black .. 1.0 white

# The pages' content streams are written directly (PDF operators, base-14 fonts with
# WinAnsiEncoding): PyMuPDF's Shape looks the page's fonts up again for every text
# insertion, which made text-heavy documents several times slower.

_BASE14 = {
    SANS: "Helvetica",
    SANS_BOLD: "Helvetica-Bold",
    SERIF: "Times-Roman",
    SERIF_BOLD: "Times-Bold",
    SERIF_ITALIC: "Times-Italic",
    MONO: "Courier",
}
_KAPPA = 0.5523  # Bezier control distance for a quarter circle


def _n(value: float) -> str:
    """A PDF number: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _pdf_string(text: str) -> str:
    """A literal string in WinAnsi (cp1252) bytes, escaped, written as latin-1 text."""
    raw = text.encode("cp1252", errors="replace")
    out = []
    for byte in raw:
        if byte in (0x28, 0x29, 0x5C):  # ( ) backslash
            out.append("\\" + chr(byte))
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _paint(stroke: Gray | None, fill: Gray | None, width: float) -> tuple[str, str]:
    """Colour/width operators before a path, and the painting operator after it."""
    pre = f"{_n(width)} w " if stroke is not None else ""
    if stroke is not None:
        pre += f"{_n(stroke)} G "
    if fill is not None:
        pre += f"{_n(fill)} g "
    op = {(True, True): "B", (True, False): "S", (False, True): "f", (False, False): "n"}
    return pre, op[(stroke is not None, fill is not None)]


@dataclass(frozen=True)
class _Text:
    x: float
    y: float  # baseline, from the top of the page
    text: str
    font: str = SANS
    size: float = 10.0
    gray: Gray = 0.0

    def pdf(self) -> str:
        return (
            f"BT /{self.font} {_n(self.size)} Tf {_n(self.gray)} g "
            f"{_n(self.x)} {_n(PAGE_H - self.y)} Td {_pdf_string(self.text)} Tj ET"
        )


@dataclass(frozen=True)
class _Rect:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.6
    stroke: Gray | None = 0.0
    fill: Gray | None = None

    def pdf(self) -> str:
        pre, paint = _paint(self.stroke, self.fill, self.width)
        box = (
            f"{_n(self.x0)} {_n(PAGE_H - self.y1)} {_n(self.x1 - self.x0)} {_n(self.y1 - self.y0)}"
        )
        return f"{pre}{box} re {paint}"


@dataclass(frozen=True)
class _Line:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.6
    gray: Gray = 0.0

    def pdf(self) -> str:
        return (
            f"{_n(self.width)} w {_n(self.gray)} G {_n(self.x0)} {_n(PAGE_H - self.y0)} m "
            f"{_n(self.x1)} {_n(PAGE_H - self.y1)} l S"
        )


@dataclass(frozen=True)
class _Circle:
    x: float
    y: float
    r: float
    width: float = 0.8
    stroke: Gray | None = 0.0
    fill: Gray | None = None

    def pdf(self) -> str:
        pre, paint = _paint(self.stroke, self.fill, self.width)
        x, y, r, k = self.x, PAGE_H - self.y, self.r, self.r * _KAPPA
        quarters = (
            (x + r, y + k, x + k, y + r, x, y + r),
            (x - k, y + r, x - r, y + k, x - r, y),
            (x - r, y - k, x - k, y - r, x, y - r),
            (x + k, y - r, x + r, y - k, x + r, y),
        )
        curves = " ".join(" ".join(_n(v) for v in q) + " c" for q in quarters)
        return f"{pre}{_n(x + r)} {_n(y)} m {curves} h {paint}"


@dataclass(frozen=True)
class _Poly:
    points: tuple[tuple[float, float], ...]
    width: float = 0.9
    gray: Gray = 0.1

    def pdf(self) -> str:
        (x0, y0), *rest = self.points
        path = " ".join(f"{_n(x)} {_n(PAGE_H - y)} l" for x, y in rest)
        return f"{_n(self.width)} w {_n(self.gray)} G 1 J 1 j {_n(x0)} {_n(PAGE_H - y0)} m {path} S"


_Op = _Text | _Rect | _Line | _Circle | _Poly


@dataclass
class _Page:
    ops: list[_Op] = field(default_factory=list)
    image: bytes | None = None  # a scanned page: one image, no text layer


@dataclass(frozen=True)
class _Style:
    header: tuple[str, ...]
    form_id: str
    header_font: str = SANS_BOLD
    footer: bool = True


class _Full(Exception):
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


class _Layout:
    """Flows text and form elements down pages; rendering happens later in one pass."""

    def __init__(self, style: _Style) -> None:
        self.style = style
        self.pages: list[_Page] = []
        self.y = BOTTOM
        self.limit: int | None = None
        self.reserve = 0.0

    # -- pages

    @property
    def ops(self) -> list[_Op]:
        if not self.pages:
            self.new_page()
        return self.pages[-1].ops

    def top(self) -> float:
        return TOP + 14.0 * len(self.style.header) + 16.0

    def new_page(self) -> None:
        if self.limit is not None and len(self.pages) >= self.limit:
            raise _Full
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
        self.ops.append(_Text(x, self.y + size, text, font, size))
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
            self.ops.append(_Text(LEFT + indent, self.y + size, text_line, font, size))
            self.y += step
        self.y += after

    def numbered(self, number: str, text: str, *, size: float = 10.0, font: str = SANS) -> None:
        """A paragraph with a hanging number (``1.``, ``(a)``)."""
        self.need(size * 1.3)
        self.ops.append(_Text(LEFT + 6, self.y + size, number, font, size))
        self.para(text, size=size, font=font, indent=26.0, after=4.0)

    def heading(self, text: str, *, size: float = 11.0, band: bool = False) -> None:
        """A bold heading, optionally on a gray band; kept with the next few lines."""
        self.need(size * 1.6 + 40.0)
        if band:
            self.ops.append(_Rect(LEFT, self.y, RIGHT, self.y + size * 1.6, stroke=None, fill=0.85))
        self.ops.append(_Text(LEFT + 4, self.y + size * 1.2, text, SANS_BOLD, size))
        self.y += size * 1.6 + 5.0

    def rule(self, width: float = 0.8) -> None:
        self.need(6.0)
        self.ops.append(_Line(LEFT, self.y + 2, RIGHT, self.y + 2, width))
        self.y += 6.0

    # -- form elements

    def fields(self, cells: Sequence[tuple[str, str, float]], *, height: float = 27.0) -> None:
        """A row of boxed form fields: (label, value, share of the row width)."""
        self.need(height)
        total = sum(share for _, _, share in cells)
        x = LEFT
        for label, value, share in cells:
            w = WIDTH * share / total
            self.ops.append(_Rect(x, self.y, x + w, self.y + height, width=0.5))
            self.ops.append(_Text(x + 3, self.y + 7.5, _clip(label, SANS, 6.5, w - 6), SANS, 6.5))
            shown = _clip(value, MONO, 9.5, w - 8)
            self.ops.append(_Text(x + 4, self.y + height - 6, shown, MONO, 9.5))
            x += w
        self.y += height

    def checkbox(self, label: str, checked: bool, *, x: float = LEFT, advance: bool = True) -> None:
        """A square box with an X when checked, and its label."""
        self.need(14.0)
        y = self.y + 2
        self.ops.append(_Rect(x, y, x + 8, y + 8, width=0.6))
        if checked:
            self.ops.append(_Line(x + 1.5, y + 1.5, x + 6.5, y + 6.5, 1.0))
            self.ops.append(_Line(x + 1.5, y + 6.5, x + 6.5, y + 1.5, 1.0))
        self.ops.append(_Text(x + 13, y + 7.5, label, SANS, 9.0))
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
            self.ops.append(_Rect(x, self.y, x + col, self.y + 16, width=0.5, fill=fill))
            self.ops.append(_Text(x + 3, self.y + 11, _clip(cell, font, size, col - 6), font, size))
            x += col
        self.y += 16.0

    def box(self, lines: Sequence[str], *, size: float = 10.0, font: str = SANS) -> None:
        """Wrapped lines inside a ruled frame."""
        wrapped = [w for text in lines for w in (_wrap(text, font, size, WIDTH - 16) or [""])]
        height = len(wrapped) * size * 1.35 + 12
        self.need(height)
        self.ops.append(_Rect(LEFT, self.y, RIGHT, self.y + height, width=1.0))
        y = self.y + 6
        for text in wrapped:
            self.ops.append(_Text(LEFT + 8, y + size, text, font, size))
            y += size * 1.35
        self.y += height + 8

    def signature(self, label: str, name: str, *, x: float = LEFT, rng: random.Random) -> None:
        """A signature line with a scribble over it and the typed name under it."""
        self.need(44.0)
        base = self.y + 26
        self.ops.append(_Poly(_scribble(x + 10, base - 8, rng)))
        self.ops.append(_Line(x, base, x + 220, base, 0.6))
        self.ops.append(_Text(x, base + 10, name, SANS, 9.0))
        self.ops.append(_Text(x, base + 19, label, SANS, 6.5, 0.25))
        self.y += 48.0


def _scribble(x: float, y: float, rng: random.Random) -> tuple[tuple[float, float], ...]:
    """A hand-signature-like polyline."""
    points = []
    for i in range(14):
        points.append((x + i * 9 + rng.uniform(-3, 3), y + rng.uniform(-9, 5) * (i % 2 * 2 - 1)))
    return tuple(points)


# --------------------------------------------------------------------------- rendering


def _chrome(style: _Style, number: int, total: int) -> tuple[list[_Op], list[_Op]]:
    """The header (lines and the rule under them) and the footer of one page."""
    ops: list[_Op] = []
    foot: list[_Op] = []
    y = TOP
    for text in style.header:
        w = _text_width(text, style.header_font, 10.5)
        ops.append(_Text((PAGE_W - w) / 2, y + 10.5, text, style.header_font, 10.5))
        y += 14.0
    if style.header:
        ops.append(_Line(LEFT, y + 5, RIGHT, y + 5, 1.2))
    if style.footer:
        foot.append(_Line(LEFT, BOTTOM + 10, RIGHT, BOTTOM + 10, 0.4, 0.4))
        foot.append(_Text(LEFT, BOTTOM + 22, f"{style.form_id}  |  {DEMO_MARK}", SANS, 7.0, 0.3))
        label = f"Page {number} of {total}"
        w = _text_width(label, SANS, 8.0)
        foot.append(_Text(RIGHT - w, BOTTOM + 22, label, SANS, 8.0))
    return ops, foot


def _content(ops: Sequence[_Op]) -> bytes:
    """One page's content stream: shapes first and text last, so fills never cover text."""
    shapes = [op.pdf() for op in ops if not isinstance(op, _Text)]
    texts = [op.pdf() for op in ops if isinstance(op, _Text)]
    return "\n".join(shapes + texts).encode("latin-1")


def _new_object(doc: pymupdf.Document, source: str, stream: bytes | None = None) -> int:
    """Add a PDF object (with a stream when given) and return its xref."""
    xref: int = doc.get_new_xref()  # type: ignore[no-untyped-call]
    doc.update_object(xref, source)  # type: ignore[no-untyped-call]
    if stream is not None:
        doc.update_stream(xref, stream)  # type: ignore[no-untyped-call]
    return xref


def _font_resources(doc: pymupdf.Document, layout: _Layout) -> str:
    """Add one font object per base-14 font the layout uses; return the /Font dictionary."""
    used = {op.font for page in layout.pages for op in page.ops if isinstance(op, _Text)}
    used |= {SANS, layout.style.header_font}  # headers and footers
    entries = []
    for font in sorted(used):
        source = f"<</Type/Font/Subtype/Type1/BaseFont/{_BASE14[font]}/Encoding/WinAnsiEncoding>>"
        xref = _new_object(doc, source)
        entries.append(f"/{font} {xref} 0 R")
    return "<</Font<<" + "".join(entries) + ">>>>"


def _draw_page(doc: pymupdf.Document, pdf_page: pymupdf.Page, ops: Sequence[_Op], res: str) -> None:
    xref = _new_object(doc, "<<>>", _content(ops))
    doc.xref_set_key(pdf_page.xref, "Contents", f"{xref} 0 R")  # type: ignore[no-untyped-call]
    doc.xref_set_key(pdf_page.xref, "Resources", res)  # type: ignore[no-untyped-call]


def _build(layout: _Layout) -> pymupdf.Document:
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
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _finish(layout: _Layout, *, title: str, subject: str, stamp: datetime) -> bytes:
    """Render the layout and return compact, reproducible PDF bytes."""
    doc = _build(layout)
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


# --------------------------------------------------------------------------- helpers


def _rng(*parts: object) -> random.Random:
    """A generator seeded from the arguments (string seeds are stable across runs)."""
    return random.Random("|".join(str(p) for p in parts))


def _long_date(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _short_date(day: date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def _clock(moment: datetime | time) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def _stamp(day: date, rng: random.Random) -> datetime:
    """A document timestamp on ``day`` during office hours."""
    return datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60), rng.randrange(60)))


def _seed_day(seed: int, rng: random.Random) -> date:
    return date(2019, 1, 2) + timedelta(days=(seed * 37 + rng.randrange(400)) % 2000)


def _caption(lay: _Layout, resp: Respondent, court_line: str, title: str) -> None:
    """The "In the Matter of" block used on filings."""
    lay.line(court_line, font=SERIF_BOLD, size=11, align="center")
    lay.gap(6)
    top = lay.y
    lay.line("In the Matter of:", font=SERIF, size=11)
    lay.line(resp.full_name, font=SERIF_BOLD, size=11, x=LEFT + 20)
    lay.line(f"File No. {format_a_number(resp.a_number)}", font=SERIF, size=11, x=LEFT + 20)
    lay.line("Respondent.", font=SERIF, size=11, x=LEFT + 20)
    lay.ops.append(_Line(LEFT + 270, top, LEFT + 270, lay.y, 0.6))
    lay.ops.append(_Text(LEFT + 285, top + 26, "IN REMOVAL PROCEEDINGS", SERIF_BOLD, 11))
    lay.rule()
    lay.gap(6)
    lay.line(title.upper(), font=SERIF_BOLD, size=12, align="center")
    lay.gap(8)


# --------------------------------------------------------------------------- fictional banks

_OFFICERS = (
    "R. Castellan",
    "D. Whitfield",
    "M. Okonkwo-Reyes",
    "J. Tranter",
    "S. Lindqvist",
    "A. Barrowman",
    "L. Pennywhistle",
    "K. Marchetti",
)
_OFFICER_TITLES = (
    "Supervisory Border Patrol Agent",
    "Deportation Officer",
    "Supervisory Immigration Officer",
    "Assistant Field Office Director",
)
_PORTS = (
    "Lukeville, Arizona",
    "Hidalgo, Texas",
    "San Ysidro, California",
    "Del Rio, Texas",
    "Miami, Florida",
    "Calexico, California",
    "Laredo, Texas",
)
_TOWNS = ("Valle Alto", "San Isidro del Monte", "Puerto Lindo", "Kesso", "Marrabay", "Old Tirren")
_GROUPS = (
    "the Rural Teachers' Union",
    "the Evangelical Fellowship of the Hills",
    "the Opposition Youth League",
    "the Market Vendors' Cooperative",
    "a neighbourhood women's association",
)
_AGENTS = (
    "members of an armed gang that controls my neighbourhood",
    "men who said they worked for the ruling party",
    "local police officers",
    "soldiers from the regional garrison",
)
_RELATIVES = ("my brother", "my cousin", "my uncle", "my mother", "my sister-in-law")
_WITNESSES = ("Marisol Ventana", "Teodoro Akande", "Ines Barrakh", "Paul Delacroix-Mendez")
_ATTORNEYS = ("Harriet Q. Langford", "Emeka Osei-Hart", "Renata Villalobos", "Simon Achterberg")
_ORGS = ("Riverside Immigrant Legal Clinic", "Borderlands Pro Bono Project", "Hope Street Law")

_NARRATIVE = (
    "In {year} I began volunteering with {group} in {town}, where I helped organise meetings "
    "and distribute leaflets to our neighbours.",
    "On a night in {month} {year}, {agents} came to our house and asked for me by name. "
    "When {relative} said I was not home, they broke the windows and promised to return.",
    "I was stopped on the road outside {town} and held for two days in a room without light. "
    "I was beaten with a stick and told to stop my activities or be killed.",
    "I reported what happened to the authorities, but the officer who took my statement "
    "laughed and told me that people like me should leave the country.",
    "Afterwards I received messages on my telephone that described my daily routine and the "
    "school my children attended. I understood that I was being watched.",
    "{relative_cap} was attacked in {year} by the same people, and still has scars on the arms. "
    "They told {relative} that the attack was a message for me.",
    "I moved to my aunt's house in another province, but within a few weeks strangers were "
    "asking about me at the market, so I knew I could not hide anywhere in the country.",
    "I left with only a small bag and the documents I could carry. I travelled for several "
    "weeks, mostly by bus, and I did not stop in any country long enough to ask for protection.",
    "I am afraid that if I am returned I will be arrested at the airport or found by "
    "{agents}, and that this time they will kill me.",
    "Since arriving I have attended church regularly, I have been working where I am "
    "permitted to, and I have never been arrested in the United States or any other country.",
)


def _fill(template: str, rng: random.Random) -> str:
    relative = rng.choice(_RELATIVES)
    return template.format(
        year=rng.randrange(2012, 2021),
        month=rng.choice(_MONTHS),
        group=rng.choice(_GROUPS),
        town=rng.choice(_TOWNS),
        agents=rng.choice(_AGENTS),
        relative=relative,
        relative_cap=relative[:1].upper() + relative[1:],
    )


def _narrative(rng: random.Random) -> Iterator[str]:
    """An endless stream of first-person narrative paragraphs."""
    while True:
        picks = rng.sample(_NARRATIVE, rng.randrange(2, 4))
        yield " ".join(_fill(p, rng) for p in picks)


# --------------------------------------------------------------------------- notice to appear

_CHARGES = {
    "212(a)(6)(A)(i)": (
        "you are present in the United States without having been admitted or paroled, or you "
        "arrived at a time or place other than one designated by the Attorney General."
    ),
    "212(a)(7)(A)(i)(I)": (
        "at the time of application for admission you did not hold a valid, unexpired "
        "immigrant visa, entry document or other valid entry document required by the Act."
    ),
    "212(a)(6)(C)(i)": (
        "you sought to procure admission or another benefit under the Act by fraud or by "
        "wilfully misrepresenting a material fact."
    ),
    "237(a)(1)(B)": (
        "after admission as a nonimmigrant you remained in the United States longer than permitted."
    ),
    "237(a)(1)(C)(i)": (
        "after admission as a nonimmigrant you failed to maintain or comply with the "
        "conditions of the status under which you were admitted."
    ),
    "237(a)(2)(A)(i)": (
        "you were convicted of a crime involving moral turpitude committed within five years "
        "after admission, for which a sentence of one year or longer may be imposed."
    ),
    "237(a)(2)(B)(i)": (
        "at any time after admission you were convicted of a violation of a law relating to a "
        "controlled substance."
    ),
}


def _section(charge: str) -> str:
    text = charge.strip()
    for prefix in ("INA", "Section", "section", "§"):
        text = text.removeprefix(prefix).strip()
    return text


def _charge_text(charge: str) -> str:
    section = _section(charge)
    reason = _CHARGES.get(section, "you are removable on the ground stated in that section.")
    return (
        f"Section {section} of the Immigration and Nationality Act (Act), as amended, in "
        f"that {reason}"
    )


def _nta_class(charges: Sequence[str]) -> int:
    """0 arriving alien, 1 present without admission, 2 admitted and removable."""
    sections = [_section(c) for c in charges]
    if any(s.startswith("237") for s in sections):
        return 2
    if any(s.startswith("212(a)(7)") for s in sections):
        return 0
    return 1


def _allegations(resp: Respondent, klass: int, entry: date, port: str) -> list[str]:
    items = [
        "You are not a citizen or national of the United States.",
        f"You are a native of {resp.nationality} and a citizen of {resp.nationality}.",
    ]
    if klass == 0:
        items.append(f"You applied for admission at {port} on {_long_date(entry)}.")
        items.append(
            "You did not then possess or present a valid immigrant visa or entry document."
        )
    elif klass == 1:
        items.append(
            f"You arrived in the United States at or near {port}, on or about {_long_date(entry)}."
        )
        items.append(
            "You were not then admitted or paroled after inspection by an Immigration Officer."
        )
    else:
        until = entry + timedelta(days=180)
        items.append(
            f"You were admitted to the United States at {port} on {_long_date(entry)} as a "
            "nonimmigrant visitor (B-2)."
        )
        items.append(
            f"You were authorized to remain in the United States until {_long_date(until)}."
        )
        items.append("You remained in the United States beyond that date without authorization.")
    return items


def _nta_front(
    lay: _Layout,
    resp: Respondent,
    court: CourtInfo,
    charges: Sequence[str],
    served_on: date,
    rng: random.Random,
) -> None:
    lay.line("NOTICE TO APPEAR", font=SANS_BOLD, size=15, align="center")
    lay.gap(4)
    event = f"{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}{rng.randrange(10**9):09d}"
    lay.fields(
        [
            ("Subject ID", str(rng.randrange(10**8, 10**9)), 1),
            ("FINS", str(rng.randrange(10**9, 10**10)), 1),
            ("File No.", format_a_number(resp.a_number), 1.1),
            ("Event No.", event, 1.2),
            ("DOB", _short_date(resp.date_of_birth), 0.9),
        ]
    )
    lay.gap(6)
    lay.line(
        "In removal proceedings under section 240 of the Immigration and Nationality Act:", size=9.5
    )
    lay.line("In the Matter of:", font=SANS_BOLD, size=9.5)
    lay.fields([("Respondent", resp.full_name, 2), ("A-Number", format_a_number(resp.a_number), 1)])
    lay.fields(
        [
            ("currently residing at", resp.address, 3),
            ("Telephone", f"(555) {rng.randrange(200, 999)}-{rng.randrange(10000):04d}", 1),
        ]
    )
    lay.gap(6)
    klass = _nta_class(charges)
    lay.checkbox("1. You are an arriving alien.", klass == 0)
    lay.checkbox(
        "2. You are present in the United States without having been admitted or paroled.",
        klass == 1,
    )
    lay.checkbox(
        "3. You were admitted to the United States but are removable for the reasons below.",
        klass == 2,
    )
    lay.gap(4)
    entry = served_on - timedelta(days=rng.randrange(3, 900))
    lay.line("The Department of Homeland Security alleges that you:", font=SANS_BOLD, size=10)
    for i, text in enumerate(_allegations(resp, klass, entry, rng.choice(_PORTS)), start=1):
        lay.numbered(f"{i}.", text, size=9.5)
    lay.gap(2)
    lay.para(
        "Based on these allegations, DHS charges that you may be removed from the United "
        "States under the following provision(s) of law:",
        font=SANS_BOLD,
        size=9.5,
    )
    for i, charge in enumerate(charges, start=1):
        lay.numbered(f"{i}.", _charge_text(charge), size=9.5)
    _nta_hearing_box(lay, court)
    officer = rng.choice(_OFFICERS)
    lay.signature(
        f"Signature and title of issuing officer: {rng.choice(_OFFICER_TITLES)}", officer, rng=rng
    )
    lay.line(f"Date: {_long_date(served_on)}          {court.city}", size=9)


def _nta_hearing_box(lay: _Layout, court: CourtInfo) -> None:
    lay.gap(4)
    lay.box(
        [
            "YOU ARE ORDERED to come before an immigration judge of the U.S. Department of "
            "Justice, at the place below, to show why you should not be removed from the "
            "United States on the charge(s) above.",
            f"Place: {court.name}, {court.address}, {court.city}",
            "Date: TO BE SET  -  Time: TO BE SET",
        ],
        size=9.5,
    )


_NTA_ADVISALS = (
    (
        "Alien Registration",
        "This copy of the Notice to Appear served on you is your record of the charges against "
        "you. Your alien registration number appears on it. Write that number on every paper "
        "you send to the immigration court.",
    ),
    (
        "Representation",
        "You may be represented in these proceedings by an attorney or another qualified "
        "representative of your choice, at no expense to the Government. A list of "
        "organisations that may help at no cost is given to you with this notice. The "
        "immigration judge can give you time to find a representative.",
    ),
    (
        "Conduct of the hearing",
        "Bring to your hearing the documents you want the judge to consider: identity papers, "
        "statements from witnesses and anything that supports an application for relief. You "
        "may present evidence and witnesses, and you may look at and object to the evidence "
        "offered against you. The hearing is recorded. Tell the court which language you "
        "speak best; an interpreter is provided at no cost.",
    ),
    (
        "Failure to appear",
        "You must tell the immigration court your full mailing address and telephone number, "
        "and tell it again in writing within five days of any change (Form EOIR-33). Notices "
        "are sent to the last address you gave. If you miss a hearing without good reason, "
        "the judge may order you removed in your absence, and some forms of relief may be "
        "barred for ten years.",
    ),
    (
        "Mandatory duty to surrender for removal",
        "If you become subject to a final order of removal, you must surrender to the "
        "Department of Homeland Security as instructed. Not doing so can make you ineligible "
        "for most discretionary relief while you remain in the United States.",
    ),
    (
        "U.S. citizenship claims",
        "If you believe that you are a citizen or national of the United States, tell the "
        "Department of Homeland Security and the immigration judge at once.",
    ),
)


def _nta_advisals(lay: _Layout) -> None:
    lay.new_page()
    lay.line("NOTICE TO RESPONDENT", font=SANS_BOLD, size=13, align="center")
    lay.line("Read this page carefully. It explains what you must do.", size=9, align="center")
    lay.gap(8)
    for title, text in _NTA_ADVISALS:
        lay.heading(title, size=10, band=True)
        lay.para(text, size=9.5)
    lay.heading("Request for prompt hearing", size=10, band=True)
    lay.para(
        "I ask that my hearing take place sooner than ten days after this notice is served, "
        "and I give up my right to that ten-day period.",
        size=9.5,
    )


def _nta_service(
    lay: _Layout, resp: Respondent, served_on: date, rng: random.Random, stamp: datetime
) -> None:
    lay.new_page()
    lay.line("CERTIFICATE OF SERVICE", font=SANS_BOLD, size=13, align="center")
    lay.gap(8)
    lay.para(
        f"I served this Notice to Appear on the respondent on {_long_date(served_on)}, as "
        "section 239(a)(1) of the Act requires, in the manner checked below:",
        size=10,
    )
    personal = rng.random() < 0.7
    lay.checkbox("in person", personal)
    lay.checkbox("by certified mail, return receipt requested", not personal)
    lay.checkbox("by regular mail", False)
    lay.gap(4)
    lay.checkbox("A list of organisations offering free legal services was provided.", True)
    lay.checkbox("A credible fear worksheet is attached.", rng.random() < 0.3)
    lay.gap(4)
    lay.para(
        f"I told the respondent orally, in {resp.language}, when and where the hearing will be "
        "held and what follows from not attending it (section 240(b)(7) of the Act).",
        size=10,
    )
    lay.gap(10)
    lay.signature("Signature of respondent if personally served", resp.display_name, rng=rng)
    officer = rng.choice(_OFFICERS)
    lay.signature(
        "Signature and title of officer", f"{officer}, {rng.choice(_OFFICER_TITLES)}", rng=rng
    )
    lay.line(f"Served at {_clock(stamp)} on {_long_date(served_on)}", size=9)


def notice_to_appear(
    resp: Respondent, court: CourtInfo, *, served_on: date, charges: list[str], seed: int
) -> bytes:
    """A notice to appear (I-862 style): front page, advisals, certificate of service."""
    rng = _rng("nta", seed, resp.a_number, served_on.isoformat(), *charges)
    stamp = _stamp(served_on, rng)
    lay = _Layout(_Style(DHS_HEADER, "Form I-862 (demo)"))
    _nta_front(lay, resp, court, charges or ["212(a)(6)(A)(i)"], served_on, rng)
    _nta_advisals(lay)
    _nta_service(lay, resp, served_on, rng, stamp)
    title = f"Notice to Appear - {resp.full_name} - {format_a_number(resp.a_number)}"
    return _finish(lay, title=title, subject="Notice to Appear", stamp=stamp)


# --------------------------------------------------------------------------- I-589

I589_HEADER = (
    "Department of Homeland Security - U.S. Citizenship and Immigration Services",
    "U.S. Department of Justice - Executive Office for Immigration Review",
)


def _yes_no(lay: _Layout, question: str, yes: bool) -> None:
    lay.para(question, size=9.5, after=2)
    lay.checkbox_row([("No", not yes), ("Yes", yes), ("", False), ("", False)])


def _i589_title(lay: _Layout) -> None:
    lay.line(
        "APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL",
        font=SANS_BOLD,
        size=13,
        align="center",
    )
    lay.line(
        "Type or print in black ink. Attach additional sheets as Supplement A or B where needed.",
        size=8.5,
        align="center",
    )
    lay.gap(6)


def _i589_part_a1(lay: _Layout, resp: Respondent, rng: random.Random) -> None:
    _i589_title(lay)
    lay.heading("Part A.I.  Information About You", band=True)
    lay.fields(
        [
            ("1. Alien Registration Number (A-Number)", format_a_number(resp.a_number), 1.3),
            ("2. U.S. Social Security No. (if any)", "None", 1),
            ("3. USCIS Online Account No. (if any)", "None", 1),
        ]
    )
    lay.fields(
        [
            ("4. Complete last name", resp.last_name.upper(), 1),
            ("5. First name", resp.first_name, 1),
            ("6. Middle name", rng.choice(["", "Maria", "Jose", "Amadou", "Lin"]), 1),
        ]
    )
    lay.fields([("7. Other names used (include maiden name and aliases)", "None", 1)])
    phone = f"(555) {rng.randrange(200, 999)}-{rng.randrange(10000):04d}"
    lay.fields(
        [
            ("8. Residence in the U.S. (where you physically reside)", resp.address, 3),
            ("Telephone", phone, 1),
        ]
    )
    lay.fields([("9. Mailing address in the U.S. (if different from above)", "Same as above", 1)])
    male = rng.random() < 0.55
    lay.line("10. Gender:", size=9)
    lay.checkbox_row([("Male", male), ("Female", not male)])
    married = rng.random() < 0.5
    lay.line("11. Marital status:", size=9)
    lay.checkbox_row(
        [("Single", not married), ("Married", married), ("Divorced", False), ("Widowed", False)]
    )
    birth_town = rng.choice(_TOWNS)
    lay.fields(
        [
            ("12. Date of birth (mm/dd/yyyy)", _short_date(resp.date_of_birth), 1),
            ("13. City and country of birth", f"{birth_town}, {resp.nationality}", 2),
        ]
    )
    lay.fields(
        [
            ("14. Present nationality", resp.nationality, 1),
            ("15. Nationality at birth", resp.nationality, 1),
            (
                "16. Race, ethnic or tribal group",
                rng.choice(["Mestizo", "Akan", "Han", "Quechua", "Tigrinya"]),
                1,
            ),
            (
                "17. Religion",
                rng.choice(["Catholic", "Evangelical", "Muslim", "None", "Orthodox"]),
                1,
            ),
        ]
    )
    lay.line("18. Check the box that applies:", size=9)
    lay.checkbox("a. I have never been in immigration court proceedings.", False)
    lay.checkbox("b. I am now in immigration court proceedings.", True)
    lay.checkbox(
        "c. I am not now in immigration court proceedings, but I have been in the past.", False
    )


def _i589_entries(lay: _Layout, resp: Respondent, rng: random.Random) -> None:
    last = date(2018, 1, 1) + timedelta(days=rng.randrange(1800))
    lay.fields(
        [
            ("19a. When did you last leave your country? (mmm/dd/yyyy)", _short_date(last), 1),
            ("19b. Current I-94 number, if any", "None", 1),
        ]
    )
    lay.para(
        "19c. List each entry into the United States, beginning with your most recent entry:",
        size=9,
        after=2,
    )
    rows = [
        [_short_date(last + timedelta(days=rng.randrange(5, 60))), rng.choice(_PORTS), "EWI", "N/A"]
    ]
    lay.table(["Date", "Place", "Status", "Date status expires"], rows)
    lay.fields(
        [
            ("20. Country that issued your last passport", resp.nationality, 1.4),
            ("Passport number", f"{rng.choice('KPGX')}{rng.randrange(10**7):07d}", 1),
            ("Expiration date", _short_date(last + timedelta(days=2000)), 1),
        ]
    )
    fluent = rng.random() < 0.25
    lay.fields(
        [
            ("21. Native language (include dialect)", resp.language, 1.4),
            ("22. Fluent in English?", "Yes" if fluent else "No", 1),
            (
                "23. Other languages spoken fluently",
                rng.choice(["None", "Spanish", "French", "English"]),
                1,
            ),
        ]
    )


def _i589_part_a2(lay: _Layout, resp: Respondent, rng: random.Random) -> None:
    lay.new_page()
    lay.heading("Part A.II.  Information About Your Spouse and Children", band=True)
    married = rng.random() < 0.5
    lay.checkbox("Your spouse:  I am not married. (Skip to Your Children below.)", not married)
    if married:
        spouse = rng.choice(["Ana", "Fatou", "Mei", "Rosa", "Yohannes", "Carlos"])
        lay.fields(
            [
                ("1. Alien Registration Number (if any)", "None", 1),
                ("2. Passport/ID card number", f"{rng.randrange(10**8):08d}", 1),
                (
                    "3. Date of birth",
                    _short_date(resp.date_of_birth + timedelta(days=rng.randrange(-2000, 2000))),
                    1,
                ),
            ]
        )
        lay.fields(
            [
                ("4. Complete last name", resp.last_name.upper(), 1),
                ("5. First name", spouse, 1),
                ("6. Middle name", "", 1),
            ]
        )
        lay.fields(
            [
                (
                    "7. Date of marriage",
                    _short_date(date(2010, 1, 1) + timedelta(days=rng.randrange(3000))),
                    1,
                ),
                ("8. Place of marriage", f"{rng.choice(_TOWNS)}, {resp.nationality}", 2),
            ]
        )
        lay.fields(
            [
                (
                    "9. Is this person in the U.S.?",
                    rng.choice(["No - remains in country", "Yes"]),
                    1,
                ),
                ("10. Included in this application?", "No", 1),
            ]
        )
    lay.gap(10)
    children = rng.randrange(0, 4)
    lay.checkbox("Your children:  I do not have any children. (Skip to Part A.III.)", children == 0)
    lay.fields([("Total number of children", str(children), 1), ("", "", 3)])
    if children:
        rows = [
            [
                rng.choice(["Luis", "Amina", "Wei", "Sofia", "Kofi"]),
                resp.last_name.upper(),
                _short_date(date(2008, 1, 1) + timedelta(days=rng.randrange(5000))),
                resp.nationality,
                "No",
            ]
            for _ in range(children)
        ]
        lay.table(["First name", "Last name", "Date of birth", "Nationality", "In the U.S.?"], rows)


def _i589_part_a3(lay: _Layout, resp: Respondent, rng: random.Random) -> None:
    lay.new_page()
    lay.heading("Part A.III.  Information About Your Background", band=True)
    country = resp.nationality
    lay.para("1. Your last address outside the United States:", size=9, after=2)
    lay.table(
        ["Street and number", "City/Town", "Province/State", "Country"],
        [
            [
                f"{rng.randrange(1, 300)} Calle Central",
                rng.choice(_TOWNS),
                "Northern Province",
                country,
            ]
        ],
    )
    lay.para("2. Your residences during the past five years, most recent first:", size=9, after=2)
    lay.table(
        ["Street and number", "City/Town", "From (mo/yr)", "To (mo/yr)"],
        [
            [
                f"{rng.randrange(1, 300)} Market Road",
                rng.choice(_TOWNS),
                f"0{rng.randrange(1, 10)}/{2012 + i}",
                f"0{rng.randrange(1, 10)}/{2015 + i}",
            ]
            for i in range(2)
        ],
    )
    lay.para("3. Your education, beginning with the most recent school attended:", size=9, after=2)
    lay.table(
        ["Name of school", "Type of school", "Location", "Attended (years)"],
        [
            ["Escuela Secundaria No. 4", "Secondary", rng.choice(_TOWNS), "2001-2006"],
            ["Primary School of the Hills", "Primary", rng.choice(_TOWNS), "1995-2001"],
        ],
    )
    lay.para("4. Your employment during the past five years, most recent first:", size=9, after=2)
    lay.table(
        ["Name and address of employer", "Your occupation", "From (mo/yr)", "To (mo/yr)"],
        [
            [
                rng.choice(["Family farm", "Town market stall", "Delta Bus Company"]),
                rng.choice(["Farmer", "Vendor", "Driver", "Teacher"]),
                "01/2014",
                "06/2019",
            ]
        ],
    )
    lay.para("5. Your parents and siblings (mark deceased where applicable):", size=9, after=2)
    rows = [
        [
            rel,
            rng.choice(["Rosa", "Jean", "Abebe", "Hui", "Miguel"]) + " " + resp.last_name,
            f"{rng.choice(_TOWNS)}, {country}",
            rng.choice(["Same as birth", "Deceased", "Unknown"]),
        ]
        for rel in ("Mother", "Father", "Sibling", "Sibling")
    ]
    lay.table(
        ["Relationship", "Full name", "City/Town and country of birth", "Current location"], rows
    )


_GROUNDS = (
    "Race",
    "Religion",
    "Nationality",
    "Political opinion",
    "Particular social group",
    "Torture Convention",
)


def _i589_part_b(lay: _Layout, narr: Iterator[str], rng: random.Random) -> None:
    lay.new_page()
    lay.heading("Part B.  Information About Your Application", band=True)
    lay.para(
        "1. Why are you applying for asylum or withholding of removal? Check every ground that "
        "applies:",
        size=9.5,
        after=2,
    )
    picks = set(rng.sample(range(5), rng.randrange(1, 3))) | {5}
    lay.checkbox_row([(g, i in picks) for i, g in enumerate(_GROUNDS[:3])])
    lay.checkbox_row([(g, i + 3 in picks) for i, g in enumerate(_GROUNDS[3:])])
    _yes_no(
        lay,
        "A. Have you, your family or people close to you been harmed, mistreated or "
        "threatened in the past? If so, describe what happened, when, who was responsible "
        "and why you think it happened.",
        True,
    )
    lay.box([next(narr)], size=9, font=MONO)
    _yes_no(
        lay,
        "B. Do you fear that you will be harmed or mistreated if you go back? If so, describe "
        "the harm, who would cause it and why.",
        True,
    )
    lay.box([next(narr)], size=9, font=MONO)
    _yes_no(
        lay,
        "2. Have you or anyone in your family been accused, arrested, detained, questioned, "
        "convicted or imprisoned in a country other than the United States?",
        rng.random() < 0.4,
    )
    _yes_no(
        lay,
        "3.A. Have you or your family been members of, or connected to, any organisation or "
        "group in your home country (a party, union, student, religious or ethnic group)?",
        True,
    )
    lay.box(
        [
            f"I was an active member of {rng.choice(_GROUPS)} from {rng.randrange(2008, 2016)} "
            "until I left."
        ],
        size=9,
        font=MONO,
    )
    _yes_no(
        lay,
        "4. Do you fear torture in your home country or in any other country you could be sent to?",
        True,
    )
    lay.box([next(narr)], size=9, font=MONO)


_PART_C = (
    "1. Has anyone in your immediate family (you, your spouse, children, parents or "
    "siblings) ever asked the U.S. Government for refugee status, asylum or withholding?",
    "2.A. After leaving the country you fear, did you or your family pass through or live in "
    "another country before you came to the United States?",
    "2.B. Do you or a family member in this application hold, or have you ever applied for, "
    "lawful status in a third country?",
    "3. Have you or a family member in this application ever taken part in harming anyone "
    "because of that person's race, religion, nationality, social group or political opinion?",
    "4. Have you gone back to the country you fear since you first left it?",
    "5. Is this application being filed more than one year after you last arrived in the "
    "United States? If so, give the reasons.",
    "6. Have you or a family member in this application ever been arrested, charged or "
    "convicted for a crime in the United States?",
)


def _i589_part_c(lay: _Layout, rng: random.Random) -> None:
    lay.new_page()
    lay.heading("Part C.  Additional Information About Your Application", band=True)
    for i, question in enumerate(_PART_C):
        _yes_no(lay, question, i == 1 or (i == 4 and rng.random() < 0.3))
        if i == 1:
            lay.box(
                [
                    f"I passed through two countries by bus over about {rng.randrange(2, 6)} "
                    "weeks and did not ask for protection there."
                ],
                size=9,
                font=MONO,
            )


def _i589_part_d(lay: _Layout, resp: Respondent, rng: random.Random, signed: date) -> None:
    lay.new_page()
    lay.heading("Part D.  Your Signature", band=True)
    lay.para(
        "I declare under penalty of perjury that the information in this application and in "
        "the evidence I am submitting with it is true and correct to the best of my knowledge. "
        "I understand that knowingly making a false statement, or filing an application found "
        "to be frivolous, can bar me permanently from benefits under the immigration laws.",
        size=9.5,
    )
    lay.signature("Signature of applicant (the person in Part A.I.)", resp.display_name, rng=rng)
    lay.fields(
        [
            ("Date (mm/dd/yyyy)", _short_date(signed), 1),
            ("Name in native alphabet", resp.display_name, 2),
        ]
    )
    lay.gap(6)
    lay.checkbox_row([("Family member assisted me", False), ("Someone else assisted me", True)])
    lay.heading("Part E.  Declaration of Person Preparing Form, if Other Than Applicant", band=True)
    attorney = rng.choice(_ATTORNEYS)
    lay.para(
        "I declare that I prepared this application at the request of the person named in "
        f"Part D, that it is based on all information of which I have knowledge, and that it "
        f"was read to the applicant in {resp.language}, the language the applicant speaks best.",
        size=9.5,
    )
    lay.signature("Signature of preparer", attorney, rng=rng)
    lay.fields(
        [
            ("Preparer's organisation", rng.choice(_ORGS), 2),
            ("EOIR ID", f"{rng.choice('ABCDEFGHJK')}{rng.randrange(10**6):06d}", 1),
        ]
    )
    lay.heading("Part F.  To Be Completed at Asylum Interview or Hearing", band=True)
    lay.para(
        "Sworn or affirmed before the officer below: the applicant confirmed knowing what "
        "this application and its supplements say, and that any corrections were made by the "
        "applicant or at the applicant's request.",
        size=9.5,
    )
    lay.fields([("Signature of applicant", "", 2), ("Date", "", 1)])
    lay.fields([("Signature of asylum officer or immigration judge", "", 2), ("Date", "", 1)])


def _i589_supplement(lay: _Layout, resp: Respondent, narr: Iterator[str], target: int) -> None:
    """Supplement B continuation sheets, filled up to exactly ``target`` pages in all."""
    if len(lay.pages) >= target:
        return
    lay.limit = target
    try:
        lay.new_page()
        lay.heading("Supplement B, Form I-589 - Additional Information About Your Claim", band=True)
        lay.fields(
            [
                ("A-Number", format_a_number(resp.a_number), 1),
                ("Applicant's name", resp.full_name, 2),
                ("Part / Question", "Part B, Question 1.A", 1),
            ]
        )
        lay.gap(6)
        while True:
            lay.para(next(narr), font=MONO, size=9.5, leading=1.45, after=8)
    except _Full:
        pass
    finally:
        lay.limit = None


def i589_application(resp: Respondent, *, seed: int) -> bytes:
    """An asylum application (I-589 style), 8-12 pages, parts A to F filled in."""
    rng = _rng("i589", seed, resp.a_number)
    signed = _seed_day(seed, rng)
    narr = _narrative(rng)
    lay = _Layout(_Style(I589_HEADER, "Form I-589 (demo)", header_font=SANS))
    _i589_part_a1(lay, resp, rng)
    _i589_entries(lay, resp, rng)
    _i589_part_a2(lay, resp, rng)
    _i589_part_a3(lay, resp, rng)
    _i589_part_b(lay, narr, rng)
    _i589_part_c(lay, rng)
    _i589_part_d(lay, resp, rng, signed)
    _i589_supplement(lay, resp, narr, max(8, rng.randint(8, 12)))
    title = f"Form I-589 - {resp.full_name} - {format_a_number(resp.a_number)}"
    stamp = _stamp(signed, rng)
    return _finish(
        lay, title=title, subject="Application for Asylum and Withholding of Removal", stamp=stamp
    )


# --------------------------------------------------------------------------- evidence packet


@dataclass(frozen=True)
class _Exhibit:
    letter: str
    title: str
    kind: str  # "declaration" | "witness" | "country" | "scan"
    pages: int


_SCAN_KINDS = {
    "Birth certificate with certified translation": "CIVIL REGISTRY OFFICE",
    "Letter of support from community church": "PARISH OF SAINT ANSELM",
    "Police summons (translation attached)": "MUNICIPAL POLICE - DISTRICT STATION",
    "Medical clinic record": "REGIONAL HEALTH CENTRE",
    "Membership letter": "THE RURAL TEACHERS' UNION",
    "Newspaper article (translation attached)": "THE VALLEY HERALD",
}


def _scan_text(kind: str, resp: Respondent, rng: random.Random) -> list[str]:
    """Body paragraphs of a scanned original, written in the third person."""
    name, year = resp.display_name, rng.randrange(2012, 2020)
    texts = {
        "Birth": [
            f"Certificate No. {rng.randrange(10**5, 10**6)}. Registered name: {name}.",
            f"Date of birth: {_long_date(resp.date_of_birth)}. Place of birth: "
            f"{rng.choice(_TOWNS)}, {resp.nationality}.",
            "Entered in the register of births by the civil registrar on the declaration of "
            "the child's mother, in the presence of two witnesses.",
        ],
        "Letter": [
            "To whom it may concern:",
            f"{name} has been a faithful member of our congregation since {year} and has "
            "helped with our food programme and youth choir.",
            f"We know that {name} received threats because of community work, and that "
            "strangers came to the church asking where the family lived.",
            "We respectfully ask the court to give this letter full consideration.",
        ],
        "Police": [
            f"SUMMONS. {name} is ordered to present at this station on "
            f"{_long_date(date(year, rng.randrange(1, 13), rng.randrange(1, 29)))} at 08:00 hours.",
            "The person summoned is to answer questions about activities with "
            f"{rng.choice(_GROUPS)}.",
            "Failure to present will result in an order for detention.",
        ],
        "Medical": [
            f"Patient: {name}. Seen in the emergency room in {rng.choice(_MONTHS)} {year}.",
            "Findings: bruising across the back and upper arms; a cut above the left eye closed "
            "with four stitches; pain on breathing. Patient states injuries were caused by a "
            "beating.",
            "Treatment: wound care, analgesics, rest for ten days. Follow-up advised.",
        ],
        "Membership": [
            f"This letter confirms that {name} has been an active member of our organisation "
            f"since {year}, serving as local secretary.",
            "Members of our organisation have been threatened and detained in recent years.",
        ],
        "Newspaper": [
            "ACTIVISTS REPORT THREATS AFTER TOWN MEETING",
            f"Several members of {rng.choice(_GROUPS)} said this week that armed men visited "
            "their homes after a public meeting about local land rights.",
            "Police declined to comment. Residents said complaints are rarely investigated.",
        ],
    }
    return next(v for k, v in texts.items() if kind.startswith(k))


def _scan_specks(lay: _Layout, rng: random.Random) -> None:
    """Paper tone, the scanner lid's shadow and dust."""
    lay.ops.insert(0, _Rect(0, 0, PAGE_W, PAGE_H, stroke=None, fill=0.96))
    lay.ops.append(_Rect(0, 0, 7, PAGE_H, stroke=None, fill=0.45))
    for _ in range(60):
        x, y = rng.uniform(0, PAGE_W), rng.uniform(0, PAGE_H)
        lay.ops.append(_Circle(x, y, rng.uniform(0.3, 1.2), 0, None, rng.uniform(0.2, 0.7)))


def _split(total: int, rng: random.Random, most: int) -> list[int]:
    """Split ``total`` pages into exhibits of 1..``most`` pages."""
    sizes: list[int] = []
    while total > 0:
        size = min(total, rng.randint(1, most))
        sizes.append(size)
        total -= size
    return sizes


def _packet_plan(pages: int, scanned: int, rng: random.Random) -> list[_Exhibit]:
    """Exhibits in page order: index, declarations, country conditions, then scans."""
    body = pages - scanned - 1  # text pages after the index page
    decl = (body + 1) // 2 if body > 0 else 0
    witness = 1 if body - decl >= 2 else 0
    country = max(body - decl - witness, 0)
    parts = [
        ("Declaration of the respondent", "declaration", decl),
        (f"Declaration of {rng.choice(_WITNESSES)}", "witness", witness),
        ("Country conditions excerpts (synthetic)", "country", country),
    ]
    most = max(3, -(-scanned // 30))
    parts += [(rng.choice(list(_SCAN_KINDS)), "scan", size) for size in _split(scanned, rng, most)]
    letters = (chr(ord("A") + i % 26) * (1 + i // 26) for i in range(len(parts)))
    return [
        _Exhibit(letter, title, kind, n)
        for (title, kind, n), letter in zip(parts, letters, strict=False)
        if n > 0
    ]


def _packet_index(lay: _Layout, resp: Respondent, plan: Sequence[_Exhibit]) -> None:
    lay.limit = 1
    _caption(
        lay,
        resp,
        "UNITED STATES IMMIGRATION COURT",
        "Respondent's exhibits in support of application",
    )
    lay.line("INDEX OF EXHIBITS", font=SERIF_BOLD, size=11, align="center")
    lay.gap(4)
    rows, page = [], 2
    for ex in plan:
        rows.append(
            [
                f"Exhibit {ex.letter}",
                ex.title,
                f"{page}-{page + ex.pages - 1}" if ex.pages > 1 else str(page),
            ]
        )
        page += ex.pages
    with contextlib.suppress(_Full):
        lay.table(["Tab", "Description", "Pages"], rows, weights=(1, 5, 1), font=SERIF)
    lay.limit = None


_COUNTRY = (
    "Observers reported that security forces in rural provinces detained activists without "
    "warrants and held some of them for days without access to a lawyer or their families.",
    "Armed groups controlled parts of several cities, collected extortion payments from "
    "small businesses and punished people who refused or who reported them to the police.",
    "Journalists and community leaders described threats delivered by text message and in "
    "person, and several said that complaints to the police were passed on to the groups.",
    "The government announced programmes to protect witnesses, but civil society "
    "organisations said the programmes lacked funding and rarely reached people outside "
    "the capital.",
    "Members of minority churches reported that services were disrupted and that pastors "
    "were told to stop preaching about corruption.",
    "Prison conditions were harsh; overcrowding, poor sanitation and limited medical care "
    "were widely reported, and some detainees died in custody.",
)


def _country_paras(rng: random.Random) -> Iterator[str]:
    section = 0
    while True:
        section += 1
        yield f"Section {section}. " + " ".join(rng.sample(_COUNTRY, 3))


def _fill_exhibit(lay: _Layout, ex: _Exhibit, paras: Iterator[str], closing: Sequence[str]) -> None:
    """Fill exactly ``ex.pages`` pages, with ``closing`` lines at the end of the last one."""
    lay.limit = len(lay.pages) + ex.pages
    lay.reserve = 24.0 + 14.0 * len(closing)
    lay.new_page()
    lay.line(f"EXHIBIT {ex.letter}", font=SERIF_BOLD, size=12, align="center")
    lay.line(ex.title, font=SERIF_BOLD, size=11, align="center")
    lay.gap(8)
    try:
        while True:
            lay.para(next(paras), font=SERIF, size=11, leading=1.4, after=7)
    except _Full:
        pass
    lay.reserve = 0.0
    lay.gap(10)
    for text in closing:
        lay.line(text, font=SERIF_ITALIC, size=10)
    lay.limit = None


def _scan_source(ex: _Exhibit, resp: Respondent, page: int, rng: random.Random) -> _Layout:
    """The paper original of one scanned page, with paper tone and specks."""
    lay = _Layout(_Style((), "", footer=False))
    lay.new_page()
    lay.line(_SCAN_KINDS[ex.title], font=SERIF_BOLD, size=14, align="center")
    lay.line(f"{rng.choice(_TOWNS)} - {resp.nationality}", font=SERIF, size=11, align="center")
    lay.rule(1.5)
    suffix = f" (page {page} of {ex.pages})" if ex.pages > 1 else ""
    lay.line(ex.title.split(" (")[0] + suffix, font=SERIF_BOLD, size=12, align="center")
    lay.gap(12)
    for text in _scan_text(ex.title, resp, rng):
        lay.para(text, font=SERIF, size=12, leading=1.5, after=9)
    lay.ops.append(_Circle(RIGHT - 90, lay.y + 50, 38, 2.0, 0.35))
    lay.ops.append(_Circle(RIGHT - 90, lay.y + 50, 30, 0.8, 0.35))
    lay.ops.append(_Text(RIGHT - 107, lay.y + 54, "SEALED", SERIF_BOLD, 10, 0.35))
    lay.signature("Authorised signature", rng.choice(_OFFICERS), rng=rng)
    _scan_specks(lay, rng)
    return lay


def _speckle(pix: pymupdf.Pixmap, rng: random.Random) -> pymupdf.Pixmap:
    """Salt-and-pepper sensor noise on a grayscale pixmap."""
    samples = bytearray(pix.samples)
    size = len(samples)
    rand = rng.random
    for _ in range(size // 1500):
        samples[int(rand() * size)] = 40 + int(rand() * 160)
    return pymupdf.Pixmap(pymupdf.csGRAY, pix.width, pix.height, bytes(samples), False)  # type: ignore[no-untyped-call]


def _encode(pix: pymupdf.Pixmap) -> bytes:
    try:
        return bytes(pix.tobytes("jpeg", jpg_quality=SCAN_JPEG_QUALITY))  # type: ignore[no-untyped-call]
    except (ValueError, RuntimeError):  # builds without a JPEG encoder
        return bytes(pix.tobytes("png"))  # type: ignore[no-untyped-call]


def _scan_image(ex: _Exhibit, resp: Respondent, page: int, rng: random.Random) -> bytes:
    """Render a page of paper at scanner resolution, slightly skewed, grayscale, noisy."""
    doc = _build(_scan_source(ex, resp, page, rng))
    zoom = SCAN_DPI / 72
    matrix = pymupdf.Matrix(zoom, zoom).prerotate(rng.choice((-1, 1)) * rng.uniform(0.4, 1.3))  # type: ignore[no-untyped-call]
    pix = doc[0].get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
    doc.close()  # type: ignore[no-untyped-call]
    return _encode(_speckle(pix, rng))


def _declaration_paras(resp: Respondent, rng: random.Random) -> Iterator[str]:
    yield (
        f"I, {resp.display_name}, declare that I am the respondent in these proceedings, "
        f"that I was born on {_long_date(resp.date_of_birth)} in {resp.nationality}, and that "
        f"this statement was read back to me in {resp.language}."
    )
    for number, text in enumerate(_narrative(rng), start=1):
        yield f"{number}. {text}"


def _witness_paras(resp: Respondent, rng: random.Random) -> Iterator[str]:
    yield (
        f"I have known {resp.display_name} for many years. We lived in the same town and I saw "
        "much of what is described below with my own eyes."
    )
    for text in _narrative(rng):
        yield text.replace(" my ", " their ").replace("I ", "the respondent ")


def evidence_packet(resp: Respondent, *, seed: int, pages: int, scanned_pages: int) -> bytes:
    """An exhibit index, declarations and country conditions, ``scanned_pages`` of them scans.

    The packet has exactly ``pages`` pages; the scanned ones are images with no text layer.
    """
    if pages < 1 or not 0 <= scanned_pages <= pages:
        raise ValueError("need pages >= 1 and 0 <= scanned_pages <= pages")
    rng = _rng("evidence", seed, resp.a_number, pages, scanned_pages)
    lay = _Layout(_Style((), f"Respondent's evidence - {format_a_number(resp.a_number)}"))
    plan = _packet_plan(pages, scanned_pages, rng)
    if scanned_pages < pages:
        _packet_index(lay, resp, plan)
    _packet_body(lay, resp, plan, rng)
    title = f"Evidence - {resp.full_name} - {format_a_number(resp.a_number)}"
    stamp = _stamp(_seed_day(seed, rng), rng)
    return _finish(lay, title=title, subject="Respondent's evidence packet", stamp=stamp)


def _packet_body(
    lay: _Layout, resp: Respondent, plan: Sequence[_Exhibit], rng: random.Random
) -> None:
    sign = [
        f"Signed under penalty of perjury on {_long_date(_seed_day(1, rng))}.",
        "____________________________",
    ]
    for ex in plan:
        if ex.kind == "scan":
            for page in range(1, ex.pages + 1):
                lay.add_image_page(_scan_image(ex, resp, page, rng))
        elif ex.kind == "declaration":
            _fill_exhibit(lay, ex, _declaration_paras(resp, rng), sign)
        elif ex.kind == "witness":
            _fill_exhibit(lay, ex, _witness_paras(resp, rng), sign)
        else:
            closing = [
                "These excerpts are invented for a demonstration system; they describe no real "
                "country."
            ]
            _fill_exhibit(lay, ex, _country_paras(rng), closing)


# --------------------------------------------------------------------------- hearing notice

_HEARING_INFO = (
    (
        "Representation",
        "You may be represented by an attorney or accredited representative at no expense to "
        "the Government. A list of free legal service providers is enclosed. Your "
        "representative must file a notice of appearance (Form EOIR-28) with the court.",
    ),
    (
        "Filing deadlines",
        "Documents for a master calendar hearing must reach the court at least 15 days before "
        "the hearing; for an individual hearing, at least 30 days before it. Responses to a "
        "filing are due within 10 days.",
    ),
    (
        "Change of address",
        "Tell the court of any change of address or telephone number within 5 days, using "
        "Form EOIR-33/IC. Notices are sent only to the last address the court has for you.",
    ),
    (
        "If you do not appear",
        "If you fail to attend your hearing without exceptional circumstances, the judge may "
        "order you removed in your absence, and you may be ineligible for some forms of relief.",
    ),
    (
        "Interpreter",
        "The court provides an interpreter at no cost. Tell the court clerk if the language "
        "shown on this notice is not the language you speak best.",
    ),
)


def _hearing_front(lay: _Layout, resp: Respondent, court: CourtInfo, issued: date) -> None:
    lay.line(court.name.upper(), font=SANS_BOLD, size=11, align="center")
    lay.line(f"{court.address}, {court.city}", size=9.5, align="center")
    lay.gap(10)
    lay.line(f"To: {resp.full_name}", font=MONO, size=10)
    lay.line(f"    {resp.address}", font=MONO, size=10)
    lay.gap(8)
    lay.line(f"Re: {resp.full_name}", size=10)
    lay.line(f"File: {format_a_number(resp.a_number)}", font=SANS_BOLD, size=10)
    lay.line(f"Date: {_long_date(issued)}", size=10)
    lay.gap(8)
    lay.line("NOTICE OF HEARING IN REMOVAL PROCEEDINGS", font=SANS_BOLD, size=13, align="center")
    lay.gap(8)


def _hearing_box(
    lay: _Layout, court: CourtInfo, hearing_at: datetime, kind: str, room: str, judge: str
) -> None:
    lay.para(
        f"The immigration court has set your case for a {kind.upper()} hearing:",
        size=10.5,
    )
    lay.box(
        [
            f"{_long_date(hearing_at.date())} at {_clock(hearing_at)}",
            f"{court.name}, {court.address}, {court.city}",
            f"Courtroom {room} - Immigration Judge {judge}",
        ],
        size=11,
        font=SANS_BOLD,
    )


def _hearing_service(lay: _Layout, issued: date, rng: random.Random) -> None:
    lay.gap(6)
    lay.heading("CERTIFICATE OF SERVICE", size=10, band=True)
    electronic = rng.random() < 0.6
    lay.para("This document was served by:", size=9.5, after=2)
    lay.checkbox_row(
        [("Mail", not electronic), ("Personal service", False), ("Electronic service", electronic)]
    )
    lay.para("To:", size=9.5, after=2)
    lay.checkbox_row(
        [
            ("Respondent", True),
            ("Respondent c/o custodial officer", False),
            ("Respondent's ATT/REP", rng.random() < 0.5),
            ("DHS", True),
        ]
    )
    initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2))
    lay.line(f"Date: {_short_date(issued)}          By: Court staff {initials}", size=9.5)


def hearing_notice(
    resp: Respondent,
    court: CourtInfo,
    *,
    hearing_at: datetime,
    hearing_type: str,
    courtroom: str,
    judge: str,
    seed: int,
) -> bytes:
    """A notice of hearing (2 pages): the notice with certificate of service, then advisals."""
    rng = _rng(
        "hearing", seed, resp.a_number, hearing_at.isoformat(), hearing_type, courtroom, judge
    )
    issued = hearing_at.date() - timedelta(days=rng.randrange(30, 120))
    lay = _Layout(_Style((*EOIR_HEADER, "Immigration Court"), "Notice of Hearing (demo)"))
    _hearing_front(lay, resp, court, issued)
    _hearing_box(lay, court, hearing_at, hearing_type, courtroom, judge)
    lay.para(
        "You may be represented at this hearing by an attorney or accredited representative "
        "of your choice at no expense to the Government. If you fail to appear, the hearing "
        "may go ahead without you and an order of removal may be entered. Bring this notice "
        "and any identity documents with you.",
        size=10,
    )
    _hearing_service(lay, issued, rng)
    lay.new_page()
    lay.line("IMPORTANT INFORMATION ABOUT YOUR HEARING", font=SANS_BOLD, size=12, align="center")
    lay.gap(8)
    for title, text in _HEARING_INFO:
        lay.heading(title, size=10, band=True)
        lay.para(text, size=10)
    lay.para(f"Language on file for this case: {resp.language}.", font=SANS_BOLD, size=10)
    title = f"Notice of Hearing - {resp.full_name} - {format_a_number(resp.a_number)}"
    return _finish(
        lay, title=title, subject=f"{hearing_type} hearing notice", stamp=_stamp(issued, rng)
    )


# --------------------------------------------------------------------------- brief

_SECTIONS = (
    "THE RESPONDENT IS CREDIBLE AND HIS OR HER ACCOUNT IS CORROBORATED",
    "THE HARM SUFFERED RISES TO THE LEVEL OF PERSECUTION",
    "THE PERSECUTION WAS ON ACCOUNT OF A PROTECTED GROUND",
    "THE GOVERNMENT IS UNABLE OR UNWILLING TO PROTECT THE RESPONDENT",
    "INTERNAL RELOCATION IS NOT REASONABLE",
    "THE RESPONDENT QUALIFIES FOR WITHHOLDING OF REMOVAL UNDER INA 241(b)(3)",
    "THE RESPONDENT QUALIFIES FOR PROTECTION UNDER THE CONVENTION AGAINST TORTURE",
    "THE APPLICATION WAS TIMELY OR AN EXCEPTION APPLIES",
)

_ARGUMENT = (
    "The respondent bears the burden of establishing eligibility under INA 208(b)(1)(B)(i), "
    "and the testimony of a credible applicant may carry that burden without corroboration. "
    "Here the testimony is detailed, internally consistent and consistent with the exhibits.",
    "The record shows repeated threats, a detention and a beating, considered together and "
    "not in isolation. Harm of this kind, inflicted over months, is persecution.",
    "The persecutors' own words show why they targeted the respondent: they named the "
    "respondent's organisation and demanded that the activities stop. At least one central "
    "reason for the harm is a protected ground.",
    "The respondent reported the attack and was turned away; the country materials in the "
    "record describe police who pass complaints to the very groups they concern.",
    "Because past persecution is established, a well-founded fear of future persecution is "
    "presumed under 8 C.F.R. 1208.13(b)(1), and the Department has not rebutted it.",
    "The respondent was found within weeks after moving to another province. Relocation "
    "is neither safe nor reasonable in light of the persecutors' reach.",
    "For the same reasons, it is more likely than not that the respondent's life or freedom "
    "would be threatened on return, and withholding of removal is mandatory.",
    "Public officials acquiesced in the harm by remaining wilfully blind to it; the "
    "respondent therefore also qualifies for deferral or withholding under 8 C.F.R. 1208.16(c).",
)


def _deck(items: Sequence[str], rng: random.Random) -> Iterator[str]:
    """Endless draws from ``items``, each used once per shuffled round."""
    while True:
        order = list(items)
        rng.shuffle(order)
        yield from order


def _quote(narr: Iterator[str], number: int) -> str:
    return f'The respondent\'s declaration states (Exh. A, para. {number}): "{next(narr)}"'


def _brief_body(resp: Respondent, rng: random.Random) -> Iterator[tuple[str, str]]:
    """Endless (kind, text) items: headings and paragraphs of an asylum brief."""
    yield "heading", "I. INTRODUCTION"
    yield (
        "para",
        (
            f"The respondent, {resp.display_name}, a native and citizen of {resp.nationality}, "
            "respectfully submits this brief in support of the applications for asylum, "
            "withholding of removal and protection under the Convention Against Torture."
        ),
    )
    yield "heading", "II. STATEMENT OF FACTS"
    narr = _narrative(rng)
    for number in range(1, rng.randrange(3, 5)):
        yield "para", _quote(narr, number)
    yield "heading", "III. ARGUMENT"
    args = _deck(_ARGUMENT, rng)
    for number in range(10_000):
        letter = chr(ord("A") + number % 26) * (1 + number // 26)
        yield "heading", f"{letter}. {_SECTIONS[number % len(_SECTIONS)]}"
        for _ in range(rng.randrange(2, 4)):
            use_quote = rng.random() < 0.25
            yield "para", _quote(narr, rng.randrange(5, 40)) if use_quote else next(args)


def _brief_head(lay: _Layout, resp: Respondent, title: str, rng: random.Random) -> str:
    attorney = rng.choice(_ATTORNEYS)
    org = rng.choice(_ORGS)
    for text in (
        attorney,
        org,
        f"{rng.randrange(10, 999)} Example Avenue, Suite {rng.randrange(100, 900)}",
        f"EOIR ID: {rng.choice('ABCDEFGHJK')}{rng.randrange(10**6):06d}",
        "Counsel for the Respondent",
    ):
        lay.line(text, font=SERIF, size=10)
    lay.gap(10)
    lay.line("UNITED STATES DEPARTMENT OF JUSTICE", font=SERIF_BOLD, size=11, align="center")
    lay.line("EXECUTIVE OFFICE FOR IMMIGRATION REVIEW", font=SERIF_BOLD, size=11, align="center")
    _caption(lay, resp, "IMMIGRATION COURT", title)
    return attorney


def _brief_close(
    lay: _Layout, resp: Respondent, attorney: str, rng: random.Random, filed: date
) -> None:
    lay.heading("CONCLUSION", size=11)
    lay.para(
        f"For these reasons, the court should grant {resp.display_name}'s applications.",
        font=SERIF,
        size=11,
    )
    lay.signature(f"Counsel for the respondent - {_long_date(filed)}", attorney, rng=rng)
    lay.line("CERTIFICATE OF SERVICE", font=SERIF_BOLD, size=10)
    lay.line(
        f"On {_long_date(filed)} I served a copy of this brief on DHS counsel electronically.",
        font=SERIF,
        size=10,
    )


def brief(resp: Respondent, *, title: str, seed: int, pages: int) -> bytes:
    """A practitioner's brief of exactly ``pages`` pages: caption, argument, conclusion."""
    if pages < 1:
        raise ValueError("pages must be >= 1")
    rng = _rng("brief", seed, resp.a_number, title, pages)
    filed = _seed_day(seed, rng)
    lay = _Layout(_Style((), f"{title} - {format_a_number(resp.a_number)}"))
    attorney = _brief_head(lay, resp, title, rng)
    lay.limit, lay.reserve = pages, 170.0
    try:
        for kind, text in _brief_body(resp, rng):
            if kind == "heading":
                lay.heading(text, size=10.5)
            else:
                lay.para(text, font=SERIF, size=11.5, leading=1.6, indent=0, after=8)
    except _Full:
        pass
    lay.reserve = 0.0
    _brief_close(lay, resp, attorney, rng, filed)
    lay.limit = None
    return _finish(
        lay, title=f"{title} - {resp.full_name}", subject="Brief", stamp=_stamp(filed, rng)
    )


# --------------------------------------------------------------------------- sample


def sample_pdf_bytes() -> bytes:
    """A short, fixed 2-page sample document for self-tests."""
    lay = _Layout(_Style(EOIR_HEADER, "Sample (demo)"))
    lay.line("SAMPLE DOCUMENT", font=SANS_BOLD, size=14, align="center")
    lay.gap(8)
    lay.para(
        "This two-page document is generated for self-tests. It has a text layer on both pages."
    )
    lay.fields([("A-Number", format_a_number("123456789"), 1), ("Name", "SAMPLE, Pat", 2)])
    lay.new_page()
    lay.line("Second page", font=SANS_BOLD, size=12)
    lay.para("The end of the sample document.")
    return _finish(
        lay,
        title="Sample document",
        subject="Self-test sample",
        stamp=datetime(2024, 1, 2, 3, 4, 5),
    )
