"""The hash-chained audit log: what is recorded, and that tampering is found."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from common.enums import Role
from sync_server.db import write_transaction
from sync_server.models import CaseRow, DocumentRow
from sync_server.services import audit
from sync_server.services.auth import create_user, exempt_from_api_second_factor
from tests.conftest import REPO, Api, court_id, mutation, user_id
from tests.server.audit_helpers import (
    assert_broken_at,
    cut_from,
    delete_entry,
    edit_detail,
    entries_after,
    max_seq,
    raw_sql,
    verify,
)

PASSWORD = "correct horse battery staple"


def _sfr_document(app: Flask) -> DocumentRow:
    with app.extensions["ecas"].factory() as session:
        doc: DocumentRow | None = session.scalar(
            select(DocumentRow)
            .join(CaseRow, CaseRow.id == DocumentRow.case_id)
            .where(CaseRow.court_id == court_id("SFR"), DocumentRow.status == "accepted")
            .order_by(DocumentRow.id)
            .limit(1)
        )
        assert doc is not None
        return doc


@pytest.fixture
def chained_app(fresh_app: Flask) -> Flask:
    """A server of its own with a short chain: an account made, then four sign-ins."""
    with write_transaction(fresh_app.extensions["ecas"].factory) as session:
        auditee = create_user(
            session,
            username="auditee",
            password=PASSWORD,
            role=Role.ATTORNEY,
            display_name="Attorney Auditee",
        )
        exempt_from_api_second_factor(session, auditee, "test account")  # no authenticator app
    client = fresh_app.test_client()
    for _ in range(4):
        response = client.post(
            "/api/v1/auth/login", json={"username": "auditee", "password": PASSWORD}
        )
        assert response.status_code == 200
    assert max_seq(fresh_app) == 5
    return fresh_app


def test_each_sign_in_and_failed_sign_in_is_recorded(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    before = max_seq(seeded_app)
    client.post("/api/v1/auth/login", json={"username": "judge2", "password": "wrong"})
    client.post("/api/v1/auth/login", json={"username": "judge2", "password": "test-password-123"})
    entries = [e for e in entries_after(seeded_app, before) if e.actor_id == user_id("judge2")]
    assert [e.action for e in entries] == ["auth.login_failed", "auth.login"]


def test_each_pushed_change_is_recorded_with_its_data(api: Api, seeded_app: Flask) -> None:
    doc = _sfr_document(seeded_app)
    token = api.login("judge1")
    before = max_seq(seeded_app)
    note = mutation(
        "annotation",
        {
            "document_id": doc.id,
            "document_sha256": doc.sha256,
            "author_id": user_id("judge1"),
            "kind": "highlight",
            "page": 0,
            "geometry": {"rect": [72, 60, 200, 80]},
            "comment": "check the date of service",
            "created_at": datetime(2026, 11, 27, 9, tzinfo=UTC).isoformat(),
        },
    )
    [result] = api.push(token, note)
    assert result["status"] == "applied", result
    [entry] = [e for e in entries_after(seeded_app, before) if e.record_id == note["id"]]
    assert entry.action == "record.create"
    assert entry.actor_id == user_id("judge1")
    assert entry.entity == "annotation"
    assert entry.detail["version"] == result["version"]
    assert entry.detail["data"]["comment"] == "check the date of service"


def test_a_rejected_change_records_no_change(api: Api, seeded_app: Flask) -> None:
    token = api.login("attorney2")
    before = max_seq(seeded_app)
    bad = mutation(
        "court",
        {
            "code": "XXX",
            "name": "Nowhere",
            "address": "-",
            "city": "-",
            "state": "CA",
            "timezone": "UTC",
        },
    )
    [result] = api.push(token, bad)
    assert result["status"] == "rejected"
    # The refusal is recorded (tests/server/test_audit_tamper.py), the change is not.
    entries = [e for e in entries_after(seeded_app, before) if e.record_id == bad["id"]]
    assert [e.action for e in entries] == ["sync.mutation_refused"]


def test_each_document_read_is_recorded(api: Api, seeded_app: Flask) -> None:
    doc = _sfr_document(seeded_app)
    token = api.login("clerk2")
    before = max_seq(seeded_app)
    for _ in range(2):
        response = api.client.get(f"/api/v1/blobs/{doc.sha256}", headers=api.headers(token))
        assert response.status_code == 200
    reads = [
        e
        for e in entries_after(seeded_app, before)
        if e.action == "document.read" and e.actor_id == user_id("clerk2")
    ]
    assert [e.record_id for e in reads] == [doc.sha256, doc.sha256]


def test_an_untouched_chain_verifies(seeded_app: Flask, chained_app: Flask) -> None:
    assert verify(chained_app) == audit.ChainReport(5, None, None)
    seeded = verify(seeded_app)
    assert seeded.ok, seeded
    assert seeded.entries == max_seq(seeded_app)


def test_an_altered_detail_is_reported_at_its_entry(chained_app: Flask) -> None:
    edit_detail(chained_app, 3)
    assert_broken_at(verify(chained_app), 3, "altered")


def test_an_altered_actor_is_reported_at_its_entry(chained_app: Flask) -> None:
    raw_sql(
        chained_app,
        "UPDATE audit_entry SET actor_id = :actor WHERE seq = 4",
        actor=str(uuid.uuid4()),
    )
    assert verify(chained_app).first_broken_seq == 4


def test_a_deleted_middle_entry_is_reported(chained_app: Flask) -> None:
    delete_entry(chained_app, 3)
    assert_broken_at(verify(chained_app), 3, "missing")


def test_deleting_the_newest_entries_is_reported(chained_app: Flask) -> None:
    cut_from(chained_app, 4)
    assert_broken_at(verify(chained_app), 4, "newest entries were removed")


def _verify_audit_cli(app: Flask) -> subprocess.CompletedProcess[str]:
    config = app.extensions["ecas"].config
    env = {
        **os.environ,
        "ECAS_DATABASE_URL": config.database_url,
        "ECAS_DATA_DIR": str(config.data_dir),
        "ECAS_SECRET_KEY": config.secret_key,
        "PYTHONPATH": str(REPO),
    }
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", "verify-audit"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_verify_audit_command_passes_an_intact_chain(chained_app: Flask) -> None:
    done = _verify_audit_cli(chained_app)
    assert done.returncode == 0, done.stderr
    assert "intact: 5 entries" in done.stdout


def test_verify_audit_command_names_the_broken_entry(chained_app: Flask) -> None:
    raw_sql(chained_app, "UPDATE audit_entry SET action = 'auth.logout' WHERE seq = 2")
    done = _verify_audit_cli(chained_app)
    assert done.returncode == 1
    assert "BROKEN at entry 2" in done.stderr
