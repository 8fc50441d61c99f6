"""Confidential records: what the server does itself about confidentiality flags.

The rules are the policy's (``sync_server/policy.py``, "Confidential records", from
``resources/confidentiality.json``); this module writes what follows from them, in the
caller's transaction: the asylum flag on an I-589 filed into a case (the document and its
case), the audit entry of a flag set or cleared, and of every read of a flagged record and
every refusal, each naming the flags and the law.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from common.enums import Confidentiality, DocumentType
from common.wire import Case, Document, WireRecord
from sync_server.models import (
    ENTITY_TABLES,
    CaseRow,
    DocumentRow,
    SyncRecord,
    UserRow,
)
from sync_server.policy import (
    FLAG_RULES,
    Principal,
    can_see,
    flagged_read_refusal,
    flags_of,
    owned_record_flags,
    placement_of,
    record_flags,
)
from sync_server.services import audit
from sync_server.services.auth import principal_of
from sync_server.services.records import (
    SessionLookups,
    depart_owner,
    row_to_record,
    write_consequence,
)

READ = "confidential.read"
REFUSED = "confidential.read_refused"
FLAG_SET = "confidential.flag_set"
FLAG_CHANGED = "confidential.flags_changed"

# A filed document of this type marks itself and its case (resources/confidentiality.json
# "set_by" / "automatic").
AUTOMATIC = {DocumentType.APPLICATION_I589: Confidentiality.ASYLUM}


def describe(flags: Collection[Confidentiality]) -> dict[str, Any]:
    """The audit detail naming ``flags``: their ids and the law of each."""
    ordered = sorted(flags)
    return {
        "flags": [f.value for f in ordered],
        "laws": [FLAG_RULES[f].law for f in ordered],
    }


def audit_read(
    session: Session,
    principal: Principal,
    entity: str,
    record_id: str,
    flags: Collection[Confidentiality],
    **detail: Any,
) -> None:
    """Record a read of a flagged record (the caller holds the write lock)."""
    audit.append(
        session,
        actor_id=principal.id,
        action=READ,
        entity=entity,
        record_id=record_id,
        detail={**describe(flags), "role": principal.role.value, **detail},
    )


def audit_refusal(
    session: Session,
    principal: Principal,
    entity: str,
    record_id: str,
    flags: Collection[Confidentiality],
    reason: str,
    **detail: Any,
) -> None:
    """Record a refused read of a flagged record (the caller holds the write lock)."""
    audit.append(
        session,
        actor_id=principal.id,
        action=REFUSED,
        entity=entity,
        record_id=record_id,
        detail={**describe(flags), "role": principal.role.value, "reason": reason, **detail},
    )


def after_write(
    session: Session,
    old: WireRecord | None,
    new: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> None:
    """After ``new`` was written by a push or a portal filing: audit a change of its flags
    by name, and mark an I-589 and its case as asylum information."""
    before = flags_of(getattr(old, "confidentiality", None))
    after = flags_of(getattr(new, "confidentiality", None))
    if isinstance(new, Case | Document) and before != after:
        audit.append(
            session,
            actor_id=actor_id,
            action=FLAG_CHANGED,
            entity=new.entity,
            record_id=new.id,
            detail={
                "set": describe(after - before),
                "cleared": describe(before - after),
                "now": describe(after),
            },
        )
        if after - before:
            depart_non_readers(session, new, lookups)
    if not isinstance(new, Document) or new.doc_type not in AUTOMATIC:
        return
    flag = AUTOMATIC[new.doc_type]
    why = f"a Form I-589 was filed ({FLAG_RULES[flag].law})"
    if flag not in after:
        marked = new.model_copy(update={"confidentiality": sorted({*after, flag})})
        write_consequence(
            session,
            marked,
            lookups,
            actor_id=actor_id,
            changed=["confidentiality"],
            action=FLAG_SET,
            reason=why,
            **describe({flag}),
        )
    case_row = session.get(CaseRow, new.case_id)
    case = row_to_record("case", case_row) if case_row is not None else None
    if isinstance(case, Case) and flag not in flags_of(case.confidentiality):
        flags = sorted({*flags_of(case.confidentiality), flag})
        write_consequence(
            session,
            case.model_copy(update={"confidentiality": flags}),
            lookups,
            actor_id=actor_id,
            changed=["confidentiality"],
            action=FLAG_SET,
            reason=why,
            document_id=new.id,
            **describe({flag}),
        )
        depart_non_readers(session, case, lookups)  # its documents, the I-589 among them
    elif flag not in after:
        depart_non_readers(session, new, lookups)


def depart_non_readers(session: Session, record: Case | Document, lookups: SessionLookups) -> int:
    """After ``record`` was flagged: the owner of a record it covers (a document's filer, a
    filing's, a motion's...) who is not a reader of it (a withdrawn counsel) holds it in
    their copy from before; a departure addressed to them alone takes it out
    (policy.feed_filter sends them nothing more of it). Returns how many departures were written."""
    rec = SyncRecord
    where: list[ColumnElement[bool]] = [rec.owner_id.is_not(None), rec.deleted.is_(False)]
    if isinstance(record, Case):  # every owned record of the case but an appearance
        where += [rec.case_id == record.id, rec.entity != "representation"]
    else:
        where += [rec.entity == "document", rec.record_id == record.id]
    lookups.forget()
    departed = 0
    for feed in session.scalars(select(rec).where(*where)).all():
        row = session.get(ENTITY_TABLES[feed.entity], feed.record_id)
        user = session.get(UserRow, feed.owner_id)
        if row is None or user is None:
            continue
        flags = owned_record_flags(row_to_record(feed.entity, row), lookups)
        principal = principal_of(user)
        if flagged_read_refusal(principal, flags, feed.case_id, lookups) is None:
            continue
        depart_owner(
            session,
            entity=feed.entity,
            record_id=feed.record_id,
            court_id=feed.court_id,
            case_id=feed.case_id,
            owner_id=principal.id,
        )
        departed += 1
    return departed


@dataclass(frozen=True)
class FlaggedRead:
    """A read of bytes that belong to a flagged document: its flags, and why the reader is
    refused (None: they may read)."""

    flags: frozenset[Confidentiality]
    refusal: str | None
    document_id: str


def judge_blob_documents(
    session: Session, principal: Principal, sha256: str
) -> tuple[FlaggedRead | None, bool]:
    """Whether ``principal`` may read the blob ``sha256`` as far as confidentiality goes
    (None: no flagged document holds it), and whether they can see any live document
    holding the bytes: one read of the documents for both questions a download asks.
    Another key to the bytes (the uploader's, a holder's) never opens a flagged document;
    an unflagged document with the same bytes that ``principal`` can see does (the bytes
    are no secret of the flag then)."""
    lookups = SessionLookups(session)
    rows = session.scalars(
        select(DocumentRow).where(DocumentRow.sha256 == sha256, DocumentRow.deleted.is_(False))
    )
    flagged: FlaggedRead | None = None
    seen_any = False
    for row in rows:
        document = row_to_record("document", row)
        assert isinstance(document, Document)
        flags = record_flags(document, lookups)
        seen = can_see(principal, placement_of(document, lookups), lookups)
        seen_any = seen_any or seen
        if not flags:
            if seen:
                return None, True
            continue
        refusal = None if seen else "not a reader of this case"
        refusal = refusal or flagged_read_refusal(principal, flags, document.case_id, lookups)
        if refusal is None:
            return FlaggedRead(flags, None, document.id), True
        flagged = flagged or FlaggedRead(flags, refusal, document.id)
    return flagged, seen_any
