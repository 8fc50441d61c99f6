"""Sign-in, tokens and accounts.

Passwords are hashed with argon2id. Access tokens are short-lived signed tokens naming the
user and their session's refresh-token family; refresh tokens are random, stored as SHA-256
only, and rotate on every use: presenting a used or revoked one revokes its whole family (a
stolen token is then worth nothing), and a revoked family's access tokens stop working too.

One exception keeps a lost answer from ending a session: the token used last in its family
is accepted again for ``refresh_grace_seconds`` after its use, from the same client (the
``client_id`` the refresh request carries, compared by digest with the one recorded in the
audit entry of that use), as long as no newer token of the family was used. It gets a fresh
pair; the undelivered pair of the lost answer is withdrawn. Every other second use (after
the window, from another client or none, a token older than the last used, or once a newer
one was used) revokes the family.

External users (attorneys, accredited representatives, DHS) and court administrators sign
in with two factors here as in the portal: the password and a code from their authenticator
app, or one of their recovery codes. Both sign-ins check codes through :mod:`totp` against
the same factor, so a code accepted by one is refused by the other, and failed codes count
against the same per-account and per-address limits. An account that has not set up an app
yet is sent to the portal to do so. Judges, clerks and EOIR staff sign in here with the
password alone (the desktop client), so their passwords are longer (:mod:`passwords`).

A wrong password, an unknown or disabled name and a locked account (whatever password)
get the same answer after the same work: one argon2 verification and the same pause.
Verifications run in a bounded pool (:mod:`admission`): in a sign-in storm the ones that
find it full are answered 503 with ``Retry-After`` before any work, instead of timing out.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from common.enums import Role
from common.protocol import SessionUser, TokenResponse
from common.wire import UserProfile
from sync_server.config import ServerConfig
from sync_server.db import write_transaction
from sync_server.models import AuditEntry, RefreshToken, UserRow
from sync_server.models.portal import ApiSecondFactorExemption
from sync_server.models.types import utcnow
from sync_server.policy import Principal
from sync_server.services import access_cache, admission, audit, passwords, totp
from sync_server.services.records import write_record

# argon2id at the configuration OWASP's Password Storage Cheat Sheet gives as its minimum
# ("a minimum configuration of 19 MiB of memory, an iteration count of 2, and 1 degree of
# parallelism", https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html):
# about 22 ms of CPU a check here, against ~170 ms for argon2-cffi's default (64 MiB, 3
# passes, 4 lanes, RFC 9106's second recommendation), which made a sign-in storm of 500
# clients queue for a minute on 2 cores (docs/PERFORMANCE.md). A hash made with other
# parameters is still checked with its own and replaced at the next sign-in
# (_record_success: check_needs_rehash).
PASSWORD_TIME_COST, PASSWORD_MEMORY_KIB, PASSWORD_PARALLELISM = 2, 19 * 1024, 1
_hasher = PasswordHasher(
    time_cost=PASSWORD_TIME_COST,
    memory_cost=PASSWORD_MEMORY_KIB,
    parallelism=PASSWORD_PARALLELISM,
)
_DUMMY_HASH = _hasher.hash("not a real password")
_log = logging.getLogger(__name__)

_WRONG = "The username or password is wrong."
# Once a code was sent, every refusal reads the same: a wrong password, an unknown name and
# a wrong or replayed code can't be told apart.
_WRONG_WITH_CODE = "The username, password or two-factor code is wrong."
_CODE_REQUIRED = (
    "A two-factor code is required for this account: send the current code from your "
    'authenticator app (or one of your recovery codes) as "otp".'
)
_NOT_ENROLLED = (
    "This account must use two-factor sign-in, and it is not set up yet. Sign in once at "
    "/portal/login to set up an authenticator app, then sign in here with a code from it."
)
_THROTTLED = "Too many failed attempts. Wait 15 minutes, then try again."
DEMO_EXEMPTION = "demo account"


class AuthError(Exception):
    """Sign-in or token refused; ``status`` is the HTTP status to answer with."""

    def __init__(
        self,
        message: str,
        status: int = 401,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    """The argon2id hash of the password as normalised (Unicode NFKC)."""
    return _hasher.hash(passwords.normalise(password))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Refresh audit entries are filed under the session (the token family), so the last use of
# a family is one indexed lookup.
_SESSION = "session"


def _client_digest(client_id: str | None) -> str | None:
    """What the audit log keeps of a client's installation id."""
    if not client_id:
        return None
    return hashlib.sha256(b"ecas-client:" + client_id.encode()).hexdigest()[:32]


def principal_of(user: UserRow) -> Principal:
    return Principal(
        id=user.id,
        username=user.username,
        role=Role(user.role),
        court_id=user.court_id,
        display_name=user.display_name,
        assigned_court_ids=tuple(user.assigned_court_ids or ()),
    )


@dataclass
class AuthService:
    config: ServerConfig
    factory: sessionmaker[Session]
    failure_delay: float = 0.25
    # The portal's limits (the same environment variables), so the two sign-ins share them.
    throttle: totp.Throttle = field(default_factory=totp.Throttle.from_env)
    # The bounded pool of password checks, shared with the portal's sign-in (admission.py).
    checks: admission.PasswordCheckPool = field(default_factory=admission.PasswordCheckPool)

    def __post_init__(self) -> None:
        self._signer = URLSafeTimedSerializer(self.config.secret_key, salt="ecas-access")
        self._factors = totp.SecondFactors(totp.SecretBox(self.config.secret_key))
        self._access = access_cache.AccessCache(
            self.config.auth_recheck_seconds,
            notified_seconds=self.config.auth_notified_recheck_seconds,
            listener=self._change_listener(),
        )

    def _change_listener(self) -> access_cache.ChangeListener | None:
        """On PostgreSQL, the listener to the database's account and session changes
        (started at the first token check, in the process that serves requests)."""
        engine = self.factory.kw.get("bind")
        if engine is None or engine.dialect.name != "postgresql":
            return None
        if self.config.auth_recheck_seconds <= 0:
            return None

        def connect() -> Any:
            # A connection of its own, made as the pool makes them, never returned to it.
            pooled = engine.raw_connection()
            connection = pooled.driver_connection
            pooled.detach()
            return connection

        listener = access_cache.ChangeListener(connect)
        # Disposing of the engine (the app closing, a test's end) stops it.
        event.listen(engine, "engine_disposed", lambda _engine: listener.stop())
        return listener

    # -- sign-in ---------------------------------------------------------------------------

    def login(
        self, username: str, password: str, otp: str | None = None, ip: str = "unknown"
    ) -> TokenResponse:
        """Tokens for a right password, plus a right ``otp`` (TOTP or recovery code) for an
        external account; ``ip`` is the caller's address, for the failed-attempt limits."""
        otp = otp.strip() if otp else None
        # The slow hash is checked before taking the write lock, so sign-ins don't queue
        # every other writer behind argon2. Every attempt runs one verification with the
        # same parameters (an unknown or disabled name against a dummy hash, a locked account
        # against its own), so neither the answer nor its time tells them apart.
        with self.factory() as session:
            user = session.scalar(
                select(UserRow).where(func.lower(UserRow.username) == username.lower())
            )
        known = user is not None and user.active and not user.deleted
        try:
            stored = user.password_hash if user and known else _DUMMY_HASH
            password_ok = _verify(stored, password, self.checks)
        except admission.ServerBusy as busy:
            # Nothing was checked or counted: the attempt is answered before any work.
            raise AuthError(str(busy), 503, retry_after=busy.retry_after) from busy
        refusal: AuthError | None = None
        with write_transaction(self.factory) as session:
            if user is None or not known:
                # A digest, not the text: people type passwords into the username box.
                tried = hashlib.sha256(username.lower().encode()).hexdigest()[:16]
                audit.append(
                    session,
                    actor_id=None,
                    action="auth.login_failed",
                    detail={"username_sha256": tried, "reason": "unknown"},
                )
            else:
                row = session.get(UserRow, user.id, populate_existing=True)
                assert row is not None
                if _is_locked(row):
                    # Answered as a wrong password, the right one too: a locked account
                    # must not become an oracle for its password, nor show that it exists.
                    self._record_failure(session, row, password_ok=password_ok)
                elif password_ok:
                    method, refusal = self._second_factor(session, row, otp, ip)
                    if refusal is None:
                        self._record_success(row, password)
                        detail = {"second_factor": method} if method else None
                        audit.append(session, actor_id=row.id, action="auth.login", detail=detail)
                        return self._issue(session, row, family_id=str(uuid.uuid4()))
                else:
                    self._record_failure(session, row)
        # The same pause for every refusal: one that grew with an account's failures would
        # tell a real account from an unknown name. Guessing is limited by the lock-out.
        time.sleep(self.failure_delay)
        if refusal is not None:
            raise refusal
        raise AuthError(self._wrong_message(with_code=bool(otp)))

    def _wrong_message(self, with_code: bool) -> str:
        """The one answer to a wrong password, an unknown name and a locked account."""
        text = _WRONG_WITH_CODE if with_code else _WRONG
        minutes = max(1, self.config.login_lockout_seconds // 60)
        return (
            f"{text} After {self.config.login_lockout_failures} failed sign-ins in a row an "
            f"account is locked for {minutes} minutes."
        )

    def _second_factor(
        self, session: Session, user: UserRow, otp: str | None, ip: str
    ) -> tuple[str | None, AuthError | None]:
        """After a right password: how the second factor was met (None for judges, clerks
        and EOIR staff, who sign in to the desktop with the password alone), or the refusal
        to raise once the audit rows are written."""
        if not passwords.needs_second_factor(Role(user.role)):
            return None, None
        exemption = session.get(ApiSecondFactorExemption, user.id)
        if exemption is not None:
            _log.warning(
                "API sign-in without a second factor for %s (two-factor exempt: %s)",
                user.username,
                exemption.reason,
            )
            return f"exempt: {exemption.reason}", None

        def refuse(reason: str, error: AuthError, action: str = "auth.login_failed") -> AuthError:
            audit.append(
                session, actor_id=user.id, action=action, detail={"reason": reason, "ip": ip}
            )
            return error

        if self.throttle.throttled(session, user.id, ip):
            retry = self.throttle.window_minutes * 60
            return None, refuse(
                "throttled", AuthError(_THROTTLED, 429, retry_after=retry), "auth.login_throttled"
            )
        factor = self._factors.confirmed(session, user.id)
        if factor is None:
            return None, refuse(
                "second_factor_not_set_up", AuthError(_NOT_ENROLLED, 403), "auth.login_refused"
            )
        if not otp:
            # Only said after the password checked out (as the portal asks for the code only
            # then); it is not a guess, so it is audited but not counted by the throttle.
            return None, refuse("second_factor_missing", AuthError(_CODE_REQUIRED))
        used = self._factors.use_code(session, factor, otp)
        if used is not None:
            return used, None
        self.throttle.fail(session, user.id, ip)
        replayed = self._factors.is_replay(factor, otp)
        reason = "second_factor_replayed" if replayed else "second_factor_wrong"
        return None, refuse(reason, AuthError(self._wrong_message(with_code=True)))

    def _record_failure(
        self, session: Session, user: UserRow, *, password_ok: bool | None = None
    ) -> None:
        """Count a wrong password (and lock the account at the limit); an attempt on a
        locked account is audited with whether its password was right, and neither counted
        nor allowed to extend the lock (or anyone could keep an account locked for good)."""
        if password_ok is not None:
            audit.append(
                session,
                actor_id=user.id,
                action="auth.login_failed",
                detail={"reason": "locked", "password_ok": password_ok},
            )
            return
        user.failed_logins += 1
        locked = user.failed_logins >= self.config.login_lockout_failures
        if locked:
            user.locked_until = utcnow() + timedelta(seconds=self.config.login_lockout_seconds)
        audit.append(
            session,
            actor_id=user.id,
            action="auth.login_failed",
            detail={"failures": user.failed_logins, "locked": locked},
        )

    def _record_success(self, user: UserRow, password: str) -> None:
        user.failed_logins = 0
        user.locked_until = None
        # Newer parameters, or a hash made before passwords were normalised.
        if _hasher.check_needs_rehash(user.password_hash) or (
            passwords.normalise(password) != password
        ):
            user.password_hash = hash_password(password)

    def _issue(self, session: Session, user: UserRow, family_id: str) -> TokenResponse:
        refresh = secrets.token_urlsafe(32)
        now = utcnow()
        session.add(
            RefreshToken(
                token_hash=_token_hash(refresh),
                family_id=family_id,
                user_id=user.id,
                # Set here, not by the column default: a token issued by a refresh must
                # never look older than its predecessor's use (the grace check relies on it).
                issued_at=now,
                expires_at=now + timedelta(days=self.config.refresh_token_days),
            )
        )
        access = self._signer.dumps({"sub": user.id, "fam": family_id})
        return TokenResponse(
            access_token=access,
            refresh_token=refresh,
            expires_in=self.config.access_token_seconds,
            user=SessionUser(
                id=user.id,
                username=user.username,
                role=Role(user.role),
                court_id=user.court_id,
                display_name=user.display_name,
            ),
        )

    # -- tokens ----------------------------------------------------------------------------

    def refresh(self, token: str, client_id: str | None = None) -> TokenResponse:
        """New tokens for a refresh token; ``client_id`` (the caller's installation id)
        lets that caller retry within the grace window when it lost the answer."""
        client = _client_digest(client_id)
        with write_transaction(self.factory) as session:
            row = session.get(RefreshToken, _token_hash(token))
            if row is None:
                raise AuthError("The session is not valid. Sign in again.")
            now = utcnow()
            user = session.get(UserRow, row.user_id)
            if row.revoked:
                failure = self._reuse(session, row, "revoked")
            elif row.used_at is not None:
                refusal = self._grace_refusal(session, row, client, now)
                if refusal is not None:
                    failure = self._reuse(session, row, refusal)
                elif user is None or not user.active or user.deleted:
                    failure = AuthError("The account is disabled.")
                else:
                    withdrawn = self._withdraw_successors(session, row)
                    audit.append(
                        session,
                        actor_id=row.user_id,
                        action="auth.refresh_grace",
                        entity=_SESSION,
                        record_id=row.family_id,
                        detail={
                            "client": client,
                            "seconds_after_use": round((now - row.used_at).total_seconds(), 3),
                            "withdrawn": withdrawn,
                        },
                    )
                    return self._issue(session, user, row.family_id)
            elif row.expires_at <= now:
                failure = AuthError("The session has expired. Sign in again.")
            elif user is None or not user.active or user.deleted:
                failure = AuthError("The account is disabled.")
            else:
                row.used_at = now
                # The audit entry of this use is where a retry's client is checked against.
                audit.append(
                    session,
                    actor_id=row.user_id,
                    action="auth.refresh",
                    entity=_SESSION,
                    record_id=row.family_id,
                    detail={"client": client},
                )
                return self._issue(session, user, row.family_id)
        raise failure

    def _grace_refusal(
        self, session: Session, row: RefreshToken, client: str | None, now: datetime
    ) -> str | None:
        """Why a second use of the used token ``row`` is not a lost answer's retry, or None
        when it is one: within the window, no newer token of the family used, and the same
        client as the use it repeats."""
        assert row.used_at is not None
        if client is None:
            return "no_client_id"
        if now - row.used_at > timedelta(seconds=self.config.refresh_grace_seconds):
            return "after_grace_window"
        # The tokens issued since this one was used: its replacement (and the replacements
        # of earlier retries). One of them used means the session moved on: this token is
        # older than the one replaced last.
        newer_used = session.scalar(
            select(RefreshToken.token_hash)
            .where(
                RefreshToken.family_id == row.family_id,
                RefreshToken.token_hash != row.token_hash,
                RefreshToken.issued_at >= row.used_at,
                RefreshToken.used_at.is_not(None),
            )
            .limit(1)
        )
        if newer_used is not None:
            return "newer_token_used"
        # No newer token was used, so the family's latest refresh entry is the use of this
        # token (or an earlier retry of it, which had to come from the same client).
        last = session.scalar(
            select(AuditEntry)
            .where(
                AuditEntry.entity == _SESSION,
                AuditEntry.record_id == row.family_id,
                AuditEntry.action.in_(("auth.refresh", "auth.refresh_grace")),
            )
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        )
        if last is None or last.detail.get("client") != client:
            return "other_client"
        return None

    @staticmethod
    def _withdraw_successors(session: Session, row: RefreshToken) -> int:
        """Delete the tokens issued since ``row``'s use and never used: they went out in an
        answer that did not arrive, and a copy turning up later must not work."""
        assert row.used_at is not None
        result = session.execute(
            delete(RefreshToken).where(
                RefreshToken.family_id == row.family_id,
                RefreshToken.token_hash != row.token_hash,
                RefreshToken.issued_at >= row.used_at,
                RefreshToken.used_at.is_(None),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def _reuse(self, session: Session, row: RefreshToken, reason: str) -> AuthError:
        """A second use that is not a retry: end the whole session (family), audited."""
        self._revoke_family(session, row.family_id)
        audit.append(
            session,
            actor_id=row.user_id,
            action="auth.refresh_reuse",
            entity=_SESSION,
            record_id=row.family_id,
            detail={"family": row.family_id, "reason": reason},
        )
        if reason == "revoked":  # signed out, or ended earlier for a reuse
            return AuthError("This session has ended. Sign in again.")
        return AuthError("This session was ended because its token was used twice. Sign in again.")

    def logout(
        self, principal: Principal, access_token: str, refresh_token: str | None = None
    ) -> None:
        """End the session the access token belongs to (its family, which the token names),
        and the refresh token's session if one is sent and is this user's. Either way the
        family's refresh tokens are refused and its access tokens stop working at once."""
        families = set()
        family = self._family_of(access_token)
        if family is not None:
            families.add(family)
        with write_transaction(self.factory) as session:
            if refresh_token:
                row = session.get(RefreshToken, _token_hash(refresh_token))
                if row is not None and row.user_id == principal.id:
                    families.add(row.family_id)
            for family_id in sorted(families):
                # Only this user's rows: a forged "fam" can't reach another user's session
                # (and the token's signature already vouches for it).
                session.execute(
                    update(RefreshToken)
                    .where(
                        RefreshToken.family_id == family_id, RefreshToken.user_id == principal.id
                    )
                    .values(revoked=True)
                )
                audit.append(
                    session,
                    actor_id=principal.id,
                    action="auth.logout",
                    entity=_SESSION,
                    record_id=family_id,
                )
            if not families:
                audit.append(session, actor_id=principal.id, action="auth.logout")

    def _family_of(self, access_token: str) -> str | None:
        """The refresh-token family (session) an access token was issued for. The gate has
        checked the token already; an expired one still names its session."""
        try:
            claims = self._signer.loads(access_token)
        except BadSignature:
            return None
        family = claims.get("fam") if isinstance(claims, dict) else None
        return str(family) if family else None

    @staticmethod
    def _revoke_family(session: Session, family_id: str) -> None:
        session.execute(
            update(RefreshToken).where(RefreshToken.family_id == family_id).values(revoked=True)
        )

    def principal_for(self, access_token: str) -> Principal:
        """The principal an access token stands for, as :meth:`authenticate` finds it, but
        without a database round trip while this node's last check of the token is younger
        than ``auth_recheck_seconds`` (:mod:`access_cache`). The signature is checked when
        the token is not kept (a kept token is the very string checked before, so its
        signature can't have changed; checking it again cost ~5 % of a steady request's CPU
        in the morning rush), and a kept check ends when the token expires."""
        if self._access.listener is not None:
            self._access.listener.start()
        cached = self._access.get(access_token)
        if cached is not None:
            return cached
        claims, issued_at = self._claims_issued(access_token)
        read_in = access_cache.generation()
        with self.factory() as session:
            principal = self._check_claims(session, claims)
        expires_at = issued_at + self.config.access_token_seconds
        self._access.put(access_token, principal, str(claims.get("fam") or ""), read_in, expires_at)
        return principal

    def _claims(self, access_token: str) -> dict[str, Any]:
        return self._claims_issued(access_token)[0]

    def _claims_issued(self, access_token: str) -> tuple[dict[str, Any], float]:
        """The token's claims and when it was issued (``time.time()``)."""
        try:
            claims, issued = self._signer.loads(
                access_token, max_age=self.config.access_token_seconds, return_timestamp=True
            )
        except SignatureExpired as err:
            raise AuthError("The session has expired; refresh it or sign in again.") from err
        except BadSignature as err:
            raise AuthError("The access token is not valid. Sign in again.") from err
        if not isinstance(claims, dict):
            raise AuthError("The access token is not valid. Sign in again.")
        return claims, issued.timestamp()

    def authenticate(self, session: Session, access_token: str) -> Principal:
        """The principal an access token stands for; raises :class:`AuthError`."""
        return self._check_claims(session, self._claims(access_token))

    @staticmethod
    def _check_claims(session: Session, claims: dict[str, Any]) -> Principal:
        # Signing out (or a detected token theft) revokes the family: its access tokens
        # stop working at once instead of living out their 15 minutes. The account and
        # the family's revocation are read in one statement (one round trip, issue 16).
        revoked = (
            select(RefreshToken.token_hash)
            .where(RefreshToken.family_id == claims.get("fam"), RefreshToken.revoked.is_(True))
            .exists()
        )
        row = session.execute(
            select(UserRow, revoked).where(UserRow.id == claims.get("sub"))
        ).one_or_none()
        user = None if row is None else row[0]
        if user is None or not user.active or user.deleted:
            raise AuthError("The account is disabled.")
        if row is not None and row[1]:
            raise AuthError("This session was ended. Sign in again.")
        return principal_of(user)


def _is_locked(user: UserRow) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def _verify(stored_hash: str, password: str, checks: admission.PasswordCheckPool) -> bool:
    """Check a password against its argon2 hash: as normalised (NFKC, as hashed since
    issue 14), then as typed when that differs (a hash made before). Every caller runs
    the same checks for the same text, known account or dummy hash alike."""
    normal = passwords.normalise(password)
    candidates = (normal,) if normal == password else (normal, password)

    def check() -> bool:
        ok = False
        for candidate in candidates:
            with contextlib.suppress(VerificationError, InvalidHashError):
                ok = _hasher.verify(stored_hash, candidate) or ok
        return ok

    # At most a few at once per process (services/admission.py); raises ServerBusy.
    return checks.run(check)


def exempt_from_api_second_factor(
    session: Session, user_id: str, reason: str = DEMO_EXEMPTION
) -> None:
    """Let an external account take API tokens with its password alone. Only the demo data
    (``ecas-server seed-demo``) calls this; sign-ins that rely on it are audited as
    ``second_factor: "exempt: <reason>"`` and logged as warnings."""
    session.add(ApiSecondFactorExemption(user_id=user_id, reason=reason))


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    court_id: str | None = None,
    eoir_id: str | None = None,
    assigned_court_ids: list[str] | None = None,
    user_id: str | None = None,
    temporary: bool = False,
) -> str:
    """Create an account (the caller holds the write lock); returns its id. ``temporary``:
    a temporary Board member (8 CFR 1003.1(a)(4))."""
    profile = UserProfile(
        id=user_id or str(uuid.uuid4()),
        username=username.lower(),
        display_name=display_name,
        role=role,
        court_id=court_id,
        eoir_id=eoir_id,
        temporary=temporary,
    )
    write_record(
        session,
        profile,
        extra_columns={
            "password_hash": hash_password(password),
            "failed_logins": 0,
            "assigned_court_ids": assigned_court_ids or [],
        },
    )
    audit.append(
        session,
        actor_id=None,
        action="account.create",
        entity="user_profile",
        record_id=profile.id,
        detail={"username": profile.username, "role": role.value},
    )
    return profile.id
