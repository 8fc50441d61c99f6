"""Confidential records through sync (issue 17 item 2): a practitioner who may not read a
flagged document gets nothing of it from the change feed, though they filed it: not on a
first pull, not in the catch-up after their appearance ends (a tombstone takes it out of
their copy), not in the ordinary pages after the case is flagged (a departure addressed to
them). On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import orjson
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.enums import (
    AppearanceScope,
    Confidentiality,
    DocumentStatus,
    DocumentType,
    FilingKind,
    FilingStatus,
    Party,
    RepresentationStatus,
    Role,
)
from common.wire import Case, Document, Filing, Representation, ServiceRecord
from sync_server.db import write_transaction
from sync_server.models import Blob, CaseRow, MailOutbox, PortalAccount, UserRow
from sync_server.services import confidentiality, mail_events, sync
from sync_server.services.auth import create_user, principal_of
from sync_server.services.records import SessionLookups, row_to_record, write_record
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import stored

TITLE = "Declaration of persecution in the home country"


def _pull_all(
    factory: sessionmaker[Session], user_id: str, since: str | None
) -> tuple[list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    cursor = since
    while True:
        with factory() as session:
            principal = principal_of(session.get_one(UserRow, user_id))
            page = orjson.loads(sync.pull(session, principal, cursor, 500))
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, str(cursor)


def _copy(
    changes: list[dict[str, Any]], copy: dict[str, dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """A client's copy after applying ``changes`` (a tombstone removes the record)."""
    held = dict(copy or {})
    for change in changes:
        if change["deleted"]:
            held.pop(change["id"], None)
        else:
            held[change["id"]] = change["data"]
    return held


def _setup(
    factory: sessionmaker[Session], attorney_id: str | None = None
) -> tuple[str, Case, Representation, Document]:
    """An attorney of record in a new case (a new account unless ``attorney_id``), who
    filed a document in it."""
    with write_transaction(factory) as session:
        attorney_id = attorney_id or create_user(
            session,
            username=f"conf-sync-{uuid.uuid4().hex[:8]}",
            password="a-long-test-password-1",
            role=Role.ATTORNEY,
            display_name="Withdrawn Counsel",
            eoir_id=f"CS{uuid.uuid4().int % 10**5:05d}",
        )
        model = session.scalars(select(CaseRow).order_by(CaseRow.id)).first()
        assert model is not None
        template = row_to_record("case", model)
        assert isinstance(template, Case)
        case = template.model_copy(
            update={
                "id": str(uuid.uuid4()),
                "a_number": f"{uuid.uuid4().int % 10**9:09d}",
                "confidentiality": [],
            }
        )
        write_record(session, case)
        rep = Representation(
            id=str(uuid.uuid4()),
            case_id=case.id,
            practitioner_id=attorney_id,
            form=FilingKind.EOIR_28,
            scope=AppearanceScope.ALL_PROCEEDINGS,
            status=RepresentationStatus.ACCEPTED,
            accepted_on=date(2026, 12, 1),
        )
        write_record(session, rep)
        # a stored PDF's bytes (the seeded app is shared: every document must have its blob)
        blob = session.scalars(select(Blob).order_by(Blob.sha256)).first()
        assert blob is not None
        document = Document(
            id=str(uuid.uuid4()),
            case_id=case.id,
            doc_type=DocumentType.EVIDENCE,
            title=TITLE,
            filer_id=attorney_id,
            filer_party=Party.RESPONDENT,
            filed_on=date(2026, 12, 2),
            pages=1,
            sha256=blob.sha256,
            size=blob.size,
            status=DocumentStatus.ACCEPTED,
        )
        write_record(session, document)
        # their filing of it, which only its filer and the court read (what they typed)
        filing = Filing(
            id=str(uuid.uuid4()),
            case_id=case.id,
            court_id=case.court_id,
            filer_id=attorney_id,
            kind=FilingKind.DOCUMENT,
            status=FilingStatus.ACCEPTED,
            submitted_at=datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
            lead_document_id=document.id,
            form={"description": TITLE},
        )
        write_record(session, filing)
    return attorney_id, case, rep, document


def _of_case(held: dict[str, dict[str, Any]], case: Case) -> set[str]:
    """The records of ``case`` in a copy, its appearances aside."""
    return {
        rid
        for rid, data in held.items()
        if (data.get("case_id") == case.id or rid == case.id) and "practitioner_id" not in data
    }


def _flag_case(factory: sessionmaker[Session], case: Case, flags: list[str]) -> None:
    """The clerk marks the case as a push does: the record, then the push's hook."""
    with write_transaction(factory) as session:
        lookups = SessionLookups(session)
        old = row_to_record("case", session.get_one(CaseRow, case.id))
        new = old.model_copy(update={"confidentiality": [Confidentiality(f) for f in flags]})
        write_record(session, new, lookups=lookups)
        confidentiality.after_write(session, old, new, lookups, actor_id=case.id)


def _withdraw(factory: sessionmaker[Session], rep: Representation) -> None:
    with write_transaction(factory) as session:
        write_record(session, rep.model_copy(update={"status": RepresentationStatus.WITHDRAWN}))


def _leaks(changes: list[dict[str, Any]], document: Document) -> list[dict[str, Any]]:
    return [c for c in changes if not c["deleted"] and TITLE in orjson.dumps(c).decode()]


def test_withdrawn_counsel_loses_their_flagged_filing(seeded_app: Flask) -> None:
    factory = seeded_app.extensions["ecas"].factory
    attorney_id, case, rep, document = _setup(factory)
    _flag_case(factory, case, ["asylum"])
    first, cursor = _pull_all(factory, attorney_id, None)
    held = _copy(first)
    assert document.id in held  # counsel of record reads it
    _withdraw(factory, rep)
    after, cursor = _pull_all(factory, attorney_id, cursor)
    held = _copy(after, held)
    assert document.id not in held, "the withdrawn counsel's copy keeps the flagged document"
    assert _of_case(held, case) == set(), "their filing of it stays in their copy"
    assert not _leaks(after, document)
    # A fresh start sends nothing of it either.
    fresh, _ = _pull_all(factory, attorney_id, None)
    assert document.id not in _copy(fresh)
    assert not _leaks(fresh, document)


def test_a_case_flagged_after_counsel_withdrew_leaves_their_copy(seeded_app: Flask) -> None:
    factory = seeded_app.extensions["ecas"].factory
    attorney_id, case, rep, document = _setup(factory)
    _withdraw(factory, rep)
    first, cursor = _pull_all(factory, attorney_id, None)
    held = _copy(first)
    assert document.id in held  # unflagged, their own filing stays theirs
    _flag_case(factory, case, ["vawa_t_u"])
    after, cursor = _pull_all(factory, attorney_id, cursor)
    held = _copy(after, held)
    assert document.id not in held, "the flag left the document in a non-reader's copy"
    assert _of_case(held, case) == set(), "the flag left their filing in their copy"
    assert not _leaks(after, document)
    # The document changes later: still nothing reaches them.
    with write_transaction(factory) as session:
        write_record(session, document.model_copy(update={"title": TITLE + " (amended)"}))
    later, _ = _pull_all(factory, attorney_id, cursor)
    assert not _leaks(later, document)
    assert document.id not in _copy(later, held)


def test_a_push_answers_a_withdrawn_counsel_nothing_of_a_flagged_document(
    seeded_app: Flask,
) -> None:
    """A conflict or a refusal answers with the server's copy of the record; for a flagged
    document its filer may no longer read, the answer is a bare tombstone."""
    factory = seeded_app.extensions["ecas"].factory
    api = Api(seeded_app.test_client())
    _, case, rep, document = _setup(factory, user_id("attorney2"))
    _flag_case(factory, case, ["sealed"])
    _withdraw(factory, rep)
    found = stored(seeded_app, "document", document.id)
    assert found is not None
    data, version, _ = found
    token = api.login("attorney2")
    for base in (version, version - 1):  # refused as a write, and as a stale copy
        body = data | {"title": "Corrected title"}
        (result,) = api.push(token, mutation("document", body, base_version=base))
        assert result["status"] == "rejected", result
        assert result["error"] == "no such record in your scope"
        assert result["current"]["deleted"] and not result["current"]["data"]
        assert TITLE not in orjson.dumps(result).decode()


def test_no_mail_names_a_flagged_document_to_someone_who_may_not_read_it(
    seeded_app: Flask,
) -> None:
    """A document served on a practitioner no longer of record (a certificate entered from
    paper, a stale service list): the outbox holds no mail naming its title for them."""
    factory = seeded_app.extensions["ecas"].factory
    attorney_id, case, rep, document = _setup(factory)
    with write_transaction(factory) as session:
        court_id = session.get_one(CaseRow, case.id).court_id
        session.add(
            PortalAccount(
                user_id=attorney_id,
                email=f"{attorney_id[:8]}@counsel.example",
                status="approved",
                category="attorney",
                identity_court_id=court_id,
            )
        )
    _withdraw(factory, rep)

    def served(flags: list[str]) -> list[MailOutbox]:
        _flag_case(factory, case, flags)
        record = ServiceRecord(
            id=str(uuid.uuid4()),
            case_id=case.id,
            document_id=document.id,
            party=Party.PRACTITIONER,
            recipient_id=attorney_id,
            served_at=datetime.now(UTC),
        )
        with write_transaction(factory) as session:
            mail_events.document_served(session, record)
        with factory() as session:
            return list(
                session.scalars(
                    select(MailOutbox).where(
                        MailOutbox.user_id == attorney_id,
                        MailOutbox.subject_key == f"served:{document.id}",
                    )
                )
            )

    assert served(["asylum"]) == []
    # Unflagged, the same service is mailed (the check is the flag, not the withdrawal).
    mails = served([])
    assert len(mails) == 1 and mails[0].context["document"] == TITLE
