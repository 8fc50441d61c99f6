"""Typed tables of the synced entities (the wire names of common/wire.py, docs/DOMAIN.md).

Each table has the columns of its wire schema (``common.wire``) plus ``version`` and
``deleted``; :mod:`sync_server.services.records` converts between the two.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.folding import fold
from sync_server.db import Base
from sync_server.models.types import UTCDateTime, utcnow

ID = String(36)


class Synced:
    """Columns every synced record has."""

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CourtRow(Synced, Base):
    __tablename__ = "court"
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="immigration_court")


class CourtroomRow(Synced, Base):
    __tablename__ = "courtroom"
    court_id: Mapped[str] = mapped_column(ForeignKey("court.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    video_capable: Mapped[bool] = mapped_column(Boolean, default=False)


class UserRow(Synced, Base):
    """A person who signs in; synced to others as ``user_profile`` (no secrets)."""

    __tablename__ = "user_profile"
    username: Mapped[str] = mapped_column(String(150), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    court_id: Mapped[str | None] = mapped_column(ForeignKey("court.id"), index=True)
    eoir_id: Mapped[str | None] = mapped_column(String(20), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    temporary: Mapped[bool] = mapped_column(Boolean, default=False)
    # Not synced: credentials and the DHS user's assigned courts.
    password_hash: Mapped[str] = mapped_column(String(255))
    assigned_court_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaseRow(Synced, Base):
    __tablename__ = "case"
    a_number: Mapped[str] = mapped_column(String(9), index=True)
    court_id: Mapped[str] = mapped_column(ForeignKey("court.id"), index=True)
    judge_id: Mapped[str | None] = mapped_column(ForeignKey("user_profile.id"), index=True)
    case_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40))
    custody: Mapped[str] = mapped_column(String(20))
    respondent_first_name: Mapped[str] = mapped_column(String(200))
    respondent_last_name: Mapped[str] = mapped_column(String(200), index=True)
    nationality: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    charges: Mapped[list[str]] = mapped_column(JSON, default=list)
    nta_served_on: Mapped[date | None] = mapped_column(Date)
    opened_on: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    # A bond case's removal case (no foreign key, so adding it never rebuilds the table).
    removal_case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # A rider's lead case (a family heard together); no foreign key, as removal_case_id.
    lead_case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # "last first", folded (common.folding), for the portal's search that ignores case and
    # accents; set from the names on every ORM write (below). Not part of the wire record.
    respondent_name_folded: Mapped[str | None] = mapped_column(String(401))
    # Confidentiality flags (common.enums.Confidentiality; migration 0032).
    confidentiality: Mapped[list[str]] = mapped_column(JSON, default=list)

    __table_args__ = (
        # The portal's case list: a court's cases, newest first (issue 16).
        Index("ix_case_court_opened", "court_id", "opened_on"),
        # ... and its count ("Cases 1-200 of N"): the live cases of a court, read from the
        # index alone (migration 0031; 149 -> 5.5 ms for 61,020 cases at 1,000,000).
        Index(
            "ix_case_court_live",
            "court_id",
            postgresql_where=text("deleted IS false"),
            sqlite_where=text("deleted IS false"),
        ),
        # Search by folded name (``LIKE '%term%'``): trigram on PostgreSQL (migration 0025).
        Index(
            "ix_case_name_folded_trgm",
            "respondent_name_folded",
            postgresql_using="gin",
            postgresql_ops={"respondent_name_folded": "gin_trgm_ops"},
        ),
        # ... and DHS's search of its courts' cases by name: the court and the name's
        # trigrams in one GIN index (btree_gin; migration 0037: 0.9 s -> 24 ms for a
        # three-letter term in a court of 244,706 cases at 4,000,000).
        Index(
            "ix_case_court_name_trgm",
            "court_id",
            "respondent_name_folded",
            postgresql_using="gin",
            postgresql_ops={"respondent_name_folded": "gin_trgm_ops"},
            postgresql_where=text("deleted IS false"),
            sqlite_where=text("deleted IS false"),
        ),
        # The portal's search by name or A-number (``ILIKE '%term%'``): trigram indexes on
        # PostgreSQL (pg_trgm; migration 0023); elsewhere plain ones.
        Index(
            "ix_case_last_name_trgm",
            "respondent_last_name",
            postgresql_using="gin",
            postgresql_ops={"respondent_last_name": "gin_trgm_ops"},
        ),
        Index(
            "ix_case_a_number_trgm",
            "a_number",
            postgresql_using="gin",
            postgresql_ops={"a_number": "gin_trgm_ops"},
        ),
    )


def folded_respondent_name(last_name: str | None, first_name: str | None) -> str:
    """The stored search key of a respondent's name: "last first", folded."""
    return fold(f"{last_name or ''} {first_name or ''}".strip())


@event.listens_for(CaseRow, "before_insert")
@event.listens_for(CaseRow, "before_update")
def _fold_respondent_name(_mapper: Any, _connection: Any, row: CaseRow) -> None:
    row.respondent_name_folded = folded_respondent_name(
        row.respondent_last_name, row.respondent_first_name
    )


class RepresentationRow(Synced, Base):
    __tablename__ = "representation"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    practitioner_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    form: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(40))
    primary: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(20))
    accepted_on: Mapped[date | None] = mapped_column(Date)
    # How it ended (withdrawn or substituted with the court's leave); ids without foreign
    # keys, so adding them never rebuilds the table (a motion is not a table yet).
    ended_on: Mapped[date | None] = mapped_column(Date)
    leave_by: Mapped[str | None] = mapped_column(String(36))
    motion_id: Mapped[str | None] = mapped_column(String(36))
    successor_id: Mapped[str | None] = mapped_column(String(36))


class HearingRow(Synced, Base):
    __tablename__ = "hearing"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    courtroom_id: Mapped[str | None] = mapped_column(ForeignKey("courtroom.id"), index=True)
    judge_id: Mapped[str | None] = mapped_column(ForeignKey("user_profile.id"), index=True)
    hearing_type: Mapped[str] = mapped_column(String(20))
    medium: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    status: Mapped[str] = mapped_column(String(20))
    adjournment_code: Mapped[str | None] = mapped_column(String(4))
    interpreter_language: Mapped[str | None] = mapped_column(String(200))
    interpreter_dialect: Mapped[str | None] = mapped_column(String(80))
    interpreter_medium: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(Text)


class DocumentRow(Synced, Base):
    __tablename__ = "document"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    filer_id: Mapped[str | None] = mapped_column(ForeignKey("user_profile.id"))
    filer_party: Mapped[str] = mapped_column(String(20))
    filed_on: Mapped[date] = mapped_column(Date)
    pages: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    filing_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # Confidentiality flags (common.enums.Confidentiality; migration 0032).
    confidentiality: Mapped[list[str]] = mapped_column(JSON, default=list)


class AnnotationRow(Synced, Base):
    __tablename__ = "annotation"
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    visibility: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    page: Mapped[int] = mapped_column(Integer)
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)
    color: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OrderRow(Synced, Base):
    __tablename__ = "order"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    judge_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    template: Mapped[str] = mapped_column(String(80))
    template_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    body: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by: Mapped[str | None] = mapped_column(String(36))
    document_id: Mapped[str | None] = mapped_column(String(36))
    corrects_order_id: Mapped[str | None] = mapped_column(String(36))


class FilingRow(Synced, Base):
    __tablename__ = "filing"
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case.id"), index=True)
    court_id: Mapped[str] = mapped_column(ForeignKey("court.id"), index=True)
    filer_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lead_document_id: Mapped[str | None] = mapped_column(String(36))
    attachment_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reviewed_by: Mapped[str | None] = mapped_column(String(36))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(String(200))


class ServiceRecordRow(Synced, Base):
    __tablename__ = "service_record"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"))
    party: Mapped[str] = mapped_column(String(20))
    recipient_id: Mapped[str | None] = mapped_column(String(36))
    method: Mapped[str] = mapped_column(String(40))
    served_at: Mapped[datetime] = mapped_column(UTCDateTime)
    address_id: Mapped[str | None] = mapped_column(String(36))


class RopRequestRow(Synced, Base):
    __tablename__ = "rop_request"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    requester_id: Mapped[str] = mapped_column(ForeignKey("user_profile.id"))
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    result_pages: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(200))


class AdjournmentCodeRow(Synced, Base):
    __tablename__ = "adjournment_code"
    code: Mapped[str] = mapped_column(String(4), unique=True)
    description: Mapped[str] = mapped_column(String(200))
    clock_effect: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AddressRow(Synced, Base):
    __tablename__ = "address"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    street: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(200), default="")
    zip: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(200))
    in_care_of: Mapped[str | None] = mapped_column(String(200))
    effective_on: Mapped[date] = mapped_column(Date)
    source_filing_id: Mapped[str | None] = mapped_column(String(36))
    source_document_id: Mapped[str | None] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BondRow(Synced, Base):
    __tablename__ = "bond"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    dhs_determination: Mapped[str] = mapped_column(String(20))
    dhs_amount: Mapped[int | None] = mapped_column(BigInteger)
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(20))
    requester_id: Mapped[str | None] = mapped_column(String(36))
    requested_amount: Mapped[int | None] = mapped_column(BigInteger)
    prior_bond_id: Mapped[str | None] = mapped_column(String(36))
    changed_circumstances: Mapped[str] = mapped_column(Text, default="")
    hearing_id: Mapped[str | None] = mapped_column(String(36))
    outcome: Mapped[str | None] = mapped_column(String(20))
    amount: Mapped[int | None] = mapped_column(BigInteger)
    decided_on: Mapped[date | None] = mapped_column(Date)
    judge_id: Mapped[str | None] = mapped_column(String(36))
    stay_filed_on: Mapped[date | None] = mapped_column(Date)
    dhs_appeal_filed_on: Mapped[date | None] = mapped_column(Date)


class CustodyChangeRow(Synced, Base):
    __tablename__ = "custody_change"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    event: Mapped[str] = mapped_column(String(20))
    facility_code: Mapped[str | None] = mapped_column(String(40))
    effective_on: Mapped[date] = mapped_column(Date)
    source_document_id: Mapped[str | None] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AppealRow(Synced, Base):
    __tablename__ = "appeal"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    filer_id: Mapped[str] = mapped_column(String(36))
    appellant: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    decision_order_id: Mapped[str | None] = mapped_column(String(36))
    decision_date: Mapped[date] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(Text)
    separate_brief: Mapped[bool] = mapped_column(Boolean, default=False)
    oral_argument: Mapped[bool] = mapped_column(Boolean, default=False)
    detained: Mapped[bool] = mapped_column(Boolean, default=False)
    fee: Mapped[str] = mapped_column(String(20))
    fee_receipt: Mapped[str | None] = mapped_column(String(40))
    fee_waiver_document_id: Mapped[str | None] = mapped_column(String(36))
    eoir27_filing_id: Mapped[str | None] = mapped_column(String(36))
    lead_document_id: Mapped[str | None] = mapped_column(String(36))
    proof_of_service: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_by_name: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    appeal_waived: Mapped[bool] = mapped_column(Boolean, default=False)
    rejection_code: Mapped[str | None] = mapped_column(String(40))
    rejection_note: Mapped[str | None] = mapped_column(String(200))
    reviewed_by: Mapped[str | None] = mapped_column(String(36))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    docketed_on: Mapped[date | None] = mapped_column(Date)
    transcript_status: Mapped[str] = mapped_column(String(20), default="not_ordered")
    transcript_document_id: Mapped[str | None] = mapped_column(String(36))
    briefing_issued_on: Mapped[date | None] = mapped_column(Date)
    appellant_brief_due: Mapped[date | None] = mapped_column(Date)
    appellee_brief_due: Mapped[date | None] = mapped_column(Date)
    appellant_extension: Mapped[str] = mapped_column(String(20), default="none")
    appellant_extension_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appellant_extension_decided_on: Mapped[date | None] = mapped_column(Date)
    appellee_extension: Mapped[str] = mapped_column(String(20), default="none")
    appellee_extension_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appellee_extension_decided_on: Mapped[date | None] = mapped_column(Date)
    appellant_brief_document_id: Mapped[str | None] = mapped_column(String(36))
    appellant_brief_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appellant_brief_late: Mapped[bool] = mapped_column(Boolean, default=False)
    appellee_brief_document_id: Mapped[str | None] = mapped_column(String(36))
    appellee_brief_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appellee_brief_late: Mapped[bool] = mapped_column(Boolean, default=False)


class MotionRow(Synced, Base):
    __tablename__ = "motion"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    motion_type: Mapped[str] = mapped_column(String(30))
    movant: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(200))
    filed_on: Mapped[date] = mapped_column(Date)
    filer_id: Mapped[str] = mapped_column(String(36))
    filing_id: Mapped[str | None] = mapped_column(String(36))
    document_id: Mapped[str | None] = mapped_column(String(36))
    other_party_position: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    ruling: Mapped[str | None] = mapped_column(String(30))
    ruling_reason: Mapped[str | None] = mapped_column(String(200))
    limit_exception: Mapped[str | None] = mapped_column(String(40))
    ruled_on: Mapped[date | None] = mapped_column(Date)
    ruled_by: Mapped[str | None] = mapped_column(String(36))
    order_id: Mapped[str | None] = mapped_column(String(36))
    before_board: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)


class PleadingRow(Synced, Base):
    __tablename__ = "pleading"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    hearing_id: Mapped[str | None] = mapped_column(String(36))
    judge_id: Mapped[str] = mapped_column(String(36))
    pleaded_on: Mapped[date] = mapped_column(Date)
    allegations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    charges: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    designated_country: Mapped[str | None] = mapped_column(String(200))
    designation_declined: Mapped[bool] = mapped_column(Boolean, default=False)
    relief_sought: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DecisionRow(Synced, Base):
    __tablename__ = "decision"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    hearing_id: Mapped[str | None] = mapped_column(String(36))
    judge_id: Mapped[str] = mapped_column(String(36))
    form: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date)
    served_on: Mapped[date | None] = mapped_column(Date)
    completion: Mapped[str] = mapped_column(String(40))
    relief_granted: Mapped[list[str]] = mapped_column(JSON, default=list)
    removal_country: Mapped[str | None] = mapped_column(String(200))
    respondent_present: Mapped[bool | None] = mapped_column(Boolean)
    appeal_reserved_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    appeal_waived_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BoardDecisionRow(Synced, Base):
    __tablename__ = "board_decision"
    appeal_id: Mapped[str] = mapped_column(ForeignKey("appeal.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    panel: Mapped[bool] = mapped_column(Boolean, default=False)
    member_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    author_id: Mapped[str] = mapped_column(String(36))
    assigned_by: Mapped[str] = mapped_column(String(36))
    assigned_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))
    order_id: Mapped[str | None] = mapped_column(String(36), index=True)
    issued_on: Mapped[date | None] = mapped_column(Date)


class BoardVoteRow(Synced, Base):
    __tablename__ = "board_vote"
    board_decision_id: Mapped[str] = mapped_column(ForeignKey("board_decision.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    member_id: Mapped[str] = mapped_column(String(36))
    order_id: Mapped[str] = mapped_column(String(36))
    vote: Mapped[str] = mapped_column(String(20))
    opinion: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)


ENTITY_TABLES: dict[str, type[Synced]] = {
    "court": CourtRow,
    "courtroom": CourtroomRow,
    "user_profile": UserRow,
    "case": CaseRow,
    "representation": RepresentationRow,
    "hearing": HearingRow,
    "document": DocumentRow,
    "annotation": AnnotationRow,
    "order": OrderRow,
    "filing": FilingRow,
    "service_record": ServiceRecordRow,
    "rop_request": RopRequestRow,
    "adjournment_code": AdjournmentCodeRow,
    "address": AddressRow,
    "custody_change": CustodyChangeRow,
    "bond": BondRow,
    "motion": MotionRow,
    "appeal": AppealRow,
    "pleading": PleadingRow,
    "decision": DecisionRow,
    "board_decision": BoardDecisionRow,
    "board_vote": BoardVoteRow,
}
