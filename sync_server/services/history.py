"""A case's history, read from the audit trail: who changed what in the case, and who
opened its documents (not a client's background download ahead of a hearing, audited with
the purpose ``prefetch``), oldest first.

An entry's ``at`` is the server's clock when it received the change (the audit entry's
time), never a time the sending computer claimed. When a change brings a signature or
filing time that differs from it by more than the clock tolerance (work done offline and
sent later), the summary names that time too, as the sender's clock gave it, on the
court's clock (its zone named) like every time a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.board_decisions import DECISION_TEMPLATE as BOARD_DECISION_TEMPLATE
from common.court_time import court_zone, table_datetime
from sync_server.models import ENTITY_TABLES, AuditEntry, CaseRow, CourtRow, DocumentRow, UserRow
from sync_server.services.change_rules import ACT_TIMES, clock_tolerance

# Records that belong to a case, by the column naming it: every entity table with a
# ``case_id`` (derived, so a new kind of case record can't be left out of the history).
# Annotations name a document, not the case, and stay out: they are their authors' notes.
_CASE_CHILDREN = tuple(sorted(e for e, t in ENTITY_TABLES.items() if hasattr(t, "case_id")))
_ACTIONS = {
    "record.create": "created",
    "record.update": "changed",
    "record.delete": "deleted",
    "board_decision.issue": "issued",  # the Board's decision, served on the parties
}
_BATCH = 500


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    entity: str
    record_id: str
    summary: str

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "entity": self.entity,
            "record_id": self.record_id,
            "summary": self.summary,
        }


def _case_record_ids(session: Session, case_id: str) -> dict[str, str]:
    """Record id -> entity for the case and everything filed or scheduled in it."""
    ids = {case_id: "case"}
    for entity in _CASE_CHILDREN:
        table = ENTITY_TABLES[entity]
        column = table.case_id  # type: ignore[attr-defined]
        ids.update(
            {rid: entity for rid in session.scalars(select(table.id).where(column == case_id))}
        )
    return ids


def _entries(session: Session, keys: list[str]) -> list[AuditEntry]:
    found: list[AuditEntry] = []
    for start in range(0, len(keys), _BATCH):
        found += session.scalars(
            select(AuditEntry).where(AuditEntry.record_id.in_(keys[start : start + _BATCH]))
        )
    return sorted(found, key=lambda e: e.seq)


def _boards_deliberation(entry: AuditEntry, detail: dict[str, Any]) -> bool:
    """The Board's work before its decision issues (the assignment, the draft, the votes):
    the history's readers are the court's and EOIR staff, who read the decision once issued
    (``policy.Audience.BOARD``); its issue stays in the history."""
    if entry.entity == "board_vote":
        return True
    if entry.entity == "board_decision":
        return entry.action != "board_decision.issue"
    if entry.entity == "order" and entry.action != "order.issue":
        data = detail.get("data")
        return isinstance(data, dict) and data.get("template") == BOARD_DECISION_TEMPLATE
    return False


def case_history(session: Session, case_id: str) -> list[HistoryEntry]:
    """The case's audit entries, as people read them."""
    case = session.get(CaseRow, case_id)
    if case is None:
        return []
    zone = court_zone(session.get(CourtRow, case.court_id))
    records = _case_record_ids(session, case_id)
    titles = dict(
        session.execute(
            select(DocumentRow.sha256, DocumentRow.title).where(DocumentRow.case_id == case_id)
        ).all()
    )
    entries = _entries(session, [*records, *titles])
    names = dict(
        session.execute(
            select(UserRow.id, UserRow.display_name).where(
                UserRow.id.in_({e.actor_id for e in entries if e.actor_id})
            )
        ).all()
    )
    tolerance = clock_tolerance(session)
    out = []
    for e in entries:
        actor = names.get(e.actor_id or "", "the system")
        if e.action == "document.read":
            if isinstance(e.detail, dict) and e.detail.get("purpose") == "prefetch":
                continue  # a download ahead of a hearing, not a reading
            out.append(
                HistoryEntry(
                    e.at,
                    actor,
                    "read",
                    "document",
                    e.record_id or "",
                    f"opened “{titles.get(e.record_id or '', 'a document')}”",
                )
            )
            continue
        detail = e.detail if isinstance(e.detail, dict) else {}
        if _boards_deliberation(e, detail):
            continue
        if e.action == "notice.issue":  # the court's notice a scheduling change served
            title = detail.get("title", "a notice of hearing")
            out.append(
                HistoryEntry(
                    e.at, actor, "issued", "document", e.record_id or "", f"issued “{title}”"
                )
            )
            continue
        entity = e.entity or records.get(e.record_id or "", "record")
        verb = _ACTIONS.get(e.action, e.action)
        summary = f"{verb} the {entity.replace('_', ' ')}"
        changed = detail.get("changed")
        if verb == "changed" and isinstance(changed, list) and changed:
            summary += ": " + ", ".join(str(f).replace("_", " ") for f in changed)
        if verb in ("created", "changed"):
            summary += _sender_times(e.at, entity, detail, tolerance, zone)
        out.append(HistoryEntry(e.at, actor, verb, entity, e.record_id or "", summary))
    return out


def _sender_times(
    received: datetime, entity: str, detail: dict[str, Any], tolerance: timedelta, zone: tzinfo
) -> str:
    """The signature or filing times the change brought, where they differ from when the
    server received it by more than ``tolerance``, on the court's clock (``zone``); ""
    when none do."""
    data, changed = detail.get("data"), detail.get("changed")
    if not isinstance(data, dict):
        return ""
    notes = []
    for field, label in ACT_TIMES.get(entity, {}).items():
        raw = data.get(field)
        if not isinstance(raw, str) or (isinstance(changed, list) and field not in changed):
            continue
        try:
            claimed = datetime.fromisoformat(raw)
        except ValueError:
            continue
        if claimed.tzinfo is not None and abs(claimed - received) > tolerance:
            shown = table_datetime(claimed, zone)
            notes.append(f"{label} by the sender's clock: {shown}")
    return "".join(f"; {note}" for note in notes)
