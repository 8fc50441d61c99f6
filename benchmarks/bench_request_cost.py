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
from functools import partial
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


def _replay_body(changes: list[dict[str, Any]], client: str, count: int = 1) -> dict[str, Any]:
    """A push changing the length of the first ``count`` scheduled hearings in ``changes``."""
    hearings = [
        c for c in changes if c["entity"] == "hearing" and c["data"].get("status") == "scheduled"
    ][:count]
    assert len(hearings) == count, "too few scheduled hearings"
    mutations = []
    for hearing in hearings:
        data = dict(hearing["data"])
        data["duration_minutes"] = 30 + (int(data.get("duration_minutes") or 60) + 15) % 120
        mutations.append(
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "hearing",
                "id": hearing["id"],
                "op": "upsert",
                "base_version": hearing["version"],
                "data": data,
            }
        )
    return {"client_id": client, "mutations": mutations}


def _count_statements(
    engine: Any, call: Callable[[], None], calls: int = 20
) -> tuple[float, float, float, list[str]]:
    """Statements (as SQLAlchemy sends them), pool checkouts and pre-pings a ``call``, the
    mean of ``calls`` (the gate rechecks a token only every few seconds), and the SQL of
    the first."""
    from sqlalchemy import event

    statements: list[str] = []
    checkouts: list[int] = []
    pings: list[int] = []
    original_ping = engine.dialect.do_ping

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(" ".join(statement.split()))

    def on_checkout(*_args: Any) -> None:
        checkouts.append(1)

    def counted_ping(dbapi_conn: Any) -> bool:
        pings.append(1)
        return bool(original_ping(dbapi_conn))

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "checkout", on_checkout)
    engine.dialect.do_ping = counted_ping
    first: list[str] = []
    try:
        for _ in range(calls):
            call()
            first = first or list(statements)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "checkout", on_checkout)
        engine.dialect.do_ping = original_ping
    return len(statements) / calls, len(checkouts) / calls, len(pings) / calls, first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--requests", type=int, default=400, help="of each kind, each way")
    parser.add_argument("--batch", type=int, default=50, help="HTTP requests per CPU reading")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--rounds", type=int, default=3, help="in-process rounds alternating ping and check"
    )
    parser.add_argument("--statements", action="store_true", help="print each request's SQL")
    parser.add_argument(
        "--recheck",
        default="0,5",
        help="ECAS_AUTH_RECHECK_SECONDS values to compare (0: the database on every request)",
    )
    args = parser.parse_args(argv)
    table: list[tuple[str, str, float, float]] = []
    pools: list[tuple[str, str, str, float, float, float, float, str]] = []
    for recheck in args.recheck.split(","):
        print(f"load average before (recheck {recheck} s): {_loadavg()}  ({os.cpu_count()} cores)")
        rows, pool_rows = measure(args, recheck)
        for kind, local_ms, remote_ms in rows:
            table.append((recheck, kind, local_ms, remote_ms))
        pools.extend((recheck, *row) for row in pool_rows)
        print(f"load average after: {_loadavg()}")
    print(f"{'recheck s':>9}  {'request':30} {'in-process ms CPU':>18} {'over HTTP ms CPU':>17}")
    for recheck, kind, local_ms, remote_ms in table:
        print(f"{recheck:>9}  {kind:30} {local_ms:18.2f} {remote_ms:17.2f}")
    print(
        "\nin-process, the pool's pre-ping (before) against the socket check (after), rounds"
        " alternating; statements / checkouts / pings a request (mean of 20);"
        " PostgreSQL backends' CPU"
    )
    print(
        f"{'recheck s':>9}  {'request':30} {'pool':6} {'app ms CPU':>10} {'PG ms CPU':>9}"
        f" {'statements':>10}  {'checkouts/pings':>15}"
    )
    for recheck, kind, pool, app_ms, pg_ms, count, checkouts, pings in pools:
        print(
            f"{recheck:>9}  {kind:30} {pool:6} {app_ms:10.2f} {pg_ms:9.2f}"
            f" {count:10.2f}  {f'{checkouts:.2f}/{pings}':>15}"
        )
    return 0


def measure(
    args: argparse.Namespace, recheck: str
) -> tuple[list[tuple[str, float, float]], list[tuple[str, str, float, float, float, float, str]]]:
    """Medians of the no-op pull and push and of a pull of a few changes, in-process and
    over HTTP, with the server's access-token recheck interval ``recheck`` (seconds); and
    in-process, the app with the pool's pre-ping against the shipped one."""
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
        judge_refresh, clerk_refresh, other_refresh, attorney_refresh = (
            load_rush.mint_refresh_tokens(server, ["judge1", "clerk1", "clerk3", "attorney1"])
        )
        http = requests.Session()
        http.trust_env = False
        base = server.url
        judge = _access_token(http, base, judge_refresh)
        clerk = _access_token(http, base, clerk_refresh)
        other = _access_token(http, base, other_refresh)
        attorney = _access_token(http, base, attorney_refresh)

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
        # The steady sync of a rush: a pull that brings a few changes (clerk1 changes three
        # hearings of judge1's court; the judge pulls from the cursor it held before).
        few_cursor = judge_cursor
        _, clerk_changes = _pull_all(http_get(clerk))
        few = http.post(
            f"{base}/api/v1/sync/push",
            json=_replay_body(clerk_changes, "bench-request-cost-few", 3),
            headers={"Authorization": f"Bearer {clerk}"},
        )
        few.raise_for_status()
        assert [r["status"] for r in few.json()["results"]] == ["applied"] * 3, few.text
        judge_cursor, few_news = _pull_all(http_get(judge), few_cursor)
        few_count = len(few_news)
        assert few_count >= 3, few_count
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
        attorney_cursor, _ = _pull_all(http_get(attorney))  # at the top (an appearance scope)

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
        from sync_server import app as app_module
        from sync_server.db import make_engine

        app = app_module.create_app()
        # The same app with the pool's pre-ping, as before (a SELECT 1 every checkout).
        setattr(app_module, "make_engine", partial(make_engine, pre_ping=True))  # noqa: B010
        try:
            ping_app = app_module.create_app()
        finally:
            setattr(app_module, "make_engine", make_engine)  # noqa: B010
        test_client = app.test_client()
        few_url = f"/api/v1/sync/changes?limit=1000&since={few_cursor}"
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

        def in_process_few() -> None:
            answer = test_client.get(few_url, headers=judge_auth)
            assert answer.status_code == 200 and len(answer.get_json()["changes"]) == few_count

        def over_http_few() -> None:
            answer = http.get(f"{base}{few_url}", headers=judge_auth)
            assert answer.status_code == 200 and len(answer.json()["changes"]) == few_count

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
            (f"pull of {few_count} changes (judge1)", in_process_few, over_http_few),
        ):
            rows.append((kind, in_process_ms(local), over_http_ms(remote)))

        # In-process, the app with the pre-ping ("ping") against the shipped one ("check"),
        # rounds alternating; the app's CPU per request and the PostgreSQL backends' CPU of
        # this database per request (over a batch: the clock ticks every 10 ms).
        kinds = (
            ("no-op pull (judge1)", "GET", pull_url, judge_auth, None),
            (
                "no-op pull (attorney1)",
                "GET",
                f"/api/v1/sync/changes?limit=1000&since={attorney_cursor}",
                {"Authorization": f"Bearer {attorney}"},
                None,
            ),
            ("no-op pull, pushed elsewhere", "GET", behind_url, judge_auth, None),
            (f"pull of {few_count} changes (judge1)", "GET", few_url, judge_auth, None),
            ("no-op push (clerk1 replay)", "POST", "/api/v1/sync/push", clerk_auth, body),
        )
        apps = (("ping", ping_app), ("check", app))

        def request_of(flask_app: Any, method: str, url: str, auth: Any, json: Any) -> Any:
            flask_client = flask_app.test_client()

            def call() -> None:
                answer = flask_client.open(url, method=method, headers=auth, json=json)
                assert answer.status_code == 200, answer.get_data(as_text=True)

            return call

        samples: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
        for _ in range(args.rounds):
            for kind, method, url, auth, json in kinds:
                for pool, flask_app in apps:
                    call = request_of(flask_app, method, url, auth, json)
                    for _ in range(10):
                        call()
                    app_ms, pg_ms = samples.setdefault((kind, pool), ([], []))
                    for _ in range(max(1, args.requests // args.batch)):
                        pg_before = load_rush._database_cpu_seconds(server.database_url)
                        cpu_before = time.process_time()
                        for _ in range(args.batch):
                            call()
                        app_ms.append((time.process_time() - cpu_before) * 1000 / args.batch)
                        pg_after = load_rush._database_cpu_seconds(server.database_url)
                        pg_ms.append((pg_after - pg_before) * 1000 / args.batch)
        pool_rows = []
        for kind, method, url, auth, json in kinds:
            for pool, flask_app in apps:
                engine = flask_app.extensions["ecas"].engine
                count, checkouts, pings, statements = _count_statements(
                    engine, request_of(flask_app, method, url, auth, json)
                )
                app_ms, pg_ms = samples[(kind, pool)]
                pool_rows.append(
                    (
                        kind,
                        pool,
                        float(statistics.median(app_ms)),
                        float(statistics.median(pg_ms)),
                        count,
                        checkouts,
                        f"{pings:.2f}",
                    )
                )
                if args.statements and pool == "check":
                    print(f"--- {kind}: {count:.2f} statements a request; the first ---")
                    for statement in statements:
                        print("   ", statement[:160])
        if args.profile:
            for kind, method, url, auth, json in kinds:
                call = request_of(app, method, url, auth, json)
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(200):
                    call()
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
                print(f"--- cProfile, 200 in-process requests: {kind}, recheck {recheck} s ---")
                print(out.getvalue())
        for flask_app in (app, ping_app):
            flask_app.extensions["ecas"].refusals.flush(final=True)
            flask_app.extensions["ecas"].engine.dispose()
    return rows, pool_rows


if __name__ == "__main__":
    raise SystemExit(main())
