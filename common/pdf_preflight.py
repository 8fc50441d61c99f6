"""Intake pre-flight for uploaded PDFs: every reason the court would refuse a file, at once.

A filer who fixes one problem only to be told about the next has wasted an upload, so
:func:`preflight_pdf` collects all problems; each message says what is wrong and what to do.
Limits come from ``resources/intake_limits.json``.

Not a security boundary on its own: scripts are found by scanning object dictionaries,
which catches the ways PDF writers store them (document open actions, the JavaScript name
tree, link and form-field actions), not scripts hidden inside compressed streams.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, cast

import pymupdf

from common.resources import read_data_file, require, resource_path

LIMITS_FILE = "intake_limits.json"
_MIB = 1024 * 1024
# Readers accept the header anywhere in the first KiB, and "%%EOF" within the last KiB.
_HEADER_WINDOW = 1024
_TRAILER_WINDOW = 1024

_JAVASCRIPT = re.compile(rb"/S\s*/JavaScript\b|/JS\b|/JavaScript\b")
_LAUNCH = re.compile(rb"/S\s*/Launch\b")
_ATTACHMENT = re.compile(rb"/Subtype\s*/FileAttachment\b|/Type\s*/EmbeddedFile\b")


# PyMuPDF ships without type hints for most of its API; the calls this module makes go
# through these names and the protocol below, so mypy --strict checks everything else.
_MUPDF: Any = pymupdf
_MUPDF_TOOLS: Any = pymupdf.TOOLS


class _PdfDocument(Protocol):
    """The part of ``pymupdf.Document`` the pre-flight uses."""

    @property
    def is_repaired(self) -> bool: ...
    @property
    def is_encrypted(self) -> bool: ...
    @property
    def needs_pass(self) -> bool: ...
    @property
    def metadata(self) -> dict[str, str] | None: ...
    @property
    def page_count(self) -> int: ...
    def embfile_count(self) -> int: ...
    def xref_length(self) -> int: ...
    def xref_object(self, xref: int, compressed: bool = ...) -> str: ...
    def close(self) -> None: ...


class PreflightCode(StrEnum):
    """Stable machine names of intake problems (clients and reports key on them)."""

    NOT_PDF = "not_pdf"
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    DAMAGED = "damaged"
    ENCRYPTED = "encrypted"
    JAVASCRIPT = "javascript"
    EMBEDDED_FILES = "embedded_files"
    TOO_MANY_PAGES = "too_many_pages"
    LAUNCH_ACTION = "launch_action"


@dataclass(frozen=True, slots=True)
class PreflightProblem:
    code: PreflightCode
    message: str  # what is wrong and what the filer should do


@dataclass(frozen=True, slots=True)
class PreflightReport:
    ok: bool
    problems: tuple[PreflightProblem, ...]
    page_count: int | None
    size: int
    sha256: str

    @property
    def codes(self) -> frozenset[PreflightCode]:
        return frozenset(problem.code for problem in self.problems)


@dataclass(frozen=True, slots=True)
class IntakeLimits:
    max_bytes: int
    max_pages: int
    version: str


def load_intake_limits(path: Path | None = None) -> IntakeLimits:
    """Read the intake limits file (default: the shipped one)."""
    path = path or resource_path(LIMITS_FILE)
    data = read_data_file(path)
    where = str(path)
    return IntakeLimits(
        max_bytes=require(data, "max_bytes", int, where=where),
        max_pages=require(data, "max_pages", int, where=where),
        version=require(data, "version", str, where=where),
    )


def preflight_with_defaults(data: bytes | Path) -> PreflightReport:
    """:func:`preflight_pdf` with the limits from the shipped intake limits file."""
    limits = load_intake_limits()
    return preflight_pdf(data, max_bytes=limits.max_bytes, max_pages=limits.max_pages)


def preflight_pdf(data: bytes | Path, *, max_bytes: int, max_pages: int) -> PreflightReport:
    """Check an uploaded file and report every reason it cannot be filed.

    Never raises because of the file's content: anything the PDF library chokes on becomes
    a ``damaged`` problem. (A ``Path`` that cannot be read raises ``OSError`` as usual.)
    ``page_count`` is None when the pages could not be counted. Each code appears at most
    once; ``ok`` is True exactly when there are no problems.
    """
    raw = data.read_bytes() if isinstance(data, Path) else bytes(data)
    findings = _Findings()
    page_count: int | None = None
    if not raw:
        findings.add(PreflightCode.EMPTY, _EMPTY)
    else:
        if len(raw) > max_bytes:
            findings.add(PreflightCode.TOO_LARGE, _too_large(len(raw), max_bytes))
        if b"%PDF-" not in raw[:_HEADER_WINDOW]:
            findings.add(PreflightCode.NOT_PDF, _NOT_PDF)
        else:
            page_count = _inspect_pdf(raw, max_pages, findings)
    return PreflightReport(
        ok=not findings.problems,
        problems=findings.as_tuple(),
        page_count=page_count,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


@dataclass
class _Findings:
    """Problems found so far, one per code; damage details are gathered into one message."""

    problems: dict[PreflightCode, str] = field(default_factory=dict)
    damage: list[str] = field(default_factory=list)

    def add(self, code: PreflightCode, message: str) -> None:
        self.problems.setdefault(code, message)

    def damaged(self, detail: str) -> None:
        if detail not in self.damage:
            self.damage.append(detail)
        self.problems[PreflightCode.DAMAGED] = _damaged(self.damage)

    def as_tuple(self) -> tuple[PreflightProblem, ...]:
        return tuple(PreflightProblem(code, message) for code, message in self.problems.items())


def _inspect_pdf(raw: bytes, max_pages: int, findings: _Findings) -> int | None:
    """Open the PDF and record what is wrong inside it; return its page count if known."""
    if b"%%EOF" not in raw[-_TRAILER_WINDOW:]:
        findings.damaged("its end is missing, as if the upload was cut short")
    with _quiet_mupdf():
        try:
            doc = cast(_PdfDocument, _MUPDF.open(stream=raw, filetype="pdf"))
        except Exception:  # MuPDF raises many types for broken files; all mean "damaged"
            findings.damaged("it cannot be opened")
            return None
        try:
            return _inspect_document(doc, max_pages, findings)
        except Exception:
            findings.damaged("part of it cannot be read")
            return None
        finally:
            doc.close()


def _inspect_document(doc: _PdfDocument, max_pages: int, findings: _Findings) -> int | None:
    if doc.is_repaired:
        findings.damaged("its cross-reference table is broken and had to be repaired")
    if doc.needs_pass or doc.is_encrypted or (doc.metadata or {}).get("encryption"):
        findings.add(PreflightCode.ENCRYPTED, _ENCRYPTED)
    if doc.needs_pass:
        return None  # the objects are unreadable without the password
    page_count = doc.page_count
    if page_count == 0:
        findings.add(PreflightCode.EMPTY, _NO_PAGES)
    elif page_count > max_pages:
        findings.add(PreflightCode.TOO_MANY_PAGES, _too_many_pages(page_count, max_pages))
    _scan_objects(doc, findings)
    return page_count


def _scan_objects(doc: _PdfDocument, findings: _Findings) -> None:
    """Look through every object's dictionary for scripts, launch actions and attachments.

    Actions are often direct (inline) dictionaries inside an annotation or the catalog, so
    each object's source text is searched rather than only its top-level keys.
    """
    attachments = doc.embfile_count()
    for xref in range(1, doc.xref_length()):
        source = doc.xref_object(xref, compressed=True).encode("latin-1", "replace")
        if _JAVASCRIPT.search(source):
            findings.add(PreflightCode.JAVASCRIPT, _JAVASCRIPT_MESSAGE)
        if _LAUNCH.search(source):
            findings.add(PreflightCode.LAUNCH_ACTION, _LAUNCH_MESSAGE)
        if _ATTACHMENT.search(source):
            attachments = max(attachments, 1)
    if attachments:
        findings.add(PreflightCode.EMBEDDED_FILES, _EMBEDDED)


@contextmanager
def _quiet_mupdf() -> Iterator[None]:
    """Keep MuPDF from printing to stderr while a file is checked, then restore its setting.

    Process-wide: a broken upload must not fill the server log with MuPDF's repair chatter.
    """
    tools = _MUPDF_TOOLS
    errors_were = tools.mupdf_display_errors()
    warnings_were = tools.mupdf_display_warnings()
    tools.mupdf_display_errors(False)
    tools.mupdf_display_warnings(False)
    try:
        yield
    finally:
        tools.mupdf_display_errors(errors_were)
        tools.mupdf_display_warnings(warnings_were)


def _file_size(size: int) -> str:
    # Rounded up, so a file just over the limit never reads as being at it.
    if size < 1024:
        return f"{size} bytes"
    unit, name = (_MIB, "MB") if size >= _MIB else (1024, "KB")
    shown = math.ceil(size * 10 / unit) / 10
    return f"{shown:g} {name}" if shown == int(shown) else f"{shown:.1f} {name}"


def _split_advice(parts: int) -> str:
    return (
        f"Split it into at least {parts} numbered parts (Part 1 of {parts}, …) and file each part."
    )


def _too_large(size: int, limit: int) -> str:
    return f"The file is {_file_size(size)}; the limit is {_file_size(limit)}. " + _split_advice(
        math.ceil(size / limit)
    )


def _too_many_pages(pages: int, limit: int) -> str:
    return f"The PDF has {pages:,} pages; the limit is {limit:,}. " + _split_advice(
        math.ceil(pages / limit)
    )


def _damaged(details: list[str]) -> str:
    return (
        f"The PDF is damaged ({'; '.join(details)}). Open it in a PDF reader, save or print "
        "a fresh copy as PDF, and upload that copy."
    )


_EMPTY = "The file is empty (0 bytes). Upload it again; if it is still empty, save a new copy."
_NO_PAGES = "The PDF has no pages. Check that you chose the right file and upload it again."
_NOT_PDF = (
    "The file is not a PDF. Save or print the document as PDF and upload the PDF; "
    "renaming a file to .pdf does not convert it."
)
_ENCRYPTED = (
    "The PDF is password-protected or encrypted. Save a copy without a password or "
    "security restrictions and upload that copy."
)
_JAVASCRIPT_MESSAGE = (
    "The PDF contains JavaScript, which the court does not accept. Print it to a new PDF "
    "(this removes scripts) and upload that copy."
)
_LAUNCH_MESSAGE = (
    "The PDF contains an action that starts another program, which the court does not "
    "accept. Print it to a new PDF (this removes actions) and upload that copy."
)
_EMBEDDED = (
    "The PDF has files attached inside it. Remove the attachments (print it to a new PDF), "
    "and file any attachment the court needs as its own PDF."
)
