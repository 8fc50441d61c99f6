"""``common.appeals`` asserted exactly: each refusal's whole message, the notice of appeal's
values and errors, the rejection catalogue, the parties' sides, and the Board's calendar for a
detained appeal (8 CFR 1003.38, 1003.3; BIA Practice Manual 3.1, 4.7). Written to kill the
mutants ``scripts/mutation.sh common/appeals.py`` left alive (docs/TESTING.md)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from common import appeals, court_closures
from common.appeals import (
    BOARD_TIMEZONE,
    RejectionReason,
    appeal_due,
    board_facts,
    brief_is_late,
    check_appeal_change,
    check_notice_of_appeal,
    decide_extension,
    expected_due_days,
    file_brief,
    findings,
    form_fields,
    issue_briefing,
    rejection_reasons,
    request_extension,
    schedule_citation,
    side_label,
    side_of,
)
from common.deadlines import Decision, NoAppeal
from common.enums import AppealFee, AppealStatus, BriefExtension, Party, TranscriptStatus
from common.resources import RESOURCES_ENV_VAR, resources_dir
from common.wire import Appeal
from tests.common.test_appeal_deadline import _filed
from tests.common.test_briefing_schedule import ready_appeal

BOARD = ZoneInfo("America/New_York")
REASONS_40 = "x" * 39 + "y"  # exactly MIN_REASONS characters
DOC = "d0000000-0000-4000-8000-0000000000b1"
CLERK = "b0000000-0000-4000-8000-0000000000c1"


def _board(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=BOARD).astimezone(UTC)


def _clear() -> None:
    appeals._load.cache_clear()
    appeals.briefing_rules.cache_clear()
    court_closures._closures_at.cache_clear()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of resources/ the test may change, read in place of the shipped one."""
    folder = tmp_path / "resources"
    shutil.copytree(resources_dir(), folder)
    monkeypatch.setenv(RESOURCES_ENV_VAR, str(folder))
    _clear()
    yield folder
    monkeypatch.delenv(RESOURCES_ENV_VAR)
    _clear()


def _edit(folder: Path, name: str) -> tuple[Path, dict[str, Any]]:
    path = folder / name
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return path, loaded


def _save(path: Path, content: dict[str, Any]) -> None:
    path.write_text(json.dumps(content), encoding="utf-8")
    _clear()


# Board closures of the detained docket only (the data model allows them: ``dockets``).
DETAINED_CLOSED = (
    date(2026, 11, 5),
    date(2026, 11, 23),
    date(2026, 12, 14),
    date(2026, 12, 15),
)


def _close_detained_days(folder: Path) -> None:
    path, content = _edit(folder, "court_closures.json")
    for day in DETAINED_CLOSED:
        content["closures"].append(
            {
                "id": f"test-bia-detained-{day.isoformat()}",
                "courts": ["BIA"],
                "dockets": ["detained"],
                "kind": "emergency_closure",
                "closed_from": day.isoformat(),
                "closed_to": day.isoformat(),
                "reason": "test: the Board's detained docket closed",
                "announcement": {"by": "EOIR", "title": "test closure"},
            }
        )
    _save(path, content)


# --- the time limit on the Board's calendar -------------------------------------------------


def test_the_boards_own_record_and_the_forms_fields() -> None:
    board = board_facts()
    assert (board["code"], board["city"], board["state"]) == ("BIA", "Falls Church", "VA")
    assert board["timezone"] == BOARD_TIMEZONE == "America/New_York"
    assert [f["name"] for f in form_fields()] == [
        "decision_date",
        "reasons",
        "separate_brief",
        "oral_argument",
        "detained",
        "fee",
        "proof_of_service",
        "signed_by_name",
        "eoir27",
    ]


def test_a_detained_appeal_counts_on_the_detained_dockets_calendar(data: Path) -> None:
    _close_detained_days(data)
    decision = Decision(decided_on=date(2026, 10, 6))  # oral: day 30 is Thu 5 Nov 2026
    assert appeal_due(decision).due == date(2026, 11, 5)
    assert appeal_due(decision, detained=False).due == date(2026, 11, 5)
    assert appeal_due(decision, detained=True).due == date(2026, 11, 6)
    friday = _board(date(2026, 11, 6), time(10))
    assert findings(decision, friday, Party.RESPONDENT).late
    detained = findings(decision, friday, Party.RESPONDENT, detained=True)
    assert not detained.late
    assert detained.due is not None and detained.due.due == date(2026, 11, 6)


def test_the_2012_board_closure_makes_an_appeal_timely_through_11_july() -> None:
    # Day 30 of a decision of 4 June 2012 is 4 July (a holiday), then Thursday 5 July: a
    # filing due that week was timely if received by 11 July 2012 (the Board's closure).
    due = appeal_due(Decision(decided_on=date(2012, 6, 4)))
    assert due.due == date(2012, 7, 11)


def test_no_appeal_from_an_in_absentia_order() -> None:
    with pytest.raises(NoAppeal):
        appeal_due(Decision(decided_on=date(2026, 10, 6), in_absentia=True))


def test_findings_without_a_decision_and_a_dhs_waiver() -> None:
    received = _board(date(2026, 10, 20), time(9))
    none = findings(None, received, Party.DHS)
    assert (none.due, none.late, none.waived, none.flags) == (None, False, False, ())
    dhs = findings(None, received, Party.DHS, {"appeal_dhs": "waived"})
    assert dhs.waived and dhs.flags == ("appeal waived before the immigration judge",)
    assert not findings(None, received, Party.RESPONDENT, {"appeal_dhs": "waived"}).waived


# --- the rejection catalogue ----------------------------------------------------------------


def test_the_rejection_catalogue_with_its_sources() -> None:
    assert rejection_reasons() == {
        "no_fee": RejectionReason(
            "no_fee",
            "No fee receipt and no fee waiver request (Form EOIR-26A)",
            "8 CFR 1003.3(a)(1), 1003.8; BIA PM 3.1; BIA PM 3.4 (Filing fees) (read 2026-12-06)",
        ),
        "wrong_form": RejectionReason(
            "wrong_form",
            "Wrong form: an appeal of an immigration judge's decision is filed on Form EOIR-26",
            "BIA PM 4.4(b); Form EOIR-26 instructions A (read 2026-12-06)",
        ),
        "missing_signature": RejectionReason(
            "missing_signature",
            "The notice of appeal is not signed",
            "BIA PM 3.1; Form EOIR-26 instructions C (read 2026-12-06)",
        ),
        "no_proof_of_service": RejectionReason(
            "no_proof_of_service",
            "No proof of service on the opposing party",
            "8 CFR 1003.3(a)(1); BIA PM 3.1; BIA PM 3.2 (Service on the opposing party) "
            "(read 2026-12-06)",
        ),
        "no_appearance": RejectionReason(
            "no_appearance",
            rejection_reasons()["no_appearance"].label,
            "8 CFR 1003.38(g), 1292.4(a); BIA PM 2.1(b) (read 2026-12-06)",
        ),
    }
    assert rejection_reasons()["no_appearance"].label.strip() != ""


def test_a_reason_without_its_source_or_document_still_reads(data: Path) -> None:
    path, content = _edit(data, "appeal_rejections.json")
    content["reasons"] = [
        {"code": "a", "label": "A"},
        {"code": "b", "label": "B", "source": {"read_on": "2026-12-06"}},
    ]
    _save(path, content)
    assert rejection_reasons() == {
        "a": RejectionReason("a", "A", " (read None)"),
        "b": RejectionReason("b", "B", " (read 2026-12-06)"),
    }


# --- the form -------------------------------------------------------------------------------

EMPTY_ERRORS = {
    "decision_date": "Give the date of the decision (YYYY-MM-DD).",
    "reasons": (
        "State the reasons for the appeal with specificity: which findings of fact or "
        "conclusions of law are wrong, and why (8 CFR 1003.3(b))."
    ),
    "proof_of_service": "Serve the notice of appeal on the other party and say so.",
    "fee": "Give the fee receipt number or request a fee waiver (Form EOIR-26A).",
    "signed_by_name": "Sign the notice of appeal (type your full name).",
}


def test_an_empty_form_gets_every_error_in_full_and_empty_values() -> None:
    values, errors = check_notice_of_appeal({}, Party.RESPONDENT)
    assert errors == EMPTY_ERRORS
    assert values == {
        "reasons": "",
        "separate_brief": False,
        "oral_argument": False,
        "detained": False,
        "proof_of_service": False,
        "fee": None,
        "fee_receipt": None,
        "signed_by_name": "",
    }


def _form(**over: object) -> dict[str, object]:
    form: dict[str, object] = {
        "decision_date": " 2026-10-06 ",
        "reasons": REASONS_40,
        "fee": "paid",
        "fee_receipt": " R-123 ",
        "proof_of_service": "yes",
        "signed_by_name": " /s/ Laura Mendez ",
    }
    form.update(over)
    return form


def test_a_paid_notice_of_appeal_with_exactly_40_characters_of_reasons() -> None:
    values, errors = check_notice_of_appeal(_form(), Party.RESPONDENT)
    assert errors == {}
    assert values == {
        "decision_date": date(2026, 10, 6),
        "reasons": REASONS_40,
        "separate_brief": False,
        "oral_argument": False,
        "detained": False,
        "proof_of_service": True,
        "fee": AppealFee.PAID,
        "fee_receipt": "R-123",
        "signed_by_name": "/s/ Laura Mendez",
    }
    _, errors = check_notice_of_appeal(_form(reasons=REASONS_40[:39]), Party.RESPONDENT)
    assert errors == {"reasons": EMPTY_ERRORS["reasons"]}


def test_a_paid_fee_needs_its_receipt() -> None:
    for missing in ({"fee_receipt": ""}, {"fee_receipt": None}, {"fee_receipt": "  "}):
        values, errors = check_notice_of_appeal(_form(**missing), Party.RESPONDENT)
        assert errors == {"fee_receipt": "Give the receipt number of the fee paid."}
        assert values["fee_receipt"] == ""
    form = _form()
    del form["fee_receipt"]
    _, errors = check_notice_of_appeal(form, Party.RESPONDENT)
    assert errors == {"fee_receipt": "Give the receipt number of the fee paid."}


def test_only_dhs_files_without_a_fee() -> None:
    values, errors = check_notice_of_appeal(_form(fee="not_required"), Party.RESPONDENT)
    assert errors == {"fee": "Only DHS files without a fee; pay it or request a waiver (EOIR-26A)."}
    values, errors = check_notice_of_appeal(_form(fee="not_required"), Party.DHS)
    assert errors == {}
    assert values["fee"] is AppealFee.NOT_REQUIRED and values["fee_receipt"] is None


@pytest.mark.parametrize("yes", [True, "yes", "on", "true", "1"])
def test_the_forms_boxes_read_checked(yes: object) -> None:
    form = _form(separate_brief=yes, oral_argument=yes, detained=yes, proof_of_service=yes)
    values, errors = check_notice_of_appeal(form, Party.RESPONDENT)
    assert errors == {}
    assert [values[k] for k in ("separate_brief", "oral_argument", "detained")] == [True] * 3


@pytest.mark.parametrize("no", [False, "no", "off", "ON", "TRUE", "0", "", None])
def test_the_forms_boxes_read_unchecked(no: object) -> None:
    form = _form(separate_brief=no, oral_argument=no, detained=no, proof_of_service=no)
    values, errors = check_notice_of_appeal(form, Party.RESPONDENT)
    assert errors == {"proof_of_service": EMPTY_ERRORS["proof_of_service"]}
    assert [values[k] for k in ("separate_brief", "oral_argument", "detained")] == [False] * 3


def test_long_fields_are_cut_to_their_limits() -> None:
    values, _ = check_notice_of_appeal(
        _form(reasons="r" * 20_001, fee_receipt="n" * 41, signed_by_name="s" * 201),
        Party.RESPONDENT,
    )
    assert values["reasons"] == "r" * 20_000
    assert values["fee_receipt"] == "n" * 40
    assert values["signed_by_name"] == "s" * 200


# --- a new notice of appeal -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("update", "message"),
    [
        (
            {"status": AppealStatus.DOCKETED},
            "a notice of appeal is filed first; the Board clerk rejects or dockets it",
        ),
        ({"reviewed_by": CLERK}, "a new notice of appeal has no intake review yet"),
        (
            {"reviewed_at": _board(date(2026, 10, 21), time(9))},
            "a new notice of appeal has no intake review yet",
        ),
        ({"docketed_on": date(2026, 10, 21)}, "a new notice of appeal has no intake review yet"),
        ({"rejection_code": "no_fee"}, "a new notice of appeal has no intake review yet"),
        (
            {"transcript_status": TranscriptStatus.ORDERED},
            "the transcript is ordered when the appeal is docketed",
        ),
        ({"transcript_document_id": DOC}, "the transcript is ordered when the appeal is docketed"),
        ({"appellant": Party.COURT}, "the appellant is the respondent or DHS"),
        (
            {"briefing_issued_on": date(2026, 10, 21)},
            "a new notice of appeal has no briefing schedule yet",
        ),
        (
            {"reasons": REASONS_40[:39]},
            "state the reasons for the appeal with specificity (8 CFR 1003.3(b))",
        ),
        ({"fee": AppealFee.PAID, "fee_receipt": None}, "a paid fee needs its receipt number"),
        (
            {"fee": AppealFee.NOT_REQUIRED},
            "only DHS files without a fee; give a receipt or request a waiver (EOIR-26A)",
        ),
    ],
)
def test_a_new_notice_of_appeal_is_refused_in_full(update: dict[str, object], message: str) -> None:
    assert check_appeal_change(None, _filed().model_copy(update=update)) == message


def test_a_new_notice_of_appeal_accepted_at_the_edges() -> None:
    filed = _filed()
    for update in (
        {"reasons": REASONS_40},
        {"fee": AppealFee.PAID, "fee_receipt": "R-1"},
        {"fee": AppealFee.NOT_REQUIRED, "appellant": Party.DHS},
    ):
        assert check_appeal_change(None, filed.model_copy(update=update)) is None


# --- the record's course --------------------------------------------------------------------


def _review(**update: object) -> dict[str, object]:
    filed = _filed()
    return {"reviewed_by": CLERK, "reviewed_at": filed.received_at, **update}


def _docketed() -> Appeal:
    return _filed().model_copy(
        update=_review(
            status=AppealStatus.DOCKETED,
            docketed_on=date(2026, 10, 21),
            transcript_status=TranscriptStatus.ORDERED,
        )
    )


def test_an_unchanged_appeal_passes() -> None:
    assert check_appeal_change(_filed(), _filed()) is None
    assert check_appeal_change(_docketed(), _docketed()) is None


@pytest.mark.parametrize(
    ("old", "update", "issued", "message"),
    [
        (
            "decided",
            {"status": AppealStatus.DOCKETED},
            False,
            "the Board decided the appeal: it no longer changes",
        ),
        (
            "docketed",
            {"status": AppealStatus.DECIDED},
            False,
            "an appeal reads decided when the Board's decision issues, not otherwise",
        ),
        ("filed", {"status": AppealStatus.DECIDED}, True, "only a docketed appeal is decided"),
        (
            "docketed",
            {"status": AppealStatus.DECIDED, "transcript_status": TranscriptStatus.READY},
            True,
            "deciding the appeal changes its status alone",
        ),
        (
            "docketed",
            {"transcript_status": TranscriptStatus.READY, "transcript_document_id": DOC},
            True,
            "the Board's decision makes a docketed appeal decided, nothing else",
        ),
        (
            "filed",
            {"late": True, "reasons": REASONS_40 + " more"},
            False,
            "a notice of appeal is not changed after filing: late, reasons",
        ),
        (
            "filed",
            {
                "appellant_extension": BriefExtension.REQUESTED,
                "rejection_note": "n",
                "status": AppealStatus.REJECTED,
            },
            False,
            "briefing changes only the briefing: rejection_note, status",
        ),
        (
            "filed",
            {"status": AppealStatus.REJECTED, "reviewed_by": CLERK, "rejection_code": "no_fee"},
            False,
            "intake names its reviewer and time",
        ),
        (
            "filed",
            _review(status=AppealStatus.REJECTED, rejection_code="late"),
            False,
            "a rejected appeal needs a reason from the catalogue (BIA PM 3.1)",
        ),
        (
            "filed",
            _review(
                status=AppealStatus.REJECTED,
                rejection_code="no_fee",
                docketed_on=date(2026, 10, 21),
            ),
            False,
            "a rejected appeal is not docketed",
        ),
        (
            "filed",
            _review(status=AppealStatus.DOCKETED, transcript_status=TranscriptStatus.ORDERED),
            False,
            "a docketed appeal has its docketing date (the Board's day)",
        ),
        (
            "filed",
            _review(
                status=AppealStatus.DOCKETED,
                docketed_on=date(2026, 10, 21),
                rejection_code="no_fee",
                transcript_status=TranscriptStatus.ORDERED,
            ),
            False,
            "a docketed appeal has no rejection reason",
        ),
        (
            "filed",
            _review(status=AppealStatus.DOCKETED, docketed_on=date(2026, 10, 21)),
            False,
            "docketing orders the transcript",
        ),
        ("filed", _review(), False, "intake rejects or dockets the appeal"),
        ("docketed", {"rejection_note": "n"}, False, "the appeal was already docketed"),
        (
            "filed",
            {"transcript_status": TranscriptStatus.ORDERED},
            False,
            "the transcript is prepared for a docketed appeal",
        ),
        (
            "docketed",
            {"transcript_status": TranscriptStatus.READY},
            False,
            "a ready transcript names its document in the record",
        ),
        (
            "docketed",
            {"transcript_document_id": DOC},
            False,
            "the transcript goes from ordered to ready",
        ),
        (
            "ready",
            {"transcript_document_id": DOC},
            False,
            "the transcript goes from ordered to ready",
        ),
    ],
)
def test_each_refusal_in_the_course_of_an_appeal_in_full(
    old: str, update: dict[str, object], issued: bool, message: str
) -> None:
    before = {
        "filed": _filed(),
        "docketed": _docketed(),
        "decided": _docketed().model_copy(update={"status": AppealStatus.DECIDED}),
        "ready": _docketed().model_copy(
            update={
                "transcript_status": TranscriptStatus.READY,
                "transcript_document_id": "d0000000-0000-4000-8000-0000000000b2",
            }
        ),
    }[old]
    after = before.model_copy(update=update)
    assert check_appeal_change(before, after, board_decision_issued=issued) == message


def test_the_transcript_ordered_then_ready_with_its_document() -> None:
    ready = _docketed().model_copy(
        update={"transcript_status": TranscriptStatus.READY, "transcript_document_id": DOC}
    )
    assert check_appeal_change(_docketed(), ready) is None


# --- briefing -------------------------------------------------------------------------------


def test_the_parties_sides_and_their_labels() -> None:
    respondents = ready_appeal()
    assert side_of(respondents, Party.RESPONDENT) == "appellant"
    assert side_of(respondents, Party.DHS) == "appellee"
    assert side_label(respondents, "appellant") == "Respondent (appellant)"
    assert side_label(respondents, "appellee") == "DHS (appellee)"
    dhs = respondents.model_copy(update={"appellant": Party.DHS})
    assert side_of(dhs, Party.DHS) == "appellant"
    assert side_of(dhs, Party.RESPONDENT) == "appellee"
    assert side_label(dhs, "appellant") == "DHS (appellant)"
    assert side_label(dhs, "appellee") == "Respondent (appellee)"


def test_the_schedules_citation_by_docket() -> None:
    assert schedule_citation(ready_appeal()) == (
        "8 CFR 1003.3(c)(1); BIA Practice Manual Chapter 4.7(a) (non-detained: consecutive "
        "briefing) (read 2026-12-07)"
    )
    assert schedule_citation(ready_appeal(detained=True)) == (
        "8 CFR 1003.3(c)(1); BIA Practice Manual Chapter 4.7(b) (detained: simultaneous "
        "briefing) (read 2026-12-07)"
    )


def test_due_days_roll_on_their_own_dockets_calendar(data: Path) -> None:
    _close_detained_days(data)
    issued_on = date(2026, 11, 2)  # day 21: Mon 23 Nov 2026, closed for the detained docket
    free = issue_briefing(ready_appeal(), issued_on)
    assert (free.appellant_brief_due, free.appellee_brief_due) == (
        date(2026, 11, 23),
        date(2026, 12, 14),
    )
    held = issue_briefing(ready_appeal(detained=True), issued_on)
    assert held.appellant_brief_due == held.appellee_brief_due == date(2026, 11, 24)
    asked = request_extension(held, "appellant", _board(date(2026, 11, 20), time(9)))
    granted = decide_extension(asked, "appellant", grant=True, decided_on=date(2026, 11, 23))
    # 24 Nov + 21 = Tue 15 Dec, closed for the detained docket: Wed 16 Dec.
    assert (granted.appellant_brief_due, granted.appellee_brief_due) == (
        date(2026, 12, 16),
        date(2026, 11, 24),
    )


def test_an_appellee_who_does_not_follow_the_appellants_extension(data: Path) -> None:
    _close_detained_days(data)
    path, content = _edit(data, "briefing_rules.json")
    content["extension"]["appellee_follows_appellant"] = False
    _save(path, content)
    issued = issue_briefing(ready_appeal(), date(2026, 11, 2))
    asked = request_extension(issued, "appellant", _board(date(2026, 11, 20), time(9)))
    granted = decide_extension(asked, "appellant", grant=True, decided_on=date(2026, 11, 23))
    # The appellant's 23 Nov + 21 = 14 Dec; the appellee's day stays 21 days after 23 Nov.
    assert expected_due_days(granted) == (date(2026, 12, 14), date(2026, 12, 14))
    assert check_appeal_change(asked, granted) is None


def test_no_schedule_no_due_day_and_a_brief_is_not_late() -> None:
    appeal = ready_appeal()
    assert expected_due_days(appeal) == (None, None)
    assert brief_is_late(appeal, "appellant", _board(date(2030, 1, 1), time(9))) is False


def _issued() -> Appeal:
    return issue_briefing(ready_appeal(), date(2026, 12, 6))  # due 28 Dec 2026, 19 Jan 2027


def _asked() -> Appeal:
    return request_extension(_issued(), "appellant", _board(date(2026, 12, 20), time(9)))


@pytest.mark.parametrize(
    ("old", "update", "message"),
    [
        (
            "ready",
            {
                "briefing_issued_on": date(2026, 12, 6),
                "appellant_extension": BriefExtension.REQUESTED,
            },
            "the briefing schedule issues on its own",
        ),
        (
            "issued",
            {"briefing_issued_on": date(2026, 12, 7)},
            "the briefing schedule has already issued",
        ),
        (
            "ordered",
            {"briefing_issued_on": date(2026, 12, 6)},
            "the briefing schedule issues when the transcript of a docketed appeal is ready",
        ),
        (
            "ready",
            {"briefing_issued_on": date(2026, 12, 6)},
            "the briefing due days are 2026-12-28 and 2027-01-19 by the schedule and its "
            "extensions",
        ),
        (
            "ready",
            {
                "appellant_extension": BriefExtension.REQUESTED,
                "appellant_extension_requested_at": _board(date(2026, 12, 7), time(9)),
            },
            "no briefing schedule has issued in this appeal",
        ),
        (
            "issued",
            {
                "appellant_extension": BriefExtension.REQUESTED,
                "appellee_extension": BriefExtension.REQUESTED,
            },
            "one briefing step at a time: a request, a decision on it, or a brief",
        ),
        (
            "issued",
            {"appellant_extension": BriefExtension.REQUESTED},
            "an extension request is requested, with the time the Board received it",
        ),
        (
            "issued",
            {"appellant_extension_requested_at": _board(date(2026, 12, 7), time(9))},
            "an extension request is requested, with the time the Board received it",
        ),
        (
            "issued",
            {
                "appellant_extension": BriefExtension.REQUESTED,
                "appellant_extension_decided_on": date(2026, 12, 7),
            },
            "the appellant has no extension request waiting for a decision",
        ),
        (
            "asked",
            {"appellant_extension": BriefExtension.GRANTED},
            "a decision on an extension request has its day (the Board's)",
        ),
        (
            "asked",
            {"appellant_extension": BriefExtension.NONE},
            "the Board clerk grants or denies the extension request",
        ),
        (
            "asked",
            {
                "appellant_extension": BriefExtension.GRANTED,
                "appellant_extension_decided_on": date(2026, 12, 21),
            },
            "the briefing due days are 2027-01-19 and 2027-02-09 by the schedule and its "
            "extensions",
        ),
        (
            "granted",
            {
                "appellant_extension": BriefExtension.REQUESTED,
                "appellant_extension_requested_at": _board(date(2026, 12, 22), time(9)),
            },
            "one extension request per party (BIA Practice Manual 4.7(c)): the appellant has "
            "already asked",
        ),
        (
            "issued",
            {
                "appellant_extension": BriefExtension.REQUESTED,
                "appellant_extension_requested_at": _board(date(2026, 12, 29), time(0, 0, 1)),
            },
            "an extension request must reach the Board by the brief's due day (2026-12-28, BIA "
            "Practice Manual 4.7(c))",
        ),
        (
            "issued",
            {"appellant_brief_document_id": DOC},
            "a brief names its document and the time the Board received it",
        ),
        (
            "issued",
            {"appellant_brief_received_at": _board(date(2026, 12, 20), time(9))},
            "a brief names its document and the time the Board received it",
        ),
        (
            "issued",
            {
                "appellant_brief_document_id": DOC,
                "appellant_brief_received_at": _board(date(2026, 12, 29), time(9)),
            },
            "a brief received after its due day ended in Board time is flagged late",
        ),
        (
            "briefed",
            {
                "appellee_extension": BriefExtension.REQUESTED,
                "appellee_extension_requested_at": _board(date(2026, 12, 22), time(9)),
            },
            "the appellee's brief is already filed",
        ),
    ],
)
def test_each_briefing_step_refused_in_full(
    old: str, update: dict[str, object], message: str
) -> None:
    ordered = ready_appeal().model_copy(
        update={"transcript_status": TranscriptStatus.ORDERED, "transcript_document_id": None}
    )
    makers: dict[str, Callable[[], Appeal]] = {
        "ready": lambda: ready_appeal(),
        "ordered": lambda: ordered,
        "issued": _issued,
        "asked": _asked,
        "granted": lambda: decide_extension(
            _asked(), "appellant", grant=True, decided_on=date(2026, 12, 21)
        ),
        "briefed": lambda: file_brief(
            _issued(), "appellee", DOC, _board(date(2026, 12, 21), time(9))
        ),
    }
    before = makers[old]()
    assert check_appeal_change(before, before.model_copy(update=update)) == message


def test_an_extension_request_on_the_due_day_at_2359_board_time_is_in_time() -> None:
    issued = _issued()
    on_time = request_extension(issued, "appellant", _board(date(2026, 12, 28), time(23, 59, 59)))
    assert check_appeal_change(issued, on_time) is None
    brief = file_brief(issued, "appellee", DOC, _board(date(2026, 12, 21), time(9)))
    theirs = request_extension(brief, "appellant", _board(date(2026, 12, 22), time(9)))
    assert check_appeal_change(brief, theirs) is None  # the appellee's brief doesn't bar it
