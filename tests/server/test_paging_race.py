"""Paging through the change feed while others commit never skips a record.

A reader pulls small pages while two writers push; on PostgreSQL a version taken from a
plain sequence could be committed after a reader passed it. Here every version is handed
out under the write lock, so the union of the reader's pages must hold every write.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from common.enums import HearingType, Medium
from common.wire import Annotation, Hearing
from sync_server.demo.plan import COURTS, demo_id
from tests.conftest import Api, mutation, user_id

WRITES_PER_WRITER = 200
BATCH = 5  # mutations per push: four new records and one update of an earlier one
PAGE = 3  # smaller than a push, so a push spans pages
DEADLINE = 300  # seconds for the whole race (a shared, loaded machine: a bound, not a goal)
JOIN_TIMEOUT = 30


class _Writer(threading.Thread):
    """Pushes new records in small batches, each batch also updating an earlier record;
    keeps the final version and data of every record it got ``applied`` for."""

    def __init__(
        self,
        api: Api,
        token: str,
        entity: str,
        make: Callable[[int], dict[str, Any]],
        change: Callable[[dict[str, Any], int], dict[str, Any]],
    ) -> None:
        super().__init__(daemon=True)
        self.api, self.token, self.entity = api, token, entity
        self.make, self.change = make, change
        self.final: dict[str, tuple[int, dict[str, Any]]] = {}
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            self._write()
        except BaseException as err:  # reported by the test, not lost in the thread
            self.failure = err

    def _write(self) -> None:
        made = 0
        for batch_number in range(WRITES_PER_WRITER // BATCH):
            batch = []
            for _ in range(BATCH - 1 if self.final else BATCH):
                batch.append(mutation(self.entity, self.make(made)))
                made += 1
            if self.final:
                record_id = list(self.final)[batch_number % len(self.final)]
                version, data = self.final[record_id]
                batch.append(
                    mutation(self.entity, self.change(data, batch_number), base_version=version)
                )
            results = self.api.push(self.token, *batch, client_id=f"race-{self.entity}")
            for m, result in zip(batch, results, strict=True):
                assert result["status"] == "applied", result
                self.final[m["id"]] = (result["version"], m["data"])


def _reader_pages(
    api: Api, token: str, since: str, writers: list[_Writer]
) -> list[list[dict[str, Any]]]:
    """Pull pages of ``PAGE`` changes until the writers are done and the feed is drained."""
    pages = []
    deadline = time.monotonic() + DEADLINE
    while True:
        assert time.monotonic() < deadline, "the race did not finish in time"
        writers_done = not any(w.is_alive() for w in writers)
        page = api.changes(token, since, limit=PAGE)
        pages.append(page["changes"])
        since = page["cursor"]
        if not page["has_more"]:
            if writers_done:
                return pages
            time.sleep(0.002)  # caught up: let the writers run rather than spin


def test_paging_while_writers_commit_skips_nothing(seeded_app: Flask) -> None:
    setup = Api(seeded_app.test_client())
    clerk1, clerk2 = setup.login("clerk1"), setup.login("clerk2")
    known, since = setup.pull_all(clerk1)
    document = next(c["data"] for c in known if c["entity"] == "document")
    case_id = next(c["id"] for c in known if c["entity"] == "case")
    courtroom_id = next(c["id"] for c in known if c["entity"] == "courtroom")
    start = datetime(2027, 3, 1, 16, tzinfo=UTC)

    def annotation(n: int) -> dict[str, Any]:
        return Annotation(
            id=str(uuid.uuid4()),
            document_id=document["id"],
            document_sha256=document["sha256"],
            author_id=user_id("clerk1"),
            kind="highlight",
            page=n % 3,
            geometry={"rect": [72, 72 + n, 200, 90 + n]},
            comment=f"note {n}",
            created_at=start,
        ).model_dump(mode="json")

    def hearing(n: int) -> dict[str, Any]:
        return Hearing(
            id=str(uuid.uuid4()),
            case_id=case_id,
            courtroom_id=courtroom_id,
            hearing_type=HearingType.MASTER,
            medium=Medium.VIDEO,
            starts_at=start + timedelta(minutes=30 * n),
        ).model_dump(mode="json")

    writers = [
        # clerk1's own private annotations and clerk2's hearings: both in clerk1's feed.
        _Writer(
            Api(seeded_app.test_client()),
            clerk1,
            "annotation",
            annotation,
            lambda data, n: {**data, "comment": f"{data['comment']}, edit {n}"},
        ),
        _Writer(
            Api(seeded_app.test_client()),
            clerk2,
            "hearing",
            hearing,
            lambda data, n: {**data, "duration_minutes": 30 + n % 60},
        ),
    ]
    _race(Api(seeded_app.test_client()), clerk1, since, writers)


def test_paging_while_two_courts_push_at_once_skips_nothing(seeded_app: Flask) -> None:
    """Pushes of hearings from two courts run side by side on PostgreSQL (each takes its
    court's lock, not the server's: db.begin_write); a nationwide reader paging meanwhile
    still gets every write of both."""
    setup = Api(seeded_app.test_client())
    eoir, clerk2, clerk3 = setup.login("eoir1"), setup.login("clerk2"), setup.login("clerk3")
    known, since = setup.pull_all(eoir)
    start = datetime(2027, 4, 1, 16, tzinfo=UTC)
    writers = []
    for token, court_index in ((clerk2, 0), (clerk3, 1)):
        court_id = demo_id("court", COURTS[court_index][0])
        case_id = next(
            c["id"] for c in known if c["entity"] == "case" and c["data"]["court_id"] == court_id
        )
        courtroom_id = next(
            c["id"]
            for c in known
            if c["entity"] == "courtroom" and c["data"]["court_id"] == court_id
        )

        def hearing(
            n: int, case_id: str = case_id, courtroom_id: str = courtroom_id
        ) -> dict[str, Any]:
            return Hearing(
                id=str(uuid.uuid4()),
                case_id=case_id,
                courtroom_id=courtroom_id,
                hearing_type=HearingType.MASTER,
                medium=Medium.VIDEO,
                starts_at=start + timedelta(minutes=30 * n),
            ).model_dump(mode="json")

        writers.append(
            _Writer(
                Api(seeded_app.test_client()),
                token,
                "hearing",
                hearing,
                lambda data, n: {**data, "duration_minutes": 30 + n % 60},
            )
        )
    _race(Api(seeded_app.test_client()), eoir, since, writers)


def _race(reader: Api, token: str, since: str, writers: list[_Writer]) -> None:
    """Run ``writers`` while ``token`` pages; every write must reach the reader, in
    increasing versions, with its final data."""
    for writer in writers:
        writer.start()
    try:
        pages = _reader_pages(reader, token, since, writers)
    finally:
        for writer in writers:
            writer.join(JOIN_TIMEOUT)
    for writer in writers:
        assert not writer.is_alive()
        assert writer.failure is None, writer.failure

    versions = []
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for page in pages:
        keys = [(c["entity"], c["id"]) for c in page]
        assert len(keys) == len(set(keys)), "a record twice in one page"
        for change in page:
            versions.append(change["version"])
            seen[(change["entity"], change["id"])] = change  # later pages: higher versions
    assert all(a < b for a, b in itertools.pairwise(versions))
    for writer in writers:
        assert len(writer.final) == WRITES_PER_WRITER - (WRITES_PER_WRITER // BATCH - 1)
        for record_id, (version, data) in writer.final.items():
            got = seen.get((writer.entity, record_id))
            assert got is not None, f"{writer.entity} {record_id} was skipped"
            assert (got["version"], got["data"]) == (version, data)
