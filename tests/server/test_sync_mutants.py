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
from sqlalchemy import func, select

from sync_server.models import AddressRow, Blob, BlobHolder, DocumentRow, SyncDeparture
from sync_server.services.sync import Cursor
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import (
    NYB,
    SFR,
    TokenBook,
    a_case_of,
    a_document,
    annotation_data,
    applied,
    by_entity,
    case_data,
    document_data,
    first_case,
    hearing_data,
    new_id,
    order_data,
    signed,
    stored,
    venue_order,
    version_of,
)


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


def test_a_case_s_departure_reaches_the_old_court_once(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """Cases moved to another court (8 CFR 1003.20(b)) leave the old court's clerk by
    tombstones; a pull from the cursor that ended on the first move's tombstones brings
    the second move's, not the first's again."""
    cases = [case_data(SFR, judge="judge1") for _ in range(2)]
    versions = [applied(api, tokens["clerk1"], "case", case) for case in cases]
    for case in cases:
        applied(api, tokens["judge1"], "order", venue_order(case["id"], "judge1", NYB))
    _, before = api.pull_all(tokens["clerk2"])

    def move(index: int) -> None:
        moved = {**cases[index], "court_id": NYB, "judge_id": None}
        applied(api, tokens["clerk1"], "case", moved, base_version=versions[index])

    move(0)
    gone, after = api.pull_all(tokens["clerk2"], before)
    assert by_entity(gone, "case")[cases[0]["id"]]["deleted"]
    with seeded_app.extensions["ecas"].factory() as session:
        newest = session.scalar(select(func.max(SyncDeparture.version)))
    assert Cursor.decode(after).version == newest  # the pull ended on a departure

    move(1)
    later, _ = api.pull_all(tokens["clerk2"], after)
    assert [(c["id"], c["deleted"]) for c in later if c["entity"] == "case"] == [
        (cases[1]["id"], True)
    ]
    assert not {(c["entity"], c["id"]) for c in later} & {(c["entity"], c["id"]) for c in gone}


def test_a_departure_at_the_cursor_s_version_is_not_sent_again(api: Api, tokens: TokenBook) -> None:
    """A cursor at the very version of one of the puller's own tombstones (a page may end
    there) already holds it: the next pull, which reads departures because a newer one
    exists, brings only what came after the cursor."""
    cases = [case_data(SFR, judge="judge1") for _ in range(2)]
    versions = [applied(api, tokens["clerk1"], "case", case) for case in cases]
    for case in cases:
        applied(api, tokens["judge1"], "order", venue_order(case["id"], "judge1", NYB))
    _, before = api.pull_all(tokens["clerk2"])
    for index, case in enumerate(cases):
        moved = {**case, "court_id": NYB, "judge_id": None}
        applied(api, tokens["clerk1"], "case", moved, base_version=versions[index])
    gone, _ = api.pull_all(tokens["clerk2"], before)
    first = by_entity(gone, "case")[cases[0]["id"]]
    assert (first["deleted"], first["data"]) == (True, {"id": cases[0]["id"]})
    mark = Cursor.decode(before)
    at_first = Cursor(first["version"], mark.scope, mark.courts).encode()

    later, _ = api.pull_all(tokens["clerk2"], at_first)

    assert [c["version"] for c in later if c["version"] <= first["version"]] == []
    assert [(c["id"], c["deleted"], c["data"]) for c in later if c["entity"] == "case"] == [
        (cases[1]["id"], True, {"id": cases[1]["id"]})
    ]


def _group(*mutations: dict[str, Any]) -> list[dict[str, Any]]:
    group = new_id()
    return [{**m, "group": group} for m in mutations]


def test_a_group_s_other_members_carry_only_records_their_pusher_may_see(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    """A group refused by one member refuses the others, each with the server's record
    when its pusher may read it; a member naming a record of another court (never checked,
    since the group stopped before it) is answered without that record."""
    data, version = hearing
    nyb_case = first_case(seeded_app, NYB)
    held = stored(seeded_app, "case", nyb_case)
    assert held is not None
    nyb_data, nyb_version, _ = held
    orphan = hearing_data(new_id())  # a hearing of a case that does not exist: refused

    culprit, elsewhere, visible = api.push(
        tokens["clerk1"],
        *_group(
            mutation("hearing", orphan),
            mutation("case", {**nyb_data, "status": "closed"}, base_version=nyb_version),
            mutation("hearing", {**data, "duration_minutes": 20}, base_version=version),
        ),
    )

    assert culprit["status"] == "rejected"
    assert (elsewhere["status"], elsewhere["current"], elsewhere["version"]) == (
        "rejected",
        None,
        None,
    )
    assert elsewhere["error"].startswith(
        f"not applied: it belongs with the change of hearing {orphan['id']}"
    )
    assert visible["status"] == "rejected"
    kept = stored(seeded_app, "hearing", data["id"])
    assert kept is not None
    assert (visible["version"], visible["current"]["data"]) == (version, kept[0])
    assert stored(seeded_app, "case", nyb_case) == held


def test_counsel_refused_in_a_group_is_shown_the_hearing_of_their_case(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """Counsel reads the hearings of their cases: a group of theirs refused by one member
    answers another member, an edit of such a hearing, with the hearing the server holds."""
    case_id = a_case_of(seeded_app, "attorney1")
    data = hearing_data(case_id)
    version = applied(api, tokens["clerk1"], "hearing", data)
    held = stored(seeded_app, "hearing", data["id"])
    assert held is not None

    culprit, other = api.push(
        tokens["attorney1"],
        *_group(
            mutation("hearing", hearing_data(case_id)),  # counsel does not schedule
            mutation("hearing", {**data, "duration_minutes": 20}, base_version=version),
        ),
    )

    assert culprit["status"] == "rejected"
    assert other["status"] == "rejected"
    assert (other["version"], other["current"]["data"]) == (version, held[0])


def test_an_upsert_whose_data_has_no_id_takes_the_mutation_s(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    data = hearing_data(case["id"])
    bare = {k: v for k, v in data.items() if k != "id"}
    [result] = api.push(tokens["clerk1"], {**mutation("hearing", data), "data": bare})
    assert result["status"] == "applied", result
    assert version_of(seeded_app, "hearing", data["id"]) == result["version"]


def test_a_document_may_not_name_bytes_its_pusher_never_uploaded(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    """Bytes the seed stored (no uploader recorded) that the pushing clerk holds no claim
    to: knowing their hash is not a way to file (and so read) them."""
    with seeded_app.extensions["ecas"].factory() as session:
        held = select(BlobHolder.sha256).where(BlobHolder.user_id == user_id("clerk2"))
        blob = session.scalars(
            select(Blob)
            .where(Blob.uploaded_by.is_(None), Blob.sha256.not_in(held))
            .order_by(Blob.sha256)
            .limit(1)
        ).one()
        sha256, size = blob.sha256, blob.size
    data = {**document_data(seeded_app, case["id"]), "sha256": sha256, "size": size}
    [result] = api.push(tokens["clerk2"], mutation("document", data))
    assert (result["status"], result["error"]) == (
        "rejected",
        f"missing_blobs: upload the document's bytes ({sha256}) first",
    )
    assert stored(seeded_app, "document", data["id"]) is None


def test_a_case_edited_in_its_court_leaves_its_records_as_they_were(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    """Only a move to another court writes a case's records again (for their new
    readers); an edit in the same court leaves them at their versions."""
    data, version = hearing
    held = stored(seeded_app, "case", data["case_id"])
    assert held is not None
    case, case_version, _ = held
    applied(
        api,
        tokens["clerk1"],
        "case",
        {**case, "language": "Quechua"},
        base_version=case_version,
    )
    assert version_of(seeded_app, "hearing", data["id"]) == version


def test_data_nested_too_deep_is_refused_unread(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    data = hearing_data(case["id"])
    deep: Any = "x"
    for _ in range(40):
        deep = [deep]
    [result] = api.push(tokens["clerk1"], mutation("hearing", {**data, "outcome": deep}))
    assert (result["status"], result["error"]) == (
        "rejected",
        "the record's data nests deeper than 32 levels",
    )
    assert stored(seeded_app, "hearing", data["id"]) is None


def test_an_annotation_is_deleted_by_its_author_only(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """A note shared with the court's staff is read by the judge, but only the clerk who
    wrote it may delete it."""
    case_id = first_case(seeded_app, SFR)
    document = a_document(seeded_app, case_id)
    note = annotation_data(document, "clerk1", visibility="shared")
    version = applied(api, tokens["clerk1"], "annotation", note)
    delete = mutation("annotation", {}, op="delete", record_id=note["id"], base_version=version)

    [refused] = api.push(tokens["judge1"], delete)
    assert (refused["status"], refused["error"]) == (
        "rejected",
        "annotations belong to their author",
    )
    _, held_version, held_deleted = stored(seeded_app, "annotation", note["id"]) or ({}, 0, True)
    assert (held_version, held_deleted) == (version, False)
    [deleted] = api.push(tokens["clerk1"], {**delete, "mutation_id": new_id()})
    assert deleted["status"] == "applied"
    _, held_version, held_deleted = stored(seeded_app, "annotation", note["id"]) or ({}, 0, False)
    assert (held_version, held_deleted) == (deleted["version"], True)


def test_an_order_that_cannot_be_issued_stays_unsigned(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    """Signing issues the order (its document, its service) in the same savepoint: when
    its document cannot be stored, the signature is refused and the draft stays a draft."""
    draft = order_data(case["id"], "judge1")
    version = applied(api, tokens["judge1"], "order", draft)
    sign = mutation("order", signed(draft, "judge1"), base_version=version)
    with unusable_staging(seeded_app) as staging:
        [refused] = api.push(tokens["judge1"], sign)

    assert refused["status"] == "rejected"
    # Its PDF is staged in a new file of the staging folder, which is not a folder.
    prefix = f"the order could not be issued: [Errno {errno.ENOTDIR}] {os.strerror(errno.ENOTDIR)}"
    assert refused["error"].startswith(f"{prefix}: '{staging}/")
    assert refused["error"].endswith(".order'")
    held, held_version, _ = stored(seeded_app, "order", draft["id"]) or ({}, 0, False)
    assert (held["status"], held_version) == ("draft", version)
    assert (refused["version"], refused["current"]["data"]["status"]) == (version, "draft")


def test_a_page_carries_no_departure_beyond_its_cursor(api: Api, tokens: TokenBook) -> None:
    """Pulled one change a page, the tombstones of two cases moved away (a case opened
    after each) each come once, on the page whose cursor covers them, never ahead of it
    (the next page would send them again)."""
    cases = [case_data(SFR, judge="judge1") for _ in range(2)]
    versions = [applied(api, tokens["clerk1"], "case", case) for case in cases]
    for case in cases:
        applied(api, tokens["judge1"], "order", venue_order(case["id"], "judge1", NYB))
    _, since = api.pull_all(tokens["clerk2"])
    for index, case in enumerate(cases):
        moved = {**case, "court_id": NYB, "judge_id": None}
        applied(api, tokens["clerk1"], "case", moved, base_version=versions[index])
        # A case the clerk still reads after each move: the pages end between the moves.
        applied(api, tokens["clerk1"], "case", case_data(SFR, judge="judge1"))

    seen: list[tuple[str, str, int]] = []
    while True:
        page = api.changes(tokens["clerk2"], since, limit=1)
        end = Cursor.decode(page["cursor"]).version
        assert [c["version"] for c in page["changes"] if c["version"] > end] == []
        seen += [(c["entity"], c["id"], c["version"]) for c in page["changes"]]
        since = page["cursor"]
        if not page["has_more"]:
            break
    assert len(seen) == len(set(seen))
    gone = [(e, i) for e, i, _ in seen if e == "case" and i in {c["id"] for c in cases}]
    assert sorted(gone) == sorted(("case", c["id"]) for c in cases)
