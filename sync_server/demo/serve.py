"""A seeded demo server on a loopback port, in this process (screenshots, walkthroughs).

Not for production: werkzeug's threaded development server, SQLite in ``folder``.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from sync_server.app import create_app
from sync_server.config import ServerConfig
from sync_server.demo.seed import seed_demo
from sync_server.migrate import upgrade


def serve_demo(folder: Path, *, cases: int, password: str, secret_key: str) -> tuple[str, Flask]:
    """Migrate and seed a SQLite database in ``folder`` with ``cases`` demo cases (every
    demo user's password ``password``), serve it on a free loopback port from a daemon
    thread, and return the server's base URL and its app."""
    url = f"sqlite:///{folder / 'ecas.sqlite3'}"
    upgrade(url)
    config = ServerConfig(
        data_dir=folder,
        database_url=url,
        blob_url=str(folder / "blobs"),
        secret_key=secret_key,
        testing=True,
    )
    app = create_app(config)
    services = app.extensions["ecas"]
    seed_demo(
        services.factory,
        services.blobs.store,
        services.blobs.staging,
        cases=cases,
        password=password,
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", app
