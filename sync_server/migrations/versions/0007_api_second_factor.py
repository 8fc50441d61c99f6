"""API sign-in second factor: the demo accounts' exemption table

External users must give a TOTP code to ``POST /api/v1/auth/login`` as they do in the
portal; this table lists the accounts (demo data only) that may sign in without one.

Revision ID: 0007_api_second_factor
Revises: 0006
Create Date: 2026-11-27 22:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0007_api_second_factor"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_second_factor_exemption",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("granted_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_api_second_factor_exemption_user_id_user_profile"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_api_second_factor_exemption")),
    )


def downgrade() -> None:
    op.drop_table("api_second_factor_exemption")
