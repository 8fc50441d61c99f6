"""The one access policy: who may call what, see which records and change them.

Every endpoint declares an :class:`Action` (checked by :func:`allows` before the view
runs); the sync feed is filtered by :func:`feed_filter`; every pushed change is judged by
:func:`check_write`; single reads (a document's bytes) by :func:`can_see`. Nothing else in
the server decides access.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    exists,
    false,
    literal,
    not_,
    or_,
    select,
    union_all,
)
from sqlalchemy import cast as sa_cast

from common.appeals import REVIEW_FIELDS as _APPEAL_REVIEW_FIELDS
from common.appeals import SIDES as _APPEAL_SIDES
from common.appeals import TRANSCRIPT_FIELDS as _APPEAL_TRANSCRIPT_FIELDS
from common.appeals import (
    brief_fields,
    extension_decision_fields,
    extension_request_fields,
    side_of,
)
from common.board_decisions import DECISION_TEMPLATE as _BOARD_DECISION_TEMPLATE
from common.decisions import check_service_recorded
from common.enums import (
    AddressKind,
    AppealStatus,
    AppearanceScope,
    BoardDecisionStatus,
    CaseStatus,
    CaseType,
    Confidentiality,
    DocumentStatus,
    FilingKind,
    FilingStatus,
    HearingStatus,
    OrderStatus,
    Party,
    RepresentationStatus,
    Role,
    RopRequestStatus,
    Visibility,
)
from common.motions import BOARD_MOTION_ORDER
from common.orders import signing_refusal
from common.resources import DataFileError, read_data_file, resource_path
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
from sync_server.models import (
    AppealRow,
    BoardDecisionRow,
    CaseRow,
    DocumentRow,
    RepresentationRow,
    SyncDeparture,
    SyncRecord,
)
from sync_server.models.respondents import RespondentCase


@dataclass(frozen=True)
class Principal:
    """The signed-in user, as the policy sees them."""

    id: str
    username: str
    role: Role
    court_id: str | None
    display_name: str
    assigned_court_ids: tuple[str, ...] = ()


class Action(StrEnum):
    """What an endpoint does, for :func:`allows`."""

    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    SYNC_PULL = "sync.pull"
    SYNC_PUSH = "sync.push"
    BLOB_UPLOAD = "blob.upload"
    BLOB_READ = "blob.read"
    CASE_HISTORY = "case.history"
    ROP_PACKAGE_REQUEST = "rop_package.request"
    ROP_PACKAGE_READ = "rop_package.read"
    # The web portal (sync_server/portal): checked by :func:`portal_allows`.
    PORTAL_SIGN_IN_STEP = "portal.sign_in_step"  # between the password and the TOTP code
    PORTAL_HOME = "portal.home"  # any fully signed-in portal user
    PORTAL_CASES = "portal.cases"  # external users: their cases and documents
    PORTAL_APPEAR = "portal.appear"  # practitioners: EOIR-28 / EOIR-27
    PORTAL_FILE = "portal.file"  # external users: documents, change of address
    PORTAL_NTA = "portal.nta"  # DHS: notices to appear
    PORTAL_PROFILE = "portal.profile"  # external users: own contact details, mail, terms
    REGISTRATION_REVIEW = "registration.review"  # court administrators
    PORTAL_RESPONDENT = "portal.respondent"  # an enrolled respondent: their own case(s)
    ACCESS_CODE_ROTATE = "access_code.rotate"  # a court's clerk replaces a case access code


_PUSHERS = frozenset(Role) - {Role.EOIR_STAFF}
# EOIR staff push too, but check_write lets them change nationwide reference data only.
_SYNC_PUSHERS = frozenset(Role)


def allows(principal: Principal | None, action: Action) -> bool:
    """May ``principal`` (None: not signed in) call an endpoint doing ``action``?"""
    if action is Action.PUBLIC:
        return True
    if principal is None:
        return False
    if principal.role is Role.RESPONDENT:  # the portal's own pages only; no API
        return False
    if action is Action.SYNC_PUSH:
        return principal.role in _SYNC_PUSHERS
    if action in (Action.BLOB_UPLOAD, Action.ROP_PACKAGE_REQUEST):
        return principal.role in _PUSHERS
    if action is Action.CASE_HISTORY:  # the audit trail is the court's, not the parties'
        return principal.role.is_court_staff or principal.role is Role.EOIR_STAFF
    if action is Action.REGISTRATION_REVIEW:
        return principal.role is Role.COURT_ADMIN and principal.court_id is not None
    if action is Action.ACCESS_CODE_ROTATE:  # which cases: may_rotate_access_code
        return principal.role in (Role.CLERK, Role.COURT_ADMIN) and principal.court_id is not None
    # The portal's pages are never API endpoints (see portal_allows); all else: signed in.
    return not action.value.startswith("portal.")


_PORTAL_FILING = frozenset({Action.PORTAL_APPEAR, Action.PORTAL_FILE, Action.PORTAL_NTA})


def portal_allows(
    principal: Principal | None,
    action: Action,
    *,
    second_factor_done: bool,
    suspended: bool,
) -> bool:
    """May ``principal`` open a portal page doing ``action``? Fails closed: a half
    signed-in session (password without its second factor) reaches only the sign-in
    steps, and a suspended practitioner reads but never files."""
    if action is Action.PUBLIC:
        return True
    if principal is None:
        return False
    if action is Action.PORTAL_SIGN_IN_STEP:
        return True
    if not second_factor_done:
        return False
    if action in _PORTAL_FILING and suspended:
        return False
    role = principal.role
    match action:
        case Action.PORTAL_HOME:
            return True
        case Action.PORTAL_CASES | Action.PORTAL_FILE | Action.PORTAL_PROFILE:
            return role.is_external
        case Action.PORTAL_APPEAR:
            return role.is_practitioner
        case Action.PORTAL_NTA:
            return role is Role.DHS
        case Action.REGISTRATION_REVIEW:
            return role is Role.COURT_ADMIN and principal.court_id is not None
        case Action.PORTAL_RESPONDENT:
            return role is Role.RESPONDENT
        case Action.ACCESS_CODE_ROTATE:
            return role in (Role.CLERK, Role.COURT_ADMIN) and principal.court_id is not None
        case Action.ROP_PACKAGE_REQUEST | Action.ROP_PACKAGE_READ:
            # A respondent has no API (allows) but asks for their own case's record here,
            # as counsel do; the package holds what they may read (rop_request's rule).
            return (role.is_external and allows(principal, action)) or role is Role.RESPONDENT
    return False


# --- Placement: where a record belongs, and who may see it -------------------------------


class Audience(StrEnum):
    PUBLIC = "public"  # everyone whose scope covers the record's court or case
    COURT = "court"  # court staff and EOIR staff only (and the owner)
    OWNER = "owner"  # the owner alone
    # The Board's own work before it issues (assignments, drafts, votes): Board staff (and
    # EOIR staff) in the cases before the Board, never the court's staff or the parties.
    BOARD = "board"
    # A Board member's note shared with the panel: the members assigned to decide the case.
    PANEL = "panel"


@dataclass(frozen=True)
class Placement:
    court_id: str | None
    case_id: str | None
    owner_id: str | None
    audience: Audience


class Lookups(Protocol):
    """Facts about other records that placement and write checks need."""

    def case_court(self, case_id: str) -> str | None: ...

    def case_judge(self, case_id: str) -> str | None: ...

    def document_case(self, document_id: str) -> str | None: ...

    def practitioner_case_ids(self, user_id: str) -> Collection[str]: ...

    def board_case_ids(self) -> Collection[str]: ...

    def board_decisions(self, case_id: str) -> Collection[BoardDecision]: ...

    def filing_at_board(self, filing_id: str) -> bool: ...

    def respondent_case_ids(self, user_id: str) -> Collection[str]: ...

    def case_represented(self, case_id: str) -> bool: ...

    def case_flags(self, case_id: str) -> Collection[str]: ...


_GLOBAL = Placement(None, None, None, Audience.PUBLIC)


def placement_of(record: WireRecord, lookups: Lookups) -> Placement:
    """Where ``record`` sits for the feed; a record whose parent is unknown is private to
    nobody in particular (court None), which no external user can see."""
    match record:
        case Courtroom():
            return Placement(record.court_id, None, None, Audience.PUBLIC)
        case UserProfile():
            return Placement(record.court_id, None, record.id, Audience.COURT)
        case Case():
            return Placement(record.court_id, record.id, None, Audience.PUBLIC)
        case Representation():
            accepted = record.status is RepresentationStatus.ACCEPTED
            audience = Audience.PUBLIC if accepted else Audience.COURT
            court = lookups.case_court(record.case_id)
            return Placement(court, record.case_id, record.practitioner_id, audience)
        case Hearing():
            return Placement(
                lookups.case_court(record.case_id), record.case_id, None, Audience.PUBLIC
            )
        case Document():
            accepted = record.status is DocumentStatus.ACCEPTED
            audience = Audience.PUBLIC if accepted else Audience.COURT
            court = lookups.case_court(record.case_id)
            return Placement(court, record.case_id, record.filer_id, audience)
        case Annotation():
            case_id = lookups.document_case(record.document_id)
            court = lookups.case_court(case_id) if case_id else None
            audience = {
                Visibility.SHARED: Audience.COURT,
                Visibility.PANEL: Audience.PANEL,
            }.get(record.visibility, Audience.OWNER)
            return Placement(court, case_id, record.author_id, audience)
        case Order():
            audience = Audience.COURT if record.status is OrderStatus.DRAFT else Audience.PUBLIC
            if record.template == _BOARD_DECISION_TEMPLATE and audience is Audience.COURT:
                audience = Audience.BOARD  # a Board decision's draft is the Board's alone
            return Placement(lookups.case_court(record.case_id), record.case_id, None, audience)
        case BoardDecision():  # the court and the parties read it once it has issued
            issued = record.status is BoardDecisionStatus.ISSUED
            audience = Audience.PUBLIC if issued else Audience.BOARD
            return Placement(lookups.case_court(record.case_id), record.case_id, None, audience)
        case BoardVote():  # the Board's deliberation; the issued decision prints the votes
            court = lookups.case_court(record.case_id)
            return Placement(court, record.case_id, record.member_id, Audience.BOARD)
        case Filing():
            return Placement(record.court_id, record.case_id, record.filer_id, Audience.COURT)
        case ServiceRecord():
            court = lookups.case_court(record.case_id)
            return Placement(court, record.case_id, record.recipient_id, Audience.PUBLIC)
        case RopRequest():
            court = lookups.case_court(record.case_id)
            return Placement(court, record.case_id, record.requester_id, Audience.COURT)
        case Address() | Bond():  # the parties need them (service; the bond in effect)
            return Placement(
                lookups.case_court(record.case_id), record.case_id, None, Audience.PUBLIC
            )
        case Motion():  # both parties: the movant serves it, the other party answers it
            court = lookups.case_court(record.case_id)
            return Placement(court, record.case_id, record.filer_id, Audience.PUBLIC)
        case CustodyChange():  # the parties serve and visit a detained respondent there
            return Placement(
                lookups.case_court(record.case_id), record.case_id, None, Audience.PUBLIC
            )
        case Appeal():  # the parties are served with it; the court prepares the transcript
            court = lookups.case_court(record.case_id)
            return Placement(court, record.case_id, record.filer_id, Audience.PUBLIC)
        case Pleading() | DecisionRecord():  # taken and stated in open court, to the parties
            return Placement(
                lookups.case_court(record.case_id), record.case_id, None, Audience.PUBLIC
            )
    return _GLOBAL  # court, adjournment_code: reference data everyone signed in may read


def _is_global(p: Placement) -> bool:
    return p.court_id is None and p.case_id is None and p.audience is Audience.PUBLIC


def can_see(principal: Principal, placement: Placement, lookups: Lookups) -> bool:
    """The Python twin of :func:`feed_filter`, for single reads.

    Owning a record shows it only within the courts the owner sees: a judge's private note
    or a clerk's upload in a case moved to another court leaves their copy with the case.
    Practitioners see cases, not courts, so their own records (an appearance still
    pending) stay theirs wherever the case is."""
    own = placement.owner_id == principal.id
    role = principal.role
    if role.is_court_staff:
        in_court = placement.court_id in (principal.court_id, None)
        return in_court and (own or placement.audience not in _BOARD_ONLY)
    if role.is_board_staff:
        if own or _is_global(placement):
            return True
        if placement.audience is Audience.OWNER:
            return False
        if placement.audience is Audience.PANEL:
            return placement.case_id is not None and _on_panel(
                principal.id, placement.case_id, lookups
            )
        at_board = principal.court_id is not None and placement.court_id == principal.court_id
        board_case = placement.case_id is not None and placement.case_id in (
            lookups.board_case_ids()
        )
        return at_board or board_case
    if role is Role.RESPONDENT:
        return respondent_sees(principal, placement, lookups)
    if role is Role.DHS and own:
        return placement.court_id is None or placement.court_id in principal.assigned_court_ids
    if own:
        return True
    if placement.audience in (Audience.OWNER, Audience.PANEL):
        return False
    if role is Role.EOIR_STAFF:
        return True
    if placement.audience is not Audience.PUBLIC:
        return False
    if _is_global(placement):
        return True
    if role is Role.DHS:
        return placement.court_id in principal.assigned_court_ids
    cases = lookups.practitioner_case_ids(principal.id)
    return placement.case_id is not None and placement.case_id in cases


# What the court's staff never read, though in their court: the Board's work before it
# issues, and notes shared within a Board panel.
_BOARD_ONLY = frozenset({Audience.OWNER, Audience.BOARD, Audience.PANEL})


def _on_panel(user_id: str, case_id: str, lookups: Lookups) -> bool:
    return any(user_id in d.member_ids for d in lookups.board_decisions(case_id))


def panel_cases(member_id: str) -> Select[str]:
    """The cases whose Board decision ``member_id`` is assigned to (alone or on a panel)."""
    members = sa_cast(BoardDecisionRow.member_ids, String)
    return (
        select(BoardDecisionRow.case_id)
        .where(members.contains(member_id), BoardDecisionRow.deleted.is_(False))
        .distinct()
    )


def feed_filter(
    principal: Principal, rec: type[SyncRecord] | type[SyncDeparture] = SyncRecord
) -> ColumnElement[bool]:
    """The SQL condition on change-feed rows (or departures, which carry the same
    placement columns) that ``principal`` may pull.

    Owning a feed row (a document one filed) is no key to a flagged record ("Confidential
    records" below): an owner who is not a reader of its case gets nothing of it, and a
    departure (a tombstone, which names no content) still reaches them."""
    own = rec.owner_id == principal.id
    flagged = feed_rows_flagged(rec) if rec is SyncRecord else false()
    role = principal.role
    if role is Role.RESPONDENT:  # no sync API (see allows): the portal reads for them
        return false()
    if role is Role.EOIR_STAFF:  # a reader of every flagged record
        return or_(rec.audience.not_in([Audience.OWNER.value, Audience.PANEL.value]), own)
    if role.is_court_staff:
        in_court = or_(rec.court_id == principal.court_id, rec.court_id.is_(None))
        return and_(in_court, or_(rec.audience.not_in([a.value for a in _BOARD_ONLY]), own))
    public = rec.audience == Audience.PUBLIC.value
    global_rows = and_(rec.court_id.is_(None), rec.case_id.is_(None), public)
    if role.is_board_staff:
        # The Board's own rows, and every record of a case with an appeal before it,
        # nationwide; never a record private to its owner (a judge's private note).
        at_board = rec.court_id == principal.court_id if principal.court_id else false()
        board = or_(at_board, rec.case_id.in_(board_cases()))
        unowned = rec.audience.not_in([Audience.OWNER.value, Audience.PANEL.value])
        panel = and_(
            rec.audience == Audience.PANEL.value, rec.case_id.in_(panel_cases(principal.id))
        )
        # a flagged record is the Board's to read while its case is before the Board
        return or_(
            and_(board, or_(unowned, panel)), global_rows, and_(own, or_(not_(flagged), board))
        )
    if role is Role.DHS:
        courts = list(principal.assigned_court_ids)
        in_courts = rec.court_id.in_(courts) if courts else false()
        # DHS reads a flagged record as the government's counsel at an assigned court
        courtless = and_(rec.court_id.is_(None), not_(flagged))
        own_in_courts = and_(own, or_(courtless, in_courts))
        return or_(and_(in_courts, public), global_rows, own_in_courts)
    # a practitioner reads a flagged record as counsel of record only: their own filing in
    # a case they no longer appear in (withdrawn, substituted) is no longer theirs to read
    appearances = rec.case_id.in_(court_appearances(principal.id))
    own_readable = and_(own, or_(not_(flagged), appearances))
    return or_(and_(appearances, public), global_rows, own_readable)


def _flags_set(column: Any) -> ColumnElement[bool]:
    """A stored flag list that is not empty (any name counts: the feed errs on withholding,
    where flags_of ignores a name it doesn't know)."""
    return and_(column.is_not(None), sa_cast(column, String).not_in(["[]", "null"]))


def feed_rows_flagged(rec: type[SyncRecord] = SyncRecord) -> ColumnElement[bool]:
    """The SQL twin of :func:`owned_record_flags` on change-feed rows: a row of a flagged
    case (its own record or another of the case: a filing, a motion, an appeal... but the
    appearance, which tells its practitioner that it ended), or of a document flagged
    itself. Each test is one primary-key probe
    of the row's case or document, correlated to the row (the feed reads it for a
    principal's own rows, a page of them at a time, never for the whole scope)."""
    case_flagged = exists().where(CaseRow.id == rec.case_id, _flags_set(CaseRow.confidentiality))
    document_flagged = exists().where(
        DocumentRow.id == rec.record_id, _flags_set(DocumentRow.confidentiality)
    )
    return or_(
        and_(rec.entity != "representation", rec.case_id.is_not(None), case_flagged),
        and_(rec.entity == "document", document_flagged),
    )


def court_appearances(practitioner_id: str) -> Select[str]:
    """The cases a practitioner reads (see :func:`_appearances_of`), as a statement to embed
    in another (the feed's branch, the portal's list)."""
    return _appearances_of(literal(practitioner_id, String))


def _appearances_of(practitioner_id: ColumnElement[str]) -> Select[str]:
    """The cases a practitioner reads: those their accepted EOIR-28s cover by scope. An
    EOIR-27 is an appearance before the Board (8 CFR 1292.4(a)) and opens none of the
    court's cases to its filer.

    The form's scope divides the respondent's proceedings (8 CFR 1003.17(a)): custody and
    bond (a bond case, 8 CFR 1003.19(d)) and all the others. An appearance filed in a case
    reaches that case and the cases linked to it (a bond case and the removal case it
    belongs to, ``case.removal_case_id``, either way), and covers each whose proceeding its
    scope includes: "custody and bond only" reads the bond case(s), "all except custody
    and bond" the removal case, "all proceedings" both. The one answer for the feed (SQL),
    single reads and write checks (``Lookups.practitioner_case_ids``) and the portal."""
    rep = RepresentationRow
    mine = and_(
        rep.practitioner_id == practitioner_id,
        rep.status == RepresentationStatus.ACCEPTED.value,
        rep.form == FilingKind.EOIR_28.value,
        rep.deleted.is_(False),
    )
    linked = union_all(
        select(rep.case_id.label("case_id"), rep.scope.label("scope")).where(mine),
        # bond cases linked to the case the appearance is in
        select(CaseRow.id, rep.scope).join(rep, CaseRow.removal_case_id == rep.case_id).where(mine),
        # the removal case a bond case the appearance is in belongs to
        select(CaseRow.removal_case_id, rep.scope)
        .join(rep, CaseRow.id == rep.case_id)
        .where(mine, CaseRow.removal_case_id.is_not(None)),
    ).subquery()
    bond = CaseRow.case_type == CaseType.BOND.value
    covered = or_(
        linked.c.scope == AppearanceScope.ALL_PROCEEDINGS.value,
        and_(bond, linked.c.scope == AppearanceScope.CUSTODY_AND_BOND_ONLY.value),
        and_(~bond, linked.c.scope == AppearanceScope.ALL_EXCEPT_CUSTODY_AND_BOND.value),
    )
    return select(CaseRow.id).join(linked, CaseRow.id == linked.c.case_id).where(covered)


# Built once: a sync's scope key reads a practitioner's cases on every request, and building
# the statement cost more of the server's CPU than running it (the morning-rush profile,
# docs/PERFORMANCE.md). Run with ``{"practitioner_id": ...}``.
COURT_APPEARANCES_BY_ID: Select[str] = _appearances_of(bindparam("practitioner_id", type_=String))


# An appeal in these states puts its case before the Board (its intake, then its docket;
# a decided appeal keeps its case there, for motions to reconsider or reopen before it).
BOARD_APPEAL_STATUSES = (
    AppealStatus.FILED.value,
    AppealStatus.DOCKETED.value,
    AppealStatus.DECIDED.value,
)


def board_cases() -> Select[str]:
    """The cases before the Board: those with a notice of appeal filed (in intake),
    docketed or decided. Board staff read them and their records wherever the case is heard; a
    rejected appeal leaves its case (unless another appeal is pending)."""
    return (
        select(AppealRow.case_id)
        .where(AppealRow.status.in_(BOARD_APPEAL_STATUSES), AppealRow.deleted.is_(False))
        .distinct()
    )


def scope_key(principal: Principal, lookups: Lookups) -> str:
    """A value that changes whenever the set of records ``principal`` may see changes
    for a reason other than a record changing (a new appearance, a new court)."""
    if principal.role is Role.EOIR_STAFF:
        return "all"
    if principal.role.is_court_staff:
        return f"court:{principal.court_id}"
    if principal.role.is_board_staff:  # a new appeal brings its case's earlier records
        return "board:" + ",".join(sorted(lookups.board_case_ids()))
    if principal.role is Role.DHS:
        return "dhs:" + ",".join(sorted(principal.assigned_court_ids))
    if principal.role is Role.RESPONDENT:
        return "respondent:" + ",".join(sorted(lookups.respondent_case_ids(principal.id)))
    return "cases:" + ",".join(sorted(lookups.practitioner_case_ids(principal.id)))


# --- Writes ------------------------------------------------------------------------------

WriteRule = Callable[[Principal, WireRecord | None, WireRecord | None, Lookups], str | None]


def _changed_fields(old: WireRecord, new: WireRecord) -> set[str]:
    a, b = old.model_dump(), new.model_dump()
    return {key for key in b if a.get(key) != b.get(key)}


def _court_of(record: WireRecord, lookups: Lookups) -> str | None:
    return placement_of(record, lookups).court_id


def _in_own_court(p: Principal, record: WireRecord | None, lookups: Lookups) -> bool:
    return record is None or _court_of(record, lookups) == p.court_id


def _staff_in_court(
    p: Principal,
    old: WireRecord | None,
    new: WireRecord | None,
    lookups: Lookups,
    roles: Collection[Role],
) -> str | None:
    if p.role not in roles:
        names = " or ".join(sorted(r.value for r in roles))
        return f"only a {names} may change this record"
    if not (_in_own_court(p, old, lookups) and _in_own_court(p, new, lookups)):
        return "the record belongs to another court"
    return None


def _rule_courtroom(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    return _staff_in_court(p, old, new, lookups, {Role.COURT_ADMIN})


def _rule_user_profile(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if old is None or new is None:
        return "accounts are created and removed by an administrator, not by sync"
    if p.role is not Role.COURT_ADMIN or old.court_id != p.court_id:  # type: ignore[attr-defined]
        return "only the court administrator of the user's court may change a profile"
    changed = _changed_fields(old, new)
    if changed & {"role", "username", "court_id"}:
        return "role, username and court can't be changed through sync"
    return None


def _rule_case(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if new is None:
        return "cases are never deleted; close them instead"
    if (
        p.role is Role.JUDGE
        and old is not None
        and _changed_fields(old, new) == {"confidentiality"}
    ):
        return flag_change_refusal(p, old, new, lookups)  # a judge marks the case only
    if p.role is Role.DHS and old is None:
        return _dhs_opens_case(p, new) or flag_change_refusal(p, old, new, lookups)
    if p.role is not Role.CLERK:
        return "only a clerk may change a case"
    if not _in_own_court(p, old, lookups):
        return "the case belongs to another court"
    if old is None and not _in_own_court(p, new, lookups):
        return "a case can only be opened at your own court"
    return None  # a change of court on an existing case is a change of venue


def _dhs_opens_case(p: Principal, new: WireRecord) -> str | None:
    """DHS opens a case by filing a notice to appear at one of its assigned courts."""
    assert isinstance(new, Case)
    if new.court_id not in p.assigned_court_ids:
        return "DHS files notices to appear only at its assigned courts"
    if new.status is not CaseStatus.OPENED or new.judge_id is not None:
        return "a case opened by a notice to appear starts as opened, with no judge"
    return None


def _rule_clerk_only(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if new is None:
        return "this record is never deleted"
    return _staff_in_court(p, old, new, lookups, {Role.CLERK})


# What a judge's grant of leave to withdraw changes on an appearance (common.counsel).
_JUDGE_WITHDRAWAL_FIELDS = {"status", "ended_on", "leave_by", "motion_id"}


def _rule_representation(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """Counsel of record changes with its history (resources/representation_rules.json):
    the clerk records appearances (an accepted EOIR-28) and a substitution the court
    granted; leave to withdraw is the judge's to grant, in the judge's own cases (any
    judge of the court while the case has none). Nothing is deleted."""
    if new is None:
        return "an appearance is part of the record; it ends by withdrawal or substitution"
    assert isinstance(new, Representation)
    withdrawing = new.status is RepresentationStatus.WITHDRAWN and (
        not isinstance(old, Representation) or old.status is not RepresentationStatus.WITHDRAWN
    )
    if p.role is Role.JUDGE:
        denied = _staff_in_court(p, old, new, lookups, {Role.JUDGE})
        if denied:
            return denied
        if old is None or not withdrawing or _changed_fields(old, new) - _JUDGE_WITHDRAWAL_FIELDS:
            return "a judge grants leave to withdraw; the rest of an appearance is the clerk's"
        if new.leave_by != p.id:
            return "a judge records only their own grant of leave"
        if lookups.case_judge(new.case_id) not in (None, p.id):
            return "leave to withdraw is granted by the judge of the case"
        return None
    denied = _staff_in_court(p, old, new, lookups, {Role.CLERK})
    if denied:
        return denied.replace("only a clerk may", "only a clerk or the judge may")
    if withdrawing:
        return "leave to withdraw is the judge's to grant (8 CFR 1003.17(b)); not the clerk's"
    if new.status is RepresentationStatus.SUBSTITUTED and new.leave_by is not None:
        judge = lookups.case_judge(new.case_id)
        if judge is not None and new.leave_by != judge:
            return "a substitution is granted by the judge of the case"
    return None


_JUDGE_HEARING_FIELDS = {"status", "outcome", "adjournment_code"}
# What a judge's outcome leaves a hearing as: held, or adjourned (with its code).
_JUDGE_HEARING_STATUSES = {HearingStatus.COMPLETED, HearingStatus.ADJOURNED}


def hearing_judge(hearing: Hearing, lookups: Lookups) -> str | None:
    """Who presides over ``hearing``: its own judge, else the judge of its case."""
    return hearing.judge_id or lookups.case_judge(hearing.case_id)


def _rule_hearing(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """The clerk calendars (and records a hearing held or adjourned, with the code the
    judge gave, as the docket's keeper); the outcome itself (``outcome``) is the presiding
    judge's alone, and a judge records it only on their own hearings. There is no
    per-judge delegation link, so no one records it for a judge."""
    if p.role is Role.JUDGE and old is not None and new is not None:
        assert isinstance(old, Hearing) and isinstance(new, Hearing)
        if not _in_own_court(p, old, lookups):
            return "the hearing belongs to another court"
        if hearing_judge(old, lookups) != p.id:
            return "a judge records the outcome only of their own hearings"
        extra = _changed_fields(old, new) - _JUDGE_HEARING_FIELDS
        if extra:
            return "a judge records outcomes; scheduling fields are the clerk's: " + ", ".join(
                sorted(extra)
            )
        if old.status != new.status and new.status not in _JUDGE_HEARING_STATUSES:
            return "a judge records a hearing held or adjourned; cancelling is the clerk's"
        return None
    denied = _staff_in_court(p, old, new, lookups, {Role.CLERK})
    if denied:
        return denied
    before = old.outcome if isinstance(old, Hearing) else None
    if isinstance(new, Hearing) and new.outcome != before:
        return "the outcome is recorded by the hearing's judge; a clerk calendars"
    return None


def _rule_document(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if new is None:
        return "documents of the record are never deleted"
    assert isinstance(new, Document)
    if isinstance(old, Document) and _changed_fields(old, new) == {"confidentiality"}:
        return flag_change_refusal(p, old, new, lookups)  # marked by the judge or clerk
    flagged = flag_change_refusal(p, old, new, lookups)
    if flagged:
        return flagged
    if isinstance(old, Document) and old.status is not DocumentStatus.PENDING:
        return "a reviewed document is part of the record and can't be altered"
    if p.role is Role.CLERK:
        if old is not None and _changed_fields(old, new) - {"status"}:
            return "review changes a document's status only"
        if old is not None and _filed_at_board(new, lookups):
            return "a filing before the Board is reviewed by the Board's clerk"
        return _staff_in_court(p, old, new, lookups, {Role.CLERK})
    if p.role is Role.BOARD_CLERK:
        # The Board's clerk reviews the documents of a filing before the Board (a brief, a
        # motion before the Board), never a filing with the immigration court.
        if old is None or _changed_fields(old, new) - {"status"}:
            return "the Board's clerk reviews the documents of a filing before the Board only"
        if not _filed_at_board(new, lookups):
            return "a filing with the immigration court is reviewed by the court's clerk"
        return None
    if p.role.is_external:
        return _external_filing_check(p, old, new, new.filer_id, new.status.value, lookups)
    if p.role is Role.RESPONDENT:
        return _respondent_filing_check(p, old, new, new.filer_id, None, lookups)
    return "only clerks and filing parties add documents"


def _filed_at_board(document: Document, lookups: Lookups) -> bool:
    """Whether ``document`` came with a filing before the Board (filed at the Board's
    court record), which the Board's clerk reviews."""
    return document.filing_id is not None and lookups.filing_at_board(document.filing_id)


def _external_filing_check(
    p: Principal,
    old: WireRecord | None,
    new: WireRecord,
    filer_id: str | None,
    status: str,
    lookups: Lookups,
) -> str | None:
    if old is not None:
        return "a submitted filing can't be changed; file a new one"
    if filer_id != p.id:
        return "you can file only in your own name"
    if status != "pending":
        return "new filings wait for clerk review"
    placement = placement_of(new, lookups)
    if p.role is Role.DHS:
        ok = placement.court_id in p.assigned_court_ids
        if not ok and isinstance(new, Filing) and placement.case_id is not None:
            # A filing before the Board (at the Board's court) in a case of DHS's courts
            # that is before the Board.
            ok = (
                lookups.case_court(placement.case_id) in p.assigned_court_ids
                and placement.case_id in lookups.board_case_ids()
            )
    else:
        ok = placement.case_id in lookups.practitioner_case_ids(p.id)
    return None if ok else "you may file only in cases you appear in"


def _rule_filing(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if new is None:
        return "filings are never deleted"
    assert isinstance(new, Filing)
    if p.role is Role.RESPONDENT:
        return _respondent_filing_check(p, old, new, new.filer_id, new.kind, lookups)
    if p.role.is_external:
        if new.kind.value in ("eoir_28", "eoir_27") and old is None and new.filer_id == p.id:
            return None if new.status is FilingStatus.PENDING else "new filings wait for review"
        return _external_filing_check(p, old, new, new.filer_id, new.status.value, lookups)
    # A filing is reviewed by the clerk where it was filed: the immigration court's clerk,
    # or the Board's clerk for a filing before the Board (its court is the Board's).
    denied = _staff_in_court(p, old, new, lookups, {Role.CLERK, Role.BOARD_CLERK})
    if denied or old is None:
        if denied and p.role is Role.CLERK and old is not None and lookups.filing_at_board(old.id):
            return "a filing before the Board is reviewed by the Board's clerk"
        return denied
    if p.role is Role.BOARD_CLERK and new.case_id not in lookups.board_case_ids():
        return "the case is not before the Board"
    if _changed_fields(old, new) - {"status", "reviewed_by", "reviewed_at", "rejection_reason"}:
        return "review changes a filing's status only"
    if new.status is FilingStatus.REJECTED and not new.rejection_reason:
        return "a rejected filing needs a reason from the catalogue"
    return None


def _rule_annotation(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if p.role is Role.BOARD_MEMBER:
        return _board_annotation(p, old, new, lookups)
    if not p.role.is_court_staff:
        return "annotations are for court staff and Board members"
    for record in (old, new):
        if record is not None and record.author_id != p.id:  # type: ignore[attr-defined]
            return "annotations belong to their author"
    if isinstance(new, Annotation) and new.visibility is Visibility.PANEL:
        return "a note shared with a Board panel is a Board member's"
    if not (_in_own_court(p, old, lookups) and _in_own_court(p, new, lookups)):
        return "the document belongs to another court"
    return None


def _board_annotation(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """A Board member annotates the record of a case before the Board: private notes, or
    notes shared with the panel, which the member must sit on."""
    for record in (old, new):
        if record is None:
            continue
        assert isinstance(record, Annotation)
        if record.author_id != p.id:
            return "annotations belong to their author"
        case_id = lookups.document_case(record.document_id)
        if case_id is None or case_id not in lookups.board_case_ids():
            return "the document is not in a case before the Board"
        if record.visibility is Visibility.SHARED:
            return "a Board member's note is private or shared with the panel"
        if record.visibility is Visibility.PANEL and not _on_panel(p.id, case_id, lookups):
            return "only a member assigned to decide the case shares notes with its panel"
    return None


def _rule_order(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if new is None:
        return "orders are never deleted"
    assert isinstance(new, Order)
    if isinstance(old, Order) and old.status is not OrderStatus.DRAFT:
        return "a signed order is immutable; issue a correcting order instead"
    if BOARD_MOTION_ORDER in (new.template, getattr(old, "template", None)):
        return _board_motion_order(p, old, new, lookups)
    if _BOARD_DECISION_TEMPLATE in (new.template, getattr(old, "template", None)):
        return _board_decision_order(p, old, new, lookups)
    denied = _staff_in_court(p, old, new, lookups, {Role.JUDGE, Role.CLERK})
    if denied:
        return denied
    if p.role is Role.JUDGE and any(
        o is not None and o.judge_id != p.id  # type: ignore[attr-defined]
        for o in (old, new)
    ):
        return "a judge drafts and signs only their own orders"
    if new.status is OrderStatus.ISSUED or new.document_id is not None:
        return "orders are issued by the server when the judge's signature arrives"
    if new.status is not OrderStatus.DRAFT:
        refused = signing_refusal(p.id, p.role, new.judge_id, lookups.case_judge(new.case_id))
        if refused:
            return refused
        if new.signed_by != p.id:
            return "the signer must be the signing judge"
    return None


def _rule_address(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """The history is kept whole: an entry is never edited or removed, a move is a new
    entry. The clerk records any kind (a paper EOIR-33, a detention facility); DHS the
    notice to appear's address and a detention facility, at its assigned courts. An
    EOIR-33 filed through the portal becomes an entry when the clerk accepts it."""
    if new is None:
        return "the address history is kept; record the new address instead"
    if old is not None:
        return "an address of record is not edited; record the new address as a new entry"
    assert isinstance(new, Address)
    if p.role is Role.DHS:
        if new.kind is AddressKind.EOIR_33:
            return "a change of address is filed on Form EOIR-33 and recorded when accepted"
        if lookups.case_court(new.case_id) not in p.assigned_court_ids:
            return "DHS records addresses only in cases at its assigned courts"
        return None
    return _staff_in_court(p, old, new, lookups, {Role.CLERK})


def _rule_custody_change(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """The custody history is kept whole: an entry is never edited or removed (a wrong
    one is followed by the right one). DHS is the custodian and reports each detention,
    transfer and release (Form I-830): DHS pushes it for cases at its assigned courts, and
    the clerk records one DHS sent on paper or by email."""
    if new is None:
        return "the custody history is kept; record the next change instead"
    if old is not None:
        return "a custody change is not edited; record the next change as a new entry"
    assert isinstance(new, CustodyChange)
    if p.role is Role.DHS:
        if lookups.case_court(new.case_id) not in p.assigned_court_ids:
            return "DHS records custody only in cases at its assigned courts"
        return None
    return _staff_in_court(p, old, new, lookups, {Role.CLERK})


def _rule_motion(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """A party files a motion in its own name (counsel in a case they appear in, for the
    respondent or jointly; DHS at its assigned courts, for DHS or jointly); the clerk
    enters a paper motion, records the other party's position and the movant's
    withdrawal; the judge of the case alone rules (``common.motions`` checks the ruling).
    A motion before the Board (``before_board``) is the Board's: a Board member rules on
    it, never the immigration judge, and a Board member rules on no motion of the court;
    the Board's clerk enters and records it as the court's clerk does the court's."""
    if new is None:
        return "motions are never deleted; record the movant's withdrawal instead"
    assert isinstance(new, Motion)
    if old is not None and isinstance(old, Motion) and old.before_board is not new.before_board:
        return "a motion's forum (the court or the Board) can't be changed; file a new motion"
    if p.role.is_board_staff:
        return _board_motion(p, old, new, lookups)
    if new.before_board and not p.role.is_external:
        return (
            "the motion is before the Board of Immigration Appeals: a Board member rules on "
            "it and the Board's clerk records it, not the immigration court"
        )
    if p.role.is_external:
        if old is not None:
            assert isinstance(old, Motion)
            return _party_position(p, old, new, lookups)
        if p.role is Role.DHS and new.movant.value not in ("dhs", "joint"):
            return "DHS moves for DHS, or jointly with the respondent"
        if p.role is not Role.DHS and new.movant.value not in ("respondent", "joint"):
            return "counsel moves for the respondent, or jointly with DHS"
        return _external_filing_check(p, old, new, new.filer_id, new.status.value, lookups)
    if p.role is Role.JUDGE and old is not None:
        if p.id != lookups.case_judge(new.case_id):
            return "only the judge of the case rules on its motions"
        if _changed_fields(old, new) - _RULING_FIELDS:
            return "a ruling changes the motion's ruling and status only"
        if new.ruled_by is not None and new.ruled_by != p.id:
            return "the ruling judge must be the judge who rules"
        return _staff_in_court(p, old, new, lookups, {Role.JUDGE})
    denied = _staff_in_court(p, old, new, lookups, {Role.CLERK})
    if denied:
        return denied
    if old is None:
        return None if new.filer_id == p.id else "the clerk enters a motion in their own name"
    assert isinstance(old, Motion)
    if _changed_fields(old, new) - {"other_party_position", "document_id", "status"}:
        return "the clerk records the other party's position or a withdrawal; the judge rules"
    if new.status is not old.status and new.status.value != "withdrawn":
        return "the clerk records a withdrawal only; the judge rules"
    return None


_RULING_FIELDS = frozenset(
    {"status", "ruling", "ruling_reason", "limit_exception", "ruled_on", "ruled_by", "order_id"}
)


def _party_position(p: Principal, old: Motion, new: Motion, lookups: Lookups) -> str | None:
    """A party answers the other side's pending motion with its position (DHS on the
    respondent's, counsel of record on DHS's; ICPM 5.12, BIA PM 5.2 as to responses,
    assumption: not re-read); nothing else of a filed motion changes in a party's hands."""
    if _changed_fields(old, new) != {"other_party_position"}:
        return "a filed motion can't be changed; file a new motion or a withdrawal"
    if old.status.value != "pending":
        return "the motion is no longer pending"
    if p.role is Role.DHS:
        if old.movant.value != "respondent":
            return "DHS states its position on the respondent's motion"
        if lookups.case_court(old.case_id) not in p.assigned_court_ids:
            return "DHS acts only in cases at its assigned courts"
        return None
    if old.movant.value != "dhs":
        return "counsel states the respondent's position on DHS's motion"
    if old.case_id not in lookups.practitioner_case_ids(p.id):
        return "only counsel of record answers a motion in the case"
    return None


def _board_motion(
    p: Principal, old: WireRecord | None, new: Motion, lookups: Lookups
) -> str | None:
    """Board staff on a motion: a Board member rules on a pending motion before the Board
    (8 CFR 1003.2(a)); the Board's clerk enters a paper motion before the Board in their
    own name and records the other party's position or the movant's withdrawal. Neither
    touches a motion before the immigration court."""
    if not new.before_board:
        return "a motion before the immigration court is ruled on by its judge, not the Board"
    if new.case_id not in lookups.board_case_ids():
        return "the case is not before the Board"
    if p.role is Role.BOARD_MEMBER:
        if old is None:
            return "a Board member rules on motions; the Board's clerk enters them"
        if _changed_fields(old, new) - _RULING_FIELDS:
            return "a ruling changes the motion's ruling and status only"
        if new.ruled_by is not None and new.ruled_by != p.id:
            return "the ruling Board member must be the member who rules"
        return None
    if old is None:
        return None if new.filer_id == p.id else "the clerk enters a motion in their own name"
    assert isinstance(old, Motion)
    if _changed_fields(old, new) - {"other_party_position", "document_id", "status"}:
        return "the clerk records the other party's position or a withdrawal; a member rules"
    if new.status is not old.status and new.status.value != "withdrawn":
        return "the clerk records a withdrawal only; a Board member rules"
    return None


def _board_motion_order(
    p: Principal, old: WireRecord | None, new: Order, lookups: Lookups
) -> str | None:
    """A Board member drafts and signs, in their own name, the Board's order on a motion
    (``board_motion_order``) in a case before the Board; the server issues it."""
    if p.role is not Role.BOARD_MEMBER:
        return "the Board's order on a motion is drafted and signed by a Board member"
    if new.case_id not in lookups.board_case_ids():
        return "the case is not before the Board"
    if any(o is not None and o.judge_id != p.id for o in (old, new)):  # type: ignore[attr-defined]
        return "a Board member drafts and signs only their own orders"
    if new.status is OrderStatus.ISSUED or new.document_id is not None:
        return "orders are issued by the server when the signature arrives"
    if new.status is not OrderStatus.DRAFT and new.signed_by != p.id:
        return "the signer must be the Board member who signs"
    return None


def _decision_of(case_id: str, decision_id: str, lookups: Lookups) -> BoardDecision | None:
    return next((d for d in lookups.board_decisions(case_id) if d.id == decision_id), None)


def _board_decision_order(
    p: Principal, old: WireRecord | None, new: Order, lookups: Lookups
) -> str | None:
    """The Board's decision as an order (``board_decision``): drafted by the member
    assigned to write it, in their own name, while the decision is not issued; signed by
    the single member it is assigned to. A panel's order is signed by its majority's votes
    (the server signs and issues it then), never by one member's push."""
    if p.role is not Role.BOARD_MEMBER:
        return "a Board decision is drafted and signed by the Board member assigned to it"
    decisions = [
        d
        for d in lookups.board_decisions(new.case_id)
        if d.status is not BoardDecisionStatus.ISSUED
    ]
    linked = next((d for d in decisions if d.order_id == new.id), None)
    if new.status is not OrderStatus.DRAFT and (linked is None or p.id not in linked.member_ids):
        return "a Board member not assigned to the decision can't sign it"
    if any(o is not None and o.judge_id != p.id for o in (old, new)):  # type: ignore[attr-defined]
        return "a Board member drafts and signs only their own decision"
    if new.status is OrderStatus.ISSUED or new.document_id is not None:
        return "a Board decision is issued by the server when it is signed"
    if not any(d.author_id == p.id for d in decisions):
        return "only the Board member assigned to write the decision drafts it"
    if new.status is OrderStatus.DRAFT:
        return None
    assert linked is not None
    if linked.panel:
        return "a panel's decision is signed by its members' votes, not by one member"
    if new.signed_by != p.id:
        return "the signer must be the Board member who signs"
    return None


def _rule_board_decision(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """The Board's clerk assigns a docketed appeal to a single member or a panel of three
    (8 CFR 1003.1(e)) and may reassign it until it is drafted; the member assigned to write
    records the outcome and the drafted order. The server alone issues it
    (``common.board_decisions`` checks the course of the record; ``change_rules`` that the
    members are active Board members and the appeal docketed)."""
    if new is None:
        return "a Board decision is part of the record and is never deleted"
    assert isinstance(new, BoardDecision)
    if new.case_id not in lookups.board_case_ids():
        return "the case is not before the Board"
    changed = _changed_fields(old, new) if old is not None else set()
    if p.role is Role.BOARD_CLERK:
        if old is None:
            return None if new.assigned_by == p.id else "the clerk assigns in their own name"
        if changed - {"panel", "member_ids", "author_id", "assigned_by", "assigned_on"}:
            return "the Board's clerk assigns the appeal; the members decide it"
        return None if new.assigned_by == p.id else "the clerk assigns in their own name"
    if p.role is Role.BOARD_MEMBER:
        if old is None:
            return "the Board's clerk assigns an appeal; a member does not assign it"
        assert isinstance(old, BoardDecision)
        if old.author_id != p.id:
            return "only the Board member assigned to write the decision drafts it"
        if changed - {"status", "outcome", "order_id"}:
            return "the writing member records the outcome and the drafted order only"
        return None
    return "only the Board's clerk assigns an appeal, and its members decide it"


def _rule_board_vote(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """A panel member signs their own vote on the decision they are assigned to, once;
    a signed vote is never changed (8 CFR 1003.1(e)(6))."""
    if new is None or old is not None:
        return "a signed vote is not changed or withdrawn"
    assert isinstance(new, BoardVote)
    if p.role is not Role.BOARD_MEMBER:
        return "only the Board members of the panel vote"
    if new.member_id != p.id:
        return "a Board member signs only their own vote"
    decision = _decision_of(new.case_id, new.board_decision_id, lookups)
    if decision is None:
        return "the vote names no Board decision of the case"
    if p.id not in decision.member_ids:
        return "a Board member not assigned to the panel can't vote on its decision"
    return None


def _rule_pleading_or_decision(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """The judge of the case takes the pleadings and decides it, from the bench: no one
    records either for a judge. A pleading may be amended by that judge (the record of a
    later master hearing is a new one); a decision is never edited or removed (a wrong one
    is set aside by reopening, 8 CFR 1003.23), save a written decision's service date, which
    the court's clerk or the case's judge records once."""
    what = "decision" if isinstance(new or old, DecisionRecord) else "pleading"
    if new is None:
        return f"a {what} is part of the record and is never deleted"
    if old is not None and what == "decision":
        assert isinstance(old, DecisionRecord) and isinstance(new, DecisionRecord)
        # Once: the service of a written decision, recorded by the court's clerk or the
        # judge of the case (8 CFR 1003.38(b)); nothing else of a decision changes.
        return check_service_recorded(old, new) or (
            _staff_in_court(p, old, new, lookups, {Role.JUDGE, Role.CLERK})
            or (
                "only the judge of the case or a clerk records its service"
                if p.role is Role.JUDGE and lookups.case_judge(new.case_id) != p.id
                else None
            )
        )
    denied = _staff_in_court(p, old, new, lookups, {Role.JUDGE})
    if denied:
        return denied
    assert isinstance(new, Pleading | DecisionRecord)
    if new.judge_id != p.id or lookups.case_judge(new.case_id) != p.id:
        return f"only the judge of the case records its {what}"
    if old is not None and old.judge_id != p.id:  # type: ignore[attr-defined]
        return f"a judge amends only their own {what}"
    return None


def _rule_appeal(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    """A party of record files the notice of appeal (Form EOIR-26): counsel for the
    respondent with an accepted EOIR-28 in the case, or who files an EOIR-27 with it
    (``filing_rules`` checks that filing is theirs, in the case); DHS its own, in a case at
    its assigned courts (8 CFR 1003.3(a)(1), 1003.38). The Board's clerk alone rejects or
    dockets it; the immigration court's clerk marks the transcript ready."""
    if new is None:
        return "a notice of appeal is part of the record and is never deleted"
    assert isinstance(new, Appeal)
    if old is None:
        if not p.role.is_external:
            return "a notice of appeal is filed by a party: counsel of record or DHS"
        if new.filer_id != p.id:
            return "you can file only in your own name"
        if p.role is Role.DHS:
            if new.appellant is not Party.DHS:
                return "DHS files its own notice of appeal"
            if lookups.case_court(new.case_id) not in p.assigned_court_ids:
                return "DHS appeals only in cases at its assigned courts"
            return None
        if new.appellant is not Party.RESPONDENT:
            return "counsel appeals for the respondent"
        if new.case_id in lookups.practitioner_case_ids(p.id) or new.eoir27_filing_id:
            return None
        return (
            "only a party of record files a notice of appeal: counsel with an accepted "
            "EOIR-28 in the case, or with an EOIR-27 filed with the appeal"
        )
    assert isinstance(old, Appeal)
    changed = _changed_fields(old, new)
    if p.role is Role.BOARD_CLERK:
        if changed & _APPEAL_EXTENSION_DECISIONS:
            return _board_clerk_decides_extension(old, new, changed)
        beyond = changed - _APPEAL_REVIEW_FIELDS - {"transcript_status"}
        if beyond:
            return "the Board's clerk rejects or dockets an appeal; not " + ", ".join(
                sorted(beyond)
            )
        return None
    if p.role.is_external:
        return _party_briefs(p, old, changed, lookups)
    if p.role is Role.CLERK:
        if not _in_own_court(p, old, lookups):
            return "the case belongs to another court"
        if changed - _APPEAL_TRANSCRIPT_FIELDS:
            return (
                "an immigration court's clerk prepares the transcript; the Board's clerk "
                "rejects or dockets the appeal"
            )
        return None
    return "only the Board's clerk reviews a notice of appeal"


_APPEAL_EXTENSION_DECISIONS = extension_decision_fields("appellant") | (
    extension_decision_fields("appellee")
)
_APPEAL_DUE_DAYS = frozenset({"appellant_brief_due", "appellee_brief_due"})


def _board_clerk_decides_extension(old: Appeal, new: Appeal, changed: set[str]) -> str | None:
    """The Board's clerk alone grants or denies a party's extension request (BIA PM
    4.7(c)); a grant moves the due days (``common.appeals`` checks which)."""
    for side in _APPEAL_SIDES:
        fields = extension_decision_fields(side)
        if changed <= fields | _APPEAL_DUE_DAYS and changed & fields:
            if f"{side}_extension_requested_at" in changed:
                return "the party files its extension request; the Board's clerk decides it"
            return None
    return "the Board's clerk decides one party's extension request at a time"


def _party_briefs(p: Principal, old: Appeal, changed: set[str], lookups: Lookups) -> str | None:
    """A party of record files on its own side of the appeal only: its one extension
    request and its brief. DHS for DHS, in a case at its assigned courts; counsel for the
    respondent, of record in the case (an accepted EOIR-28, or the appeal's filer, whose
    EOIR-27 went with it)."""
    if p.role is Role.DHS:
        if lookups.case_court(old.case_id) not in p.assigned_court_ids:
            return "DHS acts only in cases at its assigned courts"
        party = Party.DHS
    else:
        counsel = old.case_id in lookups.practitioner_case_ids(p.id) or (
            old.filer_id == p.id and old.appellant is Party.RESPONDENT
        )
        if not counsel:
            return "only a party of record files in the appeal"
        party = Party.RESPONDENT
    side = side_of(old, party)
    if changed <= extension_request_fields(side) or changed <= brief_fields(side):
        return None
    return (
        f"a party files only on its own side of the appeal (the {side}'s extension request "
        "or brief); the Board's clerk decides requests and issues the schedule"
    )


def _rule_rop_request(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if old is not None or new is None:
        return "record requests are updated by the server only"
    assert isinstance(new, RopRequest)
    if new.requester_id != p.id:
        return "you can request the record only for yourself"
    if new.status is not RopRequestStatus.QUEUED or new.result_sha256 or new.error:
        return "a new record request starts queued, with no result"
    case_placement = Placement(lookups.case_court(new.case_id), new.case_id, None, Audience.PUBLIC)
    if not can_see(p, case_placement, lookups):
        return "you may request the record only of a case you can see"
    return None


# Who writes what in a bond redetermination (8 CFR 1003.19): DHS its own determination
# and its EOIR-43 (with its notice of appeal); the clerk dockets the request and sets its
# hearing; the judge decides.
_BOND_DHS_FIELDS = {"dhs_determination", "dhs_amount"}
_BOND_STAY_FIELDS = {"stay_filed_on", "dhs_appeal_filed_on"}
_BOND_REQUEST_FIELDS = {
    "requested_on",
    "requested_by",
    "requester_id",
    "requested_amount",
    "prior_bond_id",
    "changed_circumstances",
    "hearing_id",
}
_BOND_DECISION_FIELDS = {"outcome", "amount", "decided_on", "judge_id"}


def _rule_bond(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if new is None:
        return "a bond redetermination is part of the record and is never deleted"
    assert isinstance(new, Bond)
    changed = _changed_fields(old, new) if old is not None else set()
    if p.role is Role.DHS:
        if old is None:
            return "the request is docketed by the clerk; DHS then states its determination"
        if lookups.case_court(new.case_id) not in p.assigned_court_ids:
            return "DHS acts only in cases at its assigned courts"
        beyond = changed - _BOND_DHS_FIELDS - _BOND_STAY_FIELDS
        if beyond:
            return "DHS states its custody determination and files its EOIR-43; not " + (
                ", ".join(sorted(beyond))
            )
        if changed & _BOND_DHS_FIELDS and old.outcome is not None:  # type: ignore[attr-defined]
            return "DHS's determination can't change once the judge has decided"
        return None
    if p.role is Role.JUDGE:
        denied = _staff_in_court(p, old, new, lookups, {Role.JUDGE})
        if denied:
            return denied
        if old is None:
            return "the clerk dockets a bond request; the judge decides it"
        if changed - _BOND_DECISION_FIELDS:
            return "a judge records the decision; the rest is the clerk's and DHS's: " + (
                ", ".join(sorted(changed - _BOND_DECISION_FIELDS))
            )
        if new.judge_id is not None and new.judge_id != p.id:
            return "a judge records only their own decision"
        return None
    denied = _staff_in_court(p, old, new, lookups, {Role.CLERK})
    if denied:
        return denied
    if old is None:
        if new.outcome is not None or new.stay_filed_on or new.dhs_appeal_filed_on:
            return "a new request starts undecided; the judge decides it"
        return None
    if changed - _BOND_REQUEST_FIELDS:
        names = ", ".join(sorted(changed - _BOND_REQUEST_FIELDS))
        return (
            "the clerk dockets the request; the decision is the judge's and the "
            f"determination and EOIR-43 are DHS's: {names}"
        )
    return None


# --- Respondents' own access ---------------------------------------------------------------
#
# A respondent enrolled in the portal (services/respondents.py) reads their own case(s):
# what the parties read of them (the case, hearings, deadlines, accepted and served
# documents, the address history), never the court's internal records, another case or
# anything private to someone else, and their own filings. Reading is kept when counsel
# appears for them: EOIR's respondent access lets a represented respondent view the case,
# and the respondent remains a party to it. Filing:
# - a change of address (Form EOIR-33) always: the duty to report a move within five days
#   is the respondent's own (8 CFR 1003.15(d)(2); ICPM Chapter 2.2(c)), represented or not;
# - other documents (evidence, an application, correspondence) only while no counsel is of
#   record: a party with counsel acts through counsel, who is served and files for them
#   (8 CFR 1292.5(a); ICPM Chapter 2.1 and 3.1, assumption: the chapters' numbering not
#   re-read); a pro se respondent files for themselves (ICPM Chapter 2.2(a), assumption).
# - never an appearance, a notice to appear, a motion or an appeal through this access: a
#   motion or appeal has its own form and fee rules (ICPM Chapter 5; 8 CFR 1003.3), which
#   the respondent's pages don't offer (decided here, not a rule of law).
# No sync API: allows() refuses a respondent every endpoint but public ones.

RESPONDENT_FILINGS_ALWAYS = frozenset({FilingKind.CHANGE_OF_ADDRESS})
RESPONDENT_FILINGS_PRO_SE = frozenset({FilingKind.DOCUMENT})


def respondent_cases(user_id: str) -> Select[str]:
    """The cases a respondent enrolled in."""
    return select(RespondentCase.case_id).where(RespondentCase.user_id == user_id)


def respondent_sees(principal: Principal, placement: Placement, lookups: Lookups) -> bool:
    """Whether a respondent reads a record so placed: their own, or one the parties read
    (audience public) of a case they enrolled in. Reference data with no case (courts)
    too, as every signed-in user."""
    if principal.role is not Role.RESPONDENT:
        return False
    if placement.owner_id == principal.id:
        return True
    if placement.audience is not Audience.PUBLIC:
        return False
    if _is_global(placement):
        return True
    return placement.case_id is not None and placement.case_id in lookups.respondent_case_ids(
        principal.id
    )


def respondent_filing_refusal(
    p: Principal, kind: FilingKind, case_id: str | None, lookups: Lookups
) -> str | None:
    """Why the respondent ``p`` may not file a filing of ``kind`` in the case (None: may)."""
    if p.role is not Role.RESPONDENT:
        return "only the respondent files through the respondent's pages"
    if case_id is None or case_id not in lookups.respondent_case_ids(p.id):
        return "you may file only in your own case"
    if kind in RESPONDENT_FILINGS_ALWAYS:
        return None
    if kind in RESPONDENT_FILINGS_PRO_SE:
        if lookups.case_represented(case_id):
            return "counsel of record appears for you: your counsel files for you"
        return None
    return "this filing is not one the respondent's pages accept"


def may_rotate_access_code(p: Principal, case_court_id: str | None) -> bool:
    """The clerk (or court administrator) of the case's own court replaces its access code,
    on the respondent's request (a lost code, or one someone else has seen)."""
    return (
        p.role in (Role.CLERK, Role.COURT_ADMIN)
        and p.court_id is not None
        and p.court_id == case_court_id
    )


def anonymous_filing_refusal(kind: FilingKind) -> str | None:
    """What may be filed without signing in: a change of address alone (Form EOIR-33 is a
    one-page form the court takes by mail from anyone; the clerk reviews it before the
    address of record changes, 8 CFR 1003.15(d)(2); ICPM Chapter 2.2(c))."""
    if kind is FilingKind.CHANGE_OF_ADDRESS:
        return None
    return "only a change of address is filed without signing in"


def _respondent_filing_check(
    p: Principal,
    old: WireRecord | None,
    new: WireRecord,
    filer_id: str | None,
    kind: FilingKind | None,
    lookups: Lookups,
) -> str | None:
    """A respondent's filing (kind given) or one of its documents (kind None: judged as
    a document filing)."""
    if old is not None:
        return "a submitted filing can't be changed; file a new one"
    if filer_id != p.id:
        return "you can file only in your own name"
    status = getattr(new, "status", None)
    if status not in (FilingStatus.PENDING, DocumentStatus.PENDING):
        return "new filings wait for clerk review"
    case_id = getattr(new, "case_id", None)
    return respondent_filing_refusal(p, kind or FilingKind.DOCUMENT, case_id, lookups)


def is_party_of_record(p: Principal, case_id: str, lookups: Lookups) -> bool:
    """May ``p`` have the case's eROP package: a practitioner with an accepted appearance,
    DHS for a case at one of their assigned courts, court staff of the case's court. (EOIR
    staff see every case but make no records, so :func:`allows` stops their requests.)"""
    placement = Placement(lookups.case_court(case_id), case_id, None, Audience.PUBLIC)
    return placement.court_id is not None and can_see(p, placement, lookups)


def may_fetch_rop_package(p: Principal, request: RopRequest, lookups: Lookups) -> bool:
    """The requester alone follows and downloads a package, and only while still a party
    of record (a withdrawn attorney loses it with the case)."""
    return request.requester_id == p.id and is_party_of_record(p, request.case_id, lookups)


# Reference data that holds in every court (EOIR's catalogues): changed at EOIR, never by
# one court's administrator for all the others.
NATIONWIDE_REFERENCE_DATA = frozenset({"adjournment_code"})


def _rule_reference_data(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    if new is None:
        return "reference data is retired (active=false), not deleted"
    if p.role is not Role.EOIR_STAFF:
        return "nationwide reference data is changed by EOIR staff only, not by a court"
    return None


def _rule_court(
    p: Principal, old: WireRecord | None, new: WireRecord | None, lookups: Lookups
) -> str | None:
    return "courts are set up by the system administrator (ecas-server)"


_WRITE_RULES: dict[str, WriteRule] = {
    "court": _rule_court,
    "courtroom": _rule_courtroom,
    "user_profile": _rule_user_profile,
    "case": _rule_case,
    "representation": _rule_representation,
    "hearing": _rule_hearing,
    "document": _rule_document,
    "annotation": _rule_annotation,
    "order": _rule_order,
    "filing": _rule_filing,
    "service_record": _rule_clerk_only,
    "rop_request": _rule_rop_request,
    "adjournment_code": _rule_reference_data,
    "address": _rule_address,
    "bond": _rule_bond,
    "custody_change": _rule_custody_change,
    "motion": _rule_motion,
    "appeal": _rule_appeal,
    "pleading": _rule_pleading_or_decision,
    "decision": _rule_pleading_or_decision,
    "board_decision": _rule_board_decision,
    "board_vote": _rule_board_vote,
}


def check_write(
    principal: Principal,
    entity: str,
    old: WireRecord | None,
    new: WireRecord | None,
    lookups: Lookups,
) -> str | None:
    """Why ``principal`` may not turn ``old`` into ``new`` (None: creation; None: deletion),
    or None when the change is allowed. Domain validity is checked elsewhere."""
    if principal.role is Role.EOIR_STAFF and entity not in NATIONWIDE_REFERENCE_DATA:
        return "EOIR staff have read-only access"
    rule = _WRITE_RULES.get(entity)
    if rule is None:
        return f"unknown entity {entity!r}"
    return rule(principal, old, new, lookups)


# --- Confidential records ------------------------------------------------------------------
#
# Cases and documents carry confidentiality flags (common.enums.Confidentiality): asylum
# information (8 CFR 1208.6), VAWA/T/U information (8 U.S.C. 1367), sealed by a protective
# order (8 CFR 1003.46). resources/confidentiality.json holds, with its sources, who reads a
# flagged record ("readers") and for whom the eROP package holds it ("package_includes");
# this section answers from it. A document's flags are its own and its case's. Every flag
# admits every kind of reader of the case (checked as the file loads), so the sync feed
# asks of a flag one thing only: an owner's key (a withdrawn counsel's own filing) opens
# nothing flagged (feed_filter, feed_rows_flagged; the owner's copy loses it by a
# departure when the flag is set, services/confidentiality.depart_non_readers, or by the
# scope change's tombstones when their appearance ends). What a flag adds is checked here:
# a reader's kind, the package's withheld pages, who sets a flag, and the audit of every
# read and refusal (services/confidentiality.py).


@dataclass(frozen=True)
class FlagRule:
    flag: Confidentiality
    label: str
    law: str
    readers: frozenset[str]
    package_includes: frozenset[str]
    package_withheld_line: str


# The kinds reader_kinds names: each one reads the case itself (can_see).
READER_KINDS = frozenset(
    {"court_of_case", "board", "eoir_staff", "dhs_of_case", "counsel_of_record", "respondent"}
)


def _load_flag_rules() -> dict[Confidentiality, FlagRule]:
    data = read_data_file(resource_path("confidentiality.json"))
    rules: dict[Confidentiality, FlagRule] = {}
    flags = data.get("flags")
    if not isinstance(flags, list):
        raise DataFileError("confidentiality.json: 'flags' must be a list")
    for item in flags:
        flag = Confidentiality(item["id"])
        rules[flag] = FlagRule(
            flag,
            str(item["label"]),
            str(item["law"]),
            frozenset(item["readers"]),
            frozenset(item["package_includes"]),
            str(item.get("package_withheld_line") or ""),
        )
    missing = set(Confidentiality) - set(rules)
    if missing:
        raise DataFileError(f"confidentiality.json: no rule for {sorted(missing)}")
    for rule in rules.values():  # the feed's SQL (feed_filter) rests on this
        if rule.readers != READER_KINDS:
            raise DataFileError(
                f"confidentiality.json: {rule.flag.value} must admit every reader of the case"
                f" {sorted(READER_KINDS)}: the sync feed checks a flag against ownership only"
            )
    return rules


FLAG_RULES: dict[Confidentiality, FlagRule] = _load_flag_rules()
FLAG_SETTERS = frozenset({Role.JUDGE, Role.CLERK})


def flags_of(values: Collection[str] | None) -> frozenset[Confidentiality]:
    """The flags named in a stored list (unknown names are ignored, never widen access)."""
    known = {f.value for f in Confidentiality}
    return frozenset(Confidentiality(v) for v in values or () if v in known)


def record_flags(record: WireRecord, lookups: Lookups) -> frozenset[Confidentiality]:
    """The flags that hold for ``record``: a case's own; a document's own and its case's.
    Other records carry none of their own (they are read with their case, not apart)."""
    if isinstance(record, Case):
        return flags_of(record.confidentiality)
    if isinstance(record, Document):
        return flags_of(record.confidentiality) | flags_of(lookups.case_flags(record.case_id))
    return frozenset()


def reader_kinds(p: Principal, case_id: str, lookups: Lookups) -> frozenset[str]:
    """What ``p`` is to the case, in the reader kinds of resources/confidentiality.json."""
    court = lookups.case_court(case_id)
    kinds: set[str] = set()
    role = p.role
    if role.is_court_staff and court is not None and court == p.court_id:
        kinds.add("court_of_case")
    if role.is_board_staff and (
        case_id in lookups.board_case_ids() or (p.court_id is not None and court == p.court_id)
    ):
        kinds.add("board")
    if role is Role.EOIR_STAFF:
        kinds.add("eoir_staff")
    if role is Role.DHS and court is not None and court in p.assigned_court_ids:
        kinds.add("dhs_of_case")
    if role.is_practitioner and case_id in lookups.practitioner_case_ids(p.id):
        kinds.add("counsel_of_record")
    if role is Role.RESPONDENT and case_id in lookups.respondent_case_ids(p.id):
        kinds.add("respondent")
    return frozenset(kinds)


def flagged_read_refusal(
    p: Principal, flags: Collection[Confidentiality], case_id: str | None, lookups: Lookups
) -> str | None:
    """Why ``p`` may not read a record with ``flags`` in the case (None: may). Every flag
    must admit one of ``p``'s reader kinds; a record with no flags is not judged here."""
    if not flags:
        return None
    if case_id is None:
        return "a confidential record outside a case is read by nobody"
    kinds = reader_kinds(p, case_id, lookups)
    for flag in sorted(flags):
        rule = FLAG_RULES[flag]
        if not kinds & rule.readers:
            return f"confidential ({rule.label}, {rule.law}): not a reader of this record"
    return None


def can_read(principal: Principal, record: WireRecord, lookups: Lookups) -> bool:
    """:func:`can_see` with the flags: whether ``principal`` reads ``record`` itself, for
    answers that carry a record (a push's conflict or refusal). An owner who is not a
    reader of a flagged record reads nothing of it, as in :func:`feed_filter`."""
    if not can_see(principal, placement_of(record, lookups), lookups):
        return False
    flags = owned_record_flags(record, lookups)
    case_id = record.id if isinstance(record, Case) else getattr(record, "case_id", None)
    return flagged_read_refusal(principal, flags, case_id, lookups) is None


def owned_record_flags(record: WireRecord, lookups: Lookups) -> frozenset[Confidentiality]:
    """The flags that close ``record`` to an owner who is not a reader of its case:
    :func:`record_flags`, and for any other record of a case (a filing, a motion, an
    appeal, a service record) its case's; an appearance carries none (its practitioner
    keeps the record that their representation ended)."""
    flags = record_flags(record, lookups)
    case_id = getattr(record, "case_id", None)
    if isinstance(record, Case | Document | Representation) or not case_id:
        return flags
    return flags | flags_of(lookups.case_flags(case_id))


def package_withholds(
    p: Principal, flags: Collection[Confidentiality], case_id: str, lookups: Lookups
) -> Confidentiality | None:
    """The flag for which the eROP package asked by ``p`` leaves a document out (its index
    says so in its place, ``FLAG_RULES[flag].package_withheld_line``), or None to include it."""
    kinds = reader_kinds(p, case_id, lookups)
    for flag in sorted(flags):
        if not kinds & FLAG_RULES[flag].package_includes:
            return flag
    return None


def flag_change_refusal(
    p: Principal, old: WireRecord | None, new: WireRecord, lookups: Lookups
) -> str | None:
    """Why ``p`` may not set ``new``'s flags as they are (None: may, or they did not
    change). A judge or clerk of the case's court sets and clears them; a new record
    from anyone else carries none (the server adds the asylum flag to an I-589 itself)."""
    before = flags_of(getattr(old, "confidentiality", None))
    after = flags_of(getattr(new, "confidentiality", None))
    if before == after:
        return None
    if p.role not in FLAG_SETTERS:
        return "only the court's judge or clerk marks a record confidential"
    if not (_in_own_court(p, old, lookups) and _in_own_court(p, new, lookups)):
        return "the record belongs to another court"
    return None
