"""The portal on the court's clock: counsel of a San Francisco case (America/Los_Angeles)
reads hearing and filing times on the court's clock with its zone, and a document filed
late in the evening there bears that day, with the server process in UTC.

Rule checked: the project's "court's clock" rule (common/court_time.py) — every date a
person reads, or that has legal effect (a document's filing date), is the court's local
date; instants stay UTC in storage and on the wire. Daylight saving time ends on Sunday
1 November 2026 (15 U.S.C. 260a: the first Sunday of November).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import select

import common.court_time
from sync_server.models import DocumentRow, FilingRow
from tests.clock_helpers import machine_zone
from tests.conftest import Api
from tests.pdf_factory import valid_pdf
from tests.portal.portal_flows import appearance_form, clerk_accepts
from tests.portal.portal_helpers import (
    Browser,
    a_case_at,
    csrf_of,
    register_and_approve,
    sign_in_enrolling,
    user_row,
)
from tests.server.sync_helpers import applied, hearing_data


@pytest.fixture(autouse=True)
def _utc_machine() -> Iterator[None]:
    with machine_zone("UTC"):
        yield


def _counsel_of(app: Flask, api: Api, case_index: int) -> tuple[Browser, str, str]:
    """A new attorney whose EOIR-28 in a San Francisco case the clerk accepted."""
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)
    eoir_id = str(user_row(app, account.username).eoir_id)
    case = a_case_at(app, "SFR", case_index)
    browser.post(
        "/portal/appearance/eoir-28",
        appearance_form(case, eoir_id),
        from_page="/portal/appearance/eoir-28",
    )
    with app.extensions["ecas"].factory() as session:
        filing = session.scalar(
            select(FilingRow).where(
                FilingRow.filer_id == account.user_id, FilingRow.kind == "eoir_28"
            )
        )
        assert filing is not None
    clerk_accepts(api, "clerk1", filing.id)
    return browser, case.id, account.user_id


def test_hearings_across_the_end_of_daylight_time_read_nine_oclock_on_the_courts_clock(
    seeded_app: Flask, api: Api
) -> None:
    # Court's clock rule: 09:00 at the court is 16:00 UTC on Fri 30 Oct (PDT) and 17:00
    # UTC on Mon 2 Nov (PST); the page shows 09:00 both times, with the zone.
    browser, case_id, _ = _counsel_of(seeded_app, api, 5)
    clerk = api.login("clerk1")
    for starts in ("2026-10-30T16:00:00Z", "2026-11-02T17:00:00Z"):
        applied(api, clerk, "hearing", {**hearing_data(case_id), "starts_at": starts})
    assert browser.get(f"/portal/cases/{case_id}").status_code == 200
    page = browser.last
    assert 'data-label="Date">Fri 30 Oct 2026</td>' in page
    assert 'data-label="Time">09:00 PDT</td>' in page
    assert 'data-label="Date">Mon 2 Nov 2026</td>' in page
    assert 'data-label="Time">09:00 PST</td>' in page
    assert "16:00" not in page and "17:00" not in page

    browser.get("/portal/cases")
    assert "Fri 30 Oct 2026 09:00 PDT" in browser.last  # the list's next (first) hearing


def test_a_document_filed_at_half_past_ten_at_night_bears_that_days_date(
    seeded_app: Flask, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Court's clock rule: 22:30 PST on Mon 2 Nov 2026 is 06:30 UTC on Tue 3 Nov; the
    # document is filed on the 2nd at the court, which is the date its deadlines count.
    browser, case_id, filer_id = _counsel_of(seeded_app, api, 6)
    monkeypatch.setattr(
        common.court_time, "utc_now", lambda: datetime(2026, 11, 3, 6, 30, tzinfo=UTC)
    )
    upload = f"/portal/cases/{case_id}/file"
    browser.get(upload)
    data = {
        "csrf_token": csrf_of(browser.last),
        "doc_type": "brief",
        "title": "Brief filed late in the evening",
        "lead": (io.BytesIO(valid_pdf(2)), "brief.pdf"),
    }
    response = browser.client.post(upload, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with seeded_app.extensions["ecas"].factory() as session:
        document = session.scalar(
            select(DocumentRow).where(DocumentRow.title == "Brief filed late in the evening")
        )
        assert document is not None
        assert document.filed_on == date(2026, 11, 2)
        submitted = session.scalar(
            select(FilingRow.submitted_at).where(
                FilingRow.filer_id == filer_id, FilingRow.kind == "document"
            )
        )
        assert submitted is not None
    monkeypatch.undo()
    browser.get(f"/portal/cases/{case_id}")
    assert 'data-label="Filed">Mon 2 Nov 2026</td>' in browser.last
    # The filing's own time (the server's clock when it arrived) on the court's clock.
    shown = common.court_time.table_datetime(submitted, "America/Los_Angeles")
    assert shown in browser.last and shown.endswith(("PST", "PDT"))
    browser.get("/portal/filings")
    assert shown in browser.last and " UTC" not in browser.last
