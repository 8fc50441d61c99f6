"""A writer that held the committed top down and ended without publishing delays no reader.

On PostgreSQL a writer announces itself (a shared advisory lock keyed below its first
version) and, as it commits, publishes the committed top no higher than the lowest key of
another open writer (sync_server/db.py). A writer that ends without publishing (its worker
killed mid-push, so its connection and locks go; a rollback outside write_transaction)
used to leave everything committed meanwhile unseen until the next write anywhere. Here
such a writer is held open from outside while a clerk's hearing commits: no reader may see
the hearing while the holder could still commit a lower version; once the holder is gone,
the next pull has it, with no further write (the sequence does not move), and the pull
publishes the top it computed.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from sync_server.db import begin_write, reserve_versions
from sync_server.models import CaseRow
from sync_server.services.feed_text import page_top
from tests.conftest import Api, court_id, mutation
from tests.server.sync_helpers import hearing_data

GONE_WAIT = 30  # seconds for a terminated backend to exit on a loaded machine
PULL_WAIT = 20  # seconds for a pull on a loaded machine (it waits for no lock)
_SEQUENCE_TOP = (
    "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM feed_version_seq"
)


def _case_of(app: Flask, court_code: str) -> str:
    with app.extensions["ecas"].factory() as session:
        return str(
            session.scalars(
                select(CaseRow.id)
                .where(CaseRow.court_id == court_id(court_code), CaseRow.deleted.is_(False))
                .order_by(CaseRow.id)
                .limit(1)
            ).one()
        )


def _scalar(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _wait_gone(engine: Engine, pid: int) -> None:
    deadline = time.monotonic() + GONE_WAIT
    while _scalar(engine, "SELECT count(*) FROM pg_locks WHERE pid = :pid", pid=pid):
        assert time.monotonic() < deadline, "the terminated writer kept its locks"
        time.sleep(0.01)


@pytest.mark.parametrize("ending", ["terminated", "rolled back", "terminated, row locked"])
def test_a_writer_gone_without_publishing_holds_no_reader_back(
    seeded_app: Flask, backend: str, ending: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time and no such gap")
    setup = Api(seeded_app.test_client())
    clerk = setup.login("clerk2")  # San Francisco's clerk: reads and writes its hearings
    _, since = setup.pull_all(clerk)
    services = seeded_app.extensions["ecas"]
    engine = services.engine
    hearing = mutation("hearing", hearing_data(_case_of(seeded_app, "SFR"), "SFR"))
    conn = engine.connect()
    try:
        # A push of Houston's hearings, as sync.push starts one: it announces itself and
        # takes its versions, then stalls (a worker hung or about to be killed).
        holder = Session(bind=conn)
        holder.begin()
        begin_write(holder, [court_id("HOU")])
        reserve_versions(holder, 3)
        holder_pid = int(holder.execute(text("SELECT pg_backend_pid()")).scalar_one())

        [result] = setup.push(clerk, hearing)
        assert result["status"] == "applied", result
        version = int(result["version"])
        # The holder's versions lie below the hearing's and may still commit: no reader
        # passes them, however often it pulls.
        for _ in range(3):
            early, _ = setup.pull_all(clerk, since)
            assert hearing["id"] not in {c["id"] for c in early}
        published = _scalar(engine, "SELECT version FROM server_state WHERE id = 1")
        assert published < version

        if ending.startswith("terminated"):  # the worker killed mid-push: its connection drops
            assert _scalar(engine, "SELECT pg_terminate_backend(:pid)::int", pid=holder_pid)
            _wait_gone(engine, holder_pid)
            conn.invalidate()
        else:  # a rollback outside write_transaction, which publishes nothing
            holder.rollback()
            _wait_gone(engine, holder_pid)
        holder.close()
    finally:
        conn.close()
    sequence_top = _scalar(engine, _SEQUENCE_TOP)
    with services.factory() as session, session.begin():
        top, newest_departure, published = page_top(session)
    # computed above the published top, in a statement whose snapshot may predate commits
    # at or below it: the page must read the departures rather than trust that snapshot
    assert published < version <= top and newest_departure >= top

    if ending.endswith("row locked"):
        # A writer holds the top's row as it commits: the pull neither waits for it nor
        # publishes (that writer publishes at least as high).
        with engine.connect() as blocker:
            blocker.execute(text("SELECT 1 FROM server_state WHERE id = 1 FOR UPDATE"))
            reader = _Pull(Api(seeded_app.test_client()), clerk, since)
            reader.start()
            reader.join(PULL_WAIT)
            assert not reader.is_alive(), "the pull waited for the top's row"
            assert reader.changes is not None
            got = {c["id"]: c["version"] for c in reader.changes}
            assert got.get(hearing["id"]) == version
            assert _scalar(engine, "SELECT version FROM server_state WHERE id = 1") < version
            blocker.rollback()

    # The very next pull has the hearing, though nothing was written since.
    changes, _ = setup.pull_all(clerk, since)
    got = {c["id"]: c["version"] for c in changes}
    assert got.get(hearing["id"]) == version
    assert _scalar(engine, _SEQUENCE_TOP) == sequence_top, "a version was taken: a write"
    # ... and published the top it computed, so later readers find it without pg_locks.
    assert _scalar(engine, "SELECT version FROM server_state WHERE id = 1") >= version
    again, _ = setup.pull_all(clerk, since)
    assert {c["id"]: c["version"] for c in again} == got


class _Pull(threading.Thread):
    def __init__(self, api: Api, token: str, since: str) -> None:
        super().__init__(daemon=True)
        self.api, self.token, self.since = api, token, since
        self.changes: list[dict[str, Any]] | None = None

    def run(self) -> None:
        self.changes, _ = self.api.pull_all(self.token, self.since)
