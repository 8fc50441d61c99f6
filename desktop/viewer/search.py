"""Text search in one document: every hit found in chunks on the render worker, highlighted.

``SearchSession.start(query, match_case)`` searches the pages ``SEARCH_CHUNK`` at a time,
with at most ``IN_FLIGHT`` chunk jobs queued, each through ``PageView.submit_job`` (so on
the render worker's thread, after the pending renders: a page turn is never stuck behind a
search). The chunks start at the page on screen and wrap around, so the first hit shown is
the next one after where the reader is. Results are plain tuples (page, rectangles in page
points as displayed). A new search bumps ``generation``: the chunks queued or running see
it and stop, and their answers are ignored. All hits are painted by an overlay on the view,
the current one in a stronger colour; ``next()`` / ``previous()`` move through them in page
order, wrapping.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QTransform
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from desktop.viewer.page_view import PageView

SEARCH_CHUNK = 20
IN_FLIGHT = 2  # the next chunk waits queued while one runs: no idle gap
TYPING_PAUSE_MS = 300
Rect = tuple[float, float, float, float]
PageHits = list[tuple[int, list[Rect]]]

HIT_COLOUR = QColor(255, 226, 64)  # multiplied onto the page: black text stays black
CURRENT_COLOUR = QColor(255, 140, 0)


def _same_text(found: str, query: str, match_case: bool) -> bool:
    """Whether the text under a hit is (part of) the query, with the case asked for."""
    found = " ".join(found.split())
    wanted = " ".join(query.split())
    if not match_case:
        found, wanted = found.casefold(), wanted.casefold()
    return bool(found) and found in wanted


def search_pages(
    doc: Any, first: int, last: int, query: str, match_case: bool, alive: Callable[[], bool]
) -> tuple[int, int, PageHits]:
    """On the worker thread: the hits of ``query`` on pages ``first`` .. ``last - 1``.

    PyMuPDF's search ignores case; with ``match_case`` each hit's own text is checked.
    Rectangles are mapped through the page's /Rotate so they match ``page.rect``."""
    found: PageHits = []
    for number in range(first, last):
        if not alive():  # a newer search replaced this one
            break
        page = doc.load_page(number)
        rects = page.search_for(query)
        if match_case:
            rects = [r for r in rects if _same_text(page.get_textbox(r), query, True)]
        if not rects:
            continue
        if page.rotation:
            matrix = page.rotation_matrix
            rects = [r * matrix for r in rects]
        found.append((number, [(r.x0, r.y0, r.x1, r.y1) for r in rects]))
    return first, last, found


class SearchSession(QObject):
    """The search of one ``PageView``'s document; see the module docstring."""

    changed = Signal()  # hits, current hit or progress changed

    def __init__(self, view: PageView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.query = ""
        self.match_case = False
        self.generation = 0
        self.hits: dict[int, list[Rect]] = {}
        self.current: tuple[int, int] | None = None
        self.searched_pages = 0
        self.total_pages = 0
        self.running = False
        self._pages: list[int] = []  # pages with hits, sorted
        self._chunks: deque[tuple[int, int]] = deque()
        self._jobs: set[int] = set()
        self._failure: str | None = None
        view.job_done.connect(self._on_job_done)
        view.job_failed.connect(self._on_job_failed)
        view.add_overlay(self._paint)

    # --- driving -------------------------------------------------------------------

    def start(self, query: str, match_case: bool = False) -> None:
        """Replace any search with a search for ``query`` over the whole document."""
        self._clear()
        self.query, self.match_case = query, match_case
        pages = self.view.page_count()
        if query.strip() and pages:
            here = min(self.view.current_page(), pages - 1)
            starts = [*range(here, pages, SEARCH_CHUNK), *range(0, here, SEARCH_CHUNK)]
            for first in starts:
                self._chunks.append(
                    (first, min(first + SEARCH_CHUNK, here if first < here else pages))
                )
            self.total_pages = pages
            self.running = True
            self._submit_next()
        self.changed.emit()

    def cancel(self) -> None:
        """Stop searching and remove the highlights."""
        self._clear()
        self.query = ""
        self.changed.emit()

    def next(self) -> None:
        self._step(+1)

    def previous(self) -> None:
        self._step(-1)

    # --- state ---------------------------------------------------------------------

    def count(self) -> int:
        return sum(len(rects) for rects in self.hits.values())

    def ordinal(self) -> int:
        """The current hit's number in page order, 1-based (0 when none is current)."""
        if self.current is None:
            return 0
        page, index = self.current
        before = self._pages[: bisect_left(self._pages, page)]
        return sum(len(self.hits[p]) for p in before) + index + 1

    def current_rect(self) -> tuple[int, Rect] | None:
        if self.current is None:
            return None
        page, index = self.current
        return page, self.hits[page][index]

    def status_text(self) -> str:
        if self._failure is not None:
            return f"Search stopped: {self._failure}"
        if not self.query.strip():
            return ""
        count = self.count()
        if self.running:
            percent = round(100 * self.searched_pages / max(1, self.total_pages))
            found = f"{self.ordinal()} of {count}" if count else "no matches yet"
            return f"{found} (searching, {percent} %)"
        if not count:
            return "No matches"
        return f"{self.ordinal()} of {count}"

    # --- internals -----------------------------------------------------------------

    def _clear(self) -> None:
        self.generation += 1  # the chunk in flight stops and is ignored
        self._chunks.clear()
        self._jobs.clear()
        self._failure = None
        self.hits = {}
        self._pages = []
        self.current = None
        self.searched_pages = 0
        self.total_pages = 0
        self.running = False
        self.view.viewport().update()

    def _submit_next(self) -> None:
        while self._chunks and len(self._jobs) < IN_FLIGHT:
            first, last = self._chunks.popleft()
            job = partial(
                search_pages,
                first=first,
                last=last,
                query=self.query,
                match_case=self.match_case,
                alive=partial(self._is_generation, self.generation),
            )
            job_id = self.view.submit_job(job)
            if job_id < 0:  # the document was closed meanwhile
                self._chunks.clear()
                break
            self._jobs.add(job_id)
        self.running = bool(self._jobs)

    def _is_generation(self, generation: int) -> bool:
        """Asked by a chunk on the worker thread: is its search still the current one?"""
        return self.generation == generation

    def _on_job_done(self, job_id: int, result: object) -> None:
        if job_id not in self._jobs:
            return
        self._jobs.discard(job_id)
        assert isinstance(result, tuple)
        first, last, found = result
        self.searched_pages += last - first
        for page, rects in found:
            self.hits[page] = rects
        if found:
            self._pages = sorted(self.hits)
            if self.current is None:  # the first hit at or after the reader's page
                self.current = (found[0][0], 0)
                self._reveal()
            self.view.viewport().update()
        self._submit_next()
        self.changed.emit()

    def _on_job_failed(self, job_id: int, message: str) -> None:
        if job_id not in self._jobs:
            return
        self._jobs.clear()
        self._chunks.clear()
        self.generation += 1  # a chunk still queued stops at once
        self.running = False
        self._failure = message
        self.changed.emit()

    def _step(self, direction: int) -> None:
        if not self._pages:
            return
        if self.current is None:
            here = self.view.current_page()
            if direction > 0:
                at = bisect_left(self._pages, here) % len(self._pages)
                self.current = (self._pages[at], 0)
            else:
                at = bisect_right(self._pages, here) - 1
                page = self._pages[at]  # -1 wraps to the last page with hits
                self.current = (page, len(self.hits[page]) - 1)
        else:
            page, index = self.current
            index += direction
            if 0 <= index < len(self.hits[page]):
                self.current = (page, index)
            else:
                at = (self._pages.index(page) + direction) % len(self._pages)
                page = self._pages[at]
                self.current = (page, 0 if direction > 0 else len(self.hits[page]) - 1)
        self._reveal()
        self.view.viewport().update()
        self.changed.emit()

    def _reveal(self) -> None:
        found = self.current_rect()
        if found is not None:
            page, (x0, y0, x1, y1) = found
            self.view.reveal(page, QRectF(x0, y0, x1 - x0, y1 - y0))

    def _paint(self, painter: QPainter, page: int, _transform: QTransform) -> None:
        rects = self.hits.get(page)
        if not rects:
            return
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.setPen(Qt.PenStyle.NoPen)
        current = self.current[1] if self.current and self.current[0] == page else -1
        for index, (x0, y0, x1, y1) in enumerate(rects):
            colour = CURRENT_COLOUR if index == current else HIT_COLOUR
            painter.fillRect(QRectF(x0, y0, x1 - x0, y1 - y0), colour)


class _FindEdit(QLineEdit):
    """The find bar's text box: Enter / Shift+Enter step through the hits, Esc closes."""

    step = Signal(int)
    escape = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.step.emit(-1 if shift else +1)
        elif key == Qt.Key.Key_Escape:
            self.escape.emit()
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    """Ctrl+F's bar: the text, Match case, previous / next, "3 of 27", close (Esc).

    It drives the ``SearchSession`` of the document in front (``show_session``). Typing
    searches after a short pause; Enter searches at once, or goes to the next hit when the
    text has not changed."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find-bar")
        self.session: SearchSession | None = None
        self.edit = _FindEdit(self)
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip("Enter: next match, Shift+Enter: previous, Esc: close")
        self.match_case = QCheckBox("Match case", self)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("Previous")
        self.previous_button.setToolTip("Previous match (Shift+F3)")
        self.next_button = QToolButton(self)
        self.next_button.setText("Next")
        self.next_button.setToolTip("Next match (F3)")
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(220)
        close = QToolButton(self)
        close.setText("Close")
        close.setToolTip("Close the find bar (Esc)")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 6, 3)
        row.addWidget(QLabel("Find:", self))
        row.addWidget(self.edit, 1)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(self.match_case)
        row.addWidget(self.count_label)
        row.addWidget(close)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.search_now)
        self.edit.textEdited.connect(lambda _text: self._typing.start())
        self.edit.step.connect(self._on_step)
        self.edit.escape.connect(self.close_bar)
        self.match_case.toggled.connect(lambda _on: self.search_now())
        self.previous_button.clicked.connect(lambda: self.find_next(-1))
        self.next_button.clicked.connect(lambda: self.find_next(+1))
        close.clicked.connect(self.close_bar)
        self.hide()

    def show_session(self, session: SearchSession | None) -> None:
        """Drive ``session`` (the document in front) from now on."""
        if self.session is not None:
            self.session.changed.disconnect(self._refresh)
        self.session = session
        if session is not None:
            session.changed.connect(self._refresh)
            if session.query and session.query != self.edit.text():
                self.edit.setText(session.query)
        self._refresh()

    def open_bar(self, text: str = "") -> None:
        self.show()
        if text:
            self.edit.setText(text)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self._typing.stop()
        if self.session is not None:
            self.session.cancel()
            self.session.view.setFocus()
        self.hide()
        self.closed.emit()

    def search_now(self) -> None:
        self._typing.stop()
        if self.session is not None:
            self.session.start(self.edit.text(), self.match_case.isChecked())

    def find_next(self, direction: int = +1) -> None:
        """Next (or previous) hit; searches first if the text or Match case changed."""
        session = self.session
        if session is None:
            return
        if self.isHidden():
            self.show()
        stale = session.query != self.edit.text() or (
            session.match_case != self.match_case.isChecked()
        )
        if stale or self._typing.isActive():
            self.search_now()
        elif direction > 0:
            session.next()
        else:
            session.previous()

    def _on_step(self, direction: int) -> None:
        self.find_next(direction)

    def _refresh(self) -> None:
        session = self.session
        self.count_label.setText("" if session is None else session.status_text())
        has_hits = session is not None and session.count() > 0
        self.previous_button.setEnabled(has_hits)
        self.next_button.setEnabled(has_hits)
