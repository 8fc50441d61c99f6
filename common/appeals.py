"""Appeals to the Board of Immigration Appeals: the notice of appeal (Form EOIR-26), its
time limit on the Board's clock, the findings the Board's intake flags, and the course of
an appeal record, for server and client alike.

The law is data with its source: the form's fields in ``resources/eoir26.json``, the
intake's reasons for rejecting in ``resources/appeal_rejections.json``, the 30 days in
``resources/deadline_rules.json`` (``bia_appeal``).

* Received, not mailed: the appeal is filed when the Board receives it (8 CFR 1003.38(c);
  BIA Practice Manual 3.1(a)(i)). ``received_at`` is the server's clock when it arrived,
  and the day it counts for is the Board's local day (Falls Church, Virginia).
* The 30 days run from an oral decision, or from the mailing or electronic service of a
  written one (8 CFR 1003.38(b)); a last day on a weekend, a legal holiday or a day the
  Board is closed runs to its next business day (BIA PM 3.1(b); ``common.deadlines``).
* A late appeal, and one from a decision whose appeal was waived, is docketed and flagged
  for the Board (which may dismiss it, 8 CFR 1003.1(d)(2)(i)(G)), never refused at intake.
* Briefing (``resources/briefing_rules.json``, BIA PM 4.7): the schedule issues on the
  Board's day the transcript is marked ready; due days are counted on the Board's calendar
  and rolled to its next business day; one extension request per party; a brief is filed
  when the Board receives it, and flagged late after its due day ended in Board time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Literal

from common.court_closures import board_calendar
from common.court_time import local_date
from common.deadlines import Deadline, Decision, appeal_deadline
from common.enums import AppealFee, AppealStatus, BriefExtension, Party, TranscriptStatus
from common.resources import DataFileError, resource_path
from common.wire import Appeal

FORM_FILE = "eoir26.json"
REJECTIONS_FILE = "appeal_rejections.json"
BRIEFING_FILE = "briefing_rules.json"
# The Board's clock: its office in Falls Church, Virginia (resources/eoir26.json, "board").
BOARD_TIMEZONE = "America/New_York"
BOARD_CODE = "BIA"
MIN_REASONS = 40  # resources/eoir26.json: "reasons"."min_length" (ECAS's own floor)

FieldErrors = dict[str, str]


@cache
def _load(name: str) -> dict[str, Any]:
    with resource_path(name).open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise DataFileError(f"{name}: expected an object")
    return data


def board_facts() -> dict[str, Any]:
    """The Board's own record as the form's instructions give it (code, address, zone)."""
    board = _load(FORM_FILE)["board"]
    assert isinstance(board, dict)
    return board


def form_fields() -> list[dict[str, Any]]:
    """The EOIR-26's fields as ``resources/eoir26.json`` lists them, each with its source."""
    fields = _load(FORM_FILE)["fields"]
    assert isinstance(fields, list)
    return fields


@dataclass(frozen=True, slots=True)
class RejectionReason:
    code: str
    label: str
    source: str


def rejection_reasons() -> dict[str, RejectionReason]:
    """The Board clerk's catalogue of reasons to reject a notice of appeal (BIA PM 3.1)."""
    found: dict[str, RejectionReason] = {}
    for raw in _load(REJECTIONS_FILE)["reasons"]:
        source = raw.get("source", {})
        found[raw["code"]] = RejectionReason(
            raw["code"],
            raw["label"],
            f"{source.get('document', '')} (read {source.get('read_on')})",
        )
    return found


# --- the time limit -----------------------------------------------------------------------


def received_on(received_at: datetime) -> date:
    """The Board's local day on which an appeal received at ``received_at`` was filed."""
    return local_date(received_at, BOARD_TIMEZONE)


def appeal_due(decision: Decision, *, detained: bool = False) -> Deadline:
    """The last day the Board must receive the notice of appeal from ``decision``, on the
    Board's calendar (raises ``common.deadlines.NoAppeal`` for an in-absentia order)."""
    return appeal_deadline(
        decision.decided_on,
        oral=decision.oral,
        served_on=decision.served_on,
        in_absentia=decision.in_absentia,
        calendar=board_calendar(detained=detained),
    )


def is_late(received_at: datetime, due: Deadline) -> bool:
    """Received after the due day ended at the Board (23:59:59 Board time is in time)."""
    return received_on(received_at) > due.due


def appeal_waived(order_fields: Mapping[str, object] | None, appellant: Party) -> bool:
    """Did the appellant waive appeal of the decision (the order's ``appeal_respondent`` or
    ``appeal_dhs`` reads "waived"; 8 CFR 1003.39, 1240.26(b)(1)(i)(D))?"""
    if not order_fields:
        return False
    key = "appeal_dhs" if appellant is Party.DHS else "appeal_respondent"
    return order_fields.get(key) == "waived"


@dataclass(frozen=True, slots=True)
class Findings:
    """What intake flags on an appeal: filed late, or from a decision whose appeal was
    waived. Both are docketed; the Board decides what follows."""

    due: Deadline | None
    late: bool
    waived: bool

    @property
    def flags(self) -> tuple[str, ...]:
        out = []
        if self.late and self.due is not None:
            out.append(f"late: due {self.due.due.isoformat()} (received after the 30 days)")
        elif self.late:
            out.append("late")
        if self.waived:
            out.append("appeal waived before the immigration judge")
        return tuple(out)


def findings(
    decision: Decision | None,
    received_at: datetime,
    appellant: Party,
    order_fields: Mapping[str, object] | None = None,
    *,
    detained: bool = False,
) -> Findings:
    """The flags an appeal received at ``received_at`` from ``decision`` carries."""
    due = appeal_due(decision, detained=detained) if decision is not None else None
    late = due is not None and is_late(received_at, due)
    return Findings(due, late, appeal_waived(order_fields, appellant))


# --- the form -----------------------------------------------------------------------------


def _yes(value: object) -> bool:
    return value in (True, "yes", "on", "true", "1")


def check_notice_of_appeal(
    form: Mapping[str, object], appellant: Party
) -> tuple[dict[str, Any], FieldErrors]:
    """The EOIR-26's fields from a submitted form, and errors by field (empty: valid).

    Values: decision_date (date), reasons, separate_brief, oral_argument, detained,
    proof_of_service (bools), fee (AppealFee), fee_receipt, signed_by_name."""
    errors: FieldErrors = {}
    values: dict[str, Any] = {}
    raw_date = str(form.get("decision_date") or "").strip()
    try:
        values["decision_date"] = date.fromisoformat(raw_date)
    except ValueError:
        errors["decision_date"] = "Give the date of the decision (YYYY-MM-DD)."
    reasons = str(form.get("reasons") or "").strip()
    if len(reasons) < MIN_REASONS:
        errors["reasons"] = (
            "State the reasons for the appeal with specificity: which findings of fact or "
            "conclusions of law are wrong, and why (8 CFR 1003.3(b))."
        )
    values["reasons"] = reasons[:20_000]
    for name in ("separate_brief", "oral_argument", "detained", "proof_of_service"):
        values[name] = _yes(form.get(name))
    if not values["proof_of_service"]:
        errors["proof_of_service"] = "Serve the notice of appeal on the other party and say so."
    try:
        fee = AppealFee(str(form.get("fee") or ""))
    except ValueError:
        fee = None
        errors["fee"] = "Give the fee receipt number or request a fee waiver (Form EOIR-26A)."
    receipt = str(form.get("fee_receipt") or "").strip()
    if fee is AppealFee.PAID and not receipt:
        errors["fee_receipt"] = "Give the receipt number of the fee paid."
    if fee is AppealFee.NOT_REQUIRED and appellant is not Party.DHS:
        errors["fee"] = "Only DHS files without a fee; pay it or request a waiver (EOIR-26A)."
    values["fee"] = fee
    values["fee_receipt"] = receipt[:40] if fee is AppealFee.PAID else None
    signed = str(form.get("signed_by_name") or "").strip()
    if not signed:
        errors["signed_by_name"] = "Sign the notice of appeal (type your full name)."
    values["signed_by_name"] = signed[:200]
    return values, errors


# --- the record's course ------------------------------------------------------------------

# What the filer gives; it never changes after filing.
FORM_FIELDS = frozenset(
    {
        "case_id",
        "filer_id",
        "appellant",
        "decision_order_id",
        "decision_date",
        "reasons",
        "separate_brief",
        "oral_argument",
        "detained",
        "fee",
        "fee_receipt",
        "fee_waiver_document_id",
        "eoir27_filing_id",
        "lead_document_id",
        "proof_of_service",
        "signed_by_name",
        "received_at",
        "late",
        "appeal_waived",
    }
)
REVIEW_FIELDS = frozenset(
    {"status", "rejection_code", "rejection_note", "reviewed_by", "reviewed_at", "docketed_on"}
)
TRANSCRIPT_FIELDS = frozenset({"transcript_status", "transcript_document_id"})


def changed_fields(old: Appeal, new: Appeal) -> set[str]:
    a, b = old.model_dump(), new.model_dump()
    return {key for key in b if a.get(key) != b.get(key)}


def check_new_appeal(new: Appeal) -> str | None:
    """A notice of appeal as filed: waiting for intake, with its fee and specific reasons."""
    if new.status is not AppealStatus.FILED:
        return "a notice of appeal is filed first; the Board clerk rejects or dockets it"
    if new.reviewed_by or new.reviewed_at or new.docketed_on or new.rejection_code:
        return "a new notice of appeal has no intake review yet"
    if new.transcript_status is not TranscriptStatus.NOT_ORDERED or new.transcript_document_id:
        return "the transcript is ordered when the appeal is docketed"
    if new.appellant not in (Party.RESPONDENT, Party.DHS):
        return "the appellant is the respondent or DHS"
    if any(getattr(new, f) != DEFAULTS[f] for f in BRIEFING_FIELDS):
        return "a new notice of appeal has no briefing schedule yet"
    if len(new.reasons.strip()) < MIN_REASONS:
        return "state the reasons for the appeal with specificity (8 CFR 1003.3(b))"
    if new.fee is AppealFee.PAID and not new.fee_receipt:
        return "a paid fee needs its receipt number"
    if new.fee is AppealFee.NOT_REQUIRED and new.appellant is not Party.DHS:
        return "only DHS files without a fee; give a receipt or request a waiver (EOIR-26A)"
    return None


def check_appeal_change(
    old: Appeal | None, new: Appeal, *, board_decision_issued: bool = False
) -> str | None:
    """Why ``new`` can't follow ``old`` (None: a new notice of appeal), or None.

    Intake: filed -> rejected (a reason from the catalogue) or filed -> docketed (the
    Board's date, and the transcript ordered). The transcript: ordered -> ready, with its
    document. Docketed -> decided only as the Board's decision on the appeal issues
    (``board_decision_issued``: the server's own step in the issuing savepoint, never a
    client's), and the status alone. Nothing else changes, and a filed form never does."""
    if old is None:
        return check_new_appeal(new)
    changed = changed_fields(old, new)
    if old.status is AppealStatus.DECIDED and changed:
        return "the Board decided the appeal: it no longer changes"
    if new.status is AppealStatus.DECIDED:
        if not board_decision_issued:
            return "an appeal reads decided when the Board's decision issues, not otherwise"
        if old.status is not AppealStatus.DOCKETED:
            return "only a docketed appeal is decided"
        if changed != {"status"}:
            return "deciding the appeal changes its status alone"
        return None
    if board_decision_issued:
        return "the Board's decision makes a docketed appeal decided, nothing else"
    if changed & FORM_FIELDS:
        return "a notice of appeal is not changed after filing: " + ", ".join(
            sorted(changed & FORM_FIELDS)
        )
    if changed & BRIEFING_FIELDS:
        if changed - BRIEFING_FIELDS:
            return "briefing changes only the briefing: " + ", ".join(
                sorted(changed - BRIEFING_FIELDS)
            )
        return check_briefing_change(old, new, changed)
    if changed & REVIEW_FIELDS:
        if old.status is not AppealStatus.FILED:
            return f"the appeal was already {old.status.value}"
        if new.reviewed_by is None or new.reviewed_at is None:
            return "intake names its reviewer and time"
        if new.status is AppealStatus.REJECTED:
            if new.rejection_code not in rejection_reasons():
                return "a rejected appeal needs a reason from the catalogue (BIA PM 3.1)"
            if new.docketed_on is not None:
                return "a rejected appeal is not docketed"
        elif new.status is AppealStatus.DOCKETED:
            if new.docketed_on is None:
                return "a docketed appeal has its docketing date (the Board's day)"
            if new.rejection_code is not None:
                return "a docketed appeal has no rejection reason"
            if new.transcript_status is not TranscriptStatus.ORDERED:
                return "docketing orders the transcript"
        else:
            return "intake rejects or dockets the appeal"
    elif changed & TRANSCRIPT_FIELDS:
        if old.status is not AppealStatus.DOCKETED:
            return "the transcript is prepared for a docketed appeal"
        if old.transcript_status is not TranscriptStatus.ORDERED or (
            new.transcript_status is not TranscriptStatus.READY
        ):
            return "the transcript goes from ordered to ready"
        if new.transcript_document_id is None:
            return "a ready transcript names its document in the record"
    return None


# --- briefing -----------------------------------------------------------------------------

Side = Literal["appellant", "appellee"]
SIDES: tuple[Side, Side] = ("appellant", "appellee")
SCHEDULE_FIELDS = frozenset({"briefing_issued_on", "appellant_brief_due", "appellee_brief_due"})


def extension_request_fields(side: Side) -> frozenset[str]:
    """What a party's extension request sets on the appeal."""
    return frozenset({f"{side}_extension", f"{side}_extension_requested_at"})


def extension_decision_fields(side: Side) -> frozenset[str]:
    """What the Board clerk's decision on ``side``'s request sets (with the due days)."""
    return frozenset({f"{side}_extension", f"{side}_extension_decided_on"})


def brief_fields(side: Side) -> frozenset[str]:
    """What a party's brief, as the Board received it, sets on the appeal."""
    return frozenset(
        {f"{side}_brief_document_id", f"{side}_brief_received_at", f"{side}_brief_late"}
    )


BRIEFING_FIELDS = SCHEDULE_FIELDS.union(
    *(extension_request_fields(s) | extension_decision_fields(s) | brief_fields(s) for s in SIDES)
)
DEFAULTS: dict[str, object] = {
    name: Appeal.model_fields[name].default for name in sorted(BRIEFING_FIELDS)
}


@dataclass(frozen=True, slots=True)
class BriefingRules:
    """``resources/briefing_rules.json``: the days and where they come from."""

    appellant_days: int  # non-detained: after the schedule issues
    appellee_days: int  # non-detained: after the appellant's due day
    detained_days: int  # detained: both, after the schedule issues
    extension_days: int  # added to the deadline a granted request extends
    appellee_follows_appellant: bool  # non-detained: the appellee's day moves with it
    non_detained_citation: str
    detained_citation: str
    extension_citation: str


def _cite(raw: Mapping[str, Any]) -> str:
    return f"{raw['section']} (read {raw['read_on']})"


@cache
def briefing_rules() -> BriefingRules:
    data = _load(BRIEFING_FILE)
    schedule, ext = data["schedule"], data["extension"]
    if ext.get("counted_from") != "original_due_date" or ext.get("per_party") != 1:
        raise DataFileError(f"{BRIEFING_FILE}: only one extension per party, from the deadline")
    return BriefingRules(
        appellant_days=int(schedule["non_detained"]["appellant_days"]),
        appellee_days=int(schedule["non_detained"]["appellee_days_after_appellant"]),
        detained_days=int(schedule["detained"]["days"]),
        extension_days=int(ext["days"]),
        appellee_follows_appellant=bool(ext["appellee_follows_appellant"]),
        non_detained_citation=_cite(schedule["non_detained"]["citation"]),
        detained_citation=_cite(schedule["detained"]["citation"]),
        extension_citation=_cite(ext["citation"]),
    )


def _roll(day: date, *, detained: bool) -> date:
    """The Board's next business day from ``day`` (``day`` itself when open)."""
    return board_calendar(detained=detained).roll(day).due


def side_of(appeal: Appeal, party: Party) -> Side:
    """The party's side of the appeal: the appellant's, or the appellee's."""
    return "appellant" if party is appeal.appellant else "appellee"


def side_label(appeal: Appeal, side: Side) -> str:
    """ "Respondent (appellant)", "DHS (appellee)"."""
    appellant = appeal.appellant is Party.DHS
    dhs = appellant if side == "appellant" else not appellant
    return f"{'DHS' if dhs else 'Respondent'} ({side})"


def expected_due_days(appeal: Appeal) -> tuple[date | None, date | None]:
    """The appellant's and the appellee's due days the schedule and the granted extensions
    give (``None`` before the schedule issues): non-detained, the appellee's day counts from
    the appellant's (as extended); detained, both from the schedule (simultaneous). Each
    last day rolls to the Board's next business day; an extension adds its days to the due
    day it extends."""
    issued = appeal.briefing_issued_on
    if issued is None:
        return None, None
    rules = briefing_rules()
    detained = appeal.detained
    extra = timedelta(days=rules.extension_days)

    def extended(day: date, side: Side) -> date:
        granted = getattr(appeal, f"{side}_extension") is BriefExtension.GRANTED
        return _roll(day + extra, detained=detained) if granted else day

    if detained:
        first = _roll(issued + timedelta(days=rules.detained_days), detained=True)
        return extended(first, "appellant"), extended(first, "appellee")
    appellant = extended(
        _roll(issued + timedelta(days=rules.appellant_days), detained=False), "appellant"
    )
    base = appellant
    if not rules.appellee_follows_appellant:
        base = _roll(issued + timedelta(days=rules.appellant_days), detained=False)
    appellee = extended(
        _roll(base + timedelta(days=rules.appellee_days), detained=False), "appellee"
    )
    return appellant, appellee


def schedule_citation(appeal: Appeal) -> str:
    rules = briefing_rules()
    return rules.detained_citation if appeal.detained else rules.non_detained_citation


def due_of(appeal: Appeal, side: Side) -> date | None:
    day = getattr(appeal, f"{side}_brief_due")
    assert day is None or isinstance(day, date)
    return day


def issue_briefing(appeal: Appeal, issued_on: date) -> Appeal:
    """The briefing schedule issued on the Board's day ``issued_on`` (the transcript is
    ready): the due days :func:`expected_due_days` gives."""
    issued = appeal.model_copy(update={"briefing_issued_on": issued_on})
    appellant, appellee = expected_due_days(issued)
    return issued.model_copy(
        update={"appellant_brief_due": appellant, "appellee_brief_due": appellee}
    )


def request_extension(appeal: Appeal, side: Side, received_at: datetime) -> Appeal:
    """``side``'s one request to extend its deadline, received at ``received_at``."""
    return appeal.model_copy(
        update={
            f"{side}_extension": BriefExtension.REQUESTED,
            f"{side}_extension_requested_at": received_at,
        }
    )


def decide_extension(appeal: Appeal, side: Side, *, grant: bool, decided_on: date) -> Appeal:
    """The Board clerk's decision on ``side``'s request on the Board's day ``decided_on``;
    a grant moves the due days (:func:`expected_due_days`)."""
    decided = appeal.model_copy(
        update={
            f"{side}_extension": BriefExtension.GRANTED if grant else BriefExtension.DENIED,
            f"{side}_extension_decided_on": decided_on,
        }
    )
    appellant, appellee = expected_due_days(decided)
    return decided.model_copy(
        update={"appellant_brief_due": appellant, "appellee_brief_due": appellee}
    )


def brief_is_late(appeal: Appeal, side: Side, received_at: datetime) -> bool:
    """Received after ``side``'s due day ended at the Board (23:59:59 Board time is timely)."""
    due = due_of(appeal, side)
    return due is not None and received_on(received_at) > due


def file_brief(appeal: Appeal, side: Side, document_id: str, received_at: datetime) -> Appeal:
    """``side``'s brief (the document ``document_id``) as the Board received it."""
    return appeal.model_copy(
        update={
            f"{side}_brief_document_id": document_id,
            f"{side}_brief_received_at": received_at,
            f"{side}_brief_late": brief_is_late(appeal, side, received_at),
        }
    )


def _check_dues(new: Appeal) -> str | None:
    expected = expected_due_days(new)
    if (new.appellant_brief_due, new.appellee_brief_due) != expected:
        shown = " and ".join(d.isoformat() if d else "none" for d in expected)
        return f"the briefing due days are {shown} by the schedule and its extensions"
    return None


def check_briefing_change(old: Appeal, new: Appeal, changed: set[str]) -> str | None:
    """One briefing step, and only one: the schedule issued (a docketed appeal whose
    transcript is ready, once), a party's extension request (once per party, by its due
    day), the Board clerk's decision on it, or a party's brief (once, late as the due day
    says)."""
    if changed & {"briefing_issued_on"}:
        if changed - SCHEDULE_FIELDS:
            return "the briefing schedule issues on its own"
        if old.briefing_issued_on is not None:
            return "the briefing schedule has already issued"
        if old.status is not AppealStatus.DOCKETED or (
            old.transcript_status is not TranscriptStatus.READY
        ):
            return "the briefing schedule issues when the transcript of a docketed appeal is ready"
        if new.briefing_issued_on is None:
            return "the briefing schedule names the day it issued"
        return _check_dues(new)
    if old.briefing_issued_on is None:
        return "no briefing schedule has issued in this appeal"
    for side in SIDES:
        if changed <= brief_fields(side):
            return _check_brief(old, new, side)
        asks = getattr(new, f"{side}_extension") is BriefExtension.REQUESTED
        if changed <= extension_request_fields(side) and (
            asks or f"{side}_extension_requested_at" in changed
        ):
            return _check_request(old, new, side)
        if changed <= extension_decision_fields(side) | SCHEDULE_FIELDS - {"briefing_issued_on"}:
            return _check_decision(old, new, side)
    return "one briefing step at a time: a request, a decision on it, or a brief"


def _check_request(old: Appeal, new: Appeal, side: Side) -> str | None:
    if getattr(old, f"{side}_extension") is not BriefExtension.NONE:
        return (
            "one extension request per party (BIA Practice Manual 4.7(c)): the "
            f"{side} has already asked"
        )
    at = getattr(new, f"{side}_extension_requested_at")
    if getattr(new, f"{side}_extension") is not BriefExtension.REQUESTED or at is None:
        return "an extension request is requested, with the time the Board received it"
    if getattr(old, f"{side}_brief_document_id") is not None:
        return f"the {side}'s brief is already filed"
    due = due_of(old, side)
    if due is not None and received_on(at) > due:
        return (
            "an extension request must reach the Board by the brief's due day "
            f"({due.isoformat()}, BIA Practice Manual 4.7(c))"
        )
    return None


def _check_decision(old: Appeal, new: Appeal, side: Side) -> str | None:
    if getattr(old, f"{side}_extension") is not BriefExtension.REQUESTED:
        return f"the {side} has no extension request waiting for a decision"
    if getattr(new, f"{side}_extension") not in (BriefExtension.GRANTED, BriefExtension.DENIED):
        return "the Board clerk grants or denies the extension request"
    if getattr(new, f"{side}_extension_decided_on") is None:
        return "a decision on an extension request has its day (the Board's)"
    return _check_dues(new)


def _check_brief(old: Appeal, new: Appeal, side: Side) -> str | None:
    if getattr(old, f"{side}_brief_document_id") is not None:
        return f"the {side}'s brief is already filed"
    at = getattr(new, f"{side}_brief_received_at")
    if getattr(new, f"{side}_brief_document_id") is None or at is None:
        return "a brief names its document and the time the Board received it"
    if getattr(new, f"{side}_brief_late") != brief_is_late(old, side, at):
        return "a brief received after its due day ended in Board time is flagged late"
    return None
