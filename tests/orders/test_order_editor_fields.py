"""The order editor follows the template's structure: a field that does not apply to what is
chosen is greyed out and not saved, one that comes into play gets its default, and the
preview's certificate of service names whom the server will serve."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from common.order_pdf import pdf_text
from desktop.orders import start_draft
from tests.orders.editor_helpers import bond_case, fill, judge_case, open_editor
from tests.orders.helpers import COMPLETE_FIELDS, TODAY

VD_TERMS = ("vd_stage", "vd_depart_by", "vd_bond", "vd_civil_penalty")


def test_voluntary_departure_terms_apply_only_once_it_is_granted(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge1")
    case = judge_case(ctx)
    order = start_draft(ctx.store, case["id"], "removal_decision", ctx.user_id, TODAY)
    editor = open_editor(qtbot, ctx, order)
    fill(editor, COMPLETE_FIELDS["removal_decision"])
    assert not any(editor.editors[k].widget.isEnabled() for k in VD_TERMS)
    assert editor.refresh_problems() == []

    fill(
        editor,
        {
            "withholding": "not_applied",
            "withholding_country": "",
            "cat_withholding": "not_applied",
            "cat_withholding_country": "",
            "voluntary_departure": "granted",
            "disposition": "voluntary_departure",
        },
    )
    assert all(editor.editors[k].widget.isEnabled() for k in VD_TERMS)
    # 8 CFR 1240.26(j): $3,000 unless the judge sets another amount.
    assert editor.editors["vd_civil_penalty"].value() == "3000"
    assert not editor.editors["withholding_country"].widget.isEnabled()
    messages = {p.field: p.message for p in editor.refresh_problems()}
    assert set(messages) == {"vd_stage", "vd_depart_by"}
    fill(editor, {"vd_stage": "post_conclusion", "vd_depart_by": "2027-01-26"})
    # INA § 240B(b)(3): at the conclusion of proceedings the bond is required.
    assert [p.field for p in editor.refresh_problems()] == ["vd_bond"]
    fill(editor, {"vd_bond": "500"})
    assert editor.refresh_problems() == []
    assert editor.current_order().fields["vd_bond"] == "500"

    # Changed back: the terms are greyed, kept in their widgets, and not saved.
    fill(editor, {"voluntary_departure": "denied", "disposition": "removal_ordered"})
    assert not any(editor.editors[k].widget.isEnabled() for k in VD_TERMS)
    assert editor.editors["vd_bond"].value() == "500"
    saved = editor.current_order().fields
    assert not set(VD_TERMS) & set(saved) and saved["voluntary_departure"] == "denied"
    assert editor.refresh_problems() == []


def test_the_preview_certificate_names_whom_the_server_will_serve(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge2")  # the demo's bond case is judge2's
    case = bond_case(ctx)
    order = start_draft(ctx.store, case["id"], "bond_order", ctx.user_id, TODAY)
    editor = open_editor(qtbot, ctx, order)
    fill(editor, COMPLETE_FIELDS["bond_order"])
    with qtbot.waitSignal(editor.preview_ready, timeout=10_000):
        editor.render_preview()
    text = " ".join(pdf_text(editor.last_pdf or b"").split())
    assert "CERTIFICATE OF SERVICE" in text
    assert "when the order is issued, on the following" in text  # a draft is not served yet
    assert "To: Department of Homeland Security" in text
    assert "To: Respondent" in text or "To: Counsel for the respondent" in text
