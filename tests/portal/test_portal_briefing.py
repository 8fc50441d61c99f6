"""Briefing in the portal (issue 15 items 4 and 7): counsel of record reads the schedule
on the case page (each due day in Board time, days left, extension, briefs), asks once for
an extension (a second request is refused with the reason), and files the brief as a PDF
checked in the box, which joins the record as a brief; a brief received after its due day
ended in Board time is flagged late; counsel not of record can't reach the page."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from flask import Flask

from common.appeals import BOARD_TIMEZONE, issue_briefing
from common.court_time import court_today
from common.wire import Appeal
from sync_server.services.records import SessionLookups, write_record
from tests.conftest import Api
from tests.pdf_factory import javascript_pdf, valid_pdf
from tests.portal.portal_helpers import Browser, csrf_of, register_and_approve, sign_in_enrolling
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    case_data,
    document_data,
    representation_data,
    stored,
)
from tests.server.test_board_appeals import appeal_data, docketed


def post_brief(browser: Browser, page: str, pdf: bytes) -> int:
    browser.get(page)
    data: dict[str, object] = {
        "csrf_token": csrf_of(browser.last),
        "lead": (io.BytesIO(pdf), "brief.pdf"),
    }
    response = browser.client.post(page, data=data, content_type="multipart/form-data")
    if response.status_code != 302:
        browser.last = response.get_data(as_text=True)
    return response.status_code


def appeal_in_briefing(seeded_app: Flask, api: Api, practitioner_id: str) -> dict[str, object]:
    """A decided case with ``practitioner_id`` of record, its appeal docketed and the
    transcript marked ready (the server issues the schedule)."""
    tokens = TokenBook(api)
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    decided_on = court_today(BOARD_TIMEZONE) - timedelta(days=5)
    case |= {"status": "decided", "decided_on": decided_on.isoformat()}
    applied(api, tokens["clerk1"], "case", case, base_version=version)
    appearance = representation_data(case["id"], "attorney1", status="accepted")
    appearance["practitioner_id"] = practitioner_id
    applied(api, tokens["clerk1"], "representation", appearance)
    # DHS appeals (dhs1, assigned to San Francisco): counsel is the appellee.
    appeal = appeal_data(case, "dhs1")
    version = applied(api, tokens["dhs1"], "appeal", appeal)
    appeal = docketed(appeal)
    version = applied(api, tokens["board_clerk1"], "appeal", appeal, base_version=version)
    transcript = document_data(seeded_app, case["id"]) | {
        "doc_type": "transcript",
        "title": "Transcript of proceedings",
        "filer_party": "court",
    }
    applied(api, tokens["clerk1"], "document", transcript)
    ready = {**appeal, "transcript_status": "ready", "transcript_document_id": transcript["id"]}
    applied(api, tokens["clerk1"], "appeal", ready, base_version=version)
    held = stored(seeded_app, "appeal", appeal["id"])
    assert held is not None and held[0]["briefing_issued_on"] is not None
    return held[0]


def test_counsel_reads_the_schedule_asks_once_for_an_extension_and_files_the_brief(
    seeded_app: Flask, api: Api
) -> None:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    appeal = appeal_in_briefing(seeded_app, api, account.user_id)
    case_page = f"/portal/cases/{appeal['case_id']}"
    brief_page = f"{case_page}/appeals/{appeal['id']}/brief"

    # The case page: both deadlines in Board time, the days left, nothing filed yet.
    assert browser.get(case_page).status_code == 200
    assert 'id="briefing"' in browser.last
    assert "DHS (appellant)" in browser.last and "Respondent (appellee) — you" in browser.last
    due = datetime.fromisoformat(str(appeal["appellee_brief_due"])).date()
    left = (due - court_today(BOARD_TIMEZONE)).days
    assert f">{left}<" in browser.last and ("EST" in browser.last or "EDT" in browser.last)
    assert "Not requested" in browser.last and "Not filed" in browser.last

    # One extension request; a second is refused with the reason.
    assert browser.get(brief_page).status_code == 200
    response = browser.post(f"{case_page}/appeals/{appeal['id']}/extension", {})
    assert response.status_code == 302
    held = stored(seeded_app, "appeal", str(appeal["id"]))
    assert held is not None and held[0]["appellee_extension"] == "requested"
    assert held[0]["appellant_extension"] == "none"
    browser.get(case_page)
    assert "Requested" in browser.last
    response = browser.post(
        f"{case_page}/appeals/{appeal['id']}/extension", {}, from_page=case_page
    )
    assert response.status_code == 422
    assert "one extension request per party" in browser.last

    # A PDF the box refuses files nothing; a clean one files the brief, in time.
    assert post_brief(browser, brief_page, javascript_pdf()) == 422
    untouched = stored(seeded_app, "appeal", str(appeal["id"]))
    assert untouched is not None and untouched[0]["appellee_brief_document_id"] is None
    assert post_brief(browser, brief_page, valid_pdf(3)) == 302
    held = stored(seeded_app, "appeal", str(appeal["id"]))
    assert held is not None
    filed = held[0]
    assert filed["appellee_brief_late"] is False and filed["appellee_brief_received_at"]
    document = stored(seeded_app, "document", filed["appellee_brief_document_id"])
    assert document is not None
    assert document[0]["doc_type"] == "brief" and document[0]["pages"] == 3
    assert document[0]["filed_on"] == court_today(BOARD_TIMEZONE).isoformat()
    browser.get(case_page)
    assert re.search(r"Received [^<]*(EST|EDT)", browser.last) and "LATE" not in browser.last
    # Filed once: a second brief is refused.
    assert post_brief(browser, brief_page, valid_pdf(2)) == 422


def test_a_brief_received_after_the_due_day_ended_in_board_time_is_flagged_late(
    seeded_app: Flask, api: Api
) -> None:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    appeal = appeal_in_briefing(seeded_app, api, account.user_id)
    # The schedule as it would stand had it issued 60 days ago (both due days have passed).
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session, session.begin():
        old = Appeal.model_validate(appeal)
        back = issue_briefing(
            old.model_copy(update={"briefing_issued_on": None}),
            court_today(BOARD_TIMEZONE) - timedelta(days=60),
        )
        write_record(session, back, lookups=SessionLookups(session))
    page = f"/portal/cases/{appeal['case_id']}/appeals/{appeal['id']}/brief"
    assert browser.get(page).status_code == 200 and "the due day has passed" in browser.last
    assert post_brief(browser, page, valid_pdf(2)) == 302
    held = stored(seeded_app, "appeal", str(appeal["id"]))
    assert held is not None and held[0]["appellee_brief_late"] is True
    browser.get(f"/portal/cases/{appeal['case_id']}")
    assert "LATE" in browser.last


def test_counsel_not_of_record_and_the_wrong_side_cannot_file(seeded_app: Flask, api: Api) -> None:
    of_record = register_and_approve(seeded_app)
    appeal = appeal_in_briefing(seeded_app, api, of_record.user_id)
    stranger = sign_in_enrolling(seeded_app, register_and_approve(seeded_app))
    page = f"/portal/cases/{appeal['case_id']}/appeals/{appeal['id']}/brief"
    assert stranger.get(page).status_code == 404
    stranger.get("/portal/cases")
    response = stranger.client.post(
        f"/portal/cases/{appeal['case_id']}/appeals/{appeal['id']}/extension",
        data={"csrf_token": csrf_of(stranger.last)},
    )
    assert response.status_code == 404
    held = stored(seeded_app, "appeal", str(appeal["id"]))
    assert held is not None and held[0]["appellee_extension"] == "none"


def test_both_sides_file_their_briefs_dhs_as_appellant_and_counsel_as_appellee(
    seeded_app: Flask, api: Api
) -> None:
    counsel = register_and_approve(seeded_app)
    counsel_browser = sign_in_enrolling(seeded_app, counsel)
    dhs_browser = sign_in_enrolling(seeded_app, register_and_approve(seeded_app, kind="dhs"))
    appeal = appeal_in_briefing(seeded_app, api, counsel.user_id)
    case_page = f"/portal/cases/{appeal['case_id']}"
    page = f"{case_page}/appeals/{appeal['id']}/brief"
    assert dhs_browser.get(case_page).status_code == 200
    assert "DHS (appellant) — you" in dhs_browser.last
    assert post_brief(dhs_browser, page, valid_pdf(2)) == 302
    assert post_brief(counsel_browser, page, valid_pdf(2)) == 302
    held = stored(seeded_app, "appeal", str(appeal["id"]))
    assert held is not None
    briefs = [held[0][f"{side}_brief_document_id"] for side in ("appellant", "appellee")]
    assert all(briefs) and briefs[0] != briefs[1]
    filers = []
    for document_id in briefs:
        document = stored(seeded_app, "document", document_id)
        assert document is not None and document[0]["doc_type"] == "brief"
        filers.append(document[0]["filer_party"])
    assert filers == ["dhs", "practitioner"]
    counsel_browser.get(case_page)
    assert counsel_browser.last.count("Received ") >= 2 and "Not filed" not in counsel_browser.last
