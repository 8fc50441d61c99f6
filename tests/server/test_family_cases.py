"""Family cases (issue 13 item 6), through the real push on both databases: the clerk links
riders to a lead case at the same court (a rider is no lead, a lead rides no one, no
cycle); the family's hearings are scheduled as one push group, all or nothing, and each
hearing serves its own notice of hearing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from sync_server.demo.plan import demo_id
from sync_server.models import DocumentRow, HearingRow
from tests.conftest import Api, mutation, seeded_server_app, user_id
from tests.server.sync_helpers import (
    NYB,
    SFR,
    TokenBook,
    applied,
    case_data,
    hearing_data,
    new_id,
    venue_order,
    version_of,
)


@pytest.fixture(scope="module")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with seeded_server_app(backend, tmp_path_factory.mktemp(f"family-{backend}"), cases=3) as app:
        yield app


@pytest.fixture(scope="module")
def book(app: Flask) -> TokenBook:
    return TokenBook(Api(app.test_client()))


@pytest.fixture
def client(app: Flask) -> Api:
    return Api(app.test_client())


def _link(client: Api, app: Flask, token: str, case: dict[str, Any], lead: str | None) -> dict:  # type: ignore[type-arg]
    [answer] = client.push(
        token,
        mutation(
            "case",
            case | {"lead_case_id": lead},
            base_version=version_of(app, "case", case["id"]),
        ),
    )
    return dict(answer)


def _family(client: Api, app: Flask, clerk: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    lead = case_data(SFR, judge="judge1")
    riders = [case_data(SFR, judge="judge1") for _ in range(2)]
    for case in (lead, *riders):
        applied(client, clerk, "case", case)
    for rider in riders:
        answer = _link(client, app, clerk, rider, lead["id"])
        assert answer["status"] == "applied", answer
    return lead, riders


def test_the_clerk_links_riders_and_the_server_refuses_a_second_level_a_cycle_and_another_court(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    lead, riders = _family(client, app, clerk)
    other = case_data(SFR, judge="judge1")
    applied(client, clerk, "case", other)

    def refused(token: str, case: dict[str, Any], lead_id: str | None) -> str:
        answer = _link(client, app, token, case, lead_id)
        assert answer["status"] == "rejected", answer
        return str(answer["error"])

    assert "itself a rider" in refused(clerk, other, riders[0]["id"])
    assert "itself a rider" in refused(clerk, lead, riders[0]["id"])  # the cycle
    assert "leads riders" in refused(clerk, lead, other["id"])
    assert "its own lead" in refused(clerk, other, other["id"])
    assert "names no case" in refused(clerk, other, new_id())
    elsewhere = case_data(NYB)
    applied(client, book["clerk3"], "case", elsewhere)
    assert "same court" in refused(book["clerk3"], elsewhere, lead["id"])
    assert "only a clerk" in refused(book["judge1"], other, lead["id"])
    # The lead can't leave for another court while it leads riders, even once the judge
    # granted the change of venue (8 CFR 1003.20(b)).
    applied(client, book["judge1"], "order", venue_order(lead["id"], "judge1", NYB))
    moved = lead | {"court_id": NYB, "judge_id": user_id("judge3")}
    [answer] = client.push(
        clerk, mutation("case", moved, base_version=version_of(app, "case", lead["id"]))
    )
    assert answer["status"] == "rejected" and "riders" in str(answer["error"]), answer


def test_a_familys_hearings_are_scheduled_all_or_nothing_each_with_its_own_notice(
    app: Flask, client: Api, book: TokenBook
) -> None:
    clerk = book["clerk1"]
    lead, riders = _family(client, app, clerk)
    group = new_id()
    hearings = [hearing_data(case["id"]) for case in (lead, *riders)]
    # One rider's hearing names a courtroom of another court: the whole group is refused.
    bad = [h | {} for h in hearings]
    bad[2] = bad[2] | {"courtroom_id": demo_id("courtroom", "NYB", 1)}
    answers = client.push(clerk, *(mutation("hearing", h) | {"group": group} for h in bad))
    assert [a["status"] for a in answers] == ["rejected"] * 3, answers
    assert "not one of the case's court" in str(answers[2]["error"])
    assert all("belongs with the change" in str(a["error"]) for a in answers[:2])
    with app.extensions["ecas"].factory() as session:
        ids = [h["id"] for h in hearings]
        assert not session.scalars(select(HearingRow.id).where(HearingRow.id.in_(ids))).all()

    group = new_id()
    answers = client.push(clerk, *(mutation("hearing", h) | {"group": group} for h in hearings))
    assert [a["status"] for a in answers] == ["applied"] * 3, answers
    with app.extensions["ecas"].factory() as session:
        notices = session.scalars(
            select(DocumentRow.case_id).where(
                DocumentRow.case_id.in_([c["id"] for c in (lead, *riders)]),
                DocumentRow.doc_type == "hearing_notice",
            )
        ).all()
    assert sorted(notices) == sorted(c["id"] for c in (lead, *riders))
