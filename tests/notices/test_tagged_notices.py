"""Notices of hearing are tagged PDFs (issue 17 item 7): /Lang from the template's
language, every word in the structure tree in reading order, the title a heading, the
footers artifacts (common/pdf_tags.py)."""

from __future__ import annotations

from common.hearing_notices import notice_template, page_count, render_notice
from tests.common.tagged_pdf import read_tagged, tagged_words
from tests.notices.test_notice_wording import _notice


def test_a_notice_reads_in_order_with_its_language_and_headings() -> None:
    pdf = render_notice(_notice("removal"))
    reading = read_tagged(pdf)
    assert reading.lang == notice_template().language == "en-US"
    headings = [text for page in reading.blocks for role, text in page if role == "H1"]
    assert headings == ["NOTICE OF HEARING"]
    assert any(role == "H2" for page in reading.blocks for role, _ in page)
    assert "Table" not in reading.roles  # the caption is layout
    assert {role for page in reading.blocks for role, _ in page} == {"P", "H1", "H2"}
    # Each page's footer is an artifact; every other word is in the tree.
    assert reading.artifacts == [1] * page_count(pdf)
    first = tagged_words(reading, 0)
    assert first.startswith("UNITED STATES DEPARTMENT OF JUSTICE")
    assert first.index("In the Matter of") < first.index("NOTICE OF HEARING")
