"""The start page as plain data: today's docket, what is new in a judge's cases, the
deadlines coming up, the cases the Board remanded, and the filings waiting for a clerk.
No Qt here.

"New" is per case: opening a case file records (``seen:<case>`` in the local store's
``sync_state``) the highest server version among the case's documents and filings; any
later document or filing from a party is new. A case never opened counts what was filed in
the last :data:`NEVER_SEEN_DAYS` days, so a first sign-in does not flag every case.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import select

from common import court_time
from common.anumber import format_a_number
from common.enums import DocumentStatus, FilingStatus, Party
from desktop.board_workspace import RemandRow, remanded_cases
from desktop.case_file import case_deadlines, court_zone, label
from desktop.docket import DocketRow, build_docket
from desktop.local_schema import record_table
from desktop.local_store import LocalStore

DEADLINE_WINDOW_DAYS = 14
NEVER_SEEN_DAYS = 7


@dataclass(frozen=True, slots=True)
class NewFilingsRow:
    case_id: str
    a_number: str  # 9 digits
    respondent: str  # "LAST, First"
    count: int
    latest: date | None
    titles: str  # what came in, newest first

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)


@dataclass(frozen=True, slots=True)
class UpcomingDeadline:
    case_id: str
    a_number: str
    respondent: str
    title: str
    due: date
    caveat: str | None
    citation: str = ""  # the rule's source
    note: str | None = None  # why the day moved, and the rule's note

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)


@dataclass(frozen=True)
class Dashboard:
    role: str
    today: date
    docket: tuple[DocketRow, ...]  # today's hearings, by time
    new_filings: tuple[NewFilingsRow, ...] = ()  # judges only
    deadlines: tuple[UpcomingDeadline, ...] = ()  # judges only
    pending_filings: int = 0  # waiting for clerk review (clerks and court staff)
    remanded: tuple[RemandRow, ...] = ()  # judges only: cases the Board sent back, pending

    @property
    def is_judge(self) -> bool:
        return self.role == "judge"


def seen_key(case_id: str) -> str:
    """The ``sync_state`` key of a case's "last looked" mark (fits the 40-character key)."""
    try:
        return "seen:" + uuid.UUID(case_id).hex
    except ValueError:
        return ("seen:" + case_id)[:40]


def _versions(store: LocalStore, entity: str) -> dict[str, int]:
    """Record id -> the server version this store holds (0 for a never-synced local edit)."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(record_table.c.id, record_table.c.version).where(
                record_table.c.entity == entity, record_table.c.deleted.is_(False)
            )
        )
        return {str(r.id): abs(int(r.version or 0)) for r in rows}  # negative mid-reset


def mark_case_seen(store: LocalStore, case_id: str) -> int:
    """Remember that the user has looked at everything filed in ``case_id`` so far; returns
    the version recorded. Call it when the case file is opened (on the writer thread)."""
    versions = {**_versions(store, "document"), **_versions(store, "filing")}
    ids = [
        str(r["id"])
        for entity in ("document", "filing")
        for r in store.all(entity)
        if r.get("case_id") == case_id
    ]
    highest = max((versions.get(i, 0) for i in ids), default=0)
    with store.transaction() as conn:
        store.set_state(conn, seen_key(case_id), str(highest))
    return highest


def court_today(store: LocalStore, court_id: str | None, now: datetime | None = None) -> date:
    """Today at the court at ``now`` (default: this moment); UTC's date when the court is
    unknown. At 20:00 in San Francisco it is still that day there, whatever UTC says."""
    court = store.get("court", court_id) if court_id else None
    return court_time.court_today(court, now)


def load_dashboard(
    store: LocalStore,
    user: Mapping[str, Any],
    today: date | None = None,
    *,
    now: datetime | None = None,
) -> Dashboard:
    """The dashboard of ``user`` (the signed-in user dict: id, role, court_id) for
    ``today`` (default: the court's date at ``now``, itself default this moment)."""
    role = str(user.get("role", ""))
    court_id = str(user["court_id"]) if user.get("court_id") else None
    today = today or court_today(store, court_id, now)
    cases = store.all("case")
    if court_id is not None:
        cases = [c for c in cases if c.get("court_id") == court_id]
    docket = build_docket(
        store.all("hearing"),
        cases,
        store.all("courtroom"),
        store.all("user_profile"),
        store.all("court"),
    )
    todays = [r for r in docket if r.day == today]
    if role == "judge":
        user_id = str(user["id"])
        mine = [c for c in cases if c.get("judge_id") == user_id]
        todays = [r for r in todays if r.judge_id == user_id]
        todays.sort(key=lambda r: (r.starts_at, r.courtroom))
        return Dashboard(
            role,
            today,
            tuple(todays),
            new_filings=tuple(new_filings(store, mine, today)),
            deadlines=tuple(upcoming_deadlines(store, mine, today)),
            remanded=tuple(remanded_cases(store, mine)),
        )
    todays.sort(key=lambda r: (r.starts_at, r.courtroom, r.judge))
    filings = [
        f
        for f in store.all("filing")
        if f.get("status") == FilingStatus.PENDING.value
        and (court_id is None or f.get("court_id") == court_id)
    ]
    return Dashboard(role, today, tuple(todays), pending_filings=len(filings))


def _respondent(case: Mapping[str, Any]) -> str:
    return (
        f"{str(case.get('respondent_last_name', '')).upper()}, "
        f"{case.get('respondent_first_name', '')}"
    )


def _filed_day(record: Mapping[str, Any], zone: tzinfo) -> date | None:
    """The day a document was filed (a date) or a filing submitted (an instant, whose day
    is the court's, ``zone``)."""
    value = record.get("filed_on") or record.get("submitted_at")
    try:
        moment = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return moment.date() if moment else None
    return court_time.local_date(moment, zone)


def new_filings(
    store: LocalStore,
    cases: Iterable[Mapping[str, Any]],
    today: date,
) -> list[NewFilingsRow]:
    """Cases with documents or filings from the parties that the user has not seen."""
    by_case = {str(c["id"]): c for c in cases}
    zones = {str(c["id"]): court_zone(c) for c in store.all("court")}
    case_zone = {i: zones.get(str(c.get("court_id")), UTC) for i, c in by_case.items()}
    versions = {**_versions(store, "document"), **_versions(store, "filing")}
    documents = [
        d
        for d in store.all("document")
        if d.get("case_id") in by_case
        and d.get("filer_party") != Party.COURT.value  # the court's own papers
        and d.get("status") != DocumentStatus.REJECTED.value
    ]
    leads = {str(d["id"]) for d in documents}
    filings = [
        f
        for f in store.all("filing")
        if f.get("case_id") in by_case
        and f.get("status") == FilingStatus.PENDING.value
        and f.get("lead_document_id") not in leads
    ]  # counted with its document
    fresh: dict[str, list[Mapping[str, Any]]] = {}
    recent = today - timedelta(days=NEVER_SEEN_DAYS)
    seen_marks = {case_id: store.get_state(seen_key(case_id)) for case_id in by_case}
    for item in (*documents, *filings):
        case_id = str(item["case_id"])
        seen = seen_marks[case_id]
        if seen is not None:
            is_new = versions.get(str(item["id"]), 0) > int(seen)
        else:
            day = _filed_day(item, case_zone[case_id])
            is_new = day is not None and day >= recent
        if is_new:
            fresh.setdefault(case_id, []).append(item)
    rows = []
    for case_id, items in fresh.items():
        zone = case_zone[case_id]
        items.sort(key=lambda i: _filed_day(i, zone) or date.min, reverse=True)
        case = by_case[case_id]
        titles = "; ".join(str(i.get("title") or label(i.get("kind"))) for i in items)
        rows.append(
            NewFilingsRow(
                case_id,
                str(case.get("a_number", "")),
                _respondent(case),
                len(items),
                _filed_day(items[0], zone),
                titles,
            )
        )
    rows.sort(key=lambda r: (r.latest or date.min, r.respondent), reverse=True)
    return rows


def upcoming_deadlines(
    store: LocalStore,
    cases: Iterable[Mapping[str, Any]],
    today: date,
    days: int = DEADLINE_WINDOW_DAYS,
) -> list[UpcomingDeadline]:
    """Deadlines due from ``today`` to ``today + days`` across ``cases``, soonest first."""
    last = today + timedelta(days=days)
    by_case: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for entity in ("hearing", "order", "document", "service_record"):
        for record in store.all(entity):
            by_case.setdefault(entity, {}).setdefault(str(record.get("case_id")), []).append(record)
    courts = {str(c["id"]): c for c in store.all("court")}
    rows = []
    for case in cases:
        case_id = str(case["id"])
        court = courts.get(str(case.get("court_id")))
        found = case_deadlines(
            case,
            by_case.get("hearing", {}).get(case_id, []),
            court_zone(court) if court else UTC,
            today,
            court=court,
            orders=by_case.get("order", {}).get(case_id, []),
            documents=by_case.get("document", {}).get(case_id, []),
            service_records=by_case.get("service_record", {}).get(case_id, []),
        )
        rows += [
            UpcomingDeadline(
                case_id,
                str(case.get("a_number", "")),
                _respondent(case),
                d.title,
                d.due,
                d.caveat,
                d.citation,
                d.note,
            )
            for d in found
            if today <= d.due <= last
        ]
    rows.sort(key=lambda r: (r.due, r.respondent, r.title))
    return rows
