"""Push cost: ms a mutation for a push of 100, and pushes from 10 courts at once.

    python -m benchmarks.bench_push_courts --db postgresql --cases 3000

A scratch database (``bench_sync.scratch_database``) is filled by ``benchmarks.fixtures``;
then a clerk for each of the first ``--courts`` courts is created. Every push calls
``sync_server.services.sync.push`` in-process (no HTTP, so the figure is the server's own
cost): 100 hearing length changes with the right ``base_version``s, all applied.

1. One court alone: ``--repeats`` pushes of 100 through the batched path, interleaved with as
   many through the old one-statement-at-a-time path (``sync.PUSH_BATCHED = False``), after
   one untimed warm-up of each; median ms a mutation of each and their ratio.
2. Pushes from ``--courts`` courts at once: one thread per court, each its clerk pushing 100
   ``--rounds`` times; total mutations/s against one court pushing the same number alone,
   measured back to back. Threads share one interpreter (the GIL), so ``--processes`` runs
   each court's clerk in its own process instead, as gunicorn's workers would. On
   PostgreSQL each push of hearings takes only its court's lock (``db.begin_write``), so
   the courts' pushes overlap up to the end of their transactions, where the audit chain's
   head and the committed top are taken one at a time (docs/PERFORMANCE.md).

Figures print next to their baselines measured in the same run, with the load average.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.bench_sync import scratch_database
from benchmarks.fixtures import COURTS, PASSWORD, bench_id, load_world
from common.enums import Role
from common.protocol import Mutation, PushRequest
from sync_server.db import make_engine, make_session_factory, write_transaction
from sync_server.models import CaseRow, HearingRow, UserRow
from sync_server.policy import Principal
from sync_server.services import sync
from sync_server.services.auth import create_user, principal_of
from sync_server.services.blob_store import FolderBlobStore
from sync_server.services.orders import OrderIssuer
from sync_server.services.records import row_to_record

PUSH_SIZE = 100


def say(message: str) -> None:
    print(message, flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


class Clerk:
    """One court's clerk with the hearings of that court and their current versions."""

    def __init__(self, factory: sessionmaker[Session], code: str, folder: Path) -> None:
        self.factory = factory
        self.code = code
        court_id = bench_id("court", code)
        with factory() as session:
            user = session.scalars(
                select(UserRow).where(UserRow.username == f"bench-clerk-{code.lower()}")
            ).one()
            self.principal: Principal = principal_of(user)
            rows = session.scalars(
                select(HearingRow)
                .join(CaseRow, CaseRow.id == HearingRow.case_id)
                .where(CaseRow.court_id == court_id, HearingRow.deleted.is_(False))
                .order_by(HearingRow.id)
            )
            self.hearings: list[dict[str, Any]] = [
                {"version": r.version, "data": row_to_record("hearing", r).model_dump(mode="json")}
                for r in rows
            ]
        assert len(self.hearings) >= PUSH_SIZE, f"court {code} has too few hearings"
        self.at = 0
        self.issuer = OrderIssuer(
            FolderBlobStore(folder / "blobs"), folder / f"staging-{code}", None
        )

    def push(self) -> float:
        """One push of 100 length changes; returns its wall time in ms."""
        chosen = [self.hearings[(self.at + i) % len(self.hearings)] for i in range(PUSH_SIZE)]
        self.at += PUSH_SIZE
        mutations = []
        for h in chosen:
            data = dict(h["data"])
            data["duration_minutes"] = 30 + (int(data["duration_minutes"]) + 15) % 120
            mutations.append(
                Mutation.model_validate(
                    {
                        "mutation_id": str(uuid.uuid4()),
                        "entity": "hearing",
                        "id": data["id"],
                        "op": "upsert",
                        "base_version": h["version"],
                        "data": data,
                    }
                )
            )
        request = PushRequest(client_id="bench", mutations=mutations)
        started = time.perf_counter()
        results = sync.push(self.factory, self.principal, request, self.issuer)
        elapsed = (time.perf_counter() - started) * 1000
        for h, m, r in zip(chosen, mutations, results, strict=True):
            assert r.status.value == "applied", r
            h["version"], h["data"] = r.version, m.data
        return elapsed


def add_clerks(factory: sessionmaker[Session], courts: int) -> list[str]:
    codes = [c[0] for c in COURTS[:courts]]
    with write_transaction(factory) as session:
        for code in codes:
            create_user(
                session,
                username=f"bench-clerk-{code.lower()}",
                password=PASSWORD,
                role=Role.CLERK,
                display_name=f"Bench clerk {code}",
                court_id=bench_id("court", code),
            )
    return codes


def one_court(clerk: Clerk, repeats: int) -> tuple[list[float], list[float]]:
    """Interleaved pushes through the batched and the old path (ms a mutation)."""
    new: list[float] = []
    old: list[float] = []
    for round_ in range(repeats + 1):
        for batched, into in ((True, new), (False, old)):
            sync.PUSH_BATCHED = batched
            ms = clerk.push() / PUSH_SIZE
            if round_:
                into.append(ms)
    sync.PUSH_BATCHED = True
    return new, old


def _process_main(
    url: str, code: str, folder: str, rounds: int, start: Any, ready: Any, out: Any
) -> None:
    factory = make_session_factory(make_engine(url))
    clerk = Clerk(factory, code, Path(folder))
    clerk.at = PUSH_SIZE * 7  # other hearings than the ones already pushed
    ready.put(code)
    start.wait()
    for _ in range(rounds):
        clerk.push()
    out.put(time.perf_counter())


def many_courts(clerks: list[Clerk], rounds: int, processes: bool, url: str, folder: Path) -> float:
    """Wall seconds for every clerk to push ``rounds`` pushes of 100, all at once."""
    if processes:
        ctx = multiprocessing.get_context("spawn")
        start = ctx.Event()
        out: Any = ctx.Queue()
        ready: Any = ctx.Queue()
        procs = [
            ctx.Process(
                target=_process_main,
                args=(url, c.code, str(folder), rounds, start, ready, out),
            )
            for c in clerks
        ]
        for p in procs:
            p.start()
        for _ in procs:  # every process imported, connected and holding its hearings
            ready.get(timeout=600)
        began = time.perf_counter()
        start.set()
        ends = [out.get(timeout=600) for _ in procs]
        for p in procs:
            p.join()
        return max(ends) - began
    barrier = threading.Barrier(len(clerks) + 1)
    failures: list[BaseException] = []

    def run(clerk: Clerk) -> None:
        try:
            barrier.wait()
            for _ in range(rounds):
                clerk.push()
        except BaseException as err:
            failures.append(err)

    threads = [threading.Thread(target=run, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    assert not failures, failures[0]
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--courts", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", action="store_true")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="ecas-bench-push-") as tmp,
        scratch_database(args.db, Path(tmp)) as url,
    ):
        folder = Path(tmp)
        factory = make_session_factory(make_engine(url))
        say(f"== {args.db}: loading {args.cases:,} cases ({load()})")
        load_world(factory, args.cases, proceedings=False)
        codes = add_clerks(factory, args.courts)
        clerks = [Clerk(factory, code, folder) for code in codes]
        # The biggest court first: it alone is timed in part 1 and as the baseline of part 2.
        if args.repeats:
            say(f"-- one court, {args.repeats} pushes of {PUSH_SIZE} each way ({load()})")
            new, old = one_court(clerks[0], args.repeats)
            med_new, med_old = statistics.median(new), statistics.median(old)
            say(
                f"   push of {PUSH_SIZE}: batched {med_new:.2f} ms/mutation (median), "
                f"old path {med_old:.2f} ms/mutation: {med_old / med_new:.2f}x faster"
            )
        for c in clerks:
            c.at = PUSH_SIZE * 3
        alone = many_courts(clerks[:1] * 1, args.rounds * len(clerks), False, url, folder)
        alone_rate = PUSH_SIZE * args.rounds * len(clerks) / alone
        say(
            f"-- one court alone pushing {args.rounds * len(clerks)} x {PUSH_SIZE}: "
            f"{alone_rate:,.0f} mutations/s ({load()})"
        )
        how = "processes" if args.processes else "threads"
        together = many_courts(clerks, args.rounds, args.processes, url, folder)
        rate = PUSH_SIZE * args.rounds * len(clerks) / together
        say(
            f"-- {len(clerks)} courts at once ({how}), {args.rounds} x {PUSH_SIZE} each: "
            f"{rate:,.0f} mutations/s = {rate / alone_rate:.2f}x one court alone ({load()})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
