"""Mail that tells people what happened: a transactional outbox and its sender.

An event (a filing accepted or rejected, a document served, a notice of hearing served, a
record package ready, an account approved or suspended) writes one ``mail_outbox`` row per
person concerned **in the transaction of the change**: a push rolled back (or a savepoint
refused) leaves no row and mails nobody, a committed change always has its rows. The
:class:`MailSender` drains the rows after the commit: after each request that wrote some,
every half minute on a busy server for the rows others wrote (the package worker), and
from ``ecas-server mail-outbox`` (once, or as a worker). A row is claimed with a short
lease, so two senders never both send it and a sender that dies leaves it to the next; a
failed send (SMTP down) is retried with a growing delay, never dropped.

Who is concerned: the filer of a filing; each party a document is served on, as the
certificate of service names them (counsel of record, DHS), through their portal accounts
(for DHS, the DHS accounts assigned to the case's court); the requester of a package; the
account's holder. Nobody else: a party not of record is never in a certificate of service.
The wording is in ``resources/mail/`` (one text file per kind and language); the link is
the portal page of the thing, made absolute with the server's configured public base URL
when it is sent.

**Language.** Each message is written in its recipient's language: the portal account's
``language`` (English or Spanish, chosen on the profile page, set at a respondent's
enrolment from the page's language; English when never chosen), read when the event
happens and kept on the outbox row. A kind's English text is its template file; the text
in another language is the file of the same name with the language before ``.txt``
(``filing_accepted.es.txt``): subject and body, the filing's title and the few phrases
filled in (``events.json``), and dates in that language's form at the court's local date
(``common.court_time.format_date_in``).
Service mail (served documents, hearing notices) is always sent; the rest follows the
user's choices on the profile page.
"""

from __future__ import annotations

import json
import logging
import smtplib
import string
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from common.court_time import format_date_in, format_datetime_in, local_date
from common.enums import DocumentType, FilingStatus, Role, RopRequestStatus
from common.resources import resource_path
from common.wire import Filing, RopRequest, ServiceRecord, WireRecord
from sync_server.db import row_transaction
from sync_server.models import (
    CaseRow,
    CourtRow,
    DocumentRow,
    MailOutbox,
    PortalAccount,
    PortalMailPreference,
    UserRow,
)
from sync_server.models.respondents import RespondentCase
from sync_server.models.types import utcnow
from sync_server.policy import can_read, record_flags
from sync_server.services.mailer import Mailer, compose

log = logging.getLogger(__name__)

# Who may receive case mail: an approved account (a suspended one still reads its cases).
_MAILABLE = ("approved", "suspended")
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
SWEEP_SECONDS = 30.0


@dataclass(frozen=True)
class MailKind:
    name: str
    template: str
    service: bool
    always: bool
    label: str


@cache
def kinds() -> dict[str, MailKind]:
    """The kinds of mail, from ``resources/mail/events.json``."""
    data = json.loads(resource_path("mail/events.json").read_text(encoding="utf-8"))
    return {
        name: MailKind(
            name=name,
            template=entry["template"],
            service=bool(entry["service"]),
            always=bool(entry.get("always", False)),
            label=entry["label"],
        )
        for name, entry in data["kinds"].items()
    }


@cache
def _events() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("mail/events.json").read_text(encoding="utf-8"))
    return data


def languages() -> tuple[str, ...]:
    """The languages mail is written in (``events.json``); the first is the default."""
    return tuple(_events()["languages"])


def language_file(template: str, language: str) -> str:
    """The file of ``template`` (an English template's name) in ``language``."""
    if language == languages()[0]:
        return template
    return template.removesuffix(".txt") + f".{language}.txt"


def phrase(name: str, language: str) -> str:
    """A phrase filled into a message (``events.json``'s ``phrases``) in ``language``."""
    text: str = _events()["phrases"][language][name]
    return text


def language_of(session: Session, user_id: str | None) -> str:
    """The language a portal account's holder reads: their choice, else the default."""
    chosen = (
        session.scalar(select(PortalAccount.language).where(PortalAccount.user_id == user_id))
        if user_id is not None
        else None
    )
    return chosen if chosen in languages() else languages()[0]


def choosable() -> list[MailKind]:
    """The kinds a user may turn off (neither service nor about the account itself)."""
    return [k for k in kinds().values() if not k.service and not k.always]


@cache
def _template(kind: str, language: str) -> tuple[str, str]:
    name = language_file(kinds()[kind].template, language)
    text = resource_path("mail/" + name).read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    if not head.startswith("Subject: "):
        raise ValueError(f"resources/mail/{name}: no Subject line")
    return head.removeprefix("Subject: ").strip(), body


def render(kind: str, context: dict[str, Any], link: str, language: str = "en") -> tuple[str, str]:
    """The subject and body of a ``kind`` message in ``language``; every placeholder must
    be filled."""
    subject, body = _template(kind, language)
    # A placeholder an event may not know (``default_<name>`` phrases, e.g. a notice of
    # hearing served without the hearing's time) reads the phrase instead.
    defaults = {
        name.removeprefix("default_"): text
        for name, text in _events()["phrases"][language].items()
        if name.startswith("default_")
    }
    values = defaults | {k: str(v) for k, v in context.items()} | {"link": link}
    return string.Template(subject).substitute(values), string.Template(body).substitute(values)


# --- writing rows (in the caller's transaction) ---------------------------------------------

_pending = threading.Event()


def _committed(session: Session) -> None:
    _pending.set()


def wanted(session: Session, user_id: str, kind: str) -> bool:
    info = kinds()[kind]
    if info.service or info.always:
        return True
    choice = session.get(PortalMailPreference, (user_id, kind))
    return choice is None or choice.wanted


def enqueue(
    session: Session,
    kind: str,
    *,
    to_address: str,
    key: str,
    path: str,
    context: dict[str, Any],
    user_id: str | None = None,
    language: str | None = None,
) -> bool:
    """Write one message in the caller's transaction, in ``language`` (default: the user's,
    :func:`language_of`); False when the user turned this kind off or the same event
    already mailed this address (a replayed act)."""
    if kind not in kinds():
        raise ValueError(f"unknown kind of mail {kind!r}")
    if user_id is not None and not wanted(session, user_id, kind):
        return False
    key = key[:120]
    already = session.scalar(
        select(MailOutbox.id).where(
            MailOutbox.kind == kind,
            MailOutbox.subject_key == key,
            MailOutbox.to_address == to_address,
        )
    )
    if already is not None:
        return False
    now = utcnow()
    session.add(
        MailOutbox(
            id=str(uuid.uuid4()),
            kind=kind,
            user_id=user_id,
            to_address=to_address,
            subject_key=key,
            path=path,
            context=context,
            language=language if language is not None else language_of(session, user_id),
            created_at=now,
            attempts=0,
            next_attempt_at=now,
        )
    )
    if not event.contains(session, "after_commit", _committed):
        event.listen(session, "after_commit", _committed, once=True)
    return True


def _portal_person(session: Session, user_id: str | None) -> tuple[str, str] | None:
    """The address and name of an active portal account that may receive case mail."""
    if user_id is None:
        return None
    found = session.execute(
        select(PortalAccount.email, UserRow.display_name)
        .join(UserRow, UserRow.id == PortalAccount.user_id)
        .where(
            PortalAccount.user_id == user_id,
            PortalAccount.status.in_(_MAILABLE),
            UserRow.active.is_(True),
            UserRow.deleted.is_(False),
        )
    ).first()
    return (found[0], found[1]) if found is not None else None


def _court(session: Session, court_id: str | None, language: str) -> tuple[str, str]:
    row = session.get(CourtRow, court_id) if court_id else None
    if row is None:
        return phrase("unknown_court", language), "UTC"
    return row.name, row.timezone


def _day(moment: datetime, zone: str, language: str) -> str:
    return format_date_in(local_date(moment, zone), language)


def filing_decided(session: Session, status_before: str | None, new: WireRecord) -> None:
    """A filing the clerk accepted or rejected (its status was ``status_before``): its filer
    is told (with the reason). Called by ``records.write_record`` for every filing written,
    so whichever path decides it (the desktop's push, a server rule) mails once."""
    if not isinstance(new, Filing) or new.status is FilingStatus.PENDING:
        return
    if status_before != FilingStatus.PENDING.value:
        return  # not a review: made decided (a filing the server accepts itself) or unchanged
    person = _portal_person(session, new.filer_id)
    if person is None:
        return
    language = language_of(session, new.filer_id)
    court, zone = _court(session, new.court_id, language)
    accepted = new.status is FilingStatus.ACCEPTED
    context = {
        "name": person[1],
        "court": court,
        "filing": _filing_title(new, language),
        "submitted_on": _day(new.submitted_at, zone, language),
    }
    if not accepted:
        context["reason"] = new.rejection_reason or phrase("no_reason", language)
    enqueue(
        session,
        "filing_accepted" if accepted else "filing_rejected",
        to_address=person[0],
        key=f"filing:{new.id}",
        path=_filings_page(session, new.filer_id),
        context=context,
        user_id=new.filer_id,
        language=language,
    )


def _filing_title(filing: Filing, language: str) -> str:
    titles: dict[str, str] = _events()["filing_titles"][language]
    return titles.get(filing.kind.value, filing.kind.value)


def _filings_page(session: Session, user_id: str) -> str:
    """Where the filer reads their filings: a respondent on their own pages."""
    role = session.scalar(select(UserRow.role).where(UserRow.id == user_id))
    return "/portal/respondent" if role == Role.RESPONDENT.value else "/portal/filings"


def _dhs_accounts(session: Session, court_id: str | None) -> list[tuple[str, str, str]]:
    """(user id, address, name) of the DHS portal accounts assigned to ``court_id``."""
    if court_id is None:
        return []
    rows = session.execute(
        select(UserRow.id, UserRow.assigned_court_ids, PortalAccount.email, UserRow.display_name)
        .join(PortalAccount, PortalAccount.user_id == UserRow.id)
        .where(
            UserRow.role == Role.DHS.value,
            UserRow.active.is_(True),
            UserRow.deleted.is_(False),
            PortalAccount.status.in_(_MAILABLE),
        )
    )
    return [(r[0], r[2], r[3]) for r in rows if court_id in (r[1] or [])]


def _respondent_accounts(session: Session, case_id: str) -> list[tuple[str, str, str]]:
    """(user id, address, name) of the respondents enrolled in ``case_id`` (their own
    portal accounts, services/respondents.py)."""
    rows = session.execute(
        select(UserRow.id, PortalAccount.email, UserRow.display_name)
        .join(PortalAccount, PortalAccount.user_id == UserRow.id)
        .join(RespondentCase, RespondentCase.user_id == UserRow.id)
        .where(
            RespondentCase.case_id == case_id,
            UserRow.active.is_(True),
            UserRow.deleted.is_(False),
            PortalAccount.status.in_(_MAILABLE),
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


def document_served(
    session: Session, record: ServiceRecord, *, hearing_at: datetime | None = None
) -> None:
    """A document served on a party: the party's portal accounts are told (a notice of
    hearing as such, with the time of the hearing it sets, ``hearing_at``, when known).
    Only the parties the certificate of service names are written."""
    document = session.get(DocumentRow, record.document_id)
    case = session.get(CaseRow, record.case_id)
    if document is None or case is None:
        return
    if record.party.value == "practitioner":
        person = _portal_person(session, record.recipient_id)
        people = [(record.recipient_id, *person)] if person and record.recipient_id else []
    elif record.party.value == "dhs":
        people = [(u, a, n) for u, a, n in _dhs_accounts(session, case.court_id)]
    elif record.party.value == "respondent":
        # Served by mail at the address of record; an enrolled respondent (portal account
        # linked to the case) is also told by email, and reads it on their own pages.
        people = _respondent_accounts(session, record.case_id)
    else:
        people = []
    people = [p for p in people if _may_read_document(session, p[0], document)]
    notice = document.doc_type == DocumentType.HEARING_NOTICE.value
    own = "respondent/cases" if record.party.value == "respondent" else "cases"
    for user_id, address, name in people:
        language = language_of(session, user_id)
        court, zone = _court(session, case.court_id, language)
        context = {
            "name": name,
            "court": court,
            "document": document.title,
            "served_on": _day(record.served_at, zone, language),
        }
        if notice and hearing_at is not None:
            context["hearing_on"] = format_datetime_in(hearing_at, zone, language)
        enqueue(
            session,
            "hearing_notice" if notice else "document_served",
            to_address=address,
            key=f"served:{record.document_id}",
            path=f"/portal/{own}/{record.case_id}/documents/{record.document_id}",
            context=context,
            user_id=user_id,
            language=language,
        )


def _may_read_document(session: Session, user_id: str, row: DocumentRow) -> bool:
    """Whether a mail naming the document (its title) may go to ``user_id``: always for an
    unflagged one; for a flagged one only to a reader (policy.can_read), so no mail tells
    a practitioner no longer of record what a confidential record is called."""
    # imported here: records and auth import this module (the outbox written in their
    # transactions)
    from sync_server.services.auth import principal_of
    from sync_server.services.records import SessionLookups, row_to_record

    lookups = SessionLookups(session)
    record = row_to_record("document", row)
    if not record_flags(record, lookups):
        return True
    user = session.get(UserRow, user_id)
    return user is not None and can_read(principal_of(user), record, lookups)


def package_ready(session: Session, record: RopRequest) -> None:
    """A record package built: its requester is told."""
    if record.status is not RopRequestStatus.DONE:
        return
    person = _portal_person(session, record.requester_id)
    if person is None:
        return
    case = session.get(CaseRow, record.case_id)
    language = language_of(session, record.requester_id)
    _, zone = _court(session, case.court_id if case else None, language)
    enqueue(
        session,
        "package_ready",
        to_address=person[0],
        key=f"package:{record.id}",
        path=f"/portal/record/{record.id}",
        context={
            "name": person[1],
            "requested_on": _day(record.requested_at, zone, language),
            "pages": record.result_pages or 0,
        },
        user_id=record.requester_id,
        language=language,
    )


def account_decided(
    session: Session,
    user_id: str,
    kind: str,
    *,
    reason: str = "",
    eoir_id: str | None = None,
) -> None:
    """An account approved or suspended: its holder is told (always)."""
    row = session.execute(
        select(PortalAccount.email, UserRow.display_name)
        .join(UserRow, UserRow.id == PortalAccount.user_id)
        .where(PortalAccount.user_id == user_id)
    ).first()
    if row is None:
        return
    language = language_of(session, user_id)
    context: dict[str, Any] = {"name": row[1]}
    if kind == "account_approved":
        sentence = string.Template(phrase("eoir_id_sentence", language))
        context["eoir_id_sentence"] = sentence.substitute(eoir_id=eoir_id) if eoir_id else ""
    else:
        context["reason"] = reason
    enqueue(
        session,
        kind,
        to_address=row[0],
        key=f"account:{user_id}:{uuid.uuid4()}",  # each decision is its own event
        path="/portal/login",
        context=context,
        user_id=user_id,
        language=language,
    )


# --- sending (after the commit) -------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failure a message is tried again."""
    delay: timedelta = FIRST_RETRY * (2 ** max(0, attempts - 1))
    return min(delay, LAST_RETRY)


@dataclass
class MailSender:
    """Sends the outbox's due messages through ``mailer``."""

    factory: sessionmaker[Session]
    mailer: Mailer
    base_url: str
    clock: Callable[[], datetime] = utcnow
    _last_sweep: float = field(default=0.0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def drain(self, limit: int = 200) -> int:
        """Send the messages that are due; returns how many went out."""
        now = self.clock()
        with self.factory() as session:
            due = list(
                session.scalars(
                    select(MailOutbox.id)
                    .where(
                        MailOutbox.sent_at.is_(None),
                        MailOutbox.next_attempt_at <= now,
                        or_(MailOutbox.claimed_until.is_(None), MailOutbox.claimed_until < now),
                    )
                    .order_by(MailOutbox.created_at)
                    .limit(limit)
                )
            )
        sent = 0
        for message_id in due:
            sent += self._send_one(message_id)
        return sent

    def _send_one(self, message_id: str) -> int:
        now = self.clock()
        with row_transaction(self.factory) as session:
            claimed = session.execute(
                update(MailOutbox)
                .where(
                    MailOutbox.id == message_id,
                    MailOutbox.sent_at.is_(None),
                    or_(MailOutbox.claimed_until.is_(None), MailOutbox.claimed_until < now),
                )
                .values(claimed_until=now + LEASE)
            )
            if int(getattr(claimed, "rowcount", 0) or 0) != 1:
                return 0  # another sender has it
            row = session.get(MailOutbox, message_id)
            assert row is not None
            kind, to, path, context = row.kind, row.to_address, row.path, dict(row.context)
            language = row.language if row.language in languages() else languages()[0]
            attempts = row.attempts + 1
        subject, body = render(kind, context, self.base_url.rstrip("/") + path, language)
        try:
            self.mailer.send(compose(self.mailer, to, subject, body))
        except (OSError, smtplib.SMTPException) as err:
            log.warning("mail %s to %s not sent (attempt %d): %s", kind, to, attempts, err)
            with row_transaction(self.factory) as session:
                session.execute(
                    update(MailOutbox)
                    .where(MailOutbox.id == message_id)
                    .values(
                        attempts=attempts,
                        claimed_until=None,
                        next_attempt_at=self.clock() + backoff(attempts),
                        last_error=f"{type(err).__name__}: {err}"[:500],
                    )
                )
            return 0
        with row_transaction(self.factory) as session:
            session.execute(
                update(MailOutbox)
                .where(MailOutbox.id == message_id)
                .values(attempts=attempts, claimed_until=None, sent_at=self.clock())
            )
        return 1

    def after_request(self) -> None:
        """Drain when this process committed new rows, or every :data:`SWEEP_SECONDS` (for
        rows other processes wrote and retries that came due). Never raises."""
        moment = time.monotonic()
        if not _pending.is_set() and moment - self._last_sweep < SWEEP_SECONDS:
            return
        if not self._lock.acquire(blocking=False):
            return  # another thread of this process is draining
        try:
            _pending.clear()
            self._last_sweep = moment
            self.drain()
        except Exception:  # the answer already stands; the rows wait for the next drain
            log.exception("draining the mail outbox failed")
        finally:
            self._lock.release()

    def run(self, poll_seconds: float, stop: threading.Event) -> None:
        """Drain until ``stop`` is set (``ecas-server mail-outbox --loop``)."""
        while not stop.is_set():
            try:
                self.drain()
            except Exception:
                log.exception("draining the mail outbox failed")
            stop.wait(poll_seconds)
