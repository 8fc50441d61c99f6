"""A process whose database is gone when it exits (a test's PostgreSQL database dropped, a
server whose database stopped first) says in one line that its queued refusals are lost,
instead of a traceback for each batch."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO

PROGRAM = textwrap.dedent(
    """
    import sys
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker
    from sync_server.services.refusals import RefusalLog

    # A database that is not there: its folder does not exist.
    factory = sessionmaker(create_engine(f"sqlite:///{sys.argv[1]}/gone/ecas.db"))
    refusals = RefusalLog(factory, flush_seconds=3600)  # nothing flushes before the exit
    refusals.record(
        actor_id=None, client="203.0.113.9", action="GET /api/v1/cases", target=None,
        reason="no_token",
    )
    refusals.record(
        actor_id=None, client="203.0.113.10", action="GET /api/v1/cases", target=None,
        reason="no_token",
    )
    """
)


def test_refusals_left_at_exit_without_a_database_are_reported_in_one_line(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "at exit: 2 refusal audit entries could not be written and are lost" in lines[0]
    assert "OperationalError" in lines[0]
