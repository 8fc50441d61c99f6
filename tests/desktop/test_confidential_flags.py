"""Confidential records on the desktop (issue 17 item 2): the case file's badge naming the
law, the document list's column, and the judge's or clerk's dialog that sets and clears a
flag, driven with clicks as a user would; the change waits in the outbox as any edit.
(The server accepting it from the court's judge or clerk alone, and auditing it, is
tests/server/test_confidential_records.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.qtbot import QtBot

from common.enums import Confidentiality
from desktop.ui.case_file_view import CaseFileView
from tests.conftest import SEED_DAY


def _open(qtbot: QtBot, ctx: Any, case_id: str) -> CaseFileView:
    view = CaseFileView(ctx, case_id, today=SEED_DAY)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.case_file is not None, timeout=5000)
    return view


def _a_case_with_documents(ctx: Any) -> str:
    cases = {c["id"] for c in ctx.store.all("case")}
    return next(
        d["case_id"]
        for d in ctx.store.all("document")
        if d["case_id"] in cases and d["status"] == "accepted"
    )


def _pending(ctx: Any, entity: str, record_id: str) -> dict[str, Any]:
    """The latest change of the record waiting in the outbox."""
    entries = [
        e.data for e in ctx.store.pending() if (e.entity, e.record_id) == (entity, record_id)
    ]
    assert entries and entries[-1] is not None
    return dict(entries[-1])


def test_a_judge_marks_the_case_as_asylum_information(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("judge1")
    case_id = _a_case_with_documents(ctx)
    view = _open(qtbot, ctx, case_id)
    assert not view.confidential.isVisible()  # no flag yet: no badge
    assert view.flags.button.isVisible()

    qtbot.mouseClick(view.flags.button, Qt.MouseButton.LeftButton)
    dialog = view.flags.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.target.currentData() == ""  # the case itself, nothing selected
    assert not any(box.isChecked() for box in dialog.boxes.values())
    asylum = dialog.findChild(QCheckBox, "flag_asylum")
    assert asylum is dialog.boxes[Confidentiality.ASYLUM] and "8 CFR 1208.6" in asylum.text()
    qtbot.waitExposed(dialog)
    # Space on the focused box, as a keyboard user ticks it (a click at its centre missed
    # once in CI while the dialog was still being laid out)
    asylum.setFocus()
    qtbot.keyClick(asylum, Qt.Key.Key_Space)
    qtbot.waitUntil(asylum.isChecked, timeout=2000)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert _pending(ctx, "case", case_id)["confidentiality"] == ["asylum"]
    assert view.confidential.isVisible()
    assert view.confidential.text() == "Confidential: Asylum information (8 CFR 1208.6)"
    assert "8 CFR 1208.6" in view.confidential.toolTip()
    assert "third parties" in view.confidential.toolTip()
    assert "next sync" in view.message.text()

    # ... and clears it again: the badge goes.
    qtbot.mouseClick(view.flags.button, Qt.MouseButton.LeftButton)
    dialog = view.flags.dialog
    assert dialog is not None and dialog.boxes[Confidentiality.ASYLUM].isChecked()
    box = dialog.boxes[Confidentiality.ASYLUM]
    qtbot.waitExposed(dialog)
    box.setFocus()  # by keyboard again: a click on the box missed in CI (dialog laid out late)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not box.isChecked(), timeout=2000)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert _pending(ctx, "case", case_id)["confidentiality"] == []
    assert not view.confidential.isVisible()


def test_a_clerk_seals_the_selected_document(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("clerk1")
    case_id = _a_case_with_documents(ctx)
    view = _open(qtbot, ctx, case_id)
    view.tabs.setCurrentWidget(view.tables["documents"])
    table = view.tables["documents"]
    table.setFocus()
    table.selectRow(0)
    target = view.documents.rows[0]
    qtbot.mouseClick(view.flags.button, Qt.MouseButton.LeftButton)
    dialog = view.flags.dialog
    assert dialog is not None
    assert dialog.target.currentData() == target.document_id  # the selected document
    qtbot.mouseClick(dialog.boxes[Confidentiality.SEALED], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert _pending(ctx, "document", target.document_id)["confidentiality"] == ["sealed"]
    column = [c.title for c in view.documents.columns].index("Confidential")
    row = next(n for n, d in enumerate(view.documents.rows) if d.document_id == target.document_id)
    cell = view.documents.index(row, column)
    assert view.documents.data(cell) == "Sealed by protective order (8 CFR 1003.46)"
    assert "8 CFR 1003.46" in str(view.documents.data(cell, Qt.ItemDataRole.ToolTipRole))
    assert not view.confidential.isVisible()  # the case itself is not marked
    QApplication.processEvents()


def test_only_judges_and_clerks_have_the_button(
    qtbot: QtBot, make_context: Callable[..., Any]
) -> None:
    ctx = make_context("admin1")
    view = _open(qtbot, ctx, _a_case_with_documents(ctx))
    assert not view.flags.button.isVisible()
    view.flags.open_dialog()
    assert view.flags.dialog is None
