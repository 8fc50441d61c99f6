"""Pleadings and decisions

Two new synced entities. ``pleading``: what the respondent pleads at a master calendar
hearing (each factual allegation of the notice to appear and each charge admitted, denied
or not pleaded; the country designated for removal or the designation declined; the relief
sought). ``decision``: the immigration judge's decision (oral or written, the court's date,
how it completes the case, the relief granted, the country of removal, whether the
respondent was present, appeal reserved or waived by each party); the case's status
follows it and the day it becomes final is derived, never stored.

Cases from before this revision have no pleading or decision records: their decision is
still read from their signed orders (``common.deadlines.case_decision``).

Revision ID: 0015_pleadings_decisions
Revises: 0018_board_appeals
Create Date: 2026-12-06 23:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0015_pleadings_decisions"
down_revision: str | Sequence[str] | None = "0018_board_appeals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _synced() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sync_server.models.types.UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "pleading",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("hearing_id", sa.String(length=36), nullable=True),
        sa.Column("judge_id", sa.String(length=36), nullable=False),
        sa.Column("pleaded_on", sa.Date(), nullable=False),
        sa.Column("allegations", sa.JSON(), nullable=False),
        sa.Column("charges", sa.JSON(), nullable=False),
        sa.Column("designated_country", sa.String(length=200), nullable=True),
        sa.Column("designation_declined", sa.Boolean(), nullable=False),
        sa.Column("relief_sought", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sync_server.models.types.UTCDateTime(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_pleading_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pleading")),
    )
    op.create_table(
        "decision",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("hearing_id", sa.String(length=36), nullable=True),
        sa.Column("judge_id", sa.String(length=36), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("completion", sa.String(length=40), nullable=False),
        sa.Column("relief_granted", sa.JSON(), nullable=False),
        sa.Column("removal_country", sa.String(length=200), nullable=True),
        sa.Column("respondent_present", sa.Boolean(), nullable=True),
        sa.Column("appeal_reserved_by", sa.JSON(), nullable=False),
        sa.Column("appeal_waived_by", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sync_server.models.types.UTCDateTime(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_decision_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    for table in ("pleading", "decision"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_case_id"), ["case_id"], unique=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_version"), ["version"], unique=False)


def downgrade() -> None:
    for table in ("decision", "pleading"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_version"))
            batch_op.drop_index(batch_op.f(f"ix_{table}_case_id"))
        op.drop_table(table)
