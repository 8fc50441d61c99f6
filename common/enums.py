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
    # The Board of Immigration Appeals (8 CFR 1003.1): its clerks docket appeals, its
    # members (some temporary, 8 CFR 1003.1(a)(4): ``user_profile.temporary``) decide them.
    BOARD_CLERK = "board_clerk"
    BOARD_MEMBER = "board_member"
    # A respondent who enrolled in the portal with the case access code mailed to them
    # (sync_server/services/respondents.py): reads their own case(s) in the portal only.
    RESPONDENT = "respondent"

    @property
    def is_court_staff(self) -> bool:
        return self in (Role.JUDGE, Role.CLERK, Role.COURT_ADMIN)

    @property
    def is_board_staff(self) -> bool:
        return self in (Role.BOARD_CLERK, Role.BOARD_MEMBER)

    @property
    def is_practitioner(self) -> bool:
        return self in (Role.ATTORNEY, Role.ACCREDITED_REP)

    @property
    def is_external(self) -> bool:
        return self.is_practitioner or self is Role.DHS


class CourtKind(StrEnum):
    """What kind of adjudicating body a ``court`` record is."""

    IMMIGRATION_COURT = "immigration_court"
    BOARD = "board"  # the Board of Immigration Appeals, Falls Church, Virginia


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


class Plea(StrEnum):
    """How the respondent pleads to one factual allegation or charge of the notice to
    appear at a master calendar hearing (8 CFR 1240.10(c))."""

    ADMITTED = "admitted"
    DENIED = "denied"
    NOT_PLEADED = "not_pleaded"  # declined to plead, or no plea taken


class DecisionForm(StrEnum):
    """An immigration judge's decision is stated orally or written (8 CFR 1003.37(a))."""

    ORAL = "oral"
    WRITTEN = "written"


class CompletionType(StrEnum):
    """How an immigration judge's decision completes (or sets aside) the proceedings, as
    ``resources/completion_types.json`` describes each with its source."""

    REMOVAL_ORDERED = "removal_ordered"
    VOLUNTARY_DEPARTURE = "voluntary_departure"
    RELIEF_GRANTED = "relief_granted"
    TERMINATED = "terminated"
    DISMISSED = "dismissed"
    IN_ABSENTIA = "in_absentia"
    ADMINISTRATIVELY_CLOSED = "administratively_closed"
    CHANGE_OF_VENUE = "change_of_venue"
    OTHER = "other"


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
    NOTICE_OF_APPEAL = "notice_of_appeal"  # Form EOIR-26, to the Board
    TRANSCRIPT = "transcript"  # the hearing's transcript, prepared for the Board
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
    WITHDRAWN = "withdrawn"  # the judge granted leave to withdraw (8 CFR 1003.17(b))
    SUBSTITUTED = "substituted"  # replaced by new counsel with the court's leave


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
    # The respondent withdrew the request: nothing was redetermined (the bond order says so).
    WITHDRAWN = "withdrawn"


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


class Confidentiality(StrEnum):
    """Why a case or document is confidential (resources/confidentiality.json: the source,
    who reads, what the eROP package and the portal show; enforced by sync_server/policy)."""

    ASYLUM = "asylum"  # 8 CFR 1208.6: asylum application information
    VAWA_T_U = "vawa_t_u"  # 8 U.S.C. 1367: VAWA, T and U information
    SEALED = "sealed"  # 8 CFR 1003.46: sealed by a protective order


class Visibility(StrEnum):
    """Who, beyond its author, sees an annotation."""

    PRIVATE = "private"
    SHARED = "shared"
    PANEL = "panel"  # a Board member's note for the members of the panel deciding the appeal


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


class MotionType(StrEnum):
    """What a motion asks the immigration judge, or the Board, for
    (``resources/motion_types.json`` holds each one's label, forums and source). The values
    are the motion order's ``motion`` choices."""

    CONTINUANCE = "continuance"
    CHANGE_OF_VENUE = "change_of_venue"
    REOPEN = "reopen"
    RECONSIDER = "reconsider"
    RECALENDAR = "recalendar"
    TERMINATE = "terminate"
    WITHDRAW_AS_COUNSEL = "withdraw_as_counsel"
    APPEAR_REMOTELY = "appear_remotely"  # by telephone or video
    SUBPOENA = "subpoena"
    OTHER = "other"
    # Before the Board of Immigration Appeals (BIA PM chapter 5-6; 8 CFR 1003.2, 1003.6):
    STAY_OF_REMOVAL = "stay_of_removal"  # emergency or not (Motion.emergency)
    REMAND = "remand"
    EXTENSION = "extension"  # of a briefing deadline


class Movant(StrEnum):
    RESPONDENT = "respondent"
    DHS = "dhs"
    JOINT = "joint"  # both parties


class OtherPartyPosition(StrEnum):
    """The other party's position on a motion, as the motion states it (ICPM 5.2)."""

    OPPOSES = "opposes"
    DOES_NOT_OPPOSE = "does_not_oppose"
    UNKNOWN = "unknown"


class MotionStatus(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    DENIED = "denied"
    MOOT = "moot"
    WITHDRAWN = "withdrawn"  # by the movant, before a ruling


class MotionRuling(StrEnum):
    """The judge's stamp on a motion; each issues a motion order (``motion_order``)."""

    GRANTED = "granted"
    GRANTED_UNOPPOSED = "granted_unopposed"  # "DHS does not oppose": granted as unopposed
    DENIED = "denied"
    UNTIMELY = "untimely"  # denied as filed out of time
    MOOT = "moot"


class AppealStatus(StrEnum):
    """Where a notice of appeal (Form EOIR-26) stands at the Board's intake."""

    FILED = "filed"  # received, waiting for the Board clerk
    REJECTED = "rejected"  # returned with a reason from the catalogue (BIA PM 3.1)
    DOCKETED = "docketed"  # accepted: the case is on appeal
    # The Board's decision on it issued (set by the server as it issues, never by a client;
    # the outcome is the issued ``board_decision``'s).
    DECIDED = "decided"


class AppealFee(StrEnum):
    """How the appeal's fee is met (8 CFR 1003.3(a), 1003.8): paid, with the receipt
    number, or a request to waive it (Form EOIR-26A). No payment passes through ECAS."""

    PAID = "paid"
    WAIVER_REQUESTED = "waiver_requested"
    NOT_REQUIRED = "not_required"  # DHS files without a fee (resources/eoir26.json)


class BoardOutcome(StrEnum):
    """How the Board decides an appeal (8 CFR 1003.1(d)-(e); BIA PM chapter 1.4, 4.15);
    each is a template in ``resources/order_templates/board_decision.json``."""

    DISMISSED = "dismissed"  # the appeal fails; the immigration judge's decision stands
    SUSTAINED = "sustained"  # the appeal succeeds
    REMANDED = "remanded"  # back to the immigration judge, with instructions
    SUMMARY_AFFIRMANCE = "summary_affirmance"  # a single member, 8 CFR 1003.1(e)(4)


class BoardDecisionStatus(StrEnum):
    """The course of a Board decision record from assignment to issuing."""

    ASSIGNED = "assigned"  # the clerk assigned the appeal to a member or a panel
    DRAFTED = "drafted"  # the writing member has drafted the decision (its order)
    ISSUED = "issued"  # signed by the member, or by a majority of the panel; served


class BoardVoteChoice(StrEnum):
    """A panel member's vote on the drafted decision (8 CFR 1003.1(e)(6))."""

    JOIN = "join"  # joins the decision
    CONCUR = "concur"  # joins the result, with a separate concurring opinion
    DISSENT = "dissent"  # with or without a separate dissenting opinion


class BriefExtension(StrEnum):
    """A party's one request to extend its briefing deadline (BIA PM 4.7(c)), as the Board
    clerk decides it (``resources/briefing_rules.json``)."""

    NONE = "none"  # no request made
    REQUESTED = "requested"  # filed by the party, waiting for the Board clerk
    GRANTED = "granted"  # the party's due date moved
    DENIED = "denied"


class TranscriptStatus(StrEnum):
    """The transcript the Board orders once an appeal is docketed (BIA PM 4.2)."""

    NOT_ORDERED = "not_ordered"
    ORDERED = "ordered"
    READY = "ready"  # the transcript document is in the record
