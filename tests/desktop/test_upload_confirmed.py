"""The desktop's upload reports success only when the server confirms it holds the
document, against a real ``ecas-server run`` process."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import requests
from sqlalchemy import update

from desktop.api_client import ApiClient, ApiError
from sync_server.db import make_engine, make_session_factory
from sync_server.models import BlobUpload
from tests.conftest import DEMO_PASSWORD, LiveServer
from tests.pdf_factory import valid_pdf

pytestmark = pytest.mark.slow


def _client(server: LiveServer) -> ApiClient:
    client = ApiClient(server.url)
    client.login("clerk1", DEMO_PASSWORD)
    return client


def _blob_path(server: LiveServer, sha256: str) -> Path:
    return Path(server.env["ECAS_DATA_DIR"]) / "blobs" / sha256[:2] / sha256[2:4] / sha256


def _downloaded(client: ApiClient, sha256: str) -> bytes:
    return b"".join(client.download(sha256))


def test_an_upload_the_server_could_not_store_is_reported_as_failed_then_succeeds(
    live_server: LiveServer,
) -> None:
    client = _client(live_server)
    data = valid_pdf(pages=3)
    sha256 = hashlib.sha256(data).hexdigest()
    # A file where the blob's folder must go: the server can't store it, as with a full disk.
    obstacle = _blob_path(live_server, sha256).parent
    obstacle.parent.mkdir(parents=True, exist_ok=True)
    obstacle.write_bytes(b"")

    with pytest.raises(ApiError) as failed:
        client.upload(data)
    assert failed.value.kind == "server" and failed.value.status == 503
    with pytest.raises(ApiError):
        _downloaded(client, sha256)  # not there: the failure was not a hidden success

    obstacle.unlink()
    seen: list[tuple[int, int]] = []
    assert client.upload(data, lambda done, total: seen.append((done, total))) == sha256
    assert seen[-1] == (len(data), len(data))
    assert _downloaded(client, sha256) == data


def test_an_upload_cut_after_its_last_byte_by_a_crash_completes_on_the_next_try(
    live_server: LiveServer,
) -> None:
    client = _client(live_server)
    data = valid_pdf(pages=4)
    sha256 = hashlib.sha256(data).hexdigest()
    assert client.session is not None
    started = requests.post(
        f"{live_server.url}/api/v1/blobs/uploads",
        headers={"Authorization": f"Bearer {client.session.access_token}"},
        json={"sha256": sha256, "size": len(data)},
        timeout=30,
    ).json()
    live_server.kill()
    # What a server killed between the last byte and publishing leaves behind.
    staged = Path(live_server.env["ECAS_DATA_DIR"]) / "staging" / f"{started['upload_id']}.part"
    staged.write_bytes(data)
    engine = make_engine(live_server.env["ECAS_DATABASE_URL"])
    try:
        with make_session_factory(engine)() as session, session.begin():
            session.execute(
                update(BlobUpload)
                .where(BlobUpload.id == started["upload_id"])
                .values(offset=len(data))
            )
    finally:
        engine.dispose()
    live_server.start()

    assert client.upload(data) == sha256
    assert _downloaded(client, sha256) == data


def test_too_many_unfinished_uploads_is_not_read_as_a_sign_in_problem() -> None:
    """The server's 429 on an upload says to finish or wait; the client must not ask the
    user to sign in again for it."""
    import requests

    from desktop.api_client import _error_from

    response = requests.Response()
    response.status_code = 429
    response.url = "https://ecas.example/api/v1/blobs/uploads"
    response._content = (
        b'{"title": "Too many unfinished uploads", "status": 429,'
        b' "detail": "You have 20 unfinished uploads."}'
    )
    response.headers["Content-Type"] = "application/problem+json"
    error = _error_from(response, "upload")
    assert error.kind == "refused" and "20 unfinished uploads" in str(error)
    response.url = "https://ecas.example/api/v1/auth/login"
    assert _error_from(response, "sign in").kind == "auth"
