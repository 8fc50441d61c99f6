"""``ecas-desktop open FILE.pdf [--screenshot OUT.png]``: a local PDF in the viewer, no server.

With ``--screenshot`` the window is drawn offscreen, saved as a PNG once the first page is
painted, and the command exits 0; a file the viewer refuses prints why and exits 1. This is
for IT checks and support ("does this machine render this file?").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SCREENSHOT_SIZE = (1000, 800)
TIMEOUT_MS = 30_000


def run_open(path: Path, screenshot: Path | None) -> int:
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import NO_DISPLAY, has_display

    if not path.is_file():
        print(f"No such file: {path}", file=sys.stderr)
        return 1
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.paths import APP_NAME, ORGANISATION
    from desktop.settings import VIEWER_CACHE_MB, Settings
    from desktop.viewer.viewer_window import ViewerWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)
    from desktop.viewer.viewer_memory import ViewerMemory

    settings = Settings()
    window = ViewerWindow(
        cache_bytes=int(settings.value(VIEWER_CACHE_MB)) * 1024 * 1024,
        # a screenshot is made at a fixed size, the same on every run: nothing remembered
        memory=None if screenshot is not None else ViewerMemory(settings.user_scope()),
    )
    if screenshot is not None:
        window.resize(*SCREENSHOT_SIZE)
    # No server: annotations stay in a local file per PDF (by SHA-256) in the data dir.
    from desktop.annotation_store import local_author_id
    from desktop.viewer.annotation_window import install_annotations, local_store_for

    install_annotations(window, local_store_for(), local_author_id())
    from desktop.ui.help_window import FileViewerHelp

    window.file_help = FileViewerHelp(window)  # type: ignore[attr-defined]  # F1, About
    outcome: list[int] = []

    def finish(code: int, message: str) -> None:
        if outcome:
            return
        outcome.append(code)
        print(message, file=sys.stderr if code else sys.stdout)
        window.close()
        app.quit()

    def save() -> None:
        if window.grab().save(str(screenshot), "PNG"):
            finish(0, f"Saved the first screen of {path} to {screenshot}")
        else:
            finish(1, f"Could not write {screenshot}")

    window.view.failed.connect(lambda message: finish(1, f"{path}: {message}"))
    if screenshot is not None:
        # Not from inside the paint that announced it: grabbing repaints the window.
        window.view.first_page_painted.connect(lambda: QTimer.singleShot(0, save))
        QTimer.singleShot(TIMEOUT_MS, lambda: finish(1, f"{path}: no page painted in time"))
    window.show()
    window.open_path(path)
    app.exec()
    return outcome[0] if outcome else 0
