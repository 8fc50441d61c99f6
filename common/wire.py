"""The wire schema of every synced entity, defined once for server and client.

A record travels as ``{entity, id, version, deleted, data}``; ``data`` is one of the models
below dumped in JSON mode. ``version`` and ``deleted`` belong to the envelope, never to
``data``. Unknown fields are refused, so a typo in a client is an error, not a silent drop.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema

from common.annotations import AnnotationKind
from common.anumber import parse_a_number
from common.enums import (
    AddressKind,
    AppealFee,
    AppealStatus,
    AppearanceScope,
    BoardDecisionStatus,
    BoardOutcome,
    BoardVoteChoice,
    BondDetermination,
    BondOutcome,
    BriefExtension,
    CaseStatus,
    CaseType,
    ClockEffect,
    CompletionType,
    Confidentiality,
    CourtKind,
    Custody,
    CustodyEvent,
    DecisionForm,
    DocumentStatus,
    DocumentType,
    FilingKind,
    FilingStatus,
    HearingStatus,
    HearingType,
    Medium,
    MotionRuling,
    MotionStatus,
    MotionType,
    Movant,
    OrderStatus,
    OtherPartyPosition,
    Party,
    Plea,
    RepresentationStatus,
    Role,
    RopRequestStatus,
    TranscriptStatus,
    Visibility,
)

# What the OpenAPI document says, and exactly what the validators below accept: ASCII
# only (``uuid.UUID`` alone would also take braces, a "urn:uuid:" prefix, a sign, stray
# hyphens and other scripts' digits: Arabic-Indic U+0660 for 0).
UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
SHA256_PATTERN = "^[0-9a-f]{64}$"
_UUID = re.compile(UUID_PATTERN[1:-1])
_SHA256 = re.compile(SHA256_PATTERN[1:-1])


def _check_uuid(value: str) -> str:
    if _UUID.fullmatch(value) is None:
        raise ValueError("must be a UUID: hexadecimal digits grouped 8-4-4-4-12")
    return value.lower()


def _check_sha256(value: str) -> str:
    if _SHA256.fullmatch(value) is None:
        raise ValueError("must be 64 lowercase hexadecimal characters (a SHA-256 digest)")
    return value


RecordId = Annotated[
    str,
    AfterValidator(_check_uuid),
    WithJsonSchema({"type": "string", "pattern": UUID_PATTERN, "description": "A UUID"}),
]
Sha256 = Annotated[
    str,
    AfterValidator(_check_sha256),
    WithJsonSchema({"type": "string", "pattern": SHA256_PATTERN, "description": "A SHA-256"}),
]
ANumber = Annotated[str, AfterValidator(parse_a_number)]
ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=20_000)]
# Counts and sizes fit a signed 64-bit column on every database, with room to spare.
Count = Annotated[int, Field(ge=0, le=2**53)]

# Strings no longer than the database column that holds them.
Str4 = Annotated[str, Field(max_length=4)]
Str20 = Annotated[str, Field(max_length=20)]
Str40 = Annotated[str, Field(max_length=40)]
Str64 = Annotated[str, Field(max_length=64)]
Str80 = Annotated[str, Field(max_length=80)]
Str150 = Annotated[str, Field(max_length=150)]


class WireRecord(BaseModel):
    """Base of every entity's ``data``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    entity: ClassVar[str]

    id: RecordId


class Court(WireRecord):
    entity: ClassVar[str] = "court"
    code: Annotated[str, Field(min_length=2, max_length=8)]
    name: ShortText
    address: ShortText
    city: ShortText
    state: Annotated[str, Field(min_length=2, max_length=2)]
    timezone: Str64
    # An immigration court, or the Board of Immigration Appeals (one row, code "BIA"):
    # the Board's deadlines are counted on its own clock (its ``timezone``).
    kind: CourtKind = CourtKind.IMMIGRATION_COURT


class Courtroom(WireRecord):
    entity: ClassVar[str] = "courtroom"
    court_id: RecordId
    name: ShortText
    video_capable: bool = False


class UserProfile(WireRecord):
    entity: ClassVar[str] = "user_profile"
    username: Str150
    display_name: ShortText
    role: Role
    court_id: RecordId | None = None
    eoir_id: Str20 | None = None
    active: bool = True
    # A temporary Board member (8 CFR 1003.1(a)(4)): an immigration judge or retired
    # adjudicator designated to sit on the Board for a term.
    temporary: bool = False


class Case(WireRecord):
    entity: ClassVar[str] = "case"
    a_number: ANumber
    court_id: RecordId
    judge_id: RecordId | None = None
    case_type: CaseType
    status: CaseStatus
    custody: Custody
    respondent_first_name: ShortText
    respondent_last_name: ShortText
    nationality: ShortText
    language: ShortText
    date_of_birth: date | None = None
    charges: list[ShortText] = Field(default_factory=list, max_length=50)
    nta_served_on: date | None = None
    opened_on: date
    decided_on: date | None = None
    # A bond case (custody redetermination, 8 CFR 1003.19) is its own proceeding with its
    # own record (8 CFR 1003.19(d); ICPM 9.3): this names the removal case it belongs to,
    # once there is one (a bond may be heard before the notice to appear is filed).
    removal_case_id: RecordId | None = None
    # A family: a rider names its lead case; the cases are scheduled, heard and decided
    # together, each with its own record (resources/representation_rules.json "family").
    lead_case_id: RecordId | None = None
    # Confidentiality flags (resources/confidentiality.json), set by the court's judge or
    # clerk; the asylum flag also by the server when an I-589 is filed into the case.
    confidentiality: list[Confidentiality] = Field(default_factory=list, max_length=3)


class Representation(WireRecord):
    entity: ClassVar[str] = "representation"
    case_id: RecordId
    practitioner_id: RecordId
    form: FilingKind
    scope: AppearanceScope
    primary: bool = True
    status: RepresentationStatus
    accepted_on: date | None = None
    # How the appearance ended, kept with its history (resources/representation_rules.json):
    # the court-local date of the leave, the judge whose leave it was, the motion it
    # granted (once motions are records; nullable) and, for a substitution, the appearance
    # of the counsel who took over.
    ended_on: date | None = None
    leave_by: RecordId | None = None
    motion_id: RecordId | None = None
    successor_id: RecordId | None = None


class Hearing(WireRecord):
    entity: ClassVar[str] = "hearing"
    case_id: RecordId
    courtroom_id: RecordId | None = None
    judge_id: RecordId | None = None
    hearing_type: HearingType
    medium: Medium
    starts_at: AwareDatetime
    duration_minutes: Annotated[int, Field(ge=5, le=600)] = 30
    status: HearingStatus = HearingStatus.SCHEDULED
    adjournment_code: Str4 | None = None
    interpreter_language: ShortText | None = None  # the name in resources/interpreter_languages
    interpreter_dialect: Str80 | None = None  # "Levantine", a region, a variety
    interpreter_medium: Medium | None = None  # how the interpreter attends (None: as the hearing)
    outcome: LongText | None = None


class Document(WireRecord):
    entity: ClassVar[str] = "document"
    case_id: RecordId
    doc_type: DocumentType
    title: ShortText
    filer_id: RecordId | None = None
    filer_party: Party
    filed_on: date
    pages: Count
    sha256: Sha256
    size: Count
    status: DocumentStatus
    filing_id: RecordId | None = None
    # Its own flags; the case's flags hold for it too (policy.document_flags).
    confidentiality: list[Confidentiality] = Field(default_factory=list, max_length=3)


class Annotation(WireRecord):
    entity: ClassVar[str] = "annotation"
    document_id: RecordId
    document_sha256: Sha256
    author_id: RecordId
    visibility: Visibility = Visibility.PRIVATE
    kind: AnnotationKind  # one of the kinds the clients draw; any other is refused
    page: Annotated[int, Field(ge=0, le=1_000_000)]
    # Geometry in PDF points, origin at the page's top-left, y growing downwards
    # (PyMuPDF's convention); the kind decides the keys (rect, quads, ink paths).
    geometry: dict[str, Any]
    color: Str20 = "#ffd400"
    text: LongText = ""
    comment: LongText = ""
    created_at: AwareDatetime


class Order(WireRecord):
    entity: ClassVar[str] = "order"
    case_id: RecordId
    judge_id: RecordId
    template: Str80
    template_version: Str40
    status: OrderStatus = OrderStatus.DRAFT
    fields: dict[str, Any] = Field(default_factory=dict)
    body: LongText = ""
    signed_at: AwareDatetime | None = None
    signed_by: RecordId | None = None
    document_id: RecordId | None = None
    corrects_order_id: RecordId | None = None


class Filing(WireRecord):
    entity: ClassVar[str] = "filing"
    case_id: RecordId | None = None
    court_id: RecordId
    filer_id: RecordId
    kind: FilingKind
    status: FilingStatus = FilingStatus.PENDING
    submitted_at: AwareDatetime
    lead_document_id: RecordId | None = None
    attachment_ids: list[RecordId] = Field(default_factory=list, max_length=100)
    form: dict[str, Any] = Field(default_factory=dict)
    reviewed_by: RecordId | None = None
    reviewed_at: AwareDatetime | None = None
    rejection_reason: ShortText | None = None


class ServiceRecord(WireRecord):
    entity: ClassVar[str] = "service_record"
    case_id: RecordId
    document_id: RecordId
    party: Party
    recipient_id: RecordId | None = None
    method: Str40 = "electronic"
    served_at: AwareDatetime
    # Service by mail: the entry of the address history it was sent to.
    address_id: RecordId | None = None


class Address(WireRecord):
    """One entry of the respondent's address history (8 CFR 1003.15(d), 1003.26(d)): the
    notice to appear's address, each accepted EOIR-33, a detention facility. Entries are
    never edited: a change is a new entry, and the address of record is the latest one in
    effect (``common.service.address_of_record``)."""

    entity: ClassVar[str] = "address"
    case_id: RecordId
    kind: AddressKind
    # Street number and name, then apartment, suite or floor: the EOIR-33's address lines.
    street: ShortText
    unit: ShortText = ""
    city: ShortText
    state: ShortText = ""  # two letters in the United States; empty abroad
    zip: Str20 = ""
    country: ShortText = "United States"
    # Detained: the facility (and its custodial officer) in whose care mail is sent.
    in_care_of: ShortText | None = None
    effective_on: date  # the court's local date from which the address holds
    source_filing_id: RecordId | None = None
    source_document_id: RecordId | None = None
    recorded_at: AwareDatetime


class Bond(WireRecord):
    """One custody redetermination in a bond case (8 CFR 1003.19): DHS's determination,
    the respondent's request, the immigration judge's decision (on the court's date) and
    DHS's automatic stay (Form EOIR-43, 8 CFR 1003.19(i)(2), 1003.6(c)). A later request
    is a new record naming the one before (``prior_bond_id``) and the material change of
    circumstances it rests on (8 CFR 1003.19(e)). Amounts are whole dollars. The appeal
    deadline and the stay's course are derived (``common.bonds``), never stored."""

    entity: ClassVar[str] = "bond"
    case_id: RecordId  # the bond case
    # DHS's custody determination.
    dhs_determination: BondDetermination
    dhs_amount: Count | None = None
    # The request for a redetermination.
    requested_on: date  # the court's date it received the request
    requested_by: Party  # respondent (pro se) or practitioner
    requester_id: RecordId | None = None  # counsel who asked
    requested_amount: Count | None = None  # None: release on recognizance, or no figure
    prior_bond_id: RecordId | None = None
    changed_circumstances: LongText = ""
    hearing_id: RecordId | None = None
    # The immigration judge's decision.
    outcome: BondOutcome | None = None
    amount: Count | None = None  # the bond set when lowered or raised
    decided_on: date | None = None  # the court's local date of the decision
    judge_id: RecordId | None = None
    # DHS's automatic stay of a release: the EOIR-43, and its notice of appeal to the Board.
    stay_filed_on: date | None = None
    dhs_appeal_filed_on: date | None = None


class RopRequest(WireRecord):
    entity: ClassVar[str] = "rop_request"
    case_id: RecordId
    requester_id: RecordId
    status: RopRequestStatus = RopRequestStatus.QUEUED
    progress: Annotated[float, Field(ge=0, le=1)] = 0.0
    requested_at: AwareDatetime
    result_sha256: Sha256 | None = None
    result_pages: Count | None = None
    error: ShortText | None = None


class CustodyChange(WireRecord):
    """One entry of a respondent's custody history: detained at a facility, transferred to
    another, released. Never edited: a correction is a new entry. DHS, the custodian,
    reports it (Form I-830) and the clerk records it, or DHS pushes it; the server then
    makes the case's ``custody`` follow the latest entry and, for a facility, records the
    facility as the address of record (``sync_server.services.custody``)."""

    entity: ClassVar[str] = "custody_change"
    case_id: RecordId
    event: CustodyEvent
    # resources/detention_facilities.json; required when detained or transferred.
    facility_code: Str40 | None = None
    effective_on: date  # the court's local date the change took effect
    source_document_id: RecordId | None = None  # the I-830 or other notice, once filed
    recorded_at: AwareDatetime


class Appeal(WireRecord):
    """A notice of appeal to the Board of Immigration Appeals (Form EOIR-26) from an
    immigration judge's decision, and its course at the Board's intake.

    The filer (a party of record: counsel with an accepted EOIR-28, or one who files an
    EOIR-27 with the appeal, named by ``eoir27_filing_id``; DHS on its own EOIR-26) gives
    the form's fields; ``received_at`` is the server's clock when the Board received it
    (8 CFR 1003.38(c): received, not mailed). ``late`` and ``appeal_waived`` are the
    server's findings, checked against the record (``common.appeals``): a late appeal, or
    one from a decision whose appeal was waived, is docketed and flagged, not refused.
    The Board clerk rejects (a reason from ``resources/appeal_rejections.json``) or
    dockets; docketing orders the transcript, which the immigration court's staff mark
    ready with its document."""

    entity: ClassVar[str] = "appeal"
    case_id: RecordId
    filer_id: RecordId
    appellant: Party  # the respondent (by counsel) or DHS
    status: AppealStatus = AppealStatus.FILED
    # The decision appealed and its date (EOIR-26 items 5-6).
    decision_order_id: RecordId | None = None
    decision_date: date
    # The reasons, stated with specificity (8 CFR 1003.3(b); EOIR-26 item 6).
    reasons: LongText
    separate_brief: bool = False  # EOIR-26 item 8: a separate written brief will be filed
    oral_argument: bool = False  # EOIR-26 item 9: oral argument requested
    detained: bool = False  # EOIR-26 item 3: the respondent is detained
    # The fee: a receipt number (paid) or a fee-waiver request (EOIR-26A), never payment.
    fee: AppealFee
    fee_receipt: Str40 | None = None
    fee_waiver_document_id: RecordId | None = None
    eoir27_filing_id: RecordId | None = None  # counsel's EOIR-27 filed with the appeal
    lead_document_id: RecordId | None = None  # the signed EOIR-26 as a PDF, when attached
    proof_of_service: bool = False  # the form's proof of service on the other party
    signed_by_name: ShortText = ""  # the appellant's or counsel's signature (typed)
    received_at: AwareDatetime
    late: bool = False
    appeal_waived: bool = False
    # The Board clerk's intake.
    rejection_code: Str40 | None = None
    rejection_note: ShortText | None = None
    reviewed_by: RecordId | None = None
    reviewed_at: AwareDatetime | None = None
    docketed_on: date | None = None  # the Board's local date
    # The transcript, ordered on docketing and marked ready by the court's staff.
    transcript_status: TranscriptStatus = TranscriptStatus.NOT_ORDERED
    transcript_document_id: RecordId | None = None
    # The briefing schedule (BIA PM 4.7; ``resources/briefing_rules.json``): issued by the
    # server on the Board's day the transcript is marked ready; due days on the Board's
    # calendar. Non-detained: the appellant's, then the appellee's 21 days later;
    # detained: simultaneous. Extended (one request per party) by the Board clerk.
    briefing_issued_on: date | None = None
    appellant_brief_due: date | None = None
    appellee_brief_due: date | None = None
    appellant_extension: BriefExtension = BriefExtension.NONE
    appellant_extension_requested_at: AwareDatetime | None = None
    appellant_extension_decided_on: date | None = None
    appellee_extension: BriefExtension = BriefExtension.NONE
    appellee_extension_requested_at: AwareDatetime | None = None
    appellee_extension_decided_on: date | None = None
    # The briefs as filed (documents of type brief), received on the server's clock and
    # flagged late when received after the due day ended in Board time.
    appellant_brief_document_id: RecordId | None = None
    appellant_brief_received_at: AwareDatetime | None = None
    appellant_brief_late: bool = False
    appellee_brief_document_id: RecordId | None = None
    appellee_brief_received_at: AwareDatetime | None = None
    appellee_brief_late: bool = False


class AllegationPlea(BaseModel):
    """One numbered factual allegation of the notice to appear and the plea to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    number: Annotated[int, Field(ge=1, le=99)]
    text: Annotated[str, Field(min_length=1, max_length=200)]
    plea: Plea


class ChargePlea(BaseModel):
    """One charge of removability (as the case's ``charges`` spell it) and the plea."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    charge: Annotated[str, Field(min_length=1, max_length=200)]
    plea: Plea


class Pleading(WireRecord):
    """What the respondent pleads at a master calendar hearing (8 CFR 1240.10(c), (f)):
    each factual allegation of the notice to appear (entered here, as the judge reads them
    from the NTA) and each charge admitted, denied or not pleaded; the country designated
    for removal, or the designation declined; the relief sought (codes of
    ``resources/relief_forms.json``). The judge records it and may amend it at a later
    master hearing (a new record for that hearing). Checks: ``common.decisions``."""

    entity: ClassVar[str] = "pleading"
    case_id: RecordId
    hearing_id: RecordId | None = None  # the master hearing it was taken at
    judge_id: RecordId
    pleaded_on: date  # the court's local date
    allegations: list[AllegationPlea] = Field(default_factory=list, max_length=50)
    charges: list[ChargePlea] = Field(default_factory=list, max_length=50)
    designated_country: ShortText | None = None
    designation_declined: bool = False
    relief_sought: list[Str40] = Field(default_factory=list, max_length=20)
    recorded_at: AwareDatetime


class DecisionRecord(WireRecord):
    """The immigration judge's decision (8 CFR 1240.12, 1003.37): oral or written, on the
    court's date, how it completes the case (``resources/completion_types.json``), the relief
    granted, the country of removal, whether the respondent was present, and which party
    reserved or waived appeal. Never edited, save a written decision's ``served_on``
    recorded once afterwards (``common.decisions.check_service_recorded``). The case's status
    follows it (the server applies ``common.lifecycle.status_after_decision``); the date it
    becomes final is derived (``common.decisions.finality``), never stored."""

    entity: ClassVar[str] = "decision"
    case_id: RecordId
    hearing_id: RecordId | None = None
    judge_id: RecordId
    form: DecisionForm = DecisionForm.ORAL
    decided_on: date  # the court's local date
    served_on: date | None = None  # a written decision: the day it was served
    completion: CompletionType
    relief_granted: list[Str40] = Field(default_factory=list, max_length=20)
    removal_country: ShortText | None = None
    respondent_present: bool | None = None  # None: not recorded
    appeal_reserved_by: list[Party] = Field(default_factory=list, max_length=2)
    appeal_waived_by: list[Party] = Field(default_factory=list, max_length=2)
    recorded_at: AwareDatetime


class AdjournmentCodeRecord(WireRecord):
    entity: ClassVar[str] = "adjournment_code"
    code: Annotated[str, Field(min_length=1, max_length=4)]
    description: ShortText
    clock_effect: ClockEffect
    active: bool = True


class Motion(WireRecord):
    """A motion before the immigration court (``common.motions``): filed by a party in the
    portal (with its filing and document, waiting for the clerk's review like any filing)
    or entered by the clerk from paper. The judge rules with a stamp that a signed motion
    order issues (``order_id``); the movant's withdrawal is recorded by the clerk. The
    response due date and the limits on reopening are computed, never stored."""

    entity: ClassVar[str] = "motion"
    case_id: RecordId
    motion_type: MotionType
    movant: Movant
    description: ShortText | None = None  # what an "other" motion asks
    filed_on: date  # the court-local day the court received it
    filer_id: RecordId  # who filed it (a party) or entered it (the clerk)
    filing_id: RecordId | None = None  # the portal filing it came with
    document_id: RecordId | None = None  # the motion's PDF
    other_party_position: OtherPartyPosition = OtherPartyPosition.UNKNOWN
    status: MotionStatus = MotionStatus.PENDING
    ruling: MotionRuling | None = None
    ruling_reason: ShortText | None = None
    limit_exception: Str40 | None = None  # resources/motion_types.json "exceptions"
    ruled_on: date | None = None  # the court-local day of the ruling
    ruled_by: RecordId | None = None
    order_id: RecordId | None = None  # the signed motion order that issues the ruling
    # Before the Board of Immigration Appeals (a docketed appeal, or the Board decided the
    # case last): ruled on by a Board member, never the immigration judge (common.motions).
    before_board: bool = False
    emergency: bool = False  # an emergency stay of removal (BIA PM 6.4; flagged first)


class BoardDecision(WireRecord):
    """The Board's adjudication of one docketed appeal (``common.board_decisions``).

    The Board clerk assigns the appeal to a single member or a three-member panel
    (8 CFR 1003.1(e)): ``member_ids`` (one or three Board members), ``author_id`` the member
    who writes. The author drafts the decision as an ``order`` of the ``board_decision``
    template (``order_id``: its outcome, instructions on remand, its text), and the members
    sign it: a single member by signing that order; a panel member with a ``board_vote``.
    The server issues the order (the eROP document, service on the parties) when the
    single member has signed or a majority of the panel has joined it, and on remand the
    case returns to the immigration court, pending again."""

    entity: ClassVar[str] = "board_decision"
    appeal_id: RecordId
    case_id: RecordId
    panel: bool = False
    member_ids: list[RecordId] = Field(min_length=1, max_length=3)
    author_id: RecordId
    assigned_by: RecordId
    assigned_on: date  # the Board's local date
    status: BoardDecisionStatus = BoardDecisionStatus.ASSIGNED
    outcome: BoardOutcome | None = None
    order_id: RecordId | None = None  # the decision's order (template board_decision)
    issued_on: date | None = None  # the Board's local date it issued


class BoardVote(WireRecord):
    """One panel member's signed vote on a drafted Board decision, with an optional
    separate opinion. Each member writes only their own vote (so three members signing
    offline never conflict); a vote is never edited once signed."""

    entity: ClassVar[str] = "board_vote"
    board_decision_id: RecordId
    case_id: RecordId
    member_id: RecordId
    order_id: RecordId  # the drafted decision voted on
    vote: BoardVoteChoice
    opinion: LongText = ""  # a separate concurring or dissenting opinion
    signed_at: AwareDatetime


ENTITY_SCHEMAS: dict[str, type[WireRecord]] = {
    model.entity: model
    for model in (
        Court,
        Courtroom,
        UserProfile,
        Case,
        Representation,
        Hearing,
        Document,
        Annotation,
        Order,
        Filing,
        ServiceRecord,
        RopRequest,
        AdjournmentCodeRecord,
        Address,
        CustodyChange,
        Bond,
        Motion,
        Appeal,
        Pleading,
        DecisionRecord,
        BoardDecision,
        BoardVote,
    )
}
"""Entity wire name -> schema. The order is the order a fresh client should apply them in."""


def parse_record(entity: str, data: dict[str, Any]) -> WireRecord:
    """Validate ``data`` as a record of ``entity``; raises ``KeyError`` for an unknown
    entity and ``pydantic.ValidationError`` for bad data."""
    return ENTITY_SCHEMAS[entity].model_validate(data)
