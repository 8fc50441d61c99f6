"""Build one eROP package PDF from a case's accepted documents.

Layout of the package (every page counts, so a page's Bates number is its page number):

* the index: one line per document (number, filed date, type, title, Bates range), as
  many pages as the documents need, each line a link to the document's first page;
* then each document's pages, in the order given (docket order), copied unchanged but for
  the Bates number stamped at the bottom right of every page (see :mod:`.stamping`);
* an outline: "Index", then one entry per document pointing at its first page.

Every source is checked against its SHA-256 and its recorded page count before use; a
missing, damaged or unreadable document stops the build with :class:`PackageSourceError`,
which names the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf
from pymupdf import mupdf

from common import pdf_tags
from common.anumber import format_a_number
from common.court_time import format_date
from sync_server.packages.index import (
    PAGE_H,
    PAGE_W,
    IndexLine,
    index_page_count,
    link_index,
    write_index,
)
from sync_server.packages.pagetree import fold_page_tree
from sync_server.packages.stamping import PAGE_ROLE, BatesStamper

PACKAGE_LANGUAGE = "en-US"  # the index's words; the filed documents keep their own

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(pages_done, pages_total)`` while the package is built."""


@dataclass(frozen=True)
class PackageDocument:
    """One accepted document as the package needs it (from its ``document`` record)."""

    document_id: str
    title: str
    doc_type: str
    filed_on: date
    pages: int
    sha256: str
    # Left out of this requester's package (its index line says why and how many pages,
    # policy.package_withholds: "N pages withheld under protective order"), or "".
    withheld: str = ""
    flags: tuple[str, ...] = ()  # its confidentiality flags (for the audit of the build)


@dataclass(frozen=True)
class PackageEntry:
    document: PackageDocument
    first_page: int  # 1-based page of the package, equal to its Bates number
    last_page: int


@dataclass(frozen=True)
class PackageResult:
    pages: int
    index_pages: int
    entries: tuple[PackageEntry, ...]
    bates_prefix: str


class PackageSourceError(Exception):
    """A document of the record can't be used; the message names it and says why."""


def _name(doc: PackageDocument) -> str:
    return f"“{doc.title}” (filed {format_date(doc.filed_on)})"


def _open_source(doc: PackageDocument, data: bytes) -> pymupdf.Document:
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise PackageSourceError(
            f"The stored copy of {_name(doc)} is damaged (its checksum does not match); "
            "ask the court to restore it from backup."
        )
    try:
        src = pymupdf.open(stream=data, filetype="pdf")  # type: ignore[no-untyped-call]
    except (RuntimeError, ValueError) as err:
        raise PackageSourceError(f"{_name(doc)} can't be read as a PDF.") from err
    if src.needs_pass or src.page_count != doc.pages:
        src.close()  # type: ignore[no-untyped-call]
        raise PackageSourceError(
            f"{_name(doc)} does not match its record ({doc.pages} pages expected)."
        )
    return src


def _has_annotations(src: pymupdf.Document) -> bool:
    """Whether any page carries annotations (links among them); copying links is costly
    per page, so documents without any skip it."""
    pdf = mupdf.pdf_document_from_fz_document(src.this)
    annots = mupdf.pdf_new_name("Annots")
    for number in range(src.page_count):
        found = mupdf.pdf_dict_get(mupdf.pdf_lookup_page_obj(pdf, number), annots)
        if mupdf.pdf_is_array(found) and mupdf.pdf_array_len(found) > 0:
            return True
    return False


def plan_entries(documents: Sequence[PackageDocument]) -> tuple[int, list[PackageEntry]]:
    """The index page count and where each document will sit (from the recorded page
    counts, which :func:`build_package` holds every source to)."""
    index_pages = index_page_count(len(documents))
    entries, next_page = [], index_pages + 1
    for doc in documents:
        pages = 0 if doc.withheld else doc.pages  # a withheld document takes no page
        entries.append(PackageEntry(doc, next_page, next_page + pages - 1))
        next_page += pages
    return index_pages, entries


def build_package(
    documents: Sequence[PackageDocument],
    *,
    a_number: str,
    caption: str,
    read_blob: Callable[[str], bytes],
    out_path: Path,
    progress: ProgressCallback | None = None,
) -> PackageResult:
    """Write the package of ``documents`` (already in docket order) to ``out_path``
    (not fsynced: publishing it to the blob store does that).

    ``read_blob(sha256)`` returns a document's stored bytes (raising ``FileNotFoundError``
    or ``KeyError`` when there are none). ``caption`` heads the index under the A-number.
    """
    prefix = f"EOIR-{a_number}"
    index_pages, entries = plan_entries(documents)
    total = max([index_pages, *(e.last_page for e in entries)])
    lines = [
        IndexLine(
            e.document.title,
            e.document.doc_type,
            e.document.filed_on,
            e.document.pages,
            e.first_page,
            e.document.withheld,
        )
        for e in entries
    ]
    shown_entries = [e for e in entries if not e.document.withheld]
    shown = format_a_number(a_number)
    out: Any = pymupdf.open()  # type: ignore[no-untyped-call]
    try:
        for _ in range(index_pages):
            out.new_page(width=PAGE_W, height=PAGE_H)
        index = write_index(out, lines, f"Record of Proceedings — {shown}", caption, prefix)
        for entry in shown_entries:
            doc = entry.document
            try:
                data = read_blob(doc.sha256)
            except (FileNotFoundError, KeyError) as err:
                raise PackageSourceError(
                    f"{_name(doc)} is missing from the document store; "
                    "ask the court to restore it from backup."
                ) from err
            with _open_source(doc, data) as src:
                links = _has_annotations(src)
                out.insert_pdf(src, links=links, annots=links, show_progress=0)
            fold_page_tree(out)  # keeps appending linear in the package's size
            if progress is not None:
                progress(entry.last_page, total)
        pages = BatesStamper(out, prefix, marked_from=index_pages).stamp_all(1)
        link_index(out, lines, pages)
        toc: list[list[object]] = [[1, "Index", 1]]
        toc += [
            [1, f"{n}. {e.document.title} ({format_date(e.document.filed_on)})", e.first_page]
            for n, e in enumerate(entries, 1)
            if not e.document.withheld
        ]
        out.set_toc(toc)
        out.set_metadata({"title": f"Record of Proceedings {shown}", "producer": "ECAS"})
        # Our index pages are tagged (a table of the documents); each filed document is
        # a section whose pages are read whole, in their content's order: they are the
        # filers' own PDFs, copied as they are (docs/ARCHITECTURE.md, tagged PDF). One
        # element per document, not per page: a package has thousands of pages.
        filed = [
            pdf_tags.Node(
                "Sect",
                kids=[
                    pdf_tags.Node(
                        PAGE_ROLE,
                        marks=[(number - 1, 0) for number in range(e.first_page, e.last_page + 1)],
                    )
                ],
                title=e.document.title,
            )
            for e in shown_entries
        ]
        pdf_tags.write_structure(
            out,
            pdf_tags.Node("Document", kids=[index, *filed]),
            lang=PACKAGE_LANGUAGE,
            page_xrefs=[mupdf.pdf_to_num(page) for page in pages],
        )
        out.save(str(out_path), garbage=0, deflate=False)
    finally:
        out.close()
    if progress is not None:
        progress(total, total)
    return PackageResult(total, index_pages, tuple(entries), prefix)
