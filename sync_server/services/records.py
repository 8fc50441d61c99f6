"""Reading and writing synced records: typed rows <-> wire records, and the change feed.

:func:`write_record` is the only way a synced record changes: it takes the next version,
updates the typed row and republishes the record's feed entry in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.enums import RepresentationStatus
from common.wire import ENTITY_SCHEMAS, WireRecord
from sync_server.db import next_version
from sync_server.models import (
    ENTITY_TABLES,
    CaseRow,
    DocumentRow,
    RepresentationRow,
    SyncDeparture,
    Synced,
    SyncRecord,
)
from sync_server.models.types import utcnow
from sync_server.policy import Audience, Placement, placement_of


def row_to_record(entity: str, row: Synced) -> WireRecord:
    """The wire form of a typed row."""
    schema = ENTITY_SCHEMAS[entity]
    values = {name: getattr(row, name) for name in schema.model_fields}
    return schema.model_validate(values)


def load_record(session: Session, entity: str, record_id: str) -> Synced | None:
    return session.get(ENTITY_TABLES[entity], record_id)


class SessionLookups:
    """:class:`sync_server.policy.Lookups` answered from the database, memoised for one
    transaction (records written in it are seen, since the session autoflushes)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._case_court: dict[str, str | None] = {}
        self._practitioner_cases: dict[str, frozenset[str]] = {}

    def case_court(self, case_id: str) -> str | None:
        if case_id not in self._case_court:
            self._case_court[case_id] = self._session.scalar(
                select(CaseRow.court_id).where(CaseRow.id == case_id)
            )
        return self._case_court[case_id]

    def case_judge(self, case_id: str) -> str | None:
        return self._session.scalar(select(CaseRow.judge_id).where(CaseRow.id == case_id))

    def document_case(self, document_id: str) -> str | None:
        return self._session.scalar(
            select(DocumentRow.case_id).where(DocumentRow.id == document_id)
        )

    def practitioner_case_ids(self, user_id: str) -> Collection[str]:
        if user_id not in self._practitioner_cases:
            ids = self._session.scalars(
                select(RepresentationRow.case_id).where(
                    RepresentationRow.practitioner_id == user_id,
                    RepresentationRow.status == RepresentationStatus.ACCEPTED.value,
                    RepresentationRow.deleted.is_(False),
                )
            )
            self._practitioner_cases[user_id] = frozenset(ids)
        return self._practitioner_cases[user_id]

    def forget(self) -> None:
        """Drop memoised answers after a write that may change them."""
        self._case_court.clear()
        self._practitioner_cases.clear()


def encode_payload(record: WireRecord) -> str:
    return orjson.dumps(record.model_dump(mode="json")).decode()


def _feed_placement(feed: SyncRecord) -> Placement:
    return Placement(feed.court_id, feed.case_id, feed.owner_id, Audience(feed.audience))


def _depart(session: Session, feed: SyncRecord) -> None:
    """Tell the readers of the record's old placement that it left them (a tombstone at a
    version just below the record's new one)."""
    session.add(
        SyncDeparture(
            version=next_version(session),
            entity=feed.entity,
            record_id=feed.record_id,
            court_id=feed.court_id,
            case_id=feed.case_id,
            owner_id=feed.owner_id,
            audience=feed.audience,
        )
    )


def _publish(
    session: Session,
    entity: str,
    record: WireRecord,
    version: int,
    deleted: bool,
    placement: Placement,
    feed: SyncRecord | None,
) -> None:
    if feed is None:
        feed = SyncRecord(entity=entity, record_id=record.id)
        session.add(feed)
    feed.version = version
    feed.deleted = deleted
    feed.court_id = placement.court_id
    feed.case_id = placement.case_id
    feed.owner_id = placement.owner_id
    feed.audience = placement.audience.value
    feed.payload = encode_payload(record)


def write_record(
    session: Session,
    record: WireRecord,
    *,
    deleted: bool = False,
    lookups: SessionLookups | None = None,
    extra_columns: dict[str, Any] | None = None,
) -> int:
    """Create or update ``record`` (or tombstone it) at a new version; returns the version.

    The caller's transaction must hold the write lock. ``extra_columns`` sets columns that
    are not part of the wire schema (a user's password hash).
    """
    entity = record.entity
    table = ENTITY_TABLES[entity]
    lookups = lookups or SessionLookups(session)
    placement = placement_of(record, lookups)
    feed = session.get(SyncRecord, (entity, record.id))
    if feed is not None and _feed_placement(feed) != placement:
        _depart(session, feed)
    version = next_version(session)  # before the row is touched: this statement autoflushes
    row = session.get(table, record.id)
    if row is None:
        row = table()
        row.id = record.id
        session.add(row)
    for name, value in record.model_dump().items():
        setattr(row, name, value)
    for name, value in (extra_columns or {}).items():
        setattr(row, name, value)
    row.version = version
    row.deleted = deleted
    row.updated_at = utcnow()
    session.flush()
    if entity in ("case", "representation"):
        lookups.forget()  # other records' placement may follow from this one
    _publish(session, entity, record, version, deleted, placement, feed)
    return version


def republish_case_children(session: Session, case_id: str, lookups: SessionLookups) -> int:
    """Give every record of a case a new version and placement (after a change of venue),
    so clients of the new court receive them. Returns how many were republished."""
    count = 0
    for entity in (
        "representation",
        "hearing",
        "document",
        "order",
        "filing",
        "service_record",
        "rop_request",
    ):
        table = ENTITY_TABLES[entity]
        rows = session.scalars(select(table).where(table.case_id == case_id))  # type: ignore[attr-defined]
        for row in rows:
            write_record(session, row_to_record(entity, row), deleted=row.deleted, lookups=lookups)
            count += 1
    return count


def change_json(entity: str, record_id: str, version: int, deleted: bool, payload: str) -> str:
    """One change of the feed as JSON text, built around the stored payload."""
    head = orjson.dumps(
        {"entity": entity, "id": record_id, "version": version, "deleted": deleted}
    ).decode()
    return f'{head[:-1]},"data":{payload}}}'


def change_dict(session: Session, entity: str, record_id: str) -> dict[str, Any] | None:
    """The current feed entry of a record as a ``Change`` dict (for conflict answers)."""
    feed = session.get(SyncRecord, (entity, record_id))
    if feed is None:
        return None
    return {
        "entity": entity,
        "id": record_id,
        "version": feed.version,
        "deleted": feed.deleted,
        "data": orjson.loads(feed.payload),
    }
