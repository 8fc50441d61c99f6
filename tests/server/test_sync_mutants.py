"""A push whose side effect cannot be made is refused whole (sync_server/services/sync.py).

A scheduling change serves its notice of hearing, and an accepted change of address
(Form EOIR-33, 8 CFR 1003.15(d)(2)) joins the address history, in the same savepoint as
the record itself: when that step fails, the pusher is told why and the server keeps the
record as it was, so a hearing never moves without its notice and a filing is never
accepted without the address it records. The failures here are real ones: the server's
staging folder unusable (a file stands where the folder should be), an incomplete form.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from sync_server.models import AddressRow, DocumentRow
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import SFR, TokenBook, applied, hearing_data, new_id, stored


@contextlib.contextmanager
def unusable_staging(app: Flask) -> Iterator[Path]:
    """The server's staging folder replaced by a file while the block runs (put back
    after, whatever happens)."""
    staging = Path(app.extensions["ecas"].config.data_dir) / "staging"
    aside = staging.with_name("staging-set-aside")
    if staging.exists():
        staging.rename(aside)
    staging.write_bytes(b"not a folder")
    try:
        yield staging
    finally:
        staging.unlink()
        if aside.exists():
            aside.rename(staging)


def _cannot_stage(staging: Path) -> str:
    """What the operating system says when a folder is made where a file is."""
    return f"[Errno {errno.EEXIST}] {os.strerror(errno.EEXIST)}: '{staging}'"


def _notices_of(app: Flask, case_id: str) -> list[str]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(DocumentRow.title).where(
                    DocumentRow.case_id == case_id, DocumentRow.doc_type == "hearing_notice"
                )
            )
        )


def test_a_hearing_whose_notice_cannot_be_issued_is_not_scheduled(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    data = hearing_data(case["id"])
    with unusable_staging(seeded_app) as staging:
        [result] = api.push(tokens["clerk1"], mutation("hearing", data))

    assert result["status"] == "rejected"
    assert result["error"] == "the notice of hearing could not be issued: " + _cannot_stage(staging)
    assert (result["version"], result["current"]) == (None, None)
    assert stored(seeded_app, "hearing", data["id"]) is None
    assert _notices_of(seeded_app, case["id"]) == []


def test_a_hearing_moved_without_its_notice_stays_where_it_was(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    notices_before = _notices_of(seeded_app, data["case_id"])
    moved = mutation("hearing", {**data, "starts_at": "2026-12-03T17:00:00Z"}, base_version=version)
    with unusable_staging(seeded_app) as staging:
        [result] = api.push(tokens["clerk1"], moved)

    assert result["status"] == "rejected"
    assert result["error"] == (
        "the notice of hearing could not be issued: " + _cannot_stage(staging)
    )
    # The clerk is shown what the server holds: the hearing at its old time.
    assert result["version"] == version
    assert result["current"]["data"]["starts_at"] == data["starts_at"]
    held, held_version, _ = stored(seeded_app, "hearing", data["id"]) or ({}, 0, False)
    assert (held["starts_at"], held_version) == ("2026-12-01T17:00:00Z", version)
    assert _notices_of(seeded_app, data["case_id"]) == notices_before

    # With the folder back, the same move goes through with its notice.
    [again] = api.push(tokens["clerk1"], {**moved, "mutation_id": new_id()})
    assert again["status"] == "applied", again
    assert len(_notices_of(seeded_app, data["case_id"])) == len(notices_before) + 1


def test_an_accepted_change_of_address_that_cannot_be_recorded_is_refused_whole(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    """A paper EOIR-33 without its city and ZIP code: the clerk's acceptance is refused
    with what is missing, the filing stays pending and no address is recorded."""
    clerk = tokens["clerk1"]
    filing = {
        "id": new_id(),
        "case_id": case["id"],
        "court_id": SFR,
        "filer_id": user_id("clerk1"),
        "kind": "change_of_address",
        "status": "pending",
        "submitted_at": "2026-11-24T17:00:00Z",
        "form": {"street": "15 Birch Street", "state": "CA", "effective_on": "2026-11-21"},
    }
    version = applied(api, clerk, "filing", filing)
    accepted = filing | {
        "status": "accepted",
        "reviewed_by": user_id("clerk1"),
        "reviewed_at": "2026-11-25T17:00:00Z",
    }
    [result] = api.push(clerk, mutation("filing", accepted, base_version=version))

    assert result["status"] == "rejected"
    assert result["error"] == (
        "the change of address could not be recorded: the change of address is incomplete "
        "(city, zip); reject it with a reason instead"
    )
    assert result["version"] == version
    assert result["current"]["data"]["status"] == "pending"
    held, held_version, _ = stored(seeded_app, "filing", filing["id"]) or ({}, 0, False)
    assert (held["status"], held_version) == ("pending", version)
    with seeded_app.extensions["ecas"].factory() as session:
        assert (
            session.scalars(select(AddressRow).where(AddressRow.case_id == case["id"])).all() == []
        )
