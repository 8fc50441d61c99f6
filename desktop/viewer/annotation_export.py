"""Annotated copies out, annotations in: records <-> standard PDF annotations (no Qt).

``export_annotated_copy`` writes a *copy* of the document with each record as the PDF
annotation every reader shows (/Highlight, /Underline, /StrikeOut, /Text, /FreeText,
/Ink, /Square, /Circle), its record id in /NM, author in /T, comment in /Contents; the
redaction marks are applied to that copy only (the text and images under them are
removed, not covered). ``import_annotations`` turns the annotations a PDF already
carries into records. Both open a document of their own: call them on a background task
(``desktop.tasks.run_task``), never with the render worker's document.

What each kind becomes, and what is read back from each PDF subtype, is its row of
``desktop.viewer.annotation_kinds.BEHAVIOUR`` (writers and readers in ``annotation_pdf``);
this module walks the pages and builds the records.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common.annotations import DEFAULT_COLORS, AnnotationKind
from common.enums import Visibility
from common.wire import Annotation
from desktop.annotation_store import geometry
from desktop.viewer.annotation_kinds import BEHAVIOUR, KIND_OF_SUBTYPE, behaviour
from desktop.viewer.annotation_kinds import SUBTYPES as SUBTYPES  # the export's names
from desktop.viewer.annotation_pdf import MUPDF, Imported, mark_redaction

_MUPDF: Any = MUPDF
Progress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass(frozen=True)
class ExportReport:
    path: Path
    annotations: int
    redactions: int
    skipped: tuple[str, ...]  # ids of records that could not be drawn (and why)


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
                rows = [(record, behaviour(record.kind)) for record in page_records]
                redactions = [r for r, row in rows if row is not None and row.redacts]
                for record in redactions:
                    mark_redaction(page, record, to_page)
                if redactions:
                    page.apply_redactions()
                    redacted += len(redactions)
                for record, row in rows:
                    if row is not None and row.redacts:
                        continue
                    try:
                        if row is None or row.write is None:
                            raise ValueError(f"no PDF annotation for kind {record.kind!r}")
                        row.write(doc, page, record, names, to_page)
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
    page: Any, annot: Any, kind: AnnotationKind, info: dict[str, Any], to_view: Any, number: int
) -> dict[str, Any]:
    rect = annot.rect * to_view
    colors = annot.colors or {}
    found = Imported(
        box=(rect.x0, rect.y0, rect.x1, rect.y1), comment=str(info.get("content") or "")
    )
    read = BEHAVIOUR[kind].read
    if read is not None:
        read(page, annot, to_view, found)
    return {
        "kind": kind,
        "page": number,
        "geometry": geometry(found.box, quads=found.quads, paths=found.paths),
        "color": _hex(colors.get("stroke") or colors.get("fill"), DEFAULT_COLORS[kind]),
        "text": found.text[:20_000],
        "comment": found.comment[:20_000],
    }
