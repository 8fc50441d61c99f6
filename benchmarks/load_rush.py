"""Load test: a morning rush against the server as shipped (gunicorn, installer/server/
gunicorn.conf.py) on PostgreSQL.

    python -m benchmarks.load_rush --clients 50 --interval 5 --duration 60
    python -m benchmarks.load_rush --storm 200                  # sign-in storm
    python -m benchmarks.load_rush --storm 200 --no-admission   # the same, no admission control

``--clients N``: N desktop clients that signed in yesterday resume with their refresh tokens
within the first ``--interval`` seconds (each its own session, minted in-process before the
run, as a sign-in yesterday would have left it), pull their whole scope, then sync every
``--interval`` seconds (with jitter) until ``--duration`` ends. A share of them
(``--pushers``, clerks) push one hearing change each cycle; another share
(``--downloaders``) download one of their documents each cycle.

``--storm N``: N clients sign in with their passwords at the same moment, honour a 503's
Retry-After as the desktop does (waiting that long plus up to half again), and pull once
signed in. ``--no-admission`` runs the server with a pool of password checks too big to ever
refuse, as before admission control.

The generator is threads with ``requests`` (the project's HTTP client; no new dependency).
Reported: requests/s, p50/p95/p99 per kind of request and overall, errors (a status >= 400
other than a storm's 503, a time-out, a refused connection), server CPU per request (the
gunicorn master and its workers, from /proc), the CPU of this run's PostgreSQL backends
(from /proc, by the database name in their process title) and the generator's own CPU; and
the same for the steady state alone: the requests begun after every client's first pull
(a ``--duration`` too short for the rush to end reports that it was never reached).
``--start`` (the default) makes a PostgreSQL database, seeds ``--cases`` demo cases
and runs gunicorn; ``--url`` with ``--database-url`` and ``--secret-key`` targets a server
already running (its refresh tokens are minted in that database).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
import requests
from requests.adapters import HTTPAdapter

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "load-rush-password-1"
# Who the clients are, in turn: the demo's staff and counsel (external demo accounts need no
# second factor through the API).
ROLES = ("judge1", "clerk1", "attorney1", "judge2", "clerk2", "attorney2", "dhs1", "attorney3")
CLERKS = ("clerk1", "clerk2")
TIMEOUT = (5.0, 60.0)  # the desktop client's connect and read time-outs


@dataclass
class Stats:
    """Every request's kind, seconds, outcome and start (``time.monotonic``), from every
    thread."""

    samples: list[tuple[str, float, str, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # How late each client thread woke for its next sync (seconds past the planned time):
    # the generator's own queueing (500 threads share one interpreter lock and the same 2
    # cores as the server), which a request's measured time includes too.
    lateness: list[float] = field(default_factory=list)

    def add(self, kind: str, seconds: float, outcome: str) -> None:
        began = time.monotonic() - seconds
        with self.lock:
            self.samples.append((kind, seconds, outcome, began))


def _timed(
    stats: Stats, kind: str, http: requests.Session, method: str, url: str, **kwargs: Any
) -> requests.Response | None:
    started = time.perf_counter()
    try:
        response = http.request(method, url, timeout=TIMEOUT, **kwargs)
        _ = response.content
    except requests.Timeout:
        stats.add(kind, time.perf_counter() - started, "timeout")
        return None
    except requests.RequestException as err:
        # A refused or reset connection; the innermost cause names which.
        cause: BaseException = err
        while cause.__context__ is not None:
            cause = cause.__context__
        stats.add(kind, time.perf_counter() - started, f"connection ({type(cause).__name__})")
        return None
    status = response.status_code
    stats.add(kind, time.perf_counter() - started, "ok" if status < 400 else str(status))
    return response


# -- the server ------------------------------------------------------------------------------


def _server_cpu_seconds(master: int) -> float:
    """CPU of the gunicorn master, its live workers and the workers it reaped."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master:
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        elif ppid == master:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _database_cpu_seconds(database_url: str) -> float:
    """CPU of the PostgreSQL backends connected to this run's database (their process title
    names it; PostgreSQL must run on this machine). A backend that ended during the run
    takes its CPU with it, so this is a floor; the pools keep theirs open."""
    name = database_url.rsplit("/", 1)[-1].split("?")[0]
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not title.startswith("postgres: ") or f" {name} " not in title:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def _database_transactions(database_url: str) -> int:
    """Transactions committed and rolled back in this run's database so far (PostgreSQL's
    statistics; each backend reports its own at most once a second, an idle one within
    about ten): a count the machine's load does not inflate, unlike CPU."""
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


@dataclass
class Server:
    url: str
    database_url: str
    secret_key: str
    master: int | None


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def started_server(
    pg_admin: str, cases: int, settings: dict[str, str], folder: Path
) -> Iterator[Server]:
    """A fresh PostgreSQL database with ``cases`` demo cases, served by gunicorn."""
    name = f"ecas_rush_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = pg_admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    database_url = f"{base}/{name}"
    port = _free_port()
    env = {
        **os.environ,
        "ECAS_DATA_DIR": str(folder),
        "ECAS_DATABASE_URL": database_url,
        "ECAS_SECRET_KEY": "rush-" + uuid.uuid4().hex,
        "ECAS_DEMO": "1",
        "ECAS_GUNICORN_BIND": f"127.0.0.1:{port}",
        "ECAS_GUNICORN_LOGLEVEL": "warning",
        "PYTHONPATH": str(REPO),
        **settings,
    }
    process: subprocess.Popen[bytes] | None = None
    try:
        for args in (["init-db"], ["seed-demo", "--cases", str(cases), "--password", PASSWORD]):
            subprocess.run(
                [str(BIN / "ecas-server"), *args], env=env, check=True, capture_output=True
            )
        with (folder / "gunicorn.log").open("wb") as log:
            process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(REPO / "installer/server/gunicorn.conf.py"),
                 "--access-logfile", "/dev/null", "sync_server.app:create_app()"],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/healthz", timeout=2).ok:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "gunicorn.log").read_text(errors="replace"))
            time.sleep(0.2)
        time.sleep(2)  # every worker up
        yield Server(url, database_url, env["ECAS_SECRET_KEY"], process.pid)
    finally:
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def mint_refresh_tokens(server: Server, usernames: list[str]) -> list[str]:
    """One session (refresh-token family) per client, as yesterday's sign-ins left them."""
    from sqlalchemy import func, select

    from sync_server.config import ServerConfig
    from sync_server.db import make_engine, make_session_factory, write_transaction
    from sync_server.models import UserRow
    from sync_server.services.auth import AuthService

    engine = make_engine(server.database_url)
    factory = make_session_factory(engine)
    config = ServerConfig(
        data_dir=Path(tempfile.gettempdir()),
        database_url=server.database_url,
        blob_url="",
        secret_key=server.secret_key,
    )
    auth = AuthService(config, factory)
    tokens = []
    try:
        with write_transaction(factory) as session:
            users = {
                name: session.scalar(select(UserRow).where(func.lower(UserRow.username) == name))
                for name in set(usernames)
            }
            for name in usernames:
                user = users[name]
                assert user is not None, f"no demo user {name}"
                issued = auth._issue(session, user, family_id=str(uuid.uuid4()))
                tokens.append(issued.refresh_token)
    finally:
        engine.dispose()
    return tokens


# -- the clients ---------------------------------------------------------------------------


def _session() -> requests.Session:
    http = requests.Session()
    http.trust_env = False
    http.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=1))
    return http


@dataclass
class Client:
    number: int
    username: str
    http: requests.Session = field(default_factory=_session)
    cursor: str | None = None
    hearings: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    synced: bool = False

    def take(self, changes: list[dict[str, Any]]) -> None:
        for change in changes:
            data = change.get("data") or {}
            if change["entity"] == "hearing" and data.get("status") == "scheduled":
                self.hearings[change["id"]] = change
            elif change["entity"] == "document" and data.get("sha256"):
                self.documents.append(str(data["sha256"]))

    def pull(self, stats: Stats, base: str, kind: str) -> bool:
        while True:
            query = "?limit=1000" + (f"&since={self.cursor}" if self.cursor else "")
            response = _timed(stats, kind, self.http, "GET", f"{base}/api/v1/sync/changes{query}")
            if response is None or response.status_code != 200:
                return False
            page = response.json()
            self.take(page["changes"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                self.synced = True
                return True

    def push_one(self, stats: Stats, base: str) -> None:
        mine = [h for h in self.hearings.values() if hash(h["id"]) % 997 == self.number % 997]
        current = random.choice(mine or list(self.hearings.values()))
        data = dict(current["data"])
        data["duration_minutes"] = 30 + (int(data.get("duration_minutes") or 60) + 15) % 120
        body = {
            "client_id": f"rush-{self.number}",
            "mutations": [
                {
                    "mutation_id": str(uuid.uuid4()),
                    "entity": "hearing",
                    "id": current["id"],
                    "op": "upsert",
                    "base_version": current["version"],
                    "data": data,
                }
            ],
        }
        response = _timed(stats, "push", self.http, "POST", f"{base}/api/v1/sync/push", json=body)
        if response is not None and response.status_code == 200:
            result = response.json()["results"][0]
            if result.get("status") == "applied":
                self.hearings[current["id"]] = {
                    **current,
                    "version": result["version"],
                    "data": data,
                }

    def download_one(self, stats: Stats, base: str) -> None:
        sha = random.choice(self.documents)
        _timed(stats, "download", self.http, "GET", f"{base}/api/v1/blobs/{sha}")


def run_rush(
    server: Server,
    clients: int,
    interval: float,
    duration: float,
    pushers: float,
    downloaders: float,
    cpu_probe: Callable[[], tuple[float, float, float]] = lambda: (0.0, 0.0, 0.0),
) -> tuple[Stats, float, tuple[float, float, float, float] | None]:
    """Returns the stats, the wall time and, once every client has its first pull, when that
    was (``time.monotonic``) with ``cpu_probe()`` (server and generator CPU) at that moment:
    the start of the steady state."""
    usernames = [ROLES[i % len(ROLES)] for i in range(clients)]
    refresh = mint_refresh_tokens(server, usernames)
    stats = Stats()
    base = server.url
    started = time.monotonic()
    stop_at = started + duration
    push_every = max(1, round(1 / pushers)) if pushers > 0 else 0
    download_every = max(1, round(1 / downloaders)) if downloaders > 0 else 0
    pulled = [0]
    steady: list[tuple[float, float, float, float]] = []
    lock = threading.Lock()

    def first_pull_done() -> None:
        with lock:
            pulled[0] += 1
            if pulled[0] == clients:
                steady.append((time.monotonic(), *cpu_probe()))

    def one(number: int) -> None:
        client = Client(number, usernames[number])
        time.sleep(random.uniform(0, interval))  # the rush: everyone within one interval
        response = _timed(
            stats,
            "resume",
            client.http,
            "POST",
            f"{base}/api/v1/auth/refresh",
            json={"refresh_token": refresh[number], "client_id": f"rush-{number}"},
        )
        if response is None or response.status_code != 200:
            return
        client.http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        if not client.pull(stats, base, "first pull"):
            return
        first_pull_done()
        pusher = push_every and client.username in CLERKS and number % push_every < len(CLERKS)
        downloader = download_every and number % download_every == 1
        next_at = time.monotonic() + random.uniform(0.5, 1.5) * interval
        while True:
            time.sleep(max(0.0, next_at - time.monotonic()))
            woke = time.monotonic()
            if woke >= stop_at:
                return
            with stats.lock:
                stats.lateness.append(max(0.0, woke - next_at))
            client.pull(stats, base, "sync")
            if pusher and client.hearings:
                client.push_one(stats, base)
            if downloader and client.documents:
                client.download_one(stats, base)
            next_at += interval * random.uniform(0.9, 1.1)

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 180)
    return stats, time.monotonic() - started, (steady[0] if steady else None)


def run_storm(server: Server, clients: int, give_up: float) -> tuple[Stats, float, list[float]]:
    """``clients`` sign in at once; returns the stats, the wall time and, for each client
    that got through, the seconds from the start until its first pull was done."""
    usernames = [ROLES[i % len(ROLES)] for i in range(clients)]
    stats = Stats()
    base = server.url
    barrier = threading.Barrier(clients)
    synced: list[float] = []
    lock = threading.Lock()
    started = time.monotonic()

    def one(number: int) -> None:
        client = Client(number, usernames[number])
        barrier.wait()
        begin = time.monotonic()
        while time.monotonic() - begin < give_up:
            response = _timed(
                stats,
                "sign-in",
                client.http,
                "POST",
                f"{base}/api/v1/auth/login",
                json={"username": client.username, "password": PASSWORD},
            )
            if response is not None and response.status_code == 503:
                wait = int(response.headers.get("Retry-After", "1"))
                time.sleep(max(1, wait) * (1 + random.random() / 2))
                continue
            if response is None or response.status_code != 200:
                return
            token = response.json()["access_token"]
            client.http.headers["Authorization"] = f"Bearer {token}"
            if client.pull(stats, base, "first pull"):
                with lock:
                    synced.append(time.monotonic() - begin)
            return

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=give_up + 120)
    return stats, time.monotonic() - started, synced


# -- the report --------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1] * 1000


def report(
    stats: Stats,
    wall: float,
    cpu_server: float,
    cpu_generator: float,
    steady_from: float | None = None,
) -> dict[str, Any]:
    """Prints the table; ``steady_from`` (a ``time.monotonic``) adds a line for the requests
    begun from then on (the steady state after the rush's resumes and first pulls)."""
    by_kind: dict[str, list[float]] = {}
    outcomes: Counter[str] = Counter()
    for kind, seconds, outcome, _ in stats.samples:
        by_kind.setdefault(kind, []).append(seconds)
        outcomes[outcome] += 1
    total = len(stats.samples)
    every = [s for _, s, _, _ in stats.samples]
    print(f"{'request':<12} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, values in sorted(by_kind.items()):
        print(
            f"{kind:<12} {len(values):>7} {_ms(values, 50):>8.1f} {_ms(values, 95):>8.1f} "
            f"{_ms(values, 99):>8.1f}"
        )
    print(
        f"{'all':<12} {total:>7} {_ms(every, 50):>8.1f} {_ms(every, 95):>8.1f} "
        f"{_ms(every, 99):>8.1f}"
    )
    steady: dict[str, Any] = {}
    if steady_from is not None:
        late = [(s, o, b) for k, s, o, b in stats.samples if b >= steady_from]
        if late:
            durations = [s for s, _, _ in late]
            span = max(b + s for s, _, b in late) - steady_from
            steady = {
                "requests": len(late),
                "per_second": len(late) / max(span, 1e-9),
                "p50": _ms(durations, 50),
                "p95": _ms(durations, 95),
                "p99": _ms(durations, 99),
                "errors": dict(Counter(o for _, o, _ in late if o != "ok")),
            }
            print(
                f"{'steady':<12} {len(late):>7} {steady['p50']:>8.1f} {steady['p95']:>8.1f} "
                f"{steady['p99']:>8.1f}   ({steady['per_second']:.1f} requests/s, begun "
                f"after the first pulls; outcomes other than ok: {steady['errors']})"
            )
    if stats.lateness:
        print(
            f"generator wake-up lateness p50 / p95 / p99: {_ms(stats.lateness, 50):.1f} / "
            f"{_ms(stats.lateness, 95):.1f} / {_ms(stats.lateness, 99):.1f} ms "
            "(the generator's own queueing, inside every measured time too)"
        )
    errors = {k: v for k, v in outcomes.items() if k != "ok"}
    print(f"requests/s: {total / wall:.1f} over {wall:.1f} s; outcomes other than ok: {errors}")
    print(
        f"server CPU: {cpu_server:.1f} s, {cpu_server / max(total, 1) * 1000:.2f} ms a request "
        f"(gunicorn; PostgreSQL not counted); generator CPU: {cpu_generator:.1f} s"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return {"requests": total, "errors": errors, "steady": steady}


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between syncs")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the rush")
    parser.add_argument("--pushers", type=float, default=0.1, help="share of clients pushing")
    parser.add_argument("--downloaders", type=float, default=0.1, help="share downloading")
    parser.add_argument("--storm", type=int, default=0, help="sign-in storm of N clients")
    parser.add_argument("--no-admission", action="store_true")
    parser.add_argument("--cases", type=int, default=60, help="demo cases seeded (--start)")
    parser.add_argument(
        "--pg",
        default=os.environ.get("ECAS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL admin URL for the database --start makes",
    )
    parser.add_argument("--url", help="a running server instead of starting one")
    parser.add_argument("--database-url", help="with --url: its database (tokens are minted)")
    parser.add_argument("--secret-key", help="with --url: its ECAS_SECRET_KEY")
    args = parser.parse_args(argv)

    settings: dict[str, str] = {}
    if args.no_admission:  # a pool too big to refuse anyone: every check starts at once
        settings = {"ECAS_PASSWORD_CHECKS_AT_ONCE": "100000", "ECAS_PASSWORD_CHECK_QUEUE": "1"}
    with contextlib.ExitStack() as stack:
        if args.url:
            server = Server(args.url, args.database_url, args.secret_key, None)
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rush-")))
            print(f"Seeding {args.cases} demo cases and starting gunicorn…", flush=True)
            server = stack.enter_context(started_server(args.pg, args.cases, settings, folder))
        cpu_server_before = _server_cpu_seconds(server.master) if server.master else 0.0
        cpu_self_before = _cpu_self()
        cpu_database_before = _database_cpu_seconds(server.database_url) if server.master else 0.0

        transactions: list[int] = []  # at the start, at the steady state's start, at the end
        if server.master:
            transactions.append(_database_transactions(server.database_url))

        def probe() -> tuple[float, float, float]:
            cpu = _server_cpu_seconds(server.master) if server.master else 0.0
            database = _database_cpu_seconds(server.database_url) if server.master else 0.0
            if server.master:
                transactions.append(_database_transactions(server.database_url))
            return cpu, _cpu_self(), database

        steady = None
        if args.storm:
            admission = "off" if args.no_admission else "on"
            print(f"Sign-in storm: {args.storm} clients at once, admission control {admission}")
            stats, wall, synced = run_storm(server, args.storm, give_up=120)
            within = sum(1 for s in synced if s <= 60)
            print(
                f"signed in and synced: {len(synced)}/{args.storm}; within 60 s: {within}; "
                f"slowest {max(synced, default=float('nan')):.1f} s"
            )
        else:
            print(
                f"Morning rush: {args.clients} clients, sync every {args.interval:g} s for "
                f"{args.duration:g} s"
            )
            stats, wall, steady = run_rush(
                server,
                args.clients,
                args.interval,
                args.duration,
                args.pushers,
                args.downloaders,
                probe,
            )
        cpu_server_after, cpu_self_after, cpu_database_after = probe()
        if server.master:
            time.sleep(11)  # every backend's statistics reported (idle ones within ~10 s)
            transactions[-1] = _database_transactions(server.database_url)
        every = max(len(stats.samples), 1)
        print(
            f"PostgreSQL CPU (this database's backends): "
            f"{cpu_database_after - cpu_database_before:.1f} s, "
            f"{(cpu_database_after - cpu_database_before) / every * 1000:.2f} ms a request"
        )
        report(
            stats,
            wall,
            cpu_server_after - cpu_server_before,
            cpu_self_after - cpu_self_before,
            steady[0] if steady and not args.storm else None,
        )
        late = sum(1 for *_, began in stats.samples if steady and began >= steady[0])
        if steady and late and not args.storm:
            print(
                f"steady state: {stats_end(stats) - steady[0]:.1f} s from "
                f"{steady[0] - stats_start(stats):.1f} s after the start; server CPU "
                f"{(cpu_server_after - steady[1]) / max(late, 1) * 1000:.2f} ms a request, "
                f"generator CPU {(cpu_self_after - steady[2]) / max(late, 1) * 1000:.2f} ms a "
                f"request ({(cpu_self_after - steady[2]):.1f} s), PostgreSQL CPU "
                f"{(cpu_database_after - steady[3]) / max(late, 1) * 1000:.2f} ms a request"
                + ("" if late >= 200 else f" (only {late} requests: too few to trust)")
            )
            if len(transactions) == 3:
                print(
                    f"database transactions: {(transactions[2] - transactions[1]) / late:.2f} a "
                    f"steady request ({(transactions[2] - transactions[0]) / every:.2f} a "
                    "request overall; pg_stat_database, which lags up to a second)"
                )
        elif not args.storm:
            print(
                "steady state: never reached (not every client finished its first pull "
                "before the run ended)"
            )
    return 0


def stats_start(stats: Stats) -> float:
    return min((began for *_, began in stats.samples), default=0.0)


def stats_end(stats: Stats) -> float:
    return max((began + seconds for _, seconds, _, began in stats.samples), default=0.0)


if __name__ == "__main__":
    sys.exit(main())
