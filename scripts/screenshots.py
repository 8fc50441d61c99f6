"""Make the README's screenshots of the desktop client, offscreen, from demo data.

    .venv/bin/python scripts/screenshots.py [OUTDIR]   (default: docs/screenshots)

Starts a throw-away demo server on loopback (SQLite in a temporary folder), signs in as a
clerk and as a judge through the real sign-in and sync code, and saves each main view.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from desktop.services.session import sign_in  # noqa: E402
from desktop.services.sync_controller import SyncController  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.sync_engine import SyncEngine  # noqa: E402
from desktop.ui.context import DesktopContext  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402
from sync_server.app import create_app  # noqa: E402
from sync_server.config import ServerConfig  # noqa: E402
from sync_server.demo.seed import seed_demo  # noqa: E402
from sync_server.migrate import upgrade  # noqa: E402

PASSWORD = "screenshot-password"


def _serve(folder: Path) -> str:
    url = f"sqlite:///{folder / 'ecas.sqlite3'}"
    upgrade(url)
    config = ServerConfig(
        data_dir=folder,
        database_url=url,
        blob_url=str(folder / "blobs"),
        secret_key="screenshots",
        testing=True,
    )
    app = create_app(config)
    services = app.extensions["ecas"]
    seed_demo(
        services.factory,
        services.blobs.store,
        services.blobs.staging,
        cases=120,
        password=PASSWORD,
        today=date.today(),
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def _settle(app: QApplication, rounds: int = 40) -> None:
    for _ in range(rounds):
        app.processEvents()
        threading.Event().wait(0.05)


def _window(url: str, username: str, folder: Path) -> MainWindow:
    session = sign_in(url, username, PASSWORD, base_dir=folder / "desktop")
    engine = SyncEngine(session.client, session.store)
    engine.sync_once()
    settings = Settings(
        QSettings(str(folder / f"{username}.ini"), QSettings.Format.IniFormat),
        QSettings(str(folder / "system.ini"), QSettings.Format.IniFormat),
    )
    controller = SyncController(engine, 3600)
    window = MainWindow(DesktopContext(settings, session, controller))
    window.resize(1400, 860)
    window.show()
    controller.sync_now()  # so the status bar shows a real, finished sync
    window.refresh_all()
    return window


def _shoot(app: QApplication, widget: QWidget, path: Path) -> None:
    _settle(app)
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = _serve(folder)
        clerk = _window(url, "clerk1", folder)
        clerk.tabs.setCurrentWidget(clerk.docket)
        _shoot(app, clerk, out / "docket.png")
        clerk.tabs.setCurrentWidget(clerk.filings)
        _shoot(app, clerk, out / "filing-review.png")
        first_case = next(iter(clerk.ctx.store.all("case")))["id"]
        clerk.open_case(str(first_case))
        _shoot(app, clerk, out / "case-file.png")
        judge = _window(url, "judge1", folder)
        judge.tabs.setCurrentWidget(judge.dashboard)
        _shoot(app, judge, out / "judge-dashboard.png")
        for window in (clerk, judge):
            window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
