"""The server files an issued order on the court's date of its signature, on both databases,
with the server process in UTC.

Rules checked: the project's "court's clock" rule (an order's date is the court's local
date at the instant of signing) and 8 CFR 1003.38(b), whose 30-day appeal period runs from
that date: a San Francisco order signed at 17:30 on 26 November (01:30 UTC on the 27th) is
an order of the 26th in the record of proceedings, its title and its PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from common.order_pdf import pdf_text
from tests.clock_helpers import machine_zone
from tests.conftest import Api, mutation, user_id
from tests.orders.helpers import complete_order, records_by_entity, signed


@pytest.fixture(autouse=True)
def _utc_machine() -> Iterator[None]:
    with machine_zone("UTC"):
        yield


def test_an_order_signed_at_half_past_five_in_san_francisco_is_filed_that_day(api: Api) -> None:
    token = api.login("judge1")
    records = records_by_entity(api.pull_all(token)[0])
    judge = user_id("judge1")
    case = min(
        (c for c in records["case"].values() if c.get("judge_id") == judge), key=lambda c: c["id"]
    )
    assert records["court"][case["court_id"]]["timezone"] == "America/Los_Angeles"
    draft = complete_order(records, case, judge)
    [made] = api.push(token, mutation("order", draft.model_dump(mode="json")))
    assert made["status"] == "applied", made
    at_1730_pacific = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)
    signing = signed(draft, judge).model_copy(update={"signed_at": at_1730_pacific})
    [answer] = api.push(
        token, mutation("order", signing.model_dump(mode="json"), base_version=made["version"])
    )
    assert answer["status"] == "applied", answer

    after = records_by_entity(api.pull_all(token)[0])
    order = after["order"][draft.id]
    document = after["document"][order["document_id"]]
    assert document["filed_on"] == "2026-11-26"
    assert document["title"].endswith("(November 26, 2026)")
    pdf = api.client.get(f"/api/v1/blobs/{document['sha256']}", headers=api.headers(token)).data
    text = pdf_text(pdf)
    assert "November 26, 2026 at 5:30 PM PST" in text
    assert "November 27, 2026" not in text.split("CERTIFICATE OF SERVICE")[0]
