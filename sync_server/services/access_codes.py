"""Case access codes: what lets an unrepresented respondent open a portal account.

The court prints a fresh code on the copy of each notice of hearing it mails to a
respondent who has no counsel of record (``services/notices.py``); the clerk can replace it
on the respondent's request (:func:`rotate`). The code is random (12 characters from an
alphabet without look-alike letters and digits: about 56 bits), shown once, and only its
salted scrypt hash is kept, one live code a case: a newer code replaces the older.

Enrolment needs the code, the case's A-number and the respondent's date of birth
(``services/respondents.py``): the code alone opens nothing, and the A-number and date of
birth, which others may know, open nothing without it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from sync_server.models.respondents import CaseAccessCode
from sync_server.models.types import utcnow
from sync_server.services import audit

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code is read off paper and typed by hand.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 12
# Light for scrypt: the code is random (about 56 bits), not a password a person chose.
_SCRYPT = {"n": 2**11, "r": 8, "p": 1, "dklen": 32}


def new_code() -> str:
    """A fresh code, shown in groups of four: ``K7QM-3XH9-T4WP``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(typed: str) -> str:
    """The code as typed, without spaces or dashes, in capitals (None of the alphabet's
    look-alikes is accepted for another letter: they can't be in a code)."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def hash_code(code: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(normalise(code).encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def matches(code: str, stored: str) -> bool:
    """Whether ``code`` is the one ``stored`` is the hash of."""
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme != "scrypt" or len(normalise(code)) != LENGTH:
        return False
    digest = hashlib.scrypt(normalise(code).encode(), salt=salt, **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def issue(
    session: Session,
    case_id: str,
    actor_id: str | None,
    *,
    notice_document_id: str | None = None,
    reason: str = "notice",
) -> str:
    """A new code for the case, replacing any earlier one (in the caller's transaction,
    audited without the code); returns the code, which is never stored."""
    code = new_code()
    row = session.get(CaseAccessCode, case_id)
    if row is None:
        row = CaseAccessCode(case_id=case_id, code_hash="")
        session.add(row)
    row.code_hash = hash_code(code)
    row.issued_at = utcnow()
    row.issued_by = actor_id
    row.notice_document_id = notice_document_id
    row.mailed_copy_sha256 = None
    session.flush()
    audit.append(
        session,
        actor_id=actor_id,
        action="access_code.issue",
        entity="case",
        record_id=case_id,
        detail={"reason": reason, "notice_document_id": notice_document_id},
    )
    return code


def rotate(session: Session, case_id: str, actor_id: str) -> str:
    """The clerk replaces the case's code (the respondent lost it, or someone else has it):
    the old code stops working at once; returns the new one to hand or mail to the
    respondent."""
    return issue(session, case_id, actor_id, reason="rotated")


def code_matches(session: Session, case_id: str, typed: str) -> bool:
    row = session.get(CaseAccessCode, case_id)
    return row is not None and matches(typed, row.code_hash)
