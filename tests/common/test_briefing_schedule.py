"""The Board's briefing schedule as data and rules (``common.appeals``,
``resources/briefing_rules.json``; BIA PM 4.7, 8 CFR 1003.3(c)(1)): 21 days and then 21
more in a non-detained case, simultaneous 21 days in a detained one, last days rolled off
weekends and holidays on the Board's calendar, one extension per party, and a brief
received by 23:59 Board time on its due day in time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from common.appeals import (
    brief_is_late,
    check_appeal_change,
    decide_extension,
    file_brief,
    issue_briefing,
    request_extension,
)
from common.court_closures import board_calendar
from common.enums import AppealFee, AppealStatus, BriefExtension, Party, TranscriptStatus
from common.wire import Appeal

BOARD = ZoneInfo("America/New_York")


def _board(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=BOARD).astimezone(UTC)


def ready_appeal(*, detained: bool = False) -> Appeal:
    """A docketed appeal whose transcript is ready, no schedule yet."""
    return Appeal(
        id="a0000000-0000-4000-8000-000000000001",
        case_id="c0000000-0000-4000-8000-000000000001",
        filer_id="b0000000-0000-4000-8000-000000000001",
        appellant=Party.RESPONDENT,
        status=AppealStatus.DOCKETED,
        decision_date=date(2026, 10, 30),
        reasons="The immigration judge erred in the credibility finding for reasons stated.",
        detained=detained,
        fee=AppealFee.WAIVER_REQUESTED,
        received_at=_board(date(2026, 11, 10), time(10)),
        reviewed_by="b0000000-0000-4000-8000-000000000002",
        reviewed_at=_board(date(2026, 11, 12), time(10)),
        docketed_on=date(2026, 11, 12),
        transcript_status=TranscriptStatus.READY,
        transcript_document_id="d0000000-0000-4000-8000-000000000001",
    )


def issued(on: date, *, detained: bool = False) -> Appeal:
    old = ready_appeal(detained=detained)
    new = issue_briefing(old, on)
    assert check_appeal_change(old, new) is None
    return new


def test_non_detained_appellant_21_days_then_appellee_21_after_with_sunday_and_holiday_rolled() -> (
    None
):
    calendar = board_calendar()
    # Issued Sun 6 Dec 2026: day 21 is Sun 27 Dec, so the appellant's brief is due Mon 28.
    appeal = issued(date(2026, 12, 6))
    assert "Sunday" in (calendar.why_closed(date(2026, 12, 27)) or "")
    assert appeal.appellant_brief_due == date(2026, 12, 28)
    # 21 days after Mon 28 Dec is Mon 18 Jan 2027, Martin Luther King Jr. Day: Tue 19.
    assert "holiday" in (calendar.why_closed(date(2027, 1, 18)) or "")
    assert appeal.appellee_brief_due == date(2027, 1, 19)


def test_a_last_day_on_new_years_day_rolls_past_the_weekend() -> None:
    # Issued Fri 11 Dec 2026: day 21 is Fri 1 Jan 2027 (a holiday), then a weekend.
    appeal = issued(date(2026, 12, 11))
    assert appeal.appellant_brief_due == date(2027, 1, 4)


def test_detained_briefing_is_simultaneous_21_days() -> None:
    appeal = issued(date(2026, 11, 2), detained=True)  # day 21: Mon 23 Nov 2026
    assert appeal.appellant_brief_due == appeal.appellee_brief_due == date(2026, 11, 23)


def test_a_schedule_issues_once_only_for_a_ready_transcript_and_with_the_rules_days() -> None:
    appeal = issued(date(2026, 12, 6))
    assert check_appeal_change(appeal, issue_briefing(appeal, date(2026, 12, 7))) is not None
    ordered = ready_appeal().model_copy(
        update={"transcript_status": TranscriptStatus.ORDERED, "transcript_document_id": None}
    )
    assert "transcript" in (
        check_appeal_change(ordered, issue_briefing(ordered, date(2026, 12, 6))) or ""
    )
    shortened = issue_briefing(ready_appeal(), date(2026, 12, 6)).model_copy(
        update={"appellant_brief_due": date(2026, 12, 21)}
    )
    assert "due days" in (check_appeal_change(ready_appeal(), shortened) or "")


def test_one_extension_per_party_granted_21_days_from_the_deadline_and_a_second_refused() -> None:
    appeal = issued(date(2026, 12, 6))  # appellant due Mon 28 Dec, appellee Tue 19 Jan
    asked = request_extension(appeal, "appellant", _board(date(2026, 12, 20), time(9)))
    assert check_appeal_change(appeal, asked) is None
    granted = decide_extension(asked, "appellant", grant=True, decided_on=date(2026, 12, 21))
    assert check_appeal_change(asked, granted) is None
    # 28 Dec + 21 = Mon 18 Jan 2027 (a holiday): Tue 19; the appellee's follows: + 21 = Tue 9 Feb.
    assert granted.appellant_brief_due == date(2027, 1, 19)
    assert granted.appellee_brief_due == date(2027, 2, 9)
    again = request_extension(granted, "appellant", _board(date(2026, 12, 22), time(9)))
    assert "one extension request per party" in (check_appeal_change(granted, again) or "")
    # The appellee has its own request; a denial leaves the days as they are.
    theirs = request_extension(granted, "appellee", _board(date(2026, 12, 22), time(9)))
    assert check_appeal_change(granted, theirs) is None
    denied = decide_extension(theirs, "appellee", grant=False, decided_on=date(2026, 12, 23))
    assert check_appeal_change(theirs, denied) is None
    assert denied.appellee_extension is BriefExtension.DENIED
    assert denied.appellee_brief_due == date(2027, 2, 9)
    assert (
        check_appeal_change(
            denied, request_extension(denied, "appellee", _board(date(2026, 12, 24), time(9)))
        )
        is not None
    )


def test_an_extension_request_after_the_due_day_is_refused() -> None:
    appeal = issued(date(2026, 12, 6))
    late = request_extension(appeal, "appellant", _board(date(2026, 12, 29), time(0, 0, 30)))
    assert "due day" in (check_appeal_change(appeal, late) or "")


@pytest.mark.parametrize(
    ("received", "late"),
    [
        (_board(date(2026, 12, 28), time(23, 59, 59)), False),
        (_board(date(2026, 12, 29), time(0, 0, 1)), True),
    ],
    ids=["2359-board-time-on-the-due-day", "next-day"],
)
def test_a_brief_received_by_2359_board_time_on_its_due_day_is_timely(
    received: datetime, late: bool
) -> None:
    appeal = issued(date(2026, 12, 6))  # appellant due Mon 28 Dec
    filed = file_brief(appeal, "appellant", "d0000000-0000-4000-8000-000000000009", received)
    assert filed.appellant_brief_late is late
    assert check_appeal_change(appeal, filed) is None
    # A brief's late flag is the rule's, not the filer's word.
    disguised = filed.model_copy(update={"appellant_brief_late": not late})
    assert "late" in (check_appeal_change(appeal, disguised) or "")
    # In Pacific time the late one was still 28 Dec: the Board's clock decides.
    assert brief_is_late(appeal, "appellant", received) is late
    assert received.astimezone(ZoneInfo("America/Los_Angeles")).date() == date(2026, 12, 28)
    assert (
        check_appeal_change(
            filed,
            file_brief(
                filed,
                "appellant",
                "d0000000-0000-4000-8000-00000000000a",
                received + timedelta(hours=1),
            ),
        )
        is not None
    )
