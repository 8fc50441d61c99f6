"""Untrusted PDFs are parsed in a box: a forked process with hard memory, CPU and
wall-clock limits, answering with a small JSON text.

How it is built, and why:

* One *zygote* per server process: a fresh interpreter (``python -I -m common.pdf_box``)
  started with an empty environment, no inherited file descriptors but its control
  socket, and the PDF library already imported. It never parses anything itself.
* For each check the parent makes a socket pair and hands one end to the zygote (file
  descriptor passing over a Unix socket). The zygote forks a *checker* for it; forking a
  process that has already imported PyMuPDF costs milliseconds (~10 on a small shared
  VM), where starting an interpreter and importing PyMuPDF costs ~650.
* The checker sets its own limits before it reads a byte: address space
  (``RLIMIT_AS``, the zygote's size plus the allowed memory), CPU seconds
  (``RLIMIT_CPU``, then killed by the kernel), no core files, no files written, no
  processes started, and an alarm left at its default action (death) for the wall clock.
  It reads the PDF from its socket, runs :func:`common.pdf_preflight.inspect_pdf` and
  writes :meth:`Inspection.to_json`.
* The parent sends the bytes, reads at most a few KiB back and validates them with
  :meth:`Inspection.from_json`: codes and details from fixed vocabularies and a page
  count. Nothing is unpickled, no message text comes from the checker. A checker that
  dies, hangs, answers garbage or too much is :meth:`Inspection.too_complex`: a refusal
  with a reason, never an error of the server.
* The zygote reaps its checkers and kills any still running past the wall clock (a
  checker whose alarm was defeated). When the parent's socket closes the zygote exits.

Only on POSIX systems with :mod:`resource`; :func:`box_available` says whether. The
server refuses to start without it; the desktop may check files it opens in-process.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from common.pdf_preflight import Inspection

_MIB = 1024 * 1024
_ANSWER_LIMIT = 64 * 1024  # an inspection is ~200 bytes; more is not an answer
_READY = b"R"
_STARTUP_SECONDS = 30.0  # the zygote imports PyMuPDF; on a loaded machine it takes a while


def box_available() -> bool:
    """Whether this platform can box a parse (POSIX with ``resource`` and fd passing)."""
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return hasattr(socket, "send_fds") and hasattr(os, "fork")


@dataclass(frozen=True)
class BoxLimits:
    """What one check may use: memory beyond the checker's own interpreter, CPU seconds,
    and seconds of wall clock (from the checker's start); ``concurrent`` checks at once
    per server process (others wait their turn, up to the wall clock)."""

    memory_mb: int = 1024
    cpu_seconds: int = 15
    wall_seconds: float = 20.0
    concurrent: int = 2


class BoxUnavailable(Exception):
    """The box could not run a check (it could not start, or every slot stayed busy):
    the server's problem, not the file's; the caller answers 503."""


class _Zygote:
    """The process's one zygote (the limits travel with each check, so every box of the
    process shares it); started on first use, again after it died or this process forked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._owner = 0

    def hand_over(self, wall_seconds: float) -> socket.socket:
        """A socket connected to a fresh checker, which the zygote kills once it has run
        ``wall_seconds`` and a grace (retrying once with a new zygote)."""
        for attempt in (1, 2):
            mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                with self._lock:
                    control = self._ensure()
                    note = f"{wall_seconds:.3f};".encode()
                    socket.send_fds(control, [note], [theirs.fileno()])
                return mine
            except OSError:
                mine.close()
                with self._lock:
                    self._stop()
                if attempt == 2:
                    raise BoxUnavailable("the PDF checker could not be started") from None
            finally:
                theirs.close()
        raise AssertionError("unreachable")

    def start(self) -> None:
        with self._lock:
            self._ensure()

    def lost(self) -> bool:
        """Whether the zygote has gone (its end of the control socket closed)."""
        with self._lock:
            self._disown()
            if self._control is None:
                return True
            try:
                self._control.setblocking(False)
                return self._control.recv(1, socket.MSG_PEEK) == b""
            except BlockingIOError:
                return False
            except OSError:
                return True
            finally:
                self._control.settimeout(5.0)

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _disown(self) -> None:
        """In a process forked since the zygote started, forget the parent's zygote (close
        this copy of its socket; never kill it): this process starts its own."""
        if self._owner != os.getpid():
            if self._control is not None:
                self._control.close()
            self._process, self._control, self._owner = None, None, os.getpid()

    def _ensure(self) -> socket.socket:
        self._disown()
        if self._process is not None and self._process.poll() is None and self._control:
            return self._control
        self._stop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            # An empty environment (no secrets, no database address), no descriptors but
            # its end of the control socket, its own session (a ^C to the server's group
            # is the server's to handle), and -I: no user site, no PYTHON* variables.
            self._process = subprocess.Popen(  # noqa: S603 - fixed arguments, our interpreter
                [sys.executable, "-I", "-m", "common.pdf_box", str(theirs.fileno())],
                env={"PATH": os.defpath, "LC_ALL": "C.UTF-8"},
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
            )
        finally:
            theirs.close()
        ours.settimeout(_STARTUP_SECONDS)
        try:
            ready = ours.recv(1)
        except OSError:
            ready = b""
        if ready != _READY:
            ours.close()
            self._stop()
            raise OSError("the PDF checker did not start")
        ours.settimeout(5.0)
        self._control = ours
        return ours

    def _stop(self) -> None:
        self._disown()  # a forked process stopping its box must not kill its parent's zygote
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)
            self._process = None


_ZYGOTE = _Zygote()


class PdfBox:
    """Runs :func:`common.pdf_preflight.inspect_pdf` in a limited child process.

    Thread-safe; an instance is an :data:`common.pdf_preflight.Inspector`. At most
    ``limits.concurrent`` checks of this box run at once.
    """

    def __init__(self, limits: BoxLimits | None = None) -> None:
        if not box_available():
            raise BoxUnavailable("this platform cannot box a PDF parse")
        self.limits = limits or BoxLimits()
        self._slots = threading.BoundedSemaphore(max(1, self.limits.concurrent))

    def __call__(self, raw: bytes, max_pages: int) -> Inspection:
        return self.inspect(raw, max_pages)

    def inspect(self, raw: bytes, max_pages: int) -> Inspection:
        """Inspect ``raw`` in a checker; ``too_complex`` when it breaks a limit or dies.
        Raises :class:`BoxUnavailable` only when no checker could be started, or no slot
        came free within the wall clock."""
        if not self._slots.acquire(timeout=self.limits.wall_seconds):
            raise BoxUnavailable("every PDF check slot stayed busy")
        try:
            for attempt in (1, 2):
                with _ZYGOTE.hand_over(self.limits.wall_seconds) as mine:
                    answer = self._converse(mine, raw, max_pages)
                # No answer at all because the zygote itself died (taking the socket it
                # was about to hand a checker): not the file's fault, so once more.
                if answer is not None or attempt == 2 or not _ZYGOTE.lost():
                    break
            return answer or Inspection.too_complex()
        finally:
            self._slots.release()

    @staticmethod
    def start() -> None:
        """Start the process's zygote now rather than on the first check."""
        _ZYGOTE.start()

    @staticmethod
    def stop() -> None:
        """Stop the process's zygote (the next check starts another)."""
        _ZYGOTE.stop()

    def _converse(self, mine: socket.socket, raw: bytes, max_pages: int) -> Inspection | None:
        """The checker's answer; None when it closed without a byte of one."""
        deadline = time.monotonic() + self.limits.wall_seconds + 1.0
        header = json.dumps(
            {
                "size": len(raw),
                "max_pages": max_pages,
                "memory_mb": self.limits.memory_mb,
                "cpu_seconds": self.limits.cpu_seconds,
                "wall_seconds": self.limits.wall_seconds,
            }
        ).encode()
        answer = bytearray()
        try:
            mine.settimeout(max(0.1, deadline - time.monotonic()))
            mine.sendall(header + b"\n")
            mine.sendall(raw)
            mine.shutdown(socket.SHUT_WR)
            while len(answer) <= _ANSWER_LIMIT:
                mine.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = mine.recv(4096)
                if not chunk:
                    break
                answer += chunk
            else:
                return Inspection.too_complex()
            return Inspection.from_json(bytes(answer)) if answer else None
        except TimeoutError:
            return Inspection.too_complex()
        except (OSError, ValueError):  # killed, crashed, or an answer not ours
            return None if not answer else Inspection.too_complex()


# -- the zygote's and the checker's side (run as ``python -I -m common.pdf_box FD``) --------


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _zygote(control: socket.socket) -> None:
    import pymupdf  # noqa: F401  (imported once here, so each checker forks with it loaded)

    from common import pdf_preflight  # noqa: F401

    base = _vm_bytes()
    running: dict[int, float] = {}  # checker pid: when it must be dead
    control.sendall(_READY)
    while True:
        readable, _, _ = select.select([control], [], [], 0.5)
        if readable:
            try:
                data, fds, _, _ = socket.recv_fds(control, 64, 16)
            except OSError:
                return
            if not data and not fds:
                return  # the parent went away
            walls = [_wall_of(note) for note in data.split(b";")]
            for number, fd in enumerate(fds):  # one checker for each socket handed over
                wall = walls[number] if number < len(walls) else _MAX_WALL
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the checker
                    control.close()
                    _checker(fd, base)
                os.close(fd)
                running[pid] = time.monotonic() + wall + _GRACE
        _reap(running)


def _reap(running: dict[int, float]) -> None:
    """Collect finished checkers; kill any past the longest wall clock a check may have
    (its own alarm should have ended it: this is for a checker that defeated it)."""
    while running:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            running.clear()
            return
        if pid == 0:
            break
        running.pop(pid, None)
    now = time.monotonic()
    for pid, due in list(running.items()):
        if now > due:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


_MAX_WALL = 15 * 60.0  # no setting allows a check longer than this
_GRACE = 3.0  # past its wall clock, a checker is killed by its zygote after this


def _wall_of(note: bytes) -> float:
    try:
        return min(max(float(note), 0.0), _MAX_WALL)
    except ValueError:
        return _MAX_WALL


@dataclass(frozen=True)
class _Limits:
    """What a checker holds itself to: the seconds before its alarm, CPU seconds (soft;
    the kernel kills at one more), and bytes of address space."""

    alarm: int
    cpu: int
    memory: int

    @classmethod
    def of(cls, header: dict[str, Any], base: int) -> _Limits:
        """From the check's header, for a checker whose zygote was ``base`` bytes."""
        wall = min(float(header["wall_seconds"]), _MAX_WALL)
        return cls(
            alarm=max(1, int(wall + 0.999)),
            cpu=max(1, int(header["cpu_seconds"])),
            memory=base + int(header["memory_mb"]) * _MIB,
        )


def _limit_self(
    limits: _Limits, setrlimit: Callable[[int, tuple[int, int]], None], alarm: Callable[[int], Any]
) -> None:
    """Arm the wall clock's alarm and set the process's limits (the checker passes
    ``resource.setrlimit`` and ``signal.alarm``)."""
    import resource

    alarm(limits.alarm)
    setrlimit(resource.RLIMIT_CPU, (limits.cpu, limits.cpu + 1))
    setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    setrlimit(resource.RLIMIT_CORE, (0, 0))
    setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    setrlimit(resource.RLIMIT_NPROC, (0, 0))  # the last: a test waits for it


_NEAR_LIMIT = 16 * _MIB  # a parse whose address space came this close ran out of memory


def _vm_peak() -> int:
    """The most address space this process has held, in bytes (0 if unknown)."""
    try:
        with open("/proc/self/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmPeak:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _verdict(inspection: Inspection, peaks: tuple[int, int], memory: int, said: str) -> Inspection:
    """What a checker answers for ``inspection``, made while its address space's peak went
    from ``peaks[0]`` to ``peaks[1]`` bytes, of the ``memory`` allowed, and MuPDF ``said``
    what it did (its errors and warnings).

    A parse that ran out of memory is too complex, whatever it found: MuPDF catches a
    refused allocation in many places and goes on with a broken object, a repair or a
    shorter file, so the inspection can read "damaged" (or find nothing wrong) where the
    box's memory limit stopped it. Out of memory: MuPDF mentions a failed allocation, or
    the parse raised the peak to within :data:`_NEAR_LIMIT` of the limit."""
    text = said.lower()
    before, after = peaks
    near = after > before and after > memory - _NEAR_LIMIT
    starved = near or "malloc" in text or "out of memory" in text
    return Inspection.too_complex() if starved else inspection


def _serve(conn: socket.socket, base: int, limit: Callable[[_Limits], None]) -> None:
    """A checker's work on its socket: read the header, ``limit`` itself before a byte of
    the PDF, read the PDF, answer its inspection. Raises when the PDF is cut short."""
    import pymupdf

    from common import pdf_preflight

    conn.settimeout(_MAX_WALL)
    with conn.makefile("rb") as reader:  # closed with the socket: the end of the answer
        header: dict[str, Any] = json.loads(reader.readline(4096))
        limits = _Limits.of(header, base)
        limit(limits)
        size = int(header["size"])
        raw = reader.read(size)
    if len(raw) != size:
        raise EOFError
    tools: Any = pymupdf.TOOLS  # MuPDF's errors and warnings, kept while it parses
    tools.reset_mupdf_warnings()
    before = _vm_peak()  # a fork inherits its zygote's peak
    inspection = pdf_preflight.inspect_pdf(raw, int(header["max_pages"]))
    said = str(tools.mupdf_warnings())
    answer = _verdict(inspection, (before, _vm_peak()), limits.memory, said)
    conn.sendall(answer.to_json().encode())


def _check(
    fd: int, base: int, closerange: Callable[[int, int], None], limit: Callable[[_Limits], None]
) -> int:
    """A checker's life on socket ``fd`` up to its exit code: 0 once it has answered.

    First it closes every descriptor but the standard three and its own (``closerange``):
    a descriptor inherited from the zygote (another check's socket, had it one open)
    would keep that check from ever seeing the end of its answer while this one lives."""
    try:
        closerange(3, fd)
        closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
        with socket.socket(fileno=fd) as conn:
            _serve(conn, base, limit)
    except BaseException:
        return 1
    return 0


def _checker(fd: int, base: int) -> None:  # pragma: no cover - runs in the forked child
    code = 1
    try:
        import resource

        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        limit = functools.partial(_limit_self, setrlimit=resource.setrlimit, alarm=signal.alarm)
        code = _check(fd, base, os.closerange, limit)
    finally:
        os._exit(code)


def _main(argv: list[str]) -> None:  # pragma: no cover - the zygote process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=int(argv[1]))
    try:
        _zygote(control)
    finally:
        control.close()


if __name__ == "__main__":  # pragma: no cover
    _main(sys.argv)
