"""Confidential records (issue 17 item 2): the asylum (8 CFR 1208.6), VAWA/T/U (8 U.S.C.
1367) and protective-order (8 CFR 1003.46) flags, enforced by the one policy module from
resources/confidentiality.json, on SQLite and PostgreSQL.

Who reads a flagged document, role by role and flag by flag (the policy's answer and the
document's bytes through the API); who sets a flag; the I-589 that marks its case; every
read and refusal audited by flag; the eROP package that withholds sealed pages from counsel
with "N pages withheld under protective order" in its index; and the portal, where an
attorney not of record finds nothing and opens nothing."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from common.anumber import format_a_number
from common.enums import Confidentiality, DocumentType, Party, Role
from common.wire import Document
from sync_server.db import write_transaction
from sync_server.models import AuditEntry, Blob, DocumentRow, RopRequestRow, UserRow
from sync_server.policy import (
    FLAG_RULES,
    Principal,
    can_see,
    flagged_read_refusal,
    placement_of,
    record_flags,
)
from sync_server.services.auth import principal_of
from sync_server.services.portal_cases import CaseListQuery, CasePortal, NotFound
from sync_server.services.records import SessionLookups, row_to_record, write_record
from tests.conftest import Api, user_id
from tests.packages.conftest import (
    CaseWithRecord,
    _publish,
    drain,
    make_case,
    read_back,
    text_pdf,
)
from tests.server.sync_helpers import TokenBook, document_data, push_one, stored

FLAGS = list(Confidentiality)
RESPONDENT_ID = str(uuid.uuid4())

# Who reads a flagged document of a case at SFR with attorney1 of record (the same for the
# three flags: resources/confidentiality.json "readers"): the court of the case, EOIR's
# staff, DHS assigned to SFR, counsel of record, the enrolled respondent. Not: another
# court's clerk, the Board (the case is not before it), DHS of other courts, an attorney
# not of record.
READERS = {
    "judge1": True,
    "clerk1": True,
    "admin1": True,
    "clerk3": False,
    "board_member1": False,
    "board_clerk1": False,
    "eoir1": True,
    "dhs1": True,
    "dhs2": False,
    "attorney1": True,
    "attorney2": False,
    "rep1": False,
}


@pytest.fixture(scope="module")
def book(seeded_app: Flask) -> TokenBook:
    return TokenBook(Api(seeded_app.test_client()))


def _principal(app: Flask, username: str) -> Principal:
    with app.extensions["ecas"].factory() as session:
        user = session.get(UserRow, user_id(username))
        assert user is not None
        return principal_of(user)


class _EnrolledLookups(SessionLookups):
    """The database's answers, with one respondent enrolled in ``case_id`` (enrolment has
    its own tests: tests/portal/test_respondent_access.py)."""

    def __init__(self, session: Any, case_id: str) -> None:
        super().__init__(session)
        self._enrolled = case_id

    def respondent_case_ids(self, user_id: str) -> Collection[str]:
        return (self._enrolled,) if user_id == RESPONDENT_ID else ()


def _flag_document(app: Flask, document_id: str, flags: list[Confidentiality]) -> None:
    with write_transaction(app.extensions["ecas"].factory) as session:
        row = session.get(DocumentRow, document_id)
        assert row is not None
        document = row_to_record("document", row)
        write_record(session, document.model_copy(update={"confidentiality": flags}))


def _unique_document(app: Flask, case: CaseWithRecord, uploader: str, tag: str) -> str:
    """An accepted document whose bytes no other document has, uploaded by ``uploader``
    (the uploader's key to the bytes)."""
    data = text_pdf(1, tag + uuid.uuid4().hex)
    sha = _publish(app, data)
    with write_transaction(app.extensions["ecas"].factory) as session:
        session.add(Blob(sha256=sha, size=len(data), uploaded_by=user_id(uploader)))
        document = Document(
            id=str(uuid.uuid4()),
            case_id=case.id,
            doc_type=DocumentType.EVIDENCE,
            title=f"{tag} statement",
            filer_party=Party.RESPONDENT,
            filed_on=date(2026, 3, 3),
            pages=1,
            sha256=sha,
            size=len(data),
            status="accepted",  # type: ignore[arg-type]
        )
        write_record(session, document)
    return document.id


def _audit(app: Flask, action: str, record_id: str) -> list[AuditEntry]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == action, AuditEntry.record_id == record_id)
                .order_by(AuditEntry.seq)
            )
        )


@pytest.mark.parametrize("flag", FLAGS, ids=[f.value for f in FLAGS])
def test_who_reads_a_flagged_document_role_by_role(
    seeded_app: Flask, book: TokenBook, flag: Confidentiality
) -> None:
    case = make_case(seeded_app, [("NTA", text_pdf(1, "N"))])
    document_id = _unique_document(seeded_app, case, "attorney2", flag.value)
    api = book.api
    with seeded_app.extensions["ecas"].factory() as session:
        stored_row = session.get(DocumentRow, document_id)
        assert stored_row is not None
        sha = stored_row.sha256
    # Unflagged, the uploader's key opens the bytes (an attorney not of record who
    # uploaded them): the flag is what closes it.
    answer = api.client.get(f"/api/v1/blobs/{sha}", headers=api.headers(book["attorney2"]))
    assert answer.status_code == 200
    _flag_document(seeded_app, document_id, [flag])

    for username, reads in READERS.items():
        principal = _principal(seeded_app, username)
        with seeded_app.extensions["ecas"].factory() as session:
            lookups = SessionLookups(session)
            row = session.get(DocumentRow, document_id)
            assert row is not None
            document = row_to_record("document", row)
            flags = record_flags(document, lookups)
            assert flags == {flag}
            refusal = flagged_read_refusal(principal, flags, case.id, lookups)
        assert (refusal is None) is reads, (username, refusal)
        answer = api.client.get(f"/api/v1/blobs/{sha}", headers=api.headers(book[username]))
        assert answer.status_code == (200 if reads else 404), username
        if not reads:
            assert b"statement" not in answer.data

    # The respondent enrolled in the case reads it; a respondent of another case doesn't.
    respondent = Principal(RESPONDENT_ID, "luis", Role.RESPONDENT, None, "Luis")
    with seeded_app.extensions["ecas"].factory() as session:
        mine = _EnrolledLookups(session, case.id)
        other = _EnrolledLookups(session, str(uuid.uuid4()))
        assert flagged_read_refusal(respondent, {flag}, case.id, mine) is None
        assert flagged_read_refusal(respondent, {flag}, case.id, other) is not None

    # Every read and every refusal is audited with the flag and its law named.
    read_entries = _audit(seeded_app, "confidential.read", document_id)
    refused = _audit(seeded_app, "confidential.read_refused", document_id)
    who_read = {e.actor_id for e in read_entries}
    who_refused = {e.actor_id for e in refused}
    assert who_read == {user_id(u) for u, ok in READERS.items() if ok}
    assert who_refused == {user_id(u) for u, ok in READERS.items() if not ok}
    for entry in read_entries + refused:
        assert entry.detail["flags"] == [flag.value]
        assert entry.detail["laws"] == [FLAG_RULES[flag].law]
    assert "reason" in refused[0].detail


def test_a_case_flag_covers_its_documents(seeded_app: Flask) -> None:
    case = make_case(seeded_app, [("Brief", text_pdf(1, "B"))])
    with write_transaction(seeded_app.extensions["ecas"].factory) as session:
        data, _, _ = stored(seeded_app, "case", case.id) or ({}, 0, False)
        from common.wire import Case

        write_record(session, Case.model_validate(data | {"confidentiality": ["vawa_t_u"]}))
    with seeded_app.extensions["ecas"].factory() as session:
        lookups = SessionLookups(session)
        row = session.get(DocumentRow, case.accepted[0].id)
        assert row is not None
        document = row_to_record("document", row)
        assert record_flags(document, lookups) == {Confidentiality.VAWA_T_U}
        attorney2 = _principal(seeded_app, "attorney2")
        attorney1 = _principal(seeded_app, "attorney1")
        assert not can_see(attorney2, placement_of(document, lookups), lookups)
        assert "8 U.S.C. 1367" in str(
            flagged_read_refusal(attorney2, {Confidentiality.VAWA_T_U}, case.id, lookups)
        )
        assert flagged_read_refusal(attorney1, {Confidentiality.VAWA_T_U}, case.id, lookups) is None


def _case_change(app: Flask, case_id: str, flags: list[str]) -> tuple[dict[str, Any], int]:
    found = stored(app, "case", case_id)
    assert found is not None
    data, version, _ = found
    return data | {"confidentiality": flags}, version


def test_the_judge_or_clerk_of_the_court_sets_and_clears_a_flag(
    seeded_app: Flask, book: TokenBook
) -> None:
    case = make_case(seeded_app, [("Brief", text_pdf(1, "B"))])
    api = book.api
    for username in ("attorney1", "dhs1", "clerk3", "judge3", "eoir1"):
        data, version = _case_change(seeded_app, case.id, ["asylum"])
        result = push_one(api, book[username], "case", data, base_version=version)
        assert result["status"] == "rejected", (username, result)
    data, version = _case_change(seeded_app, case.id, ["asylum", "sealed"])
    result = push_one(api, book["judge1"], "case", data, base_version=version)
    assert result["status"] == "applied", result
    # A judge changes nothing else of the case.
    data, version = _case_change(seeded_app, case.id, ["asylum", "sealed"])
    result = push_one(
        api, book["judge1"], "case", data | {"nationality": "Elsewhere"}, base_version=version
    )
    assert result["status"] == "rejected"
    data, version = _case_change(seeded_app, case.id, ["asylum"])
    assert push_one(api, book["clerk1"], "case", data, base_version=version)["status"] == (
        "applied"
    )
    changes = _audit(seeded_app, "confidential.flags_changed", case.id)
    assert [
        (e.actor_id, e.detail["set"]["flags"], e.detail["cleared"]["flags"]) for e in changes
    ] == [
        (user_id("judge1"), ["asylum", "sealed"], []),
        (user_id("clerk1"), [], ["sealed"]),
    ]
    # A reviewed document: its flags alone change, by the judge or clerk.
    found = stored(seeded_app, "document", case.accepted[0].id)
    assert found is not None
    doc, version, _ = found
    marked = doc | {"confidentiality": ["sealed"]}
    assert (
        push_one(api, book["attorney1"], "document", marked, base_version=version)["status"]
        == "rejected"
    )
    assert (
        push_one(api, book["judge1"], "document", marked, base_version=version)["status"]
        == "applied"
    )
    retitled = marked | {"title": "Other", "confidentiality": []}
    current = stored(seeded_app, "document", case.accepted[0].id)
    assert current is not None
    assert (
        push_one(api, book["clerk1"], "document", retitled, base_version=current[1])["status"]
        == "rejected"
    )


def test_a_party_files_nothing_marked(seeded_app: Flask, book: TokenBook) -> None:
    case = make_case(seeded_app, [("Brief", text_pdf(1, "B"))])
    document = document_data(seeded_app, case.id, filer="attorney1", status="pending")
    result = push_one(
        book.api, book["attorney1"], "document", document | {"confidentiality": ["sealed"]}
    )
    assert result["status"] == "rejected"
    assert "judge or clerk" in result["error"]


def _package(app: Flask, case_id: str, username: str) -> tuple[str, Any]:
    services = app.extensions["ecas"]
    with services.factory() as session:
        request_id = str(services.packages.request(session, _principal(app, username), case_id))
    drain(app)
    with services.factory() as session:
        row = session.get(RopRequestRow, request_id)
        assert row is not None and row.status == "done", row and row.error
        sha = row.result_sha256
    assert sha is not None
    data = b"".join(services.blobs.store.read_range(sha, 0, 10**9))
    return request_id, read_back(data)


def test_the_package_for_counsel_withholds_sealed_pages_and_says_so(seeded_app: Flask) -> None:
    drain(seeded_app)
    case = make_case(
        seeded_app,
        [
            ("Notice to appear", text_pdf(2, "NTA")),
            ("Law enforcement report", text_pdf(3, "SEALEDTEXT")),
            ("Asylum declaration", text_pdf(1, "DECL")),
        ],
    )
    sealed, declaration = case.accepted[1], case.accepted[2]
    _flag_document(seeded_app, sealed.id, [Confidentiality.SEALED])
    _flag_document(seeded_app, declaration.id, [Confidentiality.ASYLUM])

    request_id, back = _package(seeded_app, case.id, "attorney1")
    text = "\n".join(back.texts)
    assert back.pages == 1 + 2 + 1  # the index, the NTA, the declaration
    assert "3 pages withheld under protective order" in back.texts[0]
    assert "Law enforcement report" not in text
    assert "SEALEDTEXT" not in text
    assert "DECL page 1" in text  # asylum information is counsel's to read
    assert [t for t, _ in back.outline[1:]] == [
        "1. Notice to appear (February 2, 2026)",
        "3. Asylum declaration (February 4, 2026)",
    ]
    (built,) = _audit(seeded_app, "rop.built", request_id)
    assert built.detail["withheld"] == [{"document_id": sealed.id, "pages": 3, "flags": ["sealed"]}]
    (read,) = [
        e
        for e in _audit(seeded_app, "confidential.read", declaration.id)
        if e.detail.get("request_id") == request_id
    ]
    assert read.actor_id == user_id("attorney1") and read.detail["via"] == "rop_package"

    # DHS (a party that holds the protected information) gets the whole record.
    _, whole = _package(seeded_app, case.id, "dhs1")
    assert whole.pages == 1 + 2 + 3 + 1
    assert "SEALEDTEXT page 3" in "\n".join(whole.texts)
    assert "withheld" not in whole.texts[0]


def test_the_portal_shows_an_attorney_not_of_record_nothing(seeded_app: Flask) -> None:
    services = seeded_app.extensions["ecas"]
    portal = CasePortal(services.factory, services.blobs)
    case = make_case(seeded_app, [("Declaration", text_pdf(1, "D"))])
    with write_transaction(services.factory) as session:
        data, _, _ = stored(seeded_app, "case", case.id) or ({}, 0, False)
        from common.wire import Case

        write_record(session, Case.model_validate(data | {"confidentiality": ["asylum"]}))
    stranger = _principal(seeded_app, "attorney2")
    counsel = _principal(seeded_app, "attorney1")
    search = CaseListQuery(search=case.a_number)
    assert case.id in {r.id for r in portal.case_list(counsel, search).rows}
    assert portal.case_list(stranger, search).rows == []
    assert case.id not in {
        r.id for r in portal.case_list(stranger, CaseListQuery(search="Example")).rows
    }
    with pytest.raises(NotFound):
        portal.case_detail(stranger, case.id, date(2026, 11, 27))
    with pytest.raises(NotFound):
        portal.open_document(stranger, case.id, case.accepted[0].id)
    chunks, _, _ = portal.open_document(counsel, case.id, case.accepted[0].id)
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == case.accepted[0].sha256
    portal.case_detail(counsel, case.id, date(2026, 11, 27))
    refused = _audit(seeded_app, "confidential.read_refused", case.id)
    assert {e.actor_id for e in refused} == {stranger.id}
    assert all(e.detail["flags"] == ["asylum"] for e in refused)
    reads = _audit(seeded_app, "confidential.read", case.accepted[0].id)
    assert [e.actor_id for e in reads] == [counsel.id]
    (case_read,) = _audit(seeded_app, "confidential.read", case.id)
    assert case_read.actor_id == counsel.id and case_read.detail["via"] == "portal"


def test_the_public_hearing_lookup_shows_the_hearing_only(seeded_app: Flask) -> None:
    """An asylum case's next hearing is found by A-number as any other's (EOIR's automated
    case information), and the answer holds the court, the time and the kind of hearing:
    no name, no relief, no flag."""
    from common.wire import Case, Hearing
    from sync_server.services.public_case_info import NextHearing, PublicCaseInfo
    from tests.server.sync_helpers import hearing_data

    services = seeded_app.extensions["ecas"]
    case = make_case(seeded_app, [("I-589", text_pdf(1, "I"))])
    with write_transaction(services.factory) as session:
        data, _, _ = stored(seeded_app, "case", case.id) or ({}, 0, False)
        write_record(session, Case.model_validate(data | {"confidentiality": ["asylum"]}))
        write_record(session, Hearing.model_validate(hearing_data(case.id)))
    found = PublicCaseInfo(services.factory).next_hearing(
        case.a_number, "192.0.2.7", now=datetime(2026, 11, 27, tzinfo=UTC)
    )
    assert found is not None and found.hearing_type == "master"
    assert {f.name for f in fields(NextHearing)} == {"court", "starts_at", "zone", "hearing_type"}
    shown = " ".join(str(getattr(found, f.name)) for f in fields(NextHearing))
    assert "Example" not in shown and "asylum" not in shown.lower()


def test_the_portal_pages_of_counsel_and_of_an_attorney_not_of_record(seeded_app: Flask) -> None:
    """Through the portal's pages, signed in with the second factor: counsel of record sees
    the case marked with the law; an attorney not of record searching by A-number or name
    finds nothing, and the case's address answers 404."""
    from tests.portal.portal_helpers import register_and_approve, sign_in_enrolling

    case = make_case(seeded_app, [("Declaration", text_pdf(1, "D"))], attorney=None)
    counsel = register_and_approve(seeded_app)
    stranger = register_and_approve(seeded_app)
    with write_transaction(seeded_app.extensions["ecas"].factory) as session:
        from common.enums import AppearanceScope, FilingKind, RepresentationStatus
        from common.wire import Case, Representation

        data, _, _ = stored(seeded_app, "case", case.id) or ({}, 0, False)
        write_record(session, Case.model_validate(data | {"confidentiality": ["vawa_t_u"]}))
        write_record(
            session,
            Representation(
                id=str(uuid.uuid4()),
                case_id=case.id,
                practitioner_id=counsel.user_id,
                form=FilingKind.EOIR_28,
                scope=AppearanceScope.ALL_PROCEEDINGS,
                status=RepresentationStatus.ACCEPTED,
                accepted_on=date(2026, 11, 2),
            ),
        )
    _flag_document(seeded_app, case.accepted[0].id, [Confidentiality.SEALED])
    theirs = sign_in_enrolling(seeded_app, counsel)
    page = theirs.get(f"/portal/cases/{case.id}")
    assert page.status_code == 200
    assert "VAWA / T / U information (8 U.S.C. 1367)" in theirs.last
    assert "Confidential: Sealed by protective order (8 CFR 1003.46)" in theirs.last

    browser = sign_in_enrolling(seeded_app, stranger)
    for term in (case.a_number, "Example"):
        assert browser.get(f"/portal/cases?q={term}").status_code == 200
        assert case.id not in browser.last  # (the search box echoes the term itself)
        assert format_a_number(case.a_number) not in browser.last
    assert browser.get(f"/portal/cases/{case.id}").status_code == 404
    refused = _audit(seeded_app, "confidential.read_refused", case.id)
    assert [e.actor_id for e in refused] == [stranger.user_id]
    assert refused[0].detail["laws"] == ["8 U.S.C. 1367"]
