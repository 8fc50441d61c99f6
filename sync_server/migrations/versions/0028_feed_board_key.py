"""The Board's feed key: ``sync_record.at_board`` and its index in version order

The Board's staff read the rows of every case before the Board (an appeal filed,
docketed or decided: ``policy.board_cases``). Read case by case through
``(case_id, version)`` and merged, each page visited every remaining row of those cases
(2.0x the rows returned at 100,000 cases, 14.8x at 1,000,000). ``at_board`` marks the
feed rows of those cases; a partial index holds them in version order, so the Board's
page is one ordered index scan that stops at the page's end. The server keeps the mark
as it writes (``services/records.write_record``); existing rows are marked here in one
statement.

Revision ID: 0028_feed_board_key
Revises: 0026_portal_kept_forms
Create Date: 2026-12-07 04:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_feed_board_key"
down_revision: str | Sequence[str] | None = "0026_portal_kept_forms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("at_board", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # the cases before the Board: policy.BOARD_APPEAL_STATUSES when this was written
    op.execute(
        "UPDATE sync_record SET at_board = true WHERE case_id IN (SELECT case_id FROM appeal "
        "WHERE status IN ('filed', 'docketed', 'decided') AND deleted = false)"
    )
    op.create_index(
        "ix_sync_record_board_version",
        "sync_record",
        ["version"],
        postgresql_where=sa.text("at_board"),
        sqlite_where=sa.text("at_board = 1"),  # as SQLAlchemy writes the test there
    )


def downgrade() -> None:
    op.drop_index("ix_sync_record_board_version", table_name="sync_record")
    with op.batch_alter_table("sync_record", schema=None) as batch_op:
        batch_op.drop_column("at_board")
