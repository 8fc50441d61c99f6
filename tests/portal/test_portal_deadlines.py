"""eInfo shows counsel the deadlines of their case as the rules count them, with the rule."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from common.court_time import court_today, table_date
from common.holidays import holiday_name
from sync_server.models import CaseRow
from tests.conftest import Api
from tests.portal.portal_flows import appearance_form, clerk_accepts
from tests.portal.portal_helpers import register_and_approve, sign_in_enrolling, user_row
from tests.server.sync_helpers import SFR, applied, case_data


def _thursday_whose_thirtieth_day_is_a_plain_saturday(start: date) -> date:
    """The first Thursday from ``start`` whose day 30 (a Saturday), 31 and 32 hold no
    holiday, so the appeal's only move is off the weekend."""
    day = start + timedelta(days=(3 - start.weekday()) % 7)
    while any(holiday_name(day + timedelta(days=n)) for n in (30, 31, 32)):
        day += timedelta(days=7)
    return day


def test_counsel_reads_the_appeal_deadline_moved_off_a_saturday_with_its_rule(
    seeded_app: Flask, api: Api
) -> None:
    clerk = api.login("clerk1")
    case = case_data(SFR)
    version = applied(api, clerk, "case", case)
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.scalar(select(CaseRow).where(CaseRow.id == case["id"]))
        assert row is not None
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    eoir_id = str(user_row(seeded_app, account.username).eoir_id)
    browser.get("/portal/appearance/eoir-28")
    assert (
        browser.post("/portal/appearance/eoir-28", appearance_form(row, eoir_id)).status_code == 302
    )
    filing_id = [
        c["id"]
        for c in api.pull_all(clerk)[0]
        if c["entity"] == "filing" and c["data"].get("case_id") == case["id"]
    ][-1]
    clerk_accepts(api, "clerk1", filing_id)

    decided = _thursday_whose_thirtieth_day_is_a_plain_saturday(
        court_today("America/Los_Angeles") + timedelta(days=1)
    )
    applied(
        api,
        clerk,
        "case",
        case | {"status": "decided", "decided_on": decided.isoformat()},
        base_version=version,
    )
    assert browser.get(f"/portal/cases/{case['id']}").status_code == 200
    page = browser.last
    # 8 CFR 1003.38(b): 30 days from the oral decision; a Saturday extends to the next
    # business day, the Monday (day 32).
    saturday, sunday, monday = (decided + timedelta(days=n) for n in (30, 31, 32))
    assert "Appeal to the Board of Immigration Appeals (EOIR-26)" in page
    assert monday.isoformat() in page or table_date(monday) in page
    assert (
        f"Moved from {table_date(saturday)}: {table_date(saturday)} is a Saturday; "
        f"{table_date(sunday)} is a Sunday." in page
    )
    assert "Rule: 8 CFR 1003.38(b)" in page
    # 8 CFR 1003.23(b)(1): the motions against the order, from the day it was entered.
    assert "Motion to reconsider" in page and "Motion to reopen" in page
