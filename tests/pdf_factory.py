"""Small PDFs, good and bad, made on the fly with PyMuPDF for intake tests.

Plain functions returning bytes, so any test (common, server, desktop) can use them.
"""

from __future__ import annotations

import random
import zlib

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


# -- hostile files, written as raw PDF bytes -------------------------------------------------

_CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
_ONE_PAGE_TREE = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
_PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>"


def _flate(pieces: int, piece: bytes) -> bytes:
    """``piece`` repeated ``pieces`` times, deflated without building the whole text."""
    packer = zlib.compressobj(9)
    out = [packer.compress(piece) for _ in range(pieces)]
    return b"".join(out) + packer.flush()


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<<" + dictionary + b"/Length %d>>stream\n" % len(data) + data + b"\nendstream"


def raw_pdf(
    objects: dict[int, bytes], *, packed: dict[int, tuple[int, int]] | None = None
) -> bytes:
    """A PDF written byte by byte: ``objects`` by number (1 is the catalog); ``packed``
    names objects stored inside object streams (number: (stream object, index)). A
    cross-reference stream indexes both."""
    body = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    packed = packed or {}
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(body)
        body += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = max(set(objects) | set(packed)) + 1
    offsets[xref] = len(body)
    rows = bytearray()
    for number in range(xref + 1):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        elif number in packed:
            holder, index = packed[number]
            rows += b"\x02" + holder.to_bytes(4, "big") + index.to_bytes(2, "big")
        else:
            rows += b"\x00\x00\x00\x00\x00\xff\xff"
    body += b"%d 0 obj\n" % xref
    body += _stream(b"/Type/XRef/Size %d/W[1 4 2]/Root 1 0 R" % (xref + 1), bytes(rows))
    body += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref]
    return bytes(body)


def object_stream_bomb(inflated_mib: int = 64) -> bytes:
    """An object stream holding one array of ``inflated_mib`` MiB of zeros: some 64 KB
    on disk for 64 MiB, and every zero becomes a parsed object (a parser's memory grows
    ~12 times the inflated text, so 64 MiB inflated asks for ~800 MB)."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(b"5 0 [")]  # the index ("5 0 ": object 5 at 0), then the array
    parts += [packer.compress(b"0 " * 32768) for _ in range(inflated_mib * 16)]
    data = b"".join(parts) + packer.compress(b"]") + packer.flush()
    holder = _stream(b"/Type/ObjStm/N 1/First 4/Filter/FlateDecode", data)
    return raw_pdf({1: _CATALOG, 2: _ONE_PAGE_TREE, 3: _PAGE, 4: holder}, packed={5: (4, 0)})


def inflation_bomb(stored_kib: int = 100) -> bytes:
    """A page whose content stream is ``stored_kib`` KiB of Flate data that inflates
    about a thousand times (a 100 KiB stream to ~100 MB): no object is parsed from it."""
    spaces = _flate(stored_kib * 16, b" " * 65536)
    return raw_pdf(
        {
            1: _CATALOG,
            2: _ONE_PAGE_TREE,
            3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>",
            4: _stream(b"/Filter/FlateDecode", spaces),
        }
    )


def xfa_javascript_pdf() -> bytes:
    """An XFA form whose template carries a JavaScript ``<script>`` (no PDF-level action)."""
    template = (
        b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="f">'
        b'<event activity="initialize"><script contentType="application/x-javascript">'
        b"xfa.host.messageBox('filed');</script></event></subform></template>"
    )
    return raw_pdf(
        {
            1: b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[]/XFA[(template)4 0 R]>>>>",
            2: _ONE_PAGE_TREE,
            3: _PAGE,
            4: _stream(b"/Filter/FlateDecode", zlib.compress(template)),
        }
    )


def goto_embedded_pdf() -> bytes:
    """A file embedded in the PDF that no name tree lists: only a GoToE action on the
    open action reaches it, and its stream carries no /Type."""
    return raw_pdf(
        {
            1: b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/GoToE/NewWindow true"
            b"/T<</R/C/N(payload.pdf)>>/F 4 0 R>>>>",
            2: _ONE_PAGE_TREE,
            3: _PAGE,
            4: b"<</Type/Filespec/F(payload.pdf)/EF<</F 5 0 R>>>>",
            5: _stream(b"", b"%PDF-1.7 hidden"),
        }
    )


def page_tree_loop_pdf() -> bytes:
    """A page tree whose second node lists the root among its kids."""
    return raw_pdf(
        {
            1: _CATALOG,
            2: b"<</Type/Pages/Kids[3 0 R 4 0 R]/Count 2>>",
            3: _PAGE,
            4: b"<</Type/Pages/Parent 2 0 R/Kids[2 0 R]/Count 1>>",
        }
    )


def deep_page_tree_pdf(depth: int = 5000) -> bytes:
    """One page at the bottom of ``depth`` nested page-tree nodes."""
    objects = {1: _CATALOG}
    for level in range(depth):
        number = 2 + level
        kid = number + 1
        parent = b"/Parent %d 0 R" % (number - 1) if level else b""
        objects[number] = b"<</Type/Pages%s/Kids[%d 0 R]/Count 1>>" % (parent, kid)
    leaf = 2 + depth
    objects[leaf] = b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 612 792]>>" % (leaf - 1)
    return raw_pdf(objects)


def link_pdf(action: bytes) -> bytes:
    """One page with a link annotation carrying ``action`` (a PDF action dictionary)."""
    return raw_pdf(
        {
            1: _CATALOG,
            2: _ONE_PAGE_TREE,
            3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Annots[4 0 R]>>",
            4: b"<</Type/Annot/Subtype/Link/Rect[72 72 200 90]/Border[0 0 0]/A" + action + b">>",
        }
    )
