"""common.annotations: the closed list of annotation kinds, their names and first colours.

The kind values are the wire's (the server accepts exactly these, stored annotations and
exports carry them); the labels are what a reader sees in the viewer's menu."""

from __future__ import annotations

from common.annotations import (
    DEFAULT_COLORS,
    KIND_LABELS,
    KINDS,
    SHAPES,
    TEXT_MARKUP,
    AnnotationKind,
)


def test_the_kinds_as_the_wire_spells_them() -> None:
    assert [k.value for k in KINDS] == [
        "highlight",
        "underline",
        "strikeout",
        "note",
        "freetext",
        "ink",
        "rect",
        "ellipse",
        "redact",
    ]
    assert AnnotationKind("redact") is AnnotationKind.REDACT


def test_text_markup_and_shapes() -> None:
    assert TEXT_MARKUP == (
        AnnotationKind.HIGHLIGHT,
        AnnotationKind.UNDERLINE,
        AnnotationKind.STRIKEOUT,
    )
    assert SHAPES == (AnnotationKind.RECT, AnnotationKind.ELLIPSE, AnnotationKind.REDACT)


def test_every_kind_has_its_label() -> None:
    assert KIND_LABELS == {
        "highlight": "Highlight",
        "underline": "Underline",
        "strikeout": "Strike-out",
        "note": "Note",
        "freetext": "Free text",
        "ink": "Ink",
        "rect": "Rectangle",
        "ellipse": "Ellipse",
        "redact": "Redaction",
    }


def test_every_kind_starts_with_its_colour() -> None:
    # A redaction is black (what it hides must not show through); a highlight is yellow.
    assert DEFAULT_COLORS == {
        "highlight": "#ffd400",
        "underline": "#2ea8e5",
        "strikeout": "#ff6666",
        "note": "#ffd400",
        "freetext": "#000000",
        "ink": "#2ea8e5",
        "rect": "#ff6666",
        "ellipse": "#5fb236",
        "redact": "#000000",
    }
