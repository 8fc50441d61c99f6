"""The policy's SQL (sync_server/policy.py): feed_filter and the case sets it rests on
(court_appearances, board_cases, panel_cases, respondent_cases, feed_rows_flagged), run on a
real SQLite database holding the server's tables, without the app.

One small world: courts A and B and the Board; a removal case at A with its bond case, a
case at B, a case at B with an appeal before the Board, a case at A flagged asylum. Each
test asks which change-feed rows a principal pulls and names them exactly.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Engine,
    Integer,
    TypeDecorator,
    create_engine,
    select,
)
from sqlalchemy.engine import Connection

import sync_server.models  # noqa: F401  (registers every table)
from common.enums import Role
from sync_server.db import Base
from sync_server.models import SyncDeparture, SyncRecord
from sync_server.policy import (
    Principal,
    board_cases,
    court_appearances,
    feed_filter,
    panel_cases,
    respondent_cases,
)


def _id() -> str:
    return str(uuid.uuid4())


A, B, BOARD = "court-a", "court-b", "court-board"
REMOVAL, BOND, CASE_B, AT_BOARD, FLAGGED = "c-removal", "c-bond", "c-b", "c-board", "c-flag"
ME, OTHER = "u-me", "u-other"
NULL_FLAGS = "c-null-flags"


def _filler(column: Any) -> Any:
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, DateTime):
        return datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    if isinstance(kind, Date):
        return datetime.date(2026, 12, 1)
    return "x"


_version = iter(range(1, 1_000_000))


def put(conn: Connection, table: str, **values: Any) -> None:
    """Insert a row, filling the columns the test does not name (NOT NULL, no default)."""
    t = Base.metadata.tables[table]
    row = dict(values)
    for column in t.columns:
        if column.name in row or column.nullable or column.default is not None:
            continue
        row[column.name] = next(_version) if column.name == "version" else _filler(column)
    conn.execute(t.insert().values(**row))


def case(conn: Connection, cid: str, court: str, **values: Any) -> None:
    put(conn, "case", id=cid, court_id=court, **({"case_type": "removal"} | values))


def appear(conn: Connection, case_id: str, scope: str, **values: Any) -> None:
    fields = {"practitioner_id": ME, "form": "eoir_28", "status": "accepted"} | values
    put(conn, "representation", id=_id(), case_id=case_id, scope=scope, **fields)


# record id -> (entity, court, case, owner, audience)
ROWS: dict[str, tuple[str, str | None, str | None, str | None, str]] = {
    "pub-removal": ("hearing", A, REMOVAL, None, "public"),
    "court-removal": ("filing", A, REMOVAL, OTHER, "court"),
    "note-other": ("annotation", A, REMOVAL, OTHER, "owner"),
    "note-mine": ("annotation", A, REMOVAL, ME, "owner"),
    "pub-bond": ("hearing", A, BOND, None, "public"),
    "pub-b": ("hearing", B, CASE_B, None, "public"),
    "mine-b": ("filing", B, CASE_B, ME, "court"),
    "pub-board": ("hearing", B, AT_BOARD, None, "public"),
    "draft-board": ("order", B, AT_BOARD, None, "board"),
    "panel-board": ("annotation", B, AT_BOARD, OTHER, "panel"),
    "board-own": ("filing", BOARD, None, OTHER, "court"),
    "global": ("court", None, None, None, "public"),
    "profile-courtless": ("user_profile", None, None, OTHER, "court"),
    "mine-courtless": ("user_profile", None, None, ME, "court"),
    "pub-flag": ("hearing", A, FLAGGED, None, "public"),
    "mine-flag": ("filing", A, FLAGGED, ME, "court"),
    "rep-flag": ("representation", A, FLAGGED, ME, "court"),
    "doc-sealed": ("document", A, REMOVAL, ME, "court"),
    "mine-flag-courtless": ("filing", None, FLAGGED, ME, "court"),
    "mine-null-flags": ("filing", B, NULL_FLAGS, ME, "court"),
    "mine-doc-b": ("document", B, CASE_B, ME, "court"),  # unflagged, beside a sealed one
}


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    eng = create_engine("sqlite://")
    Base.metadata.create_all(eng)
    with eng.begin() as conn:
        case(conn, REMOVAL, A)
        case(conn, BOND, A, case_type="bond", removal_case_id=REMOVAL)
        case(conn, CASE_B, B)
        case(conn, AT_BOARD, B)
        case(conn, FLAGGED, A, confidentiality=["asylum"])
        case(conn, NULL_FLAGS, B, confidentiality=None)  # stored as JSON null: no flag
        put(conn, "document", id="doc-sealed", case_id=REMOVAL, confidentiality=["sealed"])
        put(conn, "document", id="mine-doc-b", case_id=CASE_B, confidentiality=[])
        put(conn, "appeal", id=_id(), case_id=AT_BOARD, status="docketed")
        put(conn, "appeal", id=_id(), case_id=CASE_B, status="rejected")
        put(conn, "board_decision", id=_id(), case_id=AT_BOARD, member_ids=[OTHER, ME])
        appear(conn, REMOVAL, "all_except_custody_and_bond")
        for rid, (entity, court, case_id, owner, audience) in ROWS.items():
            put(
                conn,
                "sync_record",
                entity=entity,
                record_id=rid,
                court_id=court,
                case_id=case_id,
                owner_id=owner,
                audience=audience,
                payload="{}",
            )
            put(
                conn,
                "sync_departure",
                version=next(_version),
                entity=entity,
                record_id=rid,
                court_id=court,
                case_id=case_id,
                owner_id=owner,
                audience=audience,
            )
    yield eng
    eng.dispose()


def who(
    role: Role, court: str | None = None, assigned: tuple[str, ...] = (), uid: str = ME
) -> Principal:
    return Principal(uid, "me", role, court, "Me", assigned)


def pulled(engine: Engine, p: Principal, rec: Any = SyncRecord) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(rec.record_id).where(feed_filter(p, rec))))


def ids(engine: Engine, query: Any) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(query))


EVERYTHING = set(ROWS)


def test_court_staff_pull_their_court_and_the_courtless_rows(engine: Engine) -> None:
    expected = {
        "pub-removal",
        "court-removal",
        "note-mine",
        "pub-bond",
        "global",
        "profile-courtless",
        "mine-courtless",
        "pub-flag",
        "mine-flag",
        "rep-flag",
        "doc-sealed",
        "mine-flag-courtless",
    }
    for role in (Role.CLERK, Role.JUDGE, Role.COURT_ADMIN):
        assert pulled(engine, who(role, A)) == expected
        assert pulled(engine, who(role, A), SyncDeparture) == expected


def test_eoir_staff_pull_all_but_others_private_notes(engine: Engine) -> None:
    expected = EVERYTHING - {"note-other", "panel-board"}
    assert pulled(engine, who(Role.EOIR_STAFF)) == expected
    assert pulled(engine, who(Role.EOIR_STAFF), SyncDeparture) == expected


def test_a_respondent_pulls_nothing(engine: Engine) -> None:
    assert pulled(engine, who(Role.RESPONDENT, A)) == set()
    assert pulled(engine, who(Role.RESPONDENT, A), SyncDeparture) == set()


def test_board_staff_pull_the_cases_before_the_board_and_their_panels_notes(
    engine: Engine,
) -> None:
    at_board = {"pub-board", "draft-board", "board-own", "global"}
    # a Board clerk on no panel, owning nothing
    assert pulled(engine, who(Role.BOARD_CLERK, BOARD, uid="u-clerk")) == at_board
    # their own rows: everywhere, but a flagged one only while its case is before the Board
    own = {"note-mine", "mine-b", "mine-courtless", "rep-flag", "mine-null-flags", "mine-doc-b"}
    assert pulled(engine, who(Role.BOARD_MEMBER, BOARD)) == at_board | {"panel-board"} | own
    departures = at_board | {"panel-board"} | own | {"mine-flag", "doc-sealed"}
    assert pulled(engine, who(Role.BOARD_MEMBER, BOARD), SyncDeparture) == (
        departures | {"mine-flag-courtless"}
    )
    # no court of their own: the cases before the Board alone
    assert pulled(engine, who(Role.BOARD_MEMBER, None)) == (
        {"pub-board", "draft-board", "global", "panel-board"} | own
    )


def test_dhs_pulls_the_public_rows_of_its_courts_and_its_own(engine: Engine) -> None:
    dhs = who(Role.DHS, None, (A,))
    public_a = {"pub-removal", "pub-bond", "pub-flag", "global"}
    own_a = {"note-mine", "mine-flag", "rep-flag", "doc-sealed", "mine-courtless"}
    assert pulled(engine, dhs) == public_a | own_a
    # a departure is never flagged: the courtless own row of a flagged case reaches them
    assert pulled(engine, dhs, SyncDeparture) == public_a | own_a | {"mine-flag-courtless"}
    assert pulled(engine, who(Role.DHS, None, ())) == {"global", "mine-courtless"}


def test_a_practitioner_pulls_the_public_rows_of_the_cases_they_appear_in(
    engine: Engine,
) -> None:
    # ME appears in the removal case for all but custody and bond: not in the bond case;
    # of the flagged case only the appearance row of their own is theirs; a sealed document
    # of their own in the case they appear in they still read (counsel of record).
    expected = {
        "pub-removal",
        "note-mine",
        "mine-b",
        "global",
        "mine-courtless",
        "rep-flag",
        "doc-sealed",
        "mine-null-flags",  # a stored null is no flag
        "mine-doc-b",  # their own unflagged document: another document's flag is not its
    }
    assert pulled(engine, who(Role.ATTORNEY)) == expected
    departures = expected | {"mine-flag", "mine-flag-courtless"}
    assert pulled(engine, who(Role.ACCREDITED_REP), SyncDeparture) == departures


def test_court_appearances_follow_the_form_status_and_scope(engine: Engine) -> None:
    """Appearances of ME only; each scenario in its own transaction, rolled back."""
    cases: list[tuple[str, str, dict[str, Any], set[str]]] = [
        (REMOVAL, "all_except_custody_and_bond", {}, {REMOVAL}),
        (REMOVAL, "all_proceedings", {}, {REMOVAL, BOND}),
        (REMOVAL, "custody_and_bond_only", {}, {BOND}),
        (BOND, "all_proceedings", {}, {REMOVAL, BOND}),
        (BOND, "custody_and_bond_only", {}, {BOND}),
        (BOND, "all_except_custody_and_bond", {}, {REMOVAL}),
        (CASE_B, "all_proceedings", {}, {CASE_B}),
        (CASE_B, "all_proceedings", {"form": "eoir_27"}, set()),
        (CASE_B, "all_proceedings", {"status": "pending"}, set()),
        (CASE_B, "all_proceedings", {"status": "withdrawn"}, set()),
        (CASE_B, "all_proceedings", {"deleted": True}, set()),
        (CASE_B, "all_proceedings", {"practitioner_id": OTHER}, set()),
        # another practitioner's appearance in a bond case opens neither case to ME
        (BOND, "all_proceedings", {"practitioner_id": OTHER}, set()),
        (BOND, "all_except_custody_and_bond", {"practitioner_id": OTHER}, set()),
        (REMOVAL, "all_proceedings", {"practitioner_id": OTHER}, set()),
    ]
    for case_id, scope, extra, expected in cases:
        with engine.connect() as conn:
            t = Base.metadata.tables["representation"]
            conn.execute(t.delete())
            appear(conn, case_id, scope, **extra)
            got = set(conn.scalars(court_appearances(ME)))
            conn.rollback()
        assert got == expected, (case_id, scope, extra)


def test_board_panel_and_respondent_case_sets(engine: Engine) -> None:
    # a rejected appeal leaves its case out; a filed or decided one puts it before the Board
    assert ids(engine, board_cases()) == {AT_BOARD}
    with engine.connect() as conn:
        put(conn, "appeal", id=_id(), case_id=REMOVAL, status="filed")
        put(conn, "appeal", id=_id(), case_id=BOND, status="decided")
        put(conn, "appeal", id=_id(), case_id=FLAGGED, status="docketed", deleted=True)
        assert set(conn.scalars(board_cases())) == {AT_BOARD, REMOVAL, BOND}
        put(conn, "board_decision", id=_id(), case_id=CASE_B, member_ids=[ME], deleted=True)
        put(conn, "board_decision", id=_id(), case_id=REMOVAL, member_ids=[OTHER])
        assert set(conn.scalars(panel_cases(ME))) == {AT_BOARD}
        assert set(conn.scalars(panel_cases(OTHER))) == {AT_BOARD, REMOVAL}
        put(conn, "respondent_case", user_id=ME, case_id=REMOVAL)
        put(conn, "respondent_case", user_id=OTHER, case_id=CASE_B)
        assert set(conn.scalars(respondent_cases(ME))) == {REMOVAL}
        conn.rollback()


# -- found by the complete whole-module mutation run (docs/TESTING.md) ------------------------


def _row(
    conn: Connection, rid: str, row: tuple[str, str | None, str | None, str | None, str]
) -> None:
    entity, court, case_id, owner, audience = row
    put(
        conn,
        "sync_record",
        entity=entity,
        record_id=rid,
        court_id=court,
        case_id=case_id,
        owner_id=owner,
        audience=audience,
        payload="{}",
    )


def _pulled_in(conn: Connection, p: Principal) -> set[tuple[str, str]]:
    query = select(SyncRecord.entity, SyncRecord.record_id).where(feed_filter(p))
    return {(entity, rid) for entity, rid in conn.execute(query)}


def test_a_courts_courtroom_or_a_record_of_an_unknown_case_is_no_global_row(
    engine: Engine,
) -> None:
    """Only a row of no court and no case is everyone's: a courtroom belongs to its court,
    and a record whose case the server does not know (court None) to nobody outside."""
    with engine.connect() as conn:
        _row(conn, "courtroom-a", ("courtroom", A, None, None, "public"))
        _row(conn, "orphan", ("hearing", None, "c-unknown", None, "public"))
        strangers = (
            who(Role.ATTORNEY),
            who(Role.ACCREDITED_REP),
            who(Role.DHS, None, (B,)),
            who(Role.BOARD_CLERK, BOARD, uid="u-clerk"),
            who(Role.BOARD_MEMBER, BOARD),
        )
        for p in strangers:
            got = _pulled_in(conn, p)
            assert ("court", "global") in got, p.role
            assert ("courtroom", "courtroom-a") not in got, p.role
            assert ("hearing", "orphan") not in got, p.role
        dhs_a = _pulled_in(conn, who(Role.DHS, None, (A,)))
        assert ("courtroom", "courtroom-a") in dhs_a
        assert ("hearing", "orphan") not in dhs_a
        conn.rollback()


def test_a_panel_member_does_not_read_another_members_private_note_in_the_case(
    engine: Engine,
) -> None:
    # ME sits on the panel of the case before the Board; OTHER's note there is OTHER's own
    with engine.connect() as conn:
        _row(conn, "note-other-board", ("annotation", B, AT_BOARD, OTHER, "owner"))
        got = _pulled_in(conn, who(Role.BOARD_MEMBER, BOARD))
        assert ("annotation", "panel-board") in got
        assert ("annotation", "note-other-board") not in got
        conn.rollback()


def test_a_board_members_own_note_in_a_flagged_case_is_theirs_while_before_the_board(
    engine: Engine,
) -> None:
    member = who(Role.BOARD_MEMBER, BOARD)
    with engine.connect() as conn:
        _row(conn, "note-mine-flag", ("annotation", A, FLAGGED, ME, "owner"))
        assert ("annotation", "note-mine-flag") not in _pulled_in(conn, member)
        put(conn, "appeal", id=_id(), case_id=FLAGGED, status="docketed")
        assert ("annotation", "note-mine-flag") in _pulled_in(conn, member)
        conn.rollback()


def test_a_documents_flag_reaches_no_record_of_another_kind_sharing_its_id(
    engine: Engine,
) -> None:
    # a filing of ME's in an unflagged case, whose id is also the sealed document's
    with engine.connect() as conn:
        _row(conn, "doc-sealed", ("filing", B, CASE_B, ME, "court"))
        for p in (who(Role.ATTORNEY), who(Role.BOARD_MEMBER, BOARD)):
            assert ("filing", "doc-sealed") in _pulled_in(conn, p), p.role
        # the sealed document itself: still withheld from the Board member, not its reader
        assert ("document", "doc-sealed") not in _pulled_in(conn, who(Role.BOARD_MEMBER, BOARD))
        conn.rollback()
