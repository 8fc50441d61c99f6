"""``POST /api/v1/cases/<id>/access-code``: the desktop's way to replace a case access code
(the portal's clerk page does the same). The clerk of the case's court gets the new code
once in the answer; the rotation is audited without it; the old code stops working; another
court's clerk is answered as for an unknown case, other roles are refused; the next mailed
notice carries a live code again."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from common.hearing_notices import pdf_text
from sync_server.models.respondents import CaseAccessCode
from sync_server.services import access_codes
from tests.conftest import Api, mutation
from tests.portal.portal_helpers import audit_rows
from tests.portal.respondent_flows import (
    CODE,
    MailedCase,
    a_hearing,
    access_code,
    mailed_case,
    mailed_copy,
)
from tests.server.sync_helpers import TokenBook


@pytest.fixture
def tokens(api: Api) -> TokenBook:
    return TokenBook(api)


@pytest.fixture
def case(api: Api, tokens: TokenBook) -> MailedCase:
    return mailed_case(api, tokens["clerk1"])


def _stored(app: Flask, case_id: str) -> str:
    with app.extensions["ecas"].factory() as session:
        row = session.get(CaseAccessCode, case_id)
        assert row is not None
        return row.code_hash


def test_the_clerk_gets_a_new_code_once_audited_without_it(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    old = access_code(seeded_app, case.case_id)
    path = f"/api/v1/cases/{case.case_id}/access-code"
    response = api.client.post(path, headers=api.headers(tokens["clerk1"]))
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["case_id"] == case.case_id and body["a_number"] == case.a_number_shown
    new = body["code"]
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", new) and new != old
    stored = _stored(seeded_app, case.case_id)
    assert access_codes.matches(new, stored) and not access_codes.matches(old, stored)
    [rotated] = [
        r
        for r in audit_rows(seeded_app, "access_code.issue")
        if r.record_id == case.case_id and r.detail["reason"] == "rotated"
    ]
    assert new not in str(rotated.detail) and access_codes.normalise(new) not in str(rotated.detail)

    # The next notice mailed to the respondent prints a live code again (each mailed notice
    # issues one; the database keeps hashes only, so it can't reprint the clerk's).
    results = api.push(
        tokens["clerk1"], mutation("hearing", a_hearing(case.case_id, "2027-04-01T16:00:00Z"))
    )
    assert results[0]["status"] == "applied", results
    found = CODE.search(" ".join(pdf_text(mailed_copy(seeded_app, case.case_id)).split()))
    assert found and access_codes.matches(found.group(1), _stored(seeded_app, case.case_id))


def test_only_the_clerk_of_the_case_court_replaces_it(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    before = _stored(seeded_app, case.case_id)
    path = f"/api/v1/cases/{case.case_id}/access-code"
    assert api.client.post(path, headers=api.headers(tokens["clerk3"])).status_code == 404
    for user in ("judge1", "attorney1", "dhs1", "eoir1"):
        assert api.client.post(path, headers=api.headers(tokens[user])).status_code == 403
    assert api.client.post(path).status_code == 401
    assert _stored(seeded_app, case.case_id) == before
    # Each signed-in refusal is audited in full. (The anonymous one is too, unless another
    # test's anonymous refusal from this address came first in the same minute: then it is
    # counted in that minute's coalesced entry; tests/server/test_audit_tamper covers that.)
    refused = [
        r.detail["status"]
        for r in audit_rows(seeded_app, "access.refused")
        if r.detail.get("path") == path and r.actor_id is not None
    ]
    assert sorted(refused) == [403, 403, 403, 403, 404], refused
