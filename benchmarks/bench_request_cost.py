"""What a no-op sync request costs the server: in-process (the Flask app's test client, no
socket) against over HTTP (gunicorn as shipped, one worker, one thread), in the same run, on
the same PostgreSQL database (issue 16 item 2).

    python -m benchmarks.bench_request_cost --cases 200 --requests 400 --profile

A no-op pull is a judge's ``GET /api/v1/sync/changes?since=<cursor>`` after the whole scope
was pulled (nothing new); "pushed elsewhere" is the same judge's pull from the cursor it
held before another court's clerk pushed (the counter moved, nothing in the judge's scope
did: the usual sync of a morning rush, benchmarks/load_rush.py); a no-op push is a clerk's
replay of a hearing mutation already applied (the answer a client gets when it re-sends
after a lost reply). In-process: the process's CPU per request, median of the requests. Over
HTTP: the gunicorn master's and worker's CPU from /proc over a batch of requests (the clock
ticks every 10 ms, so one request can't be timed alone), divided by the batch, median of the
batches; PostgreSQL's CPU is not counted either way. ``--profile`` prints cProfile's top
functions of the in-process requests.

Each figure is measured once per ``--recheck`` value (``ECAS_AUTH_RECHECK_SECONDS``, a fresh
database and server each): 0 checks the account and session in the database on every
request, as before services/access_cache.py; 5 is the shipped default.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from benchmarks import load_rush


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _access_token(http: requests.Session, base: str, refresh: str) -> str:
    response = http.post(f"{base}/api/v1/auth/refresh", json={"refresh_token": refresh})
    response.raise_for_status()
    return str(response.json()["access_token"])


def _pull_all(
    get: Callable[[str], dict[str, Any]], cursor: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    changes: list[dict[str, Any]] = []
    while True:
        page = get("?limit=1000" + (f"&since={cursor}" if cursor else ""))
        changes.extend(page["changes"])
        cursor = str(page["cursor"])
        if not page["has_more"]:
            return cursor, changes


def _replay_body(changes: list[dict[str, Any]], client: str) -> dict[str, Any]:
    hearing = next(
        c for c in changes if c["entity"] == "hearing" and c["data"].get("status") == "scheduled"
    )
    data = dict(hearing["data"])
    data["duration_minutes"] = 30 + (int(data.get("duration_minutes") or 60) + 15) % 120
    return {
        "client_id": client,
        "mutations": [
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "hearing",
                "id": hearing["id"],
                "op": "upsert",
                "base_version": hearing["version"],
                "data": data,
            }
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--requests", type=int, default=400, help="of each kind, each way")
    parser.add_argument("--batch", type=int, default=50, help="HTTP requests per CPU reading")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--recheck",
        default="0,5",
        help="ECAS_AUTH_RECHECK_SECONDS values to compare (0: the database on every request)",
    )
    args = parser.parse_args(argv)
    table: list[tuple[str, str, float, float]] = []
    for recheck in args.recheck.split(","):
        print(f"load average before (recheck {recheck} s): {_loadavg()}  ({os.cpu_count()} cores)")
        for kind, local_ms, remote_ms in measure(args, recheck):
            table.append((recheck, kind, local_ms, remote_ms))
        print(f"load average after: {_loadavg()}")
    print(f"{'recheck s':>9}  {'request':28} {'in-process ms CPU':>18} {'over HTTP ms CPU':>17}")
    for recheck, kind, local_ms, remote_ms in table:
        print(f"{recheck:>9}  {kind:28} {local_ms:18.2f} {remote_ms:17.2f}")
    return 0


def measure(args: argparse.Namespace, recheck: str) -> list[tuple[str, float, float]]:
    """Medians of the no-op pull and push, in-process and over HTTP, with the server's
    access-token recheck interval ``recheck`` (seconds)."""
    settings = {
        "ECAS_GUNICORN_WORKERS": "1",
        "ECAS_GUNICORN_THREADS": "1",
        "ECAS_AUTH_RECHECK_SECONDS": recheck,
    }
    with (
        tempfile.TemporaryDirectory() as folder,
        load_rush.started_server(args.pg, args.cases, settings, Path(folder)) as server,
    ):
        master = server.master
        assert master is not None
        judge_refresh, clerk_refresh, other_refresh = load_rush.mint_refresh_tokens(
            server, ["judge1", "clerk1", "clerk3"]
        )
        http = requests.Session()
        http.trust_env = False
        base = server.url
        judge = _access_token(http, base, judge_refresh)
        clerk = _access_token(http, base, clerk_refresh)
        other = _access_token(http, base, other_refresh)

        def http_get(token: str) -> Callable[[str], dict[str, Any]]:
            def get(query: str) -> dict[str, Any]:
                response = http.get(
                    f"{base}/api/v1/sync/changes{query}",
                    headers={"Authorization": f"Bearer {token}"},
                )
                response.raise_for_status()
                return dict(response.json())

            return get

        _, clerk_changes = _pull_all(http_get(clerk))
        body = _replay_body(clerk_changes, "bench-request-cost")
        first = http.post(
            f"{base}/api/v1/sync/push", json=body, headers={"Authorization": f"Bearer {clerk}"}
        )
        first.raise_for_status()
        assert first.json()["results"][0]["status"] == "applied", first.text
        judge_cursor, _ = _pull_all(http_get(judge))  # after the push, which it sees
        # Another court's clerk pushes: the version counter moves past the judge's cursor,
        # but nothing in the judge's scope changed (the usual sync of a morning rush).
        _, other_changes = _pull_all(http_get(other))
        elsewhere = http.post(
            f"{base}/api/v1/sync/push",
            json=_replay_body(other_changes, "bench-request-cost-elsewhere"),
            headers={"Authorization": f"Bearer {other}"},
        )
        elsewhere.raise_for_status()
        assert elsewhere.json()["results"][0]["status"] == "applied", elsewhere.text
        behind_cursor = judge_cursor  # now behind the top, with nothing new in its scope
        judge_cursor, news = _pull_all(http_get(judge), behind_cursor)
        assert not news, "clerk3's push is in judge1's scope"
        assert judge_cursor != behind_cursor  # the cursor moved to the new top

        # The same app in this process, on the same database.
        os.environ.update(
            {
                "ECAS_DATA_DIR": folder,
                "ECAS_DATABASE_URL": server.database_url,
                "ECAS_SECRET_KEY": server.secret_key,
                "ECAS_DEMO": "1",
                "ECAS_AUTH_RECHECK_SECONDS": recheck,
            }
        )
        from sync_server.app import create_app

        app = create_app()
        test_client = app.test_client()
        pull_url = f"/api/v1/sync/changes?limit=1000&since={judge_cursor}"
        behind_url = f"/api/v1/sync/changes?limit=1000&since={behind_cursor}"
        judge_auth = {"Authorization": f"Bearer {judge}"}
        clerk_auth = {"Authorization": f"Bearer {clerk}"}

        def in_process_pull() -> None:
            answer = test_client.get(pull_url, headers=judge_auth)
            assert answer.status_code == 200 and not answer.get_json()["changes"]

        def in_process_behind() -> None:
            answer = test_client.get(behind_url, headers=judge_auth)
            assert answer.status_code == 200 and not answer.get_json()["changes"]

        def over_http_behind() -> None:
            answer = http.get(f"{base}{behind_url}", headers=judge_auth)
            assert answer.status_code == 200 and not answer.json()["changes"]

        def in_process_push() -> None:
            answer = test_client.post("/api/v1/sync/push", json=body, headers=clerk_auth)
            assert answer.status_code == 200, answer.get_data(as_text=True)
            assert answer.get_json()["results"][0]["status"] == "applied"

        def over_http_pull() -> None:
            answer = http.get(f"{base}{pull_url}", headers=judge_auth)
            assert answer.status_code == 200 and not answer.json()["changes"]

        def over_http_push() -> None:
            answer = http.post(f"{base}/api/v1/sync/push", json=body, headers=clerk_auth)
            assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "applied"

        def in_process_ms(call: Callable[[], None]) -> float:
            for _ in range(20):
                call()
            samples = []
            for _ in range(args.requests):
                started = time.process_time()
                call()
                samples.append((time.process_time() - started) * 1000)
            return float(statistics.median(samples))

        def over_http_ms(call: Callable[[], None]) -> float:
            for _ in range(20):
                call()
            samples = []
            for _ in range(max(1, args.requests // args.batch)):
                before = load_rush._server_cpu_seconds(master)
                for _ in range(args.batch):
                    call()
                after = load_rush._server_cpu_seconds(master)
                samples.append((after - before) * 1000 / args.batch)
            return float(statistics.median(samples))

        rows = []
        for kind, local, remote in (
            ("no-op pull (judge1)", in_process_pull, over_http_pull),
            ("no-op pull, pushed elsewhere", in_process_behind, over_http_behind),
            ("no-op push (clerk1 replay)", in_process_push, over_http_push),
        ):
            rows.append((kind, in_process_ms(local), over_http_ms(remote)))
        if args.profile:
            for kind, call in (
                ("pull", in_process_pull),
                ("pull behind the top", in_process_behind),
                ("push", in_process_push),
            ):
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(200):
                    call()
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
                print(f"--- cProfile, 200 in-process no-op {kind}es, recheck {recheck} s ---")
                print(out.getvalue())
        app.extensions["ecas"].refusals.flush(final=True)
        app.extensions["ecas"].engine.dispose()
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
