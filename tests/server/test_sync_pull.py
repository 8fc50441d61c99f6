"""Pulling the change feed: each role gets exactly its scope, pages resume without gaps,
tombstones and scope changes reach the client, bad requests are refused clearly."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from sync_server.models import AdjournmentCodeRow, CourtRow, RepresentationRow
from sync_server.services.sync import Cursor
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import (
    HOU,
    NYB,
    SFR,
    TokenBook,
    a_case_of,
    a_document,
    accepted_cases,
    annotation_data,
    applied,
    by_entity,
    case_data,
    case_ids,
    document_data,
    first_case,
    order_data,
    representation_data,
    venue_order,
)

Changes = list[dict[str, Any]]


def _pull(api: Api, tokens: TokenBook, username: str) -> Changes:
    return api.pull_all(tokens[username])[0]


def _pending_case(app: Flask, username: str) -> str:
    with app.extensions["ecas"].factory() as session:
        return (
            session.scalars(
                select(RepresentationRow.case_id).where(
                    RepresentationRow.practitioner_id == user_id(username),
                    RepresentationRow.status == "pending",
                )
            ).first()
            or ""
        )


# --- scope of each role -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "courts"),
    [
        ("clerk1", (SFR,)),
        ("judge3", (NYB,)),
        ("eoir1", (SFR, NYB, HOU)),
        ("dhs1", (SFR, NYB)),
    ],
)
def test_pull_holds_exactly_the_cases_of_the_callers_courts(
    api: Api, tokens: TokenBook, seeded_app: Flask, username: str, courts: tuple[str, ...]
) -> None:
    # live cases only: a fresh pull also brings tombstones of cases that left (a change of
    # venue another test made), which carry only their id
    cases = {
        i: c for i, c in by_entity(_pull(api, tokens, username), "case").items() if not c["deleted"]
    }
    assert {c["data"]["court_id"] for c in cases.values()} <= set(courts)
    assert set(cases) == case_ids(seeded_app, *courts)


def test_court_staff_get_hearings_only_of_their_court(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    hearings = by_entity(_pull(api, tokens, "clerk1"), "hearing")
    assert hearings
    assert {h["data"]["case_id"] for h in hearings.values()} <= case_ids(seeded_app, SFR)


def test_dhs_sees_no_court_internal_records(api: Api, tokens: TokenBook, seeded_app: Flask) -> None:
    sfr_case = first_case(seeded_app, SFR)
    document = a_document(seeded_app, sfr_case)
    applied(api, tokens["judge1"], "order", order_data(sfr_case, "judge1"))
    applied(
        api,
        tokens["judge1"],
        "annotation",
        annotation_data(document, "judge1", visibility="shared"),
    )

    changes = _pull(api, tokens, "dhs1")

    me = user_id("dhs1")
    # (a tombstone an earlier test left, an order's id alone, carries no status)
    drafts = [c for c in changes if c["entity"] == "order" and c["data"].get("status") == "draft"]
    assert not drafts
    assert not by_entity(changes, "annotation")
    assert all(
        d["data"]["status"] == "accepted" or d["data"]["filer_id"] == me
        for d in by_entity(changes, "document").values()
    )
    assert all(f["data"]["filer_id"] == me for f in by_entity(changes, "filing").values())
    assert set(by_entity(changes, "user_profile")) <= {me}


def test_attorney_sees_only_cases_with_an_accepted_appearance(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    changes = _pull(api, tokens, "attorney1")
    accepted = accepted_cases(seeded_app, "attorney1")
    pending = _pending_case(seeded_app, "attorney1")
    assert accepted and pending
    # An appearance for all proceedings reaches the bond case linked to its case too (the
    # demo's case 12 has one): reading follows the scope across the link.
    linked = accepted_cases(seeded_app, "attorney1", linked=True) - accepted
    assert linked

    assert set(by_entity(changes, "case")) == accepted | linked
    # Its own pending appearance is listed, but nothing of that case.
    of_pending = {c["entity"] for c in changes if c["data"].get("case_id") == pending}
    assert of_pending == {"representation"}
    documents = by_entity(changes, "document").values()
    me = user_id("attorney1")
    assert all(d["data"]["case_id"] in accepted | linked for d in documents)
    assert all(d["data"]["status"] == "accepted" or d["data"]["filer_id"] == me for d in documents)
    assert any(d["data"]["status"] == "pending" for d in documents), "its own pending brief"


def test_attorney_does_not_see_pending_documents_of_others(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    case = a_case_of(seeded_app, "attorney1")
    theirs = document_data(seeded_app, case, filer="dhs1", status="pending")
    applied(api, tokens["dhs1"], "document", theirs)

    documents = by_entity(_pull(api, tokens, "attorney1"), "document")
    assert theirs["id"] not in documents


def test_accredited_rep_without_cases_sees_only_reference_data(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    changes = _pull(api, tokens, "rep1")
    with seeded_app.extensions["ecas"].factory() as session:
        courts = set(session.scalars(select(CourtRow.id)))
        codes = set(session.scalars(select(AdjournmentCodeRow.id)))

    assert not by_entity(changes, "case")
    assert set(by_entity(changes, "court")) == courts
    assert set(by_entity(changes, "adjournment_code")) == codes
    assert {c["entity"] for c in changes} <= {"court", "adjournment_code", "user_profile"}


# --- annotations --------------------------------------------------------------------------


def test_private_annotation_reaches_only_its_author_shared_only_court_staff(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    # A document of a case attorney1 appears in: the attorney sees the document, not notes.
    case = a_case_of(seeded_app, "attorney1")
    document = a_document(seeded_app, case)
    readers = ("judge1", "judge2", "clerk1", "judge3", "eoir1", "attorney1", "dhs1")
    cursors = {name: api.pull_all(tokens[name])[1] for name in readers}
    private = annotation_data(document, "judge1")
    shared = annotation_data(document, "judge1", visibility="shared")
    applied(api, tokens["judge1"], "annotation", private)
    applied(api, tokens["judge1"], "annotation", shared)

    seen = {
        name: set(by_entity(api.pull_all(tokens[name], cursors[name])[0], "annotation"))
        for name in readers
    }
    assert seen["judge1"] >= {private["id"], shared["id"]}
    for name in ("judge2", "clerk1", "eoir1"):
        assert shared["id"] in seen[name] and private["id"] not in seen[name], name
    for name in ("judge3", "attorney1", "dhs1"):
        assert not {private["id"], shared["id"]} & seen[name], name


# --- paging -------------------------------------------------------------------------------


def _keys(changes: Changes) -> list[tuple[str, str, int]]:
    return [(c["entity"], c["id"], c["version"]) for c in changes]


def test_small_pages_give_the_same_records_as_one_big_page(api: Api, tokens: TokenBook) -> None:
    token = tokens["clerk1"]
    whole = api.changes(token, limit=5000)
    assert not whole["has_more"]

    paged, cursor, pages = [], None, 0
    while True:
        page = api.changes(token, cursor, limit=7)
        # Departure tombstones (records that left the reader's view) may ride beyond the
        # limit; records and deletions may not.
        assert len([c for c in page["changes"] if not c["deleted"]]) <= 7
        paged += page["changes"]
        cursor, pages = page["cursor"], pages + 1
        if not page["has_more"]:
            break

    assert pages > 2
    assert _keys(paged) == _keys(whole["changes"])
    versions = [c["version"] for c in paged]
    assert versions == sorted(set(versions)), "strictly increasing, no duplicates"
    idle = api.changes(token, cursor, limit=7)
    assert idle["changes"] == [] and not idle["has_more"]
    assert Cursor.decode(idle["cursor"]).version >= Cursor.decode(cursor).version


def test_interrupted_pull_resumes_from_its_last_cursor(api: Api, tokens: TokenBook) -> None:
    token = tokens["judge1"]
    full, _ = api.pull_all(token)
    first = api.changes(token, limit=7)
    second = api.changes(token, first["cursor"], limit=7)
    assert second["has_more"]

    rest, _ = api.pull_all(token, second["cursor"], limit=7)

    assert _keys(first["changes"] + second["changes"] + rest) == _keys(full)


def test_a_deleted_annotation_arrives_as_a_tombstone(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    token = tokens["judge1"]
    document = a_document(seeded_app, first_case(seeded_app, SFR))
    note = annotation_data(document, "judge1")
    version = applied(api, token, "annotation", note)
    _, cursor = api.pull_all(token)

    (result,) = api.push(token, mutation("annotation", note, op="delete", base_version=version))
    assert result["status"] == "applied"

    changes, _ = api.pull_all(token, cursor)
    assert [(c["id"], c["deleted"]) for c in changes if c["entity"] == "annotation"] == [
        (note["id"], True)
    ]


def test_an_accepted_appearance_brings_its_case_without_a_reset(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """The attorney's scope changed: the next pages catch up with the case that entered
    (services/scope_delta.py), no fresh start."""
    clerk = tokens["clerk1"]
    case = case_data(SFR)
    applied(api, clerk, "case", case)
    document = document_data(seeded_app, case["id"])
    applied(api, clerk, "document", document)
    _, cursor = api.pull_all(tokens["attorney2"])

    applied(
        api,
        clerk,
        "representation",
        representation_data(case["id"], "attorney2", status="accepted"),
    )

    first = api.changes(tokens["attorney2"], cursor)
    assert first["reset"] is False
    changes, _ = api.pull_all(tokens["attorney2"], cursor)
    assert case["id"] in by_entity(changes, "case")
    assert document["id"] in by_entity(changes, "document")
    assert {c["data"].get("case_id", c["id"]) for c in changes} == {case["id"]}


# --- bad requests -------------------------------------------------------------------------


def _forged(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "since",
    [
        "not-a-cursor",
        "!!!",
        _forged({"version": 1}),
        _forged([1]),
        _forged([-1, "x"]),
        _forged(["1", "x"]),
        _forged([2**63, "x"]),
        _forged([2**70, "x"]),
    ],
)
def test_a_bad_cursor_is_a_400_problem(api: Api, tokens: TokenBook, since: str) -> None:
    response = api.client.get(
        f"/api/v1/sync/changes?since={since}", headers=api.headers(tokens["clerk1"])
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "cursor" in response.get_json()["detail"]


@pytest.mark.parametrize("limit", ["0", "abc", "-1", "5001", "1e3"])
def test_a_bad_limit_is_a_400_problem(api: Api, tokens: TokenBook, limit: str) -> None:
    response = api.client.get(
        f"/api/v1/sync/changes?limit={limit}", headers=api.headers(tokens["clerk1"])
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "limit" in response.get_json()["detail"]


def test_an_annotation_made_private_again_leaves_the_other_readers(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    document = a_document(seeded_app, first_case(seeded_app, SFR))
    shared = annotation_data(document, "judge1", visibility="shared")
    version = applied(api, tokens["judge1"], "annotation", shared)
    _, cursor = api.pull_all(tokens["judge2"])
    _, author_cursor = api.pull_all(tokens["judge1"])

    private = {**shared, "visibility": "private"}
    applied(api, tokens["judge1"], "annotation", private, base_version=version)

    changes, _ = api.pull_all(tokens["judge2"], cursor)
    gone = by_entity(changes, "annotation").get(shared["id"])
    assert gone is not None and gone["deleted"]
    # The author sees the departure and then the record again, newer: it stays theirs.
    mine = [c for c in api.pull_all(tokens["judge1"], author_cursor)[0] if c["id"] == shared["id"]]
    assert [c["deleted"] for c in mine] == [True, False]
    assert mine[0]["version"] < mine[1]["version"]
    assert mine[1]["data"]["visibility"] == "private"


def test_a_change_of_venue_moves_the_case_between_the_courts_clerks(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    document = document_data(seeded_app, case["id"])
    applied(api, tokens["clerk1"], "document", document)
    # The judge grants a party's motion to change venue (8 CFR 1003.20(b)).
    applied(api, tokens["judge1"], "order", venue_order(case["id"], "judge1", NYB))
    _, sfr_cursor = api.pull_all(tokens["clerk2"])
    _, nyb_cursor = api.pull_all(tokens["clerk3"])

    moved = {**case, "court_id": NYB, "judge_id": None}
    applied(api, tokens["clerk1"], "case", moved, base_version=version)

    left = by_entity(api.pull_all(tokens["clerk2"], sfr_cursor)[0], "case")
    assert left[case["id"]]["deleted"]
    left_docs = by_entity(api.pull_all(tokens["clerk2"], sfr_cursor)[0], "document")
    assert left_docs[document["id"]]["deleted"]
    arrived = api.pull_all(tokens["clerk3"], nyb_cursor)[0]
    assert not by_entity(arrived, "case")[case["id"]]["deleted"]
    assert not by_entity(arrived, "document")[document["id"]]["deleted"]
