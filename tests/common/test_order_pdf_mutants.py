# mypy: disable-error-code="no-untyped-call"
"""The issued order as the mutation run of common/order_pdf.py showed it unchecked: the
order's HTML (heading, caption, signature block, certificate of service with each party,
the judge's Markdown with merged case data as literal text), the day an order is signed at
the court, the DRAFT mark (light grey, behind the text, turned 35 degrees about the page's
centre), the document's metadata, and the preview's page images. The HTML tests need no PDF
and are fast; the rest render one order each.
"""

from __future__ import annotations

import io
import math
import struct
from dataclasses import replace
from datetime import UTC, date, datetime

import pymupdf
import pytest

from common import court_time
from common.enums import Party, Role
from common.forms_eoir import ServiceMethod
from common.order_pdf import (
    _CSS,
    PAGE,
    _Block,
    _layout,
    order_html,
    page_count,
    page_images,
    pdf_text,
    render_order,
)
from common.orders import StandingClause, new_draft, sign, template_for
from common.service import CertificateOfService, PartyToServe
from common.wire import Order
from tests.orders.helpers import COMPLETE_FIELDS, FACTS, JUDGE, SIGNED_AT

TODAY = date(2026, 11, 27)
BOND = template_for("bond_order")
SIGNATURE_LINE = "<p>______________________________</p>"
DRAFT = "DRAFT - NOT SIGNED"


def _bond_order(body: str = "Decision.", signed_at: datetime | None = None) -> Order:
    draft = new_draft(BOND, FACTS, JUDGE, TODAY).model_copy(
        update={"fields": COMPLETE_FIELDS["bond_order"], "body": body}
    )
    return draft if signed_at is None else sign(draft, JUDGE, Role.JUDGE, JUDGE, signed_at)


# --- the order's HTML ------------------------------------------------------------------------


def test_the_heading_and_caption_name_the_court_respondent_and_file() -> None:
    html = order_html(BOND, _bond_order(), FACTS, TODAY)
    assert html.startswith(
        '<p class="agency">UNITED STATES DEPARTMENT OF JUSTICE</p>\n'
        '<p class="agency">EXECUTIVE OFFICE FOR IMMIGRATION REVIEW</p>\n'
        '<p class="agency">IMMIGRATION COURT — SAN FRANCISCO IMMIGRATION COURT</p>\n'
        '<p class="court">100 Montgomery Street, San Francisco, CA</p>\n'
        '<table class="caption"><tr>\n'
        "<td>In the Matter of:<br/><b>ANA MORALES</b>,<br/>Respondent</td>\n"
        "<td>File: <b>A012-345-678</b><br/>IN BOND PROCEEDINGS</td>\n"
        "</tr></table>\n"
        "<h1>ORDER OF THE IMMIGRATION JUDGE WITH RESPECT TO CUSTODY</h1>\n"
    )


def test_a_board_order_carries_the_board_s_heading_and_signer() -> None:
    template = template_for("board_motion_order")
    order = new_draft(template, FACTS, JUDGE, TODAY).model_copy(
        update={"fields": COMPLETE_FIELDS["board_motion_order"], "body": "Decision."}
    )
    html = order_html(template, order, FACTS, TODAY)
    assert '<p class="agency">BOARD OF IMMIGRATION APPEALS</p>' in html
    assert "IMMIGRATION COURT —" not in html
    assert "<p>Board Member</p>" in html
    # No appeal clause and no separate opinions: the signature follows the clauses and
    # the certificate follows the signature, with nothing between.
    assert (
        '<p class="clause">Reason: Removal is imminent and the appeal is pending.</p>\n'
        '<div class="signature">'
    ) in html
    assert 'draft for review.</i></p></div>\n<div class="service">' in html


def test_the_clauses_print_under_their_headings_and_the_appeal_joins_the_signature() -> None:
    html = order_html(BOND, _bond_order(), FACTS, TODAY)
    assert (
        "<h2>ORDER</h2>\n"
        '<p class="clause">The request for a change in custody status is GRANTED: the '
        "respondent shall be released from custody on posting a bond of $7,500.00.</p>\n"
        '<p class="clause">Other conditions of release: Report to ICE monthly.</p>\n'
        '<div class="appeal"><h2>APPEAL</h2><p>Respondent: appeal WAIVED.</p>'
    ) in html
    assert "appeal RESERVED.</p><p>A party that reserved appeal" in html
    assert f'</p></div><div class="signature">{SIGNATURE_LINE}' in html
    assert "<h2>ADVISALS</h2>" not in html  # the bond order has none
    assert "SEPARATE OPINIONS" not in html


def test_the_board_s_separate_opinions_follow_the_signature() -> None:
    template = template_for("board_decision")
    fields = {**COMPLETE_FIELDS["board_decision"], "separate_opinions": "Member Ruiz concurs."}
    order = new_draft(template, FACTS, JUDGE, TODAY).model_copy(
        update={"fields": fields, "body": "Decision."}
    )
    html = order_html(template, order, FACTS, TODAY)
    opinions = "<h2>SEPARATE OPINIONS</h2><p>Member Ruiz concurs.</p>"
    assert opinions in html
    assert html.index('<div class="signature">') < html.index(opinions)
    assert html.index(opinions) < html.index("CERTIFICATE OF SERVICE")


def test_an_unsigned_order_says_it_is_a_draft_in_its_signature_block() -> None:
    html = order_html(BOND, _bond_order(), FACTS, TODAY)
    assert (
        f'<div class="signature">{SIGNATURE_LINE}<p><b>Immigration Judge Brennan</b></p>'
        "<p>Immigration Judge</p><p><i>Not signed — draft for review.</i></p></div>"
    ) in html
    assert "Date:" not in html and "Electronically signed" not in html


def test_a_signed_order_is_dated_and_signed_at_the_court_s_time() -> None:
    html = order_html(BOND, _bond_order(signed_at=SIGNED_AT), FACTS, TODAY)
    assert (
        f'<div class="signature">{SIGNATURE_LINE}<p><b>Immigration Judge Brennan</b></p>'
        "<p>Immigration Judge</p><p>Date: November 27, 2026</p><p><i>Electronically signed "
        "by Immigration Judge Brennan on November 27, 2026 at 7:30 AM PST.</i></p></div>"
    ) in html


def test_an_order_signed_in_the_evening_at_san_francisco_is_that_day_s() -> None:
    # 17:30 in San Francisco is 01:30 UTC the next day: the signature, the service and the
    # appeal's 30 days go by the court's date.
    evening = datetime(2026, 11, 28, 1, 30, tzinfo=UTC)
    certificate = CertificateOfService("Court staff", None, ())
    html = order_html(BOND, _bond_order(signed_at=evening), FACTS, date(2026, 12, 1), certificate)
    assert "<p>Date: November 27, 2026</p>" in html
    assert "on November 27, 2026 at 5:30 PM PST." in html
    assert "This document was served by Court staff, on November 27, 2026, on the" in html
    assert "on or before December 28, 2026" in html  # 27 Nov + 30 is a Sunday


def test_the_certificate_before_issue_says_it_is_completed_at_issue() -> None:
    html = order_html(BOND, _bond_order(), FACTS, TODAY)
    assert html.endswith(
        '<div class="service"><p><b>CERTIFICATE OF SERVICE</b></p><p>This order is served by '
        "the court on the parties of record when it is issued; the certificate then names each "
        "party, how and where.</p></div>"
    )


def _served(served_on: date | None) -> CertificateOfService:
    return CertificateOfService(
        served_by="Court staff, San Francisco Immigration Court",
        served_on=served_on,
        parties=(
            PartyToServe(
                Party.RESPONDENT,
                "Ana Morales",
                ServiceMethod.MAIL,
                address=("in care of the custodial officer", "611 Frontage Rd", "McFarland, CA"),
            ),
            PartyToServe(Party.PRACTITIONER, "Attorney Sam Okafor", ServiceMethod.ELECTRONIC),
            PartyToServe(Party.DHS, "ICE OPLA San Francisco", ServiceMethod.IN_PERSON),
            PartyToServe(Party.RESPONDENT, "Luis Morales", ServiceMethod.MAIL),
            PartyToServe(Party.COURT, "Clerk", ServiceMethod.ELECTRONIC),
        ),
    )


def test_the_certificate_names_each_party_how_and_where() -> None:
    html = order_html(BOND, _bond_order(), FACTS, TODAY, _served(date(2026, 11, 30)))
    assert html.endswith(
        '<div class="service"><p><b>CERTIFICATE OF SERVICE</b></p><p>This document was served '
        "by Court staff, San Francisco Immigration Court, on November 30, 2026, on the "
        'following:</p><p class="party">To: Respondent, Ana Morales — by first-class mail</p>'
        '<p class="where">in care of the custodial officer</p><p class="where">611 Frontage Rd'
        '</p><p class="where">McFarland, CA</p>'
        '<p class="party">To: Counsel for the respondent, Attorney Sam Okafor — by electronic '
        'service (ECAS)</p><p class="party">To: Department of Homeland Security, ICE OPLA San '
        'Francisco — by personal service</p><p class="party">To: Respondent, Luis Morales — by '
        'first-class mail</p><p class="where">no address of record: not served by mail until '
        'the respondent reports one (Form EOIR-33)</p><p class="party">To: Court, Clerk — by '
        "electronic service (ECAS)</p></div>"
    )


def test_an_unserved_draft_certificate_says_when_it_is_served() -> None:
    html = order_html(BOND, _bond_order(), FACTS, TODAY, _served(None))
    assert (
        "served by Court staff, San Francisco Immigration Court, when the order is issued, on"
        in html
    )
    signed = order_html(BOND, _bond_order(signed_at=SIGNED_AT), FACTS, TODAY, _served(None))
    assert "Immigration Court, on November 27, 2026, on the following:" in signed


def test_merged_values_and_text_are_shown_literally() -> None:
    odd = replace(FACTS, respondent_name='Ana *Star* O_Brien <b> & "Jo"')
    order = _bond_order(body="Respondent: {respondent_name}. **Held.** <i>x</i>")
    html = order_html(BOND, order, odd, TODAY)
    assert '<b>ANA *STAR* O_BRIEN &lt;B&gt; &amp; "JO"</b>' in html
    assert (
        "<p>Respondent: Ana *Star* O_Brien &lt;b&gt; &amp; &quot;Jo&quot;. <strong>Held.</strong> "
        in html
    )
    assert "&lt;i&gt;x&lt;/i&gt;</p>" in html  # raw HTML in the judge's text is shown, not run
    marks = replace(FACTS, respondent_name="A\\B `c` {d} [e] (f) #g +h -i .j !k |l ~m")
    merged = order_html(BOND, _bond_order(body="{respondent_name}"), marks, TODAY)
    assert "<p>A\\B `c` {d} [e] (f) #g +h -i .j !k |l ~m</p>" in merged


# --- the rendered PDF ------------------------------------------------------------------------


# Rendered in each test, never cached across tests: the mutation run forks after a first
# run, and a cached PDF would be the unmutated code's.
def _draft_pdf() -> bytes:
    return render_order(BOND, _bond_order(), FACTS, today=TODAY)


_SIGNED = _bond_order(signed_at=SIGNED_AT)


def _signed_pdf() -> bytes:
    return render_order(BOND, _SIGNED, FACTS)


def test_the_draft_mark_is_light_grey_behind_the_text_turned_about_the_centre() -> None:
    with pymupdf.open(stream=_draft_pdf(), filetype="pdf") as doc:
        for page in doc:
            spans = page.get_texttrace()
            marks = [
                s for s in spans if "".join(chr(c[0]) for c in s["chars"]) == "DRAFT - NOT SIGNED"
            ]
            assert len(marks) == 1
            mark = marks[0]
            assert mark["seqno"] == min(s["seqno"] for s in spans)  # drawn first: behind
            assert mark["font"] == "Helvetica"
            assert mark["size"] == pytest.approx(54, abs=0.01)
            assert mark["color"] == pytest.approx((0.82, 0.82, 0.82), abs=0.001)
            cos, sin = mark["dir"]
            assert (cos, sin) == pytest.approx((0.8192, -0.5736), abs=0.0005)  # 35 degrees up
            box = pymupdf.Rect(mark["bbox"])
            centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
            assert centre == pytest.approx((306, 396), abs=3)  # the middle of a letter page


def test_the_draft_mark_s_baseline_runs_a_third_of_its_size_below_the_centre() -> None:
    # Unturned, the mark is centred across the page on a baseline 54 / 3 = 18 points below
    # the page's centre; turned 35 degrees about that centre, its first letter's origin
    # turned back must land there.
    width = pymupdf.get_text_length(DRAFT, fontname="helv", fontsize=54)
    angle = math.radians(35)
    with pymupdf.open(stream=_draft_pdf(), filetype="pdf") as doc:
        for page in doc:
            (mark,) = [
                s for s in page.get_texttrace() if "".join(chr(c[0]) for c in s["chars"]) == DRAFT
            ]
            x, y = mark["chars"][0][2]
            dx, dy = x - 306, y - 396
            back = (
                dx * math.cos(angle) - dy * math.sin(angle),
                dx * math.sin(angle) + dy * math.cos(angle),
            )
            assert back == pytest.approx((-width / 2, 54 / 3), abs=0.05)


def test_a_signed_order_has_no_draft_mark() -> None:
    assert "DRAFT" not in pdf_text(_signed_pdf())


def test_the_document_s_metadata_names_the_order() -> None:
    with pymupdf.open(stream=_signed_pdf(), filetype="pdf") as doc:
        meta = doc.metadata
        assert meta is not None
        assert meta["title"] == (
            "Order of the Immigration Judge with Respect to Custody — A012-345-678"
        )
        assert meta["author"] == "Immigration Judge Brennan"
        assert meta["subject"] == f"bond_order {BOND.version}; order {_SIGNED.id}"
        assert (meta["creator"], meta["producer"]) == ("ECAS", "ECAS (PyMuPDF)")
        assert meta["creationDate"] == meta["modDate"] == "D:20261127153000+00'00'"
        assert meta["keywords"] == "" and meta["encryption"] is None
        assert doc.xref_get_key(doc.pdf_catalog(), "Lang") == ("string", "en-US")
    with pymupdf.open(stream=_draft_pdf(), filetype="pdf") as doc:
        assert doc.metadata is not None
        assert doc.metadata["creationDate"] == doc.metadata["modDate"] == ""


def test_every_page_is_letter_size_with_its_footer() -> None:
    long = "\n\n".join(f"Finding {n}: the evidence was considered." for n in range(90))
    pdf = render_order(BOND, _bond_order(body=long, signed_at=SIGNED_AT), FACTS)
    pages = page_count(pdf)
    assert pages >= 2
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            assert page.rect == pymupdf.Rect(0, 0, 612, 792)
            footer = page.get_text(clip=pymupdf.Rect(0, 792 - 60, 612, 792))
            assert " ".join(footer.split()) == f"A012-345-678 Page {number} of {pages}"
            body = page.get_text("blocks", clip=pymupdf.Rect(0, 0, 612, 792 - 60))
            assert all(b[0] >= 72 - 1 and b[2] <= 612 - 72 + 1 for b in body)
            assert all(b[1] >= 72 - 1 and b[3] <= 792 - 72 + 1 for b in body)
        texts = [str(page.get_text()) for page in doc]
    assert pdf_text(pdf) == "\n".join(texts)


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def test_the_preview_shows_each_page_as_a_png_at_the_zoom() -> None:
    long = "\n\n".join(f"Finding {n}: the evidence was considered." for n in range(90))
    pdf = render_order(BOND, _bond_order(body=long), FACTS, today=TODAY)
    images = page_images(pdf)
    assert len(images) == page_count(pdf) >= 2
    for width, height, png in images:
        assert (width, height) == (612, 792) == _png_size(png)
    (width, height, png), *_ = page_images(pdf, zoom=1.5)
    assert (width, height) == (918, 1188) == _png_size(png)
    # Opaque: a white page in RGB without an alpha channel (PNG colour type 2).
    assert all(png[25] == 2 for _w, _h, png in images)
    with pymupdf.open(stream=io.BytesIO(png), filetype="png") as image:
        assert image[0].get_pixmap().pixel(5, 5) == (255, 255, 255)
    first = pymupdf.Pixmap(images[0][2])
    second = pymupdf.Pixmap(images[1][2])
    assert first.samples != second.samples  # each page its own image


# --- the layout, the footer, the saved file (survivors of the whole-module run) -------------


def _drawn(blocks: list[_Block]) -> tuple[int, bytes]:
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    pages = _layout(blocks, lambda _n: writer.begin_page(PAGE), lambda _d, _n: writer.end_page())
    writer.close()
    return pages, buffer.getvalue()


def test_the_next_block_starts_six_points_below_the_last() -> None:
    first = pymupdf.Story(html="<p>Alpha</p>", user_css=_CSS)
    _more, filled = first.place(pymupdf.Rect(72, 72, 612 - 72, 792 - 72))
    _pages, pdf = _drawn([_Block("<p>Alpha</p>"), _Block("<p>Beta</p>")])
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        lines = [
            (line["spans"][0]["text"], line["spans"][0]["origin"][1])
            for block in doc[0].get_text("dict")["blocks"]
            for line in block["lines"]
        ]
    (alpha, y_alpha), (beta, y_beta) = lines
    assert (alpha, beta) == ("Alpha", "Beta")
    # Beta is laid out as Alpha was, from the foot of what Alpha filled plus the 6-point gap.
    assert y_beta - y_alpha == pytest.approx(pymupdf.Rect(filled).height + 6, abs=0.01)


def test_a_block_kept_together_but_longer_than_a_page_splits_from_a_fresh_page() -> None:
    # At the top of a page there is nowhere better to move it: it is split there, leaving
    # no empty page before it.
    long = "".join(f"<p>Party {n}, served by first-class mail.</p>" for n in range(120))
    split, _pdf = _drawn([_Block(long)])
    assert split >= 2
    kept, pdf = _drawn([_Block(long, keep_together=True)])
    assert kept == split
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc[0].get_text().startswith("Party 0,")


def test_the_footer_sits_at_the_top_of_its_box_48_points_above_the_foot() -> None:
    with pymupdf.open(stream=_signed_pdf(), filetype="pdf") as doc:
        (block,) = doc[0].get_text("dict", clip=pymupdf.Rect(0, 792 - 60, 612, 792))["blocks"]
        (line,) = block["lines"]
    # The box starts 48 points above the page's foot (y = 744); a 9-point line at its top.
    assert line["bbox"][1] == pytest.approx(750.29, abs=0.1)


def test_the_footer_is_drawn_clipped_to_its_box_between_48_and_24_points_above_the_foot() -> None:
    long = "\n\n".join(f"Finding {n}: the evidence was considered." for n in range(90))
    pdf = render_order(BOND, _bond_order(body=long, signed_at=SIGNED_AT), FACTS)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc.page_count >= 2
        for page in doc:
            clips = [d["scissor"] for d in page.get_drawings(extended=True) if d["type"] == "clip"]
            assert clips[-1] == pymupdf.Rect(72, 792 - 48, 612 - 72, 792 - 24)


def test_the_issued_file_is_already_compacted_and_compressed() -> None:
    # Saved with unused objects dropped and streams deflated: saving it so once more
    # changes no byte (the same order gives the same file, and the smallest of the two).
    for pdf in (_draft_pdf(), _signed_pdf()):
        with pymupdf.open(stream=pdf, filetype="pdf") as doc:
            assert doc.tobytes(garbage=1, deflate=True, no_new_id=True) == pdf
            assert doc.metadata is not None
            assert (doc.metadata["trapped"], doc.metadata["format"]) == ("", "PDF 1.7")
            info = int(doc.xref_get_key(-1, "Info")[1].split()[0])
            assert doc.xref_get_key(info, "Trapped") == ("null", "null")


def test_two_separate_opinions_print_one_paragraph_each() -> None:
    board = template_for("board_decision")
    template = replace(
        board, standing=(*board.standing, StandingClause("opinions", "Member Chen dissents."))
    )
    fields = {**COMPLETE_FIELDS["board_decision"], "separate_opinions": "Member Ruiz concurs."}
    order = new_draft(template, FACTS, JUDGE, TODAY).model_copy(
        update={"fields": fields, "body": "Decision."}
    )
    html = order_html(template, order, FACTS, TODAY)
    assert (
        "<h2>SEPARATE OPINIONS</h2><p>Member Ruiz concurs.</p><p>Member Chen dissents.</p>\n"
    ) in html


def test_an_undated_draft_is_dated_by_the_court_s_day_not_utc_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 03:00 UTC on 19 November is still 18 November, 19:00, in San Francisco: a draft
    # rendered then, with no date given, is dated the 18th.
    monkeypatch.setattr(court_time, "utc_now", lambda: datetime(2026, 11, 19, 3, 0, tzinfo=UTC))
    text = " ".join(pdf_text(render_order(BOND, _bond_order(body="Dated {today}."), FACTS)).split())
    assert "Dated November 18, 2026." in text
