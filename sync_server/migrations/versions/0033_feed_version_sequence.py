"""The feed's versions from a sequence on PostgreSQL (pushes of different courts overlap)

Versions were handed out by ``UPDATE server_state SET version = version + n``: its row lock
made every write in the country queue behind the one before, for the whole of its
transaction. On PostgreSQL they now come from ``feed_version_seq`` and readers page up to
``server_state.version``, which a writer raises as it commits, bounded by the other open
writers (sync_server/db.py). The sequence starts above every version written so far.
SQLite keeps the counter (it has one writer at a time anyway).

Revision ID: 0033_feed_version_sequence
Revises: 0032_confidentiality_flags
Create Date: 2026-12-07 08:30:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033_feed_version_sequence"
down_revision: str | Sequence[str] | None = "0032_confidentiality_flags"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE feed_version_seq AS bigint MINVALUE 1")
    op.execute(
        "SELECT setval('feed_version_seq', version) FROM server_state WHERE id = 1 AND version > 0"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "UPDATE server_state SET version = GREATEST(version, "
        "(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM feed_version_seq)) "
        "WHERE id = 1"
    )
    op.execute("DROP SEQUENCE feed_version_seq")
