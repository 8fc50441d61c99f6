"""The Board of Immigration Appeals in the desktop client, as plain data: the Board's docket
(every appeal its staff read, nationwide) and the clerk's intake queue (notices of appeal
waiting for review), and the records intake and the transcript make. No Qt here.

Intake (BIA Practice Manual 3.1, 4.4): the Board's clerk rejects a notice of appeal with a
reason from ``resources/appeal_rejections.json`` or dockets it, which orders the
transcript; the server then makes the case appealed. The immigration court's clerk marks
the transcript ready with the transcript document, which joins the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from common.anumber import format_a_number
from common.appeals import (
    BOARD_TIMEZONE,
    SIDES,
    RejectionReason,
    Side,
    appeal_due,
    check_appeal_change,
    decide_extension,
    due_of,
    received_on,
    rejection_reasons,
    schedule_citation,
    side_label,
)
from common.court_time import court_instant, court_today, format_datetime, table_date
from common.deadlines import Deadline, Decision, NoAppeal, case_decision, default_rules
from common.enums import AppealStatus, BoardDecisionStatus, BriefExtension, TranscriptStatus
from common.wire import Appeal, BoardDecision, Document
from desktop.board_workspace import OUTCOME_WORDS


class IntakeRefused(ValueError):
    """The change can't be made; ``str(error)`` says why."""


@dataclass(frozen=True)
class AppealRow:
    """One appeal as the Board's docket shows it."""

    appeal: Appeal
    a_number: str
    respondent: str
    court: str  # the immigration court whose decision is appealed
    received_on: date  # the Board's day
    due: date | None  # the last day the Board had to receive it
    flags: tuple[str, ...]
    outcome: str = ""  # the issued Board decision's outcome, once the appeal is decided

    @property
    def appeal_id(self) -> str:
        return self.appeal.id

    @property
    def case_id(self) -> str:
        return self.appeal.case_id

    @property
    def status(self) -> str:
        text = self.appeal.status.value.capitalize()
        return f"{text}: {self.outcome.lower()}" if self.outcome else text

    @property
    def transcript(self) -> str:
        return self.appeal.transcript_status.value.replace("_", " ").capitalize()

    @property
    def appellant(self) -> str:
        return "DHS" if self.appeal.appellant.value == "dhs" else "Respondent"

    @property
    def briefing(self) -> str:
        """The briefing column: each side's due day and what is pending."""
        return briefing_summary(self.appeal)

    @property
    def extension_requests(self) -> tuple[Side, ...]:
        """The sides whose extension request waits for the Board clerk."""
        return pending_extensions(self.appeal)

    @property
    def fee(self) -> str:
        if self.appeal.fee.value == "paid":
            return f"Paid ({self.appeal.fee_receipt})"
        return {"waiver_requested": "Waiver requested (EOIR-26A)", "not_required": "None (DHS)"}[
            self.appeal.fee.value
        ]


def _flags(appeal: Appeal) -> tuple[str, ...]:
    out = []
    if appeal.late:
        out.append("LATE")
    if appeal.appeal_waived:
        out.append("APPEAL WAIVED")
    if appeal.oral_argument:
        out.append("oral argument asked")
    if appeal.detained:
        out.append("detained")
    return tuple(out)


def board_docket(
    appeals: Iterable[Mapping[str, Any]],
    cases: Iterable[Mapping[str, Any]],
    courts: Iterable[Mapping[str, Any]],
    *,
    statuses: Iterable[AppealStatus] = (
        AppealStatus.FILED,
        AppealStatus.DOCKETED,
        AppealStatus.DECIDED,
    ),
    board_decisions: Iterable[Mapping[str, Any]] = (),
) -> list[AppealRow]:
    """The appeals in ``statuses``, oldest received first, joined with their case; a
    decided appeal with its issued decision's outcome (``board_decisions``)."""
    wanted = set(statuses)
    outcomes = _outcomes(board_decisions)
    by_case = {str(c["id"]): c for c in cases}
    court_names = {str(c["id"]): str(c.get("name", "")) for c in courts}
    rows = []
    for raw in appeals:
        if raw.get("deleted"):
            continue
        appeal = Appeal.model_validate({k: v for k, v in raw.items() if k != "deleted"})
        if appeal.status not in wanted:
            continue
        case = by_case.get(appeal.case_id, {})
        rows.append(
            AppealRow(
                appeal,
                format_a_number(str(case["a_number"])) if case.get("a_number") else "—",
                _respondent(case),
                court_names.get(str(case.get("court_id", "")), "—"),
                received_on(appeal.received_at),
                _due(case, appeal),
                _flags(appeal),
                (outcomes.get(appeal.id) or outcomes.get(f"case:{appeal.case_id}", ""))
                if appeal.status is AppealStatus.DECIDED
                else "",
            )
        )
    rows.sort(key=lambda r: (r.appeal.received_at, r.appeal.id))
    return rows


def _outcomes(board_decisions: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Appeal id -> the outcome of its issued Board decision, in the Board tab's words; also
    ``case:<id>`` -> the case's, for the other party's appeal decided with it."""
    out = {}
    for raw in board_decisions:
        if raw.get("deleted"):
            continue
        decision = BoardDecision.model_validate({k: v for k, v in raw.items() if k != "deleted"})
        if decision.status is BoardDecisionStatus.ISSUED and decision.outcome is not None:
            out[decision.appeal_id] = OUTCOME_WORDS[decision.outcome]
            out[f"case:{decision.case_id}"] = OUTCOME_WORDS[decision.outcome]
    return out


def _respondent(case: Mapping[str, Any]) -> str:
    if not case:
        return "—"
    last = str(case.get("respondent_last_name", "")).upper()
    return f"{last}, {case.get('respondent_first_name', '')}"


def _due(case: Mapping[str, Any], appeal: Appeal) -> date | None:
    decided = case.get("decided_on")
    day = date.fromisoformat(str(decided)) if decided else appeal.decision_date
    try:
        return appeal_due(Decision(decided_on=day), detained=appeal.detained).due
    except NoAppeal:
        return None


def intake_queue(rows: Iterable[AppealRow]) -> list[AppealRow]:
    """The clerk's queue: notices of appeal waiting for review."""
    return [r for r in rows if r.appeal.status is AppealStatus.FILED]


def catalogue() -> dict[str, RejectionReason]:
    return rejection_reasons()


def _checked(old: Appeal, new: Appeal) -> Appeal:
    reason = check_appeal_change(old, new)
    if reason:
        raise IntakeRefused(reason)
    return new


def reject(appeal: Appeal, code: str, note: str, clerk_id: str, now: datetime) -> Appeal:
    """The notice of appeal rejected with a reason from the catalogue (and a note)."""
    return _checked(
        appeal,
        appeal.model_copy(
            update={
                "status": AppealStatus.REJECTED,
                "rejection_code": code,
                "rejection_note": " ".join(note.split())[:200] or None,
                "reviewed_by": clerk_id,
                "reviewed_at": now,
            }
        ),
    )


def docket(appeal: Appeal, clerk_id: str, now: datetime) -> Appeal:
    """The appeal docketed on the Board's day, and the transcript ordered."""
    return _checked(
        appeal,
        appeal.model_copy(
            update={
                "status": AppealStatus.DOCKETED,
                "reviewed_by": clerk_id,
                "reviewed_at": now,
                "docketed_on": court_today(BOARD_TIMEZONE, now),
                "transcript_status": TranscriptStatus.ORDERED,
            }
        ),
    )


def transcript_ready(appeal: Appeal, transcript: Document) -> Appeal:
    """The transcript the immigration court prepared, in the record: the appeal's status."""
    if transcript.case_id != appeal.case_id or transcript.doc_type.value != "transcript":
        raise IntakeRefused("the transcript must be a transcript document of the case")
    return _checked(
        appeal,
        appeal.model_copy(
            update={
                "transcript_status": TranscriptStatus.READY,
                "transcript_document_id": transcript.id,
            }
        ),
    )


# --- the 30-day clock on the case file ------------------------------------------------------


@dataclass(frozen=True)
class AppealClock:
    due: Deadline | None
    received_by: str  # "November 5, 2026 at 11:59 PM EST" (Board time)
    days_left: int | None
    note: str  # why there is no clock (no decision; in absentia)


def appeal_clock(
    case: Mapping[str, Any],
    orders: Iterable[Mapping[str, Any]],
    served_on: Mapping[str, date] | None = None,
    now: datetime | None = None,
) -> AppealClock:
    """The case file's appeal clock: the last day the Board must receive a notice of appeal
    from the judge's decision, in the Board's time, and the days left on the Board's today."""
    decision = case_decision(case, orders, served_on)
    if decision is None:
        return AppealClock(None, "", None, "No decision: the 30 days start with it.")
    try:
        due = appeal_due(decision, detained=case.get("custody") == "detained")
    except NoAppeal as err:
        return AppealClock(None, "", None, str(err))
    last = court_instant(due.due, time(23, 59), BOARD_TIMEZONE)
    today = court_today(BOARD_TIMEZONE, now)
    return AppealClock(due, format_datetime(last, BOARD_TIMEZONE), (due.due - today).days, "")


def appeal_line(deadlines: Iterable[Any], now: datetime | None = None) -> str:
    """The case file's summary line for the 30 days to appeal: the day and minute the Board
    must receive the notice of appeal (its time) and the days left, from the case file's
    deadline of the ``bia_appeal`` rule (``DeadlineEntry``: title and due)."""
    title = default_rules().rule("bia_appeal").title
    entry = next((d for d in deadlines if getattr(d, "title", None) == title), None)
    if entry is None:
        return "—"
    due: date = entry.due
    last = court_instant(due, time(23, 59), BOARD_TIMEZONE)
    left = (due - court_today(BOARD_TIMEZONE, now)).days
    when = format_datetime(last, BOARD_TIMEZONE)
    if left < 0:
        return f"The 30 days ran at {when} (a late appeal is flagged, not refused)"
    return f"Board receives by {when} ({left} day{'' if left == 1 else 's'} left)"


# --- briefing (BIA PM 4.7; resources/briefing_rules.json) -----------------------------------


def pending_extensions(appeal: Appeal) -> tuple[Side, ...]:
    return tuple(
        side for side in SIDES if getattr(appeal, f"{side}_extension") is BriefExtension.REQUESTED
    )


def briefing_summary(appeal: Appeal) -> str:
    """ "Appellant Tue 5 Jan 2027 · Appellee Tue 26 Jan 2027 · extension asked: appellant"."""
    if appeal.briefing_issued_on is None:
        return "—"
    parts = []
    for side in SIDES:
        due = due_of(appeal, side)
        filed = getattr(appeal, f"{side}_brief_received_at") is not None
        late = " LATE" if getattr(appeal, f"{side}_brief_late") else ""
        state = f"brief filed{late}" if filed else (table_date(due) if due else "—")
        parts.append(f"{side.capitalize()} {state}")
    asked = pending_extensions(appeal)
    if asked:
        parts.append("extension asked: " + ", ".join(asked))
    return " · ".join(parts)


def decide(appeal: Appeal, side: Side, *, grant: bool, now: datetime) -> Appeal:
    """The Board clerk grants or denies ``side``'s extension request on the Board's day;
    a grant moves the due days (checked as the server checks it)."""
    return _checked(
        appeal,
        decide_extension(appeal, side, grant=grant, decided_on=court_today(BOARD_TIMEZONE, now)),
    )


@dataclass(frozen=True)
class BriefingLine:
    """One party's deadline in the case file's appeal section."""

    label: str  # "Respondent (appellant)"
    due: date | None
    days_left: int | None
    extension: str  # "not requested", "requested", "granted", "denied"
    brief: str  # "not filed", "received Mon 4 Jan 2027 14:02 EST", "… (LATE)"


@dataclass(frozen=True)
class AppealSection:
    """An appeal as the case file shows it: status, the schedule and each deadline."""

    appeal: Appeal
    status: str  # "Docketed Fri 4 Dec 2026 · transcript ready"
    schedule: str  # "Issued Mon 7 Dec 2026 (8 CFR 1003.3(c)(1); …)" or why none yet
    lines: tuple[BriefingLine, ...]


def appeal_sections(
    appeals: Iterable[Mapping[str, Any]], case_id: str, now: datetime | None = None
) -> list[AppealSection]:
    """The case's appeals (oldest received first) with every deadline and days left on
    the Board's today; rejected appeals too, with their status."""
    from common.court_time import table_datetime

    today = court_today(BOARD_TIMEZONE, now)
    out = []
    for raw in appeals:
        if raw.get("deleted") or raw.get("case_id") != case_id:
            continue
        appeal = Appeal.model_validate({k: v for k, v in raw.items() if k != "deleted"})
        status = appeal.status.value.capitalize()
        if appeal.docketed_on is not None:
            status += f" {table_date(appeal.docketed_on)}"
        if appeal.status is AppealStatus.DOCKETED:
            status += " · transcript " + appeal.transcript_status.value.replace("_", " ")
        if appeal.late:
            status += " · LATE appeal"
        schedule = "No briefing schedule yet: it issues when the transcript is ready."
        lines: list[BriefingLine] = []
        if appeal.briefing_issued_on is not None:
            kind = "simultaneous (detained)" if appeal.detained else "consecutive"
            schedule = (
                f"Briefing schedule issued {table_date(appeal.briefing_issued_on)}, {kind} "
                f"({schedule_citation(appeal)})"
            )
            for side in SIDES:
                due = due_of(appeal, side)
                at = getattr(appeal, f"{side}_brief_received_at")
                brief = "not filed"
                if at is not None:
                    brief = f"received {table_datetime(at, BOARD_TIMEZONE)}"
                    if getattr(appeal, f"{side}_brief_late"):
                        brief += " (LATE)"
                lines.append(
                    BriefingLine(
                        side_label(appeal, side),
                        due,
                        (due - today).days if due is not None and at is None else None,
                        getattr(appeal, f"{side}_extension").value.replace("none", "not requested"),
                        brief,
                    )
                )
        sort_key = appeal.received_at
        out.append((sort_key, AppealSection(appeal, status, schedule, tuple(lines))))
    return [section for _, section in sorted(out, key=lambda pair: pair[0])]
