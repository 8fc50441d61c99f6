"""Signing is never one click, and a signature bears the court's date.

Rules checked:
- Issue 12, item 7: before an irreversible act, a summary. Signing an order (the editor and
  the bench ruling) asks once, showing the disposition and who will be served; Cancel signs
  nothing, "Sign and issue" signs.
- The project's "court's clock" rule: the order is dated the court's local date at the
  instant of signing, with this machine's zone set to UTC and the San Francisco court
  (America/Los_Angeles). That date starts the 30-day appeal clock (8 CFR 1003.38(b)), so a
  signature at 17:30 or 23:30 in San Francisco must not be dated the next (UTC) day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from common.enums import OrderStatus
from common.order_pdf import pdf_text
from common.wire import Order, Representation
from desktop.orders import (
    case_today,
    continuance_ruling,
    render_preview,
    sign_order,
    signing_summary,
    start_draft,
)
from desktop.ui.order_bench import BenchContinuanceDialog
from desktop.ui.order_editor import OrderEditor
from desktop.ui.signing_summary import SigningSummaryDialog
from tests.clock_helpers import machine_zone
from tests.orders.helpers import COMPLETE_FIELDS, TODAY

PACIFIC = "America/Los_Angeles"
AT_1730 = datetime(2026, 12, 8, 1, 30, tzinfo=UTC)  # Mon 7 Dec 2026, 17:30 PST
AT_2330 = datetime(2026, 12, 8, 7, 30, tzinfo=UTC)  # Mon 7 Dec 2026, 23:30 PST


@pytest.fixture(autouse=True)
def _utc_machine() -> Iterator[None]:
    with machine_zone("UTC"):
        yield


def _judge_case(ctx: Any, *, represented: bool) -> dict[str, Any]:
    """A case of the signed-in judge, in San Francisco: with counsel of record (the demo's
    pending EOIR-28 of one of the judge's cases, accepted here as a clerk would) or with no
    appearance at all."""
    cases = {c["id"]: c for c in ctx.store.all("case") if c.get("judge_id") == ctx.user_id}
    appearances = sorted(
        (r for r in ctx.store.all("representation") if r["case_id"] in cases),
        key=lambda r: r["id"],
    )
    if represented:
        appearance = next(r for r in appearances if r["form"] == "eoir_28")
        ctx.store.save(
            Representation.model_validate(
                {**appearance, "status": "accepted", "accepted_on": "2026-11-20"}
            )
        )
        case = cases[appearance["case_id"]]
    else:
        with_any = {r["case_id"] for r in appearances}
        case = cases[min(i for i in cases if i not in with_any)]
    court = ctx.store.get("court", case["court_id"])
    assert court["timezone"] == PACIFIC
    return case


def _editor(qtbot: Any, ctx: Any, order: Order) -> OrderEditor:
    editor = OrderEditor(ctx, order, today=TODAY, preview_delay_ms=10)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.last_pdf is not None, timeout=10_000)
    for key, value in COMPLETE_FIELDS[order.template].items():
        editor.editors[key].set_value(value)
    assert editor.refresh_problems() == []
    return editor


def _summary_shown(qtbot: Any, owner: Any) -> SigningSummaryDialog:
    qtbot.waitUntil(
        lambda: owner.summary_dialog is not None and owner.summary_dialog.isVisible(),
        timeout=10_000,
    )
    dialog = owner.summary_dialog
    assert isinstance(dialog, SigningSummaryDialog)
    return dialog


def test_signing_an_order_asks_once_and_cancel_signs_nothing(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge1")
    case = _judge_case(ctx, represented=True)
    order = start_draft(ctx.store, case["id"], "removal_decision", ctx.user_id, TODAY)
    editor = _editor(qtbot, ctx, order)

    editor.sign_button.click()
    dialog = _summary_shown(qtbot, editor)
    text = dialog.text.toPlainText()
    # The disposition, as the order's operative clauses state it.
    assert "Disposition:" in text and "Honduras" in text
    # Who is served: counsel of record electronically, DHS always; not the respondent.
    counsel = next(
        r
        for r in ctx.store.all("representation")
        if r["case_id"] == case["id"] and r["status"] == "accepted" and r["form"] == "eoir_28"
    )
    name = (ctx.store.get("user_profile", counsel["practitioner_id"]) or {}).get(
        "display_name", "Practitioner of record"
    )
    assert f"Counsel for the respondent: {name}" in text
    assert "Department of Homeland Security" in text
    assert "Respondent:" not in text
    # Cancel is the default: Enter (or the Ctrl+Shift+S that opened it) never signs.
    assert dialog.cancel_button.isDefault() and not dialog.sign_button.isDefault()
    # Asking again while the summary is open opens no second one.
    editor.sign_and_issue()
    assert editor.summary_dialog is dialog

    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    assert ctx.store.get("order", order.id) is None  # nothing signed, nothing queued
    assert [e.entity for e in ctx.store.pending()] == ["representation"]  # the acceptance
    assert editor.order.status is OrderStatus.DRAFT and editor.status.text() == "Not signed."

    editor.sign_button.click()
    again = _summary_shown(qtbot, editor)
    with qtbot.waitSignal(editor.signed, timeout=10_000):
        again.sign_button.click()
    stored = Order.model_validate(ctx.store.get("order", order.id))
    assert stored.status is OrderStatus.SIGNED and stored.signed_by == ctx.user_id
    assert [e.entity for e in ctx.store.pending()] == ["representation", "order"]


def test_the_summary_of_a_pro_se_case_names_the_respondent_served_by_mail(
    make_context: Callable[[str], Any],
) -> None:
    ctx = make_context("judge1")
    case = _judge_case(ctx, represented=False)
    order = start_draft(ctx.store, case["id"], "removal_decision", ctx.user_id, TODAY)
    order = order.model_copy(update={"fields": dict(COMPLETE_FIELDS["removal_decision"])})
    summary = signing_summary(ctx.store, order, AT_1730)
    respondent = f"{case['respondent_first_name']} {case['respondent_last_name']}"
    assert summary.served[0].startswith(f"Respondent: {respondent} — first-class mail")
    assert "Department of Homeland Security" in summary.served[-1]


@pytest.mark.parametrize(
    ("now", "shown"),
    [
        (AT_1730, "December 7, 2026 at 5:30 PM PST"),
        (AT_2330, "December 7, 2026 at 11:30 PM PST"),
    ],
)
def test_an_order_signed_late_in_the_san_francisco_day_bears_that_day(
    make_context: Callable[[str], Any], now: datetime, shown: str
) -> None:
    # Court's clock rule; the date starts the appeal clock of 8 CFR 1003.38(b).
    ctx = make_context("judge1")
    case = _judge_case(ctx, represented=True)
    assert case_today(ctx.store, case["id"], now) == date(2026, 12, 7)
    draft = start_draft(ctx.store, case["id"], "removal_decision", ctx.user_id)
    draft = draft.model_copy(update={"fields": dict(COMPLETE_FIELDS["removal_decision"])})
    summary = signing_summary(ctx.store, draft, now)
    assert summary.dated == date(2026, 12, 7)
    assert summary.signed_at_text == shown
    assert "will be dated December 7, 2026" in summary.text()
    signed = sign_order(ctx.store, draft, ctx.user_id, "judge", now)
    assert signed.signed_at == now  # the instant is stored in UTC
    text = pdf_text(render_preview(ctx.store, signed)[0])
    assert "Date: December 7, 2026" in text
    assert "December 8, 2026" not in text


def test_a_bench_ruling_at_half_past_eleven_at_night_is_dated_that_day(
    make_context: Callable[[str], Any],
) -> None:
    # Court's clock rule: the order's date and the date it continues the case to are the
    # court's (a hearing set for 17:00 PST on 14 Jan 2027 is on the 14th, though 01:00 UTC
    # on the 15th).
    ctx = make_context("judge1")
    hearing = next(
        h
        for h in sorted(ctx.store.all("hearing"), key=lambda h: h["id"])
        if h["status"] == "scheduled" and h.get("judge_id") == ctx.user_id
    )
    next_start = datetime(2027, 1, 15, 1, 0, tzinfo=UTC)
    ruling = continuance_ruling(
        ctx.store, hearing, ctx.user_id, "judge", "01", next_start, "To seek counsel", AT_2330
    )
    assert ruling.order.signed_at == AT_2330
    assert ruling.order.fields["next_hearing"] == "2027-01-14"
    text = pdf_text(render_preview(ctx.store, ruling.order)[0])
    assert "Date: December 7, 2026" in text and "December 8, 2026" not in text


def test_a_bench_ruling_asks_before_signing_and_cancel_signs_nothing(
    qtbot: Any, make_context: Callable[[str], Any]
) -> None:
    ctx = make_context("judge1")
    hearing = next(
        h
        for h in sorted(ctx.store.all("hearing"), key=lambda h: h["id"])
        if h["status"] == "scheduled" and h.get("judge_id") == ctx.user_id
    )
    dialog = BenchContinuanceDialog(ctx, hearing, zone=None)
    qtbot.addWidget(dialog)
    dialog.code.setCurrentIndex(dialog.code.findData("01"))
    dialog.reason.setText("Respondent to seek counsel")

    dialog.sign_button.click()
    summary = _summary_shown(qtbot, dialog)
    text = summary.text.toPlainText()
    assert "continued to" in text.lower() and "Department of Homeland Security" in text
    summary.cancel_button.click()
    assert ctx.store.pending() == []
    assert ctx.store.get("hearing", hearing["id"])["status"] == "scheduled"
    assert dialog.sign_button.isEnabled() and dialog.message.text() == "Not signed."

    dialog.sign_button.click()
    again = _summary_shown(qtbot, dialog)
    with qtbot.waitSignal(dialog.issued, timeout=10_000) as issued:
        again.sign_button.click()
    assert issued.args[0].order.status is OrderStatus.SIGNED
    assert {e.entity for e in ctx.store.pending()} == {"order", "hearing"}
