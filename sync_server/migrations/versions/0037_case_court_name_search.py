"""A court's cases searched by name in one index, for the portal's DHS search

DHS searches the cases of its courts by a part of the respondent's folded name
(``LIKE '%gar%'``). With a trigram index on the name alone and an index on the court
alone, PostgreSQL either walks the court's cases newest first and filters each (at
4,000,000 cases: 244,706 cases of the biggest court read to find its 7,059 matches,
0.9 s) or ANDs two large bitmaps (96,470 matches in the nation with the court's
244,706 cases, 0.4 s, lossy). One GIN index over the court and the name's trigrams
(``btree_gin`` gives the court column its GIN operator class; trusted since PostgreSQL
13, as ``pg_trgm``) finds the court's matches directly: 24 ms warm. Only live cases are
indexed, as the search asks (``deleted IS false``, written as the ORM writes it). Other
databases get a plain index of the same name.

Revision ID: 0037_case_court_name_search
Revises: 0036_auth_change_notify
Create Date: 2026-12-07 17:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037_case_court_name_search"
down_revision: str | Sequence[str] | None = "0036_auth_change_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    op.create_index(
        "ix_case_court_name_trgm",
        "case",
        ["court_id", "respondent_name_folded"],
        postgresql_using="gin",
        postgresql_ops={"respondent_name_folded": "gin_trgm_ops"},
        postgresql_where=sa.text("deleted IS false"),
        sqlite_where=sa.text("deleted IS false"),
    )


def downgrade() -> None:
    op.drop_index("ix_case_court_name_trgm", table_name="case")
