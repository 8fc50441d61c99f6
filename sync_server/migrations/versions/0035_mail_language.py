"""Each portal account's language, and the language of each message in the mail outbox

``portal_account.language`` is the language the account holder reads (``en`` or ``es``),
chosen on the profile page (or at a respondent's enrolment, from the page's language);
NULL means never chosen, which is English. ``mail_outbox.language`` is the language a
message was written in when the event happened (services/mail_events.py); rows written
before this revision were English.

Revision ID: 0035_mail_language
Revises: 0033_feed_version_sequence
Create Date: 2026-12-07 09:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_mail_language"
down_revision: str | Sequence[str] | None = "0033_feed_version_sequence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("portal_account") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("mail_outbox") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_outbox") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("portal_account") as batch:
        batch.drop_column("language")
