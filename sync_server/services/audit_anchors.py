"""Signed checkpoints of the audit chain's head, kept where the database can't reach.

The chain in ``audit_entry`` proves that no entry was changed *unless the whole chain from
that entry on was recomputed*, and that nothing was cut off the end *unless the head in
``server_state`` was moved back with it*: someone who can write the database can do both.
An anchor fixes a point of the chain outside the database: the sequence number and hash of
the head at a moment, with the time, signed with a key that only the server's host holds
(``ECAS_AUDIT_ANCHOR_KEY``: an HMAC-SHA256 secret, or an Ed25519 private key in PEM, whose
public key alone then checks anchors: ``ECAS_AUDIT_ANCHOR_PUBLIC_KEY_FILE``).
``verify_chain`` then reads every anchor: an anchored entry whose hash differs means the
history was rewritten, an anchored entry beyond the end of the chain means the end was cut
off.

Anchors go to an append-only file (``ECAS_AUDIT_ANCHOR_DIR``, one JSON line per anchor,
appended under ``flock`` and fsynced) or, for ``s3://bucket/prefix``, to one object per
anchor under S3 Object Lock in compliance mode. The :class:`AnchorKeeper` writes one every
``ECAS_AUDIT_ANCHOR_EVERY_ENTRIES`` entries or ``ECAS_AUDIT_ANCHOR_EVERY_MINUTES`` minutes
(when there is something new) and at exit; ``ecas-server anchor-audit`` writes one now (a
systemd timer runs it).
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import hmac
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from sync_server.config import ServerConfig
from sync_server.models.types import utcnow

log = logging.getLogger(__name__)

FORMAT = "ecas-audit-anchor/1"
FILE_NAME = "audit-anchors.jsonl"
MIN_KEY_CHARS = 32


@dataclass(frozen=True)
class Anchor:
    """The chain's head at ``at``: entry ``seq`` had hash ``hash``; ``mac`` is the
    signature (``alg``: ``hmac-sha256`` or ``ed25519``), hex."""

    seq: int
    hash: str
    at: datetime
    alg: str
    mac: str

    def to_json(self) -> bytes:
        body = {"format": FORMAT, "seq": self.seq, "hash": self.hash, "at": self.at.isoformat()}
        return orjson.dumps({**body, "alg": self.alg, "mac": self.mac})


def _message(alg: str, seq: int, digest: str, at: str) -> bytes:
    return f"{FORMAT}|{alg}|{seq}|{digest}|{at}".encode()


class Signer(Protocol):
    """Signs anchors (when it holds a signing key) and checks them."""

    alg: str

    def sign(self, message: bytes) -> str: ...

    def verify(self, message: bytes, signature: str) -> bool: ...


class HmacSigner:
    """HMAC-SHA256: whoever can check an anchor could also make one."""

    alg = "hmac-sha256"

    def __init__(self, key: bytes) -> None:
        self._key = key

    def sign(self, message: bytes) -> str:
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def verify(self, message: bytes, signature: str) -> bool:
        return hmac.compare_digest(signature, self.sign(message))


class Ed25519Signer:
    """Ed25519: the private key signs (on the server); the public key alone checks, so an
    auditor who verifies can't forge."""

    alg = "ed25519"

    def __init__(self, private: Ed25519PrivateKey | None, public: Ed25519PublicKey) -> None:
        self._private, self._public = private, public

    def sign(self, message: bytes) -> str:
        if self._private is None:
            raise PermissionError("only the public key is configured: anchors can't be made")
        return self._private.sign(message).hex()

    def verify(self, message: bytes, signature: str) -> bool:
        try:
            self._public.verify(bytes.fromhex(signature), message)
        except (InvalidSignature, ValueError):
            return False
        return True


def signer_from(key: str | None, public_key: str | None = None) -> Signer | None:
    """The signer for ``ECAS_AUDIT_ANCHOR_KEY``: a PEM Ed25519 private key, else an HMAC
    secret; or, with no key, a checker from the PEM public key ``public_key``."""
    if key and key.lstrip().startswith("-----BEGIN"):
        private = serialization.load_pem_private_key(key.encode(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("ECAS_AUDIT_ANCHOR_KEY is a PEM key but not an Ed25519 one")
        return Ed25519Signer(private, private.public_key())
    if key:
        return HmacSigner(key.encode())
    if public_key:
        public = serialization.load_pem_public_key(public_key.encode())
        if not isinstance(public, Ed25519PublicKey):
            raise ValueError("ECAS_AUDIT_ANCHOR_PUBLIC_KEY is not an Ed25519 public key")
        return Ed25519Signer(None, public)
    return None


def sign(signer: Signer, seq: int, digest: str, at: datetime) -> Anchor:
    mac = signer.sign(_message(signer.alg, seq, digest, at.isoformat()))
    return Anchor(seq, digest, at, signer.alg, mac)


class BadAnchor(ValueError):
    """An anchor that can't be read or whose signature does not hold."""


def parse(signer: Signer, raw: bytes) -> Anchor:
    """The anchor in ``raw`` after checking its signature; :class:`BadAnchor` if it fails."""
    try:
        data = orjson.loads(raw)
        seq, digest, at, mac = int(data["seq"]), str(data["hash"]), str(data["at"]), data["mac"]
        alg = data.get("alg")
        if data.get("format") != FORMAT or not isinstance(mac, str):
            raise BadAnchor("not an audit anchor")
        when = datetime.fromisoformat(at)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as err:
        raise BadAnchor(f"unreadable ({type(err).__name__})") from err
    if alg != signer.alg:
        raise BadAnchor(f"signed with {alg!r}, but the key configured is {signer.alg}")
    if not signer.verify(_message(signer.alg, seq, digest, at), mac):
        raise BadAnchor("its signature does not match (altered, or signed with another key)")
    return Anchor(seq, digest, when, signer.alg, mac)


@dataclass(frozen=True)
class AnchorReadout:
    anchors: list[Anchor]
    bad: list[str]  # "where: why" for each anchor that failed


class AnchorSink(Protocol):
    def write(self, anchor: Anchor) -> None: ...

    def raw(self) -> Iterator[tuple[str, bytes]]:
        """Every stored anchor as (where it is, its bytes)."""
        ...

    def describe(self) -> str: ...


def read_anchors(sink: AnchorSink, signer: Signer) -> AnchorReadout:
    anchors: list[Anchor] = []
    bad: list[str] = []
    for where, raw in sink.raw():
        try:
            anchors.append(parse(signer, raw))
        except BadAnchor as err:
            bad.append(f"{where}: {err}")
    return AnchorReadout(anchors, bad)


class FileAnchorSink:
    """One JSON line per anchor in ``<folder>/audit-anchors.jsonl``, only ever appended.

    Give the file the append-only attribute (``chattr +a``) or keep the folder on storage
    the database's account can't write; see docs/SECURITY.md."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME

    def describe(self) -> str:
        return str(self.path)

    def write(self, anchor: Anchor) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # workers of several processes append one line each
            os.write(fd, anchor.to_json() + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def raw(self) -> Iterator[tuple[str, bytes]]:
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            return
        with handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield f"{self.path.name} line {number}", line

    def newest_seq(self) -> int:
        """The highest sequence number in the last few anchors (0 when there are none);
        a cheap look at the tail, not a check."""
        try:
            with self.path.open("rb") as handle:
                handle.seek(0, os.SEEK_END)
                start = max(0, handle.tell() - 4096)
                handle.seek(start)
                tail = handle.read().splitlines()[1 if start else 0 :]  # whole lines only
        except FileNotFoundError:
            return 0
        best = 0
        for line in tail:
            try:
                best = max(best, int(orjson.loads(line)["seq"]))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                continue
        return best


class S3AnchorSink:
    """One object per anchor under ``<prefix>/audit-anchors/``, each kept under S3 Object
    Lock (compliance mode) for ``retain``: the bucket must be created with Object Lock."""

    def __init__(self, url: str, retain: timedelta) -> None:
        import boto3  # optional dependency, as for the S3 document store

        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        self.bucket = bucket
        self.prefix = (prefix.strip("/") + "/" if prefix.strip("/") else "") + "audit-anchors/"
        self.retain = retain
        endpoint = os.environ.get("ECAS_S3_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL")
        self.client: Any = boto3.client("s3", endpoint_url=endpoint)

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def write(self, anchor: Anchor) -> None:
        body = anchor.to_json()
        self.client.put_object(
            Bucket=self.bucket,
            # Sorted by sequence; the suffix keeps two workers' anchors of one head apart.
            Key=f"{self.prefix}{anchor.seq:015d}-{uuid.uuid4().hex[:12]}.json",
            Body=body,
            ContentType="application/json",
            ObjectLockMode="COMPLIANCE",
            ObjectLockRetainUntilDate=anchor.at + self.retain,
            ChecksumAlgorithm="SHA256",
        )

    def raw(self) -> Iterator[tuple[str, bytes]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                got = self.client.get_object(Bucket=self.bucket, Key=item["Key"])
                yield item["Key"], got["Body"].read()


def open_anchor_sink(where: str, retain: timedelta) -> AnchorSink:
    """The sink for ``ECAS_AUDIT_ANCHOR_DIR``: ``s3://bucket/prefix`` or a folder."""
    if where.startswith("s3://"):
        return S3AnchorSink(where, retain)
    return FileAnchorSink(Path(where))


def chain_head(session: Session) -> tuple[int, str]:
    row = session.execute(text("SELECT audit_seq, audit_head FROM server_state WHERE id = 1")).one()
    return int(row.audit_seq), str(row.audit_head)


class AnchorKeeper:
    """Writes anchors of the committed head: on a schedule, at exit, and when asked."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        signer: Signer,
        sink: AnchorSink,
        *,
        every_entries: int,
        every_seconds: float,
    ) -> None:
        self.factory, self.signer, self.sink = factory, signer, sink
        self.every_entries = max(1, every_entries)
        self.every_seconds = max(1.0, every_seconds)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._last_seq: int | None = None
        self._last_time = time.monotonic()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._closed = False

    def anchor_now(self) -> Anchor | None:
        """Anchor the committed head (None when the chain is empty). Reads only: the head
        row is committed with its entry, so an anchor never names an uncommitted entry."""
        with self.factory() as session:
            seq, digest = chain_head(session)
        if seq == 0:
            return None
        anchor = sign(self.signer, seq, digest, utcnow())
        self.sink.write(anchor)
        with self._lock:
            self._last_seq, self._last_time = seq, time.monotonic()
        return anchor

    def _known_last(self) -> int:
        with self._lock:
            if self._last_seq is None:
                newest = getattr(self.sink, "newest_seq", None)
                self._last_seq = int(newest()) if callable(newest) else 0
            return self._last_seq

    def due(self) -> bool:
        """Is an anchor owed: enough new entries, or new entries and enough time?"""
        with self.factory() as session:
            seq, _ = chain_head(session)
        last = self._known_last()
        if seq <= last:
            return False
        waited = time.monotonic() - self._last_time
        return seq - last >= self.every_entries or waited >= self.every_seconds

    def ensure_running(self) -> None:
        """Start this process's schedule thread (once per process: gunicorn forks)."""
        pid = os.getpid()
        thread = self._thread
        if self._closed or (self._pid == pid and thread is not None and thread.is_alive()):
            return  # every request asks: the usual answer takes no lock
        with self._lock:
            if self._pid == pid and self._thread is not None and self._thread.is_alive():
                return
            first_in_process = self._pid != pid
            self._pid = pid
            self._thread = threading.Thread(target=self._run, name="audit-anchor", daemon=True)
            self._thread.start()
        if first_in_process:
            atexit.register(self._at_exit)

    def close(self) -> None:
        """Stop this process's schedule, without a last anchor (``anchor_now`` for one)."""
        self._closed = True
        self._wake.set()

    def _run(self) -> None:
        poll = min(5.0, self.every_seconds)
        while not self._wake.wait(poll):
            try:
                if self.due():
                    self.anchor_now()
            except Exception:  # the next round tries again; the chain itself is intact
                log.exception("could not write an audit anchor")

    def _at_exit(self) -> None:
        self._wake.set()
        if self._closed:
            return
        try:
            with self.factory() as session:
                seq, _ = chain_head(session)
            if seq > self._known_last():
                self.anchor_now()
        except Exception:
            log.exception("could not write the audit anchor at exit")


def anchor_verifier_for(config: ServerConfig) -> tuple[AnchorSink, Signer] | None:
    """Where the anchors are and how to check them (``verify-audit``: a signing key, or an
    Ed25519 public key alone); None when ``ECAS_AUDIT_ANCHOR_DIR`` is unset."""
    if config.audit_anchor_dir is None:
        return None
    signer = signer_from(config.audit_anchor_key, config.audit_anchor_public_key)
    if signer is None:
        raise ValueError(
            "ECAS_AUDIT_ANCHOR_DIR is set but no key is: set ECAS_AUDIT_ANCHOR_KEY (or "
            "_KEY_FILE), or ECAS_AUDIT_ANCHOR_PUBLIC_KEY_FILE to check anchors only"
        )
    retain = timedelta(days=config.audit_anchor_retain_days)
    return open_anchor_sink(config.audit_anchor_dir, retain), signer


def anchor_keeper_for(config: ServerConfig, factory: sessionmaker[Session]) -> AnchorKeeper | None:
    """The keeper the settings ask for; None when ``ECAS_AUDIT_ANCHOR_DIR`` is unset or
    only a public key is configured (a machine that checks, never signs)."""
    found = anchor_verifier_for(config)
    if found is None or config.audit_anchor_key is None:
        return None
    sink, signer = found
    return AnchorKeeper(
        factory,
        signer,
        sink,
        every_entries=config.audit_anchor_every_entries,
        every_seconds=config.audit_anchor_every_minutes * 60,
    )
