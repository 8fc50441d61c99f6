"""Portal sign-in: password, then a TOTP code (or a recovery code), then a browser session.

Everyone uses two factors (external users and court staff alike); one who has not set up an
authenticator app is led through enrolment right after the password. The demo court staff
alone may skip it (``seed-demo``'s exemption, audited at each sign-in). Failed steps are
counted per account (or per name tried, for an unknown one) and per IP address in the
database (``portal_throttle``), so the limits hold across processes.
Sessions end after ``idle_minutes`` without a request and ``max_hours`` in all.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from common.enums import Role
from sync_server.db import write_transaction
from sync_server.models import (
    PortalRecoveryCode,
    PortalSecondFactor,
    PortalSession,
    PortalThrottle,
    UserRow,
)
from sync_server.models.portal import ApiSecondFactorExemption
from sync_server.models.types import utcnow
from sync_server.policy import Principal
from sync_server.services import audit, totp
from sync_server.services.accounts import AccountService, AccountStatus, normalise_login

# argon2 verification is the auth service's; the dummy hash keeps unknown names as slow.
from sync_server.services.admission import PasswordCheckPool, ServerBusy
from sync_server.services.auth import _DUMMY_HASH, _verify, principal_of


@dataclass(frozen=True)
class PortalSettings:
    idle_minutes: int = 30
    max_hours: int = 12
    account_failures: int = 5  # per account in the window
    ip_failures: int = 50  # per address in the window (several people share an office NAT)
    window_minutes: int = 15
    registrations_per_hour: int = 10  # per address
    # None: Secure cookies exactly when the request came over https.
    secure_cookies: bool | None = None
    # The address in mailed links; None: the address the request came to.
    base_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PortalSettings:
        """``ECAS_PORTAL_IDLE_MINUTES``, ``ECAS_PORTAL_MAX_HOURS``,
        ``ECAS_PORTAL_ACCOUNT_FAILURES``, ``ECAS_PORTAL_IP_FAILURES``,
        ``ECAS_PORTAL_REGISTRATIONS_PER_HOUR``,
        ``ECAS_PORTAL_SECURE_COOKIES`` (1, 0 or unset for automatic),
        ``ECAS_PORTAL_BASE_URL`` (e.g. ``https://portal.example.gov``, for mailed links)."""
        env = os.environ if env is None else env
        secure = env.get("ECAS_PORTAL_SECURE_COOKIES")
        throttle = totp.Throttle.from_env(env)
        return cls(
            idle_minutes=int(env.get("ECAS_PORTAL_IDLE_MINUTES", "30")),
            max_hours=int(env.get("ECAS_PORTAL_MAX_HOURS", "12")),
            account_failures=throttle.account_failures,
            ip_failures=throttle.ip_failures,
            registrations_per_hour=int(env.get("ECAS_PORTAL_REGISTRATIONS_PER_HOUR", "10")),
            secure_cookies=None if secure in (None, "") else secure == "1",
            base_url=env.get("ECAS_PORTAL_BASE_URL") or None,
        )

    @property
    def throttle(self) -> totp.Throttle:
        """The failed-attempt limits (the API's sign-in counts against the same ones)."""
        return totp.Throttle(self.account_failures, self.ip_failures, self.window_minutes)


class NextStep(StrEnum):
    CODE = "code"  # enter a code from the authenticator app
    ENROL = "enrol"  # set up an authenticator app first
    DONE = "done"


class SignInRefused(Exception):
    def __init__(self, message: str, status: int = 401, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class SignedIn:
    token: str
    next_step: NextStep


@dataclass(frozen=True)
class SessionView:
    """The session behind a request."""

    principal: Principal
    second_factor_done: bool
    account_status: AccountStatus | None
    token_hash: str

    @property
    def suspended(self) -> bool:
        return self.account_status is AccountStatus.SUSPENDED


def _locked(user: UserRow) -> bool:
    """Locked by failed API sign-ins (``auth``); the portal answers it as a wrong password."""
    return user.locked_until is not None and user.locked_until > utcnow()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_log = logging.getLogger(__name__)
_WRONG = "The username or password is wrong."
_THROTTLED = "Too many failed attempts. Wait 15 minutes, then try again."


@dataclass
class SignInService:
    factory: sessionmaker[Session]
    settings: PortalSettings
    box: totp.SecretBox
    # The API's pool of password checks (AuthService.checks): one bound for the process.
    checks: PasswordCheckPool = field(default_factory=PasswordCheckPool)
    factors: totp.SecondFactors = field(init=False)

    def __post_init__(self) -> None:
        # The code checks and the failure counts are shared with the API's sign-in.
        self.factors = totp.SecondFactors(self.box)

    @property
    def throttle(self) -> totp.Throttle:
        return self.settings.throttle  # read each time: the settings may be replaced

    def _secret(self, factor: PortalSecondFactor) -> str:
        return self.factors.secret(factor)

    # -- throttle ----------------------------------------------------------------------------

    def _throttled(self, session: Session, user_id: str | None, ip: str) -> bool:
        return self.throttle.throttled(session, user_id, ip)

    def _fail(self, session: Session, user_id: str | None, ip: str) -> None:
        self.throttle.fail(session, user_id, ip)

    def registration_allowed(self, ip: str) -> bool:
        """At most ``registrations_per_hour`` registrations from one address an hour (a
        person registers once; a script making accounts is held back). Counts this one."""
        since = utcnow() - timedelta(hours=1)
        key = f"register:{ip}"
        with write_transaction(self.factory) as session:
            count = session.scalar(
                select(func.count()).where(PortalThrottle.key == key, PortalThrottle.at > since)
            )
            if int(count or 0) >= self.settings.registrations_per_hour:
                audit.append(
                    session, actor_id=None, action="portal.register_throttled", detail={"ip": ip}
                )
                return False
            session.add(PortalThrottle(key=key))
            return True

    # -- the password step -------------------------------------------------------------------

    def password(self, login: str, password: str, ip: str) -> SignedIn:
        """The password step. A wrong password, an unknown name and a locked account answer
        alike after the same work (one argon2 verification, a dummy hash for an unknown
        name), and failures are counted for an unknown name as for an account, so the limit
        that answers 429 doesn't tell them apart either."""
        with self.factory() as session:
            user = AccountService.find_user(session, login)
            user_id, stored = (user.id, user.password_hash) if user else (None, _DUMMY_HASH)
        try:
            ok = _verify(stored, password, self.checks)  # the slow hash runs outside the write lock
        except ServerBusy as busy:  # the pool of password checks is full: nothing counted
            raise SignInRefused(str(busy), 503, retry_after=busy.retry_after) from busy
        login_digest = hashlib.sha256(normalise_login(login).encode()).hexdigest()[:16]
        # What the failures are counted under: the account, or the name that was tried.
        counted = user_id or f"login-{login_digest}"
        with write_transaction(self.factory) as session:
            row = session.get(UserRow, user.id) if user is not None else None
            locked = row is not None and _locked(row)
            if self._throttled(session, counted, ip):
                audit.append(
                    session,
                    actor_id=user_id,
                    action="portal.login_throttled",
                    detail={"ip": ip},
                )
                failure = SignInRefused(_THROTTLED, 429)
            elif row is None or not ok or locked:
                self._fail(session, counted, ip)
                reason = "unknown" if row is None else "locked" if locked else "password"
                detail = {"ip": ip, "reason": reason}
                if row is None:  # a digest, not the text: people type passwords here
                    detail["login_sha256"] = login_digest
                audit.append(session, actor_id=user_id, action="portal.login_failed", detail=detail)
                failure = SignInRefused(_WRONG)
            else:
                refusal = self._account_refusal(session, row)
                if refusal is None:
                    return self._start_session(session, row, ip)
                audit.append(
                    session,
                    actor_id=row.id,
                    action="portal.login_refused",
                    detail={"ip": ip, "reason": refusal},
                )
                failure = SignInRefused(refusal, 403)
        raise failure

    @staticmethod
    def _account_refusal(session: Session, user: UserRow) -> str | None:
        status = AccountService.status_of(session, user.id)
        if status is AccountStatus.EMAIL_UNVERIFIED:
            return "Confirm your email address first: open the link we sent you."
        if status is AccountStatus.AWAITING_APPROVAL:
            return (
                "Your registration waits for approval. Bring photo identification to the "
                "court you chose; an administrator there approves the account."
            )
        if status is AccountStatus.REJECTED:
            return "This registration was not approved. The email we sent gives the reason."
        if not user.active or user.deleted:
            return "This account is disabled. Ask the court administrator."
        return None

    def _start_session(self, session: Session, user: UserRow, ip: str) -> SignedIn:
        """Everyone signs in to the portal with two factors: a code when an app is set up,
        its set-up otherwise. Only the demo court staff (``seed-demo``'s exemption) may skip
        it while they have no app; that is audited and logged each time."""
        factor = session.get(PortalSecondFactor, user.id)
        principal = principal_of(user)
        detail = {"ip": ip}
        if factor is not None and factor.confirmed_at is not None:
            step = NextStep.CODE
        elif (
            principal.role.is_external
            or principal.role is Role.RESPONDENT
            or (exemption := session.get(ApiSecondFactorExemption, user.id)) is None
        ):
            step = NextStep.ENROL
        else:
            _log.warning(
                "Portal sign-in without a second factor for %s (two-factor exempt: %s)",
                user.username,
                exemption.reason,
            )
            detail["second_factor"] = f"exempt: {exemption.reason}"
            step = NextStep.DONE
        token = secrets.token_urlsafe(32)
        session.add(
            PortalSession(
                token_hash=_hash(token),
                user_id=user.id,
                second_factor_done=step is NextStep.DONE,
            )
        )
        audit.append(
            session,
            actor_id=user.id,
            action="portal.login" if step is NextStep.DONE else "portal.password_ok",
            detail=detail,
        )
        return SignedIn(token, step)

    # -- the second factor -------------------------------------------------------------------

    def enrolment_secret(self, view: SessionView) -> str:
        """The secret to show while setting up an app (made on first call, kept until
        confirmed; a confirmed factor is never shown again)."""
        with write_transaction(self.factory) as session:
            factor = session.get(PortalSecondFactor, view.principal.id)
            if factor is not None and factor.confirmed_at is not None:
                raise SignInRefused("Two-factor sign-in is already set up.", 409)
            if factor is None:
                factor = PortalSecondFactor(
                    user_id=view.principal.id, secret=self.box.seal(totp.new_secret()), last_step=0
                )
                session.add(factor)
            secret = self.box.unseal(factor.secret)
            if secret is None:  # sealed under an older server key: start afresh
                secret = totp.new_secret()
                factor.secret = self.box.seal(secret)
            return secret

    def confirm_enrolment(
        self, old_token: str, view: SessionView, code: str, ip: str
    ) -> tuple[str, list[str]]:
        """Check the first code from the new app; returns a fresh session token and the
        recovery codes (shown once)."""
        with write_transaction(self.factory) as session:
            factor = session.get(PortalSecondFactor, view.principal.id)
            if factor is None or factor.confirmed_at is not None:
                raise SignInRefused("Start the set-up again.", 409)
            step = totp.matching_step(self._secret(factor), code, factor.last_step)
            if self._throttled(session, view.principal.id, ip):
                audit.append(
                    session,
                    actor_id=view.principal.id,
                    action="portal.login_throttled",
                    detail={"ip": ip},
                )
                failure = SignInRefused(_THROTTLED, 429)
            elif step is None:
                self._fail(session, view.principal.id, ip)
                audit.append(
                    session,
                    actor_id=view.principal.id,
                    action="portal.totp_failed",
                    detail={"ip": ip, "stage": "enrolment"},
                )
                failure = SignInRefused(
                    "That code is not right. Check the time on your phone and enter the "
                    "newest code."
                )
            else:
                factor.last_step, factor.confirmed_at = step, utcnow()
                codes = totp.new_recovery_codes()
                session.execute(
                    delete(PortalRecoveryCode).where(
                        PortalRecoveryCode.user_id == view.principal.id
                    )
                )
                for c in codes:
                    session.add(
                        PortalRecoveryCode(
                            code_hash=totp.recovery_code_hash(c), user_id=view.principal.id
                        )
                    )
                audit.append(
                    session,
                    actor_id=view.principal.id,
                    action="portal.totp_enrolled",
                    detail={"ip": ip},
                )
                return self._promote(session, old_token, view, ip), codes
        raise failure

    def second_factor(self, old_token: str, view: SessionView, code: str, ip: str) -> str:
        """Check a TOTP code, or a recovery code (used up); returns the full session's
        token. A code already used (same time step or older) is refused as a replay."""
        with write_transaction(self.factory) as session:
            user_id = view.principal.id
            if self._throttled(session, user_id, ip):
                audit.append(
                    session, actor_id=user_id, action="portal.login_throttled", detail={"ip": ip}
                )
                failure = SignInRefused(_THROTTLED, 429)
            else:
                factor = session.get(PortalSecondFactor, user_id)
                if factor is None or factor.confirmed_at is None:
                    raise SignInRefused("Set up two-factor sign-in first.", 409)
                used = self.factors.use_code(session, factor, code)
                if used is not None:
                    audit.append(
                        session,
                        actor_id=user_id,
                        action="portal.login",
                        detail={"ip": ip, "second_factor": used},
                    )
                    return self._promote(session, old_token, view, ip)
                self._fail(session, user_id, ip)
                replay = self.factors.is_replay(factor, code)
                audit.append(
                    session,
                    actor_id=user_id,
                    action="portal.totp_failed",
                    detail={"ip": ip, "reason": "replayed" if replay else "wrong"},
                )
                failure = SignInRefused(
                    "That code was already used. Wait for the next code and enter it."
                    if replay
                    else "That code is not right. Enter the newest code from your app."
                )
        raise failure

    def _promote(self, session: Session, old_token: str, view: SessionView, ip: str) -> str:
        """End the half session and start a full one under a new token (no fixation)."""
        old = session.get(PortalSession, _hash(old_token))
        if old is not None:
            old.ended = True
        token = secrets.token_urlsafe(32)
        session.add(
            PortalSession(
                token_hash=_hash(token), user_id=view.principal.id, second_factor_done=True
            )
        )
        return token

    def recovery_codes_left(self, user_id: str) -> int:
        with self.factory() as session:
            return int(
                session.scalar(
                    select(func.count()).where(
                        PortalRecoveryCode.user_id == user_id, PortalRecoveryCode.used_at.is_(None)
                    )
                )
                or 0
            )

    # -- sessions ----------------------------------------------------------------------------

    def session_view(self, token: str) -> SessionView | None:
        """The live session for a cookie value, refreshing its idle clock; None when it is
        unknown, ended, idle too long or past its maximum age."""
        now = utcnow()
        key = _hash(token)
        with self.factory() as session:
            row = session.get(PortalSession, key)
            if row is None or row.ended:
                return None
            idle = now - row.last_seen_at > timedelta(minutes=self.settings.idle_minutes)
            old = now - row.created_at > timedelta(hours=self.settings.max_hours)
            user = session.get(UserRow, row.user_id)
            if idle or old or user is None or not user.active or user.deleted:
                return None
            status = AccountService.status_of(session, user.id)
            if status in (
                AccountStatus.REJECTED,
                AccountStatus.EMAIL_UNVERIFIED,
                AccountStatus.AWAITING_APPROVAL,
            ):
                return None
            view = SessionView(principal_of(user), row.second_factor_done, status, key)
            stale = now - row.last_seen_at > timedelta(seconds=60)
        if stale:  # one write a minute per session, not one per request
            with write_transaction(self.factory) as session:
                live = session.get(PortalSession, key)
                if live is not None:
                    live.last_seen_at = now
        return view

    def keep_alive(self, token_hash: str) -> None:
        """Restart a live session's idle clock now (the page's "Stay signed in")."""
        with write_transaction(self.factory) as session:
            row = session.get(PortalSession, token_hash)
            if row is not None and not row.ended:
                row.last_seen_at = utcnow()

    def end(self, token: str) -> None:
        with write_transaction(self.factory) as session:
            row = session.get(PortalSession, _hash(token))
            if row is not None and not row.ended:
                row.ended = True
                audit.append(session, actor_id=row.user_id, action="portal.logout")
