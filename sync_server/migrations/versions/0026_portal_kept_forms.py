"""Portal forms kept across the end of a session; password-reset links

``portal_kept_form`` holds a form that arrived after its session had ended (idle or too
old), so its user can send it after signing in again; the browser holds only a signed,
short-lived reference to a row. ``portal_password_reset`` holds the SHA-256 of each
mailed password-reset link (single use, short-lived).

Revision ID: 0026_portal_kept_forms
Revises: 0025_case_name_folded
Create Date: 2026-12-07 02:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0026_portal_kept_forms"
down_revision: str | Sequence[str] | None = "0025_case_name_folded"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_kept_form",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("kept_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("taken_at", sync_server.models.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_portal_kept_form_user_id_user_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_kept_form")),
    )
    op.create_index(
        op.f("ix_portal_kept_form_user_id"), "portal_kept_form", ["user_id"], unique=False
    )
    op.create_index(
        op.f("ix_portal_kept_form_kept_at"), "portal_kept_form", ["kept_at"], unique=False
    )
    op.create_table(
        "portal_password_reset",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("requested_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", sync_server.models.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_portal_password_reset_user_id_user_profile"),
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_portal_password_reset")),
    )
    op.create_index(
        op.f("ix_portal_password_reset_user_id"),
        "portal_password_reset",
        ["user_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_portal_password_reset_user_id"), table_name="portal_password_reset")
    op.drop_table("portal_password_reset")
    op.drop_index(op.f("ix_portal_kept_form_kept_at"), table_name="portal_kept_form")
    op.drop_index(op.f("ix_portal_kept_form_user_id"), table_name="portal_kept_form")
    op.drop_table("portal_kept_form")
