"""Time from a client is evidence, not truth: a signature or filing time ahead of the
server's clock is refused with the reason, and the case history says when the server
received each change."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from common.court_time import table_datetime
from sync_server.app import create_app
from tests.conftest import Api, server_config, user_id
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    a_case_of,
    applied,
    case_data,
    document_data,
    filing_data,
    order_data,
    push_one,
    signed,
    stored,
)

ADVICE = "check this computer's date and time"


@pytest.fixture
def draft(api: Api, tokens: TokenBook) -> tuple[dict[str, Any], int]:
    """A draft order of judge1 in a fresh SFR case."""
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    data = order_data(case["id"], "judge1")
    return data, applied(api, tokens["judge1"], "order", data)


def _signed_at(order: dict[str, Any], moment: datetime) -> dict[str, Any]:
    return {**signed(order, "judge1"), "signed_at": moment.isoformat()}


def _now() -> datetime:
    return datetime.now(UTC)


def _shown(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _refused(result: dict[str, Any], *words: str) -> None:
    assert result["status"] == "rejected", result
    for word in words:
        assert word in result["error"], result["error"]


# --- signatures -------------------------------------------------------------------------


def test_an_order_signed_on_a_computer_whose_clock_runs_an_hour_ahead_is_refused(
    api: Api, tokens: TokenBook, draft: tuple[dict[str, Any], int], seeded_app: Flask
) -> None:
    data, version = draft
    ahead = _now() + timedelta(hours=1)
    result = push_one(api, tokens["judge1"], "order", _signed_at(data, ahead), base_version=version)
    _refused(result, f"the signature time {_shown(ahead)} is ahead of the server's clock", ADVICE)
    kept = stored(seeded_app, "order", data["id"])
    assert kept is not None and kept[0]["status"] == "draft" and kept[1] == version


def test_a_signature_a_few_minutes_ahead_is_accepted_as_clock_drift(
    api: Api, tokens: TokenBook, draft: tuple[dict[str, Any], int]
) -> None:
    data, version = draft
    slightly_ahead = _now() + timedelta(minutes=3)
    result = push_one(
        api, tokens["judge1"], "order", _signed_at(data, slightly_ahead), base_version=version
    )
    assert result["status"] == "applied", result


@pytest.fixture
def lenient_api(seeded_app: Flask, tmp_path: Path) -> Iterator[Api]:
    """A second server on the same database and document store (an order it issues must
    be readable by the first) allowing clocks 60 minutes ahead."""
    shared = seeded_app.extensions["ecas"].config
    config = server_config(shared.database_url, tmp_path, clock_tolerance_minutes=60)
    app = create_app(dataclasses.replace(config, blob_url=shared.blob_url))
    yield Api(app.test_client())
    app.extensions["ecas"].engine.dispose()


def test_the_allowed_clock_difference_is_a_server_setting(
    api: Api, lenient_api: Api, tokens: TokenBook, draft: tuple[dict[str, Any], int]
) -> None:
    data, version = draft
    half_hour_ahead = _signed_at(data, _now() + timedelta(minutes=30))
    refused = push_one(api, tokens["judge1"], "order", half_hour_ahead, base_version=version)
    _refused(refused, "ahead of the server's clock")
    judge = lenient_api.login("judge1")
    accepted = push_one(lenient_api, judge, "order", half_hour_ahead, base_version=version)
    assert accepted["status"] == "applied", accepted


# --- filings ----------------------------------------------------------------------------


def test_a_filing_submitted_with_tomorrows_clock_is_refused(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    case = a_case_of(seeded_app, "attorney1")  # an SFR case
    tomorrow = _now() + timedelta(days=1)
    filing = {**filing_data(case, SFR, "attorney1"), "submitted_at": tomorrow.isoformat()}
    _refused(
        push_one(api, tokens["attorney1"], "filing", filing),
        f"the filing time {_shown(tomorrow)} is ahead of the server's clock",
        ADVICE,
    )
    assert stored(seeded_app, "filing", filing["id"]) is None
    on_time = {**filing, "submitted_at": _now().isoformat()}
    assert push_one(api, tokens["attorney1"], "filing", on_time)["status"] == "applied"


def test_a_document_dated_tomorrow_utc_is_accepted_as_some_us_courts_today(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """Guam and Saipan are a day ahead of the mainland: tomorrow's UTC date can be today
    there, so it is accepted; the day after is no one's today."""
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    today = _now().date()
    tomorrow = {**document_data(seeded_app, case["id"]), "filed_on": str(today + timedelta(1))}
    assert push_one(api, tokens["clerk1"], "document", tomorrow)["status"] == "applied"

    day_after = {**document_data(seeded_app, case["id"]), "filed_on": str(today + timedelta(2))}
    _refused(
        push_one(api, tokens["clerk1"], "document", day_after),
        f"the filing date {today + timedelta(2)} is later than today's date anywhere in the "
        "United States",
        ADVICE,
    )


def test_a_filing_accepted_earlier_is_not_refused_when_a_clerk_reviews_it(
    api: Api, lenient_api: Api, tokens: TokenBook
) -> None:
    """Only a time the change brings is judged, never one the record already had: a
    filing taken by a server allowing more drift is still reviewable under a stricter one."""
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    ahead = (_now() + timedelta(minutes=30)).isoformat()
    filing = {**filing_data(case["id"], SFR, "clerk1"), "submitted_at": ahead}
    version = applied(lenient_api, lenient_api.login("clerk1"), "filing", filing)

    review = {
        **filing,
        "status": "rejected",
        "rejection_reason": "Missing certificate of service",
        "reviewed_by": user_id("clerk1"),
        "reviewed_at": _now().isoformat(),
    }
    assert applied(api, tokens["clerk1"], "filing", review, base_version=version) > version


# --- what the history shows ---------------------------------------------------------------


def _history(api: Api, token: str, case_id: str) -> list[dict[str, Any]]:
    response = api.client.get(f"/api/v1/cases/{case_id}/history", headers=api.headers(token))
    assert response.status_code == 200, response.get_json()
    entries: list[dict[str, Any]] = response.get_json()["entries"]
    return entries


def test_history_shows_when_the_server_received_an_order_signed_offline(
    api: Api, tokens: TokenBook, draft: tuple[dict[str, Any], int]
) -> None:
    data, version = draft
    signed_offline = _now() - timedelta(hours=3)  # signed on a laptop, sent hours later
    before = _now()
    applied(api, tokens["judge1"], "order", _signed_at(data, signed_offline), base_version=version)

    entries = _history(api, tokens["judge1"], data["case_id"])
    (signing,) = [
        e for e in entries if e["record_id"] == data["id"] and "signed at" in e["summary"]
    ]
    received = datetime.fromisoformat(signing["at"])
    assert before - timedelta(seconds=1) <= received <= _now()  # the server's time
    # Shown on the court's clock (San Francisco), like every time a person reads.
    at_court = table_datetime(signed_offline, "America/Los_Angeles")
    assert signing["summary"].endswith(f"; signature time by the sender's clock: {at_court}")
    (drafting,) = [e for e in entries if e["record_id"] == data["id"] and e["action"] == "created"]
    assert "sender's clock" not in drafting["summary"]  # no signature time in a draft
