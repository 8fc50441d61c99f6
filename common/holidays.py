"""US federal holidays, computed by rule, and the business-day arithmetic deadlines need.

The "legal holidays" of the deadline rules (8 CFR 1001.1(h), 1003.38(b); ICPM 3.1(c)(2))
are the holidays of 5 U.S.C. 6103(a), read 2026-12-06. Dates are the *observed* days the
courts are closed: a holiday falling on a Sunday is observed on the Monday after (5 U.S.C.
6103(b)(1)), one on a Saturday on the Friday before (Executive Order 11582, section 3, the
OPM practice for employees on a Monday-to-Friday week). Inauguration Day (5 U.S.C. 6103(c))
is a holiday only for federal employees around Washington DC; should it matter for the
Board, record it as a closure of court "BIA" in ``resources/court_closures.json``. Closures
of a court for other reasons are in :mod:`common.court_closures`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

_ONE_DAY = timedelta(days=1)
_SATURDAY, _SUNDAY = calendar.SATURDAY, calendar.SUNDAY
_JUNETEENTH_FIRST_YEAR = 2021  # made a federal holiday in June 2021


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based) ``weekday`` of the month; n == -1 means the last one."""
    if n == -1:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _observed(day: date) -> date:
    if day.weekday() == _SATURDAY:
        return day - _ONE_DAY
    if day.weekday() == _SUNDAY:
        return day + _ONE_DAY
    return day


def _fixed_date_holidays(year: int) -> dict[str, date]:
    fixed = {
        "New Year's Day": date(year, 1, 1),
        "Independence Day": date(year, 7, 4),
        "Veterans Day": date(year, 11, 11),
        "Christmas Day": date(year, 12, 25),
    }
    if year >= _JUNETEENTH_FIRST_YEAR:
        fixed["Juneteenth National Independence Day"] = date(year, 6, 19)
    return {name: _observed(day) for name, day in fixed.items()}


def _floating_holidays(year: int) -> dict[str, date]:
    monday, thursday = calendar.MONDAY, calendar.THURSDAY
    return {
        "Birthday of Martin Luther King, Jr.": _nth_weekday(year, 1, monday, 3),
        "Washington's Birthday": _nth_weekday(year, 2, monday, 3),
        "Memorial Day": _nth_weekday(year, 5, monday, -1),
        "Labor Day": _nth_weekday(year, 9, monday, 1),
        "Columbus Day": _nth_weekday(year, 10, monday, 2),
        "Thanksgiving Day": _nth_weekday(year, 11, thursday, 4),
    }


@lru_cache(maxsize=64)
def _holidays_observed_in(year: int) -> dict[date, str]:
    by_name = {**_fixed_date_holidays(year), **_floating_holidays(year)}
    observed = {day: name for name, day in by_name.items() if day.year == year}
    # New Year's Day on a Saturday is observed on 31 December of the year before.
    next_new_year = _observed(date(year + 1, 1, 1))
    if next_new_year.year == year:
        observed[next_new_year] = "New Year's Day"
    return observed


def federal_holidays(year: int) -> dict[date, str]:
    """Return the observed federal holidays that fall in ``year``, date -> name, by date."""
    return dict(sorted(_holidays_observed_in(year).items()))


def holiday_name(day: date) -> str | None:
    """Return the name of the federal holiday observed on ``day``, or None."""
    return _holidays_observed_in(day.year).get(day)


def is_business_day(day: date) -> bool:
    """True on a weekday that is not an observed federal holiday."""
    return day.weekday() < _SATURDAY and holiday_name(day) is None


def business_day_on_or_before(day: date) -> date:
    """Return ``day`` if it is a business day, else the closest business day before it."""
    while not is_business_day(day):
        day -= _ONE_DAY
    return day


def business_day_on_or_after(day: date) -> date:
    """Return ``day`` if it is a business day, else the closest business day after it."""
    while not is_business_day(day):
        day += _ONE_DAY
    return day
