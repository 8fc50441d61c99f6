"""Linking a bond case to the removal case it belongs to.

The court may hear a custody redetermination before DHS files the notice to appear (8 CFR
1003.19(c)-(d); ICPM 9.3): the bond case then stands alone. When the notice to appear
opens the removal case, every bond case of the same respondent (A-number) that names no
removal case yet is linked to it (``case.removal_case_id``), in the same savepoint as the
new case, whichever way the notice came (a DHS push or the portal). The clerk may make or
correct a link later by pushing the bond case.

A link changes who reads what (``policy.court_appearances``): counsel for all proceedings
in one of the two cases now reads the other too, and the scope key of each practitioner it
touches changes, so their next pull starts again from zero with ``reset``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.enums import CaseType
from common.wire import Case, WireRecord
from sync_server.models import CaseRow
from sync_server.services.records import SessionLookups, row_to_record, write_consequence

REASON = "the notice to appear opened the removal case this bond case belongs to"


def link_bond_cases(
    session: Session,
    old: WireRecord | None,
    new: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> list[str]:
    """After ``new`` (a case just opened, ``old`` None) was written: link the respondent's
    unlinked bond cases to it when it is a removal-type case. Returns the ids linked."""
    if old is not None or not isinstance(new, Case) or new.case_type is CaseType.BOND:
        return []
    rows = session.scalars(
        select(CaseRow)
        .where(
            CaseRow.a_number == new.a_number,
            CaseRow.case_type == CaseType.BOND.value,
            CaseRow.removal_case_id.is_(None),
            CaseRow.deleted.is_(False),
            CaseRow.id != new.id,
        )
        .order_by(CaseRow.version)
    ).all()
    linked = []
    for row in rows:
        bond_case = row_to_record("case", row)
        assert isinstance(bond_case, Case)
        bond_case = bond_case.model_copy(update={"removal_case_id": new.id})
        write_consequence(
            session,
            bond_case,
            lookups,
            actor_id=actor_id,
            changed=["removal_case_id"],
            reason=REASON,
        )
        linked.append(bond_case.id)
    return linked
