"""The render worker: one thread that owns one ``pymupdf.Document`` and renders its pages.

PyMuPDF is not thread-safe, so the document is opened, read, rendered and closed on the
worker's own ``QThread`` and nowhere else; every access goes through ``_document()``, which
asserts that. The view talks to the worker in three ways:

- ``open_document(source, expected_sha256)``: queued to the worker thread; answered by
  ``opened(sizes)`` or ``failed(message)``. ``opened`` comes twice: first at once, every
  page guessed the size of page 1 (so page 1 can be shown without waiting); then, when the
  worker has measured every page between renders, with the real sizes.
- ``want(keys)``: called on the GUI thread; *replaces* the pending requests with ``keys``
  (most wanted first, at most ``max_pending``), so pages scrolled past are never rendered.
  Answered per key by ``rendered(key, image)`` or ``render_failed(key, message)``; the
  receiver calls ``answered(key)`` so the key may be asked for again. Every answer carries
  the worker's ``ident`` first. Page sizes are measured after the first render, in chunks
  between renders, so they never delay a page the user is waiting for.
- ``submit(job)``: called on the GUI thread; runs ``job(document)`` on the worker thread
  after the pending renders (rendering what the user looks at always comes first), for
  text, search, outline and thumbnail work. Returns a job id; answered by
  ``job_done(ident, job_id, result)`` or ``job_failed(ident, job_id, message)``. Keep a job
  short (a few pages' worth) and submit long work in chunks, so a render is never stuck
  behind it; ``discard_jobs()`` drops the jobs not yet started. ``result`` must not hold
  PyMuPDF objects: copy out plain values.
- ``shutdown()``: closes the document on the worker thread and ends the thread.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pymupdf
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage

from desktop.viewer.document_check import DAMAGED, DocumentRefused, check_opened, check_sha256

# PyMuPDF has no type hints for most of its API.
_MUPDF: Any = pymupdf
LETTER = (612.0, 792.0)
SWITCH_INTERVAL = 0.001
MEASURE_CHUNK = 50  # pages measured between two renders: well under a millisecond


def share_the_gil_often() -> None:
    """Let the GUI thread take the GIL back within ~1 ms while the worker renders.

    CPython hands the GIL to a waiting thread only every ``sys.getswitchinterval()``
    (5 ms by default); with a busy render thread that delay lands on every paint and key
    press. Measured on the benchmark: first page painted ~25 ms -> ~12 ms.
    """
    if sys.getswitchinterval() > SWITCH_INTERVAL:
        sys.setswitchinterval(SWITCH_INTERVAL)


class RenderKey(NamedTuple):
    """One rendering of one page: ``zoom`` is points to logical pixels, ``rotation`` the
    view's rotation in degrees (0, 90, 180, 270), ``dpr`` the screen's device pixel ratio."""

    page: int
    zoom: float
    rotation: int
    dpr: float


def open_source(source: bytes | Path, expected_sha256: str | None) -> Any:
    """Open ``source`` as a ``pymupdf.Document`` after the integrity checks.

    Raises ``DocumentRefused`` with the user's message. Call on the owning thread only.
    """
    data = source if isinstance(source, bytes) else None
    if expected_sha256 is not None and isinstance(source, Path):
        data = source.read_bytes()
    if data is not None:
        check_sha256(data, expected_sha256)
    try:
        if data is not None:
            doc = _MUPDF.open(stream=data, filetype="pdf")
        else:
            doc = _MUPDF.open(str(source), filetype="pdf")
    except (RuntimeError, ValueError) as err:  # FileDataError is a RuntimeError
        raise DocumentRefused(DAMAGED) from err
    try:
        check_opened(doc)
    except DocumentRefused:
        doc.close()
        raise
    return doc


class RenderWorker(QObject):
    """Owns one document on its own thread; see the module docstring for the protocol."""

    # Each answer starts with the worker's ``ident``, so a view can drop a previous
    # document's late answers (PySide6 6.12's ``QObject.sender()`` miscounts references).
    opened = Signal(int, object)  # ident, list[(width, height)]: page sizes in points
    failed = Signal(int, str)  # ident, message
    rendered = Signal(int, object, object)  # ident, RenderKey, QImage
    render_failed = Signal(int, object, str)  # ident, RenderKey, message
    job_done = Signal(int, int, object)  # ident, job id, result
    job_failed = Signal(int, int, str)  # ident, job id, message
    _open_requested = Signal(object, str)  # source, expected sha256 or ""
    _wake = Signal()
    _close_requested = Signal()

    _next_ident = 0

    def __init__(self, max_pending: int = 8) -> None:
        super().__init__()
        share_the_gil_often()
        RenderWorker._next_ident += 1
        self.ident = RenderWorker._next_ident
        self.max_pending = max_pending
        self._lock = threading.Lock()
        self._pending: deque[RenderKey] = deque()
        self._taken: set[RenderKey] = set()  # popped, answer not yet seen by the receiver
        self._jobs: deque[tuple[int, Callable[[Any], object]]] = deque()
        self._next_job = 0
        self._wake_posted = False
        self._closing = False
        self._doc: Any = None
        self._sizes: list[tuple[float, float]] = []
        self._guessed = LETTER
        self._measured = False
        self._rendered_once = False
        self._owner: int | None = None
        self._thread = QThread()
        self._thread.setObjectName("ecas-page-render")
        self.moveToThread(self._thread)
        self._open_requested.connect(self._open)
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._close_requested.connect(self._close)
        self._thread.start()

    # --- called from the GUI thread -------------------------------------------------

    def open_document(self, source: bytes | Path, expected_sha256: str | None = None) -> None:
        # The signal is typed str: "" stands for "no hash to check".
        self._open_requested.emit(source, expected_sha256 or "")

    def want(self, keys: list[RenderKey]) -> None:
        """Replace the pending requests with ``keys`` (most wanted first)."""
        with self._lock:
            if self._closing:
                return
            fresh = [key for key in dict.fromkeys(keys) if key not in self._taken]
            self._pending = deque(fresh[: self.max_pending])
            post = bool(self._pending) and not self._wake_posted
            self._wake_posted = self._wake_posted or post
        if post:
            self._wake.emit()

    def submit(self, job: Callable[[Any], object]) -> int:
        """Queue ``job(document)`` for the worker thread; returns its job id."""
        with self._lock:
            if self._closing:
                return -1
            self._next_job += 1
            job_id = self._next_job
            self._jobs.append((job_id, job))
            post = not self._wake_posted
            self._wake_posted = True
        if post:
            self._wake.emit()
        return job_id

    def discard_jobs(self) -> None:
        """Drop the jobs that have not started yet (they are never answered)."""
        with self._lock:
            self._jobs.clear()

    def answered(self, key: RenderKey) -> None:
        with self._lock:
            self._taken.discard(key)

    def pending(self) -> list[RenderKey]:
        with self._lock:
            return list(self._pending)

    def shutdown(self) -> None:
        """Close the document on its thread and wait for the thread to end."""
        with self._lock:
            self._closing = True
            self._pending.clear()
            self._jobs.clear()
        if self._thread.isRunning():
            self._close_requested.emit()
            self._thread.wait()

    # --- on the worker thread -------------------------------------------------------

    def _document(self) -> Any:
        """The document; asserts that the caller is the thread that opened it."""
        assert self._owner == threading.get_ident(), "PyMuPDF document used off its thread"
        return self._doc

    @Slot(object, str)
    def _open(self, source: bytes | Path, expected_sha256: str) -> None:
        self._owner = threading.get_ident()
        try:
            self._doc = open_source(source, expected_sha256 or None)
            doc = self._document()
            first = doc.load_page(0).rect if doc.page_count else None
        except DocumentRefused as err:
            self._doc = None
            self.failed.emit(self.ident, str(err))
            return
        except (OSError, RuntimeError, ValueError) as err:
            self._doc = None
            self.failed.emit(self.ident, f"This file can't be opened: {err}")
            return
        size = (float(first.width), float(first.height)) if first is not None else LETTER
        self._sizes = []
        self._guessed = size
        # The rest are measured after the first render, between renders (see _drain).
        self.opened.emit(self.ident, [size] * doc.page_count)

    def _measure_some(self) -> None:
        """Measure the next ``MEASURE_CHUNK`` pages; announce all sizes after the last."""
        doc = self._document()
        sizes = self._sizes
        for number in range(len(sizes), min(doc.page_count, len(sizes) + MEASURE_CHUNK)):
            try:
                rect = doc.load_page(number).rect
                sizes.append((float(rect.width), float(rect.height)))
            except (RuntimeError, ValueError):  # a broken page: its placeholder, sized
                sizes.append(sizes[-1] if sizes else self._guessed)  # like its neighbour
        if len(sizes) == doc.page_count:
            self._measured = True
            if any(size != self._guessed for size in sizes):
                self.opened.emit(self.ident, list(sizes))

    @Slot()
    def _drain(self) -> None:
        while True:
            job = None
            with self._lock:
                measure = not (self._pending or self._measured) and self._rendered_once
                if self._closing or not (self._pending or self._jobs or measure):
                    self._wake_posted = False
                    return
                key: RenderKey | None = None
                if self._pending:
                    key = self._pending.popleft()
                    self._taken.add(key)
                elif self._jobs:
                    job = self._jobs.popleft()
            if job is not None:
                self._run_job(*job)
                continue
            if key is None:
                self._measure_some()
                continue
            try:
                image = self._render(key)
            except Exception as err:  # a broken page must not stop the others
                message = f"Page {key.page + 1} could not be shown: {err}"
                self.render_failed.emit(self.ident, key, message)
            else:
                self.rendered.emit(self.ident, key, image)
            self._rendered_once = True

    def _run_job(self, job_id: int, job: Callable[[Any], object]) -> None:
        try:
            if self._doc is None:
                raise RuntimeError("no document is open")
            result = job(self._document())
        except Exception as err:  # a failing job must not stop the worker
            self.job_failed.emit(self.ident, job_id, str(err) or type(err).__name__)
        else:
            self.job_done.emit(self.ident, job_id, result)

    def _render(self, key: RenderKey) -> QImage:
        doc = self._document()
        if doc is None:
            raise RuntimeError("no document is open")
        scale = key.zoom * key.dpr
        matrix = _MUPDF.Matrix(scale, scale).prerotate(key.rotation)
        pix = doc.load_page(key.page).get_pixmap(matrix=matrix, alpha=False)
        rgb = QImage(pix.samples_mv, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
        # A 32-bit copy: it owns its pixels (none of PyMuPDF's memory) and paints fast.
        image = rgb.convertToFormat(QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(key.dpr)
        return image

    @Slot()
    def _close(self) -> None:
        if self._doc is not None:
            self._document().close()
            self._doc = None
        self._thread.quit()
