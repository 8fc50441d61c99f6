"""common.hearing_notices: the notice wording file's checks, each refusal asserted whole
(a clerk or developer who edits resources/notice_templates/hearing_notice.json reads it),
and what the parsed wording holds."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from common.enums import CaseType, HearingType
from common.hearing_notices import (
    TEMPLATE_FILE,
    Citation,
    NoticeKind,
    parse_notice_template,
    service_proceeding,
)
from common.resources import DataFileError, resources_dir
from common.service import Proceeding


def _shipped() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads((resources_dir() / TEMPLATE_FILE).read_text(encoding="utf-8"))
    return raw


def _refusal(change: Callable[[dict[str, Any]], object]) -> str:
    data = copy.deepcopy(_shipped())
    change(data)
    with pytest.raises(DataFileError) as caught:
        parse_notice_template(data, "hn")
    return str(caught.value)


def test_service_proceeding() -> None:
    bond, main = Proceeding.CUSTODY_AND_BOND, Proceeding.MAIN
    assert service_proceeding("removal", "bond") is bond
    assert service_proceeding("bond", "master") is bond
    assert service_proceeding("removal", "master") is main
    assert service_proceeding("asylum_only", "individual") is main


def test_the_shipped_wording_parsed() -> None:
    shipped = _shipped()
    template = parse_notice_template(shipped, "hn")
    assert template.key == "hearing_notice"
    assert template.version == shipped["version"]
    assert template.read_on == "2026-12-06"
    assert template.language == "en-US"
    assert template.agency == tuple(shipped["agency"])
    assert template.court_prefix == "IMMIGRATION COURT"
    assert template.bond_caption == "bond"
    assert template.captions["removal"] == "IN REMOVAL PROCEEDINGS"
    assert set(template.captions) == {c.value for c in CaseType}
    assert template.titles[NoticeKind.SCHEDULED] == ("NOTICE OF HEARING", "Notice of hearing")
    assert set(template.titles) == set(NoticeKind) == set(template.openings)
    assert set(template.hearing_types) == {h.value for h in HearingType}
    assert template.proceeding_hearings == {
        "bond": "bond (custody redetermination) hearing",
        "credible_fear_review": "credible fear review hearing",
    }
    assert set(template.media) == {"in_person", "video", "telephone"}
    assert template.media["video"] == (
        shipped["media"]["video"]["label"],
        shipped["media"]["video"]["text"],
    )
    assert template.next_known == shipped["next_hearing"]["known"]
    assert template.next_unknown == shipped["next_hearing"]["unknown"]
    assert template.interpreter == shipped["interpreter"]["text"]
    assert template.advisals_heading == "IMPORTANT INFORMATION ABOUT THIS HEARING"
    assert [a.key for a in template.advisals] == [a["key"] for a in shipped["advisals"]]
    first = template.advisals[0]
    raw_first = shipped["advisals"][0]
    assert (first.heading, first.text) == (raw_first["heading"], raw_first["text"])
    assert first.applies_to == tuple(raw_first["applies_to"])
    assert first.sources[0] == Citation(
        raw_first["source"][0]["document"],
        raw_first["source"][0]["section"],
        raw_first["source"][0].get("read_on", "2026-12-06"),
    )
    assert template.service_heading == shipped["service"]["heading"]
    assert template.service_text == shipped["service"]["text"]
    assert template.access_heading == shipped["respondent_access"]["heading"]
    assert template.access_text == shipped["respondent_access"]["text"]


def test_a_source_s_own_reading_day_wins() -> None:
    data = copy.deepcopy(_shipped())
    data["advisals"][0]["source"] = [
        {"document": "8 C.F.R.", "section": "§ 1003.26", "read_on": "2025-01-02"},
        {"document": "INA", "section": "§ 240(b)(5)"},
    ]
    data["advisals"][0]["assumption"] = "An assumption"
    data["advisals"][1].pop("assumption", None)
    data["language"] = ""
    template = parse_notice_template(data, "hn")
    assert template.advisals[0].sources == (
        Citation("8 C.F.R.", "§ 1003.26", "2025-01-02"),
        Citation("INA", "§ 240(b)(5)", "2026-12-06"),
    )
    assert template.advisals[0].assumption == "An assumption"
    assert template.advisals[1].assumption is None
    assert template.language == "en-US"
    data["language"] = "es-US"
    assert parse_notice_template(data, "hn").language == "es-US"


def _set(*path: str | int, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _drop(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_drop("read_on"), "hn: missing field 'read_on'"),
        (
            _drop("captions", "rescission"),
            "hn caption rescission: missing (every case type needs its caption)",
        ),
        (
            _set("captions", "bond", value="BOND"),
            "hn caption bond: missing (every case type needs its caption)",
        ),
        (
            _set("captions", "bond", "source", value=[]),
            "hn caption bond: every paragraph names its source",
        ),
        (
            _set("captions", "bond", "source", value=["8 CFR"]),
            "hn caption bond source 0: must be an object with document and section",
        ),
        (
            _set("captions", "bond", "source", value=[{"document": "8 CFR"}]),
            "hn caption bond source 0: missing field 'section'",
        ),
        (
            _set("captions", "bond", "source", value=[{"section": "1003.19"}]),
            "hn caption bond source 0: missing field 'document'",
        ),
        (_set("captions", "bond", "text", value="  "), "hn caption bond: 'text' must not be empty"),
        (
            _set("captions", "bond", "text", value="IN {proceeding} PROCEEDINGS"),
            "hn caption bond: unknown merge fields ['proceeding'] in 'text'",
        ),
        (
            _set("bond_hearing_caption", value="custody"),
            "hn: bond_hearing_caption names no caption",
        ),
        (
            _drop("titles", "cancelled"),
            "hn cancelled: every kind of notice needs a title and an opening",
        ),
        (
            _drop("openings", "adjourned"),
            "hn adjourned: every kind of notice needs a title and an opening",
        ),
        (_drop("titles", "source"), "hn titles: missing field 'source'"),
        (
            _set("titles", "scheduled", "document_title", value=""),
            "hn scheduled: 'document_title' must not be empty",
        ),
        (_set("titles", "scheduled", "text", value=""), "hn scheduled: 'text' must not be empty"),
        (
            _set("openings", "scheduled", "text", value="Your {hearing_type} on {served_on}"),
            "hn scheduled opening: unknown merge fields ['served_on'] in 'text'",
        ),
        (_drop("openings", "scheduled", "source"), "hn scheduled opening: missing field 'source'"),
        (_drop("hearing_types", "bond"), "hn: hearing type 'bond' has no label"),
        (_drop("media", "telephone"), "hn medium telephone: missing"),
        (_drop("media", "video", "source"), "hn medium video: missing field 'source'"),
        (_set("media", "video", "label", value=""), "hn medium video: 'label' must not be empty"),
        (_set("media", "video", "text", value=""), "hn medium video: 'text' must not be empty"),
        (_drop("next_hearing", "source"), "hn next_hearing: missing field 'source'"),
        (_set("next_hearing", "known", value=" "), "hn next_hearing: 'known' must not be empty"),
        (
            _set("next_hearing", "unknown", value=" "),
            "hn next_hearing: 'unknown' must not be empty",
        ),
        (_drop("interpreter", "source"), "hn interpreter: missing field 'source'"),
        (
            _set("interpreter", "text", value="In {language} and {dialect}"),
            "hn interpreter: unknown merge fields ['dialect'] in 'text'",
        ),
        (_set("advisals", 2, value="x"), "hn advisal 2: must be an object"),
        (
            _set("advisals", 2, "applies_to", value=[]),
            "hn advisal 2: applies_to names unknown proceedings []",
        ),
        (
            _set("advisals", 2, "applies_to", value=["removal", "zeta", "alpha"]),
            "hn advisal 2: applies_to names unknown proceedings ['alpha', 'zeta']",
        ),
        (_drop("advisals", 2, "key"), "hn advisal 2: missing field 'key'"),
        (_set("advisals", 2, "heading", value=""), "hn advisal 2: 'heading' must not be empty"),
        (_set("advisals", 2, "text", value=""), "hn advisal 2: 'text' must not be empty"),
        (_drop("advisals", 2, "source"), "hn advisal 2: missing field 'source'"),
        (_drop("service", "source"), "hn service: missing field 'source'"),
        (_set("service", "heading", value=""), "hn service: 'heading' must not be empty"),
        (
            _set("service", "text", value="Served {served_on} by {served_by} to {party}"),
            "hn service: unknown merge fields ['party'] in 'text'",
        ),
        (_drop("respondent_access", "source"), "hn respondent_access: missing field 'source'"),
        (
            _set("respondent_access", "heading", value=""),
            "hn respondent_access: 'heading' must not be empty",
        ),
        (
            _set("respondent_access", "text", value="{code} {portal} {pin}"),
            "hn respondent_access: unknown merge fields ['pin'] in 'text'",
        ),
        (_drop("key"), "hn: missing field 'key'"),
        (_drop("agency"), "hn: missing field 'agency'"),
        (_drop("court_prefix"), "hn: missing field 'court_prefix'"),
        (_drop("advisals_heading"), "hn: missing field 'advisals_heading'"),
        (_set("captions", value=[]), "hn: field 'captions' must be dict, not list"),
    ],
)
def test_a_wrong_wording_file_is_refused_naming_the_place(
    change: Callable[[dict[str, Any]], object], message: str
) -> None:
    assert _refusal(change) == message


def test_a_proceeding_label_for_no_caption_is_left_out() -> None:
    data = copy.deepcopy(_shipped())
    data["proceeding_hearing_labels"]["deportation"] = "deportation hearing"
    template = parse_notice_template(data, "hn")
    assert "deportation" not in template.proceeding_hearings
    assert template.hearing_label("bond", "master") == "bond (custody redetermination) hearing"
    assert template.hearing_label("removal", "individual") == template.hearing_types["individual"]
    assert template.proceeding("removal", "bond") == "bond"
    assert template.proceeding("asylum_only", "master") == "asylum_only"
    assert template.caption("removal") == "IN REMOVAL PROCEEDINGS"
    keys = [a.key for a in template.advisals_for("bond")]
    assert keys == [a["key"] for a in data["advisals"] if "bond" in a["applies_to"]]
    assert 0 < len(keys) < len(data["advisals"])
