"""What a push sets off beside its record, and in whose name (sync_server/services/sync.py).

An applied change can make the server write more in the same savepoint: the notice of a
hearing, a signed order and the Board's decision it issues, the panel's decision when a
vote makes the majority, an accepted change of address, a case's custody, status or flags.
Each of those writes is audited in the name of the user whose push caused it (the court's
record says who did what), and a step that cannot be made refuses the push whole. These
run in-process, through Flask's test client, on the shared seeded server.
"""

from __future__ import annotations

import errno
import os
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from common.appeals import BOARD_TIMEZONE
from common.court_time import court_today
from common.protocol import Mutation
from sync_server.models import AuditEntry, CaseRow
from tests.conftest import Api, mutation, user_id
from tests.server.audit_helpers import entries_after, max_seq
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    case_data,
    document_data,
    hearing_data,
    new_id,
    stored,
)
from tests.server.test_board_appeals import appeal_data, docketed
from tests.server.test_board_decisions import (
    MEMBERS,
    _assigned_and_drafted,
    draft,
    drafted,
    signed_by,
    vote,
)
from tests.server.test_sync_mutants import unusable_staging


def _written(app: Flask, after: int) -> list[tuple[str, str | None, str | None, str | None]]:
    """(action, entity, record id, actor) of each audit entry after ``after``."""
    return [(e.action, e.entity, e.record_id, e.actor_id) for e in entries_after(app, after)]


def _entry(app: Flask, after: int, action: str, record_id: str) -> AuditEntry:
    [entry] = [
        e for e in entries_after(app, after) if (e.action, e.record_id) == (action, record_id)
    ]
    return entry


def test_a_panel_s_majority_vote_issues_the_decision_in_the_voter_s_name(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """Two joins of three make the majority: the push of the second issues the drafted
    order signed for the panel, the decision, the appeal decided and (a remand) the case
    pending again at the court, each audited in the name of the member who voted."""
    case, decision, order, _ = _assigned_and_drafted(api, tokens, MEMBERS)
    applied(api, tokens["board_member1"], "board_vote", vote(decision, "board_member1", "join"))
    applied(api, tokens["board_member3"], "board_vote", vote(decision, "board_member3", "dissent"))
    held = stored(seeded_app, "board_decision", decision["id"])
    assert held is not None and held[0]["status"] == "drafted"  # one join is no majority

    seq = max_seq(seeded_app)
    majority = vote(decision, "board_member2", "join")
    [result] = api.push(tokens["board_member2"], mutation("board_vote", majority))

    assert result["status"] == "applied", result
    issued = stored(seeded_app, "board_decision", decision["id"])
    assert issued is not None and issued[0]["status"] == "issued"
    issued_order = stored(seeded_app, "order", order["id"])
    assert issued_order is not None
    assert (issued_order[0]["status"], issued_order[0]["signed_by"]) == (
        "issued",
        user_id("board_member1"),
    )
    moved = stored(seeded_app, "case", case["id"])
    assert moved is not None and moved[0]["status"] == "pending"
    member2 = user_id("board_member2")
    written = _written(seeded_app, seq)
    assert ("record.create", "board_vote", majority["id"], member2) in written
    assert ("board_decision.issue", "board_decision", decision["id"], member2) in written
    assert ("record.update", "case", case["id"], member2) in written
    # The order is issued in its signer's name, the writing member's.
    assert ("order.issue", "order", order["id"], user_id("board_member1")) in written


def test_a_majority_vote_whose_decision_cannot_be_issued_is_refused_whole(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """When the panel's order cannot be stored, the vote that would make the majority is
    refused with why; the decision stays drafted, and the same vote goes through later."""
    _, decision, order, _ = _assigned_and_drafted(api, tokens, MEMBERS)
    applied(api, tokens["board_member1"], "board_vote", vote(decision, "board_member1", "join"))
    majority = mutation("board_vote", vote(decision, "board_member2", "join"))
    with unusable_staging(seeded_app) as staging:
        [refused] = api.push(tokens["board_member2"], majority)

    assert refused["status"] == "rejected"
    prefix = (
        "the decision could not be issued: "
        f"[Errno {errno.ENOTDIR}] {os.strerror(errno.ENOTDIR)}: '{staging}/"
    )
    assert refused["error"].startswith(prefix), refused["error"]
    assert refused["error"].endswith(".order'")
    assert (refused["version"], refused["current"]) == (None, None)
    assert stored(seeded_app, "board_vote", majority["id"]) is None
    held = stored(seeded_app, "board_decision", decision["id"])
    assert held is not None and held[0]["status"] == "drafted"
    held_order = stored(seeded_app, "order", order["id"])
    assert held_order is not None and held_order[0]["status"] == "draft"

    [again] = api.push(tokens["board_member2"], {**majority, "mutation_id": new_id()})
    assert again["status"] == "applied", again
    issued = stored(seeded_app, "board_decision", decision["id"])
    assert issued is not None and issued[0]["status"] == "issued"


def test_a_single_member_s_signature_issues_the_decision_in_their_name(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    _, decision, order, _ = _assigned_and_drafted(
        api, tokens, ("board_member1",), outcome="dismissed"
    )
    held = stored(seeded_app, "order", order["id"])
    assert held is not None
    seq = max_seq(seeded_app)
    applied(
        api,
        tokens["board_member1"],
        "order",
        signed_by(order, "board_member1"),
        base_version=held[1],
    )
    member = user_id("board_member1")
    written = _written(seeded_app, seq)
    assert ("board_decision.issue", "board_decision", decision["id"], member) in written
    assert ("order.issue", "order", order["id"], member) in written


def test_a_hearing_s_notice_is_issued_in_the_scheduling_clerk_s_name_at_its_version(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    data = hearing_data(case["id"])
    seq = max_seq(seeded_app)
    version = applied(api, tokens["clerk1"], "hearing", data)
    [notice] = [e for e in entries_after(seeded_app, seq) if e.action == "notice.issue"]
    assert notice.actor_id == user_id("clerk1")
    assert (notice.detail["hearing_id"], notice.detail["hearing_version"]) == (data["id"], version)
    document = stored(seeded_app, "document", str(notice.record_id))
    assert document is not None
    assert (document[0]["doc_type"], document[0]["filer_id"]) == (
        "hearing_notice",
        user_id("clerk1"),
    )


def test_an_accepted_change_of_address_is_recorded_in_the_accepting_clerk_s_name(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    clerk = tokens["clerk1"]
    filing = {
        "id": new_id(),
        "case_id": case["id"],
        "court_id": SFR,
        "filer_id": user_id("clerk1"),
        "kind": "change_of_address",
        "status": "pending",
        "submitted_at": "2026-11-24T17:00:00Z",
        "form": {
            "street": "15 Birch Street",
            "city": "Fresno",
            "state": "CA",
            "zip": "93701",
            "effective_on": "2026-11-21",
        },
    }
    version = applied(api, clerk, "filing", filing)
    seq = max_seq(seeded_app)
    accepted = filing | {
        "status": "accepted",
        "reviewed_by": user_id("clerk1"),
        "reviewed_at": "2026-11-25T17:00:00Z",
    }
    applied(api, clerk, "filing", accepted, base_version=version)

    [entry] = [e for e in entries_after(seeded_app, seq) if e.action == "address.record"]
    assert entry.actor_id == user_id("clerk1")
    assert entry.detail["source_filing_id"] == filing["id"]
    address = stored(seeded_app, "address", str(entry.record_id))
    assert address is not None
    assert (address[0]["case_id"], address[0]["street"], address[0]["city"]) == (
        case["id"],
        "15 Birch Street",
        "Fresno",
    )


def test_a_custody_change_moves_the_case_in_the_pushing_clerk_s_name(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    detained = {
        "id": new_id(),
        "case_id": case["id"],
        "event": "detained",
        "facility_code": "MESA_VERDE",
        "effective_on": "2026-11-02",
        "recorded_at": "2026-11-27T15:00:00Z",
    }
    seq = max_seq(seeded_app)
    applied(api, tokens["clerk1"], "custody_change", detained)
    moved = _entry(seeded_app, seq, "record.update", case["id"])
    assert moved.actor_id == user_id("clerk1")
    assert (moved.detail["changed"], moved.detail["custody_change_id"]) == (
        ["custody"],
        detained["id"],
    )
    [facility] = [e for e in entries_after(seeded_app, seq) if e.action == "address.record"]
    assert facility.actor_id == user_id("clerk1")


def test_a_decision_moves_the_case_in_the_judge_s_name(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    decision = {
        "id": new_id(),
        "case_id": case["id"],
        "judge_id": user_id("judge1"),
        "form": "oral",
        "decided_on": "2026-12-01",
        "completion": "terminated",
        "relief_granted": [],
        "removal_country": None,
        "appeal_reserved_by": [],
        "appeal_waived_by": [],
        "recorded_at": "2026-12-01T18:00:00Z",
    }
    seq = max_seq(seeded_app)
    applied(api, tokens["judge1"], "decision", decision)
    moved = _entry(seeded_app, seq, "record.update", case["id"])
    assert moved.actor_id == user_id("judge1")
    assert (moved.detail["changed"], moved.detail["decision_id"]) == (
        ["decided_on", "status"],
        decision["id"],
    )


def test_a_docketed_appeal_puts_the_case_on_appeal_in_the_board_clerk_s_name(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    case = case_data(SFR, judge="judge1")
    version = applied(api, tokens["clerk1"], "case", case)
    decided_on = court_today(BOARD_TIMEZONE) - timedelta(days=4)
    case |= {"status": "decided", "decided_on": decided_on.isoformat()}
    applied(api, tokens["clerk1"], "case", case, base_version=version)
    appeal = appeal_data(case, "dhs1")
    version = applied(api, tokens["dhs1"], "appeal", appeal)
    seq = max_seq(seeded_app)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    moved = _entry(seeded_app, seq, "record.update", case["id"])
    assert moved.actor_id == user_id("board_clerk1")
    assert (moved.detail["changed"], moved.detail["appeal_id"]) == (["status"], appeal["id"])
    held = stored(seeded_app, "case", case["id"])
    assert held is not None and held[0]["status"] == "appealed"


def test_an_i589_marks_itself_and_its_case_in_the_filing_clerk_s_name(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    document = document_data(seeded_app, case["id"]) | {"doc_type": "i589_application"}
    seq = max_seq(seeded_app)
    applied(api, tokens["clerk1"], "document", document)
    marked = [
        (e.entity, e.record_id, e.actor_id)
        for e in entries_after(seeded_app, seq)
        if e.action == "confidential.flag_set"
    ]
    assert marked == [
        ("document", document["id"], user_id("clerk1")),
        ("case", case["id"], user_id("clerk1")),
    ]


def test_a_flag_cleared_is_audited_by_name_in_the_clearing_clerk_s_name(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    held = stored(seeded_app, "case", case["id"])
    assert held is not None
    version = applied(
        api,
        tokens["judge1"],
        "case",
        held[0] | {"confidentiality": ["asylum", "sealed"]},
        base_version=held[1],
    )
    seq = max_seq(seeded_app)
    applied(
        api,
        tokens["clerk1"],
        "case",
        held[0] | {"confidentiality": ["asylum"]},
        base_version=version,
    )
    entry = _entry(seeded_app, seq, "confidential.flags_changed", case["id"])
    assert entry.actor_id == user_id("clerk1")
    assert (entry.detail["set"]["flags"], entry.detail["cleared"]["flags"]) == ([], ["sealed"])


def test_a_removal_case_edited_links_no_bond_case(
    api: Api, tokens: TokenBook, seeded_app: Flask, case: dict[str, Any]
) -> None:
    """Bond cases are linked when the removal case is opened (its notice to appear);
    a later edit of the removal case leaves a bond case opened after it as it is."""
    bond = case_data(SFR, judge="judge1") | {
        "a_number": case["a_number"],
        "case_type": "bond",
        "custody": "detained",
        "removal_case_id": None,
    }
    bond_version = applied(api, tokens["clerk1"], "case", bond)
    held = stored(seeded_app, "case", case["id"])
    assert held is not None
    applied(api, tokens["clerk1"], "case", held[0] | {"language": "Quechua"}, base_version=held[1])
    with seeded_app.extensions["ecas"].factory() as session:
        row = session.scalars(select(CaseRow).where(CaseRow.id == bond["id"])).one()
        assert (row.removal_case_id, row.version) == (None, bond_version)


def test_a_reused_mutation_id_is_audited_in_the_pusher_s_name_with_its_record(
    api: Api, tokens: TokenBook, seeded_app: Flask, hearing: tuple[dict[str, Any], int]
) -> None:
    """The same mutation id sent again with other data is refused; the audit names who
    sent it, the record it named and the content the id first carried."""
    data, version = hearing
    sent = mutation("hearing", {**data, "duration_minutes": 45}, base_version=version)
    [first] = api.push(tokens["clerk1"], sent)
    assert first["status"] == "applied"
    seq = max_seq(seeded_app)
    [replay] = api.push(
        tokens["clerk1"], {**sent, "data": {**sent["data"], "duration_minutes": 90}}
    )
    assert replay["status"] == "rejected"
    reused = _entry(seeded_app, seq, "sync.mutation_reused", data["id"])
    assert (reused.actor_id, reused.entity) == (user_id("clerk1"), "hearing")
    first_content = Mutation.model_validate(sent).digest()
    assert reused.detail == {"mutation_id": sent["mutation_id"], "stored_digest": first_content}


def test_recording_a_decision_s_service_leaves_a_remanded_case_pending(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    """A decision moves its case once, when it is recorded: the clerk's later entry of its
    service date is an edit and moves nothing, even once the Board has remanded the case
    and it is pending at the court again."""
    decided_on = (court_today(BOARD_TIMEZONE) - timedelta(days=4)).isoformat()
    case = case_data(SFR, judge="judge1")
    applied(api, tokens["clerk1"], "case", case)
    decision = {
        "id": new_id(),
        "case_id": case["id"],
        "judge_id": user_id("judge1"),
        "form": "written",
        "decided_on": decided_on,
        "completion": "terminated",
        "relief_granted": [],
        "removal_country": None,
        "appeal_reserved_by": [],
        "appeal_waived_by": [],
        "recorded_at": f"{decided_on}T18:00:00Z",
    }
    decision_version = applied(api, tokens["judge1"], "decision", decision)
    case |= {"status": "decided", "decided_on": decided_on}
    appeal = appeal_data(case, "dhs1")
    version = applied(api, tokens["dhs1"], "appeal", appeal)
    applied(api, tokens["board_clerk1"], "appeal", docketed(appeal), base_version=version)
    assignment = {
        "id": new_id(),
        "appeal_id": appeal["id"],
        "case_id": case["id"],
        "panel": False,
        "member_ids": [user_id("board_member1")],
        "author_id": user_id("board_member1"),
        "assigned_by": user_id("board_clerk1"),
        "assigned_on": court_today(BOARD_TIMEZONE).isoformat(),
    }
    version = applied(api, tokens["board_clerk1"], "board_decision", assignment)
    order = draft(case, "board_member1", "remanded")
    order_version = applied(api, tokens["board_member1"], "order", order)
    applied(
        api,
        tokens["board_member1"],
        "board_decision",
        drafted(assignment, order),
        base_version=version,
    )
    applied(
        api,
        tokens["board_member1"],
        "order",
        signed_by(order, "board_member1"),
        base_version=order_version,
    )
    remanded = stored(seeded_app, "case", case["id"])
    assert remanded is not None and remanded[0]["status"] == "pending"

    applied(
        api,
        tokens["clerk1"],
        "decision",
        decision | {"served_on": decided_on},
        base_version=decision_version,
    )
    held = stored(seeded_app, "case", case["id"])
    assert held is not None
    assert (held[0]["status"], held[1]) == ("pending", remanded[1])
