"""The render worker: one thread owns the document; stale requests are dropped."""

from __future__ import annotations

import threading
from typing import Any

from pytestqt.qtbot import QtBot

from desktop.viewer.page_view import PageView
from desktop.viewer.render_worker import RenderKey, RenderWorker
from tests.viewer.conftest import DocumentSpy


def test_only_the_worker_thread_touches_the_document(
    document_spy: DocumentSpy, view: PageView, qtbot: QtBot, pdf50: bytes
) -> None:
    with qtbot.waitSignal(view.first_page_painted, timeout=10_000):
        view.open_bytes(pdf50)
    for page in (10, 30, 49, 0):
        view.go_to_page(page)
        qtbot.waitUntil(lambda p=page: p in view.sharp_pages, timeout=10_000)  # type: ignore[misc]
    view.rotate(90)
    qtbot.waitUntil(lambda: 0 in view.sharp_pages, timeout=10_000)
    view.close_document()
    assert document_spy.loaded, "the spy saw no page loads"
    assert len(document_spy.threads) == 1
    assert threading.get_ident() not in document_spy.threads


def test_a_document_access_off_its_thread_fails(qtbot: QtBot, pdf50: bytes) -> None:
    worker = RenderWorker()
    with qtbot.waitSignal(worker.opened, timeout=10_000):
        worker.open_document(pdf50)
    try:
        try:
            worker._document()  # from the GUI thread: must be refused
        except AssertionError as err:
            assert "off its thread" in str(err)
        else:
            raise AssertionError("the GUI thread reached the document")
    finally:
        worker.shutdown()


def test_requests_no_longer_wanted_are_skipped(
    document_spy: DocumentSpy, qtbot: QtBot, pdf50: bytes
) -> None:
    worker = RenderWorker(max_pending=2)
    rendered: list[int] = []
    worker.rendered.connect(lambda _ident, key, _image: rendered.append(key.page))
    with qtbot.waitSignal(worker.opened, timeout=10_000):
        worker.open_document(pdf50)
    try:
        worker.want([RenderKey(0, 1.0, 0, 1.0)])
        qtbot.waitUntil(lambda: worker._measured, timeout=10_000)  # then it measured the rest
        rendered.clear()
        document_spy.loaded.clear()
        document_spy.gate = gate = threading.Event()
        worker.want([RenderKey(1, 1.0, 0, 1.0)])
        qtbot.waitUntil(lambda: not worker.pending())  # the worker is busy with page 2
        for page in range(2, 50):  # the user scrolls fast through the rest
            worker.want([RenderKey(page, 1.0, 0, 1.0)])
        gate.set()
        qtbot.waitUntil(lambda: rendered == [1, 49], timeout=10_000)
    finally:
        if document_spy.gate is not None:
            document_spy.gate.set()
        worker.shutdown()
    assert document_spy.loaded == [1, 49]


def test_a_page_that_fails_is_a_placeholder_and_the_rest_works(
    document_spy: DocumentSpy, view: PageView, qtbot: QtBot, pdf50: bytes
) -> None:
    document_spy.fail_pages = {1}
    with qtbot.waitSignal(view.first_page_painted, timeout=10_000):
        view.open_bytes(pdf50)
    view.go_to_page(1)
    qtbot.waitUntil(lambda: 1 in view._failed_pages, timeout=10_000)
    view.go_to_page(2)
    qtbot.waitUntil(lambda: 2 in view.sharp_pages, timeout=10_000)
    assert "could not be shown" in view._failed_pages[1]


def test_jobs_run_with_the_document_on_the_worker_thread(qtbot: QtBot, pdf50: bytes) -> None:
    """``submit`` runs a job with the document on the worker's own thread; a failing job
    is answered with its message and the worker goes on."""
    worker = RenderWorker()
    try:
        with qtbot.waitSignal(worker.opened, timeout=5000):
            worker.open_document(pdf50)
        threads: list[int] = []

        def count_pages(doc: Any) -> int:
            threads.append(threading.get_ident())
            return sum(1 for _page in doc)

        def broken(doc: Any) -> int:
            raise ValueError("this job fails")

        with qtbot.waitSignal(worker.job_done, timeout=5000) as done:
            job_id = worker.submit(count_pages)
        assert done.args == [worker.ident, job_id, 50]
        assert threads and threads[0] != threading.get_ident()
        with qtbot.waitSignal(worker.job_failed, timeout=5000) as failed:
            bad_id = worker.submit(broken)
        assert failed.args[1] == bad_id and "this job fails" in failed.args[2]
        with qtbot.waitSignal(worker.job_done, timeout=5000) as again:
            worker.submit(count_pages)
        assert again.args[2] == 50
    finally:
        worker.shutdown()
