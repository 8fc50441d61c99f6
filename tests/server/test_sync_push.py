"""Pushing changes: applied once, conflicts shown with the server's record, and every
refusal explained; applied changes are audited."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pymupdf
import pytest
from flask import Flask
from sqlalchemy import select, text

from common.wire import Case, Hearing
from sync_server.db import is_postgres
from sync_server.models import AuditEntry
from sync_server.services import audit
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import (
    NYB,
    SFR,
    TokenBook,
    a_case_of,
    adjournment_code_data,
    annotation_data,
    applied,
    by_entity,
    case_data,
    document_data,
    filing_data,
    first_case,
    hearing_data,
    new_id,
    order_data,
    push_one,
    server_version,
    signed,
    stored,
    version_of,
)


def _rejected(result: dict[str, Any], *words: str) -> None:
    """Refused with ``words`` in the reason. (``current`` carries the server's record when
    the pusher may see it; the scope tests check that nothing leaks otherwise.)"""
    assert result["status"] == "rejected", result
    for word in words:
        assert word in result["error"], result["error"]


# --- applied ------------------------------------------------------------------------------


def test_clerk_reschedules_a_hearing(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    _, cursor = api.pull_all(tokens["clerk1"])
    moved = {**data, "starts_at": "2026-12-08T18:30:00Z"}

    new_version = applied(api, tokens["clerk1"], "hearing", moved, base_version=version)

    assert new_version > version
    changes, _ = api.pull_all(tokens["judge1"], cursor)
    pulled = by_entity(changes, "hearing")[data["id"]]
    assert pulled["version"] == new_version
    assert pulled["data"]["starts_at"] == "2026-12-08T18:30:00Z"


def test_a_replayed_push_is_answered_from_storage_and_applied_once(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    token = tokens["clerk1"]
    first = mutation("hearing", hearing_data(case["id"]))
    second = mutation("hearing", hearing_data(case["id"]))
    results = api.push(token, first, second)
    assert [r["status"] for r in results] == ["applied", "applied"]
    top = server_version(seeded_app)

    assert api.push(token, first, second) == results
    assert server_version(seeded_app) == top
    for m, result in zip((first, second), results, strict=True):
        assert version_of(seeded_app, "hearing", m["id"]) == result["version"]


def test_a_mutation_repeated_within_one_push_applies_once(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    # A hearing recorded as held issues no notice of hearing: its push takes one version.
    m = mutation("hearing", {**hearing_data(case["id"]), "status": "completed"})
    top = server_version(seeded_app)

    first, again = api.push(tokens["clerk1"], m, m)

    assert first["status"] == "applied" and again == first
    _one_version_taken(seeded_app, top, first["version"])


def test_a_stale_base_version_is_a_conflict_carrying_the_servers_record(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    theirs = {**data, "duration_minutes": 60}
    their_version = applied(api, tokens["clerk2"], "hearing", theirs, base_version=version)

    mine = {**data, "starts_at": "2026-12-09T16:00:00Z"}
    result = push_one(api, tokens["clerk1"], "hearing", mine, base_version=version)

    assert result["status"] == "conflict"
    assert result["current"]["version"] == their_version
    server_record = Hearing.model_validate(theirs).model_dump(mode="json")
    assert result["current"]["data"] == server_record
    assert stored(seeded_app, "hearing", data["id"]) == (server_record, their_version, False)


def test_judge_records_an_outcome(
    api: Api, tokens: TokenBook, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    outcome = {
        **data,
        "status": "adjourned",
        "adjournment_code": "02",
        "outcome": "Continued for respondent preparation.",
    }
    assert applied(api, tokens["judge1"], "hearing", outcome, base_version=version) > version


def test_case_follows_its_lifecycle(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    version = version_of(seeded_app, "case", case["id"])
    closed = push_one(
        api, tokens["clerk1"], "case", {**case, "status": "closed"}, base_version=version
    )
    _rejected(closed, "pending", "closed")
    assert closed["current"]["data"]["status"] == "pending"  # what the server holds
    assert closed["version"] == version

    decided = {**case, "status": "decided", "decided_on": "2026-11-27"}
    assert applied(api, tokens["clerk1"], "case", decided, base_version=version) > version


# --- rejected -----------------------------------------------------------------------------


def test_unknown_entity_is_rejected(api: Api, tokens: TokenBook) -> None:
    result = push_one(api, tokens["clerk1"], "widget", {"name": "x"})
    _rejected(result, "unknown entity", "widget")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"duration_minutes": "long"}, ("duration_minutes",)),
        ({"starts_at": None}, ("starts_at",)),
        ({"hearing_type": "tea_party"}, ("hearing_type",)),
        ({"surprise": 1}, ("surprise",)),
    ],
)
def test_invalid_hearing_data_is_rejected_naming_the_field(
    api: Api,
    tokens: TokenBook,
    case: dict[str, Any],
    change: dict[str, Any],
    words: tuple[str, ...],
) -> None:
    data = {**hearing_data(case["id"]), **change}
    _rejected(push_one(api, tokens["clerk1"], "hearing", data), "invalid data", *words)


def test_missing_field_and_bad_a_number_are_rejected(api: Api, tokens: TokenBook) -> None:
    missing = case_data(SFR)
    del missing["opened_on"]
    _rejected(push_one(api, tokens["clerk1"], "case", missing), "opened_on")
    bad = {**case_data(SFR), "a_number": "A12-34"}
    _rejected(push_one(api, tokens["clerk1"], "case", bad), "a_number")


def test_data_id_must_match_the_mutation_id(
    api: Api, tokens: TokenBook, case: dict[str, Any]
) -> None:
    m = mutation("hearing", hearing_data(case["id"]))
    m["data"]["id"] = new_id()
    (result,) = api.push(tokens["clerk1"], m)
    _rejected(result, "data.id")


def test_clerk_cannot_touch_another_courts_hearing_nor_learn_it(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    nyb_case = first_case(seeded_app, NYB)
    data = hearing_data(nyb_case, "NYB")
    version = applied(api, tokens["clerk3"], "hearing", data)

    edit = {**data, "starts_at": "2026-12-10T15:00:00Z"}
    result = push_one(api, tokens["clerk1"], "hearing", edit, base_version=version - 1)

    _rejected(result, "scope")
    # Only a bare tombstone of the id clerk1 sent: nothing of the record or its case.
    assert result["version"] is None
    assert result["current"] == {
        "entity": "hearing",
        "id": data["id"],
        "version": 0,
        "deleted": True,
        "data": {},
    }
    assert nyb_case not in str(result)
    assert version_of(seeded_app, "hearing", data["id"]) == version


def test_judge_cannot_reschedule(
    api: Api, tokens: TokenBook, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    moved = {**data, "starts_at": "2026-12-08T18:30:00Z"}
    result = push_one(api, tokens["judge1"], "hearing", moved, base_version=version)
    _rejected(result, "starts_at")


def test_document_without_its_bytes_is_rejected(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    data = {**document_data(seeded_app, case["id"]), "sha256": "ab" * 32}
    _rejected(push_one(api, tokens["clerk1"], "document", data), "missing_blobs")


def test_cases_and_documents_are_never_deleted(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    document = document_data(seeded_app, case["id"])
    doc_version = applied(api, tokens["clerk1"], "document", document)
    case_version = version_of(seeded_app, "case", case["id"])

    results = api.push(
        tokens["clerk1"],
        mutation("case", case, op="delete", base_version=case_version),
        mutation("document", document, op="delete", base_version=doc_version),
    )

    _rejected(results[0], "never deleted")
    _rejected(results[1], "never deleted")
    assert stored(seeded_app, "case", case["id"]) == (
        Case.model_validate(case).model_dump(mode="json"),
        case_version,
        False,
    )


# --- orders -------------------------------------------------------------------------------


@pytest.fixture
def draft(api: Api, tokens: TokenBook, case: dict[str, Any]) -> tuple[dict[str, Any], int]:
    data = order_data(case["id"], "judge1")
    return data, applied(api, tokens["judge1"], "order", data)


def test_a_signed_order_is_immutable(
    api: Api, tokens: TokenBook, draft: tuple[dict[str, Any], int]
) -> None:
    data, version = draft
    version = applied(api, tokens["judge1"], "order", signed(data, "judge1"), base_version=version)

    edited = {**signed(data, "judge1"), "body": "The respondent is granted asylum."}
    result = push_one(api, tokens["judge1"], "order", edited, base_version=version)
    _rejected(result, "immutable")


def test_a_clerk_cannot_sign(
    api: Api, tokens: TokenBook, draft: tuple[dict[str, Any], int]
) -> None:
    data, version = draft
    result = push_one(api, tokens["clerk1"], "order", signed(data, "clerk1"), base_version=version)
    _rejected(result, "judge")


@pytest.mark.parametrize("take_over", [False, True], ids=["as-is", "judge_id-rewritten"])
def test_another_judge_cannot_sign_the_order(
    api: Api, tokens: TokenBook, draft: tuple[dict[str, Any], int], take_over: bool
) -> None:
    data, version = draft
    order = signed(data, "judge2")
    if take_over:  # judge2 names itself the order's judge: still not the judge of the case
        order["judge_id"] = order["signed_by"]
    result = push_one(api, tokens["judge2"], "order", order, base_version=version)
    _rejected(result, "judge")


def test_eoir_staff_push_nothing_but_nationwide_reference_data(
    api: Api, tokens: TokenBook, case: dict[str, Any]
) -> None:
    # EOIR staff keep the adjournment codes every court uses (tests/server/
    # test_least_privilege.py); every other change of theirs is refused.
    [result] = api.push(tokens["eoir1"], mutation("hearing", hearing_data(case["id"])))
    _rejected(result, "read-only")


# --- a database refusal stays within its mutation -----------------------------------------


def test_a_database_refusal_rejects_only_its_own_mutation(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    duplicate_code = {**adjournment_code_data(), "code": "01"}  # unique in the database
    room = adjournment_code_data()  # another code, which applies
    top = server_version(seeded_app)

    refused, ok = api.push(
        tokens["eoir1"],  # adjournment codes are EOIR's (nationwide reference data)
        mutation("adjournment_code", duplicate_code),
        mutation("adjournment_code", room),
    )

    _rejected(refused, "database refused")
    assert ok["status"] == "applied"
    assert stored(seeded_app, "adjournment_code", duplicate_code["id"]) is None
    _one_version_taken(seeded_app, top, ok["version"])


def _one_version_taken(app: Flask, top: int, version: int) -> None:
    """Only ``version`` was written since ``top``; on SQLite versions stay dense, so it is
    the next one; on PostgreSQL a push's unused reserved versions stay gaps (db.py)."""
    with app.extensions["ecas"].factory() as session:
        written = sorted(
            int(v)
            for (v,) in session.execute(
                text(
                    "SELECT version FROM sync_record WHERE version > :top "
                    "UNION ALL SELECT version FROM sync_departure WHERE version > :top"
                ),
                {"top": top},
            )
        )
    assert written == [version]
    if is_postgres(app.extensions["ecas"].factory.kw["bind"]):
        assert server_version(app) >= version
    else:
        assert server_version(app) == top + 1 == version


@pytest.mark.parametrize(("field", "value"), [("kind", "k" * 120), ("page", 2**63)])
def test_a_value_the_database_cannot_hold_fails_only_its_mutation(
    api: Api, tokens: TokenBook, seeded_app: Flask, backend: str, field: str, value: object
) -> None:
    document = document_data(seeded_app, first_case(seeded_app, SFR))
    applied(api, tokens["clerk1"], "document", document)
    note = {**annotation_data(document, "clerk1"), field: value}

    results = api.push(
        tokens["clerk1"],
        mutation("annotation", note),
        mutation("hearing", hearing_data(document["case_id"])),
    )

    # The wire schema knows each column's limits, so the value is refused as invalid data
    # on both databases, before it reaches either; the rest of the push goes through.
    _rejected(results[0], "invalid data")
    assert results[1]["status"] == "applied"


# --- audit --------------------------------------------------------------------------------


def test_every_applied_change_is_audited_and_the_chain_holds(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    data, created = hearing
    updated = applied(
        api, tokens["clerk1"], "hearing", {**data, "duration_minutes": 45}, base_version=created
    )
    refused = push_one(
        api, tokens["judge1"], "hearing", {**data, "duration_minutes": 90}, base_version=updated
    )
    assert refused["status"] == "rejected"

    with seeded_app.extensions["ecas"].factory() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.record_id == data["id"]).order_by(AuditEntry.seq)
        ).all()
        # The refused change is recorded as a refusal (judge1's), never as a change.
        *changes, refusal = entries
        assert [(e.action, e.detail["version"]) for e in changes] == [
            ("record.create", created),
            ("record.update", updated),
        ]
        assert {e.actor_id for e in changes} == {user_id("clerk1")}
        assert changes[1].detail["data"]["duration_minutes"] == 45
        assert (refusal.action, refusal.actor_id) == ("sync.mutation_refused", user_id("judge1"))
        assert refusal.detail["reason"] == refused["error"]
        assert audit.verify_chain(session).ok


def test_a_document_may_name_only_bytes_its_pusher_uploaded(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """Knowing a document's SHA-256 must not be a way to read it: an attorney filing a
    document that names someone else's bytes is refused as if the bytes were missing."""
    case = a_case_of(seeded_app, "attorney1")
    pdf = pymupdf.open()
    pdf.new_page().insert_text((72, 72), f"Sealed exhibit {uuid.uuid4()}")
    body = pdf.tobytes()
    sha = hashlib.sha256(body).hexdigest()
    clerk = api.headers(tokens["clerk2"])
    start = api.client.post(
        "/api/v1/blobs/uploads", headers=clerk, json={"sha256": sha, "size": len(body)}
    ).get_json()
    api.client.patch(
        f"/api/v1/blobs/uploads/{start['upload_id']}",
        data=body,
        headers={**clerk, "Upload-Offset": "0"},
    )
    data = {
        **document_data(seeded_app, case, filer="attorney1", status="pending"),
        "sha256": sha,
        "size": len(body),
    }  # clerk2's bytes, never uploaded by attorney1
    _rejected(push_one(api, tokens["attorney1"], "document", data), "missing_blobs")


# --- cross-record consistency -------------------------------------------------------------


def test_a_case_can_only_be_assigned_a_judge_of_its_court(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    version = version_of(seeded_app, "case", case["id"])
    other_court = {**case, "judge_id": user_id("judge3")}  # judge3 sits in New York
    result = push_one(api, tokens["clerk1"], "case", other_court, base_version=version)
    _rejected(result, "judge of the case's court")


def test_a_hearing_needs_a_courtroom_and_judge_of_its_court(
    api: Api, tokens: TokenBook, case: dict[str, Any]
) -> None:
    elsewhere = hearing_data(case["id"], court_code="NYB")  # a New York courtroom
    _rejected(push_one(api, tokens["clerk1"], "hearing", elsewhere), "courtroom")
    wrong_judge = {**hearing_data(case["id"]), "judge_id": user_id("judge5")}
    _rejected(push_one(api, tokens["clerk1"], "hearing", wrong_judge), "judge")


def test_an_adjournment_needs_a_code_from_the_catalogue(
    api: Api, tokens: TokenBook, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    made_up = {**data, "status": "adjourned", "adjournment_code": "ZZ"}
    _rejected(
        push_one(api, tokens["clerk1"], "hearing", made_up, base_version=version),
        "not a current adjournment code",
    )
    real = {**data, "status": "adjourned", "adjournment_code": "02"}
    assert (
        push_one(api, tokens["clerk1"], "hearing", real, base_version=version)["status"]
        == "applied"
    )


def test_a_filing_must_name_its_cases_court(api: Api, tokens: TokenBook, seeded_app: Flask) -> None:
    case = a_case_of(seeded_app, "attorney1")  # an SFR case
    misdirected = filing_data(case, NYB, "attorney1")
    _rejected(push_one(api, tokens["attorney1"], "filing", misdirected), "another court")


def test_a_judge_drafts_only_their_own_orders(
    api: Api, tokens: TokenBook, draft: tuple[dict[str, Any], int]
) -> None:
    data, version = draft  # judge1's draft
    edited = {**data, "body": "Rewritten by a colleague."}
    _rejected(push_one(api, tokens["judge2"], "order", edited, base_version=version), "own orders")
