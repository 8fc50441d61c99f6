"""The nation's cases replicated by PostgreSQL from a template built once in Python
(issue 16 item 5: 4,000,000 cases without building each one's records in Python).

``benchmarks.nation`` built every case's wire records with ``CaseFactory`` and COPYed them:
39 s of Python per 100,000 cases. Here ``CaseFactory`` builds ``template`` cases once (the
same records, placements and payloads the per-case path writes, through the same
``TableShape`` rows), they are COPYed into temporary tables with three markers in their
text, and each table is filled by one ``INSERT ... SELECT`` a batch of copies over
``generate_series``. Case ``index`` is copy ``index // template`` of template case
``index % template``; in copy ``k``:

- every id that belongs to the case (its records' ids and the ids only they refer to, such
  as an appeal's filer) keeps its first 24 characters and ends in ``k`` as 12 hex digits,
  in the typed columns, the feed's placement columns and the payload's text alike;
- the A-number is ``200000000 + index`` (as ``CaseFactory`` numbers it);
- the attorney of the EOIR-28 is ``attorney-(index % attorneys)`` (as the per-case path);
- versions continue the server's sequence in the per-case path's order (case by case,
  each case's records in ``CaseFactory``'s order), and rows are inserted in version order.

Courts, judges, courtrooms, names, dates and statuses are the template case's. With a
template of 1,700 cases (a multiple of the 50 and 17 that ``court_index_of_case`` cycles
on) every copy spreads its cases over the courts as the per-case path does.

:func:`replicated_records` gives the same records in Python (the per-case path's input);
``tests/test_nation_replica.py`` loads a small nation both ways and compares every role's
pull.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from benchmarks.fixtures import COURTS, ROOMS_PER_COURT, MemoryLookups, bench_id
from common.wire import Case, WireRecord

ID_MARK = "~" * 12  # the last 12 characters of a case's own ids
A_MARK = "#" * 9  # the A-number
ATTORNEY_MARK = "@" * 36  # the EOIR-28's attorney
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
A_BASE = 200_000_000
DEFAULT_TEMPLATE = 1_700


def suffix(copy: int) -> str:
    return f"{copy:012x}"


def a_number(index: int) -> str:
    return f"{A_BASE + index:09d}"


def shared_ids(judge_ids: list[str], board_court_id: str) -> frozenset[str]:
    """Ids many cases refer to: courts, courtrooms, judges, clerks (attorneys apart)."""
    ids = {board_court_id, *judge_ids}
    for code, *_ in COURTS:
        ids.add(bench_id("court", code))
        ids.add(bench_id("user", "clerk", code))
        ids.add(bench_id("user", "judge", code))
        ids.update(bench_id("courtroom", code, n) for n in range(1, ROOMS_PER_COURT + 1))
    return frozenset(ids)


@dataclass(frozen=True)
class TemplateCase:
    index: int
    records: list[WireRecord]
    attorney: str  # the id of the EOIR-28's attorney in the template
    local_ids: tuple[str, ...]  # ids of the case's own, replaced in each copy


def template_case(
    records_of: Callable[[int], list[WireRecord]],
    index: int,
    attorney: str,
    shared: frozenset[str],
) -> TemplateCase:
    records = records_of(index)
    found: dict[str, None] = {}
    for record in records:
        for value in UUID.findall(record.model_dump_json()):
            if value not in shared and value != attorney:
                found[value] = None
    return TemplateCase(index, records, attorney, tuple(found))


def mark(text: str, case: TemplateCase) -> str:
    """The template's text with the markers SQL replaces per copy."""
    text = text.replace(case.attorney, ATTORNEY_MARK)
    for value in case.local_ids:
        text = text.replace(value, value[:24] + ID_MARK)
    return text.replace(f'"{a_number(case.index)}"', f'"{A_MARK}"')


def mark_value(value: Any, case: TemplateCase) -> Any:
    if not isinstance(value, str):
        return value
    if value == a_number(case.index):
        return A_MARK
    return mark(value, case)


def unmark(text: str, index: int, copy: int, attorney: str) -> str:
    return (
        text.replace(ID_MARK, suffix(copy))
        .replace(A_MARK, a_number(index))
        .replace(ATTORNEY_MARK, attorney)
    )


def replicated_records(
    case: TemplateCase, index: int, copy: int, attorney: str
) -> list[WireRecord]:
    """Copy ``copy`` of a template case as wire records (what the SQL writes)."""
    out: list[WireRecord] = []
    for record in case.records:
        text = unmark(mark(record.model_dump_json(), case), index, copy, attorney)
        out.append(type(record).model_validate_json(text))
    return out


# --- the load -------------------------------------------------------------------------------


def _column_types(conn: psycopg.Connection[Any], table: str) -> dict[str, str]:
    rows = conn.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
           WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped""",
        (f'"{table}"',),
    ).fetchall()
    return {str(name): str(kind) for name, kind in rows}


@dataclass(frozen=True)
class Replicated:
    version: int
    template_seconds: float
    sql_seconds: float
    rows: int


def replicate(
    conn: psycopg.Connection[Any],
    shapes: dict[str, Any],
    typed_values: Callable[[WireRecord, int, str], dict[str, Any]],
    feed_values: Callable[[WireRecord, int, MemoryLookups], dict[str, Any]],
    records_of: Callable[[int], list[WireRecord]],
    *,
    cases: int,
    template: int,
    attorney_ids: list[str],
    shared: frozenset[str],
    version: int,
    now: str,
    tables: tuple[str, ...],
    batch_cases: int = 50_000,
    progress: Callable[[int, int], None] | None = None,
) -> Replicated:
    """Fill ``tables`` (typed tables, then ``sync_record``) with ``cases`` cases."""
    t0 = time.perf_counter()
    template = min(template, cases)
    attorneys = len(attorney_ids)
    lookups = MemoryLookups()
    staged: dict[str, list[tuple[Any, ...]]] = {name: [] for name in tables}
    offset = 0
    seen_prefixes: set[str] = set()
    for index in range(template):
        case = template_case(records_of, index, attorney_ids[index % attorneys], shared)
        for value in case.local_ids:
            assert value[:24] not in seen_prefixes, "two ids share their first 24 characters"
            seen_prefixes.add(value[:24])
        for record in case.records:
            if isinstance(record, Case):
                lookups.case_courts[record.id] = record.court_id
            typed = shapes[record.entity].row(typed_values(record, 0, now))
            feed = shapes["sync_record"].row(feed_values(record, 0, lookups))
            staged[record.entity].append((*(mark_value(v, case) for v in typed), index, offset))
            staged["sync_record"].append((*(mark_value(v, case) for v in feed), index, offset))
            offset += 1
    per_copy = offset  # records in one copy of the whole template
    # the case each template record starts at, to know where a partial last copy ends
    ends = [0] * (template + 1)
    for staged_rows in staged.values():
        for row in staged_rows:
            ends[row[-2] + 1] = max(ends[row[-2] + 1], row[-1] + 1)
    for i in range(1, template + 1):
        ends[i] = max(ends[i], ends[i - 1])
    conn.execute("CREATE TEMP TABLE tpl_attorney (n int PRIMARY KEY, id varchar(36))")
    with conn.cursor() as cur, cur.copy("COPY tpl_attorney (n, id) FROM STDIN") as copy:
        for n, value in enumerate(attorney_ids):
            copy.write_row((n, value))
    statements: dict[str, str] = {}
    for name in tables:
        shape = shapes[name]
        conn.execute(
            f'CREATE TEMP TABLE "tpl_{name}" (LIKE "{name}") ;'
            f'ALTER TABLE "tpl_{name}" ADD COLUMN tpl_case int, ADD COLUMN tpl_offset int'
        )
        columns = ", ".join(f'"{c}"' for c in (*shape.columns, "tpl_case", "tpl_offset"))
        with (
            conn.cursor() as cur,
            cur.copy(f'COPY "tpl_{name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in staged[name]:
                copy.write_row(row)
        kinds = _column_types(conn, name)
        exprs: list[str] = []
        join = ""
        for position, column in enumerate(shape.columns):
            values = [row[position] for row in staged[name] if isinstance(row[position], str)]
            expr = f't."{column}"'
            if column == "version":
                expr = f"%(base)s::bigint + k * {per_copy} + t.tpl_offset"
            marked = False
            if any(ID_MARK in v for v in values):
                expr = f"replace({expr}::text, '{ID_MARK}', lpad(to_hex(k), 12, '0'))"
                marked = True
            if any(A_MARK in v for v in values):
                expr = (
                    f"replace({expr}::text, '{A_MARK}', "
                    f"lpad(({A_BASE} + k * {template} + t.tpl_case)::text, 9, '0'))"
                )
                marked = True
            if any(ATTORNEY_MARK in v for v in values):
                expr = f"replace({expr}::text, '{ATTORNEY_MARK}', a.id)"
                join = f" JOIN tpl_attorney a ON a.n = (k * {template} + t.tpl_case) %% {attorneys}"
                marked = True
            if marked:
                expr = f"({expr})::{kinds[column]}"
            exprs.append(expr)
        target = ", ".join(f'"{c}"' for c in shape.columns)
        statements[name] = (
            f'INSERT INTO "{name}" ({target}) SELECT {", ".join(exprs)} '
            f'FROM "tpl_{name}" t CROSS JOIN '
            f"generate_series(%(first)s::bigint, %(last)s::bigint) AS k{join} "
            f"WHERE k * {template} + t.tpl_case < %(cases)s::bigint ORDER BY k, t.tpl_offset"
        )
    conn.commit()
    t1 = time.perf_counter()
    copies = -(-cases // template)
    per_batch = max(1, batch_cases // template)
    base = version
    inserted = 0
    for first in range(0, copies, per_batch):
        last = min(copies, first + per_batch) - 1
        params = {"base": base + 1, "first": first, "last": last, "cases": cases}
        for name in tables:
            inserted += conn.execute(statements[name], params).rowcount
        done = min(cases, (last + 1) * template)
        version = base + (done // template) * per_copy + ends[done % template]
        conn.execute("UPDATE server_state SET version = %s WHERE id = 1", (version,))
        conn.commit()
        if progress is not None:
            progress(done, version)
    for name in tables:
        conn.execute(f'DROP TABLE "tpl_{name}"')
    conn.execute("DROP TABLE tpl_attorney")
    conn.commit()
    return Replicated(version, t1 - t0, time.perf_counter() - t1, inserted)


def replicated_records_of(
    records_of: Callable[[int], list[WireRecord]],
    *,
    template: int,
    attorney_ids: list[str],
    shared: frozenset[str],
) -> Callable[[int], list[WireRecord]]:
    """Case ``index``'s records as :func:`replicate` writes them, for the per-case path."""
    cache: dict[int, TemplateCase] = {}
    attorneys = len(attorney_ids)

    def of(index: int) -> list[WireRecord]:
        i, copy = index % template, index // template
        if i not in cache:
            cache[i] = template_case(records_of, i, attorney_ids[i % attorneys], shared)
        return replicated_records(cache[i], index, copy, attorney_ids[index % attorneys])

    return of
