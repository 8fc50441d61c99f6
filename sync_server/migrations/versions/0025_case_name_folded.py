"""The respondent's name folded (case and accents ignored) for the portal's search

``case.respondent_name_folded`` holds "last first" through ``common.folding.fold``, so
"Guaman" finds GUAMÁN and "Muller" finds MÜLLER; the ORM sets it on every write of a case
(``sync_server.models.records``). Existing cases are filled here in batches with the same
Python function (a database's own unaccent would fold some letters differently from the
desktop and the notice-of-appearance match). PostgreSQL searches it through a trigram GIN
index (``pg_trgm``, created by migration 0023) with ``LIKE '%term%'``; other databases get
a plain index of the same name.

Revision ID: 0025_case_name_folded
Revises: 0022_upload_staging
Create Date: 2026-12-07 02:15:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from common.folding import fold

revision: str = "0025_case_name_folded"
down_revision: str | Sequence[str] | None = "0022_upload_staging"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("respondent_name_folded", sa.String(401), nullable=True))
    bind = op.get_bind()
    case = sa.table(
        "case",
        sa.column("id", sa.String),
        sa.column("respondent_last_name", sa.String),
        sa.column("respondent_first_name", sa.String),
        sa.column("respondent_name_folded", sa.String),
    )
    after = ""
    while True:
        rows = bind.execute(
            sa.select(case.c.id, case.c.respondent_last_name, case.c.respondent_first_name)
            .where(case.c.id > after)
            .order_by(case.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            case.update()
            .where(case.c.id == sa.bindparam("row_id"))
            .values(respondent_name_folded=sa.bindparam("folded")),
            [{"row_id": r.id, "folded": fold(f"{r[1] or ''} {r[2] or ''}".strip())} for r in rows],
        )
        after = rows[-1].id
    if bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_case_name_folded_trgm",
            "case",
            ["respondent_name_folded"],
            postgresql_using="gin",
            postgresql_ops={"respondent_name_folded": "gin_trgm_ops"},
        )
    else:
        op.create_index("ix_case_name_folded_trgm", "case", ["respondent_name_folded"])


def downgrade() -> None:
    op.drop_index("ix_case_name_folded_trgm", table_name="case")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_column("respondent_name_folded")
