"""Entries of the respondent's address history that the server makes itself.

Two sources reach the server as other records: the notice to appear that opens a case (its
address, or the detention facility, written with the case through the portal) and a change
of address (EOIR-33) the clerk accepts. Accepting is a pushed ``filing`` going from
``pending`` to ``accepted``; :func:`record_accepted_change_of_address` runs in that push's
savepoint, as an order's issue does, and names the entry by an id derived from the
filing's, so a replayed push, or the same acceptance arriving twice, records it once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from common.enums import AddressKind, Custody, FilingKind, FilingStatus
from common.forms_eoir import ChangeOfAddressForm, NoticeToAppearForm, field_errors
from common.service import service_wording
from common.wire import Address, Case, Filing, WireRecord
from sync_server.models import AddressRow
from sync_server.models.types import utcnow
from sync_server.services import audit
from sync_server.services.records import SessionLookups, write_record

_NAMESPACE = uuid.UUID("0b4f3a52-8d7e-4c1a-9e55-2f6d7c8b9a10")


def address_id_for(filing_id: str) -> str:
    """The id of the entry a filing records: one filing, one entry, however often sent."""
    return str(uuid.uuid5(_NAMESPACE, f"address/{filing_id}"))


def nta_address(
    case: Case,
    form: NoticeToAppearForm,
    *,
    filing_id: str,
    document_id: str | None,
    recorded_at: datetime,
) -> Address | None:
    """The first entry of the history, from the notice to appear (None: it gave no
    address). A detained respondent's is the facility, in care of its custodial officer;
    it holds from the day the NTA was served."""
    if not form.has_address:
        return None
    detained = case.custody is Custody.DETAINED
    custodian = None
    if detained:
        custodian = service_wording().facility_custodian.format(facility=form.facility)
    return Address(
        id=address_id_for(filing_id),
        case_id=case.id,
        kind=AddressKind.CUSTODIAL if detained else AddressKind.NTA,
        street=form.respondent_street,
        unit=form.respondent_unit,
        city=form.respondent_city,
        state=form.respondent_state.upper(),
        zip=form.respondent_zip,
        in_care_of=custodian,
        effective_on=form.served_on,
        source_filing_id=filing_id,
        source_document_id=document_id,
        recorded_at=recorded_at,
    )


def change_of_address(filing: Filing, recorded_at: datetime) -> Address:
    """The entry an accepted EOIR-33 makes; ``ValueError`` saying what is wrong when the
    filing's form is not a complete change of address."""
    if filing.case_id is None:
        raise ValueError("the change of address names no case")
    try:
        form = ChangeOfAddressForm.model_validate(filing.form)
    except ValidationError as err:
        wrong = ", ".join(sorted(field_errors(err)))
        raise ValueError(
            f"the change of address is incomplete ({wrong}); reject it with a reason instead"
        ) from err
    return Address(
        id=address_id_for(filing.id),
        case_id=filing.case_id,
        kind=AddressKind.EOIR_33,
        street=form.street,
        unit=form.unit,
        city=form.city,
        state=form.state.upper(),
        zip=form.zip,
        effective_on=form.effective_on,
        source_filing_id=filing.id,
        source_document_id=filing.lead_document_id,
        recorded_at=recorded_at,
    )


def record_accepted_change_of_address(
    session: Session,
    old: WireRecord | None,
    new: WireRecord,
    lookups: SessionLookups,
    *,
    actor_id: str,
) -> Address | None:
    """When ``new`` is a change of address the clerk has just accepted, record it in the
    address history (in the caller's transaction) and return the entry; else None.
    ``ValueError`` when the filing can't be recorded (the push refuses the acceptance)."""
    if not isinstance(new, Filing) or new.kind is not FilingKind.CHANGE_OF_ADDRESS:
        return None
    was_accepted = isinstance(old, Filing) and old.status is FilingStatus.ACCEPTED
    if new.status is not FilingStatus.ACCEPTED or was_accepted:
        return None
    address = change_of_address(new, utcnow())
    if session.get(AddressRow, address.id) is not None:
        return None  # already recorded
    version = write_record(session, address, lookups=lookups)
    audit.append(
        session,
        actor_id=actor_id,
        action="address.record",
        entity="address",
        record_id=address.id,
        detail={
            "version": version,
            "source_filing_id": new.id,
            "data": address.model_dump(mode="json"),
        },
    )
    return address
