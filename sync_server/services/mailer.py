"""Outgoing mail behind one small interface.

Production sends through SMTP (``ECAS_SMTP_HOST`` and friends); by default each message
is written as an ``.eml`` file to a folder under the server's data folder, where an
operator (or a test) can read it. Nothing is ever sent from inside a database transaction:
callers send after their commit, so a rolled-back change mails nobody.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from sync_server.models.types import utcnow

DEFAULT_SENDER = "ECAS Portal <no-reply@ecas.invalid>"


class Mailer(Protocol):
    sender: str

    def send(self, message: EmailMessage) -> None: ...


@dataclass
class FolderMailer:
    """Writes each message to ``folder/<time>-<id>.eml`` (atomically: temp file, rename)."""

    folder: Path
    sender: str = DEFAULT_SENDER

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        temp = self.folder / f".{name}.tmp"
        temp.write_bytes(bytes(message))
        os.replace(temp, self.folder / name)


@dataclass
class SmtpMailer:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    sender: str = DEFAULT_SENDER

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def mailer_from_env(data_dir: Path, env: Mapping[str, str] | None = None) -> Mailer:
    """SMTP when ``ECAS_SMTP_HOST`` is set (``ECAS_SMTP_PORT``, ``ECAS_SMTP_USER``,
    ``ECAS_SMTP_PASSWORD``, ``ECAS_SMTP_STARTTLS=0`` to turn TLS off, ``ECAS_MAIL_FROM``);
    otherwise the folder ``<data dir>/outbox``."""
    env = os.environ if env is None else env
    sender = env.get("ECAS_MAIL_FROM") or DEFAULT_SENDER
    host = env.get("ECAS_SMTP_HOST")
    if host:
        return SmtpMailer(
            host=host,
            port=int(env.get("ECAS_SMTP_PORT", "587")),
            username=env.get("ECAS_SMTP_USER") or None,
            password=env.get("ECAS_SMTP_PASSWORD") or None,
            starttls=env.get("ECAS_SMTP_STARTTLS", "1") != "0",
            sender=sender,
        )
    return FolderMailer(data_dir / "outbox", sender=sender)


def compose(mailer: Mailer, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mailer.sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@ecas.invalid>"
    message.set_content(body)
    return message
