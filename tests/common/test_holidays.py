from datetime import date

import pytest

from common.holidays import (
    business_day_on_or_after,
    business_day_on_or_before,
    federal_holidays,
    holiday_name,
    is_business_day,
)


def test_2026_holidays_observed_dates() -> None:
    assert federal_holidays(2026) == {
        date(2026, 1, 1): "New Year's Day",
        date(2026, 1, 19): "Birthday of Martin Luther King, Jr.",
        date(2026, 2, 16): "Washington's Birthday",
        date(2026, 5, 25): "Memorial Day",
        date(2026, 6, 19): "Juneteenth National Independence Day",
        date(2026, 7, 3): "Independence Day",  # 4 July 2026 is a Saturday
        date(2026, 9, 7): "Labor Day",
        date(2026, 10, 12): "Columbus Day",
        date(2026, 11, 11): "Veterans Day",
        date(2026, 11, 26): "Thanksgiving Day",
        date(2026, 12, 25): "Christmas Day",
    }


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 6, 18), "Juneteenth National Independence Day"),  # Sat 19 June -> Fri
        (date(2027, 7, 5), "Independence Day"),  # Sun 4 July -> Mon
        (date(2027, 12, 24), "Christmas Day"),  # Sat 25 Dec -> Fri
        (date(2027, 12, 31), "New Year's Day"),  # Sat 1 Jan 2028 -> Fri of the year before
        (date(2023, 1, 2), "New Year's Day"),  # Sun 1 Jan 2023 -> Mon
        (date(2023, 11, 10), "Veterans Day"),  # Sat 11 Nov -> Fri
        (date(2024, 5, 27), "Memorial Day"),  # last Monday of a 31-day May
    ],
)
def test_weekend_holidays_move_to_the_observed_day(day: date, name: str) -> None:
    assert holiday_name(day) == name


def test_new_year_observed_in_previous_year_is_not_counted_twice() -> None:
    assert date(2028, 1, 1) not in federal_holidays(2028)
    assert date(2027, 12, 31) in federal_holidays(2027)
    assert len(federal_holidays(2027)) == 12


@pytest.mark.parametrize(
    ("day", "name"),
    [
        # The month begins on the holiday's weekday: the n-th one counts that first day.
        (date(2024, 1, 15), "Birthday of Martin Luther King, Jr."),  # 1 Jan 2024 a Monday
        (date(2025, 9, 1), "Labor Day"),  # 1 Sep 2025 a Monday
    ],
)
def test_nth_weekday_counts_the_first_of_the_month(day: date, name: str) -> None:
    assert holiday_name(day) == name
    assert holiday_name(day.replace(day=day.day + 7)) is None


def test_no_juneteenth_before_2021() -> None:
    assert holiday_name(date(2020, 6, 19)) is None
    assert len(federal_holidays(2020)) == 10


def test_juneteenth_from_its_first_year() -> None:
    # Sat 19 June 2021, the first Juneteenth, was observed on Friday 18 June.
    assert holiday_name(date(2021, 6, 18)) == "Juneteenth National Independence Day"
    # 11 holidays and Fri 31 Dec 2021 for New Year's Day 2022 (a Saturday).
    assert len(federal_holidays(2021)) == 12


def test_business_days() -> None:
    assert is_business_day(date(2026, 1, 2))  # Friday
    assert not is_business_day(date(2026, 1, 3))  # Saturday
    assert not is_business_day(date(2026, 1, 1))  # holiday
    # Thanksgiving Thursday: the day before is Wednesday, the next business day is Friday.
    assert business_day_on_or_before(date(2026, 11, 26)) == date(2026, 11, 25)
    assert business_day_on_or_after(date(2026, 11, 26)) == date(2026, 11, 27)
    # Saturday 4 July 2026 (observed Friday 3rd): back to Thursday, forward to Monday.
    assert business_day_on_or_before(date(2026, 7, 4)) == date(2026, 7, 2)
    assert business_day_on_or_after(date(2026, 7, 4)) == date(2026, 7, 6)
    assert business_day_on_or_after(date(2026, 3, 10)) == date(2026, 3, 10)
