"""eFiling (EOIR-28/27, documents, change of address), clerk review, eInfo (both databases)."""

from __future__ import annotations

import io

from flask import Flask
from sqlalchemy import select

from common.anumber import format_a_number
from sync_server.models import CaseRow, DocumentRow, FilingRow
from tests.conftest import Api
from tests.pdf_factory import encrypted_pdf, javascript_pdf, large_pdf, valid_pdf
from tests.portal.portal_flows import appearance_form, clerk_accepts, clerk_rejects
from tests.portal.portal_helpers import (
    Browser,
    a_case_at,
    audit_rows,
    csrf_of,
    register_and_approve,
    sign_in_enrolling,
    user_row,
)
from tests.server.sync_helpers import SFR, applied, case_data


def _attorney(app: Flask) -> tuple[Browser, str, str]:
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)
    return browser, account.user_id, str(user_row(app, account.username).eoir_id)


def _filing(app: Flask, filer_id: str, kind: str) -> FilingRow:
    with app.extensions["ecas"].factory() as session:
        row = session.scalar(
            select(FilingRow)
            .where(FilingRow.filer_id == filer_id, FilingRow.kind == kind)
            .order_by(FilingRow.submitted_at.desc())
        )
        assert row is not None
        return row


def test_eoir_28_accepted_by_the_clerk_opens_the_case_to_the_attorney(
    seeded_app: Flask, api: Api
) -> None:
    browser, attorney_id, eoir_id = _attorney(seeded_app)
    case = a_case_at(seeded_app, "SFR", 1)
    # Before acceptance the case is not the attorney's: answered as not found.
    assert browser.get(f"/portal/cases/{case.id}").status_code == 404

    browser.get("/portal/appearance/eoir-28")
    assert f'value="{eoir_id}"' in browser.last  # filled in from the registration
    response = browser.post("/portal/appearance/eoir-28", appearance_form(case, eoir_id))
    assert response.status_code == 302, browser.last
    filing = _filing(seeded_app, attorney_id, "eoir_28")
    assert filing.status == "pending" and filing.case_id == case.id
    assert filing.form["scope"] == "all_proceedings" and filing.form["primary"] is True
    assert filing.form["bar_admissions"] == [
        {"jurisdiction": "Supreme Court of California", "bar_number": "123456"}
    ]
    browser.get("/portal/filings")
    assert "EOIR-28" in browser.last and "Pending" in browser.last

    clerk_accepts(api, "clerk1", filing.id)
    assert browser.get(f"/portal/cases/{case.id}").status_code == 200
    page = browser.last
    assert format_a_number(case.a_number) in page and "Hearings" in page
    assert "EOIR-28, all proceedings, primary (accepted)" in page
    browser.get("/portal/cases")
    assert case.respondent_last_name.upper() in browser.last


def test_appearance_form_errors_name_each_field(seeded_app: Flask) -> None:
    browser, _, eoir_id = _attorney(seeded_app)
    case = a_case_at(seeded_app, "SFR", 2)
    bad = appearance_form(
        case,
        eoir_id,
        a_number="A12-34",
        declaration="",
        respondent_consent="",
        bar_number_0="",
        bar_jurisdiction_0="",
        service_date="2999-01-01",
    )
    response = browser.post(
        "/portal/appearance/eoir-28", bad, from_page="/portal/appearance/eoir-28"
    )
    assert response.status_code == 422
    for name in ("a_number", "declaration", "respondent_consent", "bar_admissions", "service_date"):
        assert f'href="#{name}"' in browser.last, name
    assert 'value="Reyes Immigration Law"' in browser.last  # what was typed is kept

    # The right form but another respondent's name: no case found, nothing filed.
    wrong = appearance_form(case, eoir_id, respondent_last_name="Nobody")
    response = browser.post("/portal/appearance/eoir-28", wrong)
    assert response.status_code == 422 and "No case with this A-number" in browser.last
    # An EOIR-27 is for cases before the Board (or decided: it comes with the appeal).
    with seeded_app.extensions["ecas"].factory() as session:
        pending = session.scalars(
            select(CaseRow)
            .where(CaseRow.court_id == case.court_id, CaseRow.status == "pending")
            .order_by(CaseRow.id)
            .limit(1)
        ).one()
    response = browser.post(
        "/portal/appearance/eoir-27",
        appearance_form(pending, eoir_id),
        from_page="/portal/appearance/eoir-27",
    )
    assert response.status_code == 422 and "not before the Board" in browser.last


def test_uploads_preflight_every_file_and_rejection_reasons_show(
    seeded_app: Flask, api: Api
) -> None:
    browser, attorney_id, eoir_id = _attorney(seeded_app)
    case = a_case_at(seeded_app, "SFR", 3)
    browser.post(
        "/portal/appearance/eoir-28",
        appearance_form(case, eoir_id),
        from_page="/portal/appearance/eoir-28",
    )
    clerk_accepts(api, "clerk1", _filing(seeded_app, attorney_id, "eoir_28").id)

    upload = f"/portal/cases/{case.id}/file"
    browser.get(upload)

    def send(**files: bytes) -> int:
        data = {
            "csrf_token": csrf_of(browser.last),
            "doc_type": "brief",
            "title": "Respondent's pre-hearing brief",
        }
        for name, content in files.items():
            data[name] = (io.BytesIO(content), f"{name}.pdf")
        response = browser.client.post(upload, data=data, content_type="multipart/form-data")
        browser.last = response.get_data(as_text=True)
        return response.status_code

    # Every bad file is named with every reason; nothing is filed.
    status = send(lead=encrypted_pdf(), attachment_1=javascript_pdf())
    assert status == 422
    assert "lead.pdf:" in browser.last and "attachment_1.pdf:" in browser.last
    assert "encrypt" in browser.last.lower() and "javascript" in browser.last.lower()
    status = send(lead=large_pdf(25 * 1024 * 1024 + 10))
    assert status == 422 and "Split it into at least 2 numbered parts" in browser.last

    assert send(lead=valid_pdf(3), attachment_1=valid_pdf(1)) == 302
    filing = _filing(seeded_app, attorney_id, "document")
    assert filing.lead_document_id and len(filing.attachment_ids) == 1
    browser.get(f"/portal/cases/{case.id}")
    assert "Respondent&#39;s pre-hearing brief" in browser.last and "Pending" in browser.last

    # The attorney reads back their own pending document (audited).
    with seeded_app.extensions["ecas"].factory() as session:
        lead = session.get(DocumentRow, filing.lead_document_id)
        assert lead is not None and lead.pages == 3
    response = browser.get(f"/portal/cases/{case.id}/documents/{lead.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    reads = audit_rows(seeded_app, "document.read", attorney_id)
    assert reads and reads[-1].record_id == lead.id

    clerk_rejects(
        api, "clerk1", filing.id, "The proof of service on the opposing party is missing."
    )
    browser.get(f"/portal/cases/{case.id}")
    assert "Rejected" in browser.last and "Reason: The proof of service" in browser.last


def test_change_of_address_is_filed_for_review(seeded_app: Flask, api: Api) -> None:
    browser, attorney_id, eoir_id = _attorney(seeded_app)
    case = a_case_at(seeded_app, "SFR", 4)
    browser.post(
        "/portal/appearance/eoir-28",
        appearance_form(case, eoir_id),
        from_page="/portal/appearance/eoir-28",
    )
    clerk_accepts(api, "clerk1", _filing(seeded_app, attorney_id, "eoir_28").id)
    path = f"/portal/cases/{case.id}/address"
    response = browser.post(path, {"street": "", "effective_on": "2999-01-01"}, from_page=path)
    assert response.status_code == 422 and 'href="#street"' in browser.last
    response = browser.post(
        path,
        {
            "street": "9 Valencia St",
            "city": "San Francisco",
            "state": "CA",
            "zip": "94110",
            "effective_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    filing = _filing(seeded_app, attorney_id, "change_of_address")
    assert filing.form["street"] == "9 Valencia St" and filing.status == "pending"


def test_eoir_27_is_filed_for_a_case_before_the_board_and_opens_no_court_case(
    seeded_app: Flask, api: Api
) -> None:
    clerk = api.login("clerk1")
    case = case_data(SFR)
    version = applied(api, clerk, "case", case)
    decided = case | {"status": "decided", "decided_on": "2026-11-02"}
    version = applied(api, clerk, "case", decided, base_version=version)
    applied(api, clerk, "case", decided | {"status": "appealed"}, base_version=version)
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.get(CaseRow, case["id"])
        assert row is not None

    browser, attorney_id, eoir_id = _attorney(seeded_app)
    form = appearance_form(row, eoir_id, scope="custody_and_bond_only")
    page = "/portal/appearance/eoir-27"
    response = browser.post(page, form, from_page=page)
    assert response.status_code == 422 and "whole appeal" in browser.last
    response = browser.post(page, form | {"scope": "all_proceedings"})
    assert response.status_code == 302, browser.last
    filing = _filing(seeded_app, attorney_id, "eoir_27")
    assert filing.case_id == row.id and filing.form["kind"] == "eoir_27"
    clerk_accepts(api, "clerk1", filing.id)
    # The EOIR-27 is an appearance before the Board (8 CFR 1292.4(a)): its filer does not
    # read the immigration court's case through it.
    assert browser.get(f"/portal/cases/{row.id}").status_code == 404
    browser.get("/portal/filings")
    assert "EOIR-27" in browser.last and "Accepted" in browser.last
    assert f"/portal/cases/{row.id}" not in browser.last
