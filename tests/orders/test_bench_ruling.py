"""A bench ruling from the docket: the judge continues a hearing in one step, the signed
order and the adjourned hearing are queued, and the server accepts and issues them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from PySide6.QtCore import Qt

from desktop.ui.docket_view import DocketView
from desktop.ui.order_bench import BenchContinuanceDialog, bench_ruling_refusal
from tests.conftest import Api, mutation

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_bench_continuance_signs_adjourns_and_issues(
    qtbot: Any, make_context: Callable[[str], Any], desktop_server: Flask
) -> None:
    ctx = make_context("judge1")
    view = DocketView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: len(view.data.rows) > 0, timeout=10_000)
    mine = sorted(
        (r for r in view.data.rows if r.judge_id == ctx.user_id and r.status == "scheduled"),
        key=lambda r: r.starts_at,
    )
    target = mine[0]
    other = next(r for r in view.data.rows if r.judge_id not in (ctx.user_id, None))
    assert "another judge" in bench_ruling_refusal("judge", ctx.user_id, other)
    assert "Only the immigration judge" in bench_ruling_refusal("clerk", ctx.user_id, target)
    view.show_week()
    view.go_to(target.starts_at.date())
    qtbot.waitUntil(lambda: view.select_hearing(target.hearing_id), timeout=10_000)
    assert view.bench_action.isEnabled()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_B, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(getattr(view, "bench_dialog", None), BenchContinuanceDialog))
    dialog = view.bench_dialog
    dialog.sign_button.click()
    assert dialog.message.text() == "Choose an adjournment code."
    dialog.code.setCurrentIndex(dialog.code.findData("01"))
    dialog.reason.setText("Respondent to seek counsel")
    dialog.sign_button.click()
    qtbot.waitUntil(
        lambda: dialog.summary_dialog is not None and dialog.summary_dialog.isVisible(),
        timeout=10_000,
    )
    with qtbot.waitSignal(dialog.issued, timeout=10_000) as issued:
        dialog.summary_dialog.sign_button.click()
    ruling = issued.args[0]
    assert ruling.order.status.value == "signed" and ruling.order.fields["adjournment_code"] == "01"
    hearing = ctx.store.get("hearing", target.hearing_id)
    assert (hearing["status"], hearing["adjournment_code"]) == ("adjourned", "01")
    pending = ctx.store.pending()
    assert {e.entity for e in pending} == {"order", "hearing"}

    # What the desktop queued is what the server accepts: the order is issued and served.
    api = Api(desktop_server.test_client())
    token = api.login("judge1", "test-password-123")
    results = api.push(
        token,
        *(
            {**mutation(e.entity, e.data or {}, base_version=e.base_version), "id": e.record_id}
            for e in pending
        ),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    changes, _ = api.pull_all(token)
    issued_order = [c for c in changes if c["id"] == ruling.order.id][-1]["data"]
    assert issued_order["status"] == "issued" and issued_order["document_id"]
    served = [
        c
        for c in changes
        if c["entity"] == "service_record"
        and c["data"]["document_id"] == issued_order["document_id"]
    ]
    assert served
