"""web portal: accounts, second factors, sessions, sign-in throttle

Revision ID: 0004_portal
Revises: 0003
Create Date: 2026-11-27 21:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0004_portal"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = sync_server.models.types.UTCDateTime


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["user_profile.id"], name=op.f(f"fk_{table}_user_id_user_profile")
    )


def upgrade() -> None:
    op.create_table(
        "portal_account",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("contact", sa.JSON(), nullable=False),
        sa.Column("bar_admissions", sa.JSON(), nullable=False),
        sa.Column("organization", sa.String(length=200), nullable=True),
        sa.Column("identity_court_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("email_verified_at", _UTC(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=36), nullable=True),
        sa.Column("reviewed_at", _UTC(), nullable=True),
        sa.Column("review_note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["identity_court_id"],
            ["court.id"],
            name=op.f("fk_portal_account_identity_court_id_court"),
        ),
        _user_fk("portal_account"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_portal_account")),
        sa.UniqueConstraint("email", name=op.f("uq_portal_account_email")),
    )
    with op.batch_alter_table("portal_account") as batch:
        batch.create_index(
            batch.f("ix_portal_account_identity_court_id"), ["identity_court_id"], unique=False
        )
        batch.create_index(batch.f("ix_portal_account_status"), ["status"], unique=False)

    op.create_table(
        "portal_second_factor",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.Column("confirmed_at", _UTC(), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=False),
        _user_fk("portal_second_factor"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_portal_second_factor")),
    )
    op.create_table(
        "portal_recovery_code",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("used_at", _UTC(), nullable=True),
        _user_fk("portal_recovery_code"),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_portal_recovery_code")),
    )
    op.create_table(
        "portal_email_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("expires_at", _UTC(), nullable=False),
        sa.Column("used_at", _UTC(), nullable=True),
        _user_fk("portal_email_token"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_portal_email_token")),
    )
    op.create_table(
        "portal_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("last_seen_at", _UTC(), nullable=False),
        sa.Column("second_factor_done", sa.Boolean(), nullable=False),
        sa.Column("ended", sa.Boolean(), nullable=False),
        _user_fk("portal_session"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_portal_session")),
    )
    op.create_table(
        "portal_throttle",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("at", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_throttle")),
    )
    for table in ("portal_recovery_code", "portal_email_token", "portal_session"):
        with op.batch_alter_table(table) as batch:
            batch.create_index(batch.f(f"ix_{table}_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("portal_throttle") as batch:
        batch.create_index(batch.f("ix_portal_throttle_key"), ["key"], unique=False)
        batch.create_index(batch.f("ix_portal_throttle_at"), ["at"], unique=False)


def downgrade() -> None:
    for table in (
        "portal_throttle",
        "portal_session",
        "portal_email_token",
        "portal_recovery_code",
        "portal_second_factor",
        "portal_account",
    ):
        op.drop_table(table)
