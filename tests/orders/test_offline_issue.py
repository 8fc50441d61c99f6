"""Offline signing: a judge drafts and signs with the server down; once it is back, one
sync issues the order exactly once (one eROP document, one set of service records), even
when the push is replayed after its answer was lost."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select

from common.order_pdf import pdf_text
from desktop.api_client import ApiClient, ApiError
from desktop.local_store import LocalStore
from desktop.orders import sign_order, start_draft
from desktop.sync_engine import SyncEngine
from sync_server.models import AuditEntry, DocumentRow, ServiceRecordRow
from tests.conftest import DEMO_PASSWORD, LiveServer
from tests.orders.helpers import COMPLETE_FIELDS

pytestmark = pytest.mark.slow


def _judge_with_a_case(live_server: LiveServer, tmp_path: Path) -> tuple[ApiClient, LocalStore]:
    for number in range(1, 7):
        client = ApiClient(live_server.url)
        client.login(f"judge{number}", DEMO_PASSWORD)
        store = LocalStore(tmp_path / f"judge{number}.sqlite3")
        SyncEngine(client, store).sync_once()
        me = client.session.user["id"] if client.session else ""
        if any(c.get("judge_id") == me for c in store.all("case")):
            return client, store
        store.engine.dispose()
    raise AssertionError("no demo judge has a case")


def test_an_order_signed_offline_is_issued_exactly_once_after_sync(
    live_server: LiveServer, tmp_path: Path
) -> None:
    client, store = _judge_with_a_case(live_server, tmp_path)
    assert client.session is not None
    me = str(client.session.user["id"])
    engine = SyncEngine(client, store)
    case = sorted((c for c in store.all("case") if c.get("judge_id") == me), key=lambda c: c["id"])[
        0
    ]

    live_server.stop()  # the server goes down; the judge keeps working
    draft = start_draft(store, case["id"], "removal_decision", me, date(2026, 11, 27))
    draft = draft.model_copy(update={"fields": COMPLETE_FIELDS["removal_decision"]})
    store.save(draft)
    signed = sign_order(store, draft, me, "judge", datetime(2026, 11, 27, 16, tzinfo=UTC))
    store.save(signed)
    with pytest.raises(ApiError):
        engine.sync_once()
    [queued] = store.pending()
    assert queued.data is not None and queued.data["status"] == "signed"

    live_server.start()
    report = engine.sync_once()
    assert report.pushed == 1 and report.rejected == 0 and not store.issues()
    # The answer to a push can be lost: the same mutation sent again issues nothing more.
    replay = requests.post(
        f"{live_server.url}/api/v1/sync/push",
        timeout=30,
        headers={"Authorization": f"Bearer {client.session.access_token}"},
        json={
            "client_id": store.client_id,
            "mutations": [
                {
                    "mutation_id": queued.mutation_id,
                    "entity": "order",
                    "id": draft.id,
                    "op": "upsert",
                    "base_version": None,
                    "data": queued.data,
                }
            ],
        },
    )
    assert replay.json()["results"][0]["status"] == "applied"
    engine.sync_once()

    order = store.get("order", draft.id)
    assert order is not None and order["status"] == "issued" and order["document_id"]
    document = store.get("document", order["document_id"])
    assert document is not None and document["status"] == "accepted"
    local_service = [s for s in store.all("service_record") if s["document_id"] == document["id"]]
    assert {s["party"] for s in local_service} >= {"dhs"}

    db = create_engine(live_server.env["ECAS_DATABASE_URL"])
    try:
        with db.connect() as conn:
            docs = conn.execute(
                select(DocumentRow.id, DocumentRow.sha256).where(
                    DocumentRow.case_id == case["id"], DocumentRow.doc_type == "order"
                )
            ).all()
            served = conn.execute(
                select(ServiceRecordRow.party).where(ServiceRecordRow.document_id == document["id"])
            ).all()
            issues = conn.execute(
                select(AuditEntry.record_id).where(AuditEntry.action == "order.issue")
            ).all()
    finally:
        db.dispose()
    assert [d.id for d in docs] == [document["id"]]  # exactly one eROP document
    assert Counter(s.party for s in served) == Counter(s["party"] for s in local_service)
    assert all(n == 1 for n in Counter(s.party for s in served).values())
    assert [i.record_id for i in issues] == [draft.id]

    pdf = requests.get(
        f"{live_server.url}/api/v1/blobs/{document['sha256']}",
        timeout=30,
        headers={"Authorization": f"Bearer {client.session.access_token}"},
    ).content
    assert hashlib.sha256(pdf).hexdigest() == document["sha256"] == docs[0].sha256
    text = pdf_text(pdf)
    assert case["respondent_last_name"].upper() in text and "Electronically signed" in text
    store.engine.dispose()
