"""Push replays: the digest of each applied mutation's content

A mutation id names exactly one payload. The server keeps a SHA-256 of what it applied
(entity, id, op, base version, data, group) beside the stored result, and refuses a replay
whose content differs instead of answering it with the stored result. Rows written before
this revision have no digest and are answered as before.

Revision ID: 0008_mutation_digest
Revises: 0007_api_second_factor
Create Date: 2026-12-06 19:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_mutation_digest"
down_revision: str | Sequence[str] | None = "0007_api_second_factor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applied_mutation") as batch:
        batch.add_column(sa.Column("digest", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applied_mutation") as batch:
        batch.drop_column("digest")
