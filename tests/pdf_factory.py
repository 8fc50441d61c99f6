"""Small PDFs, good and bad, made on the fly with PyMuPDF for intake tests.

Plain functions returning bytes, so any test (common, server, desktop) can use them.
"""

from __future__ import annotations

import random

import pymupdf

_JS_ACTION = "<</S/JavaScript/JS(app.alert\\('filed'\\);)>>"
_LAUNCH_ACTION = "<</S/Launch/F(calc.exe)>>"


def _document(pages: int) -> pymupdf.Document:
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        page = doc.new_page()
        page.insert_text((72, 72), f"Exhibit page {number}")
    return doc


def valid_pdf(pages: int = 2) -> bytes:
    """A clean PDF with ``pages`` text pages."""
    return bytes(_document(pages).tobytes())


def large_pdf(min_bytes: int, pages: int = 2) -> bytes:
    """A clean PDF of at least ``min_bytes``, padded with an unused incompressible stream."""
    doc = _document(pages)
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    # Seeded noise: the same bytes every run, and deflate cannot shrink them.
    doc.update_stream(xref, random.Random(min_bytes).randbytes(min_bytes))
    return bytes(doc.tobytes())


def encrypted_pdf(*, user_password: str = "secret") -> bytes:
    """An AES-256 encrypted PDF; ``user_password=""`` makes one that opens without a password."""
    doc = _document(2)
    return bytes(
        doc.tobytes(
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            owner_pw="owner-secret",
            user_pw=user_password,
        )
    )


def javascript_pdf(*, where: str = "open_action") -> bytes:
    """A PDF with JavaScript: ``where`` is "open_action" (catalog) or "link" (annotation)."""
    doc = _document(2)
    if where == "open_action":
        doc.xref_set_key(doc.pdf_catalog(), "OpenAction", _JS_ACTION)
    elif where == "link":
        page = doc[0]
        page.insert_link(
            {"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 60, 200, 80), "uri": "x"}
        )
        link_xref = page.annot_xrefs()[0][0]
        doc.xref_set_key(link_xref, "A", _JS_ACTION)
    else:
        raise ValueError(f"unknown place for the script: {where!r}")
    return bytes(doc.tobytes())


def launch_pdf() -> bytes:
    """A PDF whose open action launches a program."""
    doc = _document(1)
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", _LAUNCH_ACTION)
    return bytes(doc.tobytes())


def embedded_file_pdf() -> bytes:
    """A PDF carrying a file in its EmbeddedFiles name tree."""
    doc = _document(2)
    doc.embfile_add("evidence.txt", b"attached evidence", filename="evidence.txt")
    return bytes(doc.tobytes())


def file_attachment_annot_pdf() -> bytes:
    """A PDF carrying a file in a file-attachment annotation on a page."""
    doc = _document(1)
    doc[0].add_file_annot(pymupdf.Point(100, 100), b"attached", "note.txt")
    return bytes(doc.tobytes())


def truncated_pdf(keep: float = 0.6) -> bytes:
    """A valid PDF cut to ``keep`` of its bytes, as an interrupted upload leaves it."""
    data = valid_pdf(pages=5)
    return data[: int(len(data) * keep)]


def broken_xref_pdf() -> bytes:
    """A complete PDF whose ``startxref`` points to the wrong place (needs repair to open)."""
    data = valid_pdf(pages=2)
    head, _, tail = data.rpartition(b"startxref")
    offset = tail.split()[0]
    return head + b"startxref" + tail.replace(offset, b"9" * len(offset), 1)


def many_problems_pdf() -> bytes:
    """JavaScript, a launch action and an attachment, and then cut short."""
    doc = _document(3)
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", _JS_ACTION)
    doc.xref_set_key(doc[0].xref, "AA", f"<</O{_LAUNCH_ACTION}>>")
    doc.embfile_add("evidence.txt", b"attached evidence")
    data = bytes(doc.tobytes())
    return data[: len(data) - 40]  # drops startxref and %%EOF, keeps every object


def not_a_pdf() -> bytes:
    """A PNG image's opening bytes: something a filer might upload by mistake."""
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
