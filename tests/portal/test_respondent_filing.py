"""A pro se respondent files documents besides a change of address (issue 17 item 3):
evidence, a statement, a motion, an application the judge ordered. Through the real app
on both databases: the PDF box's checks as counsel's upload, the filing in the clerk's
review queue (the clerk's pull), service on DHS recorded on it, the page in Spanish, and
no filing once counsel appears."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from common.enums import DocumentType
from common.forms_eoir import PARTY_DOCUMENT_TYPES
from common.resources import resource_path
from sync_server.models import DocumentRow, FilingRow
from sync_server.services.respondent_filings import document_kinds
from tests.conftest import Api
from tests.pdf_factory import encrypted_pdf, javascript_pdf, valid_pdf
from tests.portal.portal_helpers import Account, Browser, csrf_of, sign_in_enrolling
from tests.portal.respondent_flows import MailedCase, access_code, mailed_case
from tests.portal.test_portal_accessibility import check
from tests.portal.test_respondent_access import _enrol
from tests.server.sync_helpers import TokenBook, applied, representation_data


@pytest.fixture
def tokens(api: Api) -> TokenBook:
    return TokenBook(api)


@pytest.fixture
def case(api: Api, tokens: TokenBook) -> MailedCase:
    return mailed_case(api, tokens["clerk1"])


def _respondent(app: Flask, case: MailedCase) -> tuple[Browser, Account]:
    account = _enrol(app, case, access_code(app, case.case_id))
    return sign_in_enrolling(app, account), account


def _send(browser: Browser, path: str, fields: dict[str, str], **files: bytes) -> int:
    browser.get(path)
    data: dict[str, Any] = {"csrf_token": csrf_of(browser.last), **fields}
    for name, content in files.items():
        data[name] = (io.BytesIO(content), f"{name}.pdf")
    response = browser.client.post(path, data=data, content_type="multipart/form-data")
    browser.last = response.get_data(as_text=True)
    return response.status_code


def _filings(app: Flask, case_id: str, filer_id: str) -> list[FilingRow]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(FilingRow).where(
                    FilingRow.case_id == case_id, FilingRow.filer_id == filer_id
                )
            )
        )


def test_the_list_is_data_with_its_sources() -> None:
    raw = json.loads(resource_path("respondent_filings.json").read_text())
    kinds = document_kinds()
    assert [k.key for k in kinds] == [d["key"] for d in raw["documents"]]
    assert {"evidence", "statement", "motion_continue", "motion_venue", "i589"} <= {
        k.key for k in kinds
    }
    assert all(k.citations and all(c["section"] for c in k.citations) for k in kinds)
    assert all(c.get("assumption") or c.get("read_on") for k in kinds for c in k.citations)
    assert {k.key: k.doc_type for k in kinds}["i589"] is DocumentType.APPLICATION_I589
    # Each is a kind a party may file (the filing rules refuse any other at both doors).
    assert {k.doc_type for k in kinds} <= PARTY_DOCUMENT_TYPES


def test_a_respondent_files_a_motion_the_clerk_has_it_to_review_and_dhs_is_served(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    browser, account = _respondent(seeded_app, case)
    page = browser.get(f"/portal/respondent/cases/{case.case_id}")
    assert page.status_code == 200 and f"/respondent/cases/{case.case_id}/file" in browser.last
    path = f"/portal/respondent/cases/{case.case_id}/file"
    assert browser.get(path).status_code == 200
    assert "DHS — ICE Office of the Principal Legal Advisor, San Francisco" in browser.last
    fields = {"kind": "motion_continue", "title": "Motion to continue: my witness is ill"}

    # The PDF box's checks, as on counsel's upload: every bad file named, nothing filed.
    status = _send(browser, path, fields, lead=encrypted_pdf(), attachment_1=javascript_pdf())
    assert status == 422
    assert "lead.pdf:" in browser.last and "attachment_1.pdf:" in browser.last
    assert "encrypt" in browser.last.lower() and "javascript" in browser.last.lower()
    assert _send(browser, path, {"title": "x"}, lead=valid_pdf(1)) == 422
    assert "Choose what you are filing." in browser.last
    assert not _filings(seeded_app, case.case_id, account.user_id)

    assert _send(browser, path, fields, lead=valid_pdf(2), attachment_1=valid_pdf(1)) == 303
    [filing] = _filings(seeded_app, case.case_id, account.user_id)
    assert filing.kind == "document" and filing.status == "pending"
    assert filing.form["respondent_document"] == "motion_continue"
    assert filing.form["doc_type"] == "motion"
    [served] = filing.form["served_on"]
    assert served["party"] == "dhs" and served["method"] == "electronic"
    assert served["name"].endswith("San Francisco")
    with seeded_app.extensions["ecas"].factory() as session:
        docs = list(session.scalars(select(DocumentRow).where(DocumentRow.filing_id == filing.id)))
    assert sorted((d.doc_type, d.filer_party, d.status, d.pages) for d in docs) == [
        ("evidence", "respondent", "pending", 1),
        ("motion", "respondent", "pending", 2),
    ]

    # In the clerk's review queue: the clerk's pull holds the filing and its documents.
    changes, _ = api.pull_all(tokens["clerk1"])
    pulled = {(c["entity"], c["id"]): c["data"] for c in changes}
    assert pulled[("filing", filing.id)]["status"] == "pending"
    assert all(("document", d.id) in pulled for d in docs)
    # The queue names the filer: the respondent's profile reaches the clerk too.
    assert pulled[("user_profile", account.user_id)]["role"] == "respondent"

    # The respondent's case page shows it pending, titled.
    browser.get(f"/portal/respondent/cases/{case.case_id}?notice=respondent-filed")
    assert "Motion to continue: my witness is ill" in browser.last
    assert "waiting for the clerk" in browser.last


def test_the_filing_page_speaks_spanish(seeded_app: Flask, case: MailedCase) -> None:
    browser, _ = _respondent(seeded_app, case)
    browser.get(f"/portal/respondent/cases/{case.case_id}/file?lang=es")
    assert 'lang="es"' in browser.last
    assert "Presentar documentos" in browser.last
    assert "Moción de aplazamiento" in browser.last and "¿Qué presenta?" in browser.last
    path = f"/portal/respondent/cases/{case.case_id}/file?lang=es"
    fields = {"kind": "evidence", "title": "Carta"}
    assert _send(browser, path, fields, lead=encrypted_pdf()) == 422
    assert "No se presentó nada. Algunos archivos no se pueden presentar" in browser.last


def test_once_counsel_appears_the_respondent_files_no_documents(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    browser, account = _respondent(seeded_app, case)
    appearance = representation_data(case.case_id, "attorney1", status="accepted")
    applied(api, tokens["clerk1"], "representation", appearance)
    path = f"/portal/respondent/cases/{case.case_id}/file"
    fields = {"kind": "evidence", "title": "Letter"}
    assert _send(browser, path, fields, lead=valid_pdf(1)) == 200
    assert "your attorney or representative files documents for you" in browser.last
    assert not _filings(seeded_app, case.case_id, account.user_id)


def test_another_case_is_not_found(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    browser, _ = _respondent(seeded_app, case)
    other = mailed_case(api, tokens["clerk1"])
    assert browser.get(f"/portal/respondent/cases/{other.case_id}/file").status_code == 404


def test_the_filing_page_passes_the_portals_static_accessibility_checks(
    seeded_app: Flask, case: MailedCase
) -> None:
    browser, _ = _respondent(seeded_app, case)
    path = f"/portal/respondent/cases/{case.case_id}/file"
    for lang in ("en", "es"):
        browser.get(f"{path}?lang={lang}")
        check(browser.last)
        assert _send(browser, f"{path}?lang={lang}", {}) == 422  # every field's error
        check(browser.last)
    assert _send(browser, path, {"kind": "i589", "title": "I-589"}, lead=encrypted_pdf()) == 422
    check(browser.last)  # the PDF box's reason, tied to its field
