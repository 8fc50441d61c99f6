"""Intake rules a filer notices in the portal: a notice to appear opens removal proceedings
only, and a bond case does not stand in its way; the EOIR-28 is e-filed by attorneys and
accredited representatives, in the category EOIR registered them in, and an attorney
subject to a disciplinary order may say so and explain it, as the form allows."""

from __future__ import annotations

import random

from flask import Flask
from sqlalchemy import select

from sync_server.models import FilingRow
from tests.conftest import Api
from tests.pdf_factory import valid_pdf
from tests.portal.portal_flows import appearance_form
from tests.portal.portal_helpers import (
    Browser,
    a_case_at,
    register_and_approve,
    sign_in_enrolling,
    user_row,
)
from tests.portal.test_dhs_portal import file_nta, nta_form
from tests.server.sync_helpers import SFR, applied, case_data


def test_an_open_bond_case_does_not_stop_dhs_filing_the_notice_to_appear(
    seeded_app: Flask, api: Api
) -> None:
    # 8 CFR 1003.19(d): custody proceedings are separate and apart from removal
    # proceedings; a bond hearing often comes before the notice to appear is filed.
    digits = f"{random.randrange(10**8, 10**9)}"
    bond = case_data(SFR) | {"a_number": digits, "case_type": "bond"}
    applied(api, api.login("clerk1"), "case", bond)
    browser = sign_in_enrolling(seeded_app, register_and_approve(seeded_app, kind="dhs"))

    assert file_nta(browser, nta_form(digits), valid_pdf(2)) == 302
    # A second notice for the same person while the removal case is open is refused.
    assert file_nta(browser, nta_form(digits), valid_pdf(2)) == 422
    assert "already open" in browser.last


def test_a_notice_to_appear_cannot_open_a_credible_fear_review(seeded_app: Flask) -> None:
    # 8 CFR 1239.1(a): a notice to appear commences removal proceedings; a credible fear
    # review reaches the court on Form I-863, Notice of Referral to Immigration Judge.
    browser = sign_in_enrolling(seeded_app, register_and_approve(seeded_app, kind="dhs"))
    browser.get("/portal/dhs/nta")
    assert 'value="credible_fear_review"' not in browser.last  # not offered
    digits = f"{random.randrange(10**8, 10**9)}"
    form = nta_form(digits, case_type="credible_fear_review")
    assert file_nta(browser, form, valid_pdf(2)) == 422
    assert "opens removal proceedings only" in browser.last and "I-863" in browser.last


def _attorney(app: Flask, kind: str = "attorney") -> tuple[Browser, str, str]:
    account = register_and_approve(app, kind=kind)
    browser = sign_in_enrolling(app, account)
    browser.get("/portal/appearance/eoir-28")
    return browser, account.user_id, str(user_row(app, account.username).eoir_id)


def test_a_law_student_is_told_to_appear_on_a_paper_eoir_28(seeded_app: Flask) -> None:
    # 8 CFR 1292.1(a)(2): law students and graduates appear, supervised, on a paper form;
    # e-filing is for registered attorneys and accredited representatives (8 CFR 1292.1(f),
    # 1003.31(a)).
    browser, _, eoir_id = _attorney(seeded_app)
    assert 'value="law_student"' not in browser.last  # the portal does not offer it
    case = a_case_at(seeded_app, "SFR", 3)
    form = appearance_form(case, eoir_id, category="law_student", supervising_attorney="A. B.")
    response = browser.post("/portal/appearance/eoir-28", form)
    assert response.status_code == 422
    assert "appear on a paper form filed with the court" in browser.last


def test_an_accredited_representative_cannot_appear_as_an_attorney(seeded_app: Flask) -> None:
    browser, _, eoir_id = _attorney(seeded_app, kind="accredited_rep")
    case = a_case_at(seeded_app, "SFR", 4)
    response = browser.post("/portal/appearance/eoir-28", appearance_form(case, eoir_id))
    assert response.status_code == 422
    assert "Your account is registered as: Accredited representative" in browser.last


def test_an_attorney_subject_to_an_order_explains_it_and_the_form_is_filed(
    seeded_app: Flask,
) -> None:
    # Form EOIR-28: "I am not subject to any order ... restricting me in the practice of law
    # (if subject to such an order, do not check this box and explain)".
    browser, attorney_id, eoir_id = _attorney(seeded_app)
    case = a_case_at(seeded_app, "SFR", 5)
    unticked = appearance_form(case, eoir_id) | {"not_subject_to_discipline": ""}
    assert browser.post("/portal/appearance/eoir-28", unticked).status_code == 422
    assert "explain the order" in browser.last

    browser.get("/portal/appearance/eoir-28")
    explained = unticked | {
        "discipline_explanation": "Public reprimand, State Bar of Nevada, 2024; no restriction "
        "on practice remains."
    }
    assert browser.post("/portal/appearance/eoir-28", explained).status_code == 302
    with seeded_app.extensions["ecas"].factory() as session:
        filing = session.scalar(
            select(FilingRow).where(FilingRow.filer_id == attorney_id, FilingRow.kind == "eoir_28")
        )
    assert filing is not None
    assert filing.form["not_subject_to_discipline"] is False
    assert filing.form["discipline_explanation"].startswith("Public reprimand")
