"""The custody history on the server: a detention, transfer or release the clerk records
(or DHS pushes) reaches the judge with the case's custody and the address of record moved
along; an entry is never edited; a change that can't follow the history is refused."""

from __future__ import annotations

from typing import Any

from flask import Flask

from common.enums import Custody
from common.service import address_of_record
from common.wire import Address
from tests.conftest import Api, mutation
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    by_entity,
    case_data,
    hearing_data,
    new_id,
    push_one,
    stored,
    version_of,
)


def _custody(case_id: str, event: str, facility: str | None, day: str) -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "event": event,
        "facility_code": facility,
        "effective_on": day,
        "recorded_at": "2026-11-27T15:00:00Z",
    }


def _home(case_id: str) -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "kind": "nta",
        "street": "12 Alder Street",
        "city": "Oakland",
        "state": "CA",
        "zip": "94601",
        "effective_on": "2026-09-20",
        "recorded_at": "2026-10-01T17:00:00Z",
    }


def _pulled(api: Api, token: str, since: str) -> tuple[list[dict[str, Any]], str]:
    return api.pull_all(token, since)


def _addresses(changes: list[dict[str, Any]], case_id: str) -> list[Address]:
    return [
        Address.model_validate(c["data"])
        for c in changes
        if c["entity"] == "address" and c["data"]["case_id"] == case_id
    ]


def test_a_custody_change_pushed_by_the_clerk_syncs_to_the_judge_and_moves_the_address_of_record(
    api: Api, tokens: TokenBook
) -> None:
    clerk, judge = tokens["clerk1"], tokens["judge1"]
    case = case_data(SFR, judge="judge1")
    applied(api, clerk, "case", case)
    home = _home(case["id"])
    applied(api, clerk, "address", home)
    _, cursor = api.pull_all(judge)

    detained = _custody(case["id"], "detained", "MESA_VERDE", "2026-11-02")
    applied(api, clerk, "custody_change", detained)

    changes, cursor = _pulled(api, judge, cursor)
    assert detained["id"] in by_entity(changes, "custody_change")
    [judges_case] = [c for c in changes if c["entity"] == "case" and c["id"] == case["id"]]
    assert judges_case["data"]["custody"] == "detained"
    [facility] = _addresses(changes, case["id"])
    assert (facility.kind, facility.street, facility.city) == (
        "custodial",
        "425 Golden State Avenue",
        "Bakersfield",
    )
    assert facility.in_care_of == "the custodial officer, Mesa Verde ICE Processing Center"
    everything = [Address.model_validate(home), facility]
    assert address_of_record(everything, custody=Custody.DETAINED) == facility

    transfer = _custody(case["id"], "transferred", "GOLDEN_STATE_ANNEX", "2026-11-16")
    applied(api, clerk, "custody_change", transfer)
    changes, cursor = _pulled(api, judge, cursor)
    [annex] = _addresses(changes, case["id"])
    everything.append(annex)
    assert annex.city == "McFarland"
    assert address_of_record(everything, custody=Custody.DETAINED) == annex

    released = _custody(case["id"], "released", None, "2026-11-20")
    applied(api, clerk, "custody_change", released)
    changes, _ = _pulled(api, judge, cursor)
    [judges_case] = [c for c in changes if c["entity"] == "case" and c["id"] == case["id"]]
    assert judges_case["data"]["custody"] == "released"
    assert _addresses(changes, case["id"]) == []  # a release makes no address
    # Released, the respondent is served at home again.
    assert address_of_record(everything, custody=Custody.RELEASED) == Address.model_validate(home)


def test_dhs_reports_a_detention_in_a_case_at_its_assigned_court(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    applied(
        api,
        tokens["dhs1"],
        "custody_change",
        _custody(case["id"], "detained", "GOLDEN_STATE_ANNEX", "2026-11-03"),
    )
    held = stored(seeded_app, "case", case["id"])
    assert held is not None and held[0]["custody"] == "detained"


def test_a_custody_change_is_never_edited_or_deleted(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    clerk = tokens["clerk1"]
    case = case_data(SFR, judge="judge1")
    applied(api, clerk, "case", case)
    entry = _custody(case["id"], "detained", "MESA_VERDE", "2026-11-02")
    version = applied(api, clerk, "custody_change", entry)

    edited = push_one(
        api,
        clerk,
        "custody_change",
        {**entry, "facility_code": "GOLDEN_STATE_ANNEX"},
        base_version=version,
    )
    assert edited["status"] == "rejected" and "not edited" in edited["error"]
    (deleted,) = api.push(
        clerk, mutation("custody_change", entry, base_version=version, op="delete")
    )
    assert deleted["status"] == "rejected" and "kept" in deleted["error"]
    assert version_of(seeded_app, "custody_change", entry["id"]) == version


def test_a_change_that_does_not_follow_the_history_is_refused_with_the_reason(
    api: Api, tokens: TokenBook
) -> None:
    clerk = tokens["clerk1"]
    case = case_data(SFR, judge="judge1")
    applied(api, clerk, "case", case)

    def refused(entry: dict[str, Any]) -> str:
        result = push_one(api, clerk, "custody_change", entry)
        assert result["status"] == "rejected", result
        return str(result["error"])

    cid = case["id"]
    assert "only a detained respondent" in refused(
        _custody(cid, "transferred", "MESA_VERDE", "2026-11-02")
    )
    assert "not detained" in refused(_custody(cid, "released", None, "2026-11-02"))
    assert "not a detention facility" in refused(_custody(cid, "detained", "NOWHERE", "2026-11-02"))
    assert "named detention facility" in refused(_custody(cid, "detained", None, "2026-11-02"))
    applied(api, clerk, "custody_change", _custody(cid, "detained", "MESA_VERDE", "2026-11-10"))
    assert "already detained at Mesa Verde" in refused(
        _custody(cid, "detained", "GOLDEN_STATE_ANNEX", "2026-11-12")
    )
    assert "already held at Mesa Verde" in refused(
        _custody(cid, "transferred", "MESA_VERDE", "2026-11-12")
    )
    assert "no earlier than the latest one (November 10, 2026)" in refused(
        _custody(cid, "released", None, "2026-11-05")
    )
    assert "later than today's date" in refused(_custody(cid, "released", None, "2099-01-01"))


def test_a_case_edit_that_changes_custody_directly_is_refused(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    clerk = tokens["clerk1"]
    case = case_data(SFR, judge="judge1")
    version = applied(api, clerk, "case", case)
    result = push_one(api, clerk, "case", {**case, "custody": "detained"}, base_version=version)
    assert result["status"] == "rejected"
    assert "record the detention, transfer or release" in result["error"]


def test_a_custody_change_pushed_again_records_the_facility_once(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """The answer was lost and the clerk's copy sends the same mutation again."""
    clerk = tokens["clerk1"]
    case = case_data(SFR, judge="judge1")
    applied(api, clerk, "case", case)
    once = mutation("custody_change", _custody(case["id"], "detained", "MESA_VERDE", "2026-11-02"))
    first = api.push(clerk, once)
    again = api.push(clerk, once)
    assert first == again and first[0]["status"] == "applied"
    changes, _ = api.pull_all(clerk)
    assert len(_addresses(changes, case["id"])) == 1


def test_a_hearings_interpreter_dialect_and_medium_reach_the_judge(
    api: Api, tokens: TokenBook
) -> None:
    clerk, judge = tokens["clerk1"], tokens["judge1"]
    case = case_data(SFR, judge="judge1")
    applied(api, clerk, "case", case)
    _, cursor = api.pull_all(judge)
    hearing = {
        **hearing_data(case["id"]),
        "interpreter_language": "Arabic",
        "interpreter_dialect": "Levantine",
        "interpreter_medium": "telephone",
    }
    applied(api, clerk, "hearing", hearing)
    changes, _ = api.pull_all(judge, cursor)
    data = by_entity(changes, "hearing")[hearing["id"]]["data"]
    assert (data["interpreter_language"], data["interpreter_dialect"]) == ("Arabic", "Levantine")
    assert data["interpreter_medium"] == "telephone"
