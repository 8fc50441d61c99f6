"""A bond order states the bond case's latest bond record (common.bonds), on the desktop:
the draft starts from DHS's determination and the request as the record has them; the
judge decides by signing, and the decision goes into the bond record with the signed
order, as one group the server applies all or nothing; an order that tells another story
than the record is not signed, with the reason beside the field.

Against the demo's bond case (judge2's at San Francisco): DHS set $15,000, the first
redetermination lowered it to $10,000, and a later request (November 20, for $3,000, on a
stated change of circumstances) waits for the bond hearing on the docket.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from common.enums import BondOutcome, OrderStatus
from common.order_pdf import pdf_text
from common.orders import SigningRefused
from common.wire import Bond
from desktop.orders import bond_of_case, sign_order, start_draft, templates_for_case
from tests.orders.editor_helpers import bond_case, fill, judge_case, open_editor
from tests.orders.helpers import COMPLETE_FIELDS, TODAY

NOW = datetime(2026, 11, 27, 20, tzinfo=UTC)  # noon at San Francisco


def test_a_bond_order_is_offered_in_the_bond_case_only(
    make_context: Callable[[str], Any],
) -> None:
    ctx = make_context("judge2")
    assert "bond_order" in {t.key for t in templates_for_case("bond")}
    removal_case = judge_case(ctx)
    assert removal_case["case_type"] != "bond"
    assert "bond_order" not in {t.key for t in templates_for_case(removal_case["case_type"])}


def test_a_bond_order_drafted_in_the_bond_case_starts_from_its_latest_bond_record(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge2")
    case = bond_case(ctx)
    order = start_draft(ctx.store, case["id"], "bond_order", ctx.user_id, TODAY)
    assert {k: order.fields.get(k) for k in ("dhs_determination", "dhs_amount")} == {
        "dhs_determination": "amount",
        "dhs_amount": "15000",
    }
    assert (order.fields["requested_on"], order.fields["requested_amount"]) == (
        "2026-11-20",
        "3000",
    )
    assert "decision" not in order.fields  # the later request is undecided: the judge decides
    editor = open_editor(qtbot, ctx, order)
    text = " ".join(pdf_text(editor.last_pdf or b"").split())
    assert "received the request for a redetermination on November 20, 2026" in text
    assert "asked to be released on a bond of $3,000.00" in text
    assert "may be released on a bond of $15,000.00" in text


def test_signing_a_bond_order_writes_its_decision_into_the_bond_record_in_one_group(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge2")
    case = bond_case(ctx)
    latest, prior = bond_of_case(ctx.store, case["id"])
    assert latest is not None and latest.outcome is None and prior is not None
    order = start_draft(ctx.store, case["id"], "bond_order", ctx.user_id, TODAY)
    editor = open_editor(qtbot, ctx, order)
    fill(editor, COMPLETE_FIELDS["bond_order"])  # lowered to $7,500, decided November 27
    editor.sign_button.click()
    qtbot.waitUntil(
        lambda: editor.summary_dialog is not None and editor.summary_dialog.isVisible(),
        timeout=10_000,
    )
    assert editor.summary_dialog is not None
    with qtbot.waitSignal(editor.signed, timeout=10_000):
        editor.summary_dialog.sign_button.click()

    bond = Bond.model_validate(
        {k: v for k, v in (ctx.store.get("bond", latest.id) or {}).items() if k != "deleted"}
    )
    assert (bond.outcome, bond.amount, bond.judge_id) == (
        BondOutcome.LOWERED,
        7_500,
        ctx.user_id,
    )
    assert bond.decided_on is not None and bond.decided_on.isoformat() == "2026-11-27"
    queued = {e.entity: e for e in ctx.store.pending()}
    assert set(queued) == {"bond", "order"}
    assert queued["bond"].group_id is not None
    assert queued["bond"].group_id == queued["order"].group_id  # all or nothing
    assert queued["bond"].seq < queued["order"].seq  # the decision before the order
    assert queued["order"].data is not None and queued["order"].data["status"] == "signed"


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"dhs_amount": "20000"}, "dhs_amount", "DHS's bond is $15,000"),
        ({"requested_amount": "5000"}, "requested_amount", "the amount asked for is $3,000"),
        # The bond in effect is the $10,000 of the first redetermination, not DHS's.
        ({"amount": "12000"}, "amount", "less than the $10,000 in effect"),
        ({"decision": "raised", "amount": "9000"}, "amount", "more than the $10,000 in effect"),
    ],
)
def test_a_bond_order_that_disagrees_with_the_bond_record_is_not_signed(
    make_context: Callable[[str], Any], changes: dict[str, str], field: str, says: str
) -> None:
    ctx = make_context("judge2")
    case = bond_case(ctx)
    order = start_draft(ctx.store, case["id"], "bond_order", ctx.user_id, TODAY)
    order = order.model_copy(update={"fields": COMPLETE_FIELDS["bond_order"] | changes})
    with pytest.raises(SigningRefused) as refused:
        sign_order(ctx.store, order, ctx.user_id, "judge", NOW)
    assert [(p.field, says in p.message) for p in refused.value.problems] == [(field, True)]
    assert ctx.store.pending() == []  # nothing saved
    signed = sign_order(
        ctx.store,
        order.model_copy(update={"fields": COMPLETE_FIELDS["bond_order"]}),
        ctx.user_id,
        "judge",
        NOW,
    )
    assert signed.status is OrderStatus.SIGNED
