"""Motions before the Board of Immigration Appeals (issue 15 item 6) through the push: the
forum follows the case (a docketed appeal puts its motions before the Board), a Board
member rules with the Board's signed order, the immigration judge can't rule on a Board
motion and a Board member can't rule on the court's; and the Board's limits (8 CFR
1003.2(b)(2), (c)(2)) flag a late motion to reconsider with the exceptions shown."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pymupdf
import pytest
from flask import Flask

from common.appeals import BOARD_TIMEZONE
from common.court_closures import board_calendar
from common.court_time import court_today
from common.enums import (
    BoardDecisionStatus,
    BoardOutcome,
    MotionRuling,
    MotionStatus,
    MotionType,
    Movant,
)
from common.motions import (
    BOARD_MOTION_ORDER,
    before_board,
    board_decision_of,
    check_motion,
    motion_limits,
    response_due,
)
from common.orders import template_for
from common.wire import Appeal, BoardDecision, Motion
from sync_server.models import DocumentRow, OrderRow, UserRow
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import TokenBook, applied, new_id, push_one, stored
from tests.server.test_board_appeals import appeal_data, decided_case, docketed


@pytest.fixture(scope="module")
def tokens(seeded_app: Flask) -> TokenBook:
    return TokenBook(Api(seeded_app.test_client()))


CASE_1, CASE_2 = str(uuid.uuid4()), str(uuid.uuid4())


def _board_today() -> date:
    return court_today(BOARD_TIMEZONE)


def _appealed_case(api: Api, tokens: TokenBook) -> dict[str, Any]:
    """A decided case whose appeal the Board's clerk has docketed."""
    case = decided_case(api, tokens, days_ago=3)
    appeal = appeal_data(case, "attorney1")
    version = applied(api, tokens["attorney1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    return case


def _motion(case_id: str, filer: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "motion_type": "stay_of_removal",
        "movant": "respondent",
        "filed_on": _board_today().isoformat(),
        "filer_id": user_id(filer),
        "other_party_position": "opposes",
        **fields,
    }


def _ruling(
    motion: dict[str, Any], member: str, template_key: str, ruling: str = "granted"
) -> tuple[dict[str, Any], dict[str, Any]]:
    template = template_for(template_key)
    now = datetime.now(UTC)
    order = {
        "id": new_id(),
        "case_id": motion["case_id"],
        "judge_id": user_id(member),
        "template": template.key,
        "template_version": template.version,
        "status": "signed",
        "signed_by": user_id(member),
        "signed_at": now.isoformat(),
        "body": template.body,
        "fields": {"motion": motion["motion_type"], "movant": motion["movant"], "ruling": ruling},
    }
    stamped = {
        **motion,
        "status": "granted" if ruling.startswith("granted") else "denied",
        "ruling": ruling,
        "ruled_on": _board_today().isoformat(),
        "ruled_by": user_id(member),
        "order_id": order["id"],
    }
    return order, stamped


def _push_group(api: Api, token: str, *changes: tuple[str, dict[str, Any], int | None]) -> Any:
    group = str(uuid.uuid4())
    return api.push(
        token, *({**mutation(e, d, base_version=b), "group": group} for e, d, b in changes)
    )


def test_a_board_member_grants_an_emergency_stay_and_the_boards_order_issues(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    case = _appealed_case(api, tokens)
    motion = _motion(case["id"], "board_clerk1", before_board=True, emergency=True)
    version = applied(api, tokens["board_clerk1"], "motion", motion)
    order, stamped = _ruling(motion, "board_member1", BOARD_MOTION_ORDER)
    results = _push_group(
        api, tokens["board_member1"], ("order", order, None), ("motion", stamped, version)
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    saved = stored(seeded_app, "motion", motion["id"])
    assert saved is not None and saved[0]["status"] == "granted"
    assert saved[0]["ruled_by"] == user_id("board_member1")
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.get(OrderRow, order["id"])
        assert row is not None and row.status == "issued" and row.document_id
        document = session.get(DocumentRow, row.document_id)
        member = session.get(UserRow, user_id("board_member1"))
        assert document is not None and member is not None
        sha256, member_name = document.sha256, member.display_name
    # The PDF is the Board's: its heading, the signing member's name and title.
    response = api.client.get(
        f"/api/v1/blobs/{sha256}", headers=api.headers(tokens["board_member1"])
    )
    assert response.status_code == 200
    with pymupdf.open(stream=response.data, filetype="pdf") as pdf:  # type: ignore[no-untyped-call]
        text = " ".join(" ".join(str(page.get_text()) for page in pdf).split())
    assert "BOARD OF IMMIGRATION APPEALS" in text
    assert "ORDER OF THE BOARD OF IMMIGRATION APPEALS ON A MOTION" in text
    assert f"{member_name} Board Member" in text
    assert "the Board rules as follows" in text


def test_once_the_appeal_is_assigned_only_its_member_rules_on_its_motions(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    case = decided_case(api, tokens, days_ago=3)
    appeal = appeal_data(case, "attorney1")
    version = applied(api, tokens["attorney1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    assignment = {
        "id": new_id(),
        "appeal_id": appeal["id"],
        "case_id": case["id"],
        "panel": False,
        "member_ids": [user_id("board_member2")],
        "author_id": user_id("board_member2"),
        "assigned_by": user_id("board_clerk1"),
        "assigned_on": _board_today().isoformat(),
    }
    applied(api, tokens["board_clerk1"], "board_decision", assignment)
    motion = _motion(case["id"], "board_clerk1", motion_type="remand", before_board=True)
    version = applied(api, tokens["board_clerk1"], "motion", motion)
    order, stamped = _ruling(motion, "board_member1", BOARD_MOTION_ORDER, "denied")
    results = _push_group(
        api, tokens["board_member1"], ("order", order, None), ("motion", stamped, version)
    )
    assert all(r["status"] == "rejected" for r in results), results
    assert any("assigned to the appeal" in (r.get("error") or "") for r in results), [
        r.get("error") for r in results
    ]
    order, stamped = _ruling(motion, "board_member2", BOARD_MOTION_ORDER, "denied")
    results = _push_group(
        api, tokens["board_member2"], ("order", order, None), ("motion", stamped, version)
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results


def test_the_immigration_judge_cannot_rule_on_a_motion_before_the_board(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    case = _appealed_case(api, tokens)
    motion = _motion(case["id"], "board_clerk1", motion_type="reopen", before_board=True)
    version = applied(api, tokens["board_clerk1"], "motion", motion)
    order, stamped = _ruling(motion, "judge1", "motion_order", "denied")
    results = _push_group(
        api, tokens["judge1"], ("order", order, None), ("motion", stamped, version)
    )
    assert all(r["status"] == "rejected" for r in results), results
    assert any("before the Board" in (r.get("error") or "") for r in results), [
        r.get("error") for r in results
    ]
    # Nor does the judge sign the Board's order for it.
    board_order, board_stamped = _ruling(motion, "judge1", BOARD_MOTION_ORDER, "denied")
    results = _push_group(
        api, tokens["judge1"], ("order", board_order, None), ("motion", board_stamped, version)
    )
    assert all(r["status"] == "rejected" for r in results), results
    saved = stored(seeded_app, "motion", motion["id"])
    assert saved is not None and saved[0]["status"] == "pending"


def test_a_board_member_cannot_rule_on_a_motion_before_the_immigration_court(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    # The motion was filed with the court before the appeal was docketed: it stays the
    # court's, even once the case is before the Board.
    case = decided_case(api, tokens, days_ago=3)
    motion = _motion(case["id"], "clerk1", motion_type="reconsider", filed_on=None)
    motion["filed_on"] = court_today("America/Los_Angeles").isoformat()
    version = applied(api, tokens["clerk1"], "motion", motion)
    appeal = appeal_data(case, "attorney1")
    appeal_version = applied(api, tokens["attorney1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=appeal_version)
    order, stamped = _ruling(motion, "board_member1", BOARD_MOTION_ORDER, "denied")
    results = _push_group(
        api, tokens["board_member1"], ("order", order, None), ("motion", stamped, version)
    )
    assert all(r["status"] == "rejected" for r in results), results
    assert any("ruled on by its judge" in (r.get("error") or "") for r in results), results


def test_the_forum_follows_the_case_a_court_motion_in_an_appealed_case_is_refused(
    api: Api, tokens: TokenBook
) -> None:
    case = _appealed_case(api, tokens)
    # The court's clerk can't enter it as the court's …
    court = _motion(case["id"], "clerk1", motion_type="reopen")
    refused = push_one(api, tokens["clerk1"], "motion", court)
    assert refused["status"] == "rejected"
    # … and the Board's clerk can't enter it as the court's either: the case is before the Board.
    at_court = _motion(case["id"], "board_clerk1", motion_type="reopen")
    refused = push_one(api, tokens["board_clerk1"], "motion", at_court)
    assert refused["status"] == "rejected"
    assert "ruled on by its judge" in refused["error"]
    # A Board-only motion can't be before the immigration court in a case not appealed.
    plain = decided_case(api, tokens, days_ago=3)
    remand = _motion(plain["id"], "clerk1", motion_type="remand")
    refused = push_one(api, tokens["clerk1"], "motion", remand)
    assert refused["status"] == "rejected"
    assert "before the Board" in refused["error"]


def _board_decision(case_id: str, issued_on: date, outcome: BoardOutcome) -> BoardDecision:
    return BoardDecision(
        id=new_id(),
        appeal_id=new_id(),
        case_id=case_id,
        member_ids=[user_id("board_member1")],
        author_id=user_id("board_member1"),
        assigned_by=user_id("board_clerk1"),
        assigned_on=issued_on - timedelta(days=40),
        status=BoardDecisionStatus.ISSUED,
        outcome=outcome,
        issued_on=issued_on,
    )


def test_a_motion_to_reconsider_after_the_boards_30_days_is_flagged_untimely() -> None:
    today = _board_today()
    decided = _board_decision(CASE_1, today - timedelta(days=60), BoardOutcome.DISMISSED)
    anchor = board_decision_of([decided])
    assert anchor is not None and anchor.decided_on == decided.issued_on
    motion = Motion(
        id=new_id(),
        case_id=CASE_1,
        motion_type=MotionType.RECONSIDER,
        movant=Movant.RESPONDENT,
        filed_on=today,
        filer_id=user_id("attorney1"),
        before_board=True,
    )
    first = motion_limits(motion, anchor)
    assert first is not None and first.deadline is not None
    due = first.deadline.due  # day 30, or the next business day
    assert due >= anchor.decided_on + timedelta(days=30)
    on_time = motion_limits(motion.model_copy(update={"filed_on": due}), anchor)
    assert on_time is not None and on_time.timely
    late_motion = motion.model_copy(update={"filed_on": due + timedelta(days=1)})
    limits = motion_limits(late_motion, anchor)
    assert limits is not None and not limits.timely and limits.barred
    shown = "\n".join(limits.lines)
    assert "PAST the time limit" in shown
    assert "8 CFR 1003.2(b)(2)" in shown
    assert "Exceptions the Board may apply" in shown
    granted = late_motion.model_copy(
        update={
            "status": MotionStatus.GRANTED,
            "ruling": MotionRuling.GRANTED,
            "ruled_on": today,
            "ruled_by": user_id("board_member1"),
            "order_id": new_id(),
        }
    )
    refused = check_motion(late_motion, granted, limits=limits)
    assert refused is not None and "1003.2" in refused and "exception" in refused
    with_exception = granted.model_copy(update={"limit_exception": "equitable_tolling"})
    assert check_motion(late_motion, with_exception, limits=limits) is None


def test_a_remand_returns_the_cases_motions_to_the_immigration_judge() -> None:
    today = _board_today()
    appeal = Appeal.model_validate(
        {
            **appeal_data(
                {"id": CASE_2, "decided_on": (today - timedelta(days=60)).isoformat()},
                "attorney1",
            ),
            "status": "docketed",
            "docketed_on": (today - timedelta(days=55)).isoformat(),
        }
    )
    assert before_board([appeal])
    dismissed = _board_decision(CASE_2, today - timedelta(days=5), BoardOutcome.DISMISSED)
    assert before_board([appeal], [dismissed])  # the Board decided it last
    remanded = _board_decision(CASE_2, today - timedelta(days=5), BoardOutcome.REMANDED)
    assert not before_board([appeal], [remanded])


def test_a_response_to_a_board_motion_is_due_13_days_after_the_board_received_it() -> None:
    received = date(2026, 12, 1)  # a Tuesday; day 13 is Monday 14 December
    motion = Motion(
        id=new_id(),
        case_id=CASE_1,
        motion_type=MotionType.REMAND,
        movant=Movant.DHS,
        filed_on=received,
        filer_id=user_id("board_clerk1"),
        before_board=True,
    )
    due = response_due(motion, calendar=board_calendar())
    assert due.rule_id == "board_response_to_motion"
    assert due.due == date(2026, 12, 14) and "assumption" in due.citation
    at_court = motion.model_copy(update={"before_board": False, "motion_type": MotionType.OTHER})
    assert response_due(at_court).rule_id == "response_to_filing"
