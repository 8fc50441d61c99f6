"""The demo data: what a new user meets after ``make run``."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from common.counsel import check_representation_change
from common.deadlines import Decision
from common.enums import (
    Custody,
    CustodyEvent,
    DocumentStatus,
    DocumentType,
    FilingStatus,
    MotionStatus,
    MotionType,
    RepresentationStatus,
    Role,
)
from common.family import check_family_link, family_of
from common.motions import motion_limits
from common.wire import (
    Case,
    CustodyChange,
    DecisionRecord,
    Document,
    Hearing,
    Motion,
    Representation,
)
from sync_server.demo.plan import DemoPlanner, demo_id
from sync_server.models import (
    Blob,
    CaseRow,
    DocumentRow,
    FilingRow,
    HearingRow,
    RepresentationRow,
    UserRow,
)
from tests.conftest import DEMO_CASES, REPO, SEED_DAY


def test_default_plan_meets_the_demo_minimums() -> None:
    plan = DemoPlanner(300, SEED_DAY).build()
    entities = [r.entity for r in plan.records]
    assert entities.count("case") >= 300
    assert len(plan.pdf_jobs) >= 1000
    assert {job[0] for _, job in plan.pdf_jobs} == {"nta", "i589", "evidence", "notice", "brief"}
    nationalities = {r.nationality for r in plan.records if r.entity == "case"}  # type: ignore[attr-defined]
    assert len(nationalities) >= 12


def test_plan_is_deterministic() -> None:
    first = DemoPlanner(40, SEED_DAY).build()
    second = DemoPlanner(40, SEED_DAY).build()
    assert [r.model_dump() for r in first.records] == [r.model_dump() for r in second.records]


def test_seeded_database_has_the_people_and_work_of_a_court(seeded_app: Flask) -> None:
    factory = seeded_app.extensions["ecas"].factory
    with factory() as session:
        roles = dict(session.execute(select(UserRow.username, UserRow.role)).all())
        for name, role in {
            "judge1": Role.JUDGE,
            "clerk1": Role.CLERK,
            "admin1": Role.COURT_ADMIN,
            "attorney1": Role.ATTORNEY,
            "attorney2": Role.ATTORNEY,
            "dhs1": Role.DHS,
        }.items():
            assert roles[name] == role
        demo_cases = [demo_id("case", index) for index in range(DEMO_CASES)]
        # Other tests add cases to this shared server; count the seeded ones by their ids.
        assert (
            session.scalar(
                select(func.count()).select_from(CaseRow).where(CaseRow.id.in_(demo_cases))
            )
            == DEMO_CASES
        )
        nta_cases = session.scalars(
            select(DocumentRow.case_id).where(
                DocumentRow.doc_type == DocumentType.NOTICE_TO_APPEAR.value
            )
        ).all()
        assert set(demo_cases) <= set(nta_cases)  # every case was opened by an NTA
        demo_hearings = [demo_id("hearing", i, n) for i in range(DEMO_CASES) for n in (0, 1)]
        starts = session.scalars(
            select(HearingRow.starts_at).where(HearingRow.id.in_(demo_hearings))
        ).all()
        now = datetime.combine(SEED_DAY, datetime.min.time(), tzinfo=UTC)
        assert all(now - timedelta(days=7) <= s <= now + timedelta(days=40) for s in starts)
        assert any(s > now for s in starts)
        assert (
            session.scalar(
                select(func.count())
                .select_from(RepresentationRow)
                .where(RepresentationRow.status == "accepted")
            )
            >= 2
        )
        assert (
            session.scalar(
                select(func.count())
                .select_from(FilingRow)
                .where(FilingRow.status == FilingStatus.PENDING.value)
            )
            >= 1
        )


def test_every_document_is_a_stored_pdf_with_matching_hash(seeded_app: Flask) -> None:
    services = seeded_app.extensions["ecas"]
    with services.factory() as session:
        docs = session.execute(
            select(DocumentRow.sha256, DocumentRow.size, DocumentRow.doc_type, DocumentRow.title)
        ).all()
        blobs = set(session.scalars(select(Blob.sha256)))
    for sha, size, doc_type, title in docs:
        assert sha in blobs
        assert services.blobs.store.exists(sha), f"{doc_type} {title!r}: no stored bytes"
        data = b"".join(services.blobs.store.read_range(sha, 0, size))
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == sha


def test_seed_demo_command_is_idempotent(tmp_path: Path) -> None:
    env = {"ECAS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    run = [sys.executable, "-m", "sync_server.cli"]
    subprocess.run([*run, "init-db"], env=env, check=True, capture_output=True)
    first = subprocess.run(
        [*run, "seed-demo", "--cases", "3"], env=env, check=True, capture_output=True, text=True
    )
    assert "Every demo user's password: demo-" in first.stdout  # random, printed once
    second = subprocess.run(
        [*run, "seed-demo", "--cases", "3"], env=env, check=True, capture_output=True, text=True
    )
    assert "already present" in second.stdout


def test_demo_shows_a_family_counsel_changes_a_motion_to_reopen_and_the_detained_docket() -> None:
    """What issue 13's records look like in the demo: a family scheduled together, counsel
    withdrawn and substituted with their history, a pending motion to reopen in judge1's
    queue, detained respondents with their custody history and hearings that need an
    interpreter. Each as the server's own rules would take it."""
    plan = DemoPlanner(DEMO_CASES, SEED_DAY).build()
    cases = [r for r in plan.records if isinstance(r, Case)]
    family = family_of(demo_id("case", "family/0"), [c.model_dump() for c in cases])
    assert family is not None and len(family.rider_ids) == 2
    members = [c for c in cases if c.id in family.case_ids]
    assert {c.court_id for c in members} == {demo_id("court", "SFR")}
    lead = next(c for c in members if c.id == family.lead_id)
    for rider in members:
        if rider.id != lead.id:
            refused = check_family_link(
                rider.id,
                rider.court_id,
                lead.model_dump(),
                lead_case_id=rider.lead_case_id,
                has_riders=False,
            )
            assert refused is None
    hearings = [r for r in plan.records if isinstance(r, Hearing) and r.case_id in family.case_ids]
    assert len(hearings) == 3 and len({(h.starts_at, h.courtroom_id) for h in hearings}) == 1
    assert all(h.starts_at.date() > SEED_DAY and h.interpreter_language for h in hearings)

    case_id = demo_id("case", "counsel")
    appearances = {
        r.status: r for r in plan.records if isinstance(r, Representation) and r.case_id == case_id
    }
    withdrawn = appearances[RepresentationStatus.WITHDRAWN]
    substituted = appearances[RepresentationStatus.SUBSTITUTED]
    current = appearances[RepresentationStatus.ACCEPTED]
    assert substituted.successor_id == current.id
    assert withdrawn.ended_on is not None and substituted.ended_on is not None
    assert withdrawn.ended_on < substituted.ended_on == current.accepted_on
    for ended in (withdrawn, substituted):
        was = ended.model_copy(
            update={
                "status": RepresentationStatus.ACCEPTED,
                "ended_on": None,
                "leave_by": None,
                "successor_id": None,
            }
        )
        assert check_representation_change(was, ended, successor=current) is None

    (motion,) = [r for r in plan.records if isinstance(r, Motion)]
    assert motion.case_id == case_id and motion.status is MotionStatus.PENDING
    assert motion.motion_type is MotionType.REOPEN and motion.filer_id == current.practitioner_id
    (decision,) = [r for r in plan.records if isinstance(r, DecisionRecord)]
    limits = motion_limits(motion, Decision(decided_on=decision.decided_on))
    assert limits is not None and not limits.barred  # within the 90 days, the first one
    document = next(
        r for r in plan.records if isinstance(r, Document) and r.id == motion.document_id
    )
    assert document.status is DocumentStatus.ACCEPTED  # so the judge's queue shows it

    detained = {c.id for c in cases if c.custody is Custody.DETAINED}
    custody = [r for r in plan.records if isinstance(r, CustodyChange) and r.case_id in detained]
    assert {r.event for r in custody} == {CustodyEvent.DETAINED, CustodyEvent.TRANSFERRED}
    assert any(
        isinstance(r, Hearing) and r.case_id in detained and r.interpreter_language
        for r in plan.records
    )
