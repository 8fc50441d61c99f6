"""Find any case this computer holds, whatever the docket's filters show (Ctrl+K).

One entry per case in the local store, searched by A-number in any spelling
(``common.anumber``: dashes, spaces, the leading "A", leading zeros left out), by name
folded of case and accents (``common.folding``: "guaman" finds GUAMÁN, either name order)
or by the date of any of its hearings (2026-12-08, 12/8/2026, 12/08/2026). Dates are the
court's: a hearing at 5:30 PM in San Francisco is on that day there, whatever UTC says.
No Qt here; the popup is ``desktop/ui/case_search_view.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from common.anumber import format_a_number, normalise_search_term
from common.court_time import court_today, local_date
from common.folding import fold
from desktop.case_file import court_zone
from desktop.local_store import LocalStore

LIMIT = 200  # rows the popup lists; more means the term is too short to be useful

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True, slots=True)
class CaseEntry:
    case_id: str
    a_number: str  # 9 digits
    respondent: str  # "LAST, First"
    court: str
    next_hearing: date | None  # court-local; the latest past one when none is ahead
    hearing_days: frozenset[date]  # court-local days of every hearing of the case
    folded: str  # folded name, both orders

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)


def parse_day(text: str) -> date | None:
    """A typed hearing date (ISO ``2026-12-08`` or US ``12/8/2026``), or None."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        found = _US_DATE.match(text)
        if found:
            month, day, year = (int(g) for g in found.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def load_entries(store: LocalStore, now: datetime | None = None) -> list[CaseEntry]:
    """Every case held here with its court and hearing days (runs on a pool thread).
    ``now`` is the instant "next hearing" is counted from (default: this moment)."""
    courts = {str(c["id"]): c for c in store.all("court")}
    zones: dict[str, tzinfo] = {cid: court_zone(c) for cid, c in courts.items()}
    utc = court_zone(None)
    cases = store.all("case")
    court_of = {str(c["id"]): str(c.get("court_id") or "") for c in cases}
    days: dict[str, list[date]] = {}
    for h in store.all("hearing"):
        if h.get("status") == "cancelled":
            continue
        case_id = str(h["case_id"])
        zone = zones.get(court_of.get(case_id, ""), utc)
        starts = datetime.fromisoformat(str(h["starts_at"]))
        days.setdefault(case_id, []).append(local_date(starts, zone))
    entries = []
    for case in cases:
        case_id = str(case["id"])
        court_id = court_of[case_id]
        held = sorted(set(days.get(case_id, ())))
        today = court_today(zones.get(court_id, utc), now)
        ahead = [d for d in held if d >= today]
        first, last = str(case["respondent_first_name"]), str(case["respondent_last_name"])
        entries.append(
            CaseEntry(
                case_id=case_id,
                a_number=str(case["a_number"]),
                respondent=f"{last.upper()}, {first}",
                court=str(courts[court_id]["name"]) if court_id in courts else "",
                next_hearing=ahead[0] if ahead else (held[-1] if held else None),
                hearing_days=frozenset(held),
                folded=" ".join(fold(f"{first} {last} {last} {first}").split()),
            )
        )
    return entries


def search(entries: list[CaseEntry], text: str, limit: int = LIMIT) -> list[CaseEntry]:
    """The cases ``text`` names: an A-number in any spelling matches its digits exactly; a
    date matches a hearing day; anything else is a folded name (every word must appear).
    Sorted by name; nothing for an empty term."""
    term = text.strip()
    if not term:
        return []
    day = parse_day(term)
    digits = None if day else normalise_search_term(term)
    if day is not None:
        found = [e for e in entries if day in e.hearing_days]
    elif digits is not None:
        found = [e for e in entries if e.a_number == digits]
    else:
        words = fold(term).replace(",", " ").split()
        found = [e for e in entries if all(w in e.folded for w in words)]
    found.sort(key=lambda e: (fold(e.respondent), e.a_number))
    return found[:limit]
