"""Notices of hearing for changes a clerk made offline: the desktop's local copy and sync
engine against a real server process (``live_server``), stopped while the clerk works.

When the queued changes reach the server, each moved hearing is noticed exactly once: a
push replayed after its answer was lost issues nothing more, and a clerk who moves a whole
calendar (thirty hearings) serves thirty notices, one per hearing (8 CFR 1003.18(b);
INA 239(a)(2)(A): written notice of each change in the time or place of a hearing).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, select

from common.court_time import format_datetime
from common.enums import HearingStatus, HearingType, Medium
from common.hearing_notices import pdf_text
from common.wire import Hearing
from desktop.api_client import ApiClient, ApiError
from desktop.clerk_actions import reschedule
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine
from sync_server.models import AuditEntry, DocumentRow, ServiceRecordRow
from tests.conftest import DEMO_PASSWORD, LiveServer

pytestmark = pytest.mark.slow

PACIFIC = "America/Los_Angeles"


def _clerk(live_server: LiveServer, tmp_path: Path) -> tuple[ApiClient, LocalStore, SyncEngine]:
    client = ApiClient(live_server.url)
    client.login("clerk1", DEMO_PASSWORD)
    store = LocalStore(tmp_path / "clerk1.sqlite3")
    engine = SyncEngine(client, store)
    engine.sync_once()
    return client, store, engine


def _court_of(store: LocalStore, case_id: str) -> dict[str, Any]:
    case = store.get("case", case_id)
    assert case is not None
    court = store.get("court", case["court_id"])
    assert court is not None and court["timezone"] == PACIFIC
    return court


def _notices_in_db(live_server: LiveServer) -> list[tuple[str, str, str]]:
    db = create_engine(live_server.env["ECAS_DATABASE_URL"])
    try:
        with db.connect() as conn:
            rows = conn.execute(
                select(DocumentRow.id, DocumentRow.case_id, DocumentRow.title).where(
                    DocumentRow.doc_type == "hearing_notice"
                )
            ).all()
    finally:
        db.dispose()
    return [(r.id, r.case_id, r.title) for r in rows]


def _issues_by_hearing(live_server: LiveServer) -> Counter[str]:
    db = create_engine(live_server.env["ECAS_DATABASE_URL"])
    try:
        with db.connect() as conn:
            rows = conn.execute(
                select(AuditEntry.detail).where(AuditEntry.action == "notice.issue")
            ).all()
    finally:
        db.dispose()
    return Counter(str(r.detail["hearing_id"]) for r in rows)


def test_a_hearing_moved_offline_is_noticed_once_when_the_change_syncs(
    live_server: LiveServer, tmp_path: Path
) -> None:
    client, store, engine = _clerk(live_server, tmp_path)
    assert client.session is not None
    scheduled = sorted(
        (h for h in store.all("hearing") if h["status"] == HearingStatus.SCHEDULED.value),
        key=lambda h: str(h["id"]),
    )
    hearing = Hearing.model_validate(scheduled[0])
    _court_of(store, hearing.case_id)  # San Francisco: the times below are Pacific
    before = _notices_in_db(live_server)

    live_server.stop()  # the server goes down; the clerk keeps working
    new_start = hearing.starts_at + timedelta(days=35)
    store.save(reschedule(hearing, new_start))
    with pytest.raises(ApiError):
        engine.sync_once()
    [queued] = store.pending()
    assert _notices_in_db(live_server) == before  # nothing reached the server

    live_server.start()
    report = engine.sync_once()
    assert report.pushed == 1 and report.rejected == 0 and not store.issues()
    # The answer was lost, say: the same mutation sent again is answered from the stored
    # result, and issues nothing more.
    replay = requests.post(
        f"{live_server.url}/api/v1/sync/push",
        timeout=30,
        headers={"Authorization": f"Bearer {client.session.access_token}"},
        json={
            "client_id": store.client_id,
            "mutations": [
                {
                    "mutation_id": queued.mutation_id,
                    "entity": "hearing",
                    "id": hearing.id,
                    "op": "upsert",
                    "base_version": queued.base_version,
                    "data": queued.data,
                }
            ],
        },
    )
    assert replay.json()["results"][0]["status"] == "applied"
    engine.sync_once()

    after = [n for n in _notices_in_db(live_server) if n not in before]
    assert len(after) == 1 and _issues_by_hearing(live_server)[hearing.id] == 1
    notice_id, case_id, title = after[0]
    assert case_id == hearing.case_id and title.startswith("Notice of hearing (reset)")
    # The clerk's copy holds the notice and its service records after the sync.
    local = store.get("document", notice_id)
    assert local is not None and local["status"] == "accepted"
    db = create_engine(live_server.env["ECAS_DATABASE_URL"])
    try:
        with db.connect() as conn:
            served = conn.execute(
                select(ServiceRecordRow.id).where(ServiceRecordRow.document_id == notice_id)
            ).all()
    finally:
        db.dispose()
    local_served = [s for s in store.all("service_record") if s["document_id"] == notice_id]
    assert sorted(s["id"] for s in local_served) == sorted(r.id for r in served)
    assert any(s["party"] == "dhs" for s in local_served)

    pdf = requests.get(
        f"{live_server.url}/api/v1/blobs/{local['sha256']}",
        timeout=30,
        headers={"Authorization": f"Bearer {client.session.access_token}"},
    ).content
    text = " ".join(pdf_text(pdf).split())
    assert "NOTICE OF HEARING (HEARING RESET)" in text
    assert f"set for {format_datetime(hearing.starts_at, PACIFIC)} has been changed" in text
    assert f"Date and time: {format_datetime(new_start, PACIFIC)}" in text
    assert "CERTIFICATE OF SERVICE" in text and "Form EOIR-33/IC" in text
    store.engine.dispose()


def test_thirty_hearings_moved_offline_give_thirty_notices(
    live_server: LiveServer, tmp_path: Path
) -> None:
    client, store, engine = _clerk(live_server, tmp_path)
    me = client.session.user if client.session else {}
    cases = sorted(
        (
            c
            for c in store.all("case")
            if c["court_id"] == me.get("court_id") and c["status"] == "pending"
        ),
        key=lambda c: str(c["id"]),
    )
    assert len(cases) >= 3
    court = _court_of(store, cases[0]["id"])
    assert court["id"] == me.get("court_id")
    room = next(r for r in store.all("courtroom") if r["court_id"] == court["id"])
    # A day's calendar: thirty master hearings, every 15 minutes from 8:00 in San Francisco.
    day = datetime.fromisoformat("2027-02-02T08:00:00-08:00")
    calendar = [
        Hearing(
            id=str(uuid.uuid4()),
            case_id=cases[i % len(cases)]["id"],
            courtroom_id=room["id"],
            hearing_type=HearingType.MASTER,
            medium=Medium.IN_PERSON,
            starts_at=day + timedelta(minutes=15 * i),
            duration_minutes=15,
        )
        for i in range(30)
    ]
    for hearing in calendar:
        store.save(hearing)
    assert engine.sync_once().pushed == 30
    before = _notices_in_db(live_server)

    live_server.stop()  # the judge is away: the clerk moves the whole day, offline
    for hearing in calendar:
        current = Hearing.model_validate(store.get("hearing", hearing.id))
        store.save(reschedule(current, current.starts_at + timedelta(days=7)))
    with pytest.raises(ApiError):
        engine.sync_once()
    assert len(store.pending(100)) == 30

    live_server.start()
    report = engine.sync_once()
    assert report.pushed == 30 and report.rejected == 0 and not store.issues()
    engine.sync_once()

    moved = [n for n in _notices_in_db(live_server) if n not in before]
    assert len(moved) == 30
    assert all(title.startswith("Notice of hearing (reset)") for _, _, title in moved)
    issued = _issues_by_hearing(live_server)
    assert all(issued[h.id] == 2 for h in calendar)  # set, then moved: one notice each
    local = {d["id"] for d in store.all("document") if d["doc_type"] == "hearing_notice"}
    assert {n for n, _, _ in moved} <= local
    store.engine.dispose()
