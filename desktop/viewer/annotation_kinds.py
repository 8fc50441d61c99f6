"""One table, one row per annotation kind: how it is painted, exported and imported.

The kinds themselves are ``common.annotations.AnnotationKind`` (validated on the wire);
a kind added there needs a row here, and ``BEHAVIOUR`` is checked complete when this
module is imported. Painting is ``desktop.viewer.annotation_paint``; the PDF side
(``subtype`` is the PDF annotation it becomes) is ``desktop.viewer.annotation_pdf``.
A redaction has no PDF annotation: the export applies it to the copy (``redacts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QColor, QPainter

from common.annotations import DEFAULT_COLORS, AnnotationKind
from common.wire import Annotation
from desktop.viewer import annotation_paint as paint
from desktop.viewer import annotation_pdf as pdf

Painter = Callable[[QPainter, Annotation, QColor], None]
Writer = Callable[[Any, Any, Annotation, dict[str, str], Any], None]
Reader = Callable[[Any, Any, Any, pdf.Imported], None]


@dataclass(frozen=True)
class KindBehaviour:
    paint: Painter
    subtype: str | None  # the PDF annotation's /Subtype; None: not exported as one
    write: Writer | None
    read: Reader | None
    redacts: bool = False


K = AnnotationKind
BEHAVIOUR: dict[AnnotationKind, KindBehaviour] = {
    K.HIGHLIGHT: KindBehaviour(
        paint.paint_highlight, "Highlight", pdf.write_markup, pdf.read_markup
    ),
    K.UNDERLINE: KindBehaviour(
        paint.paint_line_through, "Underline", pdf.write_markup, pdf.read_markup
    ),
    K.STRIKEOUT: KindBehaviour(
        paint.paint_line_through, "StrikeOut", pdf.write_markup, pdf.read_markup
    ),
    K.NOTE: KindBehaviour(paint.paint_note, "Text", pdf.write_note, pdf.read_note),
    K.FREETEXT: KindBehaviour(
        paint.paint_freetext, "FreeText", pdf.write_freetext, pdf.read_freetext
    ),
    K.INK: KindBehaviour(paint.paint_ink, "Ink", pdf.write_ink, pdf.read_ink),
    K.RECT: KindBehaviour(paint.paint_rect, "Square", pdf.write_box, pdf.read_box),
    K.ELLIPSE: KindBehaviour(paint.paint_ellipse, "Circle", pdf.write_box, pdf.read_box),
    K.REDACT: KindBehaviour(paint.paint_redact, None, None, None, redacts=True),
}
_missing = set(AnnotationKind) - set(BEHAVIOUR)
if _missing:  # pragma: no cover - a kind added to common.annotations without its row
    raise RuntimeError(f"annotation kinds with no behaviour: {sorted(_missing)}")

# PDF subtype <-> kind, for the export's report and the import.
SUBTYPES: dict[str, str] = {
    kind.value: row.subtype for kind, row in BEHAVIOUR.items() if row.subtype is not None
}
KIND_OF_SUBTYPE: dict[str, AnnotationKind] = {
    row.subtype: kind for kind, row in BEHAVIOUR.items() if row.subtype is not None
}


def behaviour(kind: str) -> KindBehaviour | None:
    """The row of ``kind`` (None for a kind this client does not know)."""
    try:
        return BEHAVIOUR[AnnotationKind(kind)]
    except ValueError:
        return None


def paint_annotation(painter: QPainter, record: Annotation) -> None:
    """Draw one annotation; the painter is in the page's points."""
    color = QColor(record.color)
    if not color.isValid():
        color = QColor(DEFAULT_COLORS.get(record.kind, "#ffd400"))
    row = behaviour(record.kind)
    (row.paint if row is not None else paint.paint_rect)(painter, record, color)
