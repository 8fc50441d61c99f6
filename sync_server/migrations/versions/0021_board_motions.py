"""Motions before the Board of Immigration Appeals

Two columns on ``motion``: ``before_board`` (the motion is before the Board, not the
immigration court: its case has a docketed appeal, or the Board decided it last; a Board
member rules on it, 8 CFR 1003.2) and ``emergency`` (an emergency request for a stay of
removal, which the Board's dashboard flags first; BIA Practice Manual chapter 6).

Motions from before this revision are before the immigration court and not emergencies.

Revision ID: 0021_board_motions
Revises: 0019_appeal_briefing
Create Date: 2026-12-07 01:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_board_motions"
down_revision: str | Sequence[str] | None = "0019_appeal_briefing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("motion", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("before_board", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("emergency", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("motion", schema=None) as batch_op:
        batch_op.drop_column("emergency")
        batch_op.drop_column("before_board")
