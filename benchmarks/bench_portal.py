"""Portal benchmark: what a page costs beyond the data it shows.

    python -m benchmarks.bench_portal [--cases 60] [--runs 200]

A migrated SQLite server is seeded with the demo data; ``dhs1`` signs in through the
portal (password, then TOTP set-up), so its pages see every case of two courts. Then,
each repeated ``--runs`` times (median and p95 reported):

(a) case page: ``GET /portal/cases/<id>`` through Flask's test client -- the gate (cookie
    session, policy, security headers), the case, hearings, documents, filings, deadlines,
    and the Jinja template;
(b) its peer: ``CasePortal.case_detail`` alone -- the same queries and policy checks with no
    HTTP and no HTML;
(c) case list: ``GET /portal/cases`` (DHS: every case of its courts, up to 200) and
(d) its peer ``CasePortal.my_cases``;
(e) floor: ``GET /healthz`` through the same client (Flask's own cost per request).

The ratios (a)/(b) and (c)/(d) are what the web layer adds. No target is set for them
(docs/PERFORMANCE.md, "Targets"); the figures are recorded there.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sync_server.app import create_app
from sync_server.config import ServerConfig
from sync_server.demo.seed import seed_demo
from sync_server.migrate import upgrade
from sync_server.models import CaseRow, UserRow
from sync_server.services.auth import principal_of

PASSWORD = "bench-password-123"
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _signed_in_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    page = client.get("/portal/login").get_data(as_text=True)
    token = _CSRF.search(page)
    assert token
    form = {"csrf_token": token.group(1), "login": "dhs1", "password": PASSWORD}
    assert client.post("/portal/login", data=form).status_code == 302
    page = client.get("/portal/login/enrol").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    token = _CSRF.search(page)
    assert secret and token
    code = pyotp.TOTP(secret.group(1)).now()
    response = client.post(  # answered with a redirect to the recovery codes (post/redirect/get)
        "/portal/login/enrol",
        data={"csrf_token": token.group(1), "code": code},
        follow_redirects=True,
    )
    assert response.status_code == 200, response.status_code
    # An external user accepts the current terms of use once before the portal's pages.
    page = client.get("/portal/terms").get_data(as_text=True)
    token = _CSRF.search(page)
    version = re.search(r'name="version" value="([^"]+)"', page)
    assert token and version
    form = {"csrf_token": token.group(1), "accept": "yes", "version": version.group(1)}
    assert client.post("/portal/terms", data=form).status_code == 303
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'ecas.sqlite3'}"
        upgrade(url)
        config = ServerConfig(folder, url, str(folder / "blobs"), "bench-secret", testing=True)
        app = create_app(config)
        services = app.extensions["ecas"]
        seed_demo(
            services.factory,
            services.blobs.store,
            services.blobs.staging,
            cases=args.cases,
            password=PASSWORD,
            today=date.today(),
        )
        client = _signed_in_client(app)
        portal = app.extensions["ecas_portal"]
        with services.factory() as session:
            user = session.scalar(select(UserRow).where(UserRow.username == "dhs1"))
            assert user is not None
            principal = principal_of(user)
            case_id = session.scalars(
                select(CaseRow.id).where(CaseRow.court_id.in_(list(principal.assigned_court_ids)))
            ).first()
        assert case_id is not None
        today = date.today()

        def case_page() -> None:
            answer = client.get(f"/portal/cases/{case_id}")
            assert answer.status_code == 200, (answer.status_code, answer.location)

        def case_list() -> None:
            assert client.get("/portal/cases").status_code == 200

        figures = {
            "(a) case page, GET /portal/cases/<id>": _timed(case_page, args.runs),
            "(b) peer: CasePortal.case_detail": _timed(
                lambda: portal.cases.case_detail(principal, case_id, today), args.runs
            ),
            "(c) case list, GET /portal/cases": _timed(case_list, args.runs),
            "(d) peer: CasePortal.my_cases": _timed(
                lambda: portal.cases.my_cases(principal), args.runs
            ),
            "(e) floor, GET /healthz": _timed(
                lambda: client.get("/healthz"),
                args.runs,
            ),
        }
        services.engine.dispose()

    print(f"portal pages over {args.cases} demo cases, {args.runs} runs each (ms)")
    for name, (median, p95) in figures.items():
        print(f"  {name:<42} median {median:7.2f}   p95 {p95:7.2f}")
    a, b = (
        figures["(a) case page, GET /portal/cases/<id>"][0],
        figures["(b) peer: CasePortal.case_detail"][0],
    )
    c, d = (
        figures["(c) case list, GET /portal/cases"][0],
        figures["(d) peer: CasePortal.my_cases"][0],
    )
    print(f"  web layer: case page {a / b:.2f}x its data; case list {c / d:.2f}x its data")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
