"""Mail that tells people what happened: the outbox, mail preferences, terms accepted

``mail_outbox`` holds each message an event produced, written in the transaction of the
change; ``portal_mail_preference`` the kinds of mail a portal user turned off;
``portal_terms_acceptance`` the versions of the terms of use each user accepted.

Revision ID: 0029_mail_outbox
Revises: 0028_feed_board_key
Create Date: 2026-12-07 05:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sync_server.models.types

revision: str = "0029_mail_outbox"
down_revision: str | Sequence[str] | None = "0028_feed_board_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject_key", sa.String(length=120), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("created_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.Column("claimed_until", sync_server.models.types.UTCDateTime(), nullable=True),
        sa.Column("sent_at", sync_server.models.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_profile.id"], name=op.f("fk_mail_outbox_user_id_user_profile")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index(op.f("ix_mail_outbox_user_id"), "mail_outbox", ["user_id"], unique=False)
    op.create_index(
        op.f("ix_mail_outbox_next_attempt_at"), "mail_outbox", ["next_attempt_at"], unique=False
    )
    op.create_index(op.f("ix_mail_outbox_sent_at"), "mail_outbox", ["sent_at"], unique=False)
    op.create_table(
        "portal_mail_preference",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("wanted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_portal_mail_preference_user_id_user_profile"),
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_portal_mail_preference")),
    )
    op.create_table(
        "portal_terms_acceptance",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("accepted_at", sync_server.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_portal_terms_acceptance_user_id_user_profile"),
        ),
        sa.PrimaryKeyConstraint("user_id", "version", name=op.f("pk_portal_terms_acceptance")),
    )


def downgrade() -> None:
    op.drop_table("portal_terms_acceptance")
    op.drop_table("portal_mail_preference")
    op.drop_index(op.f("ix_mail_outbox_sent_at"), table_name="mail_outbox")
    op.drop_index(op.f("ix_mail_outbox_next_attempt_at"), table_name="mail_outbox")
    op.drop_index(op.f("ix_mail_outbox_user_id"), table_name="mail_outbox")
    op.drop_table("mail_outbox")
