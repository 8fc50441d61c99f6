"""Respondents' own access (issue 17 item 3), through the real app on both databases.

The court mails a pro se respondent a notice of hearing carrying a case access code; the
respondent enrols with it, the A-number and their date of birth, signs in with a password
and a TOTP code, reads their case and files a change of address, which the clerk accepts
by a push as the desktop does; the next notice is then mailed to the new address. Without
signing in, anyone finds the next hearing by A-number and files an EOIR-33 for review.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from common.enums import FilingKind, FilingStatus, Role
from common.hearing_notices import pdf_text
from common.wire import BoardDecision, Filing
from sync_server.models import AddressRow, DocumentRow, FilingRow, ServiceRecordRow
from sync_server.models.respondents import CaseAccessCode, RespondentCase
from sync_server.packages.worker import PackageWorker
from sync_server.policy import (
    Action,
    Audience,
    Placement,
    Principal,
    allows,
    anonymous_filing_refusal,
    can_see,
    check_write,
    may_rotate_access_code,
    portal_allows,
    respondent_filing_refusal,
)
from sync_server.services import access_codes
from sync_server.services.public_case_info import LOOKUPS_PER_WINDOW, PUBLIC_FILER_ID
from tests.conftest import Api, mutation
from tests.portal.portal_flows import clerk_accepts
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    Browser,
    audit_rows,
    sign_in_admin,
    sign_in_enrolling,
    user_row,
)
from tests.portal.respondent_flows import (
    BIRTH,
    MailedCase,
    a_hearing,
    access_code,
    mailed_case,
    mailed_copy,
)
from tests.portal.test_portal_accessibility import check
from tests.server.sync_helpers import TokenBook, version_of


@pytest.fixture
def tokens(api: Api) -> TokenBook:
    return TokenBook(api)


@pytest.fixture
def case(api: Api, tokens: TokenBook) -> MailedCase:
    return mailed_case(api, tokens["clerk1"])


def _enrol_form(case: MailedCase, code: str, tag: str, **changes: str) -> dict[str, str]:
    return {
        "access_code": code,
        "a_number": case.a_number_shown,
        "date_of_birth": BIRTH,
        "email": f"luis.{tag}@example.org",
        "username": f"luis{tag}",
        "password": PASSWORD,
        "password_again": PASSWORD,
        **changes,
    }


def _enrol(app: Flask, case: MailedCase, code: str) -> Account:
    tag = case.case_id[:8]
    visitor = Browser(app.test_client())
    form = _enrol_form(case, code, tag)
    response = visitor.post("/portal/respondent/enrol", form, from_page="/portal/respondent/enrol")
    assert response.status_code == 303, visitor.last
    account = Account(form["username"], form["email"])
    account.user_id = user_row(app, account.username).id
    return account


def _notices(app: Flask, case_id: str) -> list[DocumentRow]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(DocumentRow)
                .where(DocumentRow.case_id == case_id, DocumentRow.doc_type == "hearing_notice")
                .order_by(DocumentRow.version)
            )
        )


# -- the code on the mailed notice ----------------------------------------------------------


def test_the_mailed_copy_carries_a_code_the_record_copy_and_the_database_do_not(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    code = access_code(seeded_app, case.case_id)
    assert len(access_codes.normalise(code)) == 12
    [notice] = _notices(seeded_app, case.case_id)
    response = api.client.get(
        f"/api/v1/blobs/{notice.sha256}", headers=api.headers(tokens["clerk1"])
    )
    record_copy = " ".join(pdf_text(response.data).split())
    assert "ACCESS CODE" not in record_copy.upper() and code not in record_copy
    mailed = " ".join(pdf_text(mailed_copy(seeded_app, case.case_id)).split())
    assert "YOUR CASE ACCESS CODE" in mailed
    assert "/portal/respondent/enrol" in mailed.replace("/ ", "/")  # a line may break there
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.get(CaseAccessCode, case.case_id)
        assert row is not None and row.notice_document_id == notice.id
        assert access_codes.normalise(code) not in row.code_hash
        assert access_codes.matches(code, row.code_hash)
    # Audited without the code.
    issued = [r for r in audit_rows(seeded_app, "access_code.issue") if r.record_id == case.case_id]
    assert issued and code not in str(issued[-1].detail)


def test_a_newer_notice_and_the_clerks_rotation_replace_the_code(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    first = access_code(seeded_app, case.case_id)
    moved = {**case.hearing, "starts_at": "2027-03-11T17:00:00Z"}
    base = version_of(seeded_app, "hearing", case.hearing["id"])
    results = api.push(tokens["clerk1"], mutation("hearing", moved, base_version=base))
    assert results[0]["status"] == "applied", results
    second = access_code(seeded_app, case.case_id)
    assert second != first
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        stored = session.get(CaseAccessCode, case.case_id)
        assert stored is not None
        assert not access_codes.matches(first, stored.code_hash)
        assert access_codes.matches(second, stored.code_hash)
    with factory.begin() as session:
        third = access_codes.rotate(session, case.case_id, "clerk-test")
    with factory() as session:
        stored = session.get(CaseAccessCode, case.case_id)
        assert stored is not None and access_codes.matches(third, stored.code_hash)
        assert not access_codes.matches(second, stored.code_hash)


def test_counsel_of_record_gets_no_code(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    # A case whose only hearing notice went to the respondent by mail has a code; the
    # demo cases with counsel had notices served electronically on counsel: none there.
    with seeded_app.extensions["ecas"].factory() as session:
        coded = set(session.scalars(select(CaseAccessCode.case_id)))
        served = {
            (r.case_id, r.party, r.method)
            for r in session.scalars(select(ServiceRecordRow))
            if r.case_id in coded
        }
    assert case.case_id in coded
    assert all(
        any(c == case_id and p == "respondent" and m == "mail" for c, p, m in served)
        for case_id in coded
    )


# -- enrolment --------------------------------------------------------------------------------


def test_every_mismatch_gets_the_same_answer_and_is_audited(
    seeded_app: Flask, case: MailedCase
) -> None:
    code = access_code(seeded_app, case.case_id)
    tag = case.case_id[:8]
    wrong_code = "ACDE-FGHJ-KMNP" if code != "ACDE-FGHJ-KMNP" else "ACDE-FGHJ-KMNQ"
    answers = []
    for changes in (
        {"access_code": wrong_code},
        {"date_of_birth": "1991-05-18"},
        {"a_number": "A" + ("1" if case.a_number[0] != "1" else "2") + case.a_number[1:]},
    ):
        visitor = Browser(seeded_app.test_client())
        form = _enrol_form(case, code, tag, **changes)
        response = visitor.post(
            "/portal/respondent/enrol", form, from_page="/portal/respondent/enrol"
        )
        assert response.status_code == 422
        text = visitor.last
        assert "do not match a case together" in text
        answers.append(text.split("<form")[0])
    assert answers[0] == answers[1] == answers[2]
    reasons = [r.detail.get("reason") for r in audit_rows(seeded_app, "respondent.enrol_failed")]
    assert {"code", "date_of_birth", "no_case_with_code"} <= set(reasons)
    with seeded_app.extensions["ecas"].factory() as session:
        assert not session.scalars(
            select(RespondentCase).where(RespondentCase.case_id == case.case_id)
        ).all()


def test_enrolment_is_limited_per_a_number(seeded_app: Flask, case: MailedCase) -> None:
    code = access_code(seeded_app, case.case_id)
    statuses = []
    for attempt in range(6):
        visitor = Browser(seeded_app.test_client())  # each from its own address
        form = _enrol_form(case, code, f"x{attempt}", date_of_birth="1980-01-01")
        response = visitor.post(
            "/portal/respondent/enrol", form, from_page="/portal/respondent/enrol"
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [422] * 5 and statuses[5] == 429
    # Even the right answers wait now: the limit holds for the A-number.
    visitor = Browser(seeded_app.test_client())
    response = visitor.post(
        "/portal/respondent/enrol",
        _enrol_form(case, code, "late"),
        from_page="/portal/respondent/enrol",
    )
    assert response.status_code == 429
    assert audit_rows(seeded_app, "respondent.enrol_throttled")


def test_a_respondent_enrols_signs_in_with_a_code_reads_their_case_only(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    code = access_code(seeded_app, case.case_id)
    account = _enrol(seeded_app, case, code)
    # The code is spent.
    visitor = Browser(seeded_app.test_client())
    again = _enrol_form(case, code, "again")
    response = visitor.post("/portal/respondent/enrol", again, from_page="/portal/respondent/enrol")
    assert response.status_code == 422
    # First sign-in: password, then the authenticator app, as every external user.
    browser = sign_in_enrolling(seeded_app, account)
    response = browser.get("/portal/")
    assert response.headers["Location"].endswith("/portal/respondent")
    response = browser.get("/portal/respondent")
    assert response.headers["Location"].endswith(f"/portal/respondent/cases/{case.case_id}")
    page = browser.get(f"/portal/respondent/cases/{case.case_id}")
    assert page.status_code == 200
    text = browser.last
    assert case.a_number_shown in text and "12 Elm Street" in text
    assert "Mar 2027" in text or "2027" in text  # the hearing, in the court's time
    [notice] = _notices(seeded_app, case.case_id)
    download = browser.get(f"/portal/respondent/cases/{case.case_id}/documents/{notice.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    reads = audit_rows(seeded_app, "document.read", account.user_id)
    assert [r.record_id for r in reads] == [notice.id]
    # Another case, counsel's pages and the sync API are closed to the respondent.
    other = mailed_case(api, tokens["clerk1"])
    assert browser.get(f"/portal/respondent/cases/{other.case_id}").status_code == 404
    assert browser.get(f"/portal/cases/{case.case_id}").status_code == 403
    assert browser.get("/portal/cases").status_code == 403
    token = api.login(account.username, PASSWORD, otp=account.next_code())
    pulled = api.client.get("/api/v1/sync/changes", headers=api.headers(token))
    assert pulled.status_code == 403


def test_the_respondents_eoir33_accepted_by_the_clerk_moves_the_next_notice(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    account = _enrol(seeded_app, case, access_code(seeded_app, case.case_id))
    browser = sign_in_enrolling(seeded_app, account)
    form = {
        "street": "400 Fruitvale Avenue",
        "unit": "",
        "city": "Oakland",
        "state": "CA",
        "zip": "94601",
        "phone": "",
        "effective_on": "2026-11-20",
    }
    path = f"/portal/respondent/cases/{case.case_id}/address"
    response = browser.post(path, form, from_page=path)
    assert response.status_code == 303, browser.last
    with seeded_app.extensions["ecas"].factory() as session:
        [filing] = session.scalars(
            select(FilingRow).where(
                FilingRow.case_id == case.case_id, FilingRow.filer_id == account.user_id
            )
        ).all()
        assert filing.status == "pending" and filing.kind == "change_of_address"
    clerk_accepts(api, "clerk1", filing.id)
    _address_moved_and_next_notice_goes_there(seeded_app, api, tokens, case, "400 Fruitvale")
    page = browser.get(f"/portal/respondent/cases/{case.case_id}")
    assert page.status_code == 200 and "400 Fruitvale Avenue" in browser.last


def _address_moved_and_next_notice_goes_there(
    app: Flask, api: Api, tokens: TokenBook, case: MailedCase, street: str
) -> None:
    with app.extensions["ecas"].factory() as session:
        addresses = session.scalars(
            select(AddressRow).where(AddressRow.case_id == case.case_id)
        ).all()
        new = [a for a in addresses if a.kind == "eoir_33"]
        assert len(new) == 1 and new[0].street.startswith(street)
    later = a_hearing(case.case_id, "2027-04-01T16:00:00Z")
    results = api.push(tokens["clerk1"], mutation("hearing", later))
    assert results[0]["status"] == "applied", results
    latest = _notices(app, case.case_id)[-1]
    with app.extensions["ecas"].factory() as session:
        served = session.scalars(
            select(ServiceRecordRow).where(ServiceRecordRow.document_id == latest.id)
        ).all()
        mailed = [s for s in served if s.party == "respondent"]
        assert [s.address_id for s in mailed] == [new[0].id]
    mailed_text = " ".join(pdf_text(mailed_copy(app, case.case_id)).split())
    assert street in mailed_text


# -- without signing in -----------------------------------------------------------------------


def test_the_next_hearing_by_a_number_says_court_date_time_and_type_only(
    seeded_app: Flask, case: MailedCase
) -> None:
    visitor = Browser(seeded_app.test_client())
    response = visitor.post(
        "/portal/lookup", {"a_number": case.a_number}, from_page="/portal/lookup"
    )
    assert response.status_code == 200
    text = visitor.last
    # 17:00 UTC on 4 March 2027 is 9:00 AM in San Francisco (PST).
    assert 'id="result-court">San Francisco' in text
    assert "Mar" in text and "9:00" in text and "PST" in text
    assert "Master calendar hearing" in text
    assert case.last_name.upper() not in text.upper() and "Courtroom" not in text
    assert "Elm Street" not in text
    visitor.post("/portal/lookup", {"a_number": "A000-000-001"}, from_page="/portal/lookup")
    assert 'id="result-none"' in visitor.last
    looked = audit_rows(seeded_app, "lookup.hearing")
    assert looked and case.a_number not in str(looked[-1].detail)


def test_lookups_are_limited_per_address(seeded_app: Flask) -> None:
    visitor = Browser(seeded_app.test_client())
    visitor.get("/portal/lookup")
    statuses = set()
    for _ in range(LOOKUPS_PER_WINDOW):
        statuses.add(visitor.post("/portal/lookup", {"a_number": "A000-000-002"}).status_code)
    assert statuses == {200}
    assert visitor.post("/portal/lookup", {"a_number": "A000-000-002"}).status_code == 429


def test_an_anonymous_eoir33_goes_to_the_clerk_and_once_accepted_moves_the_notices(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    visitor = Browser(seeded_app.test_client())
    form: dict[str, Any] = {
        "a_number": case.a_number_shown,
        "last_name": case.last_name.upper().replace("Á", "A"),  # as typed, without accent
        "street": "77 Harbor Road",
        "unit": "",
        "city": "Alameda",
        "state": "CA",
        "zip": "94501",
        "phone": "",
        "effective_on": "2026-11-25",
    }
    response = visitor.post(
        "/portal/change-of-address", form, from_page="/portal/change-of-address"
    )
    assert response.status_code == 303, visitor.last
    assert visitor.get(response.headers["Location"]).status_code == 200
    wrong = {**form, "last_name": "Somebody"}
    visitor.post("/portal/change-of-address", wrong, from_page="/portal/change-of-address")
    assert "No open case has this A-number and last name" in visitor.last
    # The clerk's pull holds the pending filing (their review queue) and accepts it.
    changes, _ = api.pull_all(tokens["clerk1"])
    pending = [
        Filing.model_validate(c["data"])
        for c in changes
        if c["entity"] == "filing" and c["data"]["case_id"] == case.case_id
    ]
    [filing] = [f for f in pending if f.filer_id == PUBLIC_FILER_ID]
    assert filing.status.value == "pending" and filing.form["street"] == "77 Harbor Road"
    clerk_accepts(api, "clerk1", filing.id)
    _address_moved_and_next_notice_goes_there(seeded_app, api, tokens, case, "77 Harbor")


# -- Spanish --------------------------------------------------------------------------------


def test_the_respondent_pages_speak_spanish_when_asked_and_remember_it(
    seeded_app: Flask,
) -> None:
    visitor = Browser(seeded_app.test_client())
    visitor.get("/portal/lookup")
    assert '<html lang="en">' in visitor.last and "Your next hearing" in visitor.last
    visitor.get("/portal/lookup?lang=es")
    assert '<html lang="es">' in visitor.last
    assert "Su próxima audiencia" in visitor.last and "Your next hearing" not in visitor.last
    assert 'href="?lang=en"' in visitor.last  # the switch back
    visitor.get("/portal/respondent/enrol")  # the cookie keeps the choice
    assert '<html lang="es">' in visitor.last and "Código de acceso al caso" in visitor.last
    visitor.get("/portal/change-of-address")
    assert "Cambio de domicilio (EOIR-33)" in visitor.last
    # A page without translations stays English, and says so.
    visitor.get("/portal/login")
    assert '<html lang="en">' in visitor.last
    fresh = Browser(seeded_app.test_client())
    fresh.get("/portal/lookup", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in fresh.last


# -- accessibility (the portal's static checks on the HTML sent) ----------------------------


def test_the_respondent_pages_pass_the_portals_static_accessibility_checks(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    visitor = Browser(seeded_app.test_client())
    for path in (
        "/portal/respondent/enrol",
        "/portal/lookup",
        "/portal/change-of-address",
        "/portal/lookup?lang=es",
        "/portal/respondent/enrol",
    ):
        visitor.get(path)
        check(visitor.last)
    visitor.post("/portal/respondent/enrol", {}, from_page="/portal/respondent/enrol")
    check(visitor.last)  # every field's error, in Spanish
    visitor.post("/portal/lookup", {"a_number": case.a_number}, from_page="/portal/lookup")
    check(visitor.last)
    account = _enrol(seeded_app, case, access_code(seeded_app, case.case_id))
    browser = sign_in_enrolling(seeded_app, account)
    for path in (
        f"/portal/respondent/cases/{case.case_id}",
        f"/portal/respondent/cases/{case.case_id}/address",
    ):
        browser.get(path)
        check(browser.last)
    path = f"/portal/respondent/cases/{case.case_id}/address"
    browser.post(path, {"street": ""}, from_page=path)
    check(browser.last)


# -- the policy's rules for respondents ------------------------------------------------------


MINE, OTHER, COURT, RESP, JUDGE = (str(uuid.uuid4()) for _ in range(5))


class _Lookups:
    """What the policy asks, for a respondent enrolled in case MINE."""

    def __init__(self, represented: bool = False) -> None:
        self.represented = represented

    def case_court(self, case_id: str) -> str | None:
        return COURT

    def case_judge(self, case_id: str) -> str | None:
        return None

    def document_case(self, document_id: str) -> str | None:
        return None

    def practitioner_case_ids(self, user_id: str) -> Collection[str]:
        return ()

    def board_case_ids(self) -> Collection[str]:
        return ()

    def board_decisions(self, case_id: str) -> Collection[BoardDecision]:
        return ()

    def filing_at_board(self, filing_id: str) -> bool:
        return False

    def respondent_case_ids(self, user_id: str) -> Collection[str]:
        return (MINE,) if user_id == RESP else ()

    def case_represented(self, case_id: str) -> bool:
        return self.represented

    def case_flags(self, case_id: str) -> Collection[str]:
        return ()


RESPONDENT = Principal(RESP, "luis", Role.RESPONDENT, COURT, "Luis")


def test_policy_a_respondent_reaches_their_portal_pages_only_and_no_api() -> None:
    for action in Action:
        allowed = portal_allows(RESPONDENT, action, second_factor_done=True, suspended=False)
        expected = action in (Action.PUBLIC, Action.PORTAL_SIGN_IN_STEP, Action.PORTAL_HOME)
        expected = expected or action in (
            Action.PORTAL_RESPONDENT,
            Action.ROP_PACKAGE_REQUEST,  # their own case's record, as counsel
            Action.ROP_PACKAGE_READ,
        )
        assert allowed == expected, action
        assert allows(RESPONDENT, action) == (action is Action.PUBLIC), action
    assert not portal_allows(
        RESPONDENT, Action.PORTAL_RESPONDENT, second_factor_done=False, suspended=False
    )
    attorney = Principal("a", "a", Role.ATTORNEY, None, "A")
    assert not portal_allows(
        attorney, Action.PORTAL_RESPONDENT, second_factor_done=True, suspended=False
    )


def test_policy_a_respondent_reads_what_the_parties_read_of_their_own_case() -> None:
    lookups = _Lookups()
    public = Placement(COURT, MINE, None, Audience.PUBLIC)
    assert can_see(RESPONDENT, public, lookups)
    assert not can_see(RESPONDENT, Placement(COURT, OTHER, None, Audience.PUBLIC), lookups)
    for audience in (Audience.COURT, Audience.OWNER, Audience.BOARD, Audience.PANEL):
        placed = Placement(COURT, MINE, JUDGE, audience)
        assert not can_see(RESPONDENT, placed, lookups), audience
    own_filing = Placement(COURT, MINE, RESP, Audience.COURT)
    assert can_see(RESPONDENT, own_filing, lookups)
    # Kept while counsel appears (EOIR's respondent access lets them view).
    assert can_see(RESPONDENT, public, _Lookups(represented=True))


def test_policy_what_a_respondent_may_file() -> None:
    pro_se, represented = _Lookups(), _Lookups(represented=True)
    eoir33, document = FilingKind.CHANGE_OF_ADDRESS, FilingKind.DOCUMENT
    assert respondent_filing_refusal(RESPONDENT, eoir33, MINE, pro_se) is None
    assert respondent_filing_refusal(RESPONDENT, eoir33, MINE, represented) is None
    assert respondent_filing_refusal(RESPONDENT, document, MINE, pro_se) is None
    assert "counsel" in str(respondent_filing_refusal(RESPONDENT, document, MINE, represented))
    for kind in (FilingKind.EOIR_28, FilingKind.EOIR_27, FilingKind.NOTICE_TO_APPEAR):
        assert respondent_filing_refusal(RESPONDENT, kind, MINE, pro_se) is not None
    assert respondent_filing_refusal(RESPONDENT, eoir33, OTHER, pro_se) is not None
    assert anonymous_filing_refusal(eoir33) is None
    assert anonymous_filing_refusal(document) is not None
    # Through check_write, as a push or the portal's filing desk asks.
    filing = Filing(
        id=str(uuid.uuid4()),
        case_id=MINE,
        court_id=COURT,
        filer_id=RESP,
        kind=eoir33,
        submitted_at=datetime.now(UTC),
        form={},
    )
    assert check_write(RESPONDENT, "filing", None, filing, pro_se) is None
    assert check_write(
        RESPONDENT, "filing", None, filing.model_copy(update={"filer_id": OTHER}), pro_se
    )
    accepted = filing.model_copy(update={"status": FilingStatus.ACCEPTED})
    assert check_write(RESPONDENT, "filing", None, accepted, pro_se)
    assert check_write(RESPONDENT, "filing", filing, filing, pro_se)  # no change once filed
    assert check_write(RESPONDENT, "hearing", None, None, pro_se)


def test_the_clerk_replaces_a_lost_code_and_only_at_their_court(
    seeded_app: Flask, case: MailedCase
) -> None:
    old = access_code(seeded_app, case.case_id)
    other_court = sign_in_admin(seeded_app, "clerk3")  # a clerk of another court
    other_court.post(
        "/portal/court/access-code",
        {"a_number": case.a_number_shown},
        from_page="/portal/court/access-code",
    )
    assert "No open case with this A-number is at your court" in other_court.last
    clerk = sign_in_admin(seeded_app, "clerk1")
    response = clerk.post(
        "/portal/court/access-code",
        {"a_number": case.a_number_shown},
        from_page="/portal/court/access-code",
    )
    assert response.status_code == 200
    found = re.search(r'id="new-code">([A-Z0-9-]+)<', clerk.last)
    assert found and found.group(1) != old
    rotated = [
        r for r in audit_rows(seeded_app, "access_code.issue") if r.record_id == case.case_id
    ]
    assert rotated[-1].detail["reason"] == "rotated" and found.group(1) not in str(
        rotated[-1].detail
    )
    visitor = Browser(seeded_app.test_client())
    visitor.post(
        "/portal/respondent/enrol",
        _enrol_form(case, old, "old"),
        from_page="/portal/respondent/enrol",
    )
    assert "do not match a case together" in visitor.last
    assert _enrol(seeded_app, case, found.group(1)).user_id
    attorney = Principal(str(uuid.uuid4()), "a", Role.ATTORNEY, COURT, "A")
    assert not may_rotate_access_code(attorney, COURT)
    clerk_here = Principal(str(uuid.uuid4()), "c", Role.CLERK, COURT, "C")
    assert may_rotate_access_code(clerk_here, COURT)
    assert not may_rotate_access_code(clerk_here, OTHER)


def test_a_respondent_downloads_the_record_of_their_case(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: MailedCase
) -> None:
    account = _enrol(seeded_app, case, access_code(seeded_app, case.case_id))
    browser = sign_in_enrolling(seeded_app, account)
    page = f"/portal/respondent/cases/{case.case_id}"
    response = browser.post(f"/portal/cases/{case.case_id}/record", {}, from_page=page)
    assert response.status_code == 302, browser.last
    record_page = response.headers["Location"]
    services = seeded_app.extensions["ecas"]
    worker = PackageWorker(
        services.factory, services.blobs.store, services.config.data_dir / "packages"
    )
    while worker.run_once():
        pass
    assert browser.get(record_page).status_code == 200
    download = browser.get(record_page + "/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    text = " ".join(pdf_text(download.data).split())
    assert "NOTICE OF HEARING" in text and case.a_number_shown in text
    assert "Case access code" not in text  # the record's copy of the notice
    # Another respondent's record is not theirs to follow.
    other = mailed_case(api, tokens["clerk1"])
    stranger = sign_in_enrolling(
        seeded_app, _enrol(seeded_app, other, access_code(seeded_app, other.case_id))
    )
    assert stranger.get(record_page).status_code == 404
    refused = stranger.post(
        f"/portal/cases/{case.case_id}/record",
        {},
        from_page=f"/portal/respondent/cases/{other.case_id}",
    )
    assert refused.status_code == 404
