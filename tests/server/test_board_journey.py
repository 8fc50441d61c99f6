"""Issue 15's Must-show (a), end to end on loopback against a real ``ecas-server run``
process (``live_server``): counsel files a notice of appeal (EOIR-26) with a fee-waiver
request in the portal, over HTTP; the Board's clerk dockets it from a desktop client (its
own local store and sync engine); the immigration court's clerk marks the transcript ready
with the transcript document from another; the server issues the briefing schedule on the
Board's calendar; both sides file their briefs in the portal; the clerk assigns the appeal
to one Board member, who drafts "dismissed" and signs while the server is down (the
outbox); when the server is back the sync issues the decision once (one document, one
service record per party, a replayed push issuing nothing twice), the case is decided on
the Board's decision, and the parties read and open it in the portal."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlalchemy import create_engine, func, select

from common.appeals import BOARD_TIMEZONE
from common.board_decisions import board_final_on
from common.court_closures import board_calendar
from common.court_time import court_today
from common.enums import (
    BoardOutcome,
    CaseStatus,
    DocumentStatus,
    DocumentType,
    OrderStatus,
    Party,
)
from common.order_pdf import pdf_text
from common.protocol import MutationResult
from common.wire import Appeal, BoardDecision, Case, Document, Representation
from desktop.api_client import ApiClient, ApiError
from desktop.board import (
    appeal_sections,
    board_docket,
    docket,
    intake_queue,
    transcript_ready,
)
from desktop.board_workspace import (
    assign,
    decisions_of,
    draft_decision,
    load_decision,
    materials,
    my_appeals,
    sign_single,
    signature_records,
)
from desktop.local_store import LocalStore
from desktop.sync_engine import SyncEngine
from sync_server.models import AuditEntry, DocumentRow, ServiceRecordRow
from tests.conftest import DEMO_PASSWORD, LiveServer, user_id
from tests.motions.test_motion_end_to_end import Portal
from tests.pdf_factory import valid_pdf
from tests.portal.portal_flows import sf_today
from tests.server.sync_helpers import SFR, case_data, representation_data

pytestmark = pytest.mark.slow

SF = "America/Los_Angeles"
REASONS = (
    "The immigration judge erred in finding the respondent not credible on the strength of "
    "a single omission the respondent explained, and in holding that the beatings she "
    "suffered in 2019 did not amount to persecution."
)


# --- the people -------------------------------------------------------------------------------


def portal_user(base: str, username: str) -> Portal:
    """A demo party signs in to the portal with the password and sets up an authenticator
    app (external users never get a session on the password alone)."""
    browser = Portal(base)
    browser.get("/portal/login")
    response = browser.post("/portal/login", {"login": username, "password": DEMO_PASSWORD})
    assert response.headers["Location"].endswith("/portal/login/enrol"), browser.page
    browser.get("/portal/login/enrol")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', browser.page)
    assert secret, browser.page
    code = pyotp.TOTP(secret.group(1)).now()
    # 303 to the page that shows the recovery codes once (post/redirect/get)
    assert browser.post("/portal/login/enrol", {"code": code}).status_code == 303
    return browser


class PushLog(ApiClient):
    """The desktop's API client, keeping each push the server answered (the mutations
    sent and the answers), so the test can send the same pushes again as a client that
    never saw the answers would."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.answered: list[tuple[list[dict[str, Any]], list[MutationResult]]] = []

    def push(self, client_id: str, mutations: list[dict[str, Any]]) -> list[MutationResult]:
        results = super().push(client_id, mutations)
        self.answered.append((mutations, results))
        return results


class Desktop:
    """One desktop client: its API client, its own local copy and its sync engine."""

    def __init__(self, live: LiveServer, username: str, folder: Path) -> None:
        self.username = username
        self.user_id = user_id(username)
        self.client = PushLog(live.url)
        self.client.login(username, DEMO_PASSWORD)
        self.store = LocalStore(folder / f"{username}.sqlite3")
        self.engine = SyncEngine(self.client, self.store)
        self.engine.sync_once()

    def sync(self, *, pushed: int | None = None) -> None:
        report = self.engine.sync_once()
        assert report.rejected == 0 and report.conflicts == 0, self.store.issues()
        if pushed is not None:
            assert report.pushed == pushed, report.summary()

    def appeal(self, appeal_id: str) -> Appeal:
        return Appeal.model_validate(self.store.get("appeal", appeal_id))


def _scalar(live: LiveServer, query: Any) -> int:
    db = create_engine(live.env["ECAS_DATABASE_URL"])
    try:
        with db.connect() as conn:
            return int(conn.execute(query).scalar_one())
    finally:
        db.dispose()


def _next_open(day: date) -> date:
    calendar = board_calendar()
    while not calendar.is_open(day):
        day += timedelta(days=1)
    return day


def _decided_case(clerk: Desktop, decided_on: date) -> Case:
    """The immigration court's clerk enters a case judge1 decided on ``decided_on`` with
    attorney1 of record (an accepted EOIR-28): the appeal's starting point."""
    case = Case.model_validate(case_data(SFR, judge="judge1"))
    clerk.store.save(case)
    clerk.sync(pushed=1)
    case = case.model_copy(update={"status": CaseStatus.DECIDED, "decided_on": decided_on})
    clerk.store.save(case)
    appearance = Representation.model_validate(
        representation_data(case.id, "attorney1", status="accepted")
    )
    clerk.store.save(appearance)
    clerk.sync(pushed=2)
    return case


# --- the journey ------------------------------------------------------------------------------


def test_an_appeal_goes_from_the_portal_to_a_single_members_offline_dismissal_issued_once(
    live_server: LiveServer, tmp_path: Path
) -> None:
    base = live_server.url
    board_today = court_today(BOARD_TIMEZONE)
    clerk = Desktop(live_server, "clerk1", tmp_path)
    case = _decided_case(clerk, board_today - timedelta(days=6))
    case_page = f"/portal/cases/{case.id}"

    # 1. Counsel of record files the EOIR-26 with a fee-waiver request (EOIR-26A).
    attorney = portal_user(base, "attorney1")
    assert attorney.get(case_page).status_code == 200
    assert "must be <strong>received</strong> by the Board by" in attorney.page
    attorney.get(f"{case_page}/appeal")
    response = attorney.post(
        f"{case_page}/appeal",
        {
            "decision_date": case.decided_on.isoformat() if case.decided_on else "",
            "reasons": REASONS,
            "separate_brief": "yes",
            "fee": "waiver_requested",
            "proof_of_service": "yes",
            "signed_by_name": "/s/ Dana Reyes",
        },
    )
    assert response.status_code == 302, attorney.page

    # 2. The Board's clerk finds it at intake on the desktop and dockets it.
    board_clerk = Desktop(live_server, "board_clerk1", tmp_path)
    queue = intake_queue(
        board_docket(
            board_clerk.store.all("appeal"),
            board_clerk.store.all("case"),
            board_clerk.store.all("court"),
        )
    )
    (row,) = [r for r in queue if r.case_id == case.id]
    assert row.fee == "Waiver requested (EOIR-26A)" and row.flags == ()
    assert row.appeal.appellant.value == "respondent" and row.appeal.reasons == REASONS
    board_clerk.store.save(docket(row.appeal, board_clerk.user_id, datetime.now(UTC)))
    board_clerk.sync(pushed=1)
    held_case = board_clerk.store.get("case", case.id)
    assert held_case is not None and held_case["status"] == "appealed"
    assert board_clerk.appeal(row.appeal_id).transcript_status.value == "ordered"

    # 3. The court's clerk uploads the transcript and marks it ready, in one group.
    clerk.sync()
    transcript_pdf = valid_pdf(4)
    sha256 = clerk.client.upload(transcript_pdf)
    transcript = Document(
        id=str(uuid.uuid4()),
        case_id=case.id,
        doc_type=DocumentType.TRANSCRIPT,
        title="Transcript of proceedings",
        filer_party=Party.COURT,
        filed_on=date.fromisoformat(sf_today()),
        pages=4,
        sha256=sha256,
        size=len(transcript_pdf),
        status=DocumentStatus.ACCEPTED,
    )
    ready = transcript_ready(clerk.appeal(row.appeal_id), transcript)
    clerk.store.save_together([transcript, ready])
    clerk.sync(pushed=2)

    # 4. The schedule issued on the Board's day: the respondent (appellant) 21 days, DHS
    #    21 days after that, each last day on the Board's calendar.
    board_clerk.sync()
    scheduled = board_clerk.appeal(row.appeal_id)
    # (the Board's today when the server issued it: a run may cross midnight in Virginia)
    assert scheduled.briefing_issued_on in {board_today, court_today(BOARD_TIMEZONE)}
    appellant_due = _next_open(scheduled.briefing_issued_on + timedelta(days=21))
    appellee_due = _next_open(appellant_due + timedelta(days=21))
    assert scheduled.appellant_brief_due == appellant_due
    assert scheduled.appellee_brief_due == appellee_due
    assert board_calendar().is_open(appellant_due) and board_calendar().is_open(appellee_due)
    # The court's case file (its "Appeal (Board)" section) shows each deadline, days left.
    clerk.sync()
    (section,) = appeal_sections(clerk.store.all("appeal"), case.id)
    assert "consecutive" in section.schedule and "transcript ready" in section.status
    today = court_today(BOARD_TIMEZONE)
    assert [(line.label, line.due, line.days_left) for line in section.lines] == [
        ("Respondent (appellant)", appellant_due, (appellant_due - today).days),
        ("DHS (appellee)", appellee_due, (appellee_due - today).days),
    ]
    attorney.get(case_page)
    assert 'id="briefing"' in attorney.page
    assert "Respondent (appellant) — you" in attorney.page and "DHS (appellee)" in attorney.page

    # 5. Both sides file their briefs in the portal: counsel first, then DHS.
    brief_page = f"{case_page}/appeals/{row.appeal_id}/brief"
    attorney.get(brief_page)
    response = attorney.post(brief_page, {}, lead=("brief.pdf", valid_pdf(3)))
    assert response.status_code == 302, attorney.page
    dhs = portal_user(base, "dhs1")
    dhs.get(brief_page)
    response = dhs.post(brief_page, {}, lead=("dhs-brief.pdf", valid_pdf(2)))
    assert response.status_code == 302, dhs.page
    board_clerk.sync()
    briefed = board_clerk.appeal(row.appeal_id)
    assert briefed.appellant_brief_document_id and briefed.appellee_brief_document_id
    assert not briefed.appellant_brief_late and not briefed.appellee_brief_late
    (section,) = appeal_sections(board_clerk.store.all("appeal"), case.id)
    assert [line.brief.split(" ")[0] for line in section.lines] == ["received", "received"]
    dhs.get(case_page)
    assert len(re.findall(r'data-label="Brief">Received ', dhs.page)) == 2
    assert "LATE" not in dhs.page

    # 6. The Board's clerk assigns the appeal to a single member.
    member_id = user_id("board_member1")
    assignment = assign(board_clerk.store, briefed, [member_id], member_id, board_clerk.user_id)
    board_clerk.store.save(assignment)
    board_clerk.sync(pushed=1)
    attorney.get(case_page)
    assert 'class="appeal-stage">Assigned<' in attorney.page
    assert "Assigned to a Board member" in attorney.page

    # 7. The member syncs, reads the record, then the server goes down: the member drafts
    #    "dismissed" and signs; both wait in the outbox.
    member = Desktop(live_server, "board_member1", tmp_path)
    (mine,) = [a for a in my_appeals(member.store, member_id) if a.case_id == case.id]
    assert mine.bench == "Single member" and mine.status == "Assigned"
    parts = [m.part for m in materials(member.store, mine.decision)]
    assert parts.count("Transcript") == 1 and parts.count("Brief") == 2
    assert parts.index("Transcript") < parts.index("Brief")
    live_server.stop()
    order, drafted = draft_decision(
        member.store,
        load_decision(member.store, assignment.id),
        member_id,
        BoardOutcome.DISMISSED,
    )
    member.store.save_together([order, drafted])  # the order first: the decision names it
    signed = sign_single(member.store, load_decision(member.store, assignment.id), member_id)
    member.store.save_together(
        signature_records(load_decision(member.store, assignment.id), signed)
    )
    with pytest.raises(ApiError):
        member.engine.sync_once()
    # Four entries wait: the draft's group, then the signature's queued behind it (the
    # decision names the draft before the signed order arrives).
    assert member.store.pending_count() == 4
    assert [e.entity for e in member.store.pending()] == ["order", "board_decision"]

    # 8. Back online: the sync issues and serves the decision once.
    live_server.start()
    member.client.answered.clear()
    member.sync(pushed=4)
    assert member.store.pending_count() == 0 and not member.store.issues()
    sent = [m["entity"] for mutations, _ in member.client.answered for m in mutations]
    assert sent == ["order", "board_decision", "board_decision", "order"]
    assert member.client.answered[-1][0][-1]["data"]["status"] == "signed"
    issued = BoardDecision.model_validate(member.store.get("board_decision", assignment.id))
    assert issued.status.value == "issued" and issued.outcome is BoardOutcome.DISMISSED
    assert issued.issued_on in {board_today, court_today(BOARD_TIMEZONE)}
    issued_order = member.store.get("order", order.id)
    assert issued_order is not None and issued_order["status"] == OrderStatus.ISSUED.value
    document_id = issued_order["document_id"]
    assert issued_order["signed_by"] == member_id and document_id

    def counts() -> tuple[int, int, int]:
        decisions = (
            select(func.count())
            .select_from(DocumentRow)
            .where(DocumentRow.case_id == case.id, DocumentRow.doc_type == "order")
        )
        served = (
            select(func.count())
            .select_from(ServiceRecordRow)
            .where(ServiceRecordRow.document_id == document_id)
        )
        issues = (
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "board_decision.issue")
            .where(AuditEntry.record_id == assignment.id)
        )
        return (
            _scalar(live_server, decisions),
            _scalar(live_server, served),
            _scalar(live_server, issues),
        )

    assert counts() == (1, 2, 1)
    # Each push sent again (as by a client that never saw the answers) gets the same
    # answers and issues nothing twice; the next sync has nothing to send.
    for mutations, answers in list(member.client.answered):
        again = member.client.push(member.store.client_id, mutations)
        assert again == answers
    member.sync(pushed=0)
    assert counts() == (1, 2, 1)
    served_parties = sorted(
        s["party"] for s in member.store.all("service_record") if s["document_id"] == document_id
    )
    assert served_parties == ["dhs", "practitioner"]

    # 9. The case is decided on the Board's decision, the immigration judge's decision
    #    final on the Board's day (8 CFR 1241.1(a)); the court's clerk reads it so.
    clerk.sync()
    final = clerk.store.get("case", case.id)
    assert final is not None and final["status"] == "decided"
    court_copy = decisions_of(clerk.store, appeal_id=row.appeal_id)
    assert [d.status.value for d in court_copy] == ["issued"]
    assert board_final_on(court_copy, case.id) == issued.issued_on

    # 10. Both parties read the case decided and open the Board's decision in the portal.
    link = f"{case_page}/documents/{document_id}"
    for party in (attorney, dhs):
        party.get(case_page)
        assert 'id="case-status">Decided<' in party.page
        assert 'class="appeal-stage">Decided<' in party.page and "Appeal dismissed" in party.page
        assert f'<a href="{link}">the Board\'s decision</a>' in party.page
        download = party.http.get(base + link, timeout=30)
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
        text = " ".join(pdf_text(download.content).split())
        assert "BOARD OF IMMIGRATION APPEALS" in text and "DISMISSED" in text.upper()
