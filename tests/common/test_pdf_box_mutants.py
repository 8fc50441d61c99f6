"""common.pdf_box without a server: the zygote and its checkers as the parent sees them
(answers, limits, clocks), and the parent's side of the conversation with a checker.

The zygote's loop (``pdf_box._zygote``) runs here in a process forked from the test, so
its checkers are this code's forks: each check is handed over on a socket as the server's
box hands it, and each checker's limits are read from ``/proc`` while it waits for its
PDF. The parent's side (``PdfBox``) talks to a real zygote, or to this test playing a
checker on a socket pair.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from common import pdf_box
from common.pdf_box import BoxLimits, PdfBox
from common.pdf_preflight import Inspection, PreflightCode
from tests import pdf_factory

MIB = 1024 * 1024


@dataclass
class Zygote:
    control: socket.socket
    thread: threading.Thread

    def children(self) -> list[int]:
        """The checkers the zygote forked and has not reaped yet."""
        tid = self.thread.native_id
        path = Path(f"/proc/{os.getpid()}/task/{tid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except FileNotFoundError:
            return []

    def hand_over(self, wall: float) -> list[socket.socket]:
        """A socket to a new checker, handed over as the box hands it."""
        ours, theirs = socket.socketpair()
        socket.send_fds(self.control, [b"%.3f;" % wall], [theirs.fileno()])
        theirs.close()
        return [ours]

    def checker(self) -> int:
        """The pid of the one checker alive (waits for it to appear)."""
        end = time.monotonic() + 20
        while time.monotonic() < end:
            alive = [pid for pid in self.children() if _state(pid) not in ("Z", None)]
            if alive:
                return alive[0]
            time.sleep(0.01)
        raise AssertionError("no checker")


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    """The zygote's loop on a thread of this process; its checkers are forks of it."""
    ours, theirs = socket.socketpair()
    thread = threading.Thread(target=pdf_box._zygote, args=(theirs,), daemon=True)
    thread.start()
    ours.settimeout(60)
    assert ours.recv(1) == b"R"  # ready once PyMuPDF is loaded
    zygote = Zygote(ours, thread)
    try:
        yield zygote
    finally:
        for checker in zygote.children():
            with contextlib.suppress(ProcessLookupError):
                os.kill(checker, signal.SIGKILL)
        ours.close()
        thread.join(30)
        theirs.close()


def _wait(pid: int, seconds: float) -> int | None:
    """The exit code of child ``pid`` once it ends within ``seconds`` (else None)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    return None


def header(raw: bytes, **overrides: Any) -> bytes:
    values = {
        "size": len(raw),
        "max_pages": 2000,
        "memory_mb": 300,
        "cpu_seconds": 5,
        "wall_seconds": 30.0,
    }
    values.update(overrides)
    return json.dumps(values).encode() + b"\n"


def converse(conn: socket.socket, raw: bytes, **overrides: Any) -> bytes:
    conn.settimeout(60)
    conn.sendall(header(raw, **overrides) + raw)
    conn.shutdown(socket.SHUT_WR)
    return read_all(conn)


def read_all(conn: socket.socket) -> bytes:
    answer = bytearray()
    while chunk := conn.recv(4096):
        answer += chunk
    conn.close()
    return bytes(answer)


# -- the zygote and its checkers -------------------------------------------------------------


def test_a_checker_answers_with_the_inspection_of_the_pdf(zygote: Zygote) -> None:
    (conn,) = zygote.hand_over(30)
    answer = converse(conn, pdf_factory.valid_pdf(3))
    assert Inspection.from_json(answer) == Inspection((), (), 3)


def test_a_checker_applies_the_page_limit_it_is_sent(zygote: Zygote) -> None:
    (conn,) = zygote.hand_over(30)
    answer = converse(conn, pdf_factory.valid_pdf(3), max_pages=2)
    assert Inspection.from_json(answer) == Inspection((PreflightCode.TOO_MANY_PAGES,), (), 3)


def test_a_pdf_cut_short_of_its_announced_size_gets_no_answer(zygote: Zygote) -> None:
    (conn,) = zygote.hand_over(30)
    raw = pdf_factory.valid_pdf(2)
    conn.settimeout(60)
    conn.sendall(header(raw) + raw[:-10])
    conn.shutdown(socket.SHUT_WR)
    assert read_all(conn) == b""


def _limits(pid: int) -> dict[str, tuple[str, str]]:
    """The checker's limits once it has set them (it does on reading the header)."""
    for _ in range(400):
        rows = Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]
        limits = {row[:26].strip(): (row[26:47].strip(), row[47:68].strip()) for row in rows}
        if limits["Max processes"] == ("0", "0"):  # the last one it sets
            return limits
        time.sleep(0.025)
    raise AssertionError("the checker set no limits")


def _vm_size(pid: int) -> int:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def test_a_checker_limits_itself_before_it_reads_the_pdf(zygote: Zygote) -> None:
    (conn,) = zygote.hand_over(30)
    conn.sendall(header(b"x" * 100, memory_mb=300, cpu_seconds=4))  # and no PDF yet
    limits = _limits(zygote.checker())
    assert limits["Max cpu time"] == ("4", "5")
    assert limits["Max core file size"] == ("0", "0")
    assert limits["Max file size"] == ("0", "0")
    assert limits["Max processes"] == ("0", "0")
    soft, hard = limits["Max address space"]
    assert soft == hard
    # The zygote's own size when it started, plus the 300 MB allowed.
    beyond = int(soft) - _vm_size(os.getpid())
    assert 300 * MIB - 16 * MIB <= beyond <= 300 * MIB + 16 * MIB
    conn.close()


def test_a_checker_gets_at_least_one_cpu_second(zygote: Zygote) -> None:
    (conn,) = zygote.hand_over(30)
    conn.sendall(header(b"x", cpu_seconds=0))
    assert _limits(zygote.checker())["Max cpu time"] == ("1", "2")
    conn.close()


def test_a_checker_ends_itself_when_its_wall_clock_runs_out(zygote: Zygote) -> None:
    # The zygote would kill it only at 30 s and a grace; its own alarm ends it first.
    (conn,) = zygote.hand_over(30)
    started = time.monotonic()
    conn.settimeout(60)
    conn.sendall(header(b"x" * 100, wall_seconds=0.2))  # the PDF never comes
    assert read_all(conn) == b""
    assert time.monotonic() - started < 15


def test_the_zygote_kills_a_checker_past_its_wall_clock_and_grace(zygote: Zygote) -> None:
    (conn,) = zygote.hand_over(0.5)  # the checker's own alarm is set at 60 s
    started = time.monotonic()
    conn.settimeout(60)
    conn.sendall(header(b"x" * 100, wall_seconds=60.0))
    assert read_all(conn) == b""
    took = time.monotonic() - started
    assert 3.4 <= took < 30  # 0.5 s and the 3 s grace


def test_finished_checkers_are_reaped(zygote: Zygote) -> None:
    for _ in range(3):
        (conn,) = zygote.hand_over(30)
        assert converse(conn, pdf_factory.valid_pdf(1))
    end = time.monotonic() + 10
    while zygote.children() and time.monotonic() < end:
        time.sleep(0.05)
    assert zygote.children() == []


def test_the_zygote_ends_when_its_parent_s_socket_closes(zygote: Zygote) -> None:
    zygote.control.close()
    zygote.thread.join(30)
    assert not zygote.thread.is_alive()


@pytest.mark.parametrize(
    ("note", "seconds"),
    [(b"2.500", 2.5), (b"-1", 0.0), (b"99999", 900.0), (b"", 900.0), (b"soon", 900.0)],
)
def test_a_wall_clock_note_is_read_within_its_bounds(note: bytes, seconds: float) -> None:
    assert pdf_box._wall_of(note) == seconds


# -- the parent's side -------------------------------------------------------------------


def test_this_platform_can_box_a_parse() -> None:
    assert pdf_box.box_available()


def test_the_default_limits_are_the_documented_ones() -> None:
    limits = PdfBox().limits
    assert limits == BoxLimits(memory_mb=1024, cpu_seconds=15, wall_seconds=20.0, concurrent=2)


class FakeChecker:
    """This test in the checker's place: reads what the box sends, answers ``answer``."""

    def __init__(self, answer: bytes | None) -> None:
        self.box_end, self.end = socket.socketpair()
        self.received = b""
        self.answer = answer
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self) -> None:
        self.end.settimeout(60)
        data = bytearray()
        while chunk := self.end.recv(65536):
            data += chunk
        self.received = bytes(data)
        if self.answer is not None:
            self.end.sendall(self.answer)
            self.end.close()
        # None: say nothing and keep the socket open (a hung checker)

    def close(self) -> None:
        self.thread.join()
        self.end.close()


def talk(answer: bytes | None, limits: BoxLimits | None = None) -> tuple[Any, bytes]:
    box = PdfBox(limits or BoxLimits(memory_mb=300, cpu_seconds=4, wall_seconds=2.5))
    checker = FakeChecker(answer)
    try:
        result = box._converse(checker.box_end, b"%PDF-1.7 body", 7)
    finally:
        checker.box_end.close()
        checker.close()
    return result, checker.received


def test_the_box_sends_the_limits_then_the_pdf_and_reads_the_answer() -> None:
    answer = Inspection((PreflightCode.JAVASCRIPT,), (), 1).to_json().encode()
    result, received = talk(answer)
    line, _, body = received.partition(b"\n")
    assert json.loads(line) == {
        "size": 13,
        "max_pages": 7,
        "memory_mb": 300,
        "cpu_seconds": 4,
        "wall_seconds": 2.5,
    }
    assert body == b"%PDF-1.7 body"
    assert result == Inspection((PreflightCode.JAVASCRIPT,), (), 1)


def test_an_answer_of_64_kib_is_read_and_one_byte_more_is_refused() -> None:
    text = Inspection((), (), 1).to_json().encode()
    longest = text + b" " * (64 * 1024 - len(text))
    assert talk(longest)[0] == Inspection((), (), 1)
    assert talk(longest + b" ")[0] == Inspection.too_complex()


@pytest.mark.parametrize(
    "answer", [b"garbage", b'{"codes": ["rm -rf"], "details": [], "page_count": 1}']
)
def test_an_answer_not_ours_is_too_complex(answer: bytes) -> None:
    assert talk(answer)[0] == Inspection.too_complex()


def test_a_checker_that_closes_without_a_word_gives_no_answer() -> None:
    assert talk(b"")[0] is None


def test_a_checker_that_never_answers_is_too_complex_after_its_wall_clock() -> None:
    box = PdfBox(BoxLimits(wall_seconds=0.5))
    mine, theirs = socket.socketpair()
    try:
        started = time.monotonic()
        assert box._converse(mine, b"%PDF-1.7", 7) == Inspection.too_complex()
        took = time.monotonic() - started
    finally:
        mine.close()
        theirs.close()
    assert 1.4 <= took < 10  # the wall clock and a second


def test_with_zero_concurrent_checks_one_still_runs() -> None:
    box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=30, concurrent=0))
    assert box.inspect(pdf_factory.valid_pdf(2), 2000) == Inspection((), (), 2)


def test_the_zygote_s_loss_is_noticed_and_a_new_one_started() -> None:
    PdfBox.start()
    zygote = pdf_box._ZYGOTE
    assert not zygote.lost()
    process = zygote._process
    assert process is not None
    process.kill()
    process.wait()
    assert zygote.lost()
    box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=30))
    assert box.inspect(pdf_factory.valid_pdf(2), 2000) == Inspection((), (), 2)
    assert zygote._process is not None and zygote._process.pid != process.pid
    PdfBox.stop()
    assert zygote.lost()
    assert zygote._process is None


def test_a_forked_server_process_starts_a_zygote_of_its_own() -> None:
    PdfBox.start()
    parent_zygote = pdf_box._ZYGOTE._process
    assert parent_zygote is not None
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked "server worker"
        code = 1
        try:
            os.close(reader)
            box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=30))
            found = box.inspect(pdf_factory.valid_pdf(3), 2000)
            own = pdf_box._ZYGOTE._process
            mine = own.pid if own is not None else 0
            os.write(writer, json.dumps([found.page_count, mine]).encode())
            PdfBox.stop()
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        pages, child_zygote = json.loads(pipe.read())
    assert _wait(pid, 60) == 0
    assert pages == 3
    assert child_zygote not in (0, parent_zygote.pid)
    assert parent_zygote.poll() is None  # the parent's zygote is untouched
