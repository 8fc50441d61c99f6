"""Undo where a click decides (issue 18, item 3): a clerk's accept or reject can be taken
back until it is sent, and the reviewed list says which decisions the server has.

Driven as a clerk would (Ctrl+Z, the Undo button, "Show reviewed"), offline for the undo
itself and against a real server on loopback for "after a sync, undo is not offered"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.wire import Filing
from desktop import outbox
from desktop.api_client import ApiClient
from desktop.clerk_actions import accept_filing, rejection_reasons
from desktop.filing_queue import load_filing_rows, save_review, withdraw_review
from desktop.local_store import LocalStore
from desktop.services.session import SignedIn
from desktop.services.sync_controller import SyncController
from desktop.settings import Settings
from desktop.sync_engine import SyncEngine
from desktop.ui.context import DesktopContext
from desktop.ui.filing_review_models import FilingTableModel
from desktop.ui.filing_review_view import FilingReviewView
from tests.conftest import DEMO_PASSWORD, LiveServer, court_id, user_id
from tests.desktop.test_filing_review_view import add_filings, queue_ids, select, shown


@pytest.fixture
def clerk(make_context: Callable[[str], DesktopContext]) -> tuple[DesktopContext, dict[str, str]]:
    ctx = make_context("clerk1")
    return ctx, add_filings(ctx.store)


def _ctrl_z(qtbot: QtBot, view: FilingReviewView) -> None:
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def _status_cell(view: FilingReviewView, filing_id: str) -> str:
    place = queue_ids(view).index(filing_id)
    return str(view.proxy.index(place, FilingTableModel.STATUS).data())


# --- the store's half: withdraw an unsent decision, never a sent one ---------------------------


def test_withdraw_restores_every_record_and_refuses_once_tried(
    filled_store: Callable[[str], tuple[LocalStore, dict]],  # type: ignore[type-arg]
) -> None:
    store, user = filled_store("clerk1")
    ids = add_filings(store, new_appearance=True)
    before = {
        "filing": store.get("filing", ids["eoir_28"]),
        "documents": {
            d["id"]: d for d in store.all("document") if d["filing_id"] == ids["eoir_28"]
        },
    }
    [row] = [r for r in load_filing_rows(store, False, user["id"]) if r.filing_id == ids["eoir_28"]]
    review = accept_filing(
        row.filing,
        row.documents,
        user["id"],
        row.submitted_at,
        row.representation,
        zone=row.submitted_at.tzinfo,
    )
    assert review.representation is not None  # an EOIR-28 makes a new appearance
    assert store.get("representation", review.representation.id) is None
    records = [review.filing, *review.documents, review.representation]
    mutations = save_review(store, records)
    assert store.pending_count() == len(records) == len(mutations)
    assert store.get("filing", ids["eoir_28"])["status"] == "accepted"  # type: ignore[index]

    assert withdraw_review(store, mutations)
    assert store.pending_count() == 0
    assert store.get("filing", ids["eoir_28"]) == before["filing"]
    for doc_id, doc in before["documents"].items():
        assert store.get("document", doc_id) == doc
    # The appearance existed only through the decision: it is gone with it.
    assert store.get("representation", review.representation.id) is None
    assert not withdraw_review(store, mutations)  # nothing left to take back

    # Once a push has counted an attempt, the decision may be on the server: no undo.
    again = save_review(store, records)
    store.mark_sending(store.pending())
    assert not withdraw_review(store, again)
    assert store.pending_count() == len(records)
    assert store.get("filing", ids["eoir_28"])["status"] == "accepted"  # type: ignore[index]
    with store.transaction() as conn:
        assert not outbox.unsent(conn, again) and not outbox.unsent(conn, [])


def test_withdraw_takes_back_only_its_own_entries(
    filled_store: Callable[[str], tuple[LocalStore, dict]],  # type: ignore[type-arg]
) -> None:
    """An earlier unsent decision on another filing stays queued when a later one is undone."""
    store, user = filled_store("clerk1")
    ids = add_filings(store)
    rows = {r.filing_id: r for r in load_filing_rows(store, False, user["id"])}
    motion, eoir = rows[ids["motion"]], rows[ids["eoir_28"]]
    zone = motion.submitted_at.tzinfo
    first = accept_filing(
        motion.filing, motion.documents, user["id"], motion.submitted_at, zone=zone
    )
    kept = save_review(store, [first.filing, *first.documents])
    second = accept_filing(
        eoir.filing, eoir.documents, user["id"], eoir.submitted_at, eoir.representation, zone=zone
    )
    assert second.representation is not None
    undone = save_review(store, [second.filing, *second.documents, second.representation])
    assert withdraw_review(store, undone)
    assert sorted(e.mutation_id for e in store.pending()) == sorted(kept)
    assert store.get("filing", ids["motion"])["status"] == "accepted"  # type: ignore[index]
    assert store.get("filing", ids["eoir_28"])["status"] == "pending"  # type: ignore[index]


# --- the clerk's view, offline ---------------------------------------------------------------


def test_accept_then_ctrl_z_restores_the_pending_filing_and_empties_the_outbox(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    select(view, ids["motion"])
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.undo_button.isVisible(), timeout=5000)
    assert "Accepted the Document filing" in view.message.text()
    assert "until it is sent" in view.message.text()
    assert ids["motion"] not in queue_ids(view)
    assert ctx.store.pending_count() == 4  # the filing and its three documents, one group
    assert ctx.store.get("filing", ids["motion"])["status"] == "accepted"  # type: ignore[index]

    _ctrl_z(qtbot, view)
    qtbot.waitUntil(lambda: view.message.text().startswith("Undone"), timeout=5000)
    assert ctx.store.pending_count() == 0
    filing = ctx.store.get("filing", ids["motion"])
    assert (
        filing is not None and filing["status"] == "pending" and filing.get("reviewed_by") is None
    )
    docs = [d for d in ctx.store.all("document") if d["filing_id"] == ids["motion"]]
    assert len(docs) == 3 and {d["status"] for d in docs} == {"pending"}
    assert not view.undo_button.isVisible()
    # Back in the queue and selected, ready to be decided again.
    qtbot.waitUntil(lambda: ids["motion"] in queue_ids(view), timeout=5000)
    qtbot.waitUntil(
        lambda: view.current_row() is not None and view.current_row().filing_id == ids["motion"]
    )  # type: ignore[union-attr]
    assert view.accept_button.isEnabled()
    assert view.summary.text() == "3 filings waiting for review"
    _ctrl_z(qtbot, view)  # nothing left to undo: nothing happens
    qtbot.wait(200)
    assert ctx.store.pending_count() == 0 and view.message.text().startswith("Undone")


def test_reject_then_the_undo_button_takes_it_back(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    select(view, ids["eoir_28"])
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    dialog = view.reject_dialog
    assert dialog is not None
    reason = rejection_reasons()[0]
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(reason.code))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.undo_button.isVisible(), timeout=5000)
    assert view.message.text().startswith("Rejected the EOIR-28 filing")
    assert ctx.store.get("filing", ids["eoir_28"])["status"] == "rejected"  # type: ignore[index]
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.message.text().startswith("Undone"), timeout=5000)
    filing = ctx.store.get("filing", ids["eoir_28"])
    assert filing is not None and filing["status"] == "pending"
    assert filing.get("rejection_reason") is None
    assert ctx.store.pending_count() == 0


def test_the_reviewed_list_says_what_waits_to_be_sent(
    qtbot: QtBot, clerk: tuple[DesktopContext, dict[str, str]]
) -> None:
    ctx, ids = clerk
    view = shown(qtbot, ctx)
    view.show_reviewed.click()
    qtbot.waitUntil(lambda: not view.table.isColumnHidden(FilingTableModel.STATUS))
    select(view, ids["motion"])
    assert _status_cell(view, ids["motion"]) == "Pending"
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: _status_cell(view, ids["motion"]) == "Accepted, waiting to send", timeout=5000
    )
    assert _status_cell(view, ids["eoir_28"]) == "Pending"


# --- against a real server: once sent, no undo -----------------------------------------------


@pytest.fixture
def online_clerk(
    qapp: object, live_server: LiveServer, tmp_path: Path, settings: Settings
) -> Iterator[DesktopContext]:
    client = ApiClient(live_server.url)
    session = client.login("clerk1", DEMO_PASSWORD)
    store = LocalStore(tmp_path / "clerk1-live.sqlite3")
    engine = SyncEngine(client, store)
    engine.sync_once()
    ctx = DesktopContext(
        settings,
        SignedIn(client, store, session.user, online=True),
        SyncController(engine, interval_seconds=3600),
    )
    yield ctx
    ctx.sync.stop()
    ctx.writer.waitForDone(5000)
    store.engine.dispose()


@pytest.mark.slow
def test_after_a_sync_undo_is_not_offered_and_the_list_reads_sent(
    qtbot: QtBot, online_clerk: DesktopContext
) -> None:
    ctx = online_clerk
    waiting = [
        Filing.model_validate(f)
        for f in ctx.store.all("filing")
        if f["status"] == "pending" and f["court_id"] == court_id("SFR")
    ]
    assert waiting, "the seeded server has a filing waiting at the first court"
    target = waiting[0].id
    view = shown(qtbot, ctx)
    view.show_reviewed.click()
    qtbot.waitUntil(lambda: target in queue_ids(view), timeout=5000)
    select(view, target)
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.undo_button.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: _status_cell(view, target) == "Accepted, waiting to send", timeout=5000)

    with qtbot.waitSignal(ctx.sync.synced, timeout=30000):
        ctx.sync.sync_now()  # "Sync now" (or the grace period running out)
    qtbot.waitUntil(lambda: not view.undo_button.isVisible(), timeout=5000)
    assert "sent to the server, so it can no longer be undone" in view.message.text()
    qtbot.waitUntil(lambda: _status_cell(view, target) == "Accepted, sent", timeout=5000)
    assert ctx.store.pending_count() == 0

    _ctrl_z(qtbot, view)  # nothing to take back any more
    qtbot.wait(300)
    filing = ctx.store.get("filing", target)
    assert filing is not None and filing["status"] == "accepted"
    assert filing["reviewed_by"] == user_id("clerk1")
    # The server has it too: a fresh pull by another copy reads it accepted.
    other = LocalStore(ctx.store.path.parent / "clerk1-other.sqlite3")
    SyncEngine(ctx.session.client, other).sync_once()
    assert other.get("filing", target)["status"] == "accepted"  # type: ignore[index]
    other.engine.dispose()
