"""Bates numbers stamped onto copied pages at the PDF-object level.

``page.insert_text`` would make a font resource and rewrite the content of every page;
across thousands of pages that costs more than copying them. Here one Helvetica font
object serves the whole package: each page gets a reference to it in its resources, a
shared ``q`` stream before its own content and a tiny stream of its own after it, so the
original content is wrapped, never rewritten (docs/DOMAIN.md: eROP documents are never altered;
the stamps go on the copy).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pymupdf
from pymupdf import mupdf

FONT_NAME = "EcasBates"
FONT_SIZE = 8.0
_MARGIN_BOTTOM = 14.0
_MARGIN_RIGHT = 24.0
_PAD = 2.0
# The stamp is page furniture, not the document's content: a tagged PDF's reader skips it.
_ARTIFACT = "/Artifact <</Type/Pagination/Subtype/Footer>>"
PAGE_ROLE = "Div"  # a filed document's page, read whole in its content's order


def bates_label(prefix: str, number: int) -> str:
    """``EOIR-<A-number>-000123``: the prefix names the case, the number the page."""
    return f"{prefix}-{number:06d}"


def _frame(
    box: tuple[float, float, float, float], rotation: int, width: float
) -> tuple[float, float, float, float, float, float]:
    """The text frame of a stamp at the visual bottom right, reading upright on a page
    shown with ``rotation`` (the matrix maps the label's own space to PDF space)."""
    x0, y0, x1, y1 = box
    rotation = rotation if rotation in (90, 180, 270) else 0
    right, bottom = _MARGIN_RIGHT + width, _MARGIN_BOTTOM
    if rotation == 90:
        return 0, 1, -1, 0, x1 - bottom, y1 - right
    if rotation == 180:
        return -1, 0, 0, -1, x0 + right, y1 - bottom
    if rotation == 270:
        return 0, -1, 1, 0, x0 + bottom, y0 + right
    return 1, 0, 0, 1, x1 - right, y0 + bottom


def _pdf_text(label: str) -> str:
    return label.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


class BatesStamper:
    """Stamps pages of one output document; made once per package.

    Works through MuPDF's object API (``pymupdf.mupdf``): the string-based
    ``Document.xref_*`` helpers parse and re-serialise objects on every call, ten times
    the cost of the whole copy at thousands of pages.
    """

    def __init__(self, doc: pymupdf.Document, prefix: str, marked_from: int | None = None) -> None:
        """``marked_from``: pages from this index on (the filed documents' pages) are
        wrapped whole in one marked-content sequence, MCID 0, which the package's structure
        tree gives a ``Div`` (a tagged package's reader reads only what its tree holds)."""
        self.pdf = mupdf.pdf_document_from_fz_document(doc.this)
        self.marked_from = marked_from
        self.prefix = prefix
        self.width = float(pymupdf.get_text_length(bates_label(prefix, 0), "helv", FONT_SIZE))
        objects: Any = doc  # its object methods are unannotated
        font = objects.get_new_xref()
        objects.update_object(
            font, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"
        )
        push = objects.get_new_xref()
        objects.update_object(push, "<<>>")
        objects.update_stream(push, b"q\n", compress=False)
        marked = objects.get_new_xref()
        objects.update_object(marked, "<<>>")
        objects.update_stream(marked, f"/{PAGE_ROLE} <</MCID 0>> BDC q\n".encode(), compress=False)
        self.font_ref = mupdf.pdf_new_indirect(self.pdf, font, 0)
        self.push_ref = mupdf.pdf_new_indirect(self.pdf, push, 0)
        self.marked_push_ref = mupdf.pdf_new_indirect(self.pdf, marked, 0)
        names = (
            "CropBox",
            "MediaBox",
            "Rotate",
            "Resources",
            "Font",
            "Contents",
            "Kids",
            FONT_NAME,
        )
        self._n = {name: mupdf.pdf_new_name(name) for name in names}
        self._named: set[int] = set()  # shared resources objects that already name the font
        self._heads: dict[tuple[tuple[float, float, float, float], int, bool], bytes] = {}
        self._no_object = mupdf.PdfObj()

    def _box(self, page: Any) -> tuple[float, float, float, float]:
        """The visible box of a page in PDF user space (CropBox, else MediaBox)."""
        for key in ("CropBox", "MediaBox"):
            box = mupdf.pdf_dict_get_inheritable(page, self._n[key])
            if mupdf.pdf_is_array(box):
                r = mupdf.pdf_to_rect(box)
                return min(r.x0, r.x1), min(r.y0, r.y1), max(r.x0, r.x1), max(r.y0, r.y1)
        return 0.0, 0.0, 612.0, 792.0

    def _dict_at(self, owner: Any, key: str) -> Any:
        """``owner[key]`` as a dictionary, made (empty) when missing."""
        found = mupdf.pdf_dict_get(owner, self._n[key])
        if mupdf.pdf_is_dict(found):
            return found
        return mupdf.pdf_dict_put_dict(owner, self._n[key], 4)

    def stamp_all(self, first_number: int = 1) -> list[Any]:
        """Stamp every page in order, numbering from ``first_number``; returns the page
        objects (indirect references) in order.

        Pages are reached by walking the page tree once: looking each one up by number
        walks it again from the root for every page.
        """
        root = mupdf.pdf_dict_get(mupdf.pdf_trailer(self.pdf), mupdf.pdf_new_name("Root"))
        pages = list(self._leaves(mupdf.pdf_dict_get(root, mupdf.pdf_new_name("Pages")), 0))
        start = len(pages) if self.marked_from is None else self.marked_from
        for offset, page in enumerate(pages):
            self._stamp(page, first_number + offset, offset >= start)
        return pages

    def _leaves(self, node: Any, depth: int) -> Iterator[Any]:
        kids = mupdf.pdf_dict_get(node, self._n["Kids"])
        if not mupdf.pdf_is_array(kids):
            yield node
            return
        if depth > 64:  # a cyclic or absurd tree: refuse rather than recurse forever
            raise ValueError("the page tree is too deep")
        for i in range(mupdf.pdf_array_len(kids)):
            yield from self._leaves(mupdf.pdf_array_get(kids, i), depth + 1)

    def _stamp(self, page: Any, bates_number: int, marked: bool) -> None:
        n = self._n
        rotation = mupdf.pdf_to_int(mupdf.pdf_dict_get_inheritable(page, n["Rotate"])) % 360
        box = self._box(page)
        frame = (box, rotation, marked)
        head = self._heads.get(frame)
        if head is None:  # pages of one size and turn share the drawing around the label
            a, b, c, d, e, f = _frame(box, rotation, self.width)
            close = "EMC " if marked else ""  # the page's own marked content ends here
            head = self._heads[frame] = (
                f"Q {close}{_ARTIFACT} BDC q {a} {b} {c} {d} {e:.2f} {f:.2f} cm "
                f"1 g {-_PAD} {-_PAD - 2} {self.width + 2 * _PAD:.2f} {FONT_SIZE + 2 * _PAD} re f "
                f"0 g BT /{FONT_NAME} {FONT_SIZE} Tf 0 0 Td ("
            ).encode("latin-1")
        label = _pdf_text(bates_label(self.prefix, bates_number)).encode("latin-1")
        data = mupdf.fz_new_buffer_from_copied_data(head + label + b") Tj ET Q EMC\n")
        own = mupdf.pdf_add_stream(self.pdf, data, self._no_object, 0)
        self._name_font(page)
        push = self.marked_push_ref if marked else self.push_ref
        contents = mupdf.pdf_dict_get(page, n["Contents"])
        if mupdf.pdf_is_array(contents) and not mupdf.pdf_is_indirect(contents):
            # The page's own array: wrap it in place (a shared one is never edited).
            mupdf.pdf_array_insert(contents, push, 0)
            mupdf.pdf_array_push(contents, own)
            return
        parts = mupdf.pdf_new_array(self.pdf, 3)
        mupdf.pdf_array_push(parts, push)
        if mupdf.pdf_is_array(contents):
            for i in range(mupdf.pdf_array_len(contents)):
                mupdf.pdf_array_push(parts, mupdf.pdf_array_get(contents, i))
        elif mupdf.pdf_is_stream(contents):
            mupdf.pdf_array_push(parts, contents)
        mupdf.pdf_array_push(parts, own)
        mupdf.pdf_dict_put(page, n["Contents"], parts)

    def _name_font(self, page: Any) -> None:
        """Name the stamp's font in the page's resources. Pages copied from one document
        usually share one resources object: that is done once."""
        resources = mupdf.pdf_dict_get_inheritable(page, self._n["Resources"])
        shared = mupdf.pdf_to_num(resources)  # 0 unless an indirect object
        if shared and shared in self._named:
            return
        if not mupdf.pdf_is_dict(resources):
            resources = self._dict_at(page, "Resources")
        mupdf.pdf_dict_put(self._dict_at(resources, "Font"), self._n[FONT_NAME], self.font_ref)
        if shared:
            self._named.add(shared)
