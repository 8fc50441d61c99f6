"""Reading and writing synced records: typed rows <-> wire records, and the change feed.

:func:`write_record` is the only way a synced record changes: it takes the next version,
updates the typed row and republishes the record's feed entry in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import orjson
from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from common.enums import CourtKind, FilingKind, RepresentationStatus
from common.wire import ENTITY_SCHEMAS, BoardDecision, Case, WireRecord
from sync_server.db import next_version
from sync_server.models import (
    ENTITY_TABLES,
    AppealRow,
    BoardDecisionRow,
    CaseRow,
    CourtRow,
    DocumentRow,
    FilingRow,
    RepresentationRow,
    SyncDeparture,
    Synced,
    SyncRecord,
)
from sync_server.models.types import utcnow
from sync_server.policy import (
    COURT_APPEARANCES_BY_ID,
    Audience,
    Placement,
    Principal,
    board_cases,
    can_see,
    placement_of,
    respondent_cases,
)
from sync_server.services import audit, mail_events


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
        self._board_cases: frozenset[str] | None = None
        self._at_board: dict[str, bool] = {}

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
            ids = self._session.scalars(COURT_APPEARANCES_BY_ID, {"practitioner_id": user_id})
            self._practitioner_cases[user_id] = frozenset(ids)
        return self._practitioner_cases[user_id]

    def board_case_ids(self) -> Collection[str]:
        if self._board_cases is None:
            self._board_cases = frozenset(self._session.scalars(board_cases()))
        return self._board_cases

    def case_at_board(self, case_id: str) -> bool:
        """Whether ``case_id`` is one of :meth:`board_case_ids` (one indexed query for the
        case rather than the nation's list, unless that list is already held)."""
        if self._board_cases is not None:
            return case_id in self._board_cases
        if case_id not in self._at_board:
            one = board_cases().where(AppealRow.case_id == case_id)
            self._at_board[case_id] = bool(self._session.scalar(select(one.exists())))
        return self._at_board[case_id]

    def board_decisions(self, case_id: str) -> Collection[BoardDecision]:
        # Not memoised: a push writes decisions and reads them back in one transaction.
        rows = self._session.scalars(
            select(BoardDecisionRow).where(
                BoardDecisionRow.case_id == case_id, BoardDecisionRow.deleted.is_(False)
            )
        )
        return [
            d
            for row in rows
            if isinstance(d := row_to_record("board_decision", row), BoardDecision)
        ]

    def respondent_case_ids(self, user_id: str) -> Collection[str]:
        """The cases an enrolled respondent reads (not memoised: enrolment adds one)."""
        return frozenset(self._session.scalars(respondent_cases(user_id)))

    def case_flags(self, case_id: str) -> Collection[str]:
        """The case's confidentiality flags (policy.record_flags)."""
        flags = self._session.scalar(select(CaseRow.confidentiality).where(CaseRow.id == case_id))
        return list(flags or ())

    def case_represented(self, case_id: str) -> bool:
        """Whether counsel of record appears for the respondent in the case (an accepted
        EOIR-28 filed in it)."""
        return bool(
            self._session.scalar(
                select(
                    select(RepresentationRow.id)
                    .where(
                        RepresentationRow.case_id == case_id,
                        RepresentationRow.status == RepresentationStatus.ACCEPTED.value,
                        RepresentationRow.form == FilingKind.EOIR_28.value,
                        RepresentationRow.deleted.is_(False),
                    )
                    .exists()
                )
            )
        )

    def filing_at_board(self, filing_id: str) -> bool:
        kind = self._session.scalar(
            select(CourtRow.kind)
            .join(FilingRow, FilingRow.court_id == CourtRow.id)
            .where(FilingRow.id == filing_id)
        )
        return kind == CourtKind.BOARD.value

    def forget(self) -> None:
        """Drop memoised answers after a write that may change them."""
        self._case_court.clear()
        self._practitioner_cases.clear()
        self._board_cases = None
        self._at_board.clear()


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
    at_board: bool,
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
    feed.at_board = at_board
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
    status_before = getattr(row, "status", None) if entity == "filing" and row else None
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
    if entity == "filing" and not deleted:
        # Accepted or rejected: its filer is mailed, through the outbox row written here.
        mail_events.filing_decided(session, status_before, record)
    if entity in ("case", "representation", "appeal"):
        lookups.forget()  # other records' placement may follow from this one
    case_id = placement.case_id
    at_board = case_id is not None and lookups.case_at_board(case_id)
    _publish(session, entity, record, version, deleted, placement, feed, at_board)
    if entity == "appeal" and case_id is not None:
        # an appeal filed, rejected or deleted may bring its case before the Board or take
        # it away: the case's other feed rows follow (their versions unchanged; the
        # Board's scope key changes, see policy.scope_key)
        session.execute(
            update(SyncRecord)
            .where(SyncRecord.case_id == case_id, SyncRecord.at_board != at_board)
            .values(at_board=at_board)
            .execution_options(synchronize_session="evaluate")
        )
    return version


def write_consequence(
    session: Session,
    record: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
    changed: Collection[str] | None = None,
    action: str = "record.update",
    **detail: Any,
) -> int:
    """Write a change the server makes because another was accepted (a case appealed once
    its appeal is docketed, the briefing schedule on a ready transcript, custody following
    its history...) at a new version, in the caller's transaction, and audit it with what
    changed, the ``detail`` that says why, and the record as written. Memoised lookups are
    dropped, since the change may move the record's readers. Returns the version."""
    version = write_record(session, record, lookups=lookups)
    lookups.forget()
    entry: dict[str, Any] = {"version": version}
    if changed is not None:
        entry["changed"] = list(changed)
    entry.update(detail)
    entry["data"] = record.model_dump(mode="json")
    audit.append(
        session,
        actor_id=actor_id,
        action=action,
        entity=record.entity,
        record_id=record.id,
        detail=entry,
    )
    return version


def _case_record_keys(session: Session, case_id: str) -> list[tuple[str, str]]:
    """(entity, id) of every record of the case but the case itself, oldest version first.

    Derived, not listed, so a new entity can't be forgotten: every entity table with a
    ``case_id`` column, and every record the change feed places in the case (annotations
    reach their case through their document, which no column of theirs names).
    """
    found: dict[tuple[str, str], int] = {}
    for entity, table in ENTITY_TABLES.items():
        column = inspect(table).columns.get("case_id")
        if entity == "case" or column is None:
            continue
        for record_id, version in session.execute(
            select(table.id, table.version).where(column == case_id)
        ):
            found[(entity, record_id)] = version
    for entity, record_id, version in session.execute(
        select(SyncRecord.entity, SyncRecord.record_id, SyncRecord.version).where(
            SyncRecord.case_id == case_id, SyncRecord.entity != "case"
        )
    ):
        found[(entity, record_id)] = version
    return sorted(found, key=found.__getitem__)


def republish_case_children(
    session: Session, old: Case, new: Case, lookups: SessionLookups, mover: Principal
) -> int:
    """After ``mover``'s push moved case ``old`` to another court as ``new`` (a change of
    venue; ``new`` already written), every record of the case follows it. Returns how many
    records moved. The caller calls it on a change of court only: placement reads a case
    only through its court (``Lookups.case_court``), so a new judge moves nothing
    (``case_judge`` gates signing alone).

    Each record is written again at a new version and placement, so readers of the old
    court receive a departure (a tombstone) and readers of the new one the record. A
    record that names a court (a filing) is changed to name the case's new court, as a
    push must (``change_rules``), and audited as the mover's change.

    The mover who can no longer see the case holds it at the version their push was
    answered with, above the case's own departure: a departure addressed to them alone
    comes after it, so their copy drops the case as every other reader of the old court
    does.
    """
    moved = 0
    for entity, record_id in _case_record_keys(session, new.id):
        row = session.get(ENTITY_TABLES[entity], record_id)
        if row is None:
            continue
        record = row_to_record(entity, row)
        renamed = getattr(record, "court_id", None) == old.court_id
        if renamed:
            record = record.model_copy(update={"court_id": new.court_id})
        version = write_record(session, record, deleted=row.deleted, lookups=lookups)
        if renamed:
            audit.append(
                session,
                actor_id=mover.id,
                action="record.update",
                entity=entity,
                record_id=record_id,
                detail={
                    "version": version,
                    "changed": ["court_id"],
                    "reason": "change of venue",
                    "data": record.model_dump(mode="json"),
                },
            )
        moved += 1
    if not can_see(mover, placement_of(new, lookups), lookups):
        depart_owner(
            session,
            entity=new.entity,
            record_id=new.id,
            court_id=old.court_id,
            case_id=new.id,
            owner_id=mover.id,
        )
    return moved


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


def depart_owner(
    session: Session,
    *,
    entity: str,
    record_id: str,
    court_id: str | None,
    case_id: str | None,
    owner_id: str,
) -> None:
    """A tombstone for one record addressed to its owner alone (the owner may no longer
    read it: a change of venue, a withdrawal, a flag they may not read), at a new version."""
    session.add(
        SyncDeparture(
            version=next_version(session),
            entity=entity,
            record_id=record_id,
            court_id=court_id,
            case_id=case_id,
            owner_id=owner_id,
            audience=Audience.OWNER.value,
        )
    )
