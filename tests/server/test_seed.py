"""The demo data: what a new user meets after ``make run``."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from common.enums import DocumentType, FilingStatus, Role
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
