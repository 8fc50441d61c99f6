"""End to end on the app: counsel of record files a notice of appeal (EOIR-26) with a
fee-waiver request in the portal, the Board's clerk dockets it from the desktop client's
intake (``desktop.board``, pushed as the client pushes), the case becomes appealed, the
immigration court's clerk marks the transcript ready with its document, and the portal's
case page shows the appeal docketed with its transcript ready and the 30-day clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

from common.appeals import BOARD_TIMEZONE, appeal_due
from common.court_time import court_today
from common.deadlines import Decision
from common.wire import Appeal, Document
from desktop.board import board_docket, docket, intake_queue, transcript_ready
from tests.conftest import Api, mutation, user_id
from tests.portal.portal_helpers import register_and_approve, sign_in_enrolling
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    by_entity,
    case_data,
    document_data,
    representation_data,
    stored,
)


def test_counsel_files_an_eoir26_with_a_fee_waiver_the_board_dockets_it_and_the_transcript_is_ready(
    seeded_app: Flask, api: Api
) -> None:
    tokens = TokenBook(api)
    # A case the judge decided 10 days ago; a newly registered attorney of record.
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    decided_on = court_today(BOARD_TIMEZONE) - timedelta(days=10)
    case |= {"status": "decided", "decided_on": decided_on.isoformat()}
    applied(api, tokens["clerk1"], "case", case, base_version=version)
    appearance = representation_data(case["id"], "attorney1", status="accepted")
    appearance["practitioner_id"] = account.user_id
    applied(api, tokens["clerk1"], "representation", appearance)

    # The case page runs the 30-day clock in the Board's time.
    page = f"/portal/cases/{case['id']}"
    assert browser.get(page).status_code == 200
    assert "must be <strong>received</strong> by the Board by" in browser.last
    assert "EST" in browser.last or "EDT" in browser.last
    due = appeal_due(Decision(decided_on=decided_on)).due  # the Board's calendar
    left = (due - court_today(BOARD_TIMEZONE)).days
    assert f"{left} days left" in browser.last and left >= 20

    # A reason that is not specific is sent back; then the appeal is filed.
    form = {
        "decision_date": decided_on.isoformat(),
        "reasons": "The judge was wrong.",
        "separate_brief": "yes",
        "fee": "waiver_requested",
        "proof_of_service": "yes",
        "signed_by_name": "/s/ Dana Reyes",
    }
    response = browser.post(f"{page}/appeal", form, from_page=f"{page}/appeal")
    assert response.status_code == 422 and "with specificity" in browser.last
    form["reasons"] = (
        "The immigration judge erred in finding the respondent not credible on the basis of "
        "a single omission, and in holding that past harm did not amount to persecution."
    )
    response = browser.post(f"{page}/appeal", form)
    assert response.status_code == 302, browser.last

    # The Board's clerk sees it at intake (nationwide) and dockets it from the client.
    changes, _ = api.pull_all(tokens["board_clerk1"])
    queue = intake_queue(
        board_docket(
            [c["data"] for c in changes if c["entity"] == "appeal"],
            [c["data"] for c in changes if c["entity"] == "case"],
            [c["data"] for c in changes if c["entity"] == "court"],
        )
    )
    (row,) = [r for r in queue if r.case_id == case["id"]]
    assert row.fee == "Waiver requested (EOIR-26A)" and row.flags == ()
    assert row.due is not None and row.due >= decided_on + timedelta(days=30)
    docketed = docket(row.appeal, user_id("board_clerk1"), datetime.now(UTC))
    appeal_version = stored(seeded_app, "appeal", row.appeal_id)
    assert appeal_version is not None
    applied(
        api,
        tokens["board_clerk1"],
        "appeal",
        docketed.model_dump(mode="json"),
        base_version=appeal_version[1],
    )
    held = stored(seeded_app, "case", case["id"])
    assert held is not None and held[0]["status"] == "appealed"

    # The immigration court's clerk files the transcript and marks it ready, together.
    transcript = document_data(seeded_app, case["id"]) | {
        "doc_type": "transcript",
        "title": "Transcript of proceedings",
        "filer_party": "court",
    }
    now_held = stored(seeded_app, "appeal", row.appeal_id)
    assert now_held is not None
    ready = transcript_ready(
        Appeal.model_validate(now_held[0]), Document.model_validate(transcript)
    )
    results = api.push(
        tokens["clerk1"],
        mutation("document", transcript) | {"group": "transcript"},
        mutation("appeal", ready.model_dump(mode="json"), base_version=now_held[1])
        | {"group": "transcript"},
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results

    # The Board reads the transcript in the record; counsel sees the appeal's course.
    board, _ = api.pull_all(tokens["board_member2"])
    assert transcript["id"] in by_entity(board, "document")
    assert browser.get(page).status_code == 200
    assert "Docketed" in browser.last and "Ready" in browser.last
