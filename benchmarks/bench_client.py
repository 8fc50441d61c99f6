"""The desktop client's apply rate on a judge's initial pull.

    .venv/bin/python -m benchmarks.bench_client [--cases 100000] [--runs 5]

Builds the pull of the judge's court in the 100,000-case benchmark world (the same
generator as ``bench_sync``: about 32,000 case, hearing and document records), encodes it
as the server's pages of 1,000, and measures the client applying them to a fresh local
store: parsing each page as the sync engine does, then ``LocalStore.apply_page`` (one
transaction per page, with the cursor). Beside it, in the same run, the floor: the same
rows written with plain ``sqlite3`` ``executemany`` into an identical table, one
transaction per page, no checks. Target: ≥ 10,000 records/s.

``--compare`` also applies the same pages to an encrypted store (SQLCipher, as every
signed-in desktop now keeps; ``desktop/store_crypto.py``) in the same runs, interleaved with
the plain one, and prints the encrypted/plain ratio (target ≤ 1.5x).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file by `make bench`: the repository's root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import orjson

from benchmarks.fixtures import CaseFactory, bench_id, court_index_of_case
from common.protocol import ChangesResponse
from desktop.local_store import LocalStore

TARGET = 10_000
PAGE = 1000


def judge_pull(cases: int) -> list[bytes]:
    """The big court's records as the server's response pages (JSON bytes)."""
    factory = CaseFactory([bench_id("judge", court) for court in range(18)])
    changes = []
    version = 0
    for index in range(cases):
        if court_index_of_case(index) != 0:
            continue
        for record in factory.records(index):
            version += 1
            changes.append(
                {
                    "entity": record.entity,
                    "id": record.id,
                    "version": version,
                    "deleted": False,
                    "data": record.model_dump(mode="json"),
                }
            )
    pages = []
    for start in range(0, len(changes), PAGE):
        chunk = changes[start : start + PAGE]
        pages.append(
            orjson.dumps(
                {
                    "changes": chunk,
                    "cursor": f"c{start}",
                    "has_more": start + PAGE < len(changes),
                    "reset": False,
                }
            )
        )
    return pages


def apply_with_client(
    pages: list[bytes], folder: Path, key: bytes | None = None
) -> tuple[int, float]:
    store = LocalStore(folder / ("sealed.sqlite3" if key else "client.sqlite3"), key)
    started = time.perf_counter()
    applied = 0
    for body in pages:
        page = ChangesResponse.model_validate(orjson.loads(body))
        applied += store.apply_page(page.changes, page.cursor, reset=page.reset)
    elapsed = time.perf_counter() - started
    store.engine.dispose()
    return applied, elapsed


def apply_floor(pages: list[bytes], folder: Path) -> tuple[int, float]:
    conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE record (entity TEXT, id TEXT, version INTEGER, deleted INTEGER,"
        " data TEXT, server_data TEXT, PRIMARY KEY (entity, id))"
    )
    started = time.perf_counter()
    count = 0
    for body in pages:
        page = orjson.loads(body)
        rows = [
            (
                c["entity"],
                c["id"],
                c["version"],
                c["deleted"],
                orjson.dumps(c["data"]),
                orjson.dumps(c["data"]),
            )
            for c in page["changes"]
        ]
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO record VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        count += len(rows)
    elapsed = time.perf_counter() - started
    conn.close()
    return count, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--compare", action="store_true", help="also apply to an encrypted store, same runs"
    )
    args = parser.parse_args()
    pages = judge_pull(args.cases)
    records = sum(len(orjson.loads(p)["changes"]) for p in pages)
    print(f"judge's initial pull: {records} records in {len(pages)} pages")
    client_rates, floor_rates, sealed_rates = [], [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            if args.compare and run % 2:  # alternate which goes first
                applied, seconds = apply_with_client(pages, Path(tmp), os.urandom(32))
                sealed_rates.append(records / seconds)
            applied, seconds = apply_with_client(pages, Path(tmp))
            assert applied == records
            client_rates.append(records / seconds)
            if args.compare and not run % 2:
                applied, seconds = apply_with_client(pages, Path(tmp), os.urandom(32))
                sealed_rates.append(records / seconds)
            _, floor_seconds = apply_floor(pages, Path(tmp))
            floor_rates.append(records / floor_seconds)
        sealed = f", encrypted {sealed_rates[-1]:,.0f} rec/s" if args.compare else ""
        print(
            f"  run {run + 1}: client {client_rates[-1]:,.0f} rec/s{sealed}, "
            f"floor {floor_rates[-1]:,.0f} rec/s"
        )
    client, floor = statistics.median(client_rates), statistics.median(floor_rates)
    verdict = "PASS" if client >= TARGET else "FAIL"
    print("\nfigure                         median        floor      ratio   target")
    print(
        f"client apply rate (rec/s)  {client:>11,.0f}  {floor:>11,.0f}  {floor / client:>8.2f}x"
        f"   >= {TARGET:,}  {verdict}"
    )
    if args.compare:
        sealed = statistics.median(sealed_rates)
        slower = client / sealed
        print(
            f"encrypted apply rate (rec/s) {sealed:>11,.0f}  plain {client:,.0f}: "
            f"{slower:.2f}x slower   <= 1.5x  {'PASS' if slower <= 1.5 else 'FAIL'}"
        )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
