"""Viewer fixtures: PDFs made with PyMuPDF, a shown ``PageView``, a spy on PyMuPDF documents."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pymupdf
import pytest
from pytestqt.qtbot import QtBot

from desktop.viewer import render_worker
from desktop.viewer.page_view import PageView
from tests.viewer.viewer_pdfs import numbered_pdf

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def pdf50() -> bytes:
    return numbered_pdf()


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[PageView]:
    widget = PageView(cache_bytes=64 * 1024 * 1024)
    widget.resize(600, 800)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close_document()


@pytest.fixture
def open_view(view: PageView, qtbot: QtBot, pdf50: bytes) -> PageView:
    """``view`` showing the 50-page PDF, page 1 painted sharp."""
    with qtbot.waitSignal(view.first_page_painted, timeout=10_000):
        view.open_bytes(pdf50)
    return view


class DocumentSpy:
    """Wraps every PyMuPDF document and page the worker opens and records which thread
    touched them; ``fail_pages`` makes loading those pages raise."""

    def __init__(self) -> None:
        self.threads: set[int] = set()
        self.loaded: list[int] = []
        self.fail_pages: set[int] = set()
        self.gate: threading.Event | None = None  # when set, page loads wait for it

    def record(self) -> None:
        self.threads.add(threading.get_ident())


class _Spied:
    def __init__(self, target: Any, spy: DocumentSpy) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_spy", spy)

    def __getattr__(self, name: str) -> Any:
        self._spy.record()
        value = getattr(self._target, name)
        if name == "load_page":
            return self._load_page
        return value

    def _load_page(self, number: int) -> Any:
        spy = self._spy
        spy.record()
        if spy.gate is not None:
            spy.gate.wait(10)
        spy.loaded.append(number)
        if number in spy.fail_pages:
            raise RuntimeError("broken content stream")
        return _Spied(self._target.load_page(number), spy)


@pytest.fixture
def document_spy(monkeypatch: pytest.MonkeyPatch) -> DocumentSpy:
    spy = DocumentSpy()
    real_open: Callable[..., Any] = pymupdf.open

    class SpiedMupdf:
        Matrix = pymupdf.Matrix

        @staticmethod
        def open(*args: Any, **kwargs: Any) -> Any:
            spy.record()
            return _Spied(real_open(*args, **kwargs), spy)

    monkeypatch.setattr(render_worker, "_MUPDF", SpiedMupdf)
    return spy
