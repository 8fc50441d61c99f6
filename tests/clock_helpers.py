"""This machine's time zone, set for a test: the court's-clock tests run with the process in
UTC (as a server usually is), so any date taken from the machine's clock instead of the
court's shows up as the wrong day in San Francisco."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator


@contextlib.contextmanager
def machine_zone(name: str) -> Iterator[None]:
    """Set the process's ``TZ`` to ``name`` for the block (POSIX ``time.tzset``)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()
