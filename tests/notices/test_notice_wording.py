"""The notice of hearing's rules and wording, without a server: which change issues which
notice, that every paragraph names its source, and what each kind of proceeding's notice
says, read back from the rendered PDF.

Sources (read 2026-12-06): 8 CFR 1003.18(b); INA 239(a)(1)(G), 239(a)(2)(A), 240(b)(5);
8 CFR 1003.15(d)(2) and ICPM Chapter 2.2(c) (address, EOIR-33/IC, 5 days); 8 CFR 1003.61(a)
and ICPM Chapter 2.2(b) (pro bono list); ICPM Chapter 1.6(c) (case information hotline, no
bond proceedings); 8 CFR 1003.19(d) (bond proceedings separate); 8 CFR 1003.42 (credible
fear review).
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from common.court_time import UnknownTimeZone
from common.enums import CaseType, HearingStatus, HearingType, Medium, Party
from common.forms_eoir import ServiceMethod
from common.hearing_notices import (
    TEMPLATE_FILE,
    HearingNotice,
    NoticeCourt,
    NoticeKind,
    Setting,
    notice_kind,
    notice_template,
    parse_notice_template,
    pdf_text,
    render_notice,
)
from common.resources import DataFileError, resources_dir
from common.service import CertificateOfService, PartyToServe
from common.wire import Hearing

SAN_FRANCISCO = NoticeCourt(
    "San Francisco Immigration Court",
    "630 Sansome Street",
    "San Francisco",
    "CA",
    "America/Los_Angeles",
)
SERVICE = CertificateOfService(
    "Court staff, San Francisco Immigration Court",
    None,
    (
        PartyToServe(
            Party.RESPONDENT,
            "Rosa Quispe",
            ServiceMethod.MAIL,
            address_id="a1",
            address=("12 Elm Street", "Oakland, CA 94607"),
        ),
        PartyToServe(
            Party.DHS, "DHS — ICE Office of the Principal Legal Advisor", ServiceMethod.ELECTRONIC
        ),
    ),
)


ROOM_1, ROOM_2 = (
    str(uuid.uuid5(uuid.NAMESPACE_URL, "r1")),
    str(uuid.uuid5(uuid.NAMESPACE_URL, "r2")),
)
JUDGE_2 = str(uuid.uuid5(uuid.NAMESPACE_URL, "j2"))


def _hearing(**changes: Any) -> Hearing:
    base = Hearing(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, "h1")),
        case_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "c1")),
        courtroom_id=ROOM_1,
        hearing_type=HearingType.MASTER,
        medium=Medium.IN_PERSON,
        starts_at=datetime(2027, 1, 4, 17, tzinfo=UTC),
    )
    return base.model_copy(update=changes)


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (None, _hearing(), NoticeKind.SCHEDULED),
        (
            _hearing(),
            _hearing(starts_at=datetime(2027, 1, 5, 17, tzinfo=UTC)),
            NoticeKind.RESCHEDULED,
        ),
        (_hearing(), _hearing(courtroom_id=ROOM_2), NoticeKind.RESCHEDULED),
        (_hearing(), _hearing(medium=Medium.VIDEO), NoticeKind.RESCHEDULED),
        (_hearing(), _hearing(hearing_type=HearingType.INDIVIDUAL), NoticeKind.RESCHEDULED),
        (_hearing(status=HearingStatus.CANCELLED), _hearing(), NoticeKind.RESCHEDULED),
        (
            _hearing(),
            _hearing(status=HearingStatus.ADJOURNED, adjournment_code="01"),
            NoticeKind.ADJOURNED,
        ),
        (_hearing(), _hearing(status=HearingStatus.CANCELLED), NoticeKind.CANCELLED),
        (_hearing(), _hearing(duration_minutes=90), None),
        (_hearing(), _hearing(judge_id=JUDGE_2), None),
        (_hearing(), _hearing(interpreter_language="Quechua"), None),
        (_hearing(), _hearing(status=HearingStatus.COMPLETED, outcome="Pleadings taken"), None),
        (None, _hearing(status=HearingStatus.COMPLETED), None),
        (None, _hearing(status=HearingStatus.ADJOURNED), None),
        (_hearing(status=HearingStatus.CANCELLED), _hearing(status=HearingStatus.CANCELLED), None),
    ],
)
def test_which_change_of_a_hearing_serves_which_notice(
    old: Hearing | None, new: Hearing, kind: NoticeKind | None
) -> None:
    assert notice_kind(old, new) is kind


def test_every_paragraph_of_the_notice_names_its_source_and_when_it_was_read() -> None:
    raw = json.loads((resources_dir() / TEMPLATE_FILE).read_text(encoding="utf-8"))
    assert raw["version"] and raw["read_on"] == "2026-12-06"
    template = notice_template()
    for advisal in template.advisals:
        assert advisal.sources, advisal.key
        assert all(c.document and c.section and c.read_on == "2026-12-06" for c in advisal.sources)
    # Each kind of proceeding has its caption, and is told of its address duty and of the
    # free legal service providers; only removal proceedings carry the in-absentia advisal.
    for case_type in CaseType:
        keys = {a.key for a in template.advisals_for(template.proceeding(case_type, "master"))}
        assert {"change_of_address", "legal_service_providers"} <= keys, case_type
        assert ("failure_to_appear" in keys) is (case_type is CaseType.REMOVAL), case_type
    # Where no primary source was found, the file says what was assumed.
    assumed = {a.key for a in template.advisals if a.assumption}
    assert {"failure_to_appear_bond", "failure_to_appear_other"} <= assumed


def test_a_wording_file_missing_a_caption_or_a_source_is_refused_with_what_to_fix() -> None:
    raw = json.loads((resources_dir() / TEMPLATE_FILE).read_text(encoding="utf-8"))
    no_caption = copy.deepcopy(raw)
    del no_caption["captions"]["rescission"]
    with pytest.raises(DataFileError, match="caption rescission"):
        parse_notice_template(no_caption)
    no_source = copy.deepcopy(raw)
    no_source["advisals"][0]["source"] = []
    with pytest.raises(DataFileError, match="names its source"):
        parse_notice_template(no_source)
    stray = copy.deepcopy(raw)
    stray["openings"]["scheduled"]["text"] = "Set for {hearing_date}."
    with pytest.raises(DataFileError, match="hearing_date"):
        parse_notice_template(stray)


def _notice(case_type: str, *, hearing_type: str = "master", **extra: Any) -> HearingNotice:
    return HearingNotice(
        notice_id="n1",
        kind=extra.pop("kind", NoticeKind.SCHEDULED),
        case_type=case_type,
        a_number="200012345",
        respondent_name="Rosa Quispe",
        court=extra.pop("court", SAN_FRANCISCO),
        setting=Setting(
            starts_at=datetime(2027, 1, 4, 17, tzinfo=UTC),
            hearing_type=hearing_type,
            medium="in_person",
            courtroom="Courtroom 3",
        ),
        issued_at=datetime(2026, 12, 7, 1, 30, tzinfo=UTC),  # 5:30 PM on Dec 6 in SF
        service=SERVICE,
        **extra,
    )


@pytest.mark.parametrize(
    ("case_type", "caption"),
    [
        ("removal", "IN REMOVAL PROCEEDINGS"),
        ("bond", "IN BOND PROCEEDINGS"),
        ("credible_fear_review", "CREDIBLE FEAR REVIEW"),
        ("asylum_only", "IN ASYLUM-ONLY PROCEEDINGS"),
        ("withholding_only", "IN WITHHOLDING-ONLY PROCEEDINGS"),
        ("rescission", "IN RESCISSION PROCEEDINGS"),
    ],
)
def test_each_kind_of_proceeding_is_captioned_as_itself(case_type: str, caption: str) -> None:
    text = " ".join(pdf_text(render_notice(_notice(case_type))).split())
    assert caption in text
    assert ("REMOVAL PROCEEDINGS" in text) is (case_type == "removal")
    assert "Date and time: January 4, 2027 at 9:00 AM PST" in text
    # The date of the notice is the court's: 01:30 UTC on 7 December is still 6 December
    # in San Francisco.
    assert "Date of this notice: December 6, 2026" in text
    assert "served on December 6, 2026" in text
    assert "Respondent: Rosa Quispe — first-class mail — 12 Elm Street; Oakland, CA 94607" in text
    assert "ORDER" not in text


def test_a_notice_renders_to_the_same_bytes_every_time() -> None:
    notice = _notice("removal", kind=NoticeKind.RESCHEDULED, previous=_notice("removal").setting)
    assert render_notice(notice) == render_notice(notice)


def test_a_court_whose_time_zone_is_unknown_gets_no_notice_dated_in_utc() -> None:
    court = NoticeCourt("Nowhere Immigration Court", "1 Main St", "Nowhere", "ZZ", "Mars/Olympus")
    with pytest.raises(UnknownTimeZone, match="correct the court's record"):
        render_notice(_notice("removal", court=court))
