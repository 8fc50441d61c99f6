"""The eROP package's index is tagged (issue 17 item 7): the package's /Lang, the index as
real text in a table (a header row of TH, one TR of TD per document, across index pages),
its heading, and the Bates stamps and repeated page headers as artifacts. The filed
documents are the filers' own PDFs and are copied as they are."""

from __future__ import annotations

from pathlib import Path

from common.court_time import format_date
from sync_server.packages.builder import PACKAGE_LANGUAGE
from sync_server.packages.index import ROWS_PER_PAGE
from tests.common.tagged_pdf import read_tagged
from tests.packages.conftest import text_pdf
from tests.packages.test_builder import _build

COLUMNS = ["No.", "Filed", "Type", "Title", "Pages", "Bates range"]


def test_the_index_is_a_tagged_table_read_in_order(tmp_path: Path) -> None:
    count = ROWS_PER_PAGE + 3  # two index pages
    sources = [(f"Declaration number {n}", text_pdf(1, f"D{n}")) for n in range(count)]
    (result, _back, data), docs = _build(tmp_path, sources)
    assert result.index_pages == 2
    reading = read_tagged(data)
    assert reading.lang == PACKAGE_LANGUAGE == "en-US"
    assert reading.roles[:4] == ["Document", "Sect", "H1", "P"]
    table = reading.roles.index("Table")
    assert reading.roles[table + 1 : table + 4 + len(COLUMNS)] == (
        ["THead", "TR", *["TH"] * len(COLUMNS), "TBody"]
    )
    assert reading.roles.count("Table") == 1  # one table across both pages
    assert reading.roles.count("TR") == count + 1
    assert reading.roles.count("TD") == count * len(COLUMNS)
    first, second = reading.blocks[0], reading.blocks[1]
    assert first[0] == ("H1", "Record of Proceedings — A012-345-678 (page 1 of 2)")
    assert [text for role, text in first if role == "TH"] == COLUMNS
    cells = [text for role, text in first + second if role == "TD"]
    rows = [cells[i : i + len(COLUMNS)] for i in range(0, len(cells), len(COLUMNS))]
    assert len(rows) == count
    for number, (row, doc, entry) in enumerate(zip(rows, docs, result.entries, strict=True), 1):
        assert row == [
            str(number),
            format_date(doc.filed_on),
            "evidence",
            doc.title,
            "1",
            f"{entry.first_page:06d} to {entry.last_page:06d}",
        ]
    # Artifacts: the Bates stamp on each index page, and on the second its repeated
    # heading, note and column titles; the second page's rows are no header.
    assert reading.artifacts[:2] == [1, 1 + 2 + len(COLUMNS)]
    assert not any(role in ("H1", "TH") for role, _ in second)
    # Each filed document is a section, titled, whose pages are read whole after the index;
    # their Bates stamps are artifacts too.
    assert reading.roles.count("Sect") == 1 + count
    assert reading.titles["Sect"] == [doc.title for doc in docs]
    for doc, entry in zip(docs, result.entries, strict=True):
        page = entry.first_page - 1
        assert reading.blocks[page] == [("Div", f"D{doc.title.split()[-1]} page 1")]
        assert reading.artifacts[page] == 1


def test_an_empty_record_reads_its_note(tmp_path: Path) -> None:
    (_result, _back, data), _docs = _build(tmp_path, [])
    reading = read_tagged(data)
    assert ("P", "No accepted documents.") in reading.blocks[0]
    assert reading.artifacts == [1]  # the Bates stamp
