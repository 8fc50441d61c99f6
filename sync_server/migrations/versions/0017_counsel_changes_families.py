"""Counsel changes kept with their history, and family cases (a lead case with riders)

``representation`` gains how an appearance ended: ``ended_on`` (the court-local date of the
court's leave), ``leave_by`` (the judge whose leave it was), ``motion_id`` (the motion the
leave granted, once motions are records) and ``successor_id`` (for a substitution, the
appearance of the counsel who took over); its status may now also be ``substituted``.
``case.lead_case_id`` names a rider's lead case.

Rows from before this revision: appearances keep their status with no end recorded (a
withdrawal recorded earlier has no date or judge), and no case is a rider.

Revision ID: 0017_counsel_families
Revises: 0015_pleadings_decisions
Create Date: 2026-12-09 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_counsel_families"
down_revision: str | Sequence[str] | None = "0015_pleadings_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("representation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("leave_by", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("motion_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("successor_id", sa.String(length=36), nullable=True))
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_case_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_case_lead_case_id"), ["lead_case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_lead_case_id"))
        batch_op.drop_column("lead_case_id")
    with op.batch_alter_table("representation", schema=None) as batch_op:
        batch_op.drop_column("successor_id")
        batch_op.drop_column("motion_id")
        batch_op.drop_column("leave_by")
        batch_op.drop_column("ended_on")
