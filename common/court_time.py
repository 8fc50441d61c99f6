"""The court's clock: which day and hour it is at a court, and how every date and time looks.

**The rule ("the court's clock").** Every date a person reads, or that has legal effect, is
the court's local date: the dashboard's "today", the docket's day and week, a hearing's time,
an order's decision and signature date (it starts the 30-day appeal clock of 8 CFR
1003.38(b)), every PDF, the portal's filing and hearing times and the case history. Instants
stay UTC in storage and on the wire; they become local here, only when shown or when a date is
decided. Nothing else in the system calls ``date.today()``, ``datetime.now()`` without a zone,
``.astimezone()`` without a zone or ``strftime`` (``tests/common/test_court_clock_rule.py``
scans for them): the computer's own zone is not the court's, and a UTC instant's ``.date()``
is the next day in San Francisco from 16:00 (17:00 in winter).

**The house style** (one for the whole system):

=============================  ===================================  =========================
what                           in documents (orders, notices, PDFs)  on screens and in tables
=============================  ===================================  =========================
a date                         ``December 8, 2026``                 ``Tue 8 Dec 2026``
a time                         ``10:30 AM PST``                     ``10:30 PST``
a date and time                ``December 8, 2026 at 10:30 AM PST``  ``Tue 8 Dec 2026 10:30 PST``
=============================  ===================================  =========================

Documents read as US court papers do (month spelled out, 12-hour clock); screens use the
24-hour clock so a column of times lines up and reads in order. A time always carries the
zone's abbreviation: a hearing before and one after the change from daylight saving time are
on different offsets (PDT, PST), and whoever reads it elsewhere must know whose clock it is.
ISO ``2026-12-08`` is for machines only: the wire, form fields, file names.

Output does not depend on the computer's locale (month and day names are English here, not
``strftime``'s ``%B``, which a Spanish Windows would render "diciembre").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class UnknownTimeZone(ValueError):
    """A court's ``timezone`` that this computer's time-zone database does not know."""


class HasTimezone(Protocol):
    """A court as the server's model or the wire schema holds it."""

    @property
    def timezone(self) -> str: ...


# A court's zone as callers hold it: the zone itself, its IANA name, a court record (a wire
# dict or an object with ``timezone``), or None when the court is not known (then UTC, shown
# as "UTC" beside every time, so the fallback is never silent).
ZoneSource = tzinfo | str | Mapping[str, object] | HasTimezone | None


def court_zone(source: ZoneSource) -> tzinfo:
    """The time zone of a court, from the court (record or wire dict), its IANA name or a
    zone. None, or a court without a zone, is UTC. An unknown name raises
    :class:`UnknownTimeZone` rather than quietly dating things in UTC."""
    if source is None:
        return UTC
    if isinstance(source, tzinfo):
        return source
    if isinstance(source, str):
        name: object = source
    elif isinstance(source, Mapping):
        name = source.get("timezone")
    else:
        name = source.timezone
    if not name:
        return UTC
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise UnknownTimeZone(
            f"The court's time zone {name!r} is not a known IANA zone (e.g. "
            "'America/Los_Angeles'); correct the court's record, or update this computer's "
            "time-zone data (the tzdata package)."
        ) from err


def utc_now() -> datetime:
    """The current instant, in UTC (what is stored and sent)."""
    return datetime.now(UTC)


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        # A naive value has lost which clock it was read from; guessing is how a 17:30
        # signature became the next day. Callers parse wire values as aware datetimes.
        raise ValueError(
            f"{instant.isoformat()} has no time zone; pass an aware instant (UTC from "
            "storage or the wire)"
        )
    return instant


def to_court(instant: datetime, zone: ZoneSource) -> datetime:
    """The instant on the court's wall clock (an aware datetime in the court's zone)."""
    return _aware(instant).astimezone(court_zone(zone))


def court_now(zone: ZoneSource, now: datetime | None = None) -> datetime:
    """The court's wall clock at ``now`` (default: this moment)."""
    return to_court(now or utc_now(), zone)


def court_today(zone: ZoneSource, now: datetime | None = None) -> date:
    """The court's date at ``now`` (default: this moment): at 20:00 in San Francisco it is
    still that day there, though UTC has moved on."""
    return court_now(zone, now).date()


def local_date(instant: datetime, zone: ZoneSource) -> date:
    """The court's date at ``instant``: the date of a signature, a filing, a hearing."""
    return to_court(instant, zone).date()


def court_instant(day: date, clock: time, zone: ZoneSource) -> datetime:
    """The UTC instant of ``clock`` on ``day`` at the court (a hearing booked for 09:00 is
    09:00 there, whatever the offset that day). In the hour repeated when daylight saving
    time ends the first (daylight) reading is taken."""
    local = datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=court_zone(zone))
    return local.astimezone(UTC)


def zone_abbreviation(instant: datetime, zone: ZoneSource) -> str:
    """The zone's abbreviation at ``instant``: "PST" or "PDT", "UTC"; a zone with no
    lettered abbreviation shows its offset, "UTC-03"."""
    local = to_court(instant, zone)
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")


def _date_only(day: date) -> date:
    if isinstance(day, datetime):
        # A datetime here would be shown as whatever date its own zone says; callers decide
        # the court's date first (local_date), so this can't be a UTC date by accident.
        raise TypeError("format a date, not a datetime: use local_date(instant, court) first")
    return day


# --- documents -----------------------------------------------------------------------------


def format_date(day: date) -> str:
    """A date as documents give it: ``December 8, 2026``."""
    day = _date_only(day)
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


# Month names in Spanish, for the mail and pages a Spanish-reading respondent reads
# (services/mail_events.py); lower case, as Spanish writes them.
MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def format_date_in(day: date, language: str) -> str:
    """A date as documents give it in ``language``: ``December 8, 2026`` in English,
    ``8 de diciembre de 2026`` in Spanish (``es``); any other language is English."""
    day = _date_only(day)
    if language == "es":
        return f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"
    return format_date(day)


def _clock_12(local: datetime) -> str:
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def format_time(instant: datetime, zone: ZoneSource) -> str:
    """An instant's time at the court as documents give it: ``10:30 AM PST``."""
    local = to_court(instant, zone)
    return f"{_clock_12(local)} {zone_abbreviation(local, zone)}"


def format_datetime(instant: datetime, zone: ZoneSource) -> str:
    """An instant at the court as documents give it: ``December 8, 2026 at 10:30 AM PST``."""
    local = to_court(instant, zone)
    return f"{format_date(local.date())} at {format_time(local, zone)}"


def format_datetime_in(instant: datetime, zone: ZoneSource, language: str) -> str:
    """:func:`format_datetime` in ``language``: Spanish (``es``) as Spanish writes it, the
    24-hour clock after the date: ``8 de diciembre de 2026 a las 10:30 PST``."""
    if language != "es":
        return format_datetime(instant, zone)
    local = to_court(instant, zone)
    return (
        f"{format_date_in(local.date(), language)} a las {local.hour}:{local.minute:02d} "
        f"{zone_abbreviation(local, zone)}"
    )


# --- screens and tables --------------------------------------------------------------------


def table_date(day: date) -> str:
    """A date on screen: ``Tue 8 Dec 2026``."""
    day = _date_only(day)
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


# :func:`table_date`'s shape as a Qt date pattern, for the desktop's date fields
# (``QDateEdit.setDisplayFormat``, with English names: desktop/ui/date_field.py), so a date
# typed or picked reads like every other date on screen.
DATE_FIELD_PATTERN = "ddd d MMM yyyy"


def date_range(first: date, last: date) -> str:
    """Days from ``first`` to ``last`` as a heading says them, joined by an en dash:
    ``7\u201311 Dec 2026``, ``30 Nov \u2013 4 Dec 2026``, ``28 Dec 2026 \u2013 1 Jan 2027``;
    one day is :func:`table_date`."""
    first, last = _date_only(first), _date_only(last)
    if first == last:
        return table_date(first)
    end = f"{last.day} {MONTHS[last.month - 1][:3]} {last.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{end}"
    start = f"{first.day} {MONTHS[first.month - 1][:3]}"
    return f"{start}{'' if first.year == last.year else f' {first.year}'} \u2013 {end}"


def table_time(instant: datetime, zone: ZoneSource) -> str:
    """An instant's time at the court on screen: ``10:30 PST``."""
    local = to_court(instant, zone)
    return f"{local.hour:02d}:{local.minute:02d} {zone_abbreviation(local, zone)}"


def table_datetime(instant: datetime, zone: ZoneSource) -> str:
    """An instant at the court on screen: ``Tue 8 Dec 2026 10:30 PST``."""
    local = to_court(instant, zone)
    return f"{table_date(local.date())} {table_time(local, zone)}"


# --- for machines, and where UTC itself is the point ----------------------------------------


def iso_date(day: date) -> str:
    """``2026-12-08``: for form fields, file names and the wire, never for reading."""
    return _date_only(day).isoformat()


def utc_stamp(instant: datetime) -> str:
    """``2026-12-08 18:30 UTC``: for messages about clocks themselves (a client's clock
    ahead of the server's), where the comparison is between two machines, not a court."""
    moment = _aware(instant).astimezone(UTC)
    return f"{moment.date().isoformat()} {moment.hour:02d}:{moment.minute:02d} UTC"


def pdf_date(instant: datetime) -> str:
    """A PDF metadata date (ISO 32000 7.9.4), in UTC: ``D:20261208183000+00'00'``."""
    moment = _aware(instant).astimezone(UTC)
    return (
        f"D:{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"{moment.hour:02d}{moment.minute:02d}{moment.second:02d}+00'00'"
    )
