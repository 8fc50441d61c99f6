"""Service on the parties, as the server makes it: who is served with what the court issues
(:func:`parties_to_serve`, the rules in :mod:`common.service`), the certificate of service
a PDF prints (:func:`certificate_for`) and the ``service_record`` rows that say it was done
(:func:`record_service`). Orders (``services/orders.py``) and notices of hearing use these,
inside the push's write transaction, so a replay serves no one twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.service import (
    CertificateOfService,
    PartyToServe,
    Proceeding,
    certificate_of_service,
    parties_to_serve_from,
)
from common.wire import Address, Case, Court, Representation, ServiceRecord, UserProfile
from sync_server.models import AddressRow, CaseRow, CourtRow, RepresentationRow, UserRow
from sync_server.services import mail_events
from sync_server.services.records import SessionLookups, row_to_record, write_record

__all__ = [
    "PartyToServe",
    "Proceeding",
    "certificate_for",
    "court_date",
    "parties_to_serve",
    "record_service",
]


def _case_and_court(session: Session, case_id: str) -> tuple[Case, Court | None]:
    row = session.get(CaseRow, case_id)
    if row is None or row.deleted:
        raise LookupError(f"no case {case_id}")
    case = row_to_record("case", row)
    assert isinstance(case, Case)
    court_row = session.get(CourtRow, row.court_id)
    court = row_to_record("court", court_row) if court_row is not None else None
    assert court is None or isinstance(court, Court)
    return case, court


def court_date(court: Court | None, moment: datetime) -> date:
    """The calendar date of ``moment`` at the court (its time zone): the date a person
    reads on a certificate of service or a notice."""
    return moment.astimezone(ZoneInfo(court.timezone)).date() if court else moment.date()


def parties_to_serve(
    session: Session, case_id: str, *, proceeding: Proceeding, on: date | None = None
) -> list[PartyToServe]:
    """Who the court serves in ``case_id`` with an act of ``proceeding`` on ``on`` (the
    court-local date of service; None: the latest address known): counsel of record whose
    accepted EOIR-28 covers the proceeding, else the respondent by mail at the address of
    record (in care of the custodial officer while detained); DHS always. ``LookupError``
    when the case does not exist."""
    case, court = _case_and_court(session, case_id)
    # The respondent's proceedings joined to this one (a bond case and its removal case):
    # an appearance in either covers this case's proceeding by its scope.
    joined = [case.id]
    if case.removal_case_id is not None:
        joined.append(case.removal_case_id)
    joined.extend(
        session.scalars(
            select(CaseRow.id).where(CaseRow.removal_case_id == case.id, CaseRow.deleted.is_(False))
        )
    )
    appearances = [
        row_to_record("representation", r)
        for r in session.scalars(
            select(RepresentationRow).where(
                RepresentationRow.case_id.in_(joined), RepresentationRow.deleted.is_(False)
            )
        )
    ]
    wanted = {a.practitioner_id for a in appearances if isinstance(a, Representation)}
    users = {
        u.id: row_to_record("user_profile", u)
        for u in session.scalars(select(UserRow).where(UserRow.id.in_(wanted)))
    }
    addresses = [
        row_to_record("address", r)
        for r in session.scalars(
            select(AddressRow).where(AddressRow.case_id.in_(joined), AddressRow.deleted.is_(False))
        )
    ]
    return parties_to_serve_from(
        case,
        court,
        [a for a in appearances if isinstance(a, Representation)],
        {k: u for k, u in users.items() if isinstance(u, UserProfile)},
        [a for a in addresses if isinstance(a, Address)],
        proceeding=proceeding,
        on=on,
        linked_case_ids=joined[1:],
    )


def certificate_for(
    session: Session, case_id: str, *, proceeding: Proceeding, served_at: datetime
) -> CertificateOfService:
    """The certificate of service of an act of ``proceeding`` served at ``served_at``
    (UTC): the parties as :func:`parties_to_serve` names them on that day at the court."""
    _, court = _case_and_court(session, case_id)
    day = court_date(court, served_at)
    parties = parties_to_serve(session, case_id, proceeding=proceeding, on=day)
    name = court.name if court is not None else "the immigration court"
    return certificate_of_service(parties, court_name=name, served_on=day)


def record_service(
    session: Session,
    certificate: CertificateOfService,
    *,
    case_id: str,
    document_id: str,
    served_at: datetime,
    record_id: Callable[[PartyToServe], str],
    lookups: SessionLookups,
    hearing_at: datetime | None = None,
) -> list[ServiceRecord]:
    """Write one ``service_record`` per party of ``certificate`` for ``document_id``.
    ``record_id`` derives each id from what is served (e.g. from the order's id), so the
    same act served again names the same records instead of adding others. A respondent
    with no address of record gets none: nothing was sent (the certificate says so).
    ``hearing_at`` is the hearing a notice of hearing sets (its time goes in the mail)."""
    written = []
    for party in certificate.parties:
        if party.unreachable:
            continue
        record = ServiceRecord(
            id=record_id(party),
            case_id=case_id,
            document_id=document_id,
            party=party.party,
            recipient_id=party.recipient_id,
            method=party.method.value,
            served_at=served_at,
            address_id=party.address_id,
        )
        write_record(session, record, lookups=lookups)
        # In this transaction (the outbox).
        mail_events.document_served(session, record, hearing_at=hearing_at)
        written.append(record)
    return written
