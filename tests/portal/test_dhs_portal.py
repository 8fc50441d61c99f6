"""The DHS portal: a notice to appear opens a case that reaches the clerk by sync."""

from __future__ import annotations

import io
import random

from flask import Flask

from common.anumber import format_a_number
from tests.conftest import Api, court_id
from tests.pdf_factory import javascript_pdf, valid_pdf
from tests.portal.portal_flows import sf_today
from tests.portal.portal_helpers import (
    Browser,
    audit_rows,
    csrf_of,
    register_and_approve,
    sign_in_enrolling,
)


def nta_form(a_number: str, **overrides: str) -> dict[str, str]:
    form = {
        "court_id": court_id("SFR"),
        "a_number": a_number,
        "respondent_first_name": "Amara",
        "respondent_last_name": "Okafor",
        "date_of_birth": "1990-04-02",
        "nationality": "Nigeria",
        "language": "Igbo",
        "case_type": "removal",
        "custody": "never_detained",
        "charges": "INA 212(a)(6)(A)(i)\nINA 212(a)(7)(A)(i)(I)",
        "served_on": sf_today(),
    }
    return form | overrides


def file_nta(browser: Browser, form: dict[str, str], pdf: bytes) -> int:
    browser.get("/portal/dhs/nta")
    data: dict[str, object] = {"csrf_token": csrf_of(browser.last), **form}
    data["nta_pdf"] = (io.BytesIO(pdf), "nta.pdf")
    response = browser.client.post("/portal/dhs/nta", data=data, content_type="multipart/form-data")
    if response.status_code != 302:
        browser.last = response.get_data(as_text=True)
    else:
        browser.last = response.headers["Location"]
    return response.status_code


def test_dhs_files_a_notice_to_appear_and_the_clerk_pulls_the_case(
    seeded_app: Flask, api: Api
) -> None:
    account = register_and_approve(seeded_app, kind="dhs")
    browser = sign_in_enrolling(seeded_app, account)
    digits = f"{random.randrange(10**8, 10**9)}"

    assert file_nta(browser, nta_form("A12-345"), valid_pdf()) == 422
    assert 'href="#a_number"' in browser.last and "A-number is not valid" in browser.last
    assert file_nta(browser, nta_form(digits), javascript_pdf()) == 422
    assert "nta.pdf:" in browser.last and "javascript" in browser.last.lower()
    assert file_nta(browser, nta_form(digits, court_id=court_id("HOU")), valid_pdf()) == 422

    assert file_nta(browser, nta_form(format_a_number(digits)), valid_pdf(2)) == 302
    case_path = browser.last
    assert browser.get(case_path).status_code == 200
    assert "OKAFOR" in browser.last and "Opened" in browser.last
    # The same A-number can't open a second case while this one is open.
    assert file_nta(browser, nta_form(digits), valid_pdf(2)) == 422
    assert "already open" in browser.last

    token = api.login("clerk1")
    changes, _ = api.pull_all(token)
    cases = [c for c in changes if c["entity"] == "case" and c["data"].get("a_number") == digits]
    assert len(cases) == 1 and cases[0]["data"]["status"] == "opened"
    case_id = cases[0]["id"]
    filings = [
        c for c in changes if c["entity"] == "filing" and c["data"].get("case_id") == case_id
    ]
    assert [f["data"]["kind"] for f in filings] == ["notice_to_appear"]
    docs = [c for c in changes if c["entity"] == "document" and c["data"].get("case_id") == case_id]
    assert docs[0]["data"]["doc_type"] == "notice_to_appear" and docs[0]["data"]["pages"] == 2
    created = audit_rows(seeded_app, "record.create", account.user_id)
    assert {e.entity for e in created} == {"case", "filing", "document"}

    # DHS sees its cases at its assigned court, and files in them.
    browser.get(f"/portal/cases?q={digits}")
    assert "OKAFOR" in browser.last
    upload = f"/portal/cases/{case_id}/file"
    browser.get(upload)
    data: dict[str, object] = {
        "csrf_token": csrf_of(browser.last),
        "doc_type": "evidence",
        "title": "Form I-213, Record of Deportable Alien",
        "lead": (io.BytesIO(valid_pdf(1)), "i213.pdf"),
    }
    response = browser.client.post(upload, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    browser.get(f"/portal/cases/{case_id}")
    assert "Form I-213" in browser.last and "Pending" in browser.last
