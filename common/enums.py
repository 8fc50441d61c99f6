"""The closed vocabularies of the domain.

Every enum is a ``StrEnum`` whose value is the wire spelling, so a value read from JSON,
the database or a form compares equal to the member.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    JUDGE = "judge"
    CLERK = "clerk"
    COURT_ADMIN = "court_admin"
    EOIR_STAFF = "eoir_staff"
    ATTORNEY = "attorney"
    ACCREDITED_REP = "accredited_rep"
    DHS = "dhs"

    @property
    def is_court_staff(self) -> bool:
        return self in (Role.JUDGE, Role.CLERK, Role.COURT_ADMIN)

    @property
    def is_practitioner(self) -> bool:
        return self in (Role.ATTORNEY, Role.ACCREDITED_REP)

    @property
    def is_external(self) -> bool:
        return self.is_practitioner or self is Role.DHS


class CaseType(StrEnum):
    REMOVAL = "removal"  # INA 240 removal proceedings
    EXPEDITED_REMOVAL_REVIEW = "credible_fear_review"
    ASYLUM_ONLY = "asylum_only"
    WITHHOLDING_ONLY = "withholding_only"
    RESCISSION = "rescission"
    BOND = "bond"


class CaseStatus(StrEnum):
    OPENED = "opened"  # NTA filed with the court, not yet calendared
    PENDING = "pending"
    DECIDED = "decided"
    APPEALED = "appealed"
    REOPENED = "reopened"
    ADMIN_CLOSED = "administratively_closed"
    VENUE_CHANGED = "venue_changed"
    CLOSED = "closed"


class Custody(StrEnum):
    DETAINED = "detained"
    RELEASED = "released"  # released from detention, case on the non-detained docket
    NEVER_DETAINED = "never_detained"


class CustodyEvent(StrEnum):
    """One change of a respondent's custody, as DHS reports it (Form I-830) and the clerk
    records it: the case's ``custody`` follows the latest (``common.custody``)."""

    DETAINED = "detained"  # taken into custody at a facility
    TRANSFERRED = "transferred"  # moved, while detained, to another facility
    RELEASED = "released"  # released from detention (bond, parole, recognizance)


class HearingType(StrEnum):
    MASTER = "master"
    INDIVIDUAL = "individual"
    BOND = "bond"


class Medium(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    TELEPHONE = "telephone"


class HearingStatus(StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    ADJOURNED = "adjourned"
    CANCELLED = "cancelled"


class DocumentType(StrEnum):
    NOTICE_TO_APPEAR = "notice_to_appear"
    APPLICATION_I589 = "i589_application"
    EVIDENCE = "evidence"
    BRIEF = "brief"
    MOTION = "motion"
    NOTICE_OF_APPEARANCE = "notice_of_appearance"
    HEARING_NOTICE = "hearing_notice"
    ORDER = "order"
    COUNTRY_REPORT = "country_report"
    CORRESPONDENCE = "correspondence"
    OTHER = "other"


class DocumentStatus(StrEnum):
    PENDING = "pending"  # filed, waiting for clerk review
    ACCEPTED = "accepted"  # part of the record of proceedings
    REJECTED = "rejected"


class FilingKind(StrEnum):
    EOIR_28 = "eoir_28"  # notice of appearance before the immigration court
    EOIR_27 = "eoir_27"  # notice of appearance before the Board of Immigration Appeals
    DOCUMENT = "document"
    NOTICE_TO_APPEAR = "notice_to_appear"
    CHANGE_OF_ADDRESS = "change_of_address"


class FilingStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class RepresentationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AppearanceScope(StrEnum):
    ALL_PROCEEDINGS = "all_proceedings"
    CUSTODY_AND_BOND_ONLY = "custody_and_bond_only"
    ALL_EXCEPT_CUSTODY_AND_BOND = "all_except_custody_and_bond"


class BondDetermination(StrEnum):
    """DHS's initial custody determination, which the respondent asks the court to
    redetermine (8 CFR 1003.19(a), 1236.1(c)(8))."""

    AMOUNT = "amount"  # release on a bond of the amount DHS set
    NO_BOND = "no_bond"  # DHS holds the respondent without bond


class BondOutcome(StrEnum):
    """How the immigration judge redetermined custody (8 CFR 1003.19; ICPM 9.3)."""

    NO_CHANGE = "no_change"  # the bond (or no bond) in effect stands
    LOWERED = "lowered"  # a bond lower than the one in effect (or one where DHS set none)
    RAISED = "raised"
    RECOGNIZANCE = "recognizance"  # released on the respondent's own recognizance
    NO_JURISDICTION = "no_jurisdiction"  # e.g. an arriving alien (8 CFR 1003.19(h)(2)(i))


class AddressKind(StrEnum):
    """Where an entry of the respondent's address history came from."""

    NTA = "nta"  # the address on the notice to appear that opened the case
    EOIR_33 = "eoir_33"  # a change of address (Form EOIR-33/IC) the court accepted
    CUSTODIAL = "custodial"  # the detention facility, served in care of the custodial officer


class ClockEffect(StrEnum):
    """What an adjournment does to the asylum employment-authorization clock."""

    STOPS = "stops"
    RUNS = "runs"
    NEUTRAL = "neutral"


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    ISSUED = "issued"


class Visibility(StrEnum):
    """Who, beyond its author, sees an annotation."""

    PRIVATE = "private"
    SHARED = "shared"


class Party(StrEnum):
    RESPONDENT = "respondent"
    PRACTITIONER = "practitioner"
    DHS = "dhs"
    COURT = "court"


class RopRequestStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
