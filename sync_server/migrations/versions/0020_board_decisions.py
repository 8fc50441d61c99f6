"""The Board's decisions: ``board_decision`` and ``board_vote``

Two new synced entities (issue 15, adjudication): ``board_decision``, the assignment of a
docketed appeal to a single Board member or a panel of three, its author, its drafted
order, outcome and issue day; ``board_vote``, one panel member's signed vote on the
drafted decision with an optional separate opinion. Nothing existing changes; a server
from before this revision has no Board decisions.

Revision ID: 0020_board_decisions
Revises: 0021_board_motions
Create Date: 2026-12-07 01:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0020_board_decisions"
down_revision: str | Sequence[str] | None = "0021_board_motions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _synced() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sync_server.models.types.UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "board_decision",
        sa.Column("appeal_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("panel", sa.Boolean(), nullable=False),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("assigned_by", sa.String(length=36), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["appeal_id"], ["appeal.id"], name=op.f("fk_board_decision_appeal_id_appeal")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_board_decision_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_decision")),
    )
    with op.batch_alter_table("board_decision", schema=None) as batch_op:
        for column in ("appeal_id", "case_id", "status", "order_id", "version"):
            batch_op.create_index(batch_op.f(f"ix_board_decision_{column}"), [column])
    op.create_table(
        "board_vote",
        sa.Column("board_decision_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("vote", sa.String(length=20), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("signed_at", sync_server.models.types.UTCDateTime(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["board_decision_id"],
            ["board_decision.id"],
            name=op.f("fk_board_vote_board_decision_id_board_decision"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_board_vote_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_vote")),
    )
    with op.batch_alter_table("board_vote", schema=None) as batch_op:
        for column in ("board_decision_id", "case_id", "version"):
            batch_op.create_index(batch_op.f(f"ix_board_vote_{column}"), [column])


def downgrade() -> None:
    with op.batch_alter_table("board_vote", schema=None) as batch_op:
        for column in ("version", "case_id", "board_decision_id"):
            batch_op.drop_index(batch_op.f(f"ix_board_vote_{column}"))
    op.drop_table("board_vote")
    with op.batch_alter_table("board_decision", schema=None) as batch_op:
        for column in ("version", "order_id", "status", "case_id", "appeal_id"):
            batch_op.drop_index(batch_op.f(f"ix_board_decision_{column}"))
    op.drop_table("board_decision")
