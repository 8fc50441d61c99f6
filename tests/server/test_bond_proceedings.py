"""Bond proceedings as their own record (8 CFR 1003.19; ICPM 9.3), end to end through the
server: a bond heard before any notice to appear, linked to the removal case when the
notice arrives; who writes what; the checks on a redetermination (the outcome against the
bond in effect, the material change a later request needs, DHS's EOIR-43)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from sync_server.models import AuditEntry, CaseRow
from tests.conftest import Api, mutation, seeded_server_app, user_id
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    by_entity,
    case_data,
    hearing_data,
    new_id,
    push_one,
    representation_data,
    version_of,
)


@pytest.fixture(scope="module")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A small seeded server of this module's own: links and scope changes here reset
    other readers' pulls, which tests sharing the seeded server should not see."""
    with seeded_server_app(backend, tmp_path_factory.mktemp(f"bond-{backend}"), cases=3) as app:
        yield app


@pytest.fixture(scope="module")
def book(app: Flask) -> TokenBook:
    return TokenBook(Api(app.test_client()))


@pytest.fixture
def client(app: Flask) -> Api:
    return Api(app.test_client())


def bond_case_data(a_number: str, *, removal_case_id: str | None = None) -> dict[str, Any]:
    """A detained respondent's bond case at SFR before judge1."""
    return case_data(SFR, judge="judge1") | {
        "a_number": a_number,
        "case_type": "bond",
        "custody": "detained",
        "removal_case_id": removal_case_id,
    }


def bond_data(case_id: str, **overrides: Any) -> dict[str, Any]:
    """A request docketed by the clerk: DHS set $15,000; counsel asks for $5,000."""
    return {
        "id": new_id(),
        "case_id": case_id,
        "dhs_determination": "amount",
        "dhs_amount": 15_000,
        "requested_on": "2026-11-23",
        "requested_by": "respondent",
        "requested_amount": 5_000,
    } | overrides


def decided(bond: dict[str, Any], outcome: str, amount: int | None, on: str) -> dict[str, Any]:
    return bond | {
        "outcome": outcome,
        "amount": amount,
        "decided_on": on,
        "judge_id": user_id("judge1"),
    }


def a_number() -> str:
    return f"2{random.randrange(10**8):08d}"


def _case_ids(changes: list[dict[str, Any]]) -> set[str]:
    """The cases a pull brought, and the cases of the records it brought."""
    ids = {c["id"] for c in changes if c["entity"] == "case" and not c["deleted"]}
    return ids | {
        c["data"]["case_id"]
        for c in changes
        if c["entity"] not in ("representation",) and "case_id" in c["data"] and not c["deleted"]
    }


def test_a_bond_heard_before_the_nta_is_linked_when_it_arrives_and_custody_counsel_reads_only_it(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk, judge, dhs = book["clerk1"], book["judge1"], book["dhs1"]
    digits = a_number()
    # No notice to appear yet: the court hears the bond first (8 CFR 1003.19(c)-(d)).
    bond_case = bond_case_data(digits)
    applied(client, clerk, "case", bond_case)
    counsel = representation_data(bond_case["id"], "attorney1", status="accepted")
    counsel["scope"] = "custody_and_bond_only"
    applied(client, clerk, "representation", counsel)
    hearing = hearing_data(bond_case["id"]) | {"hearing_type": "bond", "medium": "video"}
    applied(client, clerk, "hearing", hearing)
    request = bond_data(
        bond_case["id"],
        requested_by="practitioner",
        requester_id=user_id("attorney1"),
        hearing_id=hearing["id"],
    )
    version = applied(client, clerk, "bond", request)
    version = applied(
        client,
        judge,
        "bond",
        decided(request, "lowered", 7_500, "2026-11-30"),
        base_version=version,
    )

    lawyer = client.login("attorney1")
    before, cursor = client.pull_all(lawyer)
    assert by_entity(before, "bond")[request["id"]]["data"]["amount"] == 7_500
    assert bond_case["id"] in by_entity(before, "case")

    # The notice to appear arrives: DHS opens the removal case, which links the bond case.
    removal = case_data(SFR, status="opened") | {"a_number": digits, "custody": "detained"}
    applied(client, dhs, "case", removal)
    with app.extensions["ecas"].factory() as session:
        row = session.get(CaseRow, bond_case["id"])
        assert row is not None and row.removal_case_id == removal["id"]
        [entry] = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == bond_case["id"], AuditEntry.actor_id == user_id("dhs1")
            )
        ).all()
        assert entry.detail["changed"] == ["removal_case_id"]

    # Bond counsel (custody and bond only) sees the link on the bond case, never the
    # removal case: not in the next pull, not in a pull from zero.
    after, _ = client.pull_all(lawyer, cursor)
    linked = by_entity(after, "case")
    assert linked[bond_case["id"]]["data"]["removal_case_id"] == removal["id"]
    assert removal["id"] not in _case_ids(after)
    everything, _ = client.pull_all(lawyer)
    assert bond_case["id"] in _case_ids(everything)
    assert removal["id"] not in _case_ids(everything)
    response = client.client.get(
        f"/api/v1/cases/{removal['id']}/history", headers=client.headers(lawyer)
    )
    assert response.status_code in (403, 404)

    # Counsel for all proceedings, appearing in the removal case, reads both; counsel for
    # all but custody and bond reads the removal case alone.
    whole = representation_data(removal["id"], "attorney2", status="accepted")
    applied(client, clerk, "representation", whole)
    both = _case_ids(client.pull_all(client.login("attorney2"))[0])
    assert {removal["id"], bond_case["id"]} <= both
    applied(
        client,
        clerk,
        "representation",
        whole | {"scope": "all_except_custody_and_bond"},
        base_version=version_of(app, "representation", whole["id"]),
    )
    main_only = _case_ids(client.pull_all(client.login("attorney2"))[0])
    assert removal["id"] in main_only and bond_case["id"] not in main_only


def test_the_clerk_links_a_bond_case_later_to_the_same_respondents_removal_case_only(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    digits = a_number()
    removal = case_data(SFR, judge="judge1") | {"a_number": digits}
    removal_version = applied(client, clerk, "case", removal)
    # A bond case opened after the removal case is linked by the clerk.
    bond_case = bond_case_data(digits)
    version = applied(client, clerk, "case", bond_case)
    other = case_data(SFR) | {"a_number": a_number()}
    applied(client, clerk, "case", other)
    wrong = push_one(
        client, clerk, "case", bond_case | {"removal_case_id": other["id"]}, base_version=version
    )
    assert wrong["status"] == "rejected" and "another respondent" in wrong["error"]
    to_bond = push_one(
        client,
        clerk,
        "case",
        removal | {"removal_case_id": bond_case["id"]},
        base_version=removal_version,
    )
    assert to_bond["status"] == "rejected" and "only a bond case" in to_bond["error"]
    applied(
        client, clerk, "case", bond_case | {"removal_case_id": removal["id"]}, base_version=version
    )


def test_a_redetermination_is_recorded_in_the_bond_case_only(client: Api, book: TokenBook) -> None:
    clerk = book["clerk1"]
    removal = case_data(SFR, judge="judge1")
    applied(client, clerk, "case", removal)
    refused = push_one(client, clerk, "bond", bond_data(removal["id"]))
    assert refused["status"] == "rejected"
    assert "separate from the removal proceedings (8 CFR 1003.19(d))" in refused["error"]


def test_each_party_writes_only_its_part_of_a_redetermination(client: Api, book: TokenBook) -> None:
    clerk, judge, dhs = book["clerk1"], book["judge1"], book["dhs1"]
    bond_case = bond_case_data(a_number())
    applied(client, clerk, "case", bond_case)
    request = bond_data(bond_case["id"])
    lawyer = client.login("attorney1")
    assert push_one(client, lawyer, "bond", request)["status"] == "rejected"
    assert push_one(client, judge, "bond", request)["status"] == "rejected"  # the clerk dockets
    version = applied(client, clerk, "bond", request)

    outcome = decided(request, "recognizance", None, "2026-11-30")
    by_clerk = push_one(client, clerk, "bond", outcome, base_version=version)
    assert by_clerk["status"] == "rejected" and "decision is the judge's" in by_clerk["error"]
    by_dhs = push_one(client, dhs, "bond", outcome, base_version=version)
    assert by_dhs["status"] == "rejected" and "EOIR-43" in by_dhs["error"]
    # DHS states its determination before the decision: held without bond.
    no_bond = request | {"dhs_determination": "no_bond", "dhs_amount": None}
    version = applied(client, dhs, "bond", no_bond, base_version=version)
    version = applied(
        client,
        judge,
        "bond",
        decided(no_bond, "recognizance", None, "2026-11-30"),
        base_version=version,
    )
    again = push_one(
        client,
        judge,
        "bond",
        decided(no_bond, "no_change", None, "2026-11-30"),
        base_version=version,
    )
    assert again["status"] == "rejected" and "decision is made" in again["error"]
    deleted = client.push(
        clerk, mutation("bond", {}, op="delete", record_id=request["id"], base_version=version)
    )
    assert deleted[0]["status"] == "rejected"


@pytest.mark.parametrize(
    ("dhs", "outcome", "amount", "reason"),
    [
        ({"dhs_amount": 15_000}, "lowered", 20_000, "must be less than the $15,000 in effect"),
        ({"dhs_amount": 15_000}, "raised", 12_000, "must be more than the $15,000 in effect"),
        ({"dhs_determination": "no_bond", "dhs_amount": None}, "raised", 9_000, "no bond to raise"),
        ({"dhs_amount": 15_000}, "lowered", None, "give the new bond amount"),
        ({"dhs_amount": 15_000}, "recognizance", 1_000, "sets no new amount"),
    ],
)
def test_an_outcome_that_contradicts_the_bond_in_effect_is_refused_with_the_reason(
    client: Api,
    book: TokenBook,
    dhs: dict[str, Any],
    outcome: str,
    amount: int | None,
    reason: str,
) -> None:
    clerk = book["clerk1"]
    bond_case = bond_case_data(a_number())
    applied(client, clerk, "case", bond_case)
    request = bond_data(bond_case["id"], **dhs)
    version = applied(client, clerk, "bond", request)
    answer = push_one(
        client,
        book["judge1"],
        "bond",
        decided(request, outcome, amount, "2026-11-30"),
        base_version=version,
    )
    assert answer["status"] == "rejected" and reason in answer["error"], answer


def test_a_later_request_without_a_material_change_of_circumstances_is_refused(
    client: Api, book: TokenBook
) -> None:
    clerk, judge = book["clerk1"], book["judge1"]
    bond_case = bond_case_data(a_number())
    applied(client, clerk, "case", bond_case)
    first = bond_data(bond_case["id"])
    version = applied(client, clerk, "bond", first)
    applied(
        client, judge, "bond", decided(first, "no_change", None, "2026-11-24"), base_version=version
    )

    later = bond_data(bond_case["id"], requested_on="2026-11-26", prior_bond_id=first["id"])
    refused = push_one(client, clerk, "bond", later)
    assert refused["status"] == "rejected"
    assert (
        "changed materially since the prior redetermination (8 CFR 1003.19(e))"
        in (refused["error"])
    )
    unnamed = later | {"prior_bond_id": None, "changed_circumstances": "New employment."}
    refused = push_one(client, clerk, "bond", unnamed)
    assert refused["status"] == "rejected" and "names the prior redetermination" in refused["error"]
    stated = later | {
        "changed_circumstances": "The respondent's U.S. citizen child was born; a sponsor "
        "now offers housing."
    }
    version = applied(client, clerk, "bond", stated)
    # Against the bond then in effect (DHS's $15,000 stood), $10,000 is lower.
    applied(
        client,
        judge,
        "bond",
        decided(stated, "lowered", 10_000, "2026-11-27"),
        base_version=version,
    )


def test_the_automatic_stay_is_refused_late_or_below_the_threshold_and_recorded_in_time(
    client: Api, book: TokenBook
) -> None:
    clerk, judge, dhs = book["clerk1"], book["judge1"], book["dhs1"]
    bond_case = bond_case_data(a_number())
    applied(client, clerk, "case", bond_case)

    def decided_request(**dhs_set: Any) -> tuple[dict[str, Any], int]:
        request = bond_data(bond_case["id"], requested_on="2026-12-20", **dhs_set)
        version = applied(client, clerk, "bond", request)
        # Thursday, December 24, 2026: the next business day is Monday the 28th (the 25th
        # is Christmas Day, a legal holiday; the 26th and 27th a weekend).
        outcome = decided(request, "lowered", 3_000, "2026-12-24")
        return outcome, applied(client, judge, "bond", outcome, base_version=version)

    low, version = decided_request(dhs_amount=8_000)
    refused = push_one(
        client, dhs, "bond", low | {"stay_filed_on": "2026-12-24"}, base_version=version
    )
    assert refused["status"] == "rejected"
    assert "$10,000 or more" in refused["error"] and "1003.19(i)(2)" in refused["error"]

    high, version = decided_request(dhs_amount=25_000)
    late = push_one(
        client, dhs, "bond", high | {"stay_filed_on": "2026-12-29"}, base_version=version
    )
    assert late["status"] == "rejected"
    assert "due by December 28, 2026" in late["error"], late
    version = applied(
        client, dhs, "bond", high | {"stay_filed_on": "2026-12-28"}, base_version=version
    )
    changed = push_one(
        client, dhs, "bond", high | {"stay_filed_on": "2026-12-24"}, base_version=version
    )
    assert changed["status"] == "rejected" and "not changed" in changed["error"]
