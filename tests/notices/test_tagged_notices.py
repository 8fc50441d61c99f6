"""Notices of hearing are tagged PDFs (issue 17 item 7): /Lang from the template's
language, every word in the structure tree in reading order, the title a heading, the
footers artifacts (common/pdf_tags.py)."""

from __future__ import annotations

from dataclasses import replace

from common.hearing_notices import (
    mailed_copy_with_code,
    notice_template,
    page_count,
    render_notice,
)
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


def test_the_mailed_copy_reads_its_access_code_page_after_the_notice() -> None:
    notice = _notice("removal")
    record_copy = render_notice(notice)
    coded = replace(notice, access_code="K7Q2-M9XD", portal_address="/respondent/enrol")
    mailed = mailed_copy_with_code(record_copy, coded)
    reading = read_tagged(mailed)
    pages = page_count(record_copy)
    assert len(reading.blocks) == pages + 1
    # The record copy's structure is kept, the code page added after it, in one tree.
    assert reading.blocks[:pages] == read_tagged(record_copy).blocks
    last = reading.blocks[pages]
    assert last[0] == ("H1", notice_template().access_heading)
    assert "K7Q2-M9XD" in tagged_words(reading, pages)
    assert reading.roles.count("Document") == 1
    assert reading.roles.count("H1") == 2
