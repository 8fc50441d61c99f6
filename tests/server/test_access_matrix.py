"""Who may call which endpoint, and who may write which entity: two explicit tables.

The endpoint table must name every route of the app, so a new endpoint without a row fails
here until someone decides who may call it (mirroring ``sync_server.policy.allows``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from common.wire import ENTITY_SCHEMAS
from sync_server.demo.plan import demo_id
from tests.conftest import DEMO_PASSWORD, Api, mutation, user_id
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    a_document,
    adjournment_code_data,
    annotation_data,
    applied,
    case_data,
    courtroom_data,
    document_data,
    filing_data,
    hearing_data,
    new_id,
    order_data,
    representation_data,
    stored,
)

USERS = {
    "judge": "judge1",
    "clerk": "clerk1",
    "court_admin": "admin1",
    "eoir_staff": "eoir1",
    "attorney": "attorney1",
    "accredited_rep": "rep1",
    "dhs": "dhs1",
    "board_clerk": "board_clerk1",
    "board_member": "board_member1",
}
ANONYMOUS = "anonymous"
SIGNED_IN = frozenset(USERS)
EVERYONE = SIGNED_IN | {ANONYMOUS}
WRITERS = SIGNED_IN - {"eoir_staff"}

ENDPOINT_ACCESS: dict[str, frozenset[str]] = {
    "auth.login": EVERYONE,
    "auth.refresh": EVERYONE,
    "auth.logout": SIGNED_IN,
    "sync.changes": SIGNED_IN,
    "sync.push": SIGNED_IN,  # EOIR staff push nationwide reference data only (check_write)
    "blobs.start_upload": WRITERS,
    "blobs.upload_offset": WRITERS,
    "blobs.append_upload": WRITERS,
    "blobs.download": SIGNED_IN,
    "cases.history": frozenset({"judge", "clerk", "court_admin", "eoir_staff"}),
    "cases.rotate_access_code": frozenset({"clerk", "court_admin"}),
    "registrations.pending": frozenset({"court_admin"}),
    "registrations.approve": frozenset({"court_admin"}),
    "registrations.reject": frozenset({"court_admin"}),
    "rop_packages.request_package": WRITERS,
    "rop_packages.package_status": SIGNED_IN,
    "rop_packages.download_package": SIGNED_IN,
    "meta.healthz": EVERYONE,
    "meta.version": EVERYONE,
    "meta.root": EVERYONE,
    "meta.openapi": EVERYONE,
    "static": EVERYONE,
}

Call = Callable[[Api, dict[str, str]], TestResponse]


def _refresh(api: Api, headers: dict[str, str]) -> TestResponse:
    login = api.client.post(
        "/api/v1/auth/login", json={"username": "rep1", "password": DEMO_PASSWORD}
    )
    body = {"refresh_token": login.get_json()["refresh_token"]}
    return api.client.post("/api/v1/auth/refresh", json=body, headers=headers)


# One harmless request per endpoint: allowed callers get a 2xx or a 4xx about the request.
CALLS: dict[str, Call] = {
    "auth.login": lambda api, h: api.client.post(
        "/api/v1/auth/login", json={"username": "rep1", "password": DEMO_PASSWORD}, headers=h
    ),
    "auth.refresh": _refresh,
    "auth.logout": lambda api, h: api.client.post("/api/v1/auth/logout", headers=h),
    "sync.changes": lambda api, h: api.client.get("/api/v1/sync/changes?limit=1", headers=h),
    "sync.push": lambda api, h: api.client.post("/api/v1/sync/push", json={}, headers=h),
    "blobs.start_upload": lambda api, h: api.client.post(
        "/api/v1/blobs/uploads", json={}, headers=h
    ),
    "blobs.upload_offset": lambda api, h: api.client.head(
        f"/api/v1/blobs/uploads/{uuid.uuid4()}", headers=h
    ),
    "blobs.append_upload": lambda api, h: api.client.patch(
        f"/api/v1/blobs/uploads/{uuid.uuid4()}", data=b"x", headers=h
    ),
    "blobs.download": lambda api, h: api.client.get(f"/api/v1/blobs/{'0' * 64}", headers=h),
    "cases.history": lambda api, h: api.client.get(
        f"/api/v1/cases/{demo_id('case', 0)}/history", headers=h
    ),
    "cases.rotate_access_code": lambda api, h: api.client.post(
        f"/api/v1/cases/{uuid.uuid4()}/access-code", headers=h
    ),
    "registrations.pending": lambda api, h: api.client.get("/api/v1/registrations", headers=h),
    "registrations.approve": lambda api, h: api.client.post(
        f"/api/v1/registrations/{uuid.uuid4()}/approve",
        json={"identity_checked": True},
        headers=h,
    ),
    "registrations.reject": lambda api, h: api.client.post(
        f"/api/v1/registrations/{uuid.uuid4()}/reject", json={"reason": "x"}, headers=h
    ),
    "rop_packages.request_package": lambda api, h: api.client.post(
        "/api/v1/rop-packages", json={"case_id": demo_id("case", 0)}, headers=h
    ),
    "rop_packages.package_status": lambda api, h: api.client.get(
        f"/api/v1/rop-packages/{uuid.uuid4()}", headers=h
    ),
    "rop_packages.download_package": lambda api, h: api.client.get(
        f"/api/v1/rop-packages/{uuid.uuid4()}/download", headers=h
    ),
    "meta.healthz": lambda api, h: api.client.get("/healthz", headers=h),
    "meta.version": lambda api, h: api.client.get("/api/version", headers=h),
    "meta.root": lambda api, h: api.client.get("/", headers={**h, "Accept": "text/html"}),
    "meta.openapi": lambda api, h: api.client.get("/api/openapi.json", headers=h),
    "static": lambda api, h: api.client.get("/static/nothing.css", headers=h),
}


def test_every_endpoint_has_a_row(seeded_app: Flask) -> None:
    # The portal's cookie-signed-in pages have their own matrix (tests/portal).
    routed = {
        rule.endpoint
        for rule in seeded_app.url_map.iter_rules()
        if not rule.endpoint.startswith("portal.")
    }
    assert routed == set(ENDPOINT_ACCESS) == set(CALLS)


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("endpoint", sorted(ENDPOINT_ACCESS))
def test_endpoint_access(api: Api, tokens: TokenBook, endpoint: str, role: str) -> None:
    if role == ANONYMOUS:
        headers = {}
    elif endpoint == "auth.logout":  # it ends the session: never the module's shared token
        headers = api.headers(api.login(USERS[role]))
    else:
        headers = api.headers(tokens[USERS[role]])
    status = CALLS[endpoint](api, headers).status_code

    if role in ENDPOINT_ACCESS[endpoint]:
        assert status < 500 and status not in (401, 403), status
    else:
        assert status == (401 if role == ANONYMOUS else 403)


# --- writes -------------------------------------------------------------------------------

Build = Callable[[Flask, str, str], tuple[str, dict[str, Any], int | None]]
"""(app, the acting username, a case attorney1 appears in) -> (entity, data, base)."""


def _user_profile(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], int | None]:
    data, version, _ = stored(app, "user_profile", user_id("clerk2")) or ({}, None, False)
    return "user_profile", data, version


def _case(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], int | None]:
    # An unchanged save of an existing case: the matrix adds no case to the shared server.
    data, version, _ = stored(app, "case", case) or ({}, None, False)
    return "case", data, version


def _service_record(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    return (
        "service_record",
        {
            "id": new_id(),
            "case_id": case,
            "document_id": a_document(app, case)["id"],
            "party": "respondent",
            "served_at": "2026-11-27T15:00:00Z",
        },
        None,
    )


def _custody_change(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    # A case of its own: a detention changes the case's custody and address of record,
    # which the shared case must keep for the tests reading it.
    fresh = case_data(SFR, judge="judge1")
    clerk = Api(app.test_client())
    applied(clerk, clerk.login("clerk1"), "case", fresh)
    return (
        "custody_change",
        {
            "id": new_id(),
            "case_id": fresh["id"],
            "event": "detained",
            "facility_code": "MESA_VERDE",
            "effective_on": "2026-11-20",
            "recorded_at": "2026-11-27T15:00:00Z",
        },
        None,
    )


def _bond(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    # A redetermination is recorded in a bond case (8 CFR 1003.19(d)): one of its own.
    fresh = case_data(SFR, judge="judge1") | {"case_type": "bond", "custody": "detained"}
    clerk = Api(app.test_client())
    applied(clerk, clerk.login("clerk1"), "case", fresh)
    return (
        "bond",
        {
            "id": new_id(),
            "case_id": fresh["id"],
            "dhs_determination": "amount",
            "dhs_amount": 12_000,
            "requested_on": "2026-11-20",
            "requested_by": "respondent",
        },
        None,
    )


def _motion(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    # Entered as the clerk enters a paper motion: a party's motion comes with its own
    # filing and document (the portal, or a push of all three: tests/server/test_motions).
    return (
        "motion",
        {
            "id": new_id(),
            "case_id": case,
            "motion_type": "continuance",
            "movant": "dhs" if actor == "dhs1" else "respondent",
            "filed_on": "2026-11-20",
            "filer_id": user_id(actor),
        },
        None,
    )


def _appeal(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    # A notice of appeal lies from a decision: a decided case of its own, attorney1 of
    # record (tests/server/test_board_appeals.py has the intake's and the Board's parts).
    from tests.server.test_board_appeals import appeal_data, decided_case

    api = Api(app.test_client())
    fresh = decided_case(api, TokenBook(api), days_ago=5)
    return ("appeal", appeal_data(fresh, actor), None)


def _judges_case(app: Flask) -> str:
    # A case of judge1's own: a decision moves its status, which the shared case keeps.
    fresh = case_data(SFR, judge="judge1")
    clerk = Api(app.test_client())
    applied(clerk, clerk.login("clerk1"), "case", fresh)
    return str(fresh["id"])


def _pleading(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    data = {
        "id": new_id(),
        "case_id": _judges_case(app),
        "judge_id": user_id("judge1"),
        "pleaded_on": "2026-11-20",
        "allegations": [{"number": 1, "text": "Not a citizen", "plea": "admitted"}],
        "designated_country": "Peru",
        "relief_sought": ["asylum"],
        "recorded_at": "2026-11-27T15:00:00Z",
    }
    return ("pleading", data, None)


def _decision(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    data = {
        "id": new_id(),
        "case_id": _judges_case(app),
        "judge_id": user_id("judge1"),
        "decided_on": "2026-11-20",
        "completion": "terminated",
        "appeal_waived_by": ["respondent", "dhs"],
        "recorded_at": "2026-11-27T15:00:00Z",
    }
    return ("decision", data, None)


def _board_decision(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    # An appeal DHS filed and the Board's clerk docketed, assigned in the actor's name
    # (tests/server/test_board_decisions.py has the Board's decisions in full).
    from tests.server.test_board_decisions import MEMBERS, _before_the_board, assignment

    api = Api(app.test_client())
    fresh, appeal = _before_the_board(api, TokenBook(api))
    data = assignment(fresh, appeal, MEMBERS, assigned_by=user_id(actor))
    return ("board_decision", data, None)


def _board_vote(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    # A panel's drafted decision (board_member1 writes, and sits on it): the actor's vote.
    from tests.server.test_board_decisions import MEMBERS, _assigned_and_drafted, vote

    api = Api(app.test_client())
    _, decision, _, _ = _assigned_and_drafted(api, TokenBook(api), MEMBERS)
    return ("board_vote", vote(decision, actor, "join"), None)


def _court(app: Flask, actor: str, case: str) -> tuple[str, dict[str, Any], None]:
    return (
        "court",
        {
            "id": new_id(),
            "code": "TST",
            "name": "Test Immigration Court",
            "address": "1 Main St",
            "city": "Testville",
            "state": "TX",
            "timezone": "America/Chicago",
        },
        None,
    )


WRITE_CASES: dict[str, tuple[Build, frozenset[str]]] = {
    # The clerk enters a paper motion; a party files one with its filing and document, and
    # the judge rules on it (tests/server/test_motions.py).
    "motion": (_motion, frozenset({"clerk"})),
    "court": (_court, frozenset()),
    "courtroom": (
        lambda app, actor, case: ("courtroom", courtroom_data(SFR), None),
        frozenset({"court_admin"}),
    ),
    "user_profile": (_user_profile, frozenset({"court_admin"})),
    "case": (_case, frozenset({"clerk"})),
    "representation": (
        lambda app, actor, case: ("representation", representation_data(case, "attorney2"), None),
        frozenset({"clerk"}),
    ),
    "hearing": (
        lambda app, actor, case: ("hearing", hearing_data(case), None),
        frozenset({"clerk"}),
    ),
    "document": (
        lambda app, actor, case: (
            "document",
            document_data(app, case, filer=actor, status="pending")
            | ({"filer_party": "dhs"} if actor.startswith("dhs") else {}),
            None,
        ),
        frozenset({"clerk", "attorney", "dhs"}),
    ),
    "annotation": (
        lambda app, actor, case: (
            "annotation",
            annotation_data(a_document(app, case), actor),
            None,
        ),
        frozenset({"judge", "clerk", "court_admin"}),
    ),
    "order": (
        lambda app, actor, case: ("order", order_data(case, "judge1"), None),
        frozenset({"judge", "clerk"}),
    ),
    "filing": (
        lambda app, actor, case: ("filing", filing_data(case, SFR, actor), None),
        frozenset({"clerk", "attorney", "dhs"}),
    ),
    "service_record": (_service_record, frozenset({"clerk"})),
    "rop_request": (
        lambda app, actor, case: (
            "rop_request",
            {
                "id": new_id(),
                "case_id": case,
                "requester_id": user_id(actor),
                "requested_at": "2026-11-27T15:00:00Z",
            },
            None,
        ),
        frozenset({"judge", "clerk", "court_admin", "attorney", "dhs"}),
    ),
    "adjournment_code": (
        lambda app, actor, case: ("adjournment_code", adjournment_code_data(), None),
        frozenset({"eoir_staff"}),  # nationwide: EOIR's, not any court administrator's
    ),
    # The clerk records any entry (a paper EOIR-33, a detention facility); DHS the notice
    # to appear's address or a facility; counsel files an EOIR-33 for the clerk to accept.
    "address": (
        lambda app, actor, case: (
            "address",
            {
                "id": new_id(),
                "case_id": case,
                "kind": "custodial",
                "street": "1623 East J Street",
                "city": "Tacoma",
                "state": "WA",
                "zip": "98421",
                "in_care_of": "Custodial officer, Northwest ICE Processing Center",
                "effective_on": "2026-11-20",
                "recorded_at": "2026-11-27T15:00:00Z",
            },
            None,
        ),
        frozenset({"clerk", "dhs"}),
    ),
    # DHS, the custodian, reports detentions, transfers and releases; the clerk records
    # one DHS sent on paper.
    "custody_change": (_custody_change, frozenset({"clerk", "dhs"})),
    # The clerk dockets the request; DHS and the judge change it afterwards (their parts).
    "bond": (_bond, frozenset({"clerk"})),
    # A party of record files the EOIR-26 (counsel with an EOIR-28 there, DHS at its
    # courts); the Board's clerk then rejects or dockets it.
    "appeal": (_appeal, frozenset({"attorney", "dhs"})),
    # The judge of the case takes the pleadings and decides it from the bench.
    "pleading": (_pleading, frozenset({"judge"})),
    "decision": (_decision, frozenset({"judge"})),
    # The Board's clerk assigns an appeal; an assigned member signs their own vote.
    "board_decision": (_board_decision, frozenset({"board_clerk"})),
    "board_vote": (_board_vote, frozenset({"board_member"})),
}


ATTORNEY_CASE = demo_id("case", 12)  # SFR; attorney1's EOIR-28 there is accepted


def test_every_entity_has_a_write_row(seeded_app: Flask) -> None:
    assert set(WRITE_CASES) == set(ENTITY_SCHEMAS)
    appearance = stored(seeded_app, "representation", demo_id("representation", 12))
    assert appearance is not None
    assert appearance[0]["case_id"] == ATTORNEY_CASE
    assert appearance[0]["practitioner_id"] == user_id("attorney1")
    assert appearance[0]["status"] == "accepted"


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
@pytest.mark.parametrize("entity", sorted(WRITE_CASES))
def test_write_access(
    api: Api, tokens: TokenBook, seeded_app: Flask, entity: str, role: str
) -> None:
    build, writers = WRITE_CASES[entity]
    kind, data, base = build(seeded_app, USERS[role], ATTORNEY_CASE)
    response = api.client.post(
        "/api/v1/sync/push",
        headers=api.headers(tokens[USERS[role]]),
        json={"client_id": "matrix", "mutations": [mutation(kind, data, base_version=base)]},
    )

    (result,) = response.get_json()["results"]
    if role in writers:
        assert result["status"] == "applied", result
    else:
        assert result["status"] == "rejected" and result["error"], result
