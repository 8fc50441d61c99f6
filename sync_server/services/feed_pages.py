"""One page of the change feed for a principal, costing the rows it returns (issue 16).

``policy.feed_filter`` says which feed rows a principal may pull; applied to one scan of
the feed in version order it reads every row of the nation to return a court's or a
case's (EXPLAIN at 100,000 cases: 820,134 rows visited for an attorney's 254). Here the
same condition is split into *branches*, each a key an index holds in version order --
``(court_id, version)``, ``(court_id, audience, version)``, ``(case_id, version)``,
``(owner_id, version)`` -- and
the branches are ``UNION ALL``-ed and merged by version under the page's ``LIMIT``
(PostgreSQL: a Merge Append of index scans that stops after ``limit + 1`` rows).

Correctness does not rest on the branches: every branch also carries the whole
``feed_filter``, so a page never holds a row the policy does not admit; the branches are
disjoint (the principal's own rows are one branch, every other branch excludes them; the
others differ in court, case or audience), so no row comes twice; and they cover the
filter, which ``tests/server/test_sync_feed_pages.py`` checks for every demo role
against the single filtered scan. A new role or placement rule in ``feed_filter`` that
the branches do not cover shows there as a missing row, not as a leak.

An attorney's scope, a set of cases, reads each case's rows by ``(case_id, version)``
and sorts them: the rows visited are those of the scope after the cursor, which for an
attorney is the page itself. The Board's scope, thousands of appealed cases, would read
that way every remaining row of them for each page (14.8x the rows returned at
1,000,000 cases); its rows carry a mark instead, ``sync_record.at_board``, kept by
``records.write_record``, and are read in version order from a partial index on it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from common.enums import Role
from sync_server.models import SyncRecord
from sync_server.policy import (
    Audience,
    Principal,
    court_appearances,
    feed_filter,
)


@dataclass(frozen=True)
class Branch:
    """Feed rows matching ``where`` (and, for a case-set scope, of a case in ``cases``)."""

    where: ColumnElement[bool]
    cases: Select[str] | None = None

    @property
    def condition(self) -> ColumnElement[bool]:
        if self.cases is None:
            return self.where
        return and_(SyncRecord.case_id.in_(self.cases), self.where)


def scope_branches(principal: Principal) -> list[Branch]:
    """Disjoint, index-shaped branches whose union covers ``feed_filter(principal)``;
    none for a principal who reads nearly everything (one scan in version order)."""
    rec = SyncRecord
    role = principal.role
    if role is Role.EOIR_STAFF:
        return []
    mine = rec.owner_id == principal.id
    others = or_(rec.owner_id.is_(None), rec.owner_id != principal.id)
    public = Audience.PUBLIC.value
    branches: list[Branch] = [Branch(mine)]
    if role.is_court_staff:
        # the court's rows and the rows of no court, by ``(court_id, version)``: the few
        # a court's staff may not read (another's private note, the Board's work) are
        # the only rows read and not returned
        if principal.court_id is not None:
            branches.append(Branch(and_(rec.court_id == principal.court_id, others)))
        branches.append(Branch(and_(rec.court_id.is_(None), others)))
        return branches
    global_rows = and_(
        rec.court_id.is_(None), rec.case_id.is_(None), rec.audience == public, others
    )
    branches.append(Branch(global_rows))
    if role.is_board_staff:
        if principal.court_id is not None:
            branches.append(Branch(and_(rec.court_id == principal.court_id, others)))
        # the rows of the cases before the Board, marked ``at_board`` as they are written
        # and read by ``ix_sync_record_board_version`` in version order (migration 0028)
        branches.append(
            Branch(
                and_(
                    rec.at_board,
                    rec.court_id.is_distinct_from(principal.court_id),
                    rec.audience != Audience.OWNER.value,
                    others,
                )
            )
        )
        return branches
    if role is Role.DHS:
        for court_id in sorted(set(principal.assigned_court_ids)):
            branches.append(Branch(and_(rec.court_id == court_id, rec.audience == public, others)))
        return branches
    branches.append(Branch(and_(rec.audience == public, others), court_appearances(principal.id)))
    return branches


# Planner settings for the pull's transaction on PostgreSQL. Its default cost of a random
# page read (4, for spinning disks) makes a walk of the whole feed in version order look
# cheaper than a branch's own index; on SSD storage the usual setting is 1.1. And near the
# end of the feed, where few rows of a key remain, it would rather collect them all with a
# bitmap scan and sort them than read them in index order and stop at the page's end:
# reading a branch in index order is the point, so bitmap scans are off for this query,
# and sequential scans too (it would hash-join a case set to a scan of the whole feed).
# (EXPLAIN before and after in docs/PERFORMANCE.md.)
PLANNER_SETTINGS = (
    ("random_page_cost", "1.1"),
    ("enable_bitmapscan", "off"),
    ("enable_seqscan", "off"),
    ("jit", "off"),  # the settings above inflate cost estimates past JIT's threshold
)


def per_case(session: Session) -> bool:
    """Whether the database reads a case-set scope case by case (LATERAL)."""
    return session.get_bind().dialect.name == "postgresql"


def prepare(session: Session) -> None:
    """Planner settings for one pull, in the session's current transaction (one round
    trip; PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        settings = ", ".join(f"set_config('{k}', '{v}', true)" for k, v in PLANNER_SETTINGS)
        session.execute(text(f"SELECT {settings}"))


def page_query(
    principal: Principal, start: int, top: int, limit: int, *, per_case: bool = False
) -> Select[str, str, int, bool, str]:
    """Feed rows ``principal`` may pull with ``start < version <= top``, in version
    order, at most ``limit + 1`` (the extra one says more exist). ``per_case``: read a
    case-set scope case by case (LATERAL; PostgreSQL)."""
    return _page(principal, start, top, limit + 1, per_case)


# The bound parameters of :func:`page_statement`'s statement.
START, TOP, ROWS = "feed_start", "feed_top", "feed_rows"


def page_params(start: int, top: int, limit: int) -> dict[str, int]:
    """The values :func:`page_statement`'s statement is run with: the same page as
    ``page_query(principal, start, top, limit)``."""
    return {START: start, TOP: top, ROWS: limit + 1}


def page_statement(
    principal: Principal, *, per_case: bool = False
) -> Select[str, str, int, bool, str]:
    """:func:`page_query` with the cursor, the top and the page's size as bound parameters
    (:func:`page_params`), built once per principal's scope and kept (a no-op sync repeats
    it every few seconds: building the statement and its cache key cost more CPU than the
    database's empty index probes)."""
    key = (principal.id, principal.role, principal.court_id, principal.assigned_court_ids)
    found = _STATEMENTS.get((key, per_case))
    if found is not None:
        return found
    built = _page(
        principal,
        bindparam(START, type_=Integer),
        bindparam(TOP, type_=Integer),
        bindparam(ROWS, type_=Integer),
        per_case,
    )
    remember(_STATEMENTS, (key, per_case), built)
    return built


_STATEMENTS: dict[Any, Select[str, str, int, bool, str]] = {}
KEPT_STATEMENTS = 2048  # principals a process keeps a statement for


def remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """Keep ``value``, dropping the oldest entry beyond :data:`KEPT_STATEMENTS`."""
    if len(cache) >= KEPT_STATEMENTS:
        # another thread may change the dict meanwhile: then it drops an entry itself
        with contextlib.suppress(RuntimeError, StopIteration):
            cache.pop(next(iter(cache)), None)
    cache[key] = value


def _page(
    principal: Principal,
    start: int | ColumnElement[int],
    top: int | ColumnElement[int],
    rows: int | ColumnElement[int],
    per_case: bool,
) -> Select[str, str, int, bool, str]:
    rec = SyncRecord
    columns = (rec.entity, rec.record_id, rec.version, rec.deleted, rec.payload)
    in_range = and_(rec.version > start, rec.version <= top)
    allowed = feed_filter(principal)
    branches = scope_branches(principal)
    if not branches:
        return select(*columns).where(in_range, allowed).order_by(rec.version).limit(rows)
    # Each branch is its own ordered, limited scan, so the planner reads it by index in
    # version order (a Merge Append takes from each only what the page needs). The whole
    # filter rides on every branch as a check on the rows its index finds (``IS TRUE``:
    # its ORs are not offered to the planner as index conditions).
    checked = allowed.is_(true())
    ordered = []
    for n, branch in enumerate(branches):
        if branch.cases is not None and per_case:
            # PostgreSQL: each case of the set read by ``(case_id, version)`` on its own
            # (a LATERAL subquery, at most a page from each), then merged; the planner
            # would otherwise join the set to a walk of the whole feed.
            cases = branch.cases.subquery(f"cases{n}")
            case_id = next(iter(cases.c))
            one_case = (
                select(*columns)
                .where(rec.case_id == case_id, in_range, branch.where, checked)
                .order_by(rec.version)
                .limit(rows)
                .lateral(f"case_rows{n}")
            )
            leg = select(*one_case.c).select_from(cases).join(one_case, true())
            ordered.append(leg.order_by(one_case.c.version).limit(rows).subquery(f"leg{n}"))
            continue
        leg = select(*columns).where(in_range, branch.condition, checked)
        ordered.append(leg.order_by(rec.version).limit(rows).subquery(f"leg{n}"))
    merged = union_all(*(select(*leg.c) for leg in ordered)).subquery("feed_page")
    return (
        select(
            merged.c.entity,
            merged.c.record_id,
            merged.c.version,
            merged.c.deleted,
            merged.c.payload,
        )
        .order_by(merged.c.version)
        .limit(rows)
    )
