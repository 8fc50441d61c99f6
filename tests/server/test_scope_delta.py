"""A scope change sends what entered and what left, not the whole scope again
(services/scope_delta.py; docs/PROTOCOL.md "Pulling"). On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import orjson
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.enums import AppearanceScope, FilingKind, RepresentationStatus, Role
from common.wire import Case, Representation, UserProfile
from sync_server.db import begin_write
from sync_server.models import CaseRow, CourtRow, SyncRecord, UserRow
from sync_server.policy import feed_filter
from sync_server.services import sync
from sync_server.services.auth import create_user, principal_of
from sync_server.services.records import row_to_record, write_record


def _pull_all(
    factory: sessionmaker[Session], user_id: str, since: str | None, limit: int = 50
) -> tuple[list[dict[str, Any]], str, list[bool]]:
    """Every page until ``has_more`` is false: the changes, the last cursor, the resets."""
    changes: list[dict[str, Any]] = []
    resets: list[bool] = []
    cursor = since
    while True:
        with factory() as session:
            principal = principal_of(session.get_one(UserRow, user_id))
            page = orjson.loads(sync.pull(session, principal, cursor, limit))
        changes += page["changes"]
        resets.append(page["reset"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor, resets


def _new_case(session: Session, court_id: str | None = None) -> Case:
    model = session.scalars(select(CaseRow).order_by(CaseRow.id)).first()
    assert model is not None
    case = row_to_record("case", model)
    assert isinstance(case, Case)
    update: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "a_number": f"{uuid.uuid4().int % 10**9:09d}",
    }
    if court_id:
        update["court_id"] = court_id
    new = case.model_copy(update=update)
    write_record(session, new)
    return new


def test_an_accepted_appearance_brings_only_its_case(seeded_app: Flask) -> None:
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        begin_write(session)  # first: a read turned write can meet "database is locked"
        attorney_id = create_user(
            session,
            username=f"delta-{uuid.uuid4().hex[:8]}",
            password="a-long-test-password-1",
            role=Role.ATTORNEY,
            display_name="Delta Attorney",
            eoir_id="DA12345",
        )
        case = _new_case(session)
        session.commit()
    first, cursor, resets = _pull_all(factory, attorney_id, None)
    assert first and not any(resets)
    held = {c["id"]: c["version"] for c in first}
    assert case.id not in held
    with factory() as session:  # the clerk accepts the attorney's EOIR-28 in the case
        begin_write(session)  # first: a read turned write can meet "database is locked"
        write_record(
            session,
            Representation(
                id=str(uuid.uuid4()),
                case_id=case.id,
                practitioner_id=attorney_id,
                form=FilingKind.EOIR_28,
                scope=AppearanceScope.ALL_PROCEEDINGS,
                status=RepresentationStatus.ACCEPTED,
                accepted_on=date(2026, 12, 1),
            ),
        )
        session.commit()
        principal = principal_of(session.get_one(UserRow, attorney_id))
        expected = {
            r.record_id: r.version
            for r in session.execute(
                select(SyncRecord.record_id, SyncRecord.version).where(
                    SyncRecord.case_id == case.id, feed_filter(principal)
                )
            )
        }
    after, _, resets = _pull_all(factory, attorney_id, cursor)
    assert not any(resets)  # no fresh start: the client keeps what it holds
    ids = [c["id"] for c in after]
    assert len(ids) == len(set(ids)), "a record sent twice"
    # only the case's records: the case itself and the appearance, nothing already held
    assert {c["id"]: c["version"] for c in after} == expected
    assert case.id in expected and len(expected) == 2
    assert not any(c["deleted"] for c in after)


def test_a_judge_moved_to_another_court_gets_tombstones_and_the_new_court(
    seeded_app: Flask,
) -> None:
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        begin_write(session)  # first: a read turned write can meet "database is locked"
        courts = [
            c.id
            for c in session.scalars(select(CourtRow).order_by(CourtRow.code))
            if session.scalar(select(CaseRow.id).where(CaseRow.court_id == c.id).limit(1))
        ]
        old_court, new_court = courts[0], courts[1]
        judge_id = create_user(
            session,
            username=f"delta-judge-{uuid.uuid4().hex[:8]}",
            password="a-long-test-password-1",
            role=Role.JUDGE,
            display_name="Judge Delta",
            court_id=old_court,
        )
        session.commit()
    first, cursor, _ = _pull_all(factory, judge_id, None, limit=500)
    held = {c["id"] for c in first if not c["deleted"]}
    with factory() as session:
        begin_write(session)  # first: a read turned write can meet "database is locked"
        old_rows = {
            r.record_id
            for r in session.execute(
                select(SyncRecord.record_id).where(SyncRecord.court_id == old_court)
            )
        }
        assert held & old_rows
        profile = row_to_record("user_profile", session.get_one(UserRow, judge_id))
        assert isinstance(profile, UserProfile)
        write_record(session, profile.model_copy(update={"court_id": new_court}))
        session.commit()
        principal = principal_of(session.get_one(UserRow, judge_id))
        new_rows = {
            r.record_id: r.version
            for r in session.execute(
                select(SyncRecord.record_id, SyncRecord.version).where(
                    SyncRecord.court_id == new_court, feed_filter(principal)
                )
            )
        }
    after, _, resets = _pull_all(factory, judge_id, cursor, limit=500)
    assert not any(resets)
    gone = {c["id"] for c in after if c["deleted"]}
    came = {c["id"]: c["version"] for c in after if not c["deleted"]}
    # every record of the old court the judge held leaves as a tombstone
    assert (held & old_rows) - {judge_id} <= gone
    # the new court's records arrive, each once, and nothing of the old court stays
    assert set(new_rows) <= set(came)
    assert not (set(came) & (old_rows - set(new_rows)))
    ids = [c["id"] for c in after if not c["deleted"]]
    assert len(ids) == len(set(ids))
