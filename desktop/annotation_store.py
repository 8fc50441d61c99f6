"""Annotations as records: make them, index them, keep them (no Qt, no PyMuPDF).

An annotation is a small ``common.wire.Annotation`` record tied to a document's id and
SHA-256, never a change to the PDF (Zotero's design): it is saved through the local
store's outbox like any other edit, so it works offline and syncs. A PDF opened from disk
with no case (``ecas-desktop open FILE.pdf``) keeps its annotations in a file of its own,
keyed by the PDF's SHA-256, until the file is attached to a case (``adopt_local``).

Geometry is in PDF points as the page is displayed (PyMuPDF's ``page.rect`` space):
origin top-left, y down. Every kind has ``rect`` (its bounds); text markup adds
``quads`` (one ``[x0, y0, x1, y1]`` box per line of the quoted text), ink adds ``paths``
(lists of ``[x, y]``), a note's ``rect`` is its icon.
"""

from __future__ import annotations

import getpass
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import orjson

# The kinds, their names and first colours live in common.annotations (re-exported here).
from common.annotations import DEFAULT_COLORS as DEFAULT_COLORS
from common.annotations import KIND_LABELS as KIND_LABELS
from common.annotations import KINDS as KINDS
from common.annotations import SHAPES as SHAPES
from common.annotations import TEXT_MARKUP as TEXT_MARKUP
from common.annotations import AnnotationKind
from common.enums import Visibility
from common.wire import Annotation
from desktop.local_store import LocalStore

ENTITY = "annotation"
ORIGIN = "top-left"
NOTE_SIZE = 20.0
# Local-file annotations get a document id derived from the file's hash, so reopening the
# same bytes finds them again (and a copy of the file under another name too).
LOCAL_NAMESPACE = uuid.UUID("6f1c2a52-43f4-4d0e-9a55-0d8a3f5c8e01")

Rect = tuple[float, float, float, float]


def local_document_id(sha256: str) -> str:
    return str(uuid.uuid5(LOCAL_NAMESPACE, sha256))


def local_author_id() -> str:
    """The author of annotations made with no one signed in: this computer's user."""
    return str(uuid.uuid5(LOCAL_NAMESPACE, "local-user:" + getpass.getuser()))


def geometry(
    rect: Sequence[float],
    *,
    quads: Iterable[Sequence[float]] = (),
    paths: Iterable[Iterable[Sequence[float]]] = (),
) -> dict[str, Any]:
    """A geometry dict with its coordinate convention stated."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    found: dict[str, Any] = {
        "origin": ORIGIN,
        "units": "pt",
        "rect": [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)],
    }
    quad_list = [[round(float(v), 2) for v in q] for q in quads]
    if quad_list:
        found["quads"] = quad_list
    path_list = [[[round(float(x), 2), round(float(y), 2)] for x, y in p] for p in paths]
    if path_list:
        found["paths"] = path_list
    return found


def bounds(points: Iterable[Sequence[float]], pad: float = 0.0) -> Rect:
    xs, ys = [], []
    for point in points:
        xs.append(float(point[0]))
        ys.append(float(point[1]))
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


def rect_of(record: Annotation) -> Rect:
    x0, y0, x1, y1 = record.geometry["rect"]
    return (float(x0), float(y0), float(x1), float(y1))


def new_annotation(
    *,
    kind: str,
    page: int,
    geom: dict[str, Any],
    document_id: str,
    sha256: str,
    author_id: str,
    color: str | None = None,
    text: str = "",
    comment: str = "",
    visibility: Visibility = Visibility.PRIVATE,
) -> Annotation:
    if kind not in KINDS:
        raise ValueError(f"unknown annotation kind {kind!r}")
    return Annotation(
        id=str(uuid.uuid4()),
        document_id=document_id,
        document_sha256=sha256,
        author_id=author_id,
        visibility=visibility,
        kind=AnnotationKind(kind),
        page=page,
        geometry=geom,
        color=color or DEFAULT_COLORS[kind],
        text=text,
        comment=comment,
        created_at=datetime.now(UTC),
    )


def moved(record: Annotation, dx: float, dy: float) -> Annotation:
    """``record`` shifted by (dx, dy) points on its page."""
    geom = dict(record.geometry)
    x0, y0, x1, y1 = rect_of(record)
    geom["rect"] = [x0 + dx, y0 + dy, x1 + dx, y1 + dy]
    if "quads" in geom:
        geom["quads"] = [[q[0] + dx, q[1] + dy, q[2] + dx, q[3] + dy] for q in geom["quads"]]
    if "paths" in geom:
        geom["paths"] = [[[x + dx, y + dy] for x, y in p] for p in geom["paths"]]
    return record.model_copy(update={"geometry": geom})


def contains(record: Annotation, x: float, y: float, slop: float = 2.0) -> bool:
    x0, y0, x1, y1 = rect_of(record)
    return x0 - slop <= x <= x1 + slop and y0 - slop <= y <= y1 + slop


@dataclass
class AnnotationIndex:
    """Every annotation of one document by id and by page (what the painter looks up)."""

    by_id: dict[str, Annotation] = field(default_factory=dict)
    by_page: dict[int, dict[str, Annotation]] = field(default_factory=dict)

    def replace_all(self, records: Iterable[Annotation]) -> None:
        self.by_id = {record.id: record for record in records}
        self.by_page = {}
        for record_id, record in self.by_id.items():
            page = self.by_page.get(record.page)
            if page is None:
                page = self.by_page[record.page] = {}
            page[record_id] = record

    def put(self, record: Annotation) -> None:
        old = self.by_id.get(record.id)
        if old is not None and old.page != record.page:
            self.by_page.get(old.page, {}).pop(record.id, None)
        self.by_id[record.id] = record
        self.by_page.setdefault(record.page, {})[record.id] = record

    def remove(self, record_id: str) -> Annotation | None:
        old = self.by_id.pop(record_id, None)
        if old is not None:
            self.by_page.get(old.page, {}).pop(record_id, None)
        return old

    def on_page(self, page: int) -> Iterable[Annotation]:
        return self.by_page.get(page, {}).values()

    def at(self, page: int, x: float, y: float) -> Annotation | None:
        """The topmost (latest) annotation on ``page`` under the point."""
        hits = [r for r in self.on_page(page) if contains(r, x, y)]
        return max(hits, key=lambda r: r.created_at) if hits else None

    def __len__(self) -> int:
        return len(self.by_id)


class AnnotationStore(Protocol):
    """Where one document's annotations are kept. Blocking calls: run them off the GUI
    thread (the layer does, on one writer thread, in order)."""

    document_id: str
    sha256: str
    synced: bool  # True when saved records travel to the server

    def load(self) -> list[Annotation]: ...

    def put(self, record: Annotation) -> None: ...

    def remove(self, record_id: str) -> None: ...


class SyncedAnnotations:
    """A case document's annotations in the user's local store: each edit is a record plus
    its outbox entry, written in one transaction; the sync engine takes it from there."""

    synced = True

    def __init__(
        self,
        store: LocalStore,
        document_id: str,
        sha256: str,
        *,
        adopt: LocalFileAnnotations | None = None,
        author_id: str = "",
    ) -> None:
        self.store = store
        self.document_id = document_id
        self.sha256 = sha256
        self.adopt = adopt
        self.author_id = author_id

    def load(self) -> list[Annotation]:
        """This document's annotations; first, any the same file collected while it was
        opened from disk are moved onto it (``adopt_local``)."""
        if self.adopt is not None and self.adopt.path.is_file() and self.author_id:
            adopt_local(self.adopt, self, self.author_id)
        found = []
        for data in self.store.all(ENTITY):
            if data.get("document_id") == self.document_id:
                found.append(Annotation.model_validate(data))
        return found

    def put(self, record: Annotation) -> None:
        self.store.save(record)

    def remove(self, record_id: str) -> None:
        """Delete through the outbox: a tombstone once the server may hold the annotation;
        one made and removed between two syncs simply goes (``LocalStore.delete``)."""
        self.store.delete(ENTITY, record_id)


class LocalFileAnnotations:
    """Annotations of a PDF opened from disk, with no server: one SQLite file per PDF,
    named by its SHA-256, under the app's data dir (``desktop.paths.data_dir()``)."""

    synced = False

    def __init__(self, folder: Path, sha256: str) -> None:
        self.path = folder / f"{sha256}.sqlite3"  # made with the first annotation
        self.sha256 = sha256
        self.document_id = local_document_id(sha256)
        self._lock = threading.Lock()

    def _run(self, sql: str, params: tuple[str, ...] = ()) -> list[Any]:
        """One statement in its own transaction, on a connection closed afterwards."""
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            try:
                with conn:  # commits, or rolls back on an error
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS annotation "
                        "(id TEXT PRIMARY KEY, data TEXT NOT NULL)"
                    )
                    return conn.execute(sql, params).fetchall()
            finally:
                conn.close()

    def load(self) -> list[Annotation]:
        if not self.path.is_file():
            return []
        rows = self._run("SELECT data FROM annotation")
        return [Annotation.model_validate(orjson.loads(row[0])) for row in rows]

    def put(self, record: Annotation) -> None:
        data = orjson.dumps(record.model_dump(mode="json")).decode()
        self._run(
            "INSERT INTO annotation (id, data) VALUES (?, ?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            (record.id, data),
        )

    def remove(self, record_id: str) -> None:
        if self.path.is_file():
            self._run("DELETE FROM annotation WHERE id = ?", (record_id,))


def local_annotations(sha256: str, base: Path | None = None) -> LocalFileAnnotations:
    from desktop.paths import data_dir

    return LocalFileAnnotations((base or data_dir()) / "local-annotations", sha256)


def adopt_local(
    local: LocalFileAnnotations, target: SyncedAnnotations, author_id: str
) -> list[Annotation]:
    """Move a local file's annotations onto the case document it became (same bytes):
    each is re-tied to the document's id, given the signed-in author, and queued for the
    server; the local copies are removed only after all are saved."""
    if local.sha256 != target.sha256:
        raise ValueError("the case document is not the same file (its SHA-256 differs)")
    adopted = []
    records = local.load()
    for record in records:
        moved_record = record.model_copy(
            update={"document_id": target.document_id, "author_id": author_id}
        )
        target.put(Annotation.model_validate(moved_record.model_dump()))
        adopted.append(moved_record)
    for record in records:
        local.remove(record.id)
    return adopted
