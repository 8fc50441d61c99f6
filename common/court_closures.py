"""The court-closure calendar: days a court, the Board or ECAS was closed, and what that does
to a filing deadline.

The closures are data (``resources/court_closures.json``), added as EOIR announces them on
its operational status page or in a policy memo; each carries the announcement it comes from.
A deadline whose last day falls on a day the court is closed moves to the next day the court
is open that is a business day (8 CFR 1003.31(b) states this for an unplanned ECAS outage; for
a closed courthouse it is this project's assumption, recorded in the file). An announcement
that names its own date ("filings due October 1-16 are timely if received by November 8")
replaces that count.

Whom a closure touches: a list of court codes (``"*"``: every immigration court; ``"BIA"``:
the Board), optionally one docket (the 2013 lapse in funding closed the non-detained dockets
only), and, for an ECAS outage, only those who file electronically. A planned ECAS outage moves
nothing (BIA Practice Manual 4.5(b)(1)): it is recorded, not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from common.citations import Citation, parse_citation
from common.court_time import table_date
from common.holidays import holiday_name
from common.resources import (
    DataFileError,
    parse_enum,
    read_data_file,
    require,
    resource_path,
)

CLOSURES_FILE = "court_closures.json"
ALL_COURTS = "*"
BOARD = "BIA"  # the Board of Immigration Appeals, where an appeal is filed
_ONE_DAY = timedelta(days=1)
# A closure that never reopens would roll a deadline forever; no real one lasts a year.
_LONGEST_ROLL = timedelta(days=366)


class ClosureKind(StrEnum):
    EMERGENCY_CLOSURE = "emergency_closure"  # weather, power, building
    LAPSE_IN_FUNDING = "lapse_in_funding"
    ECAS_OUTAGE = "ecas_outage"  # electronic filing unavailable; paper filing unaffected


class Docket(StrEnum):
    DETAINED = "detained"
    NON_DETAINED = "non_detained"


@dataclass(frozen=True, slots=True)
class Extension:
    """An announcement's own rule: a deadline due from ``due_from`` to ``due_to`` is timely
    if the filing is received by ``timely_through``."""

    due_from: date
    due_to: date
    timely_through: date


@dataclass(frozen=True, slots=True)
class Closure:
    id: str
    courts: frozenset[str]
    kind: ClosureKind
    closed_from: date
    closed_to: date
    reason: str
    announcement: str
    dockets: frozenset[Docket] = frozenset()  # empty: every docket
    planned: bool = False
    extension: Extension | None = None

    def closes(self, day: date) -> bool:
        return self.closed_from <= day <= self.closed_to

    def touches(self, court: str | None, *, detained: bool, electronic: bool) -> bool:
        """Whether this closure moves deadlines at ``court`` for such a filer."""
        if self.kind is ClosureKind.ECAS_OUTAGE and (self.planned or not electronic):
            return False
        code = court.upper() if court else None
        # "*" is every immigration court; the Board is named on its own ("BIA").
        every_court = ALL_COURTS in self.courts and code != BOARD
        if not every_court and (code is None or code not in self.courts):
            return False
        docket = Docket.DETAINED if detained else Docket.NON_DETAINED
        return not self.dockets or docket in self.dockets


@dataclass(frozen=True, slots=True)
class ClosureFile:
    version: str
    citations: tuple[Citation, ...]
    closures: tuple[Closure, ...]


def _day(raw: Mapping[str, object], key: str, where: str) -> date:
    text = require(raw, key, str, where=where)  # a missing field is said to be missing
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DataFileError(f"{where}: {key!r} must be a date (YYYY-MM-DD)") from None


def _parse_closure(raw: object, where: str) -> Closure:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: every closure must be a JSON object")
    closure_id = require(raw, "id", str, where=where)
    where = f"{where}, closure {closure_id!r}"
    courts = require(raw, "courts", list, where=where)
    if not courts or not all(isinstance(c, str) and c for c in courts):
        raise DataFileError(f"{where}: 'courts' lists court codes, '*' or 'BIA'")
    start, end = _day(raw, "closed_from", where), _day(raw, "closed_to", where)
    if end < start:
        raise DataFileError(f"{where}: 'closed_to' is before 'closed_from'")
    announcement = require(raw, "announcement", dict, where=where)
    extension = None
    if "extension" in raw:
        ext = require(raw, "extension", dict, where=where)
        extension = Extension(
            _day(ext, "due_from", where),
            _day(ext, "due_to", where),
            _day(ext, "timely_through", where),
        )
        if extension.timely_through < extension.due_to:
            raise DataFileError(f"{where}: 'timely_through' is before 'due_to'")
    dockets = raw.get("dockets", [])
    if not isinstance(dockets, list):
        raise DataFileError(f"{where}: 'dockets' must be a list")
    return Closure(
        id=closure_id,
        courts=frozenset(str(c).upper() for c in courts),
        kind=parse_enum(ClosureKind, require(raw, "kind", str, where=where), where),
        closed_from=start,
        closed_to=end,
        reason=require(raw, "reason", str, where=where),
        announcement=require(announcement, "title", str, where=f"{where}, announcement"),
        dockets=frozenset(parse_enum(Docket, str(d), where) for d in dockets),
        planned=raw.get("planned") is True,
        extension=extension,
    )


def load_closures(path: Path | None = None) -> ClosureFile:
    """Read and check a closure file (default: the shipped one); a malformed file raises
    :class:`~common.resources.DataFileError` naming the entry and field at fault."""
    path = path or resource_path(CLOSURES_FILE)
    data = read_data_file(path)
    where = str(path)
    citations = tuple(
        parse_citation(c, where) for c in require(data, "citations", list, where=where)
    )
    closures = tuple(
        _parse_closure(raw, where) for raw in require(data, "closures", list, where=where)
    )
    if len({c.id for c in closures}) != len(closures):
        raise DataFileError(f"{where}: closure ids must be unique")
    return ClosureFile(require(data, "version", str, where=where), citations, closures)


@lru_cache(maxsize=4)
def _closures_at(path: Path) -> ClosureFile:
    return load_closures(path)


def default_closures() -> ClosureFile:
    """The shipped closure calendar, read once per resolved file path."""
    return _closures_at(resource_path(CLOSURES_FILE))


@dataclass(frozen=True, slots=True)
class Rolled:
    """Where a deadline's last day ends up, and why, in the order the days were passed."""

    due: date
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CourtCalendar:
    """The days one court is open to one kind of filer: weekdays that are not legal
    holidays, less the closures that touch that filer. ``court`` is the court's code
    (``"SFR"``), ``"BIA"`` for the Board, or None when unknown (then only closures of every
    court count)."""

    court: str | None
    closures: tuple[Closure, ...]
    version: str

    def why_closed(self, day: date) -> str | None:
        """What ``day`` is when it is not a day to file at this court, worded to follow
        "<day> is" ("a Saturday", "Christmas Day, a legal holiday", "a day the court was
        closed (...)"), or None when it is open."""
        if day.weekday() == 5:
            return "a Saturday"
        if day.weekday() == 6:
            return "a Sunday"
        holiday = holiday_name(day)
        if holiday is not None:
            return f"{holiday}, a legal holiday"
        for closure in self.closures:
            if closure.closes(day):
                if closure.kind is ClosureKind.ECAS_OUTAGE:
                    return f"a day ECAS was unavailable (unplanned outage: {closure.reason})"
                return f"a day the court was closed ({closure.reason})"
        return None

    def is_open(self, day: date) -> bool:
        return self.why_closed(day) is None

    def next_open_day(self, day: date) -> date:
        """``day`` if the court is open then, else the first day after it that it is."""
        start = day
        while not self.is_open(day):
            day += _ONE_DAY
            if day - start > _LONGEST_ROLL:
                raise ValueError(
                    f"the court calendar has no open day within a year of {start}; check the "
                    "closures in court_closures.json"
                )
        return day

    def roll(self, last_day: date) -> Rolled:
        """The due date of a deadline whose last day by the count is ``last_day``: the next
        day the court is open, or an announcement's later date where one covers it."""
        day = self.next_open_day(last_day)
        reasons = [
            f"{table_date(passed)} is {self.why_closed(passed)}"
            for passed in (last_day + timedelta(days=n) for n in range((day - last_day).days))
        ]
        for closure in self.closures:
            ext = closure.extension
            # An announcement speaks of filings "due" in a window: a deadline is due there
            # if any day from its last day to where the roll stopped lies in the window.
            covered = ext is not None and last_day <= ext.due_to and day >= ext.due_from
            if covered and ext is not None and ext.timely_through > day:
                day = ext.timely_through
                reasons.append(f"timely if received by {table_date(day)}: {closure.announcement}")
        return Rolled(day, tuple(reasons))


def court_calendar(
    court: str | None,
    *,
    detained: bool = False,
    electronic: bool = True,
    closures: ClosureFile | None = None,
) -> CourtCalendar:
    """The calendar of the court with code ``court`` for a filer in a ``detained`` (or
    not) case who files ``electronically`` (attorneys, accredited representatives and DHS
    must, 8 CFR 1003.31(a); an unrepresented respondent may file on paper)."""
    found = closures or default_closures()
    touching = tuple(
        c for c in found.closures if c.touches(court, detained=detained, electronic=electronic)
    )
    return CourtCalendar(court.upper() if court else None, touching, found.version)


def board_calendar(
    *, detained: bool = False, electronic: bool = True, closures: ClosureFile | None = None
) -> CourtCalendar:
    """The Board's calendar: an appeal is filed with the Board, not the immigration court
    (8 CFR 1003.38(a)), so the Board's closures move its deadline."""
    return court_calendar(BOARD, detained=detained, electronic=electronic, closures=closures)
