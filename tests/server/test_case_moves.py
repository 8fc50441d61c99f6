"""A case that changes court takes every record placed in it along: the new court's people
receive them, the old court's people (the clerk who moved it included) receive tombstones,
and every copy ends as a fresh pull of its user would make it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, select

from common.enums import DocumentStatus, Visibility
from common.wire import Annotation, Case, Order
from desktop.api_client import ApiClient
from desktop.local_schema import record_table
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine
from sync_server.models import ENTITY_TABLES
from tests.conftest import (
    DEMO_PASSWORD,
    Api,
    LiveServer,
    court_id,
    user_id,
)
from tests.server.sync_helpers import (
    HOU,
    NOW,
    NYB,
    SFR,
    TokenBook,
    annotation_data,
    applied,
    case_data,
    document_data,
    filing_data,
    hearing_data,
    new_id,
    order_data,
    push_one,
    representation_data,
    stored,
    venue_order,
)

Changes = list[dict[str, Any]]


@pytest.fixture(scope="module")
def app(own_app: Flask) -> Flask:
    """A seeded server of this module's own: a moved case leaves departures in every later
    full pull of its old court, which the scope tests sharing ``seeded_app`` don't expect."""
    return own_app


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app.test_client())


@pytest.fixture(scope="module")
def tokens(app: Flask) -> TokenBook:
    return TokenBook(Api(app.test_client()))


def _latest(changes: Changes) -> dict[str, dict[str, Any]]:
    """Each record's last change in the pull (what a client ends up holding), by id."""
    out: dict[str, dict[str, Any]] = {}
    for change in sorted(changes, key=lambda c: c["version"]):
        out[change["id"]] = change
    return out


def _moved(case: dict[str, Any], court: str, judge: str | None = None) -> dict[str, Any]:
    """The case after a change of venue: its judge must sit at the new court (or none)."""
    return {**case, "court_id": court, "judge_id": user_id(judge) if judge else None}


def _grant_venue(api: Api, tokens: TokenBook, case: dict[str, Any], court: str) -> None:
    """The case's judge grants a party's motion to change venue to ``court``: the server
    lets the clerk move the case only then (8 CFR 1003.20(b))."""
    judge = {user_id(name): name for name in ("judge1", "judge2", "judge3")}[case["judge_id"]]
    applied(api, tokens[judge], "order", venue_order(case["id"], judge, court))


def _open_case(
    api: Api, tokens: TokenBook, app: Flask
) -> tuple[dict[str, Any], int, dict[str, Any]]:
    """A new SFR case of judge1 with one accepted document: (case, its version, document)."""
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    document = document_data(app, case["id"])
    applied(api, tokens["clerk1"], "document", document)
    return case, version, document


def test_a_case_moved_to_another_court_takes_its_annotations_along(
    api: Api, tokens: TokenBook, app: Flask
) -> None:
    case, version, document = _open_case(api, tokens, app)
    private = annotation_data(document, "judge1", visibility="private")
    shared = annotation_data(document, "judge1", visibility="shared")
    applied(api, tokens["judge1"], "annotation", private)
    applied(api, tokens["judge1"], "annotation", shared)
    cursors = {name: api.pull_all(tokens[name])[1] for name in ("judge1", "judge2", "judge3")}
    cursors["clerk3"] = api.pull_all(tokens["clerk3"])[1]

    _grant_venue(api, tokens, case, NYB)
    applied(api, tokens["clerk1"], "case", _moved(case, NYB, "judge3"), base_version=version)

    def after(name: str) -> dict[str, dict[str, Any]]:
        return _latest(api.pull_all(tokens[name], cursors[name])[0])

    author = after("judge1")  # the author's court lost the case: their notes go with it
    assert author[private["id"]]["deleted"] and author[shared["id"]]["deleted"]
    colleague = after("judge2")
    assert colleague[shared["id"]]["deleted"]
    assert private["id"] not in colleague  # a private note is never announced to others
    for name in ("judge3", "clerk3"):  # the new court's staff read the shared note only
        arrived = after(name)
        assert not arrived[shared["id"]]["deleted"]
        assert arrived[shared["id"]]["data"]["comment"] == shared["comment"]
        assert private["id"] not in arrived


# Records a removal case that changes venue can't hold, each moved in a test of its own.
ELSEWHERE = {
    "bond": "a bond record lives in a bond case: test_a_moved_bond_case_takes_its_bond_record",
    "appeal": "an appeal is of a decided case, which no longer changes venue",
    "board_decision": "the Board decides an appealed case, which no longer changes venue",
    "board_vote": "the Board decides an appealed case, which no longer changes venue",
}


def _one_of_each(app: Flask, case_id: str, document: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """entity -> (who pushes it, its data): one record of each kind a case holds."""
    rop = {"id": new_id(), "case_id": case_id, "requester_id": user_id("clerk1")}
    return {
        "representation": ("clerk1", representation_data(case_id, "attorney2")),
        "hearing": ("clerk1", hearing_data(case_id)),
        "document": ("clerk1", document),
        "annotation": ("judge1", annotation_data(document, "judge1", visibility="shared")),
        "order": ("judge1", order_data(case_id, "judge1")),
        "filing": ("clerk1", filing_data(case_id, SFR, "attorney2")),
        "service_record": (
            "clerk1",
            {
                "id": new_id(),
                "case_id": case_id,
                "document_id": document["id"],
                "party": "dhs",
                "served_at": NOW,
            },
        ),
        "rop_request": ("clerk1", {**rop, "requested_at": NOW}),
        "address": (
            "clerk1",
            {
                "id": new_id(),
                "case_id": case_id,
                "kind": "eoir_33",
                "street": "100 Market Street",
                "city": "San Francisco",
                "state": "CA",
                "zip": "94105",
                "effective_on": "2026-11-20",
                "recorded_at": NOW,
            },
        ),
        "custody_change": (
            "clerk1",
            {
                "id": new_id(),
                "case_id": case_id,
                "event": "detained",
                "facility_code": "MESA_VERDE",
                "effective_on": "2026-11-20",
                "recorded_at": NOW,
            },
        ),
        "pleading": (
            "judge1",
            {
                "id": new_id(),
                "case_id": case_id,
                "judge_id": user_id("judge1"),
                "pleaded_on": "2026-11-20",
                "designated_country": "Peru",
                "recorded_at": NOW,
            },
        ),
        "motion": (
            "clerk1",
            {
                "id": new_id(),
                "case_id": case_id,
                "motion_type": "change_of_venue",
                "movant": "respondent",
                "filed_on": "2026-11-20",
                "filer_id": user_id("clerk1"),
            },
        ),
        # The judge's decision to change venue keeps the case pending (8 CFR 1003.20(b)).
        "decision": (
            "judge1",
            {
                "id": new_id(),
                "case_id": case_id,
                "judge_id": user_id("judge1"),
                "decided_on": "2026-11-20",
                "completion": "change_of_venue",
                "recorded_at": NOW,
            },
        ),
    }


def test_every_kind_of_record_of_a_moved_case_reaches_the_new_court_and_leaves_the_old(
    api: Api, tokens: TokenBook, app: Flask
) -> None:
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    records = _one_of_each(app, case["id"], document_data(app, case["id"]))
    # A new entity that belongs to a case must be added above, or this test can't vouch
    # that it follows its case.
    with_case = {e for e, t in ENTITY_TABLES.items() if "case_id" in inspect(t).columns}
    assert with_case - {"case"} - ELSEWHERE.keys() | {"annotation"} <= set(records)
    for entity, (pusher, data) in records.items():
        applied(api, tokens[pusher], entity, data)
    # The custody change moved the case's custody (a new version of the case).
    held = stored(app, "case", case["id"])
    assert held is not None
    case, version = held[0], held[1]
    _grant_venue(api, tokens, case, NYB)
    _, old_court = api.pull_all(tokens["clerk2"])
    _, new_court = api.pull_all(tokens["clerk3"])

    applied(api, tokens["clerk1"], "case", _moved(case, NYB), base_version=version)

    left = _latest(api.pull_all(tokens["clerk2"], old_court)[0])
    arrived = _latest(api.pull_all(tokens["clerk3"], new_court)[0])
    for entity, (_, data) in records.items():
        assert left[data["id"]]["deleted"], f"the old court still holds the {entity}"
        assert not arrived[data["id"]]["deleted"], f"the new court lacks the {entity}"
        assert arrived[data["id"]]["entity"] == entity
    assert not arrived[case["id"]]["deleted"] and left[case["id"]]["deleted"]
    # The filing was made at the old court; it now names the court that will review it.
    assert arrived[records["filing"][1]["id"]]["data"]["court_id"] == NYB


def test_a_moved_bond_case_takes_its_bond_record(api: Api, tokens: TokenBook, app: Flask) -> None:
    # A detained respondent's bond case (8 CFR 1003.19(d): a record of its own) moves to
    # another court, as when DHS transfers the respondent; its bond record goes along.
    case = case_data(SFR, judge="judge1") | {"case_type": "bond", "custody": "detained"}
    version = applied(api, tokens["clerk1"], "case", case)
    bond = {
        "id": new_id(),
        "case_id": case["id"],
        "dhs_determination": "amount",
        "dhs_amount": 15_000,
        "requested_on": "2026-11-23",
        "requested_by": "respondent",
        "requested_amount": 5_000,
    }
    applied(api, tokens["clerk1"], "bond", bond)
    _grant_venue(api, tokens, case, NYB)
    _, old_court = api.pull_all(tokens["clerk2"])
    _, new_court = api.pull_all(tokens["clerk3"])
    applied(api, tokens["clerk1"], "case", _moved(case, NYB), base_version=version)

    left = _latest(api.pull_all(tokens["clerk2"], old_court)[0])
    arrived = _latest(api.pull_all(tokens["clerk3"], new_court)[0])
    assert left[bond["id"]]["deleted"] and left[case["id"]]["deleted"]
    assert not arrived[bond["id"]]["deleted"]
    assert arrived[bond["id"]]["data"]["dhs_amount"] == 15_000


def test_a_pending_filing_of_a_moved_case_is_reviewed_at_its_new_court(
    api: Api, tokens: TokenBook, app: Flask
) -> None:
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    filing = filing_data(case["id"], SFR, "attorney2")
    applied(api, tokens["clerk1"], "filing", filing)
    _grant_venue(api, tokens, case, NYB)
    applied(api, tokens["clerk1"], "case", _moved(case, NYB), base_version=version)

    current = _latest(api.pull_all(tokens["clerk3"])[0])[filing["id"]]
    review = {
        **current["data"],
        "status": "rejected",
        "rejection_reason": "Missing certificate of service",
        "reviewed_by": user_id("clerk3"),
        "reviewed_at": NOW,
    }
    result = push_one(api, tokens["clerk3"], "filing", review, base_version=current["version"])
    assert result["status"] == "applied", result
    refused = push_one(api, tokens["clerk1"], "filing", review, base_version=current["version"])
    assert refused["status"] == "rejected"


def test_the_clerk_who_moved_a_case_is_told_it_left_their_court(
    api: Api, tokens: TokenBook, app: Flask
) -> None:
    case, version, document = _open_case(api, tokens, app)
    _grant_venue(api, tokens, case, NYB)
    _, mover_cursor = api.pull_all(tokens["clerk1"])
    _, eoir_cursor = api.pull_all(tokens["eoir1"])

    moved = applied(api, tokens["clerk1"], "case", _moved(case, NYB), base_version=version)

    # The mover's client holds the case at the version its push was answered with: only a
    # tombstone newer than that makes it let go.
    mine = _latest(api.pull_all(tokens["clerk1"], mover_cursor)[0])
    assert mine[case["id"]]["deleted"] and mine[case["id"]]["version"] > moved
    assert mine[document["id"]]["deleted"]
    # That notice is the mover's alone: EOIR staff, who see every court, keep the case.
    everyone = _latest(api.pull_all(tokens["eoir1"], eoir_cursor)[0])
    assert not everyone[case["id"]]["deleted"] and not everyone[document["id"]]["deleted"]


def test_a_case_given_to_another_judge_of_its_court_stays_on_every_copy_there(
    api: Api, tokens: TokenBook, app: Flask
) -> None:
    case, version, document = _open_case(api, tokens, app)
    shared = annotation_data(document, "judge1", visibility="shared")
    applied(api, tokens["judge1"], "annotation", shared)
    cursors = {name: api.pull_all(tokens[name])[1] for name in ("judge1", "judge2")}

    applied(
        api, tokens["clerk1"], "case", {**case, "judge_id": user_id("judge2")}, base_version=version
    )

    for name in ("judge1", "judge2"):
        changes = api.pull_all(tokens[name], cursors[name])[0]
        assert not any(c["deleted"] for c in changes), f"{name} lost records of the case"
        assert _latest(changes)[case["id"]]["data"]["judge_id"] == user_id("judge2")
    everything = _latest(api.pull_all(tokens["judge2"])[0])
    assert not everything[shared["id"]]["deleted"] and not everything[document["id"]]["deleted"]


def test_dhs_lets_go_of_its_own_filings_when_a_case_leaves_its_courts(
    api: Api, tokens: TokenBook, app: Flask
) -> None:
    # No accepted document: its bytes would become readable to HOU's DHS (other tests
    # expect that blob hidden from them).
    case = case_data(NYB, judge="judge3")
    version = applied(api, tokens["clerk3"], "case", case)
    filed = document_data(app, case["id"], filer="dhs1", status="pending")
    applied(api, tokens["dhs1"], "document", {**filed, "filer_party": "dhs"})
    _grant_venue(api, tokens, case, HOU)
    _, dhs_cursor = api.pull_all(tokens["dhs1"])

    applied(api, tokens["clerk3"], "case", _moved(case, HOU), base_version=version)

    left = _latest(api.pull_all(tokens["dhs1"], dhs_cursor)[0])  # dhs1 covers SFR and NYB
    assert left[case["id"]]["deleted"] and left[filed["id"]]["deleted"]
    arrived = _latest(api.pull_all(tokens["dhs2"])[0])  # dhs2 covers HOU
    assert not arrived[case["id"]]["deleted"]
    assert filed["id"] not in arrived  # a pending filing is the court's and its filer's


# --- the desktop client end to end ---------------------------------------------------------


def _engine(server: LiveServer, folder: Path, username: str) -> SyncEngine:
    client = ApiClient(server.url)
    client.login(username, DEMO_PASSWORD)
    return SyncEngine(client, LocalStore(folder / f"{username}.sqlite3"), page_size=50)


def _rows(store: LocalStore) -> set[tuple[str, str, int, bool]]:
    """What a local copy holds, tombstones included: (entity, id, version, deleted)."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(
                record_table.c.entity,
                record_table.c.id,
                record_table.c.version,
                record_table.c.deleted,
            )
        )
        return {(r.entity, r.id, int(r.version), bool(r.deleted)) for r in rows}


def _case_records(store: LocalStore, case_id: str, documents: set[str]) -> set[tuple[str, str]]:
    """(entity, id) of the live records of the case on this copy, the case included, and
    of the annotations on ``documents`` (the case's, even if this copy lost them)."""
    held = {("case", case_id)} if store.get("case", case_id) else set()
    entities = [e for e, t in ENTITY_TABLES.items() if "case_id" in inspect(t).columns]
    for entity in entities:
        held |= {(entity, r["id"]) for r in store.all(entity) if r["case_id"] == case_id}
    notes = store.all("annotation")
    return held | {("annotation", a["id"]) for a in notes if a["document_id"] in documents}


def _annotation(document: dict[str, Any], visibility: Visibility) -> Annotation:
    return Annotation(
        id=new_id(),
        document_id=document["id"],
        document_sha256=document["sha256"],
        author_id=user_id("judge1"),
        visibility=visibility,
        kind="highlight",
        page=0,
        geometry={"rect": [72, 72, 300, 90]},
        comment=f"{visibility.value} note",
        created_at=datetime.now(UTC),
    )


@pytest.mark.slow
def test_after_a_change_of_venue_every_desktop_copy_holds_what_its_user_may_see(
    live_server: LiveServer, tmp_path: Path
) -> None:
    users = ("clerk1", "judge1", "clerk3", "eoir1")
    engines = {name: _engine(live_server, tmp_path / "copies", name) for name in users}
    for engine in engines.values():
        engine.sync_once()
    clerk1, judge1 = engines["clerk1"].store, engines["judge1"].store
    # The SFR case with the most accepted documents: the most records to move.
    documents = [d for d in clerk1.all("document") if d["status"] == DocumentStatus.ACCEPTED]
    sfr = {
        c["id"]
        for c in clerk1.all("case")
        if c["court_id"] == court_id("SFR") and c["judge_id"] == user_id("judge1")
    }
    case_id = max(sfr, key=lambda c: sum(d["case_id"] == c for d in documents))
    document = next(d for d in documents if d["case_id"] == case_id)
    # The judge grants a party's motion to change venue to New York (8 CFR 1003.20(b)).
    judge1.save(Order.model_validate(venue_order(case_id, "judge1", court_id("NYB"))))
    private = _annotation(document, Visibility.PRIVATE)
    shared = _annotation(document, Visibility.SHARED)
    judge1.save(private)
    judge1.save(shared)
    assert engines["judge1"].sync_once().pushed == 3  # the order and the two notes
    engines["clerk1"].sync_once()
    ids = {d["id"] for d in clerk1.all("document") if d["case_id"] == case_id}
    before = _case_records(clerk1, case_id, ids)  # what court staff see, the shared note too
    assert ("annotation", shared.id) in before and ("annotation", private.id) not in before
    assert ("annotation", private.id) in _case_records(judge1, case_id, ids)
    assert len(before) > 5

    case = Case.model_validate(clerk1.get("case", case_id))
    clerk1.save(case.model_copy(update={"court_id": court_id("NYB"), "judge_id": None}))
    report = engines["clerk1"].sync_once()
    assert (report.pushed, report.rejected, report.conflicts) == (1, 0, 0)
    for name in users[1:]:
        engines[name].sync_once()

    assert _case_records(clerk1, case_id, ids) == set(), "the clerk who moved it still holds it"
    assert _case_records(judge1, case_id, ids) == set(), "the old court's judge still holds it"
    assert _case_records(engines["clerk3"].store, case_id, ids) == before
    assert _case_records(engines["eoir1"].store, case_id, ids) == before
    assert not clerk1.issues() and clerk1.pending_count() == 0
    for name, engine in engines.items():
        fresh = _engine(live_server, tmp_path / "fresh", name)
        fresh.sync_once()
        assert _rows(engine.store) == _rows(fresh.store), f"{name}'s copy differs from a pull"
