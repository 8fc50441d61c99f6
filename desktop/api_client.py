"""The desktop's HTTP client for the sync server (no Qt here: services call it on workers).

Every failure becomes an :class:`ApiError` whose message says what happened and what to do
next, so the UI can show it as it is. Tokens live in memory; the refresh token is handed to
the caller, which decides whether the OS keyring may keep it.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import requests

from common.protocol import ChangesResponse, MutationResult, TokenResponse

TIMEOUT = (5.0, 60.0)  # connect, read
CHUNK = 1024 * 1024


class ApiError(Exception):
    """A request that did not succeed; ``kind`` lets callers react without parsing text."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        status: int | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind  # "offline", "auth", "conflict", "refused", "server", "integrity"
        self.status = status
        self.body = body or {}


class Offline(ApiError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"The server at {url} can't be reached. You can keep working: "
            "changes are kept on this computer and sent when it is back.",
            kind="offline",
        )


@dataclass
class Session:
    access_token: str
    refresh_token: str
    user: dict[str, Any]


class ApiClient:
    """One server, one signed-in user. Thread-safe for concurrent requests."""

    def __init__(self, base_url: str, *, verify: bool | str = True) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = requests.Session()
        self._http.verify = verify
        self._lock = threading.Lock()
        self.session: Session | None = None
        self.on_tokens: Callable[[Session], None] = lambda session: None

    # -- plumbing ---------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def _send(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        **kwargs: Any,
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            if self.session is None:
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

    def _call(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        **kwargs: Any,
    ) -> requests.Response:
        """A request that refreshes the access token once when the server says it expired."""
        response = self._send(method, path, auth=auth, **kwargs)
        if response.status_code == 401 and auth and self.session is not None:
            self.refresh()
            response = self._send(method, path, auth=auth, **kwargs)
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    # -- auth -------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> Session:
        response = self._send(
            "POST",
            "/api/v1/auth/login",
            auth=False,
            json={"username": username, "password": password},
        )
        if response.status_code >= 400:
            raise _error_from(response)
        return self._adopt(TokenResponse.model_validate_json(response.content))

    def resume(self, refresh_token: str) -> Session:
        """Sign in again with a refresh token kept from an earlier session."""
        self.session = Session("", refresh_token, {})
        return self.refresh()

    def refresh(self) -> Session:
        with self._lock:
            if self.session is None:
                raise ApiError("You are not signed in.", kind="auth")
            response = self._send(
                "POST",
                "/api/v1/auth/refresh",
                auth=False,
                json={"refresh_token": self.session.refresh_token},
            )
            if response.status_code >= 400:
                self.session = None
                error = _error_from(response)
                raise ApiError(f"{error} Sign in again.", kind="auth", status=error.status)
            return self._adopt(TokenResponse.model_validate_json(response.content))

    def _adopt(self, tokens: TokenResponse) -> Session:
        self.session = Session(
            tokens.access_token, tokens.refresh_token, tokens.user.model_dump(mode="json")
        )
        self.on_tokens(self.session)
        return self.session

    def logout(self) -> None:
        if self.session is None:
            return
        try:
            self._send(
                "POST", "/api/v1/auth/logout", json={"refresh_token": self.session.refresh_token}
            )
        finally:
            self.session = None

    # -- sync -------------------------------------------------------------------------------

    def changes(self, since: str | None, limit: int = 1000) -> ChangesResponse:
        params: dict[str, Any] = {"limit": limit}
        if since:
            params["since"] = since
        response = self._call("GET", "/api/v1/sync/changes", params=params)
        return ChangesResponse.model_validate(orjson.loads(response.content))

    def push(self, client_id: str, mutations: list[dict[str, Any]]) -> list[MutationResult]:
        response = self._call(
            "POST", "/api/v1/sync/push", json={"client_id": client_id, "mutations": mutations}
        )
        return [MutationResult.model_validate(r) for r in orjson.loads(response.content)["results"]]

    def case_history(self, case_id: str) -> list[dict[str, Any]]:
        """The case's audit history (court and EOIR staff), oldest first."""
        response = self._call("GET", f"/api/v1/cases/{case_id}/history")
        entries: list[dict[str, Any]] = orjson.loads(response.content)["entries"]
        return entries

    # -- blobs ------------------------------------------------------------------------------

    def upload(
        self,
        data: bytes,
        progress: Callable[[int, int], None] = lambda d, t: None,
    ) -> str:
        """Upload ``data`` (resuming where the server has it); returns its SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        start = self._call(
            "POST", "/api/v1/blobs/uploads", json={"sha256": sha256, "size": len(data)}
        ).json()
        if start.get("exists"):
            progress(len(data), len(data))
            return sha256
        upload_id, offset = start["upload_id"], int(start["offset"])
        while offset < len(data):
            chunk = data[offset : offset + CHUNK]
            response = self._call(
                "PATCH",
                f"/api/v1/blobs/uploads/{upload_id}",
                data=chunk,
                headers={
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            offset = int(response.json()["offset"])
            progress(offset, len(data))
        return sha256

    def download(self, sha256: str, *, start: int = 0) -> Iterator[bytes]:
        """The blob's bytes from ``start`` (a Range request when resuming)."""
        headers = {"Range": f"bytes={start}-"} if start else {}
        response = self._call("GET", f"/api/v1/blobs/{sha256}", headers=headers, stream=True)
        if start and response.status_code != 206:
            raise ApiError("The server ignored the resume request.", kind="server")
        return response.iter_content(CHUNK)


def _error_from(response: requests.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") or body.get("title") or response.reason
    status = response.status_code
    if status in (401, 429):
        return ApiError(str(detail), kind="auth", status=status, body=body)
    if status >= 500:
        return ApiError(
            "The server had a problem handling the request. Try again in a "
            "moment; if it keeps happening, tell your IT staff.",
            kind="server",
            status=status,
            body=body,
        )
    return ApiError(str(detail), kind="refused", status=status, body=body)
