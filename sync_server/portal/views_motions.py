"""Motions in the portal: a party files a motion with its PDF (a typed form: the motion,
for whom, the other party's position), and reads the case's motions with the response due
and the judge's ruling, linked to the order that issued it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from common.appeals import BOARD_TIMEZONE
from common.court_closures import board_calendar
from common.court_time import court_today
from common.enums import DocumentStatus, MotionType, Movant, OtherPartyPosition, Role
from common.forms_eoir import FieldErrors
from common.motions import catalogue, response_due
from common.wire import Motion
from sync_server.models import DocumentRow, MotionRow, OrderRow
from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.clock import case_today
from sync_server.portal.gate import current_user, not_found, portal_page
from sync_server.portal.services import portal
from sync_server.portal.views_cases import UPLOAD_REQUEST_LIMIT, _detail, _upload
from sync_server.services.motions import case_before_board
from sync_server.services.portal_cases import NotFound
from sync_server.services.portal_filings import FilingRefused
from sync_server.services.records import row_to_record

LABELS = {
    "motion_type": "Motion",
    "movant": "Made by",
    "position": "The other party's position",
    "description": "What the motion asks",
    "lead": "The motion (PDF)",
    "emergency": "Emergency: removal is imminent",
}
POSITIONS = [
    (OtherPartyPosition.DOES_NOT_OPPOSE.value, "Does not oppose"),
    (OtherPartyPosition.OPPOSES.value, "Opposes"),
    (OtherPartyPosition.UNKNOWN.value, "Unknown (not asked, or no answer)"),
]


def _movants(role: Role) -> list[tuple[str, str]]:
    own = (
        (Movant.DHS.value, "DHS")
        if role is Role.DHS
        else (Movant.RESPONDENT.value, "The respondent")
    )
    return [own, (Movant.JOINT.value, "Both parties, jointly")]


@dataclass(frozen=True)
class MotionLine:
    motion: Motion
    label: str
    response_due: date
    ruling: str  # "" while pending
    order_document_id: str | None  # the issued order, once the server issued it
    own: bool
    answerable: bool  # the other side's pending motion: the reader states its position


def _answers(role: Role, motion: Motion) -> bool:
    """Whether a reader in ``role`` is the other party to ``motion`` (and it is pending)."""
    other = Movant.RESPONDENT if role is Role.DHS else Movant.DHS
    return motion.status.value == "pending" and motion.movant is other


def _lines(case_id: str, user_id: str, role: Role | None = None) -> list[MotionLine]:
    cat = catalogue()
    lines = []
    with portal().cases.factory() as session:
        for row in session.scalars(
            select(MotionRow)
            .where(MotionRow.case_id == case_id, MotionRow.deleted.is_(False))
            .order_by(MotionRow.filed_on.desc(), MotionRow.id)
        ):
            motion = row_to_record("motion", row)
            assert isinstance(motion, Motion)
            document = session.get(DocumentRow, motion.document_id) if motion.document_id else None
            accepted = document is None or document.status == DocumentStatus.ACCEPTED.value
            if not accepted and motion.filer_id != user_id:
                continue  # another party's motion the clerk has not accepted yet
            if document is not None and document.status == DocumentStatus.REJECTED.value:
                continue
            order = session.get(OrderRow, motion.order_id) if motion.order_id else None
            label = cat.type_label(motion.motion_type.value)
            if motion.description:
                label = f"{label}: {motion.description}"
            lines.append(
                MotionLine(
                    motion,
                    label,
                    response_due(
                        motion, calendar=board_calendar() if motion.before_board else None
                    ).due,
                    cat.ruling_label(motion.ruling.value) if motion.ruling else "",
                    order.document_id if order is not None else None,
                    motion.filer_id == user_id,
                    role is not None and _answers(role, motion),
                )
            )
    return lines


@bp.get("/cases/<case_id>/motions")
@portal_page(Action.PORTAL_CASES)
def motions(case_id: str) -> str:
    detail = _detail(case_id)
    return render_template(
        "motions.html",
        title="Motions",
        detail=detail,
        lines=_lines(case_id, current_user().id, current_user().role),
        positions=POSITIONS[:2],
    )


@bp.post("/cases/<case_id>/motions/<motion_id>/position")
@portal_page(Action.PORTAL_FILE)
def motion_position(case_id: str, motion_id: str) -> BaseResponse:
    """The reader's position on the other side's pending motion (DHS on the respondent's,
    counsel on DHS's): opposes or does not oppose, recorded through the push's checks."""
    _detail(case_id)
    try:
        position = OtherPartyPosition(request.form.get("position", ""))
        portal().filings.record_position(current_user(), case_id, motion_id, position)
    except ValueError:
        return redirect(url_for("portal.motions", case_id=case_id, notice="position-refused"))
    except FilingRefused:
        return redirect(url_for("portal.motions", case_id=case_id, notice="position-refused"))
    except NotFound as err:
        raise not_found("case") from err
    return redirect(url_for("portal.motions", case_id=case_id, notice="position"))


@bp.route("/cases/<case_id>/motion", methods=["GET", "POST"])
@portal_page(Action.PORTAL_FILE, max_upload_bytes=UPLOAD_REQUEST_LIMIT)
def file_motion(case_id: str) -> str | tuple[str, int] | BaseResponse:
    detail = _detail(case_id)
    user = current_user()
    movants = _movants(user.role)
    # The forum follows the case: before the Board once an appeal is docketed (or the
    # Board decided it last), and the Board's motion types (common.motions).
    with portal().cases.factory() as session:
        board = case_before_board(session, case_id)
    types = [(e.value, e.label) for e in catalogue().types_for(board)]
    errors: FieldErrors = {}
    values: dict[str, str] = {"movant": movants[0][0], "position": OtherPartyPosition.UNKNOWN.value}
    problem = None
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        lead = _upload("lead")
        try:
            motion_type = MotionType(values.get("motion_type", ""))
        except ValueError:
            errors["motion_type"] = "Choose a motion from the list."
        if values.get("motion_type") not in {v for v, _ in types}:
            errors["motion_type"] = "Choose a motion from the list."
        emergency = values.get("emergency") == "yes"
        if emergency and values.get("motion_type") != MotionType.STAY_OF_REMOVAL.value:
            errors["emergency"] = "Only a motion for a stay of removal is an emergency request."
        if values.get("movant") not in {m for m, _ in movants}:
            errors["movant"] = "Choose who makes the motion."
        try:
            position = OtherPartyPosition(values.get("position", ""))
        except ValueError:
            errors["position"] = "Choose the other party's position."
        description = values.get("description", "").strip()
        if values.get("motion_type") == MotionType.OTHER.value and not description:
            errors["description"] = "Say what the motion asks."
        if len(description) > 200:
            errors["description"] = "At most 200 characters; the motion itself says the rest."
        if lead is None:
            errors["lead"] = "Choose the PDF of the motion."
        if not errors and lead is not None:
            try:
                portal().filings.file_motion(
                    user,
                    case_id,
                    motion_type,
                    Movant(values["movant"]),
                    position,
                    description,
                    lead,
                    case_today(case_id),  # the document is filed on the court's date
                    before_board=board,
                    emergency=emergency,
                    # A motion before the Board is received on the Board's date.
                    received_on=court_today(BOARD_TIMEZONE) if board else None,
                )
            except FilingRefused as err:
                errors, problem = err.errors, str(err)
            except NotFound as err:
                raise not_found("case") from err
            else:
                return redirect(url_for("portal.motions", case_id=case_id, notice="filed"))
    return (
        render_template(
            "motion.html",
            title="File a motion",
            detail=detail,
            values=values,
            errors=errors,
            problem=problem,
            labels=LABELS,
            types=types,
            movants=movants,
            positions=POSITIONS,
            board=board,
        ),
        422 if errors or problem else 200,
    )
