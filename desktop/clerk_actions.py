"""What a clerk does to the docket, as record changes: schedule, reschedule, cancel,
adjourn, review a filing, assign a judge. Pure functions over wire records; the services
save what they return through the local store (and so the outbox).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from common.adjournment import AsylumClock, clock_from_history, describe_effect, lookup_code
from common.counsel import check_representation_change, substitute, withdraw
from common.court_time import ZoneSource, court_zone, local_date, table_time
from common.enums import (
    CaseStatus,
    CaseType,
    DocumentStatus,
    DocumentType,
    FilingKind,
    FilingStatus,
    HearingStatus,
    HearingType,
    RepresentationStatus,
)
from common.family import check_family_link, family_of
from common.resources import read_data_file, resource_path
from common.wire import Case, Document, Filing, Hearing, Representation, WireRecord
from desktop.docket import DocketRow
from desktop.local_store import LocalStore


@dataclass(frozen=True)
class Clash:
    """Another hearing that overlaps the proposed one."""

    reason: str  # "judge" | "courtroom"
    other: DocketRow

    def message(self) -> str:
        who = self.other.judge if self.reason == "judge" else self.other.courtroom
        return (
            f"{who} already has {self.other.respondent} ({self.other.a_number_display}) "
            f"at {table_time(self.other.starts_at, self.other.starts_at.tzinfo)} for "
            f"{self.other.duration_minutes} min."
        )


def find_clashes(proposed: Hearing, docket: Iterable[DocketRow]) -> list[Clash]:
    """Scheduled hearings that overlap ``proposed`` in the same courtroom or before the
    same judge (the proposed hearing itself excluded)."""
    start = proposed.starts_at
    end = start + timedelta(minutes=proposed.duration_minutes)
    clashes = []
    for row in docket:
        if row.hearing_id == proposed.id or row.status != HearingStatus.SCHEDULED.value:
            continue
        other_end = row.starts_at + timedelta(minutes=row.duration_minutes)
        if row.starts_at >= end or other_end <= start:
            continue
        if proposed.judge_id and row.judge_id == proposed.judge_id:
            clashes.append(Clash("judge", row))
        elif proposed.courtroom_id and row.courtroom_id == proposed.courtroom_id:
            clashes.append(Clash("courtroom", row))
    return clashes


def reschedule(
    hearing: Hearing,
    starts_at: datetime,
    courtroom_id: str | None = None,
) -> Hearing:
    return hearing.model_copy(
        update={
            "starts_at": starts_at,
            "courtroom_id": courtroom_id or hearing.courtroom_id,
            "status": HearingStatus.SCHEDULED,
        }
    )


def cancel(hearing: Hearing) -> Hearing:
    return hearing.model_copy(update={"status": HearingStatus.CANCELLED})


# Bond hearings are held in the bond case, a proceeding separate from the removal case with
# its own record (8 CFR 1003.19(d)): there counsel for custody and bond only reads and is
# served what the hearing brings. The server refuses a new one in a removal case.
BOND_CASE_NOTE = (
    "A bond hearing is part of the bond proceedings, separate from the removal case (8 CFR "
    "1003.19(d)): it is scheduled in the linked bond case, opened now if there is none."
)


def bond_case_for(store: LocalStore, case_id: str) -> dict[str, object] | None:
    """The bond case linked to removal case ``case_id`` (the latest opened), if any."""
    linked = [
        c
        for c in store.all("case")
        if c.get("removal_case_id") == case_id
        and c.get("case_type") == CaseType.BOND.value
        and not c.get("deleted")
    ]
    return max(linked, key=lambda c: (str(c["opened_on"]), str(c["id"])), default=None)


def hearing_records(store: LocalStore, hearing: Hearing, today: date) -> list[WireRecord]:
    """What scheduling ``hearing`` saves (one group): a bond hearing asked for in a case
    other than a bond case moves to the linked bond case, which is opened (linked, with the
    respondent's particulars, on the court's ``today``) when there is none; any other
    hearing as it is."""
    case = store.get("case", hearing.case_id)
    if (
        hearing.hearing_type is not HearingType.BOND
        or case is None
        or case.get("case_type") == CaseType.BOND.value
    ):
        return [hearing]
    existing = bond_case_for(store, str(case["id"]))
    if existing is not None:
        return [hearing.model_copy(update={"case_id": str(existing["id"])})]
    removal = Case.model_validate({k: v for k, v in case.items() if k != "deleted"})
    bond_case = Case(
        id=str(uuid.uuid4()),
        a_number=removal.a_number,
        court_id=removal.court_id,
        judge_id=hearing.judge_id or removal.judge_id,
        case_type=CaseType.BOND,
        status=CaseStatus.PENDING,
        custody=removal.custody,
        respondent_first_name=removal.respondent_first_name,
        respondent_last_name=removal.respondent_last_name,
        nationality=removal.nationality,
        language=removal.language,
        date_of_birth=removal.date_of_birth,
        opened_on=today,
        removal_case_id=removal.id,
    )
    return [bond_case, hearing.model_copy(update={"case_id": bond_case.id})]


@dataclass(frozen=True)
class Adjournment:
    adjourned: Hearing
    next_hearing: Hearing
    clock_note: str


def case_clock(store: LocalStore, case_id: str, as_of: date) -> AsylumClock | None:
    """The case's asylum clock replayed from the local copy: it starts when the I-589 was
    filed and each past adjournment stops or runs it until the next hearing (days counted
    at the case's court). None when no asylum application is on file."""
    case = store.get("case", case_id)
    zone = court_zone(store.get("court", str(case["court_id"])) if case else None)
    filed = sorted(
        date.fromisoformat(str(d["filed_on"]))
        for d in store.all("document")
        if d["case_id"] == case_id
        and d["doc_type"] == DocumentType.APPLICATION_I589.value
        and d["status"] == DocumentStatus.ACCEPTED.value
    )
    # Sorted by a key: two hearings of a case may start at the same instant (a duplicate
    # calendared by mistake, a hearing re-set to the same slot), and the records themselves
    # (dicts) don't compare. Ties fall back to the id so the replay is the same every time.
    hearings = sorted(
        (
            (datetime.fromisoformat(str(h["starts_at"])), h)
            for h in store.all("hearing")
            if h["case_id"] == case_id
        ),
        key=lambda pair: (pair[0], str(pair[1]["id"])),
    )
    history = []
    for (start, hearing), (following, _) in itertools.pairwise(hearings):
        code = hearing.get("adjournment_code")
        if hearing["status"] == HearingStatus.ADJOURNED.value and code:
            history.append((local_date(start, zone), str(code), local_date(following, zone)))
    return clock_from_history(filed[0] if filed else None, history, as_of)


def adjourn(
    hearing: Hearing,
    code: str,
    next_start: datetime,
    clock: AsylumClock | None,
    *,
    zone: ZoneSource,
) -> Adjournment:
    """Close ``hearing`` as adjourned with ``code`` and schedule the next one; the note says
    what this does to the asylum clock, for the clerk to read before saving. ``zone`` is
    the court's: the days adjourned and continued to are its dates, not UTC's."""
    entry = lookup_code(code)  # raises with the list of known codes for a typo
    adjourned = hearing.model_copy(
        update={"status": HearingStatus.ADJOURNED, "adjournment_code": entry.code}
    )
    following = hearing.model_copy(
        update={
            "id": str(uuid.uuid4()),
            "starts_at": next_start,
            "status": HearingStatus.SCHEDULED,
            "adjournment_code": None,
            "outcome": None,
        }
    )
    today = local_date(hearing.starts_at, zone)
    if clock is None:
        note = (
            f"No asylum application is on file, so there is no clock to affect "
            f"(code {entry.code} would make it {entry.clock_effect.value})."
        )
    else:
        note = describe_effect(
            clock,
            entry.code,
            adjourned_on=max(today, clock.as_of),
            next_hearing=max(local_date(next_start, zone), clock.as_of),
        )
    return Adjournment(adjourned, following, note)


@dataclass(frozen=True)
class RejectionReason:
    code: str
    text: str


@lru_cache(maxsize=1)
def rejection_reasons() -> tuple[RejectionReason, ...]:
    data = read_data_file(resource_path("rejection_reasons.json"))
    reasons = data["reasons"]
    assert isinstance(reasons, list)
    return tuple(RejectionReason(str(r["code"]), str(r["text"])) for r in reasons)


@dataclass(frozen=True)
class Review:
    """Records to save for one review decision."""

    filing: Filing
    documents: tuple[Document, ...]
    representation: Representation | None = None


def accept_filing(
    filing: Filing,
    documents: Sequence[Document],
    clerk_id: str,
    now: datetime,
    existing: Representation | None = None,
    *,
    zone: ZoneSource,
) -> Review:
    """Accept: the documents join the record; an EOIR-28/27 makes the filer practitioner
    of record — updating the filer's ``existing`` appearance in the case if there is one,
    so a case never holds two appearances of the same practitioner. The appearance is
    accepted on the court's date at ``now`` (``zone``: the court's)."""
    reviewed = filing.model_copy(
        update={
            "status": FilingStatus.ACCEPTED,
            "reviewed_by": clerk_id,
            "reviewed_at": now,
            "rejection_reason": None,
        }
    )
    docs = tuple(d.model_copy(update={"status": DocumentStatus.ACCEPTED}) for d in documents)
    representation = None
    if filing.kind in (FilingKind.EOIR_28, FilingKind.EOIR_27) and filing.case_id:
        form = filing.form
        representation = Representation(
            id=existing.id if existing else str(uuid.uuid4()),
            case_id=filing.case_id,
            practitioner_id=filing.filer_id,
            form=filing.kind,
            scope=form.get("scope", "all_proceedings"),
            primary=bool(form.get("primary", True)),
            status=RepresentationStatus.ACCEPTED,
            accepted_on=local_date(now, zone),
        )
    return Review(reviewed, docs, representation)


def reject_filing(
    filing: Filing,
    documents: Sequence[Document],
    clerk_id: str,
    now: datetime,
    reason: RejectionReason,
) -> Review:
    reviewed = filing.model_copy(
        update={
            "status": FilingStatus.REJECTED,
            "reviewed_by": clerk_id,
            "reviewed_at": now,
            "rejection_reason": reason.text[:200],
        }
    )
    docs = tuple(d.model_copy(update={"status": DocumentStatus.REJECTED}) for d in documents)
    return Review(reviewed, docs)


def assign_judge(case: Case, judge_id: str) -> Case:
    return case.model_copy(update={"judge_id": judge_id})


# --- Families (common.family) and counsel changes (common.counsel) -----------------------


def rider_ids(store: LocalStore, case_id: str) -> list[str]:
    """The riders of lead case ``case_id`` on this computer, by respondent's name."""
    found = family_of(case_id, [c for c in store.all("case") if not c.get("deleted")])
    return list(found.rider_ids) if found is not None and found.lead_id == case_id else []


def rider_hearings(hearing: Hearing, riders: Sequence[str]) -> list[Hearing]:
    """The riders' own hearings of a family heard together: the lead's ``hearing`` (same
    time, courtroom, judge, kind, medium and length), each in its rider's case. Each is
    its own record, so each is noticed on its own (the server serves a notice per hearing);
    the interpreter stays the lead's choice only when the clerk sets one for each."""
    return [
        hearing.model_copy(update={"id": str(uuid.uuid4()), "case_id": rider}) for rider in riders
    ]


def family_hearing_records(
    store: LocalStore, hearing: Hearing, today: date, riders: Sequence[str] = ()
) -> list[WireRecord]:
    """What scheduling ``hearing`` saves as one group: as :func:`hearing_records`, and the
    riders' hearings with it (a bond hearing is a person's own custody proceeding: never
    for the family)."""
    records = hearing_records(store, hearing, today)
    if hearing.hearing_type is HearingType.BOND or not riders:
        return records
    return records + list(rider_hearings(hearing, riders))


def riders_at_the_same_time(
    hearing: Hearing, riders: Sequence[str], hearings: Iterable[dict[str, object]]
) -> list[Hearing]:
    """The riders' scheduled hearings held with lead hearing ``hearing`` (same start and
    kind): rescheduling the lead moves them too."""
    wanted = set(riders)
    found = []
    for raw in hearings:
        if raw.get("deleted") or str(raw.get("case_id")) not in wanted:
            continue
        other = Hearing.model_validate({k: v for k, v in raw.items() if k != "deleted"})
        if (
            other.status is HearingStatus.SCHEDULED
            and other.starts_at == hearing.starts_at
            and other.hearing_type is hearing.hearing_type
        ):
            found.append(other)
    return found


def move_family(moved: Hearing, riders: Sequence[Hearing]) -> list[Hearing]:
    """The lead's hearing as moved, then each rider's moved to the same time and room."""
    return [moved] + [
        reschedule(r, moved.starts_at, moved.courtroom_id).model_copy(
            update={"medium": moved.medium, "judge_id": moved.judge_id}
        )
        for r in riders
    ]


def link_rider(case: Case, lead_id: str | None, cases: Sequence[dict[str, object]]) -> Case:
    """``case`` as a rider of ``lead_id`` (None: unlinked); raises ValueError with the
    reason the server would give (``common.family``)."""
    by_id = {str(c["id"]): c for c in cases}
    reason = check_family_link(
        case.id,
        case.court_id,
        by_id.get(lead_id) if lead_id else None,
        lead_case_id=lead_id,
        has_riders=any(c.get("lead_case_id") == case.id for c in cases),
    )
    if reason:
        raise ValueError(reason)
    return case.model_copy(update={"lead_case_id": lead_id})


def grant_withdrawal(
    appearance: Representation, judge_id: str, today: date, motion_id: str | None = None
) -> Representation:
    """The judge's grant of leave to withdraw, on the court's ``today``; raises ValueError
    with the reason the server would refuse it."""
    granted = withdraw(appearance, judge_id=judge_id, on=today, motion_id=motion_id)
    reason = check_representation_change(appearance, granted)
    if reason:
        raise ValueError(reason)
    return granted


def record_substitution(
    prior: Representation, successor: Representation, judge_id: str, today: date
) -> list[WireRecord]:
    """The clerk's record of a granted substitution, saved as one group: the new counsel's
    appearance accepted, then the prior one substituted; raises ValueError with the
    reason the server would refuse it."""
    accepted, ended = substitute(prior, successor, judge_id=judge_id, on=today)
    reason = check_representation_change(
        successor if successor.status is RepresentationStatus.ACCEPTED else None, accepted
    ) or check_representation_change(prior, ended, successor=accepted)
    if reason:
        raise ValueError(reason)
    return [accepted, ended]
