"""One open document in the viewer: its ``PageView``, its identity and its per-document state.

A ``DocumentPane`` is what a viewer tab holds. Its identity (``document_id``, ``sha256``,
``title``, ``source_path``) is set when a document is opened into it; an empty pane (no
document yet, ``sha256 == ""``) shows a hint instead of the page view. Per-document state
that follows the pane from tab to tab and side to side lives here too: the text search
(``search``), the thumbnails (``thumbnails``) and the outline (``outline``), all of which
read the document only through ``view.submit_job`` on the render worker's thread.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from desktop.viewer.outline import OutlineModel
from desktop.viewer.page_view import DEFAULT_CACHE_BYTES, PageView
from desktop.viewer.search import SearchSession
from desktop.viewer.thumbnails import ThumbnailModel

EMPTY_HINT = "No document here.\nOpen one with File > Open (Ctrl+O)."
_HASH_CHUNK = 1024 * 1024


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class DocumentPane(QWidget):
    """A page view and the identity of the document it shows (see the module docstring)."""

    def __init__(
        self, parent: QWidget | None = None, *, cache_bytes: int = DEFAULT_CACHE_BYTES
    ) -> None:
        super().__init__(parent)
        self.view = PageView(self, cache_bytes=cache_bytes)
        self.document_id: str | None = None
        self.sha256 = ""
        self.title = ""
        self.a_number = ""  # the case's, for the window title ("" for a file from disk)
        self.source_path: Path | None = None
        self._data: bytes | None = None
        self.search = SearchSession(self.view, self)
        self.thumbnails = ThumbnailModel(self.view, self)
        self.outline = OutlineModel(self.view, self)
        self._hint = QLabel(EMPTY_HINT, self)
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setWordWrap(True)
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._stack.addWidget(self._hint)
        self._stack.addWidget(self.view)
        self.setFocusProxy(self.view)

    def is_empty(self) -> bool:
        return not self.sha256

    def open_path(
        self,
        path: str | Path,
        expected_sha256: str | None = None,
        *,
        title: str | None = None,
        document_id: str | None = None,
        file_hash: str | None = None,
    ) -> None:
        """Show the PDF at ``path``; with ``expected_sha256``, only if the file matches it.
        ``file_hash``: the file's SHA-256 when the caller has just computed it."""
        path = Path(path)
        try:
            digest = expected_sha256 or file_hash or file_sha256(path)
        except OSError:
            digest = ""  # the view reports the unreadable file
        self._identify(title or path.name, digest, document_id, path, None)
        self.view.open_path(path, expected_sha256)

    def open_bytes(
        self,
        data: bytes,
        title: str,
        expected_sha256: str | None = None,
        *,
        document_id: str | None = None,
    ) -> None:
        data = bytes(data)
        digest = expected_sha256 or hashlib.sha256(data).hexdigest()
        self._identify(title, digest, document_id, None, data)
        self.view.open_bytes(data, expected_sha256)

    def document_bytes(self) -> bytes:
        """The document's bytes, for work on another thread with its own Document (print).

        Raises ``OSError`` if the file behind the pane can no longer be read."""
        if self._data is not None:
            return self._data
        if self.source_path is None:
            raise OSError("no document is open")
        return self.source_path.read_bytes()

    def close_document(self) -> None:
        """End the search and the render worker (its thread ends with it)."""
        self.search.cancel()
        self.thumbnails.reset()
        self.outline.reset()
        self.view.close_document()

    def _identify(
        self,
        title: str,
        sha256: str,
        document_id: str | None,
        path: Path | None,
        data: bytes | None,
    ) -> None:
        self.search.cancel()
        self.thumbnails.reset()
        self.outline.reset()
        self.title = title
        self.sha256 = sha256 or "unreadable"
        self.document_id = document_id
        self.a_number = ""
        self.source_path = path
        self._data = data
        self._stack.setCurrentWidget(self.view)
