"""Sync benchmark: a judge's initial pull, no-op syncs and a push, against a real server.

    make bench                                      # both databases, 100,000 cases
    python -m benchmarks.bench_sync --db sqlite --cases 100000

For each database: a server holding ``--cases`` cases (see ``benchmarks/fixtures.py``) runs
as its own process (``python -m sync_server.cli run``); a ``requests.Session`` signs in as
the judge of the biggest court and pulls the whole scope, parsing every page with orjson as
a client would. In the same run, and interleaved with the HTTP pulls so that machine noise
hits both alike, two floors with no HTTP:

(a) ``sync_server.services.sync.pull`` called in-process page by page: the same SELECT and
    encoding the endpoint runs ("selected + encoded");
(b) a naive floor: the court's cases and every record of them (hearings, documents and the
    proceedings' records) selected from the typed tables with SQLAlchemy Core and
    ``orjson.dumps``-ed as one list of dicts.

The data carries the records of issue 13 (pleadings, decisions, motions, custody histories,
bond cases and bonds, appeals); ``--proceedings without`` loads the data as it was before
them, and ``--proceedings both`` measures each database twice, without and with them, so
the initial pull's ratio to the floor can be compared within one run.

Then 300 no-op syncs from the final cursor (over HTTP and in-process) and 15 pushes of 100
hearing reschedules by the court's clerk. Every figure is a median of repeats; ratios
compare figures measured in the same run. Targets (docs/PERFORMANCE.md, "Targets"):
>= 20,000 records/s, within 3x of the floor, no-op p95 <= 20 ms. A missed target is
reported, not an error: the exit status is 0 unless the benchmark itself breaks.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file by `make bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
import psycopg
import requests
import sqlalchemy
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.fixtures import ENTITIES, BenchWorld, load_world, verify_bulk_rows
from sync_server.db import Base, make_engine, make_session_factory
from sync_server.migrate import upgrade
from sync_server.models import CaseRow, UserRow
from sync_server.policy import Principal
from sync_server.services import sync
from sync_server.services.auth import principal_of

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("ECAS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
TARGET_RATE = 20_000.0
TARGET_FLOOR_RATIO = 3.0
TARGET_NOOP_P95_MS = 20.0
PUSH_SIZE = 100


# --- measurements --------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


@dataclass
class PullFigures:
    """Repeated timings of one page size: the endpoint and both floors."""

    page: int
    records: int = 0
    floor_b_rows: int = 0
    http_s: list[float] = field(default_factory=list)
    http_parse_s: list[float] = field(default_factory=list)
    floor_a_s: list[float] = field(default_factory=list)
    floor_b_s: list[float] = field(default_factory=list)

    def rate(self, seconds: list[float], records: int | None = None) -> float:
        return (self.records if records is None else records) / statistics.median(seconds)

    @property
    def http_rate(self) -> float:
        return self.rate(self.http_s)

    @property
    def floor_a_rate(self) -> float:
        return self.rate(self.floor_a_s)

    @property
    def floor_b_rate(self) -> float:
        return self.rate(self.floor_b_s, self.floor_b_rows)


@dataclass
class DbFigures:
    db: str
    world: BenchWorld
    load_s: float
    verified: int
    proceedings: bool = True
    pulls: list[PullFigures] = field(default_factory=list)
    noop_http_ms: list[float] = field(default_factory=list)
    noop_inproc_ms: list[float] = field(default_factory=list)
    push_ms: list[float] = field(default_factory=list)
    push_plain_ms: list[float] = field(default_factory=list)  # length changes: no notices
    profile: str = ""


# --- databases and the server process ------------------------------------------------------


def postgres_answers() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def scratch_database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh, migrated database of ``kind``, dropped afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'ecas.sqlite3'}"
        upgrade(url)
        yield url
        return
    name = f"ecas_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        url = f"{base}/{name}"
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server_process(url: str, folder: Path) -> Iterator[str]:
    """``ecas-server run`` on a free loopback port; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "ECAS_DATA_DIR": str(folder),
        "ECAS_DATABASE_URL": url,
        "ECAS_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "ECAS_ACCESS_TOKEN_SECONDS": "7200",
        "PYTHONPATH": str(REPO),
    }
    with open(folder / "server.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sync_server.cli", "run", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=log,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{base}/healthz", timeout=2).ok:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {folder / 'server.log'}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def signed_in(base: str, username: str, password: str) -> requests.Session:
    client = requests.Session()
    response = client.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": password}, timeout=30
    )
    response.raise_for_status()
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


def prepare_for_reads(engine: Engine, kind: str) -> None:
    """What a production database has after a bulk load: statistics (PostgreSQL's
    autovacuum would gather them within a minute) and, on SQLite, a checkpointed WAL."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if kind == "postgresql":
            conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


# --- the pull, three ways ------------------------------------------------------------------


@dataclass
class HttpPull:
    records: int
    seconds: float
    parse_seconds: float
    cursor: str
    changes: list[dict[str, Any]] | None = None


def http_pull(client: requests.Session, base: str, limit: int, keep: bool = False) -> HttpPull:
    """Every page of the caller's scope from the start, parsed as a client would."""
    url = f"{base}/api/v1/sync/changes"
    since: str | None = None
    records, parse, kept = 0, 0.0, []
    started = time.perf_counter()
    while True:
        params: dict[str, str | int] = {"limit": limit}
        if since:
            params["since"] = since
        response = client.get(url, params=params, timeout=120)
        response.raise_for_status()
        parse_started = time.perf_counter()
        page = orjson.loads(response.content)
        parse += time.perf_counter() - parse_started
        records += len(page["changes"])
        if keep:
            kept += page["changes"]
        since = page["cursor"]
        if not page["has_more"]:
            break
    return HttpPull(
        records, time.perf_counter() - started, parse, str(since), kept if keep else None
    )


def _page_tail(body: bytes) -> dict[str, Any]:
    """The cursor and has_more of a response body, without parsing its changes."""
    tail: dict[str, Any] = orjson.loads(b"{" + body[body.rindex(b'],"cursor":') + 2 :])
    return tail


def inprocess_pull(
    factory: sessionmaker[Session], principal: Principal, limit: int
) -> tuple[int, float]:
    """Floor (a): the endpoint's own ``sync.pull``, one transaction a page as the view does,
    no HTTP, no auth, no client parse."""
    since: str | None = None
    records = 0
    started = time.perf_counter()
    while True:
        with factory() as session, session.begin():
            body = sync.pull(session, principal, since, limit)
        records += body.count(b'{"entity":')  # only envelopes hold an unescaped quote here
        tail = _page_tail(body)
        since = tail["cursor"]
        if not tail["has_more"]:
            return records, time.perf_counter() - started


def naive_floor(engine: Engine, court_id: str) -> tuple[int, float]:
    """Floor (b): the court's cases and their records straight from the typed tables,
    as plain dicts, JSON-encoded in one go."""
    case = CaseRow.__table__
    children = [Base.metadata.tables[entity] for entity in ENTITIES if entity != "case"]
    started = time.perf_counter()
    with engine.connect() as conn:
        rows = [
            dict(r)
            for r in conn.execute(select(case).where(case.c.court_id == court_id)).mappings()
        ]
        for child in children:
            rows += [
                dict(r)
                for r in conn.execute(
                    select(child)
                    .join_from(child, case, child.c.case_id == case.c.id)
                    .where(case.c.court_id == court_id)
                ).mappings()
            ]
        body = orjson.dumps(rows)
    elapsed = time.perf_counter() - started
    assert body
    return len(rows), elapsed


def profile_pull(factory: sessionmaker[Session], principal: Principal, limit: int) -> str:
    """cProfile of one in-process pull: where the server's own time goes."""
    profiler = cProfile.Profile()
    profiler.enable()
    inprocess_pull(factory, principal, limit)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
    site = str(Path(sqlalchemy.__file__).resolve().parent.parent) + "/"
    return out.getvalue().replace(site, "").replace(str(REPO) + "/", "")


# --- one database --------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"bench_sync: {message}", flush=True)


def _check_scope(world: BenchWorld, changes: list[dict[str, Any]], expected: int) -> None:
    """The pulled scope is what it should be: every record once, the court's cases,
    hearings and documents all there, as many as the in-process pull returns."""
    ids = {(c["entity"], c["id"]) for c in changes}
    assert len(ids) == len(changes), "a record came twice in one pull"
    assert len(changes) == expected, f"HTTP pulled {len(changes)}, in-process {expected}"
    for entity, count in world.big_court_counts.items():
        got = sum(1 for c in changes if c["entity"] == entity)
        assert got == count, f"pulled {got} {entity} records, the court has {count}"


def measure_pulls(
    fig: DbFigures,
    factory: sessionmaker[Session],
    engine: Engine,
    client: requests.Session,
    base: str,
    principal: Principal,
    pages: list[int],
    repeats: int,
) -> tuple[str, list[dict[str, Any]]]:
    cursor, hearings = "", list[dict[str, Any]]()
    for page in pages:
        figures = PullFigures(page)
        # One untimed round warms every cache (and checks what the endpoint returns).
        first = http_pull(client, base, page, keep=not hearings)
        expected, _ = inprocess_pull(factory, principal, page)
        figures.records = first.records
        figures.floor_b_rows, _ = naive_floor(engine, fig.world.big_court_id)
        if first.changes is not None:
            _check_scope(fig.world, first.changes, expected)
            hearings = [c for c in first.changes if c["entity"] == "hearing"]
        assert first.records == expected
        for _ in range(repeats):  # interleaved, so noise hits endpoint and floors alike
            pulled = http_pull(client, base, page)
            figures.http_s.append(pulled.seconds)
            figures.http_parse_s.append(pulled.parse_seconds)
            figures.floor_a_s.append(inprocess_pull(factory, principal, page)[1])
            figures.floor_b_s.append(naive_floor(engine, fig.world.big_court_id)[1])
            cursor = pulled.cursor
        fig.pulls.append(figures)
        say(
            f"  page {page}: {figures.records} records, HTTP {figures.http_rate:,.0f}/s, "
            f"floor (a) {figures.floor_a_rate:,.0f}/s, floor (b) {figures.floor_b_rate:,.0f}/s"
        )
    return cursor, hearings


def measure_noop(
    fig: DbFigures,
    factory: sessionmaker[Session],
    client: requests.Session,
    base: str,
    principal: Principal,
    cursor: str,
    count: int,
) -> None:
    url = f"{base}/api/v1/sync/changes"
    for timed in (False, True):  # a short untimed warm-up first
        for _ in range(count if timed else 20):
            started = time.perf_counter()
            response = client.get(url, params={"since": cursor, "limit": "1000"}, timeout=30)
            response.raise_for_status()
            page = orjson.loads(response.content)
            if timed:
                fig.noop_http_ms.append((time.perf_counter() - started) * 1000)
            assert not page["changes"] and not page["has_more"]
    for _ in range(count):
        started = time.perf_counter()
        with factory() as session, session.begin():
            sync.pull(session, principal, cursor, 1000)
        fig.noop_inproc_ms.append((time.perf_counter() - started) * 1000)


def _rescheduled(change: dict[str, Any]) -> dict[str, Any]:
    data = dict(change["data"])
    starts = datetime.fromisoformat(data["starts_at"]) + timedelta(days=7)
    data["starts_at"] = starts.isoformat()
    return data


def _lengthened(change: dict[str, Any]) -> dict[str, Any]:
    data = dict(change["data"])
    data["duration_minutes"] = 30 + (int(data["duration_minutes"]) + 15) % 120
    return data


def measure_push(
    fig: DbFigures,
    base: str,
    hearings: list[dict[str, Any]],
    repeats: int,
    change: Callable[[dict[str, Any]], dict[str, Any]] = _rescheduled,
    into: list[float] | None = None,
) -> None:
    """Pushes of 100 hearing changes by the clerk (``change``: reschedules by default, each
    of which the server answers with a notice of hearing), each with the right base_version;
    one untimed warm-up. Each push changes different hearings (cycling if there are few).
    Timings go to ``into`` (default ``fig.push_ms``)."""
    into = fig.push_ms if into is None else into
    world = fig.world
    client = signed_in(base, world.clerk_username, world.password)
    state = {c["id"]: c for c in hearings}
    order = list(state)
    at = 0
    for round_ in range(repeats + 1):
        mutations = []
        for _ in range(PUSH_SIZE):
            current = state[order[at % len(order)]]
            at += 1
            mutations.append(
                {
                    "mutation_id": str(uuid.uuid4()),
                    "entity": "hearing",
                    "id": current["id"],
                    "op": "upsert",
                    "base_version": current["version"],
                    "data": change(current),
                }
            )
        body: dict[str, Any] = {"client_id": "bench-clerk", "mutations": mutations}
        started = time.perf_counter()
        response = client.post(f"{base}/api/v1/sync/push", json=body, timeout=120)
        response.raise_for_status()
        results = orjson.loads(response.content)["results"]
        elapsed = (time.perf_counter() - started) * 1000
        refused = [r for r in results if r["status"] != "applied"]
        assert not refused, f"push refused: {refused[:3]}"
        for m, r in zip(mutations, results, strict=True):
            state[m["id"]] = {**state[m["id"]], "version": r["version"], "data": m["data"]}
        if round_:
            into.append(elapsed)
    hearings[:] = list(state.values())  # the versions the server now holds, for the next run


def run_database(kind: str, args: argparse.Namespace, proceedings: bool = True) -> DbFigures:
    say(f"== {kind}: {args.cases:,} cases, {_with(proceedings)}")
    with (
        tempfile.TemporaryDirectory(prefix="ecas-bench-") as tmp,
        scratch_database(kind, Path(tmp)) as url,
    ):
        folder = Path(tmp)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        try:
            started = time.perf_counter()
            world = load_world(factory, args.cases, progress=_progress, proceedings=proceedings)
            load_s = time.perf_counter() - started
            verified = verify_bulk_rows(factory, world.sample)
            prepare_for_reads(engine, kind)
            say(
                f"  generated {world.cases:,} cases, {world.hearings:,} hearings, "
                f"{world.documents:,} documents in {load_s:.1f} s; {verified} sampled records "
                "identical to write_record's"
            )
            fig = DbFigures(kind, world, load_s, verified, proceedings)
            with factory() as session:
                judge = session.scalars(
                    select(UserRow).where(UserRow.username == world.judge_username)
                ).one()
                principal = principal_of(judge)
            with server_process(url, folder) as base:
                client = signed_in(base, world.judge_username, world.password)
                cursor, hearings = measure_pulls(
                    fig, factory, engine, client, base, principal, args.pages, args.repeats
                )
                measure_noop(fig, factory, client, base, principal, cursor, args.noop)
                say(
                    f"  no-op: HTTP p50 {statistics.median(fig.noop_http_ms):.2f} ms, "
                    f"p95 {p95(fig.noop_http_ms):.2f} ms"
                )
                measure_push(fig, base, hearings, args.push_repeats)
                say(f"  push of {PUSH_SIZE}: median {statistics.median(fig.push_ms):.0f} ms")
                measure_push(fig, base, hearings, args.push_repeats, _lengthened, fig.push_plain_ms)
                say(
                    f"  push of {PUSH_SIZE} length changes (no notices): median "
                    f"{statistics.median(fig.push_plain_ms):.0f} ms"
                )
            if args.profile or not passes(fig):
                fig.profile = profile_pull(factory, principal, max(args.pages))
            return fig
        finally:
            engine.dispose()


def _with(proceedings: bool) -> str:
    return "with the proceedings' records" if proceedings else "without the proceedings' records"


def _progress(done: int, total: int) -> None:
    if done == total or done % 20_000 == 0:
        say(f"  loading: {done:,}/{total:,} cases")


# --- the report ----------------------------------------------------------------------------


def passes(fig: DbFigures) -> bool:
    return all(row[-1] != "FAIL" for row in table_rows(fig))


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table_rows(fig: DbFigures) -> list[tuple[str, str, str, str, str, str]]:
    """(figure, value, baseline/peer, ratio, target, result) rows of one database."""
    rows: list[tuple[str, str, str, str, str, str]] = []
    for p in fig.pulls:
        parse = statistics.median(p.http_parse_s) / statistics.median(p.http_s)
        rows.append(
            (
                f"initial pull, page {p.page}: HTTP end to end",
                f"{p.http_rate:,.0f} rec/s",
                f"{p.records:,} records, client parse {parse:.0%}",
                "",
                f">= {TARGET_RATE:,.0f} rec/s",
                _verdict(p.http_rate >= TARGET_RATE),
            )
        )
        ratio_a = p.floor_a_rate / p.http_rate
        rows.append(
            (
                f"  vs floor (a) in-process sync.pull, page {p.page}",
                f"{p.http_rate:,.0f} rec/s",
                f"{p.floor_a_rate:,.0f} rec/s",
                f"{ratio_a:.2f}x",
                f"<= {TARGET_FLOOR_RATIO:.0f}x",
                _verdict(ratio_a <= TARGET_FLOOR_RATIO),
            )
        )
        ratio_b = p.floor_b_rate / p.http_rate
        rows.append(
            (
                "  vs floor (b) typed tables + orjson",
                f"{p.http_rate:,.0f} rec/s",
                f"{p.floor_b_rate:,.0f} rec/s ({p.floor_b_rows:,} rows)",
                f"{ratio_b:.2f}x",
                f"<= {TARGET_FLOOR_RATIO:.0f}x",
                _verdict(ratio_b <= TARGET_FLOOR_RATIO),
            )
        )
    http, inproc = fig.noop_http_ms, fig.noop_inproc_ms
    rows.append(
        (
            "no-op sync p50 (HTTP)",
            f"{statistics.median(http):.2f} ms",
            f"in-process {statistics.median(inproc):.2f} ms",
            f"{statistics.median(http) / statistics.median(inproc):.1f}x",
            "",
            "",
        )
    )
    rows.append(
        (
            "no-op sync p95 (HTTP)",
            f"{p95(http):.2f} ms",
            f"in-process {p95(inproc):.2f} ms",
            f"{p95(http) / p95(inproc):.1f}x",
            f"<= {TARGET_NOOP_P95_MS:.0f} ms",
            _verdict(p95(http) <= TARGET_NOOP_P95_MS),
        )
    )
    for label, push in (
        (f"push of {PUSH_SIZE} reschedules (each serves a notice), median", fig.push_ms),
        (f"push of {PUSH_SIZE} length changes (no notice), median", fig.push_plain_ms),
    ):
        rows.append(
            (
                label,
                f"{statistics.median(push):.0f} ms",
                f"p95 {p95(push):.0f} ms",
                f"{statistics.median(push) / PUSH_SIZE:.2f} ms/mutation",
                "",
                "",
            )
        )
    return rows


def render_table(rows: Sequence[tuple[str, ...]]) -> str:
    header = ("figure", "value", "baseline / peer", "ratio", "target", "result")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))

    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *(line(r) for r in rows)])


def report(figures: list[DbFigures], note: str) -> None:
    print()
    for fig in figures:
        w = fig.world
        print(
            f"== {fig.db}, {_with(fig.proceedings)}: {w.cases:,} cases, {w.hearings:,} "
            f"hearings, {w.documents:,} documents; judge's court: "
            + ", ".join(f"{n:,} {entity}" for entity, n in w.big_court_counts.items() if n)
            + f"; generated in {fig.load_s:.0f} s"
        )
        print(render_table(table_rows(fig)))
        missed = [r[0].strip() for r in table_rows(fig) if r[-1] == "FAIL"]
        print(f"targets missed: {', '.join(missed)}" if missed else "all targets met")
        if fig.profile:
            print(f"\ncProfile of one in-process pull ({fig.db}), by own time:")
            print("\n".join(fig.profile.strip().splitlines()[:30]))
        print()
    if note:
        print(note)


def _pages(text_: str) -> list[int]:
    return [int(p) for p in text_.split(",") if p]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        choices=("sqlite", "postgresql", "both"),
        help="database(s) to measure (default: both if PostgreSQL answers)",
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument(
        "--pages",
        type=_pages,
        default=[1000, 5000],
        help="page sizes, comma-separated (default 1000,5000)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="timed pulls per page size")
    parser.add_argument("--noop", type=int, default=300, help="timed no-op syncs")
    parser.add_argument("--push-repeats", type=int, default=15)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print a cProfile of one in-process pull even if targets are met",
    )
    parser.add_argument(
        "--proceedings",
        choices=("with", "without", "both"),
        default="with",
        help="load the records of issue 13 (default), leave them out, or measure each "
        "database without and then with them",
    )
    parser.add_argument("--json", type=Path, help="also write the raw timings here")
    args = parser.parse_args(argv)
    note = ""
    if args.db in ("postgresql", "both") and not postgres_answers():
        print(f"bench_sync: PostgreSQL does not answer at {PG_ADMIN_URL}", file=sys.stderr)
        return 2
    if args.db is None:
        if postgres_answers():
            args.db = "both"
        else:
            args.db = "sqlite"
            note = f"NOTE: PostgreSQL did not answer at {PG_ADMIN_URL}; measured SQLite only."
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    started = time.perf_counter()
    modes = {"with": [True], "without": [False], "both": [False, True]}[args.proceedings]
    figures = [run_database(kind, args, mode) for kind in kinds for mode in modes]
    report(figures, note)
    if args.json:
        args.json.write_bytes(orjson.dumps([_raw(f) for f in figures], option=orjson.OPT_INDENT_2))
    say(
        f"done in {time.perf_counter() - started:.0f} s (a missed target is a finding, "
        "not a failure of the benchmark)"
    )
    return 0


def _raw(fig: DbFigures) -> dict[str, Any]:
    return {
        "db": fig.db,
        "proceedings": fig.proceedings,
        "load_s": fig.load_s,
        "cases": fig.world.cases,
        "big_court": fig.world.big_court_counts,
        "pulls": [
            {
                "page": p.page,
                "records": p.records,
                "floor_b_rows": p.floor_b_rows,
                "http_s": p.http_s,
                "http_parse_s": p.http_parse_s,
                "floor_a_s": p.floor_a_s,
                "floor_b_s": p.floor_b_s,
            }
            for p in fig.pulls
        ],
        "noop_http_ms": fig.noop_http_ms,
        "noop_inproc_ms": fig.noop_inproc_ms,
        "push_ms": fig.push_ms,
        "push_plain_ms": fig.push_plain_ms,
    }


if __name__ == "__main__":
    sys.exit(main())
