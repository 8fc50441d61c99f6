"""A pull after the caller's scope changed: what entered and what left, not a fresh start.

A cursor names a version ``V`` and a digest of the scope it was made for
(``policy.scope_key``). When a pull finds the digest changed -- an attorney's appearance
accepted or ended, a new appeal before the Board, a judge's or DHS's courts changed --
the client holds the old scope's records up to ``V``. Rather than sending the whole new
scope again, the server pages a *catch-up* over the feed rows of the cases or courts
whose membership may have changed (:func:`delta`), in version order:

- a row the caller may read now, at a version up to ``V``, is sent (a case or court that
  entered; the rows after ``V`` follow in the ordinary pages);
- a row of a case or court that left, which the caller may not read now, is sent as a
  tombstone at the row's own version (any version: the client may hold an older one).

Then the ordinary pages continue from ``V`` under the new digest. Which cases may have
changed membership since ``V`` is read from the records that decide it:

- a practitioner: the cases of their representation rows written after ``V`` and the
  cases linked to those (a bond case and its removal case, either way), and linked cases
  of their scope written after ``V`` (a link made meanwhile);
- the Board's staff: the cases of appeal rows written after ``V``;
- court staff and DHS: the courts, which the cursor itself carries (a court or two).

A case in that set that did not in fact change membership has its rows up to ``V`` sent
again (the client already holds those versions and leaves them be). Anything else -- a
cursor from before this, a role with no delta -- is answered with ``reset`` as before.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, union_all
from sqlalchemy.orm import Session

from common.enums import Role
from sync_server.models import AppealRow, CaseRow, RepresentationRow, SyncRecord
from sync_server.policy import Principal, feed_filter
from sync_server.services.records import SessionLookups


def scope_courts(principal: Principal) -> list[str] | None:
    """The courts a court-staff or DHS scope is made of (carried by the cursor), else
    ``None``."""
    if principal.role.is_court_staff:
        return [principal.court_id] if principal.court_id else []
    if principal.role is Role.DHS:
        return sorted(set(principal.assigned_court_ids))
    return None


@dataclass(frozen=True)
class Delta:
    """Cases and courts whose rows the catch-up reads; ``cases_now``/``courts_now``: the
    scope as it is (a row of the set outside it is a departure)."""

    cases: frozenset[str]
    courts: frozenset[str]
    cases_now: Collection[str]
    courts_now: frozenset[str]


def delta(
    session: Session,
    principal: Principal,
    lookups: SessionLookups,
    since_version: int,
    old_courts: Sequence[str] | None,
) -> Delta | None:
    """What may have entered or left ``principal``'s scope since ``since_version``; None
    when the change can't be told (the client starts again)."""
    role = principal.role
    courts = scope_courts(principal)
    if courts is not None:
        if old_courts is None:
            return None
        changed = frozenset(courts) ^ frozenset(old_courts)
        return Delta(frozenset(), changed, (), frozenset(courts))
    if role.is_board_staff:
        appealed = session.scalars(
            select(AppealRow.case_id).where(AppealRow.version > since_version)
        )
        return Delta(frozenset(appealed), frozenset(), lookups.board_case_ids(), frozenset())
    if role.is_practitioner:
        now = lookups.practitioner_case_ids(principal.id)
        rep = RepresentationRow
        cases = set(
            session.scalars(
                select(rep.case_id).where(
                    rep.practitioner_id == principal.id, rep.version > since_version
                )
            )
        )
        # cases linked since the cursor to one of the scope (either end)
        for case_id, removal_id in session.execute(
            select(CaseRow.id, CaseRow.removal_case_id).where(
                CaseRow.version > since_version,
                CaseRow.removal_case_id.is_not(None),
                or_(CaseRow.id.in_(now), CaseRow.removal_case_id.in_(now)),
            )
        ):
            cases.add(case_id)
            if removal_id:
                cases.add(removal_id)
        if cases:  # and the cases linked to those, either way
            cases.update(
                session.scalars(select(CaseRow.id).where(CaseRow.removal_case_id.in_(cases)))
            )
            cases.update(
                r
                for r in session.scalars(
                    select(CaseRow.removal_case_id).where(
                        CaseRow.id.in_(cases), CaseRow.removal_case_id.is_not(None)
                    )
                )
                if r
            )
        return Delta(frozenset(cases), frozenset(), now, frozenset())
    return None


def catch_up_rows(
    session: Session,
    principal: Principal,
    change: Delta,
    since_version: int,
    after: int,
    top: int,
    limit: int,
) -> tuple[list[tuple[Any, bool]], int | None]:
    """One page of the catch-up: ``(row, as_tombstone)`` pairs in version order after
    ``after`` (at most ``limit``), and the version to resume from, or None when done."""
    rec = SyncRecord
    columns = (
        rec.entity,
        rec.record_id,
        rec.version,
        rec.deleted,
        rec.payload,
        rec.case_id,
        rec.court_id,
        feed_filter(principal).label("visible"),
    )
    in_range = (rec.version > after, rec.version <= top)
    # one leg per court, read by (court_id, version) in order, and one for the cases (a
    # few dozen rows each), each limited to the page, merged by version
    keys = [rec.court_id == court for court in sorted(change.courts)]
    if change.cases:
        keys.append(rec.case_id.in_(sorted(change.cases)))
    if not keys:
        return [], None
    legs = [
        select(*columns).where(key, *in_range).order_by(rec.version).limit(limit + 1).subquery()
        for key in keys
    ]
    merged = union_all(*(select(*leg.c) for leg in legs)).subquery()
    rows = session.execute(select(*merged.c).order_by(merged.c.version).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    out: list[tuple[Any, bool]] = []
    for row in rows:
        if row.visible:
            if row.version <= since_version:
                out.append((row, False))
            continue
        left = (row.case_id in change.cases and row.case_id not in change.cases_now) or (
            row.court_id in change.courts and row.court_id not in change.courts_now
        )
        if left:
            out.append((row, True))
    return out, (rows[-1].version if more else None)
