"""The Board decides an appeal (issue 15 item 5) through the sync API: assignment by the
Board's clerk, the author's draft, the panel's votes, issuing once, the remand back to the
immigration court, and who may do what.

The Must-show (b) runs against a real ``ecas-server run`` process on loopback, over HTTP;
the policy tests against the shared seeded app through Flask's test client. Both run on
SQLite and (marked ``postgres``) on PostgreSQL."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pymupdf
import pytest
import requests
from flask import Flask

from common.appeals import BOARD_TIMEZONE
from common.court_time import court_today
from common.orders import template_for
from tests.conftest import DEMO_PASSWORD, Api, LiveServer, mutation, user_id
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    annotation_data,
    applied,
    by_entity,
    case_data,
    document_data,
    new_id,
    push_one,
    representation_data,
    stored,
)
from tests.server.test_board_appeals import appeal_data, docketed

MEMBERS = ("board_member1", "board_member2", "board_member3")  # the third is temporary
INSTRUCTIONS = "Make findings on the respondent's credibility and decide the asylum claim."
DISSENT = "The immigration judge's adverse credibility finding is not clearly erroneous."

# --- records as a client builds them ------------------------------------------------------


def _board_today() -> str:
    return court_today(BOARD_TIMEZONE).isoformat()


def _now() -> str:
    return datetime.now(UTC).isoformat()


def assignment(
    case: dict[str, Any], appeal: dict[str, Any], members: tuple[str, ...], **kw: Any
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "appeal_id": appeal["id"],
        "case_id": case["id"],
        "panel": len(members) == 3,
        "member_ids": [user_id(m) for m in members],
        "author_id": user_id(members[0]),
        "assigned_by": user_id("board_clerk1"),
        "assigned_on": _board_today(),
        **kw,
    }


def draft(case: dict[str, Any], author: str, outcome: str = "remanded") -> dict[str, Any]:
    template = template_for("board_decision")
    fields: dict[str, Any] = {
        "appellant": "dhs",
        "decision_below_date": case["decided_on"],
        "outcome": outcome,
    }
    if outcome == "remanded":
        fields["remand_instructions"] = INSTRUCTIONS
    return {
        "id": new_id(),
        "case_id": case["id"],
        "judge_id": user_id(author),
        "template": template.key,
        "template_version": template.version,
        "status": "draft",
        "fields": fields,
        "body": template.body,
    }


def drafted(decision: dict[str, Any], order: dict[str, Any]) -> dict[str, Any]:
    outcome = order["fields"]["outcome"]
    return {**decision, "status": "drafted", "outcome": outcome, "order_id": order["id"]}


def vote(decision: dict[str, Any], member: str, choice: str, opinion: str = "") -> dict[str, Any]:
    return {
        "id": new_id(),
        "board_decision_id": decision["id"],
        "case_id": decision["case_id"],
        "member_id": user_id(member),
        "order_id": decision["order_id"],
        "vote": choice,
        "opinion": opinion,
        "signed_at": _now(),
    }


def signed_by(order: dict[str, Any], member: str) -> dict[str, Any]:
    return {**order, "status": "signed", "signed_by": user_id(member), "signed_at": _now()}


# --- the API over HTTP, for the live server -------------------------------------------------


@dataclass
class Http:
    """The sync API as the desktop client calls it, over HTTP on loopback."""

    url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            response = requests.post(
                f"{self.url}/api/v1/auth/login",
                json={"username": username, "password": DEMO_PASSWORD},
                timeout=30,
            )
            assert response.status_code == 200, response.text
            self.tokens[username] = str(response.json()["access_token"])
        return self.tokens[username]

    def _headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    def push(self, username: str, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = requests.post(
            f"{self.url}/api/v1/sync/push",
            headers=self._headers(username),
            json={"client_id": f"desktop-{username}", "mutations": list(mutations)},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return list(response.json()["results"])

    def applied(
        self, username: str, entity: str, data: dict[str, Any], base: int | None = None
    ) -> int:
        (result,) = self.push(username, mutation(entity, data, base_version=base))
        assert result["status"] == "applied", result
        return int(result["version"])

    def pull(self, username: str, since: str | None = None) -> tuple[list[dict[str, Any]], str]:
        out: list[dict[str, Any]] = []
        while True:
            query = {"limit": "1000", **({"since": since} if since else {})}
            response = requests.get(
                f"{self.url}/api/v1/sync/changes",
                headers=self._headers(username),
                params=query,
                timeout=60,
            )
            assert response.status_code == 200, response.text
            page = response.json()
            out += page["changes"]
            since = str(page["cursor"])
            if not page["has_more"]:
                return out, since

    def get_json(self, username: str, path: str) -> Any:
        response = requests.get(f"{self.url}{path}", headers=self._headers(username), timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def pdf_text(self, username: str, sha256: str) -> str:
        response = requests.get(
            f"{self.url}/api/v1/blobs/{sha256}", headers=self._headers(username), timeout=60
        )
        assert response.status_code == 200, response.text
        with pymupdf.open(stream=response.content, filetype="pdf") as doc:
            raw = " ".join(str(page.get_text()) for page in doc)
        return " ".join(unicodedata.normalize("NFKC", raw).split())


def _latest(changes: list[dict[str, Any]], entity: str, record_id: str) -> dict[str, Any]:
    found = [c for c in changes if c["entity"] == entity and c["id"] == record_id]
    assert found, f"no {entity} {record_id} in the pull"
    return max(found, key=lambda c: int(c["version"]))


def test_dhs_appeals_a_panel_remands_2_to_1_and_the_case_is_pending_again_at_the_court(
    live_server: LiveServer,
) -> None:
    http = Http(live_server.url)
    # A case judge1 decided five days ago (Board time), attorney1 of record.
    case = case_data(SFR, judge="judge1")
    version = http.applied("clerk1", "case", case)
    decided_on = court_today(BOARD_TIMEZONE) - timedelta(days=5)
    case |= {"status": "decided", "decided_on": decided_on.isoformat()}
    http.applied("clerk1", "case", case, version)
    http.applied(
        "clerk1", "representation", representation_data(case["id"], "attorney1", status="accepted")
    )
    # DHS appeals; the Board's clerk dockets the appeal and assigns a panel of three.
    appeal = appeal_data(case, "dhs1")
    version = http.applied("dhs1", "appeal", appeal)
    http.applied("board_clerk1", "appeal", docketed(appeal), version)
    decision = assignment(case, appeal, MEMBERS)
    version = http.applied("board_clerk1", "board_decision", decision)

    # The writing member drafts "remanded" with instructions and links the draft.
    order = draft(case, "board_member1")
    http.applied("board_member1", "order", order)
    decision = drafted(decision, order)
    version = http.applied("board_member1", "board_decision", decision, version)
    judge_before, judge_cursor = http.pull("judge1")
    assert decision["id"] not in by_entity(judge_before, "board_decision")  # not yet issued
    assert order["id"] not in by_entity(judge_before, "order")  # a Board draft stays there

    # The panel votes 2-1: the author joins, the dissent is signed with its opinion, then
    # the second join makes the majority and issues the decision in that push.
    http.applied("board_member1", "board_vote", vote(decision, "board_member1", "join"))
    http.applied("board_member3", "board_vote", vote(decision, "board_member3", "dissent", DISSENT))
    majority = mutation("board_vote", vote(decision, "board_member2", "join"))
    (first,) = http.push("board_member2", majority)
    assert first["status"] == "applied", first
    _, board_cursor = http.pull("board_clerk1")

    # The push replayed (the client never saw the answer) issues nothing twice.
    (again,) = http.push("board_member2", majority)
    assert again == first
    after_replay, _ = http.pull("board_clerk1", board_cursor)
    assert after_replay == []

    # The judge's pull: the case pending again at the immigration court, the Board's
    # decision issued (the Board's day), its order issued with its document, served.
    changes, _ = http.pull("judge1", judge_cursor)
    held_case = _latest(changes, "case", case["id"])["data"]
    assert held_case["status"] == "pending" and held_case["court_id"] == SFR
    issued = _latest(changes, "board_decision", decision["id"])["data"]
    assert issued["status"] == "issued" and issued["outcome"] == "remanded"
    assert issued["issued_on"] == _board_today()
    issued_order = _latest(changes, "order", order["id"])["data"]
    assert issued_order["status"] == "issued"
    assert issued_order["signed_by"] == user_id("board_member1")
    document = _latest(changes, "document", issued_order["document_id"])["data"]
    served = [
        c["data"]
        for c in changes
        if c["entity"] == "service_record" and c["data"]["document_id"] == document["id"]
    ]
    assert sorted(s["party"] for s in served) == ["dhs", "practitioner"]
    assert len({s["id"] for s in served}) == len(served) == 2
    assert [c for c in changes if c["entity"] == "board_vote"] == []  # the Board's alone

    # The served PDF is the Board's, with each vote and the dissent signed by then.
    text = http.pdf_text("judge1", document["sha256"])
    assert "BOARD OF IMMIGRATION APPEALS" in text
    assert "The record is REMANDED to the immigration court" in text
    assert INSTRUCTIONS in text
    assert "Board Member Petrov dissents." in text
    assert f"Dissenting opinion of Board Member Petrov: {DISSENT}" in text
    assert "Electronically signed by Board Member Nakamura" in text

    # The case's history says who issued it and that the case went back to the court.
    history = http.get_json("judge1", f"/api/v1/cases/{case['id']}/history")["entries"]
    issued_entries = [e for e in history if e["summary"] == "issued the board decision"]
    assert [e["actor"] for e in issued_entries] == ["Board Member Osei"]
    # The Board's deliberation (assignment, draft, votes) is not in the court's history.
    board_work = {"board vote", "board decision"}
    assert [e for e in history if e["entity"].replace("_", " ") in board_work] == issued_entries
    assert not [e for e in history if e["entity"] == "order" and e["action"] != "order.issue"]

    # A late vote is refused: the decision has issued.
    (late,) = http.push(
        "board_member3", mutation("board_vote", vote(decision, "board_member3", "join"))
    )
    assert late["status"] == "rejected"


# --- policy, on the shared seeded app ---------------------------------------------------------


@pytest.fixture(scope="module")
def tokens(seeded_app: Flask) -> TokenBook:
    return TokenBook(Api(seeded_app.test_client()))


def _before_the_board(api: Api, tokens: TokenBook) -> tuple[dict[str, Any], dict[str, Any]]:
    """A decided case DHS appealed and the Board's clerk docketed: (case, appeal)."""
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    decided_on = court_today(BOARD_TIMEZONE) - timedelta(days=4)
    case |= {"status": "decided", "decided_on": decided_on.isoformat()}
    applied(api, tokens["clerk1"], "case", case, base_version=version)
    appeal = appeal_data(case, "dhs1")
    version = applied(api, tokens["dhs1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    return case, appeal


def _assigned_and_drafted(
    api: Api, tokens: TokenBook, members: tuple[str, ...], outcome: str = "remanded"
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], int]:
    """(case, the drafted decision, its order, the decision's version)."""
    case, appeal = _before_the_board(api, tokens)
    decision = assignment(case, appeal, members)
    version = applied(api, tokens["board_clerk1"], "board_decision", decision)
    order = draft(case, members[0], outcome)
    applied(api, tokens[members[0]], "order", order)
    decision = drafted(decision, order)
    version = applied(api, tokens[members[0]], "board_decision", decision, base_version=version)
    return case, decision, order, version


def test_only_the_board_clerk_assigns_and_only_to_three_distinct_board_members(
    api: Api, tokens: TokenBook
) -> None:
    case, appeal = _before_the_board(api, tokens)
    for who in ("clerk1", "judge1", "board_member1", "dhs1"):
        refused = push_one(api, tokens[who], "board_decision", assignment(case, appeal, MEMBERS))
        assert refused["status"] == "rejected", who
    two = assignment(case, appeal, MEMBERS[:2], panel=True)
    assert "exactly 3" in push_one(api, tokens["board_clerk1"], "board_decision", two)["error"]
    judge_on_panel = assignment(case, appeal, ("board_member1", "board_member2", "judge1"))
    refused = push_one(api, tokens["board_clerk1"], "board_decision", judge_on_panel)
    assert "Board member" in refused["error"]
    # The temporary member (8 CFR 1003.1(a)(4)) sits on the panel.
    applied(api, tokens["board_clerk1"], "board_decision", assignment(case, appeal, MEMBERS))
    second = push_one(
        api, tokens["board_clerk1"], "board_decision", assignment(case, appeal, MEMBERS)
    )
    assert "second decision" in second["error"]


def test_a_board_member_not_assigned_cannot_sign_or_vote(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    # A single member's decision (board_member1): board_member2 is not assigned.
    case, decision, order, _ = _assigned_and_drafted(
        api, tokens, ("board_member1",), outcome="dismissed"
    )
    held = stored(seeded_app, "order", order["id"])
    assert held is not None
    stranger = push_one(
        api,
        tokens["board_member2"],
        "order",
        signed_by(order, "board_member2"),
        base_version=held[1],
    )
    assert stranger["status"] == "rejected" and "not assigned" in stranger["error"]
    # Nor by signing in the assigned member's name.
    forged = push_one(
        api,
        tokens["board_member2"],
        "order",
        signed_by(order, "board_member1"),
        base_version=held[1],
    )
    assert forged["status"] == "rejected"
    ballot = push_one(
        api, tokens["board_member2"], "board_vote", vote(decision, "board_member2", "join")
    )
    assert ballot["status"] == "rejected" and "not assigned" in ballot["error"]
    held = stored(seeded_app, "order", order["id"])
    assert held is not None and held[0]["status"] == "draft"
    # Counsel appearing before the Board on an EOIR-27 alone is served with the decision.
    board_counsel = representation_data(case["id"], "attorney2", status="accepted")
    applied(api, tokens["clerk1"], "representation", board_counsel | {"form": "eoir_27"})
    # The member assigned signs, and the decision issues: the IJ decision final on it.
    applied(
        api,
        tokens["board_member1"],
        "order",
        signed_by(order, "board_member1"),
        base_version=held[1],
    )
    issued = stored(seeded_app, "board_decision", decision["id"])
    assert issued is not None and issued[0]["status"] == "issued"
    after = stored(seeded_app, "case", case["id"])
    assert after is not None and after[0]["status"] == "decided"
    issued_order = stored(seeded_app, "order", order["id"])
    assert issued_order is not None
    changes, _ = api.pull_all(tokens["board_clerk1"])
    served = [
        c["data"]
        for c in by_entity(changes, "service_record").values()
        if c["data"]["document_id"] == issued_order[0]["document_id"]
    ]
    assert sorted((s["party"], s["recipient_id"]) for s in served) == sorted(
        [("dhs", None), ("practitioner", user_id("attorney2"))]
    )


def test_a_member_votes_only_in_their_own_name_once_and_not_after_issue(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    _, decision, _, _ = _assigned_and_drafted(api, tokens, MEMBERS)
    for_another = vote(decision, "board_member2", "join")
    refused = push_one(api, tokens["board_member1"], "board_vote", for_another)
    assert refused["status"] == "rejected" and "own vote" in refused["error"]
    mine = vote(decision, "board_member1", "join")
    version = applied(api, tokens["board_member1"], "board_vote", mine)
    changed = push_one(
        api,
        tokens["board_member1"],
        "board_vote",
        {**mine, "vote": "dissent"},
        base_version=version,
    )
    assert changed["status"] == "rejected"
    twice = push_one(
        api, tokens["board_member1"], "board_vote", vote(decision, "board_member1", "dissent")
    )
    assert "votes once" in twice["error"]
    # A panel member can't sign the order alone: the panel decides by its votes.
    held = stored(seeded_app, "order", decision["order_id"])
    assert held is not None
    alone = push_one(
        api,
        tokens["board_member1"],
        "order",
        signed_by(held[0], "board_member1"),
        base_version=held[1],
    )
    assert alone["status"] == "rejected" and "votes" in alone["error"]
    # Nor edit the draft once voted on.
    edited = {**held[0], "fields": {**held[0]["fields"], "remand_instructions": "Other."}}
    redraft = push_one(api, tokens["board_member1"], "order", edited, base_version=held[1])
    assert redraft["status"] == "rejected"


def test_a_panel_cannot_summarily_affirm(api: Api, tokens: TokenBook) -> None:
    case, appeal = _before_the_board(api, tokens)
    decision = assignment(case, appeal, MEMBERS)
    version = applied(api, tokens["board_clerk1"], "board_decision", decision)
    order = draft(case, "board_member1", "summary_affirmance")
    refused = push_one(api, tokens["board_member1"], "order", order)
    assert refused["status"] == "applied"  # a draft; the decision can't take it
    linked = push_one(
        api,
        tokens["board_member1"],
        "board_decision",
        drafted(decision, order),
        base_version=version,
    )
    assert linked["status"] == "rejected" and "1003.1(e)(4)" in linked["error"]


def test_an_issued_decision_takes_no_second_decision(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    _, decision, order, _ = _assigned_and_drafted(
        api, tokens, ("board_member1",), outcome="dismissed"
    )
    held = stored(seeded_app, "order", order["id"])
    assert held is not None
    applied(
        api,
        tokens["board_member1"],
        "order",
        signed_by(order, "board_member1"),
        base_version=held[1],
    )
    issued = stored(seeded_app, "board_decision", decision["id"])
    assert issued is not None and issued[0]["status"] == "issued"
    redecided = {**issued[0], "outcome": "sustained"}
    refused = push_one(
        api, tokens["board_member1"], "board_decision", redecided, base_version=issued[1]
    )
    assert refused["status"] == "rejected"
    reassigned = {
        **issued[0],
        "member_ids": [user_id("board_member2")],
        "author_id": user_id("board_member2"),
    }
    refused = push_one(
        api, tokens["board_clerk1"], "board_decision", reassigned, base_version=issued[1]
    )
    assert refused["status"] == "rejected"


def test_the_court_and_the_parties_read_a_board_decision_only_once_issued(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    _, decision, order, _ = _assigned_and_drafted(api, tokens, MEMBERS)
    ballot = vote(decision, "board_member1", "join")
    applied(api, tokens["board_member1"], "board_vote", ballot)
    for reader in ("judge1", "clerk1", "attorney1", "dhs1"):
        changes, _ = api.pull_all(tokens[reader])
        assert decision["id"] not in by_entity(changes, "board_decision"), reader
        assert order["id"] not in by_entity(changes, "order"), reader
        assert ballot["id"] not in by_entity(changes, "board_vote"), reader
    for reader in ("board_clerk1", "board_member2"):  # Board staff, nationwide
        changes, _ = api.pull_all(tokens[reader])
        assert decision["id"] in by_entity(changes, "board_decision"), reader
        assert ballot["id"] in by_entity(changes, "board_vote"), reader


def test_a_note_shared_with_the_panel_is_read_by_its_members_only(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    # Case A is board_member1's alone; case B a panel of all three members.
    alone, _, _, _ = _assigned_and_drafted(api, tokens, ("board_member1",), "dismissed")
    panel, _, _, _ = _assigned_and_drafted(api, tokens, MEMBERS)
    notes = {}
    for case in (alone, panel):
        document = document_data(seeded_app, case["id"])
        applied(api, tokens["clerk1"], "document", document)
        judges_own = annotation_data(document, "judge1", visibility="private")
        applied(api, tokens["judge1"], "annotation", judges_own)
        note = annotation_data(document, "board_member1", visibility="panel")
        applied(api, tokens["board_member1"], "annotation", note)
        notes[case["id"]] = (document, note, judges_own)

    def read(username: str) -> dict[str, dict[str, Any]]:
        return by_entity(api.pull_all(tokens[username])[0], "annotation")

    _, alone_note, alone_judges = notes[alone["id"]]
    _, panel_note, panel_judges = notes[panel["id"]]
    other_member = read("board_member2")
    assert panel_note["id"] in other_member  # sits on case B's panel
    assert alone_note["id"] not in other_member  # not assigned to case A
    for reader in ("judge1", "clerk1", "eoir1", "board_clerk1"):
        assert not {alone_note["id"], panel_note["id"]} & set(read(reader)), reader
    # Board staff never read the immigration judge's private notes in a case before them.
    for reader in ("board_member1", "board_member2", "board_clerk1"):
        assert not {alone_judges["id"], panel_judges["id"]} & set(read(reader)), reader
    # A member not on case A's decision can't share a note with its (absent) panel, and a
    # Board member's note is never the court's "shared".
    document_a = notes[alone["id"]][0]
    refused = push_one(
        api,
        tokens["board_member2"],
        "annotation",
        annotation_data(document_a, "board_member2", visibility="panel"),
    )
    assert refused["status"] == "rejected" and "assigned" in refused["error"]
    shared = annotation_data(document_a, "board_member1", visibility="shared")
    assert push_one(api, tokens["board_member1"], "annotation", shared)["status"] == "rejected"
    panel_by_judge = annotation_data(document_a, "judge1", visibility="panel")
    assert push_one(api, tokens["judge1"], "annotation", panel_by_judge)["status"] == "rejected"
