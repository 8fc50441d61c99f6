"""Pleadings and decisions: the date a decision becomes final for each completion type,
counted by the rules (each test names the one it checks), and the checks the server and
the desktop share."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from common.deadlines import Decision, case_decision, deadlines_for_case
from common.decisions import (
    check_decision,
    check_pleading,
    completion_rules,
    effective_status,
    finality,
    order_fields,
    relief_forms,
)
from common.enums import CaseStatus, CompletionType, DecisionForm, Party, Plea
from common.lifecycle import status_after_decision
from common.wire import AllegationPlea, ChargePlea, DecisionRecord, Pleading

CASE = str(uuid.uuid4())
JUDGE = str(uuid.uuid4())
AT = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)
TUESDAY = date(2026, 12, 8)
C = CompletionType


def pleading(**kw: Any) -> Pleading:
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "case_id": CASE,
        "judge_id": JUDGE,
        "pleaded_on": date(2026, 10, 1),
        "allegations": [
            AllegationPlea(number=1, text="Not a citizen of the United States", plea=Plea.ADMITTED)
        ],
        "charges": [ChargePlea(charge="INA 212(a)(6)(A)(i)", plea=Plea.DENIED)],
        "designated_country": "Guatemala",
        "relief_sought": ["asylum", "withholding", "cat_withholding"],
        "recorded_at": AT,
    }
    values.update(kw)
    return Pleading(**values)


def decision(completion: CompletionType, **kw: Any) -> DecisionRecord:
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "case_id": CASE,
        "judge_id": JUDGE,
        "decided_on": TUESDAY,
        "completion": completion,
        "removal_country": "Guatemala" if completion_rules()[completion].orders_removal else None,
        "recorded_at": AT,
    }
    values.update(kw)
    return DecisionRecord(**values)


# --- finality (8 CFR 1241.1; 8 CFR 1003.39; 8 CFR 1003.38(b)) --------------------------------


def test_a_removal_order_the_respondent_waived_is_final_that_day_8_cfr_1241_1_b() -> None:
    d = decision(C.REMOVAL_ORDERED, appeal_waived_by=[Party.RESPONDENT])
    final = finality(d, case_status=CaseStatus.DECIDED)
    assert final.final_on == TUESDAY
    assert "1241.1(b)" in final.citation


def test_reserved_appeal_not_filed_is_final_when_the_30_days_run_out_8_cfr_1241_1_c() -> None:
    d = decision(C.REMOVAL_ORDERED, appeal_reserved_by=[Party.RESPONDENT, Party.DHS])
    final = finality(d, case_status=CaseStatus.DECIDED)
    assert final.final_on == date(2027, 1, 7)  # the 30th day after an oral decision
    assert final.appeal_due == date(2027, 1, 7)
    assert "1241.1(c)" in final.citation and "1003.38(b)" in final.citation
    # Read on screen: the date as the screens give it (common.court_time), not ISO.
    assert "at the end of Thu 7 Jan 2027," in final.reason
    assert "2027-01-07" not in final.reason


def test_the_last_day_to_appeal_on_a_sunday_moves_finality_to_monday_8_cfr_1001_1_h() -> None:
    d = decision(C.TERMINATED, decided_on=date(2026, 12, 4), appeal_reserved_by=[Party.DHS])
    assert finality(d, case_status=CaseStatus.DECIDED).final_on == date(2027, 1, 4)


def test_a_written_decision_runs_from_its_service_8_cfr_1003_38_b() -> None:
    unserved = decision(C.TERMINATED, form=DecisionForm.WRITTEN)
    assert finality(unserved, case_status=CaseStatus.DECIDED).final_on is None
    served = decision(C.TERMINATED, form=DecisionForm.WRITTEN, served_on=date(2026, 12, 10))
    assert finality(served, case_status=CaseStatus.DECIDED).final_on == date(2027, 1, 11)


def test_an_in_absentia_order_is_final_upon_entry_8_cfr_1241_1_e() -> None:
    d = decision(C.IN_ABSENTIA, respondent_present=False)
    final = finality(d, case_status=CaseStatus.DECIDED)
    assert final.final_on == TUESDAY and "1241.1(e)" in final.citation


def test_relief_granted_is_final_at_once_only_when_both_parties_waive_8_cfr_1003_39() -> None:
    p = [pleading()]
    only_respondent = decision(
        C.RELIEF_GRANTED, relief_granted=["asylum"], appeal_waived_by=[Party.RESPONDENT]
    )
    assert check_decision(only_respondent, case_status=CaseStatus.PENDING, pleadings=p) is None
    # DHS may still appeal a grant: final when its time runs out.
    assert finality(only_respondent, case_status=CaseStatus.DECIDED).final_on == date(2027, 1, 7)
    both = decision(
        C.RELIEF_GRANTED,
        relief_granted=["asylum"],
        appeal_waived_by=[Party.RESPONDENT, Party.DHS],
    )
    final = finality(both, case_status=CaseStatus.DECIDED)
    assert final.final_on == TUESDAY and "1003.39" in final.citation


def test_an_appealed_decision_waits_for_the_board_8_cfr_1241_1_a() -> None:
    d = decision(C.REMOVAL_ORDERED, appeal_reserved_by=[Party.RESPONDENT])
    final = finality(d, case_status=CaseStatus.APPEALED)
    assert final.final_on is None and "1241.1(a)" in final.citation


@pytest.mark.parametrize("completion", [C.ADMINISTRATIVELY_CLOSED, C.CHANGE_OF_VENUE])
def test_closure_and_venue_change_are_not_final_decisions(completion: CompletionType) -> None:
    assert finality(decision(completion), case_status=CaseStatus.PENDING).final_on is None


# --- the case's status (common.lifecycle) ------------------------------------------------------


@pytest.mark.parametrize(
    ("completion", "status"),
    [
        (C.REMOVAL_ORDERED, CaseStatus.DECIDED),
        (C.VOLUNTARY_DEPARTURE, CaseStatus.DECIDED),
        (C.RELIEF_GRANTED, CaseStatus.DECIDED),
        (C.TERMINATED, CaseStatus.DECIDED),
        (C.DISMISSED, CaseStatus.DECIDED),
        (C.IN_ABSENTIA, CaseStatus.DECIDED),
        (C.OTHER, CaseStatus.DECIDED),
        (C.ADMINISTRATIVELY_CLOSED, CaseStatus.ADMIN_CLOSED),  # 8 CFR 1003.18(c)
        (C.CHANGE_OF_VENUE, CaseStatus.PENDING),  # 8 CFR 1003.20(b)
    ],
)
def test_each_completion_moves_the_case_by_the_lifecycle(
    completion: CompletionType, status: CaseStatus
) -> None:
    assert status_after_decision(CaseStatus.PENDING, completion) is status
    assert status_after_decision(CaseStatus.REOPENED, completion) is status


def test_deadlines_come_from_the_decision_record_before_the_orders() -> None:
    case = {"id": CASE, "status": "decided", "decided_on": None}
    waived = decision(C.REMOVAL_ORDERED, appeal_waived_by=["respondent", "dhs"])
    found = case_decision(case, [], None, [waived.model_dump(mode="json")])
    assert found is not None and found.decided_on == TUESDAY and not found.appealable
    kinds = {d.rule_id for d in deadlines_for_case([], found, today=TUESDAY)}
    assert "bia_appeal" not in kinds  # both waived: no appeal deadline
    absent = decision(C.IN_ABSENTIA)
    found = case_decision(case, [], None, [absent.model_dump(mode="json")])
    assert found is not None and found.in_absentia
    assert "motion_to_rescind_in_absentia" in {
        d.rule_id for d in deadlines_for_case([], found, today=TUESDAY)
    }


def test_the_case_s_latest_live_decision_record_is_the_one_that_counts() -> None:
    case = {"id": CASE, "status": "decided", "decided_on": None}
    first = decision(C.REMOVAL_ORDERED, decided_on=date(2026, 12, 1))
    # Reopened and decided again, in writing, served two days later; the respondent alone
    # waived appeal, so DHS may still appeal.
    again = decision(
        C.REMOVAL_ORDERED,
        form="written",
        served_on=date(2026, 12, 10),
        appeal_waived_by=["respondent"],
    )
    corrected = decision(  # the same day, recorded a minute later: it replaces `again`
        C.REMOVAL_ORDERED,
        form="written",
        served_on=date(2026, 12, 11),
        appeal_waived_by=["respondent"],
        recorded_at=datetime(2026, 12, 8, 18, 1, tzinfo=UTC),
    )
    withdrawn = decision(C.IN_ABSENTIA, decided_on=date(2026, 12, 15))
    elsewhere = decision(C.IN_ABSENTIA, decided_on=date(2026, 12, 20), case_id=str(uuid.uuid4()))
    records = [
        again.model_dump(mode="json"),  # before its correction: the order must not decide
        first.model_dump(mode="json"),
        {**withdrawn.model_dump(mode="json"), "deleted": True},
        corrected.model_dump(mode="json"),
        elsewhere.model_dump(mode="json"),
    ]
    assert case_decision(case, [], None, records) == Decision(
        decided_on=TUESDAY,
        oral=False,
        served_on=date(2026, 12, 11),
        in_absentia=False,
        appealable=True,
    )
    oral = decision(C.REMOVAL_ORDERED, decided_on=date(2026, 12, 9))
    found = case_decision(case, [], None, [*records, oral.model_dump(mode="json")])
    assert found == Decision(decided_on=date(2026, 12, 9), oral=True, served_on=None)


def test_an_order_drafted_after_the_decision_starts_from_it() -> None:
    d = decision(
        C.REMOVAL_ORDERED,
        relief_granted=["withholding"],
        appeal_reserved_by=[Party.RESPONDENT],
        appeal_waived_by=[Party.DHS],
    )
    fields = dict(order_fields(d, pleading()))
    assert fields["disposition"] == "removal_ordered"
    assert fields["removal_country"] == "Guatemala"
    assert fields["withholding"] == "granted" and fields["asylum"] == "denied"
    assert fields["appeal_respondent"] == "reserved" and fields["appeal_dhs"] == "waived"


# --- refusals ----------------------------------------------------------------------------------


def test_relief_granted_that_was_never_sought_is_refused() -> None:
    d = decision(C.RELIEF_GRANTED, relief_granted=["cancellation_nonlpr"])
    reason = check_decision(d, case_status=CaseStatus.PENDING, pleadings=[pleading()])
    assert reason is not None and "never sought" in reason


def test_a_second_decision_on_a_decided_case_is_refused_until_reopened() -> None:
    d = decision(C.TERMINATED)
    reason = check_decision(d, case_status=CaseStatus.DECIDED)
    assert reason is not None and "reopened" in reason
    assert check_decision(d, case_status=CaseStatus.REOPENED) is None
    # Offline: a decision saved but not yet applied counts.
    assert effective_status(CaseStatus.PENDING, [decision(C.REMOVAL_ORDERED)]) is (
        CaseStatus.DECIDED
    )


def test_removal_to_no_designated_country_is_refused() -> None:
    d = decision(C.REMOVAL_ORDERED, removal_country=None)
    declined = pleading(designated_country=None, designation_declined=True)
    reason = check_decision(d, case_status=CaseStatus.PENDING, pleadings=[declined])
    assert reason is not None and "declined to designate" in reason
    assert "name the country" in str(check_decision(d, case_status=CaseStatus.PENDING))


def test_in_absentia_with_the_respondent_present_is_refused() -> None:
    d = decision(C.IN_ABSENTIA, respondent_present=True)
    assert "did not appear" in str(check_decision(d, case_status=CaseStatus.PENDING))


def test_appeal_waived_and_reserved_by_the_same_party_is_refused() -> None:
    d = decision(C.REMOVAL_ORDERED, appeal_reserved_by=[Party.DHS], appeal_waived_by=[Party.DHS])
    assert "DHS either reserves or waives" in str(check_decision(d, case_status=CaseStatus.PENDING))


def test_status_relief_with_a_removal_order_and_protection_alone_are_refused() -> None:
    p = [pleading()]
    status_with_removal = decision(C.REMOVAL_ORDERED, relief_granted=["asylum"])
    assert "does not grant" in str(
        check_decision(status_with_removal, case_status=CaseStatus.PENDING, pleadings=p)
    )
    protection_only = decision(C.RELIEF_GRANTED, relief_granted=["withholding"])
    assert "names the relief granted" in str(
        check_decision(protection_only, case_status=CaseStatus.PENDING, pleadings=p)
    )


def test_a_pleading_designating_and_declining_is_refused() -> None:
    assert "not both" in str(check_pleading(pleading(designation_declined=True)))
    assert "unknown form of relief" in str(check_pleading(pleading(relief_sought=["parole"])))


def test_every_relief_form_and_completion_type_names_its_source() -> None:
    for form in relief_forms().values():
        assert form.source.section and (form.source.read_on or form.source.assumption)
    for rule in completion_rules().values():
        assert rule.source.section and (rule.source.read_on or rule.source.assumption)
