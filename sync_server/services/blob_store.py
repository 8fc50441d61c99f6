"""Where document bodies live: a folder, or S3-compatible object storage.

Blobs are named by their SHA-256 and written once. A blob is staged in a temporary file,
verified, fsynced and only then published under its name, so a reader never sees a
partial body. Nothing here alters or deletes a published blob.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

_SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 256 * 1024


def is_sha256(value: str) -> bool:
    """True for a lowercase hex SHA-256; anything else never reaches a path or a key."""
    return _SHA256.fullmatch(value) is not None


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlobStore(Protocol):
    def exists(self, sha256: str) -> bool: ...

    def publish(self, sha256: str, staged: Path) -> None:
        """Make the verified file ``staged`` the blob ``sha256`` (consumes ``staged``)."""

    def size(self, sha256: str) -> int: ...

    def read_range(self, sha256: str, start: int, length: int) -> Iterator[bytes]: ...


class FolderBlobStore:
    """Blobs as files ``<root>/ab/cd/<sha256>``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 blob name")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def publish(self, sha256: str, staged: Path) -> None:
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        with staged.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staged, target)
        fsync_dir(target.parent)

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def read_range(self, sha256: str, start: int, length: int) -> Iterator[bytes]:
        with self.path(sha256).open("rb") as handle:
            handle.seek(start)
            left = length
            while left > 0:
                chunk = handle.read(min(CHUNK, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk


class S3BlobStore:
    """Blobs as objects ``<prefix>/<sha256>`` in an S3-compatible bucket (boto3)."""

    def __init__(self, url: str) -> None:
        import boto3  # optional dependency: `pip install ecas[s3]`

        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        self.bucket, self.prefix = bucket, prefix.strip("/")
        endpoint = os.environ.get("ECAS_S3_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL")
        self.client = boto3.client("s3", endpoint_url=endpoint)

    def key(self, sha256: str) -> str:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 blob name")
        return f"{self.prefix}/{sha256}" if self.prefix else sha256

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError:
            return False
        return True

    def publish(self, sha256: str, staged: Path) -> None:
        # S3 makes an object visible only once the whole upload succeeded.
        self.client.upload_file(str(staged), self.bucket, self.key(sha256))
        staged.unlink()

    def size(self, sha256: str) -> int:
        head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        return int(head["ContentLength"])

    def read_range(self, sha256: str, start: int, length: int) -> Iterator[bytes]:
        if length <= 0:
            return
        obj = self.client.get_object(
            Bucket=self.bucket, Key=self.key(sha256), Range=f"bytes={start}-{start + length - 1}"
        )
        yield from obj["Body"].iter_chunks(CHUNK)


def open_blob_store(url: str) -> BlobStore:
    """A store for ``ECAS_BLOB_URL``: ``s3://bucket/prefix`` or a folder path."""
    if url.startswith("s3://"):
        return S3BlobStore(url)
    return FolderBlobStore(Path(url.removeprefix("file://")))
