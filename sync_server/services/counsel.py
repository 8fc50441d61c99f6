"""What a change of counsel does to the feed: counsel who loses a case loses its records on
the next pull, one tombstone per record.

A withdrawal granted, a substitution recorded or a narrower appearance changes the cases
a practitioner reads (``policy.court_appearances``), and so their scope key: their next
pull restarts with ``reset``. Besides, every record of a case that left their view gets a
``sync_departure`` addressed to them alone (owner = the practitioner, audience owner, the
record's own court and case), so the pull carries a tombstone for each: a client that
keeps its copy across the reset, or any other reader of the feed, drops them too. Records
the practitioner owns (their filings and documents, their own appearance) stay theirs, as
the policy says. When the practitioner reads a case again (a new EOIR-28 accepted), the
departures addressed to them in it are removed, so the pull that restarts then gives the
case's records without tombstones after them.

Runs in the savepoint of the push that brings the change.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from common.wire import Representation, WireRecord
from sync_server.models import SyncDeparture, SyncRecord
from sync_server.policy import Audience
from sync_server.services.records import SessionLookups, depart_owner


def cases_read(record: WireRecord | None, lookups: SessionLookups) -> frozenset[str] | None:
    """The cases the practitioner of appearance ``record`` reads now (None: not an
    appearance). Asked before and after the change is written."""
    if not isinstance(record, Representation):
        return None
    return frozenset(lookups.practitioner_case_ids(record.practitioner_id))


def follow_counsel_change(
    session: Session,
    practitioner_id: str,
    before: frozenset[str],
    lookups: SessionLookups,
) -> int:
    """After an appearance of ``practitioner_id`` changed: a departure for each record of
    each case they no longer read, and none left in the cases they read again. Returns
    how many departures were written."""
    lookups.forget()
    after = frozenset(lookups.practitioner_case_ids(practitioner_id))
    gained = after - before
    if gained:
        session.execute(
            delete(SyncDeparture).where(
                SyncDeparture.owner_id == practitioner_id,
                SyncDeparture.audience == Audience.OWNER.value,
                SyncDeparture.case_id.in_(sorted(gained)),
            )
        )
    lost = sorted(before - after)
    if not lost:
        return 0
    rows = session.execute(
        select(SyncRecord.entity, SyncRecord.record_id, SyncRecord.court_id, SyncRecord.case_id)
        .where(
            SyncRecord.case_id.in_(lost),
            SyncRecord.audience == Audience.PUBLIC.value,
            SyncRecord.deleted.is_(False),
            # their own records stay theirs (the policy's "own")
            (SyncRecord.owner_id.is_(None)) | (SyncRecord.owner_id != practitioner_id),
        )
        .order_by(SyncRecord.version)
    ).all()
    for entity, record_id, court_id, case_id in rows:
        depart_owner(
            session,
            entity=entity,
            record_id=record_id,
            court_id=court_id,
            case_id=case_id,
            owner_id=practitioner_id,
        )
    session.flush()
    return len(rows)
