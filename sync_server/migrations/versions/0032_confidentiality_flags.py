"""Confidentiality flags on cases and documents

``case.confidentiality`` and ``document.confidentiality`` hold the flags of
``common.enums.Confidentiality`` (asylum information, 8 CFR 1208.6; VAWA/T/U information,
8 U.S.C. 1367; sealed by a protective order, 8 CFR 1003.46) as a JSON list, empty for the
existing rows. Who reads a flagged record is decided by ``sync_server/policy.py``
(resources/confidentiality.json says why).

Revision ID: 0032_confidentiality_flags
Revises: 0031_case_court_live
Create Date: 2026-12-07 08:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_confidentiality_flags"
down_revision: str | Sequence[str] | None = "0031_case_court_live"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("case", "document"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "confidentiality", sa.JSON(), nullable=False, server_default=sa.text("'[]'")
                )
            )


def downgrade() -> None:
    for table in ("case", "document"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("confidentiality")
