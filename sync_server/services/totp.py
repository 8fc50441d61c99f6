"""Time-based one-time passwords (RFC 6238) for the portal's two-factor sign-in, and
single-use recovery codes.

pyotp computes the codes; this module adds what a court needs around it: a code is
accepted once only (the newest accepted time step is remembered), one step of clock skew
either way is tolerated, and recovery codes are stored as SHA-256 digests (they are long
random strings, so a fast hash does not make them guessable).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken

ISSUER = "ECAS Portal"
STEP_SECONDS = 30
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, account_name: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (from the QR code or typed)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (no external image request)."""
    svg: str = segno.make(uri, error="m").svg_inline(scale=5, title="Two-factor set-up code")
    return svg


def matching_step(secret: str, code: str, after_step: int, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to (current step, or one either side) if it is later
    than ``after_step``; None for a wrong, stale or replayed code."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        expected = totp.at(step * STEP_SECONDS)
        if step > after_step and hmac.compare_digest(expected, code):
            return step
    return None


class SecretBox:
    """Seals TOTP secrets for storage (Fernet: AES-128-CBC with HMAC-SHA256) under a key
    derived from the server's secret key, so a copy of the database alone can't mint codes.
    Changing ``ECAS_SECRET_KEY`` makes sealed secrets unreadable: users set up their app
    again (the sign-in then says the code is not right; an administrator can help)."""

    def __init__(self, server_secret: str) -> None:
        digest = hashlib.sha256(("ecas-totp-secret|" + server_secret).encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def unseal(self, sealed: str) -> str | None:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            return None


def new_recovery_codes() -> list[str]:
    """Ten codes like ``4f7c-19ab-e2d0-5c31`` (64 random bits each)."""
    return ["-".join(secrets.token_hex(2) for _ in range(4)) for _ in range(RECOVERY_CODES)]


def recovery_code_hash(code: str) -> str:
    normal = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normal.encode()).hexdigest()
