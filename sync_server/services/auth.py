"""Sign-in, tokens and accounts.

Passwords are hashed with argon2id. Access tokens are short-lived signed tokens; refresh
tokens are random, stored as SHA-256 only, and rotate on every use: presenting a used or
revoked one revokes its whole family (a stolen token is then worth nothing).
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from common.enums import Role
from common.protocol import SessionUser, TokenResponse
from common.wire import UserProfile
from sync_server.config import ServerConfig
from sync_server.db import write_transaction
from sync_server.models import RefreshToken, UserRow
from sync_server.models.types import utcnow
from sync_server.policy import Principal
from sync_server.services import audit
from sync_server.services.records import write_record

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("not a real password")


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
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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

    def __post_init__(self) -> None:
        self._signer = URLSafeTimedSerializer(self.config.secret_key, salt="ecas-access")

    # -- sign-in ---------------------------------------------------------------------------

    def login(self, username: str, password: str) -> TokenResponse:
        # The slow hash is checked before taking the write lock, so sign-ins don't queue
        # every other writer behind argon2.
        with self.factory() as session:
            user = session.scalar(
                select(UserRow).where(func.lower(UserRow.username) == username.lower())
            )
        known = user is not None and user.active and not user.deleted
        if user is not None and known:
            _raise_if_locked(user)
        password_ok = _verify(user.password_hash if user and known else _DUMMY_HASH, password)
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
                failures = 1
            else:
                row = session.get(UserRow, user.id, populate_existing=True)
                assert row is not None
                _raise_if_locked(row)
                if password_ok:
                    self._record_success(row, password)
                    audit.append(session, actor_id=row.id, action="auth.login")
                    return self._issue(session, row, family_id=str(uuid.uuid4()))
                self._record_failure(session, row)
                failures = row.failed_logins
        time.sleep(min(2.0, self.failure_delay * failures))  # slow down guessing
        raise AuthError("The username or password is wrong.")

    def _record_failure(self, session: Session, user: UserRow) -> None:
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
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)

    def _issue(self, session: Session, user: UserRow, family_id: str) -> TokenResponse:
        refresh = secrets.token_urlsafe(32)
        session.add(
            RefreshToken(
                token_hash=_token_hash(refresh),
                family_id=family_id,
                user_id=user.id,
                expires_at=utcnow() + timedelta(days=self.config.refresh_token_days),
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

    def refresh(self, token: str) -> TokenResponse:
        with write_transaction(self.factory) as session:
            row = session.get(RefreshToken, _token_hash(token))
            if row is None:
                raise AuthError("The session is not valid. Sign in again.")
            if row.used_at is not None or row.revoked:
                self._revoke_family(session, row.family_id)
                audit.append(
                    session,
                    actor_id=row.user_id,
                    action="auth.refresh_reuse",
                    detail={"family": row.family_id},
                )
                failure = AuthError(
                    "This session was ended because its token was used twice. Sign in again."
                )
            elif row.expires_at <= utcnow():
                failure = AuthError("The session has expired. Sign in again.")
            else:
                user = session.get(UserRow, row.user_id)
                if user is None or not user.active:
                    failure = AuthError("The account is disabled.")
                else:
                    row.used_at = utcnow()
                    return self._issue(session, user, row.family_id)
        raise failure

    def logout(self, principal: Principal, refresh_token: str | None) -> None:
        with write_transaction(self.factory) as session:
            if refresh_token:
                row = session.get(RefreshToken, _token_hash(refresh_token))
                if row is not None and row.user_id == principal.id:
                    self._revoke_family(session, row.family_id)
            audit.append(session, actor_id=principal.id, action="auth.logout")

    @staticmethod
    def _revoke_family(session: Session, family_id: str) -> None:
        session.execute(
            update(RefreshToken).where(RefreshToken.family_id == family_id).values(revoked=True)
        )

    def authenticate(self, session: Session, access_token: str) -> Principal:
        """The principal an access token stands for; raises :class:`AuthError`."""
        try:
            claims = self._signer.loads(access_token, max_age=self.config.access_token_seconds)
        except SignatureExpired as err:
            raise AuthError("The session has expired; refresh it or sign in again.") from err
        except BadSignature as err:
            raise AuthError("The access token is not valid. Sign in again.") from err
        user = session.get(UserRow, claims.get("sub"))
        if user is None or not user.active or user.deleted:
            raise AuthError("The account is disabled.")
        # Signing out (or a detected token theft) revokes the family: its access tokens
        # stop working at once instead of living out their 15 minutes.
        revoked = session.scalar(
            select(RefreshToken.token_hash)
            .where(RefreshToken.family_id == claims.get("fam"), RefreshToken.revoked.is_(True))
            .limit(1)
        )
        if revoked is not None:
            raise AuthError("This session was ended. Sign in again.")
        return principal_of(user)


def _raise_if_locked(user: UserRow) -> None:
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        seconds = int((user.locked_until - now).total_seconds()) + 1
        minutes = max(1, seconds // 60 + 1)
        raise AuthError(
            f"Too many failed sign-ins. Try again in {minutes} minutes, "
            "or ask your court administrator to unlock the account.",
            429,
            retry_after=seconds,
        )


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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
) -> str:
    """Create an account (the caller holds the write lock); returns its id."""
    profile = UserProfile(
        id=user_id or str(uuid.uuid4()),
        username=username.lower(),
        display_name=display_name,
        role=role,
        court_id=court_id,
        eoir_id=eoir_id,
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
