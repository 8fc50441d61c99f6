"""Bond hearings and bond orders live in the bond case (8 CFR 1003.19(d): the bond
proceedings are separate from the removal proceedings, with their own record), and a bond
order states the bond record it decides: through the real push, on both databases.

- a new bond hearing or bond order in a removal case is refused, with where it belongs;
  one held there before bond cases stays readable and can still be moved;
- the judge decides by signing: the decision goes into the docketed request in the same
  group as the signed order, and a signed order that tells another story than the bond
  record (DHS's bond, the request, the decision) is refused, with nothing kept.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from common.bonds import decided_by_order
from common.enums import BondDetermination, OrderStatus, Party
from common.orders import new_draft, template_for
from common.wire import Bond, Hearing
from sync_server.models import BondRow, HearingRow, OrderRow
from sync_server.services.orders import facts_from_db
from sync_server.services.records import SessionLookups, write_record
from tests.conftest import Api, mutation, seeded_server_app, user_id
from tests.orders.helpers import COMPLETE_FIELDS, SIGNED_AT, TODAY
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    case_data,
    hearing_data,
    push_one,
    version_of,
)


@pytest.fixture(scope="module")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with seeded_server_app(
        backend, tmp_path_factory.mktemp(f"bondorder-{backend}"), cases=3
    ) as app:
        yield app


@pytest.fixture(scope="module")
def book(app: Flask) -> TokenBook:
    return TokenBook(Api(app.test_client()))


@pytest.fixture
def client(app: Flask) -> Api:
    return Api(app.test_client())


def _removal_and_bond_case(client: Api, clerk: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A detained respondent's removal case before judge1 and the bond case linked to it."""
    digits = f"5{random.randrange(10**8):08d}"
    removal = case_data(SFR, judge="judge1") | {"a_number": digits, "custody": "detained"}
    applied(client, clerk, "case", removal)
    bond_case = case_data(SFR, judge="judge1") | {
        "a_number": digits,
        "custody": "detained",
        "case_type": "bond",
        "removal_case_id": removal["id"],
    }
    applied(client, clerk, "case", bond_case)
    return removal, bond_case


def _request(client: Api, clerk: str, case_id: str) -> tuple[Bond, int]:
    """The request the complete bond order decides: DHS set $15,000; the respondent asked
    on November 20 for $3,000."""
    request = Bond(
        id=str(uuid.uuid4()),
        case_id=case_id,
        dhs_determination=BondDetermination.AMOUNT,
        dhs_amount=15_000,
        requested_on=date(2026, 11, 20),
        requested_by=Party.RESPONDENT,
        requested_amount=3_000,
    )
    return request, applied(client, clerk, "bond", request.model_dump(mode="json"))


def _draft(app: Flask, case_id: str, **fields: Any) -> dict[str, Any]:
    with app.extensions["ecas"].factory() as session:
        facts = facts_from_db(session, case_id)
    draft = new_draft(template_for("bond_order"), facts, user_id("judge1"), TODAY)
    return draft.model_dump(mode="json") | {"fields": COMPLETE_FIELDS["bond_order"] | fields}


def _signed(order: dict[str, Any]) -> dict[str, Any]:
    return order | {
        "status": OrderStatus.SIGNED.value,
        "signed_at": SIGNED_AT.isoformat(),
        "signed_by": user_id("judge1"),
    }


def _group(*changes: dict[str, Any]) -> list[dict[str, Any]]:
    group = str(uuid.uuid4())
    return [change | {"group": group} for change in changes]


def test_a_new_bond_hearing_in_a_removal_case_is_refused_and_scheduled_in_the_bond_case(
    client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    digits = f"5{random.randrange(10**8):08d}"
    removal = case_data(SFR, judge="judge1") | {"a_number": digits, "custody": "detained"}
    applied(client, clerk, "case", removal)
    hearing = hearing_data(removal["id"]) | {"hearing_type": "bond", "medium": "video"}
    refused = push_one(client, clerk, "hearing", hearing)
    assert refused["status"] == "rejected"
    assert "1003.19(d)" in refused["error"] and "bond case" in refused["error"]
    # A master hearing in the removal case is fine, and can't be turned into a bond hearing.
    master = hearing_data(removal["id"])
    version = applied(client, clerk, "hearing", master)
    turned = push_one(
        client, clerk, "hearing", master | {"hearing_type": "bond"}, base_version=version
    )
    assert turned["status"] == "rejected" and "bond case" in turned["error"]

    # What the desktop saves instead: the bond case, opened and linked, with the hearing, as
    # one group.
    bond_case = case_data(SFR, judge="judge1") | {
        "a_number": digits,
        "custody": "detained",
        "case_type": "bond",
        "removal_case_id": removal["id"],
    }
    answers = client.push(
        clerk,
        *_group(
            mutation("case", bond_case),
            mutation("hearing", hearing | {"case_id": bond_case["id"]}),
        ),
    )
    assert [a["status"] for a in answers] == ["applied", "applied"], answers
    # Now that one is linked, the refusal says so.
    again = push_one(
        client, clerk, "hearing", hearing_data(removal["id"]) | {"hearing_type": "bond"}
    )
    assert again["status"] == "rejected" and "its linked bond case" in again["error"]


def test_a_bond_case_is_opened_linked_only_to_the_same_respondents_removal_case(
    client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    removal = case_data(SFR, judge="judge1")
    applied(client, clerk, "case", removal)
    stranger = case_data(SFR, judge="judge1") | {
        "case_type": "bond",
        "removal_case_id": removal["id"],  # another A-number
    }
    refused = push_one(client, clerk, "case", stranger)
    assert refused["status"] == "rejected" and "another respondent" in refused["error"]


def test_a_bond_hearing_held_in_a_removal_case_before_bond_cases_stays_and_can_be_moved(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    removal = case_data(SFR, judge="judge1") | {"custody": "detained"}
    applied(client, clerk, "case", removal)
    # Written as the server kept it before this rule (no push would make it now).
    old = Hearing.model_validate(
        hearing_data(removal["id"]) | {"hearing_type": "bond", "medium": "video"}
    )
    with app.extensions["ecas"].factory() as session, session.begin():
        write_record(session, old, lookups=SessionLookups(session))
    moved = old.model_dump(mode="json") | {"starts_at": "2026-12-08T17:00:00Z"}
    applied(client, clerk, "hearing", moved, base_version=version_of(app, "hearing", old.id))
    with app.extensions["ecas"].factory() as session:
        row = session.get(HearingRow, old.id)
        assert row is not None and row.case_id == removal["id"] and row.hearing_type == "bond"


def test_a_bond_order_in_a_removal_case_is_refused_pointing_to_the_bond_case(
    app: Flask, client: Api, book: TokenBook
) -> None:
    removal, _ = _removal_and_bond_case(client, book["clerk1"])
    refused = push_one(client, book["judge1"], "order", _draft(app, removal["id"]))
    assert refused["status"] == "rejected"
    assert "bond proceedings" in refused["error"] and "its linked bond case" in refused["error"]


def test_signing_a_bond_order_records_its_decision_in_the_bond_record_once(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk, judge = book["clerk1"], book["judge1"]
    _, bond_case = _removal_and_bond_case(client, clerk)
    request, version = _request(client, clerk, bond_case["id"])
    draft = _draft(app, bond_case["id"])
    made = applied(client, judge, "order", draft)
    signed = _signed(draft)
    decision = decided_by_order(request, signed["fields"], user_id("judge1"))
    answers = client.push(
        judge,
        *_group(
            mutation("bond", decision.model_dump(mode="json"), base_version=version),
            mutation("order", signed, base_version=made),
        ),
    )
    assert [a["status"] for a in answers] == ["applied", "applied"], answers
    with app.extensions["ecas"].factory() as session:
        bond = session.get(BondRow, request.id)
        order = session.get(OrderRow, draft["id"])
        assert bond is not None and order is not None
        assert (bond.outcome, bond.amount, bond.decided_on) == (
            "lowered",
            7_500,
            date(2026, 11, 27),
        )
        assert bond.judge_id == user_id("judge1") and order.status == "issued"

    # A later request on changed circumstances (8 CFR 1003.19(e)) is docketed; correcting
    # the first order (its conditions) states the decision it corrects and decides nothing.
    later = request.model_copy(
        update={
            "id": str(uuid.uuid4()),
            "requested_on": date(2026, 11, 30),
            "prior_bond_id": request.id,
            "changed_circumstances": "A sponsor now offers a home in San Jose.",
        }
    )
    applied(client, clerk, "bond", later.model_dump(mode="json"))
    correction = _signed(draft) | {
        "id": str(uuid.uuid4()),
        "corrects_order_id": draft["id"],
        "fields": signed["fields"] | {"conditions": "Report to ICE every two weeks."},
    }
    [answer] = client.push(judge, mutation("order", correction))
    assert answer["status"] == "applied", answer
    with app.extensions["ecas"].factory() as session:
        assert session.scalar(select(BondRow.outcome).where(BondRow.id == later.id)) is None


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        # The record was left undecided: the order alone decides nothing.
        ({}, "does not hold this decision"),
        # DHS's bond as the record has it, not as the order was typed.
        ({"dhs_amount": "20000"}, "DHS's bond is $15,000"),
        ({"requested_on": "2026-11-21"}, "the day the request was received is November 20"),
    ],
)
def test_a_signed_bond_order_that_disagrees_with_the_bond_record_is_refused(
    app: Flask, client: Api, book: TokenBook, fields: dict[str, Any], says: str
) -> None:
    clerk, judge = book["clerk1"], book["judge1"]
    _, bond_case = _removal_and_bond_case(client, clerk)
    request, version = _request(client, clerk, bond_case["id"])
    draft = _draft(app, bond_case["id"], **fields)
    made = applied(client, judge, "order", draft)
    signed = _signed(draft)
    changes = [mutation("order", signed, base_version=made)]
    if fields:  # the group records a lawful decision, but the order states other facts
        decision = decided_by_order(request, COMPLETE_FIELDS["bond_order"], user_id("judge1"))
        changes = _group(
            mutation("bond", decision.model_dump(mode="json"), base_version=version), *changes
        )
    answers = client.push(judge, *changes)
    assert answers[-1]["status"] == "rejected" and says in answers[-1]["error"], answers
    with app.extensions["ecas"].factory() as session:
        bond = session.get(BondRow, request.id)
        assert bond is not None and bond.outcome is None  # the group kept nothing
        order = session.get(OrderRow, draft["id"])
        assert order is not None and order.status == "draft"


def test_a_bond_order_deciding_against_the_bond_in_effect_is_refused_with_the_reason(
    app: Flask, client: Api, book: TokenBook
) -> None:
    """A 'lowered' bond above DHS's $15,000: the record's check (common.bonds) refuses
    the decision, so the group, the order with it, is refused."""
    clerk, judge = book["clerk1"], book["judge1"]
    _, bond_case = _removal_and_bond_case(client, clerk)
    request, version = _request(client, clerk, bond_case["id"])
    draft = _draft(app, bond_case["id"], amount="20000")
    made = applied(client, judge, "order", draft)
    signed = _signed(draft)
    decision = decided_by_order(request, signed["fields"], user_id("judge1"))
    answers = client.push(
        judge,
        *_group(
            mutation("bond", decision.model_dump(mode="json"), base_version=version),
            mutation("order", signed, base_version=made),
        ),
    )
    assert "less than the $15,000 in effect" in answers[0]["error"], answers
    with app.extensions["ecas"].factory() as session:
        assert session.scalar(select(BondRow.outcome).where(BondRow.id == request.id)) is None
