"""The order editor, offline: drafting each template from a demo case, a signing blocked
with its message beside the field, and a signed order whose PDF reads back right."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from common.enums import OrderStatus
from common.order_pdf import pdf_text
from common.orders import current_templates
from common.wire import Order
from desktop.orders import start_draft
from desktop.ui.case_file_view import CaseFileView
from desktop.ui.order_editor import OrderEditor
from tests.orders.editor_helpers import bond_case, case_for, fill, judge_case, open_editor
from tests.orders.helpers import COMPLETE_FIELDS, TODAY


def _sign_confirmed(qtbot: Any, editor: OrderEditor) -> None:
    """Sign as a judge does: the button, then "Sign and issue" in the summary it shows."""
    editor.sign_button.click()
    qtbot.waitUntil(
        lambda: editor.summary_dialog is not None and editor.summary_dialog.isVisible(),
        timeout=10_000,
    )
    assert editor.summary_dialog is not None
    with qtbot.waitSignal(editor.signed, timeout=10_000):
        editor.summary_dialog.sign_button.click()


@pytest.mark.parametrize("template_key", sorted(COMPLETE_FIELDS))
def test_each_template_drafts_from_a_demo_case_and_saves_offline(
    qtbot: Any, make_context: Callable[[str], Any], template_key: str
) -> None:
    # The demo's bond case is judge2's (a bond order is drafted in a bond case only).
    ctx = make_context("judge2" if template_key == "bond_order" else "judge1")
    case = case_for(ctx, template_key)
    order = start_draft(ctx.store, case["id"], template_key, ctx.user_id, TODAY)
    editor = open_editor(qtbot, ctx, order)
    template = current_templates()[template_key]
    assert set(editor.editors) == {f.key for f in template.fields}  # widgets from the data
    fill(editor, COMPLETE_FIELDS[template_key])
    assert editor.refresh_problems() == []
    assert all(e.error.isHidden() for e in editor.editors.values())
    with qtbot.waitSignal(editor.preview_ready, timeout=10_000):
        editor.render_preview()
    assert editor.preview.widget().findChild(QLabel, "preview_page_1") is not None
    text = pdf_text(editor.last_pdf or b"")
    assert case["respondent_last_name"].upper() in text and "DRAFT" in text
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save_draft()
    saved = ctx.store.get("order", order.id)
    assert saved["status"] == "draft" and saved["fields"] == COMPLETE_FIELDS[template_key]
    assert [e.record_id for e in ctx.store.pending()] == [order.id]  # queued for the server


def test_signing_is_blocked_with_the_message_beside_the_field(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge1")
    case = judge_case(ctx)
    order = start_draft(ctx.store, case["id"], "removal_decision", ctx.user_id, TODAY)
    editor = open_editor(qtbot, ctx, order)
    fill(
        editor,
        {
            **COMPLETE_FIELDS["removal_decision"],
            "disposition": "terminated",
            "termination_reason": "",
            "removal_country": "",
        },
    )
    editor.sign_button.click()
    error = editor.editors["disposition"].error
    assert not error.isHidden()
    assert "withholding of removal under INA § 241(b)(3) granted: the order must also order" in (
        error.text()
    )
    assert editor.editors["termination_reason"].error.text() == (
        "Reason for termination is required when Disposition is 'Proceedings terminated'"
    )
    assert editor.status.text().startswith("Not signed")
    assert ctx.store.get("order", order.id) is None  # nothing signed, nothing queued
    fill(editor, {"disposition": "removal_ordered", "removal_country": "Honduras"})
    assert error.isHidden()


def test_a_signed_order_reads_back_with_outcomes_and_signature(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge1")
    case = judge_case(ctx)
    order = start_draft(ctx.store, case["id"], "removal_decision", ctx.user_id, TODAY)
    editor = open_editor(qtbot, ctx, order)
    fill(editor, COMPLETE_FIELDS["removal_decision"])
    _sign_confirmed(qtbot, editor)
    stored = Order.model_validate(ctx.store.get("order", order.id))
    assert stored.status is OrderStatus.SIGNED and stored.signed_by == ctx.user_id
    assert not editor.save_button.isEnabled() and editor.body.isReadOnly()
    qtbot.waitUntil(lambda: "Electronically signed" in pdf_text(editor.last_pdf or b""))
    text = pdf_text(editor.last_pdf or b"")
    digits = case["a_number"]
    assert f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}" in text
    assert case["respondent_last_name"].upper() in text
    assert "asylum under INA § 208(a) is DENIED" in text.replace("\n", " ")
    assert "Immigration Judge" in text and "DRAFT" not in text


def test_a_clerk_prepares_but_can_not_sign(qtbot: Any, make_context: Callable[[str], Any]) -> None:
    ctx = make_context("clerk1")
    case = bond_case(ctx)
    order = start_draft(ctx.store, case["id"], "bond_order", ctx.user_id, TODAY)
    assert order.judge_id == case["judge_id"]  # drafted for the case's judge
    editor = open_editor(qtbot, ctx, order)
    assert not editor.sign_button.isEnabled()
    assert "Only the judge" in editor.status.text()


def test_the_case_file_opens_new_orders_and_lists_them(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge1")
    case = judge_case(ctx)
    view = CaseFileView(ctx, case["id"], today=TODAY)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=10_000)
    assert view.order_actions.new_button.isVisibleTo(view)
    order = start_draft(ctx.store, case["id"], "motion_order", ctx.user_id, TODAY)
    window = view.order_actions.show_order(order)
    qtbot.addWidget(window)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.editor.save_draft()
    assert [o.order_id for o in view.case_file.orders] == [order.id]


def test_a_signed_order_is_corrected_by_a_new_order(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge2")
    case = bond_case(ctx)
    order = start_draft(ctx.store, case["id"], "bond_order", ctx.user_id, TODAY)
    editor = open_editor(qtbot, ctx, order)
    fill(editor, COMPLETE_FIELDS["bond_order"])
    editor.merge_combo.activated.emit(editor.merge_combo.findData("a_number"))
    assert "{a_number}" in editor.current_order().body
    _sign_confirmed(qtbot, editor)
    assert editor.correct_button.isVisibleTo(editor)
    with qtbot.waitSignal(editor.correction_started, timeout=10_000) as started:
        editor.correct_button.click()
    correction = started.args[0]
    assert correction.corrects_order_id == order.id and correction.id != order.id
    assert correction.status is OrderStatus.DRAFT
    assert correction.fields == COMPLETE_FIELDS["bond_order"]
    qtbot.waitUntil(lambda: "Electronically signed" in pdf_text(editor.last_pdf or b""))
    signed_text = pdf_text(editor.last_pdf or b"")
    digits = case["a_number"]
    assert signed_text.count(f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}") >= 2  # merged
