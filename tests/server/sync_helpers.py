"""Builders of valid records and small database probes for the sync tests.

Every builder returns fresh ids, so tests sharing the seeded server don't disturb each
other. Data are wire dicts (``common.wire``); push them with ``tests.conftest.mutation``.
"""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import select, text

from sync_server.demo.plan import demo_id
from sync_server.models import (
    ENTITY_TABLES,
    Blob,
    BlobHolder,
    CaseRow,
    DocumentRow,
    RepresentationRow,
)
from sync_server.services.records import row_to_record
from tests.conftest import Api, court_id, mutation, user_id

SFR, NYB, HOU = court_id("SFR"), court_id("NYB"), court_id("HOU")
NOW = "2026-11-27T15:00:00Z"
_codes = itertools.count(1)


@dataclass
class TokenBook:
    """Access tokens of demo users, signed in once per test module."""

    api: Api
    _tokens: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, username: str) -> str:
        if username not in self._tokens:
            self._tokens[username] = self.api.login(username)
        return self._tokens[username]


def stored(app: Flask, entity: str, record_id: str) -> tuple[dict[str, Any], int, bool] | None:
    """A record as the server holds it: (wire data, version, deleted), or None."""
    with app.extensions["ecas"].factory() as session:
        row = session.get(ENTITY_TABLES[entity], record_id)
        if row is None:
            return None
        data = row_to_record(entity, row).model_dump(mode="json")
        return data, row.version, row.deleted


def version_of(app: Flask, entity: str, record_id: str) -> int:
    record = stored(app, entity, record_id)
    assert record is not None, f"no {entity} {record_id}"
    return record[1]


def server_version(app: Flask) -> int:
    with app.extensions["ecas"].factory() as session:
        return int(
            session.execute(text("SELECT version FROM server_state WHERE id = 1")).scalar_one()
        )


def case_ids(app: Flask, *courts: str) -> set[str]:
    with app.extensions["ecas"].factory() as session:
        query = select(CaseRow.id).where(CaseRow.deleted.is_(False))
        if courts:
            query = query.where(CaseRow.court_id.in_(courts))
        return set(session.scalars(query))


def first_case(app: Flask, court: str) -> str:
    """The oldest live case at ``court`` with an accepted document: a seeded one, whatever
    cases other tests have added to the shared server since (their ids are random)."""
    with app.extensions["ecas"].factory() as session:
        with_documents = select(DocumentRow.case_id).where(DocumentRow.status == "accepted")
        return session.scalars(
            select(CaseRow.id)
            .where(
                CaseRow.deleted.is_(False),
                CaseRow.court_id == court,
                CaseRow.id.in_(with_documents),
            )
            .order_by(CaseRow.version)
            .limit(1)
        ).one()


def a_blob(app: Flask, holder: str | None = None) -> tuple[str, int]:
    """(sha256, size) of a document body the server holds; ``holder`` is recorded as having
    uploaded it (what an upload through the API does), so they may file it."""
    with app.extensions["ecas"].factory() as session, session.begin():
        blob = session.scalars(select(Blob).order_by(Blob.sha256).limit(1)).one()
        if holder and session.get(BlobHolder, (blob.sha256, user_id(holder))) is None:
            session.add(BlobHolder(sha256=blob.sha256, user_id=user_id(holder)))
        return blob.sha256, blob.size


def a_case_of(app: Flask, username: str) -> str:
    """A demo case ``username`` reads through its own appearance: the first by id among
    those with an accepted document (cases other tests of the shared server open for the
    practitioner have none)."""
    # Only the seed's own cases (other tests move, close or re-appear in cases they open).
    seeded = {demo_id("case", index) for index in range(1000)}
    cases = accepted_cases(app, username) & seeded
    with app.extensions["ecas"].factory() as session:
        with_documents = set(
            session.scalars(
                select(DocumentRow.case_id).where(
                    DocumentRow.case_id.in_(cases),
                    DocumentRow.status == "accepted",
                    CaseRow.id == DocumentRow.case_id,
                    CaseRow.court_id == court_id("SFR"),
                )
            )
        )
    return sorted(with_documents)[0]


def a_document(app: Flask, case_id: str) -> dict[str, Any]:
    """Wire data of an accepted document of ``case_id``."""
    with app.extensions["ecas"].factory() as session:
        row = session.scalars(
            select(DocumentRow)
            .where(DocumentRow.case_id == case_id, DocumentRow.status == "accepted")
            .order_by(DocumentRow.id)
            .limit(1)
        ).one()
        return row_to_record("document", row).model_dump(mode="json")


def new_id() -> str:
    return str(uuid.uuid4())


def case_data(court: str, *, judge: str | None = None, status: str = "pending") -> dict[str, Any]:
    return {
        "id": new_id(),
        "a_number": f"3{random.randrange(10**8):08d}",
        "court_id": court,
        "judge_id": user_id(judge) if judge else None,
        "case_type": "removal",
        "status": status,
        "custody": "never_detained",
        "respondent_first_name": "Ana",
        "respondent_last_name": "Tester",
        "nationality": "Peru",
        "language": "Spanish",
        "opened_on": "2026-10-01",
    }


def hearing_data(case_id: str, court_code: str = "SFR") -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "courtroom_id": demo_id("courtroom", court_code, 1),
        "judge_id": None,
        "hearing_type": "master",
        "medium": "in_person",
        "starts_at": "2026-12-01T17:00:00Z",
        "duration_minutes": 30,
        "status": "scheduled",
    }


def document_data(
    app: Flask,
    case_id: str,
    *,
    filer: str | None = None,
    status: str = "accepted",
    pusher: str | None = None,
) -> dict[str, Any]:
    """A new document of ``case_id``; its bytes are held by ``pusher`` (default: the filer,
    else clerk1), who may therefore push it."""
    sha256, size = a_blob(app, pusher or filer or "clerk1")
    return {
        "id": new_id(),
        "case_id": case_id,
        "doc_type": "evidence",
        "title": "Exhibit G",
        "filer_id": user_id(filer) if filer else None,
        # A party files in its own capacity (services/filing_rules): DHS as DHS.
        "filer_party": ("dhs" if filer.startswith("dhs") else "practitioner")
        if filer
        else "respondent",
        "filed_on": "2026-11-20",
        "pages": 1,
        "sha256": sha256,
        "size": size,
        "status": status,
    }


def annotation_data(
    document: dict[str, Any], author: str, *, visibility: str = "private"
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "document_id": document["id"],
        "document_sha256": document["sha256"],
        "author_id": user_id(author),
        "visibility": visibility,
        "kind": "highlight",
        "page": 0,
        "geometry": {"rect": [72, 72, 300, 90]},
        "comment": "check the date",
        "created_at": NOW,
    }


def order_data(case_id: str, judge: str) -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "judge_id": user_id(judge),
        "template": "removal_decision",  # resources/order_templates/removal_decision.json
        "template_version": "2026-11",
        "status": "draft",
        "body": "The respondent is ordered removed.",
        "fields": {  # complete, so the judge of the case may sign it
            "decision_date": "2026-11-27",
            "removability": "sustained",
            **dict.fromkeys(("asylum", "withholding", "cat", "cancellation"), "denied"),
            **dict.fromkeys(("adjustment", "voluntary_departure"), "not_applied"),
            "disposition": "removal_ordered",
            "removal_country": "Mexico",
            "appeal_due": "2026-12-28",
        },
    }


def signed(order: dict[str, Any], signer: str) -> dict[str, Any]:
    return {**order, "status": "signed", "signed_by": user_id(signer), "signed_at": NOW}


COURT_NAMES = {
    SFR: "San Francisco Immigration Court",
    NYB: "New York - Broadway Immigration Court",
    HOU: "Houston Immigration Court",
}


def venue_order(
    case_id: str, judge: str, to_court: str, *, movant: str = "respondent"
) -> dict[str, Any]:
    """The judge's signed order granting a party's motion to change venue to ``to_court``
    (8 CFR 1003.20(b)): what a clerk's move of the case to that court rests on."""
    return signed(
        {
            "id": new_id(),
            "case_id": case_id,
            "judge_id": user_id(judge),
            "template": "motion_order",  # the 2026-11 version: fields stable for these tests
            "template_version": "2026-11",
            "status": "draft",
            "body": "Upon the motion to change venue, the motion is granted.",
            "fields": {
                "motion": "change_of_venue",
                "movant": movant,
                "ruling": "granted",
                "reason": "The respondent now lives in the new court's area.",
                "new_court": COURT_NAMES[to_court],
            },
        },
        judge,
    )


def filing_data(case_id: str, court: str, filer: str, kind: str = "document") -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "court_id": court,
        "filer_id": user_id(filer),
        "kind": kind,
        "status": "pending",
        "submitted_at": NOW,
    }


def representation_data(
    case_id: str, practitioner: str, *, status: str = "pending"
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "practitioner_id": user_id(practitioner),
        "form": "eoir_28",
        "scope": "all_proceedings",
        "status": status,
        "accepted_on": "2026-11-27" if status == "accepted" else None,
    }


def courtroom_data(court: str) -> dict[str, Any]:
    return {"id": new_id(), "court_id": court, "name": "Courtroom 9", "video_capable": True}


def adjournment_code_data() -> dict[str, Any]:
    return {
        "id": new_id(),
        "code": f"Z{next(_codes):03d}",
        "description": "Test code",
        "clock_effect": "runs",
    }


def push_one(
    api: Api, token: str, entity: str, data: dict[str, Any], *, base_version: int | None = None
) -> dict[str, Any]:
    """Push one upsert; returns its result."""
    (result,) = api.push(token, mutation(entity, data, base_version=base_version))
    return result


def applied(
    api: Api, token: str, entity: str, data: dict[str, Any], *, base_version: int | None = None
) -> int:
    """Push one upsert that must apply; returns the new version."""
    result = push_one(api, token, entity, data, base_version=base_version)
    assert result["status"] == "applied", result
    return int(result["version"])


def by_entity(changes: list[dict[str, Any]], entity: str) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in changes if c["entity"] == entity}


def _covers(scope: str, case_type: str) -> bool:
    """Does an appearance of ``scope`` cover a case of ``case_type`` (8 CFR 1003.17(a))?"""
    if scope == "all_proceedings":
        return True
    return (scope == "custody_and_bond_only") == (case_type == "bond")


def accepted_cases(app: Flask, username: str, *, linked: bool = False) -> set[str]:
    """Cases ``username`` reads through an accepted EOIR-28 filed in them whose scope covers
    them (other tests of the shared server add custody-only or EOIR-27 appearances, which
    open no case of their own). With ``linked``, also the cases joined to such an
    appearance's case (a bond case and its removal case) that its scope covers."""
    with app.extensions["ecas"].factory() as session:
        appearances = session.execute(
            select(RepresentationRow.case_id, RepresentationRow.scope).where(
                RepresentationRow.practitioner_id == user_id(username),
                RepresentationRow.status == "accepted",
                RepresentationRow.form == "eoir_28",
                RepresentationRow.deleted.is_(False),
            )
        ).all()
        out: set[str] = set()
        for case_id, scope in appearances:
            case = session.get(CaseRow, case_id)
            if case is None or case.deleted:
                continue
            reached = [case]
            if linked:
                reached += session.scalars(
                    select(CaseRow).where(
                        (CaseRow.removal_case_id == case.id) | (CaseRow.id == case.removal_case_id),
                        CaseRow.deleted.is_(False),
                    )
                ).all()
            out |= {c.id for c in reached if _covers(scope, c.case_type)}
        return out
