"""The pure rules of motions (common/motions.py), each test citing the rule it checks: the
response due (ICPM 3.1(b), 5.12: 10 days, moved off weekends), the time and number limits
of motions to reopen and reconsider (8 CFR 1003.23(b)(1): one each, 90 and 30 days from the
final order; (b)(4)(ii): in absentia, 180 days or any time for lack of notice), and the
checks on a ruling."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from common.deadlines import Decision
from common.enums import MotionRuling, MotionStatus, MotionType, Movant, OtherPartyPosition
from common.motions import (
    catalogue,
    check_motion,
    motion_limits,
    order_fields,
    order_template_for,
    response_due,
)
from common.orders import check_order, template_for
from common.wire import Motion

FINAL = date(2026, 6, 1)  # a Monday
CASE = str(uuid.uuid5(uuid.NAMESPACE_URL, "case"))


def _motion(kind: MotionType, filed_on: date, **changes: object) -> Motion:
    return Motion.model_validate(
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind.value}/{filed_on}")),
            "case_id": CASE,
            "motion_type": kind,
            "movant": Movant.RESPONDENT,
            "filed_on": filed_on,
            "filer_id": CASE,
            **changes,
        }
    )


def _stamped(motion: Motion, ruling: MotionRuling, **changes: object) -> Motion:
    return motion.model_copy(
        update={
            "status": catalogue().ruling_status(ruling),
            "ruling": ruling,
            "ruled_on": motion.filed_on,
            "ruled_by": CASE,
            "order_id": CASE,
            **changes,
        }
    )


def test_the_catalogue_cites_a_source_for_every_type_ruling_and_exception() -> None:
    cat = catalogue()
    assert set(cat.types) == {t.value for t in MotionType}
    for entry in (*cat.types.values(), *cat.rulings.values(), *cat.exceptions.values()):
        assert entry.sources, entry.value


def test_the_response_is_due_ten_days_after_receipt_moved_off_a_weekend() -> None:
    # ICPM 3.1(b): 10 days; received Wed Nov 11, 2026 -> Sat Nov 21 -> Mon Nov 23.
    due = response_due(_motion(MotionType.CONTINUANCE, date(2026, 11, 11)))
    assert due.due == date(2026, 11, 23) and "3.1(b)" in due.citation


def test_a_motion_to_reopen_within_90_days_of_the_final_order_is_timely() -> None:
    # 8 CFR 1003.23(b)(1): 90 days from June 1, 2026 is Aug 30 (a Sunday) -> Aug 31.
    limit = motion_limits(_motion(MotionType.REOPEN, date(2026, 8, 31)), Decision(FINAL))
    assert limit is not None and limit.timely and not limit.barred
    assert limit.deadline is not None and limit.deadline.due == date(2026, 8, 31)
    assert "1003.23(b)(1)" in " ".join(limit.lines)
    offered = {e.value for e in limit.exceptions}
    assert "changed_country_conditions" in offered and "lack_of_notice" not in offered


def test_a_late_motion_to_reconsider_is_barred_unless_an_exception_is_named() -> None:
    # 8 CFR 1003.23(b)(1): 30 days (July 1, 2026); filed July 2.
    motion = _motion(MotionType.RECONSIDER, date(2026, 7, 2))
    limit = motion_limits(motion, Decision(FINAL))
    assert limit is not None and not limit.timely and limit.barred
    refused = check_motion(motion, _stamped(motion, MotionRuling.GRANTED), limits=limit)
    assert refused is not None and "time limit" in refused
    tolled = _stamped(motion, MotionRuling.GRANTED, limit_exception="equitable_tolling")
    assert check_motion(motion, tolled, limits=limit) is None
    # Changed country conditions excuse a motion to reopen, not one to reconsider.
    wrong = _stamped(motion, MotionRuling.GRANTED, limit_exception="changed_country_conditions")
    assert check_motion(motion, wrong, limits=limit) is not None
    assert check_motion(motion, _stamped(motion, MotionRuling.UNTIMELY), limits=limit) is None


def test_a_second_motion_to_reopen_is_beyond_the_one_allowed() -> None:
    # 8 CFR 1003.23(b)(1): "a party may file only one motion to reopen".
    first = _motion(MotionType.REOPEN, date(2026, 6, 10), status=MotionStatus.DENIED)
    second = _motion(MotionType.REOPEN, date(2026, 7, 10))
    limit = motion_limits(second, Decision(FINAL), [first, second])
    assert limit is not None and limit.timely and limit.earlier == 1 and limit.barred
    withdrawn = first.model_copy(update={"status": MotionStatus.WITHDRAWN})
    again = motion_limits(second, Decision(FINAL), [withdrawn, second])
    assert again is not None and not again.barred


def test_reopening_an_in_absentia_order_runs_180_days_or_any_time_for_lack_of_notice() -> None:
    # 8 CFR 1003.23(b)(4)(ii): 180 days from June 1, 2026 is Nov 28 (Saturday) -> Nov 30.
    absentia = Decision(FINAL, in_absentia=True)
    late = _motion(MotionType.REOPEN, date(2026, 12, 10))
    limit = motion_limits(late, absentia)
    assert limit is not None and limit.deadline is not None
    assert limit.deadline.due == date(2026, 11, 30) and not limit.timely
    assert {"lack_of_notice", "in_custody"} <= {e.value for e in limit.exceptions}
    no_notice = _stamped(late, MotionRuling.GRANTED, limit_exception="lack_of_notice")
    assert check_motion(late, no_notice, limits=limit) is None
    # Outside an in-absentia order, lack of notice is no exception to the 90 days.
    regular = motion_limits(late, Decision(FINAL))
    assert check_motion(late, no_notice, limits=regular) is not None


def test_without_a_final_order_the_limits_do_not_run() -> None:
    limit = motion_limits(_motion(MotionType.REOPEN, date(2026, 7, 2)), None)
    assert limit is not None and limit.deadline is None and not limit.barred
    assert motion_limits(_motion(MotionType.CONTINUANCE, date(2026, 7, 2)), None) is None


@pytest.mark.parametrize("status", [MotionStatus.WITHDRAWN, MotionStatus.DENIED])
def test_a_motion_no_longer_pending_is_not_ruled_on(status: MotionStatus) -> None:
    motion = _motion(MotionType.CONTINUANCE, date(2026, 11, 2), status=status)
    refused = check_motion(motion, _stamped(motion, MotionRuling.GRANTED))
    assert refused is not None
    assert ("withdrawn" in refused) is (status is MotionStatus.WITHDRAWN)


def test_dhs_does_not_oppose_only_the_respondents_unopposed_motion() -> None:
    mine = _motion(
        MotionType.TERMINATE, date(2026, 11, 2), other_party_position=OtherPartyPosition.OPPOSES
    )
    assert "opposes" in (check_motion(mine, _stamped(mine, MotionRuling.GRANTED_UNOPPOSED)) or "")
    theirs = _motion(MotionType.TERMINATE, date(2026, 11, 2), movant=Movant.DHS)
    refused = check_motion(theirs, _stamped(theirs, MotionRuling.GRANTED_UNOPPOSED))
    assert refused is not None and "respondent" in refused


def test_a_stamp_must_set_the_status_it_gives_and_name_its_order() -> None:
    motion = _motion(MotionType.TERMINATE, date(2026, 11, 2))
    assert check_motion(motion, _stamped(motion, MotionRuling.MOOT)) is None
    wrong = _stamped(motion, MotionRuling.MOOT, status=MotionStatus.GRANTED)
    assert "moot" in (check_motion(motion, wrong) or "")
    unissued = _stamped(motion, MotionRuling.DENIED, order_id=None)
    assert "order" in (check_motion(motion, unissued) or "")
    assert check_motion(None, _stamped(motion, MotionRuling.DENIED)) is not None


@pytest.mark.parametrize("ruling", list(MotionRuling))
@pytest.mark.parametrize(
    ("kind", "board"),
    [
        (t, forum == "board")
        for forum in ("court", "board")
        for t in MotionType
        if forum in catalogue().forums(t.value) and t is not MotionType.CONTINUANCE
    ],
)
def test_every_stamp_on_every_motion_makes_a_lawful_order(
    kind: MotionType, board: bool, ruling: MotionRuling
) -> None:
    extra = {"new_court": "Los Angeles Immigration Court"}
    granted = ruling in (MotionRuling.GRANTED, MotionRuling.GRANTED_UNOPPOSED)
    motion = _motion(kind, date(2026, 11, 2), description="leave to file late")
    motion = motion.model_copy(update={"before_board": board})
    fields = order_fields(
        motion, ruling, extra=extra if kind is MotionType.CHANGE_OF_VENUE and granted else None
    )
    template = template_for(order_template_for(motion))
    assert check_order(template, fields, template.body) == []


def test_a_paper_motion_entered_and_withdrawn_before_a_sync_arrives_as_one_new_record() -> None:
    # The outbox sends a never-sent record once, with its latest content: a new motion
    # already withdrawn. It is valid; a new motion that arrives already ruled on is not.
    received = date(2026, 11, 2)
    withdrawn = _motion(MotionType.CONTINUANCE, received, status=MotionStatus.WITHDRAWN)
    assert check_motion(None, withdrawn) is None
    granted = _motion(MotionType.CONTINUANCE, received, status=MotionStatus.GRANTED)
    assert check_motion(None, granted) == "a new motion is pending until the judge rules"
