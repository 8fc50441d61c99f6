"""What a recorded custody change does on the server: the case's ``custody`` follows it, and
a detention or transfer makes the facility the address of record.

A custody change reaches the server as a pushed ``custody_change`` record (DHS's push, or
the clerk recording DHS's Form I-830). :func:`apply_custody_change` runs in that push's
savepoint, after the change's checks (``change_rules``), as an accepted EOIR-33 joins the
address history: the case and the address entry commit with the change or not at all. The
address entry's id is derived from the change's, so a replayed push records it once.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.custody import current_custody, facility_address
from common.enums import Custody
from common.wire import Case, CustodyChange, WireRecord
from sync_server.models import AddressRow, CaseRow, CustodyChangeRow
from sync_server.models.types import utcnow
from sync_server.services.records import SessionLookups, row_to_record, write_consequence


def apply_custody_change(
    session: Session,
    old: WireRecord | None,
    new: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> None:
    """When ``new`` is a custody change just recorded, bring the case's custody in line
    with the latest entry of its history and, for a facility, record the facility's
    address (in the caller's transaction). Nothing for other records."""
    if not isinstance(new, CustodyChange) or old is not None:
        return
    case_row = session.get(CaseRow, new.case_id)
    case = row_to_record("case", case_row) if case_row is not None else None
    if not isinstance(case, Case):
        return
    rows = session.scalars(
        select(CustodyChangeRow).where(
            CustodyChangeRow.case_id == new.case_id, CustodyChangeRow.deleted.is_(False)
        )
    )
    changes = [row_to_record("custody_change", r) for r in rows]
    now = current_custody(case.custody, [c for c in changes if isinstance(c, CustodyChange)])
    if now.custody is not case.custody:
        moved = case.model_copy(update={"custody": now.custody})
        write_consequence(
            session,
            moved,
            lookups,
            actor_id=actor_id,
            changed=["custody"],
            custody_change_id=new.id,
        )
    address = facility_address(new, utcnow())
    if address is None or now.custody is not Custody.DETAINED:
        return
    if session.get(AddressRow, address.id) is not None:
        return  # already recorded
    write_consequence(
        session,
        address,
        lookups,
        actor_id=actor_id,
        action="address.record",
        custody_change_id=new.id,
    )
