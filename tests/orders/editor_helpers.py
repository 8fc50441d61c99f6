"""Shared pieces of the order editor's Qt tests: the judge's first demo case, an editor
whose first preview has rendered, and filling fields as the judge would."""

from __future__ import annotations

from typing import Any

from common.wire import Order
from desktop.ui.order_editor import OrderEditor
from tests.orders.helpers import TODAY


def judge_case(ctx: Any) -> dict[str, Any]:
    """The signed-in judge's first case by id (a stable pick among the demo cases)."""
    cases = [c for c in ctx.store.all("case") if c.get("judge_id") == ctx.user_id]
    cases.sort(key=lambda c: c["id"])
    return cases[0]


def bond_case(ctx: Any) -> dict[str, Any]:
    """The signed-in user's first demo bond case (a bond order is issued there only; the
    demo's is judge2's at San Francisco, with its bond records and custody-only counsel)."""
    cases = [c for c in ctx.store.all("case") if c.get("case_type") == "bond"]
    mine = [c for c in cases if c.get("judge_id") == ctx.user_id] or cases
    return min(mine, key=lambda c: str(c["id"]))


def case_for(ctx: Any, template_key: str) -> dict[str, Any]:
    """Where a judge drafts ``template_key``: a bond order in a bond case, others in the
    judge's first case."""
    return bond_case(ctx) if template_key == "bond_order" else judge_case(ctx)


def open_editor(qtbot: Any, ctx: Any, order: Order) -> OrderEditor:
    """An editor on ``order`` once its first preview is on screen."""
    editor = OrderEditor(ctx, order, today=TODAY, preview_delay_ms=10)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.last_pdf is not None, timeout=10_000)
    return editor


def fill(editor: OrderEditor, values: dict[str, Any]) -> None:
    for key, value in values.items():
        editor.editors[key].set_value(value)
