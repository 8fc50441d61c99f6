"""Bond proceedings as their own record

A bond case (``case_type`` bond) is a proceeding of its own (8 CFR 1003.19(d); ICPM 9.3):
``case.removal_case_id`` names the removal case it belongs to once the notice to appear is
filed (a bond may be heard before). A new synced entity, ``bond``: one custody
redetermination (DHS's determination, the request, the decision, DHS's EOIR-43 stay).

Existing cases keep no link (the column is empty) and bond hearings held inside a removal
case stay where they are.

Revision ID: 0010_bond_proceedings
Revises: 0009_address_history
Create Date: 2026-12-08 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0010_bond_proceedings"
down_revision: str | Sequence[str] | None = "0009_address_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removal_case_id", sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_case_removal_case_id"), ["removal_case_id"], unique=False
        )
    op.create_table(
        "bond",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("dhs_determination", sa.String(length=20), nullable=False),
        sa.Column("dhs_amount", sa.BigInteger(), nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(length=20), nullable=False),
        sa.Column("requester_id", sa.String(length=36), nullable=True),
        sa.Column("requested_amount", sa.BigInteger(), nullable=True),
        sa.Column("prior_bond_id", sa.String(length=36), nullable=True),
        sa.Column("changed_circumstances", sa.Text(), nullable=False),
        sa.Column("hearing_id", sa.String(length=36), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("judge_id", sa.String(length=36), nullable=True),
        sa.Column("stay_filed_on", sa.Date(), nullable=True),
        sa.Column("dhs_appeal_filed_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_bond_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bond")),
    )
    with op.batch_alter_table("bond", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bond_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bond_version"), ["version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bond", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bond_version"))
        batch_op.drop_index(batch_op.f("ix_bond_case_id"))
    op.drop_table("bond")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_removal_case_id"))
        batch_op.drop_column("removal_case_id")
