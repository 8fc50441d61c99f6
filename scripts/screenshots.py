"""Make the README's screenshots of the desktop client, offscreen, from demo data.

    .venv/bin/python scripts/screenshots.py [OUTDIR] [--only NAME ...]
                                             (default: docs/screenshots, every screenshot)

Starts a throw-away demo server on loopback (SQLite in a temporary folder), signs in as a
clerk, a judge and the Board's clerk and members through the real sign-in and sync code,
and saves each main view (the Board's: ``--only board board-workspace``); the
viewer shot opens a case's asylum application and evidence packet from the record as tabs,
with the thumbnails shown and every "number" found (``--only viewer`` makes just that one).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from common.enums import BoardOutcome, BoardVoteChoice, Visibility  # noqa: E402
from desktop.annotation_store import geometry, new_annotation  # noqa: E402
from desktop.board_workspace import (  # noqa: E402
    assign,
    board_members,
    cast_vote,
    draft_decision,
    load_decision,
)
from desktop.doc_cache import DocumentCache  # noqa: E402
from desktop.services.session import sign_in  # noqa: E402
from desktop.services.sync_controller import SyncController  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.sync_engine import SyncEngine  # noqa: E402
from desktop.ui.context import DesktopContext  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402
from desktop.viewer.annotation_window import WindowAnnotations  # noqa: E402
from desktop.viewer.document_pane import DocumentPane  # noqa: E402
from desktop.viewer.viewer_window import ViewerWindow  # noqa: E402
from sync_server.demo.serve import serve_demo  # noqa: E402

PASSWORD = "screenshot-password"


def _serve(folder: Path) -> str:
    url, _app = serve_demo(folder, cases=120, password=PASSWORD, secret_key="screenshots")
    return url


def _settle(app: QApplication, rounds: int = 40) -> None:
    for _ in range(rounds):
        app.processEvents()
        threading.Event().wait(0.05)


def _window(url: str, username: str, folder: Path) -> MainWindow:
    session = sign_in(url, username, PASSWORD, base_dir=folder / "desktop")
    engine = SyncEngine(session.client, session.store)
    engine.sync_once()
    settings = Settings(
        QSettings(str(folder / f"{username}.ini"), QSettings.Format.IniFormat),
        QSettings(str(folder / "system.ini"), QSettings.Format.IniFormat),
    )
    controller = SyncController(engine, 3600)
    cache = DocumentCache(session.store, folder / f"{username}-documents", 256 * 1024 * 1024)
    window = MainWindow(DesktopContext(settings, session, controller, cache=cache))
    window.resize(1400, 860)
    window.show()
    controller.sync_now()  # so the status bar shows a real, finished sync
    window.refresh_all()
    return window


def _shoot(app: QApplication, widget: QWidget, path: Path) -> None:
    _settle(app)
    widget.grab().save(str(path))
    print(f"wrote {path}")


def _wait(app: QApplication, done: Callable[[], bool], what: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: gave up waiting for {what}")
        app.processEvents()
        threading.Event().wait(0.02)


def _viewer(app: QApplication, clerk: MainWindow, path: Path) -> None:
    """A case's asylum application beside its evidence packet's tab, "number" found."""
    documents = clerk.ctx.store.all("document")
    by_case: dict[str, list[dict[str, object]]] = {}
    for document in documents:
        by_case.setdefault(str(document["case_id"]), []).append(document)

    def titled(case_documents: list[dict[str, object]], start: str) -> list[dict[str, object]]:
        return [d for d in case_documents if str(d["title"]).startswith(start)]

    case = next(
        (c for c in by_case.values() if titled(c, "Form I-589") and titled(c, "Evidence")),
        next(c for c in by_case.values() if titled(c, "Form I-589")),
    )
    application = titled(case, "Form I-589")[0]
    evidence = titled(case, "Evidence")
    for document in [*evidence[:1], application]:
        clerk.open_document(str(document["id"]))
        _wait(
            app,
            lambda document=document: (
                bool(clerk.viewers)
                and (pane := clerk.viewers[-1].current_pane()) is not None
                and pane.title == document["title"]
                and pane.view.page_count() > 0
            ),
            f"{document['title']} to open",
        )
    viewer = clerk.viewers[-1]
    viewer.resize(1400, 900)
    pane = viewer.current_pane()
    assert pane is not None
    pane.view.fit_width()
    viewer.find_bar.open_bar("number")
    viewer.find_bar.search_now()
    _wait(app, lambda: not pane.search.running and pane.search.count() > 0, "the search")
    _annotate(app, viewer, pane)
    _shoot(app, viewer, path)


def _annotate(app: QApplication, viewer: ViewerWindow, pane: DocumentPane) -> None:
    """A judge's marks on page 1: the name highlighted, a note, a box round the birth data."""
    support = viewer.findChild(WindowAnnotations)
    layer = support.current_layer() if support is not None else None
    if layer is None:
        raise SystemExit("screenshots: the viewer has no annotation layer")
    found: dict[int, object] = {}

    def find(doc: Any) -> dict[str, list[tuple[float, float, float, float]]]:
        page = doc[0]
        return {
            word: [tuple(rect) for rect in page.search_for(word)]
            for word in ("AJANEL", "12. Date of birth", "Puerto Lindo")
        }

    job = pane.view.submit_job(find)
    pane.view.job_done.connect(lambda job_id, result: found.setdefault(job_id, result))
    _wait(app, lambda: job in found, "the words to mark")
    rects = cast(dict[str, list[tuple[float, float, float, float]]], found[job])
    common = {
        "document_id": layer.store.document_id,
        "sha256": layer.store.sha256,
        "author_id": layer.author_id,
    }
    marks = []
    if rects["AJANEL"]:
        x0, y0, x1, y1 = rects["AJANEL"][0]
        marks.append(
            new_annotation(
                kind="highlight",
                page=0,
                geom=geometry((x0, y0, x1, y1), quads=[(x0, y0, x1, y1)]),
                text="AJANEL",
                comment="Spelling differs from the NTA (Ajanell)",
                **common,
            )
        )
        marks.append(
            new_annotation(
                kind="note",
                page=0,
                geom=geometry((572.0, y0 - 6, 592.0, y0 + 14)),
                comment="Ask about the second surname at the master hearing",
                visibility=Visibility.SHARED,
                **common,
            )
        )
    if rects["12. Date of birth"] and rects["Puerto Lindo"]:
        x0, y0, _, _ = rects["12. Date of birth"][0]
        _, _, x1, y1 = rects["Puerto Lindo"][0]
        marks.append(
            new_annotation(
                kind="rect",
                page=0,
                geom=geometry((x0 - 4, y0 - 4, x1 + 260, y1 + 6)),
                comment="Compare with the birth certificate, exhibit C",
                **common,
            )
        )
    layer.add_many(marks, "Screenshot marks")
    _wait(app, lambda: len(layer.records()) >= len(marks), "the marks to be saved")


def _synced(app: QApplication, window: MainWindow) -> None:
    """Sync until the outbox is empty (asking again while an earlier sync still runs), then
    once more, so what the server made of the push is pulled."""
    store = window.ctx.store
    end = time.monotonic() + 60
    while store.pending_count():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: the outbox did not empty: {store.issues()}")
        window.ctx.sync.sync_now()
        _settle(app, 5)
    done: list[object] = []
    window.ctx.sync.synced.connect(done.append)
    _wait(app, lambda: (window.ctx.sync.sync_now(), bool(done))[1], "the pull after the push")
    if store.issues():
        raise SystemExit(f"screenshots: the server refused: {store.issues()}")
    window.refresh_all()


def _board(
    app: QApplication, url: str, folder: Path, shoot: Callable[[str, QWidget], None]
) -> None:
    """The Board's tab and a Board member's workspace, driven through the real views: the
    clerk dockets the demo's notice of appeal and assigns it to a panel of three; the
    writing member drafts a remand and joins it; the second member's workspace shows the
    draft and the vote so far."""
    clerk = _window(url, "board_clerk1", folder)
    board = clerk.board
    assert board is not None
    _wait(app, lambda: bool(board.rows), "the notice of appeal at intake")
    board.table.selectRow(0)
    board.docket_selected()
    _wait(app, lambda: clerk.ctx.store.pending_count() > 0, "the docketing")
    _synced(app, clerk)
    board.show_docketed.setChecked(True)
    _wait(app, lambda: any(r.appeal.status.value == "docketed" for r in board.rows), "docketed")
    board.table.selectRow(0)
    row = board.selected()
    assert row is not None
    members = board_members(clerk.ctx.store)
    decision = assign(
        clerk.ctx.store, row.appeal, [m.id for m in members], members[0].id, clerk.ctx.user_id
    )
    clerk.ctx.store.save(decision)
    _synced(app, clerk)
    board.message.setText(f"Assigned {row.respondent} to a panel of three.")
    shoot("board", clerk)
    author = _window(url, "board_member1", folder)
    workspace = author.workspace
    assert workspace is not None
    _wait(app, lambda: bool(workspace.rows()), "the member's appeals")
    store = author.ctx.store
    order, drafted = draft_decision(
        store, load_decision(store, decision.id), author.ctx.user_id, BoardOutcome.REMANDED
    )
    order = order.model_copy(
        update={
            "fields": {
                **order.fields,
                "remand_instructions": "Make explicit findings on the respondent's "
                "credibility and on whether the harm feared is on account of a protected ground.",
            }
        }
    )
    store.save_together([order, drafted])
    store.save(cast_vote(store, drafted, author.ctx.user_id, BoardVoteChoice.JOIN))
    _synced(app, author)
    second = _window(url, "board_member2", folder)
    view = second.workspace
    assert view is not None
    _wait(app, lambda: bool(view.rows()), "the second member's appeals")
    view.tabs.setCurrentIndex(1)
    _wait(app, lambda: len(view.votes_model.rows) == 1, "the vote so far")
    shoot("board-workspace", second)
    for window in (clerk, author, second):
        window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="Make the README's screenshots.")
    parser.add_argument("outdir", nargs="?", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", default=[], help="e.g. viewer docket")
    args = parser.parse_args()
    out: Path = args.outdir
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only)

    def shoot(name: str, widget: QWidget) -> None:
        if not wanted or name in wanted:
            _shoot(app, widget, out / f"{name}.png")

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = _serve(folder)
        clerk = _window(url, "clerk1", folder)
        clerk.tabs.setCurrentWidget(clerk.docket)
        clerk.docket.show_week()  # the week's hearings, not today's one or two
        shoot("docket", clerk)
        clerk.tabs.setCurrentWidget(clerk.filings)
        shoot("filing-review", clerk)
        first_case = next(iter(clerk.ctx.store.all("case")))["id"]
        clerk.open_case(str(first_case))
        shoot("case-file", clerk)
        if not wanted or "viewer" in wanted:
            _viewer(app, clerk, out / "viewer.png")
        judge = _window(url, "judge1", folder)
        judge.tabs.setCurrentWidget(judge.dashboard)
        shoot("judge-dashboard", judge)
        for window in (clerk, judge):
            window.close()
        if not wanted or wanted & {"board", "board-workspace"}:
            _board(app, url, folder, shoot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
