"""The feed read by scope (indexes on ``sync_record``), and the portal's case list and search

A pull is now one index-ordered branch per key of the caller's scope, merged by version
(``sync_server/services/feed_pages.py``): the public rows of a court (DHS's) or of no
court (reference data, everyone's) come from this index in version order, so a page
reads about the rows it returns rather than every court-internal row beside them; two
partial indexes hold the rows of no court in version order (all of them, and those
everyone reads), which ``court_id IS NULL`` on the first could not give without a sort.

The portal's case list reads a court's cases newest first from ``(court_id, opened_on)``
and its name and A-number search (``ILIKE '%term%'``) uses trigram GIN indexes on
PostgreSQL (the ``pg_trgm`` extension, trusted since PostgreSQL 13: the database's owner
may create it); other databases get plain indexes of the same names.

Revision ID: 0023_feed_scope_index
Revises: 0020_board_decisions
Create Date: 2026-12-07 01:15:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_feed_scope_index"
down_revision: str | Sequence[str] | None = "0020_board_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sync_record_court_audience_version",
            ["court_id", "audience", "version"],
            unique=False,
        )
    # Rows of no court (reference data, accounts of no court) in version order: IS NULL
    # is no equality to the planner, so a key of NULLs would be read and then sorted.
    courtless = sa.text("court_id IS NULL")
    op.create_index(
        "ix_sync_record_courtless_version",
        "sync_record",
        ["version"],
        postgresql_where=courtless,
        sqlite_where=courtless,
    )
    # and those everyone signed in reads (courts, adjournment codes: see policy.feed_filter)
    global_rows = sa.text("court_id IS NULL AND case_id IS NULL AND audience = 'public'")
    op.create_index(
        "ix_sync_record_global_version",
        "sync_record",
        ["version"],
        postgresql_where=global_rows,
        sqlite_where=global_rows,
    )

    # The portal's case list (a court's cases, newest first) and its search by name or
    # A-number (ILIKE '%term%'): trigram GIN indexes on PostgreSQL, plain ones elsewhere.
    op.create_index("ix_case_court_opened", "case", ["court_id", "opened_on"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in (
            ("ix_case_last_name_trgm", "respondent_last_name"),
            ("ix_case_a_number_trgm", "a_number"),
        ):
            op.create_index(
                name,
                "case",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )
    else:
        op.create_index("ix_case_last_name_trgm", "case", ["respondent_last_name"])
        op.create_index("ix_case_a_number_trgm", "case", ["a_number"])


def downgrade() -> None:
    op.drop_index("ix_case_a_number_trgm", table_name="case")
    op.drop_index("ix_case_last_name_trgm", table_name="case")
    op.drop_index("ix_case_court_opened", table_name="case")
    op.drop_index("ix_sync_record_global_version", table_name="sync_record")
    op.drop_index("ix_sync_record_courtless_version", table_name="sync_record")
    with op.batch_alter_table("sync_record", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_record_court_audience_version")
