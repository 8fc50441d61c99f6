"""Orders: draft-to-signed-PDF time, one order and a batch of 100, beside a peer.

Run: ``.venv/bin/python -m benchmarks.bench_orders [--batch 100] [--repeats 7]``

Measured, medians of ``--repeats`` single runs (default 21) and of 3 batches:
- *ecas*: template lookup, checks, signing, merge and :func:`common.order_pdf.render_order`
  (the code the server issues with), unsigned (no court certificate);
- *ecas + PAdES*: the same plus pyHanko's signature with a throwaway certificate;
- *peer*: plain PyMuPDF inserting the same final text into a page (``insert_htmlbox``,
  no template machinery, no checks, no footer pass).

Then the cost of the tagged PDF (common/pdf_tags.py: block positions, marked content, the
structure tree): the same order rendered with and without those steps, alternately in one
loop so a busy machine weighs on both alike; also a notice of hearing.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a file by `make bench`: the repository's root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import pymupdf

from common import pdf_tags
from common.enums import Role
from common.order_pdf import order_html, render_order
from common.orders import CaseFacts, Counsel, new_draft, sign, template_for
from common.wire import Order
from tests.orders.helpers import COMPLETE_FIELDS
from tests.orders.test_pades import PASSPHRASE, make_court_pki

FACTS = CaseFacts(
    case_id="6f1f8f60-0000-4000-8000-000000000001",
    a_number="201234567",
    respondent_name="Maria Lopez Garcia",
    nationality="Honduras",
    case_type="removal",
    charges=("INA § 212(a)(6)(A)(i)", "INA § 212(a)(7)(A)(i)(I)"),
    court_name="New York Broadway Immigration Court",
    court_address="290 Broadway, New York, NY",
    judge_id="6f1f8f60-0000-4000-8000-000000000002",
    judge_name="Immigration Judge Alvarez",
    counsel=(Counsel("6f1f8f60-0000-4000-8000-000000000003", "Attorney Laura Mendez"),),
)
NOW = datetime(2026, 11, 27, 15, tzinfo=UTC)


def draft_and_sign() -> tuple[Order, bytes]:
    template = template_for("removal_decision")
    draft = new_draft(template, FACTS, str(FACTS.judge_id), date(2026, 11, 27))
    draft = draft.model_copy(update={"fields": COMPLETE_FIELDS["removal_decision"]})
    signed = sign(draft, str(FACTS.judge_id), Role.JUDGE, FACTS.judge_id, NOW)
    return signed, render_order(template, signed, FACTS)


def peer(html: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_htmlbox(pymupdf.Rect(72, 72, 540, 720), html)
    return bytes(doc.tobytes(garbage=3, deflate=True))


@contextlib.contextmanager
def untagged() -> Iterator[None]:
    """The renderers as they were before tagged PDF: common.pdf_tags' steps do nothing."""
    saved = (pdf_tags.tag_page, pdf_tags.write_structure, pdf_tags.Positions.record)
    pdf_tags.tag_page = lambda *_a, **_k: pdf_tags._State()  # type: ignore[assignment]
    pdf_tags.write_structure = lambda *_a, **_k: None  # type: ignore[assignment]
    pdf_tags.Positions.record = lambda *_a, **_k: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        pdf_tags.tag_page, pdf_tags.write_structure, pdf_tags.Positions.record = saved


def tagging_cost(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median ms of ``work`` tagged and untagged, measured alternately."""
    tagged, plain = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        tagged.append((time.perf_counter() - start) * 1000)
        with untagged():
            start = time.perf_counter()
            work()
            plain.append((time.perf_counter() - start) * 1000)
    return statistics.median(tagged), statistics.median(plain)


def median_ms(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    from sync_server.services.orders import CourtSigner

    order, _ = draft_and_sign()
    html = order_html(template_for(order.template), order, FACTS, NOW.date())
    with tempfile.TemporaryDirectory() as folder:
        p12, _ = make_court_pki(Path(folder))
        signer = CourtSigner(p12, PASSPHRASE.encode())

        def signed_pdf() -> bytes:
            _, pdf = draft_and_sign()
            return signer.sign(pdf, reason="issued", name=FACTS.judge_name)

        draft_and_sign()  # warm the template and font caches
        rows = [
            ("ecas draft→signed PDF", lambda: draft_and_sign()),
            ("ecas + PAdES", signed_pdf),
            ("peer: PyMuPDF insert_htmlbox", lambda: peer(html)),
        ]
        print(f"{'':32} {'1 order (ms)':>14} {f'{args.batch} orders (ms)':>18}")
        results = {}
        for name, work in rows:
            one = median_ms(work, args.repeats)
            batch = median_ms(lambda w=work: [w() for _ in range(args.batch)], 3)
            results[name] = (one, batch)
            print(f"{name:32} {one:14.1f} {batch:18.0f}")
    base = results["peer: PyMuPDF insert_htmlbox"][0]
    print(f"ratio ecas / peer: {results['ecas draft→signed PDF'][0] / base:.2f}x")
    print(f"ratio ecas+PAdES / peer: {results['ecas + PAdES'][0] / base:.2f}x")

    from common.hearing_notices import render_notice
    from tests.notices.test_notice_wording import _notice

    notice = _notice("removal")
    print(f"\n{'tagged PDF cost':32} {'tagged (ms)':>14} {'untagged (ms)':>18}")
    for name, work in (
        ("order draft→signed PDF", lambda: draft_and_sign()),
        ("notice of hearing", lambda: render_notice(notice)),
    ):
        tagged, plain = tagging_cost(work, args.repeats * 2)
        print(f"{name:32} {tagged:14.1f} {plain:18.1f}   {tagged / plain:.2f}x")


if __name__ == "__main__":
    main()
