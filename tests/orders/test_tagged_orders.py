"""Orders are tagged PDFs (issue 17 item 7; Section 508 covers electronic documents): the
language set, a structure tree in reading order that holds every word of every page, a
heading, and the running footer and the draft mark as artifacts (common/pdf_tags.py)."""

from __future__ import annotations

from pathlib import Path

from common.order_pdf import ORDER_LANGUAGE, page_count, render_order
from common.orders import new_draft, template_for
from common.service import CertificateOfService, PartyToServe
from common.wire import Order
from tests.common.tagged_pdf import read_tagged, tagged_words
from tests.orders.helpers import COMPLETE_FIELDS, FACTS, JUDGE, SIGNED_AT, TODAY
from tests.orders.test_pades import PASSPHRASE, make_court_pki


def complete_order(kind: str) -> Order:
    draft = new_draft(template_for(kind), FACTS, JUDGE, TODAY)
    return draft.model_copy(update={"fields": COMPLETE_FIELDS[kind]})


def _signed(kind: str = "removal_decision") -> tuple[bytes, str]:
    order = complete_order(kind).model_copy(update={"signed_at": SIGNED_AT})
    template = template_for(order.template)
    return render_order(template, order, FACTS, today=TODAY), template.document_title.upper()


def test_a_signed_order_reads_in_order_with_its_language_and_heading() -> None:
    pdf, title = _signed()
    reading = read_tagged(pdf)
    assert reading.lang == ORDER_LANGUAGE == "en-US"
    assert reading.roles[0] == "Document"
    first = reading.blocks[0]
    assert first[0] == ("P", "UNITED STATES DEPARTMENT OF JUSTICE")
    assert ("H1", title) in first
    # The heading comes after the caption and before the judge's text, as on the page.
    words = [text for _, text in first]
    assert words.index(title) > next(i for i, t in enumerate(words) if "In the Matter of" in t)
    assert "H2" in reading.roles
    # Each piece of text belongs to its block (a paragraph or heading), not to the division
    # or caption around it.
    assert {role for page in reading.blocks for role, _ in page} == {"P", "H1", "H2"}
    # The caption is a layout table: it reads as two blocks, not as a data table.
    assert "Table" not in reading.roles and "TD" not in reading.roles
    # One artifact per page: its footer ("A-number  Page X of Y"); everything else is read.
    assert reading.artifacts == [1] * page_count(pdf)
    last = tagged_words(reading, len(reading.blocks) - 1)
    assert "Electronically signed by Immigration Judge Brennan" in last


def test_a_draft_marks_its_watermark_as_an_artifact() -> None:
    order = complete_order("removal_decision")
    assert order.signed_at is None
    pdf = render_order(template_for(order.template), order, FACTS, today=TODAY)
    reading = read_tagged(pdf)
    # The footer and the "DRAFT - NOT SIGNED" mark on each page.
    assert reading.artifacts == [2] * page_count(pdf)


def test_the_certificate_of_service_is_read_with_each_party(tmp_path: Path) -> None:
    from common.enums import Party
    from common.forms_eoir import ServiceMethod

    certificate = CertificateOfService(
        "Court staff, San Francisco Immigration Court",
        TODAY,
        (
            PartyToServe(
                Party.RESPONDENT,
                "Ana Morales",
                ServiceMethod.MAIL,
                address_id="a1",
                address=("12 Elm Street", "Oakland, CA 94607"),
            ),
        ),
    )
    order = complete_order("motion_order").model_copy(update={"signed_at": SIGNED_AT})
    pdf = render_order(
        template_for(order.template), order, FACTS, today=TODAY, certificate=certificate
    )
    reading = read_tagged(pdf)
    words = " ".join(tagged_words(reading, n) for n in range(len(reading.blocks)))
    assert "To: Respondent, Ana Morales" in words
    assert "12 Elm Street" in words


def test_the_court_signature_keeps_the_structure(tmp_path: Path) -> None:
    from sync_server.services.orders import CourtSigner

    pdf, title = _signed("in_absentia_order")
    p12, _ = make_court_pki(tmp_path)
    signed = CourtSigner(p12, PASSPHRASE.encode()).sign(pdf, reason="issued", name="Judge")
    assert signed.startswith(pdf)  # an incremental update: the tagged bytes are kept
    reading = read_tagged(signed)
    assert ("H1", title) in reading.blocks[0]
    assert reading.lang == "en-US"
