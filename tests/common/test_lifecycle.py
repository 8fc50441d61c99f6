import pytest

from common.enums import CaseStatus as S
from common.lifecycle import (
    INITIAL_STATUS,
    TRANSITIONS,
    TransitionError,
    allowed_events,
    apply_event,
    check_status_change,
    events_between,
    grants_change_of_venue,
)
from common.lifecycle import (
    CaseEvent as E,
)


@pytest.mark.parametrize(
    ("status", "event", "result"),
    [
        (S.OPENED, E.CALENDAR, S.PENDING),
        (S.PENDING, E.DECIDE, S.DECIDED),
        (S.REOPENED, E.DECIDE, S.DECIDED),
        (S.DECIDED, E.APPEAL, S.APPEALED),
        (S.APPEALED, E.APPEAL_DECIDED, S.DECIDED),
        (S.APPEALED, E.REMAND, S.PENDING),
        (S.APPEALED, E.CLOSE, S.CLOSED),
        (S.DECIDED, E.CLOSE, S.CLOSED),
        (S.DECIDED, E.REOPEN, S.REOPENED),
        (S.CLOSED, E.REOPEN, S.REOPENED),
        (S.PENDING, E.ADMINISTRATIVELY_CLOSE, S.ADMIN_CLOSED),
        (S.REOPENED, E.ADMINISTRATIVELY_CLOSE, S.ADMIN_CLOSED),
        (S.ADMIN_CLOSED, E.RECALENDAR, S.PENDING),
        (S.OPENED, E.CHANGE_VENUE, S.PENDING),
        (S.PENDING, E.CHANGE_VENUE, S.PENDING),
        (S.REOPENED, E.CHANGE_VENUE, S.PENDING),
        (S.VENUE_CHANGED, E.CALENDAR, S.PENDING),
        (S.REOPENED, E.CALENDAR, S.PENDING),
    ],
)
def test_allowed_transitions(status: S, event: E, result: S) -> None:
    assert apply_event(status, event) is result


def test_refusal_names_the_allowed_events() -> None:
    with pytest.raises(TransitionError) as caught:
        apply_event(S.CLOSED, E.APPEAL)
    assert str(caught.value) == "a case that is closed cannot be appealed; allowed events: reopen"


def test_recalendar_not_reopen_for_administrative_closure() -> None:
    with pytest.raises(TransitionError, match="administratively closed cannot be reopened"):
        apply_event(S.ADMIN_CLOSED, E.REOPEN)
    assert allowed_events(S.ADMIN_CLOSED) == (E.RECALENDAR,)


def test_a_case_is_opened_only_once() -> None:
    for status in S:
        with pytest.raises(TransitionError, match="cannot be opened again"):
            apply_event(status, E.OPEN)


def test_appeal_decision_outcome() -> None:
    assert apply_event(S.APPEALED, E.APPEAL_DECIDED, outcome=S.CLOSED) is S.CLOSED
    with pytest.raises(TransitionError, match="leads to decided or closed, not pending"):
        apply_event(S.APPEALED, E.APPEAL_DECIDED, outcome=S.PENDING)
    assert apply_event(S.PENDING, E.DECIDE, outcome=S.DECIDED) is S.DECIDED


def test_transition_error_is_a_value_error() -> None:
    assert issubclass(TransitionError, ValueError)


def test_allowed_events() -> None:
    assert allowed_events(S.OPENED) == (E.CALENDAR, E.CHANGE_VENUE)
    assert allowed_events(S.DECIDED) == (E.APPEAL, E.REOPEN, E.CLOSE)
    assert allowed_events(S.APPEALED) == (E.APPEAL_DECIDED, E.REMAND, E.CLOSE)
    assert set(allowed_events(S.PENDING)) == {
        E.DECIDE,
        E.ADMINISTRATIVELY_CLOSE,
        E.CHANGE_VENUE,
    }


def test_every_status_has_a_way_out() -> None:
    for status in S:
        assert allowed_events(status), status


def test_check_status_change_accepts_single_steps_and_no_change() -> None:
    check_status_change(S.PENDING, S.PENDING)
    check_status_change(S.CLOSED, S.CLOSED)
    check_status_change(S.PENDING, S.DECIDED)
    check_status_change(S.ADMIN_CLOSED, S.PENDING)
    check_status_change(S.APPEALED, S.CLOSED)
    check_status_change(None, INITIAL_STATUS)


def test_check_status_change_refuses_jumps() -> None:
    with pytest.raises(TransitionError) as caught:
        check_status_change(S.CLOSED, S.PENDING)
    assert str(caught.value) == (
        "a case cannot go from closed to pending in one step; allowed events: reopen"
    )
    with pytest.raises(TransitionError):
        check_status_change(S.OPENED, S.DECIDED)
    with pytest.raises(TransitionError):
        check_status_change(S.PENDING, S.VENUE_CHANGED)


def test_new_case_must_start_opened() -> None:
    with pytest.raises(TransitionError, match="a new case starts as opened"):
        check_status_change(None, S.DECIDED)


def test_events_between() -> None:
    assert events_between(S.APPEALED, S.CLOSED) == (E.APPEAL_DECIDED, E.CLOSE)
    assert events_between(S.PENDING, S.PENDING) == (E.CHANGE_VENUE,)
    assert events_between(S.CLOSED, S.PENDING) == ()


def test_table_covers_every_event_and_only_known_statuses() -> None:
    assert set(TRANSITIONS) == set(E)
    for rule in TRANSITIONS.values():
        assert rule.targets
        assert rule.sources <= set(S)


def test_a_decision_entered_in_absentia_cannot_be_appealed_only_reopened() -> None:
    # INA 240(b)(5)(C); Matter of Guzman-Arguera, 22 I&N Dec. 722 (BIA 1999): the Board has
    # no jurisdiction over a direct appeal of an in-absentia order; 8 CFR 1003.23(b)(4)(ii):
    # the remedy is a motion to reopen before the immigration judge.
    with pytest.raises(TransitionError, match="no appeal lies from a decision entered in absentia"):
        check_status_change(S.DECIDED, S.APPEALED, in_absentia=True)
    with pytest.raises(TransitionError, match="allowed events: reopen, close"):
        apply_event(S.DECIDED, E.APPEAL, in_absentia=True)
    assert E.APPEAL not in allowed_events(S.DECIDED, in_absentia=True)
    check_status_change(S.DECIDED, S.REOPENED, in_absentia=True)
    check_status_change(S.DECIDED, S.APPEALED)  # a decision after a hearing is appealable


VENUE = {
    "motion": "change_of_venue",
    "movant": "respondent",
    "ruling": "granted",
    "new_court": "New York - Broadway Immigration Court",
}
NYB = {"court_code": "NYB", "court_name": "New York - Broadway Immigration Court"}


@pytest.mark.parametrize(
    ("changes", "grants"),
    [
        ({}, True),
        ({"movant": "dhs"}, True),
        ({"new_court": "the New York Broadway immigration court (NYB)"}, True),
        # 8 CFR 1003.20(b): "only upon motion by one of the parties".
        ({"movant": "court"}, False),
        ({"ruling": "denied"}, False),
        ({"motion": "continuance"}, False),
        ({"new_court": "Houston Immigration Court"}, False),
        ({"new_court": ""}, False),
    ],
)
def test_venue_changes_only_on_a_partys_motion_granted_for_that_court(
    changes: dict[str, str], grants: bool
) -> None:
    assert grants_change_of_venue(VENUE | changes, **NYB) is grants
