"""Resumable uploads staged in the database, so any server node can continue one

``upload_chunk`` holds the bytes of unfinished uploads (256 KB a row), written in the
same transaction that moves ``blob_upload.offset``. Before this revision the bytes sat in
``<data dir>/staging/<id>.part`` on the node that received them; those files are not moved:
an unfinished upload from before is answered with offset 0 and sent again (the client
resumes from the offset it is told), and the leftover ``.part`` files are removed by
``ecas-server purge-uploads`` once an hour old.

Revision ID: 0022_upload_staging
Revises: 0023_feed_scope_index
Create Date: 2026-12-07 01:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0022_upload_staging"
down_revision: str | Sequence[str] | None = "0023_feed_scope_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "upload_chunk",
        sa.Column("upload_id", sa.String(length=36), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["blob_upload.id"],
            name=op.f("fk_upload_chunk_upload_id_blob_upload"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("upload_id", "start", name=op.f("pk_upload_chunk")),
    )
    # Uploads from before were staged on one node's disk: they start again from byte 0.
    op.execute('UPDATE blob_upload SET "offset" = 0')


def downgrade() -> None:
    op.drop_table("upload_chunk")
