"""Viewer search benchmark: every hit in a 1,000-page document, and page turns meanwhile.

    python -m benchmarks.bench_viewer_search             # prints the figures
    python -m benchmarks.bench_viewer_search --runs 5    # more runs

The 1,000-page document of ``bench_viewer`` (letter pages of text, one landscape page in
ten) is opened in a ``PageView`` of 1000 x 800 logical pixels, offscreen. Then:

(a) time to all hits: from ``SearchSession.start`` to the last chunk's answer, for a rare
    phrase (one hit) and a common word (tens of thousands of hits), median of ``--runs``,
    beside raw PyMuPDF searching the same bytes page by page on one thread (no viewer, no
    chunks), timed in the same run;
(b) page turns while searching: the prefetched page turn of ``bench_viewer`` (continuous,
    Right arrow, key press to the paint showing the next page sharp), ``--turns`` turns
    with no search, then ``--turns`` turns with a search of the common word always running
    (restarted whenever one ends); p95 and median of each.

Targets (docs/PERFORMANCE.md, "Targets"): a prefetched page turn <= 16 ms p95, with a
search running too. A missed target is reported, not an error.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.bench_viewer import PAGES, SIZE, TURN_TARGET_MS, make_document
from desktop.viewer.page_view import PageView
from desktop.viewer.search import SearchSession

RARE = "Page 737 of the record"
COMMON = "respondent"
_MUPDF: Any = pymupdf


def _run_until(done: Any, timeout_s: float = 120) -> None:
    deadline = time.perf_counter() + timeout_s
    while not done() and time.perf_counter() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)


def _open_view(data: bytes) -> tuple[PageView, SearchSession]:
    view = PageView(cache_bytes=256 * 1024 * 1024)
    view.resize(*SIZE)
    view.show()
    view.open_bytes(data)
    _run_until(lambda: 0 in view.sharp_pages)
    return view, SearchSession(view)


def search_in_view(session: SearchSession, query: str) -> tuple[float, int]:
    """Milliseconds from ``start`` to every page searched, and the hits found."""
    start = time.perf_counter()
    session.start(query)
    _run_until(lambda: not session.running)
    return (time.perf_counter() - start) * 1000, session.count()


def search_raw(data: bytes, query: str) -> tuple[float, int]:
    start = time.perf_counter()
    doc = _MUPDF.open(stream=data, filetype="pdf")
    hits = sum(len(page.search_for(query)) for page in doc)
    elapsed = (time.perf_counter() - start) * 1000
    doc.close()
    return elapsed, hits


def page_turns(view: PageView, session: SearchSession | None, turns: int) -> list[float]:
    """Prefetched page turns (continuous, Right arrow); with ``session``, a search of the
    common word is kept running the whole time."""
    view.set_continuous(True)
    view.fit_page()
    view.go_to_page(0)
    searches = 0
    times: list[float] = []
    for _ in range(turns):
        if session is not None and not session.running:
            session.start(COMMON)
            searches += 1
            # A new search shows its first hit (it scrolls there): the turns are timed
            # after that, while the rest of the document is being searched.
            _run_until(lambda: session.current is not None or not session.running, 10)
        page = view.current_page()
        _run_until(lambda p=page: p in view.sharp_pages, 10)  # type: ignore[misc]
        _run_until(lambda p=page: view._key(p + 1) in view.cache, 10)  # type: ignore[misc]
        start = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_Right)
        _run_until(lambda p=page: p + 1 in view.sharp_pages, 10)  # type: ignore[misc]
        times.append((time.perf_counter() - start) * 1000)
    if session is not None:
        running = session.running
        session.cancel()
        print(f"    ({searches} searches started during the turns; one still running: {running})")
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="searches per query")
    parser.add_argument("--turns", type=int, default=100, help="page turns per case")
    parser.add_argument("--pages", type=int, default=PAGES, help="document size")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    data = make_document(args.pages)
    print(f"{args.pages}-page document: {len(data) / 1e6:.1f} MB")
    print(f"PyMuPDF {pymupdf.VersionBind}, view {SIZE[0]}x{SIZE[1]} offscreen\n")
    view, session = _open_view(data)
    for query in (RARE, COMMON):
        ours, raw, counts = [], [], set()
        for run in range(args.runs):
            pair = [
                lambda q=query: search_in_view(session, q),
                lambda q=query: search_raw(data, q),
            ]
            if run % 2:
                pair.reverse()
            results = [measure() for measure in pair]
            if run % 2:
                results.reverse()
            ours.append(results[0][0])
            raw.append(results[1][0])
            counts.update((results[0][1], results[1][1]))
        print(
            f"(a) all hits of {query!r} ({'/'.join(map(str, sorted(counts)))} hits), median of "
            f"{args.runs}: viewer {statistics.median(ours):.0f} ms "
            f"(chunks of 20 pages on the render thread); raw PyMuPDF page loop "
            f"{statistics.median(raw):.0f} ms"
        )
    for label, searching in (("no search", None), (f"searching {COMMON!r}", session)):
        times = page_turns(view, searching, args.turns)
        p95 = _p95(times)
        verdict = "PASS" if p95 <= TURN_TARGET_MS else "FAIL"
        print(
            f"(b) prefetched page turn, {label}, {len(times)} turns: p95 {p95:.1f} ms, "
            f"median {statistics.median(times):.1f} ms; target p95 <= "
            f"{TURN_TARGET_MS:.0f} ms  {verdict}"
        )
    view.close_document()
    QTimer.singleShot(0, view.deleteLater)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
