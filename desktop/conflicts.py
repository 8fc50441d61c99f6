"""Sync issues as a person reads them: which record, what the server said, and the two
versions side by side, field by field. No Qt here; the conflicts view shows what this
returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from common.anumber import format_a_number
from common.court_time import table_datetime
from desktop.local_schema import SyncIssue

ENTITY_LABELS = {
    "court": "Court",
    "courtroom": "Courtroom",
    "user_profile": "User",
    "case": "Case",
    "representation": "Representation",
    "hearing": "Hearing",
    "document": "Document",
    "annotation": "Annotation",
    "order": "Order",
    "filing": "Filing",
    "service_record": "Service record",
    "rop_request": "ROP request",
    "adjournment_code": "Adjournment code",
    "address": "Address",
    "custody_change": "Custody change",
    "appeal": "Notice of appeal (EOIR-26)",
    "pleading": "Pleading",
    "decision": "Decision",
    "motion": "Motion",
    "board_decision": "Board decision",
    "board_vote": "Board member's vote",
}

FILING_KINDS = {
    "eoir_28": "EOIR-28",
    "eoir_27": "EOIR-27",
    "document": "Document",
    "notice_to_appear": "NTA",
    "change_of_address": "Change of address",
}

# Which entity a reference field points at, so a UUID can be shown as a name.
_REFERENCES = {
    "case_id": "case",
    "court_id": "court",
    "courtroom_id": "courtroom",
    "judge_id": "user_profile",
    "filer_id": "user_profile",
    "practitioner_id": "user_profile",
    "author_id": "user_profile",
    "reviewed_by": "user_profile",
    "signed_by": "user_profile",
    "requester_id": "user_profile",
    "recipient_id": "user_profile",
    "document_id": "document",
    "lead_document_id": "document",
    "filing_id": "filing",
}

_FIELD_LABELS = {
    "a_number": "A-number",
    "starts_at": "Starts at",
    "id": "Record id",
    "sha256": "SHA-256",
    "eoir_id": "EOIR ID",
}

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class RecordSource(Protocol):
    """What a description needs from the local store (a dict-backed fake in tests)."""

    def get(self, entity: str, record_id: str) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class FieldChange:
    """One field of a record in the user's version and the server's (``None`` if absent)."""

    field: str
    mine: Any
    theirs: Any

    @property
    def changed(self) -> bool:
        return bool(self.mine != self.theirs)

    @property
    def label(self) -> str:
        return field_label(self.field)


def field_diff(local: dict[str, Any], server: dict[str, Any]) -> list[FieldChange]:
    """Every field of either version but the id, in the record's own order (server's
    fields first, then any only the user's version has), each with both values."""
    names = [name for name in server if name != "id"]  # the same on both sides, by design
    names += [name for name in local if name not in server and name != "id"]
    return [FieldChange(name, local.get(name), server.get(name)) for name in names]


def field_label(name: str) -> str:
    if name in _FIELD_LABELS:
        return _FIELD_LABELS[name]
    base = name[:-3] if name.endswith("_id") and name in _REFERENCES else name
    return base.replace("_", " ").capitalize()


def _zone(name: object) -> tzinfo | None:
    try:
        return ZoneInfo(str(name)) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def court_zone(source: RecordSource, data: dict[str, Any] | None) -> tzinfo | None:
    """The time zone of the court a record belongs to (through its case), if known."""
    if not data:
        return None
    court_id = data.get("court_id")
    if not court_id and data.get("case_id"):
        case = source.get("case", str(data["case_id"])) or {}
        court_id = case.get("court_id")
    court = source.get("court", str(court_id)) if court_id else None
    return _zone(court.get("timezone")) if court else None


def _local_time(value: str, zone: tzinfo | None) -> str:
    """A wire instant on the court's clock (``zone``; UTC, and so marked, when unknown)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value  # not an instant the wire sends; shown as it came
    return table_datetime(moment, zone)


def format_value(value: Any, zone: tzinfo | None = None) -> str:
    """A value as text for a person: times in the court's zone, yes/no, lists on lines."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and value.islower() and value.replace("_", "").isalpha():
        return field_label(value)  # an enumerated choice: "all_proceedings" -> "All proceedings"
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return _local_time(value, zone)
    if isinstance(value, list):
        return "\n".join(format_value(item, zone) for item in value)
    if isinstance(value, dict):
        return "\n".join(
            f"{field_label(str(k))}: {format_value(v, zone)}" for k, v in value.items()
        )
    return str(value)


def display_value(source: RecordSource, field: str, value: Any, zone: tzinfo | None = None) -> str:
    """Like :func:`format_value`, but a reference to another record shows its name."""
    entity = _REFERENCES.get(field)
    if entity and isinstance(value, str) and value:
        if entity == "user_profile":
            user = source.get(entity, value)
            if user and user.get("display_name"):
                return str(user["display_name"])
        elif entity in ("court", "courtroom"):
            named = source.get(entity, value)
            if named and named.get("name"):
                return str(named["name"])
        elif source.get(entity, value) is not None:
            return describe_record(source, entity, value)
    if field == "a_number" and isinstance(value, str) and len(value) == 9:
        return format_a_number(value)
    return format_value(value, zone)


def _respondent(case: dict[str, Any] | None) -> str:
    if not case:
        return ""
    return (
        f"{str(case.get('respondent_last_name', '')).upper()}, "
        f"{case.get('respondent_first_name', '')}"
    )


def describe_record(
    source: RecordSource, entity: str, record_id: str, data: dict[str, Any] | None = None
) -> str:
    """A readable name for a record, e.g. "Hearing of NÚÑEZ, José on 01 Dec 09:00".

    ``data`` stands in when the record is no longer in the store (a refused creation is
    removed); without either, the entity and the start of the id are shown.
    """
    record = source.get(entity, record_id) or data
    fallback = f"{ENTITY_LABELS.get(entity, entity)} {record_id[:8]}"
    if not record:
        return fallback
    case = source.get("case", str(record["case_id"])) if record.get("case_id") else None
    who = _respondent(case)
    if entity == "case":
        return f"Case of {_respondent(record)} ({format_a_number(str(record['a_number']))})"
    if entity == "hearing" and who:
        when = _local_time(str(record.get("starts_at")), court_zone(source, record))
        return f"Hearing of {who} on {when}"
    if entity == "document" and record.get("title"):
        return f"Document “{record['title']}”" + (f" in {who}" if who else "")
    if entity == "filing":
        kind = FILING_KINDS.get(str(record.get("kind")), "Filing")
        return f"{kind} filing" + (f" in {who}" if who else "")
    if entity == "annotation":
        doc = source.get("document", str(record.get("document_id"))) or {}
        page = int(record.get("page") or 0) + 1
        return f"Annotation on “{doc.get('title', 'a document')}”, page {page}"
    if entity in ("order", "representation", "service_record", "rop_request") and who:
        return f"{ENTITY_LABELS[entity]} in {who}"
    for key in ("display_name", "name", "title", "code"):
        if record.get(key):
            return f"{ENTITY_LABELS.get(entity, entity)} {record[key]}"
    return fallback


@dataclass(frozen=True)
class IssueRow:
    """One sync issue, ready to show: labels resolved, both versions and their diff."""

    issue: SyncIssue
    record_label: str
    mine: dict[str, Any] | None
    theirs: dict[str, Any] | None  # None: the server has no such record
    server_deleted: bool
    changes: tuple[FieldChange, ...]
    mine_text: tuple[str, ...]
    theirs_text: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.issue.kind

    @property
    def entity_label(self) -> str:
        return ENTITY_LABELS.get(self.issue.entity, self.issue.entity)

    @property
    def error(self) -> str:
        if self.issue.error:
            return self.issue.error
        return "Changed on the server meanwhile" if self.kind == "conflict" else "Refused"


YOU_DELETED_IT = "(you deleted it)"


def issue_row(source: RecordSource, issue: SyncIssue) -> IssueRow:
    """Read one issue against the store. For a refusal that carried no server record, the
    store's copy (already rolled back) is the server's version."""
    change = issue.server_change or {}
    theirs: dict[str, Any] | None = change.get("data") if change else None
    if theirs is None and issue.kind == "rejected":
        theirs = source.get(issue.entity, issue.record_id)
    mine = issue.local_data
    changes = tuple(field_diff(mine or {}, theirs or {}))
    zone = court_zone(source, theirs or mine)
    label = describe_record(source, issue.entity, issue.record_id, mine)
    return IssueRow(
        issue,
        label,
        mine,
        theirs,
        bool(change.get("deleted")),
        changes,
        tuple(
            YOU_DELETED_IT
            if issue.op == "delete"
            else display_value(source, c.field, c.mine, zone)
            if mine is not None
            else "—"
            for c in changes
        ),
        tuple(
            display_value(source, c.field, c.theirs, zone) if theirs is not None else "—"
            for c in changes
        ),
    )


def load_issue_rows(store: Any) -> list[IssueRow]:
    """Every open issue of ``store`` (a :class:`~desktop.local_store.LocalStore`)."""
    return [issue_row(store, issue) for issue in store.issues()]
