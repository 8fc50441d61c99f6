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
import sys
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from common import pdf_box, pdf_preflight
from common.pdf_box import BoxLimits, PdfBox
from common.pdf_preflight import Detail, Inspection, PreflightCode
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
        checkers = zygote.children()
        for checker in checkers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(checker, signal.SIGKILL)
        # Reaped here, not left to whoever waits for this process's children next (mutmut
        # waits for its workers with any-child waits).
        for checker in checkers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(checker, 0)
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


# -- two checks at once, and a checker's descriptors --------------------------------------


def test_each_checker_serves_its_own_socket_whoever_answers_first(zygote: Zygote) -> None:
    # Both checks' sockets exist before the first is handed over, so the first checker is
    # forked while the second check's sockets are open here (the zygote is a thread of
    # this process): it must close them, or the second check never sees the end of its
    # answer until the first checker ends (killed at its wall clock and grace).
    first, first_theirs = socket.socketpair()
    second, second_theirs = socket.socketpair()
    socket.send_fds(zygote.control, [b"5.000;"], [first_theirs.fileno()])
    zygote.checker()  # the first checker is forked with all four open
    socket.send_fds(zygote.control, [b"5.000;"], [second_theirs.fileno()])
    first_theirs.close()
    second_theirs.close()
    started = time.monotonic()
    assert Inspection.from_json(converse(second, pdf_factory.valid_pdf(1))).page_count == 1
    assert time.monotonic() - started < 5  # the first checker's kill is due at 8 s
    assert Inspection.from_json(converse(first, pdf_factory.valid_pdf(4))).page_count == 4


def test_a_checker_keeps_no_descriptor_but_the_standard_three_and_its_socket(
    zygote: Zygote,
) -> None:
    (conn,) = zygote.hand_over(30)
    pid = zygote.checker()
    end = time.monotonic() + 20
    while len(os.listdir(f"/proc/{pid}/fd")) > 4 and time.monotonic() < end:
        time.sleep(0.02)
    fds = sorted(int(fd) for fd in os.listdir(f"/proc/{pid}/fd"))
    assert fds[:3] == [0, 1, 2] and len(fds) == 4
    assert os.readlink(f"/proc/{pid}/fd/{fds[3]}").startswith("socket:")
    # ... and that one is the check's: it still answers.
    assert Inspection.from_json(converse(conn, pdf_factory.valid_pdf(2))).page_count == 2


# -- a parse out of memory -------------------------------------------------------------------


def _fill_address_space() -> None:
    """Map 1 MiB pieces (never touched, so no memory is used) until the limit refuses one."""
    import mmap

    pieces: list[mmap.mmap] = []
    with contextlib.suppress(OSError, MemoryError):
        while len(pieces) < 1_000_000:
            pieces.append(mmap.mmap(-1, MIB))
    for piece in pieces:
        piece.close()


def _peak() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmPeak")


DAMAGED = Inspection((PreflightCode.DAMAGED,), (Detail.UNREADABLE,), 1)


def test_a_parse_that_ran_out_of_memory_is_too_complex_though_it_says_damaged(
    zygote: Zygote, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MuPDF may catch the refused allocation and report a broken object instead; here the
    # parse fills the address space to the checker's limit and then says "damaged".
    def starving(raw: bytes, max_pages: int) -> Inspection:
        _fill_address_space()
        return DAMAGED

    monkeypatch.setattr(pdf_preflight, "inspect_pdf", starving)  # the checker is our fork
    # Enough room above this process's own peak that the limit is reached by the parse.
    room = (_peak() - _vm_size(os.getpid())) // MIB + 100
    (conn,) = zygote.hand_over(30)
    answer = converse(conn, pdf_factory.valid_pdf(1), memory_mb=room)
    assert Inspection.from_json(answer) == Inspection.too_complex()


def test_a_damaged_file_parsed_well_within_memory_is_damaged(
    zygote: Zygote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_preflight, "inspect_pdf", lambda raw, max_pages: DAMAGED)
    room = (_peak() - _vm_size(os.getpid())) // MIB + 100
    (conn,) = zygote.hand_over(30)
    answer = converse(conn, pdf_factory.valid_pdf(1), memory_mb=room)
    assert Inspection.from_json(answer) == DAMAGED


LIMIT = 1024 * MIB


@pytest.mark.parametrize(
    ("inspection", "before", "after", "said", "expected"),
    [
        # The parse raised the peak to within 16 MiB of the limit: out of memory.
        (DAMAGED, 100 * MIB, LIMIT - 16 * MIB + 1, "", Inspection.too_complex()),
        (Inspection((), (), 3), 100 * MIB, LIMIT, "", Inspection.too_complex()),
        (DAMAGED, 100 * MIB, LIMIT - 16 * MIB, "", DAMAGED),
        # A peak inherited from the zygote, not raised by the parse, says nothing.
        (DAMAGED, LIMIT - MIB, LIMIT - MIB, "", DAMAGED),
        # MuPDF's word for a refused allocation, however far from the limit.
        (
            DAMAGED,
            100 * MIB,
            200 * MIB,
            "error: malloc (16 bytes) failed",
            Inspection.too_complex(),
        ),
        (
            DAMAGED,
            100 * MIB,
            200 * MIB,
            "warning: OUT OF MEMORY in object",
            Inspection.too_complex(),
        ),
        (DAMAGED, 100 * MIB, 200 * MIB, "warning: repairing PDF document", DAMAGED),
    ],
)
def test_the_checker_s_verdict_on_memory(
    inspection: Inspection, before: int, after: int, said: str, expected: Inspection
) -> None:
    assert pdf_box._verdict(inspection, (before, after), LIMIT, said) == expected


def test_the_peak_address_space_is_the_kernel_s() -> None:
    assert pdf_box._vm_peak() == _peak()
    assert pdf_box._vm_peak() >= pdf_box._vm_bytes() == _vm_size(os.getpid())


# -- the checker's work, in this process ----------------------------------------------------


@pytest.mark.parametrize(
    ("wall", "cpu", "alarm", "seconds"),
    [(2.5, 4, 3, 4), (2.0, 0, 2, 1), (0.2, -3, 1, 1), (0.0, 15, 1, 15), (99999.0, 7, 900, 7)],
)
def test_a_checker_s_limits_from_its_header(
    wall: float, cpu: int, alarm: int, seconds: int
) -> None:
    header = {"wall_seconds": wall, "cpu_seconds": cpu, "memory_mb": 300}
    limits = pdf_box._Limits.of(header, 5000)
    assert limits == pdf_box._Limits(alarm=alarm, cpu=seconds, memory=5000 + 300 * MIB)


def test_a_checker_arms_its_alarm_and_sets_every_limit() -> None:
    import resource

    calls: list[Any] = []
    pdf_box._limit_self(
        pdf_box._Limits(alarm=7, cpu=4, memory=123 * MIB),
        setrlimit=lambda which, values: calls.append((which, values)),
        alarm=lambda seconds: calls.append(("alarm", seconds)),
    )
    assert calls == [
        ("alarm", 7),
        (resource.RLIMIT_CPU, (4, 5)),
        (resource.RLIMIT_AS, (123 * MIB, 123 * MIB)),
        (resource.RLIMIT_CORE, (0, 0)),
        (resource.RLIMIT_FSIZE, (0, 0)),
        (resource.RLIMIT_NPROC, (0, 0)),
    ]


def _serve(data: bytes, base: int = 1 << 45) -> tuple[bytes, list[Any], BaseException | None]:
    """Run the checker's work on a socket in a thread of this process (no limits set:
    ``limit`` records them); a base far above this process keeps the memory check quiet."""
    ours, theirs = socket.socketpair()
    limits: list[Any] = []
    raised: list[BaseException] = []

    def run() -> None:
        try:
            with theirs:
                pdf_box._serve(theirs, base, limits.append)
        except BaseException as err:
            raised.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    ours.settimeout(60)
    ours.sendall(data)
    ours.shutdown(socket.SHUT_WR)
    answer = read_all(ours)
    thread.join(60)
    return answer, limits, raised[0] if raised else None


def test_the_checker_s_work_limits_then_answers_the_inspection() -> None:
    raw = pdf_factory.valid_pdf(3)
    answer, limits, raised = _serve(header(raw, max_pages=2, wall_seconds=2.5) + raw, base=1 << 45)
    assert raised is None
    assert Inspection.from_json(answer) == Inspection((PreflightCode.TOO_MANY_PAGES,), (), 3)
    assert limits == [pdf_box._Limits(alarm=3, cpu=5, memory=(1 << 45) + 300 * MIB)]


def test_the_checker_s_work_on_a_pdf_cut_short_answers_nothing() -> None:
    raw = pdf_factory.valid_pdf(2)
    answer, limits, raised = _serve(header(raw) + raw[:-1])
    assert answer == b"" and isinstance(raised, EOFError)
    assert len(limits) == 1  # limited before the PDF was read


def test_the_checker_s_work_reports_what_mupdf_said_of_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pymupdf

    say: Any = pymupdf.JM_mupdf_warning  # how MuPDF's messages reach PyMuPDF's store
    say("malloc (99 bytes) failed")  # said before this check: not this check's

    def swallowed(raw: bytes, max_pages: int) -> Inspection:
        say("error: malloc (64 bytes) failed")  # caught inside MuPDF
        return DAMAGED

    raw = pdf_factory.valid_pdf(1)
    answer, _, _ = _serve(header(raw) + raw)
    assert Inspection.from_json(answer) == Inspection((), (), 1)
    monkeypatch.setattr(pdf_preflight, "inspect_pdf", swallowed)
    answer, _, _ = _serve(header(raw) + raw)
    assert Inspection.from_json(answer) == Inspection.too_complex()


# -- the zygote's start ----------------------------------------------------------------------


def test_the_zygote_starts_isolated_from_the_server() -> None:
    PdfBox.stop()
    PdfBox.start()
    process = pdf_box._ZYGOTE._process
    assert process is not None
    pid = process.pid
    args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
    assert args[:4] == [os.fsencode(sys.executable), b"-I", b"-m", b"common.pdf_box"]
    assert os.readlink(f"/proc/{pid}/fd/{int(args[4])}").startswith("socket:")
    assert os.readlink(f"/proc/{pid}/cwd") == "/"
    assert os.getsid(pid) == pid  # a session of its own
    for fd in (0, 1, 2):
        assert os.readlink(f"/proc/{pid}/fd/{fd}") == "/dev/null"
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")[:-1]
    assert sorted(environ) == [b"LC_ALL=C.UTF-8", f"PATH={os.defpath}".encode()]
    assert sorted(int(fd) for fd in os.listdir(f"/proc/{pid}/fd")) == [0, 1, 2, int(args[4])]


def _fake_interpreter(tmp_path: Path, body: str) -> str:
    """A stand-in for the zygote's interpreter, given the same arguments: a script run by
    the real one, in which ``control`` is the descriptor of its control socket."""
    script = tmp_path / "python"
    preamble = "import os, sys, time\ncontrol = int(sys.argv[4])\n"
    script.write_text(f"#!{sys.executable}\n{preamble}{body}\n")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    "body", ['os.write(control, b"X")\ntime.sleep(30)', "sys.exit(0)"], ids=["wrong", "gone"]
)
def test_a_zygote_that_does_not_say_it_is_ready_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    PdfBox.stop()
    monkeypatch.setattr(sys, "executable", _fake_interpreter(tmp_path, body))
    started = time.monotonic()
    with pytest.raises(pdf_box.BoxUnavailable) as raised:
        pdf_box._ZYGOTE.hand_over(5)
    assert str(raised.value) == "the PDF checker could not be started"
    assert time.monotonic() - started < 20
    assert pdf_box._ZYGOTE._process is None and pdf_box._ZYGOTE.lost()


def test_a_zygote_that_says_ready_in_time_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PdfBox.stop()
    body = 'time.sleep(1)\nos.write(control, b"R")\ntime.sleep(30)'
    monkeypatch.setattr(sys, "executable", _fake_interpreter(tmp_path, body))
    with pdf_box._ZYGOTE.hand_over(5):
        pass
    process = pdf_box._ZYGOTE._process
    assert process is not None and process.poll() is None
    PdfBox.stop()


def test_a_zygote_silent_past_the_start_up_time_is_given_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PdfBox.stop()
    monkeypatch.setattr(pdf_box, "_STARTUP_SECONDS", 1.0)
    monkeypatch.setattr(sys, "executable", _fake_interpreter(tmp_path, "time.sleep(60)"))
    started = time.monotonic()
    with pytest.raises(pdf_box.BoxUnavailable):
        pdf_box._ZYGOTE.hand_over(5)
    assert time.monotonic() - started < 15  # two tries of a second each, and the kills
    assert pdf_box._ZYGOTE._process is None


def test_a_forked_process_stopping_its_box_leaves_the_parent_s_zygote_alone() -> None:
    PdfBox.start()
    parent_zygote = pdf_box._ZYGOTE._process
    assert parent_zygote is not None
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked process
        code = 1
        try:
            lost = pdf_box._ZYGOTE.lost()  # it has no zygote of its own yet
            PdfBox.stop()
            code = 0 if lost and pdf_box._ZYGOTE._process is None else 2
        finally:
            os._exit(code)
    assert _wait(pid, 60) == 0
    assert parent_zygote.poll() is None  # still running, still this process's
    assert not pdf_box._ZYGOTE.lost() and pdf_box._ZYGOTE._process is parent_zygote


def test_a_new_zygote_handle_has_no_zygote_until_its_first_check() -> None:
    handle = pdf_box._Zygote()
    assert handle.lost()
    with handle.hand_over(30) as conn:
        answer = converse(conn, pdf_factory.valid_pdf(2))
    assert Inspection.from_json(answer).page_count == 2
    assert not handle.lost()
    handle.stop()
    assert handle.lost()


def test_a_zygote_killed_with_a_hand_over_unread_is_noticed_as_lost() -> None:
    PdfBox.start()
    process = pdf_box._ZYGOTE._process
    assert process is not None
    os.kill(process.pid, signal.SIGSTOP)  # the next hand-over waits, unread
    try:
        mine = pdf_box._ZYGOTE.hand_over(30)
    finally:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    mine.close()
    assert pdf_box._ZYGOTE.lost()  # its socket reset, not merely closed
    box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=30))
    assert box.inspect(pdf_factory.valid_pdf(2), 2000) == Inspection((), (), 2)
    PdfBox.stop()


# -- a checker's life, in this process (no descriptor closed, no limit set) -------------------


def _check(data: bytes, shut: bool = True) -> tuple[bytes, int, list[Any], list[Any]]:
    """Run ``_check`` on a socket in a thread: the answer, its exit code, the descriptor
    ranges it closes and the limits it sets (recorded, not applied)."""
    ours, theirs = socket.socketpair()
    closed: list[Any] = []
    limits: list[Any] = []
    codes: list[int] = []
    fd = theirs.detach()
    thread = threading.Thread(
        target=lambda: codes.append(
            pdf_box._check(fd, 1 << 45, lambda low, high: closed.append((low, high)), limits.append)
        )
    )
    thread.start()
    ours.settimeout(60)
    ours.sendall(data)
    if shut:
        ours.shutdown(socket.SHUT_WR)
    answer = read_all(ours)
    thread.join(60)
    assert closed == [(3, fd), (fd + 1, os.sysconf("SC_OPEN_MAX"))]
    with pytest.raises(OSError):
        os.fstat(fd)  # its socket is closed when it is done
    return answer, codes[0], closed, limits


def test_a_checker_closes_all_else_answers_and_exits_0() -> None:
    raw = pdf_factory.valid_pdf(3)
    answer, code, _, limits = _check(header(raw) + raw)
    assert Inspection.from_json(answer) == Inspection((), (), 3) and code == 0
    assert len(limits) == 1


def test_a_checker_given_a_pdf_cut_short_exits_1_without_an_answer() -> None:
    raw = pdf_factory.valid_pdf(3)
    answer, code, _, _ = _check(header(raw) + raw[:-1])
    assert (answer, code) == (b"", 1)


def test_a_checker_reads_the_announced_size_and_no_more() -> None:
    raw = pdf_factory.valid_pdf(2)
    answer, code, _, _ = _check(header(raw) + raw + b"trailing bytes, not the PDF's")
    assert Inspection.from_json(answer).page_count == 2 and code == 0


def _padded_header(raw: bytes, length: int) -> bytes:
    """A header line of exactly ``length`` bytes with its newline."""
    line = header(raw)
    padding = length - len(line) - len(', "pad": ""')
    assert padding >= 0
    return line[:-2] + b', "pad": "' + b"x" * padding + b'"}\n'


def test_a_header_of_4_kib_is_read_and_a_longer_one_is_refused() -> None:
    raw = pdf_factory.valid_pdf(1)
    longest = _padded_header(raw, 4097)  # 4,096 bytes of JSON and the newline
    answer, code, _, _ = _check(longest + raw)
    assert Inspection.from_json(answer).page_count == 1 and code == 0
    answer, code, _, _ = _check(_padded_header(raw, 4098) + raw)
    assert (answer, code) == (b"", 1)


def _grow_peak(beyond: int) -> None:
    """Raise this process's peak address space to ``beyond`` bytes past its peak now
    (mapped, never touched, then unmapped)."""
    import mmap

    piece = mmap.mmap(-1, _peak() - _vm_size(os.getpid()) + beyond)
    piece.close()


@pytest.mark.parametrize(("grown", "expected"), [(40, Inspection.too_complex()), (4, DAMAGED)])
def test_the_checker_s_work_weighs_the_peak_its_parse_reached(
    monkeypatch: pytest.MonkeyPatch, grown: int, expected: Inspection
) -> None:
    def parse(raw: bytes, max_pages: int) -> Inspection:
        _grow_peak(grown * MIB)
        return DAMAGED

    monkeypatch.setattr(pdf_preflight, "inspect_pdf", parse)
    raw = pdf_factory.valid_pdf(1)
    # The limit 32 MiB above the peak now: a parse reaching 40 MiB past it came within
    # 16 MiB of the limit, one reaching 4 MiB past it did not.
    base = _peak() + 32 * MIB - 300 * MIB
    answer, _, raised = _serve(header(raw, memory_mb=300) + raw, base=base)
    assert raised is None
    assert Inspection.from_json(answer) == expected


# -- the parent's side, more ---------------------------------------------------------------


def test_without_resource_limits_or_descriptor_passing_there_is_no_box(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "resource", None)  # importing it fails
        assert not pdf_box.box_available()
    with monkeypatch.context() as patch:
        patch.delattr(socket, "send_fds")
        assert not pdf_box.box_available()
    with monkeypatch.context() as patch:
        patch.delattr(os, "fork")
        assert not pdf_box.box_available()
    assert pdf_box.box_available()


def test_a_check_waits_for_a_slot_no_longer_than_its_wall_clock() -> None:
    box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=0.5, concurrent=1))
    assert box._slots.acquire(timeout=1)  # the one slot is busy
    started = time.monotonic()
    with pytest.raises(pdf_box.BoxUnavailable) as raised:
        box.inspect(pdf_factory.valid_pdf(1), 2000)
    assert str(raised.value) == "every PDF check slot stayed busy"
    assert 0.4 <= time.monotonic() - started < 10


def test_a_zygote_killed_with_a_check_in_hand_is_replaced_and_the_check_made() -> None:
    box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=30))
    PdfBox.start()
    process = pdf_box._ZYGOTE._process
    assert process is not None
    os.kill(process.pid, signal.SIGSTOP)  # it takes the socket but forks no checker
    result: list[Inspection] = []
    thread = threading.Thread(
        target=lambda: result.append(box.inspect(pdf_factory.valid_pdf(2), 2000))
    )
    thread.start()
    time.sleep(0.5)  # the check is handed over and waits
    os.kill(process.pid, signal.SIGKILL)
    thread.join(60)
    assert result == [Inspection((), (), 2)]
    assert pdf_box._ZYGOTE._process is not None and pdf_box._ZYGOTE._process.pid != process.pid
    PdfBox.stop()


class FakeZygote:
    """This test in the zygote's place: each hand-over gets the next of ``answers`` from a
    :class:`FakeChecker`; ``lost`` says whether the zygote died meanwhile."""

    def __init__(self, answers: list[bytes], lost: bool) -> None:
        self.answers = answers
        self.is_lost = lost
        self.checkers: list[FakeChecker] = []

    def hand_over(self, wall_seconds: float) -> socket.socket:
        checker = FakeChecker(self.answers.pop(0))
        self.checkers.append(checker)
        return checker.box_end

    def lost(self) -> bool:
        return self.is_lost


GOOD = Inspection((), (), 2)


@pytest.mark.parametrize(
    ("answers", "lost", "expected", "tries"),
    [
        # A checker that ended without a word while its zygote lives: the file's doing.
        ([b"", GOOD.to_json().encode()], False, Inspection.too_complex(), 1),
        # ... while its zygote died: once more, with another.
        ([b"", GOOD.to_json().encode()], True, GOOD, 2),
        ([b"", b""], True, Inspection.too_complex(), 2),
        ([GOOD.to_json().encode(), b""], True, GOOD, 1),
    ],
)
def test_a_check_without_an_answer_is_tried_again_only_when_the_zygote_died(
    monkeypatch: pytest.MonkeyPatch,
    answers: list[bytes],
    lost: bool,
    expected: Inspection,
    tries: int,
) -> None:
    fake = FakeZygote(list(answers), lost)
    monkeypatch.setattr(pdf_box, "_ZYGOTE", fake)
    box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=5))
    try:
        assert box.inspect(b"%PDF-1.7 body", 7) == expected
    finally:
        for checker in fake.checkers:
            checker.close()
    assert len(fake.checkers) == tries


def test_a_zygote_that_fails_its_first_hand_over_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first zygote says ready but takes no socket; the second is the real one.
    PdfBox.stop()
    real = sys.executable
    marker = tmp_path / "started-once"
    body = (
        "import socket\n"
        f"if os.path.exists({str(marker)!r}):\n"
        f"    os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n"
        f"open({str(marker)!r}, 'w').close()\n"
        "s = socket.socket(fileno=control)\n"
        "s.shutdown(socket.SHUT_RD)\n"
        's.sendall(b"R")\n'
        "time.sleep(30)"
    )
    monkeypatch.setattr(sys, "executable", _fake_interpreter(tmp_path, body))
    with pdf_box._ZYGOTE.hand_over(30) as conn:
        answer = converse(conn, pdf_factory.valid_pdf(2))
    assert Inspection.from_json(answer).page_count == 2
    PdfBox.stop()


def test_a_checker_that_reads_nothing_is_too_complex_after_its_wall_clock() -> None:
    box = PdfBox(BoxLimits(wall_seconds=0.5))
    mine, theirs = socket.socketpair()
    try:
        started = time.monotonic()
        assert box._converse(mine, b"%PDF-1.7" + b" " * 16 * MIB, 7) == Inspection.too_complex()
        took = time.monotonic() - started
    finally:
        mine.close()
        theirs.close()
    assert took < 10


def test_a_checker_that_trickles_its_answer_is_cut_off_at_its_wall_clock() -> None:
    box = PdfBox(BoxLimits(wall_seconds=0.5))
    mine, theirs = socket.socketpair()
    stop = threading.Event()

    def trickle() -> None:
        while not stop.wait(0.3):
            with contextlib.suppress(OSError):
                theirs.send(b" ")

    thread = threading.Thread(target=trickle)
    thread.start()
    try:
        started = time.monotonic()
        assert box._converse(mine, b"%PDF-1.7", 7) == Inspection.too_complex()
        took = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        mine.close()
        theirs.close()
    assert took < 10


def test_a_checker_gone_before_the_pdf_is_sent_gives_no_answer() -> None:
    box = PdfBox(BoxLimits(wall_seconds=5))
    mine, theirs = socket.socketpair()
    theirs.close()
    try:
        assert box._converse(mine, b"%PDF-1.7" + b" " * MIB, 7) is None
    finally:
        mine.close()


def test_stopping_the_box_kills_a_zygote_that_would_not_end_by_itself() -> None:
    PdfBox.start()
    process = pdf_box._ZYGOTE._process
    assert process is not None
    os.kill(process.pid, signal.SIGSTOP)  # it cannot notice its socket closing
    try:
        PdfBox.stop()
        assert process.poll() == -signal.SIGKILL
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait()


def test_the_zygote_reads_nothing_from_the_server_s_standard_input() -> None:
    # This process's standard input made a pipe (under a runner it is often /dev/null
    # already, which would hide an inherited one).
    saved = os.dup(0)
    reader, writer = os.pipe()
    os.dup2(reader, 0)
    try:
        PdfBox.stop()
        PdfBox.start()
        process = pdf_box._ZYGOTE._process
        assert process is not None
        assert os.readlink(f"/proc/{process.pid}/fd/0") == "/dev/null"
    finally:
        os.dup2(saved, 0)
        for fd in (saved, reader, writer):
            os.close(fd)
        PdfBox.stop()


def test_a_box_on_a_platform_that_cannot_box_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_box, "box_available", lambda: False)
    with pytest.raises(pdf_box.BoxUnavailable) as raised:
        PdfBox()
    assert str(raised.value) == "this platform cannot box a PDF parse"


# -- the forked processes' entry points, run in this process with the kernel calls recorded ---


class _Exited(Exception):
    """``os._exit`` as a checker run in this process calls it."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class _Kernel:
    """What a checker asked of the kernel: signal handlers, alarms, limits, descriptors closed."""

    signals: list[Any]
    alarms: list[Any]
    limits: list[Any]
    closed: list[Any]


def _kernel(monkeypatch: pytest.MonkeyPatch, signals_fail: bool = False) -> _Kernel:
    """Stand-ins for the calls a forked checker or zygote makes on itself (recorded, never
    applied to the test process); ``os._exit`` raises :class:`_Exited`."""
    import resource

    kernel = _Kernel([], [], [], [])

    def set_signal(signum: int, handler: Any) -> None:
        if signals_fail:
            raise OSError("no signal for you")
        kernel.signals.append((signum, handler))

    def exit_now(code: int) -> None:
        raise _Exited(code)

    monkeypatch.setattr(signal, "signal", set_signal)
    monkeypatch.setattr(signal, "alarm", kernel.alarms.append)
    monkeypatch.setattr(
        resource, "setrlimit", lambda which, pair: kernel.limits.append((which, pair))
    )
    monkeypatch.setattr(os, "closerange", lambda low, high: kernel.closed.append((low, high)))
    monkeypatch.setattr(os, "_exit", exit_now)
    return kernel


def _checker(
    monkeypatch: pytest.MonkeyPatch, data: bytes, **kernel: bool
) -> tuple[bytes, int, _Kernel]:
    """Run ``_checker`` on a socket holding ``data``: its answer, exit code and kernel calls."""
    recorded = _kernel(monkeypatch, **kernel)
    ours, theirs = socket.socketpair()
    fd = theirs.detach()
    ours.settimeout(60)
    ours.sendall(data)
    ours.shutdown(socket.SHUT_WR)
    try:
        with pytest.raises(_Exited) as exited:
            pdf_box._checker(fd, 1 << 45)
    finally:
        monkeypatch.undo()
    try:
        os.fstat(fd)
    except OSError:  # closed by the checker: its answer follows
        return read_all(ours), exited.value.code, recorded
    os.close(fd)  # never taken: no answer (its unread data would reset the connection)
    ours.close()
    return b"", exited.value.code, recorded


def test_a_checker_process_sets_its_alarm_and_limits_answers_and_exits_0(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import resource

    raw = pdf_factory.valid_pdf(3)
    answer, code, kernel = _checker(monkeypatch, header(raw, wall_seconds=7.5) + raw)
    assert Inspection.from_json(answer) == Inspection((), (), 3) and code == 0
    # The alarm's default action is death: no handler of the zygote's survives into it.
    assert kernel.signals == [(signal.SIGALRM, signal.SIG_DFL)]
    assert kernel.alarms == [8]
    assert kernel.limits[:2] == [
        (resource.RLIMIT_CPU, (5, 6)),
        (resource.RLIMIT_AS, ((1 << 45) + 300 * MIB, (1 << 45) + 300 * MIB)),
    ]
    assert len(kernel.limits) == 5
    assert len(kernel.closed) == 2 and kernel.closed[0][0] == 3


def test_a_checker_process_that_cannot_answer_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = pdf_factory.valid_pdf(3)
    answer, code, _ = _checker(monkeypatch, header(raw) + raw[:-1])
    assert (answer, code) == (b"", 1)


def test_a_checker_process_that_fails_before_its_check_exits_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = pdf_factory.valid_pdf(1)
    answer, code, kernel = _checker(monkeypatch, header(raw) + raw, signals_fail=True)
    assert (answer, code) == (b"", 1)
    assert kernel.closed == []  # it never reached its socket


def test_the_zygote_process_ignores_ctrl_c_says_ready_and_closes_its_socket_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kernel = _kernel(monkeypatch)
    ours, theirs = socket.socketpair()
    fd = theirs.detach()
    ours.settimeout(60)
    ours.shutdown(socket.SHUT_WR)  # the server gone: the zygote says ready, then ends
    try:
        pdf_box._main(["/srv/common/pdf_box.py", str(fd)])
    finally:
        monkeypatch.undo()
    # Ready, then the end of its socket (closed by _main: nothing else holds it).
    assert read_all(ours) == b"R"
    assert kernel.signals == [(signal.SIGINT, signal.SIG_IGN)]


def test_a_box_is_an_inspector_of_raw_bytes_and_a_page_limit() -> None:
    box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=30))
    inspector: pdf_preflight.Inspector = box
    raw = pdf_factory.valid_pdf(3)
    assert inspector(raw, 2) == Inspection((PreflightCode.TOO_MANY_PAGES,), (), 3)
    assert inspector(raw, 3) == Inspection((), (), 3)
    PdfBox.stop()


# -- clocks and bookkeeping, without waiting for them ------------------------------------------


class _SilentChecker:
    """A checker's socket as ``_converse`` uses it: the timeouts it is given are recorded,
    what it is sent is dropped, and it never answers."""

    def __init__(self) -> None:
        self.timeouts: list[float] = []

    def settimeout(self, seconds: float) -> None:
        self.timeouts.append(seconds)

    def sendall(self, data: bytes) -> None:
        pass

    def shutdown(self, how: int) -> None:
        pass

    def recv(self, size: int) -> bytes:
        raise TimeoutError


def _clock(monkeypatch: pytest.MonkeyPatch, *readings: float) -> None:
    """``pdf_box``'s monotonic clock reads ``readings``, then the last one for ever."""
    left = list(readings)
    now = types.SimpleNamespace(monotonic=lambda: left.pop(0) if len(left) > 1 else left[0])
    monkeypatch.setattr(pdf_box, "time", now)


def test_the_box_waits_for_an_answer_its_wall_clock_and_one_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _clock(monkeypatch, 100.0)
    checker = _SilentChecker()
    box = PdfBox(BoxLimits(wall_seconds=2.5))
    assert box._converse(checker, b"%PDF-1.7", 7) == Inspection.too_complex()  # type: ignore[arg-type]
    assert checker.timeouts == [3.5, 3.5]  # sending, then reading


def test_past_its_deadline_the_box_still_sends_for_a_tenth_and_reads_for_a_hundredth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _clock(monkeypatch, 100.0, 200.0)
    checker = _SilentChecker()
    box = PdfBox(BoxLimits(wall_seconds=2.5))
    assert box._converse(checker, b"%PDF-1.7", 7) == Inspection.too_complex()  # type: ignore[arg-type]
    assert checker.timeouts == [0.1, 0.01]


def test_the_zygote_looks_at_its_checkers_every_half_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import select

    waits: list[float] = []

    def wait(read: Any, write: Any, error: Any, timeout: float) -> Any:
        waits.append(timeout)
        return select.select(read, write, error, timeout)

    monkeypatch.setattr(pdf_box, "select", types.SimpleNamespace(select=wait))
    ours, theirs = socket.socketpair()
    ours.shutdown(socket.SHUT_WR)  # the server gone: one look, then the end
    with ours, theirs:
        pdf_box._zygote(theirs)
        assert ours.recv(1) == b"R"
    assert waits == [0.5]


def _sleeper() -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        time.sleep(60)
        os._exit(0)
    return pid


def test_reaping_forgets_the_checkers_that_ended_and_keeps_the_others() -> None:
    PdfBox.stop()  # no zygote of this process to be reaped by mistake
    ended = os.fork()
    if ended == 0:  # pragma: no cover - the child
        os._exit(0)
    alive = _sleeper()
    try:
        while _state(ended) != "Z":
            time.sleep(0.01)
        due = time.monotonic() + 60
        running = {ended: due, alive: due}
        pdf_box._reap(running)
        assert running == {alive: due}
        assert _state(ended) is None  # collected
    finally:
        os.kill(alive, signal.SIGKILL)
        os.waitpid(alive, 0)


def test_a_checker_gone_by_the_time_it_is_killed_is_no_error() -> None:
    PdfBox.stop()
    alive = _sleeper()  # a child still running: the reaping stops there
    # A pid no process can have: the checker ended and was collected by someone else.
    gone = int(Path("/proc/sys/kernel/pid_max").read_text())
    try:
        running = {gone: time.monotonic() - 1}
        pdf_box._reap(running)
        assert _state(alive) not in (None, "Z")
    finally:
        os.kill(alive, signal.SIGKILL)
        os.waitpid(alive, 0)


def test_a_checker_s_work_ends_when_its_parent_stays_silent_past_the_longest_wall_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf_box, "_MAX_WALL", 0.3)
    ours, theirs = socket.socketpair()
    raised: list[BaseException] = []

    def run() -> None:
        try:
            pdf_box._serve(theirs, 1 << 45, lambda limits: None)
        except BaseException as err:
            raised.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    still_waiting = thread.is_alive()
    ours.close()  # ends a checker that would have waited for ever
    thread.join(10)
    theirs.close()
    assert not still_waiting and isinstance(raised[0], TimeoutError)


def test_a_zygote_that_ended_is_replaced_though_its_socket_is_still_held_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first zygote leaves a child holding its control socket, says ready and ends:
    # a socket that still takes hand-overs is no sign of a zygote alive.
    PdfBox.stop()
    holder = tmp_path / "holder"
    body = (
        "child = os.fork()\n"
        "if child == 0:\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        f"open({str(holder)!r}, 'w').write(str(child))\n"
        'os.write(control, b"R")\n'
    )
    monkeypatch.setattr(sys, "executable", _fake_interpreter(tmp_path, body))
    try:
        PdfBox.start()
        ended = pdf_box._ZYGOTE._process
        assert ended is not None
        ended.wait(30)
        monkeypatch.undo()  # the real interpreter from here on
        box = PdfBox(BoxLimits(memory_mb=300, cpu_seconds=5, wall_seconds=2))
        assert box.inspect(pdf_factory.valid_pdf(2), 2000) == Inspection((), (), 2)
        assert pdf_box._ZYGOTE._process is not ended
    finally:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            os.kill(int(holder.read_text()), signal.SIGKILL)
        PdfBox.stop()
