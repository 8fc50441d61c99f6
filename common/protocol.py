"""Request and response shapes of the sync protocol (docs/PROTOCOL.md says what they mean).

The server validates requests and documents its API with these models; the client builds
requests and reads responses with the same ones.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from common.enums import Role
from common.wire import RecordId, Sha256


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


LABEL_PATTERN = "^[^\\x00-\\x1f\\x7f]*$"
"""A name or id a person or program chose (a username, a client's or group's id, an
entity): no control characters. NUL cannot be stored in a PostgreSQL text column at all."""
TEXT_PATTERN = "^[^\\x00]*$"
"""Free text (a reason): anything but NUL."""


def _not_a_boolean(value: Any) -> Any:
    if isinstance(value, bool):  # pydantic would read true as 1
        raise ValueError("must be a number, not true or false")
    return value


NotABoolean = BeforeValidator(_not_a_boolean)
"""With ``int``: an integer as JSON Schema's ``integer`` means it (3 and 3.0, never
``true``). Placed after the ``Field`` so the document keeps the field's bounds."""


class LoginRequest(_Message):
    username: Annotated[str, Field(min_length=1, max_length=150, pattern=LABEL_PATTERN)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]
    otp: (
        Annotated[
            str,
            Field(
                max_length=64,
                description=(
                    "Two-factor code, required for external accounts (attorney, accredited "
                    "representative, DHS): the current 6-digit code from the authenticator "
                    "app set up in the portal, or one unused recovery code. Each is "
                    "accepted once."
                ),
            ),
        ]
        | None
    ) = None


class RefreshRequest(_Message):
    refresh_token: Annotated[str, Field(min_length=1, max_length=512)]
    client_id: (
        Annotated[
            str,
            Field(
                min_length=1,
                max_length=64,
                pattern=LABEL_PATTERN,
                description=(
                    "The calling installation's id (the one it pushes with). A client that "
                    "sends it and loses the answer may present the same refresh token again "
                    "for a short grace window and gets fresh tokens; without it, any second "
                    "use of a refresh token ends the session."
                ),
            ),
        ]
        | None
    ) = None


class LogoutRequest(_Message):
    refresh_token: Annotated[str, Field(max_length=512)] | None = None


class SessionUser(_Message):
    id: str
    username: str
    role: Role
    court_id: str | None
    display_name: str


class TokenResponse(_Message):
    access_token: str
    refresh_token: str
    expires_in: int
    user: SessionUser


class Change(_Message):
    entity: str
    id: str
    version: int
    deleted: bool
    data: dict[str, Any]


class ChangesResponse(_Message):
    changes: list[Change]
    cursor: str
    has_more: bool
    reset: bool = False
    """True when the caller's scope changed since its cursor: drop local records of this
    server and apply these pages as a fresh start."""


class MutationOp(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"


class Mutation(_Message):
    mutation_id: RecordId
    entity: Annotated[str, Field(max_length=40, pattern=LABEL_PATTERN)]
    id: RecordId
    op: MutationOp
    base_version: Annotated[int, Field(ge=0, le=2**63 - 1), NotABoolean] | None = None
    data: dict[str, Any] | None = None
    group: (
        Annotated[
            str,
            Field(
                min_length=1,
                max_length=36,
                pattern=LABEL_PATTERN,
                description=(
                    "Mutations of one push that share a group are applied all or nothing: "
                    "one conflict or refusal refuses every member, each with the reason. "
                    "All members must be in the same push."
                ),
            ),
        ]
        | None
    ) = None

    def digest(self) -> str:
        """SHA-256 of what this mutation asks for (everything but its id): a mutation id
        names exactly one payload, and a replay is checked against this. Computed for
        refused data too (nested too deep to serialise recursively, a lone surrogate)."""
        content = self.model_dump(mode="json", exclude={"mutation_id", "data"})
        content["data"] = self.data  # as parsed from JSON; not walked recursively
        return hashlib.sha256(canonical_json(content).encode(errors="surrogatepass")).hexdigest()


MAX_DATA_DEPTH = 32
"""How deeply a pushed record's ``data`` may nest (objects and arrays); records nest a few
levels (an annotation's ink paths, a form's lists), and deeper data is refused, that
mutation alone, before anything reads it."""
MAX_DATA_BYTES = 1024 * 1024
"""The most a pushed record's ``data`` may take as compact JSON."""


def data_problem(data: Any) -> str | None:
    """Why a mutation's record ``data`` is refused unread (nested deeper than
    ``MAX_DATA_DEPTH`` or larger than ``MAX_DATA_BYTES``); None when it may be read.
    Walks without recursion, so no depth the JSON parser lets through can break it."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= MAX_DATA_DEPTH:
                return f"the record's data nests deeper than {MAX_DATA_DEPTH} levels"
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    size = len(canonical_json(data).encode(errors="surrogatepass"))
    if size > MAX_DATA_BYTES:
        return f"the record's data takes {size} bytes as JSON; the most is {MAX_DATA_BYTES}"
    return None


def canonical_json(value: Any) -> str:
    """``value`` (as parsed from JSON) as ``json.dumps(value, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` writes it, but walked with an explicit
    stack: the same text at any depth, and no ``RecursionError``. The json module, not
    orjson, writes the scalars: a hostile integer beyond 64 bits must encode, not raise."""
    out: list[str] = []
    # Each item is a value to write, or a literal piece of text (a `_Text`).
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Text):
            out.append(item.text)
        elif isinstance(item, dict):
            pieces: list[Any] = [_Text("{")]
            for n, key in enumerate(sorted(item)):
                sep = "," if n else ""
                pieces += [_Text(sep + json.dumps(key, ensure_ascii=False) + ":"), item[key]]
            pieces.append(_Text("}"))
            stack.extend(reversed(pieces))
        elif isinstance(item, list | tuple):
            pieces = [_Text("[")]
            for n, element in enumerate(item):
                pieces += [_Text(",")] if n else []
                pieces.append(element)
            pieces.append(_Text("]"))
            stack.extend(reversed(pieces))
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out)


class _Text:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class PushRequest(_Message):
    client_id: Annotated[str, Field(min_length=1, max_length=100, pattern=LABEL_PATTERN)]
    mutations: Annotated[list[Mutation], Field(max_length=1000)]


class MutationStatus(StrEnum):
    APPLIED = "applied"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class MutationResult(_Message):
    mutation_id: str
    status: MutationStatus
    version: int | None = None
    current: Change | None = None
    error: str | None = None


class PushResponse(_Message):
    results: list[MutationResult]


class BlobUploadRequest(_Message):
    sha256: Sha256
    size: Annotated[
        int,
        # The OpenAPI document states the server's configured limit (ECAS_MAX_BLOB_BYTES).
        # No empty blob: no bytes are no document (intake would refuse them anyway).
        Field(ge=1, json_schema_extra={"x-maximum-setting": "max_blob_bytes"}),
        NotABoolean,
    ]


class BlobUploadResponse(_Message):
    upload_id: str | None = None
    offset: int = 0
    exists: bool = False


class BlobUploadProgress(_Message):
    upload_id: str
    offset: int
    complete: bool


class FieldError(_Message):
    loc: str
    msg: str


class Problem(BaseModel):
    """RFC 9457 problem details, the body of every error; some carry extension members
    (an upload's ``offset``), which RFC 9457 allows."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


__all__ = [
    "LABEL_PATTERN",
    "MAX_DATA_BYTES",
    "MAX_DATA_DEPTH",
    "TEXT_PATTERN",
    "BlobUploadProgress",
    "BlobUploadRequest",
    "BlobUploadResponse",
    "Change",
    "ChangesResponse",
    "FieldError",
    "LoginRequest",
    "LogoutRequest",
    "Mutation",
    "MutationOp",
    "MutationResult",
    "MutationStatus",
    "Problem",
    "PushRequest",
    "PushResponse",
    "RecordId",
    "RefreshRequest",
    "SessionUser",
    "Sha256",
    "TokenResponse",
    "canonical_json",
    "data_problem",
]
