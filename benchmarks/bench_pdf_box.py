"""PDF box benchmark: what parsing an upload in the box costs over parsing it in-process.

    python -m benchmarks.bench_pdf_box [--runs 60] [--pages 10]

For a normal PDF of ``--pages`` text pages (tests.pdf_factory.valid_pdf), each repeated
``--runs`` times, alternating so the machine's noise hits both alike:

(a) in-process: ``preflight_pdf`` with :func:`common.pdf_preflight.inspect_pdf` in this
    process (what the server did before issue 14);
(b) boxed: the same with a :class:`common.pdf_box.PdfBox` (the zygote already started): a
    fork, the limits set, the bytes over a socket, the JSON answer validated.

Also, once: the cost of starting the zygote (a fresh interpreter importing PyMuPDF), which
each server process pays on its first upload; and the object-stream bomb of the tests,
boxed (200 MB limit): the time to refusal and this process's RSS growth meanwhile.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.pdf_box import BoxLimits, PdfBox
from common.pdf_preflight import preflight_pdf
from tests import pdf_factory

MAX_BYTES = 25 * 1024 * 1024
MAX_PAGES = 2000


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args(argv)

    data = pdf_factory.valid_pdf(args.pages)
    box = PdfBox(BoxLimits())
    PdfBox.stop()
    zygote_ms = _ms(PdfBox.start)

    def in_process() -> object:
        return preflight_pdf(data, max_bytes=MAX_BYTES, max_pages=MAX_PAGES)

    def boxed() -> object:
        return preflight_pdf(data, max_bytes=MAX_BYTES, max_pages=MAX_PAGES, inspect=box)

    assert boxed() == in_process()  # the same report either way
    plain, inside = [], []
    for _ in range(args.runs):
        plain.append(_ms(in_process))
        inside.append(_ms(boxed))

    bomb = pdf_factory.object_stream_bomb()
    small = PdfBox(BoxLimits(memory_mb=200, cpu_seconds=5, wall_seconds=30))
    before = _rss_mb()
    bomb_ms = _ms(
        lambda: preflight_pdf(bomb, max_bytes=MAX_BYTES, max_pages=MAX_PAGES, inspect=small)
    )
    growth = _rss_mb() - before

    p_med, b_med = statistics.median(plain), statistics.median(inside)
    print(f"pre-flight of a {args.pages}-page PDF ({len(data):,} bytes), {args.runs} runs")
    print(f"  in-process median {p_med:7.2f} ms   p95 {_p95(plain):7.2f} ms")
    print(f"  boxed      median {b_med:7.2f} ms   p95 {_p95(inside):7.2f} ms")
    print(f"  boxed - in-process: {b_med - p_med:+.2f} ms a file ({b_med / p_med:.1f}x)")
    print(f"zygote start (once per server process): {zygote_ms:.0f} ms")
    print(
        f"object-stream bomb ({len(bomb):,} bytes), boxed at 200 MB: refused in "
        f"{bomb_ms:.0f} ms, this process's RSS grew {growth:+.1f} MB"
    )
    return 0


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


if __name__ == "__main__":
    raise SystemExit(main())
