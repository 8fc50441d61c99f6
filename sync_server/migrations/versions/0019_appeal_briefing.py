"""The Board's briefing schedule on the appeal

Columns on ``appeal``: the schedule the server issues when the transcript is marked ready
(``briefing_issued_on``, ``appellant_brief_due``, ``appellee_brief_due``: the Board's
days), each party's one extension request and the Board clerk's decision
(``*_extension``: none, requested, granted, denied; when requested and decided), and each
party's brief (its document, when the Board received it, late or not).

Appeals from before this revision have no schedule and no extension request.

Revision ID: 0019_appeal_briefing
Revises: 0017_counsel_families
Create Date: 2026-12-07 01:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0019_appeal_briefing"
down_revision: str | Sequence[str] | None = "0017_counsel_families"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTIES = ("appellant", "appellee")


def upgrade() -> None:
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("briefing_issued_on", sa.Date(), nullable=True))
        for party in _PARTIES:
            batch_op.add_column(sa.Column(f"{party}_brief_due", sa.Date(), nullable=True))
        for party in _PARTIES:
            batch_op.add_column(
                sa.Column(
                    f"{party}_extension",
                    sa.String(length=20),
                    nullable=False,
                    server_default="none",
                )
            )
            batch_op.add_column(
                sa.Column(
                    f"{party}_extension_requested_at",
                    sync_server.models.types.UTCDateTime(),
                    nullable=True,
                )
            )
            batch_op.add_column(
                sa.Column(f"{party}_extension_decided_on", sa.Date(), nullable=True)
            )
        for party in _PARTIES:
            batch_op.add_column(
                sa.Column(f"{party}_brief_document_id", sa.String(length=36), nullable=True)
            )
            batch_op.add_column(
                sa.Column(
                    f"{party}_brief_received_at",
                    sync_server.models.types.UTCDateTime(),
                    nullable=True,
                )
            )
            batch_op.add_column(
                sa.Column(
                    f"{party}_brief_late", sa.Boolean(), nullable=False, server_default=sa.false()
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        for party in reversed(_PARTIES):
            for suffix in (
                "brief_late",
                "brief_received_at",
                "brief_document_id",
                "extension_decided_on",
                "extension_requested_at",
                "extension",
                "brief_due",
            ):
                batch_op.drop_column(f"{party}_{suffix}")
        batch_op.drop_column("briefing_issued_on")
