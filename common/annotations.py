"""The kinds of annotation a reader can make on a document, one closed list.

``AnnotationKind`` is what ``common.wire.Annotation.kind`` accepts: the server refuses a
pushed annotation of any other kind ("invalid data — kind: Input should be 'highlight',
..."), and the client draws, exports and imports exactly these (one behaviour per kind in
``desktop.viewer.annotation_kinds``). The names a person reads and the colours a new
annotation starts with are here too, one entry per kind.
"""

from __future__ import annotations

from enum import StrEnum


class AnnotationKind(StrEnum):
    HIGHLIGHT = "highlight"
    UNDERLINE = "underline"
    STRIKEOUT = "strikeout"
    NOTE = "note"
    FREETEXT = "freetext"
    INK = "ink"
    RECT = "rect"
    ELLIPSE = "ellipse"
    # A mark of text to remove from exported copies only (the document itself is never
    # changed): the export applies it, so what is under it is gone from the copy.
    REDACT = "redact"


K = AnnotationKind
# Marks on quoted text: their geometry has one quad per line of the text.
TEXT_MARKUP: tuple[AnnotationKind, ...] = (K.HIGHLIGHT, K.UNDERLINE, K.STRIKEOUT)
# Dragged boxes: a drag smaller than a few points makes none.
SHAPES: tuple[AnnotationKind, ...] = (K.RECT, K.ELLIPSE, K.REDACT)
KINDS: tuple[AnnotationKind, ...] = tuple(AnnotationKind)

KIND_LABELS: dict[str, str] = {
    K.HIGHLIGHT: "Highlight",
    K.UNDERLINE: "Underline",
    K.STRIKEOUT: "Strike-out",
    K.NOTE: "Note",
    K.FREETEXT: "Free text",
    K.INK: "Ink",
    K.RECT: "Rectangle",
    K.ELLIPSE: "Ellipse",
    K.REDACT: "Redaction",
}
DEFAULT_COLORS: dict[str, str] = {
    K.HIGHLIGHT: "#ffd400",
    K.UNDERLINE: "#2ea8e5",
    K.STRIKEOUT: "#ff6666",
    K.NOTE: "#ffd400",
    K.FREETEXT: "#000000",
    K.INK: "#2ea8e5",
    K.RECT: "#ff6666",
    K.ELLIPSE: "#5fb236",
    K.REDACT: "#000000",
}
