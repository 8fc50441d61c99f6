"""Notices of hearing, issued by the server when a clerk's scheduling change reaches it.

Each test pushes as the court's clerk would (through the API), then reads the notice back as
a party would: the case's eROP document, its PDF (text extracted with PyMuPDF) and its
service records. The court is San Francisco (America/Los_Angeles) while the machine runs in
UTC, so every time checked below is the court's, with its zone abbreviation.

Sources the expectations are written from (read 2026-12-06):
- 8 CFR 1003.18(b): the court gives notice of the time, place and date of hearings;
- INA 239(a)(1)(G), 239(a)(2)(A): notice of the time and place, and of any change or
  postponement, with the consequences under INA 240(b)(5) of failing to appear;
- 8 CFR 1003.15(d)(2) and ICPM Chapter 2.2(c): change of address within 5 days, EOIR-33/IC;
- 8 CFR 1003.61(a) and ICPM Chapter 2.2(b): the list of pro bono legal service providers;
- ICPM Chapter 1.6(c): the Automated Case Information Hotline (no bond proceedings on it);
- 8 CFR 1003.19(d), ICPM Chapter 9.3(a): bond proceedings are separate from removal;
- 8 CFR 1003.42: credible fear review (consultation, no appeal).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from common.hearing_notices import page_texts, pdf_text
from sync_server.demo.plan import demo_id
from sync_server.models import AuditEntry, CaseRow, DocumentRow, ServiceRecordRow
from tests.conftest import Api, mutation, user_id
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    case_data,
    hearing_data,
    new_id,
    representation_data,
    version_of,
)

ROOM_1 = demo_id("courtroom", "SFR", 1)
ROOM_2 = demo_id("courtroom", "SFR", 2)


@pytest.fixture
def tokens(api: Api) -> TokenBook:
    return TokenBook(api)


# What one notice of hearing may add to a push in SQL statements (its document, service
# records, issued notice, mail outbox rows, audit): 34 measured on SQLite and PostgreSQL on
# 2026-12-07 (1,156 - 137 for 30 notices), bounded with some room.
NOTICE_STATEMENTS = 45


def _applied(results: list[dict[str, Any]]) -> None:
    assert [r["status"] for r in results] == ["applied"] * len(results), results


def _address(case_id: str, street: str = "12 Elm Street") -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "kind": "nta",
        "street": street,
        "unit": "Apt 3",
        "city": "Oakland",
        "state": "CA",
        "zip": "94607",
        "effective_on": "2026-10-01",
        "recorded_at": "2026-10-01T16:00:00Z",
    }


def _new_case(api: Api, tokens: TokenBook, *, case_type: str = "removal", **extra: Any) -> str:
    """A case at San Francisco with the respondent's address of record (from the NTA)."""
    case = {**case_data(SFR, judge="judge1"), "case_type": case_type, **extra}
    _applied(
        api.push(
            tokens["clerk1"],
            mutation("case", case),
            mutation("address", _address(case["id"])),
        )
    )
    return str(case["id"])


def _hearing(case_id: str, starts_at: str, **extra: Any) -> dict[str, Any]:
    return {**hearing_data(case_id), "starts_at": starts_at, "courtroom_id": ROOM_1, **extra}


def _notices(app: Flask, case_id: str) -> list[DocumentRow]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(DocumentRow)
                .where(DocumentRow.case_id == case_id, DocumentRow.doc_type == "hearing_notice")
                .order_by(DocumentRow.version)
            )
        )


def _served(app: Flask, document_id: str) -> list[tuple[str, str, str | None, str | None]]:
    with app.extensions["ecas"].factory() as session:
        rows = session.scalars(
            select(ServiceRecordRow).where(ServiceRecordRow.document_id == document_id)
        )
        return sorted((r.party, r.method, r.recipient_id, r.address_id) for r in rows)


def _pdf(api: Api, tokens: TokenBook, document: DocumentRow, reader: str = "clerk1") -> bytes:
    response = api.client.get(
        f"/api/v1/blobs/{document.sha256}", headers=api.headers(tokens[reader])
    )
    assert response.status_code == 200
    return bytes(response.data)


def _no_signature_and_no_order(text: str) -> None:
    # A notice is the court's calendar act, not an order: no "ORDER" heading, no signature.
    assert "ORDER" not in text
    assert "signed" not in text.lower() and "____" not in text


@pytest.fixture
def case_id(api: Api, tokens: TokenBook) -> Iterator[str]:
    yield _new_case(api, tokens)


def test_scheduling_a_hearing_serves_a_notice_of_hearing_in_the_courts_time(
    seeded_app: Flask, api: Api, tokens: TokenBook, case_id: str
) -> None:
    # 17:00 UTC on 4 January 2027 is 9:00 in the morning in San Francisco (PST, UTC-8).
    hearing = _hearing(case_id, "2027-01-04T17:00:00Z", interpreter_language="Spanish")
    _applied(api.push(tokens["clerk1"], mutation("hearing", hearing)))

    [notice] = _notices(seeded_app, case_id)
    assert notice.status == "accepted" and notice.filer_party == "court"
    assert notice.title == "Notice of hearing (hearing of January 4, 2027)"
    text = pdf_text(_pdf(api, tokens, notice))
    assert "IN REMOVAL PROCEEDINGS" in text and "NOTICE OF HEARING" in text
    assert "ANA TESTER" in text
    assert "Date and time: January 4, 2027 at 9:00 AM PST" in text
    assert "Appearance: In person" in text and "Courtroom 1" in text
    assert "630 Sansome Street, San Francisco, CA" in text
    assert "Interpreter: Spanish" in text
    # INA 240(b)(5)(A): the consequence of failing to appear in removal proceedings.
    assert "order you removed from the United States in your absence" in " ".join(text.split())
    flat = " ".join(text.split())
    assert "within 180 days" in flat  # INA 240(b)(5)(C)(i)
    assert "within 5 days" in flat and "Form EOIR-33/IC" in flat  # 8 CFR 1003.15(d)(2)
    assert "pro bono (free) legal service providers" in flat  # 8 CFR 1003.61
    assert "1-800-898-7180" in flat and "acis.eoir.justice.gov" in flat  # ICPM 1.6(c)
    _no_signature_and_no_order(text)
    # Pro se: the respondent is served by mail at the address of record, and DHS.
    assert "CERTIFICATE OF SERVICE" in text
    assert "Respondent: Ana Tester — first-class mail — 12 Elm Street; Apt 3" in flat
    assert "Department of Homeland Security" in flat
    served = _served(seeded_app, notice.id)
    assert [(party, method) for party, method, _, _ in served] == [
        ("dhs", "electronic"),
        ("respondent", "mail"),
    ]
    assert served[1][3] is not None  # the address history entry it was mailed to


def test_resetting_a_hearing_across_the_change_of_clocks_names_both_settings(
    seeded_app: Flask, api: Api, tokens: TokenBook, case_id: str
) -> None:
    # 8 March 2027 is before US daylight saving time starts (14 March); the 15th is after.
    hearing = _hearing(case_id, "2027-03-08T17:00:00Z")
    _applied(api.push(tokens["clerk1"], mutation("hearing", hearing)))
    moved = {**hearing, "starts_at": "2027-03-15T17:00:00Z", "courtroom_id": ROOM_2}
    base = version_of(seeded_app, "hearing", hearing["id"])
    _applied(api.push(tokens["clerk1"], mutation("hearing", moved, base_version=base)))

    first, reset = _notices(seeded_app, case_id)
    assert reset.title == "Notice of hearing (reset) (hearing of March 15, 2027)"
    text = " ".join(pdf_text(_pdf(api, tokens, reset)).split())
    assert "NOTICE OF HEARING (HEARING RESET)" in text
    assert "set for March 8, 2027 at 9:00 AM PST has been changed" in text
    # The same 17:00 UTC is 10:00 in San Francisco once daylight saving time began.
    assert "Date and time: March 15, 2027 at 10:00 AM PDT" in text
    assert "Courtroom 2" in text
    assert first.id != reset.id


def test_adjourning_a_hearing_serves_a_notice_with_the_reason_and_the_next_hearing(
    seeded_app: Flask, api: Api, tokens: TokenBook, case_id: str
) -> None:
    hearing = _hearing(case_id, "2027-02-01T18:30:00Z")
    _applied(api.push(tokens["clerk1"], mutation("hearing", hearing)))
    base = version_of(seeded_app, "hearing", hearing["id"])
    adjourned = {**hearing, "status": "adjourned", "adjournment_code": "01"}
    following = {**hearing, "id": new_id(), "starts_at": "2027-03-01T18:30:00Z"}
    # As the desktop's adjourn dialog sends it: the adjournment, then the next hearing, as
    # one group.
    group = new_id()
    _applied(
        api.push(
            tokens["clerk1"],
            {**mutation("hearing", adjourned, base_version=base), "group": group},
            {**mutation("hearing", following), "group": group},
        )
    )
    _, adjourned_notice, next_notice = _notices(seeded_app, case_id)
    text = " ".join(pdf_text(_pdf(api, tokens, adjourned_notice)).split())
    assert "NOTICE OF ADJOURNED HEARING" in text
    assert "set for February 1, 2027 at 10:30 AM PST was adjourned" in text
    # Appendix O code 01 in words; the internal code itself is not printed.
    assert "Reason recorded: Respondent to seek representation." in text
    assert "code 01" not in text and "(01)" not in text
    assert "The court will serve a separate notice giving the date" in text
    following_text = " ".join(pdf_text(_pdf(api, tokens, next_notice)).split())
    assert "Date and time: March 1, 2027 at 10:30 AM PST" in following_text

    # Adjourning a hearing when the next one is already set names it on the notice.
    base = version_of(seeded_app, "hearing", following["id"])
    adjourn_again = {**following, "status": "adjourned", "adjournment_code": "01"}
    later = {**hearing, "id": new_id(), "starts_at": "2027-04-05T17:30:00Z"}
    _applied(api.push(tokens["clerk1"], mutation("hearing", later)))
    _applied(api.push(tokens["clerk1"], mutation("hearing", adjourn_again, base_version=base)))
    last = _notices(seeded_app, case_id)[-1]
    text = " ".join(pdf_text(_pdf(api, tokens, last)).split())
    assert "set for March 1, 2027 at 10:30 AM PST was adjourned" in text
    assert "Your next hearing is set as follows." in text
    assert "Date and time: April 5, 2027 at 10:30 AM PDT" in text


def test_cancelling_a_hearing_tells_the_parties_not_to_come(
    seeded_app: Flask, api: Api, tokens: TokenBook, case_id: str
) -> None:
    hearing = _hearing(case_id, "2027-01-11T22:00:00Z", medium="video")
    _applied(api.push(tokens["clerk1"], mutation("hearing", hearing)))
    base = version_of(seeded_app, "hearing", hearing["id"])
    cancelled = {**hearing, "status": "cancelled"}
    _applied(api.push(tokens["clerk1"], mutation("hearing", cancelled, base_version=base)))

    scheduled, notice = _notices(seeded_app, case_id)
    video = " ".join(pdf_text(_pdf(api, tokens, scheduled)).split())
    assert "Appearance: By video teleconference" in video
    assert "January 11, 2027 at 2:00 PM PST" in video
    text = " ".join(pdf_text(_pdf(api, tokens, notice)).split())
    assert "NOTICE THAT A HEARING IS CANCELLED" in text
    assert "set for January 11, 2027 at 2:00 PM PST is cancelled" in text
    assert "Do not come to court for that hearing." in text
    assert "Date and time:" not in text  # no other hearing is set
    _no_signature_and_no_order(text)
    assert [p for p, _, _, _ in _served(seeded_app, notice.id)] == ["dhs", "respondent"]


def test_a_bond_hearing_is_noticed_in_bond_proceedings_and_served_on_custody_counsel(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    case_id = _new_case(api, tokens, custody="detained")
    facility = {
        **_address(case_id, "1 Processing Center Road"),
        "kind": "custodial",
        "unit": "",
        "in_care_of": "Golden State Processing Center",
    }
    _applied(api.push(tokens["clerk1"], mutation("address", facility)))
    custody_only = {
        **representation_data(case_id, "attorney2", status="accepted"),
        "scope": "custody_and_bond_only",
    }
    _applied(api.push(tokens["clerk1"], mutation("representation", custody_only)))
    # 8 CFR 1003.19(d): the bond hearing is held in the bond proceedings, a case of its own
    # linked to the removal case (where counsel's EOIR-28 is; its scope reaches across).
    with seeded_app.extensions["ecas"].factory() as session:
        removal = session.get(CaseRow, case_id)
        assert removal is not None
        bond_case = {
            **case_data(SFR, judge="judge1"),
            "case_type": "bond",
            "custody": "detained",
            "a_number": removal.a_number,
            "removal_case_id": case_id,
        }
    bond = _hearing(bond_case["id"], "2027-01-05T16:00:00Z", hearing_type="bond", medium="video")
    master = _hearing(case_id, "2027-01-19T16:00:00Z")
    _applied(
        api.push(
            tokens["clerk1"],
            mutation("case", bond_case),
            mutation("hearing", bond),
            mutation("hearing", master),
        )
    )

    [bond_notice] = _notices(seeded_app, bond_case["id"])
    [master_notice] = _notices(seeded_app, case_id)
    text = " ".join(pdf_text(_pdf(api, tokens, bond_notice)).split())
    assert "IN BOND PROCEEDINGS" in text and "REMOVAL PROCEEDINGS" not in text
    assert "Hearing: Bond (custody redetermination) hearing" in text
    assert "do not carry bond proceedings" in text  # ICPM 1.6(c)(1)
    assert "order you removed" not in text
    assert "Counsel for the respondent" in text
    # 8 CFR 1003.17(a): an appearance for custody and bond only is served the bond notice,
    # not the notice of a hearing in removal proceedings (there the respondent is, by mail).
    assert [p for p, _, _, _ in _served(seeded_app, bond_notice.id)] == ["dhs", "practitioner"]
    assert _served(seeded_app, bond_notice.id)[1][2] == user_id("attorney2")
    assert [p for p, _, _, _ in _served(seeded_app, master_notice.id)] == ["dhs", "respondent"]
    master_text = " ".join(pdf_text(_pdf(api, tokens, master_notice)).split())
    assert "IN REMOVAL PROCEEDINGS" in master_text
    # Detained: served by mail in care of the custodian, at the facility.
    assert "in care of Golden State Processing Center" in master_text


def test_a_credible_fear_review_is_captioned_as_one_without_the_in_absentia_advisal(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    case_id = _new_case(api, tokens, case_type="credible_fear_review", custody="detained")
    _applied(
        api.push(tokens["clerk1"], mutation("hearing", _hearing(case_id, "2027-01-06T19:00:00Z")))
    )
    [notice] = _notices(seeded_app, case_id)
    text = " ".join(pdf_text(_pdf(api, tokens, notice)).split())
    assert "CREDIBLE FEAR REVIEW" in text and "REMOVAL PROCEEDINGS" not in text
    assert "credible fear review hearing" in text
    assert "order you removed" not in text
    assert "consult with a person or persons of your choosing" in text  # 8 CFR 1003.42(c)
    assert "No appeal lies" in text  # 8 CFR 1003.42(f)


def test_changes_that_move_nothing_issue_no_notice(
    seeded_app: Flask, api: Api, tokens: TokenBook, case_id: str
) -> None:
    hearing = _hearing(case_id, "2027-01-07T17:00:00Z")
    _applied(api.push(tokens["clerk1"], mutation("hearing", hearing)))
    for change, by in (
        ({"duration_minutes": 60}, "clerk1"),
        ({"interpreter_language": "Quechua"}, "clerk1"),
        ({"judge_id": user_id("judge1")}, "clerk1"),
        # The outcome is the hearing's judge's to record (policy._rule_hearing).
        ({"status": "completed", "outcome": "Pleadings taken."}, "judge1"),
    ):
        hearing = {**hearing, **change}
        base = version_of(seeded_app, "hearing", hearing["id"])
        _applied(api.push(tokens[by], mutation("hearing", hearing, base_version=base)))
    assert len(_notices(seeded_app, case_id)) == 1  # the scheduling one only


def test_a_replayed_push_issues_its_notice_once(
    seeded_app: Flask, api: Api, tokens: TokenBook, case_id: str
) -> None:
    hearing = _hearing(case_id, "2027-01-08T17:00:00Z")
    change = mutation("hearing", hearing)
    first = api.push(tokens["clerk1"], change)
    again = api.push(tokens["clerk1"], change)  # the answer was lost; the client resends
    assert first == again and first[0]["status"] == "applied"
    [notice] = _notices(seeded_app, case_id)
    assert len(_served(seeded_app, notice.id)) == 2
    with seeded_app.extensions["ecas"].factory() as session:
        issued = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "notice.issue", AuditEntry.record_id == notice.id
            )
        ).all()
    assert [e.detail["hearing_id"] for e in issued] == [hearing["id"]]


def test_the_certificate_of_service_stays_on_the_first_page_with_its_heading(
    seeded_app: Flask, api: Api, tokens: TokenBook, case_id: str
) -> None:
    _applied(
        api.push(tokens["clerk1"], mutation("hearing", _hearing(case_id, "2027-01-12T17:00:00Z")))
    )
    [notice] = _notices(seeded_app, case_id)
    first_page = page_texts(_pdf(api, tokens, notice))[0]
    assert "CERTIFICATE OF SERVICE" in first_page and "Respondent: Ana Tester" in first_page


def test_a_party_of_record_reads_the_notice_in_the_case_record(
    seeded_app: Flask, api: Api, tokens: TokenBook, case_id: str
) -> None:
    counsel = representation_data(case_id, "attorney1", status="accepted")
    _applied(api.push(tokens["clerk1"], mutation("representation", counsel)))
    _applied(
        api.push(tokens["clerk1"], mutation("hearing", _hearing(case_id, "2027-01-13T17:00:00Z")))
    )
    [notice] = _notices(seeded_app, case_id)
    changes, _ = api.pull_all(tokens["attorney1"])
    documents = {c["id"]: c for c in changes if c["entity"] == "document"}
    assert documents[notice.id]["data"]["doc_type"] == "hearing_notice"
    served = [c["data"] for c in changes if c["entity"] == "service_record"]
    assert any(s["document_id"] == notice.id and s["party"] == "practitioner" for s in served)
    text = " ".join(pdf_text(_pdf(api, tokens, notice, reader="attorney1")).split())
    assert "Counsel for the respondent" in text and "Respondent: Ana Tester" not in text


def test_thirty_hearings_moved_in_one_push_serve_thirty_notices_at_a_bounded_cost(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    cases = [_new_case(api, tokens) for _ in range(3)]
    hearings = [
        _hearing(cases[i % 3], f"2027-02-{1 + i % 20:02d}T{16 + i % 6}:00:00Z") for i in range(30)
    ]
    _applied(api.push(tokens["clerk1"], *(mutation("hearing", h) for h in hearings)))
    engine = seeded_app.extensions["ecas"].factory.kw["bind"]
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    def push_all(changes: list[dict[str, Any]]) -> int:
        bases = [version_of(seeded_app, "hearing", h["id"]) for h in changes]
        pairs = zip(changes, bases, strict=True)
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            _applied(
                api.push(
                    tokens["clerk1"], *(mutation("hearing", h, base_version=b) for h, b in pairs)
                )
            )
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    # Without notices: the same 30 writes, changing what issues no notice (the length).
    quiet = push_all([{**h, "duration_minutes": 45} for h in hearings])
    hearings = [{**h, "duration_minutes": 45} for h in hearings]
    moved = push_all(
        [{**h, "starts_at": h["starts_at"].replace("2027-02", "2027-03")} for h in hearings]
    )
    notices = [n for case in cases for n in _notices(seeded_app, case)]
    resets = [n for n in notices if n.title.startswith("Notice of hearing (reset)")]
    assert len(resets) == 30 and len({n.id for n in resets}) == 30
    print(f"\n30 reschedules in one push: {moved} statements with notices, {quiet} without")
    # Each notice costs a render and a few writes, not a scan of the calendar: what the
    # notices add grows with the notices, not with the court's hearings (counted, not timed:
    # wall time on a shared machine says nothing).
    assert moved - quiet <= 30 * NOTICE_STATEMENTS, (moved, quiet)
