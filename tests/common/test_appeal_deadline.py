"""The 30 days to appeal to the Board, counted on the Board's clock (Falls Church,
Virginia): received, not mailed (8 CFR 1003.38(b)-(c)); a last day on a weekend runs to
the next business day (BIA Practice Manual 3.1(b))."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from common.appeals import (
    appeal_due,
    check_appeal_change,
    check_notice_of_appeal,
    findings,
    rejection_reasons,
)
from common.court_closures import board_calendar
from common.deadlines import Decision
from common.enums import AppealStatus, Party, TranscriptStatus
from common.wire import Appeal

BOARD = ZoneInfo("America/New_York")
PACIFIC = ZoneInfo("America/Los_Angeles")


def _board(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=BOARD).astimezone(UTC)


def test_received_on_day_30_at_2359_board_time_is_timely() -> None:
    decision = Decision(decided_on=date(2026, 10, 6))  # oral, a Tuesday
    due = appeal_due(decision)
    assert due.due == date(2026, 11, 5)  # day 30, a Thursday the Board is open
    last_minute = _board(date(2026, 11, 5), time(23, 59, 59))
    assert last_minute.date() == date(2026, 11, 6)  # already the next day in UTC
    found = findings(decision, last_minute, Party.RESPONDENT)
    assert not found.late and found.flags == ()


def test_received_on_day_31_is_late_and_flagged_not_refused() -> None:
    decision = Decision(decided_on=date(2026, 10, 6))
    just_after = _board(date(2026, 11, 6), time(0, 0, 30))
    found = findings(decision, just_after, Party.RESPONDENT)
    assert found.late
    assert found.flags == ("late: due 2026-11-05 (received after the 30 days)",)
    # Still 9 PM on day 30 in San Francisco: the Board's day counts, not the filer's.
    assert just_after.astimezone(PACIFIC).date() == date(2026, 11, 5)


def test_day_30_on_a_sunday_is_timely_on_monday() -> None:
    decision = Decision(decided_on=date(2026, 10, 2))  # + 30 = Sunday 1 November 2026
    due = appeal_due(decision)
    assert date(2026, 11, 1).weekday() == 6
    assert due.unadjusted == date(2026, 11, 1)
    assert due.due == date(2026, 11, 2)
    assert due.moved  # says why the day moved
    monday_evening = _board(date(2026, 11, 2), time(22, 0))
    assert not findings(decision, monday_evening, Party.DHS).late
    tuesday = _board(date(2026, 11, 3), time(8, 0))
    assert findings(decision, tuesday, Party.DHS).late


def test_a_written_decision_runs_from_its_service_and_a_board_closure_moves_the_day() -> None:
    written = Decision(decided_on=date(2026, 10, 1), oral=False, served_on=date(2026, 10, 6))
    assert appeal_due(written).due == date(2026, 11, 5)
    assert board_calendar().is_open(date(2026, 11, 5))


def test_an_appeal_from_a_decision_whose_appeal_was_waived_is_flagged() -> None:
    decision = Decision(decided_on=date(2026, 10, 6))
    received = _board(date(2026, 10, 20), time(9, 0))
    waived = findings(decision, received, Party.RESPONDENT, {"appeal_respondent": "waived"})
    assert waived.waived and not waived.late
    assert waived.flags == ("appeal waived before the immigration judge",)
    # DHS reserved its appeal: DHS's appeal is not flagged.
    assert not findings(decision, received, Party.DHS, {"appeal_respondent": "waived"}).waived


def test_the_form_asks_for_specific_reasons_a_fee_or_waiver_a_signature_and_service() -> None:
    _, errors = check_notice_of_appeal(
        {"decision_date": "2026-10-06", "reasons": "wrong"}, Party.RESPONDENT
    )
    assert set(errors) == {"reasons", "fee", "signed_by_name", "proof_of_service"}
    values, errors = check_notice_of_appeal(
        {
            "decision_date": "2026-10-06",
            "reasons": "The judge erred in the adverse credibility finding, which rests on "
            "one omission the respondent explained.",
            "fee": "waiver_requested",
            "proof_of_service": "yes",
            "signed_by_name": "/s/ Laura Mendez",
        },
        Party.RESPONDENT,
    )
    assert errors == {} and values["fee_receipt"] is None
    _, errors = check_notice_of_appeal({"fee": "not_required"}, Party.RESPONDENT)
    assert "Only DHS" in errors["fee"]


def _filed() -> Appeal:
    return Appeal(
        id="6f1c2b1e-6d0e-4c4e-9a57-1d2c3e4f5a6b",
        case_id="6f1c2b1e-6d0e-4c4e-9a57-1d2c3e4f5a6c",
        filer_id="6f1c2b1e-6d0e-4c4e-9a57-1d2c3e4f5a6d",
        appellant=Party.RESPONDENT,
        decision_date=date(2026, 10, 6),
        reasons="The judge erred in the adverse credibility finding; see the brief to follow.",
        fee="waiver_requested",
        proof_of_service=True,
        signed_by_name="/s/ L. Mendez",
        received_at=_board(date(2026, 10, 20), time(9, 0)),
    )


def test_intake_rejects_only_with_a_catalogued_reason_and_docketing_orders_the_transcript() -> None:
    filed = _filed()
    assert check_appeal_change(None, filed) is None
    review = {"reviewed_by": filed.filer_id, "reviewed_at": filed.received_at}
    rejected = filed.model_copy(
        update={"status": AppealStatus.REJECTED, "rejection_code": "because", **review}
    )
    assert "catalogue" in (check_appeal_change(filed, rejected) or "")
    assert set(rejection_reasons()) >= {
        "no_fee",
        "wrong_form",
        "missing_signature",
        "no_proof_of_service",
    }
    ok = rejected.model_copy(update={"rejection_code": "no_fee"})
    assert check_appeal_change(filed, ok) is None
    docketed = filed.model_copy(
        update={"status": AppealStatus.DOCKETED, "docketed_on": date(2026, 10, 21), **review}
    )
    assert "transcript" in (check_appeal_change(filed, docketed) or "")
    docketed = docketed.model_copy(update={"transcript_status": TranscriptStatus.ORDERED})
    assert check_appeal_change(filed, docketed) is None
    assert "already" in (check_appeal_change(docketed, ok) or "")
    ready = docketed.model_copy(update={"transcript_status": TranscriptStatus.READY})
    assert "document" in (check_appeal_change(docketed, ready) or "")
    late_edit = filed.model_copy(update={"late": True})
    assert "not changed after filing" in (check_appeal_change(filed, late_edit) or "")
