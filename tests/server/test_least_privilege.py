"""Least privilege where it was wide: a judge records the outcome of their own hearings
only, a clerk calendars but never writes a hearing's outcome, and EOIR's nationwide
adjournment codes are changed by EOIR staff, not by any court's administrator. The desktop
offers a judge the bench ruling only on their own hearings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from desktop.docket import DocketRow
from desktop.ui.order_bench import bench_ruling_refusal
from sync_server.models import AdjournmentCodeRow
from sync_server.services.records import row_to_record
from tests.conftest import Api, user_id
from tests.server.sync_helpers import (
    TokenBook,
    adjournment_code_data,
    applied,
    hearing_data,
    push_one,
    stored,
    version_of,
)

OUTCOME = {
    "status": "adjourned",
    "adjournment_code": "02",
    "outcome": "Continued for respondent preparation.",
}


def _refused(result: dict[str, Any], words: str) -> None:
    assert result["status"] == "rejected", result
    assert words in result["error"], result


def test_a_judge_cannot_record_the_outcome_of_another_judges_hearing(
    seeded_app: Flask, api: Api, tokens: TokenBook, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing  # judge1's case; the hearing names no judge of its own
    # judge2 sits at the same court, and may see the docket, but this hearing is not theirs.
    refused = push_one(api, tokens["judge2"], "hearing", data | OUTCOME, base_version=version)
    _refused(refused, "only of their own hearings")
    kept = stored(seeded_app, "hearing", data["id"])
    assert kept is not None and kept[1] == version and kept[0]["outcome"] is None
    assert applied(api, tokens["judge1"], "hearing", data | OUTCOME, base_version=version)


def test_the_hearings_own_judge_decides_it_not_the_cases_judge(
    seeded_app: Flask, api: Api, tokens: TokenBook, case: dict[str, Any]
) -> None:
    # judge1's case, with this hearing set before judge2 (a detail judge, a bond hearing).
    data = hearing_data(case["id"]) | {"judge_id": user_id("judge2")}
    version = applied(api, tokens["clerk1"], "hearing", data)
    _refused(
        push_one(api, tokens["judge1"], "hearing", data | OUTCOME, base_version=version),
        "only of their own hearings",
    )
    assert applied(api, tokens["judge2"], "hearing", data | OUTCOME, base_version=version)


def test_a_judge_does_not_cancel_a_hearing(
    api: Api, tokens: TokenBook, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    cancelled = data | {"status": "cancelled"}
    _refused(
        push_one(api, tokens["judge1"], "hearing", cancelled, base_version=version),
        "cancelling is the clerk's",
    )


def test_a_clerk_cannot_write_the_outcome_of_a_hearing(
    seeded_app: Flask, api: Api, tokens: TokenBook, hearing: tuple[dict[str, Any], int]
) -> None:
    data, version = hearing
    _refused(
        push_one(api, tokens["clerk1"], "hearing", data | OUTCOME, base_version=version),
        "recorded by the hearing's judge",
    )
    # The clerk still keeps the docket: the adjournment and its code, as the Adjourn action
    # saves them, without the judge's words.
    adjourned = data | {"status": "adjourned", "adjournment_code": "02"}
    assert applied(api, tokens["clerk1"], "hearing", adjourned, base_version=version)
    # Nor may a clerk create a hearing that already carries an outcome.
    _refused(
        push_one(api, tokens["clerk1"], "hearing", hearing_data(data["case_id"]) | OUTCOME),
        "recorded by the hearing's judge",
    )


def test_a_court_administrator_cannot_change_adjournment_codes(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    new_code = adjournment_code_data()
    _refused(push_one(api, tokens["admin1"], "adjournment_code", new_code), "EOIR staff only")
    assert stored(seeded_app, "adjournment_code", new_code["id"]) is None
    # Nor retire one that every court uses.
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.scalars(
            select(AdjournmentCodeRow).where(AdjournmentCodeRow.code == "02")
        ).one()
        existing = row_to_record("adjournment_code", row).model_dump(mode="json")
    version = version_of(seeded_app, "adjournment_code", existing["id"])
    retired = existing | {"active": False}
    for admin in ("admin1", "admin2", "admin3"):
        _refused(
            push_one(api, tokens[admin], "adjournment_code", retired, base_version=version),
            "EOIR staff only",
        )
    # EOIR staff add one for every court; their access stays read-only for all else.
    assert applied(api, tokens["eoir1"], "adjournment_code", new_code)
    hearing = hearing_data(existing["id"])
    _refused(push_one(api, tokens["eoir1"], "hearing", hearing), "read-only")
    upload = api.client.post("/api/v1/blobs/uploads", json={}, headers=api.headers(tokens["eoir1"]))
    assert upload.status_code == 403


def _docket_row(judge: str | None, status: str = "scheduled") -> DocketRow:
    fields: dict[str, Any] = dict.fromkeys(DocketRow.__dataclass_fields__)
    fields.pop("search_key")
    start = datetime(2026, 12, 1, 17, tzinfo=UTC)
    fields |= {"hearing_id": "h1", "judge_id": judge, "status": status, "starts_at": start}
    return DocketRow(**fields)


def test_the_desktop_offers_the_bench_ruling_only_on_the_judges_own_hearings() -> None:
    mine, theirs = _docket_row(user_id("judge1")), _docket_row(user_id("judge2"))
    assert bench_ruling_refusal("judge", user_id("judge1"), mine) == ""
    assert bench_ruling_refusal("judge", user_id("judge1"), theirs) == (
        "This hearing is before another judge."
    )
    assert bench_ruling_refusal("clerk", user_id("clerk1"), mine).startswith("Only the")
