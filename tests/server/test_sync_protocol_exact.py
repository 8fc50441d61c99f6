"""The sync protocol's answers, word for word: what docs/PROTOCOL.md promises a client.

A cursor carries the version, the scope's digest, the courts and a catch-up's position and
comes back as it was; a refusal's reason is the sentence the client shows; the audit trail
names each change, its refusal and its group; a group refused by one member names that
member on every other. (Mutation testing of sync_server/services/sync.py found these
answers checked by a word or not at all: docs/TESTING.md.)
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

import orjson
import pytest
from flask import Flask
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from common.enums import Role
from common.protocol import Mutation
from common.wire import ENTITY_SCHEMAS, Courtroom, UserProfile
from sync_server.db import begin_write
from sync_server.models import AuditEntry, UserRow
from sync_server.services import sync
from sync_server.services.auth import create_user, principal_of
from sync_server.services.records import row_to_record, write_record
from sync_server.services.sync import (
    Cursor,
    CursorError,
    _units,
    _validation_message,
)
from tests.conftest import Api, court_id, mutation, user_id
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    a_document,
    adjournment_code_data,
    annotation_data,
    applied,
    first_case,
    hearing_data,
    new_id,
    order_data,
    push_one,
    signed,
    stored,
    version_of,
)

INVALID = "the cursor is not valid; start again without `since`"


def _raw(cursor: str) -> Any:
    return orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def _forged(value: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


# --- the cursor ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cursor", "raw"),
    [
        (Cursor(7, "abc"), [7, "abc"]),
        (Cursor(0, "abc"), [0, "abc"]),
        (Cursor(7, "abc", ("c1", "c2")), [7, "abc|c1,c2"]),
        (Cursor(7, "abc", ()), [7, "abc|"]),
        (Cursor(7, "abc", ("c1",), 0), [7, "abc|c1", 0]),
        (Cursor(12, "d", None, 3), [12, "d", 3]),
    ],
)
def test_a_cursor_carries_its_parts_and_comes_back_as_it_was(
    cursor: Cursor, raw: list[Any]
) -> None:
    text_ = cursor.encode()
    assert "=" not in text_  # unpadded, safe in a query string
    assert _raw(text_) == raw
    assert Cursor.decode(text_) == cursor


@pytest.mark.parametrize(
    ("raw", "courts"),
    [([5, "s|a,,b"], ("a", "b")), ([5, "s|"], ()), ([5, "s"], None)],
)
def test_a_cursor_s_courts_skip_empty_names(raw: list[Any], courts: Any) -> None:
    assert Cursor.decode(_forged(raw)) == Cursor(5, "s", courts, None)


@pytest.mark.parametrize(
    "raw",
    [
        [1, "s", 2, 3],
        [1],
        [],
        {"version": 1},
        [-1, "s"],
        ["1", "s"],
        [1, 2],
        [1, "s", -1],
        [1, "s", "2"],
    ],
)
def test_a_malformed_cursor_is_refused_with_one_sentence(raw: object) -> None:
    with pytest.raises(CursorError) as refused:
        Cursor.decode(_forged(raw))
    assert str(refused.value) == INVALID


def test_a_cursor_that_is_not_base64_json_is_refused_with_the_same_sentence() -> None:
    for text_ in ("not-a-cursor", "!!!", _forged("text")[:-1]):
        with pytest.raises(CursorError) as refused:
            Cursor.decode(text_)
        assert str(refused.value) == INVALID


def test_a_cursor_ahead_of_the_server_is_refused(api: Api, tokens: TokenBook) -> None:
    page = api.changes(tokens["clerk1"], limit=1)
    ahead = Cursor(2**40, Cursor.decode(page["cursor"]).scope).encode()
    response = api.client.get(
        f"/api/v1/sync/changes?since={ahead}", headers=api.headers(tokens["clerk1"])
    )
    assert response.status_code == 400
    assert (
        response.get_json()["detail"]
        == "the cursor is ahead of this server; start again without `since`"
    )


# --- pages --------------------------------------------------------------------------------


def test_pages_end_where_their_last_change_is_and_the_last_at_the_top(
    api: Api, tokens: TokenBook
) -> None:
    token = tokens["judge1"]
    first = api.changes(token, limit=2)
    assert first["has_more"] is True and first["reset"] is False
    assert len(first["changes"]) == 2
    mark = Cursor.decode(first["cursor"])
    assert mark.version == first["changes"][-1]["version"]
    assert mark.catchup is None

    _, last_cursor = api.pull_all(token, first["cursor"])
    last = Cursor.decode(last_cursor)
    assert last.scope == mark.scope and last.courts == mark.courts
    # Caught up: a further pull sends nothing, has no more and keeps the cursor's place.
    again = api.changes(token, last_cursor)
    assert again["changes"] == [] and again["has_more"] is False and again["reset"] is False
    assert Cursor.decode(again["cursor"]).version == last.version


def test_a_deleted_record_reaches_the_puller_once_after_its_cursor(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    token = tokens["judge1"]
    document = a_document(seeded_app, first_case(seeded_app, SFR))
    note = annotation_data(document, "judge1")
    version = applied(api, token, "annotation", note)
    _, cursor = api.pull_all(token)
    (gone,) = api.push(token, mutation("annotation", note, op="delete", base_version=version))

    page = api.changes(token, cursor)

    mine = [c for c in page["changes"] if c["id"] == note["id"]]
    assert [(c["entity"], c["version"], c["deleted"]) for c in mine] == [
        ("annotation", gone["version"], True)
    ]
    assert Cursor.decode(page["cursor"]).version >= gone["version"]


# --- push: the refusals a client shows ----------------------------------------------------


def test_each_refusal_of_a_push_is_its_own_sentence(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    token = tokens["clerk1"]
    unknown_id = new_id()
    no_data = {**mutation("hearing", hearing_data(case["id"]))}
    del no_data["data"]
    other_id = mutation("hearing", hearing_data(case["id"]))
    other_id["data"]["id"] = new_id()

    results = api.push(
        token,
        mutation("widget", {"name": "x"}),
        mutation("hearing", {"id": unknown_id}, op="delete", base_version=1),
        mutation("hearing", hearing_data(case["id"]), base_version=3),
        no_data,
        other_id,
    )

    assert [(r["status"], r["error"]) for r in results] == [
        ("rejected", "unknown entity 'widget'"),
        ("rejected", "no such record to delete"),
        ("rejected", "the record does not exist on the server"),
        ("rejected", "an upsert needs `data`"),
        ("rejected", "data.id differs from the mutation's id"),
    ]
    # Nothing of a record that does not exist is sent back.
    assert all(r["current"] is None and r["version"] is None for r in results)


def test_a_conflict_names_its_cause_and_carries_the_server_s_record(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    theirs = applied(
        api, tokens["clerk2"], "hearing", {**data, "duration_minutes": 60}, base_version=version
    )
    result = push_one(
        api, tokens["clerk1"], "hearing", {**data, "duration_minutes": 20}, base_version=version
    )
    assert result["status"] == "conflict"
    assert result["error"] == "the record changed on the server since you read it"
    assert result["version"] == theirs == result["current"]["version"]
    assert result["current"]["id"] == data["id"] and result["current"]["deleted"] is False


def test_an_edit_of_a_deleted_record_is_a_conflict_showing_the_tombstone(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    token = tokens["judge1"]
    document = a_document(seeded_app, first_case(seeded_app, SFR))
    note = annotation_data(document, "judge1")
    version = applied(api, token, "annotation", note)
    (gone,) = api.push(token, mutation("annotation", note, op="delete", base_version=version))
    assert gone["status"] == "applied" and gone["version"] > version

    result = push_one(
        api, token, "annotation", {**note, "comment": "again"}, base_version=gone["version"]
    )

    assert result["status"] == "conflict"
    assert result["error"] == "the record was deleted on the server"
    assert result["version"] == gone["version"]
    assert result["current"]["deleted"] is True
    assert stored(seeded_app, "annotation", note["id"]) is not None
    assert stored(seeded_app, "annotation", note["id"])[1:] == (gone["version"], True)  # type: ignore[index]


def test_a_signed_order_refuses_every_edit_with_the_reason(
    api: Api, tokens: TokenBook, case: dict[str, Any]
) -> None:
    token = tokens["judge1"]
    draft = order_data(case["id"], "judge1")
    version = applied(api, token, "order", draft)
    version = applied(api, token, "order", signed(draft, "judge1"), base_version=version)
    stale = push_one(api, token, "order", signed(draft, "judge1"), base_version=version - 1)
    assert (stale["status"], stale["error"]) == (
        "rejected",
        "a signed order is immutable; issue a correcting order instead",
    )


def test_a_refusal_after_the_checks_carries_the_server_s_record(
    api: Api, tokens: TokenBook, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    result = push_one(
        api,
        tokens["judge1"],
        "hearing",
        {**data, "starts_at": "2026-12-08T18:30:00Z"},
        base_version=version,
    )
    assert result["status"] == "rejected"
    assert result["version"] == version
    assert result["current"]["version"] == version
    assert result["current"]["data"]["starts_at"] == data["starts_at"]


# --- push: what the audit trail says ------------------------------------------------------


def _entries(app: Flask, record_id: str) -> list[AuditEntry]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.record_id == record_id).order_by(AuditEntry.seq)
            )
        )


def test_the_audit_trail_names_each_change_its_fields_and_its_group(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    token = tokens["clerk1"]
    data = hearing_data(case["id"])
    created = mutation("hearing", data)
    (first,) = api.push(token, created)
    group = str(uuid.uuid4())
    moved = {**data, "duration_minutes": 45, "starts_at": "2026-12-09T17:00:00Z"}
    edit = {**mutation("hearing", moved, base_version=first["version"]), "group": group}
    (second,) = api.push(token, edit)
    assert second["status"] == "applied"

    create, update = _entries(seeded_app, data["id"])
    assert (create.action, create.entity, create.actor_id) == (
        "record.create",
        "hearing",
        user_id("clerk1"),
    )
    assert create.detail["version"] == first["version"]
    assert create.detail["mutation_id"] == created["mutation_id"]
    assert "group" not in create.detail and "changed" not in create.detail
    assert update.action == "record.update"
    assert update.detail["mutation_id"] == edit["mutation_id"]
    assert update.detail["group"] == group
    assert update.detail["changed"] == ["duration_minutes", "starts_at"]
    assert update.detail["data"]["duration_minutes"] == 45
    # the fields compared as the wire writes them: an unchanged time is not "changed"
    longer = {**moved, "duration_minutes": 60}
    (third,) = api.push(token, mutation("hearing", longer, base_version=second["version"]))
    assert third["status"] == "applied"
    *_, last = _entries(seeded_app, data["id"])
    assert (last.action, last.detail["changed"]) == ("record.update", ["duration_minutes"])


def test_a_delete_is_audited_as_a_delete(api: Api, tokens: TokenBook, seeded_app: Flask) -> None:
    token = tokens["judge1"]
    document = a_document(seeded_app, first_case(seeded_app, SFR))
    note = annotation_data(document, "judge1")
    version = applied(api, token, "annotation", note)
    removal = mutation("annotation", note, op="delete", base_version=version)
    (gone,) = api.push(token, removal)

    *_, entry = _entries(seeded_app, note["id"])
    assert (entry.action, entry.entity, entry.actor_id) == (
        "record.delete",
        "annotation",
        user_id("judge1"),
    )
    assert entry.detail["version"] == gone["version"]
    assert entry.detail["mutation_id"] == removal["mutation_id"]
    assert entry.detail["data"]["id"] == note["id"]


def test_a_refusal_is_audited_with_its_operation_reason_client_and_group(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    group = str(uuid.uuid4())
    target = new_id()
    refused = {
        **mutation("hearing", {"id": target}, op="delete", base_version=1),
        "group": group,
    }
    (result,) = api.push(tokens["clerk1"], refused, client_id="laptop-7")

    (entry,) = _entries(seeded_app, target)
    assert (entry.action, entry.entity, entry.actor_id) == (
        "sync.mutation_refused",
        "hearing",
        user_id("clerk1"),
    )
    assert entry.detail == {
        "mutation_id": refused["mutation_id"],
        "op": "delete",
        "reason": result["error"],
        "client_id": "laptop-7",
        "group": group,
    }


# --- push: replays and groups -------------------------------------------------------------


def test_another_user_s_mutation_id_is_refused(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    m = mutation("hearing", hearing_data(case["id"]))
    (mine,) = api.push(tokens["clerk1"], m)
    (theirs,) = api.push(tokens["clerk2"], m)
    assert mine["status"] == "applied"
    assert (theirs["status"], theirs["error"]) == ("rejected", "this mutation id was already used")
    assert version_of(seeded_app, "hearing", m["id"]) == mine["version"]


def test_a_group_refused_by_one_member_names_it_on_the_others(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    theirs = applied(
        api, tokens["clerk1"], "hearing", {**data, "duration_minutes": 60}, base_version=version
    )
    group = str(uuid.uuid4())
    fresh = hearing_data(data["case_id"])
    kept = {**mutation("hearing", fresh), "group": group}
    stale = {
        **mutation("hearing", {**data, "duration_minutes": 20}, base_version=version),
        "group": group,
    }
    after = {**mutation("hearing", hearing_data(data["case_id"])), "group": group}

    first, culprit, last = api.push(tokens["clerk1"], kept, stale, after)

    assert culprit["status"] == "conflict"
    reason = (
        f"not applied: it belongs with the change of hearing {data['id']}, which was "
        "conflict: the record changed on the server since you read it"
    )
    assert (first["status"], first["error"]) == ("rejected", reason)
    assert (last["status"], last["error"]) == ("rejected", reason)
    # Neither new hearing exists: the group rolled back whole.
    assert stored(seeded_app, "hearing", fresh["id"]) is None
    assert stored(seeded_app, "hearing", after["id"]) is None
    assert first["current"] is None and last["current"] is None
    assert version_of(seeded_app, "hearing", data["id"]) == theirs


# --- pure helpers -------------------------------------------------------------------------


def _m(group: str | None = None) -> Mutation:
    return Mutation.model_validate(
        {
            "mutation_id": new_id(),
            "entity": "hearing",
            "id": new_id(),
            "op": "upsert",
            "group": group,
        }
    )


def test_a_group_is_applied_at_the_place_of_its_first_member() -> None:
    a, b, c, d, e = _m(), _m("g1"), _m(), _m("g1"), _m("g2")
    units = _units([a, b, c, d, e])
    assert [[index for index, _ in unit] for unit in units] == [[0], [1, 3], [2], [4]]
    assert [m for unit in units for _, m in unit] == [a, b, d, c, e]


class _Two(BaseModel):
    count: int
    name: str


class _Twelve(BaseModel):
    f0: int
    f1: int
    f2: int
    f3: int
    f4: int
    f5: int
    f6: int
    f7: int
    f8: int
    f9: int
    f10: int
    f11: int


def test_invalid_data_is_explained_field_by_field() -> None:
    with pytest.raises(ValidationError) as err:
        _Two.model_validate({"count": "many"})
    assert _validation_message(err.value) == (
        "invalid data — count: Input should be a valid integer, unable to parse string as an "
        "integer; name: Field required"
    )


def test_data_that_is_not_an_object_is_named_data() -> None:
    with pytest.raises(ValidationError) as err:
        _Two.model_validate([1])
    assert _validation_message(err.value).startswith("invalid data — data: ")


class _Inner(BaseModel):
    count: int


class _Outer(BaseModel):
    inner: _Inner


def test_a_nested_field_is_named_by_its_path() -> None:
    with pytest.raises(ValidationError) as err:
        _Outer.model_validate({"inner": {"count": "many"}})
    assert _validation_message(err.value) == (
        "invalid data — inner.count: Input should be a valid integer, unable to parse string "
        "as an integer"
    )


def test_an_explanation_names_at_most_ten_fields() -> None:
    with pytest.raises(ValidationError) as err:
        _Twelve.model_validate({})
    message = _validation_message(err.value)
    assert message == "invalid data — " + "; ".join(f"f{i}: Field required" for i in range(10))


# --- pages: has_more at the exact edge, and a catch-up's cursors ---------------------------


def test_a_page_holding_the_last_changes_exactly_has_no_more(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    token = tokens["judge1"]
    document = a_document(seeded_app, first_case(seeded_app, SFR))
    _, cursor = api.pull_all(token)
    notes = [annotation_data(document, "judge1") for _ in range(2)]
    results = api.push(token, *(mutation("annotation", n) for n in notes))
    versions = [r["version"] for r in results]

    exact = api.changes(token, cursor, limit=2)
    assert [(c["id"], c["version"]) for c in exact["changes"]] == [
        (n["id"], v) for n, v in zip(notes, versions, strict=True)
    ]
    assert exact["has_more"] is False
    # at the top (on PostgreSQL a push's unused reserved versions are gaps below it)
    assert Cursor.decode(exact["cursor"]).version >= max(versions)

    short = api.changes(token, cursor, limit=1)
    assert [c["id"] for c in short["changes"]] == [notes[0]["id"]]
    assert short["has_more"] is True
    assert Cursor.decode(short["cursor"]).version == versions[0]


@pytest.mark.parametrize("during_catch_up", [False, True], ids=["no-courts", "catching-up"])
def test_a_scope_change_that_can_t_be_followed_starts_the_copy_again(
    api: Api, tokens: TokenBook, during_catch_up: bool
) -> None:
    """A cursor of another scope that names no courts (the change can't be told), or one
    whose scope changed again during its catch-up, is answered from the start with
    ``reset``: the client drops its copy, so nothing that left its scope stays in it."""
    token = tokens["clerk1"]
    fresh = api.changes(token, limit=5)
    held = Cursor.decode(fresh["cursor"])
    assert fresh["reset"] is False and held.courts
    if during_catch_up:
        forged = Cursor(held.version, "0" * 16, held.courts, 3)
    else:
        forged = Cursor(held.version, "0" * 16)

    page = api.changes(token, forged.encode(), limit=5)

    assert page["reset"] is True
    assert page["changes"] == fresh["changes"]
    assert Cursor.decode(page["cursor"]) == held


def _pull_pages(factory: Any, user: str, since: str | None, limit: int) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    for _ in range(1000):  # a cursor that loses its place would page forever
        with factory() as session:
            principal = principal_of(session.get_one(UserRow, user))
            page = orjson.loads(sync.pull(session, principal, since, limit))
        pages.append(page)
        since = page["cursor"]
        if not page["has_more"]:
            return pages
    raise AssertionError("the pull never ended")


def test_a_catch_up_after_a_move_of_court_keeps_its_place_in_its_cursors(
    seeded_app: Flask,
) -> None:
    """A judge moved to another court catches up in pages: each cursor holds the version
    the judge's copy was at, the courts that copy was made of and the catch-up's place;
    the last holds the new court, and the ordinary pages go on from the same version."""
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        begin_write(session)
        old_court, new_court = court_id("SFR"), court_id("NYB")
        judge = create_user(
            session,
            username=f"exact-judge-{uuid.uuid4().hex[:8]}",
            password="a-long-test-password-1",
            role=Role.JUDGE,
            display_name="Judge Exact",
            court_id=old_court,
        )
        # a courtroom of the new court, taken out of use before the judge's copy was made:
        # the catch-up brings it as deleted, not as a room to schedule in
        closed = Courtroom(id=str(uuid.uuid4()), court_id=new_court, name="Courtroom Exact")
        write_record(session, closed)
        write_record(session, closed, deleted=True)
        session.commit()
    held = _pull_pages(factory, judge, None, 1000)
    since = held[-1]["cursor"]
    start = Cursor.decode(since)
    assert start.courts == (old_court,) and start.catchup is None
    with factory() as session:
        begin_write(session)
        profile = row_to_record("user_profile", session.get_one(UserRow, judge))
        assert isinstance(profile, UserProfile)
        write_record(session, profile.model_copy(update={"court_id": new_court}))
        session.commit()

    pages = _pull_pages(factory, judge, since, 40)

    assert len(pages) > 2
    catching_up = [p for p in pages if Cursor.decode(p["cursor"]).catchup is not None]
    assert catching_up, "the catch-up took more than one page"
    for page in catching_up:
        mark = Cursor.decode(page["cursor"])
        assert (mark.version, mark.courts) == (start.version, (old_court,))
        assert page["has_more"] is True and page["reset"] is False
        assert len(page["changes"]) == 40
    places = [Cursor.decode(p["cursor"]).catchup for p in catching_up]
    assert places == sorted(places) and len(set(places)) == len(places)
    done = pages[len(catching_up)]
    mark = Cursor.decode(done["cursor"])
    assert (mark.version, mark.courts, mark.catchup) == (start.version, (new_court,), None)
    assert done["has_more"] is (start.version < Cursor.decode(pages[-1]["cursor"]).version)
    changes = [c for p in pages for c in p["changes"]]
    tombstones = [c for c in changes if c["deleted"] and c["id"] != closed.id]
    assert tombstones
    assert all(c["data"] == {"id": c["id"]} for c in tombstones)
    # each tombstone at its record's version in the feed, in the feed's order; the closed
    # courtroom as a deletion
    tombstone_versions = [c["version"] for c in tombstones]
    assert all(isinstance(v, int) and v > 0 for v in tombstone_versions)
    assert tombstone_versions == sorted(tombstone_versions)
    assert [c for c in changes if c["id"] == closed.id] == [
        {
            "entity": "courtroom",
            "id": closed.id,
            "version": next(c["version"] for c in changes if c["id"] == closed.id),
            "deleted": True,
            "data": next(c["data"] for c in changes if c["id"] == closed.id),
        }
    ]
    assert {c["entity"] for c in tombstones} >= {"case", "hearing"}
    assert {c["entity"] for c in tombstones} <= set(ENTITY_SCHEMAS)
    assert not any(p["reset"] for p in pages)
    ids = [c["id"] for c in changes if not c["deleted"]]
    assert len(ids) == len(set(ids)), "a record sent twice"


def test_a_database_refusal_names_the_database_s_error(
    api: Api, tokens: TokenBook, backend: str
) -> None:
    duplicate = {**adjournment_code_data(), "code": "01"}  # codes are unique in the database
    (result,) = api.push(tokens["eoir1"], mutation("adjournment_code", duplicate))
    cause = "IntegrityError" if backend == "sqlite" else "UniqueViolation"
    assert (result["status"], result["error"]) == (
        "rejected",
        f"the database refused the change ({cause})",
    )
