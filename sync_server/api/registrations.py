"""``/api/v1/registrations``: the court administrator's review of portal registrations, for
tools (the same service as the admin page ``/portal/admin/registrations``)."""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, current_app
from pydantic import BaseModel, ConfigDict, Field

from common.protocol import TEXT_PATTERN
from sync_server.api.gate import current_principal, endpoint, json_body
from sync_server.api.problems import ApiProblem
from sync_server.policy import Action
from sync_server.services.accounts import AccountError, AccountService

bp = Blueprint("registrations", __name__, url_prefix="/api/v1/registrations")


class Registration(BaseModel):
    user_id: str
    username: str
    display_name: str
    kind: str
    email: str
    status: str
    bar_admissions: list[dict[str, str]]
    organization: str | None
    created_at: str


class RegistrationList(BaseModel):
    registrations: list[Registration]


class ApproveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    identity_checked: bool = Field(
        description="The administrator checked the person's photo identification in person.",
        json_schema_extra={"const": True},  # false is refused (400): check it first
    )


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=500, pattern=TEXT_PATTERN)]


class Decision(BaseModel):
    user_id: str
    status: str
    eoir_id: str | None = None


def _accounts() -> AccountService:
    service: AccountService = current_app.extensions["ecas_portal"].accounts
    return service


def _problem(err: AccountError) -> ApiProblem:
    titles = {404: "Not Found", 409: "Conflict", 403: "Forbidden"}
    return ApiProblem(err.status, titles.get(err.status, "Bad Request"), str(err))


@bp.get("")
@endpoint(
    Action.REGISTRATION_REVIEW,
    "Registrations waiting at the administrator's court",
    response_model=RegistrationList,
    responses=(401, 403),
)
def pending() -> Response:
    rows = _accounts().registrations(current_principal())
    body = RegistrationList(
        registrations=[
            Registration(
                user_id=r.user_id,
                username=r.username,
                display_name=r.display_name,
                kind=r.kind,
                email=r.email,
                status=r.status,
                bar_admissions=r.bar_admissions,
                organization=r.organization,
                created_at=r.created_at,
            )
            for r in rows
        ]
    )
    return Response(body.model_dump_json(), mimetype="application/json")


@bp.post("/<user_id>/approve")
@endpoint(
    Action.REGISTRATION_REVIEW,
    "Approve a registration after the in-person identity check; issues the EOIR ID",
    request_model=ApproveRequest,
    response_model=Decision,
    responses=(400, 401, 403, 404, 409, 422),
)
def approve(user_id: str) -> Response:
    body = json_body(ApproveRequest)
    try:
        eoir_id = _accounts().approve(current_principal(), user_id, body.identity_checked)
    except AccountError as err:
        raise _problem(err) from err
    decision = Decision(user_id=user_id, status="approved", eoir_id=eoir_id)
    return Response(decision.model_dump_json(), mimetype="application/json")


@bp.post("/<user_id>/reject")
@endpoint(
    Action.REGISTRATION_REVIEW,
    "Reject a registration; the person is emailed the reason",
    request_model=RejectRequest,
    response_model=Decision,
    responses=(400, 401, 403, 404, 409, 422),
)
def reject(user_id: str) -> Response:
    body = json_body(RejectRequest)
    try:
        _accounts().reject(current_principal(), user_id, body.reason)
    except AccountError as err:
        raise _problem(err) from err
    decision = Decision(user_id=user_id, status="rejected")
    return Response(decision.model_dump_json(), mimetype="application/json")
