"""What auditing a refused request costs: an authenticated ``GET /api/v1/blobs/<unknown>``
(404) with its refusal queued for the audit chain, beside the same request with the refusal
not recorded, and what writing the queue costs against one write transaction per entry.

    python -m benchmarks.bench_audit_refusals                       # SQLite in a temp folder
    python -m benchmarks.bench_audit_refusals --database-url postgresql+psycopg://...

The database must be empty (it is migrated here). Figures are means over ``--requests``;
the refusal log's thread writes the queue in the background meanwhile, as on a server.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import time
from pathlib import Path

from common.enums import Role
from sync_server.app import create_app
from sync_server.config import ServerConfig
from sync_server.db import write_transaction
from sync_server.migrate import upgrade
from sync_server.services import audit
from sync_server.services.auth import create_user, exempt_from_api_second_factor

PASSWORD = "correct horse battery staple"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        upgrade(url)
        config = ServerConfig(
            data_dir=folder,
            database_url=url,
            blob_url=str(folder / "blobs"),
            secret_key=secrets.token_urlsafe(32),
            testing=True,
        )
        app = create_app(config)
        services = app.extensions["ecas"]
        with write_transaction(services.factory) as session:
            user = create_user(
                session, username="bench", password=PASSWORD, role=Role.ATTORNEY, display_name="B"
            )
            exempt_from_api_second_factor(session, user, "benchmark")
        client = app.test_client()
        token = client.post(
            "/api/v1/auth/login", json={"username": "bench", "password": PASSWORD}
        ).get_json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}

        def per_request(n: int) -> float:
            started = time.perf_counter()
            for _ in range(n):
                response = client.get(f"/api/v1/blobs/{secrets.token_hex(32)}", headers=headers)
                assert response.status_code == 404
            return (time.perf_counter() - started) / n * 1000

        per_request(100)  # warm-up
        services.refusals.flush()
        record = services.refusals.record
        services.refusals.record = lambda **_: None
        bare = per_request(args.requests)
        services.refusals.record = record
        audited = per_request(args.requests)
        started = time.perf_counter()
        left = services.refusals.flush()
        flushed = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        for n in range(200):
            with write_transaction(services.factory) as session:
                audit.append(session, actor_id=user, action="bench.inline", detail={"n": n})
        inline = (time.perf_counter() - started) / 200 * 1000
        print(f"database: {url.split(':', 1)[0]}")
        print(f"refused GET, refusal not recorded: {bare:.2f} ms")
        print(f"refused GET, refusal queued:       {audited:.2f} ms")
        print(f"last batch: {left} entries written in {flushed:.1f} ms")
        print(f"one write transaction per entry instead: {inline:.2f} ms each")
        services.engine.dispose()


if __name__ == "__main__":
    main()
