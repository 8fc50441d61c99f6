"""Tell every server process when an account or a session changes (PostgreSQL)

Each server process keeps its last database check of an access token (the account active,
its session not revoked) for a while (services/access_cache.py). These triggers send a
notification on the channel ``ecas_auth`` when a ``user_profile`` or ``refresh_token`` row
is updated or deleted, by anyone (the server's code, another node, an administrator's SQL),
naming what changed: ``u:<user id>`` for an account, ``f:<family id>`` for a session's
tokens, space-separated, or ``*`` when the list would be too long. PostgreSQL delivers a
notification when its transaction commits, so a process listening on the channel drops the
checks it kept for those accounts and sessions within milliseconds of the change. Inserts
send nothing: a new account or token has no check kept anywhere yet. SQLite: nothing (one
process serves a SQLite database).

Revision ID: 0036_auth_change_notify
Revises: 0035_mail_language
Create Date: 2026-12-07 16:15:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0036_auth_change_notify"
down_revision: str | Sequence[str] | None = "0035_mail_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FUNCTION = """
CREATE OR REPLACE FUNCTION ecas_auth_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    keys text;
BEGIN
    IF TG_TABLE_NAME = 'refresh_token' THEN
        SELECT string_agg(DISTINCT 'f:' || family_id, ' ') INTO keys FROM changed;
    ELSE
        SELECT string_agg(DISTINCT 'u:' || id, ' ') INTO keys FROM changed;
    END IF;
    IF keys IS NOT NULL THEN
        IF length(keys) > 7000 THEN  -- a notification's payload stops at 8000 bytes
            keys := '*';
        END IF;
        PERFORM pg_notify('ecas_auth', keys);
    END IF;
    RETURN NULL;
END
$$
"""

_TRIGGERS = [
    (table, event, alias)
    for table in ("user_profile", "refresh_token")
    for event, alias in (("UPDATE", "NEW"), ("DELETE", "OLD"))
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION)
    for table, event, alias in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER ecas_auth_{table}_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING {alias} TABLE AS changed "
            "FOR EACH STATEMENT EXECUTE FUNCTION ecas_auth_changed()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, event, _alias in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS ecas_auth_{table}_{event.lower()} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS ecas_auth_changed()")
