"""``/api/v1/blobs``: resumable content-addressed uploads and Range downloads."""

from __future__ import annotations

import uuid
from typing import Any, BinaryIO, cast

from flask import Blueprint, Response, current_app, request

from common.protocol import BlobUploadProgress, BlobUploadRequest, BlobUploadResponse
from sync_server.api.gate import current_principal, endpoint, json_body
from sync_server.api.params import LARGEST, whole_number
from sync_server.api.problems import ApiProblem
from sync_server.policy import Action
from sync_server.services.blob_store import is_sha256
from sync_server.services.blobs import READ_PURPOSES, BlobService, UploadError

bp = Blueprint("blobs", __name__, url_prefix="/api/v1/blobs")


def _service() -> BlobService:
    service: BlobService = current_app.extensions["ecas"].blobs
    return service


def _upload_id(raw: str) -> str:
    try:
        return str(uuid.UUID(raw))
    except ValueError as err:
        raise ApiProblem(404, "Not Found", "No such upload.") from err


def _problem(err: UploadError) -> ApiProblem:
    extra: dict[str, Any] = {}
    headers = {}
    if err.offset is not None:
        extra["offset"] = err.offset
        headers["Upload-Offset"] = str(err.offset)
    if err.retry_after is not None:
        headers["Retry-After"] = str(err.retry_after)
    errors = [{"loc": p.code, "msg": p.message} for p in err.problems] or None
    title = {
        404: "Not Found",
        409: "Offset mismatch",
        413: "Too large",
        422: "Document refused",
        429: "Too many unfinished uploads",
        503: "Storage unavailable",
    }.get(err.status, "Upload failed")
    return ApiProblem(err.status, title, str(err), errors=errors, headers=headers, **extra)


@bp.post("/uploads")
@endpoint(
    Action.BLOB_UPLOAD,
    "Start or resume the upload of a blob named by its SHA-256; finishes one whose bytes "
    "all arrived",
    request_model=BlobUploadRequest,
    response_model=BlobUploadResponse,
    responses=(200, 401, 413, 422, 429, 503),
    status=201,
)
def start_upload() -> Response:
    body = json_body(BlobUploadRequest)
    try:
        state = _service().start(current_principal(), body.sha256, body.size)
    except UploadError as err:
        raise _problem(err) from err
    answer = BlobUploadResponse(upload_id=state.upload_id, offset=state.offset, exists=state.exists)
    return Response(
        answer.model_dump_json(), status=200 if state.exists else 201, mimetype="application/json"
    )


@bp.route("/uploads/<raw_id>", methods=["HEAD"])
@endpoint(
    Action.BLOB_UPLOAD,
    "The offset an interrupted upload resumes from",
    responses=(401, 404),
    status=204,
    response_headers=((204, "Upload-Offset"),),
)
def upload_offset(raw_id: str) -> Response:
    try:
        state = _service().status(current_principal(), _upload_id(raw_id))
    except UploadError as err:
        raise _problem(err) from err
    return Response(
        status=204, headers={"Upload-Offset": str(state.offset), "Cache-Control": "no-store"}
    )


class _DisconnectAware:
    """Turns werkzeug's "client went away" into the ConnectionError services expect."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        try:
            data: bytes = self._stream.read(size)
        except Exception as err:
            if type(err).__name__ == "ClientDisconnected":
                raise ConnectionError("client disconnected") from err
            raise
        return data


@bp.patch("/uploads/<raw_id>")
@endpoint(
    Action.BLOB_UPLOAD,
    "Append bytes at `Upload-Offset`; completes (published) when all arrived",
    response_model=BlobUploadProgress,
    responses=(400, 401, 404, 409, 413, 422, 503),
    parameters=(
        {
            "name": "Upload-Offset",
            "in": "header",
            "required": True,
            "description": "Where these bytes go in the blob: the offset the upload is at",
            "schema": {"type": "integer", "minimum": 0, "maximum": LARGEST},
        },
    ),
    consumes="application/offset+octet-stream",
    response_headers=((200, "Upload-Offset"), (409, "Upload-Offset")),
)
def append_upload(raw_id: str) -> Response:
    upload_id = _upload_id(raw_id)
    raw_offset = request.headers.get("Upload-Offset")
    if raw_offset is None:
        raise ApiProblem(400, "Missing Upload-Offset", "Send the byte offset in Upload-Offset.")
    offset = whole_number(raw_offset, "Upload-Offset")
    request.max_content_length = current_app.extensions["ecas"].config.max_blob_bytes
    try:
        stream = cast(BinaryIO, _DisconnectAware(request.stream))  # only read() is used
        state = _service().append(current_principal(), upload_id, offset, stream)
    except UploadError as err:
        raise _problem(err) from err
    progress = BlobUploadProgress(upload_id=upload_id, offset=state.offset, complete=state.complete)
    return Response(
        progress.model_dump_json(),
        mimetype="application/json",
        headers={"Upload-Offset": str(state.offset)},
    )


@bp.get("/<sha256>")
@endpoint(
    Action.BLOB_READ,
    "A document's bytes; honours a single `Range`",
    responses=(206, 400, 401, 404, 416),
    parameters=(
        {
            "name": "Range",
            "in": "header",
            "description": "One byte range (`bytes=0-1023`); several are answered whole",
            "schema": {"type": "string"},
        },
        {
            "name": "purpose",
            "in": "query",
            "description": (
                "`read` (the default): a person opens the document; `prefetch`: a client "
                "downloads it in the background ahead of a hearing. Recorded in the audit "
                "entry; a case's history lists only readings"
            ),
            "schema": {"type": "string", "enum": list(READ_PURPOSES)},
        },
    ),
    produces="application/pdf",
    response_headers=(
        (200, "Accept-Ranges"),
        (200, "ETag"),
        (206, "Accept-Ranges"),
        (206, "ETag"),
        (206, "Content-Range"),
        (416, "Content-Range"),
    ),
)
def download(sha256: str) -> Response:
    if not is_sha256(sha256):
        raise ApiProblem(404, "Not Found", "No such document.")
    purpose = request.args.get("purpose", "read")
    if purpose not in READ_PURPOSES:
        raise ApiProblem(
            400,
            "Bad Request",
            "purpose is read (a person opens the document) or prefetch (a download in "
            "the background).",
            errors=[{"loc": "purpose", "msg": "read or prefetch"}],
        )
    service = _service()
    try:
        size = service.authorise_read(current_principal(), sha256, purpose=purpose)
    except UploadError as err:
        raise _problem(err) from err
    start, length, status = 0, size, 200
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": f'"{sha256}"',
        "Cache-Control": "private, max-age=31536000, immutable",
    }
    # Several ranges at once are not served; RFC 9110 lets a server answer those whole.
    if request.range is not None and len(request.range.ranges) == 1:
        span = request.range.range_for_length(size)
        if span is None:
            raise ApiProblem(
                416,
                "Range Not Satisfiable",
                f"The document has {size} bytes.",
                headers={"Content-Range": f"bytes */{size}"},
            )
        start, length, status = span[0], span[1] - span[0], 206
        headers["Content-Range"] = f"bytes {span[0]}-{span[1] - 1}/{size}"
    headers["Content-Length"] = str(length)
    return Response(
        service.read(sha256, start, length),
        status=status,
        mimetype="application/pdf",
        headers=headers,
        direct_passthrough=True,
    )
