"""Resumable, verified uploads and policy-checked, audited Range downloads of documents."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.pdf_preflight import preflight_with_defaults
from sync_server.db import write_transaction
from sync_server.models import AuditEntry, Blob, BlobUpload, CaseRow, DocumentRow
from sync_server.models.uploads import UploadChunk
from sync_server.services.blob_store import FolderBlobStore
from tests import pdf_factory
from tests.conftest import Api, court_id, user_id

UPLOADS = "/api/v1/blobs/uploads"
MB = 1024 * 1024


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _start(api: Api, token: str, sha256: str, size: int) -> Any:
    return api.client.post(
        UPLOADS, headers=api.headers(token), json={"sha256": sha256, "size": size}
    )


def _patch(api: Api, token: str, upload_id: str, offset: int, chunk: bytes, **headers: str) -> Any:
    return api.client.patch(
        f"{UPLOADS}/{upload_id}",
        data=chunk,
        headers={
            **api.headers(token),
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
            **headers,
        },
    )


def _upload(api: Api, token: str, data: bytes, *, sha256: str | None = None) -> Any:
    """Start an upload of ``data`` and send it in one PATCH; returns the PATCH response."""
    started = _start(api, token, sha256 or _sha(data), len(data))
    assert started.status_code == 201, started.get_json()
    return _patch(api, token, started.get_json()["upload_id"], 0, data)


def _store(app: Flask) -> FolderBlobStore:
    store = app.extensions["ecas"].blobs.store
    assert isinstance(store, FolderBlobStore)
    return store


def _staged_bytes(app: Flask, upload_id: str) -> int:
    """The bytes of an unfinished upload kept in the database."""
    with app.extensions["ecas"].factory() as session:
        stored = session.scalar(
            select(func.coalesce(func.sum(UploadChunk.size), 0)).where(
                UploadChunk.upload_id == upload_id
            )
        )
    return int(stored or 0)


def _assert_nothing_kept(app: Flask, upload_id: str, *shas: str) -> None:
    with app.extensions["ecas"].factory() as session:
        for sha in shas:
            assert session.get(Blob, sha) is None
        assert session.get(BlobUpload, upload_id) is None
    for sha in shas:
        assert not _store(app).path(sha).exists()
    assert _staged_bytes(app, upload_id) == 0


@contextlib.contextmanager
def app_session(app: Flask) -> Iterator[Session]:
    """A session on the app's database whose changes commit at the end."""
    with app.extensions["ecas"].factory() as session, session.begin():
        yield session


def _document(app: Flask, court: str) -> DocumentRow:
    """An accepted demo document of ``court``."""
    with app.extensions["ecas"].factory() as session:
        query = (
            select(DocumentRow)
            .join(CaseRow, CaseRow.id == DocumentRow.case_id)
            .where(CaseRow.court_id == court_id(court), DocumentRow.status == "accepted")
            .order_by(DocumentRow.id)
            .limit(1)
        )
        doc: DocumentRow | None = session.scalar(query)
        assert doc is not None
        return doc


def _reads(app: Flask, actor: str, sha256: str) -> int:
    with app.extensions["ecas"].factory() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.action == "document.read",
                    AuditEntry.actor_id == actor,
                    AuditEntry.record_id == sha256,
                )
            )
            or 0
        )


# --- uploads -------------------------------------------------------------------------------


def test_upload_in_three_chunks_completes_and_stores_the_bytes(api: Api, seeded_app: Flask) -> None:
    token = api.login("attorney1")
    data = pdf_factory.valid_pdf()
    started = _start(api, token, _sha(data), len(data))
    assert started.status_code == 201
    body = started.get_json()
    assert body["offset"] == 0 and body["exists"] is False
    upload_id = body["upload_id"]
    cuts = [0, len(data) // 3, 2 * len(data) // 3, len(data)]
    for number, (start, end) in enumerate(itertools.pairwise(cuts), 1):
        response = _patch(api, token, upload_id, start, data[start:end])
        assert response.status_code == 200, response.get_json()
        assert response.get_json() == {
            "upload_id": upload_id,
            "offset": end,
            "complete": number == 3,
        }
        assert response.headers["Upload-Offset"] == str(end)
    assert _store(seeded_app).path(_sha(data)).read_bytes() == data
    assert _staged_bytes(seeded_app, upload_id) == 0
    again = _start(api, token, _sha(data), len(data))
    assert again.status_code == 200
    assert again.get_json()["exists"] is True


def test_head_reports_the_offset_to_resume_from(api: Api) -> None:
    token = api.login("dhs1")
    data = pdf_factory.valid_pdf()
    upload_id = _start(api, token, _sha(data), len(data)).get_json()["upload_id"]
    head = api.client.head(f"{UPLOADS}/{upload_id}", headers=api.headers(token))
    assert head.status_code == 204 and head.headers["Upload-Offset"] == "0"
    _patch(api, token, upload_id, 0, data[:500])
    head = api.client.head(f"{UPLOADS}/{upload_id}", headers=api.headers(token))
    assert head.headers["Upload-Offset"] == "500"
    # Starting the same upload again finds it where it stopped.
    assert _start(api, token, _sha(data), len(data)).get_json() == {
        "upload_id": upload_id,
        "offset": 500,
        "exists": False,
    }


def test_an_upload_is_private_to_its_uploader(api: Api) -> None:
    data = pdf_factory.valid_pdf()
    owner = api.login("attorney1")
    upload_id = _start(api, owner, _sha(data), len(data)).get_json()["upload_id"]
    other = api.login("attorney2")
    assert api.client.head(f"{UPLOADS}/{upload_id}", headers=api.headers(other)).status_code == 404
    response = _patch(api, other, upload_id, 0, data)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_patch_at_the_wrong_offset_is_told_the_right_one(api: Api) -> None:
    token = api.login("attorney1")
    data = pdf_factory.valid_pdf()
    upload_id = _start(api, token, _sha(data), len(data)).get_json()["upload_id"]
    _patch(api, token, upload_id, 0, data[:300])
    response = _patch(api, token, upload_id, 600, data[600:])
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["offset"] == 300
    assert response.headers["Upload-Offset"] == "300"
    assert _patch(api, token, upload_id, 300, data[300:]).get_json()["complete"] is True


def test_a_patch_without_an_offset_is_refused(api: Api) -> None:
    token = api.login("attorney1")
    data = pdf_factory.valid_pdf()
    upload_id = _start(api, token, _sha(data), len(data)).get_json()["upload_id"]
    response = api.client.patch(f"{UPLOADS}/{upload_id}", data=data, headers=api.headers(token))
    assert response.status_code == 400
    assert "Upload-Offset" in response.get_json()["detail"]


def test_an_upload_cut_half_way_resumes_and_verifies(api: Api, seeded_app: Flask) -> None:
    token = api.login("clerk1")
    data = pdf_factory.valid_pdf(pages=3)
    half = len(data) // 2
    upload_id = _start(api, token, _sha(data), len(data)).get_json()["upload_id"]
    first = _patch(api, token, upload_id, 0, data[:half], **{"Content-Length": str(half)})
    assert first.get_json() == {"upload_id": upload_id, "offset": half, "complete": False}
    offset = int(
        api.client.head(f"{UPLOADS}/{upload_id}", headers=api.headers(token)).headers[
            "Upload-Offset"
        ]
    )
    assert offset == half
    rest = _patch(api, token, upload_id, offset, data[offset:])
    assert rest.status_code == 200 and rest.get_json()["complete"] is True
    stored = _store(seeded_app).path(_sha(data)).read_bytes()
    assert _sha(stored) == _sha(data)


def test_a_dropped_connection_keeps_the_bytes_that_arrived(api: Api, seeded_app: Flask) -> None:
    token = api.login("clerk1")
    data = pdf_factory.valid_pdf(pages=3)
    half = len(data) // 2
    upload_id = _start(api, token, _sha(data), len(data)).get_json()["upload_id"]
    # The body announces every byte but ends half-way, as when the network drops.
    cut = api.client.patch(
        f"{UPLOADS}/{upload_id}",
        data=data[:half],
        environ_overrides={"CONTENT_LENGTH": str(len(data))},
        headers={**api.headers(token), "Upload-Offset": "0"},
    )
    assert cut.status_code == 400
    assert cut.get_json()["offset"] == half
    rest = _patch(api, token, upload_id, half, data[half:])
    assert rest.get_json()["complete"] is True
    assert _sha(_store(seeded_app).path(_sha(data)).read_bytes()) == _sha(data)


def test_bytes_that_dont_match_the_announced_hash_are_not_kept(api: Api, seeded_app: Flask) -> None:
    token = api.login("attorney1")
    announced, sent = pdf_factory.valid_pdf(), pdf_factory.valid_pdf()
    sent = sent[: len(announced)].ljust(len(announced), b"\n")
    assert _sha(announced) != _sha(sent)
    started = _start(api, token, _sha(announced), len(announced)).get_json()
    response = _patch(api, token, started["upload_id"], 0, sent)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "SHA-256" in response.get_json()["detail"]
    _assert_nothing_kept(seeded_app, started["upload_id"], _sha(announced), _sha(sent))


def test_an_empty_patch_at_the_end_finishes_an_upload_left_unpublished(
    api: Api, seeded_app: Flask
) -> None:
    """A client that had sent every byte when the server stopped (before publishing)
    sends an empty PATCH at the end offset; the upload is verified and published."""
    token = api.login("clerk1")
    data = pdf_factory.valid_pdf(pages=3)
    upload_id = _start(api, token, _sha(data), len(data)).get_json()["upload_id"]
    # What the server leaves when it stops between the last byte and publishing.
    with app_session(seeded_app) as session:
        upload = session.get(BlobUpload, upload_id)
        assert upload is not None
        session.add(UploadChunk(upload_id=upload_id, start=0, size=len(data), data=data))
        upload.offset = len(data)

    finished = _patch(api, token, upload_id, len(data), b"")
    assert finished.status_code == 200, finished.get_json()
    assert finished.get_json() == {"upload_id": upload_id, "offset": len(data), "complete": True}
    assert _store(seeded_app).path(_sha(data)).read_bytes() == data
    assert _staged_bytes(seeded_app, upload_id) == 0


BAD_PDFS: dict[str, Callable[[], bytes]] = {
    "not_a_pdf": pdf_factory.not_a_pdf,
    "encrypted": pdf_factory.encrypted_pdf,
    "javascript": pdf_factory.javascript_pdf,
    "truncated": pdf_factory.truncated_pdf,
    "embedded_file": pdf_factory.embedded_file_pdf,
    "many_problems": pdf_factory.many_problems_pdf,
}


@pytest.mark.parametrize("make", BAD_PDFS.values(), ids=BAD_PDFS.keys())
def test_a_refused_pdf_lists_every_problem_and_is_not_kept(
    api: Api, seeded_app: Flask, make: Callable[[], bytes]
) -> None:
    data = make()
    expected = {problem.code.value for problem in preflight_with_defaults(data).problems}
    assert expected
    token = api.login("dhs1")
    started = _start(api, token, _sha(data), len(data)).get_json()
    response = _patch(api, token, started["upload_id"], 0, data)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {error["loc"] for error in body["errors"]} == expected
    assert all(error["msg"] for error in body["errors"])
    _assert_nothing_kept(seeded_app, started["upload_id"], _sha(data))


def test_a_file_over_the_size_limit_is_refused_before_any_byte_is_sent(api: Api) -> None:
    token = api.login("attorney1")
    response = _start(api, token, "ab" * 32, 25 * MB + 1)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    detail = response.get_json()["detail"]
    assert "Split it into" in detail and "parts" in detail
    assert "25.0 MB" not in detail  # a file over the limit never reads as being at it


def test_eoir_staff_may_not_upload(api: Api) -> None:
    data = pdf_factory.valid_pdf()
    response = _start(api, api.login("eoir1"), _sha(data), len(data))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


# --- downloads -----------------------------------------------------------------------------


def test_a_document_is_served_whole_and_by_range(api: Api, seeded_app: Flask) -> None:
    doc = _document(seeded_app, "SFR")
    data = _store(seeded_app).path(doc.sha256).read_bytes()
    token = api.login("clerk1")
    whole = api.client.get(f"/api/v1/blobs/{doc.sha256}", headers=api.headers(token))
    assert whole.status_code == 200
    assert whole.mimetype == "application/pdf"
    assert whole.data == data and _sha(whole.data) == doc.sha256
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = api.client.get(
        f"/api/v1/blobs/{doc.sha256}", headers={**api.headers(token), "Range": "bytes=0-99"}
    )
    assert part.status_code == 206
    assert part.data == data[:100]
    assert part.headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    assert part.headers["Content-Length"] == "100"
    tail = api.client.get(
        f"/api/v1/blobs/{doc.sha256}", headers={**api.headers(token), "Range": "bytes=-50"}
    )
    assert tail.status_code == 206 and tail.data == data[-50:]


def test_an_unsatisfiable_range_is_416(api: Api, seeded_app: Flask) -> None:
    doc = _document(seeded_app, "SFR")
    token = api.login("clerk1")
    response = api.client.get(
        f"/api/v1/blobs/{doc.sha256}",
        headers={**api.headers(token), "Range": f"bytes={doc.size}-{doc.size + 10}"},
    )
    assert response.status_code == 416
    assert response.mimetype == "application/problem+json"
    assert response.headers["Content-Range"] == f"bytes */{doc.size}"


def test_a_multi_range_request_gets_the_whole_document(api: Api, seeded_app: Flask) -> None:
    doc = _document(seeded_app, "SFR")
    token = api.login("clerk1")
    response = api.client.get(
        f"/api/v1/blobs/{doc.sha256}", headers={**api.headers(token), "Range": "bytes=0-9,20-29"}
    )
    assert response.status_code == 200
    assert len(response.data) == doc.size


@pytest.mark.parametrize(
    "raw",
    [
        "../../etc/passwd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%2f..%2f..%2fetc%2fpasswd",
        "A" * 64,
        "a" * 63,
        "a" * 65,
        "g" * 64,
    ],
)
def test_blob_ids_that_are_not_sha256_touch_no_file(
    api: Api, raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = api.login("eoir1")

    def no_file_access(*_args: object) -> None:
        raise AssertionError("the store was asked for a non-SHA-256 name")

    monkeypatch.setattr(FolderBlobStore, "path", no_file_access)
    response = api.client.get(f"/api/v1/blobs/{raw}", headers=api.headers(token))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_an_uppercase_spelling_of_a_real_blob_is_not_found(api: Api, seeded_app: Flask) -> None:
    doc = _document(seeded_app, "SFR")
    token = api.login("eoir1")
    response = api.client.get(f"/api/v1/blobs/{doc.sha256.upper()}", headers=api.headers(token))
    assert response.status_code == 404


@pytest.mark.parametrize("username", ["attorney2", "dhs2"])
def test_a_user_who_cant_see_the_document_gets_not_found(
    api: Api, seeded_app: Flask, username: str
) -> None:
    doc = _document(seeded_app, "SFR")
    token = api.login(username)
    hidden = api.client.get(f"/api/v1/blobs/{doc.sha256}", headers=api.headers(token))
    missing = api.client.get(
        f"/api/v1/blobs/{_sha(uuid.uuid4().bytes)}", headers=api.headers(token)
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()  # nothing tells the two apart
    assert _reads(seeded_app, user_id(username), doc.sha256) == 0


def test_the_uploader_may_read_their_blob_before_it_is_filed(api: Api) -> None:
    token = api.login("attorney2")
    data = pdf_factory.valid_pdf()
    assert _upload(api, token, data).get_json()["complete"] is True
    response = api.client.get(f"/api/v1/blobs/{_sha(data)}", headers=api.headers(token))
    assert response.status_code == 200 and response.data == data
    other = api.client.get(
        f"/api/v1/blobs/{_sha(data)}", headers=api.headers(api.login("attorney1"))
    )
    assert other.status_code == 404


def test_every_successful_read_is_audited(api: Api, seeded_app: Flask) -> None:
    doc = _document(seeded_app, "SFR")
    reader = user_id("judge2")
    before = _reads(seeded_app, reader, doc.sha256)
    token = api.login("judge2")
    url = f"/api/v1/blobs/{doc.sha256}"
    assert api.client.get(url, headers=api.headers(token)).status_code == 200
    assert (
        api.client.get(url, headers={**api.headers(token), "Range": "bytes=0-99"}).status_code
        == 206
    )
    assert _reads(seeded_app, reader, doc.sha256) == before + 2


def test_reading_needs_a_signed_in_user(api: Api, seeded_app: Flask) -> None:
    doc = _document(seeded_app, "SFR")
    response = api.client.get(f"/api/v1/blobs/{doc.sha256}")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.postgres
def test_a_download_waits_for_no_court_writer(api: Api, seeded_app: Flask, backend: str) -> None:
    """A read's audit entry appends to the chain only: it must not queue behind a push of
    some court still running (nor would the pushes queued behind it then wait)."""
    if backend != "postgresql":
        pytest.skip("SQLite has one writer: every write waits for it")
    doc = _document(seeded_app, "SFR")
    token = api.login("clerk1")
    factory = seeded_app.extensions["ecas"].factory
    holding, release = threading.Event(), threading.Event()

    def court_writer() -> None:  # another court's push, still under way
        with write_transaction(factory, courts=[court_id("HOU")]):
            holding.set()
            release.wait(60)

    writer = threading.Thread(target=court_writer, daemon=True)
    writer.start()
    try:
        assert holding.wait(30)
        before = _reads(seeded_app, user_id("clerk1"), doc.sha256)
        answer: list[int] = []
        reader = threading.Thread(
            target=lambda: answer.append(
                api.client.get(
                    f"/api/v1/blobs/{doc.sha256}", headers=api.headers(token)
                ).status_code
            ),
            daemon=True,
        )
        reader.start()
        reader.join(20)
        assert answer == [200], "the download waited for the court's writer"
        assert _reads(seeded_app, user_id("clerk1"), doc.sha256) == before + 1
    finally:
        release.set()
        writer.join(30)
