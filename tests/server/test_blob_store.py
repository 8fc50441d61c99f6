"""Both blob stores — a folder and S3-compatible object storage — behave alike.

The S3 store talks HTTP to moto's S3 server on loopback, the way it talks to MinIO or AWS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from sync_server.services.blob_store import BlobStore, FolderBlobStore, S3BlobStore, open_blob_store
from tests.conftest import free_port


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for key, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "ECAS_S3_ENDPOINT_URL": endpoint,
    }.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="erop")
    yield endpoint
    server.stop()


@pytest.fixture(params=["folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "folder":
        return open_blob_store(str(tmp_path / "blobs"))
    request.getfixturevalue("s3_endpoint")
    return open_blob_store("s3://erop/documents")


def _staged(tmp_path: Path, data: bytes) -> tuple[str, Path]:
    path = tmp_path / "upload.part"
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest(), path


def test_published_blob_reads_back_whole_and_in_ranges(store: BlobStore, tmp_path: Path) -> None:
    data = bytes(range(256)) * 2000
    sha, staged = _staged(tmp_path, data)
    assert not store.exists(sha)
    store.publish(sha, staged)
    assert store.exists(sha)
    assert not staged.exists()  # the staged file is consumed
    assert store.size(sha) == len(data)
    assert b"".join(store.read_range(sha, 0, len(data))) == data
    assert b"".join(store.read_range(sha, 1000, 300_000)) == data[1000:301_000]
    assert b"".join(store.read_range(sha, 0, 0)) == b""


def test_store_refuses_names_that_are_not_sha256(store: BlobStore) -> None:
    for bad in ("../../etc/passwd", "A" * 64, "abc", "0" * 63 + "/"):
        with pytest.raises(ValueError):
            store.exists(bad)


def test_folder_store_fans_out_by_prefix(tmp_path: Path) -> None:
    folder = FolderBlobStore(tmp_path / "blobs")
    sha, staged = _staged(tmp_path, b"%PDF-1.7 tiny")
    folder.publish(sha, staged)
    assert (tmp_path / "blobs" / sha[:2] / sha[2:4] / sha).read_bytes() == b"%PDF-1.7 tiny"


def test_s3_url_selects_the_s3_store(s3_endpoint: str) -> None:
    store = open_blob_store("s3://erop/prefix/deeper")
    assert isinstance(store, S3BlobStore)
    assert store.key("a" * 64) == "prefix/deeper/" + "a" * 64
