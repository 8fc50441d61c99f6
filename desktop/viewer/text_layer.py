"""The words of each page, with their boxes, and what a drag between two points selects.

Words come from the render worker's thread (``PageView.submit_job``) as plain tuples, one
page per job, and are cached per page; nothing here keeps a PyMuPDF object. Selection is
in reading order (PyMuPDF's block / line / word numbers) from the word nearest the press
to the word nearest the release, on one page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, Signal

Rect = tuple[float, float, float, float]


class Word(NamedTuple):
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    block: int
    line: int


@dataclass(frozen=True)
class TextSelection:
    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        lines: list[list[str]] = []
        last: tuple[int, int] | None = None
        for word in self.words:
            if (word.block, word.line) != last:
                lines.append([])
                last = (word.block, word.line)
            lines[-1].append(word.text)
        return "\n".join(" ".join(line) for line in lines)

    @property
    def quads(self) -> list[Rect]:
        """One box per line of the selection."""
        boxes: dict[tuple[int, int], list[float]] = {}
        for w in self.words:
            box = boxes.get((w.block, w.line))
            if box is None:
                boxes[(w.block, w.line)] = [w.x0, w.y0, w.x1, w.y1]
            else:
                box[0], box[1] = min(box[0], w.x0), min(box[1], w.y0)
                box[2], box[3] = max(box[2], w.x1), max(box[3], w.y1)
        return [(b[0], b[1], b[2], b[3]) for b in boxes.values()]


def words_job(page: int) -> Callable[[Any], tuple[int, list[Word]]]:
    """A job for the render worker: the words of ``page`` as plain values."""

    def job(doc: Any) -> tuple[int, list[Word]]:
        raw = doc.load_page(page).get_text("words", sort=False)
        words = [
            Word(
                float(w[0]), float(w[1]), float(w[2]), float(w[3]), str(w[4]), int(w[5]), int(w[6])
            )
            for w in raw
        ]
        return page, words

    return job


def _distance(word: Word, x: float, y: float) -> float:
    dx = max(word.x0 - x, 0.0, x - word.x1)
    dy = max(word.y0 - y, 0.0, y - word.y1)
    return dx * dx + 4 * dy * dy  # a word on the same line beats one just above or below


def nearest(words: Sequence[Word], x: float, y: float) -> int | None:
    if not words:
        return None
    return min(range(len(words)), key=lambda i: _distance(words[i], x, y))


def select_between(
    page: int, words: Sequence[Word], start: tuple[float, float], end: tuple[float, float]
) -> TextSelection | None:
    first = nearest(words, *start)
    last = nearest(words, *end)
    if first is None or last is None:
        return None
    if first > last:
        first, last = last, first
    return TextSelection(page, tuple(words[first : last + 1]))


class TextLayer(QObject):
    """Asks the view's worker for each page's words once and keeps them."""

    words_ready = Signal(int)  # page

    def __init__(self, view: Any, parent: QObject | None = None) -> None:
        super().__init__(parent or view)
        self._view = view
        self._words: dict[int, list[Word]] = {}
        self._asked: dict[int, int] = {}  # job id -> page
        view.job_done.connect(self._on_done)
        view.job_failed.connect(self._on_failed)

    def words(self, page: int) -> list[Word] | None:
        """The page's words if known; otherwise asks for them and returns None."""
        found = self._words.get(page)
        if found is None and page not in self._asked.values():
            job_id = self._view.submit_job(words_job(page))
            if job_id >= 0:
                self._asked[job_id] = page
        return found

    def clear(self) -> None:
        self._words.clear()
        self._asked.clear()

    def _on_done(self, job_id: int, result: object) -> None:
        page = self._asked.pop(job_id, None)
        if page is None or not isinstance(result, tuple):
            return
        self._words[page] = list(result[1])
        self.words_ready.emit(page)

    def _on_failed(self, job_id: int, _message: str) -> None:
        page = self._asked.pop(job_id, None)
        if page is not None:
            self._words[page] = []  # an unreadable text layer: nothing to select
