"""What a push looks up once for all of its mutations instead of once for each.

:func:`prefetch` loads, in one query per entity, every record the push's mutations name,
their feed entries and the parents their data and their current rows refer to (a hearing's
case, courtroom and judge), and answers the cases' courts and Board status for the push's
:class:`~sync_server.services.records.SessionLookups`. The rows stay in the session's
identity map for the whole push (held by the returned list: the identity map keeps only
weak references), so ``session.get`` and the change rules find them without a round trip
and see every change an earlier mutation of the push made to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from common.protocol import Mutation
from sync_server.models import ENTITY_TABLES, AppealRow, CaseRow, HearingRow, SyncRecord
from sync_server.policy import board_cases
from sync_server.services.change_rules import PARENTS
from sync_server.services.records import SessionLookups

_CHUNK = 500  # ids per IN list


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _load(session: Session, entity: str, ids: set[str], held: list[Any]) -> list[Any]:
    table = ENTITY_TABLES[entity]
    wanted = sorted(i for i in ids if isinstance(i, str))
    rows: list[Any] = []
    for chunk in _chunks(wanted):
        rows += session.scalars(select(table).where(table.id.in_(chunk)))
    held += rows
    return rows


def prefetch(session: Session, lookups: SessionLookups, mutations: Sequence[Mutation]) -> list[Any]:
    """Load what ``mutations`` will read; returns the rows, which the caller keeps while
    the push runs."""
    held: list[Any] = []
    named: dict[str, set[str]] = defaultdict(set)
    for m in mutations:
        if m.entity in ENTITY_TABLES:
            named[m.entity].add(m.id)
    parents: dict[str, set[str]] = defaultdict(set)
    for entity, ids in named.items():
        rows = _load(session, entity, ids, held)
        fields = PARENTS.get(entity, {})
        for row in rows:
            for field, parent in fields.items():
                value = getattr(row, field, None)
                if value is not None:
                    parents[parent].add(value)
        for chunk in _chunks(sorted(ids)):
            held += session.scalars(
                select(SyncRecord).where(
                    tuple_(SyncRecord.entity, SyncRecord.record_id).in_(
                        [(entity, i) for i in chunk]
                    )
                )
            )
    for m in mutations:
        for field, parent in PARENTS.get(m.entity, {}).items():
            value = (m.data or {}).get(field)
            if isinstance(value, str):
                parents[parent].add(value)
    for entity, ids in parents.items():
        _load(session, entity, ids - named.get(entity, set()), held)
    _prime_lookups(session, lookups, held)
    return held


# Entities whose changes (and what the change rules and consequences read and write for
# them: the hearing's case, courtroom and judge, its notice's document and services) stay
# inside the court of their case. A push of only these takes its courts' locks, not the
# server-wide one (db.begin_write); any other push runs alone, as before.
COURT_LOCAL = frozenset({"hearing"})


def courts_of(session: Session, mutations: Sequence[Mutation]) -> list[str] | None:
    """The courts a push of court-local changes touches (the courts of the cases its
    hearings belong to now and would belong to after it), read as plain columns so the
    session's identity map stays empty; None when the push needs the server-wide lock
    (another entity, or a case that does not exist: the change rules answer that alone)."""
    if not mutations or any(m.entity not in COURT_LOCAL for m in mutations):
        return None
    case_ids: set[str] = set()
    for m in mutations:
        value = (m.data or {}).get("case_id")
        if value is not None and not isinstance(value, str):
            return None
        if value is not None:
            case_ids.add(value)
    ids = sorted({m.id for m in mutations if isinstance(m.id, str)})
    for chunk in _chunks(ids):
        case_ids.update(session.scalars(select(HearingRow.case_id).where(HearingRow.id.in_(chunk))))
    courts: set[str] = set()
    found = 0
    for chunk in _chunks(sorted(case_ids)):
        for court_id in session.scalars(select(CaseRow.court_id).where(CaseRow.id.in_(chunk))):
            found += 1
            courts.add(court_id)
    if found != len(case_ids) or not courts:
        return None
    return sorted(courts)


def _prime_lookups(session: Session, lookups: SessionLookups, held: list[Any]) -> None:
    """Answer the lookups' memoised questions about the push's cases in two queries."""
    cases = {row.id: row for row in held if isinstance(row, CaseRow)}
    case_ids = {row.case_id for row in held if isinstance(getattr(row, "case_id", None), str)}
    missing = sorted(case_ids - set(cases))
    for chunk in _chunks(missing):
        rows = list(session.scalars(select(CaseRow).where(CaseRow.id.in_(chunk))))
        held += rows
        cases.update((row.id, row) for row in rows)
    # The lookups' own memos (records.SessionLookups), filled as their methods would fill
    # them one case at a time; forget() clears them as it clears its own answers.
    lookups._case_court.update((case_id, row.court_id) for case_id, row in cases.items())
    memo: dict[str, bool] | None = getattr(lookups, "_at_board", None)
    if memo is None:
        return
    at_board: set[str] = set()
    ids = sorted(cases)
    for chunk in _chunks(ids):
        at_board.update(session.scalars(board_cases().where(AppealRow.case_id.in_(chunk))))
    memo.update((case_id, case_id in at_board) for case_id in ids)
