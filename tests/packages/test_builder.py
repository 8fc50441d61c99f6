"""The package PDF read back with pypdf: pages, bookmarks, Bates numbers, index, sources."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pymupdf
import pypdf
import pytest

from common.court_time import format_date
from sync_server.packages.builder import PackageDocument, PackageSourceError, build_package
from sync_server.packages.index import ROWS_PER_PAGE
from tests.packages.conftest import BATES, index_rows, read_back, text_pdf

A_NUMBER = "012345678"


def _inherited_resources_pdf() -> bytes:
    """A PDF whose pages inherit /Resources and /MediaBox from the page tree and carry
    their content as an array of streams, as some scanners write them."""
    doc: Any = pymupdf.open()
    for number in (1, 2):
        page = doc.new_page()
        page.insert_text((72, 100), f"Inherited page {number}", fontsize=14)
    pages_xref = int(doc.xref_get_key(doc.pdf_catalog(), "Pages")[1].split()[0])
    first = doc.page_xref(0)
    doc.xref_set_key(pages_xref, "Resources", doc.xref_get_key(first, "Resources")[1])
    doc.xref_set_key(pages_xref, "MediaBox", "[0 0 612 792]")
    for number in (0, 1):
        xref = doc.page_xref(number)
        kind, contents = doc.xref_get_key(xref, "Contents")
        doc.xref_set_key(xref, "Contents", contents if kind == "array" else f"[{contents}]")
        doc.xref_set_key(xref, "MediaBox", "null")
    doc.xref_set_key(doc.page_xref(1), "Resources", "null")
    return bytes(doc.tobytes())


def _documents(sources: list[tuple[str, bytes]]) -> tuple[list[PackageDocument], dict[str, bytes]]:
    docs, blobs = [], {}
    for number, (title, data) in enumerate(sources):
        sha = hashlib.sha256(data).hexdigest()
        blobs[sha] = data
        pages = pymupdf.open(stream=data, filetype="pdf").page_count  # type: ignore[no-untyped-call]
        filed = date(2026, 3, 2) + timedelta(days=number)
        docs.append(PackageDocument(f"doc-{number}", title, "evidence", filed, pages, sha))
    return docs, blobs


def _build(tmp_path: Path, sources: list[tuple[str, bytes]]) -> tuple[Any, list[PackageDocument]]:
    docs, blobs = _documents(sources)
    out = tmp_path / "package.pdf"
    seen: list[tuple[int, int]] = []
    result = build_package(
        docs,
        a_number=A_NUMBER,
        caption="EXAMPLE, Ana",
        read_blob=blobs.__getitem__,
        out_path=out,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1][0] == seen[-1][1] == result.pages
    assert [d for d, _ in seen] == sorted(d for d, _ in seen), "progress never goes back"
    return (result, read_back(out.read_bytes()), out.read_bytes()), docs


def _varied_sources() -> list[tuple[str, bytes]]:
    return [
        ("Notice to Appear", text_pdf(3, "NTA")),
        ("Rotated exhibit", text_pdf(2, "Rotated", rotate=90)),
        ("Landscape chart", text_pdf(1, "Landscape", landscape=True)),
        ("Upside-down scan", text_pdf(1, "Flipped", rotate=180)),
        ("Sideways fax", text_pdf(2, "Sideways", rotate=270)),
        ("Inherited resources", _inherited_resources_pdf()),
        ("Brief (with parentheses) & more", text_pdf(4, "Brief")),
    ]


def test_package_pages_bookmarks_bates_and_index_read_back(tmp_path: Path) -> None:
    sources = _varied_sources()
    (result, back, _), docs = _build(tmp_path, sources)

    # Page count: the index page plus every page of every document.
    assert result.index_pages == 1
    assert back.pages == 1 + sum(d.pages for d in docs) == result.pages

    # One bookmark for the index and one per document, at the document's first page.
    assert back.outline[0] == ("Index", 0)
    assert len(back.outline) == len(docs) + 1
    first = 1
    for (title, page), doc, (_, data) in zip(back.outline[1:], docs, sources, strict=True):
        assert doc.title in title
        assert page == first
        opening = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().strip()
        assert opening in back.texts[page]
        first += doc.pages

    # Bates numbers: one on every document page, continuous and unique over the package.
    stamps = []
    for number, text in enumerate(back.texts[1:], start=2):
        labels = BATES.findall(text)
        assert labels == [f"EOIR-{A_NUMBER}-{number:06d}"], (number, text)
        stamps.append(int(labels[0][-6:]))
    index_labels = BATES.findall(back.texts[0])
    assert f"EOIR-{A_NUMBER}-000001" in index_labels  # the index page is numbered too
    stamps.insert(0, 1)
    assert stamps == list(range(1, back.pages + 1))

    # The index: one line per document, in order, with its title, pages and Bates range.
    rows = index_rows(back.texts[0])
    assert [r.number for r in rows] == list(range(1, len(docs) + 1))
    for row, doc, (_, page) in zip(rows, docs, back.outline[1:], strict=True):
        assert doc.title in row.rest
        assert row.filed == format_date(doc.filed_on)  # the documents' style: "March 3, 2026"
        assert row.pages == doc.pages == row.last - row.first + 1
        assert row.first == page + 1  # the Bates number of the bookmarked page


def test_documents_are_copied_unaltered(tmp_path: Path) -> None:
    sources = [("Exhibit A", text_pdf(2, "Alpha")), ("Exhibit B", text_pdf(3, "Bravo"))]
    (_result, back, _), docs = _build(tmp_path, sources)
    package_page = 1
    for _title, data in sources:
        source = pypdf.PdfReader(io.BytesIO(data))
        for page in source.pages:
            original = page.extract_text().strip()
            assert original and original in back.texts[package_page]
            package_page += 1
    # The stored sources are untouched (they are only read).
    for doc, (_, data) in zip(docs, sources, strict=True):
        assert hashlib.sha256(data).hexdigest() == doc.sha256


def test_index_links_point_at_each_document(tmp_path: Path) -> None:
    sources = [(f"Exhibit {n}", text_pdf(n, f"E{n}")) for n in (1, 2, 3)]
    (result, back, _), _docs = _build(tmp_path, sources)
    reader = back.reader
    annots = [a.get_object() for a in reader.pages[0]["/Annots"]]
    targets = []
    for annot in annots:
        assert annot["/Subtype"] == "/Link"
        page_ref = annot["/Dest"][0]
        targets.append(
            next(i for i, p in enumerate(reader.pages) if p.indirect_reference == page_ref)
        )
    assert targets == [e.first_page - 1 for e in result.entries]


def test_long_records_get_several_index_pages(tmp_path: Path) -> None:
    count = ROWS_PER_PAGE + 5
    sources = [(f"Declaration number {n}", text_pdf(1, f"D{n}")) for n in range(count)]
    (result, back, _), _docs = _build(tmp_path, sources)
    assert result.index_pages == 2
    assert back.pages == 2 + count
    assert back.outline[1][1] == 2  # the first document follows both index pages
    index_text = back.texts[0] + back.texts[1]
    for n in range(count):
        assert re.search(rf"Declaration number {n}\b", index_text)
    assert BATES.findall(back.texts[1]).count(f"EOIR-{A_NUMBER}-000002") == 1


def test_long_titles_are_shortened_in_the_index_but_whole_in_bookmarks(tmp_path: Path) -> None:
    title = "Supplemental declaration of the respondent's cousin " * 3
    (_result, back, _), _docs = _build(tmp_path, [(title.strip(), text_pdf(1, "Long"))])
    assert "..." in back.texts[0]
    assert title.strip() in back.outline[1][0]


def test_an_empty_record_gives_an_index_that_says_so(tmp_path: Path) -> None:
    (_result, back, _), _docs = _build(tmp_path, [])
    assert back.pages == 1
    assert "No accepted documents." in back.texts[0]
    assert BATES.findall(back.texts[0]) == [f"EOIR-{A_NUMBER}-000001"]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("missing", "is missing from the document store"),
        ("corrupt", "is damaged"),
        ("pages", "does not match its record"),
        ("not_pdf", "can't be read as a PDF"),
    ],
)
def test_bad_sources_stop_the_build_with_a_clear_message(
    tmp_path: Path, damage: str, message: str
) -> None:
    good = text_pdf(2, "Good")
    docs, blobs = _documents([("Good exhibit", good), ("Bad exhibit", text_pdf(2, "Bad"))])
    bad = docs[1]
    if damage == "missing":
        del blobs[bad.sha256]
    elif damage == "corrupt":
        blobs[bad.sha256] = blobs[bad.sha256][:-40] + b"\0" * 40
    elif damage == "pages":
        docs[1] = PackageDocument(
            bad.document_id, bad.title, "evidence", bad.filed_on, 5, bad.sha256
        )
    else:
        data = b"this is not a PDF at all"
        blobs[hashlib.sha256(data).hexdigest()] = data
        docs[1] = PackageDocument(
            bad.document_id,
            bad.title,
            "evidence",
            bad.filed_on,
            2,
            hashlib.sha256(data).hexdigest(),
        )
    with pytest.raises(PackageSourceError, match=message) as caught:
        build_package(
            docs,
            a_number=A_NUMBER,
            caption="EXAMPLE, Ana",
            read_blob=blobs.__getitem__,
            out_path=tmp_path / "package.pdf",
        )
    assert "Bad exhibit" in str(caught.value)


def test_the_package_is_a_well_formed_pdf(tmp_path: Path) -> None:
    """qpdf (installed by scripts/test.sh) checks the object structure the stamper and the
    page-tree folding write by hand; enough documents to fold the tree several times."""
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is missing: scripts/test.sh installs it (apt-get install qpdf)"
    sources = _varied_sources() + [(f"Exhibit {n}", text_pdf(30, f"X{n}")) for n in range(8)]
    (result, back, data), _docs = _build(tmp_path, sources)
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    check = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    assert back.pages == result.pages == 1 + 15 + 240


def test_stamps_sit_upright_at_the_bottom_right_of_every_page_as_shown(tmp_path: Path) -> None:
    (result, _back, data), _docs = _build(tmp_path, _varied_sources())
    doc: Any = pymupdf.open(stream=data, filetype="pdf")
    rotations = set()
    for number in range(result.pages):
        page = doc[number]
        rotations.add(page.rotation)
        [hit] = page.search_for(f"EOIR-{A_NUMBER}-{number + 1:06d}")
        shown = hit * page.rotation_matrix  # where a reader sees it
        width, height = page.rect.width, page.rect.height
        assert shown.width > 4 * shown.height, "the label reads left to right"
        assert width - 60 < shown.x1 <= width and height - 30 < shown.y1 <= height, number
    assert rotations == {0, 90, 180, 270}
