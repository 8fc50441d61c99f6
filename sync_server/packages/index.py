"""The index pages at the front of an eROP package.

One line per document: its number, filed date (the court's date, in the documents' style of
:mod:`common.court_time`: "December 8, 2026"), type, title and Bates range. The text is
written while the package still has only its index pages (page access in a document of
thousands of pages is slow); the links from each line to its document are added at the
end, when those pages exist (:func:`link_index`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pymupdf
from pymupdf import mupdf

from common import pdf_tags
from common.court_time import format_date

_PYMUPDF: Any = pymupdf  # partly unannotated; typed at this module's edges instead

ROWS_PER_PAGE = 40
PAGE_W, PAGE_H = 612.0, 792.0  # US Letter
_LEFT, _TOP, _ROW = 54.0, 72.0, 15.0
_COLUMNS = (
    ("No.", 0.0),
    ("Filed", 24.0),
    ("Type", 110.0),
    ("Title", 190.0),
    ("Pages", 382.0),
    ("Bates range", 414.0),
)
# "September 30, 2026" is 82 points at 9 pt Helvetica: the widest date fits whole.
_WIDTHS = (22.0, 84.0, 78.0, 188.0, 28.0, 90.0)
_SIZE = 9.0
_REGULAR, _BOLD = "EcasIndex", "EcasIndexBold"


@dataclass(frozen=True)
class IndexLine:
    title: str
    doc_type: str
    filed_on: date
    pages: int
    first_page: int  # 1-based page of the package, equal to its Bates number
    withheld: str = ""  # left out: the line says so instead of its title (no pages, no link)


def index_page_count(documents: int) -> int:
    return max(1, math.ceil(documents / ROWS_PER_PAGE))


class _Widths:
    """Text widths in Helvetica at the index's size, one glyph lookup per character seen
    (``Font.text_length`` looks up every character of every call)."""

    def __init__(self) -> None:
        self.font = _PYMUPDF.Font("helv")
        self.known: dict[str, float] = {}

    def of(self, char: str) -> float:
        width = self.known.get(char)
        if width is None:
            width = self.known[char] = float(self.font.text_length(char, _SIZE))
        return width

    def fit(self, text: str, width: float) -> str:
        """``text``, shortened with an ellipsis to fit ``width`` points."""
        if sum(self.of(c) for c in text) <= width:
            return text
        room, used, end = width - 3 * self.of("."), 0.0, 0
        for end, char in enumerate(text):  # noqa: B007  (end is used after the loop)
            used += self.of(char)
            if used > room:
                break
        return text[:end].rstrip() + "..."


def _winansi(text: str) -> str:
    """``text`` as the base-14 fonts can show it (WinAnsi), escaped for a PDF string.
    Characters outside WinAnsi become "?" here; the bookmarks keep the full title."""
    raw = text.encode("cp1252", errors="replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


_HEADER = "/Artifact <</Type/Pagination/Subtype/Header>> BDC"


class _Content:
    """The content stream of one index page, in PDF space (origin bottom left). Each piece
    of text is marked content: of ``node`` (its next MCID on this page), or, without
    one, a running header repeated from the first page (an artifact)."""

    def __init__(self, page: int) -> None:
        self.parts: list[str] = []
        self.page = page
        self.mcid = 0

    def text(
        self,
        x: float,
        top: float,
        text: str,
        node: pdf_tags.Node | None,
        *,
        bold: bool = False,
        size: float = _SIZE,
    ) -> None:
        font = _BOLD if bold else _REGULAR
        if node is None:
            mark = _HEADER
        else:
            mark = f"/{node.role} <</MCID {self.mcid}>> BDC"
            node.marks.append((self.page, self.mcid))
            self.mcid += 1
        self.parts.append(
            f"{mark} BT /{font} {size:g} Tf {x:.2f} {PAGE_H - top:.2f} Td "
            f"({_winansi(text)}) Tj ET EMC"
        )

    def encode(self) -> bytes:
        return ("\n".join(self.parts) + "\n").encode("latin-1")


def _line_top(row: int) -> float:
    return _TOP + 12 + _ROW * (row + 1)


def _cell(row: pdf_tags.Node, role: str) -> pdf_tags.Node:
    cell = pdf_tags.Node(role)
    row.kids.append(cell)
    return cell


def _page_content(
    page_no: int,
    pages: int,
    lines: Sequence[IndexLine],
    heading: str,
    note: str,
    widths: _Widths,
    index: pdf_tags.Node,
) -> bytes:
    """One index page's content; its text goes into ``index`` (a ``Sect``: the heading,
    the note and one table across the pages, its header row read once)."""
    out = _Content(page_no)
    first = page_no == 0
    table = pdf_tags.Node("Table") if first else index.kids[2]
    more = f" (page {page_no + 1} of {pages})" if pages > 1 else ""
    title = pdf_tags.Node("H1") if first else None
    out.text(_LEFT, _TOP - 30, heading + more, title, bold=True, size=13)
    about = pdf_tags.Node("P") if first else None
    out.text(_LEFT, _TOP - 14, widths.fit(note, PAGE_W - 2 * _LEFT), about)
    header = pdf_tags.Node("TR")
    if first:
        assert title is not None and about is not None
        table.kids += [pdf_tags.Node("THead", kids=[header]), pdf_tags.Node("TBody")]
        index.kids += [title, about, table]
    for title_text, dx in _COLUMNS:
        out.text(
            _LEFT + dx, _TOP + 12, title_text, _cell(header, "TH") if first else None, bold=True
        )
    if not lines:
        empty = pdf_tags.Node("P")
        index.kids.append(empty)
        out.text(_LEFT, _line_top(0), "No accepted documents.", empty)
    body = table.kids[-1]
    chunk = lines[page_no * ROWS_PER_PAGE : (page_no + 1) * ROWS_PER_PAGE]
    for row, line in enumerate(chunk):
        if line.withheld:  # nothing of a withheld document but its place and date
            cells: tuple[str, ...] = (
                str(page_no * ROWS_PER_PAGE + row + 1),
                format_date(line.filed_on),
                "withheld",
                line.withheld,
                "0",
                "none",
            )
            withheld_row = pdf_tags.Node("TR")
            body.kids.append(withheld_row)
            for (_, dx), width, cell in zip(_COLUMNS, _WIDTHS, cells, strict=True):
                out.text(
                    _LEFT + dx, _line_top(row), widths.fit(cell, width), _cell(withheld_row, "TD")
                )
            continue
        cells = (
            str(page_no * ROWS_PER_PAGE + row + 1),
            format_date(line.filed_on),
            line.doc_type.replace("_", " "),
            line.title,
            str(line.pages),
            f"{line.first_page:06d} to {line.first_page + line.pages - 1:06d}",
        )
        tr = pdf_tags.Node("TR")
        body.kids.append(tr)
        for (_, dx), width, cell in zip(_COLUMNS, _WIDTHS, cells, strict=True):
            out.text(_LEFT + dx, _line_top(row), widths.fit(cell, width), _cell(tr, "TD"))
    return out.encode()


def write_index(
    doc: pymupdf.Document,
    lines: Sequence[IndexLine],
    heading: str,
    caption: str,
    bates_prefix: str,
) -> pdf_tags.Node:
    """Write the index on the first pages of ``doc`` (blank Letter pages). The Bates range
    column shows the numbers after ``bates_prefix``, which the caption names once.

    The pages are written as content streams over two base-14 fonts (not embedded), which
    costs a fraction of laying text out glyph by glyph. Their text is marked content; the
    returned ``Sect`` is the index's structure (:func:`common.pdf_tags.write_structure`
    writes it once the package's pages exist).
    """
    index = pdf_tags.Node("Sect")
    objects: Any = doc  # its object methods are unannotated
    fonts = []
    for base in ("Helvetica", "Helvetica-Bold"):
        xref = objects.get_new_xref()
        objects.update_object(
            xref, f"<</Type/Font/Subtype/Type1/BaseFont/{base}/Encoding/WinAnsiEncoding>>"
        )
        fonts.append(xref)
    resources = f"<</Font<</{_REGULAR} {fonts[0]} 0 R/{_BOLD} {fonts[1]} 0 R>>>>"
    note = f"{caption}   Bates numbers: {bates_prefix}-nnnnnn, one per page"
    widths = _Widths()
    pages = index_page_count(len(lines))
    for page_no in range(pages):
        content = objects.get_new_xref()
        objects.update_object(content, "<<>>")
        objects.update_stream(
            content, _page_content(page_no, pages, lines, heading, note, widths, index)
        )
        page_xref = objects.page_xref(page_no)
        objects.xref_set_key(page_xref, "Resources", resources)
        objects.xref_set_key(page_xref, "Contents", f"{content} 0 R")
    return index


def link_index(doc: pymupdf.Document, lines: Sequence[IndexLine], page_refs: Sequence[Any]) -> None:
    """Make each index line a link to its document's first page.

    ``page_refs`` are the package's page objects in order (indirect references), as
    :meth:`sync_server.packages.stamping.BatesStamper.stamp_all` collects them.
    """
    pdf = mupdf.pdf_document_from_fz_document(doc.this)
    name = mupdf.pdf_new_name
    for number, line in enumerate(lines):
        if line.withheld:
            continue  # no pages to link to
        page_no, row = divmod(number, ROWS_PER_PAGE)
        index_page = page_refs[page_no]
        top = _line_top(row)
        annot = mupdf.pdf_new_dict(pdf, 5)
        mupdf.pdf_dict_put(annot, name("Type"), name("Annot"))
        mupdf.pdf_dict_put(annot, name("Subtype"), name("Link"))
        rect = mupdf.FzRect(_LEFT, PAGE_H - top - 4, PAGE_W - _LEFT, PAGE_H - top + 10)
        mupdf.pdf_dict_put_rect(annot, name("Rect"), rect)
        border = mupdf.pdf_dict_put_array(annot, name("Border"), 3)
        for _ in range(3):
            mupdf.pdf_array_push_int(border, 0)
        dest = mupdf.pdf_dict_put_array(annot, name("Dest"), 2)
        mupdf.pdf_array_push(dest, page_refs[line.first_page - 1])
        mupdf.pdf_array_push(dest, name("Fit"))
        annots = mupdf.pdf_dict_get(index_page, name("Annots"))
        if not mupdf.pdf_is_array(annots):
            annots = mupdf.pdf_dict_put_array(index_page, name("Annots"), ROWS_PER_PAGE)
        mupdf.pdf_array_push(annots, mupdf.pdf_add_object(pdf, annot))
