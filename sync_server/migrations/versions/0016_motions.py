"""Motions

A new synced entity, ``motion``: one row per motion before the immigration court (its
type, movant, the day the court received it, the other party's position, its document
and filing), and the judge's ruling (the stamp, its reason, the exception to the limits of
8 CFR 1003.23(b) applied, the day, the judge and the signed order that issues it).

Cases from before this revision have no motion records: motions filed as documents before
it stay documents of the record (their response deadlines still show from the document).

Revision ID: 0016_motions
Revises: 0014_custody_interpreters
Create Date: 2026-12-06 22:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0016_motions"
down_revision: str | Sequence[str] | None = "0014_custody_interpreters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "motion",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("motion_type", sa.String(length=30), nullable=False),
        sa.Column("movant", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filer_id", sa.String(length=36), nullable=False),
        sa.Column("filing_id", sa.String(length=36), nullable=True),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("other_party_position", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ruling", sa.String(length=30), nullable=True),
        sa.Column("ruling_reason", sa.String(length=200), nullable=True),
        sa.Column("limit_exception", sa.String(length=40), nullable=True),
        sa.Column("ruled_on", sa.Date(), nullable=True),
        sa.Column("ruled_by", sa.String(length=36), nullable=True),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_motion_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_motion")),
    )
    with op.batch_alter_table("motion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_motion_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_motion_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_motion_version"), ["version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("motion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_motion_version"))
        batch_op.drop_index(batch_op.f("ix_motion_status"))
        batch_op.drop_index(batch_op.f("ix_motion_case_id"))
    op.drop_table("motion")
