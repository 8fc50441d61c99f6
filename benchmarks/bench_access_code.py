"""What the case access code adds to a notice mailed to a pro se respondent.

Prints, in one run, the median time to render a notice of hearing (the baseline every
notice pays), to add the access-code page to it (the mailed copy,
``hearing_notices.mailed_copy_with_code``) and to hash a new code (``access_codes``), and
the ratio of the mailed copy's extra cost to the notice itself. No database: the server
pays these in the push's savepoint, once a notice (the hash once a case a push).

    .venv/bin/python -m benchmarks.bench_access_code [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.enums import Party
from common.forms_eoir import ServiceMethod
from common.hearing_notices import (
    HearingNotice,
    NoticeCourt,
    NoticeKind,
    Setting,
    mailed_copy_with_code,
    render_notice,
)
from common.service import CertificateOfService, PartyToServe
from sync_server.services import access_codes

NOTICE = HearingNotice(
    notice_id="bench",
    kind=NoticeKind.SCHEDULED,
    case_type="removal",
    a_number="200012345",
    respondent_name="Rosa Quispe",
    court=NoticeCourt(
        "San Francisco Immigration Court",
        "630 Sansome Street",
        "San Francisco",
        "CA",
        "America/Los_Angeles",
    ),
    setting=Setting(
        starts_at=datetime(2027, 1, 4, 17, tzinfo=UTC),
        hearing_type="master",
        medium="in_person",
        courtroom="Courtroom 3",
    ),
    issued_at=datetime(2026, 12, 7, 1, 30, tzinfo=UTC),
    service=CertificateOfService(
        "Court staff, San Francisco Immigration Court",
        None,
        (
            PartyToServe(
                Party.RESPONDENT,
                "Rosa Quispe",
                ServiceMethod.MAIL,
                address_id="a1",
                address=("12 Elm Street", "Oakland, CA 94607"),
            ),
        ),
    ),
)


def _median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    record_copy = render_notice(NOTICE)
    coded = replace(NOTICE, access_code=access_codes.new_code(), portal_address="/portal/x")
    mailed_copy_with_code(record_copy, coded)  # warm the fonts
    render = _median_ms(lambda: render_notice(NOTICE), runs)
    extra = _median_ms(lambda: mailed_copy_with_code(record_copy, coded), runs)
    hashed = _median_ms(lambda: access_codes.hash_code(access_codes.new_code()), runs)
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {runs} runs, medians")
    print(f"notice of hearing rendered (baseline):   {render:7.1f} ms")
    print(f"access-code page added (mailed copy):    {extra:7.1f} ms  ({extra / render:.2f}x)")
    print(f"new code hashed (scrypt n=2^11):         {hashed:7.1f} ms  ({hashed / render:.2f}x)")


if __name__ == "__main__":
    main()
