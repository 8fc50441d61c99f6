"""What a respondent without counsel files besides a change of address: evidence, a
written statement, a motion, an application the judge ordered. The list, each kind's
document type and its sources are data (``resources/respondent_filings.json``).

A respondent's documents go through the same desk as counsel's
(:meth:`FilingDesk.file_documents`): the same PDF checks in the PDF box, the same policy
(``policy.respondent_filing_refusal``: their own case, and only while no counsel of record
appears for them), one pending filing in the clerk's review queue. The filing records the
kind and its service on DHS, which the system makes electronically (the DHS line is worded
as the court's own service lines, ``common/service.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from common.enums import DocumentType, Party
from common.forms_eoir import ServiceMethod
from common.resources import DataFileError, read_data_file, require, resource_path
from common.service import PartyToServe, service_wording
from sync_server.models import CourtRow
from sync_server.policy import Principal
from sync_server.services.portal_filings import FilingDesk, FilingRefused, Upload

RESOURCE = "respondent_filings.json"


@dataclass(frozen=True)
class DocumentKind:
    key: str
    doc_type: DocumentType
    label: str  # English; the portal translates it
    hint: str
    citations: tuple[dict[str, Any], ...]


@lru_cache(maxsize=1)
def document_kinds() -> tuple[DocumentKind, ...]:
    """The kinds a respondent may file, in the order the page offers them."""
    path = resource_path(RESOURCE)
    data = read_data_file(path)
    kinds = []
    for index, raw in enumerate(require(data, "documents", list, where=str(path))):
        where = f"{path} document {index}"
        if not isinstance(raw, dict):
            raise DataFileError(f"{where}: must be an object")
        cites = require(raw, "citation", list, where=where)
        if not cites or not all(isinstance(c, dict) and c.get("section") for c in cites):
            raise DataFileError(f"{where}: needs at least one citation with a section")
        try:
            doc_type = DocumentType(require(raw, "doc_type", str, where=where))
        except ValueError as err:
            raise DataFileError(f"{where}: unknown doc_type") from err
        kinds.append(
            DocumentKind(
                key=require(raw, "key", str, where=where),
                doc_type=doc_type,
                label=require(raw, "label", str, where=where),
                hint=require(raw, "hint", str, where=where),
                citations=tuple(dict(c) for c in cites),
            )
        )
    if len({k.key for k in kinds}) != len(kinds):
        raise DataFileError(f"{path}: a document key is listed twice")
    return tuple(kinds)


def kind_named(key: str) -> DocumentKind | None:
    return next((k for k in document_kinds() if k.key == key), None)


def dhs_served(desk: FilingDesk, court_id: str) -> PartyToServe:
    """DHS for the case's court, served electronically (as the court serves it)."""
    with desk.factory() as session:
        court = session.get(CourtRow, court_id)
        city = court.city if court is not None else ""
    return PartyToServe(
        party=Party.DHS,
        name=service_wording().dhs.format(city=city).rstrip(", "),
        method=ServiceMethod.ELECTRONIC,
    )


def file_respondent_documents(
    desk: FilingDesk,
    respondent: Principal,
    case_id: str,
    kind: DocumentKind,
    title: str,
    lead: Upload,
    attachments: list[Upload],
    today: date,
) -> str:
    """File the respondent's documents of ``kind`` in their case; returns the filing id.
    Raises :class:`FilingRefused` (a file fails the PDF checks, counsel appears for them)
    or ``NotFound`` (not their case)."""
    case = desk.cases.check_case(respondent, case_id)
    served = dhs_served(desk, case.court_id)
    if not title.strip():
        raise FilingRefused("Give the document a title.", {"title": "This field is required."})
    return desk.file_documents(
        respondent,
        case_id,
        kind.doc_type,
        title,
        lead,
        attachments,
        today,
        form_extra={
            "respondent_document": kind.key,
            "served_on": [
                {"party": served.party.value, "name": served.name, "method": served.method.value}
            ],
        },
    )
