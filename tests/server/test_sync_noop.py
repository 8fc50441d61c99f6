"""A no-op sync after pushes elsewhere (issue 16 item 2): the version counter moved past
the cursor, nothing in the caller's scope did. The page's statement is built once per
principal and run with the cursor and the top as bound values
(``feed_pages.page_statement``); the answer is an empty page whose cursor moves to the top,
byte for byte the page the statement built afresh gives, and a change in scope after it
still arrives, to the right principal only."""

from __future__ import annotations

import base64
import json
from typing import Any

from flask import Flask
from sqlalchemy import select, text

from sync_server.models import UserRow
from sync_server.services import feed_pages, feed_text, sync
from sync_server.services.auth import principal_of
from sync_server.services.feed_pages import per_case, prepare
from tests.conftest import Api, mutation

Changes = list[dict[str, Any]]


def _changed_hearing(api: Api, token: str, changes: Changes) -> dict[str, Any]:
    """A push changing one scheduled hearing ``changes`` hold, as its clerk would."""
    hearing = next(
        c
        for c in reversed(changes)
        if c["entity"] == "hearing" and not c["deleted"] and c["data"].get("status") == "scheduled"
    )
    data = dict(hearing["data"])
    data["duration_minutes"] = 30 + (int(data.get("duration_minutes") or 60) + 15) % 120
    [result] = api.push(token, mutation("hearing", data, base_version=hearing["version"]))
    assert result["status"] == "applied", result
    return {"id": hearing["id"], "version": result["version"]}


def _raw(app: Flask, token: str, since: str) -> bytes:
    response = app.test_client().get(
        f"/api/v1/sync/changes?limit=1000&since={since}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    return response.get_data()


def _version(cursor: str) -> int:
    return int(json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))[0])


def _top(app: Flask) -> int:
    with app.extensions["ecas"].factory() as session:
        return int(session.execute(text("SELECT version FROM server_state")).scalar_one())


def test_no_op_after_another_courts_push_then_a_change_in_scope(seeded_app: Flask) -> None:
    api = Api(seeded_app.test_client())
    judge1, clerk1 = api.login("judge1"), api.login("clerk1")  # the first court
    judge3, clerk3 = api.login("judge3"), api.login("clerk3")  # the second
    held1, cursor1 = api.pull_all(judge1)
    _, cursor3 = api.pull_all(judge3)
    clerk3_sees, _ = api.pull_all(clerk3)
    elsewhere = _changed_hearing(api, clerk3, clerk3_sees)
    top = _top(seeded_app)
    assert _version(cursor1) < top  # the counter moved past judge1's cursor

    # judge1's sync: nothing in its scope, the cursor moves to the top
    body = _raw(seeded_app, judge1, cursor1)
    page = json.loads(body)
    assert page["changes"] == [] and not page["has_more"] and not page["reset"]
    assert _version(page["cursor"]) == top
    # exactly the page a pull with no rows gives: the cursor at the top, the scope kept
    held = sync.Cursor.decode(cursor1)
    moved = sync.Cursor(top, held.scope, held.courts).encode()
    assert (
        body == b'{"changes":[],"cursor":"' + moved.encode() + b'","has_more":false,"reset":false}'
    )
    # and again, from the kept statement: the same answer
    assert _raw(seeded_app, judge1, cursor1) == body

    # judge3 shares no statement with judge1: the other court's change reaches it
    news3, _ = api.pull_all(judge3, cursor3)
    assert [(c["id"], c["version"]) for c in news3 if c["entity"] == "hearing"] == [
        (elsewhere["id"], elsewhere["version"])
    ]

    # after the no-op, a change in judge1's scope arrives from the no-op's cursor
    mine = _changed_hearing(api, clerk1, held1)
    news1, _ = api.pull_all(judge1, page["cursor"])
    assert [(c["entity"], c["id"], c["version"]) for c in news1] == [
        ("hearing", mine["id"], mine["version"])
    ]
    # small pages from the kept statement: the same rows, each once, cursor by cursor
    paged, _ = api.pull_all(judge1, cursor1, limit=1)
    assert [(c["id"], c["version"]) for c in paged if c["entity"] == "hearing"] == [
        (mine["id"], mine["version"])
    ]


def test_the_kept_statement_gives_the_pages_page_query_gives(seeded_app: Flask) -> None:
    """For every demo account, windows and page sizes: the kept statement, run with its
    bound values, reads the rows and writes the text the statement built with them does;
    a principal's statement is its own (kept once, per scope)."""
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        users = session.scalars(select(UserRow).order_by(UserRow.username)).all()
        top = _top(seeded_app)
    compared = 0
    for user in users:
        principal = principal_of(user)
        for start, limit in ((0, 7), (top // 2, 40), (top - 5, 1000), (top, 1000)):
            with factory() as session:
                prepare(session)
                cases = per_case(session)
                expected = feed_text.page_changes(
                    session, feed_pages.page_query(principal, start, top, limit, per_case=cases)
                )
                kept = feed_pages.page_statement(principal, per_case=cases)
                got = feed_text.page_changes(
                    session, kept, feed_pages.page_params(start, top, limit)
                )
            assert got == expected, f"{user.username} from {start}, limit {limit}"
            assert feed_pages.page_statement(principal, per_case=cases) is kept
            compared += len(expected)
    assert compared > 0
