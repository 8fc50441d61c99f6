"""The case file of a bond proceeding: DHS's amount, the request, the outcome, the Board's
appeal deadline and the automatic stay, and the link to the removal case both ways."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from pytestqt.qtbot import QtBot

from common.protocol import Change
from desktop.ui.case_file_view import CaseFileView
from desktop.ui.context import DesktopContext
from sync_server.demo.plan import demo_id
from tests.conftest import user_id

# A detained respondent's removal case with no bond case of its own in the demo (case 12
# has one: the demo's bond case).
REMOVAL = demo_id("case", 7)


def _arrives(ctx: DesktopContext, entity: str, data: dict[str, Any], version: int) -> None:
    """``data`` comes in a pull, as the server would send it."""
    change = Change(entity=entity, id=data["id"], version=version, deleted=False, data=data)
    ctx.store.apply_page([change], str(ctx.store.get_state("cursor")))


def _open(qtbot: QtBot, ctx: DesktopContext, case_id: str, today: date) -> CaseFileView:
    view = CaseFileView(ctx, case_id, today=today)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=5000)
    return view


def test_the_bond_tab_shows_the_redetermination_its_appeal_deadline_and_the_stay(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("judge1")
    removal = ctx.store.get("case", REMOVAL)
    assert removal is not None
    bond_case = {
        k: v for k, v in removal.items() if k not in ("deleted", "removal_case_id", "charges")
    } | {
        "id": str(uuid.uuid4()),
        "case_type": "bond",
        "status": "pending",
        "custody": "detained",
        "removal_case_id": REMOVAL,
        "decided_on": None,
    }
    _arrives(ctx, "case", bond_case, 10**9)
    _arrives(
        ctx,
        "bond",
        {
            "id": str(uuid.uuid4()),
            "case_id": bond_case["id"],
            "dhs_determination": "amount",
            "dhs_amount": 15_000,
            "requested_on": "2026-11-23",
            "requested_by": "practitioner",
            "requester_id": user_id("attorney1"),
            "requested_amount": 5_000,
            "outcome": "lowered",
            "amount": 7_500,
            "decided_on": "2026-11-30",
            "judge_id": user_id("judge1"),
            "stay_filed_on": "2026-12-01",
        },
        10**9 + 1,
    )

    view = _open(qtbot, ctx, bond_case["id"], date(2026, 12, 2))
    assert view.summary_value("Case type") == "Bond"
    assert view.summary_value("Linked proceedings") == "Removal case A200-055-433 (Pending)"
    assert view.tabs.tabText(7) == "Bond (1)"
    [bond] = view.bonds.rows
    assert bond.dhs == "DHS: $15,000"
    assert bond.requested.startswith("$5,000, asked by counsel")
    assert bond.outcome == "Bond lowered to $7,500"
    # 8 CFR 1003.19(f), 1003.38(b): 30 days from the decision, Wednesday December 30.
    assert bond.appeal_due == date(2026, 12, 30)
    assert "1003.38(b)" in bond.appeal_citation
    # The EOIR-43 stays the release; ten business days from Monday November 30 end on
    # Monday December 14, by which DHS must appeal or the stay lapses.
    assert bond.stay == (
        "Release stayed (EOIR-43 filed December 1, 2026); the stay lapses unless DHS "
        "appeals to the Board by December 14, 2026"
    )

    # The removal case shows the link the other way, and has no bond tab rows.
    other = _open(qtbot, ctx, REMOVAL, date(2026, 12, 2))
    assert other.summary_value("Linked proceedings") == "Bond case A200-055-433 (Pending)"
    assert other.tabs.tabText(7) == "Bond (0)"
