"""The desktop's HTTP client for the sync server (no Qt here: services call it on workers).

Every failure becomes an :class:`ApiError` whose one-line message says what happened and
what to do next, so the UI (and ``ecas-desktop sync``) can show it as it is: a connection
that drops mid-answer, a cut-off or garbled body, an answer in a shape this version does not
know, a proxy's HTML error page, a download that breaks off half-way. Nothing else leaves
this module. Tokens live in memory; the refresh token is handed to the caller, which decides
whether the OS keyring may keep it.
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
import pydantic
import requests

from common.protocol import ChangesResponse, MutationResult, TokenResponse
from desktop.errors import ApiError as ApiError  # raised here; kept importable from here
from desktop.errors import Offline as Offline

T = TypeVar("T")

TIMEOUT = (5.0, 60.0)  # connect, read
CHUNK = 1024 * 1024


# A sign-in the server answered "busy" (503 with Retry-After) is tried again for this long.
BUSY_GIVE_UP_SECONDS = 120.0


def _busy_pause(response: requests.Response) -> float | None:
    """Seconds to wait before signing in again when the ECAS server itself (a JSON problem,
    not a proxy's error page) answered 503 with Retry-After; None otherwise. A random part
    of up to half the wait spreads a crowd of clients out."""
    if response.status_code != 503:
        return None
    if "json" not in response.headers.get("Content-Type", "").lower():
        return None
    try:
        seconds = int(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
    if seconds < 0:
        return None
    return max(1, seconds) * (1 + random.random() / 2)


# Statuses a reverse proxy answers when the ECAS server behind it is down or restarting.
_GATEWAY = (502, 503, 504)
_BAD_ADDRESS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
)


def _broken_off(what: str) -> ApiError:
    """The connection dropped (or the body could not be decoded) while an answer arrived."""
    return ApiError(
        f"The connection broke off while receiving the server's answer to {what}. Your "
        "changes are kept on this computer; try again in a moment (sync retries on its own).",
        kind="offline",
    )


def _unreadable(what: str, response: requests.Response, err: Exception) -> ApiError:
    """A successful answer that is not the JSON this client expects, said in one line."""
    if "html" in response.headers.get("Content-Type", "").lower():
        # A proxy, a network sign-in page or a wrong address answered, not ECAS.
        return ApiError(
            f"The answer to {what} was a web page, not the ECAS server's: a proxy or a "
            "network sign-in page may be in the way. Check the network and the server "
            "address, then try again.",
            kind="offline",
        )
    if isinstance(err, pydantic.ValidationError | KeyError | TypeError):
        return ApiError(
            f"The server's answer to {what} is not in the form this version of ECAS "
            "understands (the server may run another version). Your changes are kept on "
            "this computer; tell your IT staff.",
            kind="server",
        )
    return ApiError(
        f"The server's answer to {what} was cut off or garbled (not valid JSON). Your "
        "changes are kept on this computer; try again in a moment, and tell your IT staff "
        "if it keeps happening.",
        kind="server",
    )


def _parse(what: str, response: requests.Response, read: Callable[[Any], T]) -> T:
    """``read(the JSON body)``, every way a body can be wrong turned into an ApiError."""
    try:
        return read(orjson.loads(response.content))
    except requests.RequestException as err:  # a streamed body broke off
        raise _broken_off(what) from err
    except (ValueError, KeyError, TypeError) as err:
        # orjson.JSONDecodeError and pydantic.ValidationError are ValueErrors too.
        raise _unreadable(what, response, err) from err


@dataclass
class Session:
    access_token: str
    refresh_token: str
    user: dict[str, Any]


class ApiClient:
    """One server, one signed-in user. Thread-safe for concurrent requests."""

    def __init__(
        self, base_url: str, *, verify: bool | str = True, client_id: str | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # This installation's id (the local store's): sent with each refresh, so the server
        # can tell this client retrying a refresh whose answer was lost from a token's reuse.
        self.client_id = client_id
        self._http = requests.Session()
        self._http.verify = verify
        self._lock = threading.Lock()
        self.session: Session | None = None
        self.on_tokens: Callable[[Session], None] = lambda session: None
        # Told "The server is busy; retrying in N s" while a sign-in waits its turn.
        self.on_busy: Callable[[str], None] = lambda message: None

    # -- plumbing ---------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def _send(
        self,
        method: str,
        path: str,
        *,
        what: str,
        auth: bool = True,
        **kwargs: Any,
    ) -> requests.Response:
        """One request; ``what`` names it in messages ("the sync request")."""
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            if self.session is None or not self.session.access_token:
                raise ApiError("You are not signed in.", kind="auth")
            headers["Authorization"] = f"Bearer {self.session.access_token}"
        try:
            return self._http.request(
                method,
                self._url(path),
                headers=headers,
                timeout=kwargs.pop("timeout", TIMEOUT),
                **kwargs,
            )
        except (requests.ConnectionError, requests.Timeout) as err:
            raise Offline(self.base_url) from err
        except _BAD_ADDRESS as err:
            raise ApiError(
                f'"{self.base_url}" is not a server address ECAS can use. Enter it as '
                "https://server.name (your IT staff know it).",
                kind="refused",
            ) from err
        except requests.RequestException as err:
            # The body broke off (ChunkedEncodingError), could not be decoded
            # (ContentDecodingError), endless redirects…: the request's outcome is unknown.
            raise _broken_off(what) from err

    def _call(
        self,
        method: str,
        path: str,
        *,
        what: str,
        auth: bool = True,
        **kwargs: Any,
    ) -> requests.Response:
        """A request that refreshes the access token once when the server says it expired."""
        response = self._send(method, path, what=what, auth=auth, **kwargs)
        if response.status_code == 401 and auth and self.session is not None:
            response.close()
            self.refresh()
            response = self._send(method, path, what=what, auth=auth, **kwargs)
        if response.status_code >= 400:
            raise _error_from(response, what)
        return response

    # -- auth -------------------------------------------------------------------------------

    def login(self, username: str, password: str, otp: str | None = None) -> Session:
        """Sign in; ``otp`` is the code from an authenticator app (or a recovery code) that
        court administrators and external users send with the password."""
        what = "the sign-in"
        body = {"username": username, "password": password}
        if otp:
            body["otp"] = otp
        waited = 0.0
        while True:
            response = self._send(
                "POST",
                "/api/v1/auth/login",
                what=what,
                auth=False,
                json=body,
            )
            pause = _busy_pause(response)
            if pause is None or waited + pause > BUSY_GIVE_UP_SECONDS:
                break
            # The server is signing many people in at once and said when to come back:
            # wait that long (plus a little, so a crowd of clients doesn't return together).
            response.close()
            self.on_busy(f"The server is busy; retrying in {math.ceil(pause)} s")
            time.sleep(pause)
            waited += pause
        if response.status_code >= 400:
            raise _error_from(response, what)
        return self._adopt(_parse(what, response, TokenResponse.model_validate))

    def resume(self, refresh_token: str) -> Session:
        """Sign in again with a refresh token kept from an earlier session."""
        self.session = Session("", refresh_token, {})
        return self.refresh()

    def refresh(self) -> Session:
        """New tokens for the refresh token. When the answer is lost (offline, cut off,
        unreadable) the session is kept as it was: the server accepts the same refresh token
        again from this client for a short grace window, so a retry does not end it."""
        what = "the session refresh"
        with self._lock:
            if self.session is None:
                raise ApiError("You are not signed in.", kind="auth")
            body = {"refresh_token": self.session.refresh_token}
            if self.client_id:
                body["client_id"] = self.client_id
            response = self._send("POST", "/api/v1/auth/refresh", what=what, auth=False, json=body)
            if response.status_code >= 500:
                raise _error_from(response, what)  # the server's trouble, not the session's
            if response.status_code >= 400:
                self.session = None
                error = _error_from(response, what)
                message = str(error)
                if "sign in again" not in message.lower():
                    message = f"{message.rstrip('.')}. Sign in again."
                raise ApiError(message, kind="auth", status=error.status)
            return self._adopt(_parse(what, response, TokenResponse.model_validate))

    def _adopt(self, tokens: TokenResponse) -> Session:
        self.session = Session(
            tokens.access_token, tokens.refresh_token, tokens.user.model_dump(mode="json")
        )
        self.on_tokens(self.session)
        return self.session

    def logout(self) -> None:
        """End this session on the server (refreshing an expired access token first, so
        the sign-out is not lost to a 401). Raises :class:`ApiError` when the server could
        not be told; the session is dropped from memory either way."""
        if self.session is None:
            return
        try:
            self._call(
                "POST",
                "/api/v1/auth/logout",
                what="the sign-out",
                json={"refresh_token": self.session.refresh_token},
            ).close()
        finally:
            self.session = None

    # -- sync -------------------------------------------------------------------------------

    def changes(self, since: str | None, limit: int = 1000) -> ChangesResponse:
        params: dict[str, Any] = {"limit": limit}
        if since:
            params["since"] = since
        what = "the request for changes"
        response = self._call("GET", "/api/v1/sync/changes", what=what, params=params)
        return _parse(what, response, ChangesResponse.model_validate)

    def push(self, client_id: str, mutations: list[dict[str, Any]]) -> list[MutationResult]:
        what = "the sending of your changes"
        response = self._call(
            "POST",
            "/api/v1/sync/push",
            what=what,
            json={"client_id": client_id, "mutations": mutations},
        )
        return _parse(
            what, response, lambda body: [MutationResult.model_validate(r) for r in body["results"]]
        )

    def case_history(self, case_id: str) -> list[dict[str, Any]]:
        """The case's audit history (court and EOIR staff), oldest first."""
        what = "the request for the case's history"
        response = self._call("GET", f"/api/v1/cases/{case_id}/history", what=what)
        return _parse(what, response, lambda body: [dict(e) for e in body["entries"]])

    def rotate_access_code(self, case_id: str) -> tuple[str, str]:
        """A new case access code for an open case of the clerk's court: (the A-number as
        shown, the code). The server keeps only its hash and audits the change; the old
        code stops working at once. The code is in this answer alone."""
        what = "the request for a new case access code"
        response = self._call("POST", f"/api/v1/cases/{case_id}/access-code", what=what)
        return _parse(what, response, lambda body: (str(body["a_number"]), str(body["code"])))

    def healthz(self) -> bool:
        """Whether the server answers and its database is up (no sign-in needed): how a
        client working offline notices that the server is back."""
        try:
            response = self._send("GET", "/healthz", what="the health check", auth=False)
        except ApiError:
            return False
        with response:
            if response.status_code != 200:
                return False
            try:
                return bool(orjson.loads(response.content).get("status") == "ok")
            except (ValueError, AttributeError, requests.RequestException):
                return False  # a proxy's page or a garbled answer: not back yet

    def server_version(self) -> str:
        """The ECAS version the server runs (``GET /api/version``, no sign-in needed), for
        Help > About. Raises :class:`ApiError` when the server can't be asked."""
        what = "the request for the server's version"
        response = self._call("GET", "/api/version", what=what, auth=False, timeout=(3.0, 5.0))
        return _parse(what, response, lambda body: str(body["version"]))

    # -- blobs ------------------------------------------------------------------------------

    def upload(
        self,
        data: bytes,
        progress: Callable[[int, int], None] = lambda d, t: None,
    ) -> str:
        """Upload ``data`` (resuming where the server has it); returns its SHA-256 once the
        server confirmed it holds the document, and raises :class:`ApiError` otherwise."""
        sha256 = hashlib.sha256(data).hexdigest()
        what = "the upload"
        started = self._call(
            "POST",
            "/api/v1/blobs/uploads",
            what=what,
            json={"sha256": sha256, "size": len(data)},
        )
        exists, upload_id, offset = _parse(
            what,
            started,
            lambda body: (
                bool(body.get("exists")),
                str(body.get("upload_id", "")),
                int(body.get("offset", 0)),
            ),
        )
        if exists:
            progress(len(data), len(data))
            return sha256
        if not upload_id:
            raise _unreadable(what, started, KeyError("upload_id"))
        # Done only when the server says the document is stored ("complete" on the PATCH
        # that brings the last byte). Bytes that all arrived earlier without being stored
        # get an empty PATCH at the end offset, which makes the server store them.
        while True:
            chunk = data[offset : offset + CHUNK]
            response = self._call(
                "PATCH",
                f"/api/v1/blobs/uploads/{upload_id}",
                what=what,
                data=chunk,
                headers={
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            sent_from = offset
            offset, complete = _parse(
                what, response, lambda body: (int(body["offset"]), bool(body["complete"]))
            )
            progress(offset, len(data))
            if complete:
                return sha256
            if offset >= len(data) or offset <= sent_from:
                raise ApiError(
                    "The server took the document's bytes but did not confirm that it "
                    "stored the document. Try again; if it keeps happening, tell your IT "
                    "staff.",
                    kind="server",
                )

    def download(self, sha256: str, *, start: int = 0, prefetch: bool = False) -> Iterator[bytes]:
        """The blob's bytes from ``start`` (a Range request when resuming). A connection
        that breaks off while the bytes arrive raises :class:`ApiError` from the iteration;
        the bytes already received stay good, and the next attempt resumes after them.
        ``prefetch``: a background download ahead of a hearing, which the server audits as
        such (a case's history does not show it as opened)."""
        what = "the document download"
        headers = {"Range": f"bytes={start}-"} if start else {}
        params = {"purpose": "prefetch"} if prefetch else None
        response = self._call(
            "GET",
            f"/api/v1/blobs/{sha256}",
            what=what,
            headers=headers,
            params=params,
            stream=True,
        )
        if start and response.status_code != 206:
            response.close()
            raise ApiError(
                "The server ignored the request to resume the download. Try again; if it "
                "keeps happening, tell your IT staff (a proxy may drop Range headers).",
                kind="server",
            )
        return _stream(response, what)


def _stream(response: requests.Response, what: str) -> Iterator[bytes]:
    with response:
        try:
            yield from response.iter_content(CHUNK)
        except requests.RequestException as err:
            # ChunkedEncodingError (reset mid-body), ContentDecodingError, a read timeout…
            raise ApiError(
                f"The connection broke off during {what}. The part already received is "
                "kept, and the download resumes from there next time.",
                kind="offline",
            ) from err


def _error_from(response: requests.Response, what: str) -> ApiError:
    """The refusal as one line: the server's problem detail, or what the status means when
    the answer is not the server's (a proxy's HTML page, an empty body)."""
    status = response.status_code
    try:
        parsed = orjson.loads(response.content)
    except (ValueError, requests.RequestException):
        parsed = None
    finally:
        response.close()
    body: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
    detail = body.get("detail") or body.get("title")
    detail = " ".join(str(detail).split()) if detail else None  # one line, whatever was sent
    if status in _GATEWAY and detail is None:
        # A reverse proxy's error page: the ECAS server behind it is down or restarting.
        return ApiError(
            f"The server could not answer {what} ({status} {response.reason} from the "
            "network in front of it): it may be restarting. Your changes are kept on this "
            "computer; try again in a few minutes, and tell your IT staff if it lasts.",
            kind="offline",
            status=status,
        )
    if status == 503 and detail and response.headers.get("Retry-After"):
        # The ECAS server itself is busy (a sign-in storm) and says so, and for how long.
        return ApiError(detail, kind="server", status=status, body=body)
    if status >= 500:
        return ApiError(
            f"The server had a problem handling {what} ({status}). Your changes are kept "
            "on this computer; try again in a moment, and tell your IT staff if it keeps "
            "happening.",
            kind="server",
            status=status,
            body=body,
        )
    if detail is None:
        detail = (
            f"The server refused {what} ({status} {response.reason}) without saying why. "
            "Check the server address; if it is right, tell your IT staff."
        )
    # A 429 is a sign-in matter only on the sign-in calls (too many failed attempts); on an
    # upload it means too many unfinished uploads, which signing in again would not help.
    if status == 401 or (status == 429 and "/api/v1/auth/" in response.url):
        return ApiError(detail, kind="auth", status=status, body=body)
    return ApiError(detail, kind="refused", status=status, body=body)
