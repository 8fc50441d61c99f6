"""check_write's rules (sync_server/policy.py), one entity at a time, without a server.

Who may create, change or delete each kind of record, and the refusal each one is told,
as the rules' docstrings state them (the clerk dockets, the judge decides, DHS files at its
assigned courts, the Board's clerk and members act on cases before the Board). Records are
built with ``model_construct``: the rules read fields only (domain validity is checked
elsewhere), so each test names just the fields its rule reads.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Collection
from typing import Any

import pytest

from common.enums import (
    AddressKind,
    BoardDecisionStatus,
    CaseStatus,
    DocumentStatus,
    FilingKind,
    FilingStatus,
    HearingStatus,
    MotionStatus,
    Movant,
    OrderStatus,
    OtherPartyPosition,
    Party,
    RepresentationStatus,
    Role,
    RopRequestStatus,
    Visibility,
)
from common.wire import (
    Address,
    Annotation,
    Appeal,
    BoardDecision,
    BoardVote,
    Bond,
    Case,
    Courtroom,
    CustodyChange,
    DecisionRecord,
    Document,
    Filing,
    Hearing,
    Motion,
    Order,
    Pleading,
    Representation,
    RopRequest,
    ServiceRecord,
    UserProfile,
    WireRecord,
)
from sync_server.policy import Principal, check_write, hearing_judge


def _id() -> str:
    return str(uuid.uuid4())


COURT_A, COURT_B, BOARD = _id(), _id(), _id()
CASE_A, CASE_B, CASE_AT_BOARD = _id(), _id(), _id()
ME, OTHER, JUDGE_A = _id(), _id(), _id()
DOC_A, DOC_AT_BOARD, FILING_AT_BOARD = _id(), _id(), _id()


class _World:
    """Case A at court A (its judge JUDGE_A unless told), case B at court B, a third case
    at court B before the Board; practitioner ME appears in case A."""

    def __init__(
        self, *, judge: str | None = JUDGE_A, decisions: Collection[BoardDecision] = ()
    ) -> None:
        self.courts = {CASE_A: COURT_A, CASE_B: COURT_B, CASE_AT_BOARD: COURT_B}
        self.judge = judge
        self.decisions = list(decisions)

    def case_court(self, case_id: str) -> str | None:
        return self.courts.get(case_id)

    def case_judge(self, case_id: str) -> str | None:
        return self.judge if case_id == CASE_A else None

    def document_case(self, document_id: str) -> str | None:
        return {DOC_A: CASE_A, DOC_AT_BOARD: CASE_AT_BOARD}.get(document_id)

    def practitioner_case_ids(self, user_id: str) -> Collection[str]:
        return (CASE_A,) if user_id == ME else ()

    def board_case_ids(self) -> Collection[str]:
        return (CASE_AT_BOARD,)

    def board_decisions(self, case_id: str) -> Collection[BoardDecision]:
        return [d for d in self.decisions if d.case_id == case_id]

    def filing_at_board(self, filing_id: str) -> bool:
        return filing_id == FILING_AT_BOARD

    def respondent_case_ids(self, user_id: str) -> Collection[str]:
        return (CASE_A,) if user_id == ME else ()

    def case_represented(self, case_id: str) -> bool:
        return False

    def case_flags(self, case_id: str) -> Collection[str]:
        return ()


W = _World()


def who(role: Role, court: str | None = COURT_A, uid: str = ME) -> Principal:
    assigned = (COURT_A,) if role is Role.DHS else ()
    return Principal(uid, "u", role, court, "U", assigned)


def write(
    p: Principal, old: WireRecord | None, new: WireRecord | None, w: _World = W
) -> str | None:
    entity = (new or old).entity  # type: ignore[union-attr]
    return check_write(p, entity, old, new, w)


def change(record: WireRecord, **fields: Any) -> Any:
    return record.model_copy(update=fields)


CLERK, JUDGE, ADMIN = who(Role.CLERK), who(Role.JUDGE, uid=JUDGE_A), who(Role.COURT_ADMIN)
DHS, ATTORNEY = who(Role.DHS, court=None), who(Role.ATTORNEY, court=None)
RESPONDENT = who(Role.RESPONDENT, court=None)
BCLERK, MEMBER = who(Role.BOARD_CLERK, court=BOARD), who(Role.BOARD_MEMBER, court=BOARD)
EOIR = who(Role.EOIR_STAFF, court=None)


# -- dispatch, reference data, courts, courtrooms, profiles ---------------------------------


def test_eoir_staff_change_only_nationwide_reference_data() -> None:
    room = Courtroom.model_construct(id=_id(), court_id=COURT_A, name="1")
    assert check_write(EOIR, "courtroom", None, room, W) == "EOIR staff have read-only access"
    assert check_write(EOIR, "adjournment_code", None, room, W) is None
    assert (
        check_write(EOIR, "adjournment_code", room, None, W)
        == "reference data is retired (active=false), not deleted"
    )
    assert check_write(ADMIN, "adjournment_code", None, room, W) == (
        "nationwide reference data is changed by EOIR staff only, not by a court"
    )
    assert check_write(ADMIN, "planet", None, room, W) == "unknown entity 'planet'"
    assert check_write(ADMIN, "court", None, room, W) == (
        "courts are set up by the system administrator (ecas-server)"
    )


def test_the_court_administrator_keeps_the_courtrooms_of_their_court() -> None:
    room = Courtroom.model_construct(id=_id(), court_id=COURT_A, name="1")
    assert write(ADMIN, None, room) is None
    assert write(CLERK, None, room) == "only a court_admin may change this record"
    assert write(ADMIN, change(room, court_id=COURT_B), room) == (
        "the record belongs to another court"
    )
    assert write(ADMIN, room, change(room, court_id=COURT_B)) == (
        "the record belongs to another court"
    )


def test_profiles_change_by_their_courts_administrator_but_not_role_or_court() -> None:
    prof = UserProfile.model_construct(
        id=_id(), username="a", display_name="A", role=Role.CLERK, court_id=COURT_A
    )
    created = "accounts are created and removed by an administrator, not by sync"
    assert write(ADMIN, None, prof) == created
    assert write(ADMIN, prof, None) == created
    assert write(ADMIN, prof, change(prof, display_name="B")) is None
    not_admin = "only the court administrator of the user's court may change a profile"
    assert write(CLERK, prof, change(prof, display_name="B")) == not_admin
    assert write(who(Role.COURT_ADMIN, COURT_B), prof, change(prof, display_name="B")) == (
        not_admin
    )
    fixed = "role, username and court can't be changed through sync"
    for field, value in (("role", Role.JUDGE), ("username", "b"), ("court_id", COURT_B)):
        assert write(ADMIN, prof, change(prof, **{field: value})) == fixed


# -- cases ----------------------------------------------------------------------------------


def _case(**fields: Any) -> Case:
    base: dict[str, Any] = {
        "id": CASE_A,
        "court_id": COURT_A,
        "judge_id": None,
        "status": CaseStatus.OPENED,
        "confidentiality": [],
    }
    return Case.model_construct(**(base | fields))


def test_cases_are_the_clerks_of_their_court() -> None:
    case = _case()
    assert write(CLERK, None, case) is None
    assert write(CLERK, case, change(case, status=CaseStatus.PENDING)) is None
    assert write(CLERK, case, change(case, court_id=COURT_B)) is None  # change of venue
    assert write(CLERK, case, None) == "cases are never deleted; close them instead"
    assert write(JUDGE, case, change(case, status=CaseStatus.PENDING)) == (
        "only a clerk may change a case"
    )
    assert write(JUDGE, None, case) == "only a clerk may change a case"
    elsewhere = _case(court_id=COURT_B)
    assert write(CLERK, elsewhere, change(elsewhere, status=CaseStatus.PENDING)) == (
        "the case belongs to another court"
    )
    assert write(CLERK, None, elsewhere) == "a case can only be opened at your own court"


def test_a_judge_marks_a_case_confidential_and_nothing_else() -> None:
    case = _case()
    assert write(JUDGE, case, change(case, confidentiality=["sealed"])) is None
    assert write(who(Role.JUDGE, COURT_B), case, change(case, confidentiality=["sealed"])) == (
        "the record belongs to another court"
    )
    both = change(case, confidentiality=["sealed"], status=CaseStatus.PENDING)
    assert write(JUDGE, case, both) == "only a clerk may change a case"


def test_dhs_opens_a_case_by_a_notice_to_appear_at_its_courts() -> None:
    assert write(DHS, None, _case()) is None
    assert write(DHS, None, _case(court_id=COURT_B)) == (
        "DHS files notices to appear only at its assigned courts"
    )
    starts = "a case opened by a notice to appear starts as opened, with no judge"
    assert write(DHS, None, _case(status=CaseStatus.PENDING)) == starts
    assert write(DHS, None, _case(judge_id=JUDGE_A)) == starts
    assert write(DHS, None, _case(confidentiality=["asylum"])) == (
        "only the court's judge or clerk marks a record confidential"
    )
    assert write(DHS, _case(), _case(status=CaseStatus.PENDING)) == (
        "only a clerk may change a case"
    )


def test_service_records_are_the_clerks_and_never_deleted() -> None:
    rec = ServiceRecord.model_construct(id=_id(), case_id=CASE_A)
    assert write(CLERK, None, rec) is None
    assert write(CLERK, rec, None) == "this record is never deleted"
    assert write(JUDGE, None, rec) == "only a clerk may change this record"
    assert write(ADMIN, None, rec) == "only a clerk may change this record"
    moved = ServiceRecord.model_construct(id=_id(), case_id=CASE_B)
    assert write(CLERK, None, moved) == "the record belongs to another court"


# -- appearances ----------------------------------------------------------------------------


def _rep(**fields: Any) -> Representation:
    base: dict[str, Any] = {
        "id": _id(),
        "case_id": CASE_A,
        "practitioner_id": OTHER,
        "status": RepresentationStatus.ACCEPTED,
        "ended_on": None,
        "leave_by": None,
        "motion_id": None,
        "successor_id": None,
    }
    return Representation.model_construct(**(base | fields))


def test_the_judge_of_the_case_grants_leave_to_withdraw() -> None:
    rep = _rep()
    leave = change(rep, status=RepresentationStatus.WITHDRAWN, leave_by=JUDGE_A)
    assert write(JUDGE, rep, leave) is None
    assert write(JUDGE, rep, leave, _World(judge=None)) is None  # any judge while none
    assert write(JUDGE, rep, leave, _World(judge=OTHER)) == (
        "leave to withdraw is granted by the judge of the case"
    )
    assert write(JUDGE, rep, change(leave, leave_by=OTHER)) == (
        "a judge records only their own grant of leave"
    )
    rest = "a judge grants leave to withdraw; the rest of an appearance is the clerk's"
    assert write(JUDGE, None, leave) == rest
    assert write(JUDGE, rep, change(rep, primary=False)) == rest
    assert write(JUDGE, leave, change(leave, ended_on=datetime.date(2026, 1, 2))) == rest
    assert write(JUDGE, rep, change(leave, practitioner_id=ME)) == rest
    assert write(who(Role.JUDGE, COURT_B), rep, leave) == "the record belongs to another court"
    assert write(JUDGE, rep, None) == (
        "an appearance is part of the record; it ends by withdrawal or substitution"
    )


def test_the_clerk_records_appearances_and_substitutions_not_withdrawals() -> None:
    rep = _rep()
    assert write(CLERK, None, rep) is None
    assert write(CLERK, rep, change(rep, status=RepresentationStatus.WITHDRAWN)) == (
        "leave to withdraw is the judge's to grant (8 CFR 1003.17(b)); not the clerk's"
    )
    assert write(CLERK, None, _rep(status=RepresentationStatus.WITHDRAWN)) == (
        "leave to withdraw is the judge's to grant (8 CFR 1003.17(b)); not the clerk's"
    )
    sub = change(rep, status=RepresentationStatus.SUBSTITUTED, leave_by=JUDGE_A)
    assert write(CLERK, rep, sub) is None
    assert write(CLERK, rep, sub, _World(judge=None)) is None
    assert write(CLERK, rep, change(sub, leave_by=None)) is None
    assert write(CLERK, rep, change(sub, leave_by=OTHER)) == (
        "a substitution is granted by the judge of the case"
    )
    assert write(ATTORNEY, None, rep) == "only a clerk or the judge may change this record"
    assert write(who(Role.CLERK, COURT_B), None, rep) == "the record belongs to another court"


# -- hearings -------------------------------------------------------------------------------


def _hearing(**fields: Any) -> Hearing:
    base: dict[str, Any] = {
        "id": _id(),
        "case_id": CASE_A,
        "judge_id": None,
        "status": HearingStatus.SCHEDULED,
        "outcome": None,
        "adjournment_code": None,
        "duration_minutes": 30,
    }
    return Hearing.model_construct(**(base | fields))


def test_the_presiding_judge_records_the_outcome_of_their_hearings() -> None:
    h = _hearing()
    held = change(h, status=HearingStatus.COMPLETED, outcome="held")
    assert hearing_judge(h, W) == JUDGE_A
    assert hearing_judge(change(h, judge_id=OTHER), W) == OTHER
    assert write(JUDGE, h, held) is None
    assert write(JUDGE, h, change(h, status=HearingStatus.ADJOURNED, adjournment_code="1")) is None
    assert write(JUDGE, h, change(h, outcome="x")) is None
    assert write(JUDGE, change(h, judge_id=OTHER), change(held, judge_id=OTHER)) == (
        "a judge records the outcome only of their own hearings"
    )
    assert write(JUDGE, h, change(h, duration_minutes=60, judge_id=OTHER)) == (
        "a judge records outcomes; scheduling fields are the clerk's: duration_minutes, judge_id"
    )
    assert write(JUDGE, h, change(h, status=HearingStatus.CANCELLED)) == (
        "a judge records a hearing held or adjourned; cancelling is the clerk's"
    )
    moved = _hearing(case_id=CASE_B, judge_id=JUDGE_A)
    assert write(JUDGE, moved, change(moved, outcome="x")) == (
        "the hearing belongs to another court"
    )


def test_the_clerk_calendars_but_never_records_an_outcome() -> None:
    h = _hearing()
    assert write(CLERK, None, h) is None
    assert write(CLERK, h, change(h, status=HearingStatus.ADJOURNED, adjournment_code="1")) is None
    assert write(CLERK, h, change(h, outcome="x")) == (
        "the outcome is recorded by the hearing's judge; a clerk calendars"
    )
    assert write(CLERK, None, change(h, outcome="x")) == (
        "the outcome is recorded by the hearing's judge; a clerk calendars"
    )
    assert write(CLERK, h, None) is None
    assert write(JUDGE, None, h) == "only a clerk may change this record"
    assert write(ATTORNEY, h, change(h, outcome="x")) == "only a clerk may change this record"


# -- documents ------------------------------------------------------------------------------


def _doc(**fields: Any) -> Document:
    base: dict[str, Any] = {
        "id": _id(),
        "case_id": CASE_A,
        "filer_id": ME,
        "status": DocumentStatus.PENDING,
        "filing_id": None,
        "confidentiality": [],
        "title": "t",
    }
    return Document.model_construct(**(base | fields))


def test_documents_are_filed_by_parties_and_reviewed_by_the_clerk() -> None:
    doc = _doc()
    assert write(ATTORNEY, None, doc) is None
    assert write(CLERK, doc, change(doc, status=DocumentStatus.ACCEPTED)) is None
    assert write(CLERK, None, _doc(filer_id=CLERK.id)) is None
    assert write(CLERK, doc, None) == "documents of the record are never deleted"
    assert write(CLERK, doc, change(doc, title="u")) == "review changes a document's status only"
    accepted = change(doc, status=DocumentStatus.ACCEPTED)
    assert write(CLERK, accepted, change(accepted, title="u")) == (
        "a reviewed document is part of the record and can't be altered"
    )
    assert write(who(Role.CLERK, COURT_B), doc, accepted) == "the record belongs to another court"
    assert write(JUDGE, None, doc) == "only clerks and filing parties add documents"
    assert write(ATTORNEY, doc, change(doc, title="u")) == (
        "a submitted filing can't be changed; file a new one"
    )
    assert write(RESPONDENT, None, doc) is None
    assert write(RESPONDENT, None, _doc(filer_id=OTHER)) == "you can file only in your own name"


def test_a_documents_flags_are_set_by_the_courts_judge_or_clerk() -> None:
    doc = _doc()
    sealed = change(doc, confidentiality=["sealed"])
    assert write(CLERK, doc, sealed) is None
    assert write(JUDGE, doc, sealed) is None
    accepted = change(doc, status=DocumentStatus.ACCEPTED)
    assert write(JUDGE, accepted, change(accepted, confidentiality=["sealed"])) is None
    assert write(ATTORNEY, doc, sealed) == (
        "only the court's judge or clerk marks a record confidential"
    )
    assert write(ATTORNEY, None, sealed) == (
        "only the court's judge or clerk marks a record confidential"
    )


def test_the_boards_clerk_reviews_the_documents_of_filings_before_the_board() -> None:
    doc = _doc(case_id=CASE_AT_BOARD, filing_id=FILING_AT_BOARD)
    accepted = change(doc, status=DocumentStatus.ACCEPTED)
    assert write(BCLERK, doc, accepted) is None
    only = "the Board's clerk reviews the documents of a filing before the Board only"
    assert write(BCLERK, None, doc) == only
    assert write(BCLERK, doc, change(doc, title="u")) == only
    court_doc = _doc()
    assert write(BCLERK, court_doc, change(court_doc, status=DocumentStatus.ACCEPTED)) == (
        "a filing with the immigration court is reviewed by the court's clerk"
    )
    at_a = _doc(filing_id=FILING_AT_BOARD)
    assert write(CLERK, at_a, change(at_a, status=DocumentStatus.ACCEPTED)) == (
        "a filing before the Board is reviewed by the Board's clerk"
    )
    assert write(CLERK, None, _doc(filing_id=FILING_AT_BOARD, filer_id=CLERK.id)) is None


def test_external_filers_file_pending_in_their_own_cases_and_name() -> None:
    assert write(ATTORNEY, None, _doc(filer_id=OTHER)) == "you can file only in your own name"
    assert write(ATTORNEY, None, _doc(status=DocumentStatus.ACCEPTED)) == (
        "new filings wait for clerk review"
    )
    assert write(ATTORNEY, None, _doc(case_id=CASE_B)) == (
        "you may file only in cases you appear in"
    )
    assert write(DHS, None, _doc()) is None
    assert write(DHS, None, _doc(case_id=CASE_B)) == "you may file only in cases you appear in"


# -- filings --------------------------------------------------------------------------------


def _filing(**fields: Any) -> Filing:
    base: dict[str, Any] = {
        "id": _id(),
        "case_id": CASE_A,
        "court_id": COURT_A,
        "filer_id": ME,
        "kind": FilingKind.DOCUMENT,
        "status": FilingStatus.PENDING,
        "reviewed_by": None,
        "reviewed_at": None,
        "rejection_reason": None,
        "form": {},
    }
    return Filing.model_construct(**(base | fields))


def test_parties_file_and_the_clerk_reviews_filings() -> None:
    f = _filing()
    assert write(ATTORNEY, None, f) is None
    assert write(ATTORNEY, f, None) == "filings are never deleted"
    accepted = change(f, status=FilingStatus.ACCEPTED, reviewed_by=CLERK.id)
    assert write(CLERK, f, accepted) is None
    assert write(CLERK, f, change(f, form={"x": 1})) == "review changes a filing's status only"
    assert write(CLERK, f, change(f, status=FilingStatus.REJECTED)) == (
        "a rejected filing needs a reason from the catalogue"
    )
    assert write(CLERK, f, change(f, status=FilingStatus.REJECTED, rejection_reason="r")) is None
    assert write(CLERK, None, f) is None  # a paper filing the clerk enters
    assert write(JUDGE, f, accepted) == "only a board_clerk or clerk may change this record"
    assert write(RESPONDENT, None, f) is None
    assert write(RESPONDENT, f, accepted) == "a submitted filing can't be changed; file a new one"


def test_an_appearance_form_opens_a_case_to_its_filer() -> None:
    for kind in (FilingKind.EOIR_28, FilingKind.EOIR_27):
        f = _filing(kind=kind, case_id=CASE_B, court_id=COURT_B)
        assert write(ATTORNEY, None, f) is None
        assert write(ATTORNEY, None, change(f, status=FilingStatus.ACCEPTED)) == (
            "new filings wait for review"
        )
        assert write(ATTORNEY, None, change(f, filer_id=OTHER)) == (
            "you can file only in your own name"
        )
        assert write(ATTORNEY, f, change(f, form={"x": 1})) == (
            "a submitted filing can't be changed; file a new one"
        )
    assert write(ATTORNEY, None, _filing(case_id=CASE_B, court_id=COURT_B)) == (
        "you may file only in cases you appear in"
    )


def test_dhs_files_before_the_board_in_a_case_of_its_courts() -> None:
    w = _World()
    w.courts[CASE_AT_BOARD] = COURT_A
    at_board = _filing(case_id=CASE_AT_BOARD, court_id=BOARD)
    assert write(DHS, None, at_board, w) is None
    assert write(DHS, None, at_board) == "you may file only in cases you appear in"
    not_before = _filing(case_id=CASE_A, court_id=BOARD)
    assert write(DHS, None, not_before) == "you may file only in cases you appear in"
    assert write(DHS, None, _filing(case_id=None, court_id=BOARD), w) == (
        "you may file only in cases you appear in"
    )


def test_the_boards_clerk_reviews_filings_before_the_board() -> None:
    f = _filing(id=FILING_AT_BOARD, case_id=CASE_AT_BOARD, court_id=BOARD)
    accepted = change(f, status=FilingStatus.ACCEPTED)
    assert write(BCLERK, f, accepted) is None
    g = _filing(case_id=CASE_B, court_id=BOARD)
    assert write(BCLERK, g, change(g, status=FilingStatus.ACCEPTED)) == (
        "the case is not before the Board"
    )
    assert write(CLERK, f, accepted) == "a filing before the Board is reviewed by the Board's clerk"
    assert write(who(Role.CLERK, COURT_B), _filing(), None) == "filings are never deleted"
    h = _filing()
    # A clerk of another court is told the filing is another court's; the Board's wording
    # is for a filing before the Board only (it once answered every other court's filing).
    assert write(who(Role.CLERK, COURT_B), h, change(h, status=FilingStatus.ACCEPTED)) == (
        "the record belongs to another court"
    )
    assert write(who(Role.JUDGE, COURT_B), h, change(h, status=FilingStatus.ACCEPTED)) == (
        "only a board_clerk or clerk may change this record"
    )


# -- annotations ----------------------------------------------------------------------------


def _note(**fields: Any) -> Annotation:
    base: dict[str, Any] = {
        "id": _id(),
        "document_id": DOC_A,
        "author_id": ME,
        "visibility": Visibility.PRIVATE,
        "comment": "",
    }
    return Annotation.model_construct(**(base | fields))


def test_court_staff_annotate_their_courts_documents_as_themselves() -> None:
    n = _note()
    assert write(CLERK, None, n) is None
    assert write(CLERK, n, change(n, comment="x")) is None
    assert write(CLERK, n, None) is None
    assert write(CLERK, None, _note(visibility=Visibility.SHARED)) is None
    belong = "annotations belong to their author"
    assert write(CLERK, None, _note(author_id=OTHER)) == belong
    assert write(CLERK, _note(author_id=OTHER), None) == belong
    assert write(CLERK, None, _note(visibility=Visibility.PANEL)) == (
        "a note shared with a Board panel is a Board member's"
    )
    assert write(who(Role.CLERK, COURT_B), None, n) == "the document belongs to another court"
    assert write(who(Role.CLERK, COURT_B), n, None) == "the document belongs to another court"
    assert write(ATTORNEY, None, n) == "annotations are for court staff and Board members"
    assert write(BCLERK, None, n) == "annotations are for court staff and Board members"


def _decision(**fields: Any) -> BoardDecision:
    base: dict[str, Any] = {
        "id": _id(),
        "appeal_id": _id(),
        "case_id": CASE_AT_BOARD,
        "panel": False,
        "member_ids": [ME],
        "author_id": ME,
        "assigned_by": OTHER,
        "assigned_on": datetime.date(2026, 12, 1),
        "status": BoardDecisionStatus.ASSIGNED,
        "outcome": None,
        "order_id": None,
    }
    return BoardDecision.model_construct(**(base | fields))


def test_a_board_member_annotates_cases_before_the_board() -> None:
    n = _note(document_id=DOC_AT_BOARD)
    on_panel = _World(decisions=[_decision(member_ids=[OTHER, ME], panel=True)])
    assert write(MEMBER, None, n) is None
    assert write(MEMBER, n, None) is None
    panel_note = change(n, visibility=Visibility.PANEL)
    assert write(MEMBER, None, panel_note, on_panel) is None
    assert write(MEMBER, n, panel_note, on_panel) is None
    assert write(MEMBER, None, panel_note) == (
        "only a member assigned to decide the case shares notes with its panel"
    )
    assert write(MEMBER, n, panel_note) == (
        "only a member assigned to decide the case shares notes with its panel"
    )
    assert write(MEMBER, None, change(n, visibility=Visibility.SHARED)) == (
        "a Board member's note is private or shared with the panel"
    )
    assert write(MEMBER, None, change(n, author_id=OTHER)) == "annotations belong to their author"
    assert write(MEMBER, change(n, author_id=OTHER), n) == "annotations belong to their author"
    not_before = "the document is not in a case before the Board"
    assert write(MEMBER, None, _note()) == not_before
    assert write(MEMBER, _note(document_id=_id()), None) == not_before
    assert write(MEMBER, _note(), n) == not_before


# -- orders ---------------------------------------------------------------------------------


def _order(**fields: Any) -> Order:
    base: dict[str, Any] = {
        "id": _id(),
        "case_id": CASE_A,
        "judge_id": JUDGE_A,
        "template": "continuance",
        "status": OrderStatus.DRAFT,
        "signed_by": None,
        "document_id": None,
    }
    return Order.model_construct(**(base | fields))


def test_the_judge_drafts_and_signs_their_own_orders() -> None:
    o = _order()
    assert write(JUDGE, None, o) is None
    assert write(CLERK, None, o) is None  # the clerk prepares a draft
    signed = change(o, status=OrderStatus.SIGNED, signed_by=JUDGE_A)
    assert write(JUDGE, o, signed) is None
    assert write(JUDGE, o, change(signed, signed_by=OTHER)) == (
        "the signer must be the signing judge"
    )
    assert write(JUDGE, o, None) == "orders are never deleted"
    assert write(JUDGE, signed, change(signed, body="x")) == (
        "a signed order is immutable; issue a correcting order instead"
    )
    assert write(JUDGE, o, change(o, status=OrderStatus.ISSUED)) == (
        "orders are issued by the server when the judge's signature arrives"
    )
    assert write(JUDGE, o, change(o, document_id=_id())) == (
        "orders are issued by the server when the judge's signature arrives"
    )
    theirs = _order(judge_id=OTHER)
    own = "a judge drafts and signs only their own orders"
    assert write(JUDGE, None, theirs) == own
    assert write(JUDGE, theirs, o) == own
    assert write(ATTORNEY, None, o) == "only a clerk or judge may change this record"
    assert write(CLERK, o, signed) is not None  # a clerk signs no order


def test_a_board_member_drafts_and_signs_the_boards_order_on_a_motion() -> None:
    o = _order(case_id=CASE_AT_BOARD, judge_id=ME, template="board_motion_order")
    assert write(MEMBER, None, o) is None
    signed = change(o, status=OrderStatus.SIGNED, signed_by=ME)
    assert write(MEMBER, o, signed) is None
    assert write(MEMBER, o, change(signed, signed_by=OTHER)) == (
        "the signer must be the Board member who signs"
    )
    assert write(MEMBER, o, change(o, status=OrderStatus.ISSUED)) == (
        "orders are issued by the server when the signature arrives"
    )
    assert write(MEMBER, o, change(o, document_id=_id())) == (
        "orders are issued by the server when the signature arrives"
    )
    own = "a Board member drafts and signs only their own orders"
    assert write(MEMBER, None, change(o, judge_id=OTHER)) == own
    assert write(MEMBER, change(o, judge_id=OTHER), o) == own
    assert write(MEMBER, None, change(o, case_id=CASE_A)) == "the case is not before the Board"
    assert write(JUDGE, None, o) == (
        "the Board's order on a motion is drafted and signed by a Board member"
    )
    # a court order turned into the Board's is judged as the Board's
    assert write(JUDGE, _order(template="board_motion_order"), _order()) == (
        "the Board's order on a motion is drafted and signed by a Board member"
    )


def test_the_writing_member_drafts_the_boards_decision_and_a_single_member_signs_it() -> None:
    o = _order(case_id=CASE_AT_BOARD, judge_id=ME, template="board_decision")
    single = _World(decisions=[_decision(order_id=o.id)])
    assert write(MEMBER, None, o, single) is None
    signed = change(o, status=OrderStatus.SIGNED, signed_by=ME)
    assert write(MEMBER, o, signed, single) is None
    assert write(MEMBER, o, change(signed, signed_by=OTHER), single) == (
        "the signer must be the Board member who signs"
    )
    panel = _World(decisions=[_decision(order_id=o.id, panel=True, member_ids=[ME, OTHER])])
    assert write(MEMBER, o, signed, panel) == (
        "a panel's decision is signed by its members' votes, not by one member"
    )
    assert write(MEMBER, None, o, panel) is None
    not_assigned = "a Board member not assigned to the decision can't sign it"
    assert write(MEMBER, o, signed, _World(decisions=[_decision()])) == not_assigned
    other = _World(decisions=[_decision(order_id=o.id, member_ids=[OTHER], author_id=OTHER)])
    assert write(MEMBER, o, signed, other) == not_assigned
    issued = _World(decisions=[_decision(order_id=o.id, status=BoardDecisionStatus.ISSUED)])
    assert write(MEMBER, o, signed, issued) == not_assigned
    assert write(MEMBER, None, o, other) == (
        "only the Board member assigned to write the decision drafts it"
    )
    assert write(MEMBER, None, o, issued) == (
        "only the Board member assigned to write the decision drafts it"
    )
    assert write(MEMBER, None, change(o, judge_id=OTHER), single) == (
        "a Board member drafts and signs only their own decision"
    )
    assert write(MEMBER, change(o, judge_id=OTHER), o, single) == (
        "a Board member drafts and signs only their own decision"
    )
    assert write(MEMBER, o, change(o, document_id=_id()), single) == (
        "a Board decision is issued by the server when it is signed"
    )
    assert write(MEMBER, o, change(o, status=OrderStatus.ISSUED, signed_by=ME), single) == (
        "a Board decision is issued by the server when it is signed"
    )
    assert write(BCLERK, None, o, single) == (
        "a Board decision is drafted and signed by the Board member assigned to it"
    )


# -- addresses, custody ---------------------------------------------------------------------


def test_the_address_history_is_kept_whole() -> None:
    a = Address.model_construct(id=_id(), case_id=CASE_A, kind=AddressKind.NTA)
    assert write(CLERK, None, a) is None
    assert write(CLERK, None, change(a, kind=AddressKind.EOIR_33)) is None
    assert write(DHS, None, a) is None
    assert write(DHS, None, change(a, kind=AddressKind.CUSTODIAL)) is None
    assert write(DHS, None, change(a, kind=AddressKind.EOIR_33)) == (
        "a change of address is filed on Form EOIR-33 and recorded when accepted"
    )
    assert write(DHS, None, change(a, case_id=CASE_B)) == (
        "DHS records addresses only in cases at its assigned courts"
    )
    assert write(CLERK, a, None) == "the address history is kept; record the new address instead"
    assert write(CLERK, a, change(a, kind=AddressKind.CUSTODIAL)) == (
        "an address of record is not edited; record the new address as a new entry"
    )
    assert write(ATTORNEY, None, a) == "only a clerk may change this record"
    assert write(CLERK, None, change(a, case_id=CASE_B)) == "the record belongs to another court"


def test_the_custody_history_is_kept_whole() -> None:
    c = CustodyChange.model_construct(id=_id(), case_id=CASE_A)
    assert write(CLERK, None, c) is None
    assert write(DHS, None, c) is None
    assert write(DHS, None, change(c, case_id=CASE_B)) == (
        "DHS records custody only in cases at its assigned courts"
    )
    assert write(CLERK, c, None) == "the custody history is kept; record the next change instead"
    assert write(CLERK, c, change(c, case_id=CASE_A)) == (
        "a custody change is not edited; record the next change as a new entry"
    )
    assert write(JUDGE, None, c) == "only a clerk may change this record"


# -- motions --------------------------------------------------------------------------------


def _motion(**fields: Any) -> Motion:
    base: dict[str, Any] = {
        "id": _id(),
        "case_id": CASE_A,
        "movant": Movant.RESPONDENT,
        "filer_id": ME,
        "status": MotionStatus.PENDING,
        "before_board": False,
        "other_party_position": OtherPartyPosition.UNKNOWN,
        "document_id": None,
        "ruling": None,
        "ruled_by": None,
        "description": None,
    }
    return Motion.model_construct(**(base | fields))


def _movant(value: str) -> Movant:
    return Movant(value)


def _position(value: str) -> OtherPartyPosition:
    return OtherPartyPosition(value)


def test_parties_move_in_their_own_name_and_for_their_side() -> None:
    m = _motion(movant=_movant("respondent"))
    assert write(ATTORNEY, None, m) is None
    assert write(ATTORNEY, None, change(m, movant=_movant("joint"))) is None
    assert write(ATTORNEY, None, change(m, movant=_movant("dhs"))) == (
        "counsel moves for the respondent, or jointly with DHS"
    )
    assert write(ATTORNEY, None, change(m, case_id=CASE_B)) == (
        "you may file only in cases you appear in"
    )
    d = _motion(movant=_movant("dhs"))
    assert write(DHS, None, d) is None
    assert write(DHS, None, change(d, movant=_movant("joint"))) is None
    assert write(DHS, None, change(d, movant=_movant("respondent"))) == (
        "DHS moves for DHS, or jointly with the respondent"
    )
    assert write(ATTORNEY, m, None) == (
        "motions are never deleted; record the movant's withdrawal instead"
    )


def test_a_party_states_its_position_on_the_other_sides_pending_motion() -> None:
    r = _motion(movant=_movant("respondent"), filer_id=OTHER)
    opposes = change(r, other_party_position=_position("opposes"))
    assert write(DHS, r, opposes) is None
    d = _motion(movant=_movant("dhs"), filer_id=OTHER)
    assert write(ATTORNEY, d, change(d, other_party_position=_position("opposes"))) is None
    assert write(DHS, d, change(d, other_party_position=_position("opposes"))) == (
        "DHS states its position on the respondent's motion"
    )
    assert write(ATTORNEY, r, opposes) == (
        "counsel states the respondent's position on DHS's motion"
    )
    elsewhere = _motion(movant=_movant("respondent"), case_id=CASE_B)
    assert write(DHS, elsewhere, change(elsewhere, other_party_position=_position("opposes"))) == (
        "DHS acts only in cases at its assigned courts"
    )
    d_b = _motion(movant=_movant("dhs"), case_id=CASE_B)
    assert write(ATTORNEY, d_b, change(d_b, other_party_position=_position("opposes"))) == (
        "only counsel of record answers a motion in the case"
    )
    done = change(r, status=MotionStatus.GRANTED)
    assert write(DHS, done, change(done, other_party_position=_position("opposes"))) == (
        "the motion is no longer pending"
    )
    assert write(DHS, r, change(opposes, description="x")) == (
        "a filed motion can't be changed; file a new motion or a withdrawal"
    )
    assert write(DHS, r, r) == "a filed motion can't be changed; file a new motion or a withdrawal"


def test_the_judge_of_the_case_rules_on_its_motions() -> None:
    m = _motion()
    granted = change(m, status=MotionStatus.GRANTED, ruling="granted", ruled_by=JUDGE_A)
    assert write(JUDGE, m, granted) is None
    assert write(JUDGE, m, change(granted, ruled_by=None)) is None
    assert write(JUDGE, m, change(granted, ruled_by=OTHER)) == (
        "the ruling judge must be the judge who rules"
    )
    assert write(JUDGE, m, change(granted, description="x")) == (
        "a ruling changes the motion's ruling and status only"
    )
    assert write(JUDGE, m, granted, _World(judge=OTHER)) == (
        "only the judge of the case rules on its motions"
    )
    assert write(JUDGE, None, _motion(filer_id=JUDGE_A)) == "only a clerk may change this record"


def test_the_clerk_enters_motions_and_records_positions_and_withdrawals() -> None:
    m = _motion(filer_id=CLERK.id)
    assert write(CLERK, None, m) is None
    assert write(CLERK, None, change(m, filer_id=OTHER)) == (
        "the clerk enters a motion in their own name"
    )
    assert write(CLERK, m, change(m, other_party_position=_position("opposes"))) is None
    assert write(CLERK, m, change(m, document_id=_id())) is None
    assert write(CLERK, m, change(m, status=MotionStatus.WITHDRAWN)) is None
    assert write(CLERK, m, change(m, status=MotionStatus.GRANTED)) == (
        "the clerk records a withdrawal only; the judge rules"
    )
    assert write(CLERK, m, change(m, ruling="granted")) == (
        "the clerk records the other party's position or a withdrawal; the judge rules"
    )
    assert write(who(Role.CLERK, COURT_B), None, m) == "the record belongs to another court"


def test_a_motion_before_the_board_is_the_boards() -> None:
    m = _motion(case_id=CASE_AT_BOARD, before_board=True, filer_id=BCLERK.id)
    assert write(ATTORNEY, None, change(m, filer_id=ME, case_id=CASE_A)) is None
    assert write(CLERK, None, change(m, case_id=CASE_A)) == (
        "the motion is before the Board of Immigration Appeals: a Board member rules on "
        "it and the Board's clerk records it, not the immigration court"
    )
    assert write(CLERK, _motion(), change(_motion(), before_board=True)) == (
        "a motion's forum (the court or the Board) can't be changed; file a new motion"
    )
    assert write(BCLERK, None, m) is None
    assert write(BCLERK, None, change(m, filer_id=OTHER)) == (
        "the clerk enters a motion in their own name"
    )
    assert write(BCLERK, m, change(m, status=MotionStatus.WITHDRAWN)) is None
    assert write(BCLERK, m, change(m, other_party_position=_position("opposes"))) is None
    assert write(BCLERK, m, change(m, status=MotionStatus.DENIED)) == (
        "the clerk records a withdrawal only; a Board member rules"
    )
    assert write(BCLERK, m, change(m, ruling="granted")) == (
        "the clerk records the other party's position or a withdrawal; a member rules"
    )
    granted = change(m, status=MotionStatus.GRANTED, ruling="granted", ruled_by=ME)
    assert write(MEMBER, m, granted) is None
    assert write(MEMBER, m, change(granted, ruled_by=None)) is None
    assert write(MEMBER, m, change(granted, ruled_by=OTHER)) == (
        "the ruling Board member must be the member who rules"
    )
    assert write(MEMBER, m, change(granted, description="x")) == (
        "a ruling changes the motion's ruling and status only"
    )
    assert write(MEMBER, None, m) == (
        "a Board member rules on motions; the Board's clerk enters them"
    )
    assert write(MEMBER, None, change(m, case_id=CASE_A)) == "the case is not before the Board"
    court = _motion()
    assert write(MEMBER, court, change(court, status=MotionStatus.GRANTED)) == (
        "a motion before the immigration court is ruled on by its judge, not the Board"
    )


# -- the Board's decisions and votes --------------------------------------------------------


def test_the_boards_clerk_assigns_and_the_writing_member_decides() -> None:
    d = _decision(assigned_by=BCLERK.id, author_id=OTHER, member_ids=[OTHER])
    assert write(BCLERK, None, d) is None
    assert write(BCLERK, None, change(d, assigned_by=OTHER)) == (
        "the clerk assigns in their own name"
    )
    reassigned = change(d, member_ids=[ME], author_id=ME)
    assert write(BCLERK, d, reassigned) is None
    assert write(BCLERK, change(d, assigned_by=OTHER), change(reassigned, assigned_by=OTHER)) == (
        "the clerk assigns in their own name"
    )
    assert write(BCLERK, d, change(d, status=BoardDecisionStatus.DRAFTED)) == (
        "the Board's clerk assigns the appeal; the members decide it"
    )
    mine = change(d, author_id=ME, member_ids=[ME])
    drafted = change(mine, status=BoardDecisionStatus.DRAFTED, order_id=_id(), outcome="x")
    assert write(MEMBER, mine, drafted) is None
    assert write(MEMBER, d, change(d, status=BoardDecisionStatus.DRAFTED)) == (
        "only the Board member assigned to write the decision drafts it"
    )
    assert write(MEMBER, mine, change(mine, member_ids=[ME, OTHER])) == (
        "the writing member records the outcome and the drafted order only"
    )
    assert write(MEMBER, None, mine) == (
        "the Board's clerk assigns an appeal; a member does not assign it"
    )
    assert write(BCLERK, d, None) == "a Board decision is part of the record and is never deleted"
    assert write(BCLERK, None, change(d, case_id=CASE_A)) == "the case is not before the Board"
    assert write(CLERK, None, d) == (
        "only the Board's clerk assigns an appeal, and its members decide it"
    )


def test_a_panel_member_signs_their_own_vote_once() -> None:
    d = _decision(panel=True, member_ids=[ME, OTHER, JUDGE_A])
    w = _World(decisions=[d])
    v = BoardVote.model_construct(
        id=_id(), board_decision_id=d.id, case_id=CASE_AT_BOARD, member_id=ME
    )
    assert write(MEMBER, None, v, w) is None
    assert write(MEMBER, v, change(v, opinion="x"), w) == (
        "a signed vote is not changed or withdrawn"
    )
    assert write(MEMBER, v, None, w) == "a signed vote is not changed or withdrawn"
    assert write(BCLERK, None, v, w) == "only the Board members of the panel vote"
    assert write(MEMBER, None, change(v, member_id=OTHER), w) == (
        "a Board member signs only their own vote"
    )
    assert write(MEMBER, None, change(v, board_decision_id=_id()), w) == (
        "the vote names no Board decision of the case"
    )
    off_panel = _World(decisions=[change(d, member_ids=[OTHER])])
    assert write(MEMBER, None, v, off_panel) == (
        "a Board member not assigned to the panel can't vote on its decision"
    )


# -- pleadings and decisions ----------------------------------------------------------------


def test_the_judge_of_the_case_records_pleadings_and_decisions() -> None:
    p = Pleading.model_construct(id=_id(), case_id=CASE_A, judge_id=JUDGE_A, charges=[])
    assert write(JUDGE, None, p) is None
    assert write(JUDGE, p, change(p, charges=["x"])) is None
    assert write(JUDGE, p, None) == "a pleading is part of the record and is never deleted"
    assert write(JUDGE, None, p, _World(judge=OTHER)) == (
        "only the judge of the case records its pleading"
    )
    assert write(JUDGE, None, change(p, judge_id=OTHER)) == (
        "only the judge of the case records its pleading"
    )
    assert write(JUDGE, change(p, judge_id=OTHER), p) == "a judge amends only their own pleading"
    assert write(CLERK, None, p) == "only a judge may change this record"
    d = DecisionRecord.model_construct(
        id=_id(), case_id=CASE_A, judge_id=JUDGE_A, served_on=None, form="oral"
    )
    assert write(JUDGE, None, d) is None
    assert write(JUDGE, d, None) == "a decision is part of the record and is never deleted"
    assert write(JUDGE, None, d, _World(judge=OTHER)) == (
        "only the judge of the case records its decision"
    )


def test_a_written_decisions_service_is_recorded_once_by_the_clerk_or_its_judge() -> None:
    from common.enums import DecisionForm

    d = DecisionRecord.model_construct(
        id=_id(),
        case_id=CASE_A,
        judge_id=JUDGE_A,
        served_on=None,
        form=DecisionForm.WRITTEN,
        decided_on=datetime.date(2026, 12, 1),
    )
    served = change(d, served_on=datetime.date(2026, 12, 2))
    assert write(CLERK, d, served) is None
    assert write(JUDGE, d, served) is None
    assert write(JUDGE, d, served, _World(judge=OTHER)) == (
        "only the judge of the case or a clerk records its service"
    )
    assert write(ATTORNEY, d, served) == "only a clerk or judge may change this record"
    assert write(CLERK, d, change(d, judge_id=OTHER)) is not None


# -- appeals --------------------------------------------------------------------------------


def _appeal(**fields: Any) -> Appeal:
    base: dict[str, Any] = {
        "id": _id(),
        "case_id": CASE_A,
        "filer_id": ME,
        "appellant": Party.RESPONDENT,
        "eoir27_filing_id": None,
        "reasons": "r",
    }
    return Appeal.model_construct(**(base | fields))


def test_a_party_of_record_files_the_notice_of_appeal() -> None:
    a = _appeal()
    assert write(ATTORNEY, None, a) is None
    assert write(ATTORNEY, None, change(a, case_id=CASE_B, eoir27_filing_id=_id())) is None
    assert write(ATTORNEY, None, change(a, case_id=CASE_B)) == (
        "only a party of record files a notice of appeal: counsel with an accepted "
        "EOIR-28 in the case, or with an EOIR-27 filed with the appeal"
    )
    assert write(ATTORNEY, None, change(a, appellant=Party.DHS)) == (
        "counsel appeals for the respondent"
    )
    assert write(ATTORNEY, None, change(a, filer_id=OTHER)) == (
        "you can file only in your own name"
    )
    d = _appeal(appellant=Party.DHS)
    assert write(DHS, None, d) is None
    assert write(DHS, None, change(d, appellant=Party.RESPONDENT)) == (
        "DHS files its own notice of appeal"
    )
    assert write(DHS, None, change(d, case_id=CASE_B)) == (
        "DHS appeals only in cases at its assigned courts"
    )
    assert write(CLERK, None, a) == (
        "a notice of appeal is filed by a party: counsel of record or DHS"
    )
    assert write(ATTORNEY, a, None) == (
        "a notice of appeal is part of the record and is never deleted"
    )


def test_after_filing_each_hand_changes_its_own_part_of_the_appeal() -> None:
    a = _appeal()
    assert write(BCLERK, a, change(a, reasons="s")) == (
        "the Board's clerk rejects or dockets an appeal; not reasons"
    )
    assert write(JUDGE, a, change(a, reasons="s")) == (
        "only the Board's clerk reviews a notice of appeal"
    )
    assert write(CLERK, a, change(a, reasons="s")) == (
        "an immigration court's clerk prepares the transcript; the Board's clerk "
        "rejects or dockets the appeal"
    )
    b = _appeal(case_id=CASE_B)
    assert write(CLERK, b, change(b, reasons="s")) == "the case belongs to another court"
    assert write(ATTORNEY, b, change(b, reasons="s")) is not None
    stranger = _appeal(case_id=CASE_B, filer_id=OTHER)
    assert write(ATTORNEY, stranger, change(stranger, reasons="s")) == (
        "only a party of record files in the appeal"
    )
    dhs_elsewhere = _appeal(case_id=CASE_B, appellant=Party.DHS)
    assert write(DHS, dhs_elsewhere, change(dhs_elsewhere, reasons="s")) == (
        "DHS acts only in cases at its assigned courts"
    )


# -- record requests, bonds -----------------------------------------------------------------


def test_a_party_requests_the_record_of_a_case_it_sees_for_itself() -> None:
    r = RopRequest.model_construct(
        id=_id(),
        case_id=CASE_A,
        requester_id=ME,
        status=RopRequestStatus.QUEUED,
        result_sha256=None,
        error=None,
    )
    assert write(ATTORNEY, None, r) is None
    server_only = "record requests are updated by the server only"
    assert write(ATTORNEY, r, change(r, error="x")) == server_only
    assert write(ATTORNEY, r, None) == server_only
    assert write(ATTORNEY, None, change(r, requester_id=OTHER)) == (
        "you can request the record only for yourself"
    )
    queued = "a new record request starts queued, with no result"
    assert write(ATTORNEY, None, change(r, status=RopRequestStatus.DONE)) == queued
    assert write(ATTORNEY, None, change(r, result_sha256="ab")) == queued
    assert write(ATTORNEY, None, change(r, error="x")) == queued
    assert write(ATTORNEY, None, change(r, case_id=CASE_B)) == (
        "you may request the record only of a case you can see"
    )


def _bond(**fields: Any) -> Bond:
    base: dict[str, Any] = {
        "id": _id(),
        "case_id": CASE_A,
        "dhs_determination": "no_bond",
        "dhs_amount": None,
        "requested_amount": None,
        "outcome": None,
        "amount": None,
        "judge_id": None,
        "stay_filed_on": None,
        "dhs_appeal_filed_on": None,
    }
    return Bond.model_construct(**(base | fields))


def test_the_clerk_dockets_a_bond_request_dhs_states_and_the_judge_decides() -> None:
    b = _bond()
    assert write(CLERK, None, b) is None
    assert write(CLERK, b, change(b, requested_amount=5000)) is None
    undecided = "a new request starts undecided; the judge decides it"
    assert write(CLERK, None, change(b, outcome="granted")) == undecided
    assert write(CLERK, None, change(b, stay_filed_on=datetime.date(2026, 1, 1))) == undecided
    assert write(CLERK, None, change(b, dhs_appeal_filed_on=datetime.date(2026, 1, 1))) == (
        undecided
    )
    assert write(CLERK, b, change(b, outcome="granted", amount=1)) == (
        "the clerk dockets the request; the decision is the judge's and the "
        "determination and EOIR-43 are DHS's: amount, outcome"
    )
    assert write(CLERK, b, None) == (
        "a bond redetermination is part of the record and is never deleted"
    )
    assert write(ATTORNEY, None, b) == "only a clerk may change this record"
    decided = change(b, outcome="granted", amount=1, judge_id=JUDGE_A)
    assert write(JUDGE, b, decided) is None
    assert write(JUDGE, b, change(decided, judge_id=None)) is None
    assert write(JUDGE, b, change(decided, judge_id=OTHER)) == (
        "a judge records only their own decision"
    )
    assert write(JUDGE, b, change(decided, requested_amount=3, dhs_amount=2)) == (
        "a judge records the decision; the rest is the clerk's and DHS's: "
        "dhs_amount, requested_amount"
    )
    assert write(JUDGE, None, b) == "the clerk dockets a bond request; the judge decides it"
    assert write(who(Role.JUDGE, COURT_B), b, decided) == "the record belongs to another court"
    assert write(DHS, b, change(b, dhs_amount=10000)) is None
    assert write(DHS, b, change(b, stay_filed_on=datetime.date(2026, 1, 1))) is None
    assert write(DHS, None, b) == (
        "the request is docketed by the clerk; DHS then states its determination"
    )
    assert write(DHS, _bond(case_id=CASE_B), _bond(case_id=CASE_B, dhs_amount=1)) == (
        "DHS acts only in cases at its assigned courts"
    )
    assert write(DHS, b, change(b, outcome="granted", amount=2)) == (
        "DHS states its custody determination and files its EOIR-43; not amount, outcome"
    )
    after = change(b, outcome="granted")
    assert write(DHS, after, change(after, dhs_amount=1)) == (
        "DHS's determination can't change once the judge has decided"
    )
    assert write(DHS, after, change(after, stay_filed_on=datetime.date(2026, 1, 1))) is None


@pytest.mark.parametrize("kind", [FilingKind.CHANGE_OF_ADDRESS, FilingKind.DOCUMENT])
def test_a_respondent_files_pending_in_their_own_case(kind: FilingKind) -> None:
    f = _filing(kind=kind)
    assert write(RESPONDENT, None, f) is None
    assert write(RESPONDENT, None, change(f, status=FilingStatus.ACCEPTED)) == (
        "new filings wait for clerk review"
    )
    assert write(RESPONDENT, None, change(f, filer_id=OTHER)) == (
        "you can file only in your own name"
    )
    assert write(RESPONDENT, None, change(f, case_id=CASE_B)) == (
        "you may file only in your own case"
    )
    assert write(RESPONDENT, None, _filing(kind=FilingKind.EOIR_28)) == (
        "this filing is not one the respondent's pages accept"
    )


def _briefing(**fields: Any) -> Appeal:
    base: dict[str, Any] = {
        "status": "docketed",
        "transcript_status": "ordered",
        "transcript_document_id": None,
        "appellant_brief_due": None,
        "appellee_brief_due": None,
        "appellant_extension": "none",
        "appellant_extension_requested_at": None,
        "appellant_extension_decided_on": None,
        "appellee_extension": "none",
        "appellee_extension_requested_at": None,
        "appellee_extension_decided_on": None,
        "appellant_brief_document_id": None,
        "appellee_brief_document_id": None,
    }
    return _appeal(**(base | fields))


DAY = datetime.date(2026, 12, 3)


def test_the_boards_clerk_dockets_and_decides_one_extension_at_a_time() -> None:
    a = _briefing(status="filed")
    assert write(BCLERK, a, change(a, status="docketed", docketed_on=DAY)) is None
    assert write(BCLERK, a, change(a, transcript_status="ready")) is None
    b = _briefing()
    for side in ("appellant", "appellee"):
        granted = {f"{side}_extension": "granted", f"{side}_extension_decided_on": DAY}
        assert write(BCLERK, b, change(b, **granted)) is None
        assert write(BCLERK, b, change(b, **granted, **{f"{side}_brief_due": DAY})) is None
        assert write(BCLERK, b, change(b, **{f"{side}_extension": "denied"})) is None
        assert write(BCLERK, b, change(b, **granted, status="decided")) == (
            "the Board's clerk decides one party's extension request at a time"
        )
        # the party's own request is not the clerk's to file
        requested = granted | {f"{side}_extension_requested_at": DAY}
        assert write(BCLERK, b, change(b, **requested)) == (
            "the Board's clerk decides one party's extension request at a time"
        )
    both = {"appellant_extension": "granted", "appellee_extension": "granted"}
    assert write(BCLERK, b, change(b, **both)) == (
        "the Board's clerk decides one party's extension request at a time"
    )
    assert write(BCLERK, b, change(b, appellant_brief_due=DAY)) == (
        "the Board's clerk rejects or dockets an appeal; not appellant_brief_due"
    )
    assert write(BCLERK, b, change(b, reasons="s", filer_id=OTHER)) == (
        "the Board's clerk rejects or dockets an appeal; not filer_id, reasons"
    )
    assert write(CLERK, b, change(b, transcript_status="ready", transcript_document_id=DOC_A)) is (
        None
    )


def test_each_party_files_on_its_own_side_of_the_appeal() -> None:
    b = _briefing()  # the respondent's appeal, by ME (counsel of record in case A)
    request = {"appellant_extension": "requested", "appellant_extension_requested_at": DAY}
    assert write(ATTORNEY, b, change(b, **request)) is None
    assert write(ATTORNEY, b, change(b, appellant_brief_document_id=DOC_A)) is None
    assert write(ATTORNEY, b, change(b, appellee_brief_document_id=DOC_A)) == (
        "a party files only on its own side of the appeal (the appellant's extension request "
        "or brief); the Board's clerk decides requests and issues the schedule"
    )
    mixed = request | {"appellant_brief_document_id": DOC_A}
    assert write(ATTORNEY, b, change(b, **mixed)) is not None
    # the appeal's filer whose EOIR-27 went with it, not of record in the case
    theirs = _briefing(case_id=CASE_B)
    assert write(ATTORNEY, theirs, change(theirs, appellant_brief_document_id=DOC_A)) is None
    dhs_filed = _briefing(case_id=CASE_B, appellant=Party.DHS)
    assert write(ATTORNEY, dhs_filed, change(dhs_filed, appellee_brief_document_id=DOC_A)) == (
        "only a party of record files in the appeal"
    )
    # DHS is the appellee of the respondent's appeal
    assert write(DHS, b, change(b, appellee_brief_document_id=DOC_A)) is None
    assert write(DHS, b, change(b, appellant_brief_document_id=DOC_A)) == (
        "a party files only on its own side of the appeal (the appellee's extension request "
        "or brief); the Board's clerk decides requests and issues the schedule"
    )
    own = _briefing(appellant=Party.DHS, filer_id=OTHER)
    assert write(DHS, own, change(own, appellant_brief_document_id=DOC_A)) is None
    assert write(ATTORNEY, own, change(own, appellee_brief_document_id=DOC_A)) is None


def test_a_record_moved_between_courts_is_refused_by_its_old_court_too() -> None:
    moved = ServiceRecord.model_construct(id=_id(), case_id=CASE_B)
    back = change(moved, case_id=CASE_A)
    assert write(CLERK, moved, back) == "the record belongs to another court"
    assert write(CLERK, back, moved) == "the record belongs to another court"


def test_the_boards_clerk_reassigns_panel_and_date_in_their_own_name() -> None:
    d = _decision(assigned_by=OTHER, author_id=OTHER, member_ids=[OTHER])
    panel = change(
        d,
        panel=True,
        member_ids=[OTHER, ME, JUDGE_A],
        assigned_by=BCLERK.id,
        assigned_on=DAY,
    )
    assert write(BCLERK, d, panel) is None
    assert write(BCLERK, d, change(d, assigned_by=BCLERK.id, assigned_on=DAY)) is None


def test_court_staff_request_the_record_of_their_own_courts_cases_only() -> None:
    r = RopRequest.model_construct(
        id=_id(),
        case_id=CASE_A,
        requester_id=ME,
        status=RopRequestStatus.QUEUED,
        result_sha256=None,
        error=None,
    )
    assert write(CLERK, None, r) is None
    assert write(who(Role.CLERK, COURT_B), None, r) == (
        "you may request the record only of a case you can see"
    )


def test_an_appearance_moved_from_another_courts_case_is_refused() -> None:
    there = _rep(case_id=CASE_B)
    here = change(there, case_id=CASE_A)
    assert write(CLERK, there, here) == "the record belongs to another court"
    leave = change(here, status=RepresentationStatus.WITHDRAWN, leave_by=JUDGE_A)
    assert write(JUDGE, there, leave) == "the record belongs to another court"


# -- third round: survivors of the sampled mutation run ---------------------------------------


def test_a_granted_extension_moves_both_due_days() -> None:
    b = _briefing()
    granted = {
        "appellant_extension": "granted",
        "appellant_extension_decided_on": DAY,
        "appellant_brief_due": DAY,
        "appellee_brief_due": DAY,
    }
    assert write(BCLERK, b, change(b, **granted)) is None


def test_a_filing_or_hearing_moved_between_courts_is_refused() -> None:
    f = _filing()
    to_b = change(f, court_id=COURT_B, case_id=CASE_B)
    assert write(CLERK, f, to_b) == "the record belongs to another court"
    from_b = _filing(court_id=COURT_B, case_id=CASE_B)
    assert write(CLERK, from_b, change(from_b, court_id=COURT_A, case_id=CASE_A)) == (
        "the record belongs to another court"
    )
    h = _hearing(case_id=CASE_B)
    assert write(CLERK, h, change(h, case_id=CASE_A)) == "the record belongs to another court"


def test_an_appearance_moved_to_another_courts_case_is_refused_to_the_judge() -> None:
    rep = _rep()
    leave = change(rep, status=RepresentationStatus.WITHDRAWN, leave_by=JUDGE_A, case_id=CASE_B)
    assert write(JUDGE, rep, leave) == "the record belongs to another court"


def test_a_board_decision_draft_stays_the_boards() -> None:
    draft = _order(case_id=CASE_AT_BOARD, judge_id=JUDGE_A, template="board_decision")
    assert write(JUDGE, draft, change(draft, template="continuance")) == (
        "a Board decision is drafted and signed by the Board member assigned to it"
    )


def test_only_the_judge_of_the_case_signs_its_orders() -> None:
    o = _order()
    signed = change(o, status=OrderStatus.SIGNED, signed_by=JUDGE_A)
    assert write(JUDGE, o, signed, _World(judge=OTHER)) == (
        "only the judge of the case signs an order; this case is before another judge"
    )
    assert write(CLERK, o, change(o, status=OrderStatus.SIGNED, signed_by=CLERK.id)) == (
        "only the judge of the case signs an order; staff may prepare it, never sign"
    )


def test_the_clerk_keeps_a_hearing_in_the_court_and_its_recorded_outcome() -> None:
    h = _hearing()
    assert write(CLERK, h, change(h, case_id=CASE_B)) == "the record belongs to another court"
    held = _hearing(status=HearingStatus.COMPLETED, outcome="held")
    assert write(CLERK, held, change(held, duration_minutes=60)) is None


# -- found by the whole-module mutation run (docs/TESTING.md) --------------------------------


def test_a_clerk_records_custody_only_in_their_own_courts_cases() -> None:
    c = CustodyChange.model_construct(id=_id(), case_id=CASE_B)
    assert write(CLERK, None, c) == "the record belongs to another court"
    assert write(who(Role.CLERK, COURT_B), None, c) is None


def test_the_boards_clerk_attaches_the_document_of_a_motion_before_the_board() -> None:
    m = _motion(case_id=CASE_AT_BOARD, before_board=True, filer_id=BCLERK.id)
    assert write(BCLERK, m, change(m, document_id=_id())) is None


def test_a_judges_pleading_stays_in_the_judges_court() -> None:
    p = Pleading.model_construct(id=_id(), case_id=CASE_A, judge_id=JUDGE_A, charges=[])
    elsewhere = change(p, case_id=CASE_B)
    assert write(JUDGE, None, elsewhere) == "the record belongs to another court"
    assert write(JUDGE, p, elsewhere) == "the record belongs to another court"
    assert write(JUDGE, elsewhere, p) == "the record belongs to another court"


def test_a_bond_request_stays_in_the_court_that_docketed_it() -> None:
    here, there = _bond(), _bond(case_id=CASE_B)
    for staff in (CLERK, JUDGE):
        assert write(staff, here, change(here, case_id=CASE_B)) == (
            "the record belongs to another court"
        )
        assert write(staff, there, change(there, case_id=CASE_A)) == (
            "the record belongs to another court"
        )
    assert write(CLERK, None, there) == "the record belongs to another court"


def test_a_document_filed_with_the_court_is_reviewed_by_the_courts_clerk() -> None:
    doc = _doc(filing_id=_id())  # its filing is with the immigration court, not the Board
    accepted = change(doc, status=DocumentStatus.ACCEPTED)
    assert write(CLERK, doc, accepted) is None
    assert write(BCLERK, doc, accepted) == (
        "a filing with the immigration court is reviewed by the court's clerk"
    )


def test_the_clerks_review_of_a_filing_records_who_reviewed_it_and_when() -> None:
    f = _filing()
    reviewed = change(
        f,
        status=FilingStatus.ACCEPTED,
        reviewed_by=CLERK.id,
        reviewed_at=datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC),
    )
    assert write(CLERK, f, reviewed) is None


def test_a_document_is_added_in_its_own_court_and_never_edited_by_its_filer() -> None:
    sealed = _doc(confidentiality=["sealed"])
    assert write(CLERK, None, sealed) is None
    assert write(CLERK, None, _doc(case_id=CASE_B)) == "the record belongs to another court"
    submitted = "a submitted filing can't be changed; file a new one"
    assert write(ATTORNEY, sealed, change(sealed, title="u")) == submitted
    assert write(RESPONDENT, _doc(), change(_doc(), title="u")) == submitted


def test_dhs_files_in_a_case_of_its_court_that_is_not_before_the_board() -> None:
    assert write(DHS, None, _filing(filer_id=DHS.id)) is None


def test_a_draft_order_stays_in_its_court() -> None:
    here, there = _order(), _order(case_id=CASE_B)
    assert write(CLERK, here, change(here, case_id=CASE_B)) == "the record belongs to another court"
    assert write(CLERK, there, change(there, case_id=CASE_A)) == (
        "the record belongs to another court"
    )


# -- found by the complete whole-module run (docs/TESTING.md) --------------------------------


def test_a_party_files_a_late_brief_with_all_its_fields_at_once() -> None:
    b = _briefing()
    late = {
        "appellant_brief_document_id": DOC_A,
        "appellant_brief_received_at": datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC),
        "appellant_brief_late": True,
    }
    assert write(ATTORNEY, b, change(b, **late)) is None
    dhs_late = {k.replace("appellant", "appellee"): v for k, v in late.items()}
    assert write(DHS, b, change(b, **dhs_late)) is None
    # and still on its own side only
    assert write(DHS, b, change(b, **late)) is not None


def test_a_clerk_cannot_pull_another_courts_motion_into_their_court() -> None:
    theirs = _motion(case_id=CASE_B, filer_id=OTHER)
    pulled = change(theirs, case_id=CASE_A)
    assert write(CLERK, theirs, pulled) == "the record belongs to another court"
    withdrawn = change(pulled, status=MotionStatus.WITHDRAWN)
    assert write(CLERK, theirs, withdrawn) == "the record belongs to another court"


def test_a_clerk_cannot_pull_another_courts_document_into_their_court_sealed() -> None:
    theirs = _doc(case_id=CASE_B, filer_id=OTHER)
    sealed_here = change(theirs, case_id=CASE_A, confidentiality=["sealed"])
    assert write(CLERK, theirs, sealed_here) == "the record belongs to another court"
    assert write(JUDGE, theirs, sealed_here) == "the record belongs to another court"
