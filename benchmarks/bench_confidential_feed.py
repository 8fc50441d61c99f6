"""What the confidentiality flag checks add to a practitioner's pull (issue 17 item 2).

    python -m benchmarks.bench_confidential_feed --cases 2000 --repeats 15

``policy.feed_filter`` admits a practitioner's own feed rows (documents they filed) only
where no flag holds or they are counsel of record (``policy.feed_rows_flagged``: a
primary-key probe of the row's document and case per own row). For each database a
scratch database holds ``--cases`` cases (benchmarks/fixtures.py) and one attorney who
filed ``--documents`` documents spread over 100 cases, half of those cases flagged as
asylum information, appearing in a quarter of them (the rest: withdrawn). In-process
``sync.pull`` (the same SELECT and encoding as the endpoint) of that attorney's whole
scope, and a no-op pull from the final cursor, are timed with the flag check as committed
("with") and with ``feed_rows_flagged`` replaced by ``false()`` (the feed before the check,
"without"), alternately in one loop so machine noise hits both alike. Medians of
``--repeats``; the ratio is what the machine's load can't move much. Not a target of
docs/PERFORMANCE.md; recorded under its "Confidential records" heading.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.bench_sync import postgres_answers, scratch_database
from benchmarks.fixtures import load_world
from common.enums import (
    AppearanceScope,
    Confidentiality,
    DocumentStatus,
    DocumentType,
    FilingKind,
    Party,
    RepresentationStatus,
    Role,
)
from common.wire import Case, Document, Representation
from sync_server import policy
from sync_server.db import make_engine, make_session_factory, write_transaction
from sync_server.models import CaseRow, SyncRecord, UserRow
from sync_server.policy import Principal
from sync_server.services import feed_pages, sync
from sync_server.services.auth import create_user, principal_of
from sync_server.services.records import row_to_record, write_record


def _attorney(factory: sessionmaker[Session], documents: int) -> Principal:
    """An attorney who filed ``documents`` documents over 100 cases (half flagged), of
    record in every fourth."""
    with write_transaction(factory) as session:
        attorney_id = create_user(
            session,
            username="bench-attorney",
            password="a-long-bench-password-1",
            role=Role.ATTORNEY,
            display_name="Bench Attorney",
            eoir_id="BA00001",
        )
        attorney = principal_of(session.get_one(UserRow, attorney_id))
        rows = session.scalars(select(CaseRow).order_by(CaseRow.id).limit(100)).all()
        cases = [row_to_record("case", row) for row in rows]
        for n, case in enumerate(cases):
            assert isinstance(case, Case)
            if n % 2 == 0:
                flagged = [Confidentiality.ASYLUM]
                write_record(session, case.model_copy(update={"confidentiality": flagged}))
            accepted = n % 4 == 0
            write_record(
                session,
                Representation(
                    id=str(uuid.uuid4()),
                    case_id=case.id,
                    practitioner_id=attorney.id,
                    form=FilingKind.EOIR_28,
                    scope=AppearanceScope.ALL_PROCEEDINGS,
                    status=(
                        RepresentationStatus.ACCEPTED
                        if accepted
                        else RepresentationStatus.WITHDRAWN
                    ),
                    accepted_on=date(2026, 1, 5),
                ),
            )
        for i in range(documents):
            case = cases[i % len(cases)]
            write_record(
                session,
                Document(
                    id=str(uuid.uuid4()),
                    case_id=case.id,
                    doc_type=DocumentType.EVIDENCE,
                    title=f"Exhibit {i}",
                    filer_id=attorney.id,
                    filer_party=Party.RESPONDENT,
                    filed_on=date(2026, 2, 1),
                    pages=1,
                    sha256=f"{i:064x}",
                    size=100,
                    status=DocumentStatus.ACCEPTED if i % 3 else DocumentStatus.PENDING,
                ),
            )
    return attorney


def _pull(factory: sessionmaker[Session], p: Principal, cursor: str | None) -> tuple[int, str]:
    count = 0
    while True:
        with factory() as session:
            page = orjson.loads(sync.pull(session, p, cursor, 1000))
        count += len(page["changes"])
        cursor = str(page["cursor"])
        if not page["has_more"]:
            return count, cursor


def _off(rec: Any = SyncRecord) -> ColumnElement[bool]:
    return false()


def run(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder, scratch_database(kind, Path(folder)) as url:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        load_world(factory, args.cases)
        attorney = _attorney(factory, args.documents)
        checked: Callable[..., ColumnElement[bool]] = policy.feed_rows_flagged
        timings: dict[str, list[float]] = {
            "pull with": [],
            "pull without": [],
            "noop with": [],
            "noop without": [],
        }
        rows: dict[str, int] = {}
        cursors: dict[str, str] = {}
        # each way keeps its own page statements (feed_pages keeps one per principal)
        kept: dict[str, dict[Any, Any]] = {"with": {}, "without": {}}
        for _ in range(args.repeats):
            for label, check in (("with", checked), ("without", _off)):
                policy.feed_rows_flagged = check
                feed_pages._STATEMENTS = kept[label]
                started = time.perf_counter()
                rows[label], cursors[label] = _pull(factory, attorney, None)
                timings[f"pull {label}"].append(time.perf_counter() - started)
                started = time.perf_counter()
                _pull(factory, attorney, cursors[label])
                timings[f"noop {label}"].append(time.perf_counter() - started)
        policy.feed_rows_flagged = checked
        feed_pages._STATEMENTS = {}
        engine.dispose()
    medians = {k: statistics.median(v) * 1000 for k, v in timings.items()}
    return {"db": kind, "rows": rows, "ms": medians}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for kind in kinds:
        if kind == "postgresql" and not postgres_answers():
            print("postgresql: not reachable, skipped")
            continue
        result = run(kind, args)
        ms = result["ms"]
        print(
            f"{kind}: {args.cases} cases, attorney's own documents {args.documents}; rows pulled"
            f" with {result['rows']['with']}, without {result['rows']['without']}"
        )
        for what in ("pull", "noop"):
            with_, without = ms[f"{what} with"], ms[f"{what} without"]
            print(
                f"  {what:5} with {with_:8.2f} ms  without {without:8.2f} ms"
                f"  ratio {with_ / without:5.2f}x"
            )
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
