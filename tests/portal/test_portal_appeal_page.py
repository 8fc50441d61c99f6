"""The case page's appeal section once the Board docketed an appeal: the case is appealed,
so no 30-day clock runs from a decision the page would otherwise call missing; it says the
decision is on appeal, with its day, above the appeal's course."""

from __future__ import annotations

from datetime import date

from flask import Flask

from common.court_time import table_date
from tests.conftest import Api
from tests.portal.portal_helpers import register_and_approve, sign_in_enrolling
from tests.portal.test_portal_briefing import appeal_in_briefing
from tests.server.sync_helpers import stored


def test_an_appealed_case_page_says_the_decision_is_on_appeal_not_that_none_was_entered(
    seeded_app: Flask, api: Api
) -> None:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    appeal = appeal_in_briefing(seeded_app, api, account.user_id)
    case = stored(seeded_app, "case", str(appeal["case_id"]))
    assert case is not None and case[0]["status"] == "appealed"
    decided_on = date.fromisoformat(case[0]["decided_on"])
    assert browser.get(f"/portal/cases/{appeal['case_id']}").status_code == 200
    page = browser.last
    assert "No decision has been entered" not in page
    assert (
        f"The immigration judge's decision of {table_date(decided_on)} is on appeal to the "
        "Board of Immigration Appeals"
    ) in page
    assert 'class="appeal-stage">Docketed' in page
