"""Starting the desktop window: sign in (or resume from the keyring), then the main window."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.doc_cache import DocumentCache
from desktop.paths import APP_NAME, ORGANISATION, cache_dir, store_path
from desktop.services.session import SignedIn, resume, resume_silently
from desktop.services.sync_controller import SyncController
from desktop.settings import (
    CA_BUNDLE,
    CACHE_MB,
    LAST_USERNAME,
    PREFETCH_DAYS,
    SERVER_URL,
    SYNC_INTERVAL,
    Settings,
)
from desktop.sync_engine import CATCH_UP_PAGE, SyncEngine

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

NO_DISPLAY = (
    "No display was found, so the ECAS window can't open here. Run it in a desktop "
    "session. Without a display you can still run one sync with "
    "`ecas-desktop sync --server URL --username NAME`, or check the installation with "
    "`ecas-desktop --self-test`."
)


def has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _sign_in(settings: Settings, signed_out: str | None = None) -> SignedIn | None:
    """The session to open: resumed from the keyring, or from the sign-in window. Right
    after a sign-out (``signed_out`` is what to tell the person) the window is shown."""
    from desktop.ui.sign_in_dialog import SignInDialog

    server, username = str(settings.value(SERVER_URL)), str(settings.value(LAST_USERNAME))
    verify: bool | str = str(settings.value(CA_BUNDLE)) or True
    if username and signed_out is None:
        resumed = resume(server, username, verify=verify)
        if resumed is not None:
            return resumed
    dialog = SignInDialog(settings, message=signed_out or "")
    return dialog.result_session if dialog.exec() else None


def run_gui() -> int:
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)
    settings = Settings()
    signed_out: list[str] = []
    while True:
        session = _sign_in(settings, signed_out[-1] if signed_out else None)
        if session is None:
            return 0
        window = _open_main_window(settings, session)
        signed_out.clear()
        window.signed_out.connect(signed_out.append)
        app.exec()
        if not signed_out:
            return 0  # the window was closed: quit; after signing out, ask again


def _encrypt_plain_documents(cache: DocumentCache) -> None:
    """Seal the documents an older version cached in clear, with a progress window when
    there are any (once, at the first start with encryption)."""
    from PySide6.QtWidgets import QProgressDialog

    plain = cache.plain_files()
    if not plain:
        return
    dialog = QProgressDialog("Encrypting the documents kept on this computer…", "", 0, len(plain))
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(500)

    def progress(_phase: str, done: int, _total: int) -> None:
        dialog.setValue(done)
        QApplication.processEvents()

    cache.encrypt_plain_files(progress)
    dialog.close()


def _open_main_window(settings: Settings, session: SignedIn) -> MainWindow:
    from desktop.ui.context import DesktopContext
    from desktop.ui.main_window import MainWindow

    username = str(session.user.get("username", "user"))
    folder = cache_dir() / "documents" / store_path(session.client.base_url, username).stem
    cache = DocumentCache(
        session.store, folder, int(settings.value(CACHE_MB)) * 1024 * 1024, session.cache_key
    )
    _encrypt_plain_documents(cache)
    engine = SyncEngine(
        session.client,
        session.store,
        catch_up_page_size=CATCH_UP_PAGE,
        cache=cache,
        prefetch_days=int(settings.value(PREFETCH_DAYS)),
    )
    # Without a server session (an offline start, or one the server ends later), the
    # controller signs in again with the keyring's token when it can, or asks once.
    controller = SyncController(
        engine,
        int(settings.value(SYNC_INTERVAL)),
        reauthenticate=lambda: resume_silently(session),
    )
    window = MainWindow(DesktopContext(settings, session, controller, cache=cache))
    window.show()
    if session.notice and not session.online:
        QMessageBox.information(window, "Working offline", session.notice)
    controller.sync_now()
    return window
