"""Motions through the push (issue 13 item 2): the clerk enters a paper motion, a party
files one with its filing and document, the judge rules with a signed motion order pushed
in the same group (issued and served once by the server), and what is refused, with the
reason: a ruling on a withdrawn motion, a ruling by anyone but the case's judge, a ruling
whose order says another thing, "granted as unopposed" on DHS's motion."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from common.court_time import court_today
from common.orders import template_for
from sync_server.models import OrderRow, ServiceRecordRow
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import (
    NOW,
    SFR,
    a_blob,
    applied,
    case_data,
    filing_data,
    new_id,
    push_one,
    stored,
)

RULED_ON = "2026-11-27"  # NOW (15:00 UTC) is November 27 in San Francisco


def _case_with_motion(api: Api, **motion: Any) -> tuple[str, dict[str, Any]]:
    clerk = api.login("clerk1")
    case = case_data(SFR, judge="judge1")
    applied(api, clerk, "case", case)
    data = {
        "id": new_id(),
        "case_id": case["id"],
        "motion_type": "continuance",
        "movant": "respondent",
        "filed_on": "2026-11-20",
        "filer_id": user_id("clerk1"),
        "other_party_position": "does_not_oppose",
        **motion,
    }
    applied(api, clerk, "motion", data)
    return case["id"], data


def _ruling(
    case_id: str, motion: dict[str, Any], ruling: str, status: str, **order_fields: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The judge's signed motion order and the motion stamped with it."""
    template = template_for("motion_order")
    order = {
        "id": new_id(),
        "case_id": case_id,
        "judge_id": user_id("judge1"),
        "template": template.key,
        "template_version": template.version,
        "status": "signed",
        "signed_by": user_id("judge1"),
        "signed_at": NOW,
        "body": template.body,
        "fields": {
            "motion": motion["motion_type"],
            "movant": motion["movant"],
            "ruling": ruling,
            **order_fields,
        },
    }
    stamped = {
        **motion,
        "status": status,
        "ruling": ruling,
        "ruled_on": RULED_ON,
        "ruled_by": user_id("judge1"),
        "order_id": order["id"],
    }
    return order, stamped


def _push_group(api: Api, token: str, *changes: tuple[str, dict[str, Any], int | None]) -> Any:
    group = str(uuid.uuid4())
    return api.push(
        token,
        *({**mutation(e, d, base_version=b), "group": group} for e, d, b in changes),
    )


def test_the_judges_stamp_issues_one_signed_order_served_on_the_parties(
    seeded_app: Flask, api: Api
) -> None:
    case_id, motion = _case_with_motion(api, motion_type="terminate")
    version = stored(seeded_app, "motion", motion["id"])
    assert version is not None
    order, stamped = _ruling(case_id, motion, "denied", "denied", reason="The charge stands.")
    judge = api.login("judge1")
    results = _push_group(api, judge, ("order", order, None), ("motion", stamped, version[1]))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    saved = stored(seeded_app, "motion", motion["id"])
    assert saved is not None and saved[0]["status"] == "denied"
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.get(OrderRow, order["id"])
        assert row is not None and row.status == "issued" and row.document_id
        served = session.scalars(
            select(ServiceRecordRow).where(ServiceRecordRow.document_id == row.document_id)
        ).all()
    assert served, "the order is served on the parties"


def test_a_ruling_on_a_withdrawn_motion_is_refused_with_the_reason(
    seeded_app: Flask, api: Api
) -> None:
    case_id, motion = _case_with_motion(api)
    clerk = api.login("clerk1")
    version = stored(seeded_app, "motion", motion["id"])
    assert version is not None
    withdrawn = {**motion, "status": "withdrawn"}
    base = applied(api, clerk, "motion", withdrawn, base_version=version[1])
    order, stamped = _ruling(
        case_id, withdrawn, "granted", "granted", adjournment_code="02", next_hearing="2027-01-15"
    )
    results = _push_group(
        api, api.login("judge1"), ("order", order, None), ("motion", stamped, base)
    )
    assert all(r["status"] == "rejected" for r in results), results
    assert any("withdrawn" in (r.get("error") or "") for r in results), results
    with seeded_app.extensions["ecas"].factory() as session:
        assert session.get(OrderRow, order["id"]) is None  # the group went back whole


def test_only_the_judge_of_the_case_rules(seeded_app: Flask, api: Api) -> None:
    case_id, motion = _case_with_motion(api)
    version = stored(seeded_app, "motion", motion["id"])
    assert version is not None
    _, stamped = _ruling(case_id, motion, "denied", "denied")
    for who in ("clerk1", "judge2", "attorney1", "dhs1"):
        result = push_one(api, api.login(who), "motion", stamped, base_version=version[1])
        assert result["status"] == "rejected" and result["error"], (who, result)


def test_a_ruling_must_say_what_its_order_says(seeded_app: Flask, api: Api) -> None:
    case_id, motion = _case_with_motion(api, motion_type="terminate")
    version = stored(seeded_app, "motion", motion["id"])
    assert version is not None
    order, stamped = _ruling(case_id, motion, "denied", "denied")
    stamped = {**stamped, "status": "granted", "ruling": "granted"}
    results = _push_group(
        api, api.login("judge1"), ("order", order, None), ("motion", stamped, version[1])
    )
    assert any("another stamp" in (r.get("error") or "") for r in results), results


def test_granted_as_unopposed_is_for_the_respondents_motion_only(
    seeded_app: Flask, api: Api
) -> None:
    case_id, motion = _case_with_motion(api, motion_type="terminate", movant="dhs")
    version = stored(seeded_app, "motion", motion["id"])
    assert version is not None
    order, stamped = _ruling(case_id, motion, "granted_unopposed", "granted")
    results = _push_group(
        api, api.login("judge1"), ("order", order, None), ("motion", stamped, version[1])
    )
    assert all(r["status"] == "rejected" for r in results), results
    assert any("respondent's motion" in (r.get("error") or "") for r in results), results


def test_a_party_pushes_a_motion_only_with_its_own_pending_filing(
    seeded_app: Flask, api: Api
) -> None:
    # attorney1 appears in demo case 12 (the access matrix's case).
    from tests.server.test_access_matrix import ATTORNEY_CASE

    attorney = api.login("attorney1")
    today = court_today("America/Los_Angeles").isoformat()  # received on the court's date
    bare = {
        "id": new_id(),
        "case_id": ATTORNEY_CASE,
        "motion_type": "continuance",
        "movant": "respondent",
        "filed_on": today,
        "filer_id": user_id("attorney1"),
    }
    refused = push_one(api, attorney, "motion", bare)
    assert refused["status"] == "rejected" and "filing" in refused["error"], refused
    sha, size = a_blob(seeded_app, "attorney1")
    filing = filing_data(ATTORNEY_CASE, SFR, "attorney1")
    document = {
        "id": new_id(),
        "case_id": ATTORNEY_CASE,
        "doc_type": "motion",
        "title": "Motion to continue",
        "filer_id": user_id("attorney1"),
        "filer_party": "practitioner",
        "filed_on": today,
        "pages": 1,
        "sha256": sha,
        "size": size,
        "status": "pending",
        "filing_id": filing["id"],
    }
    filing["lead_document_id"] = document["id"]
    results = api.push(
        attorney,
        mutation("filing", filing),
        mutation("document", document),
        mutation("motion", {**bare, "filing_id": filing["id"], "document_id": document["id"]}),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, [r.get("error") for r in results]
    # A motion for DHS is not counsel's to make.
    dhs_motion = {**bare, "id": new_id(), "movant": "dhs"}
    refused = push_one(api, attorney, "motion", dhs_motion)
    assert refused["status"] == "rejected" and "respondent" in refused["error"], refused
