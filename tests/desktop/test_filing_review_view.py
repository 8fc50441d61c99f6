"""The clerk's filing review queue, driven as a clerk (and a judge) would."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from common.protocol import Change
from desktop.clerk_actions import rejection_reasons
from desktop.filing_queue import FilingRow
from desktop.local_store import LocalStore
from desktop.ui.context import DesktopContext
from desktop.ui.filing_review_models import ROW_ROLE, DocumentTableModel, FilingTableModel
from desktop.ui.filing_review_view import FilingReviewView
from tests.conftest import court_id, user_id

ATTORNEY_FORM = {
    "respondent_name": "Ana Lucía Pérez",
    "respondent_address": "1200 Example Avenue, Apt 4, Oakland, CA 94607",
    "scope": "all_proceedings",
    "practitioner_category": "attorney",
    "bar_admissions": [{"state": "CA", "number": "123456"}],
    "primary": True,
    "eoir_id": "EOIR-A1001",
    "respondent_consent": True,
}


def _doc(case_id: str, filing_id: str, title: str, pages: int, doc_type: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "case_id": case_id,
        "doc_type": doc_type,
        "title": title,
        "filer_id": user_id("attorney1"),
        "filer_party": "practitioner",
        "filed_on": "2026-11-20",
        "pages": pages,
        "sha256": "ab" * 32,
        "size": 1000,
        "status": "pending",
        "filing_id": filing_id,
    }


def add_filings(store: LocalStore, *, new_appearance: bool = False) -> dict[str, str]:
    """Two more pending filings, as if pulled from the server: an EOIR-28 (the oldest) and
    a motion with two attachments. Returns their ids by kind. ``new_appearance``: on a case
    where attorney1 has no appearance yet (other tests on the shared server may have made
    one on the first San Francisco case), so accepting the EOIR-28 creates one."""
    appeared = {
        r["case_id"]
        for r in store.all("representation")
        if r["practitioner_id"] == user_id("attorney1")
    }
    case = next(
        c
        for c in store.all("case")
        if c["court_id"] == court_id("SFR") and not (new_appearance and c["id"] in appeared)
    )
    eoir28, motion = str(uuid.uuid4()), str(uuid.uuid4())
    notice = _doc(case["id"], eoir28, "Notice of appearance (EOIR-28)", 3, "notice_of_appearance")
    lead = _doc(case["id"], motion, "Motion to continue", 6, "motion")
    exhibits = [_doc(case["id"], motion, f"Exhibit {n}", 2, "evidence") for n in "AB"]
    filings = [
        {
            "id": eoir28,
            "case_id": case["id"],
            "court_id": court_id("SFR"),
            "filer_id": user_id("attorney1"),
            "kind": "eoir_28",
            "status": "pending",
            "submitted_at": "2026-11-20T17:30:00Z",
            "lead_document_id": notice["id"],
            "form": ATTORNEY_FORM,
        },
        {
            "id": motion,
            "case_id": case["id"],
            "court_id": court_id("SFR"),
            "filer_id": user_id("attorney1"),
            "kind": "document",
            "status": "pending",
            "submitted_at": "2026-11-25T18:00:00Z",
            "lead_document_id": lead["id"],
            "attachment_ids": [d["id"] for d in exhibits],
        },
    ]
    changes = [
        Change(entity=entity, id=data["id"], version=900_000 + n, deleted=False, data=data)
        for n, (entity, data) in enumerate(
            [("document", d) for d in (notice, lead, *exhibits)] + [("filing", f) for f in filings]
        )
    ]
    store.apply_page(changes, store.get_state("cursor") or "")
    return {"eoir_28": eoir28, "motion": motion}


@pytest.fixture
def clerk(make_context: Callable[[str], DesktopContext]) -> tuple[DesktopContext, dict[str, str]]:
    ctx = make_context("clerk1")
    return ctx, add_filings(ctx.store)


def shown(qtbot: QtBot, ctx: DesktopContext) -> FilingReviewView:
    view = FilingReviewView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0 or bool(view.message.text()), timeout=5000)
    assert not view.message.text()
    return view


def queue_ids(view: FilingReviewView) -> list[str]:
    return [view.proxy.index(n, 0).data(ROW_ROLE).filing_id for n in range(view.proxy.rowCount())]


def select(view: FilingReviewView, filing_id: str) -> None:
    view.table.selectRow(queue_ids(view).index(filing_id))
    row = view.current_row()
    assert row is not None and row.filing_id == filing_id


def test_queue_lists_exactly_the_pending_filings_oldest_first(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    pending = sorted(
        (f for f in ctx.store.all("filing") if f["status"] == "pending"),
        key=lambda f: f["submitted_at"],
    )
    assert queue_ids(view) == [f["id"] for f in pending]
    assert len(pending) == 3 and queue_ids(view)[0] == ids["eoir_28"]
    motion = queue_ids(view).index(ids["motion"])
    cells = [view.proxy.index(motion, c).data() for c in range(7)]
    # Submitted 18:00 UTC shows in San Francisco time.
    assert cells[0] == "Wed 25 Nov 2026 10:00 PST"
    case = ctx.store.get("case", ctx.store.get("filing", ids["motion"])["case_id"])  # type: ignore[index]
    assert case is not None
    a_number = f"A{case['a_number'][:3]}-{case['a_number'][3:6]}-{case['a_number'][6:]}"
    respondent = f"{case['respondent_last_name'].upper()}, {case['respondent_first_name']}"
    assert cells[1:] == [
        "Document",
        f"{respondent} — {a_number}",
        "Attorney Laura Mendez",
        "Motion to continue",
        "6",
        "2",
    ]
    assert view.proxy.index(0, 1).data() == "EOIR-28"
    assert view.summary.text() == "3 filings waiting for review"
    assert view.table.isColumnHidden(FilingTableModel.STATUS)


def test_detail_shows_the_eoir_28_form_and_opens_its_document(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    select(view, ids["eoir_28"])
    form = view.detail.form_view.toPlainText().splitlines()
    for line in (
        "Scope\nAll proceedings",
        "Respondent name\nAna Lucía Pérez",
        "Primary\nYes",
        "Bar admissions\nState: CA\nNumber: 123456",
        "Practitioner category\nAttorney",
    ):
        assert line in "\n".join(form)
    assert view.detail.documents.rowCount() == 1
    lead = view.current_row().lead  # type: ignore[union-attr]
    assert lead is not None
    with qtbot.waitSignal(view.open_document) as opened:
        qtbot.mouseClick(view.detail.open_document_button, Qt.MouseButton.LeftButton)
    assert opened.args == [lead.id]
    with qtbot.waitSignal(view.open_case) as case:
        qtbot.mouseClick(view.detail.open_case_button, Qt.MouseButton.LeftButton)
    assert case.args == [view.current_row().filing.case_id]  # type: ignore[union-attr]


def test_accept_with_ctrl_return_accepts_filing_and_documents(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    select(view, ids["motion"])
    row = view.current_row()
    assert row is not None and row.attachments == 2
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ids["motion"] not in queue_ids(view), timeout=5000)
    filing = ctx.store.get("filing", ids["motion"])
    assert filing is not None and filing["status"] == "accepted"
    assert filing["reviewed_by"] == user_id("clerk1")
    assert {ctx.store.get("document", d.id)["status"] for d in row.documents} == {"accepted"}  # type: ignore[index]
    queued = {(e.entity, e.record_id) for e in ctx.store.pending()}
    assert ("filing", ids["motion"]) in queued
    assert {("document", d.id) for d in row.documents} <= queued
    assert "Accepted" in view.message.text()
    # The next filing is selected, ready for review.
    assert view.current_row() is not None and view.accept_button.isEnabled()
    qtbot.waitUntil(lambda: view.summary.text() == "2 filings waiting for review")


def test_accepting_an_eoir_28_saves_the_representation_too(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    select(view, ids["eoir_28"])
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ids["eoir_28"] not in queue_ids(view), timeout=5000)
    entities = [e.entity for e in ctx.store.pending()]
    assert sorted(entities) == ["document", "filing", "representation"]
    # One action, one group: the server accepts all three or none.
    assert len({e.group_id for e in ctx.store.pending()} - {None}) == 1
    [representation] = [e.data for e in ctx.store.pending() if e.entity == "representation"]
    assert representation is not None
    assert representation["practitioner_id"] == user_id("attorney1")
    assert representation["status"] == "accepted"


def test_reject_with_a_reason_chosen_in_the_dialog(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    select(view, ids["motion"])
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    dialog = view.reject_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # no reason chosen yet
    reason = rejection_reasons()[1]
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(reason.code))
    assert dialog.ok_button.isEnabled() and reason.text in dialog.preview.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ids["motion"] not in queue_ids(view), timeout=5000)
    filing = ctx.store.get("filing", ids["motion"])
    assert filing is not None
    assert (filing["status"], filing["rejection_reason"]) == ("rejected", reason.text)
    lead = ctx.store.get("document", filing["lead_document_id"])
    assert lead is not None and lead["status"] == "rejected"

    # "Show reviewed" lists it again, with its reason.
    view.show_reviewed.click()
    qtbot.waitUntil(lambda: ids["motion"] in queue_ids(view), timeout=5000)
    place = queue_ids(view).index(ids["motion"])
    status = view.proxy.index(place, FilingTableModel.STATUS)
    assert (status.data(), status.siblingAtColumn(FilingTableModel.REASON).data()) == (
        "Rejected, waiting to send",  # offline: still in the outbox
        reason.text,
    )
    assert not view.table.isColumnHidden(FilingTableModel.STATUS)
    select(view, ids["motion"])
    assert not view.accept_button.isEnabled()  # already reviewed
    assert view.detail.reason.isVisibleTo(view) and reason.text in view.detail.reason.text()


def test_cancelling_the_dialog_changes_nothing(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    select(view, ids["motion"])
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    dialog = view.reject_dialog
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.reject_dialog is None)
    assert ctx.store.pending_count() == 0 and ids["motion"] in queue_ids(view)


def test_a_judge_sees_the_queue_read_only(
    qtbot: QtBot, make_context: Callable[[str], DesktopContext]
) -> None:
    ctx = make_context("judge1")
    add_filings(ctx.store)
    view = shown(qtbot, ctx)
    view.table.selectRow(0)
    assert view.current_row() is not None
    assert not view.accept_button.isEnabled() and not view.reject_button.isEnabled()
    assert "Only clerks review filings" in view.accept_button.toolTip()
    assert view.read_only_note.isVisibleTo(view)
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    view.accept_selected()
    assert ctx.store.pending_count() == 0


def test_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    rows: list[FilingRow] = view.model.rows()
    model = FilingTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.remove(ids["motion"])
    assert model.rowCount() == 2 and model.rowCount(model.index(0, 0)) == 0
    motion = next(r for r in rows if r.filing_id == ids["motion"])
    documents = DocumentTableModel()
    documents.set_documents(motion.documents, motion.filing.lead_document_id)
    qtmodeltester.check(documents)
    assert [documents.index(n, 0).data() for n in range(3)] == ["Lead", "Attachment", "Attachment"]
    assert documents.rowCount(QModelIndex()) == 3
