"""A fault-injecting HTTP/1.1 proxy between real clients and a real server, on loopback.

The network between a court's desktop and the sync server loses answers, cuts bodies and
delivers late or twice. This proxy does each of those on purpose, one request at a time,
so tests can show that no edit is lost or applied twice whatever the network does:

* ``PASS``: forward the request, relay the answer;
* ``DROP_ANSWER``: forward the request and read the whole answer (so the server has done
  the work and committed), then reset the client's connection without a byte of it;
* ``TRUNCATE_ANSWER``: relay the answer's head and only part of its body, then close;
* ``DELAY``: relay the answer after a pause;
* ``DUPLICATE``: send the request to the server twice, one after the other, and relay one
  of the two answers (as a client library's retry or a proxy's replay would);
* ``CUT_REQUEST``: send the server the head and part of the body, then close both sides.

Each request's fault comes from a script (``script``: the next matching requests get these
faults, in order), else from a seeded random profile (``randomize``), else ``PASS``. The
choice happens in the order requests arrive, so one seed and one sequence of requests give
the same faults every run.

It speaks enough HTTP/1.1 for python-requests and the Werkzeug server: keep-alive towards
the client, one fresh upstream connection per request, bodies framed by Content-Length,
chunked transfer coding or the end of the connection (relayed with a Content-Length).
It is bounded: it listens on loopback only, limits connections, header and body sizes and
every socket wait, and stops by itself after ``lifetime`` seconds.
"""

from __future__ import annotations

import contextlib
import ipaddress
import random
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import TracebackType

MAX_HEAD = 64 * 1024  # request line or status line plus headers
MAX_BODY = 64 * 1024 * 1024
MAX_EVENTS = 20_000  # the log keeps the newest ones


class Fault(StrEnum):
    PASS = "pass"
    DROP_ANSWER = "drop_answer"
    TRUNCATE_ANSWER = "truncate_answer"
    DELAY = "delay"
    DUPLICATE = "duplicate"
    CUT_REQUEST = "cut_request"


@dataclass(frozen=True)
class Event:
    """What the proxy did with one request."""

    method: str
    path: str
    fault: Fault
    forwarded: int  # how many times the whole request reached the server
    status: int | None  # the server's status (of the answer relayed or dropped), if any
    delivered: bool  # the client received the complete answer
    error: str | None = None  # why the proxy could not do what it was asked


class ProxyError(Exception):
    """A malformed or oversized message, or a peer that went away mid-message."""


@dataclass
class _Message:
    """One HTTP request or response, body already de-framed."""

    start_line: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""

    def header(self, name: bytes) -> bytes | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    @property
    def method(self) -> str:
        return self.start_line.split(b" ", 1)[0].decode("latin-1")

    @property
    def path(self) -> str:
        parts = self.start_line.split(b" ")
        return parts[1].decode("latin-1") if len(parts) > 1 else ""

    @property
    def status(self) -> int:
        parts = self.start_line.split(b" ")
        try:
            return int(parts[1])
        except (IndexError, ValueError) as err:
            raise ProxyError(f"bad status line {self.start_line[:80]!r}") from err

    def head(self, *, connection: bytes) -> bytes:
        """The start line and headers, re-framed: hop-by-hop headers replaced, the whole
        body announced by Content-Length."""
        hop_by_hop = {b"connection", b"keep-alive", b"transfer-encoding", b"content-length"}
        lines = [self.start_line]
        lines += [k + b": " + v for k, v in self.headers if k.lower() not in hop_by_hop]
        lines += [b"Content-Length: " + str(len(self.body)).encode(), b"Connection: " + connection]
        return b"\r\n".join(lines) + b"\r\n\r\n"


class _Reader:
    """Buffered reads from a socket whose timeout bounds every wait."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buffer += chunk
        return True

    def at_eof(self) -> bool:
        """True when the peer closed before sending anything more (between messages)."""
        return not self.buffer and not self._fill()

    def read_until(self, marker: bytes, limit: int) -> bytes:
        while marker not in self.buffer:
            if len(self.buffer) > limit:
                raise ProxyError(f"no {marker!r} within {limit} bytes")
            if not self._fill():
                raise ProxyError("the peer closed the connection mid-message")
        line, self.buffer = self.buffer.split(marker, 1)
        return line

    def read_exact(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._fill():
                raise ProxyError("the peer closed the connection mid-body")
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def read_to_eof(self, limit: int) -> bytes:
        while self._fill():
            if len(self.buffer) > limit:
                raise ProxyError(f"a body over {limit} bytes")
        data, self.buffer = self.buffer, b""
        return data


def _read_message(reader: _Reader, *, request_method: str | None = None) -> _Message:
    """Read one message; ``request_method`` set means a response to that request."""
    head = reader.read_until(b"\r\n\r\n", MAX_HEAD)
    start_line, *header_lines = head.split(b"\r\n")
    headers: list[tuple[bytes, bytes]] = []
    for line in header_lines:
        name, colon, value = line.partition(b":")
        if not colon or not name.strip():
            raise ProxyError(f"bad header line {line[:80]!r}")
        headers.append((name.strip(), value.strip()))
    message = _Message(start_line, headers)
    if request_method is not None:
        status = message.status
        if 100 <= status < 200:  # an interim answer: the real one follows
            return _read_message(reader, request_method=request_method)
        if request_method == "HEAD" or status in (204, 304):
            return message
    message.body = _read_body(reader, message, is_response=request_method is not None)
    return message


def _read_body(reader: _Reader, message: _Message, *, is_response: bool) -> bytes:
    coding = (message.header(b"transfer-encoding") or b"").lower()
    if coding:
        if coding != b"chunked":
            raise ProxyError(f"unsupported transfer coding {coding!r}")
        return _read_chunked(reader)
    length = message.header(b"content-length")
    if length is not None:
        try:
            size = int(length)
        except ValueError as err:
            raise ProxyError(f"bad Content-Length {length!r}") from err
        if not 0 <= size <= MAX_BODY:
            raise ProxyError(f"a body of {size} bytes is outside 0..{MAX_BODY}")
        return reader.read_exact(size)
    # A request without framing has no body; a response runs to the end of the connection.
    return reader.read_to_eof(MAX_BODY) if is_response else b""


def _read_chunked(reader: _Reader) -> bytes:
    body = bytearray()
    while True:
        size_line = reader.read_until(b"\r\n", 1024)
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError as err:
            raise ProxyError(f"bad chunk size {size_line[:40]!r}") from err
        if size == 0:
            while reader.read_until(b"\r\n", MAX_HEAD):  # trailers, up to the blank line
                pass
            return bytes(body)
        if len(body) + size > MAX_BODY:
            raise ProxyError(f"a body over {MAX_BODY} bytes")
        body += reader.read_exact(size)
        reader.read_until(b"\r\n", 2)


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a crashed peer or a middlebox would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


@dataclass
class _Script:
    faults: deque[Fault]
    path_prefix: str


@dataclass
class _Profile:
    rng: random.Random
    rates: dict[Fault, float]
    path_prefix: str


@dataclass
class _Choice:
    fault: Fault
    fraction: float  # how much of a body to keep when cutting or truncating, in [0, 1)
    delay: float  # seconds
    answer_first: bool  # for DUPLICATE: relay the first answer (else the replay's)


@dataclass
class FaultProxy:
    """``with FaultProxy(server_port) as proxy:`` — clients use ``proxy.url``."""

    upstream_port: int
    upstream_host: str = "127.0.0.1"
    seed: int = 0  # for the sizes and pauses of scripted faults
    lifetime: float = 1800.0  # seconds; then it stops by itself
    io_timeout: float = 30.0  # any one socket wait
    idle_timeout: float = 120.0  # a client connection with no request for this long is closed
    max_connections: int = 32
    max_delay: float = 0.3
    events: deque[Event] = field(default_factory=lambda: deque(maxlen=MAX_EVENTS))

    def __post_init__(self) -> None:
        if not ipaddress.ip_address(self.upstream_host).is_loopback:
            raise ValueError("the fault proxy only forwards to a loopback address")
        self._lock = threading.Lock()
        self._rng = random.Random(self.seed)
        self._scripts: deque[_Script] = deque()
        self._profile: _Profile | None = None
        self._stop = threading.Event()
        self._slots = threading.BoundedSemaphore(self.max_connections)
        self._clients: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)  # so the accept loop notices stop() and the lifetime
        self.port = int(self._listener.getsockname()[1])
        self._thread = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)
        self._started = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- control ----------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        if not self._started:
            self._started = True
            self._deadline = time.monotonic() + self.lifetime
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, close every client connection and wait for the accept loop."""
        self._stop.set()
        with self._lock:
            clients = list(self._clients)
        for sock in clients:
            _reset(sock)
        if self._started:
            self._thread.join(timeout=5)
        with contextlib.suppress(OSError):
            self._listener.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def script(self, *faults: Fault, path_prefix: str = "/") -> None:
        """The next requests whose path starts with ``path_prefix`` get ``faults``, one
        each, in order (after the faults scripted earlier); other requests are unaffected."""
        with self._lock:
            self._scripts.append(_Script(deque(faults), path_prefix))

    def randomize(self, seed: int, rates: Mapping[Fault, float], *, path_prefix: str = "/") -> None:
        """From now on each request under ``path_prefix`` that no script claims gets a
        fault drawn with these probabilities (the rest pass), from a generator seeded
        with ``seed``."""
        if sum(rates.values()) > 1:
            raise ValueError("the fault rates add up to more than 1")
        with self._lock:
            self._profile = _Profile(random.Random(seed), dict(rates), path_prefix)

    def unscript(self) -> None:
        """Drop the scripted faults still waiting (random faults go on)."""
        with self._lock:
            self._scripts.clear()

    def calm(self) -> None:
        """No more faults: scripts still waiting are dropped and random faults stop."""
        with self._lock:
            self._scripts.clear()
            self._profile = None

    def scripted_left(self) -> int:
        with self._lock:
            return sum(len(s.faults) for s in self._scripts)

    def log(self, since: int = 0) -> list[Event]:
        with self._lock:
            return list(self.events)[since:]

    # -- choosing a fault -------------------------------------------------------------------

    def _choose(self, path: str) -> _Choice:
        with self._lock:
            fault = Fault.PASS
            for script in self._scripts:
                if path.startswith(script.path_prefix) and script.faults:
                    fault = script.faults.popleft()
                    rng = self._rng
                    break
            else:
                profile = self._profile
                if profile is not None and path.startswith(profile.path_prefix):
                    rng = profile.rng
                    roll, total = rng.random(), 0.0
                    for candidate, rate in profile.rates.items():
                        total += rate
                        if roll < total:
                            fault = candidate
                            break
                else:
                    rng = self._rng
            while self._scripts and not self._scripts[0].faults:
                self._scripts.popleft()
            # Drawn for every request, whatever the fault, so the sequence of draws (and so
            # a seeded run) does not depend on which faults came before.
            fraction, delay, first = (
                rng.random() * 0.95,
                rng.random() * self.max_delay,
                rng.random(),
            )
            return _Choice(fault, fraction, delay, first < 0.5)

    # -- serving ----------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            if not self._slots.acquire(blocking=False):
                _reset(sock)  # too many connections: refuse rather than queue without bound
                continue
            with self._lock:
                self._clients.add(sock)
            threading.Thread(
                target=self._serve_client, args=(sock,), name="fault-proxy-conn", daemon=True
            ).start()
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            clients = list(self._clients)
        for sock in clients:
            _reset(sock)

    def _serve_client(self, sock: socket.socket) -> None:
        try:
            reader = _Reader(sock)
            while not self._stop.is_set():
                sock.settimeout(self.idle_timeout)
                if reader.at_eof():
                    break
                sock.settimeout(self.io_timeout)
                request = _read_message(reader)
                if not self._answer(sock, request):
                    break
        except (OSError, ProxyError):
            pass  # the client went away or sent garbage: nothing to answer
        finally:
            with self._lock:
                self._clients.discard(sock)
            if self._stop.is_set():
                _reset(sock)
            else:
                _close(sock)
            self._slots.release()

    def _answer(self, sock: socket.socket, request: _Message) -> bool:
        """Serve ``request`` under its fault; True when the client connection stays open."""
        choice = self._choose(request.path)
        fault = choice.fault
        if fault is Fault.CUT_REQUEST:
            error = self._send_cut(request, choice.fraction)
            self._record(request, fault, 0, None, False, error)
            _reset(sock)
            return False
        answers: list[_Message] = []
        error = None
        for _ in range(2 if fault is Fault.DUPLICATE else 1):
            try:
                answers.append(self._exchange(request))
            except (OSError, ProxyError) as err:
                error = f"upstream: {err}"
                break
        if not answers:
            # What a reverse proxy says when the server is down or died mid-request.
            self._record(request, fault, 0, None, False, error)
            sock.sendall(_bad_gateway())
            return False
        answer = answers[0] if choice.answer_first or len(answers) == 1 else answers[-1]
        status = answer.status
        if fault is Fault.DROP_ANSWER:
            self._record(request, fault, len(answers), status, False, error)
            _reset(sock)
            return False
        if fault is Fault.TRUNCATE_ANSWER:
            self._record(request, fault, len(answers), status, False, error)
            self._send_truncated(sock, answer, choice.fraction)
            return False
        if fault is Fault.DELAY:
            time.sleep(choice.delay)
        sock.sendall(answer.head(connection=b"keep-alive") + answer.body)
        self._record(request, fault, len(answers), status, True, error)
        return True

    def _exchange(self, request: _Message) -> _Message:
        """The server's whole answer to ``request``, on a connection of its own."""
        address = (self.upstream_host, self.upstream_port)
        with socket.create_connection(address, timeout=self.io_timeout) as upstream:
            upstream.sendall(request.head(connection=b"close") + request.body)
            return _read_message(_Reader(upstream), request_method=request.method)

    def _send_cut(self, request: _Message, fraction: float) -> str | None:
        """Send the server the head and part of the body (part of the head when there is
        no body), then close: the server must not act on a request it never fully got."""
        whole = request.head(connection=b"close") + request.body
        head_size = len(whole) - len(request.body)
        if request.body:
            keep = head_size + int(len(request.body) * fraction)
        else:
            keep = int(head_size * fraction)
        try:
            upstream = socket.create_connection(
                (self.upstream_host, self.upstream_port), timeout=self.io_timeout
            )
        except OSError as err:
            return f"upstream: {err}"
        try:
            upstream.sendall(whole[:keep])
        except OSError as err:
            return f"upstream: {err}"
        finally:
            _close(upstream)
        return None

    @staticmethod
    def _send_truncated(sock: socket.socket, answer: _Message, fraction: float) -> None:
        """The head promising the whole body, then only part of it, then the end of the
        connection (an empty body loses part of the head instead)."""
        head = answer.head(connection=b"keep-alive")
        if answer.body:
            data = head + answer.body[: int(len(answer.body) * fraction)]
        else:
            data = head[: max(1, int(len(head) * fraction))]
        with contextlib.suppress(OSError):
            sock.sendall(data)
        _close(sock)

    def _record(
        self,
        request: _Message,
        fault: Fault,
        forwarded: int,
        status: int | None,
        delivered: bool,
        error: str | None,
    ) -> None:
        event = Event(request.method, request.path, fault, forwarded, status, delivered, error)
        with self._lock:
            self.events.append(event)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


def _bad_gateway() -> bytes:
    body = b"The fault proxy could not reach the server.\n"
    return (
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
    )
