"""The Board of Immigration Appeals: its court row's kind, temporary members, appeals

``court.kind`` says whether a court record is an immigration court or the Board (one row,
code "BIA", Falls Church, Virginia, America/New_York); ``user_profile.temporary`` marks a
temporary Board member (8 CFR 1003.1(a)(4)). A new synced entity, ``appeal``: a notice of
appeal (Form EOIR-26) and its course at the Board's intake (filed, rejected, docketed) and
the transcript's (not ordered, ordered, ready).

Courts from before this revision are immigration courts; users are not temporary.

Revision ID: 0018_board_appeals
Revises: 0016_motions
Create Date: 2026-12-06 23:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0018_board_appeals"
down_revision: str | Sequence[str] | None = "0016_motions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("court", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind", sa.String(length=20), nullable=False, server_default="immigration_court"
            )
        )
    with op.batch_alter_table("user_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("temporary", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "appeal",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("filer_id", sa.String(length=36), nullable=False),
        sa.Column("appellant", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decision_order_id", sa.String(length=36), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("separate_brief", sa.Boolean(), nullable=False),
        sa.Column("oral_argument", sa.Boolean(), nullable=False),
        sa.Column("detained", sa.Boolean(), nullable=False),
        sa.Column("fee", sa.String(length=20), nullable=False),
        sa.Column("fee_receipt", sa.String(length=40), nullable=True),
        sa.Column("fee_waiver_document_id", sa.String(length=36), nullable=True),
        sa.Column("eoir27_filing_id", sa.String(length=36), nullable=True),
        sa.Column("lead_document_id", sa.String(length=36), nullable=True),
        sa.Column("proof_of_service", sa.Boolean(), nullable=False),
        sa.Column("signed_by_name", sa.String(length=200), nullable=False),
        sa.Column("received_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("appeal_waived", sa.Boolean(), nullable=False),
        sa.Column("rejection_code", sa.String(length=40), nullable=True),
        sa.Column("rejection_note", sa.String(length=200), nullable=True),
        sa.Column("reviewed_by", sa.String(length=36), nullable=True),
        sa.Column("reviewed_at", sync_server.models.types.UTCDateTime(), nullable=True),
        sa.Column("docketed_on", sa.Date(), nullable=True),
        sa.Column("transcript_status", sa.String(length=20), nullable=False),
        sa.Column("transcript_document_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_appeal_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal")),
    )
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeal_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeal_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeal_version"), ["version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeal_version"))
        batch_op.drop_index(batch_op.f("ix_appeal_status"))
        batch_op.drop_index(batch_op.f("ix_appeal_case_id"))
    op.drop_table("appeal")
    with op.batch_alter_table("user_profile", schema=None) as batch_op:
        batch_op.drop_column("temporary")
    with op.batch_alter_table("court", schema=None) as batch_op:
        batch_op.drop_column("kind")
