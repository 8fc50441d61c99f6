# mypy: disable-error-code="no-untyped-call"
"""common.hearing_notices: the notice wording file's checks, each refusal asserted whole
(a clerk or developer who edits resources/notice_templates/hearing_notice.json reads it),
and what the parsed wording holds."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pymupdf
import pytest

from common.enums import CaseType, HearingType, Party
from common.forms_eoir import ServiceMethod
from common.hearing_notices import (
    _TEXT_FLAGS,
    MARGIN,
    PAGE,
    TEMPLATE_FILE,
    Citation,
    NoticeKind,
    Setting,
    court_author,
    mailed_copy_with_code,
    notice_template,
    notice_text,
    page_count,
    page_texts,
    parse_notice_template,
    pdf_text,
    render_notice,
    service_proceeding,
)
from common.resources import DataFileError, resources_dir
from common.service import PartyToServe, Proceeding
from tests.common.tagged_pdf import read_tagged, tagged_words
from tests.notices.test_notice_wording import SAN_FRANCISCO, SERVICE, _notice


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
        (_drop("version"), "hn: missing field 'version'"),
        (_drop("bond_hearing_caption"), "hn: missing field 'bond_hearing_caption'"),
        (_drop("titles"), "hn: missing field 'titles'"),
        (_drop("openings"), "hn: missing field 'openings'"),
        (_drop("hearing_types"), "hn: missing field 'hearing_types'"),
        (_drop("proceeding_hearing_labels"), "hn: missing field 'proceeding_hearing_labels'"),
        (_drop("media"), "hn: missing field 'media'"),
        (_drop("next_hearing"), "hn: missing field 'next_hearing'"),
        (_drop("interpreter"), "hn: missing field 'interpreter'"),
        (_drop("advisals"), "hn: missing field 'advisals'"),
        (_drop("service"), "hn: missing field 'service'"),
        (_drop("respondent_access"), "hn: missing field 'respondent_access'"),
        (_drop("captions", "bond", "text"), "hn caption bond: missing field 'text'"),
        (_drop("titles", "scheduled", "text"), "hn scheduled: missing field 'text'"),
        (
            _drop("titles", "scheduled", "document_title"),
            "hn scheduled: missing field 'document_title'",
        ),
        (_drop("openings", "scheduled", "text"), "hn scheduled opening: missing field 'text'"),
        (_drop("media", "video", "label"), "hn medium video: missing field 'label'"),
        (_drop("next_hearing", "known"), "hn next_hearing: missing field 'known'"),
        (_drop("interpreter", "text"), "hn interpreter: missing field 'text'"),
        (_drop("advisals", 2, "applies_to"), "hn advisal 2: missing field 'applies_to'"),
        (_drop("advisals", 2, "heading"), "hn advisal 2: missing field 'heading'"),
        (_drop("service", "text"), "hn service: missing field 'text'"),
        (_drop("respondent_access", "text"), "hn respondent_access: missing field 'text'"),
        (
            _set("captions", "bond", "source", value={}),
            "hn caption bond: field 'source' must be list, not dict",
        ),
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


# --- one notice: its content, its page, its PDF ---------------------------------------------
# The notice the wording tests render (Rosa Quispe, San Francisco, 9:00 AM PST on 4 January
# 2027, issued at 5:30 PM on 6 December 2026 in the court's time), as each kind of change
# gives it. Expected wording is the shipped file's (resources/notice_templates/).

NEXT = Setting(
    starts_at=datetime(2027, 2, 1, 18, tzinfo=UTC),  # 10:00 AM PST
    hearing_type="individual",
    medium="video",
    courtroom="Courtroom 9",  # a video hearing names the court, not a courtroom
    judge="Immigration Judge Brennan",
    interpreter_language="Quechua",
)
FIRST_SETTING = "January 4, 2027 at 9:00 AM PST"
PLACE = "San Francisco Immigration Court, 630 Sansome Street, San Francisco, CA"
IN_PERSON = (
    "Come to the courtroom named above, at the court's address. Allow time for security "
    "screening: the hearing starts at the time shown."
)
BY_VIDEO = (
    "The immigration judge will hold this hearing by video. Join it as the court instructs; if "
    "you have no instructions, ask the court at the address above before the hearing date."
)
INTERPRETER = (
    "The court will provide an interpreter in Quechua at no cost to you. Tell the court at once "
    "if that is not the language you understand best."
)
SERVED = (
    "This notice was served on December 6, 2026 by Court staff, San Francisco Immigration "
    "Court, as follows:"
)
SERVICE_LINES = (
    "Respondent: Rosa Quispe — first-class mail — 12 Elm Street; Oakland, CA 94607",
    "Department of Homeland Security: DHS — ICE Office of the Principal Legal Advisor — "
    "electronic service (ECAS)",
)


def _advisal_keys(proceeding: str) -> list[str]:
    return [a["key"] for a in _shipped()["advisals"] if proceeding in a["applies_to"]]


def test_a_scheduled_notice_says_when_and_where_to_appear() -> None:
    text = notice_text(_notice("removal"))
    assert text.caption == "IN REMOVAL PROCEEDINGS"
    assert (text.title, text.document_title) == ("NOTICE OF HEARING", "Notice of hearing")
    assert text.notice_date == "December 6, 2026"
    assert text.opening == (
        "The immigration court has set a master calendar hearing in this case. "
        "Appear as set out below.",
    )
    assert text.details == (
        ("Hearing", "Master calendar hearing"),
        ("Date and time", FIRST_SETTING),
        ("Appearance", "In person"),
        ("Place", f"{PLACE} — Courtroom 3"),
    )
    assert text.instructions == (IN_PERSON,)
    assert text.service_heading == "CERTIFICATE OF SERVICE"
    assert text.service_intro == SERVED
    assert text.service_lines == SERVICE_LINES
    assert text.advisals_heading == "IMPORTANT INFORMATION ABOUT THIS HEARING"
    assert [a.key for a in text.advisals] == _advisal_keys("removal")
    assert (text.access_heading, text.access) == ("", "")


def test_a_reset_names_the_setting_it_replaces() -> None:
    earlier = _notice("removal").setting
    moved = replace(earlier, starts_at=datetime(2027, 3, 1, 17, tzinfo=UTC), courtroom=None)
    text = notice_text(
        replace(_notice("removal", kind=NoticeKind.RESCHEDULED, previous=earlier), setting=moved)
    )
    assert text.title == "NOTICE OF HEARING (HEARING RESET)"
    assert text.document_title == "Notice of hearing (reset)"
    assert text.opening == (
        f"The master calendar hearing that was set for {FIRST_SETTING} has been changed. "
        "That setting no longer applies. Appear instead as set out below.",
    )
    # No courtroom recorded: the place is the court's address alone.
    assert text.details[1:] == (
        ("Date and time", "March 1, 2027 at 9:00 AM PST"),
        ("Appearance", "In person"),
        ("Place", PLACE),
    )
    # Without the earlier setting, the notice names the hearing's own.
    alone = notice_text(replace(_notice("removal", kind=NoticeKind.RESCHEDULED), setting=moved))
    assert "set for March 1, 2027 at 9:00 AM PST has been changed" in alone.opening[0]


def test_an_adjournment_gives_its_reason_and_the_next_hearing() -> None:
    text = notice_text(
        _notice("removal", kind=NoticeKind.ADJOURNED, adjournment_reason="illness", next=NEXT)
    )
    assert text.title == "NOTICE OF ADJOURNED HEARING"
    assert text.opening == (
        f"The master calendar hearing set for {FIRST_SETTING} was adjourned (postponed) and "
        "will not go ahead on that date. Reason recorded: illness.",
        "Your next hearing is set as follows.",
    )
    # The details are the next hearing's: by video, so the court and no courtroom.
    assert text.details == (
        ("Hearing", "Individual calendar (merits) hearing"),
        ("Date and time", "February 1, 2027 at 10:00 AM PST"),
        ("Appearance", "By video teleconference"),
        ("Court", PLACE),
        ("Presiding", "Immigration Judge Brennan"),
        ("Interpreter", "Quechua"),
    )
    assert text.instructions == (BY_VIDEO, INTERPRETER)


def test_a_cancellation_without_a_next_hearing_promises_a_notice_of_it() -> None:
    text = notice_text(_notice("removal", kind=NoticeKind.CANCELLED))
    assert text.title == "NOTICE THAT A HEARING IS CANCELLED"
    assert text.opening == (
        f"The master calendar hearing set for {FIRST_SETTING} is cancelled. Do not come to court "
        "for that hearing. Your case is not closed by this notice: it remains before the "
        "immigration court.",
        "The court will serve a separate notice giving the date, time and place of the next "
        "hearing when it is set.",
    )
    assert (text.details, text.instructions) == ((), ())
    adjourned = notice_text(_notice("removal", kind=NoticeKind.ADJOURNED))
    assert adjourned.opening[0].endswith("Reason recorded: not recorded.")
    assert adjourned.details == ()


def test_a_bond_hearing_in_a_removal_case_is_noticed_as_a_bond_proceeding() -> None:
    text = notice_text(_notice("removal", hearing_type="bond"))
    assert text.caption == "IN BOND PROCEEDINGS"
    assert text.opening[0].startswith(
        "The immigration court has set a bond (custody redetermination) hearing in this case."
    )
    assert text.details[0] == ("Hearing", "Bond (custody redetermination) hearing")
    assert [a.key for a in text.advisals] == _advisal_keys("bond")
    # A credible fear review has one kind of hearing, whatever the calendar type recorded.
    review = notice_text(_notice("credible_fear_review"))
    assert review.caption == "CREDIBLE FEAR REVIEW"
    assert review.details[0] == ("Hearing", "Credible fear review hearing")
    assert review.opening[0].startswith(
        "The immigration court has set a credible fear review hearing"
    )


def test_the_respondent_s_copy_gives_the_access_code_and_the_portal() -> None:
    text = notice_text(_notice("removal", access_code="K7Q2-M9XD", portal_address="/enrol"))
    assert text.access_heading == "YOUR CASE ACCESS CODE"
    assert text.access.startswith(
        "Case access code: K7Q2-M9XD. With this code, your A-number and your date of birth you "
        "can open an account on the court's portal (/enrol) to see this case"
    )
    default = notice_text(_notice("removal", access_code="K7Q2-M9XD"))
    assert "on the court's portal (the court's portal) to see" in default.access


def _spans(pdf: bytes) -> list[list[dict[str, Any]]]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [
            [
                span
                for block in page.get_text("dict", flags=_TEXT_FLAGS)["blocks"]
                for line in block["lines"]
                for span in line["spans"]
            ]
            for page in doc
        ]


def _span(pages: list[list[dict[str, Any]]], text: str) -> dict[str, Any]:
    found = [s for page in pages for s in page if s["text"].strip() == text]
    assert len(found) == 1, (text, found)
    return found[0]


def _centred(span: dict[str, Any]) -> bool:
    x0, _, x1, _ = span["bbox"]
    return bool(abs((x0 + x1) / 2 - PAGE.width / 2) < 1.5)


def _bold(span: dict[str, Any]) -> bool:
    return bool(span["flags"] & pymupdf.TEXT_FONT_BOLD)


def test_the_page_reads_as_a_court_notice() -> None:
    notice = replace(
        _notice("removal", kind=NoticeKind.ADJOURNED, adjournment_reason="illness", next=NEXT),
        respondent_name="Rosa <Quispe> & Co",
    )
    pdf = render_notice(notice)
    pages = _spans(pdf)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert [tuple(page.rect) for page in doc] == [(0.0, 0.0, 612.0, 792.0)] * 2
    # Agency and court centred at the top, the agency's lines bold; then the caption.
    for line in ("UNITED STATES DEPARTMENT OF JUSTICE", "IMMIGRATION COURT"):
        assert _centred(_span(pages, line)) and _bold(_span(pages, line))
    court = _span(pages, "San Francisco Immigration Court")
    assert _centred(court) and not _bold(court)
    assert _centred(_span(pages, "630 Sansome Street, San Francisco, CA"))
    assert _bold(_span(pages, "ROSA <QUISPE> & CO"))  # shown as typed, not as markup
    assert _bold(_span(pages, "A200-012-345"))
    # The date on the right, the title a centred bold heading larger than the text.
    dated = _span(pages, "Date of this notice: December 6, 2026")
    right = max(s["bbox"][2] for s in pages[0])  # the justified lines' right edge
    assert abs(dated["bbox"][2] - right) < 1 and dated["bbox"][0] > PAGE.width / 2
    title = _span(pages, "NOTICE OF ADJOURNED HEARING")
    assert _centred(title) and _bold(title) and round(title["size"], 1) == 13.0
    # Each detail a bold label and its value; the zone note small and italic.
    assert _bold(_span(pages, "Presiding:")) and _bold(_span(pages, "Court:"))
    assert not _bold(_span(pages, "Immigration Judge Brennan"))
    note = _span(pages, "Dates and times are the court's local time (America/Los_Angeles).")
    assert note["flags"] & pymupdf.TEXT_FONT_ITALIC and round(note["size"], 1) == 9.0
    assert _bold(_span(pages, "CERTIFICATE OF SERVICE"))
    assert round(_span(pages, SERVICE_LINES[0])["size"], 1) == 9.5
    advisals = _span(pages, "IMPORTANT INFORMATION ABOUT THIS HEARING")
    assert _centred(advisals) and round(advisals["size"], 1) == 11.0
    assert _bold(_span(pages, "Representation."))
    # The body stays inside the one-inch margins, the footer centred below it.
    body = [s for page in pages for s in page if "Page" not in s["text"]]
    assert min(s["bbox"][0] for s in body) >= MARGIN
    assert max(s["bbox"][2] for s in body) <= PAGE.width - MARGIN + 1
    assert min(s["bbox"][1] for s in body) >= MARGIN - 2
    assert max(s["bbox"][3] for s in body) <= PAGE.height - MARGIN
    for number, page in enumerate(pages, start=1):
        footer = [s for s in page if "Page" in s["text"]]
        assert [s["text"] for s in footer] == [f"A200-012-345   Page {number} of 2"]
        assert _centred(footer[0]) and round(footer[0]["size"], 1) == 9.0
        assert footer[0]["font"] == "NimbusRoman-Regular"  # Times, as the body's serif
        assert footer[0]["origin"][1] == pytest.approx(PAGE.height - 32)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_notice_shows_each_part_once_in_reading_order() -> None:
    notice = _notice("removal", kind=NoticeKind.ADJOURNED, adjournment_reason="illness", next=NEXT)
    text = notice_text(notice)
    shown = _words(pdf_text(render_notice(notice)))
    expected = _words(
        " ".join(
            [
                "UNITED STATES DEPARTMENT OF JUSTICE EXECUTIVE OFFICE FOR IMMIGRATION REVIEW",
                "IMMIGRATION COURT San Francisco Immigration Court",
                "630 Sansome Street, San Francisco, CA",
                "In the Matter of: ROSA QUISPE, Respondent File: A200-012-345",
                "IN REMOVAL PROCEEDINGS Date of this notice: December 6, 2026",
                "NOTICE OF ADJOURNED HEARING",
                *text.opening,
                "Hearing: Individual calendar (merits) hearing",
                "Date and time: February 1, 2027 at 10:00 AM PST",
                "Appearance: By video teleconference",
                f"Court: {PLACE} Presiding: Immigration Judge Brennan Interpreter: Quechua",
                "Dates and times are the court's local time (America/Los_Angeles).",
                BY_VIDEO,
                INTERPRETER,
                "CERTIFICATE OF SERVICE",
                SERVED,
                *SERVICE_LINES,
                "IMPORTANT INFORMATION ABOUT THIS HEARING",
                *[f"{a.heading}. {a.text}" for a in text.advisals],
            ]
        )
    )
    # The footers sit at each page's end; the rest is the notice, word for word.
    footers = [f"A200-012-345 Page {n} of 2" for n in (1, 2)]
    assert shown.count("A200-012-345 Page") == 2
    for footer in footers:
        shown = shown.replace(f" {footer}", "")
    assert shown == expected
    # No hearing set: no details, no zone note, no instructions.
    bare = _words(pdf_text(render_notice(_notice("removal", kind=NoticeKind.CANCELLED))))
    assert "Hearing:" not in bare and "local time" not in bare and "Come to" not in bare


def test_the_pdf_s_metadata_and_its_compressed_streams() -> None:
    pdf = render_notice(_notice("removal", kind=NoticeKind.CANCELLED))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc.metadata == {
            "format": "PDF 1.7",
            "title": "Notice of cancelled hearing — A200-012-345",
            "author": "San Francisco Immigration Court (Executive Office for Immigration Review)",
            "subject": "hearing_notice 2026-12-b; cancelled; notice n1",
            "keywords": "",
            "creator": "ECAS",
            "producer": "ECAS (PyMuPDF)",
            "creationDate": "D:20261207013000+00'00'",
            "modDate": "D:20261207013000+00'00'",
            "trapped": "",
            "encryption": None,
        }
        for page in doc:
            for xref in page.get_contents():
                assert doc.xref_get_key(xref, "Filter") == ("name", "/FlateDecode")
        # Nothing unreferenced is kept (each object in the file is used).
        assert (
            doc.xref_length()
            == len([x for x in range(1, doc.xref_length()) if doc.xref_object(x) != "null"]) + 1
        )
    assert court_author(SAN_FRANCISCO) == (
        "San Francisco Immigration Court (Executive Office for Immigration Review)"
    )
    assert SAN_FRANCISCO.address == "630 Sansome Street, San Francisco, CA"


def test_the_mailed_copy_adds_one_page_with_the_code() -> None:
    notice = _notice("removal", kind=NoticeKind.CANCELLED)
    record = render_notice(notice)
    # Without a code (a represented respondent's copy) the record's copy is mailed as it is.
    assert mailed_copy_with_code(record, notice) is record
    coded = replace(notice, access_code="K7Q2-M9XD", portal_address="/enrol")
    mailed = mailed_copy_with_code(record, coded)
    assert page_count(mailed) == page_count(record) + 1
    texts = page_texts(mailed)
    assert texts[:-1] == page_texts(record)
    access = notice_text(coded).access
    assert _words(texts[-1]) == _words(
        "YOUR CASE ACCESS CODE ROSA QUISPE — A200-012-345 "
        f"Notice of cancelled hearing, December 6, 2026 {access}"
    )
    pages = _spans(mailed)
    heading = _span(pages, "YOUR CASE ACCESS CODE")
    assert _centred(heading) and _bold(heading) and round(heading["size"], 1) == 13.0
    with pymupdf.open(stream=mailed, filetype="pdf") as doc:
        for page in doc:
            for xref in page.get_contents():
                assert doc.xref_get_key(xref, "Filter") == ("name", "/FlateDecode")
    assert mailed_copy_with_code(record, coded) == mailed


def test_page_texts_read_ligatures_as_their_letters() -> None:
    pdf = render_notice(_notice("removal"))
    texts = page_texts(pdf)
    assert len(texts) == page_count(pdf) == 2
    assert pdf_text(pdf) == "\n".join(texts)
    assert "first-class mail" in texts[0] and "\ufb01" not in pdf_text(pdf)
    assert "Court staff" in texts[0]


def test_a_notice_is_worded_and_tagged_from_the_template_it_is_given() -> None:
    # Another wording (a translation, a new version) is used throughout, its language too.
    shipped = notice_template()
    spanish = replace(
        shipped,
        titles={
            **shipped.titles,
            NoticeKind.SCHEDULED: ("AVISO DE AUDIENCIA", "Aviso de audiencia"),
        },
        agency=("DEPARTAMENTO DE JUSTICIA",),
        version="2027-01-a",
        access_heading="SU CÓDIGO DE ACCESO",
        language="es-US",
    )
    notice = _notice("removal", access_code="K7Q2-M9XD")
    record = render_notice(notice, spanish)
    assert page_texts(record)[0].startswith("DEPARTAMENTO DE JUSTICIA\nIMMIGRATION COURT\n")
    mailed = mailed_copy_with_code(record, notice, spanish)
    assert "\nAVISO DE AUDIENCIA\n" in page_texts(record)[0]
    assert page_texts(mailed)[-1].startswith("SU CÓDIGO DE ACCESO\n")
    assert "Aviso de audiencia, December 6, 2026" in page_texts(mailed)[-1]
    for pdf in (record, mailed):
        with pymupdf.open(stream=pdf, filetype="pdf") as doc:
            assert doc.xref_get_key(doc.pdf_catalog(), "Lang") == ("string", "es-US")
            assert doc.metadata["subject"] == "hearing_notice 2027-01-a; scheduled; notice n1"
            assert doc.metadata["title"] == "Aviso de audiencia — A200-012-345"


def test_a_notice_of_three_pages_is_tagged_on_each() -> None:
    many = replace(
        SERVICE,
        parties=tuple(
            PartyToServe(Party.DHS, f"DHS office {n}", ServiceMethod.ELECTRONIC) for n in range(40)
        ),
    )
    pdf = render_notice(replace(_notice("removal"), service=many))
    assert page_count(pdf) == 3
    reading = read_tagged(pdf)
    # Every page's text is in the structure tree (its blocks recorded on the right page);
    # only the footers are artifacts.
    assert reading.artifacts == [1, 1, 1]
    assert all(reading.blocks[n] for n in range(3))
    assert "DHS office 39" in tagged_words(reading, 1) + tagged_words(reading, 2)
