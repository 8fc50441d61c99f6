"""Request and response shapes of the sync protocol (DESIGN.md, "Sync protocol").

The server validates requests and documents its API with these models; the client builds
requests and reads responses with the same ones.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from common.enums import Role
from common.wire import RecordId, Sha256


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(_Message):
    username: Annotated[str, Field(min_length=1, max_length=150)]
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
    entity: Annotated[str, Field(max_length=40)]
    id: RecordId
    op: MutationOp
    base_version: Annotated[int, Field(ge=0)] | None = None
    data: dict[str, Any] | None = None
    group: (
        Annotated[
            str,
            Field(
                min_length=1,
                max_length=36,
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
        names exactly one payload, and a replay is checked against this."""
        content = self.model_dump(mode="json", exclude={"mutation_id"})
        # The json module, not orjson: a hostile integer beyond 64 bits must hash, not raise.
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class PushRequest(_Message):
    client_id: Annotated[str, Field(min_length=1, max_length=100)]
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
    size: Annotated[int, Field(ge=0)]


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


class Problem(_Message):
    """RFC 9457 problem details, the body of every error."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


__all__ = [
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
]
