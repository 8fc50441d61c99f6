"""The case's life as the mutation run of common/lifecycle.py showed it unchecked: the
refusals' whole sentences (what a clerk reads), a decision on a case not yet calendared,
and a change of venue granted to a court named by its code only (8 CFR 1003.20(b))."""

from __future__ import annotations

import pytest

from common.enums import CaseStatus, CompletionType
from common.lifecycle import (
    TransitionError,
    check_status_change,
    grants_change_of_venue,
    status_after_decision,
)

S = CaseStatus


def test_a_decided_in_absentia_case_lists_what_it_may_do_without_the_appeal() -> None:
    with pytest.raises(TransitionError) as refused:
        check_status_change(S.DECIDED, S.PENDING, in_absentia=True)
    assert str(refused.value) == (
        "a case cannot go from decided to pending in one step; allowed events: reopen, close"
    )


def test_a_case_not_yet_calendared_is_not_decided() -> None:
    with pytest.raises(TransitionError) as refused:
        status_after_decision(S.OPENED, CompletionType.REMOVAL_ORDERED)
    assert str(refused.value) == (
        "a case that is opened cannot be decided; allowed events: calendar, change_venue"
    )


@pytest.mark.parametrize(
    ("status", "spoken"), [(S.DECIDED, "decided"), (S.APPEALED, "appealed"), (S.CLOSED, "closed")]
)
def test_a_second_decision_is_refused_naming_the_case_s_status(
    status: CaseStatus, spoken: str
) -> None:
    with pytest.raises(TransitionError) as refused:
        status_after_decision(status, CompletionType.TERMINATED)
    assert str(refused.value) == (
        f"the case is already {spoken}: a new decision needs the case reopened (8 CFR 1003.23) "
        "or remanded by the Board first"
    )


def test_a_venue_order_naming_the_new_court_by_its_code_grants_it() -> None:
    fields = {
        "motion": "change_of_venue",
        "movant": "respondent",
        "ruling": "granted",
        "new_court": "SFR",
    }
    for code in ("SFR", "sfr"):
        assert grants_change_of_venue(
            fields, court_code=code, court_name="San Francisco Immigration Court"
        )
    assert not grants_change_of_venue(
        fields, court_code="LOS", court_name="Los Angeles Immigration Court"
    )
