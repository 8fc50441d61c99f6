"""Server settings, read from the environment with working defaults.

``ECAS_DATA_DIR``      folder for the SQLite file and the document store
                       (default: the platform's user data folder for ``ecas-server``)
``ECAS_DATABASE_URL``  SQLAlchemy URL overriding the SQLite default,
                       e.g. ``postgresql+psycopg://ecas@db/ecas``
``ECAS_BLOB_URL``      a folder, or ``s3://bucket/prefix`` for S3-compatible storage
                       (endpoint and keys from the usual ``AWS_*`` variables)
``ECAS_SECRET_KEY``    key for signing access tokens; a random one is made and kept in
                       the data folder when unset
``ECAS_ACCESS_TOKEN_SECONDS`` / ``ECAS_REFRESH_TOKEN_DAYS``  token lifetimes
``ECAS_REFRESH_GRACE_SECONDS``  how long a just-used refresh token is accepted again from
                       the client that used it, when that client lost the answer
                       (default 60; 0 turns the grace off)
``ECAS_MAX_REQUEST_BYTES``    largest JSON request body accepted (default 8 MiB)
``ECAS_UPLOAD_EXPIRY_HOURS``  an unfinished upload that receives no bytes this long is
                       removed with its staged bytes (default 24)
``ECAS_MAX_OPEN_UPLOADS`` / ``ECAS_MAX_OPEN_UPLOAD_BYTES``  unfinished uploads one user
                       may have at once, and their announced bytes together (default 20
                       and 512 MiB): their staged bytes take the server's disk
``ECAS_CLOCK_TOLERANCE_MINUTES``  how far ahead of the server's clock a signature or
                       filing time sent by a client may be (default 5; clocks drift)
``ECAS_SIGNING_P12``   the court's signing certificate (PKCS#12 file): issued orders get a
                       PAdES signature with it; unset, orders are issued unsigned
``ECAS_SIGNING_P12_PASSPHRASE``  its passphrase (never logged)
``ECAS_PDF_CHECK_MEMORY_MB`` / ``ECAS_PDF_CHECK_CPU_SECONDS`` / ``ECAS_PDF_CHECK_WALL_SECONDS``
                       limits of one uploaded PDF's check, which runs in a separate
                       process (common/pdf_box.py): memory beyond the checker's own
                       interpreter, CPU seconds, wall-clock seconds (default 1024, 15,
                       20); a file beyond them is refused as too complex to check
``ECAS_PDF_CHECKS_AT_ONCE``  checks one server process runs at once (default 2)
``ECAS_PORTAL_BASE_URL``  the address people use, e.g. ``https://ecas.court.example``:
                       mailed links start with it, and its host is the one requests may
                       name. Required: the server refuses to start without it, except a
                       demo or test server (``ECAS_DEMO=1``, ``ecas-server run``)
``ECAS_ALLOWED_HOSTS`` further host names requests may name (commas or spaces), e.g. the
                       name desktop clients use when it differs from the portal's
``ECAS_TRUSTED_PROXIES``  addresses or CIDR networks of the reverse proxies in front of the
                       server (e.g. ``127.0.0.1`` for nginx on the same machine); only
                       from them are ``X-Forwarded-For`` / ``X-Forwarded-Proto`` believed
                       (default: none)
``ECAS_DEMO``          ``1``: a demo server, which may run without a base URL
``ECAS_AUDIT_ANCHOR_DIR``  where signed checkpoints of the audit chain go: a folder (an
                       append-only file in it) or ``s3://bucket/prefix`` (a bucket with
                       Object Lock); storage the database's account can't write
``ECAS_AUDIT_ANCHOR_KEY`` / ``ECAS_AUDIT_ANCHOR_KEY_FILE``  the key the checkpoints are
                       signed with, or a file holding it: an HMAC secret (at least 32
                       characters) or an Ed25519 private key (PEM); never in the database,
                       never logged
``ECAS_AUDIT_ANCHOR_PUBLIC_KEY_FILE``  an Ed25519 public key (PEM): enough for
                       ``verify-audit`` to check checkpoints on a machine without the key
``ECAS_AUDIT_ANCHOR_EVERY_ENTRIES`` / ``ECAS_AUDIT_ANCHOR_EVERY_MINUTES``  a checkpoint
                       after this many new entries or, when there are new ones, this many
                       minutes (default 1000 and 10); also at exit and by
                       ``ecas-server anchor-audit``
``ECAS_AUDIT_ANCHOR_RETAIN_DAYS``  S3 Object Lock retention of each checkpoint (default 2557)
``ECAS_AUDIT_ANON_ADDRESSES``  client addresses a minute whose anonymous refusals get audit
                       entries of their own (default 100; the rest share one counted entry)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from sync_server.http_edges import parse_networks


@dataclass(frozen=True)
class ServerConfig:
    data_dir: Path
    database_url: str
    blob_url: str
    secret_key: str = field(repr=False)
    access_token_seconds: int = 900
    # How long a node trusts its last database check of an access token (account active,
    # session not revoked) before reading it again: a session ended on another node stops
    # working here within this bound (services/access_cache.py). 0: check every request.
    auth_recheck_seconds: float = 5.0
    # The same on PostgreSQL while this process hears the database's notifications of
    # account and session changes (they take effect within milliseconds then): a backstop
    # for a change no trigger sees (services/access_cache.py).
    auth_notified_recheck_seconds: float = 300.0
    refresh_token_days: int = 14
    refresh_grace_seconds: int = 60
    max_request_bytes: int = 8 * 1024 * 1024
    max_blob_bytes: int = 25 * 1024 * 1024
    upload_expiry_hours: float = 24.0
    max_open_uploads: int = 20
    max_open_upload_bytes: int = 512 * 1024 * 1024
    clock_tolerance_minutes: float = 5.0
    login_lockout_failures: int = 5
    login_lockout_seconds: int = 900
    # Admission control for sign-in storms (services/admission.py): password checks run at
    # once per process, how many may wait for one, and how long one waits before the
    # sign-in is answered 503 with Retry-After.
    password_checks_at_once: int = 1
    password_check_queue: int = 1
    password_check_wait_seconds: float = 2.0
    sync_page_max: int = 5000
    testing: bool = False
    signing_p12: Path | None = None
    signing_passphrase: str | None = field(default=None, repr=False)
    # The box uploaded PDFs are parsed in (common/pdf_box.py).
    pdf_check_memory_mb: int = 1024
    pdf_check_cpu_seconds: int = 15
    pdf_check_wall_seconds: float = 20.0
    pdf_checks_at_once: int = 2
    # Host, proxies and links (sync_server/http_edges.py).
    portal_base_url: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    demo: bool = False
    # Whether an external portal user must accept the current terms of use after signing in
    # (``ECAS_PORTAL_TERMS``: 1, the default, or 0; sync_server/services/profile.py). A
    # ServerConfig built in code without it (tests, the desktop's demo server, benchmarks)
    # takes the environment's value, as ``load_config`` does.
    portal_terms_required: bool = field(
        default_factory=lambda: _on_off(os.environ, "ECAS_PORTAL_TERMS", default=True)
    )
    # Where a demo or test server without a base URL says it is (``ecas-server run``
    # sets its own address); never taken from a request.
    demo_base_url: str = "http://127.0.0.1:8750"
    # The audit chain's anchors outside the database (services/audit_anchors.py).
    audit_anchor_dir: str | None = None
    audit_anchor_key: str | None = field(default=None, repr=False)
    audit_anchor_public_key: str | None = None
    audit_anchor_every_entries: int = 1000
    audit_anchor_every_minutes: float = 10.0
    audit_anchor_retain_days: int = 2557
    audit_anon_addresses: int = 100

    @property
    def link_base_url(self) -> str:
        """The address mailed links start with (no trailing slash)."""
        return (self.portal_base_url or self.demo_base_url).rstrip("/")

    def with_overrides(self, **changes: Any) -> ServerConfig:
        return replace(self, **changes)


def _words(text: str) -> list[str]:
    return [w.lower() for w in text.replace(",", " ").split()]


def _base_url(text: str) -> str | None:
    """``ECAS_PORTAL_BASE_URL`` checked: an http(s) URL with a host and nothing after the
    path (a wrong value would put a wrong address in every mailed link)."""
    text = text.strip()
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ValueError(
            f"ECAS_PORTAL_BASE_URL must look like https://ecas.court.example, not {text!r}"
        )
    return text.rstrip("/")


def _secret_from_data_dir(data_dir: Path) -> str:
    """A random signing key kept beside the data, readable by the server's user only."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_config(env: Mapping[str, str] | None = None) -> ServerConfig:
    """Build the configuration from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("ECAS_DATA_DIR") or platformdirs.user_data_dir("ecas-server"))
    database_url = env.get("ECAS_DATABASE_URL") or f"sqlite:///{data_dir / 'ecas.sqlite3'}"
    blob_url = env.get("ECAS_BLOB_URL") or str(data_dir / "blobs")
    secret = env.get("ECAS_SECRET_KEY") or _secret_from_data_dir(data_dir)
    return ServerConfig(
        data_dir=data_dir,
        database_url=database_url,
        blob_url=blob_url,
        secret_key=secret,
        access_token_seconds=int(env.get("ECAS_ACCESS_TOKEN_SECONDS", "900")),
        auth_recheck_seconds=float(env.get("ECAS_AUTH_RECHECK_SECONDS", "5")),
        auth_notified_recheck_seconds=float(env.get("ECAS_AUTH_NOTIFIED_RECHECK_SECONDS", "300")),
        refresh_token_days=int(env.get("ECAS_REFRESH_TOKEN_DAYS", "14")),
        refresh_grace_seconds=int(env.get("ECAS_REFRESH_GRACE_SECONDS", "60")),
        max_request_bytes=int(env.get("ECAS_MAX_REQUEST_BYTES", str(8 * 1024 * 1024))),
        upload_expiry_hours=float(env.get("ECAS_UPLOAD_EXPIRY_HOURS", "24")),
        max_open_uploads=int(env.get("ECAS_MAX_OPEN_UPLOADS", "20")),
        max_open_upload_bytes=int(env.get("ECAS_MAX_OPEN_UPLOAD_BYTES", str(512 * 1024 * 1024))),
        clock_tolerance_minutes=float(env.get("ECAS_CLOCK_TOLERANCE_MINUTES", "5")),
        password_checks_at_once=int(env.get("ECAS_PASSWORD_CHECKS_AT_ONCE", "1")),
        password_check_queue=int(env.get("ECAS_PASSWORD_CHECK_QUEUE", "1")),
        password_check_wait_seconds=float(env.get("ECAS_PASSWORD_CHECK_WAIT_SECONDS", "2")),
        signing_p12=Path(env["ECAS_SIGNING_P12"]) if env.get("ECAS_SIGNING_P12") else None,
        signing_passphrase=env.get("ECAS_SIGNING_P12_PASSPHRASE") or None,
        pdf_check_memory_mb=int(env.get("ECAS_PDF_CHECK_MEMORY_MB", "1024")),
        pdf_check_cpu_seconds=int(env.get("ECAS_PDF_CHECK_CPU_SECONDS", "15")),
        pdf_check_wall_seconds=float(env.get("ECAS_PDF_CHECK_WALL_SECONDS", "20")),
        pdf_checks_at_once=int(env.get("ECAS_PDF_CHECKS_AT_ONCE", "2")),
        portal_base_url=_base_url(env.get("ECAS_PORTAL_BASE_URL", "")),
        allowed_hosts=tuple(_words(env.get("ECAS_ALLOWED_HOSTS", ""))),
        trusted_proxies=tuple(
            str(net) for net in parse_networks(env.get("ECAS_TRUSTED_PROXIES", ""))
        ),
        demo=env.get("ECAS_DEMO", "") == "1",
        portal_terms_required=_on_off(env, "ECAS_PORTAL_TERMS", default=True),
        audit_anchor_dir=env.get("ECAS_AUDIT_ANCHOR_DIR") or None,
        audit_anchor_key=_anchor_key(env),
        audit_anchor_public_key=_read_file(env.get("ECAS_AUDIT_ANCHOR_PUBLIC_KEY_FILE")),
        audit_anchor_every_entries=int(env.get("ECAS_AUDIT_ANCHOR_EVERY_ENTRIES", "1000")),
        audit_anchor_every_minutes=float(env.get("ECAS_AUDIT_ANCHOR_EVERY_MINUTES", "10")),
        audit_anchor_retain_days=int(env.get("ECAS_AUDIT_ANCHOR_RETAIN_DAYS", "2557")),
        audit_anon_addresses=int(env.get("ECAS_AUDIT_ANON_ADDRESSES", "100")),
    )


def _on_off(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    """A switch: 1 (on) or 0 (off); unset or empty is the default. Anything else stops the
    server rather than guess which was meant."""
    text = env.get(name, "").strip()
    if not text:
        return default
    if text not in ("0", "1"):
        raise ValueError(f"{name} must be 1 (on) or 0 (off), not {text!r}")
    return text == "1"


def _anchor_key(env: Mapping[str, str]) -> str | None:
    """The audit anchors' key: ``ECAS_AUDIT_ANCHOR_KEY``, or the file
    ``ECAS_AUDIT_ANCHOR_KEY_FILE`` names (readable by the server's account only)."""
    key = env.get("ECAS_AUDIT_ANCHOR_KEY", "").strip()
    if not key:
        key = _read_file(env.get("ECAS_AUDIT_ANCHOR_KEY_FILE")) or ""
    if key and len(key) < 32:
        raise ValueError("ECAS_AUDIT_ANCHOR_KEY must have at least 32 characters")
    return key or None


def _read_file(path: str | None) -> str | None:
    return Path(path).read_text().strip() if path else None
