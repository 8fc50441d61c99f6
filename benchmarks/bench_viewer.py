"""Viewer benchmark: a 1,000-page document opened, paged through and cached.

    python -m benchmarks.bench_viewer             # prints the figures
    python -m benchmarks.bench_viewer --runs 20   # more runs

A 1,000-page PDF (letter pages of text, one landscape page in ten) is made with PyMuPDF.
A ``PageView`` of 1000 x 800 logical pixels is shown offscreen. Then:

(a) first page: from ``open_bytes`` to the paint that shows page 1 at full resolution,
    beside raw PyMuPDF opening the same bytes and rendering page 1 at the same zoom and
    device pixel ratio, timed in the same run (median of ``--runs``, alternating order);
(b) page turn: with the next page already prefetched, from the key press to the paint that
    shows the next page sharp, at fit page: one page at a time with PgDn, and continuous
    with the Right arrow; p95 and median over ``--turns`` turns each;
(c) cache: every page of the document visited in turn with a cache setting of
    ``--cache-mb``; the cache's peak bytes beside its setting.

Targets (docs/PERFORMANCE.md, "Targets"): first page <= raw + 30 ms; a prefetched page
turn <= 16 ms p95; cache memory bounded by its setting. A missed target is reported, not an
error.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file by `make bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.viewer.page_view import PageView

PAGES = 1000
SIZE = (1000, 800)
FIRST_PAGE_MARGIN_MS = 30.0
TURN_TARGET_MS = 16.0
_MUPDF: Any = pymupdf


def make_document(pages: int = PAGES) -> bytes:
    doc = _MUPDF.open()
    for number in range(1, pages + 1):
        wide = number % 10 == 0
        page = doc.new_page(width=792 if wide else 612, height=612 if wide else 792)
        page.insert_text((72, 100), f"Page {number} of the record", fontsize=28)
        page.insert_textbox((72, 140, 540, 700), "Testimony of the respondent. " * 60, fontsize=11)
    return bytes(doc.tobytes())


def _wait(view: PageView, done: Any, timeout_ms: int = 10_000) -> None:
    """Run the event loop until ``done()`` after a paint (or the timeout)."""
    if done():
        return
    loop = QEventLoop()

    def check() -> None:
        if done():
            loop.quit()

    view.painted.connect(check)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    view.painted.disconnect(check)


def _new_view(cache_mb: int) -> PageView:
    view = PageView(cache_bytes=cache_mb * 1024 * 1024)
    view.resize(*SIZE)
    view.show()
    QApplication.processEvents()
    return view


def _open_in_view(data: bytes) -> tuple[float, float, float]:
    """Milliseconds from ``open_bytes`` to page 1 painted sharp; the zoom and dpr used."""
    view = _new_view(256)
    start = time.perf_counter()
    view.open_bytes(data)
    _wait(view, lambda: 0 in view.sharp_pages)
    elapsed = (time.perf_counter() - start) * 1000
    zoom, dpr = view.zoom(), view.viewport().devicePixelRatioF()
    view.close_document()
    view.deleteLater()
    return elapsed, zoom, dpr


def _raw_open_and_render(data: bytes, zoom: float, dpr: float) -> float:
    start = time.perf_counter()
    doc = _MUPDF.open(stream=data, filetype="pdf")
    doc.load_page(0).get_pixmap(matrix=_MUPDF.Matrix(zoom * dpr, zoom * dpr), alpha=False)
    elapsed = (time.perf_counter() - start) * 1000
    doc.close()
    return elapsed


def first_page(data: bytes, runs: int) -> tuple[float, float]:
    _, zoom, dpr = _open_in_view(data)  # warm-up, and the zoom the raw render must match
    ours, raw = [], []
    for run in range(runs):
        if run % 2:
            raw.append(_raw_open_and_render(data, zoom, dpr))
            ours.append(_open_in_view(data)[0])
        else:
            ours.append(_open_in_view(data)[0])
            raw.append(_raw_open_and_render(data, zoom, dpr))
    return statistics.median(ours), statistics.median(raw)


def first_page_from_caches(data: bytes, runs: int) -> tuple[float, float]:
    """First page painted from the document cache, plain (the file read) and encrypted (the
    sealed file read and decrypted in memory), interleaved: medians in ms."""
    import hashlib
    import os
    import tempfile
    from pathlib import Path

    from desktop.doc_cache import DocumentCache
    from desktop.local_store import LocalStore

    sha = hashlib.sha256(data).hexdigest()

    def fetch(_sha: str, start: int) -> Any:
        for at in range(start, len(data), 1 << 20):
            yield data[at : at + (1 << 20)]

    times: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as folder:
        caches = {}
        for sealed in (False, True):
            store = LocalStore(Path(folder) / f"s{int(sealed)}.sqlite3", None)
            key = os.urandom(32) if sealed else None
            caches[sealed] = DocumentCache(store, Path(folder) / f"d{int(sealed)}", 1 << 30, key)
            caches[sealed].open(sha, fetch)

        def once(sealed: bool) -> float:
            start = time.perf_counter()
            cache = caches[sealed]
            content = cache.read(sha, None) if sealed else cache.open(sha, None).read_bytes()
            return (time.perf_counter() - start) * 1000 + _open_in_view(content)[0]

        once(False), once(True)  # warm up
        for run in range(runs):
            for sealed in (run % 2 == 0, run % 2 == 1):
                times[sealed].append(once(sealed))
        for cache in caches.values():
            cache.store.engine.dispose()
    return statistics.median(times[False]), statistics.median(times[True])


def page_turns(data: bytes, turns: int, *, continuous: bool) -> list[float]:
    view = _new_view(256)
    view.open_bytes(data)
    _wait(view, lambda: 0 in view.sharp_pages)
    view.set_continuous(continuous)
    view.fit_page()
    key = Qt.Key.Key_Right if continuous else Qt.Key.Key_PageDown
    times = []
    for _ in range(turns):
        page = view.current_page()
        _wait(view, lambda p=page: p in view.sharp_pages)  # type: ignore[misc]
        nxt = view._key(page + 1)
        deadline = time.perf_counter() + 10
        while nxt not in view.cache and time.perf_counter() < deadline:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        start = time.perf_counter()
        QTest.keyClick(view, key)
        _wait(view, lambda p=page: p + 1 in view.sharp_pages)  # type: ignore[misc]
        times.append((time.perf_counter() - start) * 1000)
    view.close_document()
    view.deleteLater()
    return times


def cache_walk(data: bytes, cache_mb: int) -> tuple[int, int, float]:
    view = _new_view(cache_mb)
    view.open_bytes(data)
    _wait(view, lambda: 0 in view.sharp_pages)
    start = time.perf_counter()
    for page in range(view.page_count()):
        view.go_to_page(page)
        _wait(view, lambda p=page: p in view.sharp_pages)  # type: ignore[misc]
    per_page = (time.perf_counter() - start) * 1000 / view.page_count()
    peak, cap = view.cache.peak_bytes, view.cache.max_bytes
    view.close_document()
    view.deleteLater()
    return peak, cap, per_page


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="first-page runs (>= 10)")
    parser.add_argument("--turns", type=int, default=100, help="page turns per mode")
    parser.add_argument("--cache-mb", type=int, default=64, help="the cache setting for (c)")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="only (a), opened from a plain and from an encrypted document cache",
    )
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    made = time.perf_counter()
    data = make_document()
    made = time.perf_counter() - made
    print(f"{PAGES}-page document: {len(data) / 1e6:.1f} MB, made in {made:.1f} s")
    print(f"PyMuPDF {pymupdf.VersionBind}, view {SIZE[0]}x{SIZE[1]} offscreen\n")

    if args.compare:
        import os

        plain, sealed = first_page_from_caches(data, max(10, args.runs))
        print(
            f"(a) first page painted from the document cache (read + open), median of "
            f"{max(10, args.runs)}: plain {plain:.1f} ms, encrypted {sealed:.1f} ms "
            f"({sealed - plain:+.1f} ms, {sealed / plain:.2f}x)"
        )
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return 0
    ours, raw = first_page(data, max(10, args.runs))
    limit = raw + FIRST_PAGE_MARGIN_MS
    print(
        f"(a) first page painted, median of {max(10, args.runs)}: {ours:.1f} ms; raw PyMuPDF "
        f"open + render {raw:.1f} ms; target <= raw + 30 = {limit:.1f} ms  "
        f"{_verdict(ours <= limit)}"
    )
    for continuous, label in (
        (False, "one page at a time, PgDn"),
        (True, "continuous, Right arrow"),
    ):
        times = page_turns(data, args.turns, continuous=continuous)
        p95 = _p95(times)
        print(
            f"(b) prefetched page turn ({label}), {len(times)} turns: p95 {p95:.1f} ms, "
            f"median {statistics.median(times):.1f} ms; target p95 <= {TURN_TARGET_MS:.0f} ms  "
            f"{_verdict(p95 <= TURN_TARGET_MS)}"
        )
    peak, cap, per_page = cache_walk(data, args.cache_mb)
    print(
        f"(c) cache paging through all {PAGES} pages: peak {peak / 2**20:.1f} MiB of a "
        f"{cap / 2**20:.0f} MiB setting ({per_page:.1f} ms per page visited)  "
        f"{_verdict(peak <= cap)}"
    )
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
