"""Reading follows the appearance's scope (issue 12; 8 CFR 1003.17(a), 1003.19(d)): an
EOIR-28 for custody and bond only reads the respondent's bond case(s) and not the removal
case; one for all but custody and bond the removal case and not the bond case; one for all
proceedings both. Through the feed (a real pull, and the desktop's local copy applying it),
the portal's case list and its case pages."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from common.protocol import Change
from desktop.local_store import LocalStore
from sync_server.models import CaseRow, FilingRow
from tests.conftest import Api, seeded_server_app, user_id
from tests.portal.portal_flows import appearance_form, clerk_accepts
from tests.portal.portal_helpers import register_and_approve, sign_in_enrolling, user_row
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    case_data,
    document_data,
    representation_data,
    version_of,
)


@pytest.fixture(scope="module")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with seeded_server_app(backend, tmp_path_factory.mktemp(f"scope-{backend}"), cases=3) as app:
        yield app


@pytest.fixture(scope="module")
def book(app: Flask) -> TokenBook:
    return TokenBook(Api(app.test_client()))


@pytest.fixture
def client(app: Flask) -> Api:
    return Api(app.test_client())


def _respondent(client: Api, clerk: str, *, linked: bool = True) -> tuple[str, str]:
    """A removal case and a bond case of one detained respondent (linked unless told
    otherwise), each with an accepted document. Returns (removal id, bond id)."""
    digits = f"2{random.randrange(10**8):08d}"
    removal = case_data(SFR, judge="judge1") | {"a_number": digits, "custody": "detained"}
    applied(client, clerk, "case", removal)
    bond = removal | {
        "id": case_data(SFR)["id"],
        "case_type": "bond",
        "removal_case_id": removal["id"] if linked else None,
    }
    applied(client, clerk, "case", bond)
    return removal["id"], bond["id"]


def _with_document(app: Flask, client: Api, clerk: str, case_id: str) -> str:
    document = document_data(app, case_id)
    applied(client, clerk, "document", document)
    return str(document["id"])


def _read(changes: list[dict[str, Any]]) -> set[str]:
    """The cases whose records a pull brought (the case or a record placed in it)."""
    live = [c for c in changes if not c["deleted"]]
    return {c["id"] for c in live if c["entity"] == "case"} | {
        c["data"]["case_id"]
        for c in live
        if c["entity"] != "representation" and "case_id" in c["data"]
    }


@pytest.mark.parametrize(
    ("scope", "reads_removal", "reads_bond"),
    [
        ("custody_and_bond_only", False, True),
        ("all_except_custody_and_bond", True, False),
        ("all_proceedings", True, True),
    ],
)
def test_each_scope_reads_its_proceedings_whichever_case_the_appearance_is_in(
    app: Flask,
    client: Api,
    book: TokenBook,
    scope: str,
    reads_removal: bool,
    reads_bond: bool,
) -> None:
    for appeared_in in ("removal", "bond"):
        removal, bond = _respondent(client, book["clerk1"])
        _with_document(app, client, book["clerk1"], removal)
        _with_document(app, client, book["clerk1"], bond)
        case_id = removal if appeared_in == "removal" else bond
        appearance = representation_data(case_id, "attorney2", status="accepted") | {"scope": scope}
        applied(client, book["clerk1"], "representation", appearance)
        read = _read(client.pull_all(client.login("attorney2"))[0])
        assert (removal in read, bond in read) == (reads_removal, reads_bond), appeared_in


def test_custody_counsel_in_the_portal_lists_and_opens_the_bond_case_only(
    app: Flask, client: Api, book: TokenBook
) -> None:
    removal, bond = _respondent(client, book["clerk1"])
    removal_document = _with_document(app, client, book["clerk1"], removal)
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)
    eoir_id = str(user_row(app, account.username).eoir_id)
    with app.extensions["ecas"].factory() as session:
        row = session.get(CaseRow, bond)
        assert row is not None
        session.expunge(row)
    page = "/portal/appearance/eoir-28"
    form = appearance_form(row, eoir_id, scope="custody_and_bond_only")
    assert browser.post(page, form, from_page=page).status_code == 302, browser.last
    with app.extensions["ecas"].factory() as session:
        filing_id = session.scalars(
            select(FilingRow.id).where(FilingRow.filer_id == account.user_id)
        ).one()
    # The portal finds the case by A-number and name, so the appearance may land in either
    # of the respondent's linked cases: its scope decides what it reads either way.
    clerk_accepts(client, "clerk1", filing_id)

    browser.get("/portal/cases")
    assert f"/portal/cases/{bond}" in browser.last
    assert f"/portal/cases/{removal}" not in browser.last
    assert browser.get(f"/portal/cases/{bond}").status_code == 200
    assert browser.get(f"/portal/cases/{removal}").status_code == 404
    documents = f"/portal/cases/{removal}/documents/{removal_document}"
    assert browser.get(documents).status_code == 404


def test_a_narrower_appearance_catches_up_and_the_local_copy_drops_the_bond_case(
    app: Flask, client: Api, book: TokenBook, tmp_path: Path
) -> None:
    clerk = book["clerk1"]
    removal, bond = _respondent(client, clerk)
    bond_document = _with_document(app, client, clerk, bond)
    appearance = representation_data(removal, "attorney1", status="accepted")
    applied(client, clerk, "representation", appearance)
    lawyer = client.login("attorney1")
    store = LocalStore(tmp_path / "attorney1.sqlite3")
    page = client.changes(lawyer)
    while True:
        store.apply_page([Change.model_validate(c) for c in page["changes"]], page["cursor"])
        if not page["has_more"]:
            break
        page = client.changes(lawyer, page["cursor"])
    assert store.get("case", bond) is not None and store.get("document", bond_document)

    # The clerk records that the appearance covers all but custody and bond.
    applied(
        client,
        clerk,
        "representation",
        appearance | {"scope": "all_except_custody_and_bond"},
        base_version=version_of(app, "representation", appearance["id"]),
    )
    page = client.changes(lawyer, store.get_state("cursor"))
    assert page["reset"] is False  # a catch-up: the bond case leaves as tombstones
    while True:
        changes = [Change.model_validate(c) for c in page["changes"]]
        store.apply_page(changes, page["cursor"], reset=page["reset"], last=not page["has_more"])
        if not page["has_more"]:
            break
        page = client.changes(lawyer, page["cursor"])
    assert store.get("case", removal) is not None
    assert store.get("case", bond) is None and store.get("document", bond_document) is None


def test_a_link_made_later_opens_the_bond_case_to_custody_counsel_on_their_next_pull(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    removal, bond = _respondent(client, clerk, linked=False)
    appearance = representation_data(removal, "attorney1", status="accepted") | {
        "scope": "custody_and_bond_only"
    }
    applied(client, clerk, "representation", appearance)
    lawyer = client.login("attorney1")
    changes, cursor = client.pull_all(lawyer)
    assert not {removal, bond} & _read(changes)

    with app.extensions["ecas"].factory() as session:
        row = session.get(CaseRow, bond)
        assert row is not None
        bond_data = {
            "id": row.id,
            "a_number": row.a_number,
            "court_id": row.court_id,
            "judge_id": user_id("judge1"),
            "case_type": "bond",
            "status": row.status,
            "custody": row.custody,
            "respondent_first_name": row.respondent_first_name,
            "respondent_last_name": row.respondent_last_name,
            "nationality": row.nationality,
            "language": row.language,
            "opened_on": row.opened_on.isoformat(),
        }
    applied(
        client,
        clerk,
        "case",
        bond_data | {"removal_case_id": removal},
        base_version=version_of(app, "case", bond),
    )
    page = client.changes(lawyer, cursor)
    assert page["reset"] is False  # a catch-up from the cursor, not the whole scope again
    changes, _ = client.pull_all(lawyer, cursor)
    assert bond in _read(changes) and removal not in _read(changes)
