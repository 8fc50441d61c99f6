"""A mutation id names one payload, and edits that belong together land together.

A client that retries a push whose answer was lost gets the stored answer, but only for the
same content: a replay carrying other data is refused and audited. Mutations that share a
``group`` (a bench ruling: the signed order and the adjourned hearing) are applied all or
nothing, each member answered with the reason.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from sync_server.models import AuditEntry
from tests.conftest import Api, mutation
from tests.server.sync_helpers import (
    TokenBook,
    applied,
    hearing_data,
    order_data,
    signed,
    stored,
    version_of,
)


def _grouped(*mutations: dict[str, Any]) -> list[dict[str, Any]]:
    group = str(uuid.uuid4())
    return [{**m, "group": group} for m in mutations]


def test_a_retried_push_with_the_same_content_is_answered_once_and_applied_once(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    moved = mutation("hearing", {**data, "duration_minutes": 45}, base_version=version)
    (first,) = api.push(tokens["clerk1"], moved)
    (again,) = api.push(tokens["clerk1"], moved)
    assert first["status"] == "applied" and again == first
    assert version_of(seeded_app, "hearing", data["id"]) == first["version"]


def test_a_reused_mutation_id_with_newer_data_is_refused_not_answered_applied(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    """The defect behind silently lost edits: the client sent an edit, lost the answer,
    then resent newer data under the same id and was told "applied"."""
    data, version = hearing
    sent = mutation("hearing", {**data, "duration_minutes": 45}, base_version=version)
    (first,) = api.push(tokens["clerk1"], sent)
    newer = {**sent, "data": {**sent["data"], "duration_minutes": 90}}
    (replay,) = api.push(tokens["clerk1"], newer)

    assert first["status"] == "applied"
    assert replay["status"] == "rejected"
    assert replay["error"] == "mutation id reused with different content"
    server, _, _ = stored(seeded_app, "hearing", data["id"]) or ({}, 0, False)
    assert server["duration_minutes"] == 45  # what was applied, and nothing else
    with seeded_app.extensions["ecas"].factory() as session:
        reuse = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "sync.mutation_reused", AuditEntry.record_id == data["id"]
            )
        ).all()
    assert [e.detail["mutation_id"] for e in reuse] == [sent["mutation_id"]]


def test_a_bench_ruling_lands_whole_the_signed_order_and_the_adjourned_hearing(
    api: Api,
    tokens: TokenBook,
    seeded_app: Flask,
    case: dict[str, Any],
    hearing: tuple[dict[str, Any], int],
) -> None:
    data, version = hearing
    order = signed(order_data(case["id"], "judge1"), "judge1")
    adjourned = {**data, "status": "adjourned", "adjournment_code": "01"}
    results = api.push(
        tokens["judge1"],
        *_grouped(mutation("order", order), mutation("hearing", adjourned, base_version=version)),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert stored(seeded_app, "order", order["id"]) is not None
    assert (stored(seeded_app, "hearing", data["id"]) or ({},))[0]["status"] == "adjourned"


def test_one_refused_member_refuses_the_whole_group_with_the_reason_on_each(
    api: Api,
    tokens: TokenBook,
    seeded_app: Flask,
    case: dict[str, Any],
    hearing: tuple[dict[str, Any], int],
) -> None:
    """The hearing changed on the server meanwhile: the hearing conflicts, so the signed
    order that goes with it is not issued either."""
    data, version = hearing
    applied(
        api, tokens["clerk1"], "hearing", {**data, "duration_minutes": 60}, base_version=version
    )
    order = signed(order_data(case["id"], "judge1"), "judge1")
    adjourned = {**data, "status": "adjourned", "adjournment_code": "01"}
    before = version_of(seeded_app, "hearing", data["id"])

    order_result, hearing_result = api.push(
        tokens["judge1"],
        *_grouped(mutation("order", order), mutation("hearing", adjourned, base_version=version)),
    )

    assert hearing_result["status"] == "conflict"
    assert hearing_result["current"]["data"]["duration_minutes"] == 60
    assert order_result["status"] == "rejected"
    assert f"hearing {data['id']}" in order_result["error"]
    assert "conflict" in order_result["error"]
    assert stored(seeded_app, "order", order["id"]) is None  # not issued, no document
    assert version_of(seeded_app, "hearing", data["id"]) == before


def test_a_replayed_group_is_answered_from_what_was_stored(
    api: Api,
    tokens: TokenBook,
    case: dict[str, Any],
    hearing: tuple[dict[str, Any], int],
) -> None:
    data, version = hearing
    members = _grouped(
        mutation("order", signed(order_data(case["id"], "judge1"), "judge1")),
        mutation(
            "hearing",
            {**data, "status": "adjourned", "adjournment_code": "01"},
            base_version=version,
        ),
    )
    first = api.push(tokens["judge1"], *members)
    again = api.push(tokens["judge1"], *members)
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert again == first


def test_a_push_without_groups_still_applies_each_mutation_on_its_own(
    api: Api, tokens: TokenBook, case: dict[str, Any], hearing: tuple[dict[str, Any], int]
) -> None:
    """Older clients send no ``group``: a refused mutation leaves the others applied."""
    data, version = hearing
    results = api.push(
        tokens["clerk1"],
        mutation("hearing", {**data, "duration_minutes": 50}, base_version=version),
        mutation("hearing", {**hearing_data(case["id"]), "duration_minutes": -5}),
    )
    assert [r["status"] for r in results] == ["applied", "rejected"]


def test_a_member_refused_for_its_group_comes_back_with_what_the_server_holds(
    api: Api,
    tokens: TokenBook,
    seeded_app: Flask,
    case: dict[str, Any],
    hearing: tuple[dict[str, Any], int],
) -> None:
    """So the client shows the server's record, not a copy that aged while it waited."""
    first, first_version = hearing
    second = hearing_data(case["id"])
    second_version = applied(api, tokens["clerk1"], "hearing", second)
    applied(
        api,
        tokens["clerk1"],
        "hearing",
        {**second, "duration_minutes": 60},
        base_version=second_version,
    )

    kept, culprit = api.push(
        tokens["clerk1"],
        *_grouped(
            mutation("hearing", {**first, "duration_minutes": 20}, base_version=first_version),
            mutation("hearing", {**second, "duration_minutes": 25}, base_version=second_version),
        ),
    )

    assert culprit["status"] == "conflict"
    assert kept["status"] == "rejected" and "belongs with" in kept["error"]
    assert kept["current"]["data"]["duration_minutes"] == first["duration_minutes"]
    assert kept["version"] == first_version == version_of(seeded_app, "hearing", first["id"])
