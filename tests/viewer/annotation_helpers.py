"""Helpers for the annotation tests: a PDF with lines of text, a layer on a shown view,
pointer drags in page points."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pymupdf
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from desktop.viewer.annotation_layer import AnnotationLayer
from desktop.viewer.page_view import PageView

LINES = (
    "The respondent entered the United States in 2019.",
    "Alien registration number SECRET-A123 appears here.",
    "The court finds the testimony credible and consistent.",
)
LINE_Y = (100.0, 130.0, 160.0)  # baselines of LINES on every page
FONT_SIZE = 12


def text_pdf(pages: int = 3) -> bytes:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=612, height=792)
        for text, y in zip(LINES, LINE_Y, strict=True):
            page.insert_text((72, y), text, fontsize=FONT_SIZE)
        page.insert_text((72, 700), f"Page {number + 1}", fontsize=FONT_SIZE)
    return bytes(doc.tobytes())


def viewport_point(view: PageView, page: int, x: float, y: float) -> QPoint:
    transform = view.page_transform(page)
    assert transform is not None
    return transform.map(QPointF(x, y)).toPoint()


def drag(
    qtbot: QtBot, view: PageView, page: int, start: tuple[float, float], end: tuple[float, float]
) -> None:
    """Press at ``start``, move in steps, release at ``end`` (page points)."""
    target = view.viewport()
    a = viewport_point(view, page, *start)
    b = viewport_point(view, page, *end)
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=a)
    for step in range(1, 6):
        point = a + (b - a) * (step / 5)
        qtbot.mouseMove(target, point)
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=b)


def click(qtbot: QtBot, view: PageView, page: int, x: float, y: float) -> None:
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point(view, page, x, y)
    )


def wait_saved(qtbot: QtBot, layer: AnnotationLayer) -> None:
    qtbot.waitUntil(layer.idle, timeout=10_000)


def wait_words(qtbot: QtBot, layer: AnnotationLayer, page: int) -> None:
    layer.text.words(page)
    qtbot.waitUntil(lambda: layer.text.words(page) is not None, timeout=10_000)


@contextmanager
def answers(layer: AnnotationLayer, *replies: str | None) -> Iterator[list[str]]:
    """Answer the layer's prompts with ``replies``, in order; yields the questions asked."""
    asked: list[str] = []
    queue = list(replies)

    def prompt(title: str, label: str, text: str) -> str | None:
        asked.append(title)
        return queue.pop(0)

    old = layer.prompt
    layer.prompt = prompt
    try:
        yield asked
    finally:
        layer.prompt = old


def some_id() -> str:
    return str(uuid.uuid4())


def write_pdf(tmp_path: Path, data: bytes, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
