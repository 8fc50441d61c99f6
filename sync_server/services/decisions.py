"""What a recorded decision does on the server: the case's status follows it.

A decision reaches the server as a pushed ``decision`` record from the judge's desktop.
:func:`apply_decision` runs in that push's savepoint, after its checks (``change_rules``):
the case moves by the lifecycle's event for the completion
(``common.lifecycle.status_after_decision``: decided, administratively closed, or pending
at a new court) and, when decided, takes the decision's date as its ``decided_on``. The case
and the decision commit together or not at all, and the desktop never sends the case's
status itself, so the two can't disagree.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from common.enums import CaseStatus
from common.lifecycle import TransitionError, status_after_decision
from common.wire import Case, DecisionRecord, WireRecord
from sync_server.models import CaseRow
from sync_server.services.records import SessionLookups, row_to_record, write_consequence


def apply_decision(
    session: Session,
    old: WireRecord | None,
    new: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> None:
    """When ``new`` is a decision just recorded, move its case's status (in the caller's
    transaction). Nothing for other records."""
    if not isinstance(new, DecisionRecord) or old is not None:
        return
    row = session.get(CaseRow, new.case_id)
    case = row_to_record("case", row) if row is not None else None
    if not isinstance(case, Case):
        return
    try:
        status = status_after_decision(case.status, new.completion)
    except TransitionError:  # change_rules refused it already; nothing to move
        return
    update: dict[str, object] = {"status": status}
    if status is CaseStatus.DECIDED:
        update["decided_on"] = new.decided_on
    moved = case.model_copy(update=update)
    if moved == case:
        return
    write_consequence(
        session,
        moved,
        lookups,
        actor_id=actor_id,
        changed=sorted(update),
        decision_id=new.id,
    )
