"""merge the portal and eROP package branches

The portal (0004_portal) and the eROP package job table (0005_packages) were written side
by side, both on top of 0003; this revision joins them so the schema has one head again.

Revision ID: 0006
Revises: 0004_portal, 0005_packages
Create Date: 2026-11-27 22:10:00

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = ("0004_portal", "0005_packages")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the two branches touch different tables."""


def downgrade() -> None:
    """Nothing to change: downgrading past this revision splits the branches again."""
