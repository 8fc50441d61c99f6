"""Portal forms kept across the end of a session.

A form that arrives after its session ended (idle too long, or past its maximum age) is
not thrown away. The portal's gate recognises it by its CSRF token, which is bound to the
ended session, and keeps its fields here under a random id; the browser gets only that id,
signed with the server's key and good for :data:`KEEP_MINUTES` (a cookie, so the form is
tied to the browser that sent it, and no secret of the ended session is kept or reused).
Once the same user has signed in again (password and second factor), the form is handed
back once (:meth:`KeptForms.take`); the portal shows it, and the user sends it to its page
with a fresh CSRF token, where it is validated as any other submission.

Password fields are never kept. Files are not kept either: a form carrying files is
refused as before, and its page says so.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from sync_server.db import write_transaction
from sync_server.models import PortalKeptForm, PortalSession
from sync_server.models.types import utcnow
from sync_server.services import audit

KEEP_MINUTES = 30
MAX_FIELDS = 400
MAX_CHARS = 200_000
_SALT = "ecas-portal-kept-form"


@dataclass(frozen=True)
class KeptForm:
    path: str
    fields: list[tuple[str, str]]


def keepable(name: str) -> bool:
    """Fields never kept: the CSRF token (the form gets a fresh one) and passwords."""
    return name != "csrf_token" and "password" not in name.lower()


@dataclass
class KeptForms:
    factory: sessionmaker[Session]
    secret_key: str

    def _signer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=_SALT)

    def keep(self, session_hash: str, path: str, fields: list[tuple[str, str]]) -> str | None:
        """Keep ``fields`` sent to ``path`` in the (ended) session ``session_hash``; the
        signed reference for the browser, or None when there is no such session or the
        form is too large to keep."""
        kept = [(k, v) for k, v in fields if keepable(k)]
        if len(kept) > MAX_FIELDS or sum(len(k) + len(v) for k, v in kept) > MAX_CHARS:
            return None
        now = utcnow()
        with write_transaction(self.factory) as session:
            owner = session.get(PortalSession, session_hash)
            if owner is None:
                return None
            # Forms nobody came back for are removed a day later.
            session.execute(
                delete(PortalKeptForm).where(PortalKeptForm.kept_at < now - timedelta(days=1))
            )
            row = PortalKeptForm(
                id=str(uuid.uuid4()),
                user_id=owner.user_id,
                path=path[:300],
                fields=[[k, v] for k, v in kept],
                kept_at=now,
            )
            session.add(row)
            audit.append(
                session,
                actor_id=owner.user_id,
                action="portal.form_kept",
                detail={"path": row.path, "fields": len(kept)},
            )
            return self._signer().dumps(row.id)

    def take(self, reference: str, user_id: str) -> KeptForm | None:
        """The kept form behind a browser's reference, once, for the user who sent it;
        None when the reference is forged, too old, used, or another user's."""
        try:
            kept_id = self._signer().loads(reference, max_age=KEEP_MINUTES * 60)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(kept_id, str):
            return None
        now = utcnow()
        with write_transaction(self.factory) as session:
            row = session.scalar(
                select(PortalKeptForm).where(
                    PortalKeptForm.id == kept_id,
                    PortalKeptForm.user_id == user_id,
                    PortalKeptForm.taken_at.is_(None),
                    PortalKeptForm.kept_at >= now - timedelta(minutes=KEEP_MINUTES),
                )
            )
            if row is None:
                return None
            row.taken_at = now
            audit.append(
                session,
                actor_id=user_id,
                action="portal.form_resumed",
                detail={"path": row.path},
            )
            return KeptForm(row.path, [(k, v) for k, v in row.fields])
