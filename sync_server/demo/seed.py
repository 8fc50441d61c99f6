"""``ecas-server seed-demo``: a deterministic demo court system.

Three courts with courtrooms, judges, clerks and administrators; attorneys, an accredited
representative, DHS users and an EOIR staff reader; cases with respondents of many
nationalities, hearings over the next four weeks, and real PDF documents in the eROP store
(notices to appear, I-589 applications, evidence packets with scanned pages, hearing
notices, briefs). Some filings wait for clerk review. The same arguments give the same
records, ids and bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.court_time import court_today
from common.wire import (
    Document,
    WireRecord,
)
from sync_server.db import write_transaction
from sync_server.demo import pdfs
from sync_server.demo.plan import COURTS, FIRST_RECORDS, DemoPlanner
from sync_server.models import Blob, CourtRow
from sync_server.services import audit
from sync_server.services.auth import DEMO_EXEMPTION, create_user, exempt_from_api_second_factor
from sync_server.services.blob_store import BlobStore
from sync_server.services.records import SessionLookups, write_record


@dataclass(frozen=True)
class SeedReport:
    courts: int
    users: int
    cases: int
    hearings: int
    documents: int
    pending_filings: int
    password: str
    generated_password: bool


def _respondent(values: tuple[object, ...]) -> pdfs.Respondent:
    first, last, a_number, nationality, language, born = values
    return pdfs.Respondent(
        first_name=str(first),
        last_name=str(last),
        a_number=str(a_number),
        nationality=str(nationality),
        language=str(language),
        date_of_birth=born if isinstance(born, date) else date(1990, 1, 1),
        address="1200 Example Avenue, Apt 4, Oakland, CA 94607",
    )


def _court_info(values: tuple[str, ...]) -> pdfs.CourtInfo:
    return pdfs.CourtInfo(
        name=values[1], address=f"{values[2]}, {values[3]}, {values[4]}", city=values[3]
    )


def render_job(job: tuple[Any, ...]) -> bytes:
    """Render one planned document (runs in a worker process)."""
    kind, *args = job
    if kind == "nta":
        person, court, served_on, charges, seed = args
        return pdfs.notice_to_appear(
            _respondent(person),
            _court_info(court),
            served_on=served_on,
            charges=list(charges),
            seed=seed,
        )
    if kind == "i589":
        person, seed = args
        return pdfs.i589_application(_respondent(person), seed=seed)
    if kind == "evidence":
        person, seed, pages, scanned = args
        return pdfs.evidence_packet(
            _respondent(person), seed=seed, pages=pages, scanned_pages=scanned
        )
    if kind == "notice":
        person, court, hearing_at, hearing_type, room, judge, seed = args
        return pdfs.hearing_notice(
            _respondent(person),
            _court_info(court),
            hearing_at=hearing_at,
            hearing_type=hearing_type,
            courtroom=room,
            judge=judge,
            seed=seed,
        )
    if kind == "brief":
        person, title, seed, pages = args
        return pdfs.brief(_respondent(person), title=title, seed=seed, pages=pages)
    raise ValueError(f"unknown demo document kind {kind!r}")


def _render_all(
    jobs: list[tuple[str, tuple[object, ...]]], progress: Callable[[int, int], None]
) -> Iterator[tuple[str, bytes]]:
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(workers) as pool:
        for done, (doc_id, data) in enumerate(
            zip(
                (j[0] for j in jobs),
                pool.map(render_job, (j[1] for j in jobs), chunksize=16),
                strict=True,
            ),
            1,
        ):
            progress(done, len(jobs))
            yield doc_id, data


def _store_blob(store: BlobStore, staging: Path, data: bytes) -> tuple[str, int]:
    sha256 = hashlib.sha256(data).hexdigest()
    if not store.exists(sha256):
        fd, name = tempfile.mkstemp(dir=staging, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        store.publish(sha256, Path(name))
    with pymupdf.open(stream=data, filetype="pdf") as doc:  # type: ignore[no-untyped-call]
        pages = int(doc.page_count)
    return sha256, pages


def is_seeded(factory: sessionmaker[Session]) -> bool:
    with factory() as session:
        return session.scalar(select(CourtRow.id).limit(1)) is not None


def seed_demo(
    factory: sessionmaker[Session],
    store: BlobStore,
    staging: Path,
    *,
    cases: int,
    password: str | None,
    today: date | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> SeedReport:
    """Write the demo data (the database must be migrated and empty of courts)."""
    generated = password is None
    password = password or pdfs_password()
    # The demo's "today" is its first court's (San Francisco): its dockets start that day.
    plan = DemoPlanner(cases, today or court_today(COURTS[0][5])).build()
    staging.mkdir(parents=True, exist_ok=True)
    documents: dict[str, tuple[str, int, int]] = {}
    for doc_id, data in _render_all(plan.pdf_jobs, progress):
        sha256, pages = _store_blob(store, staging, data)
        documents[doc_id] = (sha256, len(data), pages)
    with write_transaction(factory) as session:
        lookups = SessionLookups(session)
        for record in plan.records[:FIRST_RECORDS]:  # courts, courtrooms, the Board first
            write_record(session, record, lookups=lookups)
        exempt: list[str] = []
        for person in plan.users:
            user_id = create_user(session, password=password, **person)
            # Demo users have no authenticator app: they may take API tokens with the
            # password alone, and the demo court staff may sign in to the portal so too
            # (audited and logged at every sign-in that relies on it).
            exempt_from_api_second_factor(session, user_id, DEMO_EXEMPTION)
            exempt.append(person["username"])
        for record in plan.records[FIRST_RECORDS:]:
            write_record(session, _finished(record, documents, session), lookups=lookups)
        counts = {
            name: sum(1 for r in plan.records if r.entity == name)
            for name in ("case", "hearing", "document", "filing")
        }
        audit.append(
            session,
            actor_id=None,
            action="demo.seed",
            detail={**counts, "two_factor_exempt": exempt},
        )
    return SeedReport(
        len(COURTS),
        len(plan.users),
        counts["case"],
        counts["hearing"],
        counts["document"],
        counts["filing"],
        password,
        generated,
    )


def _finished(
    record: WireRecord, documents: dict[str, tuple[str, int, int]], session: Session
) -> WireRecord:
    if not isinstance(record, Document):
        return record
    sha256, size, pages = documents[record.id]
    if session.get(Blob, sha256) is None:
        session.add(Blob(sha256=sha256, size=size, uploaded_by=None))
        session.flush()
    values = dict(record.__dict__, sha256=sha256, size=size, pages=pages)
    return Document.model_validate(values)


def pdfs_password() -> str:
    """A random demo password (printed by the command, never stored in plain text)."""
    return "demo-" + uuid.uuid4().hex[:12]
