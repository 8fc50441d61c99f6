"""A pull's page, read one index-ordered branch per key of the scope, holds exactly the rows
the policy's feed filter admits, in the same order: nothing a user may not read, nothing
they may read skipped (every demo account, on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import Select, select, text

from common.enums import AppealFee, AppealStatus, Party
from common.wire import Appeal, Case
from sync_server.models import CaseRow, SyncRecord, UserRow
from sync_server.policy import Principal, feed_filter
from sync_server.services.auth import principal_of
from sync_server.services.feed_pages import page_query, per_case, prepare, scope_branches
from sync_server.services.records import row_to_record, write_record


def _filtered_scan(
    principal: Principal, start: int, top: int, limit: int
) -> Select[str, str, int, bool, str]:
    """The page as the policy defines it: one scan of the feed, filtered."""
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


def test_every_accounts_page_holds_exactly_what_the_policy_admits(seeded_app: Flask) -> None:
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        users = session.scalars(select(UserRow).order_by(UserRow.username)).all()
        top = int(
            session.execute(text("SELECT version FROM server_state WHERE id = 1")).scalar_one()
        )
    roles_seen: set[str] = set()
    compared = 0
    for user in users:
        principal = principal_of(user)
        roles_seen.add(principal.role.value)
        for start in (0, top // 3, 2 * top // 3):
            for limit in (5, 60, 5000):
                with factory() as session:
                    expected = session.execute(_filtered_scan(principal, start, top, limit)).all()
                    prepare(session)
                    query = page_query(principal, start, top, limit, per_case=per_case(session))
                    got = session.execute(query).all()
                assert [tuple(r) for r in got] == [tuple(r) for r in expected], (
                    f"{user.username} ({principal.role.value}) from {start}, limit {limit}"
                )
                compared += len(expected)
    assert {"judge", "clerk", "court_admin", "attorney", "dhs", "board_clerk"} <= roles_seen
    assert compared > 0


def test_the_branches_of_a_scope_never_overlap(seeded_app: Flask) -> None:
    """A row found by two branches would come twice in a page."""
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        users = session.scalars(select(UserRow)).all()
        for user in users:
            branches = scope_branches(principal_of(user))
            for n, one in enumerate(branches):
                for other in branches[n + 1 :]:
                    both = session.execute(
                        select(SyncRecord.record_id).where(one.condition, other.condition).limit(1)
                    ).first()
                    assert both is None, f"{user.username}: a row in two branches"


@pytest.mark.parametrize("limit", [1, 3])
def test_paging_a_whole_scope_by_the_branches_meets_every_row_once(
    seeded_app: Flask, limit: int
) -> None:
    """Page by page with tiny pages (each branch's own limit binds): the union of the pages
    is the policy's whole scope, each row once, versions increasing."""
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        attorney = session.execute(
            select(UserRow).where(UserRow.username == "attorney1")
        ).scalar_one()
        principal = principal_of(attorney)
        top = int(
            session.execute(text("SELECT version FROM server_state WHERE id = 1")).scalar_one()
        )
        whole = [tuple(r) for r in session.execute(_filtered_scan(principal, 0, top, 10**9)).all()]
    seen: list[tuple[object, ...]] = []
    start = 0
    while True:
        with factory() as session:
            prepare(session)
            query = page_query(principal, start, top, limit, per_case=per_case(session))
            rows = session.execute(query).all()
        page = [tuple(r) for r in rows[:limit]]
        seen += page
        if len(rows) <= limit:
            break
        start = int(page[-1][2])
    assert seen == whole
    assert len(whole) > 5


def test_the_boards_feed_key_follows_an_appeal_filed_and_rejected(seeded_app: Flask) -> None:
    """``sync_record.at_board`` (the Board's branch, migration 0028): a case's earlier rows
    are marked when a notice of appeal brings it before the Board, rows written while it is
    there are marked as written, and a rejection unmarks them all; at each step the Board
    clerk's page holds exactly what the policy admits (the rows entering and leaving)."""
    factory = seeded_app.extensions["ecas"].factory
    case_id = str(uuid.uuid4())
    with factory() as session:
        board_clerk = principal_of(
            session.execute(select(UserRow).where(UserRow.username == "board_clerk1")).scalar_one()
        )
        model = session.scalars(select(CaseRow).order_by(CaseRow.id)).first()
        assert model is not None
        case = row_to_record("case", model)
        assert isinstance(case, Case)
        a_number = f"{uuid.uuid4().int % 10**9:09d}"
        new_case = case.model_copy(update={"id": case_id, "a_number": a_number})
        write_record(session, new_case)
        session.commit()

    def marks() -> list[bool]:
        with factory() as session:
            return list(
                session.scalars(select(SyncRecord.at_board).where(SyncRecord.case_id == case_id))
            )

    def board_page_is_the_policys() -> set[str]:
        with factory() as session:
            top = int(
                session.execute(text("SELECT version FROM server_state WHERE id = 1")).scalar_one()
            )
            expected = session.execute(_filtered_scan(board_clerk, 0, top, 10**6)).all()
            prepare(session)
            got = session.execute(
                page_query(board_clerk, 0, top, 10**6, per_case=per_case(session))
            ).all()
        assert [tuple(r) for r in got] == [tuple(r) for r in expected]
        return {r.record_id for r in got}

    assert marks() == [False]
    assert case_id not in board_page_is_the_policys()
    appeal = Appeal(
        id=str(uuid.uuid4()),
        case_id=case_id,
        filer_id=board_clerk.id,
        appellant=Party.DHS,
        decision_date=date(2026, 11, 2),
        reasons="The judge erred.",
        fee=AppealFee.NOT_REQUIRED,
        received_at=datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
    )
    with factory() as session:
        write_record(session, appeal)
        session.commit()
    assert marks() == [True, True]
    assert case_id in board_page_is_the_policys()
    with factory() as session:  # a record of the case written while it is at the Board
        write_record(session, new_case.model_copy(update={"respondent_first_name": "Ana"}))
        session.commit()
    assert marks() == [True, True]
    assert case_id in board_page_is_the_policys()
    with factory() as session:
        rejected = appeal.model_copy(
            update={"status": AppealStatus.REJECTED, "rejection_code": "untimely"}
        )
        write_record(session, rejected)
        session.commit()
    assert marks() == [False, False]
    assert case_id not in board_page_is_the_policys()  # (the rejected appeal stays theirs)
