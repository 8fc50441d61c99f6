"""One set of rules for every filing a party makes, whichever door it comes through.

A practitioner's or DHS's filing reaches the server through the portal's forms
(``services/portal_filings``) or as a pushed ``filing``/``document`` record (the sync API);
both doors end in :func:`sync_server.services.change_rules.check_change`, which asks this
module, so a filing the portal refuses is refused by the push for the same reason, in the
same words. The portal also asks before it writes, to show the reasons by field.

What is checked (a new filing by the party who files it; the clerk's review and the
clerk's own entries of paper filings are judged by the policy, not here):

- which kinds a role files: counsel an EOIR-28/27, documents and a change of address; DHS
  documents, notices to appear and a change of address;
- an EOIR-28/27: the form as the portal checks it (``common.forms_eoir``), the filer's own
  EOIR ID and the category EOIR registered them in, a case whose A-number *and*
  respondent's last name are the form's (refused in the same words whether or not the
  A-number exists, so a filing is no way to learn a case), an EOIR-27 only in a case on
  appeal, and no second form of the kind waiting in the case;
- an EOIR-33: the form, and a move that has happened (its date not after the court's today);
- a document: a kind a party files, in the filer's own capacity, attached (if at all) to a
  filing of the filer's in the same case;
- a notice to appear: no open case of the A-number at the filer's courts (a bond case
  aside).

Who may file in which case (an accepted appearance, DHS's courts) is the policy's
(``policy.check_write``), for both doors alike.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.anumber import ANumberError, parse_a_number
from common.court_time import court_today, table_date
from common.deadlines import NoAppeal
from common.enums import (
    AppealStatus,
    CaseStatus,
    CaseType,
    DocumentType,
    FilingKind,
    FilingStatus,
    Party,
    Role,
)
from common.folding import same_name
from common.forms_eoir import (
    CATEGORY_LABELS,
    DHS_DOCUMENT_TYPES,
    PARTY_DOCUMENT_TYPES,
    AppearanceForm,
    FieldErrors,
    PractitionerCategory,
    check_filed_appearance,
    validate_change_of_address,
)
from common.wire import Appeal, Document, Filing, WireRecord
from sync_server.models import AppealRow, CaseRow, CourtRow, FilingRow, UserRow
from sync_server.models.types import utcnow


@dataclass(frozen=True)
class Refusal:
    """Why a filing is not accepted: ``message`` says what to do, ``errors`` name fields."""

    message: str
    errors: FieldErrors = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The refusal in one line, as a push's answer gives it."""
        details = "; ".join(f"{name}: {text}" for name, text in self.errors.items())
        return f"{self.message} ({details})" if details else self.message


# The category an account appears in, by the role EOIR registered it with (8 CFR 1292.1(f)).
REGISTERED_AS = {
    Role.ATTORNEY: PractitionerCategory.ATTORNEY,
    Role.ACCREDITED_REP: PractitionerCategory.ACCREDITED_REP,
}

# What each external role files.
KINDS_BY_ROLE: dict[Role, frozenset[FilingKind]] = {
    Role.ATTORNEY: frozenset(
        {
            FilingKind.EOIR_28,
            FilingKind.EOIR_27,
            FilingKind.DOCUMENT,
            FilingKind.CHANGE_OF_ADDRESS,
        }
    ),
    Role.DHS: frozenset(
        {FilingKind.DOCUMENT, FilingKind.NOTICE_TO_APPEAR, FilingKind.CHANGE_OF_ADDRESS}
    ),
}
KINDS_BY_ROLE[Role.ACCREDITED_REP] = KINDS_BY_ROLE[Role.ATTORNEY]

NO_CASE = Refusal(
    "No case matches.",
    {
        "a_number": "No case with this A-number and respondent's last name is before the "
        "court. Check both against the notice to appear."
    },
)
_BOARD_APPEARANCE_STATUSES = (CaseStatus.APPEALED.value, CaseStatus.DECIDED.value)
NOT_ON_APPEAL = Refusal(
    "This case is not on appeal.",
    {"a_number": "This case is not before the Board; file an EOIR-28 instead."},
)
ALREADY_FILED = Refusal(
    "You already filed this form in this case; it waits for review.",
    {"a_number": "Your earlier form for this case still waits for review."},
)
CASE_ALREADY_OPEN = Refusal(
    "A case with this A-number is already open.",
    {"a_number": "A case with this A-number is already open at one of your courts."},
)


def _role(user: UserRow | None) -> Role | None:
    try:
        return Role(user.role) if user is not None else None
    except ValueError:
        return None


# --- appearances (EOIR-28, EOIR-27) ------------------------------------------------------


def filer_refusal(user: UserRow | None, form: AppearanceForm) -> Refusal | None:
    """The form's EOIR ID must be the filer's, and its category the one EOIR registered
    them in: an accredited representative does not appear as an attorney."""
    if user is None or not user.eoir_id or user.eoir_id != form.eoir_id.strip().upper():
        return Refusal(
            "Check your EOIR ID.", {"eoir_id": "This is not the EOIR ID of your account."}
        )
    role = _role(user)
    registered = REGISTERED_AS.get(role) if role is not None else None
    if form.category is not registered:
        shown = CATEGORY_LABELS[registered] if registered else "no practitioner category"
        return Refusal(
            "Check your category.",
            {"category": f"Your account is registered as: {shown}. Choose that category."},
        )
    return None


def _form_a_number(form: AppearanceForm) -> str | None:
    try:
        return parse_a_number(form.a_number)
    except ANumberError:
        return None


def matching_case(session: Session, form: AppearanceForm) -> CaseRow | None:
    """The newest live case with the form's A-number and respondent's last name."""
    a_number = _form_a_number(form)
    if a_number is None:
        return None
    # The A-number's cases (its index finds them: a handful), then the name compared folded
    # (case and accents ignored: "Guaman" is GUAMÁN; common.folding).
    for case in session.scalars(
        select(CaseRow)
        .where(CaseRow.a_number == a_number, CaseRow.deleted.is_(False))
        .order_by(CaseRow.opened_on.desc(), CaseRow.id)
    ):
        if same_name(case.respondent_last_name, form.respondent_last_name):
            return case
    return None


def _is_the_forms_case(case: CaseRow | None, form: AppearanceForm) -> bool:
    return (
        case is not None
        and not case.deleted
        and case.a_number == _form_a_number(form)
        and same_name(case.respondent_last_name, form.respondent_last_name)
    )


def appearance_refusal(
    session: Session,
    filer_id: str,
    form: AppearanceForm,
    *,
    case_id: str | None = None,
    filing_id: str | None = None,
) -> Refusal | None:
    """Why ``filer_id`` may not file ``form`` (in the case ``case_id`` names, or, None, the
    case the form's A-number and last name find), or None. ``filing_id`` is the filing
    itself, which is no duplicate of itself."""
    refused = filer_refusal(session.get(UserRow, filer_id), form)
    if refused:
        return refused
    if case_id is None:
        case = matching_case(session, form)
    else:
        named = session.get(CaseRow, case_id)
        case = named if _is_the_forms_case(named, form) else None
    if case is None:
        return NO_CASE
    # Counsel who did not appear before the immigration judge files the EOIR-27 with the
    # notice of appeal (8 CFR 1003.38(g)), so a decided case takes one too.
    if form.kind is FilingKind.EOIR_27 and case.status not in _BOARD_APPEARANCE_STATUSES:
        return NOT_ON_APPEAL
    duplicate = session.scalar(
        select(FilingRow.id).where(
            FilingRow.case_id == case.id,
            FilingRow.filer_id == filer_id,
            FilingRow.kind == form.kind.value,
            FilingRow.status == FilingStatus.PENDING.value,
            FilingRow.deleted.is_(False),
            FilingRow.id != (filing_id or ""),
        )
    )
    return ALREADY_FILED if duplicate is not None else None


# --- notices to appear -------------------------------------------------------------------


def open_case_refusal(
    session: Session, a_number: str, court_ids: Collection[str]
) -> Refusal | None:
    """A notice to appear opens no second case while one with the A-number is open at the
    filer's courts; a bond case aside, since custody proceedings are separate and apart
    from removal proceedings (8 CFR 1003.19(d)) and a notice to appear may follow one."""
    open_case = session.scalar(
        select(CaseRow.id).where(
            CaseRow.a_number == a_number,
            CaseRow.court_id.in_(list(court_ids)),
            CaseRow.status.not_in([CaseStatus.CLOSED.value, CaseStatus.DECIDED.value]),
            CaseRow.case_type != CaseType.BOND.value,
            CaseRow.deleted.is_(False),
        )
    )
    return CASE_ALREADY_OPEN if open_case is not None else None


def dhs_case_refusal(session: Session, actor_id: str, a_number: str) -> Refusal | None:
    """:func:`open_case_refusal` for a case DHS opens (pushed, or through the portal)."""
    actor = session.get(UserRow, actor_id)
    if _role(actor) is not Role.DHS:
        return None
    assert actor is not None
    return open_case_refusal(session, a_number, actor.assigned_court_ids or [])


# --- every new filing --------------------------------------------------------------------


def _external(session: Session, actor_id: str, old: WireRecord | None) -> Role | None:
    """The filer's role when this is a new record an external user files, else None."""
    if old is not None:
        return None
    role = _role(session.get(UserRow, actor_id))
    return role if role is not None and role.is_external else None


def _court_today_of(session: Session, court_id: str | None) -> date:
    court = session.get(CourtRow, court_id) if court_id else None
    return court_today(court.timezone if court is not None else None, utcnow())


def filing_refusal(
    session: Session, actor_id: str, old: WireRecord | None, new: Filing
) -> Refusal | None:
    """Why a party's new ``filing`` is not accepted, or None (see the module's list)."""
    role = _external(session, actor_id, old)
    if role is None:
        return None
    if new.kind not in KINDS_BY_ROLE.get(role, frozenset()):
        return Refusal(f"Accounts of the role {role.value!r} don't file a {new.kind.value!r}.")
    today = _court_today_of(session, new.court_id)
    match new.kind:
        case FilingKind.EOIR_28 | FilingKind.EOIR_27:
            form, errors = check_filed_appearance(new.kind, new.form, today)
            if form is None:
                return Refusal("Check the form; see the reasons below.", errors)
            if new.case_id is None:
                return NO_CASE
            return appearance_refusal(
                session, actor_id, form, case_id=new.case_id, filing_id=new.id
            )
        case FilingKind.CHANGE_OF_ADDRESS:
            _, errors = validate_change_of_address(new.form, today)
            if errors:
                return Refusal("Check the change of address; see the reasons below.", errors)
        case FilingKind.DOCUMENT:
            doc_type = new.form.get("doc_type")
            allowed = DHS_DOCUMENT_TYPES if role is Role.DHS else PARTY_DOCUMENT_TYPES
            if doc_type is not None and doc_type not in {t.value for t in allowed}:
                return Refusal("Choose a type from the list.", {"doc_type": str(doc_type)[:40]})
    if new.kind is not FilingKind.NOTICE_TO_APPEAR and new.case_id is None:
        return Refusal("Name the case you file in.")
    return None


def document_refusal(
    session: Session, actor_id: str, old: WireRecord | None, new: Document
) -> Refusal | None:
    """Why a party's new document is not accepted, or None: a kind a party files, in the
    filer's own capacity (counsel as the practitioner, DHS as DHS, never as the court),
    attached to the filer's own filing in the same case when it names one."""
    role = _external(session, actor_id, old)
    if role is None:
        return None
    party = Party.DHS if role is Role.DHS else Party.PRACTITIONER
    if new.filer_party is not party:
        return Refusal(
            f"You file as {party.value}.", {"filer_party": f"{new.filer_party.value} is not you."}
        )
    allowed: frozenset[DocumentType] = (
        DHS_DOCUMENT_TYPES if role is Role.DHS else PARTY_DOCUMENT_TYPES
    )
    if new.doc_type not in allowed:
        return Refusal(
            "Choose a type from the list.",
            {"doc_type": f"A party does not file a {new.doc_type.value}."},
        )
    if new.filing_id is not None:
        filing = session.get(FilingRow, new.filing_id)
        if filing is not None and (
            filing.deleted
            or filing.filer_id != actor_id
            or filing.case_id != new.case_id
            or filing.status != FilingStatus.PENDING.value
        ):
            return Refusal("A document joins only your own pending filing in its case.")
    return None


# --- notices of appeal (EOIR-26) ------------------------------------------------------------


def appeal_refusal(
    session: Session, actor_id: str, old: WireRecord | None, new: Appeal
) -> Refusal | None:
    """Why a party's new notice of appeal is not accepted, or None: a case with a decision
    to appeal (not entered in absentia), the form's decision date the one on record, no
    appeal of the same party waiting or docketed, the EOIR-27 it names the filer's own in
    the case, and the findings (late, appeal waived) the server's. A late appeal, or one
    from a decision whose appeal was waived, is accepted and flagged, never refused."""
    # Imported here: services.appeals reads records through services.records.
    from sync_server.services.appeals import appeal_findings, decision_facts

    role = _external(session, actor_id, old)
    if role is None:
        return None
    case = session.get(CaseRow, new.case_id)
    if case is None or case.deleted:
        return NO_CASE
    if case.status not in _BOARD_APPEARANCE_STATUSES:
        return Refusal(
            "This case has no decision to appeal.",
            {"a_number": "The immigration judge has not decided this case."},
        )
    facts = decision_facts(session, case.id)
    if facts.decision is not None and facts.decision.decided_on != new.decision_date:
        return Refusal(
            "Check the date of the decision.",
            {
                "decision_date": "The decision on record is dated "
                f"{table_date(facts.decision.decided_on)}."
            },
        )
    pending = session.scalar(
        select(AppealRow.id).where(
            AppealRow.case_id == case.id,
            AppealRow.appellant == new.appellant.value,
            AppealRow.status.in_([AppealStatus.FILED.value, AppealStatus.DOCKETED.value]),
            AppealRow.deleted.is_(False),
            AppealRow.id != new.id,
        )
    )
    if pending is not None:
        return Refusal("This party's appeal in this case is already before the Board.")
    if new.eoir27_filing_id is not None:
        eoir27 = session.get(FilingRow, new.eoir27_filing_id)
        if (
            eoir27 is None
            or eoir27.deleted
            or eoir27.kind != FilingKind.EOIR_27.value
            or eoir27.filer_id != actor_id
            or eoir27.case_id != case.id
            or eoir27.status == FilingStatus.REJECTED.value
        ):
            return Refusal(
                "File your EOIR-27 in this case with the appeal.",
                {"eoir27": "The EOIR-27 named is not yours in this case."},
            )
    try:
        found = appeal_findings(session, new, new.received_at)
    except NoAppeal as err:
        return Refusal(str(err), {"decision_date": "No appeal lies from this decision."})
    if (found.late, found.waived) != (new.late, new.appeal_waived):
        return Refusal(
            "The intake's findings are the server's: "
            f"late={found.late}, appeal waived={found.waived}."
        )
    return None


def record_refusal(
    session: Session, actor_id: str, old: WireRecord | None, new: WireRecord
) -> Refusal | None:
    """:func:`filing_refusal`, :func:`document_refusal` or :func:`appeal_refusal`, by the
    record's entity."""
    if isinstance(new, Filing):
        return filing_refusal(session, actor_id, old, new)
    if isinstance(new, Document):
        return document_refusal(session, actor_id, old, new)
    if isinstance(new, Appeal):
        return appeal_refusal(session, actor_id, old, new)
    return None
