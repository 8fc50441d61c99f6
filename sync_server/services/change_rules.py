"""Domain checks on a pushed change, after the access policy has allowed it.

These say whether the change makes sense for the court (a legal status transition, a
document whose bytes the server holds, parents that exist), not who may make it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from common.enums import CaseStatus
from common.lifecycle import TransitionError, check_status_change
from common.wire import Annotation, Case, Document, WireRecord
from sync_server.models import ENTITY_TABLES, Blob, DocumentRow

# Reference fields of each entity and the entity they name; must exist on the server.
PARENTS: dict[str, dict[str, str]] = {
    "courtroom": {"court_id": "court"},
    "user_profile": {"court_id": "court"},
    "case": {"court_id": "court", "judge_id": "user_profile"},
    "representation": {"case_id": "case", "practitioner_id": "user_profile"},
    "hearing": {"case_id": "case", "courtroom_id": "courtroom", "judge_id": "user_profile"},
    "document": {"case_id": "case", "filer_id": "user_profile"},
    "annotation": {"document_id": "document", "author_id": "user_profile"},
    "order": {"case_id": "case", "judge_id": "user_profile"},
    "filing": {"case_id": "case", "court_id": "court", "filer_id": "user_profile"},
    "service_record": {"case_id": "case", "document_id": "document"},
    "rop_request": {"case_id": "case", "requester_id": "user_profile"},
}

_NEW_CASE_STATUSES = {CaseStatus.OPENED, CaseStatus.PENDING}


def missing_parents(session: Session, record: WireRecord) -> list[str]:
    """Reference fields of ``record`` that name no live record on the server."""
    missing = []
    for field, entity in PARENTS.get(record.entity, {}).items():
        value = getattr(record, field)
        if value is None:
            continue
        row = session.get(ENTITY_TABLES[entity], value)
        if row is None or row.deleted:
            missing.append(f"{field} names no {entity} on the server")
    return missing


def check_change(session: Session, old: WireRecord | None, new: WireRecord) -> str | None:
    """Why ``new`` is not a valid next state of ``old`` (None: a new record), or None."""
    problems = missing_parents(session, new)
    if problems:
        return "; ".join(problems)
    match new:
        case Case():
            return _check_case(old, new)
        case Document():
            if session.get(Blob, new.sha256) is None:
                return f"missing_blobs: upload the document's bytes ({new.sha256}) first"
        case Annotation():
            doc = session.get(DocumentRow, new.document_id)
            if doc is not None and doc.sha256 != new.document_sha256:
                return "the annotation was made on other bytes than the document's"
    return None


def _check_case(old: WireRecord | None, new: Case) -> str | None:
    if old is None:
        if new.status not in _NEW_CASE_STATUSES:
            return "a new case starts as opened (by a notice to appear) or pending"
        return None
    assert isinstance(old, Case)
    if old.a_number != new.a_number:
        return "a case's A-number can't be changed"
    try:
        check_status_change(old.status, new.status)
    except TransitionError as err:
        return str(err)
    return None
