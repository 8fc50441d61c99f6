"""Each kind of annotation as a standard PDF annotation, out and in (PyMuPDF, no Qt).

One writer and one reader per kind; ``desktop.viewer.annotation_kinds`` puts them in its
table with the PDF subtype each maps to, and ``desktop.viewer.annotation_export`` runs
them over a document. A writer adds ``record`` to ``page`` (``to_page`` turns the view's
points into the page's own space) and marks it with the record's id (/NM), author (/T),
comment (/Contents) and date. A reader fills in what ``annot`` carries beyond its bounds
and colour (``Imported``), in the view's points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pymupdf

from common.annotations import AnnotationKind
from common.court_time import pdf_date
from common.wire import Annotation

MUPDF: Any = pymupdf  # PyMuPDF has no type hints for most of its API
Box = tuple[float, float, float, float]


def rgb(color: str) -> tuple[float, float, float]:
    text = color.lstrip("#")
    if len(text) != 6:
        text = "ffd400"
    try:
        return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return (1.0, 0.83, 0.0)


# --- out -------------------------------------------------------------------------------


def _mark(
    doc: Any, annot: Any, record: Annotation, names: dict[str, str], content: str, subject: str
) -> None:
    annot.set_info(
        title=names.get(record.author_id, record.author_id),
        content=content,
        subject=subject,
        creationDate=pdf_date(record.created_at),  # a machine field (ISO 32000 7.9.4), UTC
    )
    annot.update()
    doc.xref_set_key(annot.xref, "NM", MUPDF.get_pdf_str(record.id))


def write_markup(
    doc: Any, page: Any, record: Annotation, names: dict[str, str], to_page: Any
) -> None:
    geom = record.geometry
    quads = [(MUPDF.Rect(q) * to_page).quad for q in geom.get("quads") or [geom["rect"]]]
    adder = {
        AnnotationKind.HIGHLIGHT: page.add_highlight_annot,
        AnnotationKind.UNDERLINE: page.add_underline_annot,
        AnnotationKind.STRIKEOUT: page.add_strikeout_annot,
    }[AnnotationKind(record.kind)]
    annot = adder(quads=quads)
    annot.set_colors(stroke=rgb(record.color))
    _mark(doc, annot, record, names, record.comment, record.text[:200])


def write_note(
    doc: Any, page: Any, record: Annotation, names: dict[str, str], to_page: Any
) -> None:
    rect = MUPDF.Rect(record.geometry["rect"]) * to_page
    words = record.comment or record.text
    annot = page.add_text_annot(rect.tl, words, icon="Note")
    annot.set_colors(stroke=rgb(record.color))
    _mark(doc, annot, record, names, words, "")


def write_freetext(
    doc: Any, page: Any, record: Annotation, names: dict[str, str], to_page: Any
) -> None:
    rect = MUPDF.Rect(record.geometry["rect"]) * to_page
    annot = page.add_freetext_annot(rect, record.text, fontsize=10, text_color=rgb(record.color))
    _mark(doc, annot, record, names, record.comment, "")


def write_ink(doc: Any, page: Any, record: Annotation, names: dict[str, str], to_page: Any) -> None:
    paths = [
        [tuple(MUPDF.Point(x, y) * to_page) for x, y in path] for path in record.geometry["paths"]
    ]
    annot = page.add_ink_annot(paths)
    annot.set_colors(stroke=rgb(record.color))
    annot.set_border(width=2)
    _mark(doc, annot, record, names, record.comment, "")


def write_box(doc: Any, page: Any, record: Annotation, names: dict[str, str], to_page: Any) -> None:
    """A rectangle (/Square) or an ellipse (/Circle)."""
    rect = MUPDF.Rect(record.geometry["rect"]) * to_page
    if record.kind == AnnotationKind.ELLIPSE:
        annot = page.add_circle_annot(rect)
    else:
        annot = page.add_rect_annot(rect)
    annot.set_colors(stroke=rgb(record.color))
    annot.set_border(width=1.5)
    _mark(doc, annot, record, names, record.comment, "")


def mark_redaction(page: Any, record: Annotation, to_page: Any) -> None:
    """A redaction is applied to the copy (``page.apply_redactions`` after every mark of the
    page), never drawn as an annotation."""
    page.add_redact_annot(MUPDF.Rect(record.geometry["rect"]) * to_page, fill=(0, 0, 0))


# --- in --------------------------------------------------------------------------------


@dataclass
class Imported:
    """What a PDF annotation gives a record: bounds (view points), words, geometry."""

    box: Box
    comment: str
    text: str = ""
    quads: list[Box] = field(default_factory=list)
    paths: list[list[tuple[float, float]]] = field(default_factory=list)


def read_markup(page: Any, annot: Any, to_view: Any, found: Imported) -> None:
    """The marked lines, and the words under them (the quoted text)."""
    vertices = annot.vertices or []
    for start in range(0, len(vertices) - 3, 4):
        quad_rect = MUPDF.Quad(vertices[start : start + 4]).rect * to_view
        found.quads.append((quad_rect.x0, quad_rect.y0, quad_rect.x1, quad_rect.y1))
    found.text = " ".join(
        " ".join(page.get_textbox(MUPDF.Rect(q) * page.derotation_matrix).split())
        for q in found.quads
    )


def read_note(page: Any, annot: Any, to_view: Any, found: Imported) -> None:
    """A note is its icon: the size this app draws, at the annotation's corner."""
    x, y = found.box[0], found.box[1]
    found.box = (x, y, x + 20.0, y + 20.0)


def read_freetext(page: Any, annot: Any, to_view: Any, found: Imported) -> None:
    """A free text's /Contents are the words on the page, not a comment."""
    found.text, found.comment = found.comment, ""


def read_ink(page: Any, annot: Any, to_view: Any, found: Imported) -> None:
    for path in annot.vertices or []:
        found.paths.append([tuple(MUPDF.Point(p) * to_view) for p in path])


def read_box(page: Any, annot: Any, to_view: Any, found: Imported) -> None:
    """A rectangle or an ellipse is its bounds alone."""
