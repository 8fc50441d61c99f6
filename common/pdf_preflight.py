"""Intake pre-flight for uploaded PDFs: every reason the court would refuse a file, at once.

A filer who fixes one problem only to be told about the next has wasted an upload, so
:func:`preflight_pdf` collects all problems; each message says what is wrong and what to do.
Limits come from ``resources/intake_limits.json``.

The work splits in two. :func:`inspect_pdf` parses the file (the dangerous part: a
hostile PDF can make any parser use gigabytes or minutes) and returns an
:class:`Inspection`, a few codes, details from a fixed vocabulary and a page count, which
travels as a small JSON text; :func:`preflight_pdf` does the byte-level checks itself and
turns the inspection into the filer's messages. The server runs :func:`inspect_pdf` in a
separate process with hard limits (:mod:`common.pdf_box`) and passes the box as
``inspect``; code checking a file the user opened locally may run it in-process.

Scripts are found by scanning object dictionaries (document open actions, the JavaScript
name tree, link and form-field actions) and the scripts of XFA forms; not scripts hidden
in other compressed streams. Flate streams are inflated in bounded pieces, counting, never
into memory whole.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import zlib
from collections.abc import Callable, Iterator
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
# An embedded file is reached through a file specification's /EF, a file-attachment
# annotation or a GoToE action; any of them means a file rides inside the PDF, whether or
# not the EmbeddedFiles name tree lists it.
_ATTACHMENT = re.compile(
    rb"/Subtype\s*/FileAttachment\b|/Type\s*/EmbeddedFile\b|/EF\s*<<|/EF\s+\d+\s+\d+\s+R"
    rb"|/S\s*/GoToE\b"
)
_SUBMIT_FORM = re.compile(rb"/S\s*/SubmitForm\b")
_GOTO_REMOTE = re.compile(rb"/S\s*/(?:GoToR|ImportData)\b")
_URI_VALUE = re.compile(rb"/URI\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL)
_FILE_SPEC = re.compile(
    rb"/(?:F|UF|DOS|Unix|Mac)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL
)
_REF = re.compile(r"(\d+)\s+(\d+)\s+R\b")
_FILTER_NAME = re.compile(rb"/(\w+)")
_XFA_SCRIPT = re.compile(rb"<(?:\w+:)?script\b", re.IGNORECASE)
# URI schemes a link may use: the web and e-mail. Anything else (file:, smb:, a UNC
# path, javascript:) reaches into the reader's computer or network.
_SAFE_SCHEMES = ("http://", "https://", "mailto:")

# Page trees: real writers build them a few levels deep; a loop, a node reached twice or a
# tree deeper than this is a parser attack, not a document.
MAX_PAGE_TREE_DEPTH = 32
# Every page needs an object of its own (at least ~40 bytes, "<</Type/Page/Parent 2 0 R>>"
# and its header); a file claiming more pages than its size can hold lies about them.
MIN_BYTES_PER_PAGE = 40
# Inflated size of Flate streams: one stream may not inflate beyond MAX_STREAM_INFLATED,
# nor the whole file beyond MAX_TOTAL_INFLATED; a stream beyond RATIO_FLOOR bytes may not
# inflate more than MAX_RATIO times its stored size (a page scan or a text stream inflates
# 2 to 50 times; a stream of one repeated byte, which is what a bomb is, about 1,000).
MAX_STREAM_INFLATED = 256 * 1024 * 1024
MAX_TOTAL_INFLATED = 1024 * 1024 * 1024
MAX_RATIO = 400
RATIO_FLOOR = 16 * 1024 * 1024
_INFLATE_PIECE = 1024 * 1024


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
    def xref_is_stream(self, xref: int) -> bool: ...
    def xref_stream_raw(self, xref: int) -> bytes | None: ...
    def xref_get_key(self, xref: int, key: str) -> tuple[str, str]: ...
    def pdf_catalog(self) -> int: ...
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
    TOO_COMPLEX = "too_complex"
    PAGE_TREE = "page_tree"
    INFLATION = "inflation"
    EXTERNAL_ACTION = "external_action"


class Detail(StrEnum):
    """What exactly is wrong, for the codes whose message names it (a fixed vocabulary, so
    an inspection's answer carries no text of its own)."""

    CUT_SHORT = "cut_short"
    CANNOT_OPEN = "cannot_open"
    REPAIRED = "repaired"
    UNREADABLE = "unreadable"
    PAGE_LOOP = "page_loop"
    PAGE_DEPTH = "page_depth"
    PAGE_COUNT = "page_count"
    SUBMIT_FORM = "submit_form"
    REMOTE_FILE = "remote_file"
    LINK_SCHEME = "link_scheme"


_DETAIL_CODE = {
    Detail.CUT_SHORT: PreflightCode.DAMAGED,
    Detail.CANNOT_OPEN: PreflightCode.DAMAGED,
    Detail.REPAIRED: PreflightCode.DAMAGED,
    Detail.UNREADABLE: PreflightCode.DAMAGED,
    Detail.PAGE_LOOP: PreflightCode.PAGE_TREE,
    Detail.PAGE_DEPTH: PreflightCode.PAGE_TREE,
    Detail.PAGE_COUNT: PreflightCode.PAGE_TREE,
    Detail.SUBMIT_FORM: PreflightCode.EXTERNAL_ACTION,
    Detail.REMOTE_FILE: PreflightCode.EXTERNAL_ACTION,
    Detail.LINK_SCHEME: PreflightCode.EXTERNAL_ACTION,
}


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


_MAX_ANSWER_PAGES = 10**9


@dataclass(frozen=True, slots=True)
class Inspection:
    """What parsing a PDF found: codes in the order found, their details, the page count.

    Plain data that travels as JSON (:meth:`to_json`, :meth:`from_json`): whoever reads
    an inspection made in another process trusts nothing but these enumerated values.
    """

    codes: tuple[PreflightCode, ...] = ()
    details: tuple[Detail, ...] = ()
    page_count: int | None = None

    @classmethod
    def too_complex(cls) -> Inspection:
        """The answer for a file whose check ran out of memory, time, or crashed."""
        return cls(codes=(PreflightCode.TOO_COMPLEX,))

    def to_json(self) -> str:
        return json.dumps(
            {
                "codes": [str(code) for code in self.codes],
                "details": [str(detail) for detail in self.details],
                "page_count": self.page_count,
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Inspection:
        """Parse and validate an inspection; ``ValueError`` for anything unexpected."""
        try:
            data = json.loads(text)
        except RecursionError:  # arrays nested thousands deep: not ours either
            raise ValueError("not an inspection") from None
        if not isinstance(data, dict) or set(data) != {"codes", "details", "page_count"}:
            raise ValueError("not an inspection")
        codes, details, pages = data["codes"], data["details"], data["page_count"]
        if not isinstance(codes, list) or not isinstance(details, list):
            raise ValueError("not an inspection")
        parsed = tuple(PreflightCode(str(c)) for c in codes if isinstance(c, str))
        found = tuple(Detail(str(d)) for d in details if isinstance(d, str))
        if len(parsed) != len(codes) or len(set(parsed)) != len(parsed):
            raise ValueError("bad codes")
        if len(found) != len(details) or len(set(found)) != len(found):
            raise ValueError("bad details")
        if any(_DETAIL_CODE[d] not in parsed for d in found):
            raise ValueError("a detail without its code")
        if pages is not None and (
            isinstance(pages, bool)
            or not isinstance(pages, int)
            or not 0 <= pages <= _MAX_ANSWER_PAGES
        ):
            raise ValueError("bad page count")
        return cls(parsed, found, pages)


Inspector = Callable[[bytes, int], Inspection]
"""Parses a PDF's bytes (with the page limit) into an :class:`Inspection`."""


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


def preflight_pdf(
    data: bytes | Path, *, max_bytes: int, max_pages: int, inspect: Inspector | None = None
) -> PreflightReport:
    """Check an uploaded file and report every reason it cannot be filed.

    ``inspect`` parses the PDF (default: :func:`inspect_pdf` in this process; the server
    passes its box). Never raises because of the file's content: anything the PDF library
    chokes on becomes a ``damaged`` problem, a parse beyond the box's limits ``too_complex``.
    (A ``Path`` that cannot be read raises ``OSError`` as usual.) ``page_count`` is None
    when the pages could not be counted. Each code appears at most once; ``ok`` is True
    exactly when there are no problems.
    """
    raw = data.read_bytes() if isinstance(data, Path) else bytes(data)
    problems: dict[PreflightCode, str] = {}
    page_count: int | None = None
    if not raw:
        problems[PreflightCode.EMPTY] = _EMPTY
    else:
        if len(raw) > max_bytes:
            problems[PreflightCode.TOO_LARGE] = _too_large(len(raw), max_bytes)
        if b"%PDF-" not in raw[:_HEADER_WINDOW]:
            problems[PreflightCode.NOT_PDF] = _NOT_PDF
        else:
            inspection = (inspect or inspect_pdf)(raw, max_pages)
            page_count = inspection.page_count
            for code in inspection.codes:
                problems.setdefault(code, _message(code, inspection, max_pages))
    return PreflightReport(
        ok=not problems,
        problems=tuple(PreflightProblem(code, text) for code, text in problems.items()),
        page_count=page_count,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _message(code: PreflightCode, inspection: Inspection, max_pages: int) -> str:
    details = [d for d in inspection.details if _DETAIL_CODE[d] is code]
    if code is PreflightCode.DAMAGED:
        return _damaged([_DETAIL_TEXT[d] for d in details])
    if code is PreflightCode.PAGE_TREE:
        return _page_tree([_DETAIL_TEXT[d] for d in details])
    if code is PreflightCode.EXTERNAL_ACTION:
        return _external([_DETAIL_TEXT[d] for d in details])
    if code is PreflightCode.TOO_MANY_PAGES:
        return _too_many_pages(inspection.page_count or max_pages + 1, max_pages)
    return _FIXED_MESSAGES[code]


@dataclass
class _Findings:
    """Problems found so far, in order, each code once, with their details."""

    codes: dict[PreflightCode, None] = field(default_factory=dict)
    details: dict[Detail, None] = field(default_factory=dict)

    def add(self, code: PreflightCode) -> None:
        self.codes.setdefault(code, None)

    def detail(self, detail: Detail) -> None:
        self.add(_DETAIL_CODE[detail])
        self.details.setdefault(detail, None)

    def inspection(self, page_count: int | None) -> Inspection:
        return Inspection(tuple(self.codes), tuple(self.details), page_count)


class _TooInflated(Exception):
    """A stream inflates beyond what any document needs."""


def inspect_pdf(raw: bytes, max_pages: int) -> Inspection:
    """Parse the PDF and record what is wrong inside it (no byte-level checks of size or
    header: :func:`preflight_pdf` makes those). Never raises because of the content; a
    parse that runs out of memory (the box's limit) answers ``too_complex``."""
    findings = _Findings()
    if b"%%EOF" not in raw[-_TRAILER_WINDOW:]:
        findings.detail(Detail.CUT_SHORT)
    page_count: int | None = None
    with _quiet_mupdf():
        try:
            doc = cast(_PdfDocument, _MUPDF.open(stream=raw, filetype="pdf"))
        except Exception as err:  # MuPDF raises many types for broken files
            if _out_of_memory(err):
                findings.add(PreflightCode.TOO_COMPLEX)
            else:
                findings.detail(Detail.CANNOT_OPEN)
            return findings.inspection(None)
        try:
            page_count = _inspect_document(doc, max_pages, len(raw), findings)
        except Exception as err:
            if _out_of_memory(err):
                findings.add(PreflightCode.TOO_COMPLEX)
            else:
                findings.detail(Detail.UNREADABLE)
        finally:
            doc.close()
    return findings.inspection(page_count)


def _out_of_memory(err: BaseException) -> bool:
    text = str(err).lower()
    return isinstance(err, MemoryError) or "malloc" in text or "out of memory" in text


def _inspect_document(
    doc: _PdfDocument, max_pages: int, size: int, findings: _Findings
) -> int | None:
    if doc.is_repaired:
        findings.detail(Detail.REPAIRED)
    if doc.needs_pass or doc.is_encrypted or (doc.metadata or {}).get("encryption"):
        findings.add(PreflightCode.ENCRYPTED)
    if doc.needs_pass:
        return None  # the objects are unreadable without the password
    page_count: int | None = None
    fault = _page_tree_fault(doc)
    if fault is not None:
        findings.detail(fault)
    else:
        page_count = doc.page_count
        if page_count > size // MIN_BYTES_PER_PAGE + 1:
            findings.detail(Detail.PAGE_COUNT)
        elif page_count == 0:
            findings.add(PreflightCode.EMPTY)
        elif page_count > max_pages:
            findings.add(PreflightCode.TOO_MANY_PAGES)
    _scan_objects(doc, findings)
    _scan_xfa(doc, findings)
    return page_count


def _ref(value: str) -> int | None:
    match = _REF.fullmatch(value.strip())
    return int(match.group(1)) if match else None


def _page_tree_fault(doc: _PdfDocument) -> Detail | None:
    """Walk the page tree from the catalog: a node reached twice (a loop, or a page listed
    in two places) or nesting deeper than :data:`MAX_PAGE_TREE_DEPTH` is a fault. Each
    node is visited once, so the walk costs no more than the file's objects."""
    kind, value = doc.xref_get_key(doc.pdf_catalog(), "Pages")
    root = _ref(value) if kind == "xref" else None
    if root is None:
        return None  # no page tree at all: MuPDF counts no pages, and that is reported
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        xref, depth = stack.pop()
        if xref in seen:
            return Detail.PAGE_LOOP
        if depth > MAX_PAGE_TREE_DEPTH:
            return Detail.PAGE_DEPTH
        seen.add(xref)
        kind, kids = doc.xref_get_key(xref, "Kids")
        if kind == "xref":  # an indirect Kids array
            target = _ref(kids)
            kids = doc.xref_object(target) if target else ""
            kind = "array"
        if kind == "array":
            stack.extend((int(m.group(1)), depth + 1) for m in _REF.finditer(kids))
    return None


def _scan_objects(doc: _PdfDocument, findings: _Findings) -> None:
    """Look through every object for scripts, launch and outward actions, attachments,
    and streams that inflate too far.

    Actions are often direct (inline) dictionaries inside an annotation or the catalog, so
    each object's source text is searched rather than only its top-level keys.
    """
    attachments = doc.embfile_count()
    inflated = 0
    for xref in range(1, doc.xref_length()):
        source = doc.xref_object(xref, compressed=True).encode("latin-1", "replace")
        if _JAVASCRIPT.search(source):
            findings.add(PreflightCode.JAVASCRIPT)
        if _LAUNCH.search(source):
            findings.add(PreflightCode.LAUNCH_ACTION)
        if _ATTACHMENT.search(source):
            attachments = max(attachments, 1)
        if _SUBMIT_FORM.search(source):
            findings.detail(Detail.SUBMIT_FORM)
        if _GOTO_REMOTE.search(source) and any(
            _absolute_target(_pdf_string(m.group(1))) for m in _FILE_SPEC.finditer(source)
        ):
            findings.detail(Detail.REMOTE_FILE)
        if any(not _web_link(_pdf_string(m.group(1))) for m in _URI_VALUE.finditer(source)):
            findings.detail(Detail.LINK_SCHEME)
        if PreflightCode.INFLATION not in findings.codes and doc.xref_is_stream(xref):
            try:
                inflated += _inflated_size(doc, xref, MAX_TOTAL_INFLATED - inflated)
            except _TooInflated:
                findings.add(PreflightCode.INFLATION)
    if attachments:
        findings.add(PreflightCode.EMBEDDED_FILES)


def _scan_xfa(doc: _PdfDocument, findings: _Findings) -> None:
    """Scripts in an XFA form (its template is XML inside streams, which the object scan
    does not see): any ``<script>`` element counts, JavaScript or FormCalc."""
    kind, value = doc.xref_get_key(doc.pdf_catalog(), "AcroForm/XFA")
    if kind == "xref":
        target = _ref(value)
        value = doc.xref_object(target) if target and not doc.xref_is_stream(target) else value
    if kind not in ("xref", "array"):
        return
    for match in _REF.finditer(value):
        xref = int(match.group(1))
        if not doc.xref_is_stream(xref):
            continue
        tail = b""
        try:
            for piece in _decoded(doc, xref, MAX_STREAM_INFLATED):
                if _XFA_SCRIPT.search(tail + piece):
                    findings.add(PreflightCode.JAVASCRIPT)
                    return
                tail = piece[-32:]
        except _TooInflated:
            findings.add(PreflightCode.INFLATION)


_FLATE = frozenset({"FlateDecode", "Fl"})
_ASCII_FILTERS = {
    "ASCII85Decode": lambda data: base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False),
    "A85": lambda data: base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False),
    "ASCIIHexDecode": lambda data: bytes.fromhex(
        re.sub(rb"\s", b"", data).split(b">")[0].decode("ascii")
    ),
    "AHx": lambda data: bytes.fromhex(re.sub(rb"\s", b"", data).split(b">")[0].decode("ascii")),
}


def _filters(doc: _PdfDocument, xref: int) -> list[str]:
    kind, value = doc.xref_get_key(xref, "Filter")
    if kind == "xref":
        target = _ref(value)
        value = doc.xref_object(target) if target else ""
    return [name.decode("ascii", "replace") for name in _FILTER_NAME.findall(value.encode())]


def _decoded(doc: _PdfDocument, xref: int, cap: int) -> Iterator[bytes]:
    """The stream's data after its leading ASCII and Flate filters, in pieces of at most
    1 MiB; raises :class:`_TooInflated` once any Flate stage has produced more than
    ``cap`` bytes. Stops quietly at data that does not inflate (MuPDF judges damage)."""
    data = doc.xref_stream_raw(xref) or b""
    flates = 0
    for name in _filters(doc, xref):
        if name in _FLATE:
            flates += 1
        elif name in _ASCII_FILTERS and not flates:
            try:
                data = _ASCII_FILTERS[name](data)
            except ValueError:
                return
        else:
            break
    pieces: Iterator[bytes] = iter((data,))
    for _ in range(flates):
        pieces = _inflate(pieces, cap)
    yield from pieces


def _inflate(source: Iterator[bytes], cap: int) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    produced = 0
    for chunk in source:
        pending = chunk
        while pending and not inflater.eof:
            try:
                out = inflater.decompress(pending, _INFLATE_PIECE)
            except zlib.error:
                return
            produced += len(out)
            if produced > cap:
                raise _TooInflated
            if out:
                yield out
            elif inflater.unconsumed_tail == pending:
                return  # no progress
            pending = inflater.unconsumed_tail
        if inflater.eof:
            return


def _inflated_size(doc: _PdfDocument, xref: int, budget: int) -> int:
    """How far the stream inflates, counted piece by piece and never held whole; raises
    :class:`_TooInflated` beyond the per-stream cap, the ratio or the file's ``budget``."""
    stored = len(doc.xref_stream_raw(xref) or b"")
    cap = min(MAX_STREAM_INFLATED, budget, max(RATIO_FLOOR, MAX_RATIO * stored))
    return sum(len(piece) for piece in _decoded(doc, xref, cap))


def _pdf_string(token: bytes) -> str:
    """A PDF string token, literal ``(…)`` or hex ``<…>``, as text."""
    if token.startswith(b"<"):
        digits = re.sub(rb"[^0-9A-Fa-f]", b"", token)
        value = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
    else:
        value = _unescape(token[1:-1])
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", "replace")
    return value.decode("latin-1")


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _unescape(body: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(body):
        char = body[i]
        if char != 0x5C or i + 1 == len(body):  # not a backslash
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1]
        digits = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if digits:
            out.append(int(digits.group(), 8) & 0xFF)
            i += 1 + len(digits.group())
            continue
        if nxt not in (0x0A, 0x0D):  # a backslash before a line break continues the line
            out += _ESCAPES.get(nxt, bytes((nxt,)))
        i += 2
    return bytes(out)


def _scheme(text: str) -> str | None:
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", text)
    return match.group(1).lower() if match else None


def _web_link(uri: str) -> bool:
    """A link a reader may follow: a web or e-mail address, or one relative to the
    document. Not a network path, a local file, or any other scheme (javascript:, smb:)."""
    text = "".join(ch for ch in uri if ch > " ").lower()
    if text.startswith(("\\", "//")):
        return False
    scheme = _scheme(text)
    return scheme is None or text.startswith(_SAFE_SCHEMES)


def _absolute_target(target: str) -> bool:
    """A GoToR or ImportData target outside the document's own folder: a network (UNC)
    path, an absolute path, or an address with a scheme other than the web's."""
    text = target.strip()
    if not text:
        return False
    if text.startswith(("/", "\\")):
        return True
    scheme = _scheme(text)
    return scheme is not None and not text.lower().startswith(("http://", "https://"))


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


def _page_tree(details: list[str]) -> str:
    return (
        f"The PDF's list of pages is malformed ({'; '.join(details)}). Print it to a new PDF "
        "(Print to PDF) and upload that copy."
    )


def _external(details: list[str]) -> str:
    return (
        f"The PDF has {' and '.join(details)}, which the court does not accept in a filed "
        "document. Print it to a new PDF (this removes buttons and links) and upload that copy."
    )


_DETAIL_TEXT = {
    Detail.CUT_SHORT: "its end is missing, as if the upload was cut short",
    Detail.CANNOT_OPEN: "it cannot be opened",
    Detail.REPAIRED: "its cross-reference table is broken and had to be repaired",
    Detail.UNREADABLE: "part of it cannot be read",
    Detail.PAGE_LOOP: "a page or a group of pages is listed inside itself or twice",
    Detail.PAGE_DEPTH: f"its pages are nested more than {MAX_PAGE_TREE_DEPTH} levels deep",
    Detail.PAGE_COUNT: "it claims more pages than the file could hold",
    Detail.SUBMIT_FORM: "a button that sends form data to another computer",
    Detail.REMOTE_FILE: "a link that opens a file outside the document (a network or local path)",
    Detail.LINK_SCHEME: "a link to a network path, a local file or a script rather than a web page",
}
TOO_COMPLEX_MESSAGE = (
    "This PDF is too complex to check; save it again as a plain PDF (Print to PDF) and upload that."
)
_INFLATION = (
    "Part of the PDF expands to far more data than any document needs (a compression bomb). "
    "Print it to a new PDF (Print to PDF) and upload that copy."
)
_FIXED_MESSAGES = {
    PreflightCode.EMPTY: _NO_PAGES,
    PreflightCode.ENCRYPTED: _ENCRYPTED,
    PreflightCode.JAVASCRIPT: _JAVASCRIPT_MESSAGE,
    PreflightCode.LAUNCH_ACTION: _LAUNCH_MESSAGE,
    PreflightCode.EMBEDDED_FILES: _EMBEDDED,
    PreflightCode.TOO_COMPLEX: TOO_COMPLEX_MESSAGE,
    PreflightCode.INFLATION: _INFLATION,
}
