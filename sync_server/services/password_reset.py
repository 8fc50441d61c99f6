"""Password reset by email for portal accounts.

A request names a username or email address. Whether or not an account has it, the
portal answers the same way; when one does (an active portal account), a link is mailed to
the account's address. The link carries a random token; only its SHA-256 is stored, it is
good for :data:`RESET_MINUTES` and once, and a newer request voids older links. Setting
the new password checks it with ``services/passwords.py`` (the registration's rules), then
ends every portal session of the account and revokes every API refresh token, so whoever
held the old password is signed out everywhere.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from common.enums import Role
from sync_server.db import write_transaction
from sync_server.models import (
    PortalAccount,
    PortalPasswordReset,
    PortalSession,
    RefreshToken,
    UserRow,
)
from sync_server.models.types import utcnow
from sync_server.services import audit, mail_events, passwords
from sync_server.services.accounts import AccountStatus
from sync_server.services.auth import hash_password
from sync_server.services.mailer import Mailer, compose

RESET_MINUTES = 30
_USABLE = (AccountStatus.APPROVED.value, AccountStatus.SUSPENDED.value)


def _count(result: object) -> int:
    """The rows an UPDATE changed."""
    return int(getattr(result, "rowcount", 0) or 0)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class PasswordResets:
    factory: sessionmaker[Session]
    mailer: Mailer

    def request(self, login: str, base_url: str, ip: str) -> None:
        """Mail a reset link to the account named by ``login`` (username or email), if
        there is one; nothing tells the caller which."""
        name = login.strip().lower()[:254]
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with write_transaction(self.factory) as session:
            found = session.execute(
                select(UserRow, PortalAccount)
                .join(PortalAccount, PortalAccount.user_id == UserRow.id)
                .where(
                    or_(func.lower(UserRow.username) == name, PortalAccount.email == name),
                    UserRow.active.is_(True),
                    UserRow.deleted.is_(False),
                    PortalAccount.status.in_(_USABLE),
                )
            ).first()
            if found is None:
                audit.append(
                    session,
                    actor_id=None,
                    action="portal.password_reset_unknown",
                    detail={"ip": ip},
                )
                return
            user, account = found[0], found[1]
            # A newer link voids the older ones.
            session.execute(
                update(PortalPasswordReset)
                .where(
                    PortalPasswordReset.user_id == user.id,
                    PortalPasswordReset.used_at.is_(None),
                )
                .values(used_at=now)
            )
            session.add(
                PortalPasswordReset(
                    token_hash=_hash(token),
                    user_id=user.id,
                    requested_at=now,
                    expires_at=now + timedelta(minutes=RESET_MINUTES),
                )
            )
            audit.append(
                session,
                actor_id=user.id,
                action="portal.password_reset_requested",
                entity="user_profile",
                record_id=user.id,
                detail={"ip": ip},
            )
            address, name_shown = account.email, user.display_name
            language = mail_events.language_of(session, user.id)
        link = f"{base_url.rstrip('/')}/portal/password/reset/{token}"
        # Sent at once, not through the outbox: the link carries the token (resources/mail/).
        subject, body = mail_events.render(
            "password_reset", {"name": name_shown, "minutes": RESET_MINUTES}, link, language
        )
        self.mailer.send(compose(self.mailer, address, subject, body))

    def _live(self, session: Session, token: str) -> PortalPasswordReset | None:
        if not token or len(token) > 200:
            return None
        row = session.get(PortalPasswordReset, _hash(token))
        if row is None or row.used_at is not None or row.expires_at <= utcnow():
            return None
        return row

    def usable(self, token: str) -> bool:
        with self.factory() as session:
            return self._live(session, token) is not None

    def reset(self, token: str, password: str, ip: str) -> str | None:
        """Set the new password; the problem with it (shown beside the field), or None
        when it was set. Raises LookupError when the link is not (or no longer) good."""
        with self.factory() as session:
            row = self._live(session, token)
            if row is None:
                raise LookupError("reset link")
            user = session.get(UserRow, row.user_id)
            account = session.get(PortalAccount, row.user_id)
            assert user is not None and account is not None
            personal = [user.username, account.email, user.display_name]
            weak = passwords.problem(password, Role(user.role), personal)
        if weak is not None:
            return weak
        password_hash = hash_password(password)  # outside the write lock
        now = utcnow()
        with write_transaction(self.factory) as session:
            row = self._live(session, token)
            if row is None:  # used by another request in the meantime
                raise LookupError("reset link")
            row.used_at = now
            user = session.get(UserRow, row.user_id)
            assert user is not None
            user.password_hash = password_hash
            user.locked_until = None
            user.failed_logins = 0
            ended = _count(
                session.execute(
                    update(PortalSession)
                    .where(PortalSession.user_id == user.id, PortalSession.ended.is_(False))
                    .values(ended=True)
                )
            )
            revoked = _count(
                session.execute(
                    update(RefreshToken)
                    .where(RefreshToken.user_id == user.id, RefreshToken.revoked.is_(False))
                    .values(revoked=True)
                )
            )
            audit.append(
                session,
                actor_id=user.id,
                action="portal.password_reset",
                entity="user_profile",
                record_id=user.id,
                detail={"ip": ip, "sessions_ended": ended, "refresh_tokens_revoked": revoked},
            )
        return None
