"""``/api/v1/rop-packages``: parties of record get the package, nobody else learns of it."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

from flask import Flask
from sqlalchemy import select

from common.enums import AppearanceScope, FilingKind, RepresentationStatus
from common.wire import Representation
from sync_server.db import write_transaction
from sync_server.models import AuditEntry, RepresentationRow
from sync_server.services.records import write_record
from tests.conftest import Api, user_id
from tests.packages.conftest import drain, make_case, read_back, text_pdf

BASE = "/api/v1/rop-packages"


def _ask(api: Api, token: str, case_id: str) -> tuple[int, dict[str, object]]:
    response = api.client.post(BASE, headers=api.headers(token), json={"case_id": case_id})
    return response.status_code, response.get_json()


def _audit(app: Flask, request_id: str) -> list[tuple[str, str | None]]:
    with app.extensions["ecas"].factory() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.actor_id)
            .where(AuditEntry.record_id == request_id)
            .order_by(AuditEntry.seq)
        ).all()
    return [(a, actor) for a, actor in rows]


def test_a_party_requests_follows_and_downloads_the_package(seeded_app: Flask, api: Api) -> None:
    drain(seeded_app)
    case = make_case(seeded_app, [("NTA", text_pdf(2, "N")), ("I-589", text_pdf(3, "I"))])
    token = api.login("attorney1")
    status, body = _ask(api, token, case.id)
    assert status == 202, body
    request_id = str(body["id"])
    assert (body["status"], body["progress"], body["sha256"]) == ("queued", 0.0, None)

    early = api.client.get(f"{BASE}/{request_id}/download", headers=api.headers(token))
    assert early.status_code == 409
    assert "not ready" in early.get_json()["detail"]

    assert drain(seeded_app) == 1
    follow = api.client.get(f"{BASE}/{request_id}", headers=api.headers(token)).get_json()
    assert (follow["status"], follow["progress"], follow["pages"]) == ("done", 1.0, 6)

    download = api.client.get(f"{BASE}/{request_id}/download", headers=api.headers(token))
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert f"eROP-A{case.a_number}-" in download.headers["Content-Disposition"]
    assert hashlib.sha256(download.data).hexdigest() == follow["sha256"]
    assert read_back(download.data).pages == 6

    attorney = user_id("attorney1")
    assert _audit(seeded_app, request_id) == [
        ("rop.request", attorney),
        ("rop.built", None),
        ("rop.download", attorney),
    ]


def test_dhs_at_the_court_and_court_staff_may_ask_too(seeded_app: Flask, api: Api) -> None:
    case = make_case(seeded_app, [("NTA", text_pdf(1, "N"))], court="SFR")
    for username in ("dhs1", "clerk1", "judge1"):
        status, body = _ask(api, api.login(username), case.id)
        assert status == 202, (username, body)
    drain(seeded_app)


def test_non_parties_get_not_found_and_learn_nothing(seeded_app: Flask, api: Api) -> None:
    case = make_case(seeded_app, [("NTA", text_pdf(1, "N"))], court="SFR")
    owner = api.login("attorney1")
    status, body = _ask(api, owner, case.id)
    assert status == 202
    request_id = str(body["id"])
    drain(seeded_app)
    unknown = str(uuid.uuid4())
    # attorney2 has no appearance, dhs2 works other courts, clerk3 sits at another court.
    for username in ("attorney2", "dhs2", "clerk3"):
        token = api.login(username)
        for case_id in (case.id, unknown):
            status, body = _ask(api, token, case_id)
            assert status == 404, (username, body)
            assert body["detail"] == "No such case or record request."
        for path in (f"{BASE}/{request_id}", f"{BASE}/{request_id}/download"):
            response = api.client.get(path, headers=api.headers(token))
            assert response.status_code == 404, (username, path)
    # Another party of the case does not get someone else's request either.
    response = api.client.get(f"{BASE}/{request_id}", headers=api.headers(api.login("dhs1")))
    assert response.status_code == 404
    seeded_app.extensions["ecas"].refusals.flush()  # refusals are written in batches
    trail = _audit(seeded_app, request_id)
    assert [a for a, _ in trail if a.startswith("rop.")] == ["rop.request", "rop.built"]
    # Each probe is recorded as a refusal, never as a read.
    probers = {user_id(u) for u in ("attorney2", "dhs2", "clerk3", "dhs1")}
    assert {actor for a, actor in trail if a == "access.refused"} == probers


def test_a_withdrawn_attorney_loses_the_download(seeded_app: Flask, api: Api) -> None:
    case = make_case(seeded_app, [("NTA", text_pdf(1, "N"))], attorney=None)
    factory = seeded_app.extensions["ecas"].factory
    rep = Representation(
        id=str(uuid.uuid4()),
        case_id=case.id,
        practitioner_id=user_id("attorney2"),
        form=FilingKind.EOIR_28,
        scope=AppearanceScope.ALL_PROCEEDINGS,
        status=RepresentationStatus.ACCEPTED,
        accepted_on=date(2026, 1, 20),
    )
    with write_transaction(factory) as session:
        write_record(session, rep)
    token = api.login("attorney2")
    status, body = _ask(api, token, case.id)
    assert status == 202
    drain(seeded_app)
    with write_transaction(factory) as session:
        row = session.get(RepresentationRow, rep.id)
        assert row is not None
        withdrawn = rep.model_copy(update={"status": RepresentationStatus.WITHDRAWN})
        write_record(session, withdrawn)
    response = api.client.get(f"{BASE}/{body['id']}/download", headers=api.headers(token))
    assert response.status_code == 404


def test_sign_in_roles_and_bad_bodies(seeded_app: Flask, api: Api) -> None:
    case = make_case(seeded_app, [("NTA", text_pdf(1, "N"))])
    anonymous = api.client.post(BASE, json={"case_id": case.id})
    assert anonymous.status_code == 401
    assert api.client.get(f"{BASE}/{uuid.uuid4()}").status_code == 401
    status, _ = _ask(api, api.login("eoir1"), case.id)
    assert status == 403  # EOIR staff read; they make no records
    token = api.login("attorney1")
    for bad in ({}, {"case_id": ""}, {"case_id": case.id, "extra": 1}):
        response = api.client.post(BASE, headers=api.headers(token), json=bad)
        assert response.status_code == 422, bad
        assert response.mimetype == "application/problem+json"
    response = api.client.post(
        BASE, headers={**api.headers(token), "Content-Type": "application/json"}, data=b"{"
    )
    assert response.status_code == 400
