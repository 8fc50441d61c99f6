"""Respondents' own access: case access codes and the cases a respondent enrolled in

``case_access_code`` holds the salted hash of the code printed on the notice mailed to an
unrepresented respondent (one live code a case); ``respondent_case`` links a respondent's
portal account to the case(s) it enrolled in with that code, the A-number and the date of
birth.

Revision ID: 0030_respondent_access
Revises: 0029_mail_outbox
Create Date: 2026-12-07 05:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0030_respondent_access"
down_revision: str | Sequence[str] | None = "0029_mail_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_access_code",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=36), nullable=True),
        sa.Column("notice_document_id", sa.String(length=36), nullable=True),
        sa.Column("mailed_copy_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_access_code_case_id_case")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_access_code")),
    )
    op.create_table(
        "respondent_case",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("enrolled_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_respondent_case_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_respondent_case_user_id_user_profile"),
        ),
        sa.PrimaryKeyConstraint("user_id", "case_id", name=op.f("pk_respondent_case")),
    )
    op.create_index(
        op.f("ix_respondent_case_case_id"), "respondent_case", ["case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_respondent_case_case_id"), table_name="respondent_case")
    op.drop_table("respondent_case")
    op.drop_table("case_access_code")
