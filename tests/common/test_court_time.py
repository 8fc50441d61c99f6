"""The court's clock (common/court_time.py), with this machine's zone set to UTC, as a
server's usually is, and a court in San Francisco (America/Los_Angeles).

Rule checked throughout: the project's "court's clock" rule — every date a person reads or
that has legal effect is the court's local date; instants stay UTC in storage and on the wire.
An order's date matters because it starts the 30-day appeal clock (8 CFR 1003.38(b)).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from common.court_time import (
    UnknownTimeZone,
    court_instant,
    court_today,
    court_zone,
    date_range,
    format_date,
    format_date_in,
    format_datetime,
    format_datetime_in,
    format_time,
    iso_date,
    local_date,
    pdf_date,
    table_date,
    table_datetime,
    table_time,
    utc_now,
    utc_stamp,
    zone_abbreviation,
)
from tests.clock_helpers import machine_zone

PACIFIC = "America/Los_Angeles"


@pytest.fixture(autouse=True)
def _utc_machine() -> Iterator[None]:
    with machine_zone("UTC"):
        yield


def test_the_machine_zone_is_utc_so_a_local_clock_mistake_would_show() -> None:
    assert datetime.now().astimezone().utcoffset() == UTC.utcoffset(None)


@pytest.mark.parametrize(
    ("signed_utc", "local_day"),
    [
        # 17:30 PST on Mon 7 Dec 2026 is 01:30 UTC on the 8th: the order is dated the 7th.
        (datetime(2026, 12, 8, 1, 30, tzinfo=UTC), date(2026, 12, 7)),
        # 23:30 PST on the 7th is 07:30 UTC on the 8th: still the 7th at the court.
        (datetime(2026, 12, 8, 7, 30, tzinfo=UTC), date(2026, 12, 7)),
        # 17:30 PDT on Fri 5 Jun 2026 is 00:30 UTC on the 6th.
        (datetime(2026, 6, 6, 0, 30, tzinfo=UTC), date(2026, 6, 5)),
    ],
)
def test_a_signature_late_in_the_court_day_is_dated_that_day_not_the_next_utc_day(
    signed_utc: datetime, local_day: date
) -> None:
    # Court's clock rule; the date starts the appeal clock of 8 CFR 1003.38(b).
    assert local_date(signed_utc, PACIFIC) == local_day
    assert signed_utc.date() == local_day.replace(day=local_day.day + 1)  # the old bug


def test_today_at_eight_in_the_evening_pacific_is_the_pacific_date() -> None:
    # Court's clock rule: 20:00 PST on Tue 8 Dec 2026 is 04:00 UTC on Wed 9 Dec.
    evening = datetime(2026, 12, 9, 4, 0, tzinfo=UTC)
    assert court_today(PACIFIC, evening) == date(2026, 12, 8)
    assert court_today(None, evening) == date(2026, 12, 9)  # an unknown court: UTC


def test_a_hearing_booked_at_nine_stays_at_nine_across_the_end_of_daylight_time() -> None:
    # Court's clock rule. Daylight saving time ends Sun 1 Nov 2026 at 02:00 (15 U.S.C. 260a:
    # the first Sunday of November); 09:00 is 16:00 UTC before and 17:00 UTC after.
    before = court_instant(date(2026, 10, 30), time(9, 0), PACIFIC)
    after = court_instant(date(2026, 11, 2), time(9, 0), PACIFIC)
    assert before == datetime(2026, 10, 30, 16, 0, tzinfo=UTC)
    assert after == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
    assert table_datetime(before, PACIFIC) == "Fri 30 Oct 2026 09:00 PDT"
    assert table_datetime(after, PACIFIC) == "Mon 2 Nov 2026 09:00 PST"
    # As a notice of hearing states it (common/hearing_notices.py calls format_datetime).
    assert format_datetime(before, PACIFIC) == "October 30, 2026 at 9:00 AM PDT"
    assert format_datetime(after, PACIFIC) == "November 2, 2026 at 9:00 AM PST"


def test_the_repeated_hour_on_the_night_daylight_time_ends_is_read_as_daylight_time() -> None:
    # 01:30 happens twice on 1 Nov 2026; the first (PDT, 08:30 UTC) is taken.
    assert court_instant(date(2026, 11, 1), time(1, 30), PACIFIC) == datetime(
        2026, 11, 1, 8, 30, tzinfo=UTC
    )


def test_house_style_in_documents() -> None:
    moment = datetime(2026, 12, 8, 18, 30, tzinfo=UTC)
    assert format_date(date(2026, 12, 8)) == "December 8, 2026"
    assert format_time(moment, PACIFIC) == "10:30 AM PST"
    assert format_time(datetime(2026, 12, 8, 20, 5, tzinfo=UTC), PACIFIC) == "12:05 PM PST"
    assert format_time(datetime(2026, 12, 8, 8, 5, tzinfo=UTC), PACIFIC) == "12:05 AM PST"
    assert format_datetime(moment, PACIFIC) == "December 8, 2026 at 10:30 AM PST"


def test_house_style_on_screens() -> None:
    moment = datetime(2026, 12, 8, 18, 30, tzinfo=UTC)
    assert table_date(date(2026, 12, 8)) == "Tue 8 Dec 2026"
    assert table_time(moment, PACIFIC) == "10:30 PST"
    assert table_datetime(moment, PACIFIC) == "Tue 8 Dec 2026 10:30 PST"
    assert table_datetime(moment, None) == "Tue 8 Dec 2026 18:30 UTC"


def test_machine_formats_are_utc_and_iso() -> None:
    moment = datetime(2026, 12, 8, 10, 30, 5, tzinfo=ZoneInfo(PACIFIC))
    assert iso_date(date(2026, 12, 8)) == "2026-12-08"
    assert utc_stamp(moment) == "2026-12-08 18:30 UTC"
    assert pdf_date(moment) == "D:20261208183005+00'00'"


def test_an_evening_hearing_is_written_with_the_court_s_date_and_its_own_hour() -> None:
    # Court's clock rule: 17:30 PST on Mon 7 Dec 2026 is 01:30 UTC on the 8th.
    evening = datetime(2026, 12, 8, 1, 30, tzinfo=UTC)
    assert format_datetime(evening, PACIFIC) == "December 7, 2026 at 5:30 PM PST"
    assert table_datetime(evening, PACIFIC) == "Mon 7 Dec 2026 17:30 PST"


def test_spanish_documents_write_the_court_s_date_their_own_way() -> None:
    evening = datetime(2026, 12, 8, 1, 30, tzinfo=UTC)  # 17:30 PST on 7 Dec
    assert format_date_in(date(2026, 1, 8), "es") == "8 de enero de 2026"
    assert format_date_in(date(2026, 12, 8), "en") == "December 8, 2026"
    assert format_datetime_in(evening, PACIFIC, "es") == "7 de diciembre de 2026 a las 17:30 PST"
    assert format_datetime_in(evening, PACIFIC, "en") == "December 7, 2026 at 5:30 PM PST"
    with pytest.raises(TypeError):
        format_date_in(evening, "es")


@pytest.mark.parametrize(
    ("first", "last", "heading"),
    [
        (date(2026, 12, 8), date(2026, 12, 8), "Tue 8 Dec 2026"),
        (date(2026, 12, 7), date(2026, 12, 11), "7\u201311 Dec 2026"),
        (date(2026, 11, 30), date(2026, 12, 4), "30 Nov \u2013 4 Dec 2026"),
        (date(2026, 12, 28), date(2027, 1, 1), "28 Dec 2026 \u2013 1 Jan 2027"),
        (date(2026, 1, 5), date(2027, 1, 9), "5 Jan 2026 \u2013 9 Jan 2027"),
    ],
)
def test_a_range_of_days_as_a_heading_says_it(first: date, last: date, heading: str) -> None:
    assert date_range(first, last) == heading


def test_machine_formats_are_utc_whatever_this_computer_s_zone() -> None:
    moment = datetime(2026, 12, 8, 10, 30, 5, tzinfo=ZoneInfo(PACIFIC))
    with machine_zone("Asia/Tokyo"):
        assert utc_stamp(moment) == "2026-12-08 18:30 UTC"
        assert pdf_date(moment) == "D:20261208183005+00'00'"
        # What is stored and sent for a hearing booked at 09:00 in San Francisco.
        booked = court_instant(date(2026, 12, 8), time(9, 0), PACIFIC)
        assert booked.isoformat() == "2026-12-08T17:00:00+00:00"


def test_a_zone_comes_from_a_court_record_its_name_or_a_zone() -> None:
    class ServerCourt:
        timezone = PACIFIC

    moment = datetime(2026, 7, 1, 19, 0, tzinfo=UTC)
    for source in ({"timezone": PACIFIC}, ServerCourt(), PACIFIC, ZoneInfo(PACIFIC)):
        assert table_time(moment, source) == "12:00 PDT"
    assert court_zone({"name": "no zone"}) is UTC


def test_a_zone_without_letters_shows_its_offset() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert zone_abbreviation(moment, "America/Sao_Paulo") == "UTC-03"
    assert zone_abbreviation(moment, "Asia/Kathmandu") == "UTC+05:45"
    assert zone_abbreviation(moment, "Pacific/Guam") == "ChST"
    assert zone_abbreviation(moment, "Atlantic/Azores") == "UTC+00"  # summer: no offset


def test_an_unknown_court_zone_is_refused_with_what_to_do() -> None:
    # The clerk or administrator reads this whole sentence; it says what to do.
    with pytest.raises(UnknownTimeZone) as refused:
        court_zone("Pacific/Atlantis")
    assert str(refused.value) == (
        "The court's time zone 'Pacific/Atlantis' is not a known IANA zone (e.g. "
        "'America/Los_Angeles'); correct the court's record, or update this computer's "
        "time-zone data (the tzdata package)."
    )


class _NoOffset(tzinfo):
    """A zone that cannot say its offset: the instant is as good as naive."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None


def test_a_naive_instant_is_refused_rather_than_guessed() -> None:
    for naive in (datetime(2026, 12, 8, 1, 30), datetime(2026, 12, 8, 1, 30, tzinfo=_NoOffset())):
        with pytest.raises(ValueError) as refused:
            local_date(naive, PACIFIC)
        assert str(refused.value) == (
            "2026-12-08T01:30:00 has no time zone; pass an aware instant (UTC from storage "
            "or the wire)"
        )


def test_now_is_utc() -> None:
    before = datetime.now(UTC)
    now = utc_now()
    assert now.utcoffset() == timedelta(0)
    assert before <= now <= datetime.now(UTC)


def test_the_first_reading_of_the_repeated_hour_whatever_fold_the_caller_passes() -> None:
    # 01:30 happens twice on Sun 1 Nov 2026 in San Francisco: PDT (08:30 UTC), then PST.
    booked = court_instant(date(2026, 11, 1), time(1, 30, fold=1), PACIFIC)
    assert booked == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)


def test_a_datetime_is_not_formatted_as_a_date_by_accident() -> None:
    # The old bug in another shape: a UTC instant passed where the court's date belongs.
    with pytest.raises(TypeError) as refused:
        format_date(datetime(2026, 12, 8, 1, 30, tzinfo=UTC))
    assert str(refused.value) == (
        "format a date, not a datetime: use local_date(instant, court) first"
    )
    with pytest.raises(TypeError):
        table_date(datetime(2026, 12, 8, 1, 30, tzinfo=UTC))
