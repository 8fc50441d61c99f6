"""A court system at the nation's size, loaded into PostgreSQL with COPY, and each role's
pull measured on it (issue 16, items 1 and 5).

    python -m benchmarks.nation --cases 100000             # load, then measure
    python -m benchmarks.nation --cases 1000000 --keep     # keep the database afterwards
    python -m benchmarks.nation --measure-only             # measure a database kept before

The cases are :class:`benchmarks.fixtures.CaseFactory`'s (hearings, documents and the
records of issue 13), each with an accepted EOIR-28 of one of ``cases / 30`` attorneys, so
an attorney reads about thirty cases (~300 records). Reference data and the accounts that
sign in (a judge and a clerk per court, DHS assigned to the biggest court, the Board's
clerk, the first attorney) go through the server's own code; every other row -- the typed
tables and their ``sync_record`` feed rows, the other attorneys' accounts -- is written by
``COPY`` from the same wire records ``write_record`` would store, with versions continuing
the server's sequence in write order and ``server_state.version`` raised with each chunk.
The feed and record tables' secondary indexes are dropped for the load and built after it
(then ``VACUUM (ANALYZE)``), and foreign-key triggers are off while copying
(``session_replication_role = replica``): the generator writes parents before children.

The measurement runs each role's first page (``--page`` records, as the client asks) with
``EXPLAIN (ANALYZE, BUFFERS)`` and prints the rows the plan visited (every row a scan node
produced or removed by a filter) beside the rows returned, for the pull's query of before
issue 16 (one scan in version order, filtered) and the one ``sync.page_query`` builds now,
in the same run; then each role's whole first pull through ``sync.pull`` (pages until
``has_more`` is false) and the DHS portal case list and name search (``my_cases``).

It creates its own database (``--db``, default ``nation_bench``) through ``ECAS_BENCH_PG``
(an administrative URL, default ``postgresql://postgres@127.0.0.1:5432/test``) and drops
it at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
import psycopg
from alembic import command
from sqlalchemy import JSON, Engine, Select, func, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ClauseElement

from benchmarks.fixtures import (
    BIG_COURT,
    COURTS,
    ENTITIES,
    PASSWORD,
    CaseFactory,
    MemoryLookups,
    _load_reference_and_users,
    bench_id,
)
from benchmarks.nation_replica import DEFAULT_TEMPLATE, replicate, shared_ids
from common.enums import (
    AppearanceScope,
    CourtKind,
    FilingKind,
    RepresentationStatus,
    Role,
)
from common.wire import Case, Court, Representation, UserProfile, WireRecord
from sync_server.db import Base, make_engine, make_session_factory, write_transaction
from sync_server.migrate import alembic_config
from sync_server.models import CaseRow, CourtRow, HearingRow, SyncRecord, UserRow
from sync_server.models.records import folded_respondent_name
from sync_server.models.types import utcnow
from sync_server.policy import BOARD_APPEAL_STATUSES, Principal, feed_filter, placement_of
from sync_server.services import sync
from sync_server.services.auth import create_user, principal_of
from sync_server.services.blobs import BlobService
from sync_server.services.feed_pages import page_query, prepare
from sync_server.services.portal_cases import CasePortal
from sync_server.services.records import SessionLookups, encode_payload, write_record

PG_ADMIN_URL = os.environ.get("ECAS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
CHUNK = 5_000
CASES_PER_ATTORNEY = 30
BOARD_CODE = "BIA"
LOADED = (*ENTITIES, "representation", "user_profile", "sync_record")


def database_urls(name: str) -> tuple[str, str]:
    """The psycopg and SQLAlchemy URLs of database ``name`` on ``PG_ADMIN_URL``'s server."""
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}", f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"


def create_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- rows in COPY's terms ------------------------------------------------------------------


@dataclass(frozen=True)
class TableShape:
    name: str
    columns: tuple[str, ...]
    json_columns: frozenset[str]
    defaults: dict[str, Any]

    @classmethod
    def of(cls, name: str) -> TableShape:
        table = Base.metadata.tables[name]
        defaults: dict[str, Any] = {}
        for column in table.columns:
            default = column.default
            if default is not None and getattr(default, "is_scalar", False):
                defaults[column.name] = getattr(default, "arg", None)
            elif default is not None and getattr(default, "is_callable", False):
                defaults[column.name] = default.arg(None)  # type: ignore[attr-defined]
        return cls(
            name,
            tuple(c.name for c in table.columns),
            frozenset(c.name for c in table.columns if isinstance(c.type, JSON)),
            defaults,
        )

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        out: list[Any] = []
        for column in self.columns:
            value = values.get(column, self.defaults.get(column))
            if column in self.json_columns and value is not None:
                value = orjson.dumps(value).decode()
            out.append(value)
        return tuple(out)

    def copy_sql(self) -> str:
        columns = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.name}" ({columns}) FROM STDIN'


def typed_values(record: WireRecord, version: int, now: str) -> dict[str, Any]:
    values = {
        **record.model_dump(mode="json"),
        "version": version,
        "deleted": False,
        "updated_at": now,
    }
    if isinstance(record, Case):  # the portal's search key, as the ORM would set it
        values["respondent_name_folded"] = folded_respondent_name(
            record.respondent_last_name, record.respondent_first_name
        )
    return values


def feed_values(record: WireRecord, version: int, lookups: MemoryLookups) -> dict[str, Any]:
    placement = placement_of(record, lookups)
    return {
        "entity": record.entity,
        "record_id": record.id,
        "version": version,
        "deleted": False,
        "court_id": placement.court_id,
        "case_id": placement.case_id,
        "owner_id": placement.owner_id,
        "audience": placement.audience.value,
        "payload": encode_payload(record),
    }


# --- the world -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Nation:
    cases: int
    attorneys: int
    big_court_id: str
    board_court_id: str
    usernames: dict[str, str]  # role label -> username of the account measured


def attorney_id(number: int) -> str:
    return bench_id("user", "attorney", number)


def _accounts(factory: sessionmaker[Session], attorneys: int) -> tuple[list[str], int, str]:
    """Courts, users that sign in, the Board; returns the judges, the version reached and
    the first attorney's password hash (shared by the attorneys written with COPY)."""
    judge_ids, _ = _load_reference_and_users(factory)
    big = bench_id("court", COURTS[BIG_COURT][0])
    board = bench_id("court", BOARD_CODE)
    with write_transaction(factory) as session:
        lookups = SessionLookups(session)
        write_record(
            session,
            Court(
                id=board,
                code=BOARD_CODE,
                name="Board of Immigration Appeals",
                address="5107 Leesburg Pike",
                city="Falls Church",
                state="VA",
                timezone="America/New_York",
                kind=CourtKind.BOARD,
            ),
            lookups=lookups,
        )
        create_user(
            session,
            username="board-clerk",
            password=PASSWORD,
            role=Role.BOARD_CLERK,
            display_name="Board Clerk",
            court_id=board,
            user_id=bench_id("user", "board-clerk"),
        )
        create_user(
            session,
            username="dhs-big",
            password=PASSWORD,
            role=Role.DHS,
            display_name="DHS Office of the Principal Legal Advisor",
            assigned_court_ids=[big],
            user_id=bench_id("user", "dhs"),
        )
        create_user(
            session,
            username="attorney-0",
            password=PASSWORD,
            role=Role.ATTORNEY,
            display_name="Attorney 0",
            eoir_id="AT0000000",
            user_id=attorney_id(0),
        )
        hashed = session.execute(
            select(UserRow.password_hash).where(UserRow.id == attorney_id(0))
        ).scalar_one()
    # read after the commit: on PostgreSQL versions come from a sequence and the committed
    # top is published as the transaction commits
    with factory() as session:
        version = int(
            session.execute(text("SELECT version FROM server_state WHERE id = 1")).scalar_one()
        )
    return judge_ids, version, hashed


def _secondary_indexes(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    rows = conn.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
             AND i.indexname NOT IN (SELECT conname FROM pg_constraint)""",
        (list(LOADED),),
    ).fetchall()
    return [(str(name), str(ddl)) for name, ddl in rows]


def _records_of(
    maker: CaseFactory, index: int, attorneys: int, accepted_on: date
) -> list[WireRecord]:
    records = maker.records(index)
    case = records[0]
    assert isinstance(case, Case)
    records.append(
        Representation(
            id=bench_id("representation", index),
            case_id=case.id,
            practitioner_id=attorney_id(index % attorneys),
            form=FilingKind.EOIR_28,
            scope=AppearanceScope.ALL_PROCEEDINGS,
            status=RepresentationStatus.ACCEPTED,
            accepted_on=accepted_on,
        )
    )
    return records


def _chunks(total: int) -> Iterator[range]:
    for start in range(0, total, CHUNK):
        yield range(start, min(total, start + CHUNK))


def load(
    url_pg: str,
    url_sa: str,
    cases: int,
    *,
    template: int = 0,
    records_of: Callable[[int], list[WireRecord]] | None = None,
) -> Nation:
    """Migrate database ``url`` and fill it with ``cases`` cases; prints the timings.

    With ``template`` the cases are copies of that many cases replicated by PostgreSQL
    (``benchmarks.nation_replica``); without it each case's records are built in Python
    (``records_of``, by default ``CaseFactory``'s case with its EOIR-28) and COPYed."""
    started = time.perf_counter()
    # "heads": a migration still on a branch of its own (work in progress) is applied too
    command.upgrade(alembic_config(url_sa), "heads")
    engine = make_engine(url_sa)
    factory = make_session_factory(engine)
    attorneys = max(1, cases // CASES_PER_ATTORNEY)
    judge_ids, version, hashed = _accounts(factory, attorneys)
    engine.dispose()
    shapes = {name: TableShape.of(name) for name in LOADED}
    maker = CaseFactory(judge_ids)
    lookups = MemoryLookups()
    now = utcnow().isoformat()
    accepted_on = date(2026, 1, 5)
    with psycopg.connect(url_pg) as conn:
        conn.execute("SET session_replication_role = replica")
        indexes = _secondary_indexes(conn)
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.commit()
        # the other attorneys' accounts (the first signed up through create_user)
        users: list[tuple[Any, ...]] = []
        feed: list[tuple[Any, ...]] = []
        for number in range(1, attorneys):
            version += 1
            profile = UserProfile(
                id=attorney_id(number),
                username=f"attorney-{number}",
                display_name=f"Attorney {number}",
                role=Role.ATTORNEY,
                eoir_id=f"AT{number:07d}",
            )
            users.append(
                shapes["user_profile"].row(
                    {**typed_values(profile, version, now), "password_hash": hashed}
                )
            )
            feed.append(shapes["sync_record"].row(feed_values(profile, version, lookups)))
        _copy(conn, shapes["user_profile"], users)
        _copy(conn, shapes["sync_record"], feed)
        conn.execute("UPDATE server_state SET version = %s WHERE id = 1", (version,))
        conn.commit()
        generated = copied = 0.0
        attorney_ids = [attorney_id(n) for n in range(attorneys)]

        def build(index: int) -> list[WireRecord]:
            return _records_of(maker, index, attorneys, accepted_on)

        printed = [0]

        def progress(done: int, reached: int) -> None:
            if done - printed[0] >= CHUNK * 20 or done == cases:
                printed[0] = done
                print(
                    f"  {done:>9,} cases, version {reached:,}: "
                    f"{time.perf_counter() - started:,.0f} s",
                    flush=True,
                )

        if template:
            done = replicate(
                conn,
                shapes,
                typed_values,
                feed_values,
                build,
                cases=cases,
                template=template,
                attorney_ids=attorney_ids,
                shared=shared_ids(judge_ids, bench_id("court", BOARD_CODE)),
                version=version,
                now=now,
                tables=(*ENTITIES, "representation", "sync_record"),
                progress=progress,
            )
            version = done.version
            generated, copied = done.template_seconds, done.sql_seconds
        for chunk in _chunks(cases) if not template else ():
            t0 = time.perf_counter()
            typed: dict[str, list[tuple[Any, ...]]] = {name: [] for name in LOADED}
            feed = []
            for index in chunk:
                for record in (records_of or build)(index):
                    if isinstance(record, Case):
                        lookups.case_courts[record.id] = record.court_id
                    version += 1
                    typed[record.entity].append(
                        shapes[record.entity].row(typed_values(record, version, now))
                    )
                    feed.append(shapes["sync_record"].row(feed_values(record, version, lookups)))
            t1 = time.perf_counter()
            for name in (*ENTITIES, "representation"):
                _copy(conn, shapes[name], typed[name])
            _copy(conn, shapes["sync_record"], feed)
            conn.execute("UPDATE server_state SET version = %s WHERE id = 1", (version,))
            conn.commit()
            generated += t1 - t0
            copied += time.perf_counter() - t1
            progress(chunk.stop, version)
        t_board = time.perf_counter()
        # the Board's feed key, as records.write_record keeps it (migration 0028)
        statuses = ", ".join(f"'{s}'" for s in BOARD_APPEAL_STATUSES)
        conn.execute(
            "UPDATE sync_record SET at_board = true WHERE case_id IN (SELECT case_id FROM "
            f"appeal WHERE status IN ({statuses}) AND NOT deleted)"
        )
        conn.commit()
        t2 = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '1GB'")
        for _, ddl in indexes:
            conn.execute(ddl)
        conn.commit()
        t3 = time.perf_counter()
        conn.autocommit = True
        # VACUUM as well as ANALYZE: a table just filled by COPY has no visibility map, so
        # every index-only scan (the portal's count of a court's cases) reads the heap and
        # PostgreSQL plans a sequential scan instead, until autovacuum gets there (at
        # 4,000,000 cases the DHS list took 675 ms before, 60 ms after, at load 30).
        for name in LOADED:
            conn.execute(f'VACUUM (ANALYZE) "{name}"')
        t4 = time.perf_counter()
    print(
        f"loaded {cases:,} cases ({version:,} versions) in {t4 - started:,.1f} s: "
        + (
            f"template built and staged {generated:,.1f} s, replicated by SQL {copied:,.1f} s, "
            if template
            else f"records built {generated:,.1f} s, COPY {copied:,.1f} s, "
        )
        + f"at_board {t2 - t_board:,.1f} s, "
        f"{len(indexes)} indexes {t3 - t2:,.1f} s, VACUUM (ANALYZE) {t4 - t3:,.1f} s",
        flush=True,
    )
    return nation_of(cases)


def nation_of(cases: int) -> Nation:
    return Nation(
        cases=cases,
        attorneys=max(1, cases // CASES_PER_ATTORNEY),
        big_court_id=bench_id("court", COURTS[BIG_COURT][0]),
        board_court_id=bench_id("court", BOARD_CODE),
        usernames={
            "judge": f"judge-{COURTS[BIG_COURT][0].lower()}",
            "clerk": f"clerk-{COURTS[BIG_COURT][0].lower()}",
            "attorney": "attorney-0",
            "DHS": "dhs-big",
            "Board": "board-clerk",
        },
    )


def _copy(conn: psycopg.Connection[Any], shape: TableShape, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with conn.cursor() as cur, cur.copy(shape.copy_sql()) as copy:
        for row in rows:
            copy.write_row(row)


# --- measuring -----------------------------------------------------------------------------


def legacy_page_query(
    principal: Principal, start: int, top: int, limit: int
) -> Select[str, str, int, bool, str]:
    """The pull's page query before issue 16: one scan in version order, filtered."""
    return (
        select(
            SyncRecord.entity,
            SyncRecord.record_id,
            SyncRecord.version,
            SyncRecord.deleted,
            SyncRecord.payload,
        )
        .where(SyncRecord.version > start, SyncRecord.version <= top, feed_filter(principal))
        .order_by(SyncRecord.version)
        .limit(limit + 1)
    )


SCAN_NODES = ("Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan")


def _visited(plan: dict[str, Any]) -> int:
    """Rows the plan's table scans read: produced, plus removed by their filters."""
    total = 0
    if plan.get("Node Type") in SCAN_NODES:
        loops = int(plan.get("Actual Loops", 1))
        total += int(plan.get("Actual Rows", 0)) * loops
        total += int(plan.get("Rows Removed by Filter", 0)) * loops
        total += int(plan.get("Rows Removed by Index Recheck", 0)) * loops
    for child in plan.get("Plans", ()):
        total += _visited(child)
    return total


def _feed_visited(plan: dict[str, Any]) -> int:
    """The same, counting only scans of the feed (``sync_record``)."""
    total = 0
    if plan.get("Node Type") in SCAN_NODES and plan.get("Relation Name") == "sync_record":
        loops = int(plan.get("Actual Loops", 1))
        total += int(plan.get("Actual Rows", 0)) * loops
        total += int(plan.get("Rows Removed by Filter", 0)) * loops
        total += int(plan.get("Rows Removed by Index Recheck", 0)) * loops
    for child in plan.get("Plans", ()):
        total += _feed_visited(child)
    return total


@dataclass(frozen=True)
class Explained:
    returned: int
    feed_visited: int
    visited: int
    ms: float


def explain(session: Session, query: ClauseElement, *, tuned: bool) -> Explained:
    if tuned:
        prepare(session)  # what the pull sets now; the query of before ran without it
    dialect = session.get_bind().dialect
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    raw = session.execute(text("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)).scalar_one()
    doc = raw if isinstance(raw, list) else orjson.loads(raw)
    plan = doc[0]["Plan"]
    return Explained(
        returned=int(plan["Actual Rows"]),
        feed_visited=_feed_visited(plan),
        visited=_visited(plan),
        ms=float(doc[0]["Execution Time"]),
    )


def principals(factory: sessionmaker[Session], nation: Nation) -> dict[str, Principal]:
    with factory() as session:
        out = {}
        for label, username in nation.usernames.items():
            user = session.execute(select(UserRow).where(UserRow.username == username)).scalar_one()
            out[label] = principal_of(user)
        return out


def explain_whole_pull(
    factory: sessionmaker[Session],
    principal: Principal,
    top: int,
    page: int,
    build: Any,
    tuned: bool,
) -> Explained:
    """Rows returned and visited, summed over every page of a first pull."""
    returned = feed_visited = visited = 0
    ms = 0.0
    start = 0
    while True:
        with factory() as session:
            query = build(principal, start, top, page)
            result = explain(session, query, tuned=tuned)
            if tuned:
                prepare(session)
            rows = session.execute(query).all()
        kept = rows[:page]
        returned += len(kept)
        feed_visited += result.feed_visited
        visited += result.visited
        ms += result.ms
        if len(rows) <= page:
            return Explained(returned, feed_visited, visited, ms)
        start = int(kept[-1].version)


def whole_pull(
    factory: sessionmaker[Session], principal: Principal, page: int
) -> tuple[int, int, float]:
    """Every page of a first pull through ``sync.pull``: records, pages, seconds."""
    started = time.perf_counter()
    cursor: str | None = None
    records = pages = 0
    while True:
        with factory() as session:
            body = orjson.loads(sync.pull(session, principal, cursor, page))
        records += len(body["changes"])
        pages += 1
        cursor = body["cursor"]
        if not body["has_more"]:
            return records, pages, time.perf_counter() - started


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def measure(
    engine: Engine,
    nation: Nation,
    page: int,
    full: Sequence[str],
    before_whole: Sequence[str],
    before_pages: bool = True,
) -> None:
    factory = make_session_factory(engine)
    who = principals(factory, nation)
    with factory() as session:
        top = int(
            session.execute(text("SELECT version FROM server_state WHERE id = 1")).scalar_one()
        )
        feed_rows = int(session.execute(text("SELECT count(*) FROM sync_record")).scalar_one())
    print(
        f"\n{nation.cases:,} cases, {feed_rows:,} feed rows; first page of {page} records; "
        f"load average {load_average()}"
    )
    print(
        f"{'role':<9} {'page':<7} {'query':<7} {'returned':>9} {'feed rows visited':>18} "
        f"{'all rows visited':>17} {'ratio':>7} {'ms':>9}"
    )
    variants: list[tuple[str, Any]] = [("before", legacy_page_query)] if before_pages else []
    variants.append(("after", functools.partial(page_query, per_case=True)))
    for label, principal in who.items():
        # the first page, and a page from the middle of the feed (a later page of a first
        # pull, or a returning client's)
        for where, start in (("first", 0), ("middle", top // 2)):
            for name, build in variants:
                with factory() as session:
                    query = build(principal, start, top, page)
                    explain(session, query, tuned=name == "after")  # warm the cache
                    result = explain(session, query, tuned=name == "after")
                ratio = result.feed_visited / max(1, result.returned)
                print(
                    f"{label:<9} {where:<7} {name:<7} {result.returned:>9,} "
                    f"{result.feed_visited:>18,} {result.visited:>17,} {ratio:>7.2f} "
                    f"{result.ms:>9.1f}",
                    flush=True,
                )
    print("whole first pull, page by page (EXPLAIN of each page; the next starts after it):")
    for label, principal in who.items():
        for name, build in variants:
            if name == "before" and label not in before_whole:
                continue
            total = explain_whole_pull(factory, principal, top, page, build, name == "after")
            ratio = total.feed_visited / max(1, total.returned)
            print(
                f"{label:<9} {name:<7} {total.returned:>9,} records, {total.feed_visited:>12,} "
                f"feed rows visited, ratio {ratio:.2f}, {total.ms / 1000:.2f} s in the database",
                flush=True,
            )
    measure_portal(factory, who)
    for label in full:
        records, pages, seconds = whole_pull(factory, who[label], page)
        print(
            f"{label}: whole first pull through sync.pull: {records:,} records in {pages} "
            f"pages, {seconds:.2f} s (load average {load_average()})",
            flush=True,
        )


def legacy_search(factory: sessionmaker[Session], principal: Principal, term: str) -> int:
    """DHS's name search as ``case_list`` ran it before its rework (the baseline): the
    matches counted, then found again for the page as whole case rows."""
    conditions = [
        CaseRow.deleted.is_(False),
        CaseRow.court_id.in_(list(principal.assigned_court_ids)),
        CaseRow.respondent_name_folded.like(f"%{term}%"),
    ]
    with factory() as session:  # the same statements: courts, count, page, hearings
        session.execute(
            select(CourtRow.id, CourtRow.name).where(
                CourtRow.id.in_(list(principal.assigned_court_ids))
            )
        ).all()
        session.scalar(select(func.count()).select_from(CaseRow).where(*conditions))
        rows = session.execute(
            select(CaseRow, CourtRow.name, CourtRow.timezone)
            .join(CourtRow, CourtRow.id == CaseRow.court_id)
            .where(*conditions)
            .order_by(CaseRow.opened_on.desc(), CaseRow.id)
            .limit(200)
        ).all()
        session.execute(
            select(HearingRow.case_id, HearingRow.starts_at).where(
                HearingRow.case_id.in_([row.id for row, _, _ in rows]),
                HearingRow.status == "scheduled",
                HearingRow.deleted.is_(False),
            )
        ).all()
    return len(rows)


def _median_ms(run: Any, times: int = 5) -> float:
    run()  # warm the cache
    taken = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        taken.append(time.perf_counter() - t0)
    return sorted(taken)[times // 2] * 1000


def measure_portal(factory: sessionmaker[Session], who: dict[str, Principal]) -> None:
    """The portal's case list and searches (``my_cases``) for DHS and the attorney."""
    portal = CasePortal(factory, cast(BlobService, None))  # the case list opens no document
    for _ in range(2):  # before and after, alternating, in the same run
        before = _median_ms(lambda: legacy_search(factory, who["DHS"], "gar"), 9)
        after = _median_ms(lambda: portal.my_cases(who["DHS"], "gar"), 9)
        print(
            f"portal DHS name search 'gar': before (count, then whole rows) median "
            f"{before:.1f} ms, now {after:.1f} ms (load average {load_average()})",
            flush=True,
        )
    for label in ("DHS", "attorney"):
        for what, term in (("case list", ""), ("name search", "gar"), ("A-number", "200000050")):
            portal.my_cases(who[label], term)  # warm the cache
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                shown = portal.my_cases(who[label], term)
                times.append(time.perf_counter() - t0)
            times.sort()
            print(
                f"portal {label} {what} {term!r}: {len(shown)} cases, median "
                f"{times[2] * 1000:.1f} ms (load average {load_average()})",
                flush=True,
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", default="nation_bench")
    parser.add_argument("--page", type=int, default=1000)
    parser.add_argument(
        "--template",
        type=int,
        default=DEFAULT_TEMPLATE,
        help="cases built in Python and replicated by PostgreSQL (0: build every case)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--measure-only", action="store_true", help="use a kept database")
    parser.add_argument("--portal-only", action="store_true", help="measure the portal only")
    parser.add_argument(
        "--full", default="attorney,DHS,Board", help="roles whose whole first pull is timed"
    )
    parser.add_argument(
        "--before-whole",
        default="judge,clerk,attorney,DHS,Board",
        help="roles whose whole first pull is also explained with the query of before",
    )
    parser.add_argument(
        "--no-before",
        action="store_true",
        help="skip the query of before issue 16 (a scan of the whole feed a page)",
    )
    args = parser.parse_args(argv)
    url_pg, url_sa = database_urls(args.db)
    if not args.measure_only:
        create_database(args.db)
    try:
        nation = (
            nation_of(args.cases)
            if args.measure_only
            else load(url_pg, url_sa, args.cases, template=args.template)
        )
        engine = make_engine(url_sa)
        try:
            full = [r for r in args.full.split(",") if r]
            before_whole = [r for r in args.before_whole.split(",") if r]
            if args.portal_only:
                factory = make_session_factory(engine)
                measure_portal(factory, principals(factory, nation))
            else:
                measure(engine, nation, args.page, full, before_whole, not args.no_before)
        finally:
            engine.dispose()
    finally:
        if not args.keep and not args.measure_only:  # a kept database is never dropped here
            drop_database(args.db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
