"""What marking double bookings adds to a docket load (issue 18 item 2).

    .venv/bin/python -m benchmarks.bench_docket_clashes [--hearings 20000] [--runs 15]

Over the world of ``bench_docket`` (its ``build_changes``: 40 courtrooms, 30 judges):
``double_bookings`` over every row (what ``load_docket`` adds, on a pool thread) beside
``build_docket`` of the same records (the rest of the load, the baseline); and, for the GUI
thread, what painting one week's Time column asks of the table model (text, mark,
tooltip), with and without the clashes. Medians of ``--runs`` in the same run, with the
ratio and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file by `make bench`: the repository's root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from benchmarks.bench_docket import build_changes
from desktop.docket import DocketFilter, DocketRow, build_docket, double_bookings
from desktop.local_store import LocalStore
from desktop.ui.docket_model import DocketTableModel, filter_and_sort

DISPLAY, DECORATION, TOOLTIP = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole,
)


def median_ms(runs: int, step: Callable[[], object]) -> float:
    step()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hearings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        store = LocalStore(Path(folder) / "bench.sqlite3")
        store.apply_page(build_changes(args.hearings, args.hearings * 2 // 5, 40, 30), "bench")
        records = [store.all(e) for e in ("hearing", "case", "courtroom", "user_profile", "court")]
        store.engine.dispose()
    rows = build_docket(*records)
    clashes = double_bookings(rows)
    build = median_ms(args.runs, lambda: build_docket(*records))
    marks = median_ms(args.runs, lambda: double_bookings(rows))
    first = min(r.day for r in rows)
    week = filter_and_sort(rows, DocketFilter(first, first + timedelta(days=6)), "time")
    model = DocketTableModel()

    def paint_time_column(given: dict[str, tuple[DocketRow, ...]]) -> None:
        # what the table asks of the Time column as it paints and shows tooltips
        model.set_rows(week, given)
        for n in range(len(week)):
            index = model.index(n, 0)
            for role in (DISPLAY, DECORATION, TOOLTIP):
                model.data(index, role)

    plain = median_ms(args.runs, lambda: paint_time_column({}))
    marked = median_ms(args.runs, lambda: paint_time_column(clashes))
    print(
        f"{len(rows):,} hearings, {len(clashes):,} double-booked; medians of {args.runs}:\n"
        f"  build_docket (baseline) {build:.1f} ms, double_bookings {marks:.1f} ms: "
        f"{marks / build:.2f}x of the load's join\n"
        f"  a week's Time column ({len(week)} rows): no marks {plain:.2f} ms, "
        f"with the clashes {marked:.2f} ms: {marked / plain:.2f}x"
    )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
