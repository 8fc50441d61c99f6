"""eROP package jobs

Revision ID: 0005_packages
Revises: 0003
Create Date: 2026-11-27 21:20:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

# revision identifiers, used by Alembic.
revision: str = "0005_packages"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "rop_job",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(length=100), nullable=True),
        sa.Column("lease_until", sync_server.models.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sync_server.models.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"], ["rop_request.id"], name=op.f("fk_rop_job_request_id_rop_request")
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_rop_job")),
    )
    op.create_index("ix_rop_job_state_created", "rop_job", ["state", "created_at"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_rop_job_state_created", table_name="rop_job")
    op.drop_table("rop_job")
