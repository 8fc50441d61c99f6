"""Exported copies read back by independent readers (pypdf, poppler's pdftotext), and
importing a PDF's own annotations as records."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from common.wire import Annotation
from desktop.annotation_store import geometry, new_annotation
from desktop.viewer.annotation_export import (
    SUBTYPES,
    UnreadablePdf,
    export_annotated_copy,
    import_annotations,
)
from tests.viewer.annotation_helpers import LINE_Y, text_pdf

AUTHOR = "0b6e1f1e-0000-4000-8000-000000000001"
DOC = "0b6e1f1e-0000-4000-8000-0000000000d0"


def _records(data: bytes) -> list[Annotation]:
    sha = hashlib.sha256(data).hexdigest()

    def make(kind: str, page: int, rect: tuple[float, ...], **extra: object) -> Annotation:
        quads = extra.pop("quads", ())
        paths = extra.pop("paths", ())
        return new_annotation(
            kind=kind,
            page=page,
            geom=geometry(rect, quads=quads, paths=paths),  # type: ignore[arg-type]
            document_id=DOC,
            sha256=sha,
            author_id=AUTHOR,
            **extra,  # type: ignore[arg-type]
        )

    line = (72, LINE_Y[0] - 10, 341, LINE_Y[0] + 3)
    return [
        make("highlight", 0, line, quads=[line], text="The respondent", comment="key fact"),
        make("underline", 1, line, quads=[line]),
        make("strikeout", 2, line, quads=[line]),
        make("note", 0, (500, 80, 520, 100), comment="Check the date"),
        make("freetext", 1, (300, 600, 500, 640), text="See exhibit 4"),
        make("ink", 2, (99, 499, 251, 561), paths=[[(100, 500), (180, 530), (250, 560)]]),
        make("rect", 0, (300, 300, 400, 360)),
        make("ellipse", 1, (300, 400, 380, 460)),
        make("redact", 0, (205, LINE_Y[1] - 12, 292, LINE_Y[1] + 4), text="SECRET-A123"),
    ]


def test_exported_copy_shows_every_annotation_to_pypdf(tmp_path: Path) -> None:
    data = text_pdf()
    source = tmp_path / "rop.pdf"
    source.write_bytes(data)
    records = _records(data)
    out = tmp_path / "out" / "rop-annotated.pdf"
    report = export_annotated_copy(source, records, out, author_names={AUTHOR: "Judge Chu"})
    assert report.annotations == 8 and report.redactions == 1 and not report.skipped
    assert source.read_bytes() == data  # the original is never written

    found = {}
    reader = PdfReader(str(out))
    for number, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Popup":
                continue
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            found[str(annot["/NM"])] = (
                str(annot["/Subtype"]),
                number,
                (x0, height - y1, x1, height - y0),
                annot,
            )
    drawn = [r for r in records if r.kind != "redact"]
    assert set(found) == {r.id for r in drawn}
    for record in drawn:
        subtype, page_no, rect, annot = found[record.id]
        assert subtype == "/" + SUBTYPES[record.kind]
        assert page_no == record.page
        x0, y0, x1, y1 = record.geometry["rect"]
        if record.kind == "note":  # a reader draws the note icon at its own size
            assert rect[:2] == pytest.approx((x0, y0), abs=1)
        else:  # the drawn border or line width may grow the box a little
            assert rect[0] <= x0 + 1 and rect[1] <= y0 + 1
            assert rect[2] >= x1 - 1 and rect[3] >= y1 - 1
            assert rect[2] - rect[0] <= x1 - x0 + 20 and rect[3] - rect[1] <= y1 - y0 + 20
        assert str(annot["/T"]) == "Judge Chu"
    assert str(found[records[0].id][3]["/Contents"]) == "key fact"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_redacted_text_is_gone_from_the_copy_only(tmp_path: Path) -> None:
    data = text_pdf()
    source = tmp_path / "rop.pdf"
    source.write_bytes(data)
    out = tmp_path / "copy.pdf"
    export_annotated_copy(source, _records(data), out)

    def text(path: Path, page: int) -> str:
        return subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    assert "SECRET-A123" in text(source, 1)
    assert "SECRET-A123" not in text(out, 1)
    assert "Alien registration number" in text(out, 1)  # only the marked words go
    assert "SECRET-A123" in text(out, 2)  # the redaction was on page 1 only


def test_import_reads_annotations_back_as_records(tmp_path: Path) -> None:
    data = text_pdf()
    records = _records(data)
    out = tmp_path / "copy.pdf"
    export_annotated_copy(data, records, out)
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    imported = import_annotations(out, document_id=DOC, sha256=sha, author_id=AUTHOR)
    by_id = {r.id: r for r in imported}
    drawn = {r.id: r for r in records if r.kind != "redact"}
    assert set(by_id) == set(drawn)  # ids kept from /NM
    for record_id, record in drawn.items():
        back = by_id[record_id]
        assert (back.kind, back.page, back.color) == (record.kind, record.page, record.color)
        assert back.geometry["origin"] == "top-left"
    highlight = by_id[records[0].id]
    assert highlight.comment == "key fact"
    assert highlight.text.startswith("The respondent entered")
    assert highlight.geometry["quads"][0] == pytest.approx(records[0].geometry["quads"][0], abs=1)
    ink = by_id[records[5].id]
    assert ink.geometry["paths"][0][1] == pytest.approx([180, 530], abs=0.5)
    assert by_id[records[4].id].text == "See exhibit 4"
    again = import_annotations(out, document_id=DOC, sha256=sha, author_id=AUTHOR, known_ids=drawn)
    assert again == []  # re-importing adds nothing


def test_import_of_foreign_annotations_and_bad_files(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open(stream=text_pdf(1), filetype="pdf")
    page = doc[0]
    page.add_rect_annot(pymupdf.Rect(10, 20, 110, 70)).set_info(content="from another reader")
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(0, 0, 5, 5), "uri": "x:"})
    path = tmp_path / "foreign.pdf"
    doc.save(str(path))
    (box,) = import_annotations(path, document_id=DOC, sha256="0" * 64, author_id=AUTHOR)
    assert box.kind == "rect" and box.comment == "from another reader"
    assert box.geometry["rect"] == pytest.approx([10, 20, 110, 70], abs=1)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    with pytest.raises(UnreadablePdf, match="damaged or not a PDF"):
        import_annotations(broken, document_id=DOC, sha256="0" * 64, author_id=AUTHOR)


def test_export_reports_what_it_cannot_draw_and_never_half_writes(tmp_path: Path) -> None:
    data = text_pdf(2)
    records = _records(data)
    beyond = records[6].model_copy(update={"page": 40})  # the document has 2 pages
    out = tmp_path / "copy.pdf"
    report = export_annotated_copy(data, [records[0], beyond], out)
    assert report.annotations == 1
    assert len(report.skipped) == 1 and "page 41 is not in the document" in report.skipped[0]
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x")
    with pytest.raises(OSError):
        export_annotated_copy(data, records[:1], blocked / "copy.pdf")
    assert not list(tmp_path.glob("**/*.part"))
