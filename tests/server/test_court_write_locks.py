"""On PostgreSQL a push of hearings waits only for pushes of its own court.

Such a push takes the server-wide write lock shared and its courts' locks exclusively
(``sync_server.db.begin_write``), instead of the one lock every write used to queue behind.
Here a court's lock is held from outside: a push of the other court applies meanwhile, a
push of the held court waits until it is let go, and then applies too.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from sync_server.db import begin_write, write_transaction
from sync_server.demo.plan import demo_id
from sync_server.models import AuditEntry, CaseRow, MailOutbox
from sync_server.services import mail_events
from tests.conftest import Api, mutation
from tests.server.sync_helpers import hearing_data

WAIT = 30  # seconds a push may take on a loaded machine


class _Push(threading.Thread):
    def __init__(self, app: Flask, token: str, body: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.api, self.token, self.body = Api(app.test_client()), token, body
        self.results: list[dict[str, Any]] | None = None

    def run(self) -> None:
        self.results = self.api.push(self.token, self.body)


def _case_of(app: Flask, court_code: str) -> str:
    with app.extensions["ecas"].factory() as session:
        return str(
            session.scalars(
                select(CaseRow.id)
                .where(CaseRow.court_id == demo_id("court", court_code), CaseRow.deleted.is_(False))
                .order_by(CaseRow.id)
                .limit(1)
            ).one()
        )


def _waits_for_court(engine: Engine, court_id: str) -> bool:
    """Whether some transaction is queued for ``court_id``'s lock now."""
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                    " AND NOT granted AND objsubid = 2 AND classid::bigint ="
                    " (hashtext('ecas.court:' || current_schema())::bigint + 4294967296)"
                    " % 4294967296 AND objid::bigint ="
                    " (hashtext(:court)::bigint + 4294967296) % 4294967296)"
                ),
                {"court": court_id},
            ).scalar_one()
        )


def test_a_push_waits_for_its_own_court_only(seeded_app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    setup = Api(seeded_app.test_client())
    clerk_sfr, clerk_nyb = setup.login("clerk2"), setup.login("clerk3")
    sfr_push = mutation("hearing", hearing_data(_case_of(seeded_app, "SFR"), "SFR"))
    nyb_push = mutation("hearing", hearing_data(_case_of(seeded_app, "NYB"), "NYB"))
    engine = seeded_app.extensions["ecas"].engine
    with engine.connect() as holder:  # holds San Francisco's lock until it rolls back
        holder.execute(
            text(
                "SELECT pg_advisory_xact_lock(hashtext('ecas.court:' || current_schema()),"
                " hashtext(:court))"
            ),
            {"court": demo_id("court", "SFR")},
        )
        waiting = _Push(seeded_app, clerk_sfr, sfr_push)
        waiting.start()
        other = _Push(seeded_app, clerk_nyb, nyb_push)
        other.start()
        other.join(WAIT)
        assert not other.is_alive(), "a push of New York waited for San Francisco's lock"
        assert other.results is not None and other.results[0]["status"] == "applied"
        deadline = time.monotonic() + WAIT
        while not _waits_for_court(engine, demo_id("court", "SFR")):
            assert waiting.is_alive(), "a push of San Francisco did not wait for its court"
            assert time.monotonic() < deadline, "no push waited for San Francisco's lock"
            time.sleep(0.01)
        assert waiting.is_alive() and waiting.results is None
        holder.rollback()
    waiting.join(WAIT)
    assert not waiting.is_alive()
    assert waiting.results is not None and waiting.results[0]["status"] == "applied"
    # both reach a nationwide reader; San Francisco's took its versions once it held its
    # lock, after New York's had committed, so above them
    changes, _ = setup.pull_all(setup.login("eoir1"))
    versions = {c["id"]: c["version"] for c in changes if c["entity"] == "hearing"}
    assert versions[nyb_push["id"]] < versions[sfr_push["id"]]


def test_refusals_written_while_a_court_writer_stalls_hold_no_push_up(
    seeded_app: Flask, backend: str
) -> None:
    """The refusal log's batches share the server lock and lock only the chain's head, so a
    court's stalled writer neither holds them up nor, through them, every other push (an
    exclusive request queued behind the stalled writer would block each shared one after
    it: the full suite once hung so, when a minute's anonymous refusals were written)."""
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    setup = Api(seeded_app.test_client())
    clerk_sfr = setup.login("clerk2")
    services = seeded_app.extensions["ecas"]
    services.refusals.flush()  # nothing of earlier tests' is left to write
    reason = "stalled-writer-" + uuid.uuid4().hex[:8]
    conn = services.engine.connect()
    try:
        holder = Session(bind=conn)  # a push of Houston's hearings, stalled mid-way
        holder.begin()
        begin_write(holder, [demo_id("court", "HOU")])
        services.refusals.record(
            actor_id=None, client="203.0.113.9", action="test", target=None, reason=reason
        )
        flusher = threading.Thread(target=services.refusals.flush, daemon=True)
        flusher.start()
        flusher.join(WAIT)
        assert not flusher.is_alive(), "the refusal log waited for Houston's writer"
        push = _Push(
            seeded_app,
            clerk_sfr,
            mutation("hearing", hearing_data(_case_of(seeded_app, "SFR"), "SFR")),
        )
        push.start()
        push.join(WAIT)
        assert not push.is_alive(), "a push of San Francisco waited behind Houston's writer"
        assert push.results is not None and push.results[0]["status"] == "applied"
        holder.rollback()
        holder.close()
    finally:
        conn.close()
    with services.factory() as session:
        written = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "access.refused")
        ).all()
    assert any(d.get("reason") == reason for d in written)


def test_mail_sent_after_a_request_while_a_court_writer_stalls_holds_no_push_up(
    seeded_app: Flask, backend: str
) -> None:
    """The mail outbox's claims and results lock their own rows only: mailing what a
    request queued (after its answer, in the same thread) neither waits for a court's stalled
    writer nor, through the queue of the server-wide lock, holds up every push after it.
    The full suite hung so once: a clerk's push waited in its after-request mail."""
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    services = seeded_app.extensions["ecas"]
    mail = seeded_app.extensions["ecas_portal"].mail
    key = "stalled-writer-" + uuid.uuid4().hex
    with write_transaction(services.factory) as session:
        assert mail_events.enqueue(
            session,
            "account_approved",
            to_address="stalled@example.org",
            key=key,
            path="/portal/login",
            context={"name": "Stalled Writer", "eoir_id_sentence": ""},
            language="en",
        )
    conn = services.engine.connect()
    try:
        holder = Session(bind=conn)  # a push of Houston's hearings, stalled mid-way
        holder.begin()
        begin_write(holder, [demo_id("court", "HOU")])
        drainer = threading.Thread(target=mail.drain, daemon=True)
        drainer.start()
        drainer.join(WAIT)
        assert not drainer.is_alive(), "the mail outbox waited for Houston's writer"
        holder.rollback()
        holder.close()
    finally:
        conn.close()
    with services.factory() as session:
        sent = session.scalars(
            select(MailOutbox.sent_at).where(MailOutbox.subject_key == key)
        ).one()
    assert sent is not None
