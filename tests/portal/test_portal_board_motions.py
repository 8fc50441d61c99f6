"""Board motions and the appeal's course in the portal (issue 15 items 6-7): the case page
shows each appeal's status (rejected with the catalogue's reason, docketed); once the Board
has docketed the case's appeal, the motion form files before the Board by itself (the
Board's motion types, an emergency stay marked as such); before that, the Board's types are
not offered. DHS answers the respondent's motion with its position, as a party."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from common.appeals import BOARD_TIMEZONE
from common.court_time import court_today
from sync_server.models import AppealRow, MotionRow
from tests.conftest import Api, user_id
from tests.pdf_factory import valid_pdf
from tests.portal.portal_helpers import register_and_approve, sign_in_enrolling
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    case_data,
    new_id,
    representation_data,
    stored,
)
from tests.server.test_board_appeals import appeal_data, decided_case, docketed
from tests.server.test_board_decisions import assignment, draft, drafted, signed_by


def _appeal_ids(app: Flask, case_id: str) -> list[str]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(AppealRow.id)
                .where(AppealRow.case_id == case_id)
                .order_by(AppealRow.received_at)
            )
        )


APPEAL_REASONS = (
    "The immigration judge erred in finding the respondent not credible on the basis of "
    "a single omission, and in holding that past harm did not amount to persecution."
)


def test_counsel_files_an_emergency_stay_before_the_board_once_the_appeal_is_docketed(
    seeded_app: Flask, api: Api
) -> None:
    tokens = TokenBook(api)
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
    page = f"/portal/cases/{case['id']}"

    # Before the Board has the case, the form is the court's: no stay, no Board notice.
    assert browser.get(f"{page}/motion").status_code == 200
    assert 'id="board-forum"' not in browser.last
    assert 'value="stay_of_removal"' not in browser.last
    assert 'value="continuance"' in browser.last

    form = {
        "decision_date": decided_on.isoformat(),
        "reasons": APPEAL_REASONS,
        "fee": "waiver_requested",
        "proof_of_service": "yes",
        "signed_by_name": "/s/ Dana Reyes",
    }
    # The first notice is rejected (its signature): the case page says why.
    assert browser.post(f"{page}/appeal", form, from_page=f"{page}/appeal").status_code == 302
    rejected_id = _appeal_ids(seeded_app, case["id"])[0]
    held = stored(seeded_app, "appeal", rejected_id)
    assert held is not None
    rejection = {
        **held[0],
        "status": "rejected",
        "rejection_code": "missing_signature",
        "rejection_note": "The typed signature is not counsel's",
        "reviewed_by": user_id("board_clerk1"),
        "reviewed_at": datetime.now(UTC).isoformat(),
    }
    applied(api, tokens["board_clerk1"], "appeal", rejection, base_version=held[1])
    assert browser.get(page).status_code == 200
    assert 'class="appeal-stage">Rejected' in browser.last
    assert "The notice of appeal is not signed (The typed signature is not counsel" in (
        browser.last
    )

    assert browser.post(f"{page}/appeal", form, from_page=f"{page}/appeal").status_code == 302
    (appeal_id,) = [a for a in _appeal_ids(seeded_app, case["id"]) if a != rejected_id]
    held = stored(seeded_app, "appeal", appeal_id)
    assert held is not None
    applied(api, tokens["board_clerk1"], "appeal", docketed(held[0]), base_version=held[1])
    assert browser.get(page).status_code == 200
    assert 'class="appeal-stage">Docketed' in browser.last
    assert "Received (Board)" in browser.last

    # Now the form files before the Board, with the Board's types.
    assert browser.get(f"{page}/motion").status_code == 200
    assert 'id="board-forum"' in browser.last
    assert 'value="stay_of_removal"' in browser.last
    assert 'value="continuance"' not in browser.last
    motion = {
        "motion_type": "remand",
        "movant": "respondent",
        "position": "opposes",
        "emergency": "yes",
        "lead": (io.BytesIO(valid_pdf(1)), "motion.pdf"),
    }
    refused = browser.post(f"{page}/motion", motion, from_page=f"{page}/motion")
    assert refused.status_code == 422
    assert "Only a motion for a stay of removal is an emergency" in browser.last
    motion |= {
        "motion_type": "stay_of_removal",
        "lead": (io.BytesIO(valid_pdf(1)), "stay.pdf"),
    }
    filed = browser.post(f"{page}/motion", motion, from_page=f"{page}/motion")
    assert filed.status_code == 302, browser.last
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.scalars(select(MotionRow).where(MotionRow.case_id == case["id"])).one()
        assert row.before_board and row.emergency and row.motion_type == "stay_of_removal"
        assert row.filed_on == court_today(BOARD_TIMEZONE)  # received on the Board's day


def test_dhs_states_its_position_on_the_respondents_board_motion_in_the_portal(
    seeded_app: Flask, api: Api
) -> None:
    tokens = TokenBook(api)
    case = decided_case(api, tokens, days_ago=3)
    appeal = appeal_data(case, "attorney1")
    version = applied(api, tokens["attorney1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    # The Board's clerk enters the respondent's paper motion to remand.
    motion = {
        "id": new_id(),
        "case_id": case["id"],
        "motion_type": "remand",
        "movant": "respondent",
        "filed_on": court_today(BOARD_TIMEZONE).isoformat(),
        "filer_id": user_id("board_clerk1"),
        "before_board": True,
    }
    applied(api, tokens["board_clerk1"], "motion", motion)

    account = register_and_approve(seeded_app, kind="dhs")
    dhs = sign_in_enrolling(seeded_app, account)
    page = f"/portal/cases/{case['id']}/motions"
    assert dhs.get(page).status_code == 200
    action = f"{page}/{motion['id']}/position"
    assert f'action="{action}"' in dhs.last
    response = dhs.post(action, {"position": "opposes"}, from_page=page)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("notice=position")
    held = stored(seeded_app, "motion", motion["id"])
    assert held is not None and held[0]["other_party_position"] == "opposes"
    # Nothing else of the motion is DHS's to change, and DHS answers only the other side.
    dhs_motion = {**motion, "id": new_id(), "movant": "dhs"}
    applied(api, tokens["board_clerk1"], "motion", dhs_motion)
    dhs.get(page)
    refused = dhs.post(f"{page}/{dhs_motion['id']}/position", {"position": "opposes"})
    assert refused.headers["Location"].endswith("notice=position-refused")


def test_the_case_page_links_the_boards_decision_once_issued_and_motions_stay_before_it(
    seeded_app: Flask, api: Api
) -> None:
    tokens = TokenBook(api)
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    decided_on = court_today(BOARD_TIMEZONE) - timedelta(days=4)
    case |= {"status": "decided", "decided_on": decided_on.isoformat()}
    applied(api, tokens["clerk1"], "case", case, base_version=version)
    appearance = representation_data(case["id"], "attorney1", status="accepted")
    appearance["practitioner_id"] = account.user_id
    applied(api, tokens["clerk1"], "representation", appearance)
    appeal = appeal_data(case, "dhs1")
    version = applied(api, tokens["dhs1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    # A single member dismisses DHS's appeal (common.board_decisions; the server issues it).
    decision = assignment(case, appeal, ("board_member1",))
    version = applied(api, tokens["board_clerk1"], "board_decision", decision)
    order = draft(case, "board_member1", "dismissed")
    applied(api, tokens["board_member1"], "order", order)
    decision = drafted(decision, order)
    applied(api, tokens["board_member1"], "board_decision", decision, base_version=version)
    held = stored(seeded_app, "order", order["id"])
    assert held is not None
    signed = signed_by(order, "board_member1")
    applied(api, tokens["board_member1"], "order", signed, base_version=held[1])
    issued = stored(seeded_app, "order", order["id"])
    assert issued is not None and issued[0]["document_id"]

    page = f"/portal/cases/{case['id']}"
    assert browser.get(page).status_code == 200
    assert 'class="appeal-stage">Decided' in browser.last
    assert "Appeal dismissed" in browser.last
    # The appeal table reads the appeal record, which the server marked decided as it issued.
    assert 'class="appeal-status">Decided: Appeal dismissed</td>' in browser.last
    link = f"{page}/documents/{issued[0]['document_id']}"
    assert f'href="{link}"' in browser.last
    assert browser.get(link).status_code == 200
    # The Board decided the case last: a motion to reconsider goes to the Board.
    assert browser.get(f"{page}/motion").status_code == 200
    assert 'id="board-forum"' in browser.last
