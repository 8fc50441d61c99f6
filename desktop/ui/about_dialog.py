"""Help > About: this program's version and the server's, asked off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from common.version import ecas_version
from desktop.tasks import run_task

NOT_REACHABLE = "server: not reachable"


class AboutDialog(QDialog):
    """``server_version`` runs on a worker (it asks the server); its answer, or "not
    reachable" when it raises, replaces "asking…" on the GUI thread. Without one (offline,
    or a file opened on its own) the dialog says ``no_server``."""

    def __init__(
        self,
        server_version: Callable[[], str] | None,
        server_url: str = "",
        parent: QWidget | None = None,
        no_server: str = NOT_REACHABLE,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About ECAS")
        title = QLabel("<b>ECAS Desktop</b> — the immigration courts' case system")
        self.version = QLabel(f"version {ecas_version()}")
        self.server = QLabel("server: asking…" if server_version else no_server)
        self.server.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.server.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (title, self.version, self.server):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        where = f" at {server_url}" if server_url else ""
        if server_version is not None:
            run_task(
                server_version,
                lambda v: self.server.setText(f"server{where}: version {v}"),
                lambda _err: self.server.setText(NOT_REACHABLE),
                parent=self,
            )
