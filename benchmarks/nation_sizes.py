"""Each role's small first pulls and the portal's lists at two nation sizes, interleaved in
one run, with the ratio of the larger to the smaller (issue 16: "an attorney's first pull at
4,000,000 cases within 2x of its time at 100,000").

Both databases are ones ``benchmarks.nation`` loaded and kept (``--keep``)::

    .venv/bin/python -m benchmarks.nation_sizes --small nation_100k:100000 \\
        --large nation_4m:4000000 --repeats 7

Each repeat times, on the small database then the large one, the attorney's and the
Board's whole first pull through ``sync.pull`` (in-process, a transaction a page, the
body parsed as the desktop does) and DHS's and the attorney's portal case list; the
figures are medians, so the machine's noise falls on both sizes alike. Nothing is written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.nation import database_urls, nation_of, principals, whole_pull
from sync_server.db import make_engine, make_session_factory
from sync_server.policy import Principal
from sync_server.services.blobs import BlobService
from sync_server.services.portal_cases import CasePortal


@dataclass
class Size:
    label: str
    engine: Engine
    factory: sessionmaker[Session]
    who: dict[str, Principal]
    portal: CasePortal


def _size(spec: str) -> Size:
    name, _, cases = spec.partition(":")
    engine = make_engine(database_urls(name)[1])
    factory = make_session_factory(engine)
    who = principals(factory, nation_of(int(cases)))
    portal = CasePortal(factory, cast(BlobService, None))  # the case list opens no document
    return Size(f"{int(cases):,}", engine, factory, who, portal)


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def measurements(size: Size) -> dict[str, Callable[[], object]]:
    return {
        "attorney first pull (sync.pull)": lambda: whole_pull(
            size.factory, size.who["attorney"], 1000
        ),
        "Board first pull (sync.pull)": lambda: whole_pull(size.factory, size.who["Board"], 1000),
        "DHS portal case list": lambda: size.portal.my_cases(size.who["DHS"]),
        "attorney portal case list": lambda: size.portal.my_cases(size.who["attorney"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", default="nation_100k:100000", help="database:cases")
    parser.add_argument("--large", default="nation_4m:4000000", help="database:cases")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [_size(args.small), _size(args.large)]
    try:
        runs = {s.label: measurements(s) for s in sizes}
        returned: dict[tuple[str, str], int] = {}
        for s in sizes:  # warm each database's caches once, as a server that has run would be
            for what, run in runs[s.label].items():
                answer = run()
                returned[(what, s.label)] = (
                    answer[0] if isinstance(answer, tuple) else len(cast(list[object], answer))
                )
        times: dict[tuple[str, str], list[float]] = {}
        loads = [os.getloadavg()[0]]
        for _ in range(args.repeats):
            for what in runs[sizes[0].label]:
                for s in sizes:
                    times.setdefault((what, s.label), []).append(_timed(runs[s.label][what]))
            loads.append(os.getloadavg()[0])
        small, large = sizes[0].label, sizes[1].label
        print(
            f"medians of {args.repeats}, interleaved; load average (1 min) "
            f"{min(loads):.1f}-{max(loads):.1f}"
        )
        print(
            f"{'what':34} {small + ' cases':>16} {large + ' cases':>18} {'ratio':>7}"
            "   records (small / large)"
        )
        for what in runs[small]:
            a = statistics.median(times[(what, small)])
            b = statistics.median(times[(what, large)])
            counts = f"{returned[(what, small)]:,} / {returned[(what, large)]:,}"
            print(f"{what:34} {a:>13.1f} ms {b:>15.1f} ms {b / a:>6.2f}x   {counts}")
    finally:
        for s in sizes:
            s.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
