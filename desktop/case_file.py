"""One case as the judge or clerk reads it: summary, hearings, eROP documents, representation,
orders, deadlines and pending filings, joined from the local store into frozen rows.

No Qt here; the case file view shows what :func:`load_case_file` returns. A related record
that has not arrived (or is out of this user's scope) shows as "Unknown …", never an error.
The case history (the server's audit trail) is not in the local copy: the History tab
reads it online (``desktop.ui.case_history``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from pydantic import ValidationError

from common import court_time
from common.adjournment import lookup_code
from common.anumber import format_a_number
from common.board_decisions import board_final_on
from common.bonds import (
    OUTCOME_WORDS,
    amount_after,
    appeal_deadline,
    dhs_amount_in_effect,
    dollars,
    stay_state,
)
from common.court_closures import CourtCalendar, court_calendar
from common.deadlines import (
    Deadline,
    case_decision,
    case_motions,
    deadlines_for_case,
    written_decision_service,
)
from common.decisions import APPEAL_PARTIES, completion_rules, finality, latest_decision
from common.enums import (
    BondOutcome,
    CaseStatus,
    CaseType,
    CompletionType,
    Custody,
    DecisionForm,
    FilingStatus,
    HearingStatus,
    HearingType,
)
from common.family import family_of
from common.service import address_lines, address_of_record
from common.service import history as address_history
from common.voluntary_departure import DepartureTerms, departure_terms
from common.wire import Address, BoardDecision, Bond, DecisionRecord
from desktop.docket import build_docket
from desktop.local_store import LocalStore

Record = Mapping[str, Any]

UNKNOWN_JUDGE = "Unknown judge"
UNKNOWN_COURT = "Unknown court"
UNKNOWN_PERSON = "Unknown practitioner"

# Wire spellings that read badly when merely de-underscored.
_LABELS = {
    "eoir_28": "EOIR-28",
    "eoir_27": "EOIR-27",
    "i589_application": "Form I-589",
    "notice_to_appear": "Notice to appear",
    "dhs": "DHS",
    "credible_fear_review": "Credible fear review",
    "administratively_closed": "Administratively closed",
    "all_except_custody_and_bond": "All except custody and bond",
    "in_person": "In person",
    "nta": "Notice to appear",
    "eoir_33": "Change of address (EOIR-33)",
    "custodial": "Detention facility",
}


def label(value: object) -> str:
    """A wire value as people read it: ``"never_detained"`` -> ``"Never detained"``."""
    text = "" if value is None else str(value)
    return _LABELS.get(text) or text.replace("_", " ").capitalize()


def court_zone(court: Record | None) -> tzinfo:
    """The court's time zone; UTC when the court or its zone is unknown (a case file still
    opens when a court record is damaged; every time it shows then says "UTC")."""
    try:
        return court_time.court_zone(court)
    except court_time.UnknownTimeZone:
        return UTC


@dataclass(frozen=True, slots=True)
class CaseSummary:
    case_id: str
    a_number: str  # 9 digits
    respondent: str  # "First LAST"
    nationality: str
    language: str
    custody: str
    case_type: str
    status: str
    judge_id: str | None
    judge: str
    court_id: str
    court: str
    opened_on: date | None
    decided_on: date | None
    date_of_birth: date | None
    charges: tuple[str, ...]
    confidentiality: tuple[str, ...] = ()  # its flags (common.confidentiality)

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)


@dataclass(frozen=True, slots=True)
class HearingEntry:
    hearing_id: str
    starts_at: datetime  # in the court's time zone
    duration_minutes: int
    hearing_type: str
    medium: str
    status: str
    courtroom: str
    judge: str
    interpreter_language: str | None
    outcome: str | None
    adjournment_code: str | None
    adjournment: str  # the code's description, "" when none


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    document_id: str
    doc_type: str
    title: str
    filer_party: str
    filer: str
    filed_on: date | None
    pages: int
    status: str
    sha256: str
    size: int
    cached: bool
    confidentiality: tuple[str, ...] = ()  # its own flags (its case's hold for it too)


@dataclass(frozen=True, slots=True)
class RepresentationEntry:
    representation_id: str
    practitioner: str
    form: str
    scope: str
    primary: bool
    status: str
    accepted_on: date | None
    # How the appearance ended, kept as history (common.counsel): the court's date, the
    # judge whose leave it was, and who took over after a substitution.
    ended_on: date | None = None
    leave_by: str = ""
    successor: str = ""
    practitioner_id: str = ""

    @property
    def of_record(self) -> bool:
        return self.status == "accepted"

    @property
    def history(self) -> str:
        """ "Withdrawn Tue 1 Dec 2026, leave of Immigration Judge Alvarez"; "Substituted by
        Dana Reyes …"; "" while of record or pending."""
        if self.ended_on is None:
            return ""
        day = court_time.table_date(self.ended_on)
        leave = f", leave of {self.leave_by}" if self.leave_by else ""
        if self.status == "substituted":
            return f"Substituted by {self.successor or UNKNOWN_PERSON} {day}{leave}"
        return f"Withdrawn {day}{leave}"


@dataclass(frozen=True, slots=True)
class FamilyMember:
    """Another case of the family this case belongs to (a lead case and its riders are
    heard together, each on its own record)."""

    case_id: str
    relation: str  # "Lead case" | "Rider"
    respondent: str
    a_number: str
    status: str

    def one_line(self) -> str:
        return (
            f"{self.relation}: {self.respondent} {format_a_number(self.a_number)} "
            f"({label(self.status)})"
        )


@dataclass(frozen=True, slots=True)
class OrderEntry:
    order_id: str
    template: str
    status: str
    judge: str
    signed_at: datetime | None
    document_id: str | None


@dataclass(frozen=True, slots=True)
class DeadlineEntry:
    title: str
    due: date
    anchor: date
    state: str  # "past" | "next" | "upcoming"
    caveat: str | None
    citation: str = ""  # the rule's source, e.g. "8 CFR 1003.38(b); ..."
    note: str | None = None  # why the day moved (weekend, holiday, closure) and the rule's note

    @property
    def is_past(self) -> bool:
        return self.state == "past"


@dataclass(frozen=True, slots=True)
class AddressEntry:
    """One entry of the respondent's address history; ``current`` marks the address of
    record (where the court mails the respondent today)."""

    address_id: str
    kind: str  # nta | eoir_33 | custodial
    lines: tuple[str, ...]  # as the envelope reads, care-of line first
    effective_on: date
    current: bool

    @property
    def one_line(self) -> str:
        return ", ".join(self.lines)


@dataclass(frozen=True, slots=True)
class FilingEntry:
    filing_id: str
    kind: str
    filer: str
    submitted_at: datetime | None
    lead_document: str
    status: str


@dataclass(frozen=True, slots=True)
class BondEntry:
    """One custody redetermination of a bond case, as the case file's Bond tab reads it."""

    bond_id: str
    requested_on: date
    requested: str  # "$5,000 asked by counsel (Dana Reyes)"
    dhs: str  # "DHS: $15,000" / "DHS: no bond"
    outcome: str  # "Bond lowered to $7,500" / "Pending"
    decided_on: date | None
    appeal_due: date | None  # the Board must receive an appeal by then (either party)
    appeal_citation: str
    stay: str  # the automatic stay's state, "" without an EOIR-43
    changed_circumstances: str  # a later request's stated change


@dataclass(frozen=True, slots=True)
class LinkedCase:
    """The other proceeding of the same respondent: a bond case's removal case, or a
    removal case's bond case(s). ``known`` is False when it is not on this computer."""

    case_id: str
    relation: str  # "Removal case" | "Bond case"
    a_number: str
    status: str
    known: bool

    def one_line(self) -> str:
        if not self.known:
            return f"{self.relation} (not on this computer)"
        return f"{self.relation} {format_a_number(self.a_number)} ({label(self.status)})"


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    """The judge's latest decision as the case file shows it, and when it becomes final
    (``common.decisions.finality``): ``served_on`` is a written decision's service, from its
    record or else from the service of its order (``served_from`` says which)."""

    completion: str
    decided_on: date
    form: DecisionForm
    served_on: date | None
    served_from: str  # "recorded", "its order's service", or "" (oral, or not served yet)
    appeals: tuple[tuple[str, str], ...]  # (party, "reserved" / "waived" / "not stated")
    final_on: date | None
    appeal_due: date | None
    reason: str
    citation: str
    # Voluntary departure granted by the decision's order: the day to depart by and when
    # the alternate order of removal becomes final on an overstay (common.voluntary_departure).
    departure: DepartureTerms | None = None

    @property
    def given(self) -> str:
        if self.form is DecisionForm.ORAL:
            return "oral"
        if self.served_on is None:
            return "written, not yet served"
        return f"written, served {court_time.table_date(self.served_on)}"

    @property
    def finality_line(self) -> str:
        """ "Final <date>", "Not final: appeal due <date>", or why it can't be said."""
        if self.appeal_due is not None:
            return f"Not final: appeal due {court_time.table_date(self.appeal_due)}"
        if self.final_on is not None:
            return f"Final {court_time.table_date(self.final_on)}"
        return f"Not final: {self.reason}"


@dataclass(frozen=True)
class CaseFile:
    summary: CaseSummary
    hearings: tuple[HearingEntry, ...]
    documents: tuple[DocumentEntry, ...]
    representation: tuple[RepresentationEntry, ...]
    orders: tuple[OrderEntry, ...]
    deadlines: tuple[DeadlineEntry, ...]
    filings: tuple[FilingEntry, ...]  # waiting for clerk review
    today: date
    zone: tzinfo = UTC  # the court's: the History tab shows the server's times in it
    addresses: tuple[AddressEntry, ...] = ()  # latest first
    bonds: tuple[BondEntry, ...] = ()  # a bond case's redeterminations, latest first
    linked: tuple[LinkedCase, ...] = ()  # the respondent's other proceeding(s)
    family: tuple[FamilyMember, ...] = ()  # this case's lead, or its riders
    decision: DecisionEntry | None = None  # the judge's latest decision record

    @property
    def counsel_of_record(self) -> tuple[RepresentationEntry, ...]:
        return tuple(r for r in self.representation if r.of_record)

    @property
    def next_deadline(self) -> DeadlineEntry | None:
        return next((d for d in self.deadlines if d.state == "next"), None)

    @property
    def address_of_record(self) -> AddressEntry | None:
        return next((a for a in self.addresses if a.current), None)


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _datetime(value: object, zone: tzinfo) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone(zone) if value else None
    except ValueError:
        return None


def _for_case(records: Iterable[dict[str, Any]], case_id: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get("case_id") == case_id]


def _names(users: Iterable[Record]) -> dict[str, str]:
    return {str(u["id"]): str(u.get("display_name") or u.get("username") or "") for u in users}


def load_case_file(
    store: LocalStore,
    case_id: str,
    today: date | None = None,
    *,
    is_cached: Callable[[str], bool] = lambda _sha256: False,
) -> CaseFile | None:
    """Assemble the case file of ``case_id`` from ``store``; None if the case is not here.

    ``today`` (court-local, default the court's today) decides which deadlines are past;
    ``is_cached(sha256)`` says whether a document's PDF is on this computer.
    """
    case = store.get("case", case_id)
    if case is None:
        return None
    court = store.get("court", str(case.get("court_id")))
    zone = court_zone(court)
    today = today or court_time.court_today(zone)
    names = _names(store.all("user_profile"))
    summary = _summary(case, court, names)
    hearing_records = _for_case(store.all("hearing"), case_id)
    documents = _for_case(store.all("document"), case_id)
    return CaseFile(
        summary=summary,
        hearings=_hearings(store, case, court, hearing_records, names),
        documents=_documents(documents, names, is_cached),
        representation=_representation(_for_case(store.all("representation"), case_id), names),
        orders=_orders(_for_case(store.all("order"), case_id), names, zone),
        deadlines=case_deadlines(
            case,
            hearing_records,
            zone,
            today,
            court=court,
            orders=_for_case(store.all("order"), case_id),
            documents=documents,
            service_records=_for_case(store.all("service_record"), case_id),
            decisions=_for_case(store.all("decision"), case_id),
        ),
        filings=_filings(_for_case(store.all("filing"), case_id), documents, names, zone),
        today=today,
        zone=zone,
        addresses=_addresses(_for_case(store.all("address"), case_id), case, today),
        bonds=_bonds(_for_case(store.all("bond"), case_id), case, court, names, today),
        linked=_linked(store, case),
        family=_family(store, case),
        decision=decision_entry(
            case,
            _for_case(store.all("decision"), case_id),
            _for_case(store.all("order"), case_id),
            _served_days(_for_case(store.all("service_record"), case_id), zone),
            today,
            board_decisions=_for_case(store.all("board_decision"), case_id),
        ),
    )


_APPEAL_WORDS = {"respondent": "Respondent", "dhs": "DHS"}


def _board_decisions(records: Iterable[Record]) -> list[BoardDecision]:
    parsed = []
    for raw in records:
        if raw.get("deleted"):
            continue
        try:
            parsed.append(BoardDecision.model_validate(raw))
        except ValidationError:
            continue
    return parsed


def decision_entry(
    case: Record,
    decisions: Iterable[Record],
    orders: Iterable[Record],
    served: Mapping[str, date],
    today: date,
    *,
    board_decisions: Iterable[Record] = (),
) -> DecisionEntry | None:
    """The case's latest decision record and its finality, or None when it has none.
    A written decision's service is its record's ``served_on``, else the first service of
    its order (``served``: document id to the court-local day served). Once the appeal
    period ran out (``today`` past the last day) the decision reads as final; once the
    Board dismissed the appeal or affirmed (an issued ``board_decision``), final on the
    Board's day (8 CFR 1241.1(a))."""
    parsed: list[DecisionRecord] = []
    for raw in decisions:
        if raw.get("deleted"):
            continue
        try:
            parsed.append(DecisionRecord.model_validate(raw))
        except ValidationError:
            continue
    latest = latest_decision(parsed, str(case["id"]))
    if latest is None:
        return None
    served_from = "recorded" if latest.served_on else ""
    if latest.form is DecisionForm.WRITTEN and latest.served_on is None:
        derived = written_decision_service(case, orders, served, latest.decided_on)
        if derived is not None:
            latest = latest.model_copy(update={"served_on": derived})
            served_from = "its order's service"
    try:
        status = CaseStatus(str(case.get("status")))
    except ValueError:
        status = CaseStatus.DECIDED
    final = finality(
        latest,
        case_status=status,
        board_final_on=board_final_on(_board_decisions(board_decisions), str(case["id"])),
    )
    due = final.appeal_due
    if due is not None and due < today and status is not CaseStatus.APPEALED:
        due = None  # the time ran out with no appeal: final at the end of that day
    appeals = tuple(
        (
            _APPEAL_WORDS.get(p.value, p.value),
            "reserved"
            if p in latest.appeal_reserved_by
            else "waived"
            if p in latest.appeal_waived_by
            else "not stated",
        )
        for p in APPEAL_PARTIES
    )
    return DecisionEntry(
        departure=_departure(case, orders, latest, status),
        completion=completion_rules()[latest.completion].label,
        decided_on=latest.decided_on,
        form=latest.form,
        served_on=latest.served_on,
        served_from=served_from,
        appeals=appeals,
        final_on=final.final_on,
        appeal_due=due,
        reason=final.reason,
        citation=final.citation,
    )


def _departure(
    case: Record, orders: Iterable[Record], decision: DecisionRecord, status: CaseStatus
) -> DepartureTerms | None:
    """The voluntary departure the decision's signed order grants (its latest signed order
    of the decision's day), or None."""
    if decision.completion is not CompletionType.VOLUNTARY_DEPARTURE:
        return None
    signed = sorted(
        (
            o
            for o in orders
            if o.get("case_id") == case.get("id")
            and o.get("status") in ("signed", "issued")
            and not o.get("deleted")
            and isinstance(o.get("fields"), Mapping)
            and o["fields"].get("decision_date") == decision.decided_on.isoformat()
        ),
        key=lambda o: str(o.get("signed_at") or ""),
    )
    if not signed:
        return None
    return departure_terms(
        decision.decided_on, signed[-1]["fields"], appealed=status is CaseStatus.APPEALED
    )


def _served_days(service_records: Iterable[Record], zone: tzinfo) -> dict[str, date]:
    """Each served document's first day of service, on the court's calendar."""
    served: dict[str, date] = {}
    for record in service_records:
        when = _datetime(record.get("served_at"), zone)
        document = str(record.get("document_id") or "")
        if when is not None and (document not in served or when.date() < served[document]):
            served[document] = when.date()
    return served


def _family(store: LocalStore, case: Record) -> tuple[FamilyMember, ...]:
    """Both ways: a rider names its lead (and the lead's other riders are listed); a lead
    lists its riders."""
    cases = [c for c in store.all("case") if not c.get("deleted")]
    found = family_of(str(case["id"]), cases)
    if found is None:
        lead_id = case.get("lead_case_id")
        lead = store.get("case", str(lead_id)) if lead_id else None
        return (_member(lead, "Lead case"),) if lead else ()
    by_id = {str(c["id"]): c for c in cases}
    members = [] if found.lead_id == case["id"] else [_member(by_id[found.lead_id], "Lead case")]
    members += [_member(by_id[r], "Rider") for r in found.rider_ids if r != case["id"]]
    return tuple(members)


def _member(case: Record, relation: str) -> FamilyMember:
    return FamilyMember(
        case_id=str(case["id"]),
        relation=relation,
        respondent=f"{str(case['respondent_last_name']).upper()}, {case['respondent_first_name']}",
        a_number=str(case.get("a_number", "")),
        status=str(case.get("status", "")),
    )


def _linked(store: LocalStore, case: Record) -> tuple[LinkedCase, ...]:
    """Both ways: a bond case names its removal case; a removal case is named by its bond
    cases."""
    found: list[LinkedCase] = []
    removal_id = case.get("removal_case_id")
    if removal_id:
        removal = store.get("case", str(removal_id))
        found.append(
            LinkedCase(
                str(removal_id),
                "Removal case",
                str(removal.get("a_number", "")) if removal else "",
                str(removal.get("status", "")) if removal else "",
                removal is not None,
            )
        )
    for other in store.all("case"):
        if other.get("removal_case_id") == case.get("id") and not other.get("deleted"):
            found.append(
                LinkedCase(
                    str(other["id"]),
                    "Bond case",
                    str(other.get("a_number", "")),
                    str(other.get("status", "")),
                    True,
                )
            )
    return tuple(found)


def _bond_entry(
    bond: Bond, prior: Bond | None, names: Mapping[str, str], today: date, calendar: CourtCalendar
) -> BondEntry:
    asked = dollars(bond.requested_amount) if bond.requested_amount else "Release on recognizance"
    who = "by the respondent"
    if bond.requester_id:
        who = f"by counsel ({names.get(bond.requester_id, UNKNOWN_PERSON)})"
    outcome = "Pending"
    if bond.outcome is not None:
        outcome = OUTCOME_WORDS[bond.outcome]
        if bond.amount is not None:
            outcome += f" to {dollars(bond.amount)}"
        elif bond.outcome in (BondOutcome.NO_CHANGE, BondOutcome.NO_JURISDICTION):
            outcome += f" (bond in effect: {dollars(amount_after(bond, prior))})"
    deadline = appeal_deadline(bond)
    stay = stay_state(bond, today, calendar)
    return BondEntry(
        bond_id=bond.id,
        requested_on=bond.requested_on,
        requested=f"{asked}, asked {who}",
        dhs=f"DHS: {dollars(dhs_amount_in_effect(bond))}",
        outcome=outcome,
        decided_on=bond.decided_on,
        appeal_due=deadline.due if deadline else None,
        appeal_citation=deadline.citation if deadline else "",
        stay=stay.text if stay else "",
        changed_circumstances=bond.changed_circumstances,
    )


def _bonds(
    records: list[dict[str, Any]],
    case: Record,
    court: Record | None,
    names: Mapping[str, str],
    today: date,
) -> tuple[BondEntry, ...]:
    """A bond case's redeterminations (latest request first), with the appeal's last day
    and the automatic stay's state on ``today``, by the rules the server checks."""
    if case.get("case_type") != CaseType.BOND.value:
        return ()
    bonds: dict[str, Bond] = {}
    for raw in records:
        try:
            bond = Bond.model_validate({k: v for k, v in raw.items() if k != "deleted"})
        except ValidationError:
            continue
        bonds[bond.id] = bond
    calendar = court_calendar(
        str(court.get("code")) if court else None,
        detained=case.get("custody") == Custody.DETAINED.value,
    )
    entries = [
        _bond_entry(b, bonds.get(b.prior_bond_id or ""), names, today, calendar)
        for b in bonds.values()
    ]
    return tuple(sorted(entries, key=lambda e: (e.requested_on, e.bond_id), reverse=True))


def _addresses(
    records: list[dict[str, Any]], case: Record, today: date
) -> tuple[AddressEntry, ...]:
    """The history, latest first, with the address of record on ``today`` (court-local)
    marked; an entry that does not read as an address is left out."""
    entries: list[Address] = []
    for record in records:
        try:
            entries.append(Address.model_validate(record))
        except ValidationError:
            continue
    try:
        custody = Custody(str(case.get("custody")))
    except ValueError:
        custody = Custody.NEVER_DETAINED
    current = address_of_record(entries, custody=custody, on=today)
    return tuple(
        AddressEntry(
            address_id=a.id,
            kind=a.kind.value,
            lines=address_lines(a),
            effective_on=a.effective_on,
            current=current is not None and a.id == current.id,
        )
        for a in address_history(entries)
    )


def _summary(case: Record, court: Record | None, names: Mapping[str, str]) -> CaseSummary:
    judge_id = str(case["judge_id"]) if case.get("judge_id") else None
    first = str(case.get("respondent_first_name") or "")
    last = str(case.get("respondent_last_name") or "").upper()
    return CaseSummary(
        case_id=str(case["id"]),
        a_number=str(case.get("a_number") or "").zfill(9),
        respondent=f"{first} {last}".strip() or "Unknown respondent",
        nationality=str(case.get("nationality") or ""),
        language=str(case.get("language") or ""),
        custody=str(case.get("custody") or ""),
        case_type=str(case.get("case_type") or ""),
        status=str(case.get("status") or ""),
        judge_id=judge_id,
        judge=names.get(judge_id, UNKNOWN_JUDGE) if judge_id else "Not assigned",
        court_id=str(case.get("court_id") or ""),
        court=str(court["name"]) if court else UNKNOWN_COURT,
        opened_on=_date(case.get("opened_on")),
        decided_on=_date(case.get("decided_on")),
        date_of_birth=_date(case.get("date_of_birth")),
        charges=tuple(str(c) for c in case.get("charges") or ()),
        confidentiality=tuple(str(f) for f in case.get("confidentiality") or ()),
    )


def _adjournment_text(code: str | None) -> str:
    if not code:
        return ""
    try:
        return lookup_code(code).description
    except KeyError:
        return "Unknown code"


def _hearings(
    store: LocalStore,
    case: Record,
    court: Record | None,
    hearings: list[dict[str, Any]],
    names: Mapping[str, str],
) -> tuple[HearingEntry, ...]:
    rows = build_docket(
        hearings,
        [dict(case)],
        store.all("courtroom"),
        [{"id": k, "display_name": v} for k, v in names.items()],
        [dict(court)] if court else [],
    )
    outcomes = {str(h["id"]): h.get("outcome") for h in hearings}
    rows.sort(key=lambda r: r.starts_at)
    return tuple(
        HearingEntry(
            hearing_id=r.hearing_id,
            starts_at=r.starts_at,
            duration_minutes=r.duration_minutes,
            hearing_type=r.hearing_type,
            medium=r.medium,
            status=r.status,
            courtroom=r.courtroom or ("Unknown courtroom" if r.courtroom_id else ""),
            judge=r.judge or (UNKNOWN_JUDGE if r.judge_id else "Not assigned"),
            interpreter_language=r.interpreter_language,
            outcome=str(outcomes.get(r.hearing_id) or "") or None,
            adjournment_code=r.adjournment_code,
            adjournment=_adjournment_text(r.adjournment_code),
        )
        for r in rows
    )


def _documents(
    documents: list[dict[str, Any]], names: Mapping[str, str], is_cached: Callable[[str], bool]
) -> tuple[DocumentEntry, ...]:
    entries = []
    for d in documents:
        party = str(d.get("filer_party") or "")
        filer_id = d.get("filer_id")
        sha256 = str(d.get("sha256") or "")
        entries.append(
            DocumentEntry(
                document_id=str(d["id"]),
                doc_type=str(d.get("doc_type") or ""),
                title=str(d.get("title") or "Untitled"),
                filer_party=party,
                filer=names.get(str(filer_id), UNKNOWN_PERSON) if filer_id else label(party),
                filed_on=_date(d.get("filed_on")),
                pages=int(d.get("pages") or 0),
                status=str(d.get("status") or ""),
                sha256=sha256,
                size=int(d.get("size") or 0),
                cached=bool(sha256) and is_cached(sha256),
                confidentiality=tuple(str(f) for f in d.get("confidentiality") or ()),
            )
        )
    entries.sort(key=lambda e: (e.filed_on or date.min, e.title))
    return tuple(entries)


def _representation(
    records: list[dict[str, Any]],
    names: Mapping[str, str],
) -> tuple[RepresentationEntry, ...]:
    entries = [
        RepresentationEntry(
            representation_id=str(r["id"]),
            practitioner=names.get(str(r.get("practitioner_id")), UNKNOWN_PERSON),
            form=str(r.get("form") or ""),
            scope=str(r.get("scope") or ""),
            primary=bool(r.get("primary", True)),
            status=str(r.get("status") or ""),
            accepted_on=_date(r.get("accepted_on")),
            ended_on=_date(r.get("ended_on")),
            leave_by=names.get(str(r.get("leave_by")), "") if r.get("leave_by") else "",
            successor=_successor(records, r, names),
            practitioner_id=str(r.get("practitioner_id") or ""),
        )
        for r in records
    ]
    # Counsel of record first, then appearances waiting for review, then the history
    # (latest end first): nothing is dropped.
    rank = {"accepted": 0, "pending": 1}
    entries.sort(
        key=lambda e: (
            rank.get(e.status, 2),
            -(e.ended_on or date.min).toordinal(),
            not e.primary,
            e.practitioner,
        )
    )
    return tuple(entries)


def _successor(records: list[dict[str, Any]], r: dict[str, Any], names: Mapping[str, str]) -> str:
    """Who took over after a substitution: the practitioner of the successor appearance."""
    successor = next((o for o in records if o["id"] == r.get("successor_id")), None)
    return names.get(str(successor.get("practitioner_id")), "") if successor else ""


def _orders(
    records: list[dict[str, Any]],
    names: Mapping[str, str],
    zone: tzinfo,
) -> tuple[OrderEntry, ...]:
    entries = [
        OrderEntry(
            order_id=str(o["id"]),
            template=str(o.get("template") or ""),
            status=str(o.get("status") or ""),
            judge=names.get(str(o.get("judge_id")), UNKNOWN_JUDGE),
            signed_at=_datetime(o.get("signed_at"), zone),
            document_id=str(o["document_id"]) if o.get("document_id") else None,
        )
        for o in records
    ]
    # Drafts (unsigned) first: they are what the judge still has to act on.
    entries.sort(
        key=lambda e: (
            e.signed_at is not None,
            e.signed_at or datetime.min.replace(tzinfo=UTC),
            e.template,
        )
    )
    return tuple(entries)


_ANCHORING = {HearingStatus.SCHEDULED.value, HearingStatus.COMPLETED.value}


def case_deadlines(
    case: Record,
    hearings: list[dict[str, Any]],
    zone: tzinfo,
    today: date,
    *,
    court: Record | None = None,
    orders: Iterable[Record] = (),
    documents: Iterable[Record] = (),
    service_records: Iterable[Record] = (),
    decisions: Iterable[Record] = (),
) -> tuple[DeadlineEntry, ...]:
    """Every deadline of ``case`` anchored on its ``hearings``, the motions among its
    ``documents`` and its decision (its ``decisions`` record, else read from its signed
    ``orders``; a written decision's appeal runs from the service its ``service_records``
    show), past ones included (marked
    "past"; the first one due today or later is "next"), soonest first. Days are the
    court's: its closures (``court``'s code) move a deadline as they move it for a filer
    who files electronically, as counsel and DHS must (8 CFR 1003.31(a)).

    Cancelled and adjourned hearings anchor nothing: the hearing that replaced them does.
    """
    anchors: list[tuple[HearingType, date]] = []
    for h in hearings:
        starts = _datetime(h.get("starts_at"), zone)
        if starts is None or h.get("status") not in _ANCHORING:
            continue
        try:
            anchors.append((HearingType(str(h.get("hearing_type"))), starts.date()))
        except ValueError:
            continue
    detained = case.get("custody") == Custody.DETAINED.value
    served = _served_days(service_records, zone)
    found: list[Deadline] = deadlines_for_case(
        anchors,
        case_decision(case, orders, served, decisions),
        today=date.min,
        motions=case_motions(documents),
        detained=detained,
        calendar=court_calendar(str(court["code"]) if court else None, detained=detained),
    )
    entries: list[DeadlineEntry] = []
    next_marked = False
    for d in found:
        if d.due < today:
            state = "past"
        elif not next_marked:
            state, next_marked = "next", True
        else:
            state = "upcoming"
        note = " ".join(part for part in (d.moved_note, d.note) if part) or None
        entries.append(DeadlineEntry(d.title, d.due, d.anchor, state, d.caveat, d.citation, note))
    return tuple(entries)


def _filings(
    records: list[dict[str, Any]],
    documents: list[dict[str, Any]],
    names: Mapping[str, str],
    zone: tzinfo,
) -> tuple[FilingEntry, ...]:
    titles = {str(d["id"]): str(d.get("title") or "") for d in documents}
    entries = [
        FilingEntry(
            filing_id=str(f["id"]),
            kind=str(f.get("kind") or ""),
            filer=names.get(str(f.get("filer_id")), UNKNOWN_PERSON),
            submitted_at=_datetime(f.get("submitted_at"), zone),
            lead_document=titles.get(str(f.get("lead_document_id")), ""),
            status=str(f.get("status") or ""),
        )
        for f in records
        if f.get("status") == FilingStatus.PENDING.value
    ]
    entries.sort(key=lambda e: e.submitted_at or datetime.min.replace(tzinfo=UTC))
    return tuple(entries)


def court_judges(store: LocalStore, court_id: str) -> list[tuple[str, str]]:
    """(id, display name) of the active judges of ``court_id``, by name."""
    judges = [
        (str(u["id"]), str(u.get("display_name") or u.get("username")))
        for u in store.all("user_profile")
        if u.get("role") == "judge" and u.get("court_id") == court_id and u.get("active", True)
    ]
    return sorted(judges, key=lambda j: j[1])
