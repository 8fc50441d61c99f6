"""Time-based one-time passwords (RFC 6238) for the portal's two-factor sign-in, and
single-use recovery codes.

pyotp computes the codes; this module adds what a court needs around it: a code is
accepted once only (the newest accepted time step is remembered), one step of clock skew
either way is tolerated, and recovery codes are stored as SHA-256 digests (they are long
random strings, so a fast hash does not make them guessable).

:class:`SecondFactors` and :class:`Throttle` are the one code path both sign-ins use, the
portal's (``portal_signin``) and the API's (``auth``): the same secrets, the same
"newest accepted step" replay guard and the same failed-attempt counts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sync_server.models import PortalRecoveryCode, PortalSecondFactor, PortalThrottle
from sync_server.models.types import utcnow

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
    # ASCII digits only: other scripts' digits pass isdigit, and hmac.compare_digest raises
    # on non-ASCII text.
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
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


@dataclass(frozen=True)
class SecondFactors:
    """Checks codes against a user's confirmed factor, inside the caller's transaction."""

    box: SecretBox

    def secret(self, factor: PortalSecondFactor) -> str:
        # An unreadable secret (the server key changed) matches no code.
        return self.box.unseal(factor.secret) or new_secret()

    @staticmethod
    def confirmed(session: Session, user_id: str) -> PortalSecondFactor | None:
        factor = session.get(PortalSecondFactor, user_id)
        return factor if factor is not None and factor.confirmed_at is not None else None

    def use_code(self, session: Session, factor: PortalSecondFactor, code: str) -> str | None:
        """Accept a TOTP code newer than the last one accepted (remembering its step) or an
        unused recovery code (marking it used); returns ``"totp"``, ``"recovery_code"`` or
        None when the code is refused."""
        step = matching_step(self.secret(factor), code, factor.last_step)
        if step is not None:
            factor.last_step = step
            return "totp"
        if len(code.replace("-", "").strip()) == 16:
            row = session.get(PortalRecoveryCode, recovery_code_hash(code))
            if row is not None and row.user_id == factor.user_id and row.used_at is None:
                row.used_at = utcnow()
                return "recovery_code"
        return None

    def is_replay(self, factor: PortalSecondFactor, code: str) -> bool:
        """A refused code that would have matched had it not been used already."""
        return (
            "".join(code.split()).isascii()
            and "".join(code.split()).isdigit()
            and matching_step(self.secret(factor), code, -1) is not None
        )


@dataclass(frozen=True)
class Throttle:
    """Failed sign-in steps counted per account and per IP address over a window, in the
    database (``portal_throttle``) so the limits hold across server processes."""

    account_failures: int = 5  # per account in the window
    ip_failures: int = 50  # per address in the window (several people share an office NAT)
    window_minutes: int = 15

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Throttle:
        """``ECAS_PORTAL_ACCOUNT_FAILURES`` and ``ECAS_PORTAL_IP_FAILURES``."""
        env = os.environ if env is None else env
        return cls(
            account_failures=int(env.get("ECAS_PORTAL_ACCOUNT_FAILURES", "5")),
            ip_failures=int(env.get("ECAS_PORTAL_IP_FAILURES", "50")),
        )

    def _failures(self, session: Session, key: str) -> int:
        since = utcnow() - timedelta(minutes=self.window_minutes)
        return int(
            session.scalar(
                select(func.count()).where(PortalThrottle.key == key, PortalThrottle.at > since)
            )
            or 0
        )

    def throttled(self, session: Session, user_id: str | None, ip: str) -> bool:
        if self._failures(session, f"ip:{ip}") >= self.ip_failures:
            return True
        return user_id is not None and (
            self._failures(session, f"account:{user_id}") >= self.account_failures
        )

    def fail(self, session: Session, user_id: str | None, ip: str) -> None:
        session.add(PortalThrottle(key=f"ip:{ip}"))
        if user_id is not None:
            session.add(PortalThrottle(key=f"account:{user_id}"))
        # Old rows are of no use; keep the table small.
        old = utcnow() - timedelta(hours=2)
        session.execute(delete(PortalThrottle).where(PortalThrottle.at < old))
