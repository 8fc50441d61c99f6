"""The audit trail can't be quietly rewritten: every refused action is in the chain, and
tampering behind the server's back (raw SQL, as someone with database access) is found by
``verify-audit``, including the two kinds the chain alone can't see: the newest entries cut
off with the head moved back, and a history recomputed after a deletion. Those are caught
by the signed anchors kept outside the database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from sqlalchemy import delete, select, text

from common.enums import Role
from sync_server.app import create_app
from sync_server.db import write_transaction
from sync_server.models import AuditEntry, CaseRow, UserRow
from sync_server.services import audit
from sync_server.services.audit_anchors import (
    AnchorKeeper,
    Ed25519Signer,
    FileAnchorSink,
    HmacSigner,
    S3AnchorSink,
    read_anchors,
    sign,
    signer_from,
)
from sync_server.services.auth import create_user, exempt_from_api_second_factor
from sync_server.services.refusals import RefusalLog
from tests.conftest import REPO, Api, make_database, mutation, server_config, user_id
from tests.server.audit_helpers import (
    assert_broken_at,
    cut_from,
    delete_entry,
    edit_detail,
    max_seq,
    verify,
)

PASSWORD = "correct horse battery staple"
ANCHOR_KEY = "anchor-key-for-tests-" + "k" * 24
HMAC = HmacSigner(ANCHOR_KEY.encode())


# --- a server with anchors, and raw SQL behind its back -----------------------------------------


@pytest.fixture
def anchored_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An empty server of its own whose anchors go to ``tmp_path/anchors``; its chain: an
    account made, then eight sign-ins (nine entries), anchored at entries 5 and 9."""
    with make_database(backend, tmp_path) as url:
        config = server_config(
            url,
            tmp_path,
            audit_anchor_dir=str(tmp_path / "anchors"),
            audit_anchor_key=ANCHOR_KEY,
        )
        app = create_app(config)
        services = app.extensions["ecas"]
        with write_transaction(services.factory) as session:
            auditee = create_user(
                session,
                username="auditee",
                password=PASSWORD,
                role=Role.ATTORNEY,
                display_name="Attorney Auditee",
            )
            exempt_from_api_second_factor(session, auditee, "test account")
        client = app.test_client()
        for n in range(8):
            response = client.post(
                "/api/v1/auth/login", json={"username": "auditee", "password": PASSWORD}
            )
            assert response.status_code == 200
            if n in (3, 7):
                services.anchors.anchor_now()
        assert max_seq(app) == 9
        yield app
        services.anchors.close()
        services.engine.dispose()


def _verify(app: Flask, *, with_anchors: bool = True) -> audit.ChainReport:
    keeper = app.extensions["ecas"].anchors
    anchors = read_anchors(keeper.sink, keeper.signer).anchors if with_anchors else []
    return verify(app, anchors)


def _rows(app: Flask) -> list[dict[str, Any]]:
    table = AuditEntry.metadata.tables["audit_entry"]
    with app.extensions["ecas"].engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.seq))]


def _rewrite_from(app: Flask, first_seq: int, kept: list[dict[str, Any]]) -> None:
    """Replace every entry from ``first_seq`` on with ``kept``, renumbered and re-hashed so
    every link holds, and move the head to match: what an insider who knows the hash
    recipe (it is in the source) can do with write access to the database."""
    prev = GENESIS if first_seq == 1 else _rows(app)[first_seq - 2]["hash"]
    fresh = []
    for seq, row in enumerate(kept, start=first_seq):
        digest = audit.entry_hash(
            seq,
            row["at"],
            row["actor_id"],
            row["action"],
            row["entity"],
            row["record_id"],
            row["detail"],
            prev,
        )
        fresh.append({**row, "seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    table = AuditEntry.metadata.tables["audit_entry"]
    with app.extensions["ecas"].engine.begin() as conn:
        conn.execute(delete(table).where(table.c.seq >= first_seq))
        if fresh:
            conn.execute(table.insert(), fresh)
        conn.execute(
            text("UPDATE server_state SET audit_seq = :seq, audit_head = :head WHERE id = 1"),
            {"seq": first_seq - 1 + len(fresh), "head": prev},
        )


GENESIS = audit.GENESIS


# --- tampering ----------------------------------------------------------------------------------


def test_an_untouched_chain_passes_against_its_anchors(anchored_app: Flask) -> None:
    report = _verify(anchored_app)
    assert report.ok, report
    assert (report.entries, report.anchors, report.newest_anchor_seq) == (9, 2, 9)


def test_an_edited_entry_is_found(anchored_app: Flask) -> None:
    edit_detail(anchored_app, 3)
    assert_broken_at(_verify(anchored_app), 3, "altered")


def test_a_deleted_middle_entry_is_found(anchored_app: Flask) -> None:
    delete_entry(anchored_app, 4)
    assert_broken_at(_verify(anchored_app), 4, "missing")


def test_a_truncated_tail_is_found(anchored_app: Flask) -> None:
    cut_from(anchored_app, 7)
    assert_broken_at(_verify(anchored_app), 7, "removed")


def test_a_truncated_tail_with_the_head_moved_back_is_found_by_the_anchors(
    anchored_app: Flask,
) -> None:
    _rewrite_from(anchored_app, 7, [])  # entries 7-9 gone, the head now names entry 6
    assert _verify(anchored_app, with_anchors=False).ok  # the chain alone can't tell
    report = _verify(anchored_app)
    assert report.first_broken_seq == 7
    assert report.reason is not None
    assert "ends at entry 6" in report.reason and "records entry 9" in report.reason


def test_a_history_rechained_after_a_deletion_is_found_by_the_anchors(
    anchored_app: Flask,
) -> None:
    rows = _rows(anchored_app)
    _rewrite_from(anchored_app, 3, rows[3:])  # entry 3 dropped, 4-9 renumbered, re-hashed
    assert max_seq(anchored_app) == 8
    assert _verify(anchored_app, with_anchors=False).ok  # every link holds
    report = _verify(anchored_app)
    assert report.first_broken_seq == 5  # the first anchored entry of the rewritten part
    assert report.reason is not None and "rewritten" in report.reason


def test_an_entry_edited_and_rechained_is_found_by_the_anchors(anchored_app: Flask) -> None:
    rows = _rows(anchored_app)
    rows[1]["detail"] = {"second_factor": "totp"}
    _rewrite_from(anchored_app, 2, rows[1:])
    assert _verify(anchored_app, with_anchors=False).ok
    assert _verify(anchored_app).first_broken_seq == 5


def test_an_anchor_edited_without_the_key_is_refused(anchored_app: Flask, tmp_path: Path) -> None:
    sink = anchored_app.extensions["ecas"].anchors.sink
    assert isinstance(sink, FileAnchorSink)
    lines = sink.path.read_bytes().splitlines()
    forged = lines[0].replace(b'"seq":5', b'"seq":4')
    sink.path.write_bytes(b"\n".join([forged, lines[1]]) + b"\n")
    readout = read_anchors(sink, HMAC)
    assert len(readout.anchors) == 1
    assert readout.bad == [
        "audit-anchors.jsonl line 1: its signature does not match "
        "(altered, or signed with another key)"
    ]


def test_anchors_are_due_after_enough_new_entries(anchored_app: Flask) -> None:
    running = anchored_app.extensions["ecas"].anchors
    running.close()  # this test asks the schedule itself, without its thread
    keeper = AnchorKeeper(
        running.factory, running.signer, running.sink, every_entries=2, every_seconds=3600
    )
    assert not keeper.due()  # entry 9 is anchored
    client = anchored_app.test_client()
    client.post("/api/v1/auth/login", json={"username": "auditee", "password": "wrong"})
    assert not keeper.due()
    client.post("/api/v1/auth/login", json={"username": "auditee", "password": "wrong"})
    assert keeper.due()


# --- the commands -------------------------------------------------------------------------------


def _cli(
    app: Flask, *argv: str, env_changes: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    config = app.extensions["ecas"].config
    env: dict[str, str] = {
        **os.environ,
        "ECAS_DATABASE_URL": config.database_url,
        "ECAS_DATA_DIR": str(config.data_dir),
        "ECAS_SECRET_KEY": config.secret_key,
        "ECAS_AUDIT_ANCHOR_DIR": str(config.audit_anchor_dir),
        "ECAS_AUDIT_ANCHOR_KEY": ANCHOR_KEY,
        "ECAS_DEMO": "1",
        "PYTHONPATH": str(REPO),
    }
    for name, value in (env_changes or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, *(argv if argv[0] == "-c" else ("-m", "sync_server.cli", *argv))],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_anchor_audit_command_anchors_the_head_and_verify_audit_reads_it(
    anchored_app: Flask,
) -> None:
    anchored_app.test_client().post(
        "/api/v1/auth/login", json={"username": "auditee", "password": "wrong"}
    )
    done = _cli(anchored_app, "anchor-audit")
    assert done.returncode == 0, done.stderr
    assert "Anchored audit entry 10" in done.stdout
    done = _cli(anchored_app, "verify-audit")
    assert done.returncode == 0, done.stderr
    assert "intact: 10 entries" in done.stdout and "Matches 3 anchors" in done.stdout


SERVE_AND_STOP = """
from sync_server.app import create_app
app = create_app()  # settings from the environment, as gunicorn's workers start it
client = app.test_client()
for _ in range(3):  # three refused sign-ins: three entries, none anchored yet
    client.post("/api/v1/auth/login", json={"username": "auditee", "password": "wrong"})
print("served")
"""


def test_a_stopping_server_anchors_its_head(anchored_app: Flask) -> None:
    done = _cli(anchored_app, "-c", SERVE_AND_STOP)
    assert done.returncode == 0 and "served" in done.stdout, done.stderr
    assert max_seq(anchored_app) == 12
    report = _verify(anchored_app)
    assert report.ok, report
    assert (report.anchors, report.newest_anchor_seq) == (3, 12)  # written at exit


def test_verify_audit_command_reports_a_head_moved_back(anchored_app: Flask) -> None:
    _rewrite_from(anchored_app, 8, [])
    done = _cli(anchored_app, "verify-audit")
    assert done.returncode == 1
    assert "BROKEN at entry 8" in done.stderr and "truncated" in done.stderr


def test_ed25519_anchors_are_checked_with_the_public_key_alone(
    anchored_app: Flask, tmp_path: Path
) -> None:
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_file = tmp_path / "anchor-public.pem"
    public_file.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    signer = signer_from(private_pem)
    assert isinstance(signer, Ed25519Signer)
    folder = tmp_path / "ed25519-anchors"
    running = anchored_app.extensions["ecas"].anchors
    keeper = AnchorKeeper(
        running.factory, signer, FileAnchorSink(folder), every_entries=5, every_seconds=600
    )
    assert keeper.anchor_now() is not None  # entry 9
    auditor = {
        "ECAS_AUDIT_ANCHOR_DIR": str(folder),
        "ECAS_AUDIT_ANCHOR_KEY": None,
        "ECAS_AUDIT_ANCHOR_PUBLIC_KEY_FILE": str(public_file),
    }
    done = _cli(anchored_app, "verify-audit", env_changes=auditor)
    assert done.returncode == 0, done.stderr
    assert "Matches 1 anchor " in done.stdout

    checker = signer_from(None, public_file.read_text())
    assert checker is not None
    with pytest.raises(PermissionError):
        sign(checker, 9, "0" * 64, datetime(2026, 12, 7, tzinfo=UTC))  # checks, can't forge
    _rewrite_from(anchored_app, 3, _rows(anchored_app)[3:])
    done = _cli(anchored_app, "verify-audit", env_changes=auditor)
    assert done.returncode == 1
    assert "BROKEN at entry 9" in done.stderr and "truncated" in done.stderr


def test_an_anchor_signed_with_the_other_kind_of_key_is_refused(anchored_app: Flask) -> None:
    sink = anchored_app.extensions["ecas"].anchors.sink
    ed = signer_from(
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    assert ed is not None
    readout = read_anchors(sink, ed)
    assert readout.anchors == [] and len(readout.bad) == 2
    assert "signed with 'hmac-sha256'" in readout.bad[0]


# --- anchors in S3 with Object Lock (moto) ------------------------------------------------------


def test_anchors_in_an_object_locked_bucket_catch_a_rechained_history(
    anchored_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto = pytest.importorskip("moto")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ECAS_S3_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with moto.mock_aws():
        sink = S3AnchorSink("s3://court-audit/prod", timedelta(days=30))
        sink.client.create_bucket(Bucket="court-audit", ObjectLockEnabledForBucket=True)
        for row in _rows(anchored_app)[4::4]:  # entries 5 and 9
            sink.write(sign(HMAC, row["seq"], row["hash"], row["at"]))
        [first, _] = sink.client.list_objects_v2(Bucket="court-audit")["Contents"]
        head = sink.client.head_object(Bucket="court-audit", Key=first["Key"])
        assert head["ObjectLockMode"] == "COMPLIANCE"
        assert first["Key"].startswith("prod/audit-anchors/000000000000005-")
        readout = read_anchors(sink, HMAC)
        assert [a.seq for a in readout.anchors] == [5, 9] and not readout.bad

        rows = _rows(anchored_app)
        _rewrite_from(anchored_app, 2, rows[2:])
        with anchored_app.extensions["ecas"].factory() as session:
            report = audit.verify_chain(session, readout.anchors)
    assert report.first_broken_seq == 5


# --- refused actions are in the chain ------------------------------------------------------------


def _refusals(app: Flask, after: int, action: str = "access.refused") -> list[AuditEntry]:
    app.extensions["ecas"].refusals.flush()
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.seq > after, AuditEntry.action == action)
                .order_by(AuditEntry.seq)
            )
        )


def _case_outside(app: Flask, username: str) -> str:
    with app.extensions["ecas"].factory() as session:
        court = session.scalar(select(UserRow.court_id).where(UserRow.username == username))
        case_id = session.scalar(
            select(CaseRow.id).where(CaseRow.court_id != court).order_by(CaseRow.id).limit(1)
        )
    assert case_id is not None
    return str(case_id)


def _case_of(app: Flask, username: str) -> str:
    with app.extensions["ecas"].factory() as session:
        court = session.scalar(select(UserRow.court_id).where(UserRow.username == username))
        case_id = session.scalar(
            select(CaseRow.id).where(CaseRow.court_id == court).order_by(CaseRow.id).limit(1)
        )
    assert case_id is not None
    return str(case_id)


def test_a_refused_blob_upload_and_an_unreadable_blob_are_in_the_chain(
    api: Api, seeded_app: Flask
) -> None:
    before = max_seq(seeded_app)
    analyst = api.login("eoir1")  # EOIR staff read; they never upload
    sha = "ab" * 32
    upload = api.client.post(
        "/api/v1/blobs/uploads",
        headers=api.headers(analyst),
        json={"sha256": sha, "size": 10, "filename": "x.pdf"},
    )
    assert upload.status_code == 403
    attorney = api.login("attorney2")
    read = api.client.get(f"/api/v1/blobs/{sha}", headers=api.headers(attorney))
    assert read.status_code == 404
    entries = _refusals(seeded_app, before)
    refused = [(e.actor_id, e.entity, e.record_id, e.detail["reason"]) for e in entries]
    assert refused == [
        (user_id("eoir1"), "blob.upload", None, "role"),
        (user_id("attorney2"), "blob.read", sha, "not_found"),
    ]
    assert entries[1].detail["status"] == 404 and entries[1].detail["client"] == "127.0.0.1"


def test_a_history_out_of_scope_is_refused_and_in_the_chain(api: Api, seeded_app: Flask) -> None:
    case_id = _case_outside(seeded_app, "clerk3")
    before = max_seq(seeded_app)
    token = api.login("clerk3")
    response = api.client.get(f"/api/v1/cases/{case_id}/history", headers=api.headers(token))
    assert response.status_code == 404
    [entry] = _refusals(seeded_app, before)
    assert (entry.actor_id, entry.entity, entry.record_id) == (
        user_id("clerk3"),
        "case.history",
        case_id,
    )
    assert entry.detail["reason"] == "not_found"


def test_a_refused_push_mutation_is_in_the_chain_and_its_change_is_not(
    api: Api, seeded_app: Flask
) -> None:
    token = api.login("attorney2")
    before = max_seq(seeded_app)
    court = mutation(
        "court",
        {
            "code": "ZZZ",
            "name": "Nowhere",
            "address": "-",
            "city": "-",
            "state": "CA",
            "timezone": "UTC",
        },
    )
    [result] = api.push(token, court, client_id="desk-7")
    assert result["status"] == "rejected"
    entries = _refusals(seeded_app, before, "sync.mutation_refused")
    [entry] = [e for e in entries if e.record_id == court["id"]]
    assert (entry.actor_id, entry.entity) == (user_id("attorney2"), "court")
    assert entry.detail["reason"] == result["error"]
    assert entry.detail["mutation_id"] == court["mutation_id"]
    assert entry.detail["client_id"] == "desk-7"


def test_a_refused_package_download_is_in_the_chain(api: Api, seeded_app: Flask) -> None:
    clerk = api.login("clerk1")
    asked = api.client.post(
        "/api/v1/rop-packages",
        headers=api.headers(clerk),
        json={"case_id": _case_of(seeded_app, "clerk1")},
    )
    assert asked.status_code == 202, asked.get_json()
    request_id = asked.get_json()["id"]
    before = max_seq(seeded_app)
    other = api.login("attorney2")
    response = api.client.get(
        f"/api/v1/rop-packages/{request_id}/download", headers=api.headers(other)
    )
    assert response.status_code == 404
    [entry] = _refusals(seeded_app, before)
    assert (entry.actor_id, entry.entity, entry.record_id) == (
        user_id("attorney2"),
        "rop_package.read",
        request_id,
    )


def test_a_refused_registration_review_is_in_the_chain(api: Api, seeded_app: Flask) -> None:
    before = max_seq(seeded_app)
    token = api.login("clerk1")  # a clerk, not the court's administrator
    someone = str(uuid.uuid4())
    response = api.client.post(
        f"/api/v1/registrations/{someone}/approve",
        headers=api.headers(token),
        json={"identity_checked": True},
    )
    assert response.status_code == 403
    [entry] = _refusals(seeded_app, before)
    assert (entry.actor_id, entry.entity, entry.record_id) == (
        user_id("clerk1"),
        "registration.review",
        someone,
    )
    assert entry.detail["reason"] == "role" and entry.detail["method"] == "POST"


def test_a_portal_refusal_is_in_the_chain(seeded_app: Flask) -> None:
    # An address gets one entry of its own a minute; the rest of that minute is counted
    # into one entry when it ends. Other tests on this server may have been refused from
    # 127.0.0.1 this minute (one CI run): close the minute first, as its end would.
    seeded_app.extensions["ecas"].refusals.flush(final=True)
    before = max_seq(seeded_app)
    browser = seeded_app.test_client()
    browser.get("/portal/login")  # the visitor cookie
    response = browser.post("/portal/login", data={"username": "x", "password": "y"})
    assert response.status_code == 403  # no CSRF token
    [entry] = _refusals(seeded_app, before, "portal.csrf_refused")
    assert entry.actor_id is None and entry.detail["client"] == "127.0.0.1"


def test_an_expired_access_token_is_not_a_refusal(
    api: Api, seeded_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = api.login("clerk1")
    auth = seeded_app.extensions["ecas"].auth
    before = max_seq(seeded_app)
    # Every token is past a lifetime below zero: as if this one's 15 minutes were over.
    monkeypatch.setattr(auth, "config", auth.config.with_overrides(access_token_seconds=-1))
    response = api.client.get("/api/v1/sync/changes", headers=api.headers(token))
    assert response.status_code == 401
    assert "expired" in response.get_json()["detail"]
    assert _refusals(seeded_app, before) == []


@pytest.fixture
def one_minute(seeded_app: Flask, monkeypatch: pytest.MonkeyPatch) -> RefusalLog:
    """The server's refusal log with its clock stopped inside one minute, and that minute's
    tallies closed by ``flush(final=True)``, as at the end of the minute."""
    refusals: RefusalLog = seeded_app.extensions["ecas"].refusals
    refusals.flush(final=True)
    stopped = datetime(2026, 12, 7, 9, 30, 12, tzinfo=UTC)
    monkeypatch.setattr(refusals, "clock", lambda: stopped)
    return refusals


def test_an_anonymous_flood_costs_two_entries_per_address_a_minute(
    seeded_app: Flask, one_minute: RefusalLog
) -> None:
    refusals = one_minute
    before = max_seq(seeded_app)
    client = seeded_app.test_client()
    for n in range(60):
        address = "203.0.113.7" if n % 2 else "198.51.100.9"
        response = client.get(
            "/api/v1/sync/changes",
            headers={"Authorization": "Bearer garbage"},
            environ_base={"REMOTE_ADDR": address},
        )
        assert response.status_code == 401
    refusals.flush(final=True)
    entries = _refusals(seeded_app, before) + _refusals(
        seeded_app, before, "access.refused_coalesced"
    )
    by_client: dict[str, list[AuditEntry]] = {}
    for e in entries:
        by_client.setdefault(e.detail["client"], []).append(e)
    assert sorted(by_client) == ["198.51.100.9", "203.0.113.7"]
    for address, rows in by_client.items():
        assert [e.action for e in rows] == ["access.refused", "access.refused_coalesced"]
        assert rows[0].detail["reason"] == "invalid_token" and rows[0].actor_id is None
        assert rows[1].detail["more_refusals"] == 29, address
        assert rows[1].detail["reasons"] == {"sync.pull:invalid_token": 29}


def test_anonymous_refusals_beyond_the_address_limit_share_one_entry(
    seeded_app: Flask, one_minute: RefusalLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(one_minute, "anonymous_addresses", 3)
    before = max_seq(seeded_app)
    client = seeded_app.test_client()
    for n in range(40):
        client.get("/api/v1/no-such-thing", environ_base={"REMOTE_ADDR": f"192.0.2.{n}"})
    one_minute.flush(final=True)
    own = _refusals(seeded_app, before)
    shared = _refusals(seeded_app, before, "access.refused_coalesced")
    assert [e.detail["client"] for e in own] == ["192.0.2.0", "192.0.2.1", "192.0.2.2"]
    assert [(e.detail["client"], e.detail["more_refusals"]) for e in shared] == [("*", 37)]


def test_a_refusal_whose_address_holds_a_nul_is_recorded_without_it(seeded_app: Flask) -> None:
    """A NUL (which PostgreSQL can't store) in what a request named must not fail the batch
    its refusal is written in, and with it every other refusal of that batch."""
    before = max_seq(seeded_app)
    client = seeded_app.test_client()
    response = client.get("/api/v1/no%00where", environ_base={"REMOTE_ADDR": "192.0.2.200"})
    assert response.status_code == 404
    [entry] = [e for e in _refusals(seeded_app, before) if e.detail["client"] == "192.0.2.200"]
    assert entry.detail["path"] == "/api/v1/no?where" and entry.detail["reason"] == "not_found"
