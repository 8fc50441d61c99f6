"""Pleadings and decisions on the server: the judge's decision moves the case's status by
the lifecycle and the parties read it; a decision the rules refuse is refused with the
reason the desktop gives (common.decisions); no one but the case's judge records either."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.conftest import Api, user_id
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    by_entity,
    case_data,
    new_id,
    push_one,
    stored,
)

NOW = "2026-12-01T18:00:00Z"


def _pleading(case_id: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "judge_id": user_id("judge1"),
        "pleaded_on": "2026-11-02",
        "allegations": [
            {"number": 1, "text": "You are not a citizen of the United States", "plea": "admitted"},
            {"number": 2, "text": "You are a native and citizen of Peru", "plea": "admitted"},
            {"number": 3, "text": "You entered at or near Hidalgo, Texas", "plea": "denied"},
        ],
        "charges": [{"charge": "INA 212(a)(6)(A)(i)", "plea": "denied"}],
        "designated_country": "Peru",
        "relief_sought": ["asylum", "withholding", "cat_withholding"],
        "recorded_at": NOW,
        **kw,
    }


def _decision(case_id: str, completion: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "judge_id": user_id("judge1"),
        "form": "oral",
        "decided_on": "2026-12-01",
        "completion": completion,
        "relief_granted": [],
        "removal_country": None,
        "appeal_reserved_by": [],
        "appeal_waived_by": [],
        "recorded_at": NOW,
        **kw,
    }


def _case_status(app: Flask, case_id: str) -> tuple[str, str | None]:
    held = stored(app, "case", case_id)
    assert held is not None
    return str(held[0]["status"]), held[0].get("decided_on")


def _refused(api: Api, token: str, entity: str, data: dict[str, Any]) -> str:
    result = push_one(api, token, entity, data)
    assert result["status"] == "rejected", result
    return str(result["error"])


def test_the_judges_decision_decides_the_case_and_the_parties_pull_it(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    judge = tokens["judge1"]
    applied(api, judge, "pleading", _pleading(case["id"]))
    decision = _decision(
        case["id"],
        "relief_granted",
        relief_granted=["asylum"],
        appeal_reserved_by=["dhs"],
        appeal_waived_by=["respondent"],
    )
    applied(api, judge, "decision", decision)
    assert _case_status(seeded_app, case["id"]) == ("decided", "2026-12-01")
    changes, _ = api.pull_all(tokens["clerk1"])
    assert decision["id"] in by_entity(changes, "decision")
    pulled_case = by_entity(changes, "case")[case["id"]]["data"]
    assert pulled_case["status"] == "decided"


def test_a_second_decision_on_a_decided_case_is_refused(api: Api, tokens: TokenBook) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    judge = tokens["judge1"]
    applied(api, judge, "decision", _decision(case["id"], "terminated"))
    reason = _refused(api, judge, "decision", _decision(case["id"], "dismissed"))
    assert "already decided" in reason and "reopened" in reason


def test_administrative_closure_closes_the_case_by_the_lifecycle(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    applied(api, tokens["judge1"], "decision", _decision(case["id"], "administratively_closed"))
    assert _case_status(seeded_app, case["id"])[0] == "administratively_closed"


def test_decisions_that_contradict_the_pleadings_or_themselves_are_refused(
    api: Api, tokens: TokenBook
) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    judge = tokens["judge1"]
    applied(
        api,
        judge,
        "pleading",
        _pleading(case["id"], designated_country=None, designation_declined=True),
    )
    never_sought = _decision(case["id"], "relief_granted", relief_granted=["adjustment"])
    assert "never sought" in _refused(api, judge, "decision", never_sought)
    no_country = _decision(case["id"], "removal_ordered")
    assert "declined to designate" in _refused(api, judge, "decision", no_country)
    present = _decision(case["id"], "in_absentia", removal_country="Peru", respondent_present=True)
    assert "did not appear" in _refused(api, judge, "decision", present)
    both = _decision(
        case["id"],
        "removal_ordered",
        removal_country="Peru",
        appeal_reserved_by=["respondent"],
        appeal_waived_by=["respondent"],
    )
    assert "either reserves or waives" in _refused(api, judge, "decision", both)
    both_ways = _pleading(case["id"], designated_country="Peru", designation_declined=True)
    assert "not both" in _refused(api, judge, "pleading", both_ways)


def test_only_the_judge_of_the_case_records_pleadings_and_decisions(
    api: Api, tokens: TokenBook
) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    assert "only a judge" in _refused(api, tokens["clerk1"], "pleading", _pleading(case["id"]))
    other = _decision(case["id"], "terminated", judge_id=user_id("judge2"))
    assert "judge of the case" in _refused(api, tokens["judge2"], "decision", other)
    decision = _decision(case["id"], "terminated")
    version = applied(api, tokens["judge1"], "decision", decision)
    edited = {**decision, "completion": "dismissed"}
    result = push_one(api, tokens["judge1"], "decision", edited, base_version=version)
    assert result["status"] == "rejected" and "not edited" in result["error"]


def test_the_clerk_records_once_when_a_written_decision_was_served_and_nothing_else(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    decision = _decision(case["id"], "terminated", form="written")
    version = applied(api, tokens["judge1"], "decision", decision)
    clerk = tokens["clerk1"]
    # Service is the one thing recorded after a decision: not a changed completion with it.
    sneaked = {**decision, "served_on": "2026-12-03", "completion": "dismissed"}
    result = push_one(api, clerk, "decision", sneaked, base_version=version)
    assert result["status"] == "rejected" and "only the service date" in result["error"]
    early = {**decision, "served_on": "2026-11-30"}
    result = push_one(api, clerk, "decision", early, base_version=version)
    assert result["status"] == "rejected" and "before it was made" in result["error"]
    result = push_one(
        api,
        tokens["dhs2"],
        "decision",
        {**decision, "served_on": "2026-12-03"},
        base_version=version,
    )
    assert result["status"] == "rejected"  # DHS, a party, does not record the court's service
    served = {**decision, "served_on": "2026-12-03"}
    version = applied(api, clerk, "decision", served, base_version=version)
    held = stored(seeded_app, "decision", decision["id"])
    assert held is not None and held[0]["served_on"] == "2026-12-03"
    assert _case_status(seeded_app, case["id"]) == ("decided", "2026-12-01")
    again = {**served, "served_on": "2026-12-04"}
    result = push_one(api, clerk, "decision", again, base_version=version)
    assert result["status"] == "rejected" and "already recorded" in result["error"]


def test_an_oral_decision_has_no_service_to_record_after_it(api: Api, tokens: TokenBook) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    decision = _decision(case["id"], "terminated")
    version = applied(api, tokens["judge1"], "decision", decision)
    served = {**decision, "served_on": "2026-12-03"}
    result = push_one(api, tokens["clerk1"], "decision", served, base_version=version)
    assert result["status"] == "rejected" and "not edited" in result["error"]
