"""The respondent's address history, and the address a service by mail went to

A new synced entity, ``address``: one row per entry of a respondent's address history (the
notice to appear's address, each accepted EOIR-33 change of address, a detention facility),
never edited, so the address of record at any date can be told later (8 CFR 1003.15(d),
1003.26(d)). ``service_record.address_id`` names the entry a mailing was sent to.

Cases opened before this revision have no history: their address of record is the next
one recorded (an EOIR-33 the court accepts, or one the clerk enters).

Revision ID: 0009_address_history
Revises: 0008_mutation_digest
Create Date: 2026-12-06 21:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0009_address_history"
down_revision: str | Sequence[str] | None = "0008_mutation_digest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "address",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=200), nullable=False),
        sa.Column("zip", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=200), nullable=False),
        sa.Column("in_care_of", sa.String(length=200), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("source_filing_id", sa.String(length=36), nullable=True),
        sa.Column("source_document_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_address_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address")),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_address_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_address_version"), ["version"], unique=False)
    with op.batch_alter_table("service_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_record", schema=None) as batch_op:
        batch_op.drop_column("address_id")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_address_version"))
        batch_op.drop_index(batch_op.f("ix_address_case_id"))
    op.drop_table("address")
