"""The custody history, and a hearing's interpreter dialect and medium

A new synced entity, ``custody_change``: one row per change of a respondent's custody
(detained at a facility, transferred to another, released), never edited; the case's
``custody`` follows the latest one and a facility becomes the address of record.
``hearing.interpreter_dialect`` and ``hearing.interpreter_medium`` say which variety of the
language is needed and how the interpreter attends.

Cases from before this revision have no history: their ``custody`` stands until the first
change is recorded. Their hearings have no dialect and no medium (the interpreter attends
as the hearing is held).

Revision ID: 0014_custody_interpreters
Revises: 0010_bond_proceedings
Create Date: 2026-12-06 22:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0014_custody_interpreters"
down_revision: str | Sequence[str] | None = "0010_bond_proceedings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custody_change",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("facility_code", sa.String(length=40), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("source_document_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_custody_change_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_change")),
    )
    with op.batch_alter_table("custody_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custody_change_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_custody_change_version"), ["version"], unique=False)
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interpreter_dialect", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("interpreter_medium", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.drop_column("interpreter_medium")
        batch_op.drop_column("interpreter_dialect")
    with op.batch_alter_table("custody_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_change_version"))
        batch_op.drop_index(batch_op.f("ix_custody_change_case_id"))
    op.drop_table("custody_change")
