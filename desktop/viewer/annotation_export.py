"""Annotated copies out, annotations in: records <-> standard PDF annotations (no Qt).

``export_annotated_copy`` writes a *copy* of the document with each record as the PDF
annotation every reader shows (/Highlight, /Underline, /StrikeOut, /Text, /FreeText,
/Ink, /Square, /Circle), its record id in /NM, author in /T, comment in /Contents; the
redaction marks are applied to that copy only (the text and images under them are
removed, not covered). ``import_annotations`` turns the annotations a PDF already
carries into records. Both open a document of their own: call them on a background task
(``desktop.tasks.run_task``), never with the render worker's document.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pymupdf

from common.court_time import pdf_date
from common.enums import Visibility
from common.wire import Annotation
from desktop.annotation_store import (
    DEFAULT_COLORS,
    TEXT_MARKUP,
    geometry,
)

_MUPDF: Any = pymupdf  # PyMuPDF has no type hints for most of its API
SUBTYPES = {
    "highlight": "Highlight",
    "underline": "Underline",
    "strikeout": "StrikeOut",
    "note": "Text",
    "freetext": "FreeText",
    "ink": "Ink",
    "rect": "Square",
    "ellipse": "Circle",
}
KIND_OF_SUBTYPE = {subtype: kind for kind, subtype in SUBTYPES.items()}
Progress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass(frozen=True)
class ExportReport:
    path: Path
    annotations: int
    redactions: int
    skipped: tuple[str, ...]  # ids of records that could not be drawn (and why)


def _rgb(color: str) -> tuple[float, float, float]:
    text = color.lstrip("#")
    if len(text) != 6:
        text = "ffd400"
    try:
        return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return (1.0, 0.83, 0.0)


def _hex(rgb: Iterable[float] | None, fallback: str) -> str:
    values = list(rgb or [])
    if len(values) != 3:
        return fallback
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02x}" for v in values)


class UnreadablePdf(ValueError):
    """The file is not a PDF this app can read."""


def _open(source: bytes | Path) -> Any:
    try:
        if isinstance(source, bytes):
            doc = _MUPDF.open(stream=source, filetype="pdf")
        else:
            doc = _MUPDF.open(str(source), filetype="pdf")
    except (RuntimeError, ValueError) as err:  # FileDataError is a RuntimeError
        raise UnreadablePdf("it is damaged or not a PDF") from err
    if doc.needs_pass:
        doc.close()
        raise UnreadablePdf("it is protected by a password")
    return doc


def _pdf_date(when: datetime) -> str:
    return pdf_date(when)  # a machine field (ISO 32000 7.9.4), in UTC


def export_annotated_copy(
    source: bytes | Path,
    records: Iterable[Annotation],
    out: Path,
    *,
    author_names: dict[str, str] | None = None,
    progress: Progress = lambda done, total: None,
) -> ExportReport:
    """Write ``source`` with ``records`` as PDF annotations to ``out`` (``source`` itself
    is never written). Redactions are applied first, so nothing drawn is lost to them."""
    names = author_names or {}
    by_page: dict[int, list[Annotation]] = {}
    for record in records:
        by_page.setdefault(record.page, []).append(record)
    doc = _open(source)
    drawn = redacted = 0
    skipped: list[str] = []
    try:
        total = doc.page_count
        for number in range(total):
            page_records = by_page.get(number, [])
            if page_records:
                page = doc.load_page(number)
                to_page = page.derotation_matrix  # view space -> the page's own space
                redactions = [r for r in page_records if r.kind == "redact"]
                for record in redactions:
                    rect = _MUPDF.Rect(record.geometry["rect"]) * to_page
                    page.add_redact_annot(rect, fill=(0, 0, 0))
                if redactions:
                    page.apply_redactions()
                    redacted += len(redactions)
                for record in page_records:
                    if record.kind == "redact":
                        continue
                    try:
                        _draw(doc, page, record, names, to_page)
                        drawn += 1
                    except (ValueError, RuntimeError, KeyError, IndexError, TypeError) as err:
                        skipped.append(f"{record.id}: {err}")
            progress(number + 1, total)
        skipped.extend(
            f"{r.id}: page {r.page + 1} is not in the document"
            for page_no, group in by_page.items()
            if not 0 <= page_no < total
            for r in group
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".part")
        try:
            doc.save(str(partial), garbage=3, deflate=True)
            partial.replace(out)  # never a half-written file under the chosen name
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    finally:
        doc.close()
    return ExportReport(out, drawn, redacted, tuple(skipped))


def _draw(doc: Any, page: Any, record: Annotation, names: dict[str, str], to_page: Any) -> None:
    geom = record.geometry
    rect = _MUPDF.Rect(geom["rect"]) * to_page
    kind = record.kind
    color = _rgb(record.color)
    if kind in TEXT_MARKUP:
        quads = [(_MUPDF.Rect(q) * to_page).quad for q in geom.get("quads") or [geom["rect"]]]
        adder = {
            "highlight": page.add_highlight_annot,
            "underline": page.add_underline_annot,
            "strikeout": page.add_strikeout_annot,
        }[kind]
        annot = adder(quads=quads)
        annot.set_colors(stroke=color)
    elif kind == "note":
        annot = page.add_text_annot(rect.tl, record.comment or record.text, icon="Note")
        annot.set_colors(stroke=color)
    elif kind == "freetext":
        annot = page.add_freetext_annot(rect, record.text, fontsize=10, text_color=color)
    elif kind == "ink":
        paths = [[tuple(_MUPDF.Point(x, y) * to_page) for x, y in path] for path in geom["paths"]]
        annot = page.add_ink_annot(paths)
        annot.set_colors(stroke=color)
        annot.set_border(width=2)
    elif kind in ("rect", "ellipse"):
        annot = page.add_rect_annot(rect) if kind == "rect" else page.add_circle_annot(rect)
        annot.set_colors(stroke=color)
        annot.set_border(width=1.5)
    else:
        raise ValueError(f"no PDF annotation for kind {kind!r}")
    annot.set_info(
        title=names.get(record.author_id, record.author_id),
        content=record.comment if kind != "note" else (record.comment or record.text),
        subject=record.text[:200] if kind in TEXT_MARKUP else "",
        creationDate=_pdf_date(record.created_at),
    )
    annot.update()
    doc.xref_set_key(annot.xref, "NM", _MUPDF.get_pdf_str(record.id))


def _record_id(name: str, taken: set[str]) -> str:
    try:
        found = str(uuid.UUID(name))
    except ValueError:
        found = ""
    if not found or found in taken:
        found = str(uuid.uuid4())
    taken.add(found)
    return found


def import_annotations(
    source: bytes | Path,
    *,
    document_id: str,
    sha256: str,
    author_id: str,
    known_ids: Iterable[str] = (),
) -> list[Annotation]:
    """The annotations ``source`` carries, as private records of ``author_id``.

    One made by this app keeps its id (from /NM); one whose id is in ``known_ids`` is
    left out (already a record: re-importing an exported copy adds nothing). Kinds with
    no record equivalent (links, widgets, stamps...) are left out.
    """
    known = set(known_ids)
    taken = set(known)
    records: list[Annotation] = []
    doc = _open(source)
    try:
        for number in range(doc.page_count):
            page = doc.load_page(number)
            to_view = page.rotation_matrix
            for annot in page.annots():
                kind = KIND_OF_SUBTYPE.get(str(annot.type[1]))
                if kind is None:
                    continue
                info = annot.info
                name = str(info.get("id") or "")
                if name in known:
                    continue
                record = _record_from(page, annot, kind, info, to_view, number)
                records.append(
                    Annotation.model_validate(
                        {
                            **record,
                            "id": _record_id(name, taken),
                            "document_id": document_id,
                            "document_sha256": sha256,
                            "author_id": author_id,
                            "visibility": Visibility.PRIVATE,
                            "created_at": datetime.now(UTC),
                        }
                    )
                )
    finally:
        doc.close()
    return records


def _record_from(
    page: Any, annot: Any, kind: str, info: dict[str, Any], to_view: Any, number: int
) -> dict[str, Any]:
    rect = annot.rect * to_view
    box = (rect.x0, rect.y0, rect.x1, rect.y1)
    colors = annot.colors or {}
    color = _hex(colors.get("stroke") or colors.get("fill"), DEFAULT_COLORS[kind])
    comment = str(info.get("content") or "")
    text = ""
    quads: list[tuple[float, float, float, float]] = []
    paths: list[list[tuple[float, float]]] = []
    if kind in TEXT_MARKUP:
        vertices = annot.vertices or []
        for start in range(0, len(vertices) - 3, 4):
            quad_rect = _MUPDF.Quad(vertices[start : start + 4]).rect * to_view
            quads.append((quad_rect.x0, quad_rect.y0, quad_rect.x1, quad_rect.y1))
        text = " ".join(
            " ".join(page.get_textbox(_MUPDF.Rect(q) * page.derotation_matrix).split())
            for q in quads
        )
    elif kind == "ink":
        for path in annot.vertices or []:
            paths.append([tuple(_MUPDF.Point(p) * to_view) for p in path])
    elif kind == "freetext":
        text, comment = comment, ""
    elif kind == "note":
        x, y = rect.x0, rect.y0
        box = (x, y, x + 20.0, y + 20.0)
    return {
        "kind": kind,
        "page": number,
        "geometry": geometry(box, quads=quads, paths=paths),
        "color": color,
        "text": text[:20_000],
        "comment": comment[:20_000],
    }
