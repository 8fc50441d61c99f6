"""Whatever the network does to one push, the edit lands on the server exactly once.

Each fault of the proxy, on one push of a real desktop client to a real server: what the
clerk's sync reports, and how many times the server applied the edit, right away and after
the next (calm) sync. This is also the check that the proxy does what the convergence
suite relies on (a dropped answer was committed, a cut request was not).
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from common.wire import Hearing
from desktop.api_client import ApiError
from desktop.clerk_actions import reschedule
from desktop.sync_engine import SyncReport
from tests.conftest import LiveServer
from tests.convergence.fault_proxy import Fault, FaultProxy
from tests.convergence.harness import Desk, ServerLedger, canonical

pytestmark = pytest.mark.slow

PUSH = "/api/v1/sync/push"
# (the sync fails, the server applied the edit before the next sync)
EXPECTED = {
    Fault.PASS: (False, True),
    Fault.DELAY: (False, True),
    Fault.DUPLICATE: (False, True),
    Fault.DROP_ANSWER: (True, True),
    Fault.TRUNCATE_ANSWER: (True, True),
    Fault.CUT_REQUEST: (True, False),
}


@pytest.mark.parametrize("fault", list(Fault))
def test_a_push_meeting_any_network_fault_lands_exactly_once(
    fault: Fault, convergence_server: LiveServer, fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    ledger = ServerLedger(convergence_server.env["ECAS_DATABASE_URL"])
    start = ledger.last_seq()
    clerk = Desk("clerk1", "clerk1", tmp_path, fault_proxy.url)
    try:
        assert isinstance(clerk.sync(), SyncReport)
        hearing = Hearing.model_validate(clerk.store.all("hearing")[0])
        slot = hearing.starts_at.replace(year=2028, minute=list(Fault).index(fault))
        edited = canonical(clerk.save(reschedule(hearing, slot)))

        fault_proxy.script(fault, path_prefix=PUSH)
        said = clerk.sync()
        fails, applied = EXPECTED[fault]
        if fails:
            assert isinstance(said, ApiError) and said.kind == "offline", said
        else:
            assert isinstance(said, SyncReport) and said.pushed == 1, said
        assert fault_proxy.log()[-1 if fails else -2].fault is fault  # the push met it
        landed = [a for a in ledger.applied(start) if a.data == edited]
        assert len(landed) == int(applied)

        assert isinstance(clerk.sync(), SyncReport)  # the network is calm again
        landed = [a for a in ledger.applied(start) if a.data == edited]
        assert len(landed) == 1
        assert clerk.store.pending_count() == 0 and not clerk.store.issues()
    finally:
        clerk.close()
        ledger.close()


def test_the_proxy_stops_by_itself_after_its_lifetime() -> None:
    with socket.create_server(("127.0.0.1", 0)) as nothing_behind:
        proxy = FaultProxy(nothing_behind.getsockname()[1], lifetime=0.3).start()
        try:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", proxy.port), timeout=1).close()
                except OSError:
                    return  # no longer listening
                time.sleep(0.05)
            pytest.fail("the proxy still accepts connections 5 s after its lifetime ended")
        finally:
            proxy.stop()
