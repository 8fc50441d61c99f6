"""Counsel changes (issue 13 item 4), through the real push and pull on both databases.

Leave to withdraw is the judge's (8 CFR 1003.17(b); ICPM 4.4(d)); a substitution comes
with the new counsel's EOIR-28 and ends the prior appearance (EOIR Policy Manual 5.4(a)).
No appearance is deleted: it ends as withdrawn or substituted with the date, the judge and
the successor. Former counsel loses the case on their next pull, a tombstone for each of
its records; the respondent without counsel is served at the address of record; after a
substitution the new counsel is served and the former is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from common.enums import OrderStatus
from common.orders import new_draft, template_for
from common.protocol import Change
from desktop.local_store import LocalStore
from sync_server.models import OrderRow, ServiceRecordRow
from sync_server.services.orders import facts_from_db
from tests.conftest import Api, mutation, seeded_server_app, user_id
from tests.orders.helpers import COMPLETE_FIELDS, SIGNED_AT, TODAY
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    case_data,
    document_data,
    hearing_data,
    new_id,
    representation_data,
    stored,
    version_of,
)
from tests.server.test_motions import _push_group, _ruling

JUDGE = "judge1"


@pytest.fixture(scope="module")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with seeded_server_app(backend, tmp_path_factory.mktemp(f"counsel-{backend}"), cases=3) as app:
        yield app


@pytest.fixture(scope="module")
def book(app: Flask) -> TokenBook:
    return TokenBook(Api(app.test_client()))


@pytest.fixture
def client(app: Flask) -> Api:
    return Api(app.test_client())


def _represented_case(app: Flask, client: Api, clerk: str, counsel: str) -> dict[str, str]:
    """A case before JUDGE with an address of record, a hearing, an accepted document and
    ``counsel``'s accepted appearance. Returns the ids by name."""
    case = case_data(SFR, judge=JUDGE)
    applied(client, clerk, "case", case)
    address = {
        "id": new_id(),
        "case_id": case["id"],
        "kind": "nta",
        "street": "12 Elm Street",
        "city": "Daly City",
        "state": "CA",
        "zip": "94014",
        "effective_on": "2026-10-01",
        "recorded_at": "2026-10-01T18:00:00Z",
    }
    applied(client, clerk, "address", address)
    hearing = hearing_data(case["id"])
    applied(client, clerk, "hearing", hearing)
    document = document_data(app, case["id"])
    applied(client, clerk, "document", document)
    appearance = representation_data(case["id"], counsel, status="accepted")
    applied(client, clerk, "representation", appearance)
    return {
        "case": case["id"],
        "address": address["id"],
        "hearing": hearing["id"],
        "document": document["id"],
        "appearance": appearance["id"],
    }


def _appearance(app: Flask, appearance_id: str) -> tuple[dict[str, Any], int]:
    found = stored(app, "representation", appearance_id)
    assert found is not None
    return found[0], found[1]


def _granted(app: Flask, appearance_id: str, **extra: Any) -> tuple[dict[str, Any], int]:
    data, version = _appearance(app, appearance_id)
    return data | {
        "status": "withdrawn",
        "ended_on": "2026-11-30",
        "leave_by": user_id(JUDGE),
    } | extra, version


def _pull_into(client: Api, token: str, store: LocalStore, *, honour_reset: bool) -> list[Change]:
    """Pull every page after the store's cursor into ``store``; returns the changes."""
    seen: list[Change] = []
    page = client.changes(token, store.get_state("cursor"))
    while True:
        changes = [Change.model_validate(c) for c in page["changes"]]
        seen += changes
        store.apply_page(changes, page["cursor"], reset=honour_reset and page["reset"])
        if not page["has_more"]:
            return seen
        page = client.changes(token, page["cursor"])


def _served_on(app: Flask, client: Api, case_id: str) -> dict[str, dict[str, Any]]:
    """The judge drafts and signs a removal decision in the case; the server issues it
    and serves it: returns its service records by recipient (or party)."""
    with app.extensions["ecas"].factory() as session:
        facts = facts_from_db(session, case_id)
    draft = new_draft(template_for("removal_decision"), facts, user_id(JUDGE), TODAY)
    draft = draft.model_copy(update={"fields": dict(COMPLETE_FIELDS["removal_decision"])})
    judge = client.login(JUDGE)
    [made] = client.push(judge, mutation("order", draft.model_dump(mode="json")))
    assert made["status"] == "applied", made
    signed = draft.model_copy(
        update={"status": OrderStatus.SIGNED, "signed_at": SIGNED_AT, "signed_by": user_id(JUDGE)}
    )
    [answer] = client.push(
        judge, mutation("order", signed.model_dump(mode="json"), base_version=made["version"])
    )
    assert answer["status"] == "applied", answer
    with app.extensions["ecas"].factory() as session:
        order = session.get(OrderRow, draft.id)
        assert order is not None and order.status == "issued"
        rows = session.scalars(
            select(ServiceRecordRow).where(ServiceRecordRow.document_id == order.document_id)
        ).all()
        return {
            str(r.recipient_id or r.party): {
                "party": r.party,
                "method": r.method,
                "address_id": r.address_id,
            }
            for r in rows
        }


def test_a_withdrawal_granted_takes_the_case_from_former_counsel_on_their_next_pull(
    app: Flask, client: Api, book: TokenBook, tmp_path: Path
) -> None:
    ids = _represented_case(app, client, book["clerk1"], "attorney1")
    lawyer = client.login("attorney1")
    store = LocalStore(tmp_path / "attorney1.sqlite3")
    _pull_into(client, lawyer, store, honour_reset=True)
    for entity in ("case", "address", "hearing", "document"):
        assert store.get(entity, ids[entity]) is not None, entity

    withdrawn, version = _granted(app, ids["appearance"])
    [answer] = client.push(book[JUDGE], mutation("representation", withdrawn, base_version=version))
    assert answer["status"] == "applied", answer

    # The next pull: the scope changed (reset), and each record that left the former
    # counsel's view comes as a tombstone, so even a copy that kept its records across the
    # reset drops them all.
    changes = _pull_into(client, lawyer, store, honour_reset=False)
    tombstones = {c.id for c in changes if c.deleted}
    left = {ids["case"], ids["address"], ids["hearing"], ids["document"]}
    assert left <= tombstones
    assert not [c for c in changes if not c.deleted and c.id in left]
    for entity in ("case", "address", "hearing", "document"):
        assert store.get(entity, ids[entity]) is None, entity
    # Their own appearance stays theirs, ended with its history.
    kept = store.get("representation", ids["appearance"])
    assert kept is not None
    assert (kept["status"], kept["ended_on"], kept["leave_by"]) == (
        "withdrawn",
        "2026-11-30",
        user_id(JUDGE),
    )

    # An order issued after the withdrawal is served on the respondent at the address of
    # record, and not on the former counsel.
    served = _served_on(app, client, ids["case"])
    assert user_id("attorney1") not in served
    assert served["respondent"]["method"] == "mail"
    assert served["respondent"]["address_id"] == ids["address"]


def test_a_substitution_serves_the_new_counsel_and_not_the_former(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    ids = _represented_case(app, client, clerk, "attorney1")
    incoming = representation_data(ids["case"], "attorney2", status="pending")
    applied(client, clerk, "representation", incoming)
    prior, prior_version = _appearance(app, ids["appearance"])
    group = new_id()
    accepted = mutation(
        "representation",
        incoming | {"status": "accepted", "accepted_on": "2026-11-30"},
        base_version=version_of(app, "representation", incoming["id"]),
    ) | {"group": group}
    ended = mutation(
        "representation",
        prior
        | {
            "status": "substituted",
            "ended_on": "2026-11-30",
            "leave_by": user_id(JUDGE),
            "successor_id": incoming["id"],
        },
        base_version=prior_version,
    ) | {"group": group}
    answers = client.push(clerk, accepted, ended)
    assert [a["status"] for a in answers] == ["applied", "applied"], answers

    served = _served_on(app, client, ids["case"])
    assert served[user_id("attorney2")]["method"] == "electronic"
    assert user_id("attorney1") not in served
    assert "respondent" not in served  # represented: counsel is served, not the respondent

    former, _ = client.pull_all(client.login("attorney1"))
    assert ids["case"] in {c["id"] for c in former if c["deleted"]}
    assert ids["case"] not in {c["id"] for c in former if not c["deleted"]}
    current, _ = client.pull_all(client.login("attorney2"))
    assert ids["case"] in {c["id"] for c in current if not c["deleted"]}


def test_counsel_who_returns_reads_the_case_again_without_stale_tombstones(
    app: Flask, client: Api, book: TokenBook
) -> None:
    ids = _represented_case(app, client, book["clerk1"], "attorney1")
    withdrawn, version = _granted(app, ids["appearance"])
    [answer] = client.push(book[JUDGE], mutation("representation", withdrawn, base_version=version))
    assert answer["status"] == "applied", answer
    lawyer = client.login("attorney1")
    gone, cursor = client.pull_all(lawyer)
    assert ids["case"] in {c["id"] for c in gone if c["deleted"]}

    again = representation_data(ids["case"], "attorney1", status="accepted")
    applied(client, book["clerk1"], "representation", again)
    page = client.changes(lawyer, cursor)
    assert page["reset"] is False  # a catch-up from the cursor (services/scope_delta.py)
    changes, _ = client.pull_all(lawyer, cursor)
    last: dict[str, bool] = {}
    for change in changes:  # in version order: the last word on each record
        last[change["id"]] = change["deleted"]
    for name in ("case", "address", "hearing", "document"):
        assert last.get(ids[name]) is False, name


def test_counsel_changes_refused_with_their_reason(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    ids = _represented_case(app, client, clerk, "attorney1")

    def refused(token: str, data: dict[str, Any], version: int, *, op: str = "upsert") -> str:
        [answer] = client.push(token, mutation("representation", data, base_version=version, op=op))
        assert answer["status"] == "rejected", answer
        return str(answer["error"])

    withdrawn, version = _granted(app, ids["appearance"])
    assert "judge's to grant" in refused(clerk, withdrawn, version)
    assert "judge of the case" in refused(
        book["judge2"], withdrawn | {"leave_by": user_id("judge2")}, version
    )
    assert "their own grant" in refused(
        book[JUDGE], withdrawn | {"leave_by": user_id("judge2")}, version
    )
    assert "date of the court's leave" in refused(
        book[JUDGE], withdrawn | {"ended_on": None}, version
    )
    assert "before it was accepted" in refused(
        book[JUDGE], withdrawn | {"ended_on": "2026-01-01"}, version
    )
    assert "part of the record" in refused(
        clerk, _appearance(app, ids["appearance"])[0], version, op="delete"
    )
    assert "only a clerk or the judge" in refused(book["attorney1"], withdrawn, version)
    # A substitution names an accepted appearance of another practitioner in the case.
    prior, _ = _appearance(app, ids["appearance"])
    substitution = prior | {
        "status": "substituted",
        "ended_on": "2026-11-30",
        "leave_by": user_id(JUDGE),
    }
    assert "new counsel's appearance" in refused(clerk, substitution, version)
    pending = representation_data(ids["case"], "attorney2", status="pending")
    applied(client, clerk, "representation", pending)
    assert "must be accepted" in refused(
        clerk, substitution | {"successor_id": pending["id"]}, version
    )
    elsewhere = _represented_case(app, client, clerk, "attorney2")
    assert "another case" in refused(
        clerk, substitution | {"successor_id": elsewhere["appearance"]}, version
    )

    [granted] = client.push(
        book[JUDGE], mutation("representation", withdrawn, base_version=version)
    )
    assert granted["status"] == "applied", granted
    assert "kept as it ended" in refused(
        clerk,
        withdrawn | {"status": "accepted", "ended_on": None, "leave_by": None},
        granted["version"],
    )


def test_granting_a_motion_to_withdraw_ends_the_appearance_and_former_counsel_loses_the_case(
    app: Flask, client: Api, book: TokenBook, tmp_path: Path
) -> None:
    """The judge's grant of the motion, its signed order and the appearance ended with the
    grant's day, judge and motion travel as one push group; a withdrawal naming a motion
    that was not granted is refused with the reason."""
    ids = _represented_case(app, client, book["clerk1"], "attorney1")
    lawyer = client.login("attorney1")
    store = LocalStore(tmp_path / "attorney1.sqlite3")
    _pull_into(client, lawyer, store, honour_reset=True)
    assert store.get("case", ids["case"]) is not None
    motion = {
        "id": new_id(),
        "case_id": ids["case"],
        "motion_type": "withdraw_as_counsel",
        "movant": "respondent",
        "filed_on": "2026-11-20",
        "filer_id": user_id("clerk1"),
        "other_party_position": "does_not_oppose",
    }
    applied(client, book["clerk1"], "motion", motion)
    motion_version = version_of(app, "motion", motion["id"])

    # Naming the motion before it is granted is refused, and nothing changes.
    early, version = _granted(app, ids["appearance"], motion_id=motion["id"])
    [answer] = client.push(book[JUDGE], mutation("representation", early, base_version=version))
    assert answer["status"] == "rejected" and "granted" in answer["error"], answer

    order, stamped = _ruling(ids["case"], motion, "granted", "granted")
    ended, version = _granted(
        app, ids["appearance"], motion_id=motion["id"], ended_on=stamped["ruled_on"]
    )
    results = _push_group(
        client,
        book[JUDGE],
        ("order", order, None),
        ("motion", stamped, motion_version),
        ("representation", ended, version),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    kept, _ = _appearance(app, ids["appearance"])
    assert (kept["status"], kept["ended_on"], kept["leave_by"], kept["motion_id"]) == (
        "withdrawn",
        stamped["ruled_on"],
        user_id(JUDGE),
        motion["id"],
    )
    changes = _pull_into(client, lawyer, store, honour_reset=False)
    assert ids["case"] in {c.id for c in changes if c.deleted}
    assert store.get("case", ids["case"]) is None
