"""What a new password must be (NIST SP 800-63B-4, section 3.1.1.2; 63B-3 section 5.1.1.2).

Every place that sets a password asks :func:`problem` first: portal registration, the
``ecas-server create-user`` command, and any later password change or administrator reset.
The rules, and only these (no composition rules, no expiry):

- Unicode is welcome. The text is normalised to NFKC before it is measured, checked and
  hashed (:func:`normalise`), so the same passphrase typed on another keyboard still fits.
- At least :data:`MIN_WITH_SECOND_FACTOR` characters for an account that always signs in
  with a second factor (external users, court administrators: NIST allows 8 for a password
  that is one factor of several; we ask for the 12 the portal asked before), and
  :data:`MIN_PASSWORD_ONLY` (15, NIST's minimum for a password used alone) for judges,
  clerks and EOIR staff, who sign in to the desktop client with the password alone.
- At most :data:`MAX_LENGTH` characters (NIST: allow at least 64).
- Not on the list of common passwords: the 30,000 most frequent passwords of Xato's
  10-million-password corpus that zxcvbn ships (``zxcvbn.frequency_lists``), compared
  without case.
- Not the username, the email address or its name part, or the person's name, and nothing
  zxcvbn can guess in under 10^8 tries (its score 3) given those words and the service's
  name: this refuses a common password with digits added, keyboard walks, repeats, dates
  and names, which an exact list can't.

zxcvbn (MIT, Dropbox's estimator, maintained in Python by D. Wolf) estimates the number of
guesses an attacker's cracker needs; it runs in a few milliseconds. Only the first
:data:`_ESTIMATE_CHARS` characters are given to it (its cost grows with the length); a
passphrase longer than that is strong by its length already.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from common.enums import Role

MIN_WITH_SECOND_FACTOR = 12
MIN_PASSWORD_ONLY = 15
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn: "safely unguessable: moderate protection from offline slow-hash"
_ESTIMATE_CHARS = 64
# Words of this service an attacker tries first.
_SERVICE_WORDS = ("ecas", "eoir", "immigration", "court", "portal", "password")

COMMON = (
    "This password is on a list of common passwords. Choose a longer password or a "
    "passphrase: three or four words that belong together only for you."
)
GUESSABLE = (
    "This password is too easy to guess. Choose a longer password or a passphrase: three "
    "or four words that belong together only for you."
)
PERSONAL = (
    "This password contains your username, email address or name. Choose a longer password "
    "or a passphrase that has nothing to do with your account."
)


def normalise(password: str) -> str:
    """The password as it is measured and hashed (Unicode NFKC)."""
    return unicodedata.normalize("NFKC", password)


def min_length(role: Role) -> int:
    """The shortest password an account of ``role`` may choose."""
    return MIN_WITH_SECOND_FACTOR if needs_second_factor(role) else MIN_PASSWORD_ONLY


def needs_second_factor(role: Role) -> bool:
    """Whether every sign-in of this role asks for a second factor (portal and API).

    Judges, clerks and EOIR staff sign in to the portal with two factors too, but to the
    desktop client with the password alone, so their passwords are held to the longer
    minimum."""
    return role.is_external or role in (Role.COURT_ADMIN, Role.RESPONDENT)


@cache
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    return normalise(password).casefold() in _common()


def _personal_words(words: Iterable[str]) -> list[str]:
    found: list[str] = []
    for word in words:
        word = normalise(word).casefold().strip()
        if not word:
            continue
        found.append(word)
        if "@" in word:
            found.append(word.split("@", 1)[0])
        found.extend(part for part in word.replace(".", " ").replace("_", " ").split())
    return [w for w in dict.fromkeys(found) if len(w) >= 3]


def problem(password: str, role: Role, personal: Iterable[str] = ()) -> str | None:
    """What is wrong with ``password`` as a new password for an account of ``role`` whose
    username, email address and name are ``personal``; None when it may be used."""
    text = normalise(password)
    shortest = min_length(role)
    if len(text) < shortest:
        return (
            f"Use at least {shortest} characters. A passphrase (a few words that belong "
            "together only for you) is long and easy to remember."
        )
    if len(text) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if not text.strip():
        return "A password of spaces alone can't be used; choose a passphrase."
    folded = text.casefold()
    if folded in _common() or folded.strip() in _common():
        return COMMON
    words = _personal_words(personal)
    # Short words (a three-letter name) are left to zxcvbn: "ann" is in "planning".
    if any(word in folded for word in words if len(word) >= 4):
        return PERSONAL
    estimate = zxcvbn(text[:_ESTIMATE_CHARS], user_inputs=[*words, *_SERVICE_WORDS])
    if int(estimate["score"]) < MIN_SCORE:
        warning = str(estimate["feedback"].get("warning") or "")
        if "common" in warning.lower() or "top" in warning.lower():
            return COMMON
        return GUESSABLE
    return None
