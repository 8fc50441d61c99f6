"""Adjournment codes (EOIR Practice Manuals, Shared Appendix O) and the asylum EAD clock.

Each adjournment code says what the adjournment does to the 180-day asylum
employment-authorization clock until the next hearing: ``stops`` (the delay is the
respondent's), ``runs`` (it is not), or ``neutral`` (the clock keeps whatever state it had).
The codes live in ``resources/adjournment_codes.json`` so a policy update is a data change;
each carries the citation it was read in, and a clock effect that no source read stated is
marked ``assumed`` with the reasoning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from common.citations import Citation, parse_citation
from common.court_time import table_date
from common.enums import ClockEffect
from common.resources import DataFileError, parse_enum, read_data_file, require, resource_path

CODES_FILE = "adjournment_codes.json"
EAD_CLOCK_DAYS = 180  # days of clock time before an asylum applicant may be granted an EAD


class AdjournmentParty(StrEnum):
    """Whose request or circumstance the adjournment is attributed to."""

    RESPONDENT = "respondent"
    DHS = "dhs"
    COURT = "court"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class AdjournmentCode:
    code: str
    description: str
    clock_effect: ClockEffect
    party: AdjournmentParty
    citation: Citation | None = None
    assumed: str | None = None  # why the clock effect is what it is, where no source said


@dataclass(frozen=True, slots=True)
class AsylumClock:
    """The EAD clock as of a day: days counted so far and whether it is running."""

    days_elapsed: int
    running: bool
    as_of: date

    @property
    def reached_threshold(self) -> bool:
        return self.days_elapsed >= EAD_CLOCK_DAYS


def normalise_code(code: str) -> str:
    """Return the catalogue spelling of ``code``: ``"1"`` -> ``"01"``, ``"4a"`` -> ``"4A"``."""
    cleaned = code.strip().upper()
    return cleaned.zfill(2) if cleaned.isdigit() else cleaned


def load_adjournment_codes(path: Path | None = None) -> dict[str, AdjournmentCode]:
    """Read and validate a code file (default: the shipped one); return code -> entry.

    Raises :class:`~common.resources.DataFileError` for a malformed file or a duplicate code.
    """
    path = path or resource_path(CODES_FILE)
    data = read_data_file(path)
    require(data, "source", str, where=str(path))
    for raw_citation in require(data, "citations", list, where=str(path)):
        parse_citation(raw_citation, str(path))
    codes: dict[str, AdjournmentCode] = {}
    for raw in require(data, "codes", list, where=str(path)):
        entry = _parse_code(raw, str(path))
        if entry.code in codes:
            raise DataFileError(f"{path}: code {entry.code!r} appears twice")
        codes[entry.code] = entry
    return codes


def adjournment_codes_version(path: Path | None = None) -> str:
    """Return the ``version`` of a code file (default: the shipped one)."""
    path = path or resource_path(CODES_FILE)
    return require(read_data_file(path), "version", str, where=str(path))


def _parse_code(raw: object, where: str) -> AdjournmentCode:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: every code must be a JSON object")
    code = normalise_code(require(raw, "code", str, where=where))
    where = f"{where}, code {code!r}"
    assumed = raw.get("assumed")
    return AdjournmentCode(
        code=code,
        description=require(raw, "description", str, where=where),
        clock_effect=parse_enum(ClockEffect, require(raw, "clock_effect", str, where=where), where),
        party=parse_enum(AdjournmentParty, require(raw, "party", str, where=where), where),
        citation=parse_citation(require(raw, "citation", dict, where=where), where),
        assumed=assumed if isinstance(assumed, str) else None,
    )


@lru_cache(maxsize=4)
def _codes_at(path: Path) -> dict[str, AdjournmentCode]:
    return load_adjournment_codes(path)


def lookup_code(code: str, codes: dict[str, AdjournmentCode] | None = None) -> AdjournmentCode:
    """Return the catalogue entry for ``code`` (any spelling); unknown codes raise KeyError."""
    catalogue = codes if codes is not None else _codes_at(resource_path(CODES_FILE))
    try:
        return catalogue[normalise_code(code)]
    except KeyError:
        raise KeyError(f"no adjournment code {code!r} in the catalogue") from None


def clock_effect(code: str, codes: dict[str, AdjournmentCode] | None = None) -> ClockEffect:
    """Return what adjournment ``code`` does to the asylum EAD clock."""
    return lookup_code(code, codes).clock_effect


def _advance(clock: AsylumClock, day: date) -> AsylumClock:
    """Move the clock to ``day``; a running clock accrues the days in between."""
    gained = (day - clock.as_of).days if clock.running else 0
    return AsylumClock(clock.days_elapsed + gained, clock.running, day)


def _check_dates(clock: AsylumClock, adjourned_on: date, next_hearing: date) -> None:
    if adjourned_on < clock.as_of:
        raise ValueError(f"adjourned on {adjourned_on}, before the clock's date {clock.as_of}")
    if next_hearing < adjourned_on:
        raise ValueError(f"the next hearing ({next_hearing}) is before the adjournment")


def apply_to_clock(
    clock: AsylumClock,
    code: str,
    adjourned_on: date,
    next_hearing: date,
    *,
    codes: dict[str, AdjournmentCode] | None = None,
) -> AsylumClock:
    """Return the clock as of ``next_hearing`` after an adjournment with ``code``.

    The clock first runs (if running) up to ``adjourned_on``. Then, until the next hearing,
    a ``stops`` code holds it, a ``runs`` code lets it accrue, and a ``neutral`` code keeps
    its state. ``running`` in the result is the state during that interval; the adjournment
    at the next hearing decides what happens after it. Raises ValueError if the dates run
    backwards, KeyError for an unknown code.
    """
    _check_dates(clock, adjourned_on, next_hearing)
    effect = clock_effect(code, codes)
    at_adjournment = _advance(clock, adjourned_on)
    if effect is not ClockEffect.NEUTRAL:
        at_adjournment = replace(at_adjournment, running=effect is ClockEffect.RUNS)
    return _advance(at_adjournment, next_hearing)


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def describe_effect(
    clock: AsylumClock,
    code: str,
    adjourned_on: date,
    next_hearing: date,
    *,
    codes: dict[str, AdjournmentCode] | None = None,
) -> str:
    """Say, for the clerk before saving, what the adjournment does to the clock.

    E.g. ``"Clock stops: 143 days so far; stays at 143 until the hearing on Tue 12 Jan 2027."``
    """
    after = apply_to_clock(clock, code, adjourned_on, next_hearing, codes=codes)
    effect = clock_effect(code, codes)
    so_far = _days(_advance(clock, adjourned_on).days_elapsed)
    lead = {
        ClockEffect.STOPS: "Clock stops",
        ClockEffect.RUNS: "Clock runs",
        ClockEffect.NEUTRAL: f"Clock unchanged ({'running' if after.running else 'stopped'})",
    }[effect]
    hearing = f"the hearing on {table_date(next_hearing)}"
    if after.running:
        return f"{lead}: {so_far} so far; {after.days_elapsed} by {hearing}."
    return f"{lead}: {so_far} so far; stays at {after.days_elapsed} until {hearing}."


def clock_from_history(
    application_filed_on: date | None,
    adjournments: Iterable[tuple[date, str, date]],
    as_of: date,
    *,
    codes: dict[str, AdjournmentCode] | None = None,
) -> AsylumClock | None:
    """The asylum clock of a case as of ``as_of``, replayed from its record.

    The clock starts running when the asylum application is filed; each past adjournment
    ``(adjourned_on, code, next_hearing_on)`` then stops, runs or leaves it, in date order.
    None when no application is on file (there is no clock). Adjournments before the
    filing, or with codes no longer in the catalogue, are skipped.
    """
    if application_filed_on is None:
        return None
    clock = AsylumClock(days_elapsed=0, running=True, as_of=application_filed_on)
    for adjourned_on, code, next_on in sorted(adjournments):
        if adjourned_on < clock.as_of or adjourned_on > as_of or next_on < adjourned_on:
            continue
        try:
            clock = apply_to_clock(clock, code, adjourned_on, min(next_on, as_of), codes=codes)
        except KeyError:
            continue
    return _advance(clock, as_of) if as_of > clock.as_of else clock
