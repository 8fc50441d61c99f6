"""The clerk's filing review queue as plain data: each filing joined with its case, its
filer and its documents, oldest first. No Qt here; the review view shows what this returns.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from common.anumber import format_a_number
from common.enums import FilingStatus
from common.wire import Document, Filing, Representation, WireRecord
from desktop import outbox
from desktop.conflicts import FILING_KINDS
from desktop.local_schema import outbox_table


@dataclass(frozen=True)
class FilingRow:
    """One filing with what the queue shows of it; ``documents`` has the lead first."""

    filing: Filing
    documents: tuple[Document, ...]
    a_number: str
    respondent: str
    filer: str
    submitted_at: datetime  # in the court's time zone
    # The filer's existing appearance of the same form in the case, if any (an EOIR-28
    # accepted updates it). An EOIR-27 is another appearance (before the Board), so
    # accepting one never turns the practitioner's EOIR-28 into it.
    representation: Representation | None = None
    # A decision still in this computer's outbox (not yet confirmed by the server).
    waiting_to_send: bool = False

    @property
    def filing_id(self) -> str:
        return self.filing.id

    @property
    def kind_label(self) -> str:
        return FILING_KINDS.get(self.filing.kind.value, self.filing.kind.value)

    @property
    def lead(self) -> Document | None:
        lead = [d for d in self.documents if d.id == self.filing.lead_document_id]
        return lead[0] if lead else None

    @property
    def attachments(self) -> int:
        return len(self.documents) - (1 if self.lead else 0)

    @property
    def pending(self) -> bool:
        return self.filing.status is FilingStatus.PENDING

    @property
    def status_text(self) -> str:
        """ "Pending", or the decision and whether the server has it yet."""
        status = self.filing.status.value.capitalize()
        if self.pending:
            return status
        return f"{status}, {'waiting to send' if self.waiting_to_send else 'sent'}"


def build_filing_rows(
    filings: Iterable[dict[str, Any]],
    cases: Iterable[dict[str, Any]],
    documents: Iterable[dict[str, Any]],
    users: Iterable[dict[str, Any]],
    courts: Iterable[dict[str, Any]],
    include_reviewed: bool = False,
    representations: Iterable[dict[str, Any]] = (),
    unsent: Collection[str] = (),
) -> list[FilingRow]:
    """Join filings with their case, filer and documents, oldest first."""
    wanted = [
        Filing.model_validate(f)
        for f in filings
        if include_reviewed or f.get("status") == FilingStatus.PENDING.value
    ]
    ids = {f.id for f in wanted}
    named = {i for f in wanted for i in (f.lead_document_id, *f.attachment_ids) if i}
    docs: dict[str, Document] = {}
    by_filing: dict[str, list[str]] = {}
    for d in documents:
        if d.get("filing_id") in ids or d["id"] in named:
            doc = Document.model_validate(d)
            docs[doc.id] = doc
            if doc.filing_id:
                by_filing.setdefault(doc.filing_id, []).append(doc.id)
    case_by_id = {str(c["id"]): c for c in cases}
    names = {str(u["id"]): str(u["display_name"]) for u in users}
    zones = {str(c["id"]): ZoneInfo(str(c["timezone"])) for c in courts}
    appearances = {
        (
            str(r["case_id"]),
            str(r["practitioner_id"]),
            str(r["form"]),
        ): Representation.model_validate(r)
        for r in representations
    }
    rows = []
    for filing in wanted:
        order = [filing.lead_document_id, *filing.attachment_ids, *by_filing.get(filing.id, [])]
        own = tuple(docs[i] for i in dict.fromkeys(order) if i is not None and i in docs)
        case = case_by_id.get(filing.case_id or "", {})
        respondent = (
            (f"{str(case['respondent_last_name']).upper()}, {case['respondent_first_name']}")
            if case
            else "(case not on file)"
        )
        zone = zones.get(filing.court_id)
        rows.append(
            FilingRow(
                filing,
                own,
                format_a_number(str(case["a_number"])) if case else "—",
                respondent,
                names.get(filing.filer_id, "Unknown filer"),
                filing.submitted_at.astimezone(zone) if zone else filing.submitted_at,
                appearances.get((filing.case_id or "", filing.filer_id, filing.kind.value)),
                filing.id in unsent,
            )
        )
    return sorted(rows, key=lambda r: r.filing.submitted_at)


def load_filing_rows(
    store: Any, include_reviewed: bool, user_id: str | None = None
) -> list[FilingRow]:
    """Read the queue from a :class:`~desktop.local_store.LocalStore` (off the GUI thread).
    With ``user_id``, the filings made where that user works: an immigration court's clerk
    reviews the court's, the Board's clerk the filings before the Board (at the Board's
    court record), though the Board's staff also hold the court filings of its cases."""
    filings = store.all("filing")
    profile = store.get("user_profile", user_id) if user_id is not None else None
    if profile is not None:
        filings = [f for f in filings if f.get("court_id") == profile.get("court_id")]
    return build_filing_rows(
        filings,
        store.all("case"),
        store.all("document"),
        store.all("user_profile"),
        store.all("court"),
        include_reviewed,
        store.all("representation"),
        unsent_filings(store),
    )


def unsent_filings(store: Any) -> set[str]:
    """The ids of filings with a change still in the outbox."""
    with store.engine.connect() as conn:
        return set(
            conn.scalars(select(outbox_table.c.record_id).where(outbox_table.c.entity == "filing"))
        )


# --- undo: a decision can be taken back until it is sent ---------------------------------------


def save_review(store: Any, records: Sequence[WireRecord]) -> list[str]:
    """Save a decision's records as one action; returns the mutation ids that carry it
    (what :func:`withdraw_review` takes back)."""
    ids: list[str] = store.save_together(records)
    return ids


def review_unsent(store: Any, mutation_ids: list[str]) -> bool:
    """Whether the decision can still be undone: none of its entries was tried."""
    with store.engine.connect() as conn:
        return outbox.unsent(conn, mutation_ids)


def withdraw_review(store: Any, mutation_ids: list[str]) -> bool:
    """Undo a decision not yet sent, in one transaction: its outbox entries go and the
    filing, its documents (and a representation it changed) show what they showed before.
    False, changing nothing, once any of it may have reached the server."""
    with store.transaction() as conn:
        return outbox.withdraw(conn, mutation_ids)
