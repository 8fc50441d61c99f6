"""The notice of appeal (Form EOIR-26) in the portal, and the appeal clock a party reads.

A party of record files the EOIR-26 from the case's page: the appeal is written as a push
would write it (``policy.check_write``, the one filing path ``filing_rules.appeal_refusal``
through ``change_rules.check_change``, ``write_record``, an audit entry), received at the
server's clock. The clock shows the last day the Board must *receive* the appeal, on the
Board's calendar and in its time (Falls Church, Virginia), and how many days are left.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.appeals import BOARD_TIMEZONE, appeal_due, check_notice_of_appeal, received_on
from common.court_time import court_instant, format_datetime
from common.deadlines import Deadline, NoAppeal
from common.enums import AppealFee, CaseStatus, Party, Role
from common.forms_eoir import FieldErrors
from common.wire import Appeal
from sync_server.db import write_transaction
from sync_server.models import AppealRow, CaseRow
from sync_server.policy import Principal, check_write
from sync_server.services import audit, filing_rules
from sync_server.services.appeals import appeal_findings, decision_facts
from sync_server.services.change_rules import check_change
from sync_server.services.records import SessionLookups, row_to_record, write_record


class AppealRefused(Exception):
    """The appeal was not filed; ``errors`` name fields, ``message`` says what to do."""

    def __init__(self, message: str, errors: FieldErrors | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


@dataclass(frozen=True)
class AppealClock:
    """The 30 days to appeal the immigration judge's decision, as a party reads them."""

    decided_on: date | None
    due: Deadline | None
    received_by: str  # "December 8, 2026 at 11:59 PM EST" (the Board's time)
    days_left: int | None  # from the Board's today; negative once the time has run
    no_appeal: str | None  # why no appeal lies (an in-absentia order)
    appeals: list[Appeal]

    @property
    def open(self) -> bool:
        return self.due is not None and self.no_appeal is None


def _now() -> datetime:
    return datetime.now(UTC)


def _appeals(session: Session, case_id: str) -> list[Appeal]:
    rows = session.scalars(
        select(AppealRow)
        .where(AppealRow.case_id == case_id, AppealRow.deleted.is_(False))
        .order_by(AppealRow.received_at)
    )
    return [a for a in (row_to_record("appeal", r) for r in rows) if isinstance(a, Appeal)]


def appeal_clock(session: Session, case_id: str, now: datetime) -> AppealClock:
    """The case's appeal clock at ``now`` (nothing runs before a decision)."""
    facts = decision_facts(session, case_id)
    appeals = _appeals(session, case_id)
    case = session.get(CaseRow, case_id)
    detained = case is not None and case.custody == "detained"
    if facts.decision is None:
        return AppealClock(None, None, "", None, None, appeals)
    try:
        found = appeal_due(facts.decision, detained=detained)
    except NoAppeal as err:
        return AppealClock(facts.decision.decided_on, None, "", None, str(err), appeals)
    last = court_instant(found.due, time(23, 59), BOARD_TIMEZONE)
    return AppealClock(
        facts.decision.decided_on,
        found,
        format_datetime(last, BOARD_TIMEZONE),
        (found.due - received_on(now)).days,
        None,
        appeals,
    )


@dataclass
class AppealDesk:
    factory: sessionmaker[Session]

    def clock(self, case_id: str) -> AppealClock:
        with self.factory() as session:
            return appeal_clock(session, case_id, _now())

    def file_appeal(self, principal: Principal, case_id: str, form: dict[str, str]) -> str:
        """File the EOIR-26 in ``case_id`` (a case the caller reads); returns its id."""
        appellant = Party.DHS if principal.role is Role.DHS else Party.RESPONDENT
        values, errors = check_notice_of_appeal(form, appellant)
        if errors:
            raise AppealRefused("Check the notice of appeal; see the reasons below.", errors)
        received_at = _now()
        with write_transaction(self.factory) as session:
            case = session.get(CaseRow, case_id)
            if case is None or case.status != CaseStatus.DECIDED.value:
                raise AppealRefused("This case has no decision to appeal.")
            facts = decision_facts(session, case_id)
            draft = Appeal(
                id=str(uuid.uuid4()),
                case_id=case_id,
                filer_id=principal.id,
                appellant=appellant,
                decision_order_id=facts.order_id,
                decision_date=values["decision_date"],
                reasons=values["reasons"],
                separate_brief=values["separate_brief"],
                oral_argument=values["oral_argument"],
                detained=values["detained"],
                fee=values["fee"] or AppealFee.WAIVER_REQUESTED,
                fee_receipt=values["fee_receipt"],
                proof_of_service=values["proof_of_service"],
                signed_by_name=values["signed_by_name"],
                received_at=received_at,
            )
            try:
                found = appeal_findings(session, draft, received_at)
            except NoAppeal as err:
                raise AppealRefused(str(err)) from err
            appeal = draft.model_copy(update={"late": found.late, "appeal_waived": found.waived})
            lookups = SessionLookups(session)
            reason = check_write(principal, "appeal", None, appeal, lookups)
            if not reason:  # the filing rules by field, before check_change says them in a line
                refused = filing_rules.record_refusal(session, principal.id, None, appeal)
                if refused:
                    raise AppealRefused(refused.message, refused.errors)
            reason = reason or check_change(session, principal.id, None, appeal)
            if reason:
                raise AppealRefused(f"The Board can't accept this appeal: {reason}.")
            version = write_record(session, appeal, lookups=lookups)
            audit.append(
                session,
                actor_id=principal.id,
                action="record.create",
                entity="appeal",
                record_id=appeal.id,
                detail={
                    "version": version,
                    "via": "portal",
                    "flags": list(found.flags),
                    "data": appeal.model_dump(mode="json"),
                },
            )
            return appeal.id
