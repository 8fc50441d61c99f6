"""Annotations through a real server on loopback: private stays with its author, shared
reaches the other clerk of the court, and one made offline syncs when the server is back."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.enums import Visibility
from common.wire import Annotation
from desktop.annotation_store import (
    SyncedAnnotations,
    adopt_local,
    geometry,
    local_annotations,
    new_annotation,
)
from desktop.api_client import ApiClient
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine
from tests.conftest import DEMO_PASSWORD, LiveServer, court_id, user_id

pytestmark = pytest.mark.slow


def _engine(server: LiveServer, tmp_path: Path, username: str) -> SyncEngine:
    client = ApiClient(server.url)
    client.login(username, DEMO_PASSWORD)
    return SyncEngine(client, LocalStore(tmp_path / f"{username}.sqlite3"), page_size=200)


def _court_document(engine: SyncEngine) -> dict:  # type: ignore[type-arg]
    cases = {c["id"] for c in engine.store.all("case") if c["court_id"] == court_id("SFR")}
    return next(d for d in engine.store.all("document") if d["case_id"] in cases)


def _note(doc: dict, author: str, visibility: Visibility, comment: str) -> Annotation:  # type: ignore[type-arg]
    return new_annotation(
        kind="highlight",
        page=0,
        geom=geometry((72, 90, 300, 104), quads=[(72, 90, 300, 104)]),
        document_id=doc["id"],
        sha256=doc["sha256"],
        author_id=user_id(author),
        text="quoted words",
        comment=comment,
        visibility=visibility,
    )


def test_private_stays_with_its_author_shared_reaches_the_court(
    live_server: LiveServer, tmp_path: Path
) -> None:
    clerk1 = _engine(live_server, tmp_path, "clerk1")
    clerk2 = _engine(live_server, tmp_path, "clerk2")
    clerk1.sync_once()
    doc = _court_document(clerk1)
    mine = SyncedAnnotations(clerk1.store, doc["id"], doc["sha256"])
    private = _note(doc, "clerk1", Visibility.PRIVATE, "my own reminder")
    shared = _note(doc, "clerk1", Visibility.SHARED, "for the judge")
    mine.put(private)
    mine.put(shared)
    report = clerk1.sync_once()
    assert report.pushed == 2 and report.rejected == 0 and report.conflicts == 0

    clerk2.sync_once()
    theirs = SyncedAnnotations(clerk2.store, doc["id"], doc["sha256"]).load()
    assert [a.id for a in theirs] == [shared.id]
    assert theirs[0] == shared
    assert {a.id for a in mine.load()} == {private.id, shared.id}

    # Sharing it later publishes it; deleting it removes it from the other's copy.
    mine.put(private.model_copy(update={"visibility": Visibility.SHARED}))
    mine.remove(shared.id)
    clerk1.sync_once()
    clerk2.sync_once()
    theirs = SyncedAnnotations(clerk2.store, doc["id"], doc["sha256"]).load()
    assert [a.id for a in theirs] == [private.id]

    # Made private again: it leaves the other's copy (a departure reaches them).
    mine.put(private.model_copy(update={"visibility": Visibility.PRIVATE, "comment": "mine"}))
    clerk1.sync_once()
    clerk2.sync_once()
    assert SyncedAnnotations(clerk2.store, doc["id"], doc["sha256"]).load() == []
    assert [a.comment for a in mine.load()] == ["mine"]


def test_someone_elses_annotation_is_refused(live_server: LiveServer, tmp_path: Path) -> None:
    clerk1 = _engine(live_server, tmp_path, "clerk1")
    clerk1.sync_once()
    doc = _court_document(clerk1)
    forged = _note(doc, "clerk2", Visibility.SHARED, "written as someone else")
    SyncedAnnotations(clerk1.store, doc["id"], doc["sha256"]).put(forged)
    report = clerk1.sync_once()
    assert report.rejected == 1
    issue = clerk1.store.issues()[0]
    assert "author" in (issue.error or "")


def test_annotation_made_offline_syncs_later(live_server: LiveServer, tmp_path: Path) -> None:
    clerk1 = _engine(live_server, tmp_path, "clerk1")
    clerk2 = _engine(live_server, tmp_path, "clerk2")
    clerk1.sync_once()
    doc = _court_document(clerk1)
    live_server.stop()
    offline = _note(doc, "clerk1", Visibility.SHARED, "written on the train")
    annotations = SyncedAnnotations(clerk1.store, doc["id"], doc["sha256"])
    annotations.put(offline)
    made_and_dropped = _note(doc, "clerk1", Visibility.SHARED, "never mind")
    annotations.put(made_and_dropped)
    annotations.remove(made_and_dropped.id)  # never reached the server: simply dropped
    assert clerk1.store.pending_count() == 1
    with pytest.raises(Exception):  # noqa: B017 - any connection error
        clerk1.sync_once()
    assert [a.id for a in annotations.load()] == [offline.id]

    live_server.start()
    clerk1.client.login("clerk1", DEMO_PASSWORD)
    report = clerk1.sync_once()
    assert report.pushed == 1 and report.rejected == 0
    clerk2.sync_once()
    theirs = SyncedAnnotations(clerk2.store, doc["id"], doc["sha256"]).load()
    assert [a.comment for a in theirs] == ["written on the train"]


def test_local_file_annotations_move_onto_the_case_document(
    live_server: LiveServer, tmp_path: Path
) -> None:
    clerk1 = _engine(live_server, tmp_path, "clerk1")
    clerk1.sync_once()
    doc = _court_document(clerk1)
    local = local_annotations(doc["sha256"], base=tmp_path / "data")
    draft = new_annotation(
        kind="rect",
        page=1,
        geom=geometry((10, 10, 50, 50)),
        document_id=local.document_id,
        sha256=doc["sha256"],
        author_id=local.document_id,
    )
    local.put(draft)
    assert (tmp_path / "data" / "local-annotations" / f"{doc['sha256']}.sqlite3").is_file()
    other = SyncedAnnotations(clerk1.store, doc["id"], "1" * 64)
    with pytest.raises(ValueError, match="not the same file"):
        adopt_local(local, other, user_id("clerk1"))
    # Opening the case document made of the same bytes adopts them.
    target = SyncedAnnotations(
        clerk1.store, doc["id"], doc["sha256"], adopt=local, author_id=user_id("clerk1")
    )
    assert [a.id for a in target.load()] == [draft.id]
    assert local.load() == []
    assert clerk1.sync_once().pushed == 1
    (saved,) = target.load()
    assert saved.document_id == doc["id"] and saved.author_id == user_id("clerk1")
