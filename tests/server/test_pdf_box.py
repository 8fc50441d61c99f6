"""Untrusted PDFs are opened in a box: hostile uploads through a real server's upload
paths (the API's resumable blob upload and the portal's eFiling) are refused with their
reason, the server process's memory stays flat, and other clients are answered while a
check runs.

The server runs in a thread of this process (werkzeug, threaded) so its memory is this
process's memory; the bombs are built before the baseline is taken. The box's limits are
small here (200 MB, 5 CPU seconds) so each bomb is refused in a few seconds.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from common import pdf_box
from common.enums import Role
from common.pdf_preflight import TOO_COMPLEX_MESSAGE, PreflightCode
from sync_server.app import create_app
from sync_server.demo.seed import seed_demo
from tests import pdf_factory
from tests.conftest import DEMO_PASSWORD, SEED_DAY, Api, make_database, server_config
from tests.portal.portal_flows import appearance_form, clerk_accepts
from tests.portal.portal_helpers import (
    Browser,
    a_case_at,
    csrf_of,
    register_and_approve,
    sign_in_enrolling,
    user_row,
)

# What the server process may grow by while it takes a bomb and answers the sign-in made
# meanwhile (whose argon2id hash takes 64 MiB while it runs). Parsed in the server, the
# object-stream bomb alone asks for ~800 MB (the box stops it at 200 MB).
RSS_BOUND_MB = 100
UPLOADS = "/api/v1/blobs/uploads"


@dataclass
class ThreadedServer:
    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture(scope="module")
def boxed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedServer]:
    """A small seeded server with small box limits, served on loopback from a thread."""
    folder = tmp_path_factory.mktemp("pdf-box")
    with make_database("sqlite", folder) as url:
        config = server_config(
            url,
            folder,
            pdf_check_memory_mb=200,
            pdf_check_cpu_seconds=5,
            pdf_check_wall_seconds=30.0,
            pdf_checks_at_once=4,
        )
        app = create_app(config)
        services = app.extensions["ecas"]
        seed_demo(
            services.factory,
            services.blobs.store,
            services.blobs.staging,
            cases=3,
            password=DEMO_PASSWORD,
            today=SEED_DAY,
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield ThreadedServer(app, server, thread)
        finally:
            server.shutdown()
            thread.join()
            services.engine.dispose()


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@dataclass
class RssWatch:
    """Samples this process's resident memory until stopped; ``peak`` is the most seen."""

    baseline: float = field(default_factory=_rss_mb)
    peak: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.peak = self.baseline
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_mb())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak - self.baseline


def _checkers() -> list[int]:
    """The checker processes the box's zygote has forked and not yet reaped."""
    process = pdf_box._ZYGOTE._process  # the test looks inside the box
    if process is None:
        return []
    task = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    try:
        return [int(pid) for pid in task.read_text().split()]
    except FileNotFoundError:
        return []


def _running_checker(done: threading.Event) -> int | None:
    """The pid of the checker of the upload in flight (None if the check ended first)."""
    while not done.is_set():
        for pid in _checkers():
            try:  # the checker may end and be reaped between the listing and this read
                stat = Path(f"/proc/{pid}/stat").read_text()
            except FileNotFoundError:
                continue
            state = stat.rsplit(")", 1)[1].split()[0]
            if state != "Z":
                return pid
        done.wait(0.005)
    return None


def _sign_in_during_check(
    server: ThreadedServer, upload: Callable[[], Any]
) -> tuple[Any, float, int]:
    """Run ``upload`` in a thread; while its checker runs, pause the checker, sign in from
    another client over HTTP (which must be answered), then let the checker go on.
    Returns the upload's answer, the server's RSS growth (MB) and the sign-in's status."""
    done = threading.Event()
    answer: list[Any] = []

    def send() -> None:
        try:
            answer.append(upload())
        finally:
            done.set()

    watch = RssWatch()
    sender = threading.Thread(target=send)
    sender.start()
    checker = _running_checker(done)
    assert checker is not None, "the check ended before the sign-in could be made"
    os.kill(checker, signal.SIGSTOP)  # the checker is held: the check is still in progress
    try:
        sign_in = requests.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": "clerk1", "password": DEMO_PASSWORD},
            timeout=30,
        )
        assert not done.is_set()  # answered while the upload's check had not finished
    finally:
        os.kill(checker, signal.SIGCONT)
    sender.join()
    growth = watch.stop()
    return answer[0], growth, sign_in.status_code


def _api_upload(server: ThreadedServer, data: bytes) -> Callable[[], requests.Response]:
    token = Api(server.app.test_client()).login("attorney1")
    headers = {"Authorization": f"Bearer {token}"}

    def upload() -> requests.Response:
        sha = hashlib.sha256(data).hexdigest()
        started = requests.post(
            f"{server.url}{UPLOADS}",
            json={"sha256": sha, "size": len(data)},
            headers=headers,
            timeout=30,
        )
        assert started.status_code == 201, started.text
        return requests.patch(
            f"{server.url}{UPLOADS}/{started.json()['upload_id']}",
            data=data,
            headers={
                **headers,
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
            },
            timeout=60,
        )

    return upload


@pytest.fixture(scope="module")
def filer(boxed_server: ThreadedServer) -> tuple[Browser, str]:
    """A registered attorney whose appearance in a case the clerk accepted, and the path
    of that case's eFiling page."""
    app = boxed_server.app
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)
    eoir_id = str(user_row(app, account.username).eoir_id)
    case = a_case_at(app, "SFR", 0)
    browser.post(
        "/portal/appearance/eoir-28",
        appearance_form(case, eoir_id),
        from_page="/portal/appearance/eoir-28",
    )
    from sqlalchemy import select

    from sync_server.models import FilingRow

    with app.extensions["ecas"].factory() as session:
        filing_id = session.scalar(
            select(FilingRow.id).where(
                FilingRow.filer_id == account.user_id, FilingRow.kind == "eoir_28"
            )
        )
    assert filing_id is not None
    clerk_accepts(Api(app.test_client()), "clerk1", filing_id)
    return browser, f"/portal/cases/{case.id}/file"


def _portal_upload(filer: tuple[Browser, str], data: bytes) -> Callable[[], tuple[int, str]]:
    browser, page = filer
    browser.get(page)
    form = {
        "csrf_token": csrf_of(browser.last),
        "doc_type": "brief",
        "title": "Respondent's pre-hearing brief",
        "lead": (io.BytesIO(data), "brief.pdf"),
    }

    def upload() -> tuple[int, str]:
        response = browser.client.post(page, data=form, content_type="multipart/form-data")
        return response.status_code, response.get_data(as_text=True)

    return upload


_BOMBS = {
    "object-stream": (pdf_factory.object_stream_bomb, PreflightCode.TOO_COMPLEX),
    "inflation": (pdf_factory.inflation_bomb, PreflightCode.INFLATION),
}


@pytest.mark.parametrize("bomb", list(_BOMBS))
def test_bomb_through_blob_upload_is_refused_and_server_stays_small_and_answers(
    boxed_server: ThreadedServer, bomb: str
) -> None:
    make, code = _BOMBS[bomb]
    data = make()
    assert len(data) < 110 * 1024  # small files
    response, growth, sign_in = _sign_in_during_check(boxed_server, _api_upload(boxed_server, data))
    assert sign_in == 200
    assert response.status_code == 422, response.text
    problem = response.json()
    assert code.value in {p["loc"] for p in problem["errors"]}, problem
    if code is PreflightCode.TOO_COMPLEX:
        assert TOO_COMPLEX_MESSAGE in problem["detail"]
    assert growth < RSS_BOUND_MB, f"server RSS grew {growth:.0f} MB"
    # The server still takes an ordinary file afterwards.
    good = _api_upload(boxed_server, pdf_factory.valid_pdf(3))()
    assert good.status_code in (200, 204), good.text


@pytest.mark.parametrize("bomb", list(_BOMBS))
def test_bomb_through_portal_filing_is_refused_with_its_reason_while_sign_in_answers(
    boxed_server: ThreadedServer, filer: tuple[Browser, str], bomb: str
) -> None:
    make, code = _BOMBS[bomb]
    (status, page), growth, sign_in = _sign_in_during_check(
        boxed_server, _portal_upload(filer, make())
    )
    assert sign_in == 200
    assert status == 422
    expected = TOO_COMPLEX_MESSAGE if code is PreflightCode.TOO_COMPLEX else "compression bomb"
    assert expected.replace("'", "&#39;") in page
    assert growth < RSS_BOUND_MB, f"server RSS grew {growth:.0f} MB"


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (pdf_factory.xfa_javascript_pdf, PreflightCode.JAVASCRIPT, "JavaScript"),
        (pdf_factory.goto_embedded_pdf, PreflightCode.EMBEDDED_FILES, "files attached"),
        (pdf_factory.page_tree_loop_pdf, PreflightCode.PAGE_TREE, "listed inside itself"),
        (pdf_factory.deep_page_tree_pdf, PreflightCode.PAGE_TREE, "nested more than 32"),
    ],
    ids=["xfa-javascript", "goto-embedded-only", "page-tree-loop", "deep-page-tree"],
)
def test_hostile_structure_is_refused_with_its_reason_through_the_api(
    boxed_server: ThreadedServer, make: Callable[[], bytes], code: PreflightCode, words: str
) -> None:
    response = _api_upload(boxed_server, make())()
    assert response.status_code == 422, response.text
    problem = response.json()
    assert [p["loc"] for p in problem["errors"]] == [code.value]
    assert words in problem["detail"]


def test_normal_pdf_is_still_accepted_through_both_paths(
    boxed_server: ThreadedServer, filer: tuple[Browser, str]
) -> None:
    assert _api_upload(boxed_server, pdf_factory.valid_pdf(10))().status_code in (200, 204)
    status, page = _portal_upload(filer, pdf_factory.valid_pdf(4))()
    assert status == 302, page


# -- the box itself ----------------------------------------------------------------------


def _zygote_pid() -> int:
    pdf_box.PdfBox.start()
    process = pdf_box._ZYGOTE._process  # the test looks inside the box
    assert process is not None
    return process.pid


def test_the_checker_inherits_no_secrets_of_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECAS_SECRET_KEY", "a-secret-the-checker-must-not-see")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "another-one")
    pdf_box.PdfBox.stop()  # the next zygote starts with the environment above in the parent
    pid = _zygote_pid()
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert not [v for v in environ if b"SECRET" in v or v.startswith(b"ECAS_")]
    # Its only descriptors: the standard three (on /dev/null) and its control socket.
    assert len(os.listdir(f"/proc/{pid}/fd")) == 4


def test_a_killed_checker_process_is_replaced_and_the_next_file_is_checked() -> None:
    box = pdf_box.PdfBox(pdf_box.BoxLimits(memory_mb=200, cpu_seconds=5, wall_seconds=30))
    os.kill(_zygote_pid(), signal.SIGKILL)  # the zygote this test's process started
    inspection = box.inspect(pdf_factory.valid_pdf(2), 2000)
    assert inspection.codes == () and inspection.page_count == 2


def test_a_checker_that_stops_answering_is_refused_when_its_wall_clock_runs_out() -> None:
    box = pdf_box.PdfBox(pdf_box.BoxLimits(memory_mb=200, cpu_seconds=5, wall_seconds=1))
    done = threading.Event()
    result: list[Any] = []

    def check() -> None:
        result.append(box.inspect(pdf_factory.valid_pdf(2), 2000))
        done.set()

    _zygote_pid()
    thread = threading.Thread(target=check)
    thread.start()
    checker = _running_checker(done)
    if checker is not None:  # held until the clock runs out (the zygote then kills it)
        os.kill(checker, signal.SIGSTOP)
    thread.join()
    if checker is not None:
        assert result[0].codes == (PreflightCode.TOO_COMPLEX,)


def test_a_record_document_too_complex_to_open_fails_the_package_with_a_reason(
    boxed_server: ThreadedServer,
) -> None:
    from sync_server.models import RopRequestRow
    from sync_server.packages.worker import PackageWorker
    from sync_server.policy import Principal
    from tests.conftest import user_id
    from tests.packages.conftest import make_case, text_pdf

    app = boxed_server.app
    services = app.extensions["ecas"]
    case = make_case(
        app, [("Exhibit A", text_pdf(1, "A")), ("Exhibit B", pdf_factory.object_stream_bomb())]
    )
    attorney = Principal(user_id("attorney1"), "attorney1", Role.ATTORNEY, None, "Attorney")
    with services.factory() as session:
        request_id = services.packages.request(session, attorney, case.id)
    worker = PackageWorker(
        services.factory,
        services.blobs.store,
        services.config.data_dir / "packages",
        pdf_box=services.blobs.pdf_box,
    )
    watch = RssWatch()
    assert worker.run_once()
    growth = watch.stop()
    with services.factory() as session:
        row = session.get(RopRequestRow, request_id)
        assert row is not None
        assert row.status == "failed"
        assert row.error is not None and "too complex to open safely" in row.error
    assert growth < RSS_BOUND_MB
