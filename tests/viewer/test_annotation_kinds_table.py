"""One row per annotation kind (issue 18 item 9): every kind of ``common.annotations`` has
its paint, its PDF subtype, writer and reader in ``desktop.viewer.annotation_kinds``, and
the layer, the export and the import go through that row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QPainter

from common.annotations import KINDS, AnnotationKind
from common.wire import Annotation
from desktop.annotation_store import geometry, new_annotation
from desktop.viewer import annotation_kinds
from desktop.viewer.annotation_export import export_annotated_copy, import_annotations
from desktop.viewer.annotation_kinds import BEHAVIOUR, KIND_OF_SUBTYPE, SUBTYPES, behaviour
from tests.viewer.annotation_helpers import text_pdf

DOC = "5d1c0000-0000-4000-8000-0000000000bb"
ME = "0b6e1f1e-0000-4000-8000-000000000001"


def _record(kind: AnnotationKind) -> Annotation:
    return new_annotation(
        kind=kind,
        page=0,
        geom=geometry(
            (100, 100, 200, 140),
            quads=[(100, 100, 200, 114)],
            paths=[[(100, 100), (150, 140), (200, 100)]],
        ),
        document_id=DOC,
        sha256="0" * 64,
        author_id=ME,
        text="words",
        comment="" if kind is AnnotationKind.FREETEXT else "a comment",  # as the tool makes it
    )


def test_every_kind_has_one_row_and_the_pdf_names_go_both_ways() -> None:
    assert set(BEHAVIOUR) == set(AnnotationKind) == set(KINDS)
    for kind, row in BEHAVIOUR.items():
        assert (row.subtype is None) == row.redacts == (kind is AnnotationKind.REDACT)
        assert (row.write is None) == (row.read is None) == row.redacts
    assert {KIND_OF_SUBTYPE[subtype] for subtype in SUBTYPES.values()} == set(KINDS) - {
        AnnotationKind.REDACT
    }
    assert behaviour("stamp") is None and behaviour("note") is BEHAVIOUR[AnnotationKind.NOTE]


@pytest.mark.parametrize("kind", list(AnnotationKind))
def test_each_kind_paints_through_its_row(
    kind: AnnotationKind, monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    image = QImage(300, 300, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    annotation_kinds.paint_annotation(painter, _record(kind))
    painter.end()
    drawn = sum(
        1 for x in range(0, 300, 2) for y in range(0, 300, 2) if image.pixelColor(x, y).alpha()
    )
    assert drawn > 10, kind

    calls: list[str] = []
    row = BEHAVIOUR[kind]
    monkeypatch.setitem(
        BEHAVIOUR,
        kind,
        type(row)(lambda p, r, c: calls.append(r.kind), row.subtype, row.write, row.read),
    )
    painter = QPainter(image)
    annotation_kinds.paint_annotation(painter, _record(kind))
    painter.end()
    assert calls == [kind]


def test_export_and_import_use_each_kind_s_row(tmp_path: Path) -> None:
    records = [_record(kind) for kind in AnnotationKind]
    out = tmp_path / "annotated.pdf"
    report = export_annotated_copy(text_pdf(1), records, out)
    assert (report.annotations, report.redactions, report.skipped) == (8, 1, ())
    back = import_annotations(out, document_id=DOC, sha256="0" * 64, author_id=ME)
    assert sorted(r.kind for r in back) == sorted(set(KINDS) - {AnnotationKind.REDACT})
    by_kind = {r.kind: r for r in back}
    assert by_kind[AnnotationKind.FREETEXT].text == "words"  # its row reads the words back
    assert by_kind[AnnotationKind.INK].geometry["paths"]
    assert by_kind[AnnotationKind.HIGHLIGHT].geometry["quads"]
    assert all(r.created_at <= datetime.now(UTC) for r in back)
