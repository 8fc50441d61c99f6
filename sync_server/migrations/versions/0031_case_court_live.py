"""The live cases of a court, for the portal's case count

DHS's case list says "Cases 1-200 of N": N is the count of the live cases of its courts.
Through ``ix_case_court_id`` that count visited every such case's heap row to check
``deleted`` (61,020 cases of the biggest court at 1,000,000 cases: 21,584 blocks,
149 ms). A partial index of the live cases' courts answers it from the index alone
(an index-only scan, 3-5 ms; the whole list 130 -> 12 ms). Its predicate is written as the ORM
writes the condition (``deleted IS false``): PostgreSQL does not match ``NOT deleted``
to it, and the index went unused in a first try.

Revision ID: 0031_case_court_live
Revises: 0030_respondent_access
Create Date: 2026-12-07 06:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_case_court_live"
down_revision: str | Sequence[str] | None = "0030_respondent_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_case_court_live",
        "case",
        ["court_id"],
        postgresql_where=sa.text("deleted IS false"),
        sqlite_where=sa.text("deleted IS false"),
    )


def downgrade() -> None:
    op.drop_index("ix_case_court_live", table_name="case")
