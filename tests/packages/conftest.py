"""Cases with real PDFs for the eROP package tests, and reading a package back.

Packages are read back with pypdf, an independent reader (the builder writes with
PyMuPDF), so a test can't pass by the writer agreeing with itself.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pymupdf
import pypdf
from flask import Flask

from common.enums import (
    AppearanceScope,
    CaseStatus,
    CaseType,
    Custody,
    DocumentStatus,
    DocumentType,
    FilingKind,
    Party,
    RepresentationStatus,
)
from common.wire import Case, Document, Representation
from sync_server.db import write_transaction
from sync_server.models import Blob
from sync_server.packages.worker import PackageWorker
from sync_server.services.records import write_record
from tests.conftest import court_id, user_id

BATES = re.compile(r"EOIR-\d{9}-\d{6}")


def text_pdf(pages: int, tag: str, *, rotate: int = 0, landscape: bool = False) -> bytes:
    """A PDF whose page ``n`` reads "<tag> page n"; optionally rotated or landscape."""
    doc: Any = pymupdf.open()
    for number in range(1, pages + 1):
        width, height = (792, 612) if landscape else (612, 792)
        page = doc.new_page(width=width, height=height)
        page.insert_text((72, 100), f"{tag} page {number}", fontsize=14)
        if rotate:
            page.set_rotation(rotate)
    return bytes(doc.tobytes(garbage=3, deflate=True))


@dataclass
class FiledDocument:
    id: str
    title: str
    filed_on: date
    pages: int
    sha256: str
    data: bytes


@dataclass
class CaseWithRecord:
    id: str
    a_number: str
    accepted: list[FiledDocument] = field(default_factory=list)  # in docket order


def _publish(app: Flask, data: bytes) -> str:
    services = app.extensions["ecas"]
    sha = hashlib.sha256(data).hexdigest()
    store = services.blobs.store
    if not store.exists(sha):
        staged = Path(tempfile.mkstemp(dir=services.blobs.staging, suffix=".part")[1])
        staged.write_bytes(data)
        store.publish(sha, staged)
    return sha


def make_case(
    app: Flask,
    documents: list[tuple[str, bytes]],
    *,
    court: str = "SFR",
    attorney: str | None = "attorney1",
    same_day: bool = False,
) -> CaseWithRecord:
    """A case at ``court`` with ``documents`` accepted (filed on successive days, or all
    on one day), plus a pending and a rejected one that must stay out of the package,
    and ``attorney`` as accepted practitioner of record."""
    services = app.extensions["ecas"]
    a_number = f"{random.randrange(10**8, 10**9)}"
    case = Case(
        id=str(uuid.uuid4()),
        a_number=a_number,
        court_id=court_id(court),
        case_type=CaseType.REMOVAL,
        status=CaseStatus.PENDING,
        custody=Custody.NEVER_DETAINED,
        respondent_first_name="Ana",
        respondent_last_name="Example",
        nationality="Fictionland",
        language="Spanish",
        opened_on=date(2026, 1, 5),
    )
    result = CaseWithRecord(case.id, a_number)
    stray = [
        ("Pending brief", DocumentStatus.PENDING),
        ("Rejected motion", DocumentStatus.REJECTED),
    ]
    with write_transaction(services.factory) as session:
        write_record(session, case)
        if attorney is not None:
            rep = Representation(
                id=str(uuid.uuid4()),
                case_id=case.id,
                practitioner_id=user_id(attorney),
                form=FilingKind.EOIR_28,
                scope=AppearanceScope.ALL_PROCEEDINGS,
                status=RepresentationStatus.ACCEPTED,
                accepted_on=date(2026, 1, 20),
            )
            write_record(session, rep)
        entries = [(t, d, DocumentStatus.ACCEPTED) for t, d in documents]
        entries += [(t, text_pdf(1, t), s) for t, s in stray]
        # Written newest first, so docket order can't come from the order of writing.
        for number, (title, data, status) in reversed(list(enumerate(entries))):
            sha = _publish(app, data)
            if session.get(Blob, sha) is None:
                session.add(Blob(sha256=sha, size=len(data), uploaded_by=None))
            pages = pymupdf.open(stream=data, filetype="pdf").page_count  # type: ignore[no-untyped-call]
            filed_on = date(2026, 2, 2) + timedelta(days=0 if same_day else number)
            doc = Document(
                id=str(uuid.uuid4()),
                case_id=case.id,
                doc_type=DocumentType.EVIDENCE,
                title=title,
                filer_party=Party.RESPONDENT,
                filed_on=filed_on,
                pages=pages,
                sha256=sha,
                size=len(data),
                status=status,
            )
            write_record(session, doc)
            if status is DocumentStatus.ACCEPTED:
                result.accepted.append(FiledDocument(doc.id, title, filed_on, pages, sha, data))
    if not same_day:  # same day: the order of recording (written last entry first) rules
        result.accepted.sort(key=lambda d: d.filed_on)
    return result


def drain(app: Flask) -> int:
    """Run a worker until the queue is empty; returns how many jobs it ran."""
    services = app.extensions["ecas"]
    worker = PackageWorker(
        services.factory, services.blobs.store, services.config.data_dir / "packages"
    )
    ran = 0
    while worker.run_once():
        ran += 1
    return ran


@dataclass
class ReadBack:
    pages: int
    texts: list[str]
    outline: list[tuple[str, int]]  # title, 0-based page
    reader: pypdf.PdfReader


def read_back(data: bytes) -> ReadBack:
    reader = pypdf.PdfReader(io.BytesIO(data))
    texts = [page.extract_text() for page in reader.pages]
    outline = []
    for item in reader.outline:
        assert not isinstance(item, list), "the outline is flat: one entry per document"
        outline.append((str(item.title), reader.get_destination_page_number(item)))
    return ReadBack(len(reader.pages), texts, outline, reader)


@dataclass(frozen=True)
class IndexRow:
    number: int
    filed: str
    rest: str  # type and title
    pages: int
    first: int  # Bates numbers
    last: int


_ROW = re.compile(r"^(\d+) ([A-Z][a-z]+ \d{1,2}, \d{4}) (.+) (\d+) (\d{6}) to (\d{6})$")


def index_rows(text: str) -> list[IndexRow]:
    """The document lines of an index page's extracted text."""
    rows = []
    for line in text.splitlines():
        found = _ROW.match(line.strip())
        if found:
            n, filed, rest, pages, first, last = found.groups()
            rows.append(IndexRow(int(n), filed, rest, int(pages), int(first), int(last)))
    return rows
