"""A motion from the portal to the judge's ruling and back, on loopback against a real
server process (``live_server``): an attorney files a motion in the portal (over HTTP,
signing in with a TOTP code), the clerk accepts the filing from the desktop's local copy,
the judge rules while the server is down (the desktop's outbox), and when the ruling
reaches the server it issues and serves the order once; the attorney reads the ruling
and opens the order in the portal."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
import requests
from sqlalchemy import create_engine, func, select

from common.enums import MotionRuling
from common.wire import Document, Filing
from desktop.api_client import ApiClient, ApiError
from desktop.clerk_actions import accept_filing
from desktop.local_store import LocalStore
from desktop.motions import Stamp, pending_motions, rule_on_motion, save_ruling
from desktop.sync_engine import SyncEngine
from sync_server.demo.plan import demo_id
from sync_server.models import (
    AuditEntry,
    CaseRow,
    DocumentRow,
    MotionRow,
    ServiceRecordRow,
    UserRow,
)
from tests.conftest import DEMO_PASSWORD, LiveServer, user_id
from tests.pdf_factory import valid_pdf

pytestmark = pytest.mark.slow

CASE = demo_id("case", 12)  # at SFR; attorney1's EOIR-28 there is accepted
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


class Portal:
    """A browser on the live server: cookies, and the token of the last page's form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.page = ""

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base + path, timeout=30)
        self.page = response.text
        return response

    def post(
        self, path: str, data: dict[str, str], **files: tuple[str, bytes]
    ) -> requests.Response:
        found = _CSRF.search(self.page)
        assert found, "the page has no form"
        response = self.http.post(
            self.base + path,
            data={"csrf_token": found.group(1), **data},
            files={k: (name, body, "application/pdf") for k, (name, body) in files.items()},
            timeout=60,
            allow_redirects=False,
        )
        self.page = response.text
        return response


def _attorney_signs_in(base: str) -> Portal:
    """attorney1 (demo) signs in with the password and sets up an authenticator app."""
    browser = Portal(base)
    browser.get("/portal/login")
    response = browser.post("/portal/login", {"login": "attorney1", "password": DEMO_PASSWORD})
    assert response.headers["Location"].endswith("/portal/login/enrol"), browser.page
    browser.get("/portal/login/enrol")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', browser.page)
    assert secret, browser.page
    code = pyotp.TOTP(secret.group(1)).now()
    # 303 to the page that shows the recovery codes once (post/redirect/get)
    assert browser.post("/portal/login/enrol", {"code": code}).status_code == 303
    return browser


def _desktop(live: LiveServer, username: str, folder: Path) -> tuple[LocalStore, SyncEngine]:
    client = ApiClient(live.url)
    client.login(username, DEMO_PASSWORD)
    store = LocalStore(folder / f"{username}.sqlite3")
    engine = SyncEngine(client, store)
    engine.sync_once()
    return store, engine


def _count(live: LiveServer, query: object) -> int:
    db = create_engine(live.env["ECAS_DATABASE_URL"])
    try:
        with db.connect() as conn:
            return int(conn.execute(query).scalar_one())  # type: ignore[call-overload]
    finally:
        db.dispose()


def _judge_of_case(live: LiveServer) -> str:
    db = create_engine(live.env["ECAS_DATABASE_URL"])
    try:
        with db.connect() as conn:
            judge_id = conn.execute(select(CaseRow.judge_id).where(CaseRow.id == CASE)).scalar()
            name = conn.execute(select(UserRow.username).where(UserRow.id == judge_id)).scalar()
    finally:
        db.dispose()
    assert name, "the demo case has a judge"
    return str(name)


def test_a_motion_filed_in_the_portal_is_ruled_on_offline_and_issued_once(
    live_server: LiveServer, tmp_path: Path
) -> None:
    # 1. The attorney files a motion to appear by video, with its PDF, in the portal.
    attorney = _attorney_signs_in(live_server.url)
    attorney.get(f"/portal/cases/{CASE}/motion")
    response = attorney.post(
        f"/portal/cases/{CASE}/motion",
        {"motion_type": "appear_remotely", "movant": "respondent", "position": "does_not_oppose"},
        lead=("motion.pdf", valid_pdf()),
    )
    assert response.status_code == 302, attorney.page
    attorney.get(f"/portal/cases/{CASE}/motions")
    assert "Motion to appear by telephone or video" in attorney.page, attorney.page[
        attorney.page.find("<main") :
    ][:1500]
    filed = select(func.count()).select_from(MotionRow).where(MotionRow.case_id == CASE)
    assert _count(live_server, filed) == 1

    # 2. The clerk accepts the filing from the desktop (the documents join the record).
    clerk_store, clerk_engine = _desktop(live_server, "clerk1", tmp_path)
    [motion] = [
        m
        for m in clerk_store.all("motion")
        if m["case_id"] == CASE and m["filer_id"] == user_id("attorney1")
    ]
    filing = Filing.model_validate(
        {
            k: v
            for k, v in (clerk_store.get("filing", motion["filing_id"]) or {}).items()
            if k in Filing.model_fields
        }
    )
    documents = [
        Document.model_validate({k: v for k, v in d.items() if k in Document.model_fields})
        for d in clerk_store.all("document")
        if d.get("filing_id") == filing.id
    ]
    review = accept_filing(filing, documents, user_id("clerk1"), datetime.now(UTC), zone=None)
    clerk_store.save_together([review.filing, *review.documents])
    report = clerk_engine.sync_once()
    assert report.pushed == 1 + len(documents) and report.rejected == 0

    # 3. The judge of the case syncs, then rules while the server is down.
    judge = _judge_of_case(live_server)
    judge_store, judge_engine = _desktop(live_server, judge, tmp_path)
    queue = pending_motions(judge_store, user_id(judge), "judge")
    assert motion["id"] in {row.motion_id for row in queue}
    orders_before = _count(
        live_server,
        select(func.count())
        .select_from(DocumentRow)
        .where(DocumentRow.case_id == CASE, DocumentRow.doc_type == "order"),
    )
    live_server.stop()
    result = rule_on_motion(
        judge_store,
        motion["id"],
        user_id(judge),
        "judge",
        Stamp(MotionRuling.GRANTED, "The respondent is detained far from the court."),
    )
    save_ruling(judge_store, result)
    with pytest.raises(ApiError):
        judge_engine.sync_once()
    assert {e.entity for e in judge_store.pending()} == {"order", "motion"}

    # 4. Back online: the ruling reaches the server, which issues and serves it once.
    live_server.start()
    report = judge_engine.sync_once()
    assert report.pushed == 2 and report.rejected == 0 and not judge_store.issues()
    judge_engine.sync_once()  # nothing more to send; nothing issued again
    order_docs = (
        select(func.count())
        .select_from(DocumentRow)
        .where(DocumentRow.case_id == CASE, DocumentRow.doc_type == "order")
    )
    assert _count(live_server, order_docs) == orders_before + 1
    issued = judge_store.get("order", result.order.id)
    assert issued is not None and issued["status"] == "issued" and issued["document_id"]
    served = (
        select(func.count())
        .select_from(ServiceRecordRow)
        .where(ServiceRecordRow.document_id == issued["document_id"])
    )
    assert _count(live_server, served) >= 2  # counsel of record and DHS
    issues = (
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "order.issue", AuditEntry.record_id == result.order.id)
    )
    assert _count(live_server, issues) <= 1

    # 5. The attorney sees the ruling and opens the order.
    attorney.get(f"/portal/cases/{CASE}/motions")
    assert "Granted" in attorney.page and "The respondent is detained far from the court." in (
        attorney.page
    )
    link = f"/portal/cases/{CASE}/documents/{issued['document_id']}"
    assert link in attorney.page
    download = attorney.http.get(live_server.url + link, timeout=30)
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
