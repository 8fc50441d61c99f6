"""The PostgreSQL pool checks a pooled connection without a round trip (``db.make_engine``,
``db.connection_dropped``): a connection whose backend was killed with
``pg_terminate_backend`` is replaced at checkout, before anything is sent on it, and a live
one is handed out again with no ping (issue 16: the pre-ping's ``SELECT 1`` a checkout)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, event, exc, text

from sync_server.db import connection_dropped, make_engine
from tests.conftest import PG_ADMIN_URL

pytestmark = pytest.mark.postgres

ENGINE_URL = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://")


@pytest.fixture
def engine() -> Iterator[Engine]:
    made = make_engine(ENGINE_URL)
    try:
        yield made
    finally:
        made.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(pid: int) -> None:
    """Kill backend ``pid`` from another connection and wait until it is gone."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
        deadline = time.monotonic() + 30
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
            assert time.monotonic() < deadline, "the backend outlived pg_terminate_backend"
            time.sleep(0.02)


def _pings(engine: Engine) -> list[int]:
    """Counts the dialect's pings (SQLAlchemy's pre-ping goes through ``do_ping``)."""
    calls: list[int] = []
    original = engine.dialect.do_ping

    def counted(dbapi_conn: Any) -> bool:
        calls.append(1)
        return bool(original(dbapi_conn))

    engine.dialect.do_ping = counted  # type: ignore[method-assign]
    return calls


def test_a_killed_pooled_connection_is_replaced_at_checkout(engine: Engine) -> None:
    pid = _backend_pid(engine)  # the connection goes back to the pool
    assert engine.pool.checkedin() == 1
    _terminate(pid)
    # The next request gets a working connection to a new backend, with no error.
    assert _backend_pid(engine) != pid
    assert engine.pool.checkedin() == 1  # the dead one was discarded, not kept beside it


def test_a_killed_pooled_connection_fails_without_the_check() -> None:
    """The kill above is real: a pool with neither the check nor a ping hands the dead
    connection out and the first statement fails."""
    bare = create_engine(ENGINE_URL, pool_size=1)
    try:
        pid = _backend_pid(bare)
        _terminate(pid)
        with pytest.raises(exc.OperationalError):
            _backend_pid(bare)
        assert _backend_pid(bare) != pid  # the failure invalidated it; the next one connects
    finally:
        bare.dispose()


def test_a_live_pooled_connection_is_reused_without_a_ping(engine: Engine) -> None:
    pings = _pings(engine)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(str(a[2])))
    first = _backend_pid(engine)
    pids = {_backend_pid(engine) for _ in range(20)}
    assert pids == {first}
    assert pings == []
    assert statements == ["SELECT pg_backend_pid()"] * 21


def test_the_ping_is_still_there_when_asked_for() -> None:
    """``pre_ping=True`` (the benchmark's 'before') pings at every checkout."""
    pinged = make_engine(ENGINE_URL, pre_ping=True)
    try:
        pings = _pings(pinged)
        for _ in range(3):
            _backend_pid(pinged)
        assert len(pings) >= 2  # every checkout of a pooled connection
    finally:
        pinged.dispose()


def test_connection_dropped_reads_the_socket() -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        assert not connection_dropped(conn)
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()
        assert pid is not None
        _terminate(int(pid[0]))
        assert connection_dropped(conn)
    assert connection_dropped(conn)  # closed
