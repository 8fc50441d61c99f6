"""The docket as plain data: hearings joined with their case, courtroom and judge, and the
filters a clerk or judge applies. No Qt here; the table model shows what this returns.

Filtering and sorting run over frozen rows in memory: 20,000 hearings filter and sort in a
few milliseconds, far quicker than asking Qt's proxy model to call Python once per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from common.anumber import format_a_number, normalise_search_term
from common.court_closures import CourtCalendar, court_calendar
from common.court_time import court_instant, table_time
from common.custody import current_custody, load_facilities
from common.enums import Custody
from common.folding import fold
from common.wire import CustodyChange
from desktop.local_store import LocalStore

DETAINED = Custody.DETAINED.value
# Detained first (the detained docket is heard first and its respondents can't wait), then
# those released from detention, then those never detained.
CUSTODY_RANK = {DETAINED: 0, Custody.RELEASED.value: 1, Custody.NEVER_DETAINED.value: 2}


@dataclass(frozen=True, slots=True)
class DocketRow:
    hearing_id: str
    case_id: str
    a_number: str  # 9 digits
    respondent: str  # "LAST, First"
    nationality: str
    language: str
    custody: str
    case_status: str
    starts_at: datetime  # in the court's time zone
    duration_minutes: int
    hearing_type: str
    medium: str
    status: str
    courtroom_id: str | None
    courtroom: str
    judge_id: str | None
    judge: str
    interpreter_language: str | None
    adjournment_code: str | None
    search_key: str = field(repr=False, default="")
    facility: str = ""  # where a detained respondent is held (the latest custody change)
    interpreter_dialect: str | None = None
    interpreter_medium: str | None = None  # None: the interpreter attends as the hearing
    # A family heard together (common.family): the lead case's id on the lead's and the
    # riders' rows, with the lead's respondent and how many riders it has.
    family_lead_id: str | None = None
    family_lead: str = ""  # the lead's respondent, "LAST, First"
    family_riders: int = 0

    @property
    def detained(self) -> bool:
        return self.custody == DETAINED

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)

    @property
    def day(self) -> date:
        return self.starts_at.date()

    @property
    def family_role(self) -> str:
        """ "lead", "rider" or "" (no family)."""
        if self.family_lead_id is None:
            return ""
        return "lead" if self.family_lead_id == self.case_id else "rider"


def build_docket(
    hearings: Iterable[dict[str, object]],
    cases: Iterable[dict[str, object]],
    courtrooms: Iterable[dict[str, object]],
    users: Iterable[dict[str, object]],
    courts: Iterable[dict[str, object]],
    custody_changes: Iterable[dict[str, object]] = (),
) -> list[DocketRow]:
    """Join synced records (wire dicts) into docket rows; hearings of unknown cases are
    left out (their case has not arrived yet). A case's custody and facility are those of
    its latest custody change (one recorded on this computer shows before it syncs)."""
    case_by_id = {str(c["id"]): c for c in cases}
    custody = _custody_by_case(case_by_id, custody_changes)
    room_names = {str(r["id"]): str(r["name"]) for r in courtrooms}
    user_names = {str(u["id"]): str(u["display_name"]) for u in users}
    zones = {str(c["id"]): ZoneInfo(str(c["timezone"])) for c in courts}
    names: dict[str, tuple[str, str]] = {}  # case id -> (respondent, search key), once a case
    riders: dict[str, int] = {}  # lead case id -> riders known here
    for c in case_by_id.values():
        if c.get("lead_case_id") and str(c["lead_case_id"]) in case_by_id:
            riders[str(c["lead_case_id"])] = riders.get(str(c["lead_case_id"]), 0) + 1
    rows = []
    for h in hearings:
        case = case_by_id.get(str(h["case_id"]))
        if case is None:
            continue
        zone = zones.get(str(case["court_id"]))
        starts = datetime.fromisoformat(str(h["starts_at"]))
        respondent, search_key = names.get(str(case["id"])) or names.setdefault(
            str(case["id"]), _names(case)
        )
        judge_id = h.get("judge_id") or case.get("judge_id")
        room_id = h.get("courtroom_id")
        lead_id = _family_lead(case, riders)
        lead = case_by_id.get(lead_id) if lead_id else None
        rows.append(
            DocketRow(
                hearing_id=str(h["id"]),
                case_id=str(case["id"]),
                a_number=str(case["a_number"]),
                respondent=respondent,
                nationality=str(case["nationality"]),
                language=str(case["language"]),
                custody=custody.get(str(case["id"]), (str(case["custody"]), ""))[0],
                case_status=str(case["status"]),
                starts_at=starts.astimezone(zone) if zone else starts,
                duration_minutes=int(h.get("duration_minutes") or 30),  # type: ignore[call-overload]
                hearing_type=str(h["hearing_type"]),
                medium=str(h["medium"]),
                status=str(h["status"]),
                courtroom_id=str(room_id) if room_id else None,
                courtroom=room_names.get(str(room_id), "") if room_id else "",
                judge_id=str(judge_id) if judge_id else None,
                judge=user_names.get(str(judge_id), "") if judge_id else "",
                interpreter_language=str(h["interpreter_language"])
                if h.get("interpreter_language")
                else None,
                adjournment_code=str(h["adjournment_code"]) if h.get("adjournment_code") else None,
                search_key=search_key,
                facility=custody.get(str(case["id"]), ("", ""))[1],
                interpreter_dialect=str(h["interpreter_dialect"])
                if h.get("interpreter_dialect")
                else None,
                interpreter_medium=str(h["interpreter_medium"])
                if h.get("interpreter_medium")
                else None,
                family_lead_id=lead_id,
                family_lead=_names(lead)[0] if lead else "",
                family_riders=riders.get(lead_id, 0) if lead_id else 0,
            )
        )
    return rows


def _family_lead(case: dict[str, object], riders: dict[str, int]) -> str | None:
    """The lead case of ``case``'s family (its own id when it leads riders), or None."""
    if case.get("lead_case_id"):
        return str(case["lead_case_id"])
    return str(case["id"]) if str(case["id"]) in riders else None


def group_families(rows: Sequence[DocketRow]) -> list[DocketRow]:
    """``rows`` in their order, except that a family's hearings at one time are shown
    together where the first of them falls: the lead first, then its riders by name. (A
    family is heard together; each of its cases keeps its own hearing and record.)"""
    together: dict[tuple[str, datetime], list[DocketRow]] = {}
    for row in rows:
        if row.family_lead_id is not None:
            together.setdefault((row.family_lead_id, row.starts_at), []).append(row)
    if not together:
        return list(rows)
    out: list[DocketRow] = []
    placed: set[tuple[str, datetime]] = set()
    for row in rows:
        if row.family_lead_id is None:
            out.append(row)
            continue
        key = (row.family_lead_id, row.starts_at)
        if key in placed:
            continue
        placed.add(key)
        out.extend(sorted(together[key], key=lambda r: (r.family_role != "lead", r.respondent)))
    return out


def _custody_by_case(
    cases: dict[str, dict[str, object]], changes: Iterable[dict[str, object]]
) -> dict[str, tuple[str, str]]:
    """Case id -> (custody, facility name) for the cases with a custody history."""
    by_case: dict[str, list[CustodyChange]] = {}
    for raw in changes:
        case_id = str(raw.get("case_id"))
        if case_id in cases:
            by_case.setdefault(case_id, []).append(CustodyChange.model_validate(raw))
    if not by_case:
        return {}
    facilities = load_facilities()
    out = {}
    for case_id, entries in by_case.items():
        now = current_custody(Custody(str(cases[case_id]["custody"])), entries)
        out[case_id] = (now.custody.value, facilities.name_of(now.facility_code))
    return out


def _names(case: dict[str, object]) -> tuple[str, str]:
    """How the docket shows a respondent, and the folded text search matches (both name
    orders, so "jose nunez" and "nunez jose" find "NÚÑEZ, José")."""
    first, last = case["respondent_first_name"], case["respondent_last_name"]
    respondent = f"{str(last).upper()}, {first}"
    return respondent, fold(f"{respondent} {first} {last}")


@dataclass(frozen=True)
class DocketFilter:
    """What the user asked to see. Empty sets mean "any"."""

    first_day: date | None = None
    last_day: date | None = None
    judge_ids: frozenset[str] = frozenset()
    courtroom_ids: frozenset[str] = frozenset()
    hearing_types: frozenset[str] = frozenset()
    custody: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    detained_only: bool = False
    text: str = ""

    def matches(self, row: DocketRow) -> bool:
        day = row.starts_at.date()
        return (
            (self.first_day is None or day >= self.first_day)
            and (self.last_day is None or day <= self.last_day)
            and (not self.judge_ids or row.judge_id in self.judge_ids)
            and (not self.courtroom_ids or row.courtroom_id in self.courtroom_ids)
            and (not self.hearing_types or row.hearing_type in self.hearing_types)
            and (not self.custody or row.custody in self.custody)
            and (not self.languages or row.language in self.languages)
            and (not self.detained_only or row.detained)
        )


SORT_KEYS = {
    "time": lambda r: (r.starts_at, r.courtroom, r.respondent),
    "respondent": lambda r: (r.respondent, r.starts_at),
    "a_number": lambda r: (r.a_number, r.starts_at),
    "judge": lambda r: (r.judge, r.starts_at),
    "courtroom": lambda r: (r.courtroom, r.starts_at),
    "type": lambda r: (r.hearing_type, r.starts_at),
    "language": lambda r: (r.language, r.starts_at),
    "custody": lambda r: (CUSTODY_RANK.get(r.custody, 3), r.starts_at),
    # The docket's own order: detained first, each part by time.
    "detained": lambda r: (not r.detained, r.starts_at, r.courtroom, r.respondent),
    # Detained at a facility first, by facility; the others after, by time.
    "facility": lambda r: (not r.facility, r.facility, r.starts_at),
    "status": lambda r: (r.status, r.starts_at),
}


def apply_filter(
    rows: Sequence[DocketRow],
    wanted: DocketFilter,
    *,
    sort: str = "detained",
    descending: bool = False,
) -> list[DocketRow]:
    """The rows ``wanted`` selects, sorted (by default in the docket's order: detained
    first, each part by time). The search text matches an A-number in any common spelling
    ("A 123-456-789", "12345678") or part of the respondent's name."""
    digits = normalise_search_term(wanted.text) if wanted.text.strip() else None
    needle = fold(wanted.text.strip())
    selected = [r for r in rows if wanted.matches(r)]
    if digits is not None:
        selected = [r for r in selected if r.a_number == digits]
    elif needle:
        selected = [r for r in selected if needle in r.search_key or needle in r.a_number]
    selected.sort(key=SORT_KEYS[sort], reverse=descending)
    return group_families(selected)


@dataclass(frozen=True)
class DocketData:
    """What one load of the local store gives the view."""

    rows: list[DocketRow]
    hearings: dict[str, dict[str, Any]]
    courtrooms: list[tuple[str, str]]
    court_name: str
    zone: ZoneInfo | None
    # double_bookings of every row loaded, so a clash with a hearing the filters hide
    # still shows (found here, on the pool thread: it is the slow part for a big docket)
    clashes: dict[str, tuple[DocketRow, ...]] = field(default_factory=dict)


def load_docket(store: LocalStore, court_id: str | None) -> DocketData:
    """Read and join the docket (runs on a pool thread)."""
    hearings = store.all("hearing")
    courts = store.all("court")
    rooms = store.all("courtroom")
    rows = build_docket(
        hearings,
        store.all("case"),
        rooms,
        store.all("user_profile"),
        courts,
        store.all("custody_change"),
    )
    own = next((c for c in courts if c["id"] == court_id), courts[0] if courts else None)
    courtrooms = sorted(
        (
            (str(r["id"]), str(r["name"]))
            for r in rooms
            if own is None or r.get("court_id") == own["id"]
        ),
        key=lambda r: r[1],
    )
    return DocketData(
        rows,
        {str(h["id"]): h for h in hearings},
        courtrooms,
        str(own["name"]) if own else "",
        ZoneInfo(str(own["timezone"])) if own else None,
        double_bookings(rows),
    )


# -- double bookings and free slots -------------------------------------------------------

# The hours a hearing may take, on the court's clock. This project's assumption, not a rule
# from a cited source: EOIR does not publish one hearing day for every court, and no court's
# own hours are recorded in resources/ yet. A hearing may not run past DAY_CLOSES.
DAY_OPENS = time(8, 0)
DAY_CLOSES = time(17, 0)
SLOT_STEP = timedelta(minutes=15)  # proposed starts fall on the quarter hour
_SCHEDULED = "scheduled"


def _end(row: DocketRow) -> datetime:
    return row.starts_at + timedelta(minutes=row.duration_minutes)


def double_bookings(rows: Iterable[DocketRow]) -> dict[str, tuple[DocketRow, ...]]:
    """Hearing id -> the other scheduled hearings it overlaps before the same judge or in
    the same courtroom, for every scheduled hearing that has any. Back-to-back hearings
    (one ends as the next starts) do not overlap. A sweep per judge and per courtroom over
    the hearings sorted by start; the others are in no set order (:func:`clash_text` sorts
    the few it shows)."""
    groups: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    scheduled = [r for r in rows if r.status == _SCHEDULED]
    for n, row in enumerate(scheduled):
        # Seconds since the epoch: cheaper to compare than aware datetimes.
        begins = row.starts_at.timestamp()
        span = (begins, begins + 60 * row.duration_minutes, n)
        if row.judge_id:
            groups.setdefault(("judge", row.judge_id), []).append(span)
        if row.courtroom_id:
            groups.setdefault(("room", row.courtroom_id), []).append(span)
    found: dict[str, dict[str, DocketRow]] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort()
        running: list[tuple[float, int]] = []  # (end, n) of hearings started, not yet ended
        for begins, ends, n in group:
            if running:
                running = [r for r in running if r[0] > begins]
            if running:
                row = scheduled[n]
                mine = found.setdefault(row.hearing_id, {})
                for _, m in running:
                    other = scheduled[m]
                    mine[other.hearing_id] = other
                    found.setdefault(other.hearing_id, {})[row.hearing_id] = row
            running.append((ends, n))
    return {hearing_id: tuple(others.values()) for hearing_id, others in found.items()}


def clash_text(row: DocketRow, others: Sequence[DocketRow]) -> str:
    """What the docket's tooltip says of a double-booked hearing: each other hearing, and
    whether it shares the judge or the courtroom."""
    lines = ["Double booked with:"]
    for other in sorted(others, key=lambda r: (r.starts_at, r.respondent)):
        shared = []
        if row.judge_id and other.judge_id == row.judge_id:
            shared.append(other.judge or "the same judge")
        if row.courtroom_id and other.courtroom_id == row.courtroom_id:
            shared.append(other.courtroom or "the same courtroom")
        zone = other.starts_at.tzinfo
        lines.append(
            f"{other.respondent} ({other.a_number_display}) at "
            f"{table_time(other.starts_at, zone)}, {other.duration_minutes} min — "
            + " and ".join(shared)
        )
    return "\n".join(lines)


def past_closing(start: datetime, duration_minutes: int, zone: tzinfo) -> str | None:
    """Why a hearing from ``start`` lasting ``duration_minutes`` cannot be held that day (it
    runs past the court's closing hour, on the court's clock), or None when it fits."""
    local = start.astimezone(zone)
    closes = court_instant(local.date(), DAY_CLOSES, zone)
    end = start + timedelta(minutes=duration_minutes)
    if end <= closes:
        return None
    return (
        f"A {duration_minutes}-minute hearing from {table_time(start, zone)} ends at "
        f"{table_time(end, zone)}, after the court's day ends at "
        f"{table_time(closes, zone)}: choose an earlier time or another day."
    )


def next_free_slot(
    rows: Iterable[DocketRow],
    *,
    judge_id: str | None,
    courtroom_id: str | None,
    duration_minutes: int,
    earliest: datetime,
    zone: tzinfo,
    calendar: CourtCalendar | None = None,
    ignore: frozenset[str] = frozenset(),
    days: int = 366,
) -> datetime | None:
    """The first start at or after ``earliest`` (rounded up to the quarter hour) on a day
    the court is open (``calendar``: weekdays less holidays and closures), within its hours,
    when neither the judge nor the courtroom has a scheduled hearing overlapping
    ``duration_minutes`` from it; hearings in ``ignore`` (the one being moved) do not count.
    None when no such start lies within ``days`` days."""
    days_open = calendar or court_calendar(None)
    busy: dict[date, list[tuple[datetime, datetime]]] = {}
    for row in rows:
        if row.status != _SCHEDULED or row.hearing_id in ignore:
            continue
        if (judge_id and row.judge_id == judge_id) or (
            courtroom_id and row.courtroom_id == courtroom_id
        ):
            busy.setdefault(row.starts_at.astimezone(zone).date(), []).append(
                (row.starts_at, _end(row))
            )
    length = timedelta(minutes=duration_minutes)
    first = earliest.astimezone(zone)
    for offset in range(days):
        day = first.date() + timedelta(days=offset)
        if not days_open.is_open(day):
            continue
        start = court_instant(day, DAY_OPENS, zone)
        if offset == 0 and first > start:
            start = first
        opens = court_instant(day, DAY_OPENS, zone)
        steps = -((opens - start) // SLOT_STEP)  # quarter hours from opening, rounded up
        start = opens + steps * SLOT_STEP
        closes = court_instant(day, DAY_CLOSES, zone)
        taken = sorted(busy.get(day, ()))
        while start + length <= closes:
            blocking = [e for s, e in taken if s < start + length and e > start]
            if not blocking:
                return start
            # jump past the latest end of what blocks, on the quarter hour
            start = opens + -((opens - max(blocking)) // SLOT_STEP) * SLOT_STEP
    return None
