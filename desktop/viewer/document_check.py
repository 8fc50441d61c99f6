"""Integrity checks and plain-language messages for documents the viewer refuses.

Runs on the render worker's thread (hashing a large record should not freeze the window).
"""

from __future__ import annotations

import hashlib
from typing import Any

HASH_MISMATCH = (
    "This document does not match its recorded checksum, so it is not shown: it may have "
    "been damaged or altered. Download it again or ask the clerk for a fresh copy."
)
DAMAGED = "This file is damaged or is not a PDF, so it can't be shown. Ask for a fresh copy."
TRUNCATED = (
    "This PDF is damaged or incomplete (its structure is broken and had to be repaired), "
    "so pages may be missing or wrong. It is not shown; ask for a fresh copy."
)
ENCRYPTED = (
    "This PDF is password-protected, so it can't be shown here. Ask the filer for an "
    "unprotected copy."
)
EMPTY = "This PDF has no pages."


class DocumentRefused(Exception):
    """A document the viewer will not show; ``str(err)`` is the message for the user."""


def check_sha256(data: bytes, expected_sha256: str | None) -> None:
    """Raise ``DocumentRefused`` if ``data`` does not hash to ``expected_sha256`` (hex)."""
    if expected_sha256 is None:
        return
    if hashlib.sha256(data).hexdigest() != expected_sha256.strip().lower():
        raise DocumentRefused(HASH_MISMATCH)


def check_opened(doc: Any) -> None:
    """Raise ``DocumentRefused`` for an opened ``pymupdf.Document`` the viewer won't show."""
    if doc.needs_pass:
        raise DocumentRefused(ENCRYPTED)
    if doc.is_repaired:
        raise DocumentRefused(TRUNCATED)
    if doc.page_count == 0:
        raise DocumentRefused(EMPTY)
